// SQUARED_DIFFERENCE int8 and int32 with 4-D broadcasting (TFLite Micro's squared_difference.cc).
//   int8:  both inputs brought to a common scale as ADD does (left shift 7), the int32 difference
//          squared, then rq(d * d, output multiplier, shift) + output zero point, clamped to int8
//   int32: d = a - b; d * d, wrapping as int32
#include "micronn_config.h"
#if MICRONN_OP_MATH

#include "micronn.h"

void mn_squared_difference_s8(const int8_t *input1, const int8_t *input2, int8_t *output, const int32_t *p) {
    const int32_t *d = p + MN_SQDIFF_D0, *s1 = p + MN_SQDIFF_IN1_S0, *s2 = p + MN_SQDIFF_IN2_S0;
    const int32_t off1 = p[MN_SQDIFF_IN1_OFFSET], off2 = p[MN_SQDIFF_IN2_OFFSET], ls = p[MN_SQDIFF_LEFT_SHIFT];
    const int32_t m1 = p[MN_SQDIFF_IN1_MULT], sh1 = p[MN_SQDIFF_IN1_SHIFT];
    const int32_t m2 = p[MN_SQDIFF_IN2_MULT], sh2 = p[MN_SQDIFF_IN2_SHIFT];
    const int32_t mo = p[MN_SQDIFF_OUT_MULT], sho = p[MN_SQDIFF_OUT_SHIFT];
    const int32_t out_off = p[MN_SQDIFF_OUTPUT_OFFSET];
    for (int32_t i0 = 0; i0 < d[0]; i0++) {
        for (int32_t i1 = 0; i1 < d[1]; i1++) {
            for (int32_t i2 = 0; i2 < d[2]; i2++) {
                const int8_t *x = input1 + i0 * s1[0] + i1 * s1[1] + i2 * s1[2];
                const int8_t *y = input2 + i0 * s2[0] + i1 * s2[1] + i2 * s2[2];
                for (int32_t i3 = 0; i3 < d[3]; i3++) {
                    const int32_t a = mn_requantize((x[i3 * s1[3]] + off1) * (1 << ls), m1, sh1);
                    const int32_t b = mn_requantize((y[i3 * s2[3]] + off2) * (1 << ls), m2, sh2);
                    const int32_t diff = a - b; // |diff| < 2^15: the square fits in int32
                    *output++ = (int8_t)mn_clamp(mn_requantize(diff * diff, mo, sho) + out_off, -128, 127);
                }
            }
        }
    }
}

void mn_squared_difference_s32(const int32_t *input1, const int32_t *input2, int32_t *output, const int32_t *p) {
    const int32_t *d = p + MN_BCAST_D0, *s1 = p + MN_BCAST_IN1_S0, *s2 = p + MN_BCAST_IN2_S0;
    for (int32_t i0 = 0; i0 < d[0]; i0++) {
        for (int32_t i1 = 0; i1 < d[1]; i1++) {
            for (int32_t i2 = 0; i2 < d[2]; i2++) {
                const int32_t *x = input1 + i0 * s1[0] + i1 * s1[1] + i2 * s1[2];
                const int32_t *y = input2 + i0 * s2[0] + i1 * s2[1] + i2 * s2[2];
                for (int32_t i3 = 0; i3 < d[3]; i3++) {
                    const uint32_t diff = (uint32_t)x[i3 * s1[3]] - (uint32_t)y[i3 * s2[3]];
                    *output++ = (int32_t)(diff * diff);
                }
            }
        }
    }
}

#endif // MICRONN_OP_MATH
