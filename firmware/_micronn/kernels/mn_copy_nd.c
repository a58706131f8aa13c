// Shape area: copy_nd, the one data-movement kernel of TRANSPOSE, PAD, SLICE, SPLIT, REVERSE_V2,
// MIRROR_PAD, DEPTH_TO_SPACE, ... (the converter folds each op into its params, ops_shape.py).
//
// Output [o0..o5], o_k = b_k + d_k + a_k, row-major. An output index inside the region (b_k <= j_k
// < b_k + d_k in every dim) reads input[start + sum_k (j_k - b_k) * s_k]; the border holds the
// value (mode 0) or the input mirrored about the region's edge (mode 1 REFLECT leaves the edge
// out, mode 2 SYMMETRIC repeats it). Elements are 1, 2, 4 or 8 bytes. The two innermost dims are
// one plane: contiguous runs are copied with memcpy (the whole plane when it is contiguous), a
// plane walked with steps in the order that gives the longer inner loop (a 2-D transpose).
// The binding checked that every read is inside the input.
#include "micronn_config.h"
#if MICRONN_OP_SHAPE

#include <stddef.h>
#include "micronn.h"

#define MN_COPY_DIMS (MN_COPY_S0 - MN_COPY_D0)

// declared in bind_shape.h (its binding checks the params against the buffers)
void mn_copy_nd(const void *input, void *output, const int32_t *params);

// n elements of elem bytes, src and dst stepping by sstep and dstep bytes.
static void mn_move(uint8_t *dst, ptrdiff_t dstep, const uint8_t *src, ptrdiff_t sstep, int32_t n, int32_t elem) {
    switch (elem) {
        case 1:
            for (int32_t i = 0; i < n; i++, dst += dstep, src += sstep) {
                *dst = *src;
            }
            break;
        case 2:
            for (int32_t i = 0; i < n; i++, dst += dstep, src += sstep) {
                __builtin_memcpy(dst, src, 2);
            }
            break;
        case 4:
            for (int32_t i = 0; i < n; i++, dst += dstep, src += sstep) {
                __builtin_memcpy(dst, src, 4);
            }
            break;
        default:
            for (int32_t i = 0; i < n; i++, dst += dstep, src += sstep) {
                __builtin_memcpy(dst, src, 8);
            }
            break;
    }
}

// n contiguous elements from src (element step `step`) to dst.
static void mn_copy_run(uint8_t *dst, const uint8_t *src, int32_t step, int32_t n, int32_t elem) {
    if (step == 1 && n * elem >= 16) {
        __builtin_memcpy(dst, src, (size_t)n * (size_t)elem);
    } else {
        mn_move(dst, elem, src, (ptrdiff_t)step * elem, n, elem);
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

typedef struct {
    int32_t elem, mode, off;
    int32_t d4, s4, b4, a4, d5, s5, b5, a5;
    uint8_t value[8];
} mn_plane_t;

// One output row of the innermost dim from the input row at region index 0: border before,
// the region's run, border after.
static void mn_row(const mn_plane_t *q, uint8_t *dst, const uint8_t *row) {
    const int32_t elem = q->elem, sl = q->s5;
    if (q->b5) {
        if (q->mode) {
            mn_copy_run(dst, row + (ptrdiff_t)(q->b5 + q->off - 1) * sl * elem, -sl, q->b5, elem);
        } else {
            mn_fill_run(dst, q->value, q->b5, elem);
        }
        dst += (size_t)q->b5 * elem;
    }
    mn_copy_run(dst, row, sl, q->d5, elem);
    dst += (size_t)q->d5 * elem;
    if (q->a5) {
        if (q->mode) {
            mn_copy_run(dst, row + (ptrdiff_t)(q->d5 - 1 - q->off) * sl * elem, -sl, q->a5, elem);
        } else {
            mn_fill_run(dst, q->value, q->a5, elem);
        }
    }
}

// The output plane of dims 4 and 5 from the input at region index (.., 0, 0).
static void mn_plane(const mn_plane_t *q, uint8_t *out, const uint8_t *src) {
    const int32_t elem = q->elem, o5 = q->b5 + q->d5 + q->a5;
    const size_t row_bytes = (size_t)o5 * elem;
    const ptrdiff_t s4 = (ptrdiff_t)q->s4 * elem;
    if (q->mode) {
        for (int32_t j = 0; j < q->b4 + q->d4 + q->a4; j++, out += row_bytes) {
            mn_row(q, out, src + mn_mirror(j, q->b4, q->d4, q->off) * s4);
        }
        return;
    }
    mn_fill_run(out, q->value, q->b4 * o5, elem);
    out += (size_t)q->b4 * row_bytes;
    if (q->b5 || q->a5) {
        for (int32_t i = 0; i < q->d4; i++) {
            mn_row(q, out + (size_t)i * row_bytes, src + i * s4);
        }
    } else if (q->s5 == 1 && q->s4 == q->d5) {
        __builtin_memcpy(out, src, (size_t)q->d4 * row_bytes); // one contiguous block
    } else if (q->s5 == 1 || q->d5 >= q->d4) {
        for (int32_t i = 0; i < q->d4; i++) {
            mn_copy_run(out + (size_t)i * row_bytes, src + i * s4, q->s5, q->d5, elem);
        }
    } else {
        // Short rows walked with a step (e.g. NCHW -> NHWC): columns, the longer loop inside.
        for (int32_t i = 0; i < q->d5; i++) {
            mn_move(out + (size_t)i * elem, (ptrdiff_t)row_bytes, src + (ptrdiff_t)i * q->s5 * elem, s4, q->d4, elem);
        }
    }
    out += (size_t)q->d4 * row_bytes;
    mn_fill_run(out, q->value, q->a4 * o5, elem);
}

void mn_copy_nd(const void *input, void *output, const int32_t *params) {
    const int32_t *d = params + MN_COPY_D0, *s = params + MN_COPY_S0;
    const int32_t *b = params + MN_COPY_B0, *a = params + MN_COPY_A0;
    enum { OUTER = MN_COPY_DIMS - 2 }; // dims 0..3 around the plane of dims 4 and 5
    mn_plane_t q;
    q.elem = params[MN_COPY_ELEM];
    q.mode = params[MN_COPY_MODE];
    q.off = q.mode == 1 ? 1 : 0;
    q.d4 = d[OUTER], q.s4 = s[OUTER], q.b4 = b[OUTER], q.a4 = a[OUTER];
    q.d5 = d[OUTER + 1], q.s5 = s[OUTER + 1], q.b5 = b[OUTER + 1], q.a5 = a[OUTER + 1];
    // The border element in memory order (all micronn targets are little-endian: its low bytes).
    const int64_t v64 = params[MN_COPY_VALUE];
    __builtin_memcpy(q.value, &v64, sizeof(q.value));
    const uint8_t *in = (const uint8_t *)input;
    uint8_t *out = (uint8_t *)output;
    const int32_t elem = q.elem;
    const int32_t plane = (q.b4 + q.d4 + q.a4) * (q.b5 + q.d5 + q.a5);

    int32_t o[OUTER]; // output dims
    int32_t planes = 1;
    for (int k = 0; k < OUTER; k++) {
        o[k] = b[k] + d[k] + a[k];
        planes *= o[k];
    }
    // Odometer over the outer output dims (dim 3 fastest): j their output index, part their
    // input offset, inside whether it is in the region (always, in the mirror modes).
    int32_t j[OUTER] = { 0 }, part[OUTER];
    int inside[OUTER];
    for (int k = 0; k < OUTER; k++) {
        inside[k] = mn_dim_at(0, b[k], d[k], s[k], q.mode, q.off, &part[k]);
    }
    for (int32_t r = 0; r < planes; r++, out += (size_t)plane * elem) {
        int in_region = 1;
        int32_t at = params[MN_COPY_START];
        for (int k = 0; k < OUTER; k++) {
            in_region &= inside[k];
            at += part[k];
        }
        if (in_region) {
            mn_plane(&q, out, in + (ptrdiff_t)at * elem);
        } else {
            mn_fill_run(out, q.value, plane, elem);
        }
        for (int k = OUTER - 1; k >= 0; k--) {
            if (++j[k] == o[k]) {
                j[k] = 0;
            }
            inside[k] = mn_dim_at(j[k], b[k], d[k], s[k], q.mode, q.off, &part[k]);
            if (j[k]) {
                break;
            }
        }
    }
}

#endif // MICRONN_OP_SHAPE
