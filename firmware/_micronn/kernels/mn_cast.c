// Elementwise area: integer CAST (C conversions: the value modulo 2^bits of the output type).
#include "micronn_config.h"
#if MICRONN_OP_ELEMENTWISE

#include "micronn.h"

// Values go through a uint32: every conversion between these types is the value modulo 2^bits.
MN_INLINE uint32_t mn_cast_load(const void *p, int32_t i, int32_t dtype) {
    switch (dtype) {
        case 0: return (uint32_t)(int32_t)((const int8_t *)p)[i];
        case 1: return ((const uint8_t *)p)[i];
        case 2: return (uint32_t)(int32_t)((const int16_t *)p)[i];
        default: return ((const uint32_t *)p)[i]; // int32, uint32
    }
}

#define MN_CAST_LOOP(T) do { \
        T *o = (T *)output; \
        for (int32_t i = 0; i < n; i++) { \
            o[i] = (T)mn_cast_load(input, i, in_dtype); \
        } \
} while (0)

void mn_cast(const void *input, void *output, int32_t n, int32_t in_dtype, int32_t out_dtype) {
    switch (out_dtype) {
        case 0: MN_CAST_LOOP(uint8_t); break; // int8: the same bits as uint8
        case 1: MN_CAST_LOOP(uint8_t); break;
        case 2: MN_CAST_LOOP(uint16_t); break;
        default: MN_CAST_LOOP(uint32_t); break; // int32, uint32
    }
}

#endif // MICRONN_OP_ELEMENTWISE
