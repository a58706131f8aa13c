"""16x8 layers: CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, TRANSPOSE_CONV and BATCH_MATMUL with
int16 activations (symmetric: zero point 0) and int8 weights, as TFLite Micro's 16x8 reference
kernels compute them.

Area INT16 (micronn_config.h MICRONN_OP_INT16), opcodes 400-429 (the 16x8 convolutions and
matmuls; the area's other ops have 430-599). Part of the op spec: table.py adds LAYOUTS and
OPS to its own (see table.py and docs/adding_an_op.md for the vocabulary).

Accumulators: TFLM sums these layers in int64 and requantizes with the int64
MultiplyByQuantizedMultiplier (the multiplier rounded to 16 bits, one rounding), except
CONV_2D and FULLY_CONNECTED with an int32 bias (or none, with quantized_bias_type int32): those
sum in int32 and use the int32 MultiplyByQuantizedMultiplier (double rounding). The params
field acc64 says which; a bias is always stored as int64 (the converter widens an int32 or
int16 one), so one kernel serves both.
"""

from .spec import (  # noqa: F401
    BIG,
    DIM_MAX,
    I32_MAX,
    Field,
    Layout,
    Op,
    Operand,
    fields,
    params_input,
)

F = Field
T = Operand
P = params_input

_ACT16 = [F("act_min", -32768, 32767, "fused activation range, min <= max"), F("act_max", -32768, 32767)]
_ACC64 = F("acc64", 0, 1, "1: int64 sums, int64 requantization (16-bit multiplier); 0: int32 "
           "sums (wrapping) and the int32 one (an int32 bias)")

CONV16 = Layout("CONV16", "CONV16", [
    F("n", 1, DIM_MAX, "batches"),
    F("in_h", 1, DIM_MAX, "input height, width, channels"), F("in_w", 1, DIM_MAX), F("in_c", 1, DIM_MAX),
    F("out_h", 1, DIM_MAX, "output height, width, channels"), F("out_w", 1, DIM_MAX), F("out_c", 1, DIM_MAX),
    F("k_h", 1, DIM_MAX, "kernel height, width"), F("k_w", 1, DIM_MAX),
    F("stride_h", 1, 255), F("stride_w", 1, 255),
    F("dil_h", 1, 255, "dilation"), F("dil_w", 1, 255),
    F("pad_top", 0, DIM_MAX, "padding before row/column 0"), F("pad_left", 0, DIM_MAX)] + _ACT16 + [_ACC64],
    area="INT16", act=("act_min", "act_max"), doc="CONV_2D 16x8")

DWCONV16 = Layout("DWCONV16", "CONV16", [
    F("depth_multiplier", 1, DIM_MAX, "out_c = in_c * depth_multiplier", c="DEPTH_MULT")],
    area="INT16", base=CONV16, act=("act_min", "act_max"), nparams="MN_DWCONV16_NPARAMS",
    doc="DEPTHWISE_CONV_2D 16x8: those of CONV_2D and one more")

FC16 = Layout("FC16", "FC16", [
    F("batches", 1, BIG, "rows of the input and output"), F("in_features", 1, BIG),
    F("out_features", 1, BIG)] + _ACT16 + [_ACC64],
    area="INT16", act=("act_min", "act_max"), doc="FULLY_CONNECTED 16x8")

# TRANSPOSE_CONV 16x8: every input pixel scatters x * w into the int64 sums of the output
# positions its filter window covers (TFLM's reference order); padding from the output size.
TCONV16 = Layout("TCONV16", "TCONV16", [
    F("n", 1, DIM_MAX, "batches"),
    F("in_h", 1, DIM_MAX, "input height, width, channels"), F("in_w", 1, DIM_MAX), F("in_c", 1, DIM_MAX),
    F("out_h", 1, DIM_MAX, "output height, width, channels"), F("out_w", 1, DIM_MAX), F("out_c", 1, DIM_MAX),
    F("k_h", 1, DIM_MAX, "filter height, width"), F("k_w", 1, DIM_MAX),
    F("stride_h", 1, 255), F("stride_w", 1, 255),
    F("pad_top", 0, DIM_MAX, "output row/column of filter tap 0 of input pixel 0 is -pad"),
    F("pad_left", 0, DIM_MAX)] + _ACT16,
    area="INT16", act=("act_min", "act_max"), doc="TRANSPOSE_CONV 16x8")

# BATCH_MATMUL int16 x int16 (TFLM: int64 sums, zero points 0), addressed as the int8 one is
# (ops_conv.py BMM): batch dims d0..d2, rows d3 = M, columns d4 = N, depth d5 = K, element strides.
BMM16 = Layout("BMM16", "BMM16", fields("d", 6, 1, BIG, "dims: d0..d2 batch, d3 rows M, d4 columns N, d5 depth K")
    + fields("lhs_s", 6, 0, BIG, "lhs element strides of d0..d5 (0 on d4 and broadcast dims)")
    + fields("rhs_s", 6, 0, BIG, "rhs element strides of d0..d5 (0 on d3 and broadcast dims)")
    + fields("out_s", 6, 0, BIG, "output element strides of d0..d5 (0 on d5)")
    + [F("multiplier", 0, I32_MAX, "lhs_scale * rhs_scale / output_scale as Q31 and shift"),
       F("shift", -31, 7, "TFLM's int64 requantization takes shifts up to 7")],
    area="INT16", doc="BATCH_MATMUL int16 (rank <= 5, broadcast batch dims)")

LAYOUTS = [CONV16, DWCONV16, FC16, TCONV16, BMM16]

_IN = ("n", "in_h", "in_w", "in_c")
_OUT = ("n", "out_h", "out_w", "out_c")
_RQ = [T("multiplier", "int32", count=("out_c",), const=True), T("shift", "int32", count=("out_c",), const=True)]
_RQ_FC = [T("multiplier", "int32", count=("out_features",), const=True),
          T("shift", "int32", count=("out_features",), const=True)]
_BMM_SPANS = (("d", "lhs_s"), ("d", "rhs_s"), ("d", "out_s"))
_RQ_DOC = ("rq: acc64 ? TFLM's int64 MultiplyByQuantizedMultiplier : the int32 one (on the sum wrapped to int32)")

OPS = [
    Op(400, "CONV_2D", "conv2d_s16", "INT16",
       [T("input", "int16", count=_IN), T("weights", "int8", count=("out_c", "k_h", "k_w", "in_c")),
        T("bias", "int64", count=("out_c",), optional=True, const=True), P(CONV16)] + _RQ,
       [T("output", "int16", count=_OUT)], tflite=[("CONV_2D", "int16")], ident="CONV_2D_S16",
       binding="spec", ref=True,
       doc="output = clamp(rq(sum over taps inside the input of input * weights + bias, multiplier[c], shift[c]))\n"
           + _RQ_DOC),
    Op(401, "DEPTHWISE_CONV_2D", "depthwise_conv2d_s16", "INT16",
       [T("input", "int16", count=_IN), T("weights", "int8", count=("k_h", "k_w", "out_c")),
        T("bias", "int64", count=("out_c",), optional=True, const=True), P(DWCONV16)] + _RQ,
       [T("output", "int16", count=_OUT)], tflite=[("DEPTHWISE_CONV_2D", "int16")],
       ident="DEPTHWISE_CONV_2D_S16", binding="spec",
       doc="output[.., c] = clamp(rq(sum over taps of input[.., c / depth_multiplier] * weights[.., c] + bias[c]))\n"
           + _RQ_DOC),
    Op(402, "FULLY_CONNECTED", "fully_connected_s16", "INT16",
       [T("input", "int16", count=("batches", "in_features")),
        T("weights", "int8", count=("out_features", "in_features")),
        T("bias", "int64", count=("out_features",), optional=True, const=True), P(FC16)] + _RQ_FC,
       [T("output", "int16", count=("batches", "out_features"))], tflite=[("FULLY_CONNECTED", "int16")],
       ident="FULLY_CONNECTED_S16", binding="spec", ref=True,
       doc="output[b, o] = clamp(rq(sum_i input[b, i] * weights[o, i] + bias[o], multiplier[o], shift[o]))\n"
           + _RQ_DOC),
    Op(403, "TRANSPOSE_CONV", "transpose_conv_s16", "INT16",
       [T("input", "int16", count=_IN), T("weights", "int8", count=("out_c", "k_h", "k_w", "in_c")),
        T("bias", "int64", count=("out_c",), optional=True, const=True), P(TCONV16)] + _RQ
       + [T("scratch", "int64", count=("out_h", "out_w", "out_c"), writable=True)],
       [T("output", "int16", count=_OUT)], scratch=True, tflite=[("TRANSPOSE_CONV", "int16")],
       ident="TRANSPOSE_CONV_S16", binding="spec",
       doc="scratch = sum over input pixels of input * weights at each covered output (int64, one batch\n"
           "at a time), output = clamp(rq64(scratch + bias, multiplier[c], shift[c]))"),
    Op(404, "BATCH_MATMUL", "batch_matmul_s16", "INT16",
       [T("lhs", "int16", span=_BMM_SPANS[0]), T("rhs", "int16", span=_BMM_SPANS[1]), P(BMM16)],
       [T("output", "int16", span=_BMM_SPANS[2])], tflite=[("BATCH_MATMUL", "int16")],
       ident="BATCH_MATMUL_S16", binding="spec",
       doc="output = clamp(rq64(sum_k lhs * rhs (int64), multiplier, shift), -32768, 32767)"),
]
