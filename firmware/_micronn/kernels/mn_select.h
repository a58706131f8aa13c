// SELECT_V2's body for any element size (kernels/mn_select.c: float32, int8; mn_select_s16.c:
// int16): output (d0..d3) = condition ? x : y, each operand with its own element strides (0 on
// broadcast dims). Along the innermost dim each run of equal conditions is copied whole from x or
// y (or repeats that operand's one element where it is broadcast). Include after micronn.h.
#ifndef MN_SELECT_H
#define MN_SELECT_H

// elem is a constant at each call: the copies of one element inline.
MN_INLINE void mn_select_any(const uint8_t *condition, const uint8_t *x, const uint8_t *y, uint8_t *output,
    const int32_t *d, const int32_t *cs, const int32_t *xs, const int32_t *ys, const int32_t elem) {
    const int32_t n = d[3];
    for (int32_t i0 = 0; i0 < d[0]; i0++) {
        for (int32_t i1 = 0; i1 < d[1]; i1++) {
            for (int32_t i2 = 0; i2 < d[2]; i2++) {
                const uint8_t *c = condition + i0 * cs[0] + i1 * cs[1] + i2 * cs[2];
                const uint8_t *xr = x + (i0 * xs[0] + i1 * xs[1] + i2 * xs[2]) * elem;
                const uint8_t *yr = y + (i0 * ys[0] + i1 * ys[1] + i2 * ys[2]) * elem;
                // row: output[k] = c[k * cs3] ? xr[k * xs3] : yr[k * ys3], strides 0 or 1
                int32_t k = 0;
                while (k < n) {
                    const int take_x = c[k * cs[3]] != 0;
                    int32_t end = cs[3] ? k + 1 : n;
                    while (end < n && (c[end] != 0) == take_x) {
                        end++;
                    }
                    const uint8_t *src = take_x ? xr : yr;
                    if (take_x ? xs[3] : ys[3]) {
                        __builtin_memcpy(output + k * elem, src + k * elem, (uint32_t)((end - k) * elem));
                    } else {
                        for (int32_t j = k; j < end; j++) {
                            __builtin_memcpy(output + j * elem, src, (uint32_t)elem);
                        }
                    }
                    k = end;
                }
                output += n * elem;
            }
        }
    }
}

#endif // MN_SELECT_H
