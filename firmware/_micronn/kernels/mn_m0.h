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

// (a * b + 2^31) >> 32, exact: a*b = ah*bh 2^32 + (ah*bl + al*bh) 2^16 + al*bl, the low
// 16 bits of every partial term below 2^32 carried through one sum t.
MN_INLINE int32_t mn_m0_smmulr(int32_t a, int32_t b) {
    const uint32_t al = (uint32_t)a & 0xFFFFu, bl = (uint32_t)b & 0xFFFFu;
    const int32_t ah = a >> 16, bh = b >> 16;
    const uint32_t ll = al * bl;
    const int32_t lh = ah * (int32_t)bl, hl = (int32_t)al * bh;
    const uint32_t t = (ll >> 16) + ((uint32_t)lh & 0xFFFFu) + ((uint32_t)hl & 0xFFFFu) + 0x8000u;
    return ah * bh + (lh >> 16) + (hl >> 16) + (int32_t)(t >> 16);
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
