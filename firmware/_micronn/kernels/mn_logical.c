// LOGICAL_AND / LOGICAL_OR with 4-D broadcasting and LOGICAL_NOT, on bools (one byte, 0 or 1),
// as TFLite Micro's logical.cc (BinaryFunction / BroadcastBinaryFunction4DSlow of && and ||,
// elementwise !).
#include "micronn_config.h"
#if MICRONN_OP_MATH

#include "micronn.h"

void mn_logical_bool(const uint8_t *input1, const uint8_t *input2, uint8_t *output, const int32_t *p) {
    const int32_t *d = p + MN_LOGIC_D0, *s1 = p + MN_LOGIC_IN1_S0, *s2 = p + MN_LOGIC_IN2_S0;
    const int is_or = p[MN_LOGIC_OP] == 1;
    for (int32_t i0 = 0; i0 < d[0]; i0++) {
        for (int32_t i1 = 0; i1 < d[1]; i1++) {
            for (int32_t i2 = 0; i2 < d[2]; i2++) {
                const uint8_t *x = input1 + i0 * s1[0] + i1 * s1[1] + i2 * s1[2];
                const uint8_t *y = input2 + i0 * s2[0] + i1 * s2[1] + i2 * s2[2];
                for (int32_t i3 = 0; i3 < d[3]; i3++) {
                    const int a = x[i3 * s1[3]] != 0, b = y[i3 * s2[3]] != 0;
                    *output++ = (uint8_t)(is_or ? (a | b) : (a & b));
                }
            }
        }
    }
}

void mn_logical_not_bool(const uint8_t *input, uint8_t *output, int32_t count) {
    for (int32_t i = 0; i < count; i++) {
        output[i] = (uint8_t)(input[i] == 0);
    }
}

#endif // MICRONN_OP_MATH
