// Shape area: copy_nd, the one data-movement kernel of TRANSPOSE, PAD, SLICE, SPLIT, REVERSE_V2,
// MIRROR_PAD, DEPTH_TO_SPACE, ... (the converter folds each op into its params, ops_shape.py).
//
// Output [o0..o5], o_k = b_k + d_k + a_k, row-major. An output index inside the region (b_k <= j_k
// < b_k + d_k in every dim) reads input[start + sum_k (j_k - b_k) * s_k]; the border holds the
// value (mode 0) or the input mirrored about the region's edge (mode 1 REFLECT leaves the edge
// out, mode 2 SYMMETRIC repeats it). Elements are 1, 2, 4 or 8 bytes; runs of the innermost dim
// with step 1 are copied with memcpy. The binding checked that every read is inside the input.
#include "micronn_config.h"
#if MICRONN_OP_SHAPE

#include <stddef.h>
#include "micronn.h"

#define MN_COPY_DIMS (MN_COPY_S0 - MN_COPY_D0)

// declared in bind_shape.h (its binding checks the params against the buffers)
void mn_copy_nd(const void *input, void *output, const int32_t *params);

// n elements from src (element step `step`) to dst, elements of elem bytes.
static void mn_copy_run(uint8_t *dst, const uint8_t *src, int32_t step, int32_t n, int32_t elem) {
    if (step == 1) {
        __builtin_memcpy(dst, src, (size_t)n * (size_t)elem);
        return;
    }
    const ptrdiff_t bstep = (ptrdiff_t)step * elem;
    switch (elem) {
        case 1:
            for (int32_t i = 0; i < n; i++, src += bstep) {
                dst[i] = *src;
            }
            break;
        case 2:
            for (int32_t i = 0; i < n; i++, src += bstep) {
                __builtin_memcpy(dst + 2 * i, src, 2);
            }
            break;
        case 4:
            for (int32_t i = 0; i < n; i++, src += bstep) {
                __builtin_memcpy(dst + 4 * i, src, 4);
            }
            break;
        default:
            for (int32_t i = 0; i < n; i++, src += bstep) {
                __builtin_memcpy(dst + 8 * i, src, 8);
            }
            break;
    }
}

// n copies of the element at `value` (elem bytes) to dst.
static void mn_fill_run(uint8_t *dst, const uint8_t *value, int32_t n, int32_t elem) {
    if (elem == 1) {
        __builtin_memset(dst, value[0], (size_t)n);
        return;
    }
    for (int32_t i = 0; i < n; i++, dst += elem) {
        __builtin_memcpy(dst, value, (size_t)elem);
    }
}

// The region index of output index j in a dim with border b before a region of d, mirrored
// (off 1: REFLECT, 0: SYMMETRIC); the binding keeps the borders small enough to stay inside.
static inline int32_t mn_mirror(int32_t j, int32_t b, int32_t d, int32_t off) {
    if (j < b) {
        return b + off - 1 - j;
    }
    j -= b;
    return j < d ? j : 2 * d - 1 - off - j;
}

// Output index j of a dim: 1 and its input offset (*part), or 0 in the border of mode 0.
static inline int mn_dim_at(int32_t j, int32_t b, int32_t d, int32_t s, int32_t mode, int32_t off,
    int32_t *part) {
    if (mode) {
        *part = mn_mirror(j, b, d, off) * s;
        return 1;
    }
    if (j >= b && j < b + d) {
        *part = (j - b) * s;
        return 1;
    }
    *part = 0;
    return 0;
}

void mn_copy_nd(const void *input, void *output, const int32_t *params) {
    const int32_t elem = params[MN_COPY_ELEM], mode = params[MN_COPY_MODE];
    const int32_t *d = params + MN_COPY_D0, *s = params + MN_COPY_S0;
    const int32_t *b = params + MN_COPY_B0, *a = params + MN_COPY_A0;
    const int32_t off = mode == 1 ? 1 : 0;
    const uint8_t *in = (const uint8_t *)input;
    uint8_t *out = (uint8_t *)output;
    // The border element in memory order (all micronn targets are little-endian: its low bytes).
    const int64_t v64 = params[MN_COPY_VALUE];
    uint8_t value[8];
    __builtin_memcpy(value, &v64, sizeof(value));

    enum { LAST = MN_COPY_DIMS - 1 };
    int32_t o[MN_COPY_DIMS]; // output dims
    int32_t rows = 1;
    for (int k = 0; k < MN_COPY_DIMS; k++) {
        o[k] = b[k] + d[k] + a[k];
        rows *= k < LAST ? o[k] : 1;
    }
    const int32_t bl = b[LAST], dl = d[LAST], al = a[LAST], sl = s[LAST], row_len = o[LAST];
    // Odometer over the outer output dims 0..4 (dim 4 fastest): j their output index, part their
    // input offset, inside whether it is in the region (always, in the mirror modes).
    int32_t j[LAST] = { 0 }, part[LAST];
    int inside[LAST];
    for (int k = 0; k < LAST; k++) {
        inside[k] = mn_dim_at(0, b[k], d[k], s[k], mode, off, &part[k]);
    }
    for (int32_t r = 0; r < rows; r++, out += (size_t)row_len * elem) {
        int in_region = 1;
        int32_t at = params[MN_COPY_START];
        for (int k = 0; k < LAST; k++) {
            in_region &= inside[k];
            at += part[k];
        }
        if (!in_region) {
            mn_fill_run(out, value, row_len, elem);
        } else {
            // The innermost dim: border before, the region's run, border after.
            const uint8_t *row = in + (ptrdiff_t)at * elem;
            uint8_t *dst = out;
            if (bl) {
                if (mode) {
                    mn_copy_run(dst, row + (ptrdiff_t)(bl + off - 1) * sl * elem, -sl, bl, elem);
                } else {
                    mn_fill_run(dst, value, bl, elem);
                }
                dst += (size_t)bl * elem;
            }
            mn_copy_run(dst, row, sl, dl, elem);
            dst += (size_t)dl * elem;
            if (al) {
                if (mode) {
                    mn_copy_run(dst, row + (ptrdiff_t)(dl - 1 - off) * sl * elem, -sl, al, elem);
                } else {
                    mn_fill_run(dst, value, al, elem);
                }
            }
        }
        for (int k = LAST - 1; k >= 0; k--) {
            if (++j[k] == o[k]) {
                j[k] = 0;
            }
            inside[k] = mn_dim_at(j[k], b[k], d[k], s[k], mode, off, &part[k]);
            if (j[k]) {
                break;
            }
        }
    }
}

#endif // MICRONN_OP_SHAPE
