// ADD, SUB, MUL and SQUARED_DIFFERENCE int16 with 4-D broadcasting, params.op 0..3, each as
// TFLite Micro computes it for int16: ADD/SUB the general quantized path with left shift 15
// (AddElementwise / SubElementwise and their broadcast forms), MUL MulElementwise on the raw
// values, SQUARED_DIFFERENCE the quantized SquaredDifference with left shift 0. The int32
// arithmetic wraps (through uint32) where out-of-contract params would overflow it.
#include "micronn_config.h"
#if MICRONN_OP_INT16

#include "micronn.h"

enum { MN_BIN16_ADD, MN_BIN16_SUB, MN_BIN16_MUL, MN_BIN16_SQDIFF };

typedef struct {
    int32_t off1, off2, out_off, ls, m1, sh1, m2, sh2, mo, sho, lo, hi;
} mn_bin16_q_t;

// One output element (one loop for the four ops: the branches on op are the same for every
// element, and small next to the requantizations).
MN_INLINE int16_t mn_bin16_one(const int32_t op, int32_t a, int32_t b, const mn_bin16_q_t *q) {
    uint32_t raw;
    if (op == MN_BIN16_MUL) {
        raw = (uint32_t)(a + q->off1) * (uint32_t)(b + q->off2);
    } else {
        // a' = (a + offset) << left_shift, brought to the common scale (multipliers < 1)
        const int32_t x1 = mn_requantize((int32_t)((uint32_t)(a + q->off1) << q->ls), q->m1, q->sh1);
        const int32_t x2 = mn_requantize((int32_t)((uint32_t)(b + q->off2) << q->ls), q->m2, q->sh2);
        raw = op == MN_BIN16_ADD ? (uint32_t)x1 + (uint32_t)x2 : (uint32_t)x1 - (uint32_t)x2;
        if (op == MN_BIN16_SQDIFF) {
            raw *= raw;
        }
    }
    const int32_t out = (int32_t)((uint32_t)mn_requantize((int32_t)raw, q->mo, q->sho) + (uint32_t)q->out_off);
    return (int16_t)mn_clamp(out, q->lo, q->hi);
}

void mn_binary_s16(const int16_t *input1, const int16_t *input2, int16_t *output, const int32_t *p) {
    const mn_bin16_q_t q = {
        p[MN_BIN16_IN1_OFFSET], p[MN_BIN16_IN2_OFFSET], p[MN_BIN16_OUTPUT_OFFSET], p[MN_BIN16_LEFT_SHIFT],
        p[MN_BIN16_IN1_MULT], p[MN_BIN16_IN1_SHIFT], p[MN_BIN16_IN2_MULT], p[MN_BIN16_IN2_SHIFT],
        p[MN_BIN16_OUT_MULT], p[MN_BIN16_OUT_SHIFT], p[MN_BIN16_ACT_MIN], p[MN_BIN16_ACT_MAX],
    };
    const int32_t op = p[MN_BIN16_OP];
    const int32_t *d = p + MN_BIN16_D0, *s1 = p + MN_BIN16_IN1_S0, *s2 = p + MN_BIN16_IN2_S0;
    // output (d0, d1, d2, d3) <- input1 (strides s1) op input2 (strides s2)
    for (int32_t i0 = 0; i0 < d[0]; i0++) {
        for (int32_t i1 = 0; i1 < d[1]; i1++) {
            for (int32_t i2 = 0; i2 < d[2]; i2++) {
                const int16_t *a = input1 + i0 * s1[0] + i1 * s1[1] + i2 * s1[2];
                const int16_t *b = input2 + i0 * s2[0] + i1 * s2[1] + i2 * s2[2];
                for (int32_t i3 = 0; i3 < d[3]; i3++) {
                    *output++ = mn_bin16_one(op, a[i3 * s1[3]], b[i3 * s2[3]], &q);
                }
            }
        }
    }
}

#endif // MICRONN_OP_INT16
