// Recurrent area: SVDF as TFLite Micro's svdf_common.cc computes it (EvalIntegerSvdfReference for
// int8 input with int8 or int16 weights_time and state, EvalFloatSvdfReference for float32).
//   input           [batch, input_size]
//   weights_feature [filters, input_size], filters = units * rank
//   weights_time    [filters, memory]
//   bias            [units] or NULL
//   state           [batch, filters, memory] (a variable tensor: kept across runs)
//   output          [batch, units]
// Each run: the whole state moves one element towards its start (TFLM's single shift of the
// buffer), each filter's newest entry (index memory - 1) becomes the feature matmul of the
// input, then output[b, u] = bias[u] + the rank filters of unit u dotted with their time weights.
// TFLM resets an int8 state to its zero point and an int16 one to 0: the int8 state here holds
// TFLM's state minus the zero point, wrapped to int8 (so zero is TFLM's reset value; the map is
// one to one), the int16 state TFLM's own values. The int32 sums wrap, so the order of the rank
// and memory sums does not change the bits.
#include "micronn_config.h"
#if MICRONN_OP_RECURRENT

#include "micronn.h"

#pragma GCC optimize("fp-contract=off")

#define MN_SVDF_CHUNK 32 // feature rows per pass of the int32 accumulators (on the stack)

#define MN_SVDF_GEOMETRY \
    const int32_t batch = p[MN_SVDF_BATCH], n_in = p[MN_SVDF_INPUT_SIZE]; \
    const int32_t units = p[MN_SVDF_UNITS], rank = p[MN_SVDF_RANK], memory = p[MN_SVDF_MEMORY]; \
    const int32_t filters = units * rank

// acc[r] = sum_i (x[i] + off) * w[r * n + i] for r < rows (the FC dot-row kernel when the NN
// area is built, SMLAD on ARMv7E-M and PMADDWD on x86-64; else plain C).
static void mn_svdf_dot_rows(const int8_t *x, int32_t n, int32_t off, const int8_t *w, int32_t rows,
    int32_t *acc) {
    for (int32_t r = 0; r < rows; r++) {
        acc[r] = 0;
    }
#if MICRONN_OP_NN
    mn_dot_rows_s8(x, n, off, w, rows, acc);
#else
    for (int32_t r = 0; r < rows; r++) {
        const int8_t *wr = w + r * n;
        int32_t s = 0;
        for (int32_t i = 0; i < n; i++) {
            s += (x[i] + off) * wr[i];
        }
        acc[r] = s;
    }
#endif
}

// The integer body. T: the state and weights_time type; LO, HI: its range; R: 1 if the state is
// kept minus its zero point (int8), 0 if as TFLM's values (int16).
#define MN_SVDF_INT_BODY(T, LO, HI, R) do { \
        MN_SVDF_GEOMETRY; \
        const int32_t in_off = p[MN_SVDF_INPUT_OFFSET], out_off = p[MN_SVDF_OUTPUT_OFFSET]; \
        const int32_t zp = p[MN_SVDF_STATE_ZP], rz = R ? zp : 0; \
        const int32_t fm = p[MN_SVDF_FEATURE_MULT], fs = p[MN_SVDF_FEATURE_SHIFT]; \
        const int32_t om = p[MN_SVDF_OUTPUT_MULT], os = p[MN_SVDF_OUTPUT_SHIFT]; \
        const int32_t total = batch * filters * memory; \
        __builtin_memmove(state, state + 1, (uint32_t)(total - 1) * sizeof(T)); \
        int32_t acc[MN_SVDF_CHUNK]; \
        for (int32_t b = 0; b < batch; b++) { \
            const int8_t *x = input + b * n_in; \
            T *sb = state + b * filters * memory; \
            /* W_feature (filters, n_in) @ (x + in_off) (n_in,) -> newest state entries */ \
            for (int32_t f0 = 0; f0 < filters; f0 += MN_SVDF_CHUNK) { \
                const int32_t nf = filters - f0 < MN_SVDF_CHUNK ? filters - f0 : MN_SVDF_CHUNK; \
                mn_svdf_dot_rows(x, n_in, in_off, weights_feature + f0 * n_in, nf, acc); \
                for (int32_t r = 0; r < nf; r++) { \
                    const int32_t c = mn_clamp(mn_requantize(acc[r], fm, fs), LO, HI); \
                    sb[(f0 + r) * memory + memory - 1] = (T)(zp + c - rz); \
                } \
            } \
            /* per unit: bias + sum over its rank filters of W_time (memory,) . (state - zp) */ \
            for (int32_t u = 0; u < units; u++) { \
                uint32_t s = bias ? (uint32_t)bias[u] : 0u; \
                const T *wt = weights_time + u * rank * memory; \
                const T *st = sb + u * rank * memory; \
                for (int32_t k = 0; k < rank * memory; k++) { \
                    const int32_t v = (T)(st[k] + rz) - zp; \
                    s += (uint32_t)(wt[k] * v); \
                } \
                const int32_t y = mn_requantize((int32_t)s, om, os) + out_off; \
                output[b * units + u] = (int8_t)mn_clamp(y, -128, 127); \
            } \
        } \
} while (0)

void mn_svdf_s8(const int8_t *input, const int8_t *weights_feature, const int8_t *weights_time,
    const int32_t *bias, int8_t *state, int8_t *output, const int32_t *p) {
    MN_SVDF_INT_BODY(int8_t, -128, 127, 1);
}

void mn_svdf_s8_s16(const int8_t *input, const int8_t *weights_feature, const int16_t *weights_time,
    const int32_t *bias, int16_t *state, int8_t *output, const int32_t *p) {
    MN_SVDF_INT_BODY(int16_t, -32768, 32767, 0);
}

// TFLM's float activation (ActivationValFloat: std::fmax / std::fmin, a NaN loses to a number).
static float mn_svdf_act(int32_t act, float a) {
    if (act == 0) {
        return a;
    }
    const float lo = act == 2 ? -1.0f : 0.0f;
    if (act != 1) {
        const float hi = act == 2 ? 1.0f : 6.0f;
        a = (a <= hi) ? a : hi; // fmin(a, hi): a NaN gives hi
    }
    return (lo >= a || a != a) ? lo : a; // fmax(lo, a)
}

void mn_svdf_f32(const float *input, const float *weights_feature, const float *weights_time,
    const float *bias, float *state, float *output, const int32_t *p) {
    MN_SVDF_GEOMETRY;
    const int32_t total = batch * filters * memory;
    __builtin_memmove(state, state + 1, (uint32_t)(total - 1) * sizeof(float));
    for (int32_t b = 0; b < batch; b++) {
        const float *x = input + b * n_in;
        float *sb = state + b * filters * memory;
        // W_feature (filters, n_in) @ x (n_in,) -> newest state entries, one float add at a time
        for (int32_t f = 0; f < filters; f++) {
            const float *w = weights_feature + f * n_in;
            float d = 0.0f;
            for (int32_t i = 0; i < n_in; i++) {
                d += w[i] * x[i];
            }
            sb[f * memory + memory - 1] = d;
        }
        // output[u] = act(bias[u] + (0.0f + W_time . state) for each of the unit's rank filters)
        for (int32_t u = 0; u < units; u++) {
            float y = bias ? bias[u] : 0.0f;
            for (int32_t r = 0; r < rank; r++) {
                const float *wt = weights_time + (u * rank + r) * memory;
                const float *st = sb + (u * rank + r) * memory;
                float s = 0.0f;
                for (int32_t m = 0; m < memory; m++) {
                    s += wt[m] * st[m];
                }
                y += s;
            }
            output[b * units + u] = mn_svdf_act(p[MN_SVDF_ACT], y);
        }
    }
}

#endif // MICRONN_OP_RECURRENT
