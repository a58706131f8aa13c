// The architecture variants of the kernels (not part of the public API): for each flag of
// mn_arch.h, the mn_<op>_<dtype>_<variant> functions in kernels/mn_<op>_<dtype>_<variant>.c,
// called from the top of the public optimized kernel mn_<op>_<dtype> (same arguments; scratch:
// the kernel's scratch, mn_<op>_<dtype>_scratch_size bytes) and equal to it byte for byte.
// An `int` variant returns 1 when it computed the output, 0 to let the public kernel's own
// path run (shapes it does not take, no scratch); a `void` one takes every call that reaches it.
// Builds without a flag compile and link none of its variants.
#ifndef MN_VARIANTS_H
#define MN_VARIANTS_H

#include "micronn.h"
#include "mn_arch.h"

#if MN_HOST_SIMD
// x86-64 SSE2 (the unix firmware).
int mn_conv2d_s8_sse2(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *p, const mn_requant_t *requant, void *scratch);
int mn_depthwise_conv2d_s8_sse2(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *p, const mn_requant_t *requant, void *scratch);
int mn_fully_connected_s8_sse2(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, int32_t batches, int32_t in_features, int32_t out_features,
    const mn_quant_t *quant, const mn_requant_t *requant);
int mn_add_s8_sse2(const int8_t *input1, const int8_t *input2, int8_t *output, const int32_t *p, int sub);
// ADD's body (mn_add_s8_sse2.c), MUL's too: t1/t2 the per-input tables of ADD/SUB, 0 for MUL's
// product (x + off1) * (y + off2); d, s1, s2 the output dims and input strides.
int mn_binary_s8_sse2(const int8_t *input1, const int8_t *input2, int8_t *output, const int32_t *d,
    const int32_t *s1, const int32_t *s2, const int32_t *t1, const int32_t *t2, int32_t off1, int32_t off2,
    int32_t mo, int32_t sho, int32_t out_off, int32_t act_min, int32_t act_max);
#endif

#if MN_MVE
// Helium (Cortex-M55); helpers in mn_mve.h.
int mn_conv2d_s8_mve(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *p, const mn_requant_t *requant, void *scratch);
int mn_depthwise_conv2d_s8_mve(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *p, const mn_requant_t *requant, void *scratch);
int mn_fully_connected_s8_mve(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, int32_t batches, int32_t in_features, int32_t out_features,
    const mn_quant_t *quant, const mn_requant_t *requant);
#endif

#if MN_ARM_M3
// ARMv7-M without DSP (Cortex-M3); scratch not NULL, mn_conv2d_s8_scratch_size(p) > 0.
void mn_conv2d_s8_m3(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *p, const mn_requant_t *requant, void *scratch);
#endif

#if MN_ARM_V6M
// ARMv6-M (Cortex-M0+, RP2040); 0 when scratch is NULL or too small, or the input offset is
// outside [-127, 128].
int mn_conv2d_s8_m0(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *p, const mn_requant_t *requant, void *scratch);
#endif

#if MN_ARM_DSP
// ARMv7E-M DSP extension (Cortex-M4, M7, M33, M55 where no MVE path takes the call).
void mn_fully_connected_s8_dsp(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, int32_t batches, int32_t in_features, int32_t out_features,
    const mn_quant_t *quant, const mn_requant_t *requant);
// Its inner passes alone: acc[r] += sum_i (x[i] + off) * w[r * n + i] (mn_dot_rows_s8 on DSP).
void mn_fc_dot_rows_dsp(const int8_t *x, int32_t n, int32_t off, const int8_t *w, int32_t rows,
    int32_t *acc);
#endif

#endif // MN_VARIANTS_H
