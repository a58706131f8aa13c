// micronn: int8 neural-network kernels for MicroPython.
//
// Rules for every kernel (kernels/mn_<op>_<dtype>.c):
//  - C99, no py/*, no malloc; scratch memory is passed in by the caller.
//  - Tensors are row-major; activations NHWC, FC weights [out_features, in_features].
//  - Bit-exact with TensorFlow Lite Micro's reference kernels (double rounding).
#ifndef MICRONN_H
#define MICRONN_H

#include <stdint.h>

#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
#define MN_ARM_DSP 1
#else
#define MN_ARM_DSP 0
#endif

#define MN_INLINE static inline __attribute__((always_inline))

// Requantization parameters: per-tensor (count 1) or per output channel.
// multiplier is a Q31 value in [2^30, 2^31) (or 0); shift > 0 is a left shift.
typedef struct {
    const int32_t *multiplier;
    const int32_t *shift;
    int32_t per_channel; // 0: use multiplier[0], shift[0] for every channel
} mn_requant_t;

// Zero points (as offsets added to the raw values) and the fused activation range.
typedef struct {
    int32_t input_offset;  // -input_zero_point
    int32_t output_offset; // +output_zero_point
    int32_t act_min;       // in [-128, 127], act_min <= act_max
    int32_t act_max;
} mn_quant_t;

// gemmlowp SaturatingRoundingDoublingHighMul: round(a * b / 2^31), saturating.
MN_INLINE int32_t mn_sat_rounding_doubling_high_mul(int32_t a, int32_t b) {
    if (a == INT32_MIN && b == INT32_MIN) {
        return INT32_MAX;
    }
    int64_t ab = (int64_t)a * (int64_t)b;
    int64_t nudge = ab >= 0 ? (1LL << 30) : (1 - (1LL << 30));
    return (int32_t)((ab + nudge) / (1LL << 31));
}

// gemmlowp RoundingDivideByPOT: x / 2^exponent, rounding half away from zero.
MN_INLINE int32_t mn_rounding_divide_by_pot(int32_t x, int exponent) {
    int32_t mask = (int32_t)((1LL << exponent) - 1);
    int32_t remainder = x & mask;
    int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

// TFLite Micro's MultiplyByQuantizedMultiplier (double rounding): the one
// requantization used by every kernel.
MN_INLINE int32_t mn_requantize(int32_t x, int32_t multiplier, int32_t shift) {
    int left_shift = shift > 0 ? shift : 0;
    int right_shift = shift > 0 ? 0 : -shift;
    return mn_rounding_divide_by_pot(
        mn_sat_rounding_doubling_high_mul((int32_t)((uint32_t)x << left_shift), multiplier), right_shift);
}

MN_INLINE int32_t mn_clamp(int32_t x, int32_t lo, int32_t hi) {
    return x < lo ? lo : (x > hi ? hi : x);
}

// Fully connected, int8 in/out, int8 weights (zero point 0), optional int32 bias.
//   input   [batches, in_features]
//   weights [out_features, in_features]
//   bias    [out_features] or NULL
//   output  [batches, out_features]
//   output[b, o] = clamp(requant(sum_i (input[b, i] + input_offset) * weights[o, i] + bias[o])
//                        + output_offset, act_min, act_max)
void mn_fully_connected_s8(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, int32_t batches, int32_t in_features, int32_t out_features,
    const mn_quant_t *quant, const mn_requant_t *requant);

#endif // MICRONN_H
