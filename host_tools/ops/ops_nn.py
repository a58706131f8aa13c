"""Other NN layers: reductions, ARG_MAX, CUMSUM, L2_NORMALIZATION, L2_POOL_2D, LOG_SOFTMAX, ...

Area NN (micronn_config.h MICRONN_OP_NN), opcodes 300-319 and 380-399 (ops_conv.py has 320-339, ops_f32.py 340-379). Part of the op spec: table.py adds
LAYOUTS and OPS to its own (see table.py and docs/adding_an_op.md for the vocabulary).
"""

from .spec import (  # noqa: F401
    BIG,
    I32_MAX,
    Field,
    Layout,
    Op,
    Operand,
    Rule,
    act8,
    broadcast_fields,
    fields,
    offset_field,
    params_input,
)

F = Field
T = Operand
P = params_input

# A reduction over any axis set, folded by the converter: the kept dims d0..d3 (the output, in
# order) and the reduced dims d4..d7, each with its input element stride; every output element
# reduces its input elements in increasing input order (TFLite Micro's order).
REDUCE = Layout("REDUCE", "REDUCE", [
    F("op", 0, 3, "reduce_s8: 0 sum + requantize (MEAN, SUM), 1 max, 2 min; reduce_f32: 0 sum, "
      "1 mean, 2 max, 3 min; reduce_bool: 0 all")]
    + fields("d", 8, 1, BIG, "dims: d0..d3 kept (output), d4..d7 reduced")
    + fields("s", 8, 0, BIG, "input element strides of d0..d7")
    + [F("input_offset", -127, 128, "-input_zero_point (reduce_s8 op 0; else 0)"),
       F("output_offset", -128, 127, "+output_zero_point (reduce_s8 op 0; else 0)"),
       F("multiplier", 0, I32_MAX, "reduce_s8 op 0: input/output scale (MEAN: over the count, "
         "as TFLite Micro folds it) as Q31 and shift"),
       F("shift", -31, 30)],
    area="NN", doc="MEAN, SUM, REDUCE_MAX, REDUCE_MIN, REDUCE_ALL over a folded axis set")

# ARG_MAX / ARG_MIN over one axis: input [outer, axis, inner] -> int32 output [outer, inner].
ARG = Layout("ARG", "ARG", [
    F("op", 0, 1, "0 ARG_MAX (first index of the greatest), 1 ARG_MIN (of the least)"),
    F("outer", 1, BIG, "product of the dims before the axis"), F("axis", 1, BIG, "the axis' size"),
    F("inner", 1, BIG, "product of the dims after the axis")],
    area="NN", doc="ARG_MAX, ARG_MIN (int32 output)")

# CUMSUM over one axis: input and output [before, depth, after].
CUMSUM = Layout("CUMSUM", "CUMSUM", [
    F("before", 1, BIG, "product of the dims before the axis"), F("depth", 1, BIG, "the axis' size"),
    F("after", 1, BIG, "product of the dims after the axis"),
    F("exclusive", 0, 1, "1: each output leaves its own input out"),
    F("reverse", 0, 1, "1: sum from the end of the axis"),
    F("input_offset", -128, 128, "int8: -input_zero_point (else 0)"),
    F("output_offset", -128, 127, "int8: +output_zero_point (else 0)"),
    F("input_multiplier", 0, I32_MAX, "int8: TFLM's 1/2 as Q31 and shift"), F("input_shift", -31, 0),
    F("output_multiplier", 0, I32_MAX, "int8: 2 input_scale / (2^20 output_scale)"), F("output_shift", -31, 0)],
    area="NN", doc="CUMSUM (int8 with TFLM's ADD-like rescaling, float32)")

_DIM = 32767
L2POOL = Layout("L2POOL", "L2POOL", [
    F("n", 1, _DIM, "batches"),
    F("in_h", 1, _DIM, "input height, width"), F("in_w", 1, _DIM), F("c", 1, _DIM, "channels"),
    F("out_h", 1, _DIM, "output height, width"), F("out_w", 1, _DIM),
    F("k_h", 1, _DIM, "window height, width"), F("k_w", 1, _DIM),
    F("stride_h", 1, 255), F("stride_w", 1, 255),
    F("pad_top", 0, _DIM, "[0, k - 1]; every window must overlap the input"), F("pad_left", 0, _DIM),
    F("act", 0, 3, "fused activation: 0 none, 1 RELU, 2 RELU_N1_TO_1, 3 RELU6")],
    area="NN", doc="L2_POOL_2D float32")

L2NORM = Layout("L2NORM", "L2NORM", [
    F("outer", 1, BIG, "rows: the product of all dims but the last"), F("depth", 1, BIG, "the last dim")],
    area="NN", doc="L2_NORMALIZATION float32 over the last dim")

# L2_NORMALIZATION int8 (TFLite Micro's integer path: output in 1/128 units, whatever the output
# tensor's quantization says).
L2NORMS8 = Layout("L2NORMS8", "L2NORMS8", [
    F("outer", 1, BIG, "rows: the product of all dims but the last"), F("depth", 1, BIG, "the last dim"),
    F("input_offset", -127, 128, "-input_zero_point")],
    area="NN", doc="L2_NORMALIZATION int8 over the last dim")

# LOG_SOFTMAX int8 over the last dim (TFLite Micro's PreprocessLogSoftmaxScalingExp, 5 integer
# bits; output scale 16/256, zero point 127).
LOGSOFTMAX = Layout("LOGSOFTMAX", "LOGSOFTMAX", [
    F("rows", 1, BIG, "the product of all dims but the last"), F("depth", 1, BIG, "the last dim"),
    F("input_multiplier", 0, I32_MAX, "input_scale * 2^26 as Q31 and left shift"),
    F("input_left_shift", 0, 31),
    F("reverse_scaling_divisor", 0, I32_MAX, "2^(31 - left shift) / multiplier as Q31 and shift"),
    F("reverse_scaling_shift", -31, 0),
    F("diff_min", -(1 << 31) + 1, 0, "-CalculateInputRadius(5, input_left_shift)")],
    area="NN", doc="LOG_SOFTMAX int8 over the last dim")

LOGSOFTMAXF = Layout("LOGSOFTMAXF", "LOGSOFTMAXF", [
    F("rows", 1, BIG, "the product of all dims but the last"), F("depth", 1, BIG, "the last dim")],
    area="NN", doc="LOG_SOFTMAX float32 over the last dim")

LAYOUTS = [REDUCE, ARG, CUMSUM, L2POOL, L2NORM, L2NORMS8, LOGSOFTMAX, LOGSOFTMAXF]

_D_OUT = ("d0", "d1", "d2", "d3")


def _reduce(opcode, name, kernel, dtype, ident, doc, ref=False):
    return Op(opcode, name, kernel, "NN", [T("input", dtype, span=("d", "s")), P(REDUCE)],
              [T("output", dtype, count=_D_OUT)], tflite=[(name, dtype)], ident=ident,
              binding="spec", doc=doc, ref=ref)


_S8_SUM = ("output = clamp(rq(sum(input + input_offset), multiplier, shift) + output_offset)")
OPS = [
    _reduce(300, "MEAN", "reduce_s8", "int8", "MEAN_S8", _S8_SUM, ref=True),
    _reduce(301, "SUM", "reduce_s8", "int8", "SUM_S8", _S8_SUM),
    _reduce(302, "REDUCE_MAX", "reduce_s8", "int8", "REDUCE_MAX_S8", "output = max(-128, input...)"),
    _reduce(303, "REDUCE_MIN", "reduce_s8", "int8", "REDUCE_MIN_S8", "output = min(127, input...)"),
    _reduce(304, "MEAN", "reduce_f32", "float32", "MEAN_F32", "output = (0 + input...) / count"),
    _reduce(305, "SUM", "reduce_f32", "float32", "SUM_F32", "output = 0 + input..."),
    _reduce(306, "REDUCE_MAX", "reduce_f32", "float32", "REDUCE_MAX_F32",
            "output = max(-FLT_MAX, input...) (NaN inputs never win)"),
    _reduce(307, "REDUCE_MIN", "reduce_f32", "float32", "REDUCE_MIN_F32",
            "output = min(FLT_MAX, input...) (NaN inputs never win)"),
    _reduce(308, "REDUCE_ALL", "reduce_bool", "bool", "REDUCE_ALL", "output = input && ..."),
]


def _arg(opcode, name, kernel, dtype, ident):
    return Op(opcode, name, kernel, "NN", [T("input", dtype, count=("outer", "axis", "inner")), P(ARG)],
              [T("output", "int32", count=("outer", "inner"))], tflite=[(name, dtype)], ident=ident,
              binding="spec", doc="output = index of the first strict %s along the axis (plain %s: a "
              "NaN never wins, one in front stays)" % (("max", ">") if "MAX" in name else ("min", "<")))


OPS += [
    _arg(309, "ARG_MAX", "arg_s8", "int8", "ARG_MAX_S8"),
    _arg(310, "ARG_MIN", "arg_s8", "int8", "ARG_MIN_S8"),
    _arg(311, "ARG_MAX", "arg_f32", "float32", "ARG_MAX_F32"),
    _arg(312, "ARG_MIN", "arg_f32", "float32", "ARG_MIN_F32"),
]

OPS += [
    Op(313, "CUMSUM", "cumsum_s8", "NN", [T("input", "int8", count=("before", "depth", "after")), P(CUMSUM)],
       [T("output", "int8", count=("before", "depth", "after"))], tflite=[("CUMSUM", "int8")],
       ident="CUMSUM_S8", binding="spec",
       doc="acc = rq(input_offset << 20, input_multiplier, input_shift) (TFLM starts from the offset),\n"
           "acc += rq((input + input_offset) << 20, ...) (int32 wraps), output = clamp(rq(acc, output_*) + output_offset)"),
    Op(314, "CUMSUM", "cumsum_f32", "NN", [T("input", "float32", count=("before", "depth", "after")), P(CUMSUM)],
       [T("output", "float32", count=("before", "depth", "after"))], tflite=[("CUMSUM", "float32")],
       ident="CUMSUM_F32", binding="spec", doc="acc = 0.0f; acc += input along the axis"),
]

OPS += [
    Op(315, "L2_POOL_2D", "l2_pool2d_f32", "NN", [T("input", "float32", count=("n", "in_h", "in_w", "c")), P(L2POOL)],
       [T("output", "float32", count=("n", "out_h", "out_w", "c"))], tflite=[("L2_POOL_2D", "float32")],
       ident="L2_POOL_2D_F32", binding="spec",
       doc="output = act(sqrtf((0.0f + x * x ...) / count)) over each window's part inside the input"),
]

OPS += [
    Op(316, "L2_NORMALIZATION", "l2_norm_f32", "NN", [T("input", "float32", count=("outer", "depth")), P(L2NORM)],
       [T("output", "float32", count=("outer", "depth"))], tflite=[("L2_NORMALIZATION", "float32")],
       ident="L2_NORMALIZATION_F32", binding="spec",
       doc="output = input / max(sqrtf(0.0f + x * x ...), 1e-6f) per row"),
]

OPS += [
    Op(380, "L2_NORMALIZATION", "l2_norm_s8", "NN",
       [T("input", "int8", count=("outer", "depth")), P(L2NORMS8)],
       [T("output", "int8", count=("outer", "depth"))], tflite=[("L2_NORMALIZATION", "int8")],
       ident="L2_NORMALIZATION_S8", binding="spec",
       doc="x = input + input_offset; m, s = 1/sqrt(sum x * x) as GetInvSqrtQuantizedMultiplierExp;\n"
           "output = clamp(rq(x, m, s + 7), -128, 127) per row"),
    Op(381, "LOG_SOFTMAX", "log_softmax_s8", "NN",
       [T("input", "int8", count=("rows", "depth")), P(LOGSOFTMAX)],
       [T("output", "int8", count=("rows", "depth"))], tflite=[("LOG_SOFTMAX", "int8")],
       ident="LOG_SOFTMAX_S8", binding="spec",
       doc="TFLite Micro's LogSoftmaxQuantized: sum of exps in Q12, log in Q5 (gemmlowp fixed point),\n"
           "output = clamp(rdbpot(rq(diff) - log_sum, 22) + 127) above the adjusted diff_min, else -128"),
]

OPS += [
    Op(382, "LOG_SOFTMAX", "log_softmax_f32", "NN",
       [T("input", "float32", count=("rows", "depth")), P(LOGSOFTMAXF)],
       [T("output", "float32", count=("rows", "depth"))], tflite=[("LOG_SOFTMAX", "float32")],
       ident="LOG_SOFTMAX_F32", binding="spec",
       doc="max = -FLT_MAX, max < x ? x : max; sum = 0.0f + expf(x - max) ...; output = x - max - logf(sum)\n"
           "(expf, logf: the host glibc's bits, kernels/mn_libm_f32.c)"),
]
