// MINIMUM / MAXIMUM's body for any integer type (kernels/mn_minmax_s8.c: int8, int64;
// mn_minmax_s16.c: int16): output (d0..d3) = min or max (max != 0) of the raw values of input1
// and input2, each with its element strides s1, s2 (0 on broadcast dims). Elements are moved by
// memcpy (int64 tensors are only 4-byte aligned). Include after micronn.h.
#ifndef MN_MINMAX_H
#define MN_MINMAX_H

#define MN_MINMAX_BODY(T, d, s1, s2, max) \
    for (int32_t i0 = 0; i0 < d[0]; i0++) { \
        for (int32_t i1 = 0; i1 < d[1]; i1++) { \
            for (int32_t i2 = 0; i2 < d[2]; i2++) { \
                const T *x = input1 + i0 * s1[0] + i1 * s1[1] + i2 * s1[2]; \
                const T *y = input2 + i0 * s2[0] + i1 * s2[1] + i2 * s2[2]; \
                for (int32_t i3 = 0; i3 < d[3]; i3++, output++) { \
                    T a, b; \
                    __builtin_memcpy(&a, x + i3 * s1[3], sizeof a); \
                    __builtin_memcpy(&b, y + i3 * s2[3], sizeof b); \
                    const T r = max ? (a > b ? a : b) : (a < b ? a : b); \
                    __builtin_memcpy(output, &r, sizeof r); \
                } \
            } \
        } \
    }

#endif // MN_MINMAX_H
