// micronn: int8 neural-network kernels for MicroPython.
//
// Rules for every kernel (kernels/mn_<op>_<dtype>.c):
//  - C99, no py/*, no malloc; scratch memory is passed in by the caller.
//  - Tensors are row-major; activations NHWC, FC weights [out_features, in_features].
//  - Bit-exact with TensorFlow Lite Micro's reference kernels (double rounding).
#ifndef MICRONN_H
#define MICRONN_H

#include <stdint.h>

#include "mn_arch.h"

#define MN_INLINE static inline __attribute__((always_inline))

#include "mn_spec.h" // generated from the op spec: params layouts, spec-bound kernels' prototypes

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

// First and one-past-last kernel tap k with 0 <= origin + k * dil < size. Dilation 1 takes no
// division (ARMv6-M has none: each is a call, ~30 cycles on the RP2040, per output pixel).
MN_INLINE void mn_tap_range(int32_t origin, int32_t dil, int32_t size, int32_t k,
    int32_t *first, int32_t *end) {
    int32_t lo, hi;
    if (dil == 1) {
        lo = origin < 0 ? -origin : 0;
        hi = size - origin <= 0 ? 0 : size - origin;
    } else {
        lo = origin < 0 ? (-origin + dil - 1) / dil : 0;
        hi = size - origin <= 0 ? 0 : (size - origin + dil - 1) / dil;
    }
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
// The plain C reference of the same (every optimized kernel mn_<op> has an mn_<op>_ref that it
// equals byte for byte; the _ref kernels stay compiled so device tests compare the two).
void mn_fully_connected_s8_ref(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, int32_t batches, int32_t in_features, int32_t out_features,
    const mn_quant_t *quant, const mn_requant_t *requant);

// The inner product of TRANSPOSE_CONV and BATCH_MATMUL int8 (kernels/mn_transpose_conv_s8.c,
// area NN; SMLAD on ARMv7E-M, PMADDWD on x86-64): rows of n int8 weights, contiguous, against
// one input vector plus its offset, added into int32 accumulators (wrapping).
//   acc[r] += sum_i (x[i] + off) * w[r * n + i]   for r < rows; n <= 32767, off in [-127, 128]
void mn_dot_rows_s8(const int8_t *x, int32_t n, int32_t off, const int8_t *w, int32_t rows,
    int32_t *acc);

// ---------------------------------------------------------------------------
// Ops whose geometry and quantization travel in one int32 `params` array (a model
// constant). The layouts (MN_<OP>_<FIELD> enums with their ranges) are generated from the op
// spec (host_tools/ops/table.py) into mn_spec.h. The binding checks every entry's range and
// every buffer's length against it before calling the kernel, so kernels trust their params.

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
// scratch: mn_conv2d_s8_scratch_size(params) bytes, 4-byte aligned, used only during the call
// (int16 im2col of two output pixels). NULL (or a size of 0) runs the reference kernel.
void mn_conv2d_s8(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *params, const mn_requant_t *requant, void *scratch);
void mn_conv2d_s8_ref(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *params, const mn_requant_t *requant);
int32_t mn_conv2d_s8_scratch_size(const int32_t *params);

// Depthwise convolution: output channel oc = ic * depth_mult + m reads input channel ic.
//   input   [N, in_h, in_w, in_c]
//   weights [1, k_h, k_w, out_c]
//   bias    [out_c] or NULL
//   output  [N, out_h, out_w, out_c]
// scratch: mn_depthwise_conv2d_s8_scratch_size(params) bytes, 4-byte aligned (per-channel
// requantization table); NULL runs the reference kernel.
void mn_depthwise_conv2d_s8(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *params, const mn_requant_t *requant, void *scratch);
void mn_depthwise_conv2d_s8_ref(const int8_t *input, const int8_t *weights, const int32_t *bias,
    int8_t *output, const int32_t *params, const mn_requant_t *requant);
int32_t mn_depthwise_conv2d_s8_scratch_size(const int32_t *params);

// Pooling over the in-bounds part of each window (padding is not counted).
//   input  [N, in_h, in_w, C]
//   output [N, out_h, out_w, C]
// avg: sum / count rounded half away from zero; max: the largest value. Then clamped.
void mn_avg_pool2d_s8(const int8_t *input, int8_t *output, const int32_t *params);
void mn_max_pool2d_s8(const int8_t *input, int8_t *output, const int32_t *params);

// Elementwise add with broadcasting:
//   output[i0,i1,i2,i3] = f(input1[i0*s1_0 + ... + i3*s1_3], input2[i0*s2_0 + ... + i3*s2_3])
//   f(a, b) = clamp(rq(rq((a + off1) << ls, m1, sh1) + rq((b + off2) << ls, m2, sh2), mo, sho)
//                   + out_off, act_min, act_max)
//   input1 [1 + sum_k (d_k - 1) * s1_k], input2 likewise, output [d0 * d1 * d2 * d3]
void mn_add_s8(const int8_t *input1, const int8_t *input2, int8_t *output, const int32_t *params);

// TFLite Micro's reference int8 softmax (gemmlowp fixed-point exp and reciprocal).
//   input [rows, depth], output [rows, depth]
void mn_softmax_s8(const int8_t *input, int8_t *output, const int32_t *params);

// output[i] = clamp(rq(input[i] - input_zp, mult, shift) + output_zp, -128, 127)
void mn_requantize_s8(const int8_t *input, int8_t *output, int32_t count, const int32_t *params);

// Graph edges (the only float code): float32 <-> int8, single precision as TFLite Micro.
//   quantize:   output[i] = clamp(round_half_away(input[i] / scale) + zero_point, -128, 127)
//               (NaN -> zero_point; huge values saturate)
//   dequantize: output[i] = scale * (float)(input[i] - zero_point)
void mn_quantize_f32_s8(const float *input, int8_t *output, int32_t count, float scale, int32_t zero_point);
void mn_dequantize_s8_f32(const int8_t *input, float *output, int32_t count, float scale, int32_t zero_point);

// ---------------------------------------------------------------------------
// Activations area (kernels/mn_act_*.c; bindings in bind_activations.c).

// Any int8 -> int8 elementwise function as a 256-entry table indexed by uint8(x):
//   output[i] = table[(uint8_t)input[i]]     input [count], output [count], table [256]
// The converter builds the table by running TFLite Micro's arithmetic for LOGISTIC, TANH,
// HARD_SWISH, LEAKY_RELU, RELU, RELU6, ELU (and LiteRT's for GELU) over all 256 inputs.
void mn_lut_s8(const int8_t *input, int8_t *output, int32_t count, const int8_t *table);

// PRELU: mn_prelu_s8 (prototype in mn_spec.h, binding generated).


// ===========================================================================
// Signal area (audio front end; kernels/mn_signal_*.c, bindings bind_signal.c): TFLite Micro's
// signal library (Signal* custom ops) bit for bit. int16 audio, uint32 energies, uint64 filter
// bank sums; every intermediate wraps exactly as TFLite Micro's C code does.

// SignalWindow params. output[r, i] = sat16((input[r, i] * window[i]) >> shift)
void mn_signal_window_s16(const int16_t *input, const int16_t *window, int16_t *output,
    int32_t rows, int32_t n, int32_t shift);

// SignalFftAutoScale: output = input << s with s = max(0, 15 - msb(max |input|)) (msb(0) = 32,
// as TFLite Micro built with GCC); returns s.
int32_t mn_signal_fft_auto_scale_s16(const int16_t *input, int16_t *output, int32_t n);

// SignalRfft (int16) params. KISS FFT fixed point (16-bit, as TFLite Micro's kiss_fftr): a complex
// FFT of fft_length / 2 points (radix 4, then 2; each stage divides by its radix with rounding)
// on the even/odd samples, then the real split with the super twiddles.
//   input    [rows, input_length]   (zero-padded to fft_length)
//   twiddles [3 * fft_length / 2]   int16: ncfft complex twiddles, then ncfft/2 super twiddles
//   scratch  [2 * fft_length]       int16
//   output   [rows, fft_length + 2] int16: fft_length / 2 + 1 complex bins (real, imag)
void mn_signal_rfft_s16(const int16_t *input, const int16_t *twiddles, int16_t *scratch,
    int16_t *output, int32_t rows, int32_t fft_length, int32_t input_length);

// SignalEnergy params. output[i] = re^2 + im^2 (uint32, wrapping) for start <= i < end, else 0.
void mn_signal_energy_s16(const int16_t *input, uint32_t *output, int32_t bins, int32_t start, int32_t end);

// SignalFilterBank params: num_channels [1, 32767]. For c in 0..num_channels (one more than the
// outputs), bins freq_starts[c] + j (j < widths[c]) add weights[weight_starts[c] + j] * energy to
// channel c and unweights[...] * energy to channel c + 1 (uint64, wrapping; int16 weights
// sign-extended); output[c - 1] = channel c. The binding checks every range.
void mn_signal_filter_bank(const uint32_t *input, const int16_t *weights, const int16_t *unweights,
    const int16_t *freq_starts, const int16_t *weight_starts, const int16_t *widths,
    uint64_t *output, int32_t num_channels);

// SignalFilterBankSquareRoot: output[i] = isqrt_rounded(input[i]) >> scale_bits (TFLite Micro's
// Sqrt64, which uses the 32-bit routine, saturating at 0xFFFF, when the value fits 32 bits).
void mn_signal_filter_bank_sqrt(const uint64_t *input, uint32_t *output, int32_t n, int32_t scale_bits);

// SignalFilterBankSpectralSubtraction params. state (the noise estimate, uint32 per channel)
// persists across calls; noise_estimate gets a copy of the updated state.
void mn_signal_spectral_subtraction(const uint32_t *input, uint32_t *output, uint32_t *noise_estimate,
    uint32_t *state, const int32_t *params);

// SignalPCAN params: snr_shift [0, 63]. gain_lut: at least MN_PCAN_LUT_SIZE int16.
//   output[i] = shrink((input[i] * gain(noise_estimate[i])) >> snr_shift)
#define MN_PCAN_LUT_SIZE 125
void mn_signal_pcan(const uint32_t *input, const uint32_t *noise_estimate, const int16_t *gain_lut,
    uint32_t *output, int32_t n, int32_t snr_shift);

// SignalFilterBankLog params. output[i] = min(log(input[i] << bits) * output_scale, 32767) in
// TFLite Micro's fixed-point log (0 when the shifted input is 0 or 1).
void mn_signal_filter_bank_log(const uint32_t *input, int16_t *output, int32_t n,
    int32_t correction_bits, int32_t output_scale);

// ===========================================================================
// Elementwise area (kernels mn_cast.c, mn_concatenation.c, mn_strided_slice.c, mn_binary_s32.c;
// bindings bind_elementwise.c).

// CAST params: micronn dtype codes (0 int8, 1 uint8, 2 int16, 3 int32, 4 float32, 5 uint32, 7 bool
// as an input). Integers wrap modulo 2^bits of the output type; float32 -> integer truncates toward
// zero and saturates (NaN -> 0); integer -> float32 rounds to nearest even.
void mn_cast(const void *input, void *output, int32_t n, int32_t in_dtype, int32_t out_dtype);

// CONCATENATION params: element_size (1, 2, 4, 8), outer, n_inputs, then each input's row size
// (elements). Output row r = input0 row r, input1 row r, ...
#define MN_CONCAT_MAX_INPUTS 32
void mn_concatenation(const void *const *inputs, void *output, const int32_t *params);

// STRIDED_SLICE params: output[i0..i4] = input[start + i0 * s0 + ... + i4 * s4], elements of
// element_size bytes; the binding checks that every index is inside the input.
void mn_strided_slice(const void *input, void *output, const int32_t *params);

// int32 binary ops with 4-D broadcasting: mn_binary_s32 (prototype in mn_spec.h, binding generated).

// ---------------------------------------------------------------------------
// Detection area (kernels/mn_detection_*.c, mn_nms*.c; bindings in bind_detection.c).
// Post-processing works in float, as TFLite (Micro) does; quantized scores are compared in
// their integer domain (the score threshold is converted on the host) and only the selected
// ones are dequantized, so no float copy of the [boxes x classes] scores is ever made.

// Element types of the box / score inputs.
enum { MN_DET_F32 = 0, MN_DET_S8 = 1, MN_DET_U8 = 2 };

// A score's sort key: float32 bits mapped to a monotonic int32 (-0 as +0), or the raw
// quantized value (scale > 0, so the order is the dequantized order).
MN_INLINE int32_t mn_det_key(const void *scores, int32_t type, int32_t i) {
    if (type == MN_DET_S8) {
        return ((const int8_t *)scores)[i];
    }
    if (type == MN_DET_U8) {
        return ((const uint8_t *)scores)[i];
    }
    int32_t b = ((const int32_t *)scores)[i];
    if (b == INT32_MIN) {
        b = 0;
    }
    return b >= 0 ? b : (b ^ INT32_MAX);
}

// Bytes of scratch memory mn_detection_postprocess needs (params already checked).
int32_t mn_detection_postprocess_scratch_size(const int32_t *params);

// TFLite_Detection_PostProcess as TFLite Micro's kernel: decode every box against its anchor
// (double math: y / y_scale * anchor_h + anchor_y, half_h = 0.5 * exp(h / h_scale) * anchor_h),
// then fast (class-agnostic: each box's best classes, one NMS) or regular (NMS per class, then
// the best max_detections overall) non-max suppression; ties in score go to the lower index.
//   box_encodings [N, box_stride] (type per params), class_predictions [N, C + label_offset],
//   anchors [N, 4] float (y, x, h, w), scratch [scratch_size bytes], 4-byte aligned
//   outputs: boxes [max_out, 4] (ymin, xmin, ymax, xmax), classes [max_out], scores [max_out],
//   num_detections [1]; rows past num_detections are zero.
// Returns 0, or MN_DET_ERR_BOX when a decoded box has ymin >= ymax or xmin >= xmax (TFLM
// fails the same way).
#define MN_DET_ERR_BOX 1
int mn_detection_postprocess(const void *box_encodings, const void *class_predictions,
    const float *anchors, const int32_t *params, void *scratch, float *out_boxes,
    float *out_classes, float *out_scores, float *num_detections);

// Standalone NMS for YOLO-style heads (micronn.nms): each box takes its best class (lowest
// index on ties); boxes whose best score >= score_threshold are sorted by score (ties: lower
// index first) and kept greedily unless they overlap (IoU > iou_threshold) a kept box of the
// same class (of any class when agnostic). Quantized scores are compared as integers against
// the threshold converted once (the smallest q with (q - zp) * scale >= threshold, in float).

// boxes [N, 4], scores [N, C], scratch [16 * N bytes]. Writes up to max_detections rows:
// indices [max_detections] (box index) and out [max_detections, 6] float
// (x1, y1, x2, y2, score, class), boxes as corners, score dequantized. Returns the count.
int32_t mn_nms(const void *boxes, const void *scores, const int32_t *params, void *scratch,
    int32_t *indices, float *out);

#endif // MICRONN_H
