// Elementwise add int8 with 4-D broadcasting: plain C reference path (bit-exact with
// TFLite Micro's reference_integer_ops AddFunc / BroadcastAdd6DSlow).
#include "micronn.h"
#include "mn_variants.h"

void mn_add_s8(const int8_t *input1, const int8_t *input2, int8_t *output, const int32_t *p) {
    #if MN_HOST_SIMD
    if (mn_add_s8_sse2(input1, input2, output, p)) {
        return;
    }
    #endif
    const int32_t off1 = p[MN_ADD_IN1_OFFSET], off2 = p[MN_ADD_IN2_OFFSET];
    const int32_t ls = p[MN_ADD_LEFT_SHIFT];
    const int32_t m1 = p[MN_ADD_IN1_MULT], sh1 = p[MN_ADD_IN1_SHIFT];
    const int32_t m2 = p[MN_ADD_IN2_MULT], sh2 = p[MN_ADD_IN2_SHIFT];
    const int32_t mo = p[MN_ADD_OUT_MULT], sho = p[MN_ADD_OUT_SHIFT];
    const int32_t out_off = p[MN_ADD_OUTPUT_OFFSET];
    const int32_t lo = p[MN_ADD_ACT_MIN], hi = p[MN_ADD_ACT_MAX];
    const int32_t d3 = p[MN_ADD_D3];
    const int32_t a3 = p[MN_ADD_IN1_S3], b3 = p[MN_ADD_IN2_S3];
    // output (d0, d1, d2, d3) <- input1 (strides a0..a3) + input2 (strides b0..b3)
    for (int32_t i0 = 0; i0 < p[MN_ADD_D0]; i0++) {
        for (int32_t i1 = 0; i1 < p[MN_ADD_D1]; i1++) {
            for (int32_t i2 = 0; i2 < p[MN_ADD_D2]; i2++) {
                const int8_t *x = input1 + i0 * p[MN_ADD_IN1_S0] + i1 * p[MN_ADD_IN1_S1] + i2 * p[MN_ADD_IN1_S2];
                const int8_t *y = input2 + i0 * p[MN_ADD_IN2_S0] + i1 * p[MN_ADD_IN2_S1] + i2 * p[MN_ADD_IN2_S2];
                for (int32_t i3 = 0; i3 < d3; i3++) {
                    // Shift both inputs up by ls bits, bring them to a common scale, add,
                    // then rescale to the output.
                    int32_t a = (x[i3 * a3] + off1) * (1 << ls);
                    int32_t b = (y[i3 * b3] + off2) * (1 << ls);
                    int32_t sum = mn_requantize(a, m1, sh1) + mn_requantize(b, m2, sh2);
                    int32_t r = mn_requantize(sum, mo, sho) + out_off;
                    *output++ = (int8_t)mn_clamp(r, lo, hi);
                }
            }
        }
    }
}
