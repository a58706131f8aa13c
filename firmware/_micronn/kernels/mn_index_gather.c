// SHAPE area: GATHER, GATHER_ND and EMBEDDING_LOOKUP, row copies of any element size (TFLite
// Micro's reference kernels, which memcpy the same rows). The indices are runtime data: every
// one is checked before any output is written, and a bad one is reported (its position) instead
// of read through. GATHER_ND checks, as TFLM does, only that each slice lies inside the input.
#include "micronn_config.h"
#if MICRONN_OP_SHAPE

#include <stddef.h>

#include "micronn.h"
#include "mn_index.h"

int32_t mn_gather(const void *input, const int32_t *indices, void *output, const int32_t *p) {
    const int32_t batch = p[MN_GATHER_BATCH], outer = p[MN_GATHER_OUTER], axis = p[MN_GATHER_AXIS];
    const int32_t coords = p[MN_GATHER_COORDS];
    const size_t row = (size_t)p[MN_GATHER_INNER] * (size_t)p[MN_GATHER_ELEM]; // bytes per index
    for (int32_t i = 0; i < batch * coords; i++) {
        if (indices[i] < 0 || indices[i] >= axis) {
            return i;
        }
    }
    const uint8_t *in = input;
    uint8_t *out = output;
    // input [batch, outer, axis, row] -> output [batch, outer, coords, row]
    for (int32_t b = 0; b < batch; b++) {
        const int32_t *idx = indices + (size_t)b * coords;
        for (int32_t o = 0; o < outer; o++) {
            const uint8_t *src = in + ((size_t)b * outer + o) * (size_t)axis * row;
            for (int32_t k = 0; k < coords; k++) {
                __builtin_memcpy(out, src + (size_t)idx[k] * row, row);
                out += row;
            }
        }
    }
    return -1;
}

// The first element of index row i's slice (int64: no wrap), as TFLM sums index_j * stride_j.
MN_INLINE int64_t mn_gather_nd_start(const int32_t *indices, int32_t i, const int32_t *p) {
    const int32_t nd = p[MN_GATHER_ND_ND];
    int64_t from = 0;
    for (int32_t j = 0; j < nd; j++) {
        from += (int64_t)indices[(size_t)i * nd + j] * p[MN_GATHER_ND_STRIDE0 + j];
    }
    return from;
}

int32_t mn_gather_nd(const void *input, const int32_t *indices, void *output, const int32_t *p) {
    const int32_t slices = p[MN_GATHER_ND_SLICES], slice = p[MN_GATHER_ND_SLICE];
    const int64_t count = p[MN_GATHER_ND_PARAMS_COUNT];
    const size_t elem = (size_t)p[MN_GATHER_ND_ELEM], bytes = (size_t)slice * elem;
    for (int32_t i = 0; i < slices; i++) {
        const int64_t from = mn_gather_nd_start(indices, i, p);
        if (from < 0 || from + slice > count) {
            return i;
        }
    }
    const uint8_t *in = input;
    uint8_t *out = output;
    // indices [slices, nd] -> output [slices, slice]
    for (int32_t i = 0; i < slices; i++) {
        __builtin_memcpy(out, in + (size_t)mn_gather_nd_start(indices, i, p) * elem, bytes);
        out += bytes;
    }
    return -1;
}

int32_t mn_embedding_lookup(const int32_t *lookup, const void *value, void *output, const int32_t *p) {
    const int32_t lookups = p[MN_EMBED_LOOKUPS], rows = p[MN_EMBED_ROWS], cols = p[MN_EMBED_COLS];
    for (int32_t i = 0; i < lookups; i++) {
        if (lookup[i] < 0 || lookup[i] >= rows) {
            return i;
        }
    }
    if (p[MN_EMBED_HYBRID]) {
        // int8 value [rows, cols] -> float32 output [lookups, cols]: (float)v * scale (zero point 0)
        float scale;
        __builtin_memcpy(&scale, &p[MN_EMBED_SCALE], sizeof(scale));
        float *out = output;
        for (int32_t i = 0; i < lookups; i++) {
            const int8_t *src = (const int8_t *)value + (size_t)lookup[i] * cols;
            for (int32_t k = 0; k < cols; k++) {
                *out++ = (float)src[k] * scale;
            }
        }
        return -1;
    }
    const size_t row = (size_t)cols * (size_t)p[MN_EMBED_ELEM];
    uint8_t *out = output;
    // value [rows, row bytes] -> output [lookups, row bytes]
    for (int32_t i = 0; i < lookups; i++) {
        __builtin_memcpy(out, (const uint8_t *)value + (size_t)lookup[i] * row, row);
        out += row;
    }
    return -1;
}

#endif // MICRONN_OP_SHAPE
