// INT16 area: MEAN and SUM int16 over an axis set the converter folded into kept dims d0..d3 and
// reduced dims d4..d7 (input strides s0..s7), as TFLite Micro's QuantizedMeanOrSum<int16_t>: an
// int32 sum per output element in increasing input order, the zero point taken off, one
// requantization (MEAN's 1/count is folded into the multiplier by the converter).
#include "micronn_config.h"
#if MICRONN_OP_INT16

#include "micronn.h"

void mn_reduce_s16(const int16_t *input, int16_t *output, const int32_t *p) {
    const int32_t *d = p + MN_REDUCE16_D0, *s = p + MN_REDUCE16_S0;
    const int32_t in_off = p[MN_REDUCE16_INPUT_OFFSET], out_off = p[MN_REDUCE16_OUTPUT_OFFSET];
    const int32_t mult = p[MN_REDUCE16_MULTIPLIER], shift = p[MN_REDUCE16_SHIFT];
    // output [d0, d1, d2, d3] = sum over [d4, d5, d6, d7]
    for (int32_t k0 = 0; k0 < d[0]; k0++) {
        for (int32_t k1 = 0; k1 < d[1]; k1++) {
            for (int32_t k2 = 0; k2 < d[2]; k2++) {
                for (int32_t k3 = 0; k3 < d[3]; k3++) {
                    const int16_t *base = input + k0 * s[0] + k1 * s[1] + k2 * s[2] + k3 * s[3];
                    uint32_t acc = 0; // TFLite Micro's int32 sum; wraps like it
                    for (int32_t r0 = 0; r0 < d[4]; r0++) {
                        for (int32_t r1 = 0; r1 < d[5]; r1++) {
                            for (int32_t r2 = 0; r2 < d[6]; r2++) {
                                const int16_t *row = base + r0 * s[4] + r1 * s[5] + r2 * s[6];
                                for (int32_t r3 = 0; r3 < d[7]; r3++) {
                                    acc += (uint32_t)(row[r3 * s[7]] + in_off);
                                }
                            }
                        }
                    }
                    *output++ = (int16_t)mn_clamp(mn_requantize((int32_t)acc, mult, shift) + out_off,
                        -32768, 32767);
                }
            }
        }
    }
}

#endif // MICRONN_OP_INT16
