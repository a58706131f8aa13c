// Elementwise area: CONCATENATION (byte moves of any element size).
#include "micronn_config.h"
#if MICRONN_OP_ELEMENTWISE

#include "micronn.h"

void mn_concatenation(const void *const *inputs, void *output, const int32_t *params) {
    const int32_t elem = params[MN_CONCAT_ELEM], outer = params[MN_CONCAT_OUTER], n = params[MN_CONCAT_N];
    const int32_t *sizes = params + MN_CONCAT_SIZE0;
    uint8_t *out = (uint8_t *)output;
    for (int32_t r = 0; r < outer; r++) {
        for (int32_t k = 0; k < n; k++) {
            uint32_t bytes = (uint32_t)sizes[k] * (uint32_t)elem;
            __builtin_memcpy(out, (const uint8_t *)inputs[k] + (uint32_t)r * bytes, bytes);
            out += bytes;
        }
    }
}

#endif // MICRONN_OP_ELEMENTWISE
