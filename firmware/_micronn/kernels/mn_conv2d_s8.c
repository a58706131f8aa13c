// Convolution int8: the plain C reference (mn_conv2d_s8_ref, bit-exact with TFLite Micro's
// ConvPerChannel) and the optimized kernel (mn_conv2d_s8), equal to it byte for byte.
#include "mn_fast.h"
#include "mn_variants.h"

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

void mn_conv2d_s8(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *p, const mn_requant_t *requant, void *scratch) {
    #if MN_MVE
    if (mn_conv2d_s8_mve(input, weights, bias, output, p, requant, scratch)) {
        return;
    }
    #endif
    #if MN_ARM_V6M
    if (mn_conv2d_s8_m0(input, weights, bias, output, p, requant, scratch)) {
        return;
    }
    #endif
    // read before the variant calls: the portable path below compiles as it did
    const int32_t in_h = p[MN_CONV_IN_H], in_w = p[MN_CONV_IN_W], in_c = p[MN_CONV_IN_C];
    const int32_t out_h = p[MN_CONV_OUT_H], out_w = p[MN_CONV_OUT_W], out_c = p[MN_CONV_OUT_C];
    const int32_t K = p[MN_CONV_K_H] * p[MN_CONV_K_W] * in_c;
    #if MN_HOST_SIMD
    if (mn_conv2d_s8_sse2(input, weights, bias, output, p, requant, scratch)) {
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
