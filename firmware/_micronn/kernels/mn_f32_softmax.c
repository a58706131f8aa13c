// NN area: SOFTMAX float32, as TFLite Micro's reference Softmax: per row the max (from -FLT_MAX,
// std::max), e = expf((x - max) * beta) stored and summed in order from 0.0f, then e / sum.
// expf is mn_expf (kernels/mn_libm_f32.c): glibc's bits, which TFLM's std::exp gives on the host.
#include "micronn_config.h"
#if MICRONN_OP_NN

#pragma GCC optimize("fp-contract=off")

#include <float.h>
#include "micronn.h"
#include "mn_libm_f32.h"

// input [rows, depth] -> output [rows, depth]
void mn_softmax_f32(const float *input, float *output, const int32_t *p) {
    const int32_t rows = p[MN_F32SOFTMAX_ROWS], depth = p[MN_F32SOFTMAX_DEPTH];
    float beta;
    __builtin_memcpy(&beta, &p[MN_F32SOFTMAX_BETA], sizeof beta); // (no string.h on Xtensa)
    for (int32_t r = 0; r < rows; r++, input += depth, output += depth) {
        float max = -FLT_MAX;
        for (int32_t c = 0; c < depth; c++) {
            max = max < input[c] ? input[c] : max;
        }
        float sum = 0.0f;
        for (int32_t c = 0; c < depth; c++) {
            const float e = mn_expf((input[c] - max) * beta);
            output[c] = e;
            sum += e;
        }
        for (int32_t c = 0; c < depth; c++) {
            output[c] = output[c] / sum;
        }
    }
}

#endif // MICRONN_OP_NN
