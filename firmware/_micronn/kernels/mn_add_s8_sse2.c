// Host (x86-64 SSE2) path of mn_add_s8, mn_sub_s8 (sub: input2's table negated) and mn_mul_s8
// (the product of the offset inputs in place of the tables' sum): equal to them byte for byte.
//
// Each input's stage, mn_requantize((x + offset) << left_shift, mult, shift), has 256 possible
// values: two int32 tables per call. The output stage, the same double-rounding
// requantization with one multiplier and shift for the tensor, runs on four int32 lanes:
//   SaturatingRoundingDoublingHighMul(a, m), m >= 0: with s = sign(a) (0 or -1) and
//     |a| * m as an unsigned 64-bit product (PMULUDQ), (|a| * m + 2^30 + s) >> 31, negated
//     when a < 0 (equals the truncating division of a * m + nudge; never saturates as m >= 0);
//   RoundingDivideByPOT(y, e) = (y >> e) + ((y & mask) > (mask >> 1) + (y < 0)).
// Dims of size 1 are dropped and contiguous dims merged; runs of >= 64 elements whose strides
// are 0 or 1 (no broadcast, or a broadcast scalar) take this path, other layouts the portable
// kernel.
#include "mn_variants.h"

#if MN_HOST_SIMD
#include <emmintrin.h>

// mn_requantize on four lanes with one multiplier m in [0, 2^31) and one shift.
MN_INLINE __m128i mn_h_requant4(__m128i x, __m128i m, __m128i ls, __m128i rs, __m128i mask,
    __m128i half) {
    const __m128i lo32 = _mm_set_epi32(0, -1, 0, -1);
    const __m128i a = _mm_sll_epi32(x, ls);
    const __m128i s = _mm_srai_epi32(a, 31);
    const __m128i ua = _mm_sub_epi32(_mm_xor_si128(a, s), s);
    const __m128i nudge = _mm_add_epi32(_mm_set1_epi32(1 << 30), s);
    __m128i pe = _mm_mul_epu32(ua, m);
    __m128i po = _mm_mul_epu32(_mm_srli_epi64(ua, 32), m);
    pe = _mm_srli_epi64(_mm_add_epi64(pe, _mm_and_si128(nudge, lo32)), 31);
    po = _mm_srli_epi64(_mm_add_epi64(po, _mm_srli_epi64(nudge, 32)), 31);
    const __m128i q = _mm_or_si128(_mm_and_si128(pe, lo32), _mm_slli_epi64(po, 32));
    const __m128i y = _mm_sub_epi32(_mm_xor_si128(q, s), s);
    // rounding divide by 2^rs
    const __m128i thr = _mm_sub_epi32(half, _mm_srai_epi32(y, 31));
    const __m128i up = _mm_cmpgt_epi32(_mm_and_si128(y, mask), thr);
    return _mm_sub_epi32(_mm_sra_epi32(y, rs), up);
}

// The body ADD, SUB and MUL share: per element an int32 value c of the two inputs, then the output
// stage on four lanes. ADD/SUB: c = t1[x] + t2[y] (the per-input tables); MUL (t1 NULL):
// c = (x + off1) * (y + off2). d, s1, s2: the op's output dims and input strides (4 each).
int mn_binary_s8_sse2(const int8_t *input1, const int8_t *input2, int8_t *output, const int32_t *d,
    const int32_t *s1, const int32_t *s2, const int32_t *t1, const int32_t *t2, int32_t off1, int32_t off2,
    int32_t mo, int32_t sho, int32_t out_off, int32_t act_min, int32_t act_max) {
    // dims of size 1 dropped, adjacent dims merged where both inputs step through them as one:
    // output (D[0], D[1], D[2], D[3]) <- input1 (strides A) op input2 (strides B), row-major
    int32_t D[4] = { 1, 1, 1, 1 }, A[4] = { 0, 0, 0, 0 }, B[4] = { 0, 0, 0, 0 };
    int32_t nd = 0;
    for (int32_t i = 0; i < 4; i++) {
        const int32_t dd = d[i], a = s1[i], b = s2[i];
        if (dd == 1) {
            continue;
        }
        if (nd > 0 && A[3] == a * dd && B[3] == b * dd) {
            D[3] *= dd;
            A[3] = a;
            B[3] = b;
            continue;
        }
        // shift the kept dims left, append this one as the innermost
        for (int32_t j = 0; j < 3; j++) {
            D[j] = D[j + 1];
            A[j] = A[j + 1];
            B[j] = B[j + 1];
        }
        D[3] = dd;
        A[3] = a;
        B[3] = b;
        nd++;
    }
    const int32_t d3 = D[3], a3 = A[3], b3 = B[3];
    if (d3 < 64 || (a3 | b3) & ~1 || mo < 0 || sho > 31 || sho < -31) {
        return 0;
    }
    const int32_t e = sho > 0 ? 0 : -sho;
    const int32_t mask_s = (int32_t)((1LL << e) - 1);
    const __m128i m = _mm_set1_epi32(mo), lsv = _mm_cvtsi32_si128(sho > 0 ? sho : 0);
    const __m128i rsv = _mm_cvtsi32_si128(e), mask = _mm_set1_epi32(mask_s);
    const __m128i half = _mm_set1_epi32(mask_s >> 1), o = _mm_set1_epi32(out_off);
    const __m128i lo = _mm_set1_epi16((int16_t)act_min);
    const __m128i hi = _mm_set1_epi16((int16_t)act_max);
    for (int32_t i0 = 0; i0 < D[0]; i0++) {
        for (int32_t i1 = 0; i1 < D[1]; i1++) {
            for (int32_t i2 = 0; i2 < D[2]; i2++) {
                const int8_t *x = input1 + i0 * A[0] + i1 * A[1] + i2 * A[2];
                const int8_t *y = input2 + i0 * B[0] + i1 * B[1] + i2 * B[2];
                int32_t i = 0;
                for (; i + 16 <= d3; i += 16, output += 16) {
                    int32_t s[16];
                    for (int32_t j = 0; j < 16; j++) {
                        const int8_t xv = x[(i + j) * a3], yv = y[(i + j) * b3];
                        // |x + off1|, |y + off2| <= 255: the product fits int32
                        s[j] = t1 ? t1[(uint8_t)xv] + t2[(uint8_t)yv] : (xv + off1) * (yv + off2);
                    }
                    __m128i r[4];
                    for (int32_t j = 0; j < 4; j++) {
                        r[j] = _mm_add_epi32(mn_h_requant4(_mm_loadu_si128((const __m128i *)(s + 4 * j)),
                            m, lsv, rsv, mask, half), o);
                    }
                    const __m128i h0 = _mm_min_epi16(_mm_max_epi16(_mm_packs_epi32(r[0], r[1]), lo), hi);
                    const __m128i h1 = _mm_min_epi16(_mm_max_epi16(_mm_packs_epi32(r[2], r[3]), lo), hi);
                    _mm_storeu_si128((__m128i *)output, _mm_packs_epi16(h0, h1));
                }
                for (; i < d3; i++) {
                    const int8_t xv = x[i * a3], yv = y[i * b3];
                    const int32_t c = t1 ? t1[(uint8_t)xv] + t2[(uint8_t)yv] : (xv + off1) * (yv + off2);
                    *output++ = (int8_t)mn_clamp(mn_requantize(c, mo, sho) + out_off, act_min, act_max);
                }
            }
        }
    }
    return 1;
}

int mn_add_s8_sse2(const int8_t *input1, const int8_t *input2, int8_t *output, const int32_t *p, int sub) {
    const int32_t ls = p[MN_ADD_LEFT_SHIFT];
    int32_t t1[256], t2[256];
    for (int32_t v = -128; v < 128; v++) {
        t1[(uint8_t)v] = mn_requantize((v + p[MN_ADD_IN1_OFFSET]) * (1 << ls), p[MN_ADD_IN1_MULT],
            p[MN_ADD_IN1_SHIFT]);
        const int32_t r2 = mn_requantize((v + p[MN_ADD_IN2_OFFSET]) * (1 << ls), p[MN_ADD_IN2_MULT],
            p[MN_ADD_IN2_SHIFT]);
        t2[(uint8_t)v] = sub ? -r2 : r2; // SUB: rq(a) - rq(b)
    }
    return mn_binary_s8_sse2(input1, input2, output, p + MN_ADD_D0, p + MN_ADD_IN1_S0, p + MN_ADD_IN2_S0, t1, t2,
        0, 0, p[MN_ADD_OUT_MULT], p[MN_ADD_OUT_SHIFT], p[MN_ADD_OUTPUT_OFFSET], p[MN_ADD_ACT_MIN], p[MN_ADD_ACT_MAX]);
}

#endif
