// The SHAPE area's indexing kernels with hand-written bindings (bind_index.c): kernels/mn_resize.c,
// mn_index_gather.c, mn_index_update_slice.c, mn_index_broadcast.c. Data movement of any element
// size (params element_size bytes), whole rows at a time. Kernels that read runtime indices check them all before writing any
// output and return the position of the first bad one (-1: all good, output written).
#ifndef MN_INDEX_H
#define MN_INDEX_H

#include <stdint.h>

// RESIZE_NEAREST_NEIGHBOR: input [n, in_h, in_w, c] -> output [n, out_h, out_w, c] (RESIZE_NN params).
void mn_resize_nearest(const void *input, void *output, const int32_t *params);
// GATHER: input [batch, outer, axis, inner], indices [batch, coords] (int32) -> output
// [batch, outer, coords, inner]. Returns the position in indices of the first index outside [0, axis), or -1.
int32_t mn_gather(const void *input, const int32_t *indices, void *output, const int32_t *params);
// GATHER_ND: indices [slices, nd] -> output [slices, slice]. Returns the first index row whose
// slice lies outside the params_count input elements, or -1.
int32_t mn_gather_nd(const void *input, const int32_t *indices, void *output, const int32_t *params);
// EMBEDDING_LOOKUP: lookup [lookups] (int32), value [rows, cols] -> output [lookups, cols]
// (hybrid: int8 value, float32 output = value * scale). Returns the first lookup outside [0, rows), or -1.
int32_t mn_embedding_lookup(const int32_t *lookup, const void *value, void *output, const int32_t *params);

// DYNAMIC_UPDATE_SLICE: operand [d0..d5] -> output [d0..d5] with update [u0..u5] written at the start
// indices (rank int32 or int64 values), each clamped into [0, d_k - u_k]. output may be operand.
void mn_dynamic_update_slice(const void *operand, const void *update, const void *start_indices, void *output,
    const int32_t *params);
// BROADCAST_TO, FILL, ZEROS_LIKE, SHAPE: output [d0..d4] = input[i0 * s0 + ... + i4 * s4].
void mn_broadcast_copy(const void *input, void *output, const int32_t *params);
// BROADCAST_ARGS: output [n_out] = the broadcast of shapes shape1 [n1] and shape2 [n2] (int32 or
// int64, compared as int32 as TFLM does). Returns the first output position whose dims are
// incompatible (neither 1 nor equal), or -1.
int32_t mn_broadcast_args(const void *shape1, const void *shape2, void *output, const int32_t *params);

#endif // MN_INDEX_H
