// MINIMUM / MAXIMUM int8 and int64 with 4-D broadcasting: TFLite Micro's
// MaximumMinimumBroadcastSlow on the raw values (an int8 tensor's quantization is not looked at).
#include "micronn_config.h"
#if MICRONN_OP_MATH

#include "micronn.h"

#define MN_MINMAX_BODY(T) \
    const int32_t *d = p + MN_MINMAX_D0, *s1 = p + MN_MINMAX_IN1_S0, *s2 = p + MN_MINMAX_IN2_S0; \
    const int max = p[MN_MINMAX_OP] == 1; \
    for (int32_t i0 = 0; i0 < d[0]; i0++) { \
        for (int32_t i1 = 0; i1 < d[1]; i1++) { \
            for (int32_t i2 = 0; i2 < d[2]; i2++) { \
                const T *x = input1 + i0 * s1[0] + i1 * s1[1] + i2 * s1[2]; \
                const T *y = input2 + i0 * s2[0] + i1 * s2[1] + i2 * s2[2]; \
                for (int32_t i3 = 0; i3 < d[3]; i3++, output++) { \
                    T a, b; /* by memcpy: int64 tensors are only 4-byte aligned */ \
                    __builtin_memcpy(&a, x + i3 * s1[3], sizeof a); \
                    __builtin_memcpy(&b, y + i3 * s2[3], sizeof b); \
                    const T r = max ? (a > b ? a : b) : (a < b ? a : b); \
                    __builtin_memcpy(output, &r, sizeof r); \
                } \
            } \
        } \
    }

void mn_minmax_s8(const int8_t *input1, const int8_t *input2, int8_t *output, const int32_t *p) {
    MN_MINMAX_BODY(int8_t)
}

void mn_minmax_s64(const int64_t *input1, const int64_t *input2, int64_t *output, const int32_t *p) {
    MN_MINMAX_BODY(int64_t)
}

#endif // MICRONN_OP_MATH
