"""int16 (16x8) activations, pools and SOFTMAX: LOGISTIC, TANH, RELU, RELU6, LEAKY_RELU, PRELU,
AVERAGE_POOL_2D, MAX_POOL_2D, SOFTMAX int16 -> int16.

Area INT16 (micronn_config.h MICRONN_OP_INT16), opcodes 430-469 (int16 activations, pools and
softmax; the rest of 400-599 belongs to the other int16 ops). Part of the op spec: table.py adds
LAYOUTS and OPS to its own (see table.py and docs/adding_an_op.md for the vocabulary).

Every kernel follows TFLite Micro's int16 reference arithmetic; the tables TFLM uses (its fixed
sigmoid table for LOGISTIC/TANH, the exp and 1/(1+x) tables SOFTMAX builds at Prepare) are
constants the converter stores in the model (host_tools/reference/act16.py builds them).
"""

from .spec import (  # noqa: F401
    BIG,
    I32_MAX,
    Field,
    Layout,
    Op,
    Operand,
    broadcast_fields,
    params_input,
)

F = Field
T = Operand
P = params_input

I16_MIN, I16_MAX = -32768, 32767
_DIM = 32767
_ACT16 = [F("act_min", I16_MIN, I16_MAX, "fused activation range, min <= max"), F("act_max", I16_MIN, I16_MAX)]

# LOGISTIC / TANH int16: x' = (x * input_multiplier + round) >> input_left_shift, then TFLM's
# 256-entry sigmoid table with linear interpolation (TFLM's power-of-two case, multiplier 0,
# folded by the converter into multiplier 3 << shift and shift 0).
SIGMOID16 = Layout("SIGMOID16", "SIGMOID16", [
    F("input_multiplier", 1, 32767, "input scale to 1/(3 * 4096) units (TFLM's Prepare)", c="INPUT_MULT"),
    F("input_left_shift", 0, 31, "right shift of x * input_multiplier (rounded)", c="INPUT_SHIFT")],
    area="INT16", doc="LOGISTIC and TANH int16 (zero points 0, output scale 2^-15)")

# RELU int16: output = clamp(rq(x, multiplier, shift), act_min, act_max) (zero points 0).
RELU16 = Layout("RELU16", "RELU16", [
    F("multiplier", 0, I32_MAX, "input_scale / output_scale (float32 quotient) as Q31 and shift"),
    F("shift", -31, 30)] + _ACT16,
    area="INT16", act=("act_min", "act_max"), doc="RELU int16")

# RELU6 int16: output = clamp(x, act_min, act_max) on the raw values.
CLAMP16 = Layout("CLAMP16", "CLAMP16", _ACT16, area="INT16", act=("act_min", "act_max"),
                 doc="RELU6 int16: [zero point, zero point + round(6 / scale)] of the input")

# LEAKY_RELU int16: v = x - input_zero_point; output = clamp(output_zero_point +
# (v >= 0 ? rq(v, identity) : +-rq(v, |alpha|))) (TFLM: a negative alpha's product negated).
LEAKY16 = Layout("LEAKY16", "LEAKY16", [
    F("input_zero_point", I16_MIN, I16_MAX, c="INPUT_ZP"), F("output_zero_point", I16_MIN, I16_MAX, c="OUTPUT_ZP"),
    F("multiplier_identity", 0, I32_MAX, "input_scale / output_scale (float32) as Q31 and shift",
      c="MULT_IDENTITY"),
    F("shift_identity", -31, 30, c="SHIFT_IDENTITY"),
    F("multiplier_alpha", 0, I32_MAX, "|input_scale * alpha / output_scale| (float32) as Q31 and shift",
      c="MULT_ALPHA"),
    F("shift_alpha", -31, 30, c="SHIFT_ALPHA"),
    F("alpha_negative", 0, 1, "1: alpha < 0, the alpha branch's result negated", c="ALPHA_NEG")],
    area="INT16", doc="LEAKY_RELU int16")

# PRELU int16 input and output, int8 alpha, 4-D broadcasting.
PRELU16 = Layout("PRELU16", "PRELU16", broadcast_fields("in_s", "alpha_s", "IN_S", "ALPHA_S") + [
    F("input_offset", -I16_MAX, -I16_MIN, "-input_zero_point"),
    F("alpha_offset", -127, 128, "-alpha_zero_point (alpha is int8)"),
    F("output_offset", I16_MIN, I16_MAX, "+output_zero_point"),
    F("multiplier_pos", 0, I32_MAX, "input_scale / output_scale (Q31, shift)", c="MULT_POS"),
    F("shift_pos", -31, 30, c="SHIFT_POS"),
    F("multiplier_neg", 0, I32_MAX, "input_scale * alpha_scale / output_scale", c="MULT_NEG"),
    F("shift_neg", -31, 30, c="SHIFT_NEG")],
    area="INT16", doc="PRELU int16 (int8 alpha, 4-D broadcasting)")

POOL16 = Layout("POOL16", "POOL16", [
    F("n", 1, _DIM, "batches"),
    F("in_h", 1, _DIM, "input height, width"), F("in_w", 1, _DIM), F("c", 1, _DIM, "channels"),
    F("out_h", 1, _DIM, "output height, width"), F("out_w", 1, _DIM),
    F("k_h", 1, 255, "window height, width (a window sums at most 65025 int16 values)"), F("k_w", 1, 255),
    F("stride_h", 1, 255), F("stride_w", 1, 255),
    F("pad_top", 0, _DIM, "[0, k - 1]; every window must overlap the input"), F("pad_left", 0, _DIM),
    ] + _ACT16, area="INT16", act=("act_min", "act_max"), doc="AVERAGE_POOL_2D and MAX_POOL_2D int16")

# SOFTMAX int16 -> int16 over the last axis: TFLM's SoftmaxInt16 (exp and 1/(1+x) tables of 513
# entries, linear interpolation on the low 7 bits).
SOFTMAX16 = Layout("SOFTMAX16", "SOFTMAX16", [
    F("rows", 1, BIG), F("depth", 1, 65536, "softmax over the last axis (the int32 sum of exps stays < 2^31)"),
    F("input_multiplier", 0, I32_MAX, "beta * input_scale / (10 / 65535) as Q31 and shift", c="INPUT_MULT"),
    F("input_shift", -31, 15, "(65535 << shift stays in int32)")],
    area="INT16", doc="SOFTMAX int16 -> int16 (zero points 0, output scale 1/32768)")

LAYOUTS = [SIGMOID16, RELU16, CLAMP16, LEAKY16, PRELU16, POOL16, SOFTMAX16]

_TABLE = T("table", "int16", size=256, const=True)  # TFLM's sigmoid table (uint16 values as int16 bits)
_POOL_COUNT = ("n", "in_h", "in_w", "c")
_POOL_OUT = ("n", "out_h", "out_w", "c")
_D4 = ("d0", "d1", "d2", "d3")


def _unary(opcode, name, kernel, layout, doc, extra=()):
    return Op(opcode, name, kernel, "INT16", [T("input", "int16")] + list(extra) + [P(layout)],
              [T("output", "int16")], in_place=True, tflite=[(name, "int16")], ident=name + "_S16",
              binding="spec", doc=doc)


def _pool(opcode, name, kernel, doc):
    return Op(opcode, name, kernel, "INT16", [T("input", "int16", count=_POOL_COUNT), P(POOL16)],
              [T("output", "int16", count=_POOL_OUT)], tflite=[(name, "int16")], ident=name + "_S16",
              binding="spec", doc=doc)


_SIGMOID_DOC = ("x = (input * input_multiplier + round) >> input_left_shift; |x| in the sigmoid table\n"
                "(interpolated on the low %d bits), %s")

OPS = [
    _unary(430, "LOGISTIC", "logistic_s16", SIGMOID16,
           _SIGMOID_DOC % (9, "mirrored for x < 0, output in 2^-15 units"), [_TABLE]),
    _unary(431, "TANH", "tanh_s16", SIGMOID16, _SIGMOID_DOC % (8, "2 sigmoid(2x) - 1 in 2^-15 units"), [_TABLE]),
    _unary(432, "RELU", "relu_s16", RELU16, "output = clamp(rq(input, multiplier, shift), act_min, act_max)"),
    _unary(433, "RELU6", "relu6_s16", CLAMP16, "output = clamp(input, act_min, act_max)"),
    _unary(434, "LEAKY_RELU", "leaky_relu_s16", LEAKY16,
           "v = input - input_zero_point;\n"
           "output = clamp(output_zero_point + (v >= 0 ? rq(v, identity) : (alpha_negative ? -1 : 1) rq(v, alpha)))"),
    Op(435, "PRELU", "prelu_s16", "INT16",
       [T("input", "int16", span=("d", "in_s")), T("alpha", "int8", span=("d", "alpha_s")), P(PRELU16)],
       [T("output", "int16", count=_D4)], tflite=[("PRELU", "int16")], ident="PRELU_S16", binding="spec",
       doc="v = input + input_offset; output = clamp((v >= 0 ? rq(v, pos)\n"
           "                                      : rq(v * (alpha + alpha_offset), neg)) + output_offset)"),
    _pool(436, "AVERAGE_POOL_2D", "avg_pool2d_s16",
          "output = clamp(sum / count rounded half away from zero) over the window's part inside the input"),
    _pool(437, "MAX_POOL_2D", "max_pool2d_s16", "output = clamp(max(-32768, window...))"),
    Op(438, "SOFTMAX", "softmax_s16", "INT16",
       [T("input", "int16", count=("rows", "depth")), T("exp_table", "int16", size=513, const=True),
        T("recip_table", "int16", size=513, const=True), P(SOFTMAX16)],
       [T("output", "int16", count=("rows", "depth"))], tflite=[("SOFTMAX", "int16")], ident="SOFTMAX_S16",
       binding="spec",
       doc="e = exp_table(clamp(rq(x - max, input_*) + 32767)); s = sum e; r = recip_table(s normalised);\n"
           "output = clamp((e * r + round) >> (31 - clz(s)), 0, 32767)"),
]
