// INT16 area: TRANSPOSE_CONV 16x8 (int16 input and output, zero points 0; int8 weights,
// per-channel multipliers; optional int64 bias), as TFLite Micro's
// reference_integer_ops::TransposeConv for int16: each input pixel scatters input * w into the
// int64 sums (scratch) of the output positions its filter window covers, in TFLM's loop order;
// then every sum + bias is requantized with its channel's multiplier and shift (TFLM's int64
// MultiplyByQuantizedMultiplier) and clamped. One batch at a time (TFLM scatters every batch
// first: the sums are the same).
//   input   [N, in_h, in_w, in_c]
//   weights [out_c, k_h, k_w, in_c]
//   scratch [out_h, out_w, out_c] int64
//   output  [N, out_h, out_w, out_c]
#include "micronn_config.h"
#if MICRONN_OP_INT16

#include "micronn.h"
#include "mn_conv_s16.h"

void mn_transpose_conv_s16(const int16_t *input, const int8_t *weights, const int64_t *bias,
    int16_t *output, const int32_t *multiplier, const int32_t *shift, int64_t *scratch,
    const int32_t *p) {
    const int32_t in_h = p[MN_TCONV16_IN_H], in_w = p[MN_TCONV16_IN_W], in_c = p[MN_TCONV16_IN_C];
    const int32_t out_h = p[MN_TCONV16_OUT_H], out_w = p[MN_TCONV16_OUT_W], out_c = p[MN_TCONV16_OUT_C];
    const int32_t k_h = p[MN_TCONV16_K_H], k_w = p[MN_TCONV16_K_W];
    const int32_t s_h = p[MN_TCONV16_STRIDE_H], s_w = p[MN_TCONV16_STRIDE_W];
    const int32_t pad_t = p[MN_TCONV16_PAD_TOP], pad_l = p[MN_TCONV16_PAD_LEFT];
    const int32_t lo = p[MN_TCONV16_ACT_MIN], hi = p[MN_TCONV16_ACT_MAX];
    const int32_t plane = out_h * out_w * out_c;
    for (int32_t b = 0; b < p[MN_TCONV16_N]; b++) {
        for (int32_t i = 0; i < plane; i++) {
            scratch[i] = 0;
        }
        for (int32_t iy = 0; iy < in_h; iy++) {
            for (int32_t ix = 0; ix < in_w; ix++) {
                const int16_t *x = input + ((b * in_h + iy) * in_w + ix) * in_c;
                for (int32_t ic = 0; ic < in_c; ic++) {
                    const int32_t v = x[ic];
                    for (int32_t fy = 0; fy < k_h; fy++) {
                        const int32_t oy = iy * s_h - pad_t + fy;
                        for (int32_t fx = 0; fx < k_w; fx++) {
                            const int32_t ox = ix * s_w - pad_l + fx;
                            if (oy < 0 || oy >= out_h || ox < 0 || ox >= out_w) {
                                continue;
                            }
                            int64_t *acc = scratch + (oy * out_w + ox) * out_c;
                            const int8_t *w = weights + (fy * k_w + fx) * in_c + ic;
                            for (int32_t oc = 0; oc < out_c; oc++) {
                                acc[oc] += v * w[oc * k_h * k_w * in_c];
                            }
                        }
                    }
                }
            }
        }
        int16_t *y = output + b * plane;
        for (int32_t i = 0; i < plane; i += out_c) {
            for (int32_t oc = 0; oc < out_c; oc++) {
                const int32_t v = mn_s16_requant(scratch[i + oc], bias ? bias[oc] : 0, multiplier[oc], shift[oc], 1);
                y[i + oc] = (int16_t)mn_clamp(v, lo, hi);
            }
        }
    }
}

#endif // MICRONN_OP_INT16
