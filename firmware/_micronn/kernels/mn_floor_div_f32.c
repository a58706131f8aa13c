// FLOOR_DIV float32 with 4-D broadcasting (TFLite Micro's FloorDiv<float>): the floor of the
// double quotient, rounded to float32. TFLM fails the op when any element of input2 is 0: so
// does this kernel (it returns 0 and writes nothing; the binding raises), before any output.
// Params: the BINF layout (op, act_min and act_max unused).
#include "micronn_config.h"
#if MICRONN_OP_MATH

#include "micronn.h"

// declared in bind_math.h (its binding raises on 0)
int mn_floor_div_f32(const float *input1, const float *input2, float *output, int32_t n2, const int32_t *p);

// floor(q), exact (some boards link no double libm): |q| >= 2^52, zeros, inf and NaN are their own floor.
MN_INLINE double mn_floor_f64(double q) {
    if (!(q > -4503599627370496.0 && q < 4503599627370496.0) || q == 0.0) {
        return q;
    }
    const double t = (double)(int64_t)q;
    return t > q ? t - 1.0 : t;
}

int mn_floor_div_f32(const float *input1, const float *input2, float *output, int32_t n2, const int32_t *p) {
    for (int32_t i = 0; i < n2; i++) {
        if (input2[i] == 0.0f) {
            return 0;
        }
    }
    const int32_t *d = p + MN_BINF_D0, *s1 = p + MN_BINF_IN1_S0, *s2 = p + MN_BINF_IN2_S0;
    for (int32_t i0 = 0; i0 < d[0]; i0++) {
        for (int32_t i1 = 0; i1 < d[1]; i1++) {
            for (int32_t i2 = 0; i2 < d[2]; i2++) {
                const float *x = input1 + i0 * s1[0] + i1 * s1[1] + i2 * s1[2];
                const float *y = input2 + i0 * s2[0] + i1 * s2[1] + i2 * s2[2];
                for (int32_t i3 = 0; i3 < d[3]; i3++) {
                    *output++ = (float)mn_floor_f64((double)x[i3 * s1[3]] / (double)y[i3 * s2[3]]);
                }
            }
        }
    }
    return 1;
}

#endif // MICRONN_OP_MATH
