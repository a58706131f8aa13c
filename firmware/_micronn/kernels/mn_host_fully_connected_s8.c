// Host (x86-64 SSE2) path of mn_fully_connected_s8: equal to mn_fully_connected_s8_ref.
//
// Per batch row the input is widened once to int16 with the input offset added (zero padded
// to a multiple of 16), then four weight rows at a time: 16 weights widened to int16, two
// PMADDWD against the input. Exact requantization (mn_requantize) per output.
#include "mn_host.h"

#if MN_HOST_SIMD
#include <emmintrin.h>
#include <string.h>

#define MN_H_FC_MAX 4096 // longest input row taken (int16 copy on the stack)

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

int mn_host_fully_connected_s8(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, int32_t batches, int32_t in_features, int32_t out_features,
    const mn_quant_t *quant, const mn_requant_t *requant) {
    const int32_t n = in_features;
    if (n > MN_H_FC_MAX) {
        return 0;
    }
    int16_t xs[MN_H_FC_MAX] __attribute__((aligned(16)));
    const int32_t n16 = n & ~15, np = (n + 15) & ~15;
    for (int32_t b = 0; b < batches; b++, input += n, output += out_features) {
        for (int32_t i = 0; i < n; i++) {
            xs[i] = (int16_t)(input[i] + quant->input_offset);
        }
        for (int32_t i = n; i < np; i++) {
            xs[i] = 0;
        }
        // weights (4, n) @ xs (n,) -> 4 outputs; the last rows of a short group repeat row o
        for (int32_t o = 0; o < out_features; o += 4) {
            const int32_t nr = out_features - o < 4 ? out_features - o : 4;
            const int8_t *w[4];
            for (int32_t j = 0; j < 4; j++) {
                w[j] = weights + (int64_t)(o + (j < nr ? j : 0)) * n;
            }
            __m128i a0 = _mm_setzero_si128(), a1 = a0, a2 = a0, a3 = a0;
            int32_t i = 0;
            for (; i < n16; i += 16) {
                const __m128i xl = _mm_load_si128((const __m128i *)(xs + i));
                const __m128i xh = _mm_load_si128((const __m128i *)(xs + i + 8));
                a0 = _mm_add_epi32(a0, mn_h_madd16(_mm_loadu_si128((const __m128i *)(w[0] + i)), xl, xh));
                a1 = _mm_add_epi32(a1, mn_h_madd16(_mm_loadu_si128((const __m128i *)(w[1] + i)), xl, xh));
                a2 = _mm_add_epi32(a2, mn_h_madd16(_mm_loadu_si128((const __m128i *)(w[2] + i)), xl, xh));
                a3 = _mm_add_epi32(a3, mn_h_madd16(_mm_loadu_si128((const __m128i *)(w[3] + i)), xl, xh));
            }
            if (i < n) {
                // 1..15 features left: weights copied into zeroed blocks
                int8_t t[4][16];
                memset(t, 0, sizeof t);
                for (int32_t j = 0; j < 4; j++) {
                    memcpy(t[j], w[j] + i, n - i);
                }
                const __m128i xl = _mm_load_si128((const __m128i *)(xs + i));
                const __m128i xh = _mm_load_si128((const __m128i *)(xs + i + 8));
                a0 = _mm_add_epi32(a0, mn_h_madd16(_mm_loadu_si128((const __m128i *)t[0]), xl, xh));
                a1 = _mm_add_epi32(a1, mn_h_madd16(_mm_loadu_si128((const __m128i *)t[1]), xl, xh));
                a2 = _mm_add_epi32(a2, mn_h_madd16(_mm_loadu_si128((const __m128i *)t[2]), xl, xh));
                a3 = _mm_add_epi32(a3, mn_h_madd16(_mm_loadu_si128((const __m128i *)t[3]), xl, xh));
            }
            int32_t s[4];
            _mm_storeu_si128((__m128i *)s, mn_h_fc_hsum4(a0, a1, a2, a3));
            for (int32_t j = 0; j < nr; j++) {
                int32_t acc = s[j] + (bias ? bias[o + j] : 0);
                const int32_t c = requant->per_channel ? o + j : 0;
                acc = mn_requantize(acc, requant->multiplier[c], requant->shift[c]) + quant->output_offset;
                output[o + j] = (int8_t)mn_clamp(acc, quant->act_min, quant->act_max);
            }
        }
    }
    return 1;
}
#endif
