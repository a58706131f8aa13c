// Elementwise area: int32 ADD/SUB/MUL/DIV/MINIMUM/MAXIMUM with 4-D broadcasting (TFLite Micro's
// reference int32 arithmetic: results wrap, DIV truncates toward zero), clamped to the fused
// activation range.
#include "micronn_config.h"
#if MICRONN_OP_ELEMENTWISE

#include "micronn.h"

MN_INLINE int32_t mn_bin_apply(int32_t op, int32_t a, int32_t b) {
    switch (op) {
        case 0: return (int32_t)((uint32_t)a + (uint32_t)b);
        case 1: return (int32_t)((uint32_t)a - (uint32_t)b);
        case 2: return (int32_t)((uint32_t)a * (uint32_t)b);
        case 3:
            if (b == 0) {
                return 0;
            }
            if (b == -1) {
                return (int32_t)(0u - (uint32_t)a); // INT32_MIN / -1 wraps to INT32_MIN
            }
            return a / b;
        case 4: return a < b ? a : b;
        default: return a > b ? a : b;
    }
}

void mn_binary_s32(const int32_t *input1, const int32_t *input2, int32_t *output, const int32_t *p) {
    const int32_t op = p[MN_BIN_OP], lo = p[MN_BIN_ACT_MIN], hi = p[MN_BIN_ACT_MAX];
    const int32_t *d = p + MN_BIN_D0, *s1 = p + MN_BIN_IN1_S0, *s2 = p + MN_BIN_IN2_S0;
    for (int32_t i0 = 0; i0 < d[0]; i0++) {
        for (int32_t i1 = 0; i1 < d[1]; i1++) {
            for (int32_t i2 = 0; i2 < d[2]; i2++) {
                const int32_t *a = input1 + i0 * s1[0] + i1 * s1[1] + i2 * s1[2];
                const int32_t *b = input2 + i0 * s2[0] + i1 * s2[1] + i2 * s2[2];
                for (int32_t i3 = 0; i3 < d[3]; i3++) {
                    int32_t v = mn_bin_apply(op, a[i3 * s1[3]], b[i3 * s2[3]]);
                    *output++ = v < lo ? lo : (v > hi ? hi : v);
                }
            }
        }
    }
}

#endif // MICRONN_OP_ELEMENTWISE
