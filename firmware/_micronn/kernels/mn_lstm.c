// Recurrent area: UNIDIRECTIONAL_SEQUENCE_LSTM as TFLite Micro's integer LSTM (kernels/lstm_eval.h):
// mn_lstm_s8 8-bit activations and weights, int16 cell state, int32 bias; mn_lstm_s16 16-bit
// activations (16x8), int64 bias; mn_lstm_f32 (at the end) float32.
// Per batch b and time step t, in TFLM's order (batch-major: b outer; time-major: the batches of
// a step are independent, so the same order gives the same bytes):
//   each gate g (input, forget, cell, output), rows r < n_cell:
//     x_g[r] = clamp16(rq(w_x_g[r] . (x + input_offset) + bias_g[r], g_x_mult, g_x_shift))
//     h_g[r] = clamp16(rq(w_h_g[r] . (hidden + hidden_offset), g_h_mult, g_h_shift))
//     gate_g[r] = act(sat16(x_g[r] + h_g[r]))  (sigmoid; the cell gate tanh), Q0.15
//   cell = sat16(clamp16(rq(f * cell, fc)) + clamp16(rq(i * c, ic))), clipped to +-cell_clip
//   hidden = clamp8(rq(o * tanh(cell), h) + hidden_zero_point); output[b, t] = hidden
//   input   [batch, time, n_input] (time-major: [time, batch, n_input]), output likewise
//   hidden  [batch, n_cell] int8, cell [batch, n_cell] int16: the state, read and written
//   scratch int32 [n_cell] accumulators, then int16 [4, n_cell] gate rows
// mn_lstm_s8_ref is the plain C reference; mn_lstm_s8 takes the dot products four or more rows
// at a time (the FULLY_CONNECTED kernel's SMLAD passes on ARMv7E-M, PMADDWD on x86-64 when the
// NN area is on); both share everything else.
#include "micronn_config.h"
#if MICRONN_OP_RECURRENT

#include "micronn.h"
#include "mn_f32.h"
#include "mn_fast.h"
#include "mn_libm_f32.h"
#include "mn_sigmoid16.h"
#include "mn_variants.h"

// TFLM's sigmoid table (kernels/internal/common.h): 65536 sigmoid(k / 24), k < 256, as uint16.
static const uint16_t mn_lstm_sigmoid_lut[256] = {
    32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149,
    40794, 41432, 42064, 42688, 43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369,
    47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409, 51865, 52311, 52745, 53169,
    53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
    57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370,
    60565, 60753, 60935, 61110, 61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302,
    62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186, 63279, 63368, 63454, 63536,
    63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
    64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786,
    64816, 64845, 64873, 64900, 64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079,
    65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208, 65221, 65234, 65246, 65258,
    65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
    65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433,
    65438, 65442, 65445, 65449, 65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474,
    65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491, 65493, 65495, 65497, 65498,
    65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
    65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522,
    65523, 65523, 65524, 65524, 65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528,
    65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530, 65530, 65530, 65531, 65531,
    65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
    65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534,
    65534, 65534, 65534, 65535,
};

// TFLM's int16 LOGISTIC with input multiplier 3 and shift 0 (x in Q3.12, output Q0.15).
MN_INLINE int16_t mn_lstm_sigmoid(int32_t x) {
    return mn_sigmoid16_lookup(x * 3, mn_lstm_sigmoid_lut);
}

// TFLM's int16 TANH: v = (x * mult + round) >> shift, then the table (output Q0.15).
MN_INLINE int16_t mn_lstm_tanh(int32_t x, int32_t mult, int32_t shift) {
    const int32_t round = shift > 0 ? (int32_t)(1u << (shift - 1)) : 0;
    return mn_tanh16_lookup((x * mult + round) >> shift, mn_lstm_sigmoid_lut);
}

MN_INLINE int16_t mn_lstm_rq16(int32_t acc, int32_t mult, int32_t shift) {
    return (int16_t)mn_clamp(mn_requantize(acc, mult, shift), -32768, 32767);
}

// acc[r] += w[r] . (x + off) for r < rows (int32, wrapping)
static void mn_lstm_dot_ref(const int8_t *x, int32_t n, int32_t off, const int8_t *w, int32_t rows,
    int32_t *acc) {
    for (int32_t r = 0; r < rows; r++, w += n) {
        int32_t s = 0;
        for (int32_t i = 0; i < n; i++) {
            s += w[i] * (x[i] + off);
        }
        acc[r] = (int32_t)((uint32_t)acc[r] + (uint32_t)s);
    }
}

static void mn_lstm_dot_fast(const int8_t *x, int32_t n, int32_t off, const int8_t *w, int32_t rows,
    int32_t *acc) {
    #if MICRONN_OP_NN
    mn_dot_rows_s8(x, n, off, w, rows, acc);
    #elif MN_ARM_DSP
    mn_fc_dot_rows_dsp(x, n, off, w, rows, acc);
    #else
    int32_t r = 0;
    // rows r..r+3: W (4, n) @ (x + off) (n,)
    for (; r + 4 <= rows; r += 4) {
        const int8_t *w0 = w + r * n, *w1 = w0 + n, *w2 = w1 + n, *w3 = w2 + n;
        int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int32_t i = 0; i < n; i++) {
            const int32_t v = x[i] + off;
            s0 += v * w0[i];
            s1 += v * w1[i];
            s2 += v * w2[i];
            s3 += v * w3[i];
        }
        acc[r] = (int32_t)((uint32_t)acc[r] + (uint32_t)s0);
        acc[r + 1] = (int32_t)((uint32_t)acc[r + 1] + (uint32_t)s1);
        acc[r + 2] = (int32_t)((uint32_t)acc[r + 2] + (uint32_t)s2);
        acc[r + 3] = (int32_t)((uint32_t)acc[r + 3] + (uint32_t)s3);
    }
    mn_lstm_dot_ref(x, n, off, w + r * n, rows - r, acc + r);
    #endif
}

typedef void (*mn_lstm_dot_t)(const int8_t *x, int32_t n, int32_t off, const int8_t *w, int32_t rows,
    int32_t *acc);

// The cell step's products of two int16 (|x| < 2^30) rescaled by (mult, shift): the fast
// kernel takes SMMULR where shift <= 0 (exact there, see mn_fast.h: SMMULR(2x, m) is
// SaturatingRoundingDoublingHighMul for |x| < 2^30, then round half away from zero), the
// reference mn_requantize.
MN_INLINE int32_t mn_lstm_rq_prod(int32_t x, int32_t mult, int32_t shift, const int fast) {
    if (fast && shift <= 0) {
        const int32_t y = mn_smmulr((int32_t)((uint32_t)x << 1), mult), rs = -shift;
        return rs ? (y + (int32_t)(1u << (rs - 1)) + (y >> 31)) >> rs : y;
    }
    return mn_requantize(x, mult, shift);
}

// Saturation to int16 / int8: SSAT in the fast kernel, the plain clamp in the reference.
MN_INLINE int32_t mn_lstm_sat16(int32_t x, const int fast) {
    return fast ? mn_sat16(x) : mn_clamp(x, -32768, 32767);
}

// One gate of one step: gate[r] = act(sat16(x part + hidden part)), act 0 tanh, 1 sigmoid.
// fast: the gate FCs' rescales are rq[0] (x part) and rq[1] (hidden part), mn_rq tables (equal
// to mn_requantize wherever mn_rq_make put them on the cheap path); else mn_requantize.
// Inlined with fast a constant: the reference keeps its plain loops.
MN_INLINE void mn_lstm_gate(mn_lstm_dot_t dot, const mn_rq_t *rq, const int8_t *x, const int8_t *w_x,
    const int32_t *bias, const int8_t *h, const int8_t *w_h, const int32_t *p, int32_t g, int32_t act,
    int32_t *acc, int16_t *gate, const int fast) {
    const int32_t n_in = p[MN_LSTM_N_INPUT], n_cell = p[MN_LSTM_N_CELL];
    const int32_t *q = p + MN_LSTM_I_X_MULT + 4 * g; // the gate's x mult, x shift, h mult, h shift
    for (int32_t r = 0; r < n_cell; r++) {
        acc[r] = bias[r];
    }
    // W_x (n_cell, n_in) @ (x + input_offset) (n_in,) + bias -> int16 at 2^-12
    dot(x, n_in, p[MN_LSTM_INPUT_OFFSET], w_x, n_cell, acc);
    for (int32_t r = 0; r < n_cell; r++) {
        gate[r] = (int16_t)(fast ? mn_sat16(mn_rq(acc[r], &rq[0])) : mn_lstm_rq16(acc[r], q[0], q[1]));
        acc[r] = 0;
    }
    // W_h (n_cell, n_cell) @ (hidden + hidden_offset) (n_cell,) -> int16 at 2^-12
    dot(h, n_cell, p[MN_LSTM_HIDDEN_OFFSET], w_h, n_cell, acc);
    for (int32_t r = 0; r < n_cell; r++) {
        const int32_t hp = fast ? mn_sat16(mn_rq(acc[r], &rq[1])) : mn_lstm_rq16(acc[r], q[2], q[3]);
        const int32_t s = mn_lstm_sat16(gate[r] + hp, fast);
        gate[r] = act ? mn_lstm_sigmoid(s) : mn_lstm_tanh(s, 3, 0);
    }
}

MN_INLINE void mn_lstm_run(mn_lstm_dot_t dot, const mn_rq_t *rq, const int8_t *input,
    const int8_t *const *w_x, const int8_t *const *w_h, const int32_t *const *bias, int8_t *output,
    int8_t *hidden, int16_t *cell, int32_t *scratch, const int32_t *p, const int fast) {
    const int32_t batch = p[MN_LSTM_BATCH], time = p[MN_LSTM_TIME];
    const int32_t n_in = p[MN_LSTM_N_INPUT], n_cell = p[MN_LSTM_N_CELL];
    const int32_t clip = p[MN_LSTM_CELL_CLIP], zp = p[MN_LSTM_HIDDEN_ZERO_POINT];
    int16_t *gi = (int16_t *)(scratch + n_cell), *gf = gi + n_cell, *gc = gf + n_cell, *go = gc + n_cell;
    for (int32_t b = 0; b < batch; b++) {
        int8_t *h = hidden + b * n_cell;
        int16_t *c = cell + b * n_cell;
        for (int32_t t = 0; t < time; t++) {
            const int32_t step = p[MN_LSTM_TIME_MAJOR] ? t * batch + b : b * time + t;
            const int8_t *x = input + step * n_in;
            mn_lstm_gate(dot, rq + (fast ? 2 : 0), x, w_x[1], bias[1], h, w_h[1], p, 1, 1, scratch, gf, fast);
            mn_lstm_gate(dot, rq, x, w_x[0], bias[0], h, w_h[0], p, 0, 1, scratch, gi, fast);
            mn_lstm_gate(dot, rq + (fast ? 4 : 0), x, w_x[2], bias[2], h, w_h[2], p, 2, 0, scratch, gc, fast);
            mn_lstm_gate(dot, rq + (fast ? 6 : 0), x, w_x[3], bias[3], h, w_h[3], p, 3, 1, scratch, go, fast);
            int8_t *out = output + step * n_cell;
            for (int32_t r = 0; r < n_cell; r++) {
                // cell = f * cell + i * g (Q0.15 x cell scale, Q0.15 x Q0.15 -> cell scale)
                const int32_t fc = mn_lstm_sat16(mn_lstm_rq_prod(gf[r] * c[r], p[MN_LSTM_FC_MULT],
                    p[MN_LSTM_FC_SHIFT], fast), fast);
                const int32_t ic = mn_lstm_sat16(mn_lstm_rq_prod(gi[r] * gc[r], p[MN_LSTM_IC_MULT],
                    p[MN_LSTM_IC_SHIFT], fast), fast);
                int32_t cs = mn_lstm_sat16(fc + ic, fast);
                if (clip >= 0) {
                    cs = mn_clamp(cs, -clip, clip);
                }
                c[r] = (int16_t)cs;
                // hidden = o * tanh(cell) at the hidden state's scale and zero point
                const int32_t th = mn_lstm_tanh(cs, p[MN_LSTM_TANH_MULT], p[MN_LSTM_TANH_SHIFT]);
                const int32_t hv = mn_lstm_rq_prod(th * go[r], p[MN_LSTM_H_MULT], p[MN_LSTM_H_SHIFT], fast) + zp;
                h[r] = (int8_t)(fast ? mn_sat8(hv) : mn_clamp(hv, -128, 127));
                out[r] = h[r];
            }
        }
    }
}

void mn_lstm_s8_ref(const int8_t *input, const int8_t *w_x_i, const int8_t *w_x_f, const int8_t *w_x_c,
    const int8_t *w_x_o, const int8_t *w_h_i, const int8_t *w_h_f, const int8_t *w_h_c,
    const int8_t *w_h_o, const int32_t *bias_i, const int32_t *bias_f, const int32_t *bias_c,
    const int32_t *bias_o, int8_t *output, int8_t *hidden, int16_t *cell, int32_t *scratch,
    const int32_t *params) {
    const int8_t *w_x[4] = { w_x_i, w_x_f, w_x_c, w_x_o }, *w_h[4] = { w_h_i, w_h_f, w_h_c, w_h_o };
    const int32_t *bias[4] = { bias_i, bias_f, bias_c, bias_o };
    mn_lstm_run(mn_lstm_dot_ref, NULL, input, w_x, w_h, bias, output, hidden, cell, scratch, params, 0);
}

void mn_lstm_s8(const int8_t *input, const int8_t *w_x_i, const int8_t *w_x_f, const int8_t *w_x_c,
    const int8_t *w_x_o, const int8_t *w_h_i, const int8_t *w_h_f, const int8_t *w_h_c,
    const int8_t *w_h_o, const int32_t *bias_i, const int32_t *bias_f, const int32_t *bias_c,
    const int32_t *bias_o, int8_t *output, int8_t *hidden, int16_t *cell, int32_t *scratch,
    const int32_t *params) {
    const int8_t *w_x[4] = { w_x_i, w_x_f, w_x_c, w_x_o }, *w_h[4] = { w_h_i, w_h_f, w_h_c, w_h_o };
    const int32_t *bias[4] = { bias_i, bias_f, bias_c, bias_o };
    // the 8 gate rescales on the cheap path where the accumulators' bound allows (n_in taps and
    // the largest |bias| for the x part, n_cell taps for the hidden part)
    mn_rq_t rq[8];
    for (int32_t g = 0; g < 4; g++) {
        int32_t bmax = 0;
        for (int32_t r = 0; r < params[MN_LSTM_N_CELL]; r++) {
            const int32_t b = bias[g][r];
            const int32_t v = b >= 0 ? b : (b == INT32_MIN ? INT32_MAX : -b);
            bmax = v > bmax ? v : bmax;
        }
        const int32_t *q = params + MN_LSTM_I_X_MULT + 4 * g;
        mn_rq_make(&rq[2 * g], q[0], q[1], params[MN_LSTM_N_INPUT], bmax);
        mn_rq_make(&rq[2 * g + 1], q[2], q[3], params[MN_LSTM_N_CELL], 0);
    }
    mn_lstm_run(mn_lstm_dot_fast, rq, input, w_x, w_h, bias, output, hidden, cell, scratch, params, 1);
}

// ---------------------------------------------------------------------------
// 16x8: int16 input, hidden state and output, int8 weights, int64 bias. The gate FCs accumulate
// in int64 and requantize with TFLM's int64 MultiplyByQuantizedMultiplier (the multiplier
// rounded to 16 bits, one rounding shift; shift <= 7); the rest as above (the hidden state MUL
// to int16).

MN_INLINE int32_t mn_lstm_rq64(int64_t x, int32_t mult, int32_t shift) {
    const int64_t rm = mult < 0x7FFF0000 ? (mult + (1 << 15)) >> 16 : 0x7FFF;
    const int32_t ts = 15 - shift;
    return (int32_t)((x * rm + ((int64_t)1 << (ts - 1))) >> ts);
}

// w (rows, n) @ (x + off) (n,) (+ bias) -> clamp16(rq64(., mult, shift))
static void mn_lstm16_fc(const int16_t *x, int32_t n, int32_t off, const int8_t *w, const int64_t *bias,
    int32_t rows, int32_t mult, int32_t shift, int16_t *out) {
    for (int32_t r = 0; r < rows; r++, w += n) {
        int64_t acc = 0;
        for (int32_t i = 0; i < n; i++) {
            acc += w[i] * (x[i] + off);
        }
        if (bias) {
            acc += bias[r];
        }
        out[r] = (int16_t)mn_clamp(mn_lstm_rq64(acc, mult, shift), -32768, 32767);
    }
}

void mn_lstm_s16(const int16_t *input, const int8_t *w_x_i, const int8_t *w_x_f, const int8_t *w_x_c,
    const int8_t *w_x_o, const int8_t *w_h_i, const int8_t *w_h_f, const int8_t *w_h_c,
    const int8_t *w_h_o, const int64_t *bias_i, const int64_t *bias_f, const int64_t *bias_c,
    const int64_t *bias_o, int16_t *output, int16_t *hidden, int16_t *cell, int32_t *scratch,
    const int32_t *p) {
    const int8_t *w_x[4] = { w_x_i, w_x_f, w_x_c, w_x_o }, *w_h[4] = { w_h_i, w_h_f, w_h_c, w_h_o };
    const int64_t *bias[4] = { bias_i, bias_f, bias_c, bias_o };
    const int32_t batch = p[MN_LSTM16_BATCH], time = p[MN_LSTM16_TIME];
    const int32_t n_in = p[MN_LSTM16_N_INPUT], n_cell = p[MN_LSTM16_N_CELL];
    const int32_t clip = p[MN_LSTM16_CELL_CLIP], zp = p[MN_LSTM16_HIDDEN_ZERO_POINT];
    // gate rows i, f, c, o; the scratch's first row (the int8 kernel's accumulators) takes the
    // recurrent FC's output here
    int16_t *hpart = (int16_t *)scratch, *gates = (int16_t *)(scratch + n_cell);
    for (int32_t b = 0; b < batch; b++) {
        int16_t *h = hidden + b * n_cell, *c = cell + b * n_cell;
        for (int32_t t = 0; t < time; t++) {
            const int32_t step = p[MN_LSTM16_TIME_MAJOR] ? t * batch + b : b * time + t;
            const int16_t *x = input + step * n_in;
            for (int32_t g = 0; g < 4; g++) {
                const int32_t *q = p + MN_LSTM16_I_X_MULT + 4 * g;
                int16_t *gate = gates + g * n_cell;
                mn_lstm16_fc(x, n_in, p[MN_LSTM16_INPUT_OFFSET], w_x[g], bias[g], n_cell, q[0], q[1], gate);
                mn_lstm16_fc(h, n_cell, p[MN_LSTM16_HIDDEN_OFFSET], w_h[g], 0, n_cell, q[2], q[3], hpart);
                for (int32_t r = 0; r < n_cell; r++) {
                    const int32_t s = mn_clamp(gate[r] + hpart[r], -32768, 32767);
                    gate[r] = g == 2 ? mn_lstm_tanh(s, 3, 0) : mn_lstm_sigmoid(s);
                }
            }
            const int16_t *gi = gates, *gf = gi + n_cell, *gc = gf + n_cell, *go = gc + n_cell;
            int16_t *out = output + step * n_cell;
            for (int32_t r = 0; r < n_cell; r++) {
                const int32_t fc = mn_clamp(mn_requantize(gf[r] * c[r], p[MN_LSTM16_FC_MULT],
                    p[MN_LSTM16_FC_SHIFT]), -32768, 32767);
                const int32_t ic = mn_clamp(mn_requantize(gi[r] * gc[r], p[MN_LSTM16_IC_MULT],
                    p[MN_LSTM16_IC_SHIFT]), -32768, 32767);
                int32_t cs = mn_clamp(fc + ic, -32768, 32767);
                if (clip >= 0) {
                    cs = mn_clamp(cs, -clip, clip);
                }
                c[r] = (int16_t)cs;
                const int32_t th = mn_lstm_tanh(cs, p[MN_LSTM16_TANH_MULT], p[MN_LSTM16_TANH_SHIFT]);
                const int32_t hv = mn_requantize(th * go[r], p[MN_LSTM16_H_MULT], p[MN_LSTM16_H_SHIFT]) + zp;
                h[r] = (int16_t)mn_clamp(hv, -32768, 32767);
                out[r] = h[r];
            }
        }
    }
}

// ---------------------------------------------------------------------------
// float32: TFLM's float LSTM step. Every product is rounded before it is added (fp-contract off);
// expf and tanhf are glibc's bits (kernels/mn_libm_f32.c).
#pragma GCC optimize("fp-contract=off")

// TFLM's float Logistic
MN_INLINE float mn_lstmf_sigmoid(float x) {
    if (x > 16.619047164916992188f) {
        return 1.0f;
    }
    if (x < -9.0f) {
        return mn_expf(x);
    }
    return 1.0f / (1.0f + mn_expf(-x));
}

// w (rows, n) @ x (n,): 0.0f + products in order, + bias (0.0f without), clamped to the float range
static void mn_lstmf_fc(const float *x, int32_t n, const float *w, const float *bias, int32_t rows,
    float *out) {
    for (int32_t r = 0; r < rows; r++, w += n) {
        float total = 0.0f;
        for (int32_t i = 0; i < n; i++) {
            const float prod = x[i] * w[i];
            total += prod;
        }
        out[r] = mn_f32_clamp(total + (bias ? bias[r] : 0.0f), -FLT_MAX, FLT_MAX);
    }
}

void mn_lstm_f32(const float *input, const float *w_x_i, const float *w_x_f, const float *w_x_c,
    const float *w_x_o, const float *w_h_i, const float *w_h_f, const float *w_h_c,
    const float *w_h_o, const float *bias_i, const float *bias_f, const float *bias_c,
    const float *bias_o, float *output, const float *cell_clip, float *hidden, float *cell,
    float *scratch, const int32_t *p) {
    const float *w_x[4] = { w_x_i, w_x_f, w_x_c, w_x_o }, *w_h[4] = { w_h_i, w_h_f, w_h_c, w_h_o };
    const float *bias[4] = { bias_i, bias_f, bias_c, bias_o };
    const int32_t batch = p[MN_LSTMF_BATCH], time = p[MN_LSTMF_TIME];
    const int32_t n_in = p[MN_LSTMF_N_INPUT], n_cell = p[MN_LSTMF_N_CELL];
    const float clip = cell_clip[0];
    float *gates = scratch, *hpart = scratch + 4 * n_cell;
    for (int32_t b = 0; b < batch; b++) {
        float *h = hidden + b * n_cell, *c = cell + b * n_cell;
        for (int32_t t = 0; t < time; t++) {
            const int32_t step = p[MN_LSTMF_TIME_MAJOR] ? t * batch + b : b * time + t;
            const float *x = input + step * n_in;
            for (int32_t g = 0; g < 4; g++) {
                float *gate = gates + g * n_cell;
                mn_lstmf_fc(x, n_in, w_x[g], bias[g], n_cell, gate);
                mn_lstmf_fc(h, n_cell, w_h[g], 0, n_cell, hpart);
                for (int32_t r = 0; r < n_cell; r++) {
                    const float s = gate[r] + hpart[r];
                    gate[r] = g == 2 ? mn_tanhf(s) : mn_lstmf_sigmoid(s);
                }
            }
            const float *gi = gates, *gf = gi + n_cell, *gc = gf + n_cell, *go = gc + n_cell;
            float *out = output + step * n_cell;
            for (int32_t r = 0; r < n_cell; r++) {
                const float fc = mn_f32_clamp(gf[r] * c[r], -FLT_MAX, FLT_MAX);
                const float ic = mn_f32_clamp(gi[r] * gc[r], -FLT_MAX, FLT_MAX);
                float cs = fc + ic;
                if (p[MN_LSTMF_CLIP]) {
                    cs = cs < clip ? cs : clip;   // std::min(clip, cs)
                    cs = cs < -clip ? -clip : cs; // std::max(., -clip)
                }
                c[r] = cs;
                h[r] = mn_f32_clamp(mn_tanhf(cs) * go[r], -FLT_MAX, FLT_MAX);
                out[r] = h[r];
            }
        }
    }
}

#endif // MICRONN_OP_RECURRENT
