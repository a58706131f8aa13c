// Convolution int8, the ARMv7-M-without-DSP (Cortex-M3) variant mn_conv2d_s8_m3 of
// mn_conv2d_s8 (equal to mn_conv2d_s8_ref byte for byte).
//
// No SIMD multiply, one MLA per MAC. Tiles of 3 output pixels x 2 output channels; per tap 2
// weights (LDRSB, post-increment) and 3 input bytes (LDRSB) feed 6 MLA. The input offset is
// folded into the accumulators' start, init = bias + in_off * sum of the channel's weights, so
// the columns hold the raw int8 input (a copy, no widening), and a tap in the padding holds
// -in_off (in [-128, 127] as in_off is validated to [-127, 128]).
//
// Scratch (mn_conv2d_s8_scratch_size bytes): mn_rq3_t [out_c], then the columns of 3 pixels,
// per group g of four taps k = 4g..4g+3: int8 [12g + 4p + (k & 3)] = pixel p's value of tap k,
// then one pixel's window in tap order (gathered from the input, then spread into its column).
#include "mn_fast.h"
#include "mn_variants.h"

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

void mn_conv2d_s8_m3(const int8_t *input, const int8_t *weights, const int32_t *bias,
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
#endif // MN_ARM_M3
