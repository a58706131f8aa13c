// QUANTIZE int8 -> int8 (a change of scale and zero point): plain C reference path
// (bit-exact with TFLite Micro's reference_ops::Requantize).
#include "micronn.h"

void mn_requantize_s8(const int8_t *input, int8_t *output, int32_t count, const int32_t *p) {
    const int32_t in_zp = p[MN_REQUANT_INPUT_ZP], out_zp = p[MN_REQUANT_OUTPUT_ZP];
    const int32_t mult = p[MN_REQUANT_MULT], shift = p[MN_REQUANT_SHIFT];
    for (int32_t i = 0; i < count; i++) {
        int32_t r = mn_requantize(input[i] - in_zp, mult, shift) + out_zp;
        output[i] = (int8_t)mn_clamp(r, -128, 127);
    }
}
