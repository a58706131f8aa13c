"""int16 QUANTIZE / DEQUANTIZE and SOFTMAX int8 -> int16 (TFLite Micro's quantize_common.cc,
dequantize_common.cc and the int16-output path of its int8 softmax).

Area INT16 (micronn_config.h MICRONN_OP_INT16), opcodes 530-549 (the area's quantize range).
Part of the op spec: table.py adds LAYOUTS and OPS to its own (see table.py and
docs/adding_an_op.md for the vocabulary).
"""

from .spec import (  # noqa: F401
    BIG,
    I32_MAX,
    I32_MIN,
    Field,
    Layout,
    Op,
    Operand,
    params_input,
)

F = Field
T = Operand
P = params_input

# TFLite Micro's Requantize between int8, int16 and int32 (the int32 arithmetic wraps).
RESCALE16 = Layout("RESCALE16", "RESCALE16", [
    F("input_zero_point", I32_MIN, I32_MAX, c="INPUT_ZP"), F("output_zero_point", I32_MIN, I32_MAX, c="OUTPUT_ZP"),
    F("multiplier", 0, I32_MAX, "input_scale / output_scale as Q31 and shift", c="MULT"), F("shift", -31, 30),
    ], area="INT16", doc="QUANTIZE between int8, int16 and int32 with an int16 side")

# float32 <-> int16: the scale as its float32 bits.
QUANT16 = Layout("QUANT16", "QUANT16", [
    F("scale", I32_MIN, I32_MAX, "float32 bits: a positive finite scale"),
    F("zero_point", -32768, 32767, c="ZP"),
    ], area="INT16", doc="QUANTIZE float32 -> int16, DEQUANTIZE int16 -> float32")

# SOFTMAX int8 -> int16 (output scale 1/65536, zero point -32768): TFLM's int8 softmax arithmetic
# with the int16 output's exponent and range.
SOFTMAX8_16 = Layout("SOFTMAX8_16", "SOFTMAX8_16", [
    F("rows", 1, BIG), F("depth", 1, BIG, "softmax over the last axis"),
    F("input_multiplier", 0, I32_MAX, "beta * input_scale as Q31", c="INPUT_MULT"),
    F("input_left_shift", 0, 31),
    F("diff_min", -I32_MAX, 0, "x - max(row) < diff_min -> -32768"),
    ], area="INT16", doc="SOFTMAX int8 -> int16 (scale 1/65536, zero point -32768)")

LAYOUTS = [RESCALE16, QUANT16, SOFTMAX8_16]


def _rescale(opcode, src, dst, ident):
    return Op(opcode, "QUANTIZE", "requantize_%s" % ident.lower()[11:], "INT16",
              [T("input", src), P(RESCALE16)], [T("output", dst)], tflite=[("QUANTIZE", src)], ident=ident,
              binding="spec", doc="QUANTIZE %s -> %s: output = clamp(rq(input - input_zero_point, multiplier, "
              "shift) + output_zero_point) (TFLite Micro's Requantize)" % (src, dst))


OPS = [
    _rescale(530, "int16", "int8", "REQUANTIZE_S16_S8"),
    _rescale(531, "int16", "int16", "REQUANTIZE_S16_S16"),
    _rescale(532, "int16", "int32", "REQUANTIZE_S16_S32"),
    _rescale(533, "int8", "int16", "REQUANTIZE_S8_S16"),
    _rescale(534, "int32", "int16", "REQUANTIZE_S32_S16"),
    Op(535, "QUANTIZE", "quantize_f32_s16", "INT16", [T("input", "float32"), P(QUANT16)], [T("output", "int16")],
       tflite=[("QUANTIZE", "float32")], ident="QUANTIZE_F32_S16", binding="spec",
       doc="output = clamp(round_half_away(input / scale) + zero_point, -32768, 32767) in float32 (NaN: zero_point)"),
    Op(536, "DEQUANTIZE", "dequantize_s16_f32", "INT16", [T("input", "int16"), P(QUANT16)],
       [T("output", "float32")], tflite=[("DEQUANTIZE", "int16")], ident="DEQUANTIZE_S16", binding="spec",
       doc="output = scale * (input - zero_point), rounded once to float32"),
    Op(537, "SOFTMAX", "softmax_s8_s16", "INT16",
       [T("input", "int8", count=("rows", "depth")), P(SOFTMAX8_16)], [T("output", "int16", count=("rows", "depth"))],
       tflite=[("SOFTMAX", "int8")], ident="SOFTMAX_S8_S16", binding="spec",
       doc="TFLite Micro's int8 softmax (exp in Q0.31, sum in Q12.19, 1 / sum) with int16 output:\n"
           "output = clamp(rdbpot(srdhm(scale, exp), exponent) - 32768, -32768, 32767), -32768 below diff_min"),
]
