// Depthwise convolution int8, the ARMv6-M (Cortex-M0+, RP2040) variant
// mn_depthwise_conv2d_s8_m0 of mn_depthwise_conv2d_s8 (equal to mn_depthwise_conv2d_s8_ref byte
// for byte). Depth multiplier 1.
//
// Channel by channel (its taps gathered, int8 [c][taps]), pixel by pixel along each output row.
// A window inside the input starts at init = bias + in_off * sum of the channel's weights and adds
// x * w per tap (3x3: one assembly block, per tap LDRB + SXTB of the weight, LDRSB of the input
// at register offsets 0 / dx / 2 dx, MULS, ADDS); a window over the padding adds (x + in_off) * w
// over its taps inside the input. Requantization: mn_rq0 (mn_m0.h).
//
// Scratch (within mn_depthwise_conv2d_s8_scratch_size bytes: 24 per channel + 2 * taps per
// channel of the multiple of 4 below out_c): mn_rq0_t [C] (16 bytes each), then the gathered
// weights, taps * C bytes; shapes where that does not fit go to the portable path.
#include "mn_m0.h"
#include "mn_variants.h"

#if MN_ARM_V6M

// acc + sum over a 3x3 window of x[ky * rs + kx * dx] * w9[3 ky + kx].
MN_INLINE int32_t mn_m0_dw3x3(int32_t acc, const int8_t *x, const int8_t *w9, int32_t dx, int32_t rs) {
    int32_t v, w, dx2 = dx + dx;
    #define MN_M0_DW_ROW(t0, t1, t2) \
    "ldrb %[w], [%[wp], #" #t0 "]\n" \
    "sxtb %[w], %[w]\n" \
    "ldrb %[v], [%[x], #0]\n" \
    "sxtb %[v], %[v]\n" \
    "muls %[v], %[w], %[v]\n" \
    "adds %[acc], %[acc], %[v]\n" \
    "ldrb %[w], [%[wp], #" #t1 "]\n" \
    "sxtb %[w], %[w]\n" \
    "ldrsb %[v], [%[x], %[dx]]\n" \
    "muls %[v], %[w], %[v]\n" \
    "adds %[acc], %[acc], %[v]\n" \
    "ldrb %[w], [%[wp], #" #t2 "]\n" \
    "sxtb %[w], %[w]\n" \
    "ldrsb %[v], [%[x], %[dx2]]\n" \
    "muls %[v], %[w], %[v]\n" \
    "adds %[acc], %[acc], %[v]\n"
    __asm (
        ".syntax unified\n"
        MN_M0_DW_ROW(0, 1, 2)
        "add %[x], %[rs]\n"
        MN_M0_DW_ROW(3, 4, 5)
        "add %[x], %[rs]\n"
        MN_M0_DW_ROW(6, 7, 8)
        ".syntax divided\n"
        : [acc] "+l" (acc), [x] "+l" (x), [v] "=&l" (v), [w] "=&l" (w)
        : [wp] "l" (w9), [dx] "l" (dx), [dx2] "l" (dx2), [rs] "r" (rs)
        : "cc", "memory");
    #undef MN_M0_DW_ROW
    return acc;
}

int mn_depthwise_conv2d_s8_m0(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *p, const mn_requant_t *requant, void *scratch) {
    const int32_t in_h = p[MN_CONV_IN_H], in_w = p[MN_CONV_IN_W], C = p[MN_CONV_IN_C];
    const int32_t out_h = p[MN_CONV_OUT_H], out_w = p[MN_CONV_OUT_W];
    const int32_t k_h = p[MN_CONV_K_H], k_w = p[MN_CONV_K_W], taps = k_h * k_w;
    const int32_t sh = p[MN_CONV_STRIDE_H], sw = p[MN_CONV_STRIDE_W];
    const int32_t dil_h = p[MN_CONV_DIL_H], dil_w = p[MN_CONV_DIL_W];
    const int32_t off = p[MN_CONV_INPUT_OFFSET], out_off = p[MN_CONV_OUTPUT_OFFSET];
    const int32_t lo = p[MN_CONV_ACT_MIN], hi = p[MN_CONV_ACT_MAX];
    if (scratch == NULL || p[MN_CONV_DEPTH_MULT] != 1 || p[MN_CONV_OUT_C] != C) {
        return 0;
    }
    const int64_t need = (int64_t)sizeof(mn_rq0_t) * C + (int64_t)taps * C;
    if (need > mn_depthwise_conv2d_s8_scratch_size(p)) {
        return 0;
    }
    mn_rq0_t *rq = scratch;
    int8_t *wt = (int8_t *)(rq + C);
    for (int32_t c = 0; c < C; c++) {
        const int32_t i = requant->per_channel ? c : 0;
        const int32_t b = bias ? bias[c] : 0;
        mn_rq0_make(&rq[c], requant->multiplier[i], requant->shift[i], taps, b, out_off);
        int32_t sum = 0;
        for (int32_t k = 0; k < taps; k++) {
            const int8_t w = weights[k * C + c];
            wt[c * taps + k] = w;
            sum += w;
        }
        rq[c].init = (int32_t)((uint32_t)b + (uint32_t)off * (uint32_t)sum);
    }
    const int32_t dx = dil_w * C, rs = dil_h * in_w * C, last_x = (k_w - 1) * dil_w;
    const int fast3 = k_h == 3 && k_w == 3;
    for (int32_t b = 0; b < p[MN_CONV_N]; b++) {
        const int8_t *in_b = input + b * in_h * in_w * C;
        int8_t *out_b = output + b * out_h * out_w * C;
        for (int32_t c = 0; c < C; c++) {
            const mn_rq0_t *r = &rq[c];
            const int8_t *w = wt + c * taps;
            const int32_t b0 = bias ? bias[c] : 0;
            int8_t *o = out_b + c;
            for (int32_t oy = 0; oy < out_h; oy++) {
                const int32_t y0 = oy * sh - p[MN_CONV_PAD_TOP];
                int32_t ky0, ky1;
                mn_tap_range(y0, dil_h, in_h, k_h, &ky0, &ky1);
                const int rows_in = ky0 == 0 && ky1 == k_h;
                const int32_t row = y0 * in_w * C + c; // offset of tap row 0 (may lie outside)
                int32_t x0 = -p[MN_CONV_PAD_LEFT];
                for (int32_t ox = 0; ox < out_w; ox++, x0 += sw, o += C) {
                    int32_t acc;
                    if (rows_in && x0 >= 0 && x0 + last_x < in_w) {
                        const int8_t *x = in_b + row + x0 * C;
                        if (fast3) {
                            acc = mn_m0_dw3x3(r->init, x, w, dx, rs);
                        } else {
                            uint32_t a = (uint32_t)r->init;
                            for (int32_t ky = 0; ky < k_h; ky++, x += rs) {
                                const int8_t *xp = x, *wp = w + ky * k_w;
                                for (int32_t kx = 0; kx < k_w; kx++, xp += dx) {
                                    a += (uint32_t)(*xp * wp[kx]);
                                }
                            }
                            acc = (int32_t)a;
                        }
                    } else {
                        int32_t kx0, kx1;
                        mn_tap_range(x0, dil_w, in_w, k_w, &kx0, &kx1);
                        uint32_t a = (uint32_t)b0;
                        for (int32_t ky = ky0; ky < ky1; ky++) {
                            const int8_t *xp = in_b + row + ky * rs + (x0 + kx0 * dil_w) * C;
                            const int8_t *wp = w + ky * k_w;
                            for (int32_t kx = kx0; kx < kx1; kx++, xp += dx) {
                                a += (uint32_t)((*xp + off) * wp[kx]);
                            }
                        }
                        acc = (int32_t)a;
                    }
                    *o = mn_rq0_out(acc, r, out_off, lo, hi);
                }
            }
        }
    }
    return 1;
}

#endif // MN_ARM_V6M
