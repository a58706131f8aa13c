// Both RP2040 cores for the heavy int8 kernels (MICRONN_DUAL_CORE, set by micropython.cmake on
// the rp2040 only; 0 or undefined elsewhere). See port/mn_dual_rp2.c.
#ifndef MN_DUAL_H
#define MN_DUAL_H

#include <stdbool.h>
#include <stdint.h>
#include "micronn.h"

#ifndef MICRONN_DUAL_CORE
#define MICRONN_DUAL_CORE 0
#endif

#if MICRONN_DUAL_CORE
// Each returns true when it computed the whole output on both cores, false when the call is
// too small to pay for the hand-off (or core 1 is not available): the caller then runs the
// kernel itself. need: bytes of kernel scratch per call (core 1 gets its own).
bool mn_dual_conv(const int8_t *input, const int8_t *weights, const int32_t *bias, int8_t *output,
    const int32_t *p, const mn_requant_t *rq, void *scratch, int32_t need, bool depthwise);
bool mn_dual_fc(const int8_t *input, const int8_t *weights, const int32_t *bias, int8_t *output,
    int32_t batches, int32_t in_f, int32_t out_f, const mn_quant_t *q, const mn_requant_t *rq);
// Layers core 1 has computed a part of since boot.
uint32_t mn_dual_core1_jobs(void);
#endif

#endif
