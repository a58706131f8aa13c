// MUL int8 with 4-D broadcasting (TFLite Micro's reference_integer_ops MulElementwise /
// BroadcastMul4DSlow): output = clamp(rq((a + off1) * (b + off2), mult, shift) + out_off).
// mn_mul_s8_ref is the plain C reference. mn_mul_s8 runs long rows through ADD's SSE2 body on
// the host (mn_add_s8_sse2.c); elsewhere it takes rows that are contiguous or broadcast a
// scalar with the cheap requantization of mn_fast.h (|product| <= 255 * 255: always on its
// exact path) and the output offset folded into its rounding term, four elements per step
// (on ARMv7E-M: two words, SXTAB16 adds the offsets to int16 lanes, SMULBB/SMULTT multiply).
#include "micronn_config.h"
#if MICRONN_OP_ELEMENTWISE

#include "micronn.h"
#include "mn_fast.h"
#include "mn_variants.h"

void mn_mul_s8_ref(const int8_t *input1, const int8_t *input2, int8_t *output, const int32_t *p) {
    const int32_t off1 = p[MN_MUL_INPUT1_OFFSET], off2 = p[MN_MUL_INPUT2_OFFSET];
    const int32_t out_off = p[MN_MUL_OUTPUT_OFFSET];
    const int32_t mult = p[MN_MUL_MULTIPLIER], shift = p[MN_MUL_SHIFT];
    const int32_t lo = p[MN_MUL_ACT_MIN], hi = p[MN_MUL_ACT_MAX];
    const int32_t *d = p + MN_MUL_D0, *s1 = p + MN_MUL_IN1_S0, *s2 = p + MN_MUL_IN2_S0;
    // output (d0, d1, d2, d3) <- input1 (strides s1) * input2 (strides s2)
    for (int32_t i0 = 0; i0 < d[0]; i0++) {
        for (int32_t i1 = 0; i1 < d[1]; i1++) {
            for (int32_t i2 = 0; i2 < d[2]; i2++) {
                const int8_t *a = input1 + i0 * s1[0] + i1 * s1[1] + i2 * s1[2];
                const int8_t *b = input2 + i0 * s2[0] + i1 * s2[1] + i2 * s2[2];
                for (int32_t i3 = 0; i3 < d[3]; i3++) {
                    // |a + off1|, |b + off2| <= 255: the product fits int32.
                    int32_t prod = (a[i3 * s1[3]] + off1) * (b[i3 * s2[3]] + off2);
                    *output++ = (int8_t)mn_clamp(mn_requantize(prod, mult, shift) + out_off, lo, hi);
                }
            }
        }
    }
}

#if !MN_HOST_SIMD
// One output element from its product: mn_rq_fused1 with the table's fields in registers (the
// output offset is in the rounding term rnd).
#define MN_MUL_OUT(prod) ((int8_t)mn_clamp(mn_mul_rq((prod), ls1, mult, rnd, rs), lo, hi))

MN_INLINE int32_t mn_mul_rq(int32_t x, int32_t ls1, int32_t mult, int32_t rnd, int32_t rs) {
    const int32_t y = mn_smmulr((int32_t)((uint32_t)x << ls1), mult);
    return (y + (y >> 31) + rnd) >> rs;
}

// A row of n outputs from a (contiguous) and b (contiguous if bs, else one value).
MN_INLINE void mn_mul_row(const int8_t *a, const int8_t *b, int8_t *out, int32_t n, int bs,
    int32_t off1, int32_t off2, const mn_rq_t *rq, int32_t lo, int32_t hi) {
    const int32_t ls1 = rq->ls1, mult = rq->mult, rnd = rq->rnd, rs = rq->rs;
    int32_t i = 0;
    #if MN_ARM_DSP
    const int32_t o1 = (int32_t)(((uint32_t)off1 & 0xFFFF) * 0x10001u);
    const int32_t o2 = (int32_t)(((uint32_t)off2 & 0xFFFF) * 0x10001u);
    const int32_t bv = (int32_t)(((uint32_t)(b[0] + off2) & 0xFFFF) * 0x10001u);
    for (; i + 4 <= n; i += 4) {
        const int32_t wa = mn_read_s32(a + i);
        const int32_t a02 = mn_sxtab16(o1, wa), a13 = mn_sxtab16_ror8(o1, wa);
        int32_t b02 = bv, b13 = bv;
        if (bs) {
            const int32_t wb = mn_read_s32(b + i);
            b02 = mn_sxtab16(o2, wb);
            b13 = mn_sxtab16_ror8(o2, wb);
        }
        out[i] = MN_MUL_OUT(mn_smulbb(a02, b02));
        out[i + 1] = MN_MUL_OUT(mn_smulbb(a13, b13));
        out[i + 2] = MN_MUL_OUT(mn_smultt(a02, b02));
        out[i + 3] = MN_MUL_OUT(mn_smultt(a13, b13));
    }
    #endif
    if (bs) {
        for (; i < n; i++) {
            out[i] = MN_MUL_OUT((a[i] + off1) * (b[i] + off2));
        }
    } else {
        const int32_t vb = b[0] + off2;
        for (; i < n; i++) {
            out[i] = MN_MUL_OUT((a[i] + off1) * vb);
        }
    }
}
#endif

void mn_mul_s8(const int8_t *input1, const int8_t *input2, int8_t *output, const int32_t *p) {
    #if MN_HOST_SIMD
    if (mn_binary_s8_sse2(input1, input2, output, p + MN_MUL_D0, p + MN_MUL_IN1_S0, p + MN_MUL_IN2_S0, 0, 0,
        p[MN_MUL_INPUT1_OFFSET], p[MN_MUL_INPUT2_OFFSET], p[MN_MUL_MULTIPLIER], p[MN_MUL_SHIFT],
        p[MN_MUL_OUTPUT_OFFSET], p[MN_MUL_ACT_MIN], p[MN_MUL_ACT_MAX])) {
        return;
    }
    #else
    const int32_t *d = p + MN_MUL_D0, *s1 = p + MN_MUL_IN1_S0, *s2 = p + MN_MUL_IN2_S0;
    const int32_t lo = p[MN_MUL_ACT_MIN], hi = p[MN_MUL_ACT_MAX];
    mn_rq_t rq;
    // |product| <= 255 * 255 < 2 * 255 * 128: the bound of two taps.
    mn_rq_make(&rq, p[MN_MUL_MULTIPLIER], p[MN_MUL_SHIFT], 2, 0);
    const int ok = (s1[3] == 1 || s2[3] == 1) && (s1[3] | s2[3]) <= 1
        && mn_rq_fuse(&rq, 1, p[MN_MUL_OUTPUT_OFFSET], lo, hi);
    if (ok) {
        // input1 contiguous in the row (swap the operands if only input2 is: MUL commutes).
        const int swap = s1[3] == 0;
        const int8_t *x = swap ? input2 : input1, *y = swap ? input1 : input2;
        const int32_t *sx = swap ? s2 : s1, *sy = swap ? s1 : s2;
        const int32_t ox = p[swap ? MN_MUL_INPUT2_OFFSET : MN_MUL_INPUT1_OFFSET];
        const int32_t oy = p[swap ? MN_MUL_INPUT1_OFFSET : MN_MUL_INPUT2_OFFSET];
        for (int32_t i0 = 0; i0 < d[0]; i0++) {
            for (int32_t i1 = 0; i1 < d[1]; i1++) {
                for (int32_t i2 = 0; i2 < d[2]; i2++) {
                    mn_mul_row(x + i0 * sx[0] + i1 * sx[1] + i2 * sx[2], y + i0 * sy[0] + i1 * sy[1] + i2 * sy[2],
                               output, d[3], sy[3] == 1, ox, oy, &rq, lo, hi);
                    output += d[3];
                }
            }
        }
        return;
    }
    #endif
    mn_mul_s8_ref(input1, input2, output, p);
}

#endif // MICRONN_OP_ELEMENTWISE
