// Helpers of the 16x8 kernels (area INT16, kernels/mn_*_s16.c; not part of the public API).
//
// TFLite Micro sums a 16x8 layer in int64 and requantizes the sum with the int64 overload of
// MultiplyByQuantizedMultiplier: the Q31 multiplier rounded to 16 bits, then one rounding
// shift. CONV_2D and FULLY_CONNECTED with an int32 bias sum in int32 instead (wrapping) and use
// the int32 overload (mn_requantize, double rounding). Sums mod 2^64 equal the int32 ones mod
// 2^32, so every kernel sums in int64 and mn_s16_requant picks the overload.
#ifndef MN_CONV_S16_H
#define MN_CONV_S16_H

#include "micronn.h"
#include "mn_fast.h"

// MultiplyByQuantizedMultiplier(int64_t x, multiplier, shift) of TFLite Micro's double-rounding
// build: (x * round(multiplier / 2^16) + 2^(14 - shift)) >> (15 - shift), truncated to int32.
// TFLM takes shift <= 7 (the converter's); larger ones are clamped here so no shift is undefined.
// The products wrap as uint64 (TFLM assumes |x| < 2^47, where nothing wraps).
MN_INLINE int32_t mn_requantize64(int64_t x, int32_t multiplier, int32_t shift) {
    const int64_t reduced = multiplier < 0x7FFF0000 ? (multiplier + (1 << 15)) >> 16 : 0x7FFF;
    const int32_t total = shift > 14 ? 1 : 15 - shift;
    const uint64_t y = (uint64_t)x * (uint64_t)reduced + ((uint64_t)1 << (total - 1));
    return (int32_t)(uint32_t)(uint64_t)((int64_t)y >> total);
}

// acc (+ bias) requantized as TFLM does for this layer (acc64: the int64 path, else the int32 one).
MN_INLINE int32_t mn_s16_requant(int64_t acc, int64_t bias, int32_t multiplier, int32_t shift, int32_t acc64) {
    const uint64_t s = (uint64_t)acc + (uint64_t)bias;
    return acc64 ? mn_requantize64((int64_t)s, multiplier, shift)
                 : mn_requantize((int32_t)(uint32_t)s, multiplier, shift);
}

// ---------------------------------------------------------------------------
// The inner product of the optimized 16x8 CONV_2D and FULLY_CONNECTED: two rows of n int8
// weights against one int16 vector, added into two int64 sums.
//   s[0] += sum_i x[i] * w0[i],  s[1] += sum_i x[i] * w1[i]
// ARMv7E-M (MN_ARM_DSP): per 4 elements one word of weights per row, SXTB16 / SXTB16 ROR 8 take
// its lanes (w0, w2) and (w1, w3); PKHBT / PKHTB pair the inputs the same way, (x0, x2) and
// (x1, x3), from two input words; SMLALD adds both 16x16 products of a pair into the int64 sum
// (exact: no sum wraps that TFLM's does not). Elsewhere: int32 partial sums over chunks of
// MN_S16_CHUNK products (each below 2^22 in magnitude, so a chunk stays below 2^30), then int64.
#define MN_S16_CHUNK 256

#if MN_ARM_DSP
MN_INLINE int64_t mn_smlald(int32_t x, int32_t y, int64_t acc) {
    __asm ("smlald %Q0, %R0, %1, %2" : "+r" (acc) : "r" (x), "r" (y));
    return acc;
}
// (lo.bottom, hi.bottom): the bottom halfword of lo and, above it, that of hi
MN_INLINE int32_t mn_pkhbt16(int32_t lo, int32_t hi) {
    int32_t r;
    __asm ("pkhbt %0, %1, %2, lsl #16" : "=r" (r) : "r" (lo), "r" (hi));
    return r;
}
// (lo.top, hi.top): the top halfword of lo and, above it, that of hi
MN_INLINE int32_t mn_pkhtb16(int32_t hi, int32_t lo) {
    int32_t r;
    __asm ("pkhtb %0, %1, %2, asr #16" : "=r" (r) : "r" (hi), "r" (lo));
    return r;
}
#endif

MN_INLINE void mn_dot2_s16x8(const int16_t *x, const int8_t *w0, const int8_t *w1, int32_t n, int64_t *s) {
    int64_t a = s[0], b = s[1];
    int32_t i = 0;
#if MN_ARM_DSP
    // W (2, 4) @ x (4,) per step
    for (; i + 4 <= n; i += 4) {
        const int32_t x01 = mn_read_s32(x + i), x23 = mn_read_s32(x + i + 2);
        const int32_t xa = mn_pkhbt16(x01, x23), xb = mn_pkhtb16(x23, x01);
        const int32_t u0 = mn_read_s32(w0 + i), u1 = mn_read_s32(w1 + i);
        a = mn_smlald(mn_sxtb16(u0), xa, a);
        b = mn_smlald(mn_sxtb16(u1), xa, b);
        a = mn_smlald(mn_sxtb16_ror8(u0), xb, a);
        b = mn_smlald(mn_sxtb16_ror8(u1), xb, b);
    }
    for (; i < n; i++) {
        a += (int32_t)w0[i] * x[i];
        b += (int32_t)w1[i] * x[i];
    }
#else
    while (i < n) {
        const int32_t end = n - i > MN_S16_CHUNK ? i + MN_S16_CHUNK : n;
        int32_t sa = 0, sb = 0;
        for (; i < end; i++) {
            sa += (int32_t)w0[i] * x[i];
            sb += (int32_t)w1[i] * x[i];
        }
        a += sa;
        b += sb;
    }
#endif
    s[0] = a;
    s[1] = b;
}

#endif // MN_CONV_S16_H
