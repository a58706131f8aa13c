// Host (x86-64 SSE2) path of mn_depthwise_conv2d_s8, depth multiplier 1: equal to
// mn_depthwise_conv2d_s8_ref byte for byte.
//
// Per output pixel, 16 (then 8) channels at a time over the taps inside the input: 16 input
// values widened to int16 with the input offset added (|x + offset| <= 255), 16 weights
// widened to int16; PMULLW/PMULHW give the low and high halves of each exact 32-bit product,
// interleaved into int32 lanes and accumulated. Left-over channels (< 8) in scalar.
// Requantization per output as mn_rq (mn_fast.h), table in the kernel's scratch.
#include "mn_variants.h"

#if MN_HOST_SIMD
#include <emmintrin.h>

#include "mn_fast.h"

// acc[0..3] (channels c..c+15 as int32) += (x + off) * w over 16 channels.
MN_INLINE void mn_h_dw_mac16(__m128i acc[4], const int8_t *x, const int8_t *w, __m128i o16) {
    const __m128i z = _mm_setzero_si128();
    const __m128i xv = _mm_loadu_si128((const __m128i *)x), wv = _mm_loadu_si128((const __m128i *)w);
    const __m128i sx = _mm_cmpgt_epi8(z, xv), sw = _mm_cmpgt_epi8(z, wv);
    const __m128i x0 = _mm_add_epi16(_mm_unpacklo_epi8(xv, sx), o16);
    const __m128i x1 = _mm_add_epi16(_mm_unpackhi_epi8(xv, sx), o16);
    const __m128i w0 = _mm_unpacklo_epi8(wv, sw), w1 = _mm_unpackhi_epi8(wv, sw);
    const __m128i l0 = _mm_mullo_epi16(x0, w0), h0 = _mm_mulhi_epi16(x0, w0);
    const __m128i l1 = _mm_mullo_epi16(x1, w1), h1 = _mm_mulhi_epi16(x1, w1);
    acc[0] = _mm_add_epi32(acc[0], _mm_unpacklo_epi16(l0, h0));
    acc[1] = _mm_add_epi32(acc[1], _mm_unpackhi_epi16(l0, h0));
    acc[2] = _mm_add_epi32(acc[2], _mm_unpacklo_epi16(l1, h1));
    acc[3] = _mm_add_epi32(acc[3], _mm_unpackhi_epi16(l1, h1));
}

// acc[0..1] (channels c..c+7) += (x + off) * w over 8 channels.
MN_INLINE void mn_h_dw_mac8(__m128i acc[2], const int8_t *x, const int8_t *w, __m128i o16) {
    const __m128i z = _mm_setzero_si128();
    const __m128i xv = _mm_loadl_epi64((const __m128i *)x), wv = _mm_loadl_epi64((const __m128i *)w);
    const __m128i x0 = _mm_add_epi16(_mm_unpacklo_epi8(xv, _mm_cmpgt_epi8(z, xv)), o16);
    const __m128i w0 = _mm_unpacklo_epi8(wv, _mm_cmpgt_epi8(z, wv));
    const __m128i l0 = _mm_mullo_epi16(x0, w0), h0 = _mm_mulhi_epi16(x0, w0);
    acc[0] = _mm_add_epi32(acc[0], _mm_unpacklo_epi16(l0, h0));
    acc[1] = _mm_add_epi32(acc[1], _mm_unpackhi_epi16(l0, h0));
}

MN_INLINE __m128i mn_h_dw_bias4(const int32_t *bias, int32_t c) {
    return bias ? _mm_loadu_si128((const __m128i *)(bias + c)) : _mm_setzero_si128();
}

int mn_depthwise_conv2d_s8_sse2(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *p, const mn_requant_t *requant, void *scratch) {
    const int32_t in_h = p[MN_CONV_IN_H], in_w = p[MN_CONV_IN_W], C = p[MN_CONV_IN_C];
    const int32_t out_h = p[MN_CONV_OUT_H], out_w = p[MN_CONV_OUT_W];
    const int32_t k_h = p[MN_CONV_K_H], k_w = p[MN_CONV_K_W];
    const int32_t dil_h = p[MN_CONV_DIL_H], dil_w = p[MN_CONV_DIL_W];
    if (p[MN_CONV_DEPTH_MULT] != 1 || scratch == NULL || mn_depthwise_conv2d_s8_scratch_size(p) == 0) {
        return 0;
    }
    mn_rq_t *rq = scratch;
    for (int32_t c = 0; c < C; c++) {
        const int32_t i = requant->per_channel ? c : 0;
        mn_rq_make(&rq[c], requant->multiplier[i], requant->shift[i], k_h * k_w, bias ? bias[c] : 0);
    }
    const int32_t off = p[MN_CONV_INPUT_OFFSET], out_off = p[MN_CONV_OUTPUT_OFFSET];
    const int32_t lo = p[MN_CONV_ACT_MIN], hi = p[MN_CONV_ACT_MAX];
    const __m128i o16 = _mm_set1_epi16((int16_t)off);
    const int32_t C16 = C & ~15, C8 = C & ~7;
    for (int32_t b = 0; b < p[MN_CONV_N]; b++) {
        const int8_t *in_b = input + b * in_h * in_w * C;
        for (int32_t oy = 0; oy < out_h; oy++) {
            const int32_t y0 = oy * p[MN_CONV_STRIDE_H] - p[MN_CONV_PAD_TOP];
            int32_t ky0, ky1;
            mn_tap_range(y0, dil_h, in_h, k_h, &ky0, &ky1);
            for (int32_t ox = 0; ox < out_w; ox++, output += C) {
                const int32_t x0 = ox * p[MN_CONV_STRIDE_W] - p[MN_CONV_PAD_LEFT];
                int32_t kx0, kx1;
                mn_tap_range(x0, dil_w, in_w, k_w, &kx0, &kx1);
                // output [C] <- sum over taps (ky, kx) inside the input of
                // (input[y0 + ky * dil_h, x0 + kx * dil_w, c] + off) * weights[ky, kx, c] + bias[c]
                int32_t s[16];
                for (int32_t c = 0; c < C; ) {
                    const int32_t n = c < C16 ? 16 : (c < C8 ? 8 : 1);
                    if (n == 1) {
                        s[0] = bias ? bias[c] : 0;
                    }
                    __m128i acc[4];
                    acc[0] = n > 1 ? mn_h_dw_bias4(bias, c) : _mm_setzero_si128();
                    acc[1] = n > 1 ? mn_h_dw_bias4(bias, c + 4) : _mm_setzero_si128();
                    acc[2] = n > 8 ? mn_h_dw_bias4(bias, c + 8) : _mm_setzero_si128();
                    acc[3] = n > 8 ? mn_h_dw_bias4(bias, c + 12) : _mm_setzero_si128();
                    for (int32_t ky = ky0; ky < ky1; ky++) {
                        const int8_t *xr = in_b + ((y0 + ky * dil_h) * in_w + x0) * C + c;
                        const int8_t *wr = weights + ky * k_w * C + c;
                        for (int32_t kx = kx0; kx < kx1; kx++) {
                            const int8_t *xp = xr + kx * dil_w * C, *wp = wr + kx * C;
                            if (n == 16) {
                                mn_h_dw_mac16(acc, xp, wp, o16);
                            } else if (n == 8) {
                                mn_h_dw_mac8(acc, xp, wp, o16);
                            } else {
                                s[0] += (*xp + off) * *wp;
                            }
                        }
                    }
                    if (n > 1) {
                        for (int32_t j = 0; j < n / 4; j++) {
                            _mm_storeu_si128((__m128i *)(s + 4 * j), acc[j]);
                        }
                    }
                    for (int32_t j = 0; j < n; j++, c++) {
                        output[c] = (int8_t)mn_clamp(mn_rq(s[j], &rq[c]) + out_off, lo, hi);
                    }
                }
            }
        }
    }
    return 1;
}
#endif
