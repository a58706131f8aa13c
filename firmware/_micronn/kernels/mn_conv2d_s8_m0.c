// Convolution int8, the ARMv6-M (Cortex-M0+, RP2040) variant mn_conv2d_s8_m0 of mn_conv2d_s8
// (equal to mn_conv2d_s8_ref byte for byte).
//
// Thumb-1 has no multiply-accumulate: a MAC is MULS + ADD. Tiles of 3 output pixels x 2 output
// channels keep their 6 accumulators in the high registers r8-r12, lr (ADD takes them); per tap
// 2 weights (LDRSB, one index register for both rows) and 3 input bytes (LDRB, immediate
// offsets) feed 6 MULS + 6 ADD: 25 cycles per 6 MACs in the unrolled loop.
//
// The columns hold the input as unsigned bytes u = x + 128 (x ^ 0x80), so LDRB needs no sign
// extension: sum (x + in_off) * w = sum u * w + (in_off - 128) * sum w, the second term folded
// into each channel's accumulator start (init). A tap in the padding holds 128 - in_off (in
// [0, 255] for in_off in [-127, 128]), whose (u - 128 + in_off) is 0.
//
// Scratch (within mn_conv2d_s8_scratch_size bytes: 20 per channel + 16 per 4 taps): mn_rq0_t
// [out_c] (16 bytes each), then the columns of 3 pixels, uint8 [3k + p] = pixel p's tap k.
#include "mn_m0.h"
#include "mn_variants.h"

#if MN_ARM_V6M

// acc[0..2] += sum_k col[3k + p] * w0[k], acc[3..5] += sum_k col[3k + p] * w1[k], k < acc[6]
// (a multiple of 4, at least 4). acc: row 0 pixels 0-2 (r8-r10), row 1 pixels 0-2 (r11, r12, lr).
__attribute__((naked, noinline)) static void mn_m0_dot3x2(uint32_t *acc, const uint8_t *col,
    const int8_t *w0, const int8_t *w1) {
    (void)acc;
    (void)col;
    (void)w0;
    (void)w1;
    #define MN_M0_TAP(o0, o1, o2) \
    "ldrsb r4, [r1, r3]\n" \
    "ldrsb r5, [r2, r3]\n" \
    "ldrb r6, [r0, #" #o0 "]\n" \
    "movs r7, r6\n" \
    "muls r7, r4, r7\n" \
    "add r8, r7\n" \
    "muls r6, r5, r6\n" \
    "add r11, r6\n" \
    "ldrb r6, [r0, #" #o1 "]\n" \
    "movs r7, r6\n" \
    "muls r7, r4, r7\n" \
    "add r9, r7\n" \
    "muls r6, r5, r6\n" \
    "add r12, r6\n" \
    "ldrb r6, [r0, #" #o2 "]\n" \
    "muls r4, r6, r4\n" \
    "add r10, r4\n" \
    "muls r5, r6, r5\n" \
    "add lr, r5\n"
    __asm volatile (
        ".syntax unified\n"
        "push {r4-r7, lr}\n"
        "mov r4, r8\n"
        "mov r5, r9\n"
        "mov r6, r10\n"
        "mov r7, r11\n"
        "push {r4-r7}\n"
        "push {r0}\n"
        "ldr r4, [r0, #0]\n"
        "mov r8, r4\n"
        "ldr r4, [r0, #4]\n"
        "mov r9, r4\n"
        "ldr r4, [r0, #8]\n"
        "mov r10, r4\n"
        "ldr r4, [r0, #12]\n"
        "mov r11, r4\n"
        "ldr r4, [r0, #16]\n"
        "mov r12, r4\n"
        "ldr r4, [r0, #20]\n"
        "mov lr, r4\n"
        "ldr r5, [r0, #24]\n"  // taps
        "adds r6, r3, r5\n"    // row 1's end
        "adds r2, r2, r5\n"    // row 0's end
        "mov r0, r1\n"         // columns
        "mov r1, r2\n"
        "mov r2, r6\n"
        "rsbs r3, r5, #0\n"    // index -K4 .. -1
        "1:\n"
        MN_M0_TAP(0, 1, 2)
        "adds r3, #1\n"
        MN_M0_TAP(3, 4, 5)
        "adds r3, #1\n"
        MN_M0_TAP(6, 7, 8)
        "adds r3, #1\n"
        MN_M0_TAP(9, 10, 11)
        "adds r0, #12\n"
        "adds r3, #1\n"
        "bne 1b\n"
        "pop {r0}\n"
        "mov r4, r8\n"
        "str r4, [r0, #0]\n"
        "mov r4, r9\n"
        "str r4, [r0, #4]\n"
        "mov r4, r10\n"
        "str r4, [r0, #8]\n"
        "mov r4, r11\n"
        "str r4, [r0, #12]\n"
        "mov r4, r12\n"
        "str r4, [r0, #16]\n"
        "mov r4, lr\n"
        "str r4, [r0, #20]\n"
        "pop {r4-r7}\n"
        "mov r8, r4\n"
        "mov r9, r5\n"
        "mov r10, r6\n"
        "mov r11, r7\n"
        "pop {r4-r7, pc}\n"
        ".syntax divided\n");
    #undef MN_M0_TAP
}

// Column entries k..k+n-1 of a pixel (stride 3) <- src[0..n-1] ^ 0x80.
static void mn_m0_col_put(uint8_t *dst, const int8_t *src, int32_t n) {
    for (; n >= 2; n -= 2, src += 2, dst += 6) {
        const uint32_t a = (uint8_t)src[0], b = (uint8_t)src[1];
        dst[0] = (uint8_t)(a ^ 0x80u);
        dst[3] = (uint8_t)(b ^ 0x80u);
    }
    if (n) {
        dst[0] = (uint8_t)((uint8_t)src[0] ^ 0x80u);
    }
}

static void mn_m0_col_fill(uint8_t *dst, int32_t n, uint8_t v) {
    for (; n > 0; n--, dst += 3) {
        *dst = v;
    }
}

// Column of output pixel (oy, ox) at col + p (stride 3).
static void mn_m0_col(uint8_t *col, const int8_t *in_b, const int32_t *P, int32_t oy, int32_t ox,
    uint8_t pad) {
    const int32_t in_h = P[MN_CONV_IN_H], in_w = P[MN_CONV_IN_W], in_c = P[MN_CONV_IN_C];
    const int32_t k_h = P[MN_CONV_K_H], k_w = P[MN_CONV_K_W];
    const int32_t dil_h = P[MN_CONV_DIL_H], dil_w = P[MN_CONV_DIL_W];
    const int32_t y0 = oy * P[MN_CONV_STRIDE_H] - P[MN_CONV_PAD_TOP];
    const int32_t x0 = ox * P[MN_CONV_STRIDE_W] - P[MN_CONV_PAD_LEFT];
    const int32_t row_len = k_w * in_c;
    int32_t ky0, ky1, kx0, kx1;
    mn_tap_range(y0, dil_h, in_h, k_h, &ky0, &ky1);
    mn_tap_range(x0, dil_w, in_w, k_w, &kx0, &kx1);
    if (kx1 <= kx0) {
        kx0 = kx1 = 0;
    }
    for (int32_t ky = 0; ky < k_h; ky++) {
        uint8_t *d = col + 3 * ky * row_len;
        if (ky < ky0 || ky >= ky1 || kx1 == 0) {
            mn_m0_col_fill(d, row_len, pad);
            continue;
        }
        const int8_t *row = in_b + (y0 + ky * dil_h) * in_w * in_c;
        if (dil_w == 1) {
            mn_m0_col_fill(d, kx0 * in_c, pad);
            mn_m0_col_put(d + 3 * kx0 * in_c, row + (x0 + kx0) * in_c, (kx1 - kx0) * in_c);
            mn_m0_col_fill(d + 3 * kx1 * in_c, (k_w - kx1) * in_c, pad);
        } else {
            for (int32_t kx = 0; kx < k_w; kx++) {
                if (kx < kx0 || kx >= kx1) {
                    mn_m0_col_fill(d + 3 * kx * in_c, in_c, pad);
                } else {
                    mn_m0_col_put(d + 3 * kx * in_c, row + (x0 + kx * dil_w) * in_c, in_c);
                }
            }
        }
    }
}

// Column of a pixel whose window lies inside the input with dilation 1 along x: k_h rows of
// row_len contiguous bytes, row_step apart (mn_m0_col without its per-pixel setup).
static void mn_m0_col_inside(uint8_t *col, const int8_t *src, int32_t k_h, int32_t row_len,
    int32_t row_step) {
    for (int32_t ky = 0; ky < k_h; ky++, col += 3 * row_len, src += row_step) {
        mn_m0_col_put(col, src, row_len);
    }
}

// o[j * stride] <- requantized acc[j], j < n (the channel's entry read once for the n pixels).
MN_INLINE void mn_m0_out3(int8_t *o, int32_t stride, const uint32_t *acc, int32_t n,
    const mn_rq0_t *r, int32_t out_off, int32_t lo, int32_t hi) {
    if (__builtin_expect(r->exact, 0)) {
        for (int32_t j = 0; j < n; j++) {
            o[j * stride] = mn_rq0_out((int32_t)acc[j], r, out_off, lo, hi);
        }
        return;
    }
    const int32_t ls1 = r->ls1, mult = r->mult, rnd = r->rnd, rs = r->rs, nm = r->nm;
    for (int32_t j = 0; j < n; j++, o += stride) {
        const int32_t y = mn_m0_smmulr((int32_t)(acc[j] << ls1), mult);
        *o = (int8_t)mn_clamp((y + rnd + ((y >> 31) & nm)) >> rs, lo, hi);
    }
}

int mn_conv2d_s8_m0(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *p, const mn_requant_t *requant, void *scratch) {
    const int32_t in_h = p[MN_CONV_IN_H], in_w = p[MN_CONV_IN_W], in_c = p[MN_CONV_IN_C];
    const int32_t out_h = p[MN_CONV_OUT_H], out_w = p[MN_CONV_OUT_W], out_c = p[MN_CONV_OUT_C];
    const int32_t K = p[MN_CONV_K_H] * p[MN_CONV_K_W] * in_c;
    const int32_t in_off = p[MN_CONV_INPUT_OFFSET], out_off = p[MN_CONV_OUTPUT_OFFSET];
    const int32_t lo = p[MN_CONV_ACT_MIN], hi = p[MN_CONV_ACT_MAX];
    if (scratch == NULL || mn_conv2d_s8_scratch_size(p) == 0 || in_off < -127 || in_off > 128) {
        return 0;
    }
    mn_rq0_t *rq = scratch;
    for (int32_t c = 0; c < out_c; c++) {
        const int32_t i = requant->per_channel ? c : 0;
        const int32_t b = bias ? bias[c] : 0;
        mn_rq0_make(&rq[c], requant->multiplier[i], requant->shift[i], K, b, out_off);
        const int8_t *w = weights + c * K;
        int32_t sw = 0;
        for (int32_t k = 0; k < K; k++) {
            sw += w[k];
        }
        rq[c].init = (int32_t)((uint32_t)b + (uint32_t)(in_off - 128) * (uint32_t)sw);
    }
    uint8_t *col = (uint8_t *)(rq + out_c);
    const uint8_t pad = (uint8_t)(128 - in_off);
    const int32_t pixels = out_h * out_w, K4 = K & ~3;
    const int32_t k_h = p[MN_CONV_K_H], k_w = p[MN_CONV_K_W], s_h = p[MN_CONV_STRIDE_H], s_w = p[MN_CONV_STRIDE_W];
    const int32_t dil_h = p[MN_CONV_DIL_H], inside_ok = p[MN_CONV_DIL_W] == 1;
    const int32_t y_span = (k_h - 1) * dil_h, row_len = k_w * in_c, row_step = dil_h * in_w * in_c;
    for (int32_t b = 0; b < p[MN_CONV_N]; b++) {
        const int8_t *in_b = input + b * in_h * in_w * in_c;
        int8_t *out_b = output + b * pixels * out_c;
        int32_t oy = 0, ox = 0;
        for (int32_t q = 0; q < pixels; q += 3) {
            // output pixels q .. q + n - 1; a missing pixel's column repeats pixel q's
            const int32_t n = pixels - q < 3 ? pixels - q : 3;
            int32_t qy = oy, qx = ox;
            for (int32_t j = 0; j < 3; j++) {
                const int32_t py = j < n ? qy : oy, px = j < n ? qx : ox;
                const int32_t y0 = py * s_h - p[MN_CONV_PAD_TOP], x0 = px * s_w - p[MN_CONV_PAD_LEFT];
                if (inside_ok && y0 >= 0 && y0 + y_span < in_h && x0 >= 0 && x0 + k_w <= in_w) {
                    mn_m0_col_inside(col + j, in_b + (y0 * in_w + x0) * in_c, k_h, row_len, row_step);
                } else {
                    mn_m0_col(col + j, in_b, p, py, px, pad);
                }
                if (j < n && ++qx == out_w) {
                    qx = 0;
                    qy++;
                }
            }
            oy = qy;
            ox = qx;
            int8_t *o = out_b + q * out_c;
            for (int32_t oc = 0; oc < out_c; oc += 2) {
                const int32_t two = oc + 1 < out_c;
                const int8_t *w0 = weights + oc * K;
                const uint32_t i0 = (uint32_t)rq[oc].init, i1 = two ? (uint32_t)rq[oc + 1].init : 0;
                uint32_t acc[7] = {i0, i0, i0, i1, i1, i1, (uint32_t)K4};
                // a lone last channel: its row twice, the second sums not stored
                const int8_t *w1 = two ? w0 + K : w0;
                if (K4) {
                    mn_m0_dot3x2(acc, col, w0, w1);
                }
                for (int32_t k = K4; k < K; k++) {
                    const uint32_t a = col[3 * k], bb = col[3 * k + 1], c2 = col[3 * k + 2];
                    const uint32_t wa = (uint32_t)(int32_t)w0[k], wb = (uint32_t)(int32_t)w1[k];
                    acc[0] += a * wa;
                    acc[1] += bb * wa;
                    acc[2] += c2 * wa;
                    acc[3] += a * wb;
                    acc[4] += bb * wb;
                    acc[5] += c2 * wb;
                }
                mn_m0_out3(o + oc, out_c, acc, n, &rq[oc], out_off, lo, hi);
                if (two) {
                    mn_m0_out3(o + oc + 1, out_c, acc + 3, n, &rq[oc + 1], out_off, lo, hi);
                }
            }
        }
    }
    return 1;
}

#endif // MN_ARM_V6M
