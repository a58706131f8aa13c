// Depthwise convolution int8: the plain C reference (mn_depthwise_conv2d_s8_ref, bit-exact
// with TFLite Micro's DepthwiseConvPerChannel) and the optimized kernel, equal to it.
#include "mn_fast.h"
#include "mn_variants.h"

void mn_depthwise_conv2d_s8_ref(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *p, const mn_requant_t *requant) {
    const int32_t batches = p[MN_CONV_N];
    const int32_t in_h = p[MN_CONV_IN_H], in_w = p[MN_CONV_IN_W], in_c = p[MN_CONV_IN_C];
    const int32_t out_h = p[MN_CONV_OUT_H], out_w = p[MN_CONV_OUT_W], out_c = p[MN_CONV_OUT_C];
    const int32_t k_h = p[MN_CONV_K_H], k_w = p[MN_CONV_K_W];
    const int32_t stride_h = p[MN_CONV_STRIDE_H], stride_w = p[MN_CONV_STRIDE_W];
    const int32_t dil_h = p[MN_CONV_DIL_H], dil_w = p[MN_CONV_DIL_W];
    const int32_t in_off = p[MN_CONV_INPUT_OFFSET], out_off = p[MN_CONV_OUTPUT_OFFSET];
    const int32_t act_min = p[MN_CONV_ACT_MIN], act_max = p[MN_CONV_ACT_MAX];
    const int32_t mult = p[MN_CONV_DEPTH_MULT];

    for (int32_t b = 0; b < batches; b++) {
        const int8_t *in_b = input + b * in_h * in_w * in_c;
        for (int32_t oy = 0; oy < out_h; oy++) {
            const int32_t y0 = oy * stride_h - p[MN_CONV_PAD_TOP];
            int32_t ky0, ky1;
            mn_tap_range(y0, dil_h, in_h, k_h, &ky0, &ky1);
            for (int32_t ox = 0; ox < out_w; ox++) {
                const int32_t x0 = ox * stride_w - p[MN_CONV_PAD_LEFT];
                int32_t kx0, kx1;
                mn_tap_range(x0, dil_w, in_w, k_w, &kx0, &kx1);
                for (int32_t oc = 0; oc < out_c; oc++) {
                    // sum over taps of (input[y, x, oc / mult] + in_off) * weights[0, ky, kx, oc]
                    const int32_t ic = oc / mult;
                    int32_t acc = 0;
                    for (int32_t ky = ky0; ky < ky1; ky++) {
                        const int8_t *in_row = in_b + (y0 + ky * dil_h) * in_w * in_c + ic;
                        const int8_t *w_row = weights + ky * k_w * out_c + oc;
                        for (int32_t kx = kx0; kx < kx1; kx++) {
                            acc += (in_row[(x0 + kx * dil_w) * in_c] + in_off) * w_row[kx * out_c];
                        }
                    }
                    if (bias) {
                        acc += bias[oc];
                    }
                    const int32_t c = requant->per_channel ? oc : 0;
                    acc = mn_requantize(acc, requant->multiplier[c], requant->shift[c]) + out_off;
                    *output++ = (int8_t)mn_clamp(acc, act_min, act_max);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Optimized kernel. Scratch (mn_depthwise_conv2d_s8_scratch_size bytes):
//   rq   mn_rq_t [out_c]   per-channel requantization, derived once per call
//   boff int32 [out_c]     bias + input_offset * sum of the channel's weights (windows inside
//                          the input then need no offset per tap: the portable path)
//   wide int32 [G][k_h * k_w][2], G = out_c / 4 (depth multiplier 1, ARMv7E-M): the weights
//                          of channels 4g..4g+3 widened to int16 lanes (0,2) and (1,3), as
//                          SXTAB16 widens four input channels
// Depth multiplier 1: four channels at a time; on ARMv7E-M one SMLABB/SMLATT per MAC, the
// input widened with its offset by SXTAB16. Other multipliers: scalar, tap range hoisted.

int32_t mn_depthwise_conv2d_s8_scratch_size(const int32_t *p) {
    const int32_t out_c = p[MN_CONV_OUT_C];
    int64_t n = ((int64_t)sizeof(mn_rq_t) + 4) * out_c;
    if (p[MN_CONV_DEPTH_MULT] == 1) {
        n += (int64_t)2 * p[MN_CONV_K_H] * p[MN_CONV_K_W] * (out_c & ~3);
    }
    return n < (1 << 30) ? (int32_t)n : 0;
}

MN_INLINE int8_t mn_dw_out(int32_t acc, const mn_rq_t *r, int32_t out_off, int32_t lo, int32_t hi) {
    return (int8_t)mn_clamp(mn_rq(acc, r) + out_off, lo, hi);
}

// How the outputs are requantized (mn_dw_tables decides, once per call).
typedef enum {
    MN_DW_RQ_EXACT = 0,     // mn_rq() + out_off per output (some channel needs the exact path)
    MN_DW_RQ_FUSED = 1,     // every channel cheap, out_off folded into rnd (mn_rq_fused); some rs == 0
    MN_DW_RQ_FUSED_RS1 = 2, // the same with every rs >= 1 (the usual case)
} mn_dw_rq_mode_t;

typedef struct {
    const int8_t *weights;
    const int32_t *bias, *boff, *wide;
    const mn_rq_t *rq;
    int32_t C, in_w, dil_h, dil_w, k_w, taps, off, out_off, lo, hi;
    int32_t mode;   // mn_dw_rq_mode_t (int32_t: arm-none-eabi's enums are one byte)
    int32_t clamp;  // [lo, hi] narrower than [-128, 127]
    uint32_t lo4, hi4;
} mn_dw_ctx_t;

// Requantization with the output offset folded into the rounding term (fast contexts only):
// (y + rnd + neg) >> rs + out_off == (y + rnd + (out_off << rs) + neg) >> rs, no overflow
// as |y| < 2^29 and |out_off << rs| < 2^30 (checked when the context is made).
// rs1: every channel has rs >= 1 (nm = -1), the usual case.
MN_INLINE int32_t mn_rq_fused(int32_t x, const mn_rq_t *r, int rs1) {
    const int32_t y = mn_smmulr((int32_t)((uint32_t)x << r->ls1), r->mult);
    if (rs1) {
        return (y + (y >> 31) + r->rnd) >> r->rs;
    }
    return (y + r->rnd + ((y >> 31) & r->nm)) >> r->rs;
}

// Saturate to int8.
MN_INLINE int32_t mn_sat8(int32_t x) {
    #if MN_ARM_SSAT
    int32_t r;
    __asm ("ssat %0, #8, %1" : "=r" (r) : "r" (x));
    return r;
    #else
    return mn_clamp(x, -128, 127);
    #endif
}

// Four fused-requantized accumulators of channels c..c+3, clamped, stored as one word.
MN_INLINE void mn_dw_store4_q(const mn_rq_t *rq, int clamp, uint32_t lo4, uint32_t hi4, int32_t lo,
    int32_t hi, int8_t *out, int32_t c, int32_t a0, int32_t a1, int32_t a2, int32_t a3, int rs1) {
    const mn_rq_t *r = rq + c;
    #if MN_ARM_DSP
    (void)lo;
    (void)hi;
    uint32_t v;
    if (rs1) {
        // per channel: ldrd (ls1, mult), (rnd, rs); y = SMMULR(a << ls1, mult);
        // (y + (y >> 31) + rnd) >> rs; SSAT 8. Then the four bytes packed into a0.
        int32_t t0, t1, t2, t3;
        #define MN_DW_RQ(a, o) \
    "ldrd %[t0], %[t1], [%[q], #" #o "]\n" \
    "ldrd %[t2], %[t3], [%[q], #" #o "+8]\n" \
    "lsl " a ", " a ", %[t0]\n" \
    "smmulr " a ", " a ", %[t1]\n" \
    "add " a ", " a ", " a ", asr #31\n" \
    "add " a ", " a ", %[t2]\n" \
    "asr " a ", " a ", %[t3]\n" \
    "ssat " a ", #8, " a "\n"
        __asm (
            MN_DW_RQ("%[a0]", 0) MN_DW_RQ("%[a1]", 20) MN_DW_RQ("%[a2]", 40) MN_DW_RQ("%[a3]", 60)
            "bfi %[a0], %[a1], #8, #8\n"
            "bfi %[a0], %[a2], #16, #8\n"
            "bfi %[a0], %[a3], #24, #8\n"
            : [a0] "+&r" (a0), [a1] "+&r" (a1), [a2] "+&r" (a2), [a3] "+&r" (a3),
              [t0] "=&r" (t0), [t1] "=&r" (t1), [t2] "=&r" (t2), [t3] "=&r" (t3)
            : [q] "r" (r) : "memory");
        #undef MN_DW_RQ
        v = (uint32_t)a0;
    } else {
    v = (uint32_t)mn_sat8(mn_rq_fused(a0, r, rs1));
    const int32_t s1 = mn_sat8(mn_rq_fused(a1, r + 1, rs1));
    const int32_t s2 = mn_sat8(mn_rq_fused(a2, r + 2, rs1));
    const int32_t s3 = mn_sat8(mn_rq_fused(a3, r + 3, rs1));
    __asm ("bfi %0, %1, #8, #8\n"
           "bfi %0, %2, #16, #8\n"
           "bfi %0, %3, #24, #8" : "+&r" (v) : "r" (s1), "r" (s2), "r" (s3));
    }
    if (clamp) {
        // per byte: max(v, lo), then min(v, hi); SSUB8 sets GE where the difference is >= 0
        uint32_t d;
        __asm ("ssub8 %1, %0, %2\n"
               "sel %0, %0, %2\n"
               "ssub8 %1, %3, %0\n"
               "sel %0, %0, %3" : "+&r" (v), "=&r" (d) : "r" (lo4), "r" (hi4));
    }
    #else
    (void)clamp;
    (void)lo4;
    (void)hi4;
    const uint32_t v = (uint8_t)mn_clamp(mn_rq_fused(a0, r, rs1), lo, hi)
        | (uint32_t)(uint8_t)mn_clamp(mn_rq_fused(a1, r + 1, rs1), lo, hi) << 8
        | (uint32_t)(uint8_t)mn_clamp(mn_rq_fused(a2, r + 2, rs1), lo, hi) << 16
        | (uint32_t)(uint8_t)mn_clamp(mn_rq_fused(a3, r + 3, rs1), lo, hi) << 24;
    #endif
    __builtin_memcpy(out + c, &v, 4);
}

MN_INLINE void mn_dw_store4_fast(const mn_dw_ctx_t *t, int8_t *out, int32_t c, int32_t a0,
    int32_t a1, int32_t a2, int32_t a3) {
    if (t->mode == MN_DW_RQ_FUSED_RS1) {
        mn_dw_store4_q(t->rq, t->clamp, t->lo4, t->hi4, t->lo, t->hi, out, c, a0, a1, a2, a3, 1);
    } else {
        mn_dw_store4_q(t->rq, t->clamp, t->lo4, t->hi4, t->lo, t->hi, out, c, a0, a1, a2, a3, 0);
    }
}

MN_INLINE void mn_dw_store4(const mn_dw_ctx_t *t, int8_t *out, int32_t c, int32_t a0, int32_t a1,
    int32_t a2, int32_t a3) {
    if (t->mode != MN_DW_RQ_EXACT) {
        mn_dw_store4_fast(t, out, c, a0, a1, a2, a3);
        return;
    }
    const mn_rq_t *r = t->rq + c;
    const uint32_t o = (uint8_t)mn_dw_out(a0, r, t->out_off, t->lo, t->hi)
        | (uint32_t)(uint8_t)mn_dw_out(a1, r + 1, t->out_off, t->lo, t->hi) << 8
        | (uint32_t)(uint8_t)mn_dw_out(a2, r + 2, t->out_off, t->lo, t->hi) << 16
        | (uint32_t)(uint8_t)mn_dw_out(a3, r + 3, t->out_off, t->lo, t->hi) << 24;
    __builtin_memcpy(out + c, &o, 4);
}

#if MN_ARM_DSP
// One 3x3 tap of four channels for the DSP asm loops below: the input word at `addr` (+ offset,
// SXTAB16 into lanes 0,2 and 1,3) times the tap's two pre-widened weight words at [w] (post-
// incremented), into the accumulators a0..a3; ROW: the three taps of a kernel row (x, x + dx,
// x + 2 dx).
#define MN_DW_ASM_TAP(addr) \
    "ldr %[v], " addr "\n" \
    "ldrd %[w02], %[w13], [%[w]], #8\n" \
    "sxtab16 %[u], %[off2], %[v]\n" \
    "smlabb %[a0], %[u], %[w02], %[a0]\n" \
    "smlatt %[a2], %[u], %[w02], %[a2]\n" \
    "sxtab16 %[u], %[off2], %[v], ror #8\n" \
    "smlabb %[a1], %[u], %[w13], %[a1]\n" \
    "smlatt %[a3], %[u], %[w13], %[a3]\n"
#define MN_DW_ASM_ROW \
    MN_DW_ASM_TAP("[%[x]]") MN_DW_ASM_TAP("[%[x], %[dx]]") MN_DW_ASM_TAP("[%[x], %[dx], lsl #1]")
#endif

// One output pixel, depth multiplier 1: taps ky0..ky1-1 x kx0..kx1-1, input at x (the pixel of
// the first tap, channel 0). `inside`: the window is entirely inside the input.
static void __attribute__((noinline)) mn_dw_pixel1(const mn_dw_ctx_t *t, int8_t *out, const int8_t *x,
    int32_t ky0, int32_t ky1, int32_t kx0, int32_t kx1, int inside) {
    const int32_t C = t->C, k_w = t->k_w;
    const int32_t row_step = t->dil_h * t->in_w * C, dx = t->dil_w * C;
    const int32_t nkx = kx1 - kx0;
    int32_t c = 0;
    #if MN_ARM_DSP
    const int32_t off2 = (int32_t)(((uint32_t)t->off & 0xFFFFu) | ((uint32_t)t->off << 16));
    const int32_t *wide = t->wide;
    for (; c + 4 <= C; c += 4, wide += 2 * t->taps) {
        int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        if (t->bias) {
            a0 = t->bias[c];
            a1 = t->bias[c + 1];
            a2 = t->bias[c + 2];
            a3 = t->bias[c + 3];
        }
        const int8_t *xr = x + c;
        const int32_t *wr = wide + 2 * (ky0 * k_w + kx0);
        if (inside && t->taps == 9 && k_w == 3) {
            // 3x3 inside the input: nine taps unrolled, 8 instructions per tap (4 MACs)
            int32_t v, u, w02, w13;
            __asm volatile (
                MN_DW_ASM_ROW
                "add %[x], %[x], %[rs]\n"
                MN_DW_ASM_ROW
                "add %[x], %[x], %[rs]\n"
                MN_DW_ASM_ROW
                : [x] "+r" (xr), [w] "+r" (wr), [a0] "+r" (a0), [a1] "+r" (a1), [a2] "+r" (a2),
                  [a3] "+r" (a3), [v] "=&r" (v), [u] "=&r" (u), [w02] "=&r" (w02), [w13] "=&r" (w13)
                : [dx] "r" (dx), [rs] "r" (row_step), [off2] "r" (off2)
                : "memory");
            mn_dw_store4(t, out, c, a0, a1, a2, a3);
            continue;
        }
        for (int32_t ky = ky0; ky < ky1; ky++, xr += row_step, wr += 2 * k_w) {
            const int8_t *xp = xr;
            const int32_t *wp = wr;
            for (int32_t n = nkx; n > 0; n--, xp += dx, wp += 2) {
                const int32_t v = mn_read_s32(xp);
                const int32_t x02 = mn_sxtab16(off2, v), x13 = mn_sxtab16_ror8(off2, v);
                a0 = mn_smlabb(x02, wp[0], a0);
                a2 = mn_smlatt(x02, wp[0], a2);
                a1 = mn_smlabb(x13, wp[1], a1);
                a3 = mn_smlatt(x13, wp[1], a3);
            }
        }
        mn_dw_store4(t, out, c, a0, a1, a2, a3);
    }
    #else
    // Inside the input, the offset term is in boff: sum of x * w only.
    const int32_t off = inside ? 0 : t->off;
    const int32_t *b0 = inside ? t->boff : t->bias;
    for (; c + 4 <= C; c += 4) {
        int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        if (b0) {
            a0 = b0[c];
            a1 = b0[c + 1];
            a2 = b0[c + 2];
            a3 = b0[c + 3];
        }
        const int8_t *xr = x + c, *wr = t->weights + (ky0 * k_w + kx0) * C + c;
        for (int32_t ky = ky0; ky < ky1; ky++, xr += row_step, wr += k_w * C) {
            const int8_t *xp = xr, *wp = wr;
            for (int32_t n = nkx; n > 0; n--, xp += dx, wp += C) {
                a0 += (xp[0] + off) * wp[0];
                a1 += (xp[1] + off) * wp[1];
                a2 += (xp[2] + off) * wp[2];
                a3 += (xp[3] + off) * wp[3];
            }
        }
        mn_dw_store4(t, out, c, a0, a1, a2, a3);
    }
    #endif
    for (; c < C; c++) {
        int32_t acc = t->bias ? t->bias[c] : 0;
        const int8_t *xr = x + c, *wr = t->weights + (ky0 * k_w + kx0) * C + c;
        for (int32_t ky = ky0; ky < ky1; ky++, xr += row_step, wr += k_w * C) {
            for (int32_t kx = 0; kx < nkx; kx++) {
                acc += (xr[kx * dx] + t->off) * wr[kx * C];
            }
        }
        out[c] = mn_dw_out(acc, t->rq + c, t->out_off, t->lo, t->hi);
    }
    (void)inside;
}

#if MN_ARM_M3

// Cortex-M3 (no DSP): a run of n pixels with full 3x3 windows, every channel on the fused
// requantization with rs >= 1; tap (ky, kx) of pixel i, channel c at x + i * xstep + ky * rs +
// kx * dx + c. Channel by channel (its nine weights gathered at t->wide, int8 [c][9]), two
// pixels at a time: per tap one weight LDRSB, for each pixel an input LDRSB and an MLA;
// accumulators start at boff (the input offset folded in).
static void mn_dw3x3_run_m3(const mn_dw_ctx_t *t, int8_t *out, const int8_t *x, int32_t n, int32_t xstep,
    int32_t dx, int32_t rs) {
    const int32_t C = t->C;
    const int8_t *w9 = (const int8_t *)t->wide;
    for (int32_t c = 0; c < C; c++, w9 += 9) {
        const mn_rq_t *r = t->rq + c;
        int8_t *o = out + c;
        const int8_t *xa = x + c;
        for (int32_t i = 0; i < n; i += 2, xa += 2 * xstep, o += 2 * C) {
            const int two = i + 1 < n;
            const int8_t *x0 = xa, *x1 = xa + xstep;
            int32_t a0 = t->boff[c], a1 = a0, v, w;
            #define MN_DW_M3_TAP(xo, wo) \
    "ldrsb %[w], [%[wp], #" #wo "]\n" \
    "ldrsb %[v], [%[x0]" xo "]\n" \
    "mla %[a0], %[v], %[w], %[a0]\n" \
    "ldrsb %[v], [%[x1]" xo "]\n" \
    "mla %[a1], %[v], %[w], %[a1]\n"
            #define MN_DW_M3_TAP1(xo, wo) \
    "ldrsb %[w], [%[wp], #" #wo "]\n" \
    "ldrsb %[v], [%[x0]" xo "]\n" \
    "mla %[a0], %[v], %[w], %[a0]\n"
            #define MN_DW_M3_ROW(T, wo) T("", wo) T(", %[dx]", wo + 1) T(", %[dx], lsl #1", wo + 2)
            if (two) {
                __asm (
                    MN_DW_M3_ROW(MN_DW_M3_TAP, 0)
                    "add %[x0], %[x0], %[rs]\n"
                    "add %[x1], %[x1], %[rs]\n"
                    MN_DW_M3_ROW(MN_DW_M3_TAP, 3)
                    "add %[x0], %[x0], %[rs]\n"
                    "add %[x1], %[x1], %[rs]\n"
                    MN_DW_M3_ROW(MN_DW_M3_TAP, 6)
                    : [x0] "+&r" (x0), [x1] "+&r" (x1), [a0] "+&r" (a0), [a1] "+&r" (a1), [v] "=&r" (v),
                      [w] "=&r" (w)
                    : [wp] "r" (w9), [dx] "r" (dx), [rs] "r" (rs) : "memory");
            } else {
                // the last pixel of an odd run
                __asm (
                    MN_DW_M3_ROW(MN_DW_M3_TAP1, 0)
                    "add %[x0], %[x0], %[rs]\n"
                    MN_DW_M3_ROW(MN_DW_M3_TAP1, 3)
                    "add %[x0], %[x0], %[rs]\n"
                    MN_DW_M3_ROW(MN_DW_M3_TAP1, 6)
                    : [x0] "+&r" (x0), [a0] "+&r" (a0), [v] "=&r" (v), [w] "=&r" (w)
                    : [wp] "r" (w9), [dx] "r" (dx), [rs] "r" (rs) : "memory");
            }
            #undef MN_DW_M3_ROW
            #undef MN_DW_M3_TAP1
            #undef MN_DW_M3_TAP
            // per value: LSL, SMULL, the rounding carry, (y + (y >> 31) + rnd) >> rs, SSAT 8
            int32_t ls, m, rn, sh, lo32;
            #define MN_DW_M3_RQ(a) \
    "lsl " a ", " a ", %[ls]\n" \
    "smull %[t], " a ", " a ", %[m]\n" \
    "add " a ", " a ", %[t], lsr #31\n" \
    "add " a ", " a ", " a ", asr #31\n" \
    "add " a ", " a ", %[rn]\n" \
    "asr " a ", " a ", %[sh]\n" \
    "ssat " a ", #8, " a "\n"
            __asm ("ldrd %[ls], %[m], [%[q]]\n"
                   "ldrd %[rn], %[sh], [%[q], #8]\n"
                   MN_DW_M3_RQ("%[a0]") MN_DW_M3_RQ("%[a1]")
                   : [a0] "+&r" (a0), [a1] "+&r" (a1), [ls] "=&r" (ls), [m] "=&r" (m), [rn] "=&r" (rn),
                     [sh] "=&r" (sh), [t] "=&r" (lo32)
                   : [q] "r" (r) : "memory");
            #undef MN_DW_M3_RQ
            if (t->clamp) {
                a0 = mn_clamp(a0, t->lo, t->hi);
                a1 = mn_clamp(a1, t->lo, t->hi);
            }
            o[0] = (int8_t)a0;
            if (two) {
                o[C] = (int8_t)a1;
            }
        }
    }
}

#endif

// A run of n output pixels whose 3x3 windows lie inside the input (depth multiplier 1, channels a
// multiple of 4, fast requantization), pixel i reading its first tap at x + i * xstep.
// Accumulators start at bz (bias or 0; DSP) / boff (bias + offset term; portable).
static void __attribute__((noinline)) mn_dw3x3_run(const mn_dw_ctx_t *t, int8_t *out, const int8_t *x,
    int32_t n, int32_t xstep, int32_t ky0, int32_t ky1, int32_t kx0, int32_t kx1) {
    const int32_t nky = ky1 - ky0, nkx = kx1 - kx0, full = nky == 3 && nkx == 3;
    const mn_rq_t *rq = t->rq;
    const int rs1 = t->mode == MN_DW_RQ_FUSED_RS1, clamp = t->clamp;
    const uint32_t lo4 = t->lo4, hi4 = t->hi4;
    const int32_t lo = t->lo, hi = t->hi;
    const int32_t C = t->C;
    const int32_t row_step = t->dil_h * t->in_w * C, dx = t->dil_w * C;
    const int32_t *b0 = t->boff;
    #if MN_ARM_DSP
    const int32_t off2 = (int32_t)(((uint32_t)t->off & 0xFFFFu) | ((uint32_t)t->off << 16));
    #endif
    #if MN_ARM_M3
    if (rs1 && full) {
        mn_dw3x3_run_m3(t, out, x, n, xstep, dx, row_step);
        return;
    }

    #endif
    // channel groups outer, pixels inner: the group's weights, requantization and bias
    // pointers stay fixed over the run
    for (int32_t c = 0; c < C; c += 4) {
        #if MN_ARM_DSP
        const int32_t *w0 = t->wide + 18 * (c >> 2) + 2 * (ky0 * 3 + kx0);
        #else
        const int8_t *wr = t->weights + (ky0 * 3 + kx0) * C;
        #endif
        const int8_t *xc = x + c;
        int8_t *oc = out;
        for (int32_t i = n; i > 0; i--, xc += xstep, oc += C) {
            #if MN_ARM_DSP
            const int32_t *wr = w0;
            #endif
            int32_t a0 = b0[c], a1 = b0[c + 1], a2 = b0[c + 2], a3 = b0[c + 3];
            const int8_t *xr = xc;
            #if MN_ARM_DSP
            int32_t v, u, w02, w13;
            #define MN_DW_ASM_OPS \
                : [x] "+r" (xr), [w] "+r" (wr), [a0] "+r" (a0), [a1] "+r" (a1), [a2] "+r" (a2), \
                  [a3] "+r" (a3), [v] "=&r" (v), [u] "=&r" (u), [w02] "=&r" (w02), [w13] "=&r" (w13) \
                : [dx] "r" (dx), [rs] "r" (row_step), [off2] "r" (off2) \
                : "memory"
            if (full) {
                __asm volatile (
                    MN_DW_ASM_ROW
                    "add %[x], %[x], %[rs]\n"
                    MN_DW_ASM_ROW
                    "add %[x], %[x], %[rs]\n"
                    MN_DW_ASM_ROW
                    MN_DW_ASM_OPS);
            } else {
                // a border window: rows ky0..ky1-1, taps kx0..kx1-1 (at least one of them short)
                for (int32_t r = nky; r > 0; r--) {
                    if (nkx == 3) {
                        __asm volatile (MN_DW_ASM_ROW "add %[x], %[x], %[rs]\n" MN_DW_ASM_OPS);
                    } else if (nkx == 2) {
                        __asm volatile (MN_DW_ASM_TAP("[%[x]]") MN_DW_ASM_TAP("[%[x], %[dx]]")
                            "add %[x], %[x], %[rs]\n" MN_DW_ASM_OPS);
                        wr += 2;
                    } else {
                        __asm volatile (MN_DW_ASM_TAP("[%[x]]") "add %[x], %[x], %[rs]\n" MN_DW_ASM_OPS);
                        wr += 4;
                    }
                }
            }
            #undef MN_DW_ASM_OPS
            #else
            const int8_t *wp = wr + c;
            if (full) {
                // inside the input: the offset term is in boff
                for (int32_t ky = 0; ky < 3; ky++, xr += row_step, wp += 3 * C) {
                    const int8_t *xp = xr;
                    for (int32_t kx = 0; kx < 3; kx++, xp += dx) {
                        const int8_t *wq = wp + kx * C;
                        a0 += xp[0] * wq[0];
                        a1 += xp[1] * wq[1];
                        a2 += xp[2] * wq[2];
                        a3 += xp[3] * wq[3];
                    }
                }
            } else {
                const int32_t o = t->off;
                a0 = t->bias ? t->bias[c] : 0;
                a1 = t->bias ? t->bias[c + 1] : 0;
                a2 = t->bias ? t->bias[c + 2] : 0;
                a3 = t->bias ? t->bias[c + 3] : 0;
                for (int32_t ky = 0; ky < nky; ky++, xr += row_step, wp += 3 * C) {
                    const int8_t *xp = xr;
                    for (int32_t kx = 0; kx < nkx; kx++, xp += dx) {
                        const int8_t *wq = wp + kx * C;
                        a0 += (xp[0] + o) * wq[0];
                        a1 += (xp[1] + o) * wq[1];
                        a2 += (xp[2] + o) * wq[2];
                        a3 += (xp[3] + o) * wq[3];
                    }
                }
            }
            #endif
            if (rs1) {
                mn_dw_store4_q(rq, clamp, lo4, hi4, lo, hi, oc, c, a0, a1, a2, a3, 1);
            } else {
                mn_dw_store4_q(rq, clamp, lo4, hi4, lo, hi, oc, c, a0, a1, a2, a3, 0);
            }
        }
    }
}

// Depth multiplier a multiple of 4: output channels oc..oc+3 = ic * mult + 4j.. read input
// channel ic; one input value against four weights per tap.
static void __attribute__((noinline)) mn_dw_pixel_m4(const mn_dw_ctx_t *t, int8_t *out, const int8_t *x,
    int32_t mult, int32_t ky0, int32_t ky1, int32_t kx0, int32_t kx1) {
    const int32_t C = t->C, k_w = t->k_w, out_c = C * mult, off = t->off;
    const int32_t row_step = t->dil_h * t->in_w * C, dx = t->dil_w * C;
    const int32_t nkx = kx1 - kx0;
    const int8_t *w_base = t->weights + (ky0 * k_w + kx0) * out_c;
    for (int32_t ic = 0, oc = 0; ic < C; ic++) {
        for (int32_t m = 0; m < mult; m += 4, oc += 4) {
            int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            if (t->bias) {
                a0 = t->bias[oc];
                a1 = t->bias[oc + 1];
                a2 = t->bias[oc + 2];
                a3 = t->bias[oc + 3];
            }
            const int8_t *xr = x + ic, *wr = w_base + oc;
            for (int32_t ky = ky0; ky < ky1; ky++, xr += row_step, wr += k_w * out_c) {
                const int8_t *xp = xr, *wp = wr;
                for (int32_t n = nkx; n > 0; n--, xp += dx, wp += out_c) {
                    const int32_t v = *xp + off;
                    #if MN_ARM_DSP
                    const int32_t w = mn_read_s32(wp);
                    const int32_t w02 = mn_sxtb16(w), w13 = mn_sxtb16_ror8(w);
                    a0 = mn_smlabb(v, w02, a0);
                    a2 = mn_smlabt(v, w02, a2);
                    a1 = mn_smlabb(v, w13, a1);
                    a3 = mn_smlabt(v, w13, a3);
                    #else
                    a0 += v * wp[0];
                    a1 += v * wp[1];
                    a2 += v * wp[2];
                    a3 += v * wp[3];
                    #endif
                }
            }
            mn_dw_store4(t, out, oc, a0, a1, a2, a3);
        }
    }
}

// Any depth multiplier, scalar: output channel oc = ic * mult + m.
static void mn_dw_pixel_generic(const int8_t *in_b, const int8_t *weights, const int32_t *bias,
    const mn_rq_t *rq, int8_t *out, const int32_t *p, int32_t out_off, int32_t y0, int32_t x0,
    int32_t ky0, int32_t ky1, int32_t kx0, int32_t kx1) {
    const int32_t in_w = p[MN_CONV_IN_W], in_c = p[MN_CONV_IN_C], out_c = p[MN_CONV_OUT_C];
    const int32_t k_w = p[MN_CONV_K_W], dil_h = p[MN_CONV_DIL_H], dil_w = p[MN_CONV_DIL_W];
    const int32_t mult = p[MN_CONV_DEPTH_MULT], off = p[MN_CONV_INPUT_OFFSET];
    const int32_t lo = p[MN_CONV_ACT_MIN], hi = p[MN_CONV_ACT_MAX];
    const int32_t row_step = dil_h * in_w * in_c, dx = dil_w * in_c;
    const int32_t ntaps = kx1 - kx0;
    const int8_t *x_base = in_b + ((y0 + ky0 * dil_h) * in_w + x0 + kx0 * dil_w) * in_c;
    const int8_t *w_base = weights + (ky0 * k_w + kx0) * out_c;
    for (int32_t ic = 0, oc = 0; ic < in_c; ic++) {
        for (int32_t m = 0; m < mult; m++, oc++) {
            int32_t acc = bias ? bias[oc] : 0;
            const int8_t *xr = x_base + ic, *wr = w_base + oc;
            for (int32_t ky = ky0; ky < ky1; ky++, xr += row_step, wr += k_w * out_c) {
                const int8_t *xp = xr, *wp = wr;
                for (int32_t n = ntaps; n > 0; n--, xp += dx, wp += out_c) {
                    acc += (*xp + off) * *wp;
                }
            }
            out[oc] = mn_dw_out(acc, rq + oc, out_off, lo, hi);
        }
    }
}

// The per-call tables in the scratch: rq (mn_rq_make per channel), boff (bias, plus on the
// portable path input_offset * the channel's weight sum). Returns the requantization mode: the
// fused ones fold out_off into every channel's rnd.
MN_INLINE mn_dw_rq_mode_t mn_dw_tables(mn_rq_t *rq, int32_t *boff, const int8_t *weights,
    const int32_t *bias, const mn_requant_t *requant, int32_t out_c, int32_t taps, int32_t off,
    int32_t out_off, int32_t lo, int32_t hi) {
    // fuse: every channel on the cheap requantization with rs <= 20, outputs within int8
    int fuse = lo >= -128 && hi <= 127;
    for (int32_t c = 0; c < out_c; c++) {
        const int32_t i = requant->per_channel ? c : 0;
        mn_rq_make(&rq[c], requant->multiplier[i], requant->shift[i], taps, bias ? bias[c] : 0);
        if (rq[c].ls1 == 0 || rq[c].rs > 20) {
            fuse = 0;
        }
        int32_t sum = 0;
        for (int32_t k = 0; k < taps; k++) {
            sum += weights[k * out_c + c];
        }
        #if MN_ARM_DSP
        boff[c] = bias ? bias[c] : 0; // the DSP path adds the offset per tap
        (void)sum;
        (void)off;
        #else
        boff[c] = (bias ? bias[c] : 0) + off * sum;
        #endif
    }
    if (!fuse) {
        return MN_DW_RQ_EXACT;
    }
    mn_dw_rq_mode_t mode = MN_DW_RQ_FUSED_RS1;
    for (int32_t c = 0; c < out_c; c++) {
        rq[c].rnd += (int32_t)((uint32_t)out_off << rq[c].rs);
        if (rq[c].rs == 0) {
            mode = MN_DW_RQ_FUSED;
        }
    }
    return mode;
}

// Depth multiplier 1: the weights re-laid out in `wide` for the DSP paths (wide[g][k] =
// (w[k][4g], w[k][4g+2]), (w[k][4g+1], w[k][4g+3]) as int16 pairs) and the M3 3x3 path (the
// nine weights of channel c at int8 [9c..9c+8], mn_dw3x3_run_m3; 9 <= 18 bytes a channel).
MN_INLINE void mn_dw_pack_weights(int32_t *wide, const int8_t *weights, int32_t out_c, int32_t taps) {
    #if MN_ARM_DSP
    for (int32_t g = 0; g < out_c / 4; g++) {
        for (int32_t k = 0; k < taps; k++) {
            const int32_t w = mn_read_s32(weights + k * out_c + 4 * g);
            wide[(g * taps + k) * 2] = mn_sxtb16(w);
            wide[(g * taps + k) * 2 + 1] = mn_sxtb16_ror8(w);
        }
    }
    #endif
    #if MN_ARM_M3
    if (taps == 9) {
        int8_t *w9 = (int8_t *)wide;
        for (int32_t c = 0; c < (out_c & ~3); c++) {
            for (int32_t k = 0; k < 9; k++) {
                w9[9 * c + k] = weights[k * out_c + c];
            }
        }
    }
    #endif
    (void)wide;
    (void)weights;
    (void)out_c;
    (void)taps;
}

// The output columns [*ox_a, *ox_b) whose 3-tap (dilated) windows lie inside the input horizontally.
MN_INLINE void mn_dw_inside_cols(const int32_t *p, int32_t *ox_a, int32_t *ox_b) {
    const int32_t in_w = p[MN_CONV_IN_W], out_w = p[MN_CONV_OUT_W], stride_w = p[MN_CONV_STRIDE_W];
    const int32_t pl = p[MN_CONV_PAD_LEFT], span = 2 * p[MN_CONV_DIL_W];
    int32_t a = (pl + stride_w - 1) / stride_w;
    int32_t b = in_w - 1 - span + pl < 0 ? 0 : (in_w - 1 - span + pl) / stride_w + 1;
    if (b > out_w) {
        b = out_w;
    }
    if (a > b) {
        a = b;
    }
    *ox_a = a;
    *ox_b = b;
}

// One output row of a 3x3 depth-multiplier-1 layer (kernel rows ky0..ky1-1 inside the input,
// input row y0 of the first): border pixels one by one (DSP) or through mn_dw_pixel1 (portable:
// its pixel loop is the cheaper border path), the run [ox_a, ox_b) of inside columns in one
// mn_dw3x3_run call. Returns the output after the row.
MN_INLINE int8_t *mn_dw_row_run3(const mn_dw_ctx_t *t, int8_t *output, const int8_t *in_b,
    const int32_t *p, int32_t y0, int32_t ky0, int32_t ky1, int32_t ox_a, int32_t ox_b) {
    const int32_t in_w = p[MN_CONV_IN_W], in_c = p[MN_CONV_IN_C], out_w = p[MN_CONV_OUT_W];
    const int32_t out_c = p[MN_CONV_OUT_C], k_w = p[MN_CONV_K_W];
    const int32_t dil_h = p[MN_CONV_DIL_H], dil_w = p[MN_CONV_DIL_W], stride_w = p[MN_CONV_STRIDE_W];
    for (int32_t ox = 0; ox < out_w; ox++) {
        const int32_t x0 = ox * stride_w - p[MN_CONV_PAD_LEFT];
        if (ox == ox_a && ox_b > ox_a) {
            int32_t a = ky0, e = ky1;
            if (e <= a) {
                a = e = 0;
            }
            mn_dw3x3_run(t, output, in_b + ((y0 + a * dil_h) * in_w + x0) * in_c,
                ox_b - ox_a, stride_w * in_c, a, e, 0, 3);
            output += (ox_b - ox_a) * out_c;
            ox = ox_b - 1;
            continue;
        }
        int32_t a = ky0, e = ky1, kx0, kx1;
        mn_tap_range(x0, dil_w, in_w, k_w, &kx0, &kx1);
        if (e <= a || kx1 <= kx0) { // window entirely in the padding
            a = e = kx0 = kx1 = 0;
        }
        const int8_t *x = in_b + ((y0 + a * dil_h) * in_w + x0 + kx0 * dil_w) * in_c;
        #if MN_ARM_DSP
        mn_dw3x3_run(t, output, x, 1, 0, a, e, kx0, kx1);
        #else
        mn_dw_pixel1(t, output, x, a, e, kx0, kx1, 0);
        #endif
        output += out_c;
    }
    return output;
}

// One output row, any kernel (kernel rows ky0..ky1-1 inside the input, input row y0 of the
// first), pixel by pixel. Returns the output after the row.
MN_INLINE int8_t *mn_dw_row(const mn_dw_ctx_t *t, int8_t *output, const int8_t *in_b,
    const int32_t *p, int32_t y0, int32_t ky0, int32_t ky1) {
    const int32_t in_w = p[MN_CONV_IN_W], in_c = p[MN_CONV_IN_C], out_w = p[MN_CONV_OUT_W];
    const int32_t out_c = p[MN_CONV_OUT_C], k_h = p[MN_CONV_K_H], k_w = p[MN_CONV_K_W];
    const int32_t dil_h = p[MN_CONV_DIL_H], dil_w = p[MN_CONV_DIL_W], stride_w = p[MN_CONV_STRIDE_W];
    const int32_t mult = p[MN_CONV_DEPTH_MULT];
    for (int32_t ox = 0; ox < out_w; ox++) {
        const int32_t x0 = ox * stride_w - p[MN_CONV_PAD_LEFT];
        int32_t a = ky0, e = ky1, kx0, kx1;
        mn_tap_range(x0, dil_w, in_w, k_w, &kx0, &kx1);
        if (e <= a || kx1 <= kx0) { // window entirely in the padding
            a = e = kx0 = kx1 = 0;
        }
        const int8_t *x = in_b + ((y0 + a * dil_h) * in_w + x0 + kx0 * dil_w) * in_c;
        if (mult == 1) {
            const int inside = a == 0 && e == k_h && kx0 == 0 && kx1 == k_w;
            mn_dw_pixel1(t, output, x, a, e, kx0, kx1, inside);
        } else if ((mult & 3) == 0) {
            mn_dw_pixel_m4(t, output, x, mult, a, e, kx0, kx1);
        } else {
            mn_dw_pixel_generic(in_b, t->weights, t->bias, t->rq, output, p, t->out_off, y0, x0, a, e,
                kx0, kx1);
        }
        output += out_c;
    }
    return output;
}

void mn_depthwise_conv2d_s8(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *p, const mn_requant_t *requant, void *scratch) {
    #if MN_MVE
    if (mn_depthwise_conv2d_s8_mve(input, weights, bias, output, p, requant, scratch)) {
        return;
    }
    #endif
    // read before the variant calls: the portable path below compiles as it did
    const int32_t in_h = p[MN_CONV_IN_H], in_w = p[MN_CONV_IN_W], in_c = p[MN_CONV_IN_C];
    const int32_t out_h = p[MN_CONV_OUT_H], out_c = p[MN_CONV_OUT_C];
    const int32_t k_h = p[MN_CONV_K_H], k_w = p[MN_CONV_K_W];
    const int32_t dil_h = p[MN_CONV_DIL_H], dil_w = p[MN_CONV_DIL_W];
    const int32_t stride_h = p[MN_CONV_STRIDE_H];
    const int32_t off = p[MN_CONV_INPUT_OFFSET], taps = k_h * k_w;
    #if MN_HOST_SIMD
    if (mn_depthwise_conv2d_s8_sse2(input, weights, bias, output, p, requant, scratch)) {
        return;
    }
    #endif
    if (scratch == NULL || mn_depthwise_conv2d_s8_scratch_size(p) == 0) {
        mn_depthwise_conv2d_s8_ref(input, weights, bias, output, p, requant);
        return;
    }
    mn_rq_t *rq = scratch;
    int32_t *boff = (int32_t *)(rq + out_c);
    int32_t *wide = boff + out_c;
    const int32_t out_off = p[MN_CONV_OUTPUT_OFFSET], lo = p[MN_CONV_ACT_MIN], hi = p[MN_CONV_ACT_MAX];
    const mn_dw_rq_mode_t mode = mn_dw_tables(rq, boff, weights, bias, requant, out_c, taps, off,
        out_off, lo, hi);
    const int use1 = p[MN_CONV_DEPTH_MULT] == 1;
    if (use1) {
        mn_dw_pack_weights(wide, weights, out_c, taps);
    }
    const mn_dw_ctx_t t = {
        .weights = weights, .bias = bias, .boff = boff, .wide = wide, .rq = rq,
        .C = in_c, .in_w = in_w, .dil_h = dil_h, .dil_w = dil_w, .k_w = k_w, .taps = taps, .off = off,
        .out_off = mode != MN_DW_RQ_EXACT ? 0 : out_off, .lo = lo, .hi = hi,
        .mode = mode, .clamp = lo > -128 || hi < 127,
        .lo4 = (uint8_t)lo * 0x01010101u, .hi4 = (uint8_t)hi * 0x01010101u,
    };
    // runs of 3x3 windows inside the input go to mn_dw3x3_run
    const int run3 = mode != MN_DW_RQ_EXACT && use1 && k_h == 3 && k_w == 3 && (in_c & 3) == 0;
    int32_t ox_a = 0, ox_b = 0; // the ox with the window inside horizontally: [ox_a, ox_b)
    if (run3) {
        mn_dw_inside_cols(p, &ox_a, &ox_b);
    }
    for (int32_t b = 0; b < p[MN_CONV_N]; b++) {
        const int8_t *in_b = input + b * in_h * in_w * in_c;
        for (int32_t oy = 0; oy < out_h; oy++) {
            const int32_t y0 = oy * stride_h - p[MN_CONV_PAD_TOP];
            int32_t ky0, ky1;
            mn_tap_range(y0, dil_h, in_h, k_h, &ky0, &ky1);
            if (run3) {
                output = mn_dw_row_run3(&t, output, in_b, p, y0, ky0, ky1, ox_a, ox_b);
            } else {
                output = mn_dw_row(&t, output, in_b, p, y0, ky0, ky1);
            }
        }
    }
}
