// INT16 area: FULLY_CONNECTED 16x8 (int16 input and output, zero points 0; int8 weights,
// per-tensor multipliers repeated per row or per-channel ones; optional bias, int64), as TFLite
// Micro's reference_integer_ops::FullyConnected / FullyConnectedPerChannel for int16: each
// output the sum of input * weights over the row (+ bias), requantized (mn_s16_requant: TFLM's
// int64 or int32 path), clamped to the fused activation range.
//   input   [batches, in_features]
//   weights [out_features, in_features]
//   bias    [out_features] or NULL
//   output  [batches, out_features]
// mn_fully_connected_s16_ref is the plain C reference; mn_fully_connected_s16 the optimized
// kernel, equal to it: two rows at a time through mn_dot2_s16x8 (SMLALD on ARMv7E-M).
#include "micronn_config.h"
#if MICRONN_OP_INT16

#include "micronn.h"
#include "mn_conv_s16.h"

#define MN_FC16_GEOMETRY \
    const int32_t n = p[MN_FC16_IN_FEATURES], rows = p[MN_FC16_OUT_FEATURES]; \
    const int32_t lo = p[MN_FC16_ACT_MIN], hi = p[MN_FC16_ACT_MAX], acc64 = p[MN_FC16_ACC64]

void mn_fully_connected_s16_ref(const int16_t *input, const int8_t *weights, const int64_t *bias,
    int16_t *output, const int32_t *multiplier, const int32_t *shift, const int32_t *p) {
    MN_FC16_GEOMETRY;
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

void mn_fully_connected_s16(const int16_t *input, const int8_t *weights, const int64_t *bias,
    int16_t *output, const int32_t *multiplier, const int32_t *shift, const int32_t *p) {
    MN_FC16_GEOMETRY;
    for (int32_t b = 0; b < p[MN_FC16_BATCHES]; b++) {
        const int16_t *x = input + b * n;
        int16_t *y = output + b * rows;
        // rows r, r1 (= r for an odd last one): W (2, n) @ x (n,)
        for (int32_t r = 0; r < rows; r += 2) {
            const int32_t r1 = r + 1 < rows ? r + 1 : r;
            int64_t s[2] = { 0, 0 };
            mn_dot2_s16x8(x, weights + r * n, weights + r1 * n, n, s);
            y[r] = (int16_t)mn_clamp(mn_s16_requant(s[0], bias ? bias[r] : 0, multiplier[r], shift[r], acc64), lo, hi);
            if (r1 != r) {
                y[r1] = (int16_t)mn_clamp(mn_s16_requant(s[1], bias ? bias[r1] : 0, multiplier[r1], shift[r1], acc64),
                    lo, hi);
            }
        }
    }
}

#endif // MICRONN_OP_INT16
