// Helpers of the ARMv6-M (Cortex-M0+) variants *_m0: a requantization table whose entries also
// hold each channel's accumulator start, and SMMULR from four 16x16 MULS (ARMv6-M has no
// 32x32->64 multiply; GCC would call __aeabi_lmul).
#ifndef MN_M0_H
#define MN_M0_H

#include "mn_fast.h"

#if MN_ARM_V6M

// Per output channel, 16 bytes (it fits in the 20 of an mn_rq_t the scratch sizes count).
typedef struct {
    int32_t init; // bias + offset correction (the kernel's)
    int32_t mult;
    int32_t rnd;  // 2^(rs-1) + (out_off << rs); exact path: the shift
    uint8_t ls1;  // as mn_rq_t
    uint8_t rs;
    int8_t nm;    // -1 if rs > 0, else 0
    uint8_t exact; // 1: mn_requantize
} mn_rq0_t;

// (a * b + 2^31) >> 32, exact (GCC emits divided Thumb syntax for ARMv6-M: the assembly
// switches to unified and back): a*b = ah*bh 2^32 + (ah*bl + al*bh) 2^16 + al*bl, the low
// 16 bits of every partial term below 2^32 carried through one sum t.
MN_INLINE int32_t mn_m0_smmulr(int32_t a, int32_t b) {
    uint32_t al, bl, t, u;
    __asm (
        ".syntax unified\n"
        "uxth %[al], %[a]\n"
        "uxth %[bl], %[b]\n"
        "asrs %[a], %[a], #16\n"          // ah
        "asrs %[b], %[b], #16\n"          // bh
        "movs %[t], %[al]\n"
        "muls %[t], %[bl], %[t]\n"        // al * bl (unsigned, below 2^32)
        "muls %[bl], %[a], %[bl]\n"       // ah * bl (|.| < 2^31)
        "muls %[al], %[b], %[al]\n"       // al * bh
        "muls %[a], %[b], %[a]\n"         // ah * bh
        "lsrs %[t], %[t], #16\n"
        "uxth %[u], %[bl]\n"
        "adds %[t], %[t], %[u]\n"
        "uxth %[u], %[al]\n"
        "adds %[t], %[t], %[u]\n"
        "movs %[u], #128\n"
        "lsls %[u], %[u], #8\n"
        "adds %[t], %[t], %[u]\n"         // + 2^15: the 2^31 of the rounding
        "lsrs %[t], %[t], #16\n"
        "asrs %[bl], %[bl], #16\n"
        "asrs %[al], %[al], #16\n"
        "adds %[a], %[a], %[bl]\n"
        "adds %[a], %[a], %[al]\n"
        "adds %[a], %[a], %[t]\n"
        ".syntax divided\n"
        : [a] "+&l" (a), [b] "+&l" (b), [al] "=&l" (al), [bl] "=&l" (bl), [t] "=&l" (t), [u] "=&l" (u)
        :
        : "cc");
    return a;
}

// Entry of channel (mult, shift) for accumulators of `taps` products (bound as mn_rq_make).
MN_INLINE void mn_rq0_make(mn_rq0_t *r, int32_t mult, int32_t shift, int32_t taps, int32_t bias,
    int32_t out_off) {
    mn_rq_t q;
    mn_rq_make(&q, mult, shift, taps, bias);
    r->mult = mult;
    if (q.ls1 == 0 || q.rs > 20) { // rs <= 20: |out_off << rs| <= 2^27, no overflow
        r->exact = 1;
        r->ls1 = r->rs = 0;
        r->nm = 0;
        r->rnd = shift;
        return;
    }
    r->exact = 0;
    r->rnd = q.rnd + (int32_t)((uint32_t)out_off << q.rs);
    r->ls1 = (uint8_t)q.ls1;
    r->rs = (uint8_t)q.rs;
    r->nm = (int8_t)q.nm;
}

// mn_requantize(x, mult, shift) + out_off.
MN_INLINE int32_t mn_rq0(int32_t x, const mn_rq0_t *r, int32_t out_off) {
    if (__builtin_expect(r->exact, 0)) {
        return mn_requantize(x, r->mult, r->rnd) + out_off;
    }
    const int32_t y = mn_m0_smmulr((int32_t)((uint32_t)x << r->ls1), r->mult);
    return (y + r->rnd + ((y >> 31) & r->nm)) >> r->rs;
}

MN_INLINE int8_t mn_rq0_out(int32_t x, const mn_rq0_t *r, int32_t out_off, int32_t lo, int32_t hi) {
    return (int8_t)mn_clamp(mn_rq0(x, r, out_off), lo, hi);
}

#endif // MN_ARM_V6M
#endif // MN_M0_H
