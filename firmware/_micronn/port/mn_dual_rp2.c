// Both RP2040 cores for int8 CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED (MICRONN_DUAL_CORE).
//
// A large enough layer is cut in two sub-problems of the same kernel: a convolution over output
// rows (rows [r0, r1) are the kernel on an input starting at the first row they read, with the
// top padding adjusted), a fully connected layer over batch rows or, for one row, over output
// channels. Core 1 computes the second part while core 0 computes the first: every output element
// is computed by the same kernel from the same operands, so the result is the single-core one
// bit for bit. There are no caches on the RP2040: both cores see the same SRAM.
//
// Core 1 runs a worker launched lazily (multicore_launch_core1_with_stack) on the first large
// layer. It waits for a job in RAM code (WFE), so flash may be erased and written by core 0
// while it idles; it runs kernels from flash only while core 0 waits for it. Hand-off: a job
// record in SRAM, a state word changed under a hardware spinlock, SEV/WFE. The FIFO is left to
// the SDK's launch protocol and to multicore_lockout.
//
// Coexisting with MicroPython's _thread (the rp2 port runs a thread on core 1): micronn never
// takes core 1 when _thread has it (the port's core-1 entry registers core 1 as a lockout
// victim; multicore_reset_core1 clears that). If core 1 is taken from micronn's worker (a
// `_thread.start_new_thread`, or the reset of core 1 at every soft reset), the next job is not
// picked up: core 0 takes it back under the spinlock after its own part and computes it too,
// and micronn launches its worker again only when core 1 is not _thread's.
#include <string.h>

#include "py/runtime.h"
#include "py/gc.h"
#include "pico/multicore.h"
#include "hardware/sync.h"

#include "micronn.h"
#include "mn_spec.h"
#include "port/mn_dual.h"

#if MICRONN_DUAL_CORE

// Below this many multiply-accumulates a layer runs on core 0 alone (the hand-off: a wake-up,
// the kernel's per-call set-up twice, a scratch allocation).
#ifndef MN_DUAL_MIN_MACS
#define MN_DUAL_MIN_MACS 16384
#endif
#define MN_DUAL_STACK_WORDS 1024

enum { MN_JOB_IDLE, MN_JOB_POSTED, MN_JOB_TAKEN, MN_JOB_DONE };
enum { MN_KIND_CONV, MN_KIND_DWCONV, MN_KIND_FC };

typedef struct {
    int kind;
    const int8_t *input;
    const int8_t *weights;
    const int32_t *bias;
    int8_t *output;
    int32_t p[MN_DWCONV_NPARAMS]; // conv: the sub-problem's params
    int32_t batches, in_f, out_f; // fc
    mn_quant_t q;
    mn_requant_t rq;
    void *scratch;
} mn_part_t;

static struct {
    volatile int32_t state;
    mn_part_t part;
} mn_job;

static uint32_t mn_core1_stack[MN_DUAL_STACK_WORDS];
static spin_lock_t *mn_lock;
static bool mn_launched;
static uint32_t mn_core1_jobs;

static void mn_part_run(const mn_part_t *t) {
    switch (t->kind) {
        case MN_KIND_CONV:
            mn_conv2d_s8(t->input, t->weights, t->bias, t->output, t->p, &t->rq, t->scratch);
            break;
        case MN_KIND_DWCONV:
            mn_depthwise_conv2d_s8(t->input, t->weights, t->bias, t->output, t->p, &t->rq, t->scratch);
            break;
        default:
            mn_fully_connected_s8(t->input, t->weights, t->bias, t->output, t->batches, t->in_f, t->out_f,
                &t->q, &t->rq);
            break;
    }
}

// A posted job moves to `to` under the spinlock: core 1 taking it (TAKEN), or core 0 taking
// it back (IDLE) when core 1 never did. True if it was still posted. Inlined: core 1 calls it
// from RAM.
static inline __attribute__((always_inline)) bool mn_job_claim(int to) {
    uint32_t save = spin_lock_blocking(mn_lock);
    bool posted = mn_job.state == MN_JOB_POSTED;
    if (posted) {
        mn_job.state = to;
    }
    spin_unlock(mn_lock, save);
    return posted;
}

// Core 1: wait in RAM for a job, take it under the spinlock, run it, report.
static void __not_in_flash_func(mn_core1_main)(void) {
    for (;;) {
        while (mn_job.state != MN_JOB_POSTED) {
            __wfe();
        }
        if (mn_job_claim(MN_JOB_TAKEN)) {
            mn_part_run(&mn_job.part);
            __dmb();
            mn_job.state = MN_JOB_DONE;
            __sev();
        }
    }
}

// Core 1 ours and waiting, launching the worker if core 1 is free; false: run on core 0 alone.
static bool mn_core1_ready(void) {
    if (mn_launched) {
        return true;
    }
    if (get_core_num() != 0 || multicore_lockout_victim_is_initialized(1)) {
        return false; // called from core 1, or core 1 belongs to _thread
    }
    if (mn_lock == NULL) {
        mn_lock = spin_lock_instance(spin_lock_claim_unused(true));
    }
    mn_job.state = MN_JOB_IDLE;
    multicore_reset_core1();
    multicore_launch_core1_with_stack(mn_core1_main, mn_core1_stack, sizeof(mn_core1_stack));
    mn_launched = true;
    return true;
}

// Core 0 runs `mine` while core 1 runs `theirs`; both done on return.
static void mn_dual_run(const mn_part_t *mine, const mn_part_t *theirs) {
    mn_job.part = *theirs;
    __dmb();
    mn_job.state = MN_JOB_POSTED;
    __sev();
    mn_part_run(mine);
    if (mn_job_claim(MN_JOB_IDLE)) {
        // core 1 is no longer micronn's: compute its part here, relaunch when core 1 is free
        mn_launched = false;
        mn_part_run(theirs);
        return;
    }
    while (mn_job.state != MN_JOB_DONE) {
        __wfe();
    }
    __dmb();
    mn_job.state = MN_JOB_IDLE;
    mn_core1_jobs++;
}

uint32_t mn_dual_core1_jobs(void) {
    return mn_core1_jobs;
}

bool mn_dual_conv(const int8_t *input, const int8_t *weights, const int32_t *bias, int8_t *output,
    const int32_t *p, const mn_requant_t *rq, void *scratch, int32_t need, bool depthwise) {
    const int32_t out_h = p[MN_CONV_OUT_H], out_w = p[MN_CONV_OUT_W], out_c = p[MN_CONV_OUT_C];
    const int32_t in_h = p[MN_CONV_IN_H], in_w = p[MN_CONV_IN_W], in_c = p[MN_CONV_IN_C];
    int64_t macs = (int64_t)out_h * out_w * out_c * p[MN_CONV_K_H] * p[MN_CONV_K_W]
        * (depthwise ? 1 : in_c);
    if (p[MN_CONV_N] != 1 || out_h < 2 || macs < MN_DUAL_MIN_MACS || (need > 0 && scratch == NULL)
        || !mn_core1_ready()) {
        return false;
    }
    void *scratch1 = NULL;
    if (need > 0 && (scratch1 = m_malloc_maybe(need)) == NULL) {
        return false;
    }
    const int np = depthwise ? MN_DWCONV_NPARAMS : MN_CONV_NPARAMS;
    mn_part_t part[2];
    const int32_t rows[3] = {0, (out_h + 1) / 2, out_h};
    for (int i = 0; i < 2; i++) {
        mn_part_t *t = &part[i];
        t->kind = depthwise ? MN_KIND_DWCONV : MN_KIND_CONV;
        memcpy(t->p, p, np * sizeof(int32_t));
        const int32_t r0 = rows[i];
        // first input row that output row r0 reads (clamped into the input), and the top
        // padding that puts row r0's window where it was
        int32_t y = r0 * p[MN_CONV_STRIDE_H] - p[MN_CONV_PAD_TOP];
        int32_t y_start = y < 0 ? 0 : y >= in_h ? in_h - 1 : y;
        t->p[MN_CONV_IN_H] = in_h - y_start;
        t->p[MN_CONV_PAD_TOP] = y_start - y;
        t->p[MN_CONV_OUT_H] = rows[i + 1] - r0;
        t->input = input + (size_t)y_start * in_w * in_c;
        t->weights = weights;
        t->bias = bias;
        t->output = output + (size_t)r0 * out_w * out_c;
        t->rq = *rq;
        t->scratch = i == 0 ? scratch : scratch1;
    }
    mn_dual_run(&part[0], &part[1]);
    if (scratch1) {
        m_del(uint8_t, scratch1, need);
    }
    return true;
}

bool mn_dual_fc(const int8_t *input, const int8_t *weights, const int32_t *bias, int8_t *output,
    int32_t batches, int32_t in_f, int32_t out_f, const mn_quant_t *q, const mn_requant_t *rq) {
    if ((int64_t)batches * in_f * out_f < MN_DUAL_MIN_MACS || (batches < 2 && out_f < 2) || !mn_core1_ready()) {
        return false;
    }
    mn_part_t part[2];
    for (int i = 0; i < 2; i++) {
        mn_part_t *t = &part[i];
        t->kind = MN_KIND_FC;
        t->q = *q;
        t->rq = *rq;
        t->in_f = in_f;
        t->scratch = NULL;
        if (batches >= 2) {
            // batch rows [b0, b1)
            const int32_t b0 = i == 0 ? 0 : (batches + 1) / 2, b1 = i == 0 ? (batches + 1) / 2 : batches;
            t->batches = b1 - b0;
            t->out_f = out_f;
            t->input = input + (size_t)b0 * in_f;
            t->weights = weights;
            t->bias = bias;
            t->output = output + (size_t)b0 * out_f;
        } else {
            // output channels [c0, c1) of the one row
            const int32_t c0 = i == 0 ? 0 : (out_f + 1) / 2, c1 = i == 0 ? (out_f + 1) / 2 : out_f;
            t->batches = 1;
            t->out_f = c1 - c0;
            t->input = input;
            t->weights = weights + (size_t)c0 * in_f;
            t->bias = bias ? bias + c0 : NULL;
            t->output = output + c0;
            if (rq->per_channel) {
                t->rq.multiplier = rq->multiplier + c0;
                t->rq.shift = rq->shift + c0;
            }
        }
    }
    mn_dual_run(&part[0], &part[1]);
    return true;
}

#else
typedef int mn_dual_rp2_off_t; // MICRONN_DUAL_CORE=0: nothing (ISO C wants a declaration)
#endif
