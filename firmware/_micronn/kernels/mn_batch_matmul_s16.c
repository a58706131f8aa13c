// INT16 area: BATCH_MATMUL int16 (zero points 0), as TFLite Micro's reference_ops::BatchMatMul
// <int16_t, int64_t>: output[b, i, j] = sum over k of lhs[b, i, k] * rhs[b, k, j] in int64,
// requantized with the one multiplier (TFLM's int64 MultiplyByQuantizedMultiplier), clamped
// to int16 (no fused activation). b runs over the batch dims d0..d2 (stride 0 where an operand
// broadcasts), i < d3, j < d4, k < d5, every operand addressed by its element strides.
#include "micronn_config.h"
#if MICRONN_OP_INT16

#include "micronn.h"
#include "mn_conv_s16.h"

void mn_batch_matmul_s16(const int16_t *lhs, const int16_t *rhs, int16_t *output, const int32_t *p) {
    const int32_t *d = p + MN_BMM16_D0, *ls = p + MN_BMM16_LHS_S0, *rs = p + MN_BMM16_RHS_S0;
    const int32_t *os = p + MN_BMM16_OUT_S0;
    const int32_t mult = p[MN_BMM16_MULTIPLIER], shift = p[MN_BMM16_SHIFT];
    for (int32_t b0 = 0; b0 < d[0]; b0++) {
        for (int32_t b1 = 0; b1 < d[1]; b1++) {
            for (int32_t b2 = 0; b2 < d[2]; b2++) {
                const int16_t *lb = lhs + b0 * ls[0] + b1 * ls[1] + b2 * ls[2];
                const int16_t *rb = rhs + b0 * rs[0] + b1 * rs[1] + b2 * rs[2];
                int16_t *ob = output + b0 * os[0] + b1 * os[1] + b2 * os[2];
                // lhs (M, K) @ rhs (K, N) -> output (M, N)
                for (int32_t i = 0; i < d[3]; i++) {
                    for (int32_t j = 0; j < d[4]; j++) {
                        const int16_t *l = lb + i * ls[3], *r = rb + j * rs[4];
                        int64_t acc = 0;
                        for (int32_t k = 0; k < d[5]; k++) {
                            acc += (int32_t)l[k * ls[5]] * r[k * rs[5]];
                        }
                        ob[i * os[3] + j * os[4]] = (int16_t)mn_clamp(mn_requantize64(acc, mult, shift), -32768, 32767);
                    }
                }
            }
        }
    }
}

#endif // MICRONN_OP_INT16
