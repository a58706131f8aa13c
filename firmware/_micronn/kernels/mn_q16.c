// INT16 area: QUANTIZE / DEQUANTIZE with an int16 side and SOFTMAX int8 -> int16, as TFLite
// Micro computes them.
// QUANTIZE between int8, int16 and int32 (TFLM's Requantize): output = clamp(rq(input -
// input_zero_point, multiplier, shift) + output_zero_point) to the output type; the subtraction
// and addition wrap as two's complement int32 (TFLM's targets wrap; C would leave it undefined).
#include "micronn_config.h"
#if MICRONN_OP_INT16

#include "micronn.h"
#include "mn_fixedpoint.h"

MN_INLINE int32_t mn_rescale16(int32_t x, const int32_t *p) {
    int32_t v = (int32_t)((uint32_t)x - (uint32_t)p[MN_RESCALE16_INPUT_ZP]);
    v = mn_requantize(v, p[MN_RESCALE16_MULT], p[MN_RESCALE16_SHIFT]);
    return (int32_t)((uint32_t)v + (uint32_t)p[MN_RESCALE16_OUTPUT_ZP]);
}

void mn_requantize_s16_s8(const int16_t *input, int8_t *output, int32_t count, const int32_t *params) {
    for (int32_t i = 0; i < count; i++) {
        output[i] = (int8_t)mn_clamp(mn_rescale16(input[i], params), -128, 127);
    }
}

void mn_requantize_s16_s16(const int16_t *input, int16_t *output, int32_t count, const int32_t *params) {
    for (int32_t i = 0; i < count; i++) {
        output[i] = (int16_t)mn_clamp(mn_rescale16(input[i], params), -32768, 32767);
    }
}

void mn_requantize_s16_s32(const int16_t *input, int32_t *output, int32_t count, const int32_t *params) {
    for (int32_t i = 0; i < count; i++) {
        output[i] = mn_rescale16(input[i], params);
    }
}

void mn_requantize_s8_s16(const int8_t *input, int16_t *output, int32_t count, const int32_t *params) {
    for (int32_t i = 0; i < count; i++) {
        output[i] = (int16_t)mn_clamp(mn_rescale16(input[i], params), -32768, 32767);
    }
}

void mn_requantize_s32_s16(const int32_t *input, int16_t *output, int32_t count, const int32_t *params) {
    for (int32_t i = 0; i < count; i++) {
        output[i] = (int16_t)mn_clamp(mn_rescale16(input[i], params), -32768, 32767);
    }
}

// std::round for float (half away from zero), without libm.
static float mn_q16_roundf(float x) {
    if (!(x > -8388608.0f && x < 8388608.0f)) {
        return x; // |x| >= 2^23 is already an integer (or inf/NaN)
    }
    float t = (float)(int32_t)x; // truncated; x - t is exact
    float frac = x - t;
    if (frac >= 0.5f) {
        t += 1.0f;
    } else if (frac <= -0.5f) {
        t -= 1.0f;
    }
    return t;
}

// QUANTIZE float32 -> int16 (TFLM's AffineQuantize: the float32 quotient, rounded half away).
void mn_quantize_f32_s16(const float *input, int16_t *output, int32_t count, const int32_t *params) {
    float scale;
    __builtin_memcpy(&scale, &params[MN_QUANT16_SCALE], 4);
    const int32_t zp = params[MN_QUANT16_ZP];
    for (int32_t i = 0; i < count; i++) {
        float q = mn_q16_roundf(input[i] / scale);
        int32_t r;
        if (q != q) {
            r = zp; // NaN
        } else {
            // Saturate before converting (TFLite Micro's cast is undefined out of int32 range).
            r = q < -131072.0f ? -131072 : (q > 131072.0f ? 131072 : (int32_t)q);
            r += zp;
        }
        output[i] = (int16_t)mn_clamp(r, -32768, 32767);
    }
}

// DEQUANTIZE int16 -> float32: TFLM multiplies in double and rounds once to float32; scale *
// (input - zero_point) is exact in double (24 + 17 bits), so one float32 multiply is the same.
void mn_dequantize_s16_f32(const int16_t *input, float *output, int32_t count, const int32_t *params) {
    float scale;
    __builtin_memcpy(&scale, &params[MN_QUANT16_SCALE], 4);
    const int32_t zp = params[MN_QUANT16_ZP];
    for (int32_t i = 0; i < count; i++) {
        output[i] = scale * (float)((int32_t)input[i] - zp);
    }
}

// exp((x - max) * beta * input_scale) in Q0 for a difference >= diff_min.
MN_INLINE int32_t mn_softmax16_exp(int32_t diff, int32_t mult, int left_shift) {
    int32_t scaled = MN_SRDHM((int32_t)((uint32_t)diff << left_shift), mult); // Q5
    return mn_exp_on_negative_values_q5(scaled);
}

// SOFTMAX int8 -> int16 (output scale 1/65536, zero point -32768): TFLM's reference_ops::Softmax
// <int8_t, int16_t>, the int8 softmax's arithmetic with the output exponent of 16 bits.
void mn_softmax_s8_s16(const int8_t *input, int16_t *output, const int32_t *p) {
    const int32_t depth = p[MN_SOFTMAX8_16_DEPTH];
    const int32_t mult = p[MN_SOFTMAX8_16_INPUT_MULT];
    const int left_shift = (int)p[MN_SOFTMAX8_16_INPUT_LEFT_SHIFT];
    const int32_t diff_min = p[MN_SOFTMAX8_16_DIFF_MIN];
    for (int32_t r = 0; r < p[MN_SOFTMAX8_16_ROWS]; r++) {
        const int8_t *x = input + r * depth;
        int16_t *y = output + r * depth;
        int32_t max = -128;
        for (int32_t c = 0; c < depth; c++) {
            max = x[c] > max ? x[c] : max;
        }
        // Sum of exps in Q12 (the converter keeps depth below 4096: no wrap).
        uint32_t sum = 0;
        for (int32_t c = 0; c < depth; c++) {
            int32_t diff = x[c] - max;
            if (diff >= diff_min) {
                sum += (uint32_t)mn_rounding_divide_by_pot(mn_softmax16_exp(diff, mult, left_shift), 12);
            }
        }
        // sum = 2^bits_over_unit * (1 + f), f in [0, 1): scale = 1 / (1 + f) in Q0.
        int headroom_plus_one = mn_clz32(sum);
        int bits_over_unit = 12 - headroom_plus_one;
        int32_t scale = mn_one_over_one_plus_x(
            (int32_t)((headroom_plus_one < 32 ? sum << headroom_plus_one : 0u) - 0x80000000u));
        // Output exp * scale / 2^bits_over_unit in units of 1/65536. The exponent is in [15, 27]
        // for the depths the converter allows (TFLM checks 0..31); kept there for any params.
        int exponent = bits_over_unit + 31 - 16;
        exponent = exponent < 0 ? 0 : (exponent > 31 ? 31 : exponent);
        for (int32_t c = 0; c < depth; c++) {
            int32_t diff = x[c] - max;
            int32_t v = -32768;
            if (diff >= diff_min) {
                int32_t e = mn_softmax16_exp(diff, mult, left_shift);
                v = mn_rounding_divide_by_pot(MN_SRDHM(scale, e), exponent) - 32768;
                v = mn_clamp(v, -32768, 32767);
            }
            y[c] = (int16_t)v;
        }
    }
}

#endif // MICRONN_OP_INT16
