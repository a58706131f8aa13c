// NN area: ARG_MAX / ARG_MIN (int8, float32 input; int32 output) over one axis: for each
// (outer, inner) the index of the first element that compares strictly greater (less) than
// every one before it, as TFLite Micro's reference ArgMinMax with its plain > / < comparisons.
#include "micronn_config.h"
#if MICRONN_OP_NN

#include "micronn.h"

#define MN_ARG_LOOP(T, CMP) do { \
        for (int32_t o = 0; o < outer; o++) { \
            const T *base = input + o * axis * inner; \
            for (int32_t i = 0; i < inner; i++) { \
                T best = base[i]; \
                int32_t at = 0; \
                for (int32_t a = 1; a < axis; a++) { \
                    const T v = base[a * inner + i]; \
                    if (v CMP best) { \
                        best = v; \
                        at = a; \
                    } \
                } \
                *output++ = at; \
            } \
        } \
} while (0)

void mn_arg_s8(const int8_t *input, int32_t *output, const int32_t *p) {
    const int32_t outer = p[MN_ARG_OUTER], axis = p[MN_ARG_AXIS], inner = p[MN_ARG_INNER];
    if (p[MN_ARG_OP] == 0) {
        MN_ARG_LOOP(int8_t, >);
    } else {
        MN_ARG_LOOP(int8_t, <);
    }
}

void mn_arg_f32(const float *input, int32_t *output, const int32_t *p) {
    const int32_t outer = p[MN_ARG_OUTER], axis = p[MN_ARG_AXIS], inner = p[MN_ARG_INNER];
    if (p[MN_ARG_OP] == 0) {
        MN_ARG_LOOP(float, >);
    } else {
        MN_ARG_LOOP(float, <);
    }
}

#endif // MICRONN_OP_NN
