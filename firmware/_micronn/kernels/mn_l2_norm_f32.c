// NN area: L2_NORMALIZATION float32 over the last dim, as TFLite Micro's reference: the squares
// summed in float in order (unfused), the norm sqrtf of that and at least 1e-6f, each element
// divided by it.
#include "micronn_config.h"
#if MICRONN_OP_NN

#pragma GCC optimize("fp-contract=off")

#include "micronn.h"

float sqrtf(float x); // libm (declared here: the Xtensa compile check has no math.h)

void mn_l2_norm_f32(const float *input, float *output, const int32_t *p) {
    const int32_t outer = p[MN_L2NORM_OUTER], depth = p[MN_L2NORM_DEPTH];
    for (int32_t i = 0; i < outer; i++) {
        const float *x = input + i * depth;
        float sum = 0.0f;
        for (int32_t c = 0; c < depth; c++) {
            const float sq = x[c] * x[c];
            sum += sq;
        }
        float norm = sqrtf(sum);
        norm = norm < 1e-6f ? 1e-6f : norm;
        for (int32_t c = 0; c < depth; c++) {
            output[i * depth + c] = x[c] / norm;
        }
    }
}

#endif // MICRONN_OP_NN
