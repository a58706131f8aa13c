// NN area: TRANSPOSE_CONV int8 (per-channel weights), as TFLite Micro's reference
// (reference_integer_ops::TransposeConv): each input pixel scatters (x + input_offset) * w into
// the int32 accumulators (scratch) of the output positions its filter window covers; then
// every accumulator + bias is requantized with its channel's multiplier and shift. One batch at
// a time (TFLM scatters every batch first: the sums are the same). The sums wrap as int32, so
// any order gives TFLM's bits.
//   input   [N, in_h, in_w, in_c]
//   weights [k_h, k_w, out_c, in_c] (the converter's per-tap order of TFLite's [out_c, k_h, k_w, in_c])
//   scratch [out_h, out_w, out_c] int32
//   output  [N, out_h, out_w, out_c]
// mn_transpose_conv_s8_ref is the plain C reference, in TFLM's loop order; mn_transpose_conv_s8
// the optimized kernel, equal to it: per input pixel and filter row one GEMV, the filter row's
// taps (k_w x out_c rows of in_c weights, contiguous) against the pixel's in_c inputs, added
// into the accumulators of the output positions in a row (contiguous too); the per-row dot
// products are the FULLY_CONNECTED kernel's SMLAD passes on ARMv7E-M (DSP) and PMADDWD on
// x86-64 (SSE2).
#include "micronn_config.h"
#if MICRONN_OP_NN

#include "micronn.h"
#include "mn_fast.h"
#include "mn_variants.h"

#if MN_HOST_SIMD
#include <emmintrin.h>
#endif

#define MN_TC_GEOMETRY \
    const int32_t in_h = p[MN_TCONV_IN_H], in_w = p[MN_TCONV_IN_W], in_c = p[MN_TCONV_IN_C]; \
    const int32_t out_h = p[MN_TCONV_OUT_H], out_w = p[MN_TCONV_OUT_W], out_c = p[MN_TCONV_OUT_C]; \
    const int32_t k_h = p[MN_TCONV_K_H], k_w = p[MN_TCONV_K_W]; \
    const int32_t s_h = p[MN_TCONV_STRIDE_H], s_w = p[MN_TCONV_STRIDE_W]; \
    const int32_t pad_t = p[MN_TCONV_PAD_TOP], pad_l = p[MN_TCONV_PAD_LEFT]; \
    const int32_t in_off = p[MN_TCONV_INPUT_OFFSET], out_off = p[MN_TCONV_OUTPUT_OFFSET]; \
    const int32_t lo = p[MN_TCONV_ACT_MIN], hi = p[MN_TCONV_ACT_MAX]; \
    const int32_t plane = out_h * out_w * out_c

void mn_transpose_conv_s8_ref(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *multiplier, const int32_t *shift, int32_t *scratch,
    const int32_t *p) {
    MN_TC_GEOMETRY;
    for (int32_t b = 0; b < p[MN_TCONV_N]; b++) {
        for (int32_t i = 0; i < plane; i++) {
            scratch[i] = 0;
        }
        for (int32_t iy = 0; iy < in_h; iy++) {
            for (int32_t ix = 0; ix < in_w; ix++) {
                const int8_t *x = input + ((b * in_h + iy) * in_w + ix) * in_c;
                for (int32_t ic = 0; ic < in_c; ic++) {
                    const int32_t v = x[ic] + in_off;
                    for (int32_t fy = 0; fy < k_h; fy++) {
                        const int32_t oy = iy * s_h - pad_t + fy;
                        for (int32_t fx = 0; fx < k_w; fx++) {
                            const int32_t ox = ix * s_w - pad_l + fx;
                            if (oy < 0 || oy >= out_h || ox < 0 || ox >= out_w) {
                                continue;
                            }
                            int32_t *acc = scratch + (oy * out_w + ox) * out_c;
                            const int8_t *w = weights + (fy * k_w + fx) * out_c * in_c + ic;
                            for (int32_t oc = 0; oc < out_c; oc++) {
                                acc[oc] = (int32_t)((uint32_t)acc[oc] + (uint32_t)(v * w[oc * in_c]));
                            }
                        }
                    }
                }
            }
        }
        int8_t *y = output + b * plane;
        for (int32_t i = 0; i < plane; i += out_c) {
            for (int32_t oc = 0; oc < out_c; oc++) {
                const int32_t acc = (int32_t)((uint32_t)scratch[i + oc] + (uint32_t)bias[oc]);
                const int32_t v = mn_requantize(acc, multiplier[oc], shift[oc]) + out_off;
                y[i + oc] = (int8_t)mn_clamp(v, lo, hi);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Optimized kernel.

// mn_dot_rows_s8 (micronn.h): acc[r] += sum_i (x[i] + off) * w[r * n + i] for r < rows.
#if MN_ARM_DSP
#define MN_TC_SHORT 24
// Rows of up to MN_TC_SHORT features: two rows at a time in C (less set-up per row than the
// FC's passes, which take the longer rows).
static void mn_tc_rows_short(const int8_t *x, int32_t n, int32_t off, const int8_t *w, int32_t rows,
    int32_t *acc) {
    int32_t xw[MN_TC_SHORT / 2];
    const int32_t off2 = (int32_t)(((uint32_t)off & 0xFFFFu) | ((uint32_t)off << 16));
    for (int32_t c0 = 0; c0 < n; c0 += MN_TC_SHORT) {
        const int32_t len = n - c0 < MN_TC_SHORT ? n - c0 : MN_TC_SHORT;
        const int32_t g = len >> 2; // groups of 4 features
        // (x0, x2), (x1, x3) + off: the lanes SXTB16 and SXTB16 ROR 8 take from a weight word
        for (int32_t j = 0; j < g; j++) {
            const int32_t v = mn_read_s32(x + c0 + 4 * j);
            xw[2 * j] = mn_sxtab16(off2, v);
            xw[2 * j + 1] = mn_sxtab16_ror8(off2, v);
        }
        int32_t r = 0;
        // rows r, r + 1: W (2, len) @ (x + off) (len,)
        for (; r + 2 <= rows; r += 2) {
            const int8_t *w0 = w + r * n + c0, *w1 = w0 + n;
            int32_t s0 = 0, s1 = 0;
            const int32_t *xp = xw;
            for (int32_t j = 0; j < g; j++, xp += 2, w0 += 4, w1 += 4) {
                const int32_t a = xp[0], bb = xp[1];
                const int32_t u0 = mn_read_s32(w0), u1 = mn_read_s32(w1);
                s0 = mn_smlad(mn_sxtb16(u0), a, s0);
                s1 = mn_smlad(mn_sxtb16(u1), a, s1);
                s0 = mn_smlad(mn_sxtb16_ror8(u0), bb, s0);
                s1 = mn_smlad(mn_sxtb16_ror8(u1), bb, s1);
            }
            for (int32_t i = c0 + 4 * g; i < c0 + len; i++, w0++, w1++) {
                const int32_t v = x[i] + off;
                s0 += v * *w0;
                s1 += v * *w1;
            }
            acc[r] = (int32_t)((uint32_t)acc[r] + (uint32_t)s0);
            acc[r + 1] = (int32_t)((uint32_t)acc[r + 1] + (uint32_t)s1);
        }
        if (r < rows) {
            const int8_t *w0 = w + r * n + c0;
            int32_t s0 = 0;
            const int32_t *xp = xw;
            for (int32_t j = 0; j < g; j++, xp += 2, w0 += 4) {
                const int32_t u0 = mn_read_s32(w0);
                s0 = mn_smlad(mn_sxtb16(u0), xp[0], s0);
                s0 = mn_smlad(mn_sxtb16_ror8(u0), xp[1], s0);
            }
            for (int32_t i = c0 + 4 * g; i < c0 + len; i++, w0++) {
                s0 += (x[i] + off) * *w0;
            }
            acc[r] = (int32_t)((uint32_t)acc[r] + (uint32_t)s0);
        }
    }
}
// Longer rows: the FULLY_CONNECTED kernel's SMLAD passes (kernels/mn_fully_connected_s8_dsp.c).
void mn_dot_rows_s8(const int8_t *x, int32_t n, int32_t off, const int8_t *w, int32_t rows,
    int32_t *acc) {
    if (n <= MN_TC_SHORT) {
        mn_tc_rows_short(x, n, off, w, rows, acc);
    } else {
        mn_fc_dot_rows_dsp(x, n, off, w, rows, acc);
    }
}
#elif MN_HOST_SIMD
MN_INLINE __m128i mn_tc_madd16(const int8_t *w, __m128i xl, __m128i xh) {
    const __m128i w8 = _mm_loadu_si128((const __m128i *)w);
    const __m128i s = _mm_cmpgt_epi8(_mm_setzero_si128(), w8);
    return _mm_add_epi32(_mm_madd_epi16(_mm_unpacklo_epi8(w8, s), xl),
        _mm_madd_epi16(_mm_unpackhi_epi8(w8, s), xh));
}

void mn_dot_rows_s8(const int8_t *x, int32_t n, int32_t off, const int8_t *w, int32_t rows,
    int32_t *acc) {
    const int32_t n16 = n & ~15;
    const __m128i o16 = _mm_set1_epi16((int16_t)off);
    // rows r..r+3: W (4, n) @ (x + off) (n,); a short last group repeats row r
    for (int32_t r = 0; r < rows; r += 4) {
        const int32_t nr = rows - r < 4 ? rows - r : 4;
        const int8_t *wr[4];
        for (int32_t j = 0; j < 4; j++) {
            wr[j] = w + (r + (j < nr ? j : 0)) * n;
        }
        __m128i a0 = _mm_setzero_si128(), a1 = a0, a2 = a0, a3 = a0;
        int32_t i = 0;
        for (; i < n16; i += 16) {
            const __m128i x8 = _mm_loadu_si128((const __m128i *)(x + i));
            const __m128i sx = _mm_cmpgt_epi8(_mm_setzero_si128(), x8);
            const __m128i xl = _mm_add_epi16(_mm_unpacklo_epi8(x8, sx), o16);
            const __m128i xh = _mm_add_epi16(_mm_unpackhi_epi8(x8, sx), o16);
            a0 = _mm_add_epi32(a0, mn_tc_madd16(wr[0] + i, xl, xh));
            a1 = _mm_add_epi32(a1, mn_tc_madd16(wr[1] + i, xl, xh));
            a2 = _mm_add_epi32(a2, mn_tc_madd16(wr[2] + i, xl, xh));
            a3 = _mm_add_epi32(a3, mn_tc_madd16(wr[3] + i, xl, xh));
        }
        // [sum a0, sum a1, sum a2, sum a3]
        const __m128i ab = _mm_add_epi32(_mm_unpacklo_epi32(a0, a1), _mm_unpackhi_epi32(a0, a1));
        const __m128i cd = _mm_add_epi32(_mm_unpacklo_epi32(a2, a3), _mm_unpackhi_epi32(a2, a3));
        int32_t s[4];
        _mm_storeu_si128((__m128i *)s, _mm_add_epi32(_mm_unpacklo_epi64(ab, cd), _mm_unpackhi_epi64(ab, cd)));
        for (; i < n; i++) {
            const int32_t v = x[i] + off;
            for (int32_t j = 0; j < 4; j++) {
                s[j] += v * wr[j][i];
            }
        }
        for (int32_t j = 0; j < nr; j++) {
            acc[r + j] = (int32_t)((uint32_t)acc[r + j] + (uint32_t)s[j]);
        }
    }
}
#else
void mn_dot_rows_s8(const int8_t *x, int32_t n, int32_t off, const int8_t *w, int32_t rows,
    int32_t *acc) {
    int32_t r = 0;
    // rows r..r+3: W (4, n) @ (x + off) (n,)
    for (; r + 4 <= rows; r += 4) {
        const int8_t *w0 = w + r * n, *w1 = w0 + n, *w2 = w1 + n, *w3 = w2 + n;
        int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int32_t i = 0; i < n; i++) {
            const int32_t v = x[i] + off;
            s0 += v * w0[i];
            s1 += v * w1[i];
            s2 += v * w2[i];
            s3 += v * w3[i];
        }
        acc[r] = (int32_t)((uint32_t)acc[r] + (uint32_t)s0);
        acc[r + 1] = (int32_t)((uint32_t)acc[r + 1] + (uint32_t)s1);
        acc[r + 2] = (int32_t)((uint32_t)acc[r + 2] + (uint32_t)s2);
        acc[r + 3] = (int32_t)((uint32_t)acc[r + 3] + (uint32_t)s3);
    }
    for (; r < rows; r++) {
        const int8_t *w0 = w + r * n;
        int32_t s0 = 0;
        for (int32_t i = 0; i < n; i++) {
            s0 += (x[i] + off) * w0[i];
        }
        acc[r] = (int32_t)((uint32_t)acc[r] + (uint32_t)s0);
    }
}
#endif

#define MN_TC_RQ_BLOCK 32

void mn_transpose_conv_s8(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *multiplier, const int32_t *shift, int32_t *scratch,
    const int32_t *p) {
    MN_TC_GEOMETRY;
    // products summed into one output at most: in_c per covering tap
    const int32_t taps = in_c * ((k_h + s_h - 1) / s_h) * ((k_w + s_w - 1) / s_w);
    mn_rq_t rq[MN_TC_RQ_BLOCK];
    for (int32_t b = 0; b < p[MN_TCONV_N]; b++) {
        for (int32_t i = 0; i < plane; i++) {
            scratch[i] = 0;
        }
        for (int32_t iy = 0; iy < in_h; iy++) {
            const int32_t oy0 = iy * s_h - pad_t;
            const int32_t fy0 = oy0 < 0 ? -oy0 : 0, fy1 = out_h - oy0 < k_h ? out_h - oy0 : k_h;
            for (int32_t ix = 0; ix < in_w; ix++) {
                const int32_t ox0 = ix * s_w - pad_l;
                const int32_t fx0 = ox0 < 0 ? -ox0 : 0, fx1 = out_w - ox0 < k_w ? out_w - ox0 : k_w;
                if (fx1 <= fx0) {
                    continue;
                }
                const int8_t *x = input + ((b * in_h + iy) * in_w + ix) * in_c;
                for (int32_t fy = fy0; fy < fy1; fy++) {
                    // acc[ox0 + fx0 .. ox0 + fx1 - 1, :] (taps x out_c,) +=
                    //   W[fy, fx0 .. fx1 - 1] (taps x out_c, in_c) @ (x + in_off) (in_c,)
                    mn_dot_rows_s8(x, in_c, in_off, weights + (fy * k_w + fx0) * out_c * in_c,
                        (fx1 - fx0) * out_c, scratch + ((oy0 + fy) * out_w + ox0 + fx0) * out_c);
                }
            }
        }
        int8_t *y = output + b * plane;
        for (int32_t c0 = 0; c0 < out_c; c0 += MN_TC_RQ_BLOCK) {
            const int32_t nc = out_c - c0 < MN_TC_RQ_BLOCK ? out_c - c0 : MN_TC_RQ_BLOCK;
            for (int32_t c = 0; c < nc; c++) {
                mn_rq_make(&rq[c], multiplier[c0 + c], shift[c0 + c], taps, bias[c0 + c]);
            }
            for (int32_t i = c0; i < plane; i += out_c) {
                for (int32_t c = 0; c < nc; c++) {
                    const int32_t acc = (int32_t)((uint32_t)scratch[i + c] + (uint32_t)bias[c0 + c]);
                    y[i + c] = (int8_t)mn_clamp(mn_rq(acc, &rq[c]) + out_off, lo, hi);
                }
            }
        }
    }
}

#endif // MICRONN_OP_NN
