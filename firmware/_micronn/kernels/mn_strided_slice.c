// Elementwise area: STRIDED_SLICE as a 5-D gather with per-dimension steps (any element size).
#include "micronn_config.h"
#if MICRONN_OP_ELEMENTWISE

#include "micronn.h"

#define MN_SLICE_LOOP(T) do { \
        const T *in = (const T *)input; \
        T *out = (T *)output; \
        for (int32_t a = 0; a < d[0]; a++) { \
            for (int32_t b = 0; b < d[1]; b++) { \
                for (int32_t c = 0; c < d[2]; c++) { \
                    for (int32_t e = 0; e < d[3]; e++) { \
                        const T *src = in + (start + a * s[0] + b * s[1] + c * s[2] + e * s[3]); \
                        for (int32_t f = 0; f < d[4]; f++) { \
                            *out++ = src[f * s[4]]; \
                        } \
                    } \
                } \
            } \
        } \
} while (0)

void mn_strided_slice(const void *input, void *output, const int32_t *params) {
    const int32_t *d = params + MN_SLICE_D0, *s = params + MN_SLICE_S0;
    const int32_t start = params[MN_SLICE_START];
    switch (params[MN_SLICE_ELEM]) {
        case 1: MN_SLICE_LOOP(uint8_t); break;
        case 2: MN_SLICE_LOOP(uint16_t); break;
        case 4: MN_SLICE_LOOP(uint32_t); break;
        default: MN_SLICE_LOOP(uint64_t); break;
    }
}

#endif // MICRONN_OP_ELEMENTWISE
