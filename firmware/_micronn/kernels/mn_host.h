// Host fast paths (unix firmware on x86-64): SSE2 versions of the hot kernels, called from the
// top of the optimized kernels (mn_conv2d_s8, ...) and equal to them byte for byte. Baseline
// x86-64 only (SSE2 is part of it: no -march flags). Each returns 1 when it handled the call,
// 0 to let the portable kernel run (shapes it does not take, too little scratch). ARM builds
// compile none of this (MN_HOST_SIMD is 0), so they execute exactly what they did before.
#ifndef MN_HOST_H
#define MN_HOST_H

#include "micronn.h"
#include "mn_arch.h"

#if MN_HOST_SIMD
// Same arguments as the kernel of the same name (scratch: the kernel's scratch, its size).
int mn_host_conv2d_s8(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *p, const mn_requant_t *requant, void *scratch);
int mn_host_depthwise_conv2d_s8(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *p, const mn_requant_t *requant, void *scratch);
int mn_host_fully_connected_s8(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, int32_t batches, int32_t in_features, int32_t out_features,
    const mn_quant_t *quant, const mn_requant_t *requant);
int mn_host_add_s8(const int8_t *input1, const int8_t *input2, int8_t *output, const int32_t *p);
#endif

#endif // MN_HOST_H
