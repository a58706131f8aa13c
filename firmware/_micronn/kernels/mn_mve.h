// Helium (MVE, Armv8.1-M: Cortex-M55) paths of the hottest kernels (not part of the public API).
// Each mn_<op>_mve() is called first by the public optimized kernel mn_<op>() and returns 1 if
// it computed the output, 0 to let the caller's portable/DSP path run (shapes it does not take,
// no scratch). Bit-exact with the reference kernels like every path.
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

int mn_fully_connected_s8_mve(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, int32_t batches, int32_t in_features, int32_t out_features,
    const mn_quant_t *quant, const mn_requant_t *requant);
int mn_conv2d_s8_mve(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *p, const mn_requant_t *requant, void *scratch);
int mn_depthwise_conv2d_s8_mve(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *p, const mn_requant_t *requant, void *scratch);
#else
// No MVE: the callers' `MN_MVE && mn_<op>_mve(...)` is 0 (nothing is compiled or linked).
#define mn_fully_connected_s8_mve(...) 0
#define mn_conv2d_s8_mve(...) 0
#define mn_depthwise_conv2d_s8_mve(...) 0
#endif

#endif // MN_MVE_H
