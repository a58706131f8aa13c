// Elementwise area: QUANTIZE between int8, uint8 and int32 (TFLite Micro's Requantize):
// output = clamp(rq(input - input_zero_point, multiplier, shift) + output_zero_point) to the
// output type. The subtraction and addition wrap as two's complement int32 (TFLM's x86 build
// wraps there; C would leave a signed overflow undefined).
#include "micronn_config.h"
#if MICRONN_OP_ELEMENTWISE

#include "micronn.h"

MN_INLINE int32_t mn_rescale(int32_t x, const int32_t *p) {
    int32_t v = (int32_t)((uint32_t)x - (uint32_t)p[MN_RESCALE_INPUT_ZP]);
    v = mn_requantize(v, p[MN_RESCALE_MULT], p[MN_RESCALE_SHIFT]);
    return (int32_t)((uint32_t)v + (uint32_t)p[MN_RESCALE_OUTPUT_ZP]);
}

// TFLM's fast path for equal scales and zero points 128 apart (input ^ 0x80) gives the same values.
void mn_requantize_s8_u8(const int8_t *input, uint8_t *output, int32_t count, const int32_t *params) {
    for (int32_t i = 0; i < count; i++) {
        output[i] = (uint8_t)mn_clamp(mn_rescale(input[i], params), 0, 255);
    }
}

void mn_requantize_u8_s8(const uint8_t *input, int8_t *output, int32_t count, const int32_t *params) {
    for (int32_t i = 0; i < count; i++) {
        output[i] = (int8_t)mn_clamp(mn_rescale(input[i], params), -128, 127);
    }
}

void mn_requantize_s8_s32(const int8_t *input, int32_t *output, int32_t count, const int32_t *params) {
    for (int32_t i = 0; i < count; i++) {
        output[i] = mn_rescale(input[i], params);
    }
}

void mn_requantize_s32_s8(const int32_t *input, int8_t *output, int32_t count, const int32_t *params) {
    for (int32_t i = 0; i < count; i++) {
        output[i] = (int8_t)mn_clamp(mn_rescale(input[i], params), -128, 127);
    }
}

#endif // MICRONN_OP_ELEMENTWISE
