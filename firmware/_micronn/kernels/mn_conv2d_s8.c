// Convolution int8: the plain C reference (mn_conv2d_s8_ref, bit-exact with TFLite Micro's
// ConvPerChannel) and the optimized kernel (mn_conv2d_s8), equal to it byte for byte.
#include "mn_fast.h"
#include "mn_mve.h"
#include "mn_host.h"

void mn_conv2d_s8_ref(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *p, const mn_requant_t *requant) {
    const int32_t batches = p[MN_CONV_N];
    const int32_t in_h = p[MN_CONV_IN_H], in_w = p[MN_CONV_IN_W], in_c = p[MN_CONV_IN_C];
    const int32_t out_h = p[MN_CONV_OUT_H], out_w = p[MN_CONV_OUT_W], out_c = p[MN_CONV_OUT_C];
    const int32_t k_h = p[MN_CONV_K_H], k_w = p[MN_CONV_K_W];
    const int32_t stride_h = p[MN_CONV_STRIDE_H], stride_w = p[MN_CONV_STRIDE_W];
    const int32_t dil_h = p[MN_CONV_DIL_H], dil_w = p[MN_CONV_DIL_W];
    const int32_t in_off = p[MN_CONV_INPUT_OFFSET], out_off = p[MN_CONV_OUTPUT_OFFSET];
    const int32_t act_min = p[MN_CONV_ACT_MIN], act_max = p[MN_CONV_ACT_MAX];

    for (int32_t b = 0; b < batches; b++) {
        const int8_t *in_b = input + b * in_h * in_w * in_c;
        for (int32_t oy = 0; oy < out_h; oy++) {
            const int32_t y0 = oy * stride_h - p[MN_CONV_PAD_TOP];
            int32_t ky0, ky1;
            mn_tap_range(y0, dil_h, in_h, k_h, &ky0, &ky1);
            for (int32_t ox = 0; ox < out_w; ox++) {
                const int32_t x0 = ox * stride_w - p[MN_CONV_PAD_LEFT];
                int32_t kx0, kx1;
                mn_tap_range(x0, dil_w, in_w, k_w, &kx0, &kx1);
                for (int32_t oc = 0; oc < out_c; oc++) {
                    // sum over taps (ky, kx) inside the input and ic of
                    // (input[y, x, ic] + in_off) * weights[oc, ky, kx, ic]
                    const int8_t *w_oc = weights + oc * k_h * k_w * in_c;
                    int32_t acc = 0;
                    for (int32_t ky = ky0; ky < ky1; ky++) {
                        const int8_t *in_row = in_b + (y0 + ky * dil_h) * in_w * in_c;
                        for (int32_t kx = kx0; kx < kx1; kx++) {
                            const int8_t *x = in_row + (x0 + kx * dil_w) * in_c;
                            const int8_t *w = w_oc + (ky * k_w + kx) * in_c;
                            for (int32_t ic = 0; ic < in_c; ic++) {
                                acc += (x[ic] + in_off) * w[ic];
                            }
                        }
                    }
                    if (bias) {
                        acc += bias[oc];
                    }
                    const int32_t c = requant->per_channel ? oc : 0;
                    acc = mn_requantize(acc, requant->multiplier[c], requant->shift[c]) + out_off;
                    *output++ = (int8_t)mn_clamp(acc, act_min, act_max);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Optimized kernel: im2col of two output pixels into int16 scratch (input offset added,
// zero for taps in the padding), then a register-tiled product of 2 pixels x 2 output
// channels over K = k_h * k_w * in_c.
//
// Scratch: the per-channel requantization table (mn_rq_t [out_c]), then the columns. Column
// layout, per group g of four taps k = 4g..4g+3 (K rounded up to a multiple of 4):
//   int16 [8g + 4p + 0..3] = pixel p's values of taps 4g, 4g+2, 4g+1, 4g+3
// i.e. the lane order SXTB16 produces from a 32-bit load of four int8 weights (lanes 0,2,
// then lanes 1,3), so the weights are used as stored.

typedef int32_t __attribute__((may_alias)) mn_i32a_t;

#define MN_CONV_FAST_MAX_K 16384
#define MN_COL_IDX(k, p) ((((k) & ~3) << 1) + ((p) << 2) + (((k) & 1) << 1) + (((k) >> 1) & 1))

int32_t mn_conv2d_s8_scratch_size(const int32_t *p) {
    int64_t k = (int64_t)p[MN_CONV_K_H] * p[MN_CONV_K_W] * p[MN_CONV_IN_C];
    return k <= MN_CONV_FAST_MAX_K
        ? (int32_t)(16 * ((k + 3) / 4) + (int64_t)sizeof(mn_rq_t) * p[MN_CONV_OUT_C]) : 0;
}

// Column entries k..k+n-1 of pixel p <- src[0..n-1] + off.
static void mn_col_put(int16_t *col, int32_t k, int32_t p, const int8_t *src, int32_t n, int32_t off) {
    for (; n > 0 && (k & 3); n--, k++) {
        col[MN_COL_IDX(k, p)] = (int16_t)(*src++ + off);
    }
    int16_t *dst = col + (k << 1) + (p << 2);
    #if MN_ARM_DSP
    const int32_t off2 = (int32_t)(((uint32_t)off & 0xFFFFu) | ((uint32_t)off << 16));
    for (; n >= 4; n -= 4, k += 4, src += 4, dst += 8) {
        int32_t v = mn_read_s32(src);
        ((mn_i32a_t *)dst)[0] = mn_sxtab16(off2, v);
        ((mn_i32a_t *)dst)[1] = mn_sxtab16_ror8(off2, v);
    }
    #else
    for (; n >= 4; n -= 4, k += 4, src += 4, dst += 8) {
        dst[0] = (int16_t)(src[0] + off);
        dst[1] = (int16_t)(src[2] + off);
        dst[2] = (int16_t)(src[1] + off);
        dst[3] = (int16_t)(src[3] + off);
    }
    #endif
    for (; n > 0; n--, k++) {
        col[MN_COL_IDX(k, p)] = (int16_t)(*src++ + off);
    }
}

static void mn_col_zero(int16_t *col, int32_t k, int32_t p, int32_t n) {
    for (; n > 0 && (k & 3); n--, k++) {
        col[MN_COL_IDX(k, p)] = 0;
    }
    for (; n >= 4; n -= 4, k += 4) {
        ((mn_i32a_t *)(col + (k << 1) + (p << 2)))[0] = 0;
        ((mn_i32a_t *)(col + (k << 1) + (p << 2)))[1] = 0;
    }
    for (; n > 0; n--, k++) {
        col[MN_COL_IDX(k, p)] = 0;
    }
}

// Column of output pixel (oy, ox) as pixel p of the pair.
static void mn_conv_col(int16_t *col, int32_t p, const int8_t *in_b, const int32_t *P, int32_t oy, int32_t ox) {
    const int32_t in_h = P[MN_CONV_IN_H], in_w = P[MN_CONV_IN_W], in_c = P[MN_CONV_IN_C];
    const int32_t k_h = P[MN_CONV_K_H], k_w = P[MN_CONV_K_W];
    const int32_t dil_h = P[MN_CONV_DIL_H], dil_w = P[MN_CONV_DIL_W];
    const int32_t off = P[MN_CONV_INPUT_OFFSET];
    const int32_t y0 = oy * P[MN_CONV_STRIDE_H] - P[MN_CONV_PAD_TOP];
    const int32_t x0 = ox * P[MN_CONV_STRIDE_W] - P[MN_CONV_PAD_LEFT];
    const int32_t row_len = k_w * in_c;
    if (dil_w == 1 && y0 >= 0 && x0 >= 0 && y0 + (k_h - 1) * dil_h < in_h && x0 + k_w <= in_w) {
        // the whole window inside the input: one contiguous run per kernel row
        const int8_t *row = in_b + (y0 * in_w + x0) * in_c;
        for (int32_t ky = 0; ky < k_h; ky++, row += dil_h * in_w * in_c) {
            mn_col_put(col, ky * row_len, p, row, row_len, off);
        }
        return;
    }
    int32_t ky0, ky1, kx0, kx1;
    mn_tap_range(y0, dil_h, in_h, k_h, &ky0, &ky1);
    mn_tap_range(x0, dil_w, in_w, k_w, &kx0, &kx1);
    if (kx1 <= kx0) {
        kx0 = kx1 = 0;
    }
    for (int32_t ky = 0; ky < k_h; ky++) {
        const int32_t k = ky * row_len;
        if (ky < ky0 || ky >= ky1 || kx1 == 0) {
            mn_col_zero(col, k, p, row_len);
            continue;
        }
        const int8_t *row = in_b + (y0 + ky * dil_h) * in_w * in_c;
        if (dil_w == 1) {
            // taps kx0..kx1-1 are adjacent pixels: one contiguous run of the input
            mn_col_zero(col, k, p, kx0 * in_c);
            mn_col_put(col, k + kx0 * in_c, p, row + (x0 + kx0) * in_c, (kx1 - kx0) * in_c, off);
            mn_col_zero(col, k + kx1 * in_c, p, (k_w - kx1) * in_c);
        } else {
            for (int32_t kx = 0; kx < k_w; kx++) {
                if (kx < kx0 || kx >= kx1) {
                    mn_col_zero(col, k + kx * in_c, p, in_c);
                } else {
                    mn_col_put(col, k + kx * in_c, p, row + (x0 + kx * dil_w) * in_c, in_c, off);
                }
            }
        }
    }
}

MN_INLINE int8_t mn_out8(int32_t acc, const mn_rq_t *r, int32_t out_off, int32_t lo, int32_t hi) {
    return (int8_t)mn_clamp(mn_rq(acc, r) + out_off, lo, hi);
}

// out0/out1 [out_c] <- the two pixels of `col`; out1 may be NULL (single pixel).
static void mn_conv_pair(const int16_t *col, const int8_t *weights, const int32_t *bias, int8_t *out0,
    int8_t *out1, int32_t out_c, int32_t K, const mn_rq_t *rq, int32_t out_off, int32_t lo, int32_t hi,
    int fused) {
    const int32_t K4 = K & ~3;
    for (int32_t oc = 0; oc < out_c; oc += 2) {
        const int32_t two = oc + 1 < out_c;
        const int8_t *w0 = weights + oc * K;
        const int8_t *w1 = two ? w0 + K : w0;
        int32_t s00 = bias ? bias[oc] : 0;
        int32_t s01 = bias && two ? bias[oc + 1] : 0;
        int32_t s10 = s00, s11 = s01;
        #if MN_ARM_DSP
        if (K4) {
            // per group of 4 taps: 2 weight words, 2 column pairs (LDRD), 4 SXTB16, 8 SMLAD
            const int16_t *c = col;
            int32_t g = K4 >> 2, a02, a13, b02, b13, w, t;
            __asm volatile (
                "1:\n"
                "ldrd %[a02], %[a13], [%[c]], #8\n"
                "ldrd %[b02], %[b13], [%[c]], #8\n"
                "ldr %[w], [%[w0]], #4\n"
                "sxtb16 %[t], %[w]\n"
                "sxtb16 %[w], %[w], ror #8\n"
                "smlad %[s00], %[t], %[a02], %[s00]\n"
                "smlad %[s10], %[t], %[b02], %[s10]\n"
                "smlad %[s00], %[w], %[a13], %[s00]\n"
                "smlad %[s10], %[w], %[b13], %[s10]\n"
                "ldr %[w], [%[w1]], #4\n"
                "sxtb16 %[t], %[w]\n"
                "sxtb16 %[w], %[w], ror #8\n"
                "smlad %[s01], %[t], %[a02], %[s01]\n"
                "smlad %[s11], %[t], %[b02], %[s11]\n"
                "smlad %[s01], %[w], %[a13], %[s01]\n"
                "smlad %[s11], %[w], %[b13], %[s11]\n"
                "subs %[g], %[g], #1\n"
                "bne 1b\n"
                : [c] "+r" (c), [w0] "+r" (w0), [w1] "+r" (w1), [g] "+r" (g),
                  [s00] "+r" (s00), [s01] "+r" (s01), [s10] "+r" (s10), [s11] "+r" (s11),
                  [a02] "=&r" (a02), [a13] "=&r" (a13), [b02] "=&r" (b02), [b13] "=&r" (b13),
                  [w] "=&r" (w), [t] "=&r" (t)
                :
                : "cc", "memory");
        }
        #else
        const int16_t *c = col;
        for (int32_t g = K4 >> 2; g > 0; g--) {
            int32_t wa = w0[0], wb = w1[0];
            s00 += c[0] * wa;
            s01 += c[0] * wb;
            s10 += c[4] * wa;
            s11 += c[4] * wb;
            wa = w0[2];
            wb = w1[2];
            s00 += c[1] * wa;
            s01 += c[1] * wb;
            s10 += c[5] * wa;
            s11 += c[5] * wb;
            wa = w0[1];
            wb = w1[1];
            s00 += c[2] * wa;
            s01 += c[2] * wb;
            s10 += c[6] * wa;
            s11 += c[6] * wb;
            wa = w0[3];
            wb = w1[3];
            s00 += c[3] * wa;
            s01 += c[3] * wb;
            s10 += c[7] * wa;
            s11 += c[7] * wb;
            c += 8;
            w0 += 4;
            w1 += 4;
        }
        #endif
        for (int32_t k = K4; k < K; k++) {
            const int32_t a = col[MN_COL_IDX(k, 0)], b = col[MN_COL_IDX(k, 1)];
            const int32_t wa = *w0++, wb = *w1++;
            s00 += a * wa;
            s01 += a * wb;
            s10 += b * wa;
            s11 += b * wb;
        }
        #if MN_ARM_DSP
        if (fused && two) {
            // both channels, both pixels: per channel LDRD (ls1, mult), (rnd, rs); per output
            // LSL, SMMULR, (y + (y >> 31) + rnd) >> rs, SSAT 8; bytes packed as
            // [out0 oc, out0 oc+1, out1 oc, out1 oc+1], clamped four at a time (SSUB8/SEL)
            const mn_rq_t *r = &rq[oc];
            int32_t t0, t1, t2, t3;
            #define MN_CONV_RQ1(a) \
    "lsl " a ", " a ", %[t0]\n" \
    "smmulr " a ", " a ", %[t1]\n" \
    "add " a ", " a ", " a ", asr #31\n" \
    "add " a ", " a ", %[t2]\n" \
    "asr " a ", " a ", %[t3]\n" \
    "ssat " a ", #8, " a "\n"
            #define MN_CONV_RQ2(a, b, o) \
    "ldrd %[t0], %[t1], [%[q], #" #o "]\n" \
    "ldrd %[t2], %[t3], [%[q], #" #o "+8]\n" \
    MN_CONV_RQ1(a) MN_CONV_RQ1(b)
            __asm (
                MN_CONV_RQ2("%[s00]", "%[s10]", 0) MN_CONV_RQ2("%[s01]", "%[s11]", 20)
                "bfi %[s00], %[s01], #8, #8\n"
                "bfi %[s00], %[s10], #16, #8\n"
                "bfi %[s00], %[s11], #24, #8\n"
                : [s00] "+&r" (s00), [s01] "+&r" (s01), [s10] "+&r" (s10), [s11] "+&r" (s11),
                  [t0] "=&r" (t0), [t1] "=&r" (t1), [t2] "=&r" (t2), [t3] "=&r" (t3)
                : [q] "r" (r) : "memory");
            #undef MN_CONV_RQ2
            #undef MN_CONV_RQ1
            uint32_t v = (uint32_t)s00;
            if (lo > -128 || hi < 127) {
                const uint32_t lo4 = (uint8_t)lo * 0x01010101u, hi4 = (uint8_t)hi * 0x01010101u;
                uint32_t d;
                __asm ("ssub8 %1, %0, %2\n"
                       "sel %0, %0, %2\n"
                       "ssub8 %1, %3, %0\n"
                       "sel %0, %0, %3" : "+&r" (v), "=&r" (d) : "r" (lo4), "r" (hi4));
            }
            const uint16_t h0 = (uint16_t)v, h1 = (uint16_t)(v >> 16);
            __builtin_memcpy(out0 + oc, &h0, 2);
            if (out1) {
                __builtin_memcpy(out1 + oc, &h1, 2);
            }
            continue;
        }
        #endif
        if (fused) {
            const mn_rq_t *r = &rq[oc];
            out0[oc] = (int8_t)mn_clamp(mn_rq_fused1(s00, r), lo, hi);
            if (out1) {
                out1[oc] = (int8_t)mn_clamp(mn_rq_fused1(s10, r), lo, hi);
            }
            if (two) {
                out0[oc + 1] = (int8_t)mn_clamp(mn_rq_fused1(s01, r + 1), lo, hi);
                if (out1) {
                    out1[oc + 1] = (int8_t)mn_clamp(mn_rq_fused1(s11, r + 1), lo, hi);
                }
            }
            continue;
        }
        out0[oc] = mn_out8(s00, &rq[oc], out_off, lo, hi);
        if (out1) {
            out1[oc] = mn_out8(s10, &rq[oc], out_off, lo, hi);
        }
        if (two) {
            out0[oc + 1] = mn_out8(s01, &rq[oc + 1], out_off, lo, hi);
            if (out1) {
                out1[oc + 1] = mn_out8(s11, &rq[oc + 1], out_off, lo, hi);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// ARMv7-M without DSP (Cortex-M3): no SIMD multiply, one MLA per MAC. Tiles of 3 output pixels
// x 2 output channels; per tap 2 weights (LDRSB, post-increment) and 3 input bytes (LDRSB) feed
// 6 MLA. The input offset is folded into the accumulators' start, init = bias + in_off * sum of
// the channel's weights, so the columns hold the raw int8 input (a copy, no widening), and a
// tap in the padding holds -in_off (in [-128, 127] as in_off is validated to [-127, 128]).
//
// Scratch (same size as above): mn_rq3_t [out_c], then the columns of 3 pixels, per group g of
// four taps k = 4g..4g+3: int8 [12g + 4p + (k & 3)] = pixel p's value of tap k, then one
// pixel's window in tap order (gathered from the input, then spread into its column).
#if MN_ARM_M3

typedef struct {
    int32_t init; // bias + in_off * sum of the channel's weights
    int32_t ls1;  // as mn_rq_t; 0: exact path
    int32_t mult;
    int32_t rnd;  // 2^(rs-1) (+ out_off << rs when fused)
    int32_t rs;   // right shift; exact path: the shift
} mn_rq3_t;

// dst[0..n-1] <- src[0..n-1], four bytes at a time (unaligned LDR/STR are fine on ARMv7-M).
static void mn_copy8(int8_t *dst, const int8_t *src, int32_t n) {
    for (; n >= 8; n -= 8, src += 8, dst += 8) {
        const int32_t a = mn_read_s32(src), b = mn_read_s32(src + 4);
        __builtin_memcpy(dst, &a, 4);
        __builtin_memcpy(dst + 4, &b, 4);
    }
    if (n >= 4) {
        const int32_t a = mn_read_s32(src);
        __builtin_memcpy(dst, &a, 4);
        n -= 4;
        src += 4;
        dst += 4;
    }
    for (; n > 0; n--) {
        *dst++ = *src++;
    }
}

// dst[0..n-1] <- the byte of v4 (v4: that byte in all four bytes).
static void mn_fill8(int8_t *dst, int32_t n, int32_t v4) {
    for (; n >= 4; n -= 4, dst += 4) {
        __builtin_memcpy(dst, &v4, 4);
    }
    for (; n > 0; n--) {
        *dst++ = (int8_t)v4;
    }
}

// n words v[0..4n-1] (any alignment) to dst[0], dst[12], dst[24], ...: two per LDR, LDR, STR, STR.
static void mn_col3_words(int8_t *dst, const int8_t *v, int32_t n) {
    if (n & 1) {
        *(mn_i32a_t *)dst = mn_read_s32(v);
        dst += 12;
        v += 4;
    }
    n >>= 1;
    if (n) {
        int32_t a, b;
        __asm volatile (
            "1:\n"
            "ldr %[a], [%[v]], #4\n"
            "ldr %[b], [%[v]], #4\n"
            "str %[a], [%[d]], #12\n"
            "str %[b], [%[d]], #12\n"
            "subs %[n], %[n], #1\n"
            "bne 1b\n"
            : [d] "+r" (dst), [v] "+r" (v), [n] "+r" (n), [a] "=&r" (a), [b] "=&r" (b) : : "cc", "memory");
    }
}

// Pixel p's column <- v[0..K-1], the taps in order: word g of v to col[12g + 4p].
static void mn_col3_put(int8_t *col, int32_t p, const int8_t *v, int32_t K) {
    int8_t *dst = col + 4 * p + 3 * (K & ~3);
    mn_col3_words(col + 4 * p, v, K >> 2);
    v += K & ~3;
    for (int32_t j = 0; j < (K & 3); j++) {
        dst[j] = v[j];
    }
}

// The window of output pixel (oy, ox) lies inside the input, its kernel rows contiguous.
MN_INLINE int mn_conv_inside(const int32_t *P, int32_t oy, int32_t ox) {
    const int32_t y0 = oy * P[MN_CONV_STRIDE_H] - P[MN_CONV_PAD_TOP];
    const int32_t x0 = ox * P[MN_CONV_STRIDE_W] - P[MN_CONV_PAD_LEFT];
    return P[MN_CONV_DIL_W] == 1 && y0 >= 0 && x0 >= 0
        && y0 + (P[MN_CONV_K_H] - 1) * P[MN_CONV_DIL_H] < P[MN_CONV_IN_H] && x0 + P[MN_CONV_K_W] <= P[MN_CONV_IN_W];
}

// The window of output pixel (oy, ox), taps in order, into win [K] (a tap in the padding:
// -in_off).
static void mn_conv_win3(int8_t *win, const int8_t *in_b, const int32_t *P, int32_t oy, int32_t ox) {
    const int32_t in_h = P[MN_CONV_IN_H], in_w = P[MN_CONV_IN_W], in_c = P[MN_CONV_IN_C];
    const int32_t k_h = P[MN_CONV_K_H], k_w = P[MN_CONV_K_W];
    const int32_t dil_h = P[MN_CONV_DIL_H], dil_w = P[MN_CONV_DIL_W];
    const int32_t pad4 = (int32_t)((uint8_t)-P[MN_CONV_INPUT_OFFSET] * 0x01010101u);
    const int32_t y0 = oy * P[MN_CONV_STRIDE_H] - P[MN_CONV_PAD_TOP];
    const int32_t x0 = ox * P[MN_CONV_STRIDE_W] - P[MN_CONV_PAD_LEFT];
    const int32_t row_len = k_w * in_c;
    if (mn_conv_inside(P, oy, ox)) {
        // one contiguous run per kernel row
        const int8_t *row = in_b + (y0 * in_w + x0) * in_c;
        for (int32_t ky = 0; ky < k_h; ky++, row += dil_h * in_w * in_c, win += row_len) {
            mn_copy8(win, row, row_len);
        }
        return;
    }
    int32_t ky0, ky1, kx0, kx1;
    mn_tap_range(y0, dil_h, in_h, k_h, &ky0, &ky1);
    mn_tap_range(x0, dil_w, in_w, k_w, &kx0, &kx1);
    if (kx1 <= kx0) {
        kx0 = kx1 = 0;
    }
    for (int32_t ky = 0; ky < k_h; ky++, win += row_len) {
        if (ky < ky0 || ky >= ky1 || kx1 == 0) {
            mn_fill8(win, row_len, pad4);
            continue;
        }
        const int8_t *row = in_b + (y0 + ky * dil_h) * in_w * in_c;
        if (dil_w == 1) {
            mn_fill8(win, kx0 * in_c, pad4);
            mn_copy8(win + kx0 * in_c, row + (x0 + kx0) * in_c, (kx1 - kx0) * in_c);
            mn_fill8(win + kx1 * in_c, (k_w - kx1) * in_c, pad4);
        } else {
            for (int32_t kx = 0; kx < k_w; kx++) {
                if (kx < kx0 || kx >= kx1) {
                    mn_fill8(win + kx * in_c, in_c, pad4);
                } else {
                    mn_copy8(win + kx * in_c, row + (x0 + kx * dil_w) * in_c, in_c);
                }
            }
        }
    }
}

// Sum of n int8 weights: four at a time as two 16-bit lanes of (w + 128), in chunks of at most
// 128 words so that a lane (<= 2 * 255 per word) cannot overflow.
static int32_t mn_wsum(const int8_t *w, int32_t n) {
    int32_t s = -128 * (n & ~3);
    while (n >= 4) {
        int32_t m = n >> 2 > 128 ? 128 : n >> 2;
        n -= 4 * m;
        uint32_t lanes = 0;
        for (; m > 0; m--, w += 4) {
            const uint32_t u = (uint32_t)mn_read_s32(w) ^ 0x80808080u;
            lanes += (u & 0x00FF00FFu) + ((u >> 8) & 0x00FF00FFu);
        }
        s += (int32_t)((lanes & 0xFFFFu) + (lanes >> 16));
    }
    for (; n > 0; n--) {
        s += *w++;
    }
    return s;
}

// (a * b + 2^31) >> 32 (SMMULR) as SMULL and the carry of the rounding bit.
MN_INLINE int32_t mn_smmulr_m3(int32_t a, int32_t b) {
    int32_t lo, hi;
    __asm ("smull %0, %1, %2, %3\n"
           "add %1, %1, %0, lsr #31" : "=&r" (lo), "=&r" (hi) : "r" (a), "r" (b));
    return hi;
}

// Requantized + out_off, clamped to [lo, hi] (not fused: see mn_rq()).
static int8_t mn_out3(int32_t x, const mn_rq3_t *r, int32_t out_off, int32_t lo, int32_t hi) {
    int32_t v;
    if (r->ls1 == 0) {
        v = mn_requantize(x, r->mult, r->rs);
    } else {
        const int32_t y = mn_smmulr_m3((int32_t)((uint32_t)x << r->ls1), r->mult);
        v = (y + r->rnd + ((y >> 31) & -(int32_t)(r->rs > 0))) >> r->rs;
    }
    return (int8_t)mn_clamp(v + out_off, lo, hi);
}

// Fused requantization (rnd holds out_off, rs >= 1) of three accumulators of channel r,
// saturated to int8: per value LSL, SMULL, the rounding carry, (y + (y >> 31) + rnd) >> rs, SSAT.
#define MN_RQ3_ONE(a) \
    "lsl " a ", " a ", %[ls]\n" \
    "smull %[t], " a ", " a ", %[m]\n" \
    "add " a ", " a ", %[t], lsr #31\n" \
    "add " a ", " a ", " a ", asr #31\n" \
    "add " a ", " a ", %[rn]\n" \
    "asr " a ", " a ", %[rs]\n" \
    "ssat " a ", #8, " a "\n"
#define MN_RQ3(r, x0, x1, x2) do { \
        int32_t ls_, m_, rn_, rs_, t_; \
        __asm ("ldrd %[ls], %[m], [%[q], #4]\n" \
               "ldrd %[rn], %[rs], [%[q], #12]\n" \
               MN_RQ3_ONE("%[a0]") MN_RQ3_ONE("%[a1]") MN_RQ3_ONE("%[a2]") \
               : [a0] "+&r" (x0), [a1] "+&r" (x1), [a2] "+&r" (x2), [ls] "=&r" (ls_), [m] "=&r" (m_), \
                 [rn] "=&r" (rn_), [rs] "=&r" (rs_), [t] "=&r" (t_) \
               : [q] "r" (r) : "memory"); \
} while (0)

// One tap of the 3 x 2 tile: weights at p0, p1 (post-increment), pixel p's value at x + o + 4p.
#define MN_M3_TAP(o) \
    "ldrsb %[w0], [%[p0]], #1\n" \
    "ldrsb %[w1], [%[p1]], #1\n" \
    "ldrsb %[c], [%[x], #" #o "]\n" \
    "mla %[a00], %[c], %[w0], %[a00]\n" \
    "mla %[a01], %[c], %[w1], %[a01]\n" \
    "ldrsb %[c], [%[x], #" #o "+4]\n" \
    "mla %[a10], %[c], %[w0], %[a10]\n" \
    "mla %[a11], %[c], %[w1], %[a11]\n" \
    "ldrsb %[c], [%[x], #" #o "+8]\n" \
    "mla %[a20], %[c], %[w0], %[a20]\n" \
    "mla %[a21], %[c], %[w1], %[a21]\n"
#define MN_M3_OPS \
    : [x] "+r" (x), [p0] "+r" (p0), [p1] "+r" (p1), [n] "+r" (n), \
      [a00] "+r" (a00), [a01] "+r" (a01), [a10] "+r" (a10), [a11] "+r" (a11), \
      [a20] "+r" (a20), [a21] "+r" (a21), [w0] "=&r" (w0), [w1] "=&r" (w1), [c] "=&r" (c) \
    : : "cc", "memory"

// out[0..out_c-1], out[s1..], out[s2..] <- the three pixels of `col` (a pixel past the last one
// repeats the last one: same column, s1 or s2 equal to the one before). clamp: [lo, hi]
// narrower than int8.
static void mn_conv_tile3(const int8_t *col, const int8_t *weights, const mn_rq3_t *r, int8_t *out,
    int32_t s1, int32_t s2, int32_t out_c, int32_t K, int fused, int clamp, int32_t out_off,
    int32_t lo, int32_t hi) {
    const int32_t n8 = K >> 3, k4 = K & 4, k3 = K & 3;
    for (int32_t left = out_c; left > 0; left -= 2, r += 2, out += 2) {
        // channels oc, oc + 1 (oc alone if it is the last one)
        const int two = left > 1;
        const mn_rq3_t *r1 = two ? r + 1 : r;
        const int8_t *p0 = weights, *p1 = two ? p0 + K : p0;
        int32_t a00 = r->init, a01 = r1->init, a10 = a00, a11 = a01, a20 = a00, a21 = a01;
        const int8_t *x = col;
        int32_t n = n8, w0, w1, c;
        if (n) {
            // blocks of 8 taps (two column groups)
            __asm volatile (
                "1:\n"
                MN_M3_TAP(0) MN_M3_TAP(1) MN_M3_TAP(2) MN_M3_TAP(3)
                MN_M3_TAP(12) MN_M3_TAP(13) MN_M3_TAP(14) MN_M3_TAP(15)
                "add %[x], %[x], #24\n"
                "subs %[n], %[n], #1\n"
                "bne 1b\n"
                MN_M3_OPS);
        }
        if (k4) {
            __asm volatile (
                MN_M3_TAP(0) MN_M3_TAP(1) MN_M3_TAP(2) MN_M3_TAP(3)
                "add %[x], %[x], #12\n"
                MN_M3_OPS);
        }
        n = k3;
        if (n) {
            // the last taps, one at a time inside their group
            __asm volatile (
                "1:\n"
                MN_M3_TAP(0)
                "add %[x], %[x], #1\n"
                "subs %[n], %[n], #1\n"
                "bne 1b\n"
                MN_M3_OPS);
        }
        weights = p1; // channel oc + 2
        if (!fused) {
            out[0] = mn_out3(a00, r, out_off, lo, hi);
            out[s1] = mn_out3(a10, r, out_off, lo, hi);
            out[s2] = mn_out3(a20, r, out_off, lo, hi);
            if (two) {
                out[1] = mn_out3(a01, r1, out_off, lo, hi);
                out[s1 + 1] = mn_out3(a11, r1, out_off, lo, hi);
                out[s2 + 1] = mn_out3(a21, r1, out_off, lo, hi);
            }
            continue;
        }
        MN_RQ3(r, a00, a10, a20);
        MN_RQ3(r1, a01, a11, a21);
        if (clamp) {
            a00 = mn_clamp(a00, lo, hi);
            a10 = mn_clamp(a10, lo, hi);
            a20 = mn_clamp(a20, lo, hi);
            a01 = mn_clamp(a01, lo, hi);
            a11 = mn_clamp(a11, lo, hi);
            a21 = mn_clamp(a21, lo, hi);
        }
        out[0] = (int8_t)a00;
        out[s1] = (int8_t)a10;
        out[s2] = (int8_t)a20;
        if (two) {
            out[1] = (int8_t)a01;
            out[s1 + 1] = (int8_t)a11;
            out[s2 + 1] = (int8_t)a21;
        }
    }
}
#undef MN_M3_OPS
#undef MN_M3_TAP
#undef MN_RQ3
#undef MN_RQ3_ONE

// Fused requantization, K >= 8, pairs of channels: the whole
// channel loop of a 3-pixel tile in assembly (no spills between the taps, the requantization
// and the stores). Registers: r2..r7 the six accumulators, r8 the column, r11/lr the weights
// of the two channels, r9 the block count, r10/r12/r0 weights and input; t stays on the stack.
typedef struct {
    const int8_t *col;    // 0
    const int8_t *w;      // 4: weights of the next channel pair
    int32_t K;            // 8
    const mn_rq3_t *rq;   // 12: its requantization
    int8_t *out;          // 16: its first output
    int32_t s1, s2;       // 20, 24: offsets of pixels 1 and 2
    int32_t pairs;        // 28: channel pairs left
    int32_t n8;           // 32: blocks of 8 taps
    int32_t k4;           // 36: one more group of 4 taps
    int32_t k3;           // 40: then 0..3 taps, one at a time inside their group
    int32_t clamp;        // 44: clamp to [lo, hi] (narrower than int8)
    int32_t lo, hi;       // 48, 52
} mn_tile3_t;

void mn_conv_tile3_m3(mn_tile3_t *t);
__asm__ (
    ".pushsection .text.mn_conv_tile3_m3, \"ax\", %progbits\n"
    ".syntax unified\n"
    ".thumb\n"
    ".align 2\n"
    ".global mn_conv_tile3_m3\n"
    ".thumb_func\n"
    ".type mn_conv_tile3_m3, %function\n"
    // one tap of the two channels' weights (r11, lr) against the three pixels' inputs at
    // column offsets o0, o1, o2 from r8, into the six accumulators r2..r7
    ".macro MN_T3 o0, o1, o2\n"
    "ldrsb r10, [r11], #1\n"
    "ldrsb r12, [lr], #1\n"
    "ldrsb r0, [r8, #\\o0]\n"
    "mla r2, r0, r10, r2\n"
    "mla r3, r0, r12, r3\n"
    "ldrsb r0, [r8, #\\o1]\n"
    "mla r4, r0, r10, r4\n"
    "mla r5, r0, r12, r5\n"
    "ldrsb r0, [r8, #\\o2]\n"
    "mla r6, r0, r10, r6\n"
    "mla r7, r0, r12, r7\n"
    ".endm\n"
    "mn_conv_tile3_m3:\n"
    "push {r0, r4-r11, lr}\n"
    "1:\n"
    "ldr r0, [sp]\n"
    "ldrd r11, r12, [r0, #4]\n"
    "add lr, r11, r12\n"
    "ldr r1, [r0, #12]\n"
    "ldr r2, [r1]\n"
    "ldr r3, [r1, #20]\n"
    "mov r4, r2\n"
    "mov r5, r3\n"
    "mov r6, r2\n"
    "mov r7, r3\n"
    "ldr r8, [r0]\n"
    "ldr r9, [r0, #32]\n"
    "2:\n"
    "MN_T3 0, 4, 8\n"
    "MN_T3 1, 5, 9\n"
    "MN_T3 2, 6, 10\n"
    "MN_T3 3, 7, 11\n"
    "MN_T3 12, 16, 20\n"
    "MN_T3 13, 17, 21\n"
    "MN_T3 14, 18, 22\n"
    "MN_T3 15, 19, 23\n"
    "add r8, r8, #24\n"
    "subs r9, r9, #1\n"
    "bne 2b\n"
    "ldr r0, [sp]\n"
    "ldr r9, [r0, #36]\n"
    "cmp r9, #0\n"
    "beq 3f\n"
    "MN_T3 0, 4, 8\n"
    "MN_T3 1, 5, 9\n"
    "MN_T3 2, 6, 10\n"
    "MN_T3 3, 7, 11\n"
    "add r8, r8, #12\n"
    "3:\n"
    "ldr r0, [sp]\n"
    "ldr r9, [r0, #40]\n"
    "cmp r9, #0\n"
    "beq 4f\n"
    "5:\n"
    "MN_T3 0, 4, 8\n"
    "add r8, r8, #1\n"
    "subs r9, r9, #1\n"
    "bne 5b\n"
    "ldr r0, [sp]\n"
    "4:\n"
    "str lr, [r0, #4]\n"
    "ldr r1, [r0, #12]\n"
    "ldrd r8, r9, [r1, #4]\n"
    "ldrd r10, r11, [r1, #12]\n"
    "lsl r2, r2, r8\n"
    "smull r12, r2, r2, r9\n"
    "add r2, r2, r12, lsr #31\n"
    "add r2, r2, r2, asr #31\n"
    "add r2, r2, r10\n"
    "asr r2, r2, r11\n"
    "ssat r2, #8, r2\n"
    "lsl r4, r4, r8\n"
    "smull r12, r4, r4, r9\n"
    "add r4, r4, r12, lsr #31\n"
    "add r4, r4, r4, asr #31\n"
    "add r4, r4, r10\n"
    "asr r4, r4, r11\n"
    "ssat r4, #8, r4\n"
    "lsl r6, r6, r8\n"
    "smull r12, r6, r6, r9\n"
    "add r6, r6, r12, lsr #31\n"
    "add r6, r6, r6, asr #31\n"
    "add r6, r6, r10\n"
    "asr r6, r6, r11\n"
    "ssat r6, #8, r6\n"
    "ldrd r8, r9, [r1, #24]\n"
    "ldrd r10, r11, [r1, #32]\n"
    "lsl r3, r3, r8\n"
    "smull r12, r3, r3, r9\n"
    "add r3, r3, r12, lsr #31\n"
    "add r3, r3, r3, asr #31\n"
    "add r3, r3, r10\n"
    "asr r3, r3, r11\n"
    "ssat r3, #8, r3\n"
    "lsl r5, r5, r8\n"
    "smull r12, r5, r5, r9\n"
    "add r5, r5, r12, lsr #31\n"
    "add r5, r5, r5, asr #31\n"
    "add r5, r5, r10\n"
    "asr r5, r5, r11\n"
    "ssat r5, #8, r5\n"
    "lsl r7, r7, r8\n"
    "smull r12, r7, r7, r9\n"
    "add r7, r7, r12, lsr #31\n"
    "add r7, r7, r7, asr #31\n"
    "add r7, r7, r10\n"
    "asr r7, r7, r11\n"
    "ssat r7, #8, r7\n"
    "add r1, r1, #40\n"
    "str r1, [r0, #12]\n"
    "ldr r8, [r0, #44]\n"
    "cmp r8, #0\n"
    "beq 6f\n"
    "ldrd r8, r9, [r0, #48]\n"
    "cmp r2, r8\n"
    "it lt\n"
    "movlt r2, r8\n"
    "cmp r2, r9\n"
    "it gt\n"
    "movgt r2, r9\n"
    "cmp r3, r8\n"
    "it lt\n"
    "movlt r3, r8\n"
    "cmp r3, r9\n"
    "it gt\n"
    "movgt r3, r9\n"
    "cmp r4, r8\n"
    "it lt\n"
    "movlt r4, r8\n"
    "cmp r4, r9\n"
    "it gt\n"
    "movgt r4, r9\n"
    "cmp r5, r8\n"
    "it lt\n"
    "movlt r5, r8\n"
    "cmp r5, r9\n"
    "it gt\n"
    "movgt r5, r9\n"
    "cmp r6, r8\n"
    "it lt\n"
    "movlt r6, r8\n"
    "cmp r6, r9\n"
    "it gt\n"
    "movgt r6, r9\n"
    "cmp r7, r8\n"
    "it lt\n"
    "movlt r7, r8\n"
    "cmp r7, r9\n"
    "it gt\n"
    "movgt r7, r9\n"
    "6:\n"
    "ldr r8, [r0, #16]\n"
    "ldrd r9, r10, [r0, #20]\n"
    "add r11, r8, #1\n"
    "strb r2, [r8]\n"
    "strb r3, [r11]\n"
    "strb r4, [r8, r9]\n"
    "strb r5, [r11, r9]\n"
    "strb r6, [r8, r10]\n"
    "strb r7, [r11, r10]\n"
    "add r8, r8, #2\n"
    "str r8, [r0, #16]\n"
    "ldr r9, [r0, #28]\n"
    "subs r9, r9, #1\n"
    "str r9, [r0, #28]\n"
    "bne 1b\n"
    "pop {r0, r4-r11, pc}\n"
    ".size mn_conv_tile3_m3, .-mn_conv_tile3_m3\n"
    ".purgem MN_T3\n"
    ".popsection\n");

static void mn_conv2d_s8_m3(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *p, const mn_requant_t *requant, void *scratch) {
    const int32_t in_h = p[MN_CONV_IN_H], in_w = p[MN_CONV_IN_W], in_c = p[MN_CONV_IN_C];
    const int32_t out_h = p[MN_CONV_OUT_H], out_w = p[MN_CONV_OUT_W], out_c = p[MN_CONV_OUT_C];
    const int32_t K = p[MN_CONV_K_H] * p[MN_CONV_K_W] * in_c;
    const int32_t in_off = p[MN_CONV_INPUT_OFFSET], out_off = p[MN_CONV_OUTPUT_OFFSET];
    const int32_t lo = p[MN_CONV_ACT_MIN], hi = p[MN_CONV_ACT_MAX];
    mn_rq3_t *rq = scratch;
    int fused = lo >= -128 && hi <= 127;
    for (int32_t c = 0; c < out_c; c++) {
        const int32_t i = requant->per_channel ? c : 0;
        const int32_t b = bias ? bias[c] : 0;
        mn_rq_t r;
        mn_rq_make(&r, requant->multiplier[i], requant->shift[i], K, b);
        rq[c].init = (int32_t)((uint32_t)b + (uint32_t)in_off * (uint32_t)mn_wsum(weights + c * K, K));
        rq[c].ls1 = r.ls1;
        rq[c].mult = r.mult;
        rq[c].rnd = r.rnd;
        rq[c].rs = r.ls1 ? r.rs : r.nm;
        if (r.ls1 == 0 || r.rs < 1 || r.rs > 20) {
            fused = 0;
        }
    }
    if (fused) {
        for (int32_t c = 0; c < out_c; c++) {
            rq[c].rnd += (int32_t)((uint32_t)out_off << rq[c].rs);
        }
    }
    // the columns (3 * K4 bytes, K4 = K rounded up to 4), then one window in tap order (K4)
    int8_t *col = (int8_t *)(rq + out_c), *win = col + 3 * ((K + 3) & ~3);
    const int clamp = lo > -128 || hi < 127;
    const int32_t k_h = p[MN_CONV_K_H], row_len = p[MN_CONV_K_W] * in_c;
    const int32_t row_step = p[MN_CONV_DIL_H] * in_w * in_c;
    const int aligned = (row_len & 3) == 0 && p[MN_CONV_DIL_W] == 1;
    // the channel pairs of a tile in one assembly loop: see mn_conv_tile3_m3
    const int whole = fused && K >= 8 && out_c >= 2;
    mn_tile3_t tile = { col, weights, K, rq, output, 0, 0, 0, K >> 3, K & 4, K & 3, clamp, lo, hi };
    // 1x1, stride 1, no padding: output pixel i reads input pixel i
    const int pointwise = K == in_c && p[MN_CONV_STRIDE_H] == 1 && p[MN_CONV_STRIDE_W] == 1
        && p[MN_CONV_PAD_TOP] == 0 && p[MN_CONV_PAD_LEFT] == 0 && out_w == in_w && out_h == in_h;
    const int32_t pixels = out_h * out_w;
    for (int32_t b = 0; b < p[MN_CONV_N]; b++) {
        const int8_t *in_b = input + b * in_h * in_w * in_c;
        int8_t *out_b = output + b * pixels * out_c;
        int32_t oy = 0, ox = 0, ly = 0, lx = 0;
        for (int32_t q = 0; q < pixels; q += 3) {
            // output pixels q..q+2; past the last pixel, the last one again (outputs dropped)
            int8_t *o[3];
            for (int32_t j = 0; j < 3; j++) {
                o[j] = j ? o[j - 1] : out_b;
                if (q + j < pixels) {
                    o[j] = out_b + (q + j) * out_c;
                    ly = oy;
                    lx = ox;
                    if (++ox == out_w) {
                        oy++;
                        ox = 0;
                    }
                }
                if (pointwise) {
                    mn_col3_put(col, j, in_b + (ly * out_w + lx) * in_c, K);
                } else if (aligned && mn_conv_inside(p, ly, lx)) {
                    // kernel rows of whole groups, straight from the input into the column
                    const int8_t *row = in_b + ((ly * p[MN_CONV_STRIDE_H] - p[MN_CONV_PAD_TOP]) * in_w
                        + lx * p[MN_CONV_STRIDE_W] - p[MN_CONV_PAD_LEFT]) * in_c;
                    for (int32_t ky = 0; ky < k_h; ky++, row += row_step) {
                        mn_col3_words(col + 4 * j + 3 * ky * row_len, row, row_len >> 2);
                    }
                } else {
                    mn_conv_win3(win, in_b, p, ly, lx);
                    mn_col3_put(col, j, win, K);
                }
            }
            if (whole) {
                tile.w = weights;
                tile.rq = rq;
                tile.out = o[0];
                tile.s1 = o[1] - o[0];
                tile.s2 = o[2] - o[0];
                tile.pairs = out_c >> 1;
                mn_conv_tile3_m3(&tile);
                if (out_c & 1) {
                    mn_conv_tile3(col, tile.w, tile.rq, tile.out, tile.s1, tile.s2, 1, K, fused, clamp,
                        out_off, lo, hi);
                }
            } else {
                mn_conv_tile3(col, weights, rq, o[0], o[1] - o[0], o[2] - o[0], out_c, K, fused, clamp,
                    out_off, lo, hi);
            }
        }
    }
}
#endif

void mn_conv2d_s8(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *p, const mn_requant_t *requant, void *scratch) {
    if (MN_MVE && mn_conv2d_s8_mve(input, weights, bias, output, p, requant, scratch)) {
        return;
    }
    const int32_t in_h = p[MN_CONV_IN_H], in_w = p[MN_CONV_IN_W], in_c = p[MN_CONV_IN_C];
    const int32_t out_h = p[MN_CONV_OUT_H], out_w = p[MN_CONV_OUT_W], out_c = p[MN_CONV_OUT_C];
    const int32_t K = p[MN_CONV_K_H] * p[MN_CONV_K_W] * in_c;
    #if MN_HOST_SIMD
    if (mn_host_conv2d_s8(input, weights, bias, output, p, requant, scratch)) {
        return;
    }
    #endif
    if (scratch == NULL || mn_conv2d_s8_scratch_size(p) == 0) {
        mn_conv2d_s8_ref(input, weights, bias, output, p, requant);
        return;
    }
    #if MN_ARM_M3
    mn_conv2d_s8_m3(input, weights, bias, output, p, requant, scratch);
    return;
    #endif
    mn_rq_t *rq = scratch;
    for (int32_t c = 0; c < out_c; c++) {
        const int32_t i = requant->per_channel ? c : 0;
        mn_rq_make(&rq[c], requant->multiplier[i], requant->shift[i], K, bias ? bias[c] : 0);
    }
    int16_t *col = (int16_t *)(rq + out_c);
    const int32_t out_off = p[MN_CONV_OUTPUT_OFFSET];
    const int32_t lo = p[MN_CONV_ACT_MIN], hi = p[MN_CONV_ACT_MAX];
    const int32_t pixels = out_h * out_w;
    const int fused = mn_rq_fuse(rq, out_c, out_off, lo, hi);
    for (int32_t b = 0; b < p[MN_CONV_N]; b++) {
        const int8_t *in_b = input + b * in_h * in_w * in_c;
        int8_t *out_b = output + b * pixels * out_c;
        int32_t oy = 0, ox = 0;
        for (int32_t q = 0; q < pixels; q += 2) {
            // output pixels q (oy, ox) and q + 1 (oy1, ox1)
            int32_t oy1 = oy, ox1 = ox + 1;
            if (ox1 == out_w) {
                oy1++;
                ox1 = 0;
            }
            const int32_t pair = q + 1 < pixels;
            mn_conv_col(col, 0, in_b, p, oy, ox);
            if (pair) {
                mn_conv_col(col, 1, in_b, p, oy1, ox1);
            } else {
                mn_conv_col(col, 1, in_b, p, oy, ox);
            }
            mn_conv_pair(col, weights, bias, out_b + q * out_c, pair ? out_b + (q + 1) * out_c : NULL,
                out_c, K, rq, out_off, lo, hi, fused);
            oy = oy1;
            ox = ox1 + 1;
            if (ox == out_w) {
                oy++;
                ox = 0;
            }
        }
    }
}
