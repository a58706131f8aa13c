// NN area: LOG_SOFTMAX float32 over the last dim, TFLite Micro's reference in float32: the row's
// max (from -FLT_MAX, std::max: a NaN never wins), the sum of expf(x - max) in order, then
// x - max - logf(sum). expf and logf give the host glibc's bits (kernels/mn_libm_f32.c).
#include "micronn_config.h"
#if MICRONN_OP_NN

#pragma GCC optimize("fp-contract=off")

#include <float.h>
#include "micronn.h"
#include "mn_libm_f32.h"

void mn_log_softmax_f32(const float *input, float *output, const int32_t *p) {
    // input [rows, depth] -> output [rows, depth]
    const int32_t depth = p[MN_LOGSOFTMAXF_DEPTH];
    for (int32_t i = 0; i < p[MN_LOGSOFTMAXF_ROWS]; i++) {
        const float *x = input + i * depth;
        float *y = output + i * depth;
        float max = -FLT_MAX;
        for (int32_t c = 0; c < depth; c++) {
            max = max < x[c] ? x[c] : max;
        }
        float sum = 0.0f;
        for (int32_t c = 0; c < depth; c++) {
            sum += mn_expf(x[c] - max);
        }
        const float log_sum = mn_logf(sum);
        for (int32_t c = 0; c < depth; c++) {
            y[c] = x[c] - max - log_sum;
        }
    }
}

#endif // MICRONN_OP_NN
