"""Every micronn op, declared once: opcode, name, kernel, area, operands, params layout.

`host_tools.ops.gen` writes the C params enums and range tables and the device package's op
tables from this file; `tests/host/test_opspec.py` checks that every op here has its C kernel,
binding, numpy reference, converter rule and tests. docs/adding_an_op.md walks through a new op.

Opcode ranges by area, so work on different areas never collides: 1-19 Tier 1, 20-39
activations, 40-69 signal (audio front end), 70-79 detection post-process, 80-119
elementwise (CAST, CONCATENATION, STRIDED_SLICE, int32 arithmetic, MUL), 120-159 stateful/sequence
ops, 160-219 shape and data movement (ops_shape.py 160-189, ops_index.py 190-219), 220-299 math: elementwise, comparisons
(ops_math.py 220-269, ops_unary.py 270-299), 300-399 other NN layers (ops_nn.py 300-319 and 380-399; ops_conv.py 320-339; ops_f32.py 340-379), 400-599 int16
(16x8) activations (ops_conv16.py 400-429: the convolutions and matmuls). CUSTOM (0x7FFF) is a Python op
by name.
"""

from . import (
    ops_act16,
    ops_conv,
    ops_conv16,
    ops_elem16,
    ops_f32,
    ops_index,
    ops_int4,
    ops_lstm,
    ops_math,
    ops_nn,
    ops_q16,
    ops_red16,
    ops_shape,
    ops_svdf,
    ops_unary,
)
from .spec import (
    BIG,
    COUNT_MAX,
    DIM_MAX,
    I32_MAX,
    I32_MIN,
    Field,
    Layout,
    Op,
    Operand,
    Rule,
    broadcast_fields,
    fields,
    params_input,
)

# (first opcode, area): the areas of firmware/_micronn/micronn_config.h (MICRONN_OP_<AREA>).
AREAS = ((20, "ACTIVATIONS"), (40, "SIGNAL"), (70, "DETECTION"), (80, "ELEMENTWISE"), (120, "RECURRENT"),
         (160, "SHAPE"), (220, "MATH"), (300, "NN"), (400, "INT16"), (600, "INT4"), (640, None))
CUSTOM = 0x7FFF

F = Field
_IN_OFF = ("input_offset", -127, 128, "-input_zero_point")
_OUT_OFF = ("output_offset", -128, 127, "+output_zero_point")
_ACT8 = [F("act_min", -128, 127, "fused activation range, min <= max"), F("act_max", -128, 127)]


# ------------------------------------------------------------------ params layouts
FC = Layout("FC", "FC", [
    F("in_features", 1, BIG), F("out_features", 1, BIG), F(*_IN_OFF), F(*_OUT_OFF)] + _ACT8,
    area=None, act=("act_min", "act_max"),
    doc="FULLY_CONNECTED (the binding takes these as scalar arguments; model.py unpacks them)")

CONV = Layout("CONV", "CONV", [
    F("n", 1, DIM_MAX, "batches"),
    F("in_h", 1, DIM_MAX, "input height, width, channels"), F("in_w", 1, DIM_MAX), F("in_c", 1, DIM_MAX),
    F("out_h", 1, DIM_MAX, "output height, width, channels"), F("out_w", 1, DIM_MAX), F("out_c", 1, DIM_MAX),
    F("k_h", 1, DIM_MAX, "kernel height, width"), F("k_w", 1, DIM_MAX),
    F("stride_h", 1, 255), F("stride_w", 1, 255),
    F("dil_h", 1, 255, "dilation"), F("dil_w", 1, 255),
    F("pad_top", 0, DIM_MAX, "padding before row/column 0"), F("pad_left", 0, DIM_MAX),
    F(*_IN_OFF), F(*_OUT_OFF)] + _ACT8,
    area=None, act=("act_min", "act_max"), doc="CONV_2D")

DWCONV = Layout("DWCONV", "CONV", [
    F("depth_multiplier", 1, DIM_MAX, "out_c = in_c * depth_multiplier", c="DEPTH_MULT")],
    area=None, base=CONV, act=("act_min", "act_max"), nparams="MN_DWCONV_NPARAMS",
    doc="DEPTHWISE_CONV_2D: those of CONV_2D and one more")

POOL = Layout("POOL", "POOL", [
    F("n", 1, DIM_MAX, "batches"),
    F("in_h", 1, DIM_MAX, "input height, width"), F("in_w", 1, DIM_MAX), F("c", 1, DIM_MAX, "channels"),
    F("out_h", 1, DIM_MAX, "output height, width"), F("out_w", 1, DIM_MAX),
    F("k_h", 1, DIM_MAX, "window height, width"), F("k_w", 1, DIM_MAX),
    F("stride_h", 1, 255), F("stride_w", 1, 255),
    F("pad_top", 0, DIM_MAX, "[0, k - 1]; every window must overlap the input"), F("pad_left", 0, DIM_MAX),
    ] + _ACT8, area=None, act=("act_min", "act_max"), doc="AVERAGE_POOL_2D and MAX_POOL_2D")


ADD = Layout("ADD", "ADD", broadcast_fields("in1_s", "in2_s", "IN1_S", "IN2_S") + [
    F("input1_offset", -127, 128, "-input1_zero_point", c="IN1_OFFSET"),
    F("input2_offset", -127, 128, "-input2_zero_point", c="IN2_OFFSET"),
    F(*_OUT_OFF),
    F("left_shift", 0, 20, "20 for int8"),
    F("input1_multiplier", 0, I32_MAX, "Q31 multipliers and shifts (right shifts as <= 0)", c="IN1_MULT"),
    F("input1_shift", -31, 0, c="IN1_SHIFT"),
    F("input2_multiplier", 0, I32_MAX, c="IN2_MULT"), F("input2_shift", -31, 0, c="IN2_SHIFT"),
    F("output_multiplier", 0, I32_MAX, c="OUT_MULT"), F("output_shift", -31, 0, c="OUT_SHIFT"),
    ] + _ACT8, area=None, act=("act_min", "act_max"), doc="ADD int8 (TFLite Micro's, 4-D broadcasting)")

SOFTMAX = Layout("SOFTMAX", "SOFTMAX", [
    F("rows", 1, BIG), F("depth", 1, BIG, "softmax over the last axis"),
    F("input_multiplier", 0, I32_MAX, "beta * input_scale as Q31", c="INPUT_MULT"),
    F("input_left_shift", 0, 31),
    F("diff_min", -I32_MAX, 0, "x - max(row) < diff_min -> 0"),
    ], area=None, doc="SOFTMAX int8 -> int8 (scale 1/256, zero point -128)")

REQUANT = Layout("REQUANT", "REQUANT", [
    F("input_zero_point", -128, 127, c="INPUT_ZP"), F("output_zero_point", -128, 127, c="OUTPUT_ZP"),
    F("multiplier", 0, I32_MAX, "Q31", c="MULT"), F("shift", -31, 30),
    ], area=None, doc="QUANTIZE int8 -> int8 (rescale)")

QUANT = Layout("QUANT", "QUANT", [
    F("scale", I32_MIN, I32_MAX, "float32 bits: a positive finite scale"),
    F("zero_point", -128, 127, c="ZP"),
    ], area=None, load_check=False,  # validate.py checks the float scale and zero point itself
    doc="QUANTIZE float32 -> int8 / DEQUANTIZE int8 -> float32 (the binding takes scalars)")

PRELU = Layout("PRELU", "PRELU", broadcast_fields("in_s", "alpha_s", "IN_S", "ALPHA_S") + [
    F(*_IN_OFF), F("alpha_offset", -127, 128, "-alpha_zero_point"), F(*_OUT_OFF),
    F("multiplier_pos", 0, I32_MAX, "input_scale / output_scale (Q31, shift)", c="MULT_POS"),
    F("shift_pos", -31, 30, c="SHIFT_POS"),
    F("multiplier_neg", 0, I32_MAX, "input_scale * alpha_scale / output_scale", c="MULT_NEG"),
    F("shift_neg", -31, 30, c="SHIFT_NEG"),
    ], area="ACTIVATIONS", doc="PRELU int8 (4-D broadcasting as ADD)")

WINDOW = Layout("WINDOW", "WINDOW", [F("shift", 0, 31)], area="SIGNAL", doc="SignalWindow")
RFFT = Layout("RFFT", "RFFT", [
    F("fft_length", 4, 32768, "a power of two"), F("input_length", 1, 32768, "<= fft_length")],
    area="SIGNAL", doc="SignalRfft (int16)")
ENERGY = Layout("ENERGY", "ENERGY", [
    F("start_index", 0, BIG, "0 <= start <= end <= bins", c="START"), F("end_index", 0, BIG, c="END")],
    area="SIGNAL", doc="SignalEnergy")
FBANK = Layout("FBANK", "FBANK", [F("num_channels", 1, DIM_MAX)], area="SIGNAL", doc="SignalFilterBank")
SPECSUB = Layout("SPECSUB", "SPECSUB", [
    F("num_channels", 1, DIM_MAX),
    F("smoothing", 0, I32_MAX, "even channels"), F("one_minus_smoothing", 0, I32_MAX),
    F("alternate_smoothing", 0, I32_MAX, "odd channels", c="ALT_SMOOTHING"),
    F("alternate_one_minus_smoothing", 0, I32_MAX, c="ALT_ONE_MINUS_SMOOTHING"),
    F("smoothing_bits", 0, 31), F("spectral_subtraction_bits", 0, 63),
    F("min_signal_remaining", 0, I32_MAX), F("clamping", 0, 1),
    ], area="SIGNAL", doc="SignalFilterBankSpectralSubtraction")
PCAN = Layout("PCAN", "PCAN", [F("snr_shift", 0, 63)], area="SIGNAL", doc="SignalPCAN")
FBLOG = Layout("FBLOG", "FBLOG", [
    F("input_correction_bits", 0, 31, c="CORRECTION_BITS"), F("output_scale", 0, I32_MAX)],
    area="SIGNAL", doc="SignalFilterBankLog")

_DET_BIG, _DET_SMALL = 1 << 20, 65535
_BITS = (I32_MIN, I32_MAX)
DET = Layout("DET", "DET", [
    F("num_boxes", 1, _DET_BIG, "N anchors"),
    F("num_classes", 1, _DET_SMALL, "C classes (without background)"),
    F("label_offset", 0, 1, "1: class predictions carry a background column first"),
    F("box_stride", 4, _DET_SMALL, "elements per box encoding (y, x, h, w, ...)"),
    F("box_type", 0, 2, "MN_DET_F32 / S8 / U8"),
    F("box_zero_point", -128, 255, "quantized boxes: zero point, scale (float32 bits)", c="BOX_ZP"),
    F("box_scale", *_BITS),
    F("score_type", 0, 2, "MN_DET_F32 / S8 / U8"),
    F("score_zero_point", -128, 255, c="SCORE_ZP"), F("score_scale", *_BITS),
    F("score_threshold", *_BITS, "score key threshold: scores with key >= it are candidates"),
    F("iou_threshold", *_BITS, "float32 bits, in (0, 1]"),
    F("max_detections", 0, _DET_SMALL),
    F("max_classes_per_detection", 1, _DET_SMALL, "fast NMS: classes output per box"),
    F("detections_per_class", 1, _DET_SMALL, "regular NMS: kept per class"),
    F("use_regular_nms", 0, 1, "0 fast (class-agnostic), 1 regular (per class)"),
    F("y_scale", *_BITS, "box coder scales (float32 bits)"), F("x_scale", *_BITS),
    F("h_scale", *_BITS), F("w_scale", *_BITS),
    F("max_out", 0, _DET_BIG, "rows of the outputs (>= max_detections * classes per row)"),
    ], area="DETECTION", doc="TFLite_Detection_PostProcess (floats as their float32 bit patterns)")
NMS = Layout("NMS", "NMS", [
    F("num_boxes", 1, _DET_BIG, "N"), F("num_classes", 1, _DET_SMALL, "C (scores [N, C])"),
    F("box_format", 0, 2, "0: x1 y1 x2 y2, 1: cx cy w h, 2: y1 x1 y2 x2"),
    F("box_type", 0, 2, "MN_DET_F32 / S8 / U8"), F("box_zero_point", -128, 255, c="BOX_ZP"),
    F("box_scale", *_BITS, "float32 bits"),
    F("score_type", 0, 2, "MN_DET_F32 / S8 / U8"), F("score_zero_point", -128, 255, c="SCORE_ZP"),
    F("score_scale", *_BITS, "float32 bits"), F("score_threshold", *_BITS, "float32 bits"),
    F("iou_threshold", *_BITS, "float32 bits"),
    F("max_detections", 1, _DET_SMALL), F("agnostic", 0, 1),
    ], area="DETECTION", doc="nms_boxes (micronn.nms; not a graph op)")

CAST = Layout("CAST", "CAST", [
    F("input_dtype", 0, 7, "micronn dtype codes (0 int8, 1 uint8, 2 int16, 3 int32, 4 float32, 5 uint32, "
      "7 bool: an input only)", c="IN_DTYPE"),
    F("output_dtype", 0, 5, c="OUT_DTYPE")], area="ELEMENTWISE",
    doc="CAST (integers wrap; float32 -> integer truncates and saturates, NaN -> 0)")
CONCAT = Layout("CONCAT", "CONCAT", [
    F("element_size", 1, 8, "1, 2, 4 or 8", c="ELEM"), F("outer", 1, COUNT_MAX, "rows"),
    F("n_inputs", 1, 32, "MN_CONCAT_MAX_INPUTS at most", c="N")],
    area="ELEMENTWISE", variadic=F("size", 0, COUNT_MAX, "each input's row size (elements)", c="SIZE0"),
    doc="CONCATENATION: output row r = input0 row r, input1 row r, ...")
SLICE = Layout("SLICE", "SLICE", [
    F("element_size", 1, 8, "1, 2, 4 or 8", c="ELEM"), F("start", 0, COUNT_MAX)]
    + fields("d", 5, 1, COUNT_MAX, "output dims d0..d4")
    + fields("s", 5, -COUNT_MAX, COUNT_MAX, "input steps s0..s4"),
    area="ELEMENTWISE", doc="STRIDED_SLICE: output[i0..i4] = input[start + i0 * s0 + ... + i4 * s4]")
BIN = Layout("BIN", "BIN", [
    F("op", 0, 5, "0 ADD, 1 SUB, 2 MUL (wrapping), 3 DIV (toward zero; x / 0 = 0), 4 MINIMUM, 5 MAXIMUM")]
    + broadcast_fields("in1_s", "in2_s", "IN1_S", "IN2_S")
    + [F("act_min", I32_MIN, I32_MAX, "fused activation range, min <= max"), F("act_max", I32_MIN, I32_MAX)],
    area="ELEMENTWISE", act=("act_min", "act_max"), doc="int32 binary ops with 4-D broadcasting")

MUL = Layout("MUL", "MUL", broadcast_fields("in1_s", "in2_s", "IN1_S", "IN2_S") + [
    F("input1_offset", -127, 128, "-input1_zero_point"), F("input2_offset", -127, 128, "-input2_zero_point"),
    F(*_OUT_OFF),
    F("multiplier", 0, I32_MAX, "input1_scale * input2_scale / output_scale as Q31 and shift"),
    F("shift", -31, 30),
    ] + _ACT8, area="ELEMENTWISE", act=("act_min", "act_max"), doc="MUL int8 (4-D broadcasting)")

RESCALE = Layout("RESCALE", "RESCALE", [
    F("input_zero_point", I32_MIN, I32_MAX, c="INPUT_ZP"), F("output_zero_point", I32_MIN, I32_MAX, c="OUTPUT_ZP"),
    F("multiplier", 0, I32_MAX, "input_scale / output_scale as Q31 and shift", c="MULT"), F("shift", -31, 30),
    ], area="ELEMENTWISE", doc="QUANTIZE between int8, uint8 and int32 (int32 arithmetic wraps)")
DEQUANT = Layout("DEQUANT", "DEQUANT", [
    F("scale", I32_MIN, I32_MAX, "float32 bits of the input scale"), F("zero_point", 0, 255, c="ZP"),
    ], area="ELEMENTWISE", doc="DEQUANTIZE uint8 -> float32")

LAYOUTS = (FC, CONV, DWCONV, POOL, ADD, SOFTMAX, REQUANT, QUANT, PRELU, WINDOW, RFFT, ENERGY,
           FBANK, SPECSUB, PCAN, FBLOG, DET, NMS, CAST, CONCAT, SLICE, BIN, MUL, RESCALE, DEQUANT)


# ------------------------------------------------------------------ ops
T = Operand  # a tensor argument
P = params_input

_RQ = [T("multiplier", "int32", const=True), T("shift", "int32", const=True)]


def _conv(opcode, name, kernel, layout):
    ins = [T("input", "int8", count=("n", "in_h", "in_w", "in_c")), T("weights", "int8"),
           T("bias", "int32", optional=True, const=True), P(layout)] + _RQ + [T("scratch", optional=True)]
    outs = [T("output", "int8", count=("n", "out_h", "out_w", "out_c"))]
    return Op(opcode, name, kernel, None, ins, outs, scratch=True, tflite=[(name, "int8")])


_POOL_IO = ([T("input", "int8", count=("n", "in_h", "in_w", "c")), P(POOL)],
            [T("output", "int8", count=("n", "out_h", "out_w", "c"))])
_SOFTMAX_IO = ([T("input", "int8", count=("rows", "depth")), P(SOFTMAX)],
               [T("output", "int8", count=("rows", "depth"))])
_UNARY_I8 = ([T("input", "int8"), P(REQUANT)], [T("output", "int8")])
_LUT_IO = ([T("input", "int8"), T("table", "int8", const=True)], [T("output", "int8")])
_D4 = ("d0", "d1", "d2", "d3")
_BIN_I32 = ([T("input1", "int32", span=("d", "in1_s")), T("input2", "int32", span=("d", "in2_s")), P(BIN)],
            [T("output", "int32", count=_D4)])


def _lut(opcode, name):
    return Op(opcode, name, "lut_s8", "ACTIVATIONS", *_LUT_IO, out_pos=1, in_place=True, tflite=[(name, "int8")])


def _binary_s32(opcode, name):
    return Op(opcode, name, "binary_s32", "ELEMENTWISE", *_BIN_I32, tflite=[(name, "int32")],
              ident=name + "_S32", binding="spec",
              doc="output = clamp(op(input1, input2), act_min, act_max), op as params.op (int32 wraps)")


def _rescale(opcode, src, dst, ident):
    return Op(opcode, "QUANTIZE", "requantize_%s" % ident.lower()[11:], "ELEMENTWISE",
              [T("input", src), P(RESCALE)], [T("output", dst)], tflite=[("QUANTIZE", src)], ident=ident,
              binding="spec", doc="QUANTIZE %s -> %s: output = clamp(rq(input - input_zero_point, multiplier, "
              "shift) + output_zero_point) (TFLite Micro's Requantize)" % (src, dst))


def _signal(opcode, name, ident, kernel, inputs, outputs, out_pos):
    return Op(opcode, name, kernel, "SIGNAL", inputs, outputs, out_pos=out_pos, custom=name, ident=ident)


OPS = [
    # Tier 1
    Op(1, "FULLY_CONNECTED", "fully_connected_s8", None,
       [T("input", "int8"), T("weights", "int8"), T("bias", "int32", optional=True, const=True), P(FC)] + _RQ,
       [T("output", "int8")], out_pos=3, tflite=[("FULLY_CONNECTED", "int8")]),
    _conv(2, "CONV_2D", "conv2d_s8", CONV),
    _conv(3, "DEPTHWISE_CONV_2D", "depthwise_conv2d_s8", DWCONV),
    Op(4, "AVERAGE_POOL_2D", "avg_pool2d_s8", None, *_POOL_IO, tflite=[("AVERAGE_POOL_2D", "int8")]),
    Op(5, "MAX_POOL_2D", "max_pool2d_s8", None, *_POOL_IO, tflite=[("MAX_POOL_2D", "int8")]),
    Op(6, "ADD", "add_s8", None, [T("input1", "int8"), T("input2", "int8"), P(ADD)],
       [T("output", "int8", count=("d0", "d1", "d2", "d3"))], in_place=True,
       tflite=[("ADD", "int8")]),
    Op(7, "SOFTMAX", "softmax_s8", None, *_SOFTMAX_IO, tflite=[("SOFTMAX", "int8")]),
    Op(8, "QUANTIZE", "requantize_s8", None, *_UNARY_I8, in_place=True,
       tflite=[("QUANTIZE", "int8")], ident="REQUANTIZE", doc="QUANTIZE int8 -> int8"),
    Op(9, "QUANTIZE", "quantize_f32_s8", None, [T("input", "float32"), P(QUANT)], [T("output", "int8")], tflite=[("QUANTIZE", "float32")], doc="QUANTIZE float32 -> int8 (graph edge)"),
    Op(10, "DEQUANTIZE", "dequantize_s8_f32", None, [T("input", "int8"), P(QUANT)], [T("output", "float32")], tflite=[("DEQUANTIZE", "int8")], doc="DEQUANTIZE int8 -> float32 (graph edge)"),
    # Activations (20-39): every int8 single-input activation is a 256-entry table (lut_s8).
    _lut(20, "LOGISTIC"), _lut(21, "TANH"), _lut(22, "HARD_SWISH"), _lut(23, "LEAKY_RELU"),
    _lut(24, "RELU"), _lut(25, "RELU6"), _lut(26, "ELU"), _lut(27, "GELU"),
    Op(28, "PRELU", "prelu_s8", "ACTIVATIONS",
       [T("input", "int8", span=("d", "in_s")), T("alpha", "int8", span=("d", "alpha_s")), P(PRELU)],
       [T("output", "int8", count=_D4)], tflite=[("PRELU", "int8")], binding="spec",
       doc="""v = input + input_offset
output = clamp((v >= 0 ? rq(v, mult_pos, shift_pos)
                       : rq(v * (alpha + alpha_offset), mult_neg, shift_neg)) + output_offset)"""),
    # Signal (40-69): the audio front end of TFLite Micro's signal library (Signal* custom ops).
    _signal(40, "SignalWindow", "SIGNAL_WINDOW", "signal_window_s16",
            [T("input", "int16"), T("weights", "int16"), P(WINDOW)], [T("output", "int16")], 2),
    _signal(41, "SignalFftAutoScale", "SIGNAL_FFT_AUTO_SCALE", "signal_fft_auto_scale_s16", [T("input", "int16")],
            [T("output", "int16"), T("scale_bits", "int32")], 1),
    _signal(42, "SignalRfft", "SIGNAL_RFFT", "signal_rfft_s16",
            [T("input", "int16"), T("twiddles", "int16"), T("scratch", "int16"), P(RFFT)],
            [T("output", "int16")], 3),
    _signal(43, "SignalEnergy", "SIGNAL_ENERGY", "signal_energy_s16", [T("input", "int16"), P(ENERGY)],
            [T("output", "uint32")], 1),
    _signal(44, "SignalFilterBank", "SIGNAL_FILTER_BANK", "signal_filter_bank",
            [T("input", "uint32"), T("weights", "int16"), T("unweights", "int16"),
             T("channel_frequency_starts", "int16"), T("channel_weight_starts", "int16"),
             T("channel_widths", "int16"), P(FBANK)], [T("output", "uint64")], 6),
    _signal(45, "SignalFilterBankSquareRoot", "SIGNAL_FILTER_BANK_SQRT", "signal_filter_bank_sqrt",
            [T("input", "uint64"), T("scale_bits", "int32")], [T("output", "uint32")], 2),
    _signal(46, "SignalFilterBankSpectralSubtraction", "SIGNAL_SPECTRAL_SUBTRACTION", "signal_spectral_subtraction",
            [T("input", "uint32"), T("state", "uint32"), P(SPECSUB)],
            [T("output", "uint32"), T("noise_estimate", "uint32")], 1),
    _signal(47, "SignalPCAN", "SIGNAL_PCAN", "signal_pcan",
            [T("input", "uint32"), T("noise_estimate", "uint32"), T("gain_lut", "int16"), P(PCAN)],
            [T("output", "uint32")], 3),
    _signal(48, "SignalFilterBankLog", "SIGNAL_FILTER_BANK_LOG", "signal_filter_bank_log", [T("input", "uint32"), P(FBLOG)],
            [T("output", "int16")], 1),
    # Detection post-process (70-79).
    Op(70, "TFLite_Detection_PostProcess", "detection_postprocess", "DETECTION",
       [T("box_encodings"), T("class_predictions"), T("anchors", "float32"), P(DET), T("scratch")],
       [T("boxes", "float32"), T("classes", "float32"), T("scores", "float32"),
        T("num_detections", "float32")], out_pos=5, custom="TFLite_Detection_PostProcess",
       ident="DETECTION_POSTPROCESS"),
    # Elementwise/shape (80-119).
    Op(80, "CAST", "cast", "ELEMENTWISE", [T("input"), P(CAST)], [T("output")],
       tflite=[("CAST", t) for t in ("int8", "uint8", "int16", "int32", "uint32", "float32", "bool")]),
    Op(81, "CONCATENATION", "concatenation", "ELEMENTWISE", [P(CONCAT), T("input0")], [T("output")],
       out_pos=1, tflite=[("CONCATENATION", None)], doc="variadic: kernel(params, output, input0, ...)"),
    Op(82, "STRIDED_SLICE", "strided_slice", "ELEMENTWISE", [T("input"), P(SLICE)], [T("output")], tflite=[("STRIDED_SLICE", None)]),
    _binary_s32(83, "ADD"), _binary_s32(84, "SUB"), _binary_s32(85, "MUL"), _binary_s32(86, "DIV"),
    _binary_s32(87, "MINIMUM"), _binary_s32(88, "MAXIMUM"),
    Op(89, "MUL", "mul_s8", "ELEMENTWISE",
       [T("input1", "int8", span=("d", "in1_s")), T("input2", "int8", span=("d", "in2_s")), P(MUL)],
       [T("output", "int8", count=_D4)], tflite=[("MUL", "int8")], binding="spec", ref=True,
       rule=Rule("broadcast", rescale={("multiplier", "shift"): (("input1", "input2"), ("output",))}),
       doc="output = clamp(rq((input1 + input1_offset) * (input2 + input2_offset), multiplier, shift)\n"
           "                + output_offset, act_min, act_max)"),
    _rescale(90, "int8", "uint8", "REQUANTIZE_S8_U8"), _rescale(91, "uint8", "int8", "REQUANTIZE_U8_S8"),
    _rescale(92, "int8", "int32", "REQUANTIZE_S8_S32"), _rescale(93, "int32", "int8", "REQUANTIZE_S32_S8"),
    Op(94, "DEQUANTIZE", "dequantize_u8_f32", "ELEMENTWISE", [T("input", "uint8"), P(DEQUANT)],
       [T("output", "float32")], tflite=[("DEQUANTIZE", "uint8")], ident="DEQUANTIZE_U8", binding="spec",
       doc="output = scale * (input - zero_point), rounded once to float32"),
]

# The ops and layouts of the newer areas, each in its own module.
for _m in (ops_shape, ops_index, ops_math, ops_unary, ops_nn, ops_conv, ops_f32, ops_red16, ops_conv16,
           ops_act16, ops_svdf, ops_q16, ops_lstm, ops_elem16, ops_int4):
    LAYOUTS += tuple(_m.LAYOUTS)
    OPS += _m.OPS

BY_OPCODE = {op.opcode: op for op in OPS}
if len(BY_OPCODE) != len(OPS):
    raise ValueError("duplicate opcodes in the op table")
LAYOUT_OF = {lay.name: lay for lay in LAYOUTS}
