// INT16 area: CONV_2D 16x8 (int16 input and output, zero points 0; int8 weights, per-channel
// multipliers; optional bias, int64), as TFLite Micro's reference_integer_ops::ConvPerChannel
// for int16: per output, the sum over the filter taps inside the input of input * weights
// (+ bias), requantized per channel (mn_s16_requant: TFLM's int64 or int32 path), clamped to the
// fused activation range.
//   input   [N, in_h, in_w, in_c]
//   weights [out_c, k_h, k_w, in_c]
//   bias    [out_c] or NULL
//   output  [N, out_h, out_w, out_c]
// mn_conv2d_s16_ref is the plain C reference, in TFLM's loop order; mn_conv2d_s16 the optimized
// kernel, equal to it: per output pixel two output channels at a time, per filter row one
// inner product over the row's taps inside the input (contiguous in input and weights when
// dil_w is 1, else one per tap), mn_dot2_s16x8 (SMLALD on ARMv7E-M).
#include "micronn_config.h"
#if MICRONN_OP_INT16

#include "micronn.h"
#include "mn_conv_s16.h"

#define MN_CONV16_GEOMETRY \
    const int32_t in_h = p[MN_CONV16_IN_H], in_w = p[MN_CONV16_IN_W], in_c = p[MN_CONV16_IN_C]; \
    const int32_t out_h = p[MN_CONV16_OUT_H], out_w = p[MN_CONV16_OUT_W], out_c = p[MN_CONV16_OUT_C]; \
    const int32_t k_h = p[MN_CONV16_K_H], k_w = p[MN_CONV16_K_W]; \
    const int32_t dil_h = p[MN_CONV16_DIL_H], dil_w = p[MN_CONV16_DIL_W]; \
    const int32_t lo = p[MN_CONV16_ACT_MIN], hi = p[MN_CONV16_ACT_MAX], acc64 = p[MN_CONV16_ACC64]

void mn_conv2d_s16_ref(const int16_t *input, const int8_t *weights, const int64_t *bias, int16_t *output,
    const int32_t *multiplier, const int32_t *shift, const int32_t *p) {
    MN_CONV16_GEOMETRY;
    int16_t *y = output;
    for (int32_t b = 0; b < p[MN_CONV16_N]; b++) {
        const int16_t *xb = input + b * in_h * in_w * in_c;
        for (int32_t oy = 0; oy < out_h; oy++) {
            const int32_t y0 = oy * p[MN_CONV16_STRIDE_H] - p[MN_CONV16_PAD_TOP];
            for (int32_t ox = 0; ox < out_w; ox++, y += out_c) {
                const int32_t x0 = ox * p[MN_CONV16_STRIDE_W] - p[MN_CONV16_PAD_LEFT];
                for (int32_t oc = 0; oc < out_c; oc++) {
                    int64_t acc = 0;
                    for (int32_t ky = 0; ky < k_h; ky++) {
                        const int32_t iy = y0 + ky * dil_h;
                        for (int32_t kx = 0; kx < k_w; kx++) {
                            const int32_t ix = x0 + kx * dil_w;
                            if (iy < 0 || iy >= in_h || ix < 0 || ix >= in_w) {
                                continue;
                            }
                            const int16_t *x = xb + (iy * in_w + ix) * in_c;
                            const int8_t *w = weights + ((oc * k_h + ky) * k_w + kx) * in_c;
                            for (int32_t ic = 0; ic < in_c; ic++) {
                                acc += (int32_t)w[ic] * x[ic];
                            }
                        }
                    }
                    const int32_t v = mn_s16_requant(acc, bias ? bias[oc] : 0, multiplier[oc], shift[oc], acc64);
                    y[oc] = (int16_t)mn_clamp(v, lo, hi);
                }
            }
        }
    }
}

void mn_conv2d_s16(const int16_t *input, const int8_t *weights, const int64_t *bias, int16_t *output,
    const int32_t *multiplier, const int32_t *shift, const int32_t *p) {
    MN_CONV16_GEOMETRY;
    const int32_t w_row = k_w * in_c, w_oc = k_h * w_row; // weights per filter row, per channel
    int16_t *y = output;
    for (int32_t b = 0; b < p[MN_CONV16_N]; b++) {
        const int16_t *xb = input + b * in_h * in_w * in_c;
        for (int32_t oy = 0; oy < out_h; oy++) {
            const int32_t y0 = oy * p[MN_CONV16_STRIDE_H] - p[MN_CONV16_PAD_TOP];
            int32_t ky0, ky1;
            mn_tap_range(y0, dil_h, in_h, k_h, &ky0, &ky1);
            for (int32_t ox = 0; ox < out_w; ox++, y += out_c) {
                const int32_t x0 = ox * p[MN_CONV16_STRIDE_W] - p[MN_CONV16_PAD_LEFT];
                int32_t kx0, kx1;
                mn_tap_range(x0, dil_w, in_w, k_w, &kx0, &kx1);
                // channels oc, oc1 (= oc for an odd last one): W (2, taps) @ x (taps,)
                for (int32_t oc = 0; oc < out_c; oc += 2) {
                    const int32_t oc1 = oc + 1 < out_c ? oc + 1 : oc;
                    int64_t s[2] = { 0, 0 };
                    for (int32_t ky = ky0; ky < ky1 && kx0 < kx1; ky++) {
                        const int16_t *x = xb + ((y0 + ky * dil_h) * in_w + x0 + kx0 * dil_w) * in_c;
                        const int8_t *w0 = weights + oc * w_oc + ky * w_row + kx0 * in_c;
                        const int8_t *w1 = weights + oc1 * w_oc + ky * w_row + kx0 * in_c;
                        if (dil_w == 1) { // the row's taps: one run in the input and the weights
                            mn_dot2_s16x8(x, w0, w1, (kx1 - kx0) * in_c, s);
                        } else {
                            for (int32_t kx = 0; kx < kx1 - kx0; kx++) {
                                mn_dot2_s16x8(x + kx * dil_w * in_c, w0 + kx * in_c, w1 + kx * in_c, in_c, s);
                            }
                        }
                    }
                    y[oc] = (int16_t)mn_clamp(mn_s16_requant(s[0], bias ? bias[oc] : 0, multiplier[oc], shift[oc],
                        acc64), lo, hi);
                    if (oc1 != oc) {
                        y[oc1] = (int16_t)mn_clamp(mn_s16_requant(s[1], bias ? bias[oc1] : 0, multiplier[oc1],
                            shift[oc1], acc64), lo, hi);
                    }
                }
            }
        }
    }
}

#endif // MICRONN_OP_INT16
