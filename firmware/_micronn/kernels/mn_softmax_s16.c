// INT16 area: SOFTMAX int16 -> int16 over the last axis, as TFLite Micro's SoftmaxInt16:
// exp(x - max) from a 513-entry table on [-10, 0] (its input: the difference rescaled so that
// 65535 units are 10.0, recentred to int16), the sum's reciprocal from a 513-entry 1/(1+x)
// table, output = exp * reciprocal in 2^-15 units (zero point 0). The tables are the
// converter's constants (TFLM builds them at Prepare).
#include "micronn_config.h"
#if MICRONN_OP_INT16

#include "micronn.h"
#include "mn_fixedpoint.h"

// TFLM's LUTLookup for int16: lut[256 + (v >> 7)] plus the slope times the low 7 bits, rounded.
MN_INLINE int16_t mn_lut_lookup_s16(int32_t v, const int16_t *lut) {
    const int32_t k = 256 + (v >> 7);
    const int16_t slope = (int16_t)(lut[k + 1] - lut[k]);
    return (int16_t)(lut[k] + ((slope * (v & 0x7F) + 64) >> 7));
}

void mn_softmax_s16(const int16_t *input, const int16_t *exp_table, const int16_t *recip_table,
    int16_t *output, const int32_t *p) {
    const int32_t depth = p[MN_SOFTMAX16_DEPTH];
    const int32_t mult = p[MN_SOFTMAX16_INPUT_MULT], shift = p[MN_SOFTMAX16_INPUT_SHIFT];
    for (int32_t r = 0; r < p[MN_SOFTMAX16_ROWS]; r++) {
        const int16_t *x = input + r * depth;
        int16_t *y = output + r * depth;
        int32_t max = -32768;
        for (int32_t c = 0; c < depth; c++) {
            max = x[c] > max ? x[c] : max;
        }
        // exps in Q0.15, kept in the output row (input and output may be one buffer: x[c] is
        // read before y[c] is written); their sum < 65536 * 32768
        int32_t sum = 0;
        for (int32_t c = 0; c < depth; c++) {
            const int32_t scaled = mn_requantize(x[c] - max, mult, shift) + 32767;
            const int16_t e = mn_lut_lookup_s16(mn_clamp(scaled, -32768, 32767), exp_table);
            y[c] = e;
            sum += e;
        }
        // sum = 2^(31 - headroom) * (1 + f): 1 / (1 + f) from the table on f in [0, 1)
        const int headroom = mn_clz32((uint32_t)sum); // >= 1: sum > 0 (the max's exp is 32767)
        const int32_t shifted = (int32_t)((((int64_t)sum << (headroom - 1)) + (1 << 13)) >> 14);
        const int16_t recip = mn_lut_lookup_s16(mn_clamp(shifted - (1 << 15) - (1 << 16), -32768, 32767),
                                                recip_table);
        const int right = 31 - headroom;
        const int64_t round = (int64_t)1 << (right - 1);
        for (int32_t c = 0; c < depth; c++) {
            const int32_t v = (int32_t)(((int64_t)y[c] * recip + round) >> right);
            y[c] = (int16_t)mn_clamp(v, 0, 32767);
        }
    }
}

#endif // MICRONN_OP_INT16
