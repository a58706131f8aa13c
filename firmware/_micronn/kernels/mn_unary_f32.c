// MATH area: float32 elementwise unary ops, params.op (host_tools/ops/ops_unary.py), as TFLite
// Micro's reference kernels compute them in float32:
//   ABS fabsf, NEG -x, CEIL ceilf, FLOOR floorf, SQRT sqrtf, RSQRT 1.0f / sqrtf, SQUARE x * x,
//   ROUND RoundToNearest: f = floorf(x), d = x - f; d < 0.5 or (d == 0.5 and (int)f even) ? f : f + 1
//   EXP, LOG, SIN, COS: std::exp, ... (glibc's on the host): mn_expf, ... (kernels/mn_libm_f32.c)
// NaNs: a NaN input gives that NaN quieted (ABS and NEG: only its sign bit changes), and an
// invalid operation (SQRT/RSQRT/LOG of a negative number, SIN/COS of an infinity) x86's default
// NaN 0xFFC00000, as the live TFLite Micro on the host gives; every board then writes the same
// bits (ARM's FPUs would give 0x7FC00000 and soft-float libraries their own).
#include "micronn_config.h"
#if MICRONN_OP_MATH

#pragma GCC optimize("fp-contract=off")

#include "micronn.h"
#include "mn_libm_f32.h"

float sqrtf(float x); // libm (declared here: the Xtensa compile check has no math.h)
float floorf(float x);
float ceilf(float x);

#define MN_F32_DEFAULT_NAN 0xFFC00000u // x86's "real indefinite"
#define MN_F32_QUIET 0x00400000u

MN_INLINE uint32_t mn_f32_to_bits(float f) {
    uint32_t u;
    __builtin_memcpy(&u, &f, sizeof u); // (no string.h: the Xtensa compile check has none)
    return u;
}

MN_INLINE float mn_bits_to_f32(uint32_t u) {
    float f;
    __builtin_memcpy(&f, &u, sizeof f);
    return f;
}

MN_INLINE int mn_f32_is_nan(uint32_t u) {
    return (u & 0x7FFFFFFFu) > 0x7F800000u;
}

MN_INLINE float mn_round_f32(float x) {
    const float f = floorf(x);
    const float d = x - f;
    if (d < 0.5f || (d == 0.5f && (int32_t)f % 2 == 0)) {
        return f;
    }
    return f + 1.0f;
}

MN_INLINE float mn_sqrt_f32(float x) {
    return x < 0.0f ? mn_bits_to_f32(MN_F32_DEFAULT_NAN) : sqrtf(x);
}

MN_INLINE float mn_rsqrt_f32(float x) {
    return x < 0.0f ? mn_bits_to_f32(MN_F32_DEFAULT_NAN) : 1.0f / sqrtf(x);
}

// One loop per op (chosen once per call): a NaN input passes quieted, else out = EXPR(x).
#define MN_UNARYF_LOOP(EXPR) \
    for (int32_t i = 0; i < count; i++) { \
        const float x = input[i]; \
        const uint32_t u = mn_f32_to_bits(x); \
        output[i] = mn_f32_is_nan(u) ? mn_bits_to_f32(u | MN_F32_QUIET) : (EXPR); \
    }

void mn_unary_f32(const float *input, float *output, int32_t count, const int32_t *p) {
    // input [count] -> output [count] (output may be input)
    switch (p[MN_UNARYF_OP]) {
        case 0: // ABS, NEG: the sign bit alone
            for (int32_t i = 0; i < count; i++) {
                output[i] = mn_bits_to_f32(mn_f32_to_bits(input[i]) & 0x7FFFFFFFu);
            }
            break;
        case 1:
            for (int32_t i = 0; i < count; i++) {
                output[i] = mn_bits_to_f32(mn_f32_to_bits(input[i]) ^ 0x80000000u);
            }
            break;
        case 2:
            MN_UNARYF_LOOP(ceilf(x));
            break;
        case 3:
            MN_UNARYF_LOOP(floorf(x));
            break;
        case 4:
            MN_UNARYF_LOOP(mn_round_f32(x));
            break;
        case 5:
            MN_UNARYF_LOOP(mn_sqrt_f32(x));
            break;
        case 6:
            MN_UNARYF_LOOP(mn_rsqrt_f32(x));
            break;
        case 7:
            MN_UNARYF_LOOP(x * x);
            break;
        case 8:
            MN_UNARYF_LOOP(mn_expf(x));
            break;
        case 9:
            MN_UNARYF_LOOP(mn_logf(x));
            break;
        case 10:
            MN_UNARYF_LOOP(mn_sinf(x));
            break;
        default:
            MN_UNARYF_LOOP(mn_cosf(x));
            break;
    }
}

#endif // MICRONN_OP_MATH
