// NN area: L2_NORMALIZATION int8 over the last dim, TFLite Micro's integer path: the squares of
// input - zero point summed in int32, 1/sqrt of the sum as a multiplier and shift
// (GetInvSqrtQuantizedMultiplierExp), each element requantized by it with 7 more bits (the
// output is in 1/128 units: TFLite Micro does not read the output's quantization).
#include "micronn_config.h"
#if MICRONN_OP_NN

#include "micronn.h"
#include "mn_fixedpoint.h"

void mn_l2_norm_s8(const int8_t *input, int8_t *output, const int32_t *p) {
    // input [outer, depth] -> output [outer, depth]
    const int32_t outer = p[MN_L2NORMS8_OUTER], depth = p[MN_L2NORMS8_DEPTH];
    const int32_t offset = p[MN_L2NORMS8_INPUT_OFFSET];
    for (int32_t i = 0; i < outer; i++) {
        const int8_t *x = input + i * depth;
        int8_t *y = output + i * depth;
        uint32_t acc = 0; // int32 in TFLite Micro: wraps past 2^16 extreme elements
        for (int32_t c = 0; c < depth; c++) {
            const int32_t v = x[c] + offset;
            acc += (uint32_t)(v * v);
        }
        int32_t mult, shift;
        mn_inv_sqrt_multiplier_exp((int32_t)acc, &mult, &shift);
        for (int32_t c = 0; c < depth; c++) {
            y[c] = (int8_t)mn_clamp(mn_requantize(x[c] + offset, mult, shift + 7), -128, 127);
        }
    }
}

#endif // MICRONN_OP_NN
