// MATH area: int8 elementwise unary ops by table (ABS, RSQRT): the converter fills the 256
// entries with TFLite Micro's integer arithmetic for every input value (host_tools/convert/
// rules/unary.py). RSQRT: TFLite Micro fails the op on an input below the zero point
// (params.min_input); this kernel then writes nothing and returns 0.
#include "micronn_config.h"
#if MICRONN_OP_MATH

#include "micronn.h"

int mn_unary_s8(const int8_t *input, const int8_t *table, int8_t *output, int32_t count, const int32_t *p) {
    // input [count], table [256] indexed by (uint8)input -> output [count] (output may be input)
    const int32_t min_input = p[MN_UNARYS8_MIN_INPUT];
    if (min_input > -128) {
        for (int32_t i = 0; i < count; i++) {
            if (input[i] < min_input) {
                return 0;
            }
        }
    }
    for (int32_t i = 0; i < count; i++) {
        output[i] = table[(uint8_t)input[i]];
    }
    return 1;
}

#endif // MICRONN_OP_MATH
