// Convolution int8, Helium (MVE) path: two output pixels x two output channels at a time, 16
// taps per step with VMLADAVA.S8 (16 MACs into a scalar): 4 loads and 4 VMLADAVA per 64 MACs.
// The input offset leaves the loop: sum_k (x_k + off) w_k = sum_k x_k w_k + off * sum_k w_k, the
// second term (with the bias) computed once per call; padding taps are stored as -off (in int8,
// as off is in [-127, 128]) so that they add zero to the first form.
//
// Pixels whose window is one contiguous run of the input (1x1 kernels inside the input) are read
// in place; the others are gathered (im2col) into int8 rows of K = k_h * k_w * in_c taps.
// Scratch (mn_conv2d_s8_scratch_size bytes, 16 * ceil(K / 4) + 20 * out_c; uses at most
// 2 K + 12 out_c + 8):
//   boff int32 [out_c]     bias + off * sum of the channel's weights
//   acc  int32 [out_c rounded up to even][2]  accumulators of the pixel pair
//   col  int8 [2][K]       the gathered windows
#include "mn_mve.h"
#include "mn_variants.h"

#if MN_MVE

// dst[0..n-1] <- src[0..n-1].
MN_INLINE void mn_mve_copy(int8_t *dst, const int8_t *src, int32_t n) {
    for (; n > 0; n -= 16, src += 16, dst += 16) {
        const mve_pred16_t p = vctp8q((uint32_t)n);
        vstrbq_p_s8(dst, vldrbq_z_s8(src, p), p);
    }
}

// dst[0..n-1] <- v.
MN_INLINE void mn_mve_fill(int8_t *dst, int8x16_t v, int32_t n) {
    for (; n > 0; n -= 16, dst += 16) {
        vstrbq_p_s8(dst, v, vctp8q((uint32_t)n));
    }
}

// The K taps of output pixel (oy, ox): a pointer into the input if they are one contiguous run
// of it, else gathered into col with -off in the padding.
static const int8_t *mn_mve_conv_col(int8_t *col, const int8_t *in_b, const int32_t *P, int32_t oy,
    int32_t ox) {
    const int32_t in_h = P[MN_CONV_IN_H], in_w = P[MN_CONV_IN_W], in_c = P[MN_CONV_IN_C];
    const int32_t k_h = P[MN_CONV_K_H], k_w = P[MN_CONV_K_W];
    const int32_t dil_h = P[MN_CONV_DIL_H], dil_w = P[MN_CONV_DIL_W];
    const int32_t y0 = oy * P[MN_CONV_STRIDE_H] - P[MN_CONV_PAD_TOP];
    const int32_t x0 = ox * P[MN_CONV_STRIDE_W] - P[MN_CONV_PAD_LEFT];
    const int32_t row_len = k_w * in_c;
    const int8x16_t pad = vdupq_n_s8((int8_t)-P[MN_CONV_INPUT_OFFSET]);
    const int inside = y0 >= 0 && x0 >= 0 && y0 + (k_h - 1) * dil_h < in_h && x0 + (k_w - 1) * dil_w < in_w;
    if (inside && (k_w == 1 || dil_w == 1)) {
        const int8_t *row = in_b + (y0 * in_w + x0) * in_c;
        if (k_h == 1) {
            return row;
        }
        for (int32_t ky = 0; ky < k_h; ky++, row += dil_h * in_w * in_c) {
            mn_mve_copy(col + ky * row_len, row, row_len);
        }
        return col;
    }
    int32_t ky0, ky1, kx0, kx1;
    mn_tap_range(y0, dil_h, in_h, k_h, &ky0, &ky1);
    mn_tap_range(x0, dil_w, in_w, k_w, &kx0, &kx1);
    if (kx1 <= kx0) {
        kx0 = kx1 = 0;
    }
    for (int32_t ky = 0; ky < k_h; ky++) {
        int8_t *dst = col + ky * row_len;
        if (ky < ky0 || ky >= ky1 || kx1 == 0) {
            mn_mve_fill(dst, pad, row_len);
            continue;
        }
        const int8_t *row = in_b + (y0 + ky * dil_h) * in_w * in_c;
        mn_mve_fill(dst, pad, kx0 * in_c);
        if (dil_w == 1) {
            mn_mve_copy(dst + kx0 * in_c, row + (x0 + kx0) * in_c, (kx1 - kx0) * in_c);
        } else {
            for (int32_t kx = kx0; kx < kx1; kx++) {
                mn_mve_copy(dst + kx * in_c, row + (x0 + kx * dil_w) * in_c, in_c);
            }
        }
        mn_mve_fill(dst + kx1 * in_c, pad, (k_w - kx1) * in_c);
    }
    return col;
}

// One channel pair against the two pixels, the accumulators stored as acc[oc][0..1], acc[oc+1][0..1]
// (pixel a, pixel b). Per pair: zero, 16 taps per LE loop step (4 VLDRB, 4 VMLADAVA), the tail
// step (q4/q5: the pixels' last K % 16 taps, zero past K; the weights' with loads predicated by
// VCTP(K % 16) in P0), rewind the pixels, step the rows by 2 K, STRD x2.
#define MN_MVE_PAIR_HEAD \
    "1:\n" \
    "movs %[s00], #0\n" \
    "movs %[s01], #0\n" \
    "movs %[s10], #0\n" \
    "movs %[s11], #0\n" \
    "wls lr, %[g], 3f\n" \
    "2:\n" \
    "vldrb.8 q0, [%[a]], #16\n" \
    "vldrb.8 q1, [%[w0]], #16\n" \
    "vmladava.s8 %[s00], q0, q1\n" \
    "vldrb.8 q2, [%[b]], #16\n" \
    "vmladava.s8 %[s10], q2, q1\n" \
    "vldrb.8 q3, [%[w1]], #16\n" \
    "vmladava.s8 %[s01], q0, q3\n" \
    "vmladava.s8 %[s11], q2, q3\n" \
    "le lr, 2b\n" \
    "3:\n"
#define MN_MVE_PAIR_TAIL \
    "vpstt\n" \
    "vldrbt.8 q1, [%[w0]]\n" \
    "vldrbt.8 q3, [%[w1]]\n" \
    "vmladava.s8 %[s00], q4, q1\n" \
    "vmladava.s8 %[s10], q5, q1\n" \
    "vmladava.s8 %[s01], q4, q3\n" \
    "vmladava.s8 %[s11], q5, q3\n"
#define MN_MVE_PAIR_END \
    "sub %[a], %[a], %[g], lsl #4\n" \
    "sub %[b], %[b], %[g], lsl #4\n" \
    "add %[w0], %[w0], %[kt]\n" \
    "add %[w1], %[w1], %[kt]\n" \
    "strd %[s00], %[s10], [%[acc]], #8\n" \
    "strd %[s01], %[s11], [%[acc]], #8\n" \
    "subs %[n], %[n], #1\n" \
    "bne 1b\n"
#define MN_MVE_PAIR_OUTS \
    : [a] "+&r" (a), [b] "+&r" (b), [w0] "+&r" (w0), [w1] "+&r" (w1), [acc] "+&r" (acc), \
      [n] "+&r" (n), [s00] "=&Te" (s00), [s01] "=&Te" (s01), [s10] "=&Te" (s10), [s11] "=&Te" (s11)
#define MN_MVE_PAIR_CLOBBERS : "q0", "q1", "q2", "q3", "lr", "cc", "memory"

// acc[oc][0], acc[oc][1] = sum_k a[k] w[oc][k], sum_k b[k] w[oc][k] for every output channel
// (acc: 2 * out_c rounded up to even).
static void __attribute__((noinline)) mn_mve_conv_dots(const int8_t *a, const int8_t *b,
    const int8_t *weights, int32_t K, int32_t out_c, int32_t *acc) {
    const int32_t g = K >> 4, t = K & 15;
    const mve_pred16_t p = vctp8q((uint32_t)t);
    const int8x16_t ta = vldrbq_z_s8(a + 16 * g, p), tb = vldrbq_z_s8(b + 16 * g, p);
    int32_t n = out_c >> 1;
    const int8_t *w0 = weights, *w1 = weights + K;
    int32_t oc = 2 * n;
    if (n) {
        const int32_t kt = K + t;
        int32_t s00, s01, s10, s11;
        if (t) {
            register int8x16_t q4 __asm("q4") = ta;
            register int8x16_t q5 __asm("q5") = tb;
            __asm volatile (MN_MVE_PAIR_HEAD MN_MVE_PAIR_TAIL MN_MVE_PAIR_END MN_MVE_PAIR_OUTS
                : [g] "r" (g), [kt] "r" (kt), "w" (q4), "w" (q5), "Up" (p) MN_MVE_PAIR_CLOBBERS);
        } else {
            __asm volatile (MN_MVE_PAIR_HEAD MN_MVE_PAIR_END MN_MVE_PAIR_OUTS
                : [g] "r" (g), [kt] "r" (kt) MN_MVE_PAIR_CLOBBERS);
        }
        (void)s00;
        (void)s01;
        (void)s10;
        (void)s11;
    }
    // an odd last channel: predicated loads
    for (; oc < out_c; oc += 2, acc += 4) {
        const int8_t *v0p = weights + oc * K, *v1p = oc + 1 < out_c ? v0p + K : v0p;
        const int8_t *pa = a, *pb = b;
        int32_t s00 = 0, s01 = 0, s10 = 0, s11 = 0;
        for (int32_t i = K; i > 0; i -= 16, pa += 16, pb += 16, v0p += 16, v1p += 16) {
            const mve_pred16_t q = vctp8q((uint32_t)i);
            const int8x16_t va = vldrbq_z_s8(pa, q), vb = vldrbq_z_s8(pb, q);
            const int8x16_t v0 = vldrbq_z_s8(v0p, q), v1 = vldrbq_z_s8(v1p, q);
            s00 = vmladavaq_s8(s00, va, v0);
            s10 = vmladavaq_s8(s10, vb, v0);
            s01 = vmladavaq_s8(s01, va, v1);
            s11 = vmladavaq_s8(s11, vb, v1);
        }
        acc[0] = s00;
        acc[1] = s10;
        acc[2] = s01;
        acc[3] = s11;
    }
}

// out0[c], out1[c] = clamp(requant(acc[c][0/1] + boff[c]) + out_off, lo, hi) for every channel;
// out1 may be NULL. VLD2 reads acc four channels at a time (up to 6 words past the last
// channel: within the scratch).
static void mn_mve_conv_requant(int8_t *out0, int8_t *out1, const int32_t *acc,
    const int32_t *boff, int32_t out_c, const mn_requant_t *rq, int left, int32_t out_off, int32_t lo,
    int32_t hi) {
    int32x4_t mult = vdupq_n_s32(rq->multiplier[0]), shift = vdupq_n_s32(rq->shift[0]);
    int32_t c = 0;
    if (!left && out1) {
        // both pixels, four channels per step: VLD2 (acc), + boff, VQRDMULH, the rounding of
        // mn_mve_requant_r, + out_off, clamp, VSTRB x2 (23 instructions per 8 outputs)
        const int32x4_t vlo = vdupq_n_s32(lo), vhi = vdupq_n_s32(hi);
        int8_t *o0 = out0, *o1 = out1;
        const int32_t *bp = boff;
        for (; c + 4 <= out_c; c += 4) {
            if (rq->per_channel) {
                mult = vldrwq_s32(rq->multiplier + c);
                shift = vldrwq_s32(rq->shift + c);
            }
            int32x4_t tmp;
            __asm volatile (
                "vld20.32 {q0, q1}, [%[acc]]\n"
                "vld21.32 {q0, q1}, [%[acc]]!\n"
                "vldrw.32 %q[t], [%[bp]], #16\n"
                "vadd.i32 q0, q0, %q[t]\n"
                "vadd.i32 q1, q1, %q[t]\n"
                "vqrdmulh.s32 q0, q0, %q[m]\n"
                "vqrdmulh.s32 q1, q1, %q[m]\n"
                "vand %q[t], q0, %q[r]\n"
                "vshr.s32 %q[t], %q[t], #31\n"
                "vadd.i32 q0, q0, %q[t]\n"
                "vand %q[t], q1, %q[r]\n"
                "vshr.s32 %q[t], %q[t], #31\n"
                "vadd.i32 q1, q1, %q[t]\n"
                "vrshl.s32 q0, q0, %q[r]\n"
                "vrshl.s32 q1, q1, %q[r]\n"
                "vadd.i32 q0, q0, %[off]\n"
                "vadd.i32 q1, q1, %[off]\n"
                "vmax.s32 q0, q0, %q[lo]\n"
                "vmax.s32 q1, q1, %q[lo]\n"
                "vmin.s32 q0, q0, %q[hi]\n"
                "vmin.s32 q1, q1, %q[hi]\n"
                "vstrb.32 q0, [%[o0]], #4\n"
                "vstrb.32 q1, [%[o1]], #4\n"
                : [acc] "+&r" (acc), [bp] "+&r" (bp), [o0] "+&l" (o0), [o1] "+&l" (o1), [t] "=&w" (tmp)
                : [m] "w" (mult), [r] "w" (shift), [off] "r" (out_off), [lo] "w" (vlo), [hi] "w" (vhi)
                : "q0", "q1", "memory");
        }
    }
    for (; c < out_c; c += 4, acc += 8) {
        const int32_t n = out_c - c;
        const mve_pred16_t p = vctp32q((uint32_t)n);
        if (rq->per_channel) {
            mult = vldrwq_z_s32(rq->multiplier + c, p);
            shift = vldrwq_z_s32(rq->shift + c, p);
        }
        const int32x4_t bo = vldrwq_z_s32(boff + c, p);
        const int32x4x2_t v = vld2q_s32(acc);
        mn_mve_store4(out0 + c, vaddq_s32(v.val[0], bo), mult, shift, left, out_off, lo, hi, n);
        if (out1) {
            mn_mve_store4(out1 + c, vaddq_s32(v.val[1], bo), mult, shift, left, out_off, lo, hi, n);
        }
    }
}

int mn_conv2d_s8_mve(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *p, const mn_requant_t *requant, void *scratch) {
    if (scratch == NULL || mn_conv2d_s8_scratch_size(p) == 0) {
        return 0;
    }
    const int32_t in_h = p[MN_CONV_IN_H], in_w = p[MN_CONV_IN_W], in_c = p[MN_CONV_IN_C];
    const int32_t out_h = p[MN_CONV_OUT_H], out_w = p[MN_CONV_OUT_W], out_c = p[MN_CONV_OUT_C];
    const int32_t K = p[MN_CONV_K_H] * p[MN_CONV_K_W] * in_c;
    const int32_t off = p[MN_CONV_INPUT_OFFSET], out_off = p[MN_CONV_OUTPUT_OFFSET];
    const int32_t lo = p[MN_CONV_ACT_MIN], hi = p[MN_CONV_ACT_MAX];
    int32_t *boff = scratch, *acc = boff + out_c;
    int8_t *col0 = (int8_t *)(acc + 2 * ((out_c + 1) & ~1)), *col1 = col0 + K;
    for (int32_t c = 0; c < out_c; c++) {
        const int8_t *w = weights + c * K;
        int32_t z = 0;
        for (int32_t k = 0; k < K; k += 16) {
            z = vaddvaq_p_s8(z, vldrbq_z_s8(w + k, vctp8q((uint32_t)(K - k))), vctp8q((uint32_t)(K - k)));
        }
        boff[c] = (bias ? bias[c] : 0) + off * z;
    }
    const int32_t pixels = out_h * out_w;
    const int left = mn_mve_any_left(requant, out_c);
    for (int32_t b = 0; b < p[MN_CONV_N]; b++) {
        const int8_t *in_b = input + b * in_h * in_w * in_c;
        int8_t *out_b = output + b * pixels * out_c;
        int32_t oy = 0, ox = 0;
        for (int32_t q = 0; q < pixels; q += 2) {
            // output pixels q (oy, ox) and q + 1 (oy1, ox1; q again past the end)
            int32_t oy1 = oy, ox1 = ox + 1;
            if (ox1 == out_w) {
                oy1++;
                ox1 = 0;
            }
            const int pair = q + 1 < pixels;
            const int8_t *a = mn_mve_conv_col(col0, in_b, p, oy, ox);
            const int8_t *c1 = pair ? mn_mve_conv_col(col1, in_b, p, oy1, ox1) : a;
            mn_mve_conv_dots(a, c1, weights, K, out_c, acc);
            mn_mve_conv_requant(out_b + q * out_c, pair ? out_b + (q + 1) * out_c : NULL, acc,
                boff, out_c, requant, left, out_off, lo, hi);
            oy = oy1;
            ox = ox1 + 1;
            if (ox == out_w) {
                oy++;
                ox = 0;
            }
        }
    }
    return 1;
}

#endif
