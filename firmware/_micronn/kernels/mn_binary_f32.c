// float32 binary ops with 4-D broadcasting (TFLite Micro's reference kernels, in float32):
//   ADD, SUB, MUL, DIV   ActivationFunctionWithMinMax(a op b): min(max(r, act_min), act_max)
//   MINIMUM, MAXIMUM     a < b ? a : b,  a > b ? a : b (MinimumOp / MaximumOp)
//   SQUARED_DIFFERENCE   d = a - b; d * d
//   FLOOR_MOD            m = fmodf(a, b); m != 0 && (b < 0) != (m < 0) ? m + b : m
// The ops without a fused activation get act_min -inf, act_max +inf from the converter: the
// clamp is then the identity (NaN and -0.0 included).
#include "micronn_config.h"
#if MICRONN_OP_MATH


#include "micronn.h"

float fmodf(float x, float y); // libm (declared here: the Xtensa compile check has no math.h)

MN_INLINE float mn_f32_bits(int32_t bits) {
    float f;
    __builtin_memcpy(&f, &bits, sizeof f); // (no string.h: the Xtensa compile check has none)
    return f;
}

// One loop nest per op (the op is chosen once per call, not per element).
#define MN_BINF_LOOPS(EXPR) \
    for (int32_t i0 = 0; i0 < d[0]; i0++) { \
        for (int32_t i1 = 0; i1 < d[1]; i1++) { \
            for (int32_t i2 = 0; i2 < d[2]; i2++) { \
                const float *x = input1 + i0 * s1[0] + i1 * s1[1] + i2 * s1[2]; \
                const float *y = input2 + i0 * s2[0] + i1 * s2[1] + i2 * s2[2]; \
                for (int32_t i3 = 0; i3 < d[3]; i3++) { \
                    const float a = x[i3 * s1[3]], b = y[i3 * s2[3]]; \
                    float r = (EXPR); \
                    r = r < lo ? lo : r; \
                    *output++ = hi < r ? hi : r; \
                } \
            } \
        } \
    }

MN_INLINE float mn_sqdiff_f32(float a, float b) {
    const float diff = a - b;
    return diff * diff;
}

MN_INLINE float mn_floor_mod_f32(float a, float b) {
    const float m = fmodf(a, b);
    return (m != 0.0f && ((b < 0.0f) != (m < 0.0f))) ? m + b : m;
}

void mn_binary_f32(const float *input1, const float *input2, float *output, const int32_t *p) {
    const int32_t *d = p + MN_BINF_D0, *s1 = p + MN_BINF_IN1_S0, *s2 = p + MN_BINF_IN2_S0;
    const float lo = mn_f32_bits(p[MN_BINF_ACT_MIN]), hi = mn_f32_bits(p[MN_BINF_ACT_MAX]);
    switch (p[MN_BINF_OP]) {
        case 0:
            MN_BINF_LOOPS(a + b);
            break;
        case 1:
            MN_BINF_LOOPS(a - b);
            break;
        case 2:
            MN_BINF_LOOPS(a * b);
            break;
        case 3:
            MN_BINF_LOOPS(a / b);
            break;
        case 4:
            MN_BINF_LOOPS(a < b ? a : b);
            break;
        case 5:
            MN_BINF_LOOPS(a > b ? a : b);
            break;
        case 6:
            MN_BINF_LOOPS(mn_sqdiff_f32(a, b));
            break;
        default:
            MN_BINF_LOOPS(mn_floor_mod_f32(a, b));
            break;
    }
}

#endif // MICRONN_OP_MATH
