// DIV int8 with 4-D broadcasting: TFLite Micro's DivElementwise / BroadcastDivSlowQuantized.
// a = input1 + input1_offset, b = input2 + input2_offset (both negated when b < 0); 1/b is
// GetReciprocal's fixed-point value (b normalised to [1, 2), then gemmlowp's 1 / (1 + x)), a is
// shifted up by its headroom, and the quotient rescaled by the output multiplier with a total
// right shift of headroom + reciprocal shift - output_shift.
#include "micronn_config.h"
#if MICRONN_OP_MATH

#include "micronn.h"
#include "mn_fixedpoint.h" // mn_one_over_one_plus_x (gemmlowp), shared with SOFTMAX

MN_INLINE int mn_div_clz(uint32_t x) {
    return x ? __builtin_clz(x) : 32;
}

// Redundant sign bits of x (CountLeadingSignBits; 31 for 0).
MN_INLINE int mn_div_clrsb(int32_t x) {
    return mn_div_clz(x >= 0 ? (uint32_t)x : ~(uint32_t)x) - 1;
}

// RoundingDivideByPOT for an exponent in [0, 63] as the live TFLM computes it: the quotient's
// total shift passes 31 for small quotients (a = 0 always: headroom 31), and there TFLM's mask
// (1 << e) - 1 keeps all 32 bits while the shift count is taken mod 32 (x86's shift). Spelled out
// here so every target gives TFLM's bytes (a C shift by 32 or more is undefined).
MN_INLINE int32_t mn_div_rounding_divide_by_pot(int32_t x, int32_t e) {
    const int32_t mask = e < 32 ? (int32_t)((1LL << e) - 1) : -1;
    const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> (e & 31)) + ((x & mask) > threshold ? 1 : 0);
}

void mn_div_s8(const int8_t *input1, const int8_t *input2, int8_t *output, const int32_t *p) {
    const int32_t *d = p + MN_DIV8_D0, *s1 = p + MN_DIV8_IN1_S0, *s2 = p + MN_DIV8_IN2_S0;
    const int32_t off1 = p[MN_DIV8_IN1_OFFSET], off2 = p[MN_DIV8_IN2_OFFSET], out_off = p[MN_DIV8_OUTPUT_OFFSET];
    const int32_t mo = p[MN_DIV8_OUT_MULT], sho = p[MN_DIV8_OUT_SHIFT];
    const int32_t lo = p[MN_DIV8_ACT_MIN], hi = p[MN_DIV8_ACT_MAX];
    int32_t last_b = -1, inv = 0, recip_shift = 0; // the reciprocal of the last |b| (b > 0 below)
    for (int32_t i0 = 0; i0 < d[0]; i0++) {
        for (int32_t i1 = 0; i1 < d[1]; i1++) {
            for (int32_t i2 = 0; i2 < d[2]; i2++) {
                const int8_t *x = input1 + i0 * s1[0] + i1 * s1[1] + i2 * s1[2];
                const int8_t *y = input2 + i0 * s2[0] + i1 * s2[1] + i2 * s2[2];
                for (int32_t i3 = 0; i3 < d[3]; i3++) {
                    int32_t a = x[i3 * s1[3]] + off1, b = y[i3 * s2[3]] + off2;
                    if (b < 0) {
                        a = -a;
                        b = -b;
                    }
                    if (b != last_b) { // b = 0 (TFLM does not refuse it) gives its fixed result
                        const int h = mn_div_clz((uint32_t)b);
                        recip_shift = 31 - h;
                        inv = mn_one_over_one_plus_x((int32_t)((h < 32 ? (uint32_t)b << h : 0u) - 0x80000000u));
                        last_b = b;
                    }
                    const int headroom = mn_div_clrsb(a);
                    const int32_t q = mn_sat_rounding_doubling_high_mul((int32_t)((uint32_t)a << headroom), inv);
                    const int32_t r = mn_div_rounding_divide_by_pot(mn_sat_rounding_doubling_high_mul(q, mo),
                        headroom + recip_shift - sho) + out_off;
                    *output++ = (int8_t)mn_clamp(r, lo, hi);
                }
            }
        }
    }
}

#endif // MICRONN_OP_MATH
