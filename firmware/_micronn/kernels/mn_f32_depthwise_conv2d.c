// NN area: DEPTHWISE_CONV_2D float32, as TFLite Micro's reference DepthwiseConv: per output
// (b, y, x, oc = ic * depth_multiplier + m) a float sum from 0.0f over fy, fx (taps outside the
// input skipped) of input * weight, each product rounded before it is added (fp-contract off),
// then the bias added and the fused activation's float range applied.
#include "micronn_config.h"
#if MICRONN_OP_NN

#pragma GCC optimize("fp-contract=off")

#include "micronn.h"
#include "mn_f32.h"

// input [n, in_h, in_w, in_c], weights [k_h, k_w, out_c], bias [out_c] -> output [n, out_h, out_w, out_c]
void mn_depthwise_conv2d_f32(const float *input, const float *weights, const float *bias, float *output,
                             const int32_t *p) {
    const int32_t n = p[MN_F32CONV_N], in_h = p[MN_F32CONV_IN_H], in_w = p[MN_F32CONV_IN_W];
    const int32_t in_c = p[MN_F32CONV_IN_C], out_h = p[MN_F32CONV_OUT_H], out_w = p[MN_F32CONV_OUT_W];
    const int32_t out_c = p[MN_F32CONV_OUT_C], k_h = p[MN_F32CONV_K_H], k_w = p[MN_F32CONV_K_W];
    const int32_t sh = p[MN_F32CONV_STRIDE_H], sw = p[MN_F32CONV_STRIDE_W];
    const int32_t dh = p[MN_F32CONV_DIL_H], dw = p[MN_F32CONV_DIL_W], mult = p[MN_F32CONV_DEPTH_MULT];
    float lo, hi;
    mn_f32_act_range(p[MN_F32CONV_ACT], &lo, &hi);
    for (int32_t b = 0; b < n; b++) {
        const float *image = input + b * in_h * in_w * in_c;
        for (int32_t oy = 0; oy < out_h; oy++) {
            const int32_t y0 = oy * sh - p[MN_F32CONV_PAD_TOP];
            for (int32_t ox = 0; ox < out_w; ox++) {
                const int32_t x0 = ox * sw - p[MN_F32CONV_PAD_LEFT];
                for (int32_t oc = 0; oc < out_c; oc++) {
                    const int32_t ic = oc / mult;
                    float total = 0.0f;
                    for (int32_t fy = 0; fy < k_h; fy++) {
                        const int32_t iy = y0 + dh * fy;
                        if (iy < 0 || iy >= in_h) {
                            continue;
                        }
                        for (int32_t fx = 0; fx < k_w; fx++) {
                            const int32_t ix = x0 + dw * fx;
                            if (ix < 0 || ix >= in_w) {
                                continue;
                            }
                            const float prod = image[(iy * in_w + ix) * in_c + ic] * weights[(fy * k_w + fx) * out_c + oc];
                            total += prod;
                        }
                    }
                    *output++ = mn_f32_clamp(total + bias[oc], lo, hi);
                }
            }
        }
    }
}

#endif // MICRONN_OP_NN
