"""int16 (16x8) elementwise ops: ADD, SUB, MUL, SQUARED_DIFFERENCE, MINIMUM, MAXIMUM, SELECT_V2, ABS.

Area INT16 (micronn_config.h MICRONN_OP_INT16), opcodes 470-509 (int16 elementwise/compare).
Part of the op spec: table.py adds LAYOUTS and OPS to its own (see table.py and
docs/adding_an_op.md for the vocabulary).

TFLite Micro's int16 arithmetic: ADD and SUB take the general path of the int8 ones with left
shift 15 (add.cc passes pot_scale=false, so the power-of-two path of reference_ops::Add is never
taken); MUL is reference_integer_ops::Mul on raw int16 values (zero points 0); SQUARED_DIFFERENCE
is PrepareQuantized with left shift 0 (zero points 0); MINIMUM/MAXIMUM compare raw values;
SELECT_V2 copies; ABS is AbsEvalQuantized (zero points 0) or std::abs on an unquantized tensor.
GREATER is the only comparison TFLM registers for int16 and its Prepare leaves the int16 params
uninitialised (it sets them for int8 only), so its results are not reproducible: not claimed.
"""

from .spec import (  # noqa: F401
    BIG,
    I32_MAX,
    Field,
    Layout,
    Op,
    Operand,
    broadcast_fields,
    fields,
    params_input,
)

F = Field
T = Operand
P = params_input
_D4 = ("d0", "d1", "d2", "d3")
_SPAN1, _SPAN2 = ("d", "in1_s"), ("d", "in2_s")
I16_MIN, I16_MAX = -32768, 32767

# binary_s16, params.op: the quantized binary ops, each as its TFLite Micro reference.
BIN16_OPS = ("ADD", "SUB", "MUL", "SQUARED_DIFFERENCE")

BIN16 = Layout("BIN16", "BIN16", [
    F("op", 0, len(BIN16_OPS) - 1, " ".join("%d %s" % kv for kv in enumerate(BIN16_OPS)))]
    + broadcast_fields("in1_s", "in2_s", "IN1_S", "IN2_S") + [
    F("input1_offset", -I16_MAX, -I16_MIN, "-input1_zero_point (0 but for ADD/SUB)", c="IN1_OFFSET"),
    F("input2_offset", -I16_MAX, -I16_MIN, "-input2_zero_point", c="IN2_OFFSET"),
    F("output_offset", I16_MIN, I16_MAX, "+output_zero_point"),
    F("left_shift", 0, 15, "ADD/SUB 15, MUL/SQUARED_DIFFERENCE 0"),
    F("input1_multiplier", 0, I32_MAX, "ADD/SUB/SQUARED_DIFFERENCE: each input's scale over twice the "
      "larger one, Q31 and shift <= 0 (MUL: 0)", c="IN1_MULT"),
    F("input1_shift", -31, 0, c="IN1_SHIFT"),
    F("input2_multiplier", 0, I32_MAX, c="IN2_MULT"), F("input2_shift", -31, 0, c="IN2_SHIFT"),
    F("output_multiplier", 0, I32_MAX, "the result's rescale, Q31 and shift", c="OUT_MULT"),
    F("output_shift", -31, 30, c="OUT_SHIFT"),
    F("act_min", I16_MIN, I16_MAX, "fused activation range, min <= max"), F("act_max", I16_MIN, I16_MAX)],
    area="INT16", act=("act_min", "act_max"), doc="int16 ADD/SUB/MUL/SQUARED_DIFFERENCE (4-D broadcasting)")

# MINIMUM / MAXIMUM of raw int16 values (TFLite Micro ignores the quantization).
MINMAX16 = Layout("MINMAX16", "MINMAX16", [F("op", 0, 1, "0 MINIMUM, 1 MAXIMUM")]
                  + broadcast_fields("in1_s", "in2_s", "IN1_S", "IN2_S"),
                  area="INT16", doc="int16 MINIMUM / MAXIMUM with 4-D broadcasting")

# SELECT_V2 int16: the fields of the MATH area's SELECT layout, in its order.
SELECT16 = Layout("SELECT16", "SELECT16", fields("d", 4, 1, BIG, "output dims d0..d3 (row-major)")
                  + fields("cond_s", 4, 0, BIG, "condition element strides, 0 on broadcast dims")
                  + fields("x_s", 4, 0, BIG, "x element strides") + fields("y_s", 4, 0, BIG, "y element strides"),
                  area="INT16", doc="int16 SELECT_V2 with 4-D broadcasting of condition, x and y")

# ABS int16, params.mode: 0 an unquantized tensor (std::abs, -32768 stays -32768), 1 quantized with
# equal scales (|x| saturated), 2 quantized with a rescale (rq(|x|) saturated).
ABS16 = Layout("ABS16", "ABS16", [
    F("mode", 0, 2, "0 raw (wraps), 1 saturate, 2 rescale and saturate"),
    F("multiplier", 0, I32_MAX, "mode 2: input_scale / output_scale as Q31 and shift (else 0)", c="MULT"),
    F("shift", -31, 30)], area="INT16", doc="int16 ABS")

LAYOUTS = [BIN16, MINMAX16, SELECT16, ABS16]

_BIN16_DOC = {
    "ADD": "rq(rq(a') + rq(b'), out)", "SUB": "rq(rq(a') - rq(b'), out)",
    "MUL": "rq((input1 + input1_offset) * (input2 + input2_offset), out)",
    "SQUARED_DIFFERENCE": "rq(d * d, out), d = rq(a') - rq(b')",
}


def _binary_s16(opcode, name):
    return Op(opcode, name, "binary_s16", "INT16",
              [T("input1", "int16", span=_SPAN1), T("input2", "int16", span=_SPAN2), P(BIN16)],
              [T("output", "int16", count=_D4)], tflite=[(name, "int16")], ident=name + "_S16", binding="spec",
              doc="output = clamp(%s + output_offset, act_min, act_max),\n"
                  "a' = (input1 + input1_offset) << left_shift (int32 arithmetic wraps)" % _BIN16_DOC[name])


def _minmax_s16(opcode, name):
    return Op(opcode, name, "minmax_s16", "INT16",
              [T("input1", "int16", span=_SPAN1), T("input2", "int16", span=_SPAN2), P(MINMAX16)],
              [T("output", "int16", count=_D4)], tflite=[(name, "int16")], ident=name + "_S16", binding="spec",
              doc="output = min or max (params.op) of the raw int16 values")


OPS = [_binary_s16(470 + k, name) for k, name in enumerate(BIN16_OPS)]
OPS += [_minmax_s16(474, "MINIMUM"), _minmax_s16(475, "MAXIMUM")]
OPS += [
    Op(476, "SELECT_V2", "select_s16", "INT16",
       [T("condition", "bool", span=("d", "cond_s")), T("x", "int16", span=("d", "x_s")),
        T("y", "int16", span=("d", "y_s")), P(SELECT16)],
       [T("output", "int16", count=_D4)], tflite=[("SELECT_V2", "int16")], ident="SELECT_V2_S16",
       binding="spec", doc="output = condition ? x : y (SELECT_V2 int8's body, 2-byte elements)"),
    Op(477, "ABS", "abs_s16", "INT16", [T("input", "int16"), P(ABS16)], [T("output", "int16")],
       in_place=True, tflite=[("ABS", "int16")], ident="ABS_S16", binding="spec",
       doc="v = |input| (int32); output = mode 0: (int16)v, 1: min(v, 32767), 2: clamp(rq(v, multiplier, shift))"),
]
