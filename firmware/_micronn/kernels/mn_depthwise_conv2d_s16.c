// INT16 area: DEPTHWISE_CONV_2D 16x8 (int16 input and output, zero points 0; int8 weights,
// per-channel multipliers; optional int64 bias), as TFLite Micro's
// reference_integer_ops::DepthwiseConvPerChannel for int16: output channel c = ic *
// depth_multiplier + m sums input channel ic times its weights over the taps inside the input
// in int64, + bias, requantized per channel with TFLM's int64 MultiplyByQuantizedMultiplier.
//   input   [N, in_h, in_w, in_c]
//   weights [k_h, k_w, out_c] (TFLite's [1, k_h, k_w, out_c])
//   bias    [out_c] or NULL
//   output  [N, out_h, out_w, out_c]
#include "micronn_config.h"
#if MICRONN_OP_INT16

#include "micronn.h"
#include "mn_conv_s16.h"

void mn_depthwise_conv2d_s16(const int16_t *input, const int8_t *weights, const int64_t *bias,
    int16_t *output, const int32_t *multiplier, const int32_t *shift, const int32_t *p) {
    const int32_t in_h = p[MN_CONV16_IN_H], in_w = p[MN_CONV16_IN_W], in_c = p[MN_CONV16_IN_C];
    const int32_t out_h = p[MN_CONV16_OUT_H], out_w = p[MN_CONV16_OUT_W], out_c = p[MN_CONV16_OUT_C];
    const int32_t k_h = p[MN_CONV16_K_H], k_w = p[MN_CONV16_K_W];
    const int32_t dil_h = p[MN_CONV16_DIL_H], dil_w = p[MN_CONV16_DIL_W];
    const int32_t lo = p[MN_CONV16_ACT_MIN], hi = p[MN_CONV16_ACT_MAX], acc64 = p[MN_CONV16_ACC64];
    const int32_t mult = p[MN_CONV16_DEPTH_MULT];
    // channels the input has for every output channel (out_c = in_c * depth_multiplier)
    const int32_t n_ic = out_c / mult < in_c ? out_c / mult : in_c;
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
                for (int32_t ic = 0; ic < n_ic; ic++) {
                    for (int32_t m = 0; m < mult; m++) {
                        const int32_t oc = ic * mult + m;
                        int64_t acc = 0;
                        for (int32_t ky = ky0; ky < ky1; ky++) {
                            const int16_t *xr = xb + (y0 + ky * dil_h) * in_w * in_c + ic;
                            const int8_t *wr = weights + ky * k_w * out_c + oc;
                            for (int32_t kx = kx0; kx < kx1; kx++) {
                                acc += (int32_t)wr[kx * out_c] * xr[(x0 + kx * dil_w) * in_c];
                            }
                        }
                        const int32_t v = mn_s16_requant(acc, bias ? bias[oc] : 0, multiplier[oc], shift[oc], acc64);
                        y[oc] = (int16_t)mn_clamp(v, lo, hi);
                    }
                }
            }
        }
    }
}

#endif // MICRONN_OP_INT16
