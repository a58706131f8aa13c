// ABS int16 (TFLite Micro's elementwise.cc): params.mode 0 an unquantized tensor, std::abs
// stored back as int16 (-32768 stays -32768); 1 quantized, equal scales: |x| saturated to
// 32767; 2 quantized: rq(|x|, multiplier, shift) saturated (AbsEvalQuantized, zero points 0).
#include "micronn_config.h"
#if MICRONN_OP_INT16

#include "micronn.h"

void mn_abs_s16(const int16_t *input, int16_t *output, int32_t count, const int32_t *p) {
    const int32_t mode = p[MN_ABS16_MODE], mult = p[MN_ABS16_MULT], shift = p[MN_ABS16_SHIFT];
    for (int32_t i = 0; i < count; i++) {
        int32_t v = input[i] < 0 ? -(int32_t)input[i] : input[i];
        if (mode == 2) {
            v = mn_requantize(v, mult, shift);
        }
        output[i] = (int16_t)(mode == 0 ? (int16_t)(uint16_t)v : mn_clamp(v, -32768, 32767));
    }
}

#endif // MICRONN_OP_INT16
