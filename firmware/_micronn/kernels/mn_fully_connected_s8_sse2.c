// Host (x86-64 SSE2) path of mn_fully_connected_s8: equal to mn_fully_connected_s8_ref.
//
// Four weight rows at a time: 16 input values widened to int16 with the input offset added,
// 16 weights per row widened to int16, two PMADDWD per row; 1..15 features left over in
// scalar. Requantization per output as mn_fully_connected_s8's (the cheap form of mn_fast.h
// where the accumulators' bound allows it, else mn_requantize).
#include "mn_variants.h"

#if MN_HOST_SIMD
#include <emmintrin.h>

MN_INLINE __m128i mn_h_madd16(__m128i w8, __m128i xl, __m128i xh) {
    const __m128i s = _mm_cmpgt_epi8(_mm_setzero_si128(), w8);
    return _mm_add_epi32(_mm_madd_epi16(_mm_unpacklo_epi8(w8, s), xl),
        _mm_madd_epi16(_mm_unpackhi_epi8(w8, s), xh));
}

// [sum a, sum b, sum c, sum d] of four vectors of int32 lanes.
MN_INLINE __m128i mn_h_fc_hsum4(__m128i a, __m128i b, __m128i c, __m128i d) {
    const __m128i ab = _mm_add_epi32(_mm_unpacklo_epi32(a, b), _mm_unpackhi_epi32(a, b));
    const __m128i cd = _mm_add_epi32(_mm_unpacklo_epi32(c, d), _mm_unpackhi_epi32(c, d));
    return _mm_add_epi32(_mm_unpacklo_epi64(ab, cd), _mm_unpackhi_epi64(ab, cd));
}

int mn_fully_connected_s8_sse2(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, int32_t batches, int32_t in_features, int32_t out_features,
    const mn_quant_t *quant, const mn_requant_t *requant) {
    const int32_t n = in_features, off = quant->input_offset;
    const int32_t n16 = n & ~15;
    const __m128i o16 = _mm_set1_epi16((int16_t)off);
    // accumulators' bound without the bias (n * 255 * 128), capped at 2^29
    const uint32_t nb = (int64_t)n * 255 * 128 < (1 << 29) ? (uint32_t)n * 255 * 128 : (1u << 29);
    for (int32_t b = 0; b < batches; b++, input += n, output += out_features) {
        // weights (4, n) @ (input + off) (n,) -> 4 outputs; a short last group repeats row o
        for (int32_t o = 0; o < out_features; o += 4) {
            const int32_t nr = out_features - o < 4 ? out_features - o : 4;
            const int8_t *w[4];
            for (int32_t j = 0; j < 4; j++) {
                w[j] = weights + (int64_t)(o + (j < nr ? j : 0)) * n;
            }
            __m128i a0 = _mm_setzero_si128(), a1 = a0, a2 = a0, a3 = a0;
            int32_t i = 0;
            for (; i < n16; i += 16) {
                const __m128i x8 = _mm_loadu_si128((const __m128i *)(input + i));
                const __m128i sx = _mm_cmpgt_epi8(_mm_setzero_si128(), x8);
                const __m128i xl = _mm_add_epi16(_mm_unpacklo_epi8(x8, sx), o16);
                const __m128i xh = _mm_add_epi16(_mm_unpackhi_epi8(x8, sx), o16);
                a0 = _mm_add_epi32(a0, mn_h_madd16(_mm_loadu_si128((const __m128i *)(w[0] + i)), xl, xh));
                a1 = _mm_add_epi32(a1, mn_h_madd16(_mm_loadu_si128((const __m128i *)(w[1] + i)), xl, xh));
                a2 = _mm_add_epi32(a2, mn_h_madd16(_mm_loadu_si128((const __m128i *)(w[2] + i)), xl, xh));
                a3 = _mm_add_epi32(a3, mn_h_madd16(_mm_loadu_si128((const __m128i *)(w[3] + i)), xl, xh));
            }
            int32_t s[4];
            _mm_storeu_si128((__m128i *)s, mn_h_fc_hsum4(a0, a1, a2, a3));
            for (; i < n; i++) {
                // 1..15 features left
                const int32_t v = input[i] + off;
                for (int32_t j = 0; j < 4; j++) {
                    s[j] += v * w[j][i];
                }
            }
            for (int32_t j = 0; j < nr; j++) {
                const int32_t bj = bias ? bias[o + j] : 0;
                const int32_t c = requant->per_channel ? o + j : 0;
                const int32_t mult = requant->multiplier[c], shift = requant->shift[c];
                const int32_t acc = s[j] + bj;
                int32_t r;
                if (shift < 0 && nb + (uint32_t)(bj < 0 ? -(uint32_t)bj : (uint32_t)bj) < (1u << 29)) {
                    // |acc| < 2^29: the cheap requantization of mn_fast.h (as mn_fc_out)
                    const int32_t y = (int32_t)(((int64_t)acc * 2 * mult + 0x80000000LL) >> 32);
                    r = (y + (y >> 31) + (int32_t)(1u << (-shift - 1))) >> -shift;
                } else {
                    r = mn_requantize(acc, mult, shift);
                }
                output[o + j] = (int8_t)mn_clamp(r + quant->output_offset, quant->act_min, quant->act_max);
            }
        }
    }
    return 1;
}
#endif
