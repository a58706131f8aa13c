// Depthwise convolution int8 (depth multiplier 1), Helium (MVE) path: eight channels per step as
// int16 lanes (VLDRB.S16 of the input and of the weights); VMULLB/VMULLT multiply the even and the
// odd lanes into int32 (|x w| <= 128 * 128 fits the int16 inputs), two VADDs accumulate: 6
// instructions per tap and 8 MACs. The input offset leaves the loop:
//   sum_taps (x + off) w = sum_taps x w + off * sum_taps w,
// the second term (with the bias) per channel once per call over every tap; taps in the padding
// then take x = -off (|off| <= 128: -off * w fits int16) so that they add zero in real terms.
// Results are requantized as even / odd lanes, narrowed (VMOVNB/VMOVNT) and stored as 8 bytes.
//
// Scratch (mn_depthwise_conv2d_s8_scratch_size >= 24 out_c bytes; this uses 96 bytes per group of
// eight channels, so out_c >= 4): per group, int32 x4 each: boff even/odd lanes, multiplier
// even/odd, shift even/odd (channels past out_c: 0).
#include "mn_mve.h"

#if MN_MVE

typedef struct {
    const int8_t *weights;
    const int32_t *tab;
    int32_t C, k_w, row_step, dx, off, out_off, lo, hi;
} mn_mve_dw_t;

// Output pixel: taps ky0..ky1-1 x kx0..kx1-1 inside the input (the others in the padding), x the
// input at tap (0, 0) (possibly outside the input: only in-range taps are read).
static void __attribute__((noinline)) mn_mve_dw_pixel(const mn_mve_dw_t *t, int8_t *out,
    const int8_t *x, int32_t k_h, int32_t ky0, int32_t ky1, int32_t kx0, int32_t kx1) {
    const int32_t C = t->C, k_w = t->k_w, row_step = t->row_step, dx = t->dx;
    const int16x8_t pad = vdupq_n_s16((int16_t)-t->off);
    const int inside = ky0 == 0 && ky1 == k_h && kx0 == 0 && kx1 == k_w;
    const int32_t *q = t->tab;
    for (int32_t c = 0; c < C; c += 8, q += 24) {
        const int32_t n = C - c;
        const mve_pred16_t p = vctp16q((uint32_t)n);
        int32x4_t ae = vldrwq_s32(q), ao = vldrwq_s32(q + 4);
        const int8_t *xc = x + c, *wc = t->weights + c;
        if (inside && k_h == 3 && k_w == 3 && n >= 8) {
            // 3x3 inside the input: nine taps unrolled
            #define MN_MVE_DW_TAP(xo, wo) { \
    const int16x8_t xv = vldrbq_s16(xc + (xo)), wv = vldrbq_s16(wc + (wo)); \
    ae = vaddq_s32(ae, vmullbq_int_s16(xv, wv)); \
    ao = vaddq_s32(ao, vmulltq_int_s16(xv, wv)); }
            for (int32_t ky = 0; ky < 3; ky++, xc += row_step, wc += 3 * C) {
                MN_MVE_DW_TAP(0, 0)
                MN_MVE_DW_TAP(dx, C)
                MN_MVE_DW_TAP(2 * dx, 2 * C)
            }
            #undef MN_MVE_DW_TAP
        } else {
            for (int32_t ky = 0; ky < k_h; ky++, xc += row_step, wc += k_w * C) {
                const int row_in = ky >= ky0 && ky < ky1;
                for (int32_t kx = 0; kx < k_w; kx++) {
                    const int16x8_t xv = row_in && kx >= kx0 && kx < kx1 ? vldrbq_z_s16(xc + kx * dx, p) : pad;
                    const int16x8_t wv = vldrbq_z_s16(wc + kx * C, p);
                    ae = vaddq_s32(ae, vmullbq_int_s16(xv, wv));
                    ao = vaddq_s32(ao, vmulltq_int_s16(xv, wv));
                }
            }
        }
        int32x4_t ye = vaddq_n_s32(mn_mve_requant(ae, vldrwq_s32(q + 8), vldrwq_s32(q + 16)), t->out_off);
        int32x4_t yo = vaddq_n_s32(mn_mve_requant(ao, vldrwq_s32(q + 12), vldrwq_s32(q + 20)), t->out_off);
        const int32x4_t lo = vdupq_n_s32(t->lo), hi = vdupq_n_s32(t->hi);
        ye = vminq_s32(vmaxq_s32(ye, lo), hi);
        yo = vminq_s32(vmaxq_s32(yo, lo), hi);
        const int16x8_t y = vmovntq_s32(vmovnbq_s32(vdupq_n_s16(0), ye), yo);
        if (n >= 8) {
            vstrbq_s16(out + c, y);
        } else {
            vstrbq_p_s16(out + c, y, p);
        }
    }
}

int mn_depthwise_conv2d_s8_mve(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *p, const mn_requant_t *requant, void *scratch) {
    const int32_t in_h = p[MN_CONV_IN_H], in_w = p[MN_CONV_IN_W], in_c = p[MN_CONV_IN_C];
    const int32_t out_h = p[MN_CONV_OUT_H], out_w = p[MN_CONV_OUT_W], out_c = p[MN_CONV_OUT_C];
    const int32_t k_h = p[MN_CONV_K_H], k_w = p[MN_CONV_K_W], taps = k_h * k_w;
    const int32_t dil_h = p[MN_CONV_DIL_H], dil_w = p[MN_CONV_DIL_W];
    const int32_t off = p[MN_CONV_INPUT_OFFSET];
    if (scratch == NULL || mn_depthwise_conv2d_s8_scratch_size(p) == 0 || p[MN_CONV_DEPTH_MULT] != 1
        || out_c < 4) {
        return 0;
    }
    int32_t *tab = scratch;
    for (int32_t c = 0; c < ((out_c + 7) & ~7); c++) {
        // channel c: group c / 8, lane (c % 8) / 2 of the even (c even) or odd vector
        int32_t *e = tab + 24 * (c >> 3) + ((c & 1) << 2) + ((c & 7) >> 1);
        if (c >= out_c) {
            e[0] = e[8] = e[16] = 0;
            continue;
        }
        int32_t sum = 0;
        for (int32_t k = 0; k < taps; k++) {
            sum += weights[k * out_c + c];
        }
        const int32_t i = requant->per_channel ? c : 0;
        e[0] = (bias ? bias[c] : 0) + off * sum;
        e[8] = requant->multiplier[i];
        e[16] = requant->shift[i];
    }
    mn_mve_dw_t t = { weights, tab, in_c, k_w, dil_h * in_w * in_c, dil_w * in_c, off,
                      p[MN_CONV_OUTPUT_OFFSET], p[MN_CONV_ACT_MIN], p[MN_CONV_ACT_MAX] };
    for (int32_t b = 0; b < p[MN_CONV_N]; b++) {
        const int8_t *in_b = input + b * in_h * in_w * in_c;
        for (int32_t oy = 0; oy < out_h; oy++) {
            const int32_t y0 = oy * p[MN_CONV_STRIDE_H] - p[MN_CONV_PAD_TOP];
            int32_t ky0, ky1;
            mn_tap_range(y0, dil_h, in_h, k_h, &ky0, &ky1);
            for (int32_t ox = 0; ox < out_w; ox++, output += out_c) {
                const int32_t x0 = ox * p[MN_CONV_STRIDE_W] - p[MN_CONV_PAD_LEFT];
                int32_t kx0, kx1;
                mn_tap_range(x0, dil_w, in_w, k_w, &kx0, &kx1);
                mn_mve_dw_pixel(&t, output, in_b + (y0 * in_w + x0) * in_c, k_h, ky0, ky1, kx0, kx1);
            }
        }
    }
    return 1;
}

#else

int mn_depthwise_conv2d_s8_mve(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *p, const mn_requant_t *requant, void *scratch) {
    (void)input;
    (void)weights;
    (void)bias;
    (void)output;
    (void)p;
    (void)requant;
    (void)scratch;
    return 0;
}

#endif
