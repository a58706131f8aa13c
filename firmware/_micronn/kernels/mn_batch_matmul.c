// NN area: BATCH_MATMUL int8 and float32, as TFLite Micro's reference (reference_ops::BatchMatMul
// after its Eval transposes rhs): output[b, i, j] = sum over k of lhs[b, i, k] * rhs[b, k, j],
// b over the batch dims d0..d2 (stride 0 where an operand broadcasts), i < d3, j < d4, k < d5,
// every operand addressed by its element strides. int8: (lhs + lhs_offset) * (rhs + rhs_offset)
// summed (wrapping as int32), requantized with the one multiplier, + output_offset, clamped to
// int8 (BATCH_MATMUL has no fused activation). float32: 0.0f + each product in increasing k, no
// fused multiply-adds.
#include "micronn_config.h"
#if MICRONN_OP_NN

#pragma GCC optimize("fp-contract=off")

#include "micronn.h"

// BODY runs for each output element with l, r at its lhs row and rhs column, o at the output.
#define MN_BMM_LOOPS(TL, TO, BODY) do { \
        const int32_t *d = p + MN_BMM_D0, *ls = p + MN_BMM_LHS_S0, *rs = p + MN_BMM_RHS_S0; \
        const int32_t *os = p + MN_BMM_OUT_S0; \
        for (int32_t b0 = 0; b0 < d[0]; b0++) { \
            for (int32_t b1 = 0; b1 < d[1]; b1++) { \
                for (int32_t b2 = 0; b2 < d[2]; b2++) { \
                    const TL *lb = lhs + b0 * ls[0] + b1 * ls[1] + b2 * ls[2]; \
                    const TL *rb = rhs + b0 * rs[0] + b1 * rs[1] + b2 * rs[2]; \
                    TO *ob = output + b0 * os[0] + b1 * os[1] + b2 * os[2]; \
                    for (int32_t i = 0; i < d[3]; i++) { \
                        for (int32_t j = 0; j < d[4]; j++) { \
                            const TL *l = lb + i * ls[3], *r = rb + j * rs[4]; \
                            TO *o = ob + i * os[3] + j * os[4]; \
                            const int32_t depth = d[5], lk = ls[5], rk = rs[5]; \
                            BODY; \
                        } \
                    } \
                } \
            } \
        } \
} while (0)

void mn_batch_matmul_s8(const int8_t *lhs, const int8_t *rhs, int8_t *output, const int32_t *p) {
    const int32_t l_off = p[MN_BMM_LHS_OFFSET], r_off = p[MN_BMM_RHS_OFFSET];
    const int32_t out_off = p[MN_BMM_OUTPUT_OFFSET];
    const int32_t mult = p[MN_BMM_MULTIPLIER], shift = p[MN_BMM_SHIFT];
    MN_BMM_LOOPS(int8_t, int8_t, {
        uint32_t acc = 0;
        for (int32_t k = 0; k < depth; k++) {
            acc += (uint32_t)((l[k * lk] + l_off) * (r[k * rk] + r_off));
        }
        *o = (int8_t)mn_clamp(mn_requantize((int32_t)acc, mult, shift) + out_off, -128, 127);
    });
}

void mn_batch_matmul_f32(const float *lhs, const float *rhs, float *output, const int32_t *p) {
    MN_BMM_LOOPS(float, float, {
        float acc = 0.0f;
        for (int32_t k = 0; k < depth; k++) {
            acc = acc + l[k * lk] * r[k * rk];
        }
        *o = acc;
    });
}

#endif // MICRONN_OP_NN
