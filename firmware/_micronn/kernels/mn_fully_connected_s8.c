// Fully connected int8: the plain C reference (mn_fully_connected_s8_ref, bit-exact with
// TFLite Micro) and the optimized kernel (mn_fully_connected_s8), equal to it.
#include "mn_fast.h"
#include "mn_variants.h"

void mn_fully_connected_s8_ref(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, int32_t batches, int32_t in_features, int32_t out_features,
    const mn_quant_t *quant, const mn_requant_t *requant) {
    const int32_t in_off = quant->input_offset;
    // input (batches, in) @ weights (out, in)^T -> output (batches, out)
    for (int32_t b = 0; b < batches; b++) {
        const int8_t *x = input + b * in_features;
        for (int32_t o = 0; o < out_features; o++) {
            const int8_t *w = weights + o * in_features;
            int32_t acc = 0;
            for (int32_t i = 0; i < in_features; i++) {
                acc += (x[i] + in_off) * w[i];
            }
            if (bias) {
                acc += bias[o];
            }
            int32_t c = requant->per_channel ? o : 0;
            acc = mn_requantize(acc, requant->multiplier[c], requant->shift[c]);
            acc += quant->output_offset;
            output[b * out_features + o] = (int8_t)mn_clamp(acc, quant->act_min, quant->act_max);
        }
    }
}

// ---------------------------------------------------------------------------
// Optimized kernel (portable; the ARMv7E-M variant: mn_fully_connected_s8_dsp.c).
// Four weight rows at a time against the input, then the requantization.

// nb: n * 255 * 128 (the accumulators' bound without the bias), capped at 2^29. With a right
// shift (shift < 0) and |acc| < 2^29 the cheap requantization of mn_fast.h is exact (as in
// mn_rq_make with ls = 0): y = SMMULR(2 acc, mult), (y + 2^(rs-1) - (y < 0)) >> rs.
MN_INLINE int8_t mn_fc_out(int32_t acc, const mn_requant_t *rq, int32_t o, const int32_t *bias,
    int32_t nb, const mn_quant_t *q) {
    const int32_t c = rq->per_channel ? o : 0;
    const int32_t mult = rq->multiplier[c], shift = rq->shift[c];
    const int32_t b = bias ? bias[o] : 0;
    int32_t r;
    if (shift < 0 && (uint32_t)nb + (uint32_t)(b < 0 ? -(uint32_t)b : (uint32_t)b) < (1u << 29)) {
        const int32_t y = mn_smmulr((int32_t)((uint32_t)acc << 1), mult);
        r = (y + (y >> 31) + (int32_t)(1u << (-shift - 1))) >> -shift;
    } else {
        r = mn_requantize(acc, mult, shift);
    }
    return (int8_t)mn_clamp(r + q->output_offset, q->act_min, q->act_max);
}

// s[0..3] += (x + off) . rows w0, w0 + n, w0 + 2n, w0 + 3n (n features). Kept out of line so
// the requantization around it does not take the loop's registers.
static void __attribute__((noinline)) mn_fc_dot4(const int8_t *x, const int8_t *w0, int32_t n,
    int32_t off, int32_t *s) {
    const int8_t *w1 = w0 + n, *w2 = w1 + n, *w3 = w2 + n;
    int32_t s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3];
    for (int32_t i = 0; i < n; i++) {
        const int32_t v = *x++ + off;
        s0 += v * *w0++;
        s1 += v * *w1++;
        s2 += v * *w2++;
        s3 += v * *w3++;
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
}

void mn_fully_connected_s8(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, int32_t batches, int32_t in_features, int32_t out_features,
    const mn_quant_t *quant, const mn_requant_t *requant) {
    #if MN_MVE
    if (mn_fully_connected_s8_mve(input, weights, bias, output, batches, in_features, out_features,
        quant, requant)) {
        return;
    }
    #endif
    #if MN_HOST_SIMD
    if (mn_fully_connected_s8_sse2(input, weights, bias, output, batches, in_features, out_features,
        quant, requant)) {
        return;
    }
    #endif
    #if MN_ARM_DSP
    mn_fully_connected_s8_dsp(input, weights, bias, output, batches, in_features, out_features, quant,
        requant);
    return;
    #endif
    const int32_t n = in_features;
    const int32_t off = quant->input_offset;
    const int64_t nb64 = (int64_t)n * 255 * 128;
    const int32_t nb = nb64 < (1 << 29) ? (int32_t)nb64 : (1 << 29);
    for (int32_t b = 0; b < batches; b++, input += n, output += out_features) {
        int32_t o = 0;
        // rows o..o+3: weights (4, n) @ x (n,) -> 4 outputs
        for (; o + 4 <= out_features; o += 4) {
            int32_t s[4] = { 0, 0, 0, 0 };
            if (bias) {
                s[0] = bias[o];
                s[1] = bias[o + 1];
                s[2] = bias[o + 2];
                s[3] = bias[o + 3];
            }
            mn_fc_dot4(input, weights + o * n, n, off, s);
            for (int32_t j = 0; j < 4; j++) {
                output[o + j] = mn_fc_out(s[j], requant, o + j, bias, nb, quant);
            }
        }
        for (; o < out_features; o++) {
            const int8_t *w = weights + o * n, *x = input;
            int32_t s = bias ? bias[o] : 0;
            for (int32_t i = 0; i < n; i++) {
                s += (x[i] + off) * w[i];
            }
            output[o] = mn_fc_out(s, requant, o, bias, nb, quant);
        }
    }
}
