// The SHAPE area's indexing kernels with hand-written bindings (bind_index.c): kernels/mn_resize.c,
// kernels/mn_index_gather.c. Data movement of any element size (params element_size bytes),
// whole rows at a time. Kernels that read runtime indices check them all before writing any
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

#endif // MN_INDEX_H
