// Helpers of the Helium (MVE, Armv8.1-M: Cortex-M55) variants mn_<op>_<dtype>_mve (prototypes
// in mn_variants.h), not part of the public API. Bit-exact with the reference kernels like
// every path.
//
// Requantization on four lanes, exactly TFLite's MultiplyByQuantizedMultiplier:
//   VSHL by max(shift, 0) (wrapping, as the reference's uint32 shift);
//   VQRDMULH = (2 a m + 2^31) >> 32, saturating: SaturatingRoundingDoublingHighMul (its nudged
//     truncating division by 2^31 is floor((a m + 2^30) / 2^31) for either sign);
//   RoundingDivideByPOT(y, e), half away from zero: VRSHL by -e rounds half up, so negative y
//     first take -1 ((y + 2^(e-1) - 1) >> e); (y & -e) >> 31 is -1 exactly when y < 0 and e > 0.
#ifndef MN_MVE_H
#define MN_MVE_H

#include <stddef.h>

#include "micronn.h"
#include "mn_arch.h"

#if MN_MVE
#include <arm_mve.h>

MN_INLINE int32x4_t mn_mve_requant(int32x4_t x, int32x4_t mult, int32x4_t shift) {
    const int32x4_t zero = vdupq_n_s32(0);
    const int32x4_t rs = vminq_s32(shift, zero); // -right shift
    int32x4_t y = vqrdmulhq_s32(vshlq_s32(x, vmaxq_s32(shift, zero)), mult);
    y = vaddq_s32(y, vshrq_n_s32(vandq_s32(y, rs), 31));
    return vrshlq_s32(y, rs);
}

// The same when every lane's shift is <= 0 (no left shift: the usual case), rs = shift.
MN_INLINE int32x4_t mn_mve_requant_r(int32x4_t x, int32x4_t mult, int32x4_t rs) {
    int32x4_t y = vqrdmulhq_s32(x, mult);
    y = vaddq_s32(y, vshrq_n_s32(vandq_s32(y, rs), 31));
    return vrshlq_s32(y, rs);
}

// 1 if a shift of the requantization (n channels if per channel) is a left shift.
MN_INLINE int mn_mve_any_left(const mn_requant_t *rq, int32_t n) {
    for (int32_t c = 0; c < (rq->per_channel ? n : 1); c++) {
        if (rq->shift[c] > 0) {
            return 1;
        }
    }
    return 0;
}

// int8 of clamp(requant(acc) + out_off, lo, hi), stored from lane 0 to n-1 (n <= 4); left:
// mn_mve_any_left.
MN_INLINE void mn_mve_store4(int8_t *out, int32x4_t acc, int32x4_t mult, int32x4_t shift, int left,
    int32_t out_off, int32_t lo, int32_t hi, int32_t n) {
    int32x4_t y = vaddq_n_s32(left ? mn_mve_requant(acc, mult, shift) : mn_mve_requant_r(acc, mult, shift),
        out_off);
    y = vminq_s32(vmaxq_s32(y, vdupq_n_s32(lo)), vdupq_n_s32(hi));
    if (n >= 4) {
        vstrbq_s32(out, y);
    } else {
        vstrbq_p_s32(out, y, vctp32q((uint32_t)n));
    }
}
#endif

#endif // MN_MVE_H
