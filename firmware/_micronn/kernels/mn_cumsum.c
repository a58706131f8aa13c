// NN area: CUMSUM (int8, float32) along one axis of [before, depth, after], exclusive and/or
// reversed, as TFLite Micro's reference CumSum: int8 rescales each input like its ADD (offset,
// << 20, times 1/2), and starts its accumulator from the rescaled input offset, not from 0.
#include "micronn_config.h"
#if MICRONN_OP_NN

#include "micronn.h"

#define MN_CUMSUM_LOOP(T, ACC, INIT, ADD, OUT) do { \
        const int32_t before = p[MN_CUMSUM_BEFORE], depth = p[MN_CUMSUM_DEPTH], after = p[MN_CUMSUM_AFTER]; \
        const int32_t excl = p[MN_CUMSUM_EXCLUSIVE], rev = p[MN_CUMSUM_REVERSE]; \
        for (int32_t b = 0; b < before; b++) { \
            for (int32_t a = 0; a < after; a++) { \
                const T *in = input + (int32_t)b * depth * after + a; \
                T *out = output + (int32_t)b * depth * after + a; \
                ACC acc = INIT; \
                for (int32_t k = 0; k < depth; k++) { \
                    const int32_t i = (rev ? depth - 1 - k : k) * after; \
                    ACC prev = acc; \
                    acc = ADD(acc, in[i]); \
                    out[i] = OUT(excl ? prev : acc); \
                } \
            } \
        } \
} while (0)

#define MN_F32_ADD(acc, x) ((acc) + (x))
#define MN_F32_OUT(acc) (acc)

void mn_cumsum_f32(const float *input, float *output, const int32_t *p) {
    MN_CUMSUM_LOOP(float, float, 0.0f, MN_F32_ADD, MN_F32_OUT);
}

#define MN_S8_SCALE(v) mn_requantize((int32_t)((uint32_t)(int32_t)(v) << 20), in_m, in_s)
#define MN_S8_ADD(acc, x) ((int32_t)((uint32_t)(acc) + (uint32_t)MN_S8_SCALE((x) + in_off)))
#define MN_S8_OUT(acc) ((int8_t)mn_clamp(mn_requantize((acc), out_m, out_s) + out_off, -128, 127))

void mn_cumsum_s8(const int8_t *input, int8_t *output, const int32_t *p) {
    const int32_t in_off = p[MN_CUMSUM_INPUT_OFFSET], out_off = p[MN_CUMSUM_OUTPUT_OFFSET];
    const int32_t in_m = p[MN_CUMSUM_INPUT_MULTIPLIER], in_s = p[MN_CUMSUM_INPUT_SHIFT];
    const int32_t out_m = p[MN_CUMSUM_OUTPUT_MULTIPLIER], out_s = p[MN_CUMSUM_OUTPUT_SHIFT];
    MN_CUMSUM_LOOP(int8_t, int32_t, MN_S8_SCALE(in_off), MN_S8_ADD, MN_S8_OUT);
}

#endif // MICRONN_OP_NN
