// Softmax int8 -> int8 (output scale 1/256, zero point -128): plain C reference path,
// bit-exact with TFLite Micro's reference_ops::Softmax, which evaluates exp() and 1/x with
// gemmlowp's fixed-point routines. The helpers below reimplement those routines on raw int32
// values; "Qm" means m integer bits and 31 - m fractional bits.
#include "micronn.h"

#define MN_SRDHM mn_sat_rounding_doubling_high_mul

// x * 2^exponent, exponent > 0, saturating to the int32 range.
static int32_t mn_sat_shift_left(int32_t x, int exponent) {
    const int32_t threshold = (int32_t)((1u << (31 - exponent)) - 1);
    if (x > threshold) {
        return INT32_MAX;
    }
    if (x < -threshold) {
        return INT32_MIN;
    }
    return (int32_t)((uint32_t)x << exponent);
}

// exp(a) for a in [-1/4, 0), a and result Q0.
static int32_t mn_exp_quarter_interval(int32_t a) {
    const int32_t exp_minus_one_eighth = 1895147668; // exp(-1/8)
    const int32_t one_third = 715827883;
    // Taylor series around -1/8: x = a + 1/8.
    int32_t x = a + (1 << 28);
    int32_t x2 = MN_SRDHM(x, x);
    int32_t x3 = MN_SRDHM(x2, x);
    int32_t x4 = MN_SRDHM(x2, x2);
    int32_t x4_over_4 = mn_rounding_divide_by_pot(x4, 2);
    int32_t poly = mn_rounding_divide_by_pot(MN_SRDHM(x4_over_4 + x3, one_third) + x2, 1);
    return exp_minus_one_eighth + MN_SRDHM(exp_minus_one_eighth, x + poly);
}

// exp(a) for a <= 0: a in Q5 (26 fractional bits), result Q0.
static int32_t mn_exp_on_negative_values_q5(int32_t a) {
    // exp(-2^k) in Q0 for k = -2 .. 4: multiplied in for each set bit of the integer part.
    static const int32_t exp_neg_pow2[7] = {
        1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242,
    };
    const int frac_bits = 26;
    const int32_t quarter = 1 << (frac_bits - 2);
    int32_t a_mod_quarter_minus_quarter = (a & (quarter - 1)) - quarter;
    int32_t result = mn_exp_quarter_interval(mn_sat_shift_left(a_mod_quarter_minus_quarter, 5));
    int32_t remainder = (int32_t)((uint32_t)a_mod_quarter_minus_quarter - (uint32_t)a);
    for (int k = 0; k < 7; k++) {
        if (remainder & (1 << (frac_bits - 2 + k))) {
            result = MN_SRDHM(result, exp_neg_pow2[k]);
        }
    }
    return a == 0 ? INT32_MAX : result;
}

// 1 / (1 + a) for a in [0, 1): a and result Q0 (Newton-Raphson division in Q2).
int32_t mn_one_over_one_plus_x(int32_t a) {
    int64_t sum = (int64_t)a + INT32_MAX;
    int32_t half_denom = (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
    const int32_t c48_17 = 1515870810;   // 48/17 in Q2
    const int32_t cm32_17 = -1010580540; // -32/17 in Q2
    const int32_t one_q2 = 1 << 29;
    int32_t x = c48_17 + MN_SRDHM(half_denom, cm32_17);
    for (int i = 0; i < 3; i++) {
        int32_t one_minus = one_q2 - MN_SRDHM(half_denom, x);
        x = x + mn_sat_shift_left(MN_SRDHM(x, one_minus), 2);
    }
    // x / 2 from Q2 to Q0.
    return mn_sat_shift_left(x, 1);
}

static int mn_clz32(uint32_t x) {
    int n = 0;
    if (x == 0) {
        return 32;
    }
    while (!(x & 0x80000000u)) {
        x <<= 1;
        n++;
    }
    return n;
}

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
