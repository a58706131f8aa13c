// gemmlowp's fixed-point routines that TFLite Micro's kernels use (SOFTMAX, LOG_SOFTMAX,
// L2_NORMALIZATION), reimplemented on raw int32 values; "Qm" means m integer bits and 31 - m
// fractional bits. Not part of the public API.
#ifndef MN_FIXEDPOINT_H
#define MN_FIXEDPOINT_H

#include "micronn.h"

#define MN_SRDHM mn_sat_rounding_doubling_high_mul

// x * 2^exponent, exponent > 0, saturating to the int32 range.
MN_INLINE int32_t mn_sat_shift_left(int32_t x, int exponent) {
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
MN_INLINE int32_t mn_exp_quarter_interval(int32_t a) {
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
static inline int32_t mn_exp_on_negative_values_q5(int32_t a) {
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
static inline int32_t mn_one_over_one_plus_x(int32_t a) {
    int64_t sum = (int64_t)a + INT32_MAX;
    int32_t half_denom = (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
    const int32_t c48_17 = 1515870810;   // 48/17 in Q2
    const int32_t cm32_17 = -1010580540; // -32/17 in Q2
    const int32_t one_q2 = 1 << 29;
    // gemmlowp's fixed-point + and - are plain int32 arithmetic: outside [0, 1) (DIV by an input
    // at its zero point) they wrap on TFLite Micro's targets, so they wrap here, defined in C.
    int32_t x = (int32_t)((uint32_t)c48_17 + (uint32_t)MN_SRDHM(half_denom, cm32_17));
    for (int i = 0; i < 3; i++) {
        int32_t one_minus = (int32_t)((uint32_t)one_q2 - (uint32_t)MN_SRDHM(half_denom, x));
        x = (int32_t)((uint32_t)x + (uint32_t)mn_sat_shift_left(MN_SRDHM(x, one_minus), 2));
    }
    // x / 2 from Q2 to Q0.
    return mn_sat_shift_left(x, 1);
}

MN_INLINE int mn_clz32(uint32_t x) {
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


// gemmlowp SaturatingRoundingMultiplyByPOT with a runtime exponent: saturating left shifts,
// rounding (half away from zero) right shifts.
MN_INLINE int32_t mn_sat_pot(int32_t x, int exponent) {
    if (exponent > 0) {
        return mn_sat_shift_left(x, exponent);
    }
    return exponent < 0 ? mn_rounding_divide_by_pot(x, -exponent) : x;
}

// int32 addition that wraps (gemmlowp's FixedPoint + and - on raw values, as the compiled
// TFLite Micro behaves), without C's signed overflow.
MN_INLINE int32_t mn_wrap_add(int32_t a, int32_t b) {
    return (int32_t)((uint32_t)a + (uint32_t)b);
}

MN_INLINE int32_t mn_wrap_sub(int32_t a, int32_t b) {
    return (int32_t)((uint32_t)a - (uint32_t)b);
}

MN_INLINE int32_t mn_sat_add(int32_t a, int32_t b) {
    const int64_t s = (int64_t)a + b;
    return s > INT32_MAX ? INT32_MAX : (s < INT32_MIN ? INT32_MIN : (int32_t)s);
}

MN_INLINE int32_t mn_sat_sub(int32_t a, int32_t b) {
    const int64_t s = (int64_t)a - b;
    return s > INT32_MAX ? INT32_MAX : (s < INT32_MIN ? INT32_MIN : (int32_t)s);
}

// TFLite's GetInvSqrtQuantizedMultiplierExp (reverse shift -1): 1/sqrt(x), x >= 0, as a Q31
// multiplier and a shift (right shifts negative): Newton-Raphson in Q3; x <= 1 gives INT32_MAX, 0.
static inline void mn_inv_sqrt_multiplier_exp(int32_t x, int32_t *multiplier, int32_t *shift) {
    if (x <= 1) {
        *multiplier = INT32_MAX;
        *shift = 0;
        return;
    }
    int32_t s = 11;
    while (x >= (1 << 29)) {
        x /= 4;
        s++;
    }
    const int pairs = (mn_clz32((uint32_t)x) - 1) / 2 - 1;
    s -= pairs;
    x <<= 2 * pairs;
    const int32_t half_input = mn_rounding_divide_by_pot(x >> 1, 1); // Q3
    const int32_t half_three = (1 << 28) + (1 << 27);                // 1.5 in Q3
    int32_t y = 1 << 28;                                             // 1.0 in Q3
    for (int i = 0; i < 5; i++) {
        const int32_t y3 = mn_sat_shift_left(MN_SRDHM(MN_SRDHM(y, y), y), 6); // Q9 -> Q3
        y = mn_sat_shift_left(mn_wrap_sub(MN_SRDHM(half_three, y), MN_SRDHM(half_input, y3)), 3);
    }
    y = MN_SRDHM(y, 1518500250); // * sqrt(2) / 2 in Q0
    if (s < 0) {
        y = (int32_t)((uint32_t)y << -s);
        s = 0;
    }
    *multiplier = y;
    *shift = -s;
}

#endif // MN_FIXEDPOINT_H
