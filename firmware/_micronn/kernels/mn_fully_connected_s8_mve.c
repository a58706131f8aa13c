// Fully connected int8, Helium (MVE) path. sum_i (x_i + off) w_i = sum_i x_i w_i + off * sum_i w_i:
// per 16 features and weight row one VMLADAVA.S8 (16 MACs into a scalar) and one VADDVA.S8
// (the row's weight sum), the input loaded once for two rows; the last partial step predicated
// (VCTP). Four rows' accumulators are requantized as one vector.
#include "mn_mve.h"
#include "mn_variants.h"

#if MN_MVE

// s[j] = sum_i (x_i + off) w_j[i] over n features, rows w0, w1.
MN_INLINE void mn_mve_fc_dot2(const int8_t *x, const int8_t *w0, const int8_t *w1, int32_t n,
    int32_t off, int32_t *s) {
    int32_t a0 = 0, a1 = 0, z0 = 0, z1 = 0;
    const int32_t g = n >> 4;
    if (g) {
        // per 16 features: 3 VLDRB, 2 VMLADAVA, 2 VADDVA, LE
        __asm volatile (
            "dls lr, %[g]\n"
            "1:\n"
            "vldrb.8 q0, [%[x]], #16\n"
            "vldrb.8 q1, [%[w0]], #16\n"
            "vmladava.s8 %[a0], q0, q1\n"
            "vaddva.s8 %[z0], q1\n"
            "vldrb.8 q2, [%[w1]], #16\n"
            "vmladava.s8 %[a1], q0, q2\n"
            "vaddva.s8 %[z1], q2\n"
            "le lr, 1b\n"
            : [x] "+r" (x), [w0] "+r" (w0), [w1] "+r" (w1), [a0] "+Te" (a0), [a1] "+Te" (a1),
              [z0] "+Te" (z0), [z1] "+Te" (z1)
            : [g] "r" (g)
            : "q0", "q1", "q2", "lr", "memory");
    }
    if (n & 15) {
        const mve_pred16_t p = vctp8q((uint32_t)(n & 15));
        const int8x16_t xv = vldrbq_z_s8(x, p), v0 = vldrbq_z_s8(w0, p), v1 = vldrbq_z_s8(w1, p);
        a0 = vmladavaq_s8(a0, xv, v0);
        a1 = vmladavaq_s8(a1, xv, v1);
        z0 = vaddvaq_s8(z0, v0);
        z1 = vaddvaq_s8(z1, v1);
    }
    s[0] = a0 + off * z0;
    s[1] = a1 + off * z1;
}

int mn_fully_connected_s8_mve(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, int32_t batches, int32_t in_features, int32_t out_features,
    const mn_quant_t *quant, const mn_requant_t *requant) {
    const int32_t n = in_features, off = quant->input_offset, out_off = quant->output_offset;
    const int32_t lo = quant->act_min, hi = quant->act_max;
    const int32x4_t mult1 = vdupq_n_s32(requant->multiplier[0]), shift1 = vdupq_n_s32(requant->shift[0]);
    const int left = mn_mve_any_left(requant, out_features);
    int32_t s[4];
    for (int32_t b = 0; b < batches; b++, input += n, output += out_features) {
        // rows o..o+3 (those past the end recompute row o and are not stored):
        // weights (4, n) @ x (n,) -> 4 outputs
        for (int32_t o = 0; o < out_features; o += 4) {
            const int32_t rows = out_features - o < 4 ? out_features - o : 4;
            const int8_t *w = weights + o * n;
            mn_mve_fc_dot2(input, w, rows > 1 ? w + n : w, n, off, s);
            mn_mve_fc_dot2(input, rows > 2 ? w + 2 * n : w, rows > 3 ? w + 3 * n : w, n, off, s + 2);
            const mve_pred16_t p = vctp32q((uint32_t)rows);
            int32x4_t acc = vldrwq_s32(s);
            if (bias) {
                acc = vaddq_s32(acc, vldrwq_z_s32(bias + o, p));
            }
            int32x4_t mult = mult1, shift = shift1;
            if (requant->per_channel) {
                mult = vldrwq_z_s32(requant->multiplier + o, p);
                shift = vldrwq_z_s32(requant->shift + o, p);
            }
            mn_mve_store4(output + o, acc, mult, shift, left, out_off, lo, hi, rows);
        }
    }
    return 1;
}

#endif
