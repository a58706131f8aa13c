// Depthwise convolution int8 (depth multiplier 1 or a multiple of 8), Helium (MVE) path: eight channels per step as
// int16 lanes (VLDRB.S16 of the input and of the weights); VMULLB/VMULLT multiply the even and the
// odd lanes into int32 (|x w| <= 128 * 128 fits the int16 inputs), two VADDs accumulate. The
// input offset leaves the loop:
//   sum_taps (x + off) w = sum_taps x w + off * sum_taps w,
// the second term (with the bias) per channel once per call over every tap; taps in the padding
// then take x = -off (|off| <= 128: -off * w fits int16) so that they add zero in real terms.
// Results are requantized as even / odd lanes, narrowed (VMOVNB/VMOVNT) and stored as 8 bytes.
// 3x3 windows inside the input: two horizontally adjacent output pixels per weight load, in asm
// (13 instructions per tap and 16 MACs).
//
// Scratch (mn_depthwise_conv2d_s8_scratch_size: 24 out_c + 2 taps (out_c & ~3) bytes; out_c >= 4
// makes these fit), per group of eight channels (channels past out_c: 0):
//   tab int32 [G][6][4]      boff even/odd lanes, multiplier even/odd, shift even/odd
//   wl  int8 [G][taps][8]    the group's weights, tap after tap (depth multiplier 1; else
//                            out_c is a multiple of 8 and the weights are read in place)
// Depth multipliers of 8, 16, ... (first layers with one input channel): a group's eight output
// channels read one input channel, broadcast with VDUP. Other multipliers: the caller's path.
#include "mn_mve.h"
#include "mn_variants.h"

#if MN_MVE

typedef struct {
    const int8_t *wl;       // weights of tap k, group g: wl + g * wg + k * wk
    const int32_t *tab;
    int32_t C, k_h, k_w, taps, row_step, dx, off, out_off, lo, hi;
    int32_t wg, wk;
    int32_t mult;           // depth multiplier: 1, or a multiple of 8 (a group reads one input channel)
    int32_t left;           // mn_mve_any_left
} mn_mve_dw_t;

// out[0..n-1] (n <= 8) <- clamp(requant(ae/ao) + out_off): ae the even channels, ao the odd ones.
MN_INLINE void mn_mve_dw_store(const mn_mve_dw_t *t, int8_t *out, const int32_t *q, int32x4_t ae,
    int32x4_t ao, int32_t n) {
    const int32x4_t lo = vdupq_n_s32(t->lo), hi = vdupq_n_s32(t->hi);
    if (!t->left && n >= 8) {
        // mn_mve_requant_r of both halves (multipliers and shifts from q), + out_off, clamp,
        // narrowed into the even / odd int16 lanes, VSTRB.16: 23 instructions
        int32x4_t u, v;
        __asm volatile (
            "vldrw.32 %q[u], [%[q], #32]\n"
            "vqrdmulh.s32 %q[ae], %q[ae], %q[u]\n"
            "vldrw.32 %q[u], [%[q], #64]\n"
            "vand %q[v], %q[ae], %q[u]\n"
            "vshr.s32 %q[v], %q[v], #31\n"
            "vadd.i32 %q[ae], %q[ae], %q[v]\n"
            "vrshl.s32 %q[ae], %q[ae], %q[u]\n"
            "vldrw.32 %q[u], [%[q], #48]\n"
            "vqrdmulh.s32 %q[ao], %q[ao], %q[u]\n"
            "vldrw.32 %q[u], [%[q], #80]\n"
            "vand %q[v], %q[ao], %q[u]\n"
            "vshr.s32 %q[v], %q[v], #31\n"
            "vadd.i32 %q[ao], %q[ao], %q[v]\n"
            "vrshl.s32 %q[ao], %q[ao], %q[u]\n"
            "vadd.i32 %q[ae], %q[ae], %[off]\n"
            "vadd.i32 %q[ao], %q[ao], %[off]\n"
            "vmax.s32 %q[ae], %q[ae], %q[lo]\n"
            "vmax.s32 %q[ao], %q[ao], %q[lo]\n"
            "vmin.s32 %q[ae], %q[ae], %q[hi]\n"
            "vmin.s32 %q[ao], %q[ao], %q[hi]\n"
            "vmovnb.i32 %q[u], %q[ae]\n"
            "vmovnt.i32 %q[u], %q[ao]\n"
            "vstrb.16 %q[u], [%[out]]\n"
            : [ae] "+&w" (ae), [ao] "+&w" (ao), [u] "=&w" (u), [v] "=&w" (v)
            : [q] "r" (q), [off] "r" (t->out_off), [lo] "w" (lo), [hi] "w" (hi), [out] "l" (out)
            : "memory");
        return;
    }
    int32x4_t ye, yo;
    if (t->left) {
        ye = mn_mve_requant(ae, vldrwq_s32(q + 8), vldrwq_s32(q + 16));
        yo = mn_mve_requant(ao, vldrwq_s32(q + 12), vldrwq_s32(q + 20));
    } else {
        ye = mn_mve_requant_r(ae, vldrwq_s32(q + 8), vldrwq_s32(q + 16));
        yo = mn_mve_requant_r(ao, vldrwq_s32(q + 12), vldrwq_s32(q + 20));
    }
    ye = vaddq_n_s32(ye, t->out_off);
    yo = vaddq_n_s32(yo, t->out_off);
    ye = vminq_s32(vmaxq_s32(ye, lo), hi);
    yo = vminq_s32(vmaxq_s32(yo, lo), hi);
    const int16x8_t y = vmovntq_s32(vmovnbq_s32(vdupq_n_s16(0), ye), yo);
    if (n >= 8) {
        vstrbq_s16(out, y);
    } else {
        vstrbq_p_s16(out, y, vctp16q((uint32_t)n));
    }
}

// Channels c0.. of one output pixel, any window: taps ky0..ky1-1 x kx0..kx1-1 inside the input
// (the others in the padding); x the input at tap (0, 0), only in-range taps read. Depth
// multiplier a multiple of 8: every lane of a group takes the group's one input channel (VDUP).
static void __attribute__((noinline)) mn_mve_dw_pixel(const mn_mve_dw_t *t, int8_t *out,
    const int8_t *x, int32_t c0, int32_t ky0, int32_t ky1, int32_t kx0, int32_t kx1) {
    const int32_t C = t->C * t->mult, k_h = t->k_h, k_w = t->k_w, row_step = t->row_step, dx = t->dx;
    const int32_t wk = t->wk, dup = t->mult > 1;
    const int inside = ky0 == 0 && ky1 == k_h && kx0 == 0 && kx1 == k_w;
    const int16x8_t pad = vdupq_n_s16((int16_t)-t->off);
    const int32_t *q = t->tab + 3 * c0;
    for (int32_t c = c0; c < C; c += 8, q += 24) {
        const int32_t n = C - c;
        const mve_pred16_t p = vctp16q((uint32_t)n);
        int32x4_t ae = vldrwq_s32(q), ao = vldrwq_s32(q + 4);
        const int8_t *xr = x + (dup ? c / t->mult : c), *w = t->wl + (c >> 3) * t->wg;
        #define MN_MVE_DW_MAC(xv) { \
    const int16x8_t wv = vldrbq_s16(w); \
    ae = vaddq_s32(ae, vmullbq_int_s16(xv, wv)); \
    ao = vaddq_s32(ao, vmulltq_int_s16(xv, wv)); \
    w += wk; }
        if (inside && k_w == 1 && !dup) {
            // a column window inside the input (1-D kernels): one loop over the taps
            for (int32_t k = k_h; k > 0; k--, xr += row_step) {
                const int16x8_t xv = vldrbq_z_s16(xr, p);
                MN_MVE_DW_MAC(xv)
            }
            mn_mve_dw_store(t, out + c, q, ae, ao, n);
            continue;
        }
        if (inside && dup) {
            // the whole window inside the input: no padding taps
            for (int32_t ky = 0; ky < k_h; ky++, xr += row_step) {
                const int8_t *xp = xr;
                for (int32_t kx = k_w; kx > 0; kx--, xp += dx) {
                    const int16x8_t xv = vdupq_n_s16(*xp);
                    MN_MVE_DW_MAC(xv)
                }
            }
            mn_mve_dw_store(t, out + c, q, ae, ao, n);
            continue;
        }
        for (int32_t ky = 0; ky < k_h; ky++, xr += row_step) {
            // taps kx0..kx1-1 of rows ky0..ky1-1 read the input, the others are padding
            const int row_in = ky >= ky0 && ky < ky1;
            const int32_t a = row_in ? kx0 : k_w, e = row_in ? kx1 : k_w;
            int32_t kx = 0;
            for (; kx < a; kx++) {
                MN_MVE_DW_MAC(pad)
            }
            const int8_t *xp = xr + kx * dx;
            if (dup) {
                for (; kx < e; kx++, xp += dx) {
                    const int16x8_t xv = vdupq_n_s16(*xp);
                    MN_MVE_DW_MAC(xv)
                }
            } else {
                for (; kx < e; kx++, xp += dx) {
                    const int16x8_t xv = vldrbq_z_s16(xp, p);
                    MN_MVE_DW_MAC(xv)
                }
            }
            for (; kx < k_w; kx++) {
                MN_MVE_DW_MAC(pad)
            }
        }
        #undef MN_MVE_DW_MAC
        mn_mve_dw_store(t, out + c, q, ae, ao, n);
    }
}

// Two output pixels a, b (b may repeat a, ob NULL) whose 3x3 windows lie inside the input, input
// at their tap (0, 0): xa, xb. Full groups of eight channels here, the last partial one through
// mn_mve_dw_pixel.
static void __attribute__((noinline)) mn_mve_dw3x3_pair(const mn_mve_dw_t *t, int8_t *oa, int8_t *ob,
    const int8_t *xa, const int8_t *xb) {
    const int32_t C = t->C, dx = t->dx, rs3 = t->row_step - 3 * t->dx;
    const int32_t *q = t->tab;
    const int8_t *w = t->wl;
    int32_t c = 0;
    for (; c + 8 <= C; c += 8, q += 24) {
        int32x4_t aea = vldrwq_s32(q), aoa = vldrwq_s32(q + 4);
        int32x4_t aeb = aea, aob = aoa;
        const int8_t *pa = xa + c, *pb = xb + c;
        int16x8_t va, vb, vw;
        int32x4_t m;
        #define MN_MVE_DW_TAP \
    "vldrb.s16 %q[va], [%[pa]]\n" \
    "vldrb.s16 %q[vw], [%[w]], #8\n" \
    "vldrb.s16 %q[vb], [%[pb]]\n" \
    "vmullb.s16 %q[m], %q[va], %q[vw]\n" \
    "vadd.i32 %q[aea], %q[aea], %q[m]\n" \
    "vmullt.s16 %q[m], %q[va], %q[vw]\n" \
    "vadd.i32 %q[aoa], %q[aoa], %q[m]\n" \
    "vmullb.s16 %q[m], %q[vb], %q[vw]\n" \
    "vadd.i32 %q[aeb], %q[aeb], %q[m]\n" \
    "vmullt.s16 %q[m], %q[vb], %q[vw]\n" \
    "vadd.i32 %q[aob], %q[aob], %q[m]\n" \
    "add %[pa], %[pa], %[dx]\n" \
    "add %[pb], %[pb], %[dx]\n"
        #define MN_MVE_DW_ROW MN_MVE_DW_TAP MN_MVE_DW_TAP MN_MVE_DW_TAP \
    "add %[pa], %[pa], %[rs3]\n" \
    "add %[pb], %[pb], %[rs3]\n"
        __asm (MN_MVE_DW_ROW MN_MVE_DW_ROW MN_MVE_DW_ROW
            : [aea] "+w" (aea), [aoa] "+w" (aoa), [aeb] "+w" (aeb), [aob] "+w" (aob), [va] "=&w" (va),
              [vb] "=&w" (vb), [vw] "=&w" (vw), [m] "=&w" (m), [pa] "+&l" (pa), [pb] "+&l" (pb),
              [w] "+&l" (w)
            : [dx] "r" (dx), [rs3] "r" (rs3)
            : "memory");
        #undef MN_MVE_DW_ROW
        #undef MN_MVE_DW_TAP
        mn_mve_dw_store(t, oa + c, q, aea, aoa, 8);
        if (ob) {
            mn_mve_dw_store(t, ob + c, q, aeb, aob, 8);
        }
    }
    if (c < C) {
        mn_mve_dw_pixel(t, oa, xa, c, 0, 3, 0, 3);
        if (ob) {
            mn_mve_dw_pixel(t, ob, xb, c, 0, 3, 0, 3);
        }
    }
}

int mn_depthwise_conv2d_s8_mve(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *p, const mn_requant_t *requant, void *scratch) {
    const int32_t in_h = p[MN_CONV_IN_H], in_w = p[MN_CONV_IN_W], in_c = p[MN_CONV_IN_C];
    const int32_t out_h = p[MN_CONV_OUT_H], out_w = p[MN_CONV_OUT_W], out_c = p[MN_CONV_OUT_C];
    const int32_t k_h = p[MN_CONV_K_H], k_w = p[MN_CONV_K_W], taps = k_h * k_w;
    const int32_t dil_h = p[MN_CONV_DIL_H], dil_w = p[MN_CONV_DIL_W];
    const int32_t stride_w = p[MN_CONV_STRIDE_W], pad_l = p[MN_CONV_PAD_LEFT];
    const int32_t off = p[MN_CONV_INPUT_OFFSET];
    const int32_t mult = p[MN_CONV_DEPTH_MULT];
    if (scratch == NULL || mn_depthwise_conv2d_s8_scratch_size(p) == 0 || out_c < 4
        || (mult != 1 && (mult & 7) != 0)) {
        return 0;
    }
    const int32_t G = (out_c + 7) >> 3;
    int32_t *tab = scratch;
    // depth multiplier 1: the weights regrouped in the scratch; else (out_c a multiple of 8,
    // no room for that: 24 out_c bytes of scratch) read in place
    int8_t *wl = mult == 1 ? (int8_t *)(tab + 24 * G) : NULL;
    for (int32_t c = 0; c < 8 * G; c++) {
        // channel c: group c / 8, lane (c % 8) / 2 of the even (c even) or odd vector
        int32_t *e = tab + 24 * (c >> 3) + ((c & 1) << 2) + ((c & 7) >> 1);
        int8_t *wc = wl ? wl + (c >> 3) * taps * 8 + (c & 7) : NULL;
        if (c >= out_c) {
            e[0] = e[8] = e[16] = 0;
            for (int32_t k = 0; wc && k < taps; k++) {
                wc[8 * k] = 0;
            }
            continue;
        }
        int32_t sum = 0;
        for (int32_t k = 0; k < taps; k++) {
            sum += weights[k * out_c + c];
            if (wc) {
                wc[8 * k] = weights[k * out_c + c];
            }
        }
        const int32_t i = requant->per_channel ? c : 0;
        e[0] = (bias ? bias[c] : 0) + off * sum;
        e[8] = requant->multiplier[i];
        e[16] = requant->shift[i];
    }
    const mn_mve_dw_t t = { wl ? wl : weights, tab, in_c, k_h, k_w, taps, dil_h * in_w * in_c,
                            dil_w * in_c, off, p[MN_CONV_OUTPUT_OFFSET], p[MN_CONV_ACT_MIN],
                            p[MN_CONV_ACT_MAX], wl ? 8 * taps : 8, wl ? 8 : out_c, mult,
                            mn_mve_any_left(requant, out_c) };
    // the ox whose window is inside the input horizontally: [ox_a, ox_b) (3x3, multiplier 1)
    int32_t ox_a = 0, ox_b = 0;
    if (k_h == 3 && k_w == 3 && mult == 1) {
        ox_a = (pad_l + stride_w - 1) / stride_w;
        ox_b = in_w - 1 - 2 * dil_w + pad_l < 0 ? 0 : (in_w - 1 - 2 * dil_w + pad_l) / stride_w + 1;
        ox_b = ox_b > out_w ? out_w : ox_b;
        ox_a = ox_a > ox_b ? ox_b : ox_a;
    }
    const int32_t sx = stride_w * in_c;
    for (int32_t b = 0; b < p[MN_CONV_N]; b++) {
        const int8_t *in_b = input + b * in_h * in_w * in_c;
        for (int32_t oy = 0; oy < out_h; oy++) {
            const int32_t y0 = oy * p[MN_CONV_STRIDE_H] - p[MN_CONV_PAD_TOP];
            int32_t ky0, ky1;
            mn_tap_range(y0, dil_h, in_h, k_h, &ky0, &ky1);
            const int rows_in = ky0 == 0 && ky1 == k_h;
            for (int32_t ox = 0; ox < out_w; ox++, output += out_c) {
                const int32_t x0 = ox * stride_w - pad_l;
                const int8_t *x = in_b + (y0 * in_w + x0) * in_c;
                if (rows_in && ox >= ox_a && ox < ox_b) {
                    const int two = ox + 1 < ox_b;
                    mn_mve_dw3x3_pair(&t, output, two ? output + out_c : NULL, x, two ? x + sx : x);
                    if (two) {
                        ox++;
                        output += out_c;
                    }
                    continue;
                }
                int32_t kx0, kx1;
                mn_tap_range(x0, dil_w, in_w, k_w, &kx0, &kx1);
                mn_mve_dw_pixel(&t, output, x, 0, ky0, ky1, kx0, kx1);
            }
        }
    }
    return 1;
}

#endif
