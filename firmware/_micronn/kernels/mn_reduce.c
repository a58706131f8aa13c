// NN area: MEAN, SUM, REDUCE_MAX, REDUCE_MIN (int8, float32) and REDUCE_ALL (bool) over an axis
// set the converter folded into kept dims d0..d3 and reduced dims d4..d7 (input strides s0..s7).
// Each output element reduces its input elements in increasing input order, from TFLite Micro's
// initial value (float sums from 0.0f, max from -FLT_MAX, min from FLT_MAX), as its reference
// ReduceGeneric / QuantizedMeanOrSum do. mn_reduce_s8_ref is the plain C reference of mn_reduce_s8,
// whose MEAN and SUM take the fast sums below.
#include "micronn_config.h"
#if MICRONN_OP_NN

#include <float.h>
#include "micronn.h"
#include "mn_fast.h"

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

void mn_reduce_s8_ref(const int8_t *input, int8_t *output, const int32_t *p) {
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

// The fast sums of mn_reduce_s8 (op 0, MEAN and SUM): each output's sum of raw inputs, plus
// count * input_offset, equals the reference's sum of (x + input_offset) (in uint32, as long
// as the reference's int32 sum does not overflow), then the same requantization.
MN_INLINE int8_t mn_reduce_out(uint32_t sum, const int32_t *p) {
    const int32_t count = p[MN_REDUCE_D4] * p[MN_REDUCE_D5] * p[MN_REDUCE_D6] * p[MN_REDUCE_D7];
    const int32_t acc = (int32_t)(sum + (uint32_t)count * (uint32_t)p[MN_REDUCE_INPUT_OFFSET]);
    return (int8_t)mn_clamp(mn_requantize(acc, p[MN_REDUCE_MULTIPLIER], p[MN_REDUCE_SHIFT])
                            + p[MN_REDUCE_OUTPUT_OFFSET], -128, 127);
}

// Sum of n contiguous int8 (ARMv7E-M: SMLAD of both int16 lane pairs with (1, 1)).
MN_INLINE uint32_t mn_sum_row_s8(const int8_t *x, int32_t n) {
    int32_t s = 0, i = 0;
    #if MN_ARM_DSP
    for (; i + 4 <= n; i += 4) {
        const int32_t w = mn_read_s32(x + i);
        s = mn_smlad(mn_sxtb16(w), 0x10001, s);
        s = mn_smlad(mn_sxtb16_ror8(w), 0x10001, s);
    }
    #else
    for (; i + 4 <= n; i += 4) {
        s += x[i] + x[i + 1] + x[i + 2] + x[i + 3];
    }
    #endif
    for (; i < n; i++) {
        s += x[i];
    }
    return (uint32_t)s;
}

// Sum of every reduced element of the output element at base (any strides).
static uint32_t mn_sum_all_s8(const int8_t *base, const int32_t *d, const int32_t *s) {
    uint32_t acc = 0;
    for (int32_t r0 = 0; r0 < d[4]; r0++) {
        for (int32_t r1 = 0; r1 < d[5]; r1++) {
            for (int32_t r2 = 0; r2 < d[6]; r2++) {
                const int8_t *row = base + r0 * s[4] + r1 * s[5] + r2 * s[6];
                if (s[7] == 1) {
                    acc += mn_sum_row_s8(row, d[7]);
                } else {
                    for (int32_t r3 = 0; r3 < d[7]; r3++) {
                        acc += (uint32_t)row[r3 * s[7]];
                    }
                }
            }
        }
    }
    return acc;
}

// Four adjacent output elements (input stride 1 between them: global average pooling's
// channels) summed together: word loads, int16 lane sums (SXTAB16) flushed every 256
// elements (256 * -128 still fits int16) on ARMv7E-M, four int32 sums elsewhere.
static void mn_sum4_s8(const int8_t *base, const int32_t *d, const int32_t *s, uint32_t acc[4]) {
    acc[0] = acc[1] = acc[2] = acc[3] = 0;
    #if MN_ARM_DSP
    int32_t p02 = 0, p13 = 0, n = 0;
    #endif
    for (int32_t r0 = 0; r0 < d[4]; r0++) {
        for (int32_t r1 = 0; r1 < d[5]; r1++) {
            for (int32_t r2 = 0; r2 < d[6]; r2++) {
                const int8_t *q = base + r0 * s[4] + r1 * s[5] + r2 * s[6];
                #if MN_ARM_DSP
                for (int32_t r3 = 0; r3 < d[7];) {
                    int32_t m = d[7] - r3 < 256 - n ? d[7] - r3 : 256 - n;
                    r3 += m;
                    n += m;
                    for (; m > 0; m--, q += s[7]) {
                        const int32_t w = mn_read_s32(q);
                        p02 = mn_sxtab16(p02, w);
                        p13 = mn_sxtab16_ror8(p13, w);
                    }
                    if (n == 256) {
                        acc[0] += (uint32_t)(int16_t)p02;
                        acc[2] += (uint32_t)(p02 >> 16);
                        acc[1] += (uint32_t)(int16_t)p13;
                        acc[3] += (uint32_t)(p13 >> 16);
                        p02 = p13 = n = 0;
                    }
                }
                #else
                for (int32_t r3 = 0; r3 < d[7]; r3++, q += s[7]) {
                    acc[0] += (uint32_t)q[0];
                    acc[1] += (uint32_t)q[1];
                    acc[2] += (uint32_t)q[2];
                    acc[3] += (uint32_t)q[3];
                }
                #endif
            }
        }
    }
    #if MN_ARM_DSP
    acc[0] += (uint32_t)(int16_t)p02;
    acc[2] += (uint32_t)(p02 >> 16);
    acc[1] += (uint32_t)(int16_t)p13;
    acc[3] += (uint32_t)(p13 >> 16);
    #endif
}

void mn_reduce_s8(const int8_t *input, int8_t *output, const int32_t *p) {
    if (p[MN_REDUCE_OP] != 0) {
        mn_reduce_s8_ref(input, output, p);
        return;
    }
    const int32_t *d = p + MN_REDUCE_D0, *s = p + MN_REDUCE_S0;
    for (int32_t k0 = 0; k0 < d[0]; k0++) {
        for (int32_t k1 = 0; k1 < d[1]; k1++) {
            for (int32_t k2 = 0; k2 < d[2]; k2++) {
                const int8_t *base = input + k0 * s[0] + k1 * s[1] + k2 * s[2];
                int32_t k3 = 0;
                if (s[3] == 1) {
                    for (; k3 + 4 <= d[3]; k3 += 4) {
                        uint32_t acc[4];
                        mn_sum4_s8(base + k3, d, s, acc);
                        for (int j = 0; j < 4; j++) {
                            *output++ = mn_reduce_out(acc[j], p);
                        }
                    }
                }
                for (; k3 < d[3]; k3++) {
                    *output++ = mn_reduce_out(mn_sum_all_s8(base + k3 * s[3], d, s), p);
                }
            }
        }
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
