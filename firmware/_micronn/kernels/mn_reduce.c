// NN area: MEAN, SUM, REDUCE_MAX, REDUCE_MIN (int8, float32) and REDUCE_ALL (bool) over an axis
// set the converter folded into kept dims d0..d3 and reduced dims d4..d7 (input strides s0..s7).
// Each output element reduces its input elements in increasing input order, from TFLite Micro's
// initial value (float sums from 0.0f, max from -FLT_MAX, min from FLT_MAX), as its reference
// ReduceGeneric / QuantizedMeanOrSum do.
#include "micronn_config.h"
#if MICRONN_OP_NN

#include <float.h>
#include "micronn.h"

// The loop nest: BODY runs for every input element x of the current output element, in order.
#define MN_REDUCE_LOOPS(T, INIT, BODY, FINISH) do { \
        const int32_t *d = p + MN_REDUCE_D0, *s = p + MN_REDUCE_S0; \
        for (int32_t k0 = 0; k0 < d[0]; k0++) { \
            for (int32_t k1 = 0; k1 < d[1]; k1++) { \
                for (int32_t k2 = 0; k2 < d[2]; k2++) { \
                    for (int32_t k3 = 0; k3 < d[3]; k3++) { \
                        const T *base = input + k0 * s[0] + k1 * s[1] + k2 * s[2] + k3 * s[3]; \
                        INIT; \
                        for (int32_t r0 = 0; r0 < d[4]; r0++) { \
                            for (int32_t r1 = 0; r1 < d[5]; r1++) { \
                                for (int32_t r2 = 0; r2 < d[6]; r2++) { \
                                    const T *row = base + r0 * s[4] + r1 * s[5] + r2 * s[6]; \
                                    for (int32_t r3 = 0; r3 < d[7]; r3++) { \
                                        const T x = row[r3 * s[7]]; \
                                        BODY; \
                                    } \
                                } \
                            } \
                        } \
                        FINISH; \
                    } \
                } \
            } \
        } \
} while (0)

void mn_reduce_s8(const int8_t *input, int8_t *output, const int32_t *p) {
    const int32_t op = p[MN_REDUCE_OP];
    if (op == 0) {
        const int32_t in_off = p[MN_REDUCE_INPUT_OFFSET], out_off = p[MN_REDUCE_OUTPUT_OFFSET];
        const int32_t mult = p[MN_REDUCE_MULTIPLIER], shift = p[MN_REDUCE_SHIFT];
        MN_REDUCE_LOOPS(int8_t, int32_t acc = 0, acc += x + in_off,
                        *output++ = (int8_t)mn_clamp(mn_requantize(acc, mult, shift) + out_off, -128, 127));
    } else if (op == 1) {
        MN_REDUCE_LOOPS(int8_t, int8_t acc = -128, acc = x > acc ? x : acc, *output++ = acc);
    } else {
        MN_REDUCE_LOOPS(int8_t, int8_t acc = 127, acc = x < acc ? x : acc, *output++ = acc);
    }
}

void mn_reduce_f32(const float *input, float *output, const int32_t *p) {
    const int32_t op = p[MN_REDUCE_OP];
    if (op <= 1) {
        float count = 1.0f;
        for (int k = 4; k < 8; k++) {
            count *= (float)p[MN_REDUCE_D0 + k];
        }
        if (op == 0) {
            MN_REDUCE_LOOPS(float, float acc = 0.0f, acc = acc + x, *output++ = acc);
        } else {
            MN_REDUCE_LOOPS(float, float acc = 0.0f, acc = acc + x, *output++ = acc / count);
        }
    } else if (op == 2) {
        MN_REDUCE_LOOPS(float, float acc = -FLT_MAX, acc = x > acc ? x : acc, *output++ = acc);
    } else {
        MN_REDUCE_LOOPS(float, float acc = FLT_MAX, acc = x < acc ? x : acc, *output++ = acc);
    }
}

void mn_reduce_bool(const uint8_t *input, uint8_t *output, const int32_t *p) {
    MN_REDUCE_LOOPS(uint8_t, uint8_t acc = 1, acc = (uint8_t)(acc && x), *output++ = acc);
}

#endif // MICRONN_OP_NN
