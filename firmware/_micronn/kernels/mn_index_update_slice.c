// SHAPE area: DYNAMIC_UPDATE_SLICE of any element size, as TFLite Micro's reference: the operand
// copied to the output (unless the output is the operand), then the update's rows written at the
// runtime start indices, each clamped into [0, d - u] (so never outside the output).
#include "micronn_config.h"
#if MICRONN_OP_SHAPE

#include <stddef.h>

#include "micronn.h"
#include "mn_index.h"

#define MN_DUS_DIMS 6 // the dims the kernel walks (d0..d5)

void mn_dynamic_update_slice(const void *operand, const void *update, const void *start_indices, void *output,
    const int32_t *p) {
    const int32_t *d = p + MN_DUS_D0, *u = p + MN_DUS_U0;
    const int32_t rank = p[MN_DUS_RANK], pad = MN_DUS_DIMS - rank;
    const size_t elem = (size_t)p[MN_DUS_ELEM];
    // the clamped start of each dim (read before the output is written: it may share their bytes)
    int32_t start[MN_DUS_DIMS];
    size_t n_operand = 1, n_update = 1;
    for (int k = 0; k < MN_DUS_DIMS; k++) {
        int64_t raw = 0;
        if (k >= pad) {
            raw = p[MN_DUS_INDEX_SIZE] == 8 ? ((const int64_t *)start_indices)[k - pad]
                                            : ((const int32_t *)start_indices)[k - pad];
        }
        const int64_t hi = (int64_t)d[k] - u[k];
        start[k] = (int32_t)(raw < 0 ? 0 : (raw > hi ? hi : raw));
        n_operand *= (size_t)d[k];
        n_update *= (size_t)u[k];
    }
    uint8_t *out = output;
    if (n_operand == n_update) {
        if (output != update) {
            __builtin_memcpy(out, update, n_update * elem);
        }
        return;
    }
    if (output != operand) {
        __builtin_memcpy(out, operand, n_operand * elem);
    }
    // output element strides
    size_t os[MN_DUS_DIMS];
    os[MN_DUS_DIMS - 1] = 1;
    for (int k = MN_DUS_DIMS - 2; k >= 0; k--) {
        os[k] = os[k + 1] * (size_t)d[k + 1];
    }
    size_t at = 0;
    for (int k = 0; k < MN_DUS_DIMS; k++) {
        at += (size_t)start[k] * os[k];
    }
    // update [u0..u4, row] -> output rows at the start, one row per copy
    const size_t row = (size_t)u[5] * elem;
    const uint8_t *src = update;
    for (int32_t i0 = 0; i0 < u[0]; i0++) {
        for (int32_t i1 = 0; i1 < u[1]; i1++) {
            for (int32_t i2 = 0; i2 < u[2]; i2++) {
                for (int32_t i3 = 0; i3 < u[3]; i3++) {
                    const size_t base = at + i0 * os[0] + i1 * os[1] + i2 * os[2] + i3 * os[3];
                    for (int32_t i4 = 0; i4 < u[4]; i4++) {
                        __builtin_memcpy(out + (base + i4 * os[4]) * elem, src, row);
                        src += row;
                    }
                }
            }
        }
    }
}

#endif // MICRONN_OP_SHAPE
