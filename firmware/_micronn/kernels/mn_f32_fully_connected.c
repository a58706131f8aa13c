// NN area: FULLY_CONNECTED float32, as TFLite Micro's reference FullyConnected: per output
// (b, o) a float sum from 0.0f over d of input * weight in order, each product rounded before it
// is added (fp-contract off), then the bias added and the fused activation's float range applied.
#include "micronn_config.h"
#if MICRONN_OP_NN

#pragma GCC optimize("fp-contract=off")

#include "micronn.h"
#include "mn_f32.h"

// W [out_features, in_features] @ x [batches, in_features] + bias [out_features] -> y [batches, out_features]
void mn_fully_connected_f32(const float *input, const float *weights, const float *bias, float *output,
                            const int32_t *p) {
    const int32_t batches = p[MN_F32FC_BATCHES], depth = p[MN_F32FC_IN_FEATURES];
    const int32_t out_f = p[MN_F32FC_OUT_FEATURES];
    float lo, hi;
    mn_f32_act_range(p[MN_F32FC_ACT], &lo, &hi);
    for (int32_t b = 0; b < batches; b++) {
        const float *x = input + b * depth;
        for (int32_t o = 0; o < out_f; o++) {
            const float *w = weights + o * depth;
            float total = 0.0f;
            for (int32_t d = 0; d < depth; d++) {
                const float prod = x[d] * w[d];
                total += prod;
            }
            *output++ = mn_f32_clamp(total + bias[o], lo, hi);
        }
    }
}

#endif // MICRONN_OP_NN
