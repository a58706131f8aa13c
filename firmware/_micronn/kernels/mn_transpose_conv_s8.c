// NN area: TRANSPOSE_CONV int8 (per-channel weights), as TFLite Micro's reference
// (reference_integer_ops::TransposeConv): each input pixel scatters (x + input_offset) * w into
// the int32 accumulators (scratch) of the output positions its filter window covers; then
// every accumulator + bias is requantized with its channel's multiplier and shift. One batch at
// a time (TFLM scatters every batch first: the sums are the same). The sums wrap as int32 (in
// any order: the same bits as TFLM's order).
//   input   [N, in_h, in_w, in_c]
//   weights [out_c, k_h, k_w, in_c]
//   scratch [out_h, out_w, out_c] int32
//   output  [N, out_h, out_w, out_c]
#include "micronn_config.h"
#if MICRONN_OP_NN

#include "micronn.h"

void mn_transpose_conv_s8(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *multiplier, const int32_t *shift, int32_t *scratch,
    const int32_t *p) {
    const int32_t in_h = p[MN_TCONV_IN_H], in_w = p[MN_TCONV_IN_W], in_c = p[MN_TCONV_IN_C];
    const int32_t out_h = p[MN_TCONV_OUT_H], out_w = p[MN_TCONV_OUT_W], out_c = p[MN_TCONV_OUT_C];
    const int32_t k_h = p[MN_TCONV_K_H], k_w = p[MN_TCONV_K_W];
    const int32_t s_h = p[MN_TCONV_STRIDE_H], s_w = p[MN_TCONV_STRIDE_W];
    const int32_t pad_t = p[MN_TCONV_PAD_TOP], pad_l = p[MN_TCONV_PAD_LEFT];
    const int32_t in_off = p[MN_TCONV_INPUT_OFFSET], out_off = p[MN_TCONV_OUTPUT_OFFSET];
    const int32_t lo = p[MN_TCONV_ACT_MIN], hi = p[MN_TCONV_ACT_MAX];
    const int32_t w_oc = k_h * k_w * in_c; // weights: from one output channel to the next
    const int32_t plane = out_h * out_w * out_c;
    for (int32_t b = 0; b < p[MN_TCONV_N]; b++) {
        for (int32_t i = 0; i < plane; i++) {
            scratch[i] = 0;
        }
        for (int32_t iy = 0; iy < in_h; iy++) {
            for (int32_t ix = 0; ix < in_w; ix++) {
                const int8_t *x = input + ((b * in_h + iy) * in_w + ix) * in_c;
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
                        // acc (out_c,) += W[:, fy, fx, :] (out_c, in_c) @ (x + in_off) (in_c,)
                        int32_t *acc = scratch + (oy * out_w + ox) * out_c;
                        const int8_t *w = weights + (fy * k_w + fx) * in_c;
                        for (int32_t oc = 0; oc < out_c; oc++, w += w_oc) {
                            int32_t s = 0;
                            for (int32_t ic = 0; ic < in_c; ic++) {
                                s += (x[ic] + in_off) * w[ic];
                            }
                            acc[oc] = (int32_t)((uint32_t)acc[oc] + (uint32_t)s);
                        }
                    }
                }
            }
        }
        int8_t *y = output + b * plane;
        for (int32_t i = 0; i < plane; i += out_c) {
            for (int32_t oc = 0; oc < out_c; oc++) {
                const int32_t acc = (int32_t)((uint32_t)scratch[i + oc] + (uint32_t)bias[oc]);
                const int32_t v = mn_requantize(acc, multiplier[oc], shift[oc]) + out_off;
                y[i + oc] = (int8_t)mn_clamp(v, lo, hi);
            }
        }
    }
}

#endif // MICRONN_OP_NN
