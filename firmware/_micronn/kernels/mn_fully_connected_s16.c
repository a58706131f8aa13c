// INT16 area: FULLY_CONNECTED 16x8 (int16 input and output, zero points 0; int8 weights,
// per-tensor multipliers repeated per row or per-channel ones; optional bias, int64), as TFLite
// Micro's reference_integer_ops::FullyConnected / FullyConnectedPerChannel for int16: each
// output the sum of input * weights over the row (+ bias), requantized (mn_s16_requant: TFLM's
// int64 or int32 path), clamped to the fused activation range.
//   input   [batches, in_features]
//   weights [out_features, in_features]
//   bias    [out_features] or NULL
//   output  [batches, out_features]
#include "micronn_config.h"
#if MICRONN_OP_INT16

#include "micronn.h"
#include "mn_conv_s16.h"

void mn_fully_connected_s16(const int16_t *input, const int8_t *weights, const int64_t *bias,
    int16_t *output, const int32_t *multiplier, const int32_t *shift, const int32_t *p) {
    const int32_t n = p[MN_FC16_IN_FEATURES], rows = p[MN_FC16_OUT_FEATURES];
    const int32_t lo = p[MN_FC16_ACT_MIN], hi = p[MN_FC16_ACT_MAX], acc64 = p[MN_FC16_ACC64];
    for (int32_t b = 0; b < p[MN_FC16_BATCHES]; b++) {
        const int16_t *x = input + b * n;
        int16_t *y = output + b * rows;
        // W (rows, n) @ x (n,) -> y (rows,)
        for (int32_t r = 0; r < rows; r++) {
            const int8_t *w = weights + r * n;
            int64_t acc = 0;
            for (int32_t i = 0; i < n; i++) {
                acc += (int32_t)w[i] * x[i];
            }
            const int32_t v = mn_s16_requant(acc, bias ? bias[r] : 0, multiplier[r], shift[r], acc64);
            y[r] = (int16_t)mn_clamp(v, lo, hi);
        }
    }
}

#endif // MICRONN_OP_INT16
