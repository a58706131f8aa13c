// Host (x86-64 SSE2) path of mn_conv2d_s8: equal to mn_conv2d_s8_ref byte for byte.
//
// Four output pixels at a time: each pixel's K = k_h * k_w * in_c window values as int8, a
// pointer into the input when the window is one contiguous run (1x1 kernels inside the
// input), else gathered into the scratch (padding taps hold -input_offset, so that
// x + input_offset is 0 there: -input_offset is in [-128, 127]). Then 4 pixels x 2 output
// channels per step: 16 window values widened to int16 (+ input_offset) and 16 weights to
// int16, PMADDWD into int32 lanes. Requantization per output as mn_rq (mn_fast.h).
//
// Scratch (mn_conv2d_s8_scratch_size): mn_rq_t [out_c], then 4 * ceil4(K) bytes: four int8
// windows of ceil4(K) bytes.
#include "mn_variants.h"

#if MN_HOST_SIMD
#include <emmintrin.h>
#include <string.h>

#include "mn_fast.h"

// 16 int8 -> two vectors of 8 int16.
MN_INLINE void mn_h_widen(__m128i v, __m128i *lo, __m128i *hi) {
    const __m128i s = _mm_cmpgt_epi8(_mm_setzero_si128(), v);
    *lo = _mm_unpacklo_epi8(v, s);
    *hi = _mm_unpackhi_epi8(v, s);
}

// [sum a, sum b, sum c, sum d] of four vectors of int32 lanes.
MN_INLINE __m128i mn_h_hsum4(__m128i a, __m128i b, __m128i c, __m128i d) {
    const __m128i ab = _mm_add_epi32(_mm_unpacklo_epi32(a, b), _mm_unpackhi_epi32(a, b));
    const __m128i cd = _mm_add_epi32(_mm_unpacklo_epi32(c, d), _mm_unpackhi_epi32(c, d));
    return _mm_add_epi32(_mm_unpacklo_epi64(ab, cd), _mm_unpackhi_epi64(ab, cd));
}

// s[j][p] = sum_k (x[p][k] + off) * w_j[k], p < 4, j < 2, over k < K.
static void mn_h_dot4x2(const int8_t *const x[4], const int8_t *w0, const int8_t *w1, int32_t K,
    int32_t off, int32_t s[2][4]) {
    const __m128i o16 = _mm_set1_epi16((int16_t)off);
    __m128i a00 = _mm_setzero_si128(), a01 = a00, a02 = a00, a03 = a00;
    __m128i a10 = a00, a11 = a00, a12 = a00, a13 = a00;
    int32_t k = 0;
    // acc[j][p] += (x[p] + off) . w_j over 8 values (int16 vectors)
    #define MN_H_STEP(xl, xh, wl0, wh0, wl1, wh1, P, A0, A1) do { \
        const __m128i u = _mm_add_epi16(xl, o16), v = _mm_add_epi16(xh, o16); \
        A0 = _mm_add_epi32(A0, _mm_add_epi32(_mm_madd_epi16(u, wl0), _mm_madd_epi16(v, wh0))); \
        A1 = _mm_add_epi32(A1, _mm_add_epi32(_mm_madd_epi16(u, wl1), _mm_madd_epi16(v, wh1))); \
    } while (0)
    for (; k + 16 <= K; k += 16) {
        __m128i wl0, wh0, wl1, wh1, xl, xh;
        mn_h_widen(_mm_loadu_si128((const __m128i *)(w0 + k)), &wl0, &wh0);
        mn_h_widen(_mm_loadu_si128((const __m128i *)(w1 + k)), &wl1, &wh1);
        mn_h_widen(_mm_loadu_si128((const __m128i *)(x[0] + k)), &xl, &xh);
        MN_H_STEP(xl, xh, wl0, wh0, wl1, wh1, 0, a00, a10);
        mn_h_widen(_mm_loadu_si128((const __m128i *)(x[1] + k)), &xl, &xh);
        MN_H_STEP(xl, xh, wl0, wh0, wl1, wh1, 1, a01, a11);
        mn_h_widen(_mm_loadu_si128((const __m128i *)(x[2] + k)), &xl, &xh);
        MN_H_STEP(xl, xh, wl0, wh0, wl1, wh1, 2, a02, a12);
        mn_h_widen(_mm_loadu_si128((const __m128i *)(x[3] + k)), &xl, &xh);
        MN_H_STEP(xl, xh, wl0, wh0, wl1, wh1, 3, a03, a13);
    }
    if (k < K) {
        // tail of 1..15 values: copied into zeroed 16-byte blocks (weights 0 there)
        int8_t t[6][16];
        memset(t, 0, sizeof t);
        const int32_t n = K - k;
        memcpy(t[0], w0 + k, n);
        memcpy(t[1], w1 + k, n);
        for (int32_t p = 0; p < 4; p++) {
            memcpy(t[2 + p], x[p] + k, n);
        }
        __m128i wl0, wh0, wl1, wh1, xl, xh;
        mn_h_widen(_mm_loadu_si128((const __m128i *)t[0]), &wl0, &wh0);
        mn_h_widen(_mm_loadu_si128((const __m128i *)t[1]), &wl1, &wh1);
        mn_h_widen(_mm_loadu_si128((const __m128i *)t[2]), &xl, &xh);
        MN_H_STEP(xl, xh, wl0, wh0, wl1, wh1, 0, a00, a10);
        mn_h_widen(_mm_loadu_si128((const __m128i *)t[3]), &xl, &xh);
        MN_H_STEP(xl, xh, wl0, wh0, wl1, wh1, 1, a01, a11);
        mn_h_widen(_mm_loadu_si128((const __m128i *)t[4]), &xl, &xh);
        MN_H_STEP(xl, xh, wl0, wh0, wl1, wh1, 2, a02, a12);
        mn_h_widen(_mm_loadu_si128((const __m128i *)t[5]), &xl, &xh);
        MN_H_STEP(xl, xh, wl0, wh0, wl1, wh1, 3, a03, a13);
    }
    #undef MN_H_STEP
    _mm_storeu_si128((__m128i *)s[0], mn_h_hsum4(a00, a01, a02, a03));
    _mm_storeu_si128((__m128i *)s[1], mn_h_hsum4(a10, a11, a12, a13));
}

// The window of output pixel (oy, ox): a pointer into the input when it is one contiguous
// run, else gathered into col (K bytes, -off in the padding).
static const int8_t *mn_h_window(int8_t *col, const int8_t *in_b, const int32_t *P, int32_t oy,
    int32_t ox) {
    const int32_t in_h = P[MN_CONV_IN_H], in_w = P[MN_CONV_IN_W], in_c = P[MN_CONV_IN_C];
    const int32_t k_h = P[MN_CONV_K_H], k_w = P[MN_CONV_K_W];
    const int32_t dil_h = P[MN_CONV_DIL_H], dil_w = P[MN_CONV_DIL_W];
    const int8_t pad = (int8_t)-P[MN_CONV_INPUT_OFFSET];
    const int32_t y0 = oy * P[MN_CONV_STRIDE_H] - P[MN_CONV_PAD_TOP];
    const int32_t x0 = ox * P[MN_CONV_STRIDE_W] - P[MN_CONV_PAD_LEFT];
    const int32_t row_len = k_w * in_c;
    const int inside = y0 >= 0 && x0 >= 0 && y0 + (k_h - 1) * dil_h < in_h && x0 + (k_w - 1) * dil_w < in_w;
    if (inside && (k_h == 1 || (dil_h == 1 && in_w == k_w)) && (k_w == 1 || dil_w == 1)) {
        return in_b + (y0 * in_w + x0) * in_c;
    }
    int32_t ky0, ky1, kx0, kx1;
    mn_tap_range(y0, dil_h, in_h, k_h, &ky0, &ky1);
    mn_tap_range(x0, dil_w, in_w, k_w, &kx0, &kx1);
    for (int32_t ky = 0; ky < k_h; ky++) {
        int8_t *dst = col + ky * row_len;
        if (ky < ky0 || ky >= ky1 || kx1 <= kx0) {
            memset(dst, pad, row_len);
            continue;
        }
        const int8_t *row = in_b + (y0 + ky * dil_h) * in_w * in_c;
        if (dil_w == 1) {
            memset(dst, pad, kx0 * in_c);
            memcpy(dst + kx0 * in_c, row + (x0 + kx0) * in_c, (kx1 - kx0) * in_c);
            memset(dst + kx1 * in_c, pad, (k_w - kx1) * in_c);
        } else {
            for (int32_t kx = 0; kx < k_w; kx++) {
                if (kx < kx0 || kx >= kx1) {
                    memset(dst + kx * in_c, pad, in_c);
                } else {
                    memcpy(dst + kx * in_c, row + (x0 + kx * dil_w) * in_c, in_c);
                }
            }
        }
    }
    return col;
}

MN_INLINE int8_t mn_h_out(int32_t acc, const mn_rq_t *r, int32_t out_off, int32_t lo, int32_t hi) {
    return (int8_t)mn_clamp(mn_rq(acc, r) + out_off, lo, hi);
}

int mn_conv2d_s8_sse2(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *p, const mn_requant_t *requant, void *scratch) {
    const int32_t in_h = p[MN_CONV_IN_H], in_w = p[MN_CONV_IN_W], in_c = p[MN_CONV_IN_C];
    const int32_t out_h = p[MN_CONV_OUT_H], out_w = p[MN_CONV_OUT_W], out_c = p[MN_CONV_OUT_C];
    const int32_t K = p[MN_CONV_K_H] * p[MN_CONV_K_W] * in_c;
    if (scratch == NULL || mn_conv2d_s8_scratch_size(p) == 0) {
        return 0;
    }
    mn_rq_t *rq = scratch;
    for (int32_t c = 0; c < out_c; c++) {
        const int32_t i = requant->per_channel ? c : 0;
        mn_rq_make(&rq[c], requant->multiplier[i], requant->shift[i], K, bias ? bias[c] : 0);
    }
    const int32_t kp = (K + 3) & ~3;
    int8_t *col = (int8_t *)(rq + out_c);
    const int32_t off = p[MN_CONV_INPUT_OFFSET], out_off = p[MN_CONV_OUTPUT_OFFSET];
    const int32_t lo = p[MN_CONV_ACT_MIN], hi = p[MN_CONV_ACT_MAX];
    const int32_t pixels = out_h * out_w;
    for (int32_t b = 0; b < p[MN_CONV_N]; b++) {
        const int8_t *in_b = input + b * in_h * in_w * in_c;
        int8_t *out_b = output + b * pixels * out_c;
        for (int32_t q = 0; q < pixels; q += 4) {
            // output pixels q..q+np-1; missing ones (np < 4) repeat pixel q, not stored
            const int32_t np = pixels - q < 4 ? pixels - q : 4;
            const int8_t *x[4];
            for (int32_t j = 0; j < 4; j++) {
                const int32_t qq = q + (j < np ? j : 0);
                x[j] = j < np ? mn_h_window(col + j * kp, in_b, p, qq / out_w, qq % out_w) : x[0];
            }
            int8_t *out = out_b + q * out_c;
            // weights (2, K) @ windows (4, K) -> outputs [4][2]
            for (int32_t oc = 0; oc < out_c; oc += 2) {
                const int32_t two = oc + 1 < out_c;
                const int8_t *w0 = weights + oc * K;
                int32_t s[2][4];
                mn_h_dot4x2(x, w0, two ? w0 + K : w0, K, off, s);
                const int32_t b0 = bias ? bias[oc] : 0, b1 = bias && two ? bias[oc + 1] : 0;
                for (int32_t j = 0; j < np; j++) {
                    out[j * out_c + oc] = mn_h_out(s[0][j] + b0, &rq[oc], out_off, lo, hi);
                    if (two) {
                        out[j * out_c + oc + 1] = mn_h_out(s[1][j] + b1, &rq[oc + 1], out_off, lo, hi);
                    }
                }
            }
        }
    }
    return 1;
}
#endif
