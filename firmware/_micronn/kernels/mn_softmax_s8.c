// Softmax int8 -> int8 (output scale 1/256, zero point -128): plain C reference path,
// bit-exact with TFLite Micro's reference_ops::Softmax, which evaluates exp() and 1/x with
// gemmlowp's fixed-point routines (mn_fixedpoint.h).
#include "micronn.h"
#include "mn_fixedpoint.h"

// exp((x - max) * beta * input_scale) in Q0 for a difference >= diff_min.
MN_INLINE int32_t mn_softmax_exp(int32_t diff, int32_t mult, int left_shift) {
    int32_t scaled = MN_SRDHM((int32_t)((uint32_t)diff << left_shift), mult); // Q5
    return mn_exp_on_negative_values_q5(scaled);
}

void mn_softmax_s8(const int8_t *input, int8_t *output, const int32_t *p) {
    const int32_t depth = p[MN_SOFTMAX_DEPTH];
    const int32_t mult = p[MN_SOFTMAX_INPUT_MULT];
    const int left_shift = (int)p[MN_SOFTMAX_INPUT_LEFT_SHIFT];
    const int32_t diff_min = p[MN_SOFTMAX_DIFF_MIN];
    for (int32_t r = 0; r < p[MN_SOFTMAX_ROWS]; r++) {
        const int8_t *x = input + r * depth;
        int8_t *y = output + r * depth;
        int32_t max = -128;
        for (int32_t c = 0; c < depth; c++) {
            max = x[c] > max ? x[c] : max;
        }
        // Sum of exps in Q12 (wraps past 2^12 maximal elements, as int32 does in TFLite Micro).
        uint32_t sum = 0;
        for (int32_t c = 0; c < depth; c++) {
            int32_t diff = x[c] - max;
            if (diff >= diff_min) {
                sum += (uint32_t)mn_rounding_divide_by_pot(mn_softmax_exp(diff, mult, left_shift), 12);
            }
        }
        // sum = 2^bits_over_unit * (1 + f), f in [0, 1): scale = 1 / (1 + f) in Q0.
        int headroom_plus_one = mn_clz32(sum);
        int bits_over_unit = 12 - headroom_plus_one;
        int32_t scale = mn_one_over_one_plus_x(
            (int32_t)((headroom_plus_one < 32 ? sum << headroom_plus_one : 0u) - 0x80000000u));
        // Output exp * scale / 2^bits_over_unit in units of 1/256.
        int exponent = bits_over_unit + 31 - 8;
        if (exponent > 31) {
            exponent = 31; // TFLite Micro stops here (more than 2^9 maximal elements in a row)
        }
        for (int32_t c = 0; c < depth; c++) {
            int32_t diff = x[c] - max;
            int32_t v = -128;
            if (diff >= diff_min) {
                int32_t e = mn_softmax_exp(diff, mult, left_shift);
                v = mn_rounding_divide_by_pot(MN_SRDHM(scale, e), exponent) - 128;
                v = mn_clamp(v, -128, 127);
            }
            y[c] = (int8_t)v;
        }
    }
}
