// SHAPE area: a broadcast copy of any element size (BROADCAST_TO; FILL, ZEROS_LIKE and SHAPE as
// broadcasts of a scalar or a constant), whole rows at a time, and BROADCAST_ARGS as TFLite
// Micro's reference computes it (dims compared as int; incompatible ones reported).
#include "micronn_config.h"
#if MICRONN_OP_SHAPE

#include <stddef.h>

#include "micronn.h"
#include "mn_index.h"

void mn_broadcast_copy(const void *input, void *output, const int32_t *p) {
    const int32_t *d = p + MN_BCOPY_D0, *s = p + MN_BCOPY_S0;
    const size_t elem = (size_t)p[MN_BCOPY_ELEM], run = (size_t)d[4] * elem;
    const uint8_t *in = input;
    uint8_t *out = output;
    // output [d0..d3, row of d4]: the row is a contiguous input run (s4 1), one element repeated
    // (s4 0: copies doubling in size) or a strided run
    for (int32_t i0 = 0; i0 < d[0]; i0++) {
        for (int32_t i1 = 0; i1 < d[1]; i1++) {
            for (int32_t i2 = 0; i2 < d[2]; i2++) {
                for (int32_t i3 = 0; i3 < d[3]; i3++) {
                    const uint8_t *src = in + ((size_t)i0 * s[0] + (size_t)i1 * s[1] + (size_t)i2 * s[2]
                        + (size_t)i3 * s[3]) * elem;
                    if (s[4] == 1 || d[4] == 1) {
                        __builtin_memcpy(out, src, run);
                    } else if (s[4] == 0) {
                        __builtin_memcpy(out, src, elem);
                        for (size_t done = elem; done < run;) {
                            const size_t k = done < run - done ? done : run - done;
                            __builtin_memcpy(out + done, out, k);
                            done += k;
                        }
                    } else {
                        for (int32_t i4 = 0; i4 < d[4]; i4++) {
                            __builtin_memcpy(out + (size_t)i4 * elem, src + (size_t)i4 * s[4] * elem, elem);
                        }
                    }
                    out += run;
                }
            }
        }
    }
}

// Element i of an int32 (size 4) or int64 (size 8) vector, as int32 (TFLM's BroadcastArgs works on int).
MN_INLINE int32_t mn_shape_at(const void *v, int32_t i, int32_t size) {
    return size == 8 ? (int32_t)((const int64_t *)v)[i] : ((const int32_t *)v)[i];
}

int32_t mn_broadcast_args(const void *shape1, const void *shape2, void *output, const int32_t *p) {
    const int32_t size = p[MN_BARGS_ELEM], n1 = p[MN_BARGS_N1], n2 = p[MN_BARGS_N2], n = p[MN_BARGS_N_OUT];
    int32_t dims[64];
    // from the last dim backwards; a shape shorter than the output has 1s in front
    for (int32_t i = 0; i < n; i++) {
        const int32_t a = n1 - 1 - i >= 0 ? mn_shape_at(shape1, n1 - 1 - i, size) : 1;
        const int32_t b = n2 - 1 - i >= 0 ? mn_shape_at(shape2, n2 - 1 - i, size) : 1;
        if (a != 1 && b != 1 && a != b) {
            return n - 1 - i;
        }
        dims[n - 1 - i] = a == 1 ? b : a;
    }
    for (int32_t i = 0; i < n; i++) {
        if (size == 8) {
            ((int64_t *)output)[i] = dims[i];
        } else {
            ((int32_t *)output)[i] = dims[i];
        }
    }
    return -1;
}

#endif // MICRONN_OP_SHAPE
