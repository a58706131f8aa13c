// Helpers shared by the optimized kernels (not part of the public API).
//
// - SIMD wrappers for ARMv7E-M (MN_ARM_DSP): SXTB16/SXTAB16 widen four int8 lanes into two
//   registers of int16 pairs (lanes 0,2 and, rotated by 8, lanes 1,3); SMLAD does two
//   16x16 MACs; SMLABB/SMLATT one MAC on the bottom/top halves.
// - A cheaper requantization, equal to mn_requantize() whenever |x << left_shift| < 2^29
//   (checked per channel from a bound on its accumulators, see mn_rq_make):
//     SaturatingRoundingDoublingHighMul(a, m) = (a * m + 2^30) >> 31 for m >= 0 (the
//       truncating division of the nudged product equals this floor for either sign),
//       which is SMMULR(2a, m) = (2a * m + 2^31) >> 32;
//     RoundingDivideByPOT(y, e) = (y + 2^(e-1) - (y < 0)) >> e for e >= 1 (round half
//       away from zero), and y for e = 0.
#ifndef MN_FAST_H
#define MN_FAST_H

#include <stddef.h>

#include "micronn.h"
#include "mn_arch.h"

// An int32 that may alias any other type (word stores into int8/int16 buffers).
typedef int32_t __attribute__((may_alias)) mn_i32a_t;

// 32-bit load from any address (LDR allows unaligned access on ARMv7-M).
MN_INLINE int32_t mn_read_s32(const void *p) {
    int32_t v;
    __builtin_memcpy(&v, p, 4);
    return v;
}

#if MN_ARM_DSP
MN_INLINE int32_t mn_sxtb16(int32_t x) {
    int32_t r;
    __asm ("sxtb16 %0, %1" : "=r" (r) : "r" (x));
    return r;
}
MN_INLINE int32_t mn_sxtb16_ror8(int32_t x) {
    int32_t r;
    __asm ("sxtb16 %0, %1, ror #8" : "=r" (r) : "r" (x));
    return r;
}
// a + sxtb16(x) per halfword.
MN_INLINE int32_t mn_sxtab16(int32_t a, int32_t x) {
    int32_t r;
    __asm ("sxtab16 %0, %1, %2" : "=r" (r) : "r" (a), "r" (x));
    return r;
}
MN_INLINE int32_t mn_sxtab16_ror8(int32_t a, int32_t x) {
    int32_t r;
    __asm ("sxtab16 %0, %1, %2, ror #8" : "=r" (r) : "r" (a), "r" (x));
    return r;
}
// acc + x.lo * y.lo + x.hi * y.hi
MN_INLINE int32_t mn_smlad(int32_t x, int32_t y, int32_t acc) {
    int32_t r;
    __asm ("smlad %0, %1, %2, %3" : "=r" (r) : "r" (x), "r" (y), "r" (acc));
    return r;
}
MN_INLINE int32_t mn_smlabb(int32_t x, int32_t y, int32_t acc) {
    int32_t r;
    __asm ("smlabb %0, %1, %2, %3" : "=r" (r) : "r" (x), "r" (y), "r" (acc));
    return r;
}
MN_INLINE int32_t mn_smlabt(int32_t x, int32_t y, int32_t acc) {
    int32_t r;
    __asm ("smlabt %0, %1, %2, %3" : "=r" (r) : "r" (x), "r" (y), "r" (acc));
    return r;
}
MN_INLINE int32_t mn_smlatt(int32_t x, int32_t y, int32_t acc) {
    int32_t r;
    __asm ("smlatt %0, %1, %2, %3" : "=r" (r) : "r" (x), "r" (y), "r" (acc));
    return r;
}
// x.lo * y.lo, x.hi * y.hi
MN_INLINE int32_t mn_smulbb(int32_t x, int32_t y) {
    int32_t r;
    __asm ("smulbb %0, %1, %2" : "=r" (r) : "r" (x), "r" (y));
    return r;
}
MN_INLINE int32_t mn_smultt(int32_t x, int32_t y) {
    int32_t r;
    __asm ("smultt %0, %1, %2" : "=r" (r) : "r" (x), "r" (y));
    return r;
}
#endif

// (a * b + 2^31) >> 32 (SMMULR).
MN_INLINE int32_t mn_smmulr(int32_t a, int32_t b) {
    #if MN_ARM_DSP
    int32_t r;
    __asm ("smmulr %0, %1, %2" : "=r" (r) : "r" (a), "r" (b));
    return r;
    #else
    return (int32_t)(((int64_t)a * b + 0x80000000LL) >> 32);
    #endif
}

// Saturate to int8 / int16 (SSAT where the core has it).
MN_INLINE int32_t mn_sat8(int32_t x) {
    #if MN_ARM_SSAT
    int32_t r;
    __asm ("ssat %0, #8, %1" : "=r" (r) : "r" (x));
    return r;
    #else
    return mn_clamp(x, -128, 127);
    #endif
}
MN_INLINE int32_t mn_sat16(int32_t x) {
    #if MN_ARM_SSAT
    int32_t r;
    __asm ("ssat %0, #16, %1" : "=r" (r) : "r" (x));
    return r;
    #else
    return mn_clamp(x, -32768, 32767);
    #endif
}

// Per-channel requantization, derived once from (multiplier, shift) and a bound on the
// channel's accumulators (taps products of |x + offset| <= 255 and |w| <= 128, plus |bias|).
// Channels whose accumulators may leave the range where mn_rq() is exact (|x << ls| < 2^29)
// are marked with ls1 = 0 and use mn_requantize() (real models have such channels: dead
// channels with a bias near 2^30).
typedef struct {
    int32_t ls1;  // left shift + 1 (the doubling of SMMULR); 0: exact path
    int32_t mult;
    int32_t rnd;  // 2^(rs-1), or 0
    int32_t rs;   // right shift
    int32_t nm;   // -1 if rs > 0 (round negative halves away from zero), else 0; exact path: shift
} mn_rq_t;

MN_INLINE void mn_rq_make(mn_rq_t *r, int32_t mult, int32_t shift, int32_t taps, int32_t bias) {
    const int64_t bound = (int64_t)taps * 255 * 128 + (bias < 0 ? -(int64_t)bias : bias);
    const int32_t ls = shift > 0 ? shift : 0;
    r->mult = mult;
    if (ls >= 29 || bound >= ((int64_t)1 << (29 - ls))) {
        r->ls1 = 0;
        r->rs = r->rnd = 0;
        r->nm = shift;
        return;
    }
    r->ls1 = ls + 1;
    r->rs = shift > 0 ? 0 : -shift;
    r->rnd = (int32_t)((1u << r->rs) >> 1);
    r->nm = -(int32_t)(r->rs > 0);
}

MN_INLINE int32_t mn_rq(int32_t x, const mn_rq_t *r) {
    if (__builtin_expect(r->ls1 == 0, 0)) {
        return mn_requantize(x, r->mult, r->nm);
    }
    int32_t y = mn_smmulr((int32_t)((uint32_t)x << r->ls1), r->mult);
    return (y + r->rnd + ((y >> 31) & r->nm)) >> r->rs;
}

// Folds the output offset into every channel's rounding term, when all channels are on the
// cheap path with a right shift in [1, 20] and [lo, hi] is within int8: then
// mn_rq_fused1(x) == mn_rq(x) + out_off ((y + rnd + neg) >> rs + o == (y + rnd + (o << rs) + neg)
// >> rs; |y| < 2^29, |o << rs| <= 2^27: no overflow). Returns 1 if it did, else leaves rq alone.
MN_INLINE int mn_rq_fuse(mn_rq_t *rq, int32_t n, int32_t out_off, int32_t lo, int32_t hi) {
    if (lo < -128 || hi > 127) {
        return 0;
    }
    for (int32_t c = 0; c < n; c++) {
        if (rq[c].ls1 == 0 || rq[c].rs < 1 || rq[c].rs > 20) {
            return 0;
        }
    }
    for (int32_t c = 0; c < n; c++) {
        rq[c].rnd += (int32_t)((uint32_t)out_off << rq[c].rs);
    }
    return 1;
}

// mn_rq() + out_off for a table folded by mn_rq_fuse (rs >= 1: negative halves round down).
MN_INLINE int32_t mn_rq_fused1(int32_t x, const mn_rq_t *r) {
    const int32_t y = mn_smmulr((int32_t)((uint32_t)x << r->ls1), r->mult);
    return (y + (y >> 31) + r->rnd) >> r->rs;
}

#endif // MN_FAST_H
