// NN area: BATCH_MATMUL int8 and float32, as TFLite Micro's reference (reference_ops::BatchMatMul
// after its Eval transposes rhs): output[b, i, j] = sum over k of lhs[b, i, k] * rhs[b, k, j],
// b over the batch dims d0..d2 (stride 0 where an operand broadcasts), i < d3, j < d4, k < d5,
// every operand addressed by its element strides. int8: (lhs + lhs_offset) * (rhs + rhs_offset)
// summed (wrapping as int32), requantized with the one multiplier, + output_offset, clamped to
// int8 (BATCH_MATMUL has no fused activation). float32: 0.0f + each product in increasing k, no
// fused multiply-adds. mn_batch_matmul_s8_ref is the plain C reference of the int8 kernel.
#include "micronn_config.h"
#if MICRONN_OP_NN

#pragma GCC optimize("fp-contract=off")

#include "micronn.h"
#include "mn_fast.h"

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

void mn_batch_matmul_s8_ref(const int8_t *lhs, const int8_t *rhs, int8_t *output, int8_t *scratch,
    const int32_t *p) {
    (void)scratch;
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

// The optimized kernel, when lhs rows and rhs columns (a constant rhs is stored transposed; a
// runtime rhs [K, N] is copied into scratch as [N, K], once per distinct batch) are
// contiguous in K and the output rows in N: with rhs_offset 0, each batch is one
// FULLY_CONNECTED (mn_fully_connected_s8 and its DSP / Helium / SSE2 variants),
// lhs (M, K) @ rhs^T (N, K)^T -> output (M, N). Otherwise, per lhs row, the dot products with
// every rhs column (mn_dot_rows_s8, MN_BMM_COLS columns at a time) plus
// rhs_offset * sum_k (lhs + lhs_offset), requantized. Other layouts (and K > 32767, where an
// int32 dot product could overflow): the plain loops.
#define MN_BMM_COLS 64

void mn_batch_matmul_s8(const int8_t *lhs, const int8_t *rhs, int8_t *output, int8_t *scratch,
    const int32_t *p) {
    const int32_t *d = p + MN_BMM_D0, *ls = p + MN_BMM_LHS_S0, *rs = p + MN_BMM_RHS_S0;
    const int32_t *os = p + MN_BMM_OUT_S0;
    const int32_t m = d[3], n = d[4], k = d[5];
    const int copy = scratch && rs[4] == 1 && rs[5] == n; // rhs [K, N]: copied as [N, K]
    if (!(ls[5] == 1 && ls[3] == k && ((rs[5] == 1 && rs[4] == k) || copy) && os[4] == 1 && os[3] == n
          && k <= 32767)) {
        mn_batch_matmul_s8_ref(lhs, rhs, output, scratch, p);
        return;
    }
    const int8_t *copied = (const int8_t *)0; // the rhs batch in scratch
    const int32_t l_off = p[MN_BMM_LHS_OFFSET], r_off = p[MN_BMM_RHS_OFFSET];
    const int32_t out_off = p[MN_BMM_OUTPUT_OFFSET];
    const mn_quant_t q = { l_off, out_off, -128, 127 };
    const mn_requant_t rq = { p + MN_BMM_MULTIPLIER, p + MN_BMM_SHIFT, 0 };
    mn_rq_t r1;
    // |total| <= K * 255 * 255 < 2 K * 255 * 128
    mn_rq_make(&r1, p[MN_BMM_MULTIPLIER], p[MN_BMM_SHIFT], 2 * k, 0);
    int32_t acc[MN_BMM_COLS];
    for (int32_t b0 = 0; b0 < d[0]; b0++) {
        for (int32_t b1 = 0; b1 < d[1]; b1++) {
            for (int32_t b2 = 0; b2 < d[2]; b2++) {
                const int8_t *lb = lhs + b0 * ls[0] + b1 * ls[1] + b2 * ls[2];
                const int8_t *rb = rhs + b0 * rs[0] + b1 * rs[1] + b2 * rs[2];
                int8_t *ob = output + b0 * os[0] + b1 * os[1] + b2 * os[2];
                if (copy) {
                    if (rb != copied) {
                        // rhs (K, N) -> scratch (N, K)
                        for (int32_t j = 0; j < n; j++) {
                            for (int32_t i = 0; i < k; i++) {
                                scratch[j * k + i] = rb[i * n + j];
                            }
                        }
                        copied = rb;
                    }
                    rb = scratch;
                }
                if (r_off == 0) {
                    // lhs (M, K) @ rhs^T (N, K)^T -> output (M, N)
                    mn_fully_connected_s8(lb, rb, (const int32_t *)0, ob, m, k, n, &q, &rq);
                    continue;
                }
                for (int32_t i = 0; i < m; i++) {
                    const int8_t *l = lb + i * k;
                    uint32_t c = 0;
                    for (int32_t j = 0; j < k; j++) {
                        c += (uint32_t)(l[j] + l_off);
                    }
                    c *= (uint32_t)r_off;
                    for (int32_t j0 = 0; j0 < n; j0 += MN_BMM_COLS) {
                        const int32_t nj = n - j0 < MN_BMM_COLS ? n - j0 : MN_BMM_COLS;
                        for (int32_t j = 0; j < nj; j++) {
                            acc[j] = (int32_t)c;
                        }
                        // acc (nj,) += rhs^T rows j0.. (nj, K) @ (lhs row i + lhs_offset) (K,)
                        mn_dot_rows_s8(l, k, l_off, rb + j0 * k, nj, acc);
                        for (int32_t j = 0; j < nj; j++) {
                            ob[i * n + j0 + j] = (int8_t)mn_clamp(mn_rq(acc[j], &r1) + out_off, -128, 127);
                        }
                    }
                }
            }
        }
    }
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
