// Table-lookup activation: any int8 -> int8 elementwise function (see micronn.h).
#include "micronn_config.h"
#if MICRONN_OP_ACTIVATIONS

#include "micronn.h"

void mn_lut_s8(const int8_t *input, int8_t *output, int32_t count, const int8_t *table) {
    // input [count] -> output [count]; 4 elements per iteration, then the tail
    int32_t i = 0;
    for (; i + 4 <= count; i += 4) {
        int8_t a = table[(uint8_t)input[i]];
        int8_t b = table[(uint8_t)input[i + 1]];
        int8_t c = table[(uint8_t)input[i + 2]];
        int8_t d = table[(uint8_t)input[i + 3]];
        output[i] = a;
        output[i + 1] = b;
        output[i + 2] = c;
        output[i + 3] = d;
    }
    for (; i < count; i++) {
        output[i] = table[(uint8_t)input[i]];
    }
}

#endif // MICRONN_OP_ACTIVATIONS
