// Depthwise convolution int8: plain C reference path (bit-exact with TFLite Micro's
// DepthwiseConvPerChannel).
#include "micronn.h"

void mn_depthwise_conv2d_s8(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *p, const mn_requant_t *requant) {
    const int32_t batches = p[MN_CONV_N];
    const int32_t in_h = p[MN_CONV_IN_H], in_w = p[MN_CONV_IN_W], in_c = p[MN_CONV_IN_C];
    const int32_t out_h = p[MN_CONV_OUT_H], out_w = p[MN_CONV_OUT_W], out_c = p[MN_CONV_OUT_C];
    const int32_t k_h = p[MN_CONV_K_H], k_w = p[MN_CONV_K_W];
    const int32_t stride_h = p[MN_CONV_STRIDE_H], stride_w = p[MN_CONV_STRIDE_W];
    const int32_t dil_h = p[MN_CONV_DIL_H], dil_w = p[MN_CONV_DIL_W];
    const int32_t in_off = p[MN_CONV_INPUT_OFFSET], out_off = p[MN_CONV_OUTPUT_OFFSET];
    const int32_t act_min = p[MN_CONV_ACT_MIN], act_max = p[MN_CONV_ACT_MAX];
    const int32_t mult = p[MN_CONV_DEPTH_MULT];

    for (int32_t b = 0; b < batches; b++) {
        const int8_t *in_b = input + b * in_h * in_w * in_c;
        for (int32_t oy = 0; oy < out_h; oy++) {
            const int32_t y0 = oy * stride_h - p[MN_CONV_PAD_TOP];
            int32_t ky0, ky1;
            mn_tap_range(y0, dil_h, in_h, k_h, &ky0, &ky1);
            for (int32_t ox = 0; ox < out_w; ox++) {
                const int32_t x0 = ox * stride_w - p[MN_CONV_PAD_LEFT];
                int32_t kx0, kx1;
                mn_tap_range(x0, dil_w, in_w, k_w, &kx0, &kx1);
                for (int32_t oc = 0; oc < out_c; oc++) {
                    // sum over taps of (input[y, x, oc / mult] + in_off) * weights[0, ky, kx, oc]
                    const int32_t ic = oc / mult;
                    int32_t acc = 0;
                    for (int32_t ky = ky0; ky < ky1; ky++) {
                        const int8_t *in_row = in_b + (y0 + ky * dil_h) * in_w * in_c + ic;
                        const int8_t *w_row = weights + ky * k_w * out_c + oc;
                        for (int32_t kx = kx0; kx < kx1; kx++) {
                            acc += (in_row[(x0 + kx * dil_w) * in_c] + in_off) * w_row[kx * out_c];
                        }
                    }
                    if (bias) {
                        acc += bias[oc];
                    }
                    const int32_t c = requant->per_channel ? oc : 0;
                    acc = mn_requantize(acc, requant->multiplier[c], requant->shift[c]) + out_off;
                    *output++ = (int8_t)mn_clamp(acc, act_min, act_max);
                }
            }
        }
    }
}
