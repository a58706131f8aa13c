// NN area: TRANSPOSE_CONV float32, as TFLite Micro's reference (reference_ops::TransposeConv):
// the output starts at 0.0f; each input pixel in order adds x[ic] * w for ic in order into the
// output positions its filter window covers (one float add per product, in TFLM's order for
// every output element); then output = act(output + bias), the activation as
// ActivationFunctionWithMinMax (NONE clamps to +-FLT_MAX). No fused multiply-adds.
//   input   [N, in_h, in_w, in_c]
//   weights [k_h, k_w, out_c, in_c] (the converter's per-tap order of TFLite's [out_c, k_h, k_w, in_c])
//   output  [N, out_h, out_w, out_c]
#include "micronn_config.h"
#if MICRONN_OP_NN

#pragma GCC optimize("fp-contract=off")

#include <float.h>
#include "micronn.h"

void mn_transpose_conv_f32(const float *input, const float *weights, const float *bias, float *output,
    const int32_t *p) {
    const int32_t n = p[MN_TCONV_N], in_h = p[MN_TCONV_IN_H], in_w = p[MN_TCONV_IN_W];
    const int32_t in_c = p[MN_TCONV_IN_C];
    const int32_t out_h = p[MN_TCONV_OUT_H], out_w = p[MN_TCONV_OUT_W], out_c = p[MN_TCONV_OUT_C];
    const int32_t k_h = p[MN_TCONV_K_H], k_w = p[MN_TCONV_K_W];
    const int32_t s_h = p[MN_TCONV_STRIDE_H], s_w = p[MN_TCONV_STRIDE_W];
    const int32_t pad_t = p[MN_TCONV_PAD_TOP], pad_l = p[MN_TCONV_PAD_LEFT];
    const int32_t total = n * out_h * out_w * out_c;
    for (int32_t i = 0; i < total; i++) {
        output[i] = 0.0f;
    }
    for (int32_t b = 0; b < n; b++) {
        float *y = output + b * out_h * out_w * out_c;
        for (int32_t iy = 0; iy < in_h; iy++) {
            for (int32_t ix = 0; ix < in_w; ix++) {
                const float *x = input + ((b * in_h + iy) * in_w + ix) * in_c;
                for (int32_t fy = 0; fy < k_h; fy++) {
                    const int32_t oy = iy * s_h - pad_t + fy;
                    if (oy < 0 || oy >= out_h) {
                        continue;
                    }
                    for (int32_t fx = 0; fx < k_w; fx++) {
                        const int32_t ox = ix * s_w - pad_l + fx;
                        if (ox < 0 || ox >= out_w) {
                            continue;
                        }
                        float *o = y + (oy * out_w + ox) * out_c;
                        const float *w = weights + (fy * k_w + fx) * out_c * in_c;
                        for (int32_t oc = 0; oc < out_c; oc++, w += in_c) {
                            float acc = o[oc];
                            for (int32_t ic = 0; ic < in_c; ic++) {
                                acc = acc + x[ic] * w[ic];
                            }
                            o[oc] = acc;
                        }
                    }
                }
            }
        }
    }
    float lo = -FLT_MAX, hi = FLT_MAX;
    switch (p[MN_TCONV_ACT]) {
        case 1: lo = 0.0f; break;
        case 2: lo = -1.0f; hi = 1.0f; break;
        case 3: lo = 0.0f; hi = 6.0f; break;
        default: break;
    }
    for (int32_t i = 0; i < total; i += out_c) {
        for (int32_t oc = 0; oc < out_c; oc++) {
            float v = output[i + oc] + bias[oc];
            v = v < lo ? lo : v;
            output[i + oc] = hi < v ? hi : v;
        }
    }
}

#endif // MICRONN_OP_NN
