// Elementwise area: DEQUANTIZE uint8 -> float32. TFLite Micro multiplies in double and rounds
// once to float32; scale * (input - zero_point) is exact in double (24 + 9 bits), so one float32
// multiply gives the same value.
#include "micronn_config.h"
#if MICRONN_OP_ELEMENTWISE

#include "micronn.h"

void mn_dequantize_u8_f32(const uint8_t *input, float *output, int32_t count, const int32_t *params) {
    float scale;
    __builtin_memcpy(&scale, &params[MN_DEQUANT_SCALE], 4);
    const int32_t zp = params[MN_DEQUANT_ZP];
    for (int32_t i = 0; i < count; i++) {
        output[i] = scale * (float)((int32_t)input[i] - zp);
    }
}

#endif // MICRONN_OP_ELEMENTWISE
