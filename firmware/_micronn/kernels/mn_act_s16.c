// INT16 area: int16 activations as TFLite Micro's reference kernels compute them (zero points
// 0 where TFLM requires it; the binding has range-checked every params field).
//   LOGISTIC, TANH   the input rescaled to the table's units, |x| looked up in the 256-entry
//                    sigmoid table (0.16 fixed point) with linear interpolation, mirrored for x < 0
//   RELU             requantize, clamp;  RELU6: clamp the raw values
//   LEAKY_RELU       two requantizations (identity for v >= 0, |alpha| below, negated for alpha < 0)
//   PRELU            int8 alpha with 4-D broadcasting
#include "micronn_config.h"
#if MICRONN_OP_INT16

#include "micronn.h"
#include "mn_sigmoid16.h"

// (x * multiplier + round) >> shift: the input in the table's units (|x| < 2^31 by the ranges).
MN_INLINE int32_t mn_sigmoid16_rescale(int32_t x, int32_t mult, int32_t shift, int32_t round) {
    return (x * mult + round) >> shift;
}

void mn_logistic_s16(const int16_t *input, const int16_t *table, int16_t *output, int32_t count,
    const int32_t *p) {
    const uint16_t *t = (const uint16_t *)table;
    const int32_t mult = p[MN_SIGMOID16_INPUT_MULT], shift = p[MN_SIGMOID16_INPUT_SHIFT];
    const int32_t round = shift > 0 ? (int32_t)1 << (shift - 1) : 0;
    for (int32_t i = 0; i < count; i++) {
        output[i] = mn_sigmoid16_lookup(mn_sigmoid16_rescale(input[i], mult, shift, round), t);
    }
}

void mn_tanh_s16(const int16_t *input, const int16_t *table, int16_t *output, int32_t count,
    const int32_t *p) {
    const uint16_t *t = (const uint16_t *)table;
    const int32_t mult = p[MN_SIGMOID16_INPUT_MULT], shift = p[MN_SIGMOID16_INPUT_SHIFT];
    const int32_t round = shift > 0 ? (int32_t)1 << (shift - 1) : 0;
    for (int32_t i = 0; i < count; i++) {
        output[i] = mn_tanh16_lookup(mn_sigmoid16_rescale(input[i], mult, shift, round), t);
    }
}

void mn_relu_s16(const int16_t *input, int16_t *output, int32_t count, const int32_t *p) {
    const int32_t mult = p[MN_RELU16_MULTIPLIER], shift = p[MN_RELU16_SHIFT];
    const int32_t lo = p[MN_RELU16_ACT_MIN], hi = p[MN_RELU16_ACT_MAX];
    for (int32_t i = 0; i < count; i++) {
        output[i] = (int16_t)mn_clamp(mn_requantize(input[i], mult, shift), lo, hi);
    }
}

void mn_relu6_s16(const int16_t *input, int16_t *output, int32_t count, const int32_t *p) {
    const int32_t lo = p[MN_CLAMP16_ACT_MIN], hi = p[MN_CLAMP16_ACT_MAX];
    for (int32_t i = 0; i < count; i++) {
        output[i] = (int16_t)mn_clamp(input[i], lo, hi);
    }
}

void mn_leaky_relu_s16(const int16_t *input, int16_t *output, int32_t count, const int32_t *p) {
    const int32_t in_zp = p[MN_LEAKY16_INPUT_ZP], out_zp = p[MN_LEAKY16_OUTPUT_ZP];
    const int32_t m_id = p[MN_LEAKY16_MULT_IDENTITY], s_id = p[MN_LEAKY16_SHIFT_IDENTITY];
    const int32_t m_a = p[MN_LEAKY16_MULT_ALPHA], s_a = p[MN_LEAKY16_SHIFT_ALPHA];
    const int32_t sign_a = p[MN_LEAKY16_ALPHA_NEG] ? -1 : 1;
    for (int32_t i = 0; i < count; i++) {
        const int32_t v = input[i] - in_zp;
        const int32_t r = v >= 0 ? mn_requantize(v, m_id, s_id) : sign_a * mn_requantize(v, m_a, s_a);
        output[i] = (int16_t)mn_clamp(out_zp + r, -32768, 32767);
    }
}

void mn_prelu_s16(const int16_t *input, const int8_t *alpha, int16_t *output, const int32_t *p) {
    const int32_t in_off = p[MN_PRELU16_INPUT_OFFSET], a_off = p[MN_PRELU16_ALPHA_OFFSET];
    const int32_t out_off = p[MN_PRELU16_OUTPUT_OFFSET];
    const int32_t m_pos = p[MN_PRELU16_MULT_POS], s_pos = p[MN_PRELU16_SHIFT_POS];
    const int32_t m_neg = p[MN_PRELU16_MULT_NEG], s_neg = p[MN_PRELU16_SHIFT_NEG];
    const int32_t *is = p + MN_PRELU16_IN_S0, *as = p + MN_PRELU16_ALPHA_S0;
    int16_t *out = output;
    // output [d0, d1, d2, d3]; input and alpha read through their strides (0 where broadcast)
    for (int32_t i0 = 0; i0 < p[MN_PRELU16_D0]; i0++) {
        for (int32_t i1 = 0; i1 < p[MN_PRELU16_D1]; i1++) {
            for (int32_t i2 = 0; i2 < p[MN_PRELU16_D2]; i2++) {
                const int16_t *x = input + i0 * is[0] + i1 * is[1] + i2 * is[2];
                const int8_t *a = alpha + i0 * as[0] + i1 * as[1] + i2 * as[2];
                for (int32_t i3 = 0; i3 < p[MN_PRELU16_D3]; i3++) {
                    const int32_t v = x[i3 * is[3]] + in_off;
                    const int32_t r = v >= 0 ? mn_requantize(v, m_pos, s_pos)
                                             : mn_requantize(v * (a[i3 * as[3]] + a_off), m_neg, s_neg);
                    *out++ = (int16_t)mn_clamp(r + out_off, -32768, 32767);
                }
            }
        }
    }
}

#endif // MICRONN_OP_INT16
