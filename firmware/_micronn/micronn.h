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

// First and one-past-last kernel tap k with 0 <= origin + k * dil < size.
MN_INLINE void mn_tap_range(int32_t origin, int32_t dil, int32_t size, int32_t k,
    int32_t *first, int32_t *end) {
    int32_t lo = origin < 0 ? (-origin + dil - 1) / dil : 0;
    int32_t hi = size - origin <= 0 ? 0 : (size - origin + dil - 1) / dil;
    *first = lo;
    *end = hi < k ? hi : k;
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

// ---------------------------------------------------------------------------
// Ops whose geometry and quantization travel in one int32 `params` array (a model
// constant). The binding checks every entry's range and every buffer's length against
// it before calling the kernel, so kernels trust their params. The same layouts are
// mirrored as constants in host_tools/reference.py.

// CONV_2D and DEPTHWISE_CONV_2D params (depthwise adds MN_CONV_DEPTH_MULT).
enum {
    MN_CONV_N,             // batches                         [1, 32767]
    MN_CONV_IN_H,          // input height, width, channels   [1, 32767]
    MN_CONV_IN_W,
    MN_CONV_IN_C,
    MN_CONV_OUT_H,         // output height, width, channels  [1, 32767]
    MN_CONV_OUT_W,
    MN_CONV_OUT_C,
    MN_CONV_K_H,           // kernel height, width            [1, 32767]
    MN_CONV_K_W,
    MN_CONV_STRIDE_H,      //                                 [1, 255]
    MN_CONV_STRIDE_W,
    MN_CONV_DIL_H,         // dilation                        [1, 255]
    MN_CONV_DIL_W,
    MN_CONV_PAD_TOP,       // padding before row/column 0     [0, 32767]
    MN_CONV_PAD_LEFT,
    MN_CONV_INPUT_OFFSET,  // -input_zero_point               [-127, 128]
    MN_CONV_OUTPUT_OFFSET, // +output_zero_point              [-128, 127]
    MN_CONV_ACT_MIN,       // fused activation range          [-128, 127], min <= max
    MN_CONV_ACT_MAX,
    MN_CONV_NPARAMS,       // 19: conv2d_s8
    MN_CONV_DEPTH_MULT = MN_CONV_NPARAMS, // depthwise only: out_c = in_c * depth_mult
    MN_DWCONV_NPARAMS,     // 20: depthwise_conv2d_s8
};

// Convolution, int8 in/out, int8 weights (zero point 0), optional int32 bias, per-channel
// or per-tensor requantization. Output positions are computed from the params as
//   in_y = out_y * stride_h - pad_top + k_y * dil_h  (likewise x); taps outside the input
// are skipped (zero padding in real terms).
//   input   [N, in_h, in_w, in_c]
//   weights [out_c, k_h, k_w, in_c]
//   bias    [out_c] or NULL
//   output  [N, out_h, out_w, out_c]
// The int32 accumulator holds k_h * k_w * in_c products of at most 127 * 255: at least
// 66311 taps per output without overflow (as in TFLite Micro).
void mn_conv2d_s8(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *params, const mn_requant_t *requant);

// Depthwise convolution: output channel oc = ic * depth_mult + m reads input channel ic.
//   input   [N, in_h, in_w, in_c]
//   weights [1, k_h, k_w, out_c]
//   bias    [out_c] or NULL
//   output  [N, out_h, out_w, out_c]
void mn_depthwise_conv2d_s8(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *params, const mn_requant_t *requant);

// AVERAGE_POOL_2D and MAX_POOL_2D params.
enum {
    MN_POOL_N,        // batches                     [1, 32767]
    MN_POOL_IN_H,     // input height, width         [1, 32767]
    MN_POOL_IN_W,
    MN_POOL_C,        // channels                    [1, 32767]
    MN_POOL_OUT_H,    // output height, width        [1, 32767]
    MN_POOL_OUT_W,
    MN_POOL_K_H,      // window height, width        [1, 32767]
    MN_POOL_K_W,
    MN_POOL_STRIDE_H, //                             [1, 255]
    MN_POOL_STRIDE_W,
    MN_POOL_PAD_TOP,  // [0, k - 1]; every window must overlap the input
    MN_POOL_PAD_LEFT,
    MN_POOL_ACT_MIN,  // [-128, 127], min <= max
    MN_POOL_ACT_MAX,
    MN_POOL_NPARAMS,  // 14
};

// Pooling over the in-bounds part of each window (padding is not counted).
//   input  [N, in_h, in_w, C]
//   output [N, out_h, out_w, C]
// avg: sum / count rounded half away from zero; max: the largest value. Then clamped.
void mn_avg_pool2d_s8(const int8_t *input, int8_t *output, const int32_t *params);
void mn_max_pool2d_s8(const int8_t *input, int8_t *output, const int32_t *params);

// ADD params: TFLite Micro's int8 ADD with 4-D broadcasting.
enum {
    MN_ADD_D0,          // output dims d0..d3 (row-major)   [1, 2^24]
    MN_ADD_D1,
    MN_ADD_D2,
    MN_ADD_D3,
    MN_ADD_IN1_S0,      // input1 element strides, 0 on broadcast dims   [0, 2^24]
    MN_ADD_IN1_S1,
    MN_ADD_IN1_S2,
    MN_ADD_IN1_S3,
    MN_ADD_IN2_S0,      // input2 element strides
    MN_ADD_IN2_S1,
    MN_ADD_IN2_S2,
    MN_ADD_IN2_S3,
    MN_ADD_IN1_OFFSET,  // -input1_zero_point               [-127, 128]
    MN_ADD_IN2_OFFSET,  // -input2_zero_point               [-127, 128]
    MN_ADD_OUTPUT_OFFSET, // +output_zero_point             [-128, 127]
    MN_ADD_LEFT_SHIFT,  // 20 for int8                      [0, 20]
    MN_ADD_IN1_MULT,    // Q31 multipliers                  [0, 2^31 - 1]
    MN_ADD_IN1_SHIFT,   // shifts (right shifts as <= 0)    [-31, 0]
    MN_ADD_IN2_MULT,
    MN_ADD_IN2_SHIFT,
    MN_ADD_OUT_MULT,
    MN_ADD_OUT_SHIFT,
    MN_ADD_ACT_MIN,     // [-128, 127], min <= max
    MN_ADD_ACT_MAX,
    MN_ADD_NPARAMS,     // 24
};

// Elementwise add with broadcasting:
//   output[i0,i1,i2,i3] = f(input1[i0*s1_0 + ... + i3*s1_3], input2[i0*s2_0 + ... + i3*s2_3])
//   f(a, b) = clamp(rq(rq((a + off1) << ls, m1, sh1) + rq((b + off2) << ls, m2, sh2), mo, sho)
//                   + out_off, act_min, act_max)
//   input1 [1 + sum_k (d_k - 1) * s1_k], input2 likewise, output [d0 * d1 * d2 * d3]
void mn_add_s8(const int8_t *input1, const int8_t *input2, int8_t *output, const int32_t *params);

// SOFTMAX params (int8 in, int8 out with scale 1/256 and zero point -128).
enum {
    MN_SOFTMAX_ROWS,        // [1, 2^24]
    MN_SOFTMAX_DEPTH,       // softmax over the last axis    [1, 2^24]
    MN_SOFTMAX_INPUT_MULT,  // beta * input_scale as Q31     [0, 2^31 - 1]
    MN_SOFTMAX_INPUT_LEFT_SHIFT, //                          [0, 31]
    MN_SOFTMAX_DIFF_MIN,    // x - max(row) < diff_min -> 0  [-(2^31 - 1), 0]
    MN_SOFTMAX_NPARAMS,     // 5
};

// TFLite Micro's reference int8 softmax (gemmlowp fixed-point exp and reciprocal).
//   input [rows, depth], output [rows, depth]
void mn_softmax_s8(const int8_t *input, int8_t *output, const int32_t *params);

// QUANTIZE int8 -> int8 (rescale) params.
enum {
    MN_REQUANT_INPUT_ZP,  // [-128, 127]
    MN_REQUANT_OUTPUT_ZP, // [-128, 127]
    MN_REQUANT_MULT,      // Q31 [0, 2^31 - 1]
    MN_REQUANT_SHIFT,     // [-31, 30]
    MN_REQUANT_NPARAMS,   // 4
};

// output[i] = clamp(rq(input[i] - input_zp, mult, shift) + output_zp, -128, 127)
void mn_requantize_s8(const int8_t *input, int8_t *output, int32_t count, const int32_t *params);

// Graph edges (the only float code): float32 <-> int8, single precision as TFLite Micro.
//   quantize:   output[i] = clamp(round_half_away(input[i] / scale) + zero_point, -128, 127)
//               (NaN -> zero_point; huge values saturate)
//   dequantize: output[i] = scale * (float)(input[i] - zero_point)
void mn_quantize_f32_s8(const float *input, int8_t *output, int32_t count, float scale, int32_t zero_point);
void mn_dequantize_s8_f32(const int8_t *input, float *output, int32_t count, float scale, int32_t zero_point);

#endif // MICRONN_H
