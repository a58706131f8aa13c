// MUL int8 with 4-D broadcasting (TFLite Micro's reference_integer_ops MulElementwise /
// BroadcastMul4DSlow): output = clamp(rq((a + off1) * (b + off2), mult, shift) + out_off).
// The host build runs long rows through ADD's SSE2 body (mn_add_s8_sse2.c).
#include "micronn_config.h"
#if MICRONN_OP_ELEMENTWISE

#include "micronn.h"
#include "mn_variants.h"

void mn_mul_s8(const int8_t *input1, const int8_t *input2, int8_t *output, const int32_t *p) {
    #if MN_HOST_SIMD
    if (mn_binary_s8_sse2(input1, input2, output, p + MN_MUL_D0, p + MN_MUL_IN1_S0, p + MN_MUL_IN2_S0, 0, 0,
        p[MN_MUL_INPUT1_OFFSET], p[MN_MUL_INPUT2_OFFSET], p[MN_MUL_MULTIPLIER], p[MN_MUL_SHIFT],
        p[MN_MUL_OUTPUT_OFFSET], p[MN_MUL_ACT_MIN], p[MN_MUL_ACT_MAX])) {
        return;
    }
    #endif
    const int32_t off1 = p[MN_MUL_INPUT1_OFFSET], off2 = p[MN_MUL_INPUT2_OFFSET];
    const int32_t out_off = p[MN_MUL_OUTPUT_OFFSET];
    const int32_t mult = p[MN_MUL_MULTIPLIER], shift = p[MN_MUL_SHIFT];
    const int32_t lo = p[MN_MUL_ACT_MIN], hi = p[MN_MUL_ACT_MAX];
    const int32_t *d = p + MN_MUL_D0, *s1 = p + MN_MUL_IN1_S0, *s2 = p + MN_MUL_IN2_S0;
    // output (d0, d1, d2, d3) <- input1 (strides s1) * input2 (strides s2)
    for (int32_t i0 = 0; i0 < d[0]; i0++) {
        for (int32_t i1 = 0; i1 < d[1]; i1++) {
            for (int32_t i2 = 0; i2 < d[2]; i2++) {
                const int8_t *a = input1 + i0 * s1[0] + i1 * s1[1] + i2 * s1[2];
                const int8_t *b = input2 + i0 * s2[0] + i1 * s2[1] + i2 * s2[2];
                for (int32_t i3 = 0; i3 < d[3]; i3++) {
                    // |a + off1|, |b + off2| <= 255: the product fits int32.
                    int32_t prod = (a[i3 * s1[3]] + off1) * (b[i3 * s2[3]] + off2);
                    *output++ = (int8_t)mn_clamp(mn_requantize(prod, mult, shift) + out_off, lo, hi);
                }
            }
        }
    }
}

#endif // MICRONN_OP_ELEMENTWISE
