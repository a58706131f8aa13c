// INT4 area: FULLY_CONNECTED int8 with int4 packed weights, as TFLite Micro's int4 path
// (UnpackDenseInt4IntoInt8, then reference_integer_ops::FullyConnected, per-tensor), but with the
// weights read in place: the [out_features, in_features] tensor is packed contiguously, element e
// in byte e / 2, the low nibble for even e and the high nibble for odd e, sign-extended. A row
// therefore starts mid-byte when o * in_features is odd. Each value is unpacked in the inner loop.
#include "micronn_config.h"
#if MICRONN_OP_INT4

#include "micronn.h"

// The low and high nibble of a packed byte, sign-extended from 4 bits.
MN_INLINE int32_t mn_s4_lo(uint8_t b) {
    return (int32_t)((b & 0xF) ^ 0x8) - 8;
}

MN_INLINE int32_t mn_s4_hi(uint8_t b) {
    return (int32_t)((b >> 4) ^ 0x8) - 8;
}

// sum over i < n of (x[i] + off) * w(e0 + i), w the packed int4 weights from element e0 on.
static int32_t mn_s4_dot(const int8_t *x, const uint8_t *packed, int32_t e0, int32_t n, int32_t off) {
    const uint8_t *w = packed + (e0 >> 1);
    int32_t acc = 0, i = 0;
    if ((e0 & 1) && n > 0) { // the row starts in a high nibble
        acc += (x[0] + off) * mn_s4_hi(*w++);
        i = 1;
    }
    for (; i + 1 < n; i += 2) {
        const uint8_t b = *w++;
        acc += (x[i] + off) * mn_s4_lo(b);
        acc += (x[i + 1] + off) * mn_s4_hi(b);
    }
    if (i < n) { // the row ends in a low nibble
        acc += (x[i] + off) * mn_s4_lo(*w);
    }
    return acc;
}

void mn_fully_connected_s4(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *p) {
    const int32_t batches = p[MN_FC4_BATCHES], in_f = p[MN_FC4_IN_FEATURES], out_f = p[MN_FC4_OUT_FEATURES];
    const int32_t in_off = p[MN_FC4_INPUT_OFFSET], out_off = p[MN_FC4_OUTPUT_OFFSET];
    const int32_t mult = p[MN_FC4_MULTIPLIER], shift = p[MN_FC4_SHIFT];
    const int32_t lo = p[MN_FC4_ACT_MIN], hi = p[MN_FC4_ACT_MAX];
    const uint8_t *w = (const uint8_t *)weights;
    // input (batches, in) @ weights (out, in)^T -> output (batches, out)
    for (int32_t b = 0; b < batches; b++) {
        const int8_t *x = input + b * in_f;
        for (int32_t o = 0; o < out_f; o++) {
            int32_t acc = mn_s4_dot(x, w, o * in_f, in_f, in_off);
            if (bias) {
                acc += bias[o];
            }
            acc = mn_requantize(acc, mult, shift) + out_off;
            *output++ = (int8_t)mn_clamp(acc, lo, hi);
        }
    }
}

#endif // MICRONN_OP_INT4
