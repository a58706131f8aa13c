// Elementwise add int8 with 4-D broadcasting: plain C reference path (bit-exact with
// TFLite Micro's reference_integer_ops AddFunc / BroadcastAdd6DSlow), and SUB int8 (area MATH)
// from the same body: TFLM's SubElementwise / BroadcastQuantSubSlow subtract the two rescaled
// inputs, rq(a) - rq(b) (not rq(a) + rq(b) with input2's multiplier negated: the rounding of
// rq is not odd-symmetric).
#include "micronn_config.h"
#include "micronn.h"
#include "mn_variants.h"

// sub is a constant at each call: ADD's code is what it was before SUB shared it.
MN_INLINE void mn_add_sub_s8(const int8_t *input1, const int8_t *input2, int8_t *output, const int32_t *p,
    const int sub) {
    #if MN_HOST_SIMD
    if (mn_add_s8_sse2(input1, input2, output, p, sub)) {
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
                    const int32_t rb = mn_requantize(b, m2, sh2);
                    int32_t sum = mn_requantize(a, m1, sh1) + (sub ? -rb : rb);
                    int32_t r = mn_requantize(sum, mo, sho) + out_off;
                    *output++ = (int8_t)mn_clamp(r, lo, hi);
                }
            }
        }
    }
}

void mn_add_s8(const int8_t *input1, const int8_t *input2, int8_t *output, const int32_t *p) {
    mn_add_sub_s8(input1, input2, output, p, 0);
}

#if MICRONN_OP_MATH
// The SUB layout (ops_math.py) has ADD's fields in ADD's order: the body reads it by MN_ADD_*.
#define MN_SAME(f) ((int)MN_SUB_##f == (int)MN_ADD_##f)
typedef char mn_sub_layout_is_add_layout[(MN_SAME(D0) && MN_SAME(IN1_S0) && MN_SAME(IN2_S0)
    && MN_SAME(IN1_OFFSET) && MN_SAME(IN2_OFFSET) && MN_SAME(OUTPUT_OFFSET) && MN_SAME(LEFT_SHIFT)
    && MN_SAME(IN1_MULT) && MN_SAME(IN1_SHIFT) && MN_SAME(IN2_MULT) && MN_SAME(IN2_SHIFT)
    && MN_SAME(OUT_MULT) && MN_SAME(OUT_SHIFT) && MN_SAME(ACT_MIN) && MN_SAME(ACT_MAX)
    && (int)MN_SUB_NPARAMS == (int)MN_ADD_NPARAMS) ? 1 : -1];
#undef MN_SAME

void mn_sub_s8(const int8_t *input1, const int8_t *input2, int8_t *output, const int32_t *params) {
    mn_add_sub_s8(input1, input2, output, params, 1);
}
#endif
