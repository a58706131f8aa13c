// Fully connected int8: plain C reference path (bit-exact with TFLite Micro).
#include "micronn.h"

void mn_fully_connected_s8(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, int32_t batches, int32_t in_features, int32_t out_features,
    const mn_quant_t *quant, const mn_requant_t *requant) {
    const int32_t in_off = quant->input_offset;
    // input (batches, in) @ weights (out, in)^T -> output (batches, out)
    for (int32_t b = 0; b < batches; b++) {
        const int8_t *x = input + b * in_features;
        for (int32_t o = 0; o < out_features; o++) {
            const int8_t *w = weights + o * in_features;
            int32_t acc = 0;
            for (int32_t i = 0; i < in_features; i++) {
                acc += (x[i] + in_off) * w[i];
            }
            if (bias) {
                acc += bias[o];
            }
            int32_t c = requant->per_channel ? o : 0;
            acc = mn_requantize(acc, requant->multiplier[c], requant->shift[c]);
            acc += quant->output_offset;
            output[b * out_features + o] = (int8_t)mn_clamp(acc, quant->act_min, quant->act_max);
        }
    }
}
