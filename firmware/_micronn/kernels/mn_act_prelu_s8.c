// PRELU int8 with 4-D broadcasting of alpha, as TFLite Micro's reference kernel (see micronn.h).
#include "micronn_config.h"
#if MICRONN_OP_ACTIVATIONS

#include "micronn.h"

void mn_prelu_s8(const int8_t *input, const int8_t *alpha, int8_t *output, const int32_t *p) {
    const int32_t in_off = p[MN_PRELU_INPUT_OFFSET], a_off = p[MN_PRELU_ALPHA_OFFSET];
    const int32_t out_off = p[MN_PRELU_OUTPUT_OFFSET];
    const int32_t m_pos = p[MN_PRELU_MULT_POS], s_pos = p[MN_PRELU_SHIFT_POS];
    const int32_t m_neg = p[MN_PRELU_MULT_NEG], s_neg = p[MN_PRELU_SHIFT_NEG];
    const int32_t *is = p + MN_PRELU_IN_S0, *as = p + MN_PRELU_ALPHA_S0;
    int8_t *out = output;
    // output [d0, d1, d2, d3]; input and alpha read through their strides (0 where broadcast)
    for (int32_t i0 = 0; i0 < p[MN_PRELU_D0]; i0++) {
        for (int32_t i1 = 0; i1 < p[MN_PRELU_D1]; i1++) {
            for (int32_t i2 = 0; i2 < p[MN_PRELU_D2]; i2++) {
                const int8_t *x = input + i0 * is[0] + i1 * is[1] + i2 * is[2];
                const int8_t *a = alpha + i0 * as[0] + i1 * as[1] + i2 * as[2];
                for (int32_t i3 = 0; i3 < p[MN_PRELU_D3]; i3++) {
                    int32_t v = x[i3 * is[3]] + in_off;
                    int32_t r;
                    if (v >= 0) {
                        r = mn_requantize(v, m_pos, s_pos);
                    } else {
                        r = mn_requantize(v * (a[i3 * as[3]] + a_off), m_neg, s_neg);
                    }
                    *out++ = (int8_t)mn_clamp(r + out_off, -128, 127);
                }
            }
        }
    }
}

#endif // MICRONN_OP_ACTIVATIONS
