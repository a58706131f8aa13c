// NN area: LOG_SOFTMAX int8 over the last dim, TFLite Micro's LogSoftmaxQuantized (output scale
// 16/256, zero point 127): per row the exps of the scaled differences (Q5 in, Q0 out) summed in
// Q12, the log of that sum in Q5 (gemmlowp's log_x_for_x_greater_than_or_equal_to_1), then each
// output rdbpot(diff in Q5 - log sum, 22) + 127 for the differences above the adjusted diff_min.
#include "micronn_config.h"
#if MICRONN_OP_NN

#include "micronn.h"
#include "mn_fixedpoint.h"

// log(x) for x >= 1: x in Q12, result in Q5 (accumulated in Q6, as TFLite Micro does).
static int32_t mn_log_q12_to_q5(int32_t x) {
    const int32_t log_2 = 1488522236, sqrt_sqrt_half = 1805811301, sqrt_half = 1518500250;
    const int32_t alpha_n = 117049297, alpha_d = 127690142, alpha_i = 1057819769, alpha_f = 638450708;
    const int32_t quarter_q6 = 1 << 23; // 1/4 in Q6
    const int in_bits = 12, accum_shift = 31 - 6;
    // x = 2^k * r with r in [sqrt(1/2), 1), two ways (as z_a, and z_b = x * sqrt(1/2))
    const int a_headroom_plus_1 = mn_clz32((uint32_t)x);
    const int32_t r_a = mn_sat_pot(MN_SRDHM(mn_sat_pot(x, a_headroom_plus_1 - 1), sqrt_half), 1);
    const int32_t a_pow2 = mn_sat_add(mn_sat_pot(in_bits - a_headroom_plus_1, accum_shift), quarter_q6);
    const int32_t z_b = MN_SRDHM(x, sqrt_half);
    const int b_headroom = mn_clz32((uint32_t)z_b) - 1;
    const int32_t r_b = mn_sat_pot(x, b_headroom);
    const int32_t b_pow2 = mn_sat_sub(mn_sat_pot(in_bits - b_headroom, accum_shift), quarter_q6);
    const int32_t r = r_a < r_b ? r_a : r_b;
    const int32_t pow2 = a_pow2 > b_pow2 ? a_pow2 : b_pow2;
    // log(r) by a rational approximation around sqrt(sqrt(1/2)), in Q0
    const int64_t half_sum = (int64_t)r + sqrt_sqrt_half;
    const int32_t pp = (int32_t)((half_sum + (half_sum >= 0 ? 1 : -1)) / 2);
    int32_t q = mn_wrap_sub(r, sqrt_sqrt_half);
    q = mn_wrap_add(q, q);
    const int32_t sq = MN_SRDHM(q, q);
    const int32_t num = mn_wrap_add(MN_SRDHM(q, r), MN_SRDHM(MN_SRDHM(q, sq), alpha_n));
    const int32_t denom_minus_one = mn_wrap_add(
        MN_SRDHM(pp, mn_wrap_add(mn_wrap_add(alpha_i, q), MN_SRDHM(alpha_d, sq))), MN_SRDHM(alpha_f, q));
    const int32_t recip = mn_one_over_one_plus_x(denom_minus_one);
    const int32_t num_q6 = mn_rounding_divide_by_pot(num, 6);
    return mn_sat_shift_left(mn_wrap_add(MN_SRDHM(pow2, log_2), MN_SRDHM(num_q6, recip)), 1);
}

void mn_log_softmax_s8(const int8_t *input, int8_t *output, const int32_t *p) {
    // input [rows, depth] -> output [rows, depth]
    const int32_t depth = p[MN_LOGSOFTMAX_DEPTH];
    const int32_t mult = p[MN_LOGSOFTMAX_INPUT_MULTIPLIER], left_shift = p[MN_LOGSOFTMAX_INPUT_LEFT_SHIFT];
    const int32_t divisor = p[MN_LOGSOFTMAX_REVERSE_SCALING_DIVISOR];
    const int32_t divisor_shift = p[MN_LOGSOFTMAX_REVERSE_SCALING_SHIFT];
    const int32_t diff_min = p[MN_LOGSOFTMAX_DIFF_MIN];
    for (int32_t i = 0; i < p[MN_LOGSOFTMAX_ROWS]; i++) {
        const int8_t *x = input + i * depth;
        int8_t *y = output + i * depth;
        int32_t max = -128;
        for (int32_t c = 0; c < depth; c++) {
            max = x[c] > max ? x[c] : max;
        }
        int32_t sum = 0; // Q12, wraps as TFLite Micro's int32 does
        for (int32_t c = 0; c < depth; c++) {
            const int32_t diff = x[c] - max;
            if (diff >= diff_min) {
                const int32_t e = mn_exp_on_negative_values_q5(mn_requantize(diff, mult, left_shift));
                sum = mn_wrap_add(sum, mn_rounding_divide_by_pot(e, 12));
            }
        }
        const int32_t log_sum = mn_log_q12_to_q5(sum);
        int32_t adjusted = mn_requantize(mn_wrap_add(log_sum, INT32_MIN), divisor, divisor_shift);
        adjusted = adjusted > diff_min - 1 ? adjusted : diff_min - 1;
        for (int32_t c = 0; c < depth; c++) {
            const int32_t diff = x[c] - max;
            int32_t v = -128;
            if (diff > adjusted) {
                const int32_t q5 = mn_requantize(diff, mult, left_shift);
                v = mn_clamp(mn_rounding_divide_by_pot(mn_wrap_sub(q5, log_sum), 22) + 127, -128, 127);
            }
            y[c] = (int8_t)v;
        }
    }
}

#endif // MICRONN_OP_NN
