// float32 kernels of the NN area (mn_f32_*.c): TFLite Micro's float fused activation.
#ifndef MN_F32_H
#define MN_F32_H

#include <float.h>
#include <stdint.h>

// CalculateActivationRange (float): act 0 none, 1 RELU, 2 RELU_N1_TO_1, 3 RELU6.
static inline void mn_f32_act_range(int32_t act, float *lo, float *hi) {
    static const float lo_of[4] = {-FLT_MAX, 0.0f, -1.0f, 0.0f};
    static const float hi_of[4] = {FLT_MAX, FLT_MAX, 1.0f, 6.0f};
    *lo = lo_of[act];
    *hi = hi_of[act];
}

// ActivationFunctionWithMinMax: std::min(std::max(x, lo), hi) (a NaN passes through).
static inline float mn_f32_clamp(float x, float lo, float hi) {
    x = x < lo ? lo : x;
    return hi < x ? hi : x;
}

#endif // MN_F32_H
