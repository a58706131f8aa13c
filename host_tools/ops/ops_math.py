"""Elementwise math, comparisons, logical ops and reductions: SUB, MINIMUM, EQUAL, MEAN, ...

Area MATH (micronn_config.h MICRONN_OP_MATH), opcodes 220-269 (ops_unary.py has 270-299). Part of the op spec: table.py adds
LAYOUTS and OPS to its own (see table.py and docs/adding_an_op.md for the vocabulary).
"""

from .spec import (  # noqa: F401
    BIG,
    COUNT_MAX,
    I32_MAX,
    I32_MIN,
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
_D4 = ("d0", "d1", "d2", "d3")
_SPAN1, _SPAN2 = ("d", "in1_s"), ("d", "in2_s")

# float32 binary ops (binary_f32), params.op: TFLite Micro's reference arithmetic in float32
# (FLOOR_DIV: floor of the double quotient).
BINF_OPS = ("ADD", "SUB", "MUL", "DIV", "MINIMUM", "MAXIMUM", "SQUARED_DIFFERENCE", "FLOOR_MOD")

BINF = Layout("BINF", "BINF", [
    F("op", 0, len(BINF_OPS) - 1, " ".join("%d %s" % kv for kv in enumerate(BINF_OPS)))]
    + broadcast_fields("in1_s", "in2_s", "IN1_S", "IN2_S")
    + [F("act_min", I32_MIN, I32_MAX, "fused activation range, float32 bits"), F("act_max", I32_MIN, I32_MAX)],
    area="MATH", doc="float32 binary ops with 4-D broadcasting")

# int8 MINIMUM / MAXIMUM (raw values compared: TFLite Micro ignores the quantization).
MINMAX = Layout("MINMAX", "MINMAX", [F("op", 0, 1, "0 MINIMUM, 1 MAXIMUM")]
                + broadcast_fields("in1_s", "in2_s", "IN1_S", "IN2_S"),
                area="MATH", doc="MINIMUM / MAXIMUM of raw values with 4-D broadcasting")

# SUB int8: the fields of the Tier-1 ADD layout, in its order (mn_sub_s8 runs ADD's kernel body on
# them: mn_add_s8.c checks MN_SUB_* == MN_ADD_*, tests/host/test_math_spec.py the names and ranges).
SUB = Layout("SUB", "SUB", broadcast_fields("in1_s", "in2_s", "IN1_S", "IN2_S") + [
    F("input1_offset", -127, 128, "-input1_zero_point", c="IN1_OFFSET"),
    F("input2_offset", -127, 128, "-input2_zero_point", c="IN2_OFFSET"),
    F("output_offset", -128, 127, "+output_zero_point"),
    F("left_shift", 0, 20, "20 for int8"),
    F("input1_multiplier", 0, I32_MAX, "Q31 multipliers and shifts (right shifts as <= 0)", c="IN1_MULT"),
    F("input1_shift", -31, 0, c="IN1_SHIFT"),
    F("input2_multiplier", 0, I32_MAX, c="IN2_MULT"), F("input2_shift", -31, 0, c="IN2_SHIFT"),
    F("output_multiplier", 0, I32_MAX, c="OUT_MULT"), F("output_shift", -31, 0, c="OUT_SHIFT"),
    ] + act8(), area="MATH", act=("act_min", "act_max"), doc="SUB int8 (the fields of ADD's layout)")

# Comparisons (compare_<dtype>, bool output), params.op: TFLite Micro's comparison functors.
CMP_OPS = ("EQUAL", "NOT_EQUAL", "GREATER", "GREATER_EQUAL", "LESS", "LESS_EQUAL")

CMP = Layout("CMP", "CMP", [
    F("op", 0, len(CMP_OPS) - 1, " ".join("%d %s" % kv for kv in enumerate(CMP_OPS)))]
    + broadcast_fields("in1_s", "in2_s", "IN1_S", "IN2_S") + [
    F("input1_offset", -127, 128, "int8: -input1_zero_point (else 0)", c="IN1_OFFSET"),
    F("input2_offset", -127, 128, "int8: -input2_zero_point (else 0)", c="IN2_OFFSET"),
    F("left_shift", 0, 8, "int8: 8 (else 0)"),
    F("input1_multiplier", 0, I32_MAX, "int8: each input's scale as Q31 and shift <= 0 (else 0)",
      c="IN1_MULT"),
    F("input1_shift", -31, 0, c="IN1_SHIFT"),
    F("input2_multiplier", 0, I32_MAX, c="IN2_MULT"), F("input2_shift", -31, 0, c="IN2_SHIFT")],
    area="MATH", doc="EQUAL ... LESS_EQUAL with 4-D broadcasting (int8: inputs rescaled)")

# LOGICAL_AND / LOGICAL_OR of bools.
LOGIC = Layout("LOGIC", "LOGIC", [F("op", 0, 1, "0 LOGICAL_AND, 1 LOGICAL_OR")]
               + broadcast_fields("in1_s", "in2_s", "IN1_S", "IN2_S"),
               area="MATH", doc="LOGICAL_AND / LOGICAL_OR with 4-D broadcasting")

# SELECT_V2: output = condition ? x : y, all three broadcast to the output's 4 dims.
SELECT = Layout("SELECT", "SELECT", fields("d", 4, 1, BIG, "output dims d0..d3 (row-major)")
                + fields("cond_s", 4, 0, BIG, "condition element strides, 0 on broadcast dims")
                + fields("x_s", 4, 0, BIG, "x element strides") + fields("y_s", 4, 0, BIG, "y element strides"),
                area="MATH", doc="SELECT_V2 with 4-D broadcasting of condition, x and y")

# SQUARED_DIFFERENCE int8 (TFLite Micro's PrepareQuantized: left shift 7, both inputs brought to
# twice the larger scale, the squared difference rescaled by QuantizeMultiplier; no activation).
SQDIFF = Layout("SQDIFF", "SQDIFF", broadcast_fields("in1_s", "in2_s", "IN1_S", "IN2_S") + [
    F("input1_offset", -127, 128, "-input1_zero_point", c="IN1_OFFSET"),
    F("input2_offset", -127, 128, "-input2_zero_point", c="IN2_OFFSET"),
    F("output_offset", -128, 127, "+output_zero_point"),
    F("left_shift", 0, 7, "7 for int8"),
    F("input1_multiplier", 0, I32_MAX, "inputs: Q31 multipliers and shifts <= 0", c="IN1_MULT"),
    F("input1_shift", -31, 0, c="IN1_SHIFT"),
    F("input2_multiplier", 0, I32_MAX, c="IN2_MULT"), F("input2_shift", -31, 0, c="IN2_SHIFT"),
    F("output_multiplier", 0, I32_MAX, "(2 max scale)^2 / (2^14 output_scale) as Q31 and shift", c="OUT_MULT"),
    F("output_shift", -31, 30, c="OUT_SHIFT")],
    area="MATH", doc="SQUARED_DIFFERENCE int8 (4-D broadcasting)")

# Broadcast dims and strides only (SQUARED_DIFFERENCE int32).
BCAST = Layout("BCAST", "BCAST", broadcast_fields("in1_s", "in2_s", "IN1_S", "IN2_S"),
               area="MATH", doc="a binary op with 4-D broadcasting and nothing else")

# DIV int8 (TFLite Micro's DivElementwise: the reciprocal of input2 in fixed point, the quotient
# rescaled by input1_scale / (input2_scale * output_scale)). output_shift is bounded so that the
# quotient's total right shift stays in [0, 63] (see mn_div_s8.c).
DIV8 = Layout("DIV8", "DIV8", broadcast_fields("in1_s", "in2_s", "IN1_S", "IN2_S") + [
    F("input1_offset", -127, 128, "-input1_zero_point", c="IN1_OFFSET"),
    F("input2_offset", -127, 128, "-input2_zero_point", c="IN2_OFFSET"),
    F("output_offset", -128, 127, "+output_zero_point"),
    F("output_multiplier", 0, I32_MAX, "input1_scale / (input2_scale * output_scale) as Q31 and shift",
      c="OUT_MULT"),
    F("output_shift", -25, 22, c="OUT_SHIFT")] + act8(),
    area="MATH", act=("act_min", "act_max"), doc="DIV int8 (4-D broadcasting)")

# ADD_N: output = the sum of n_inputs same-shaped inputs, elementwise (int8: TFLite Micro's
# AddN: every input and the start value -zero_point brought to twice the input scale, << 20).
ADDN_MAX_INPUTS = 32  # MN_ADDN_MAX_INPUTS (mn_spec.h users: bind_math.c)
ADDN = Layout("ADDN", "ADDN", [
    F("count", 1, COUNT_MAX, "elements of each input and the output"),
    F("n_inputs", 2, ADDN_MAX_INPUTS, "inputs (the binding pins it to the call's)", c="N"),
    F("input_offset", -127, 128, "int8: -zero_point of the inputs (all the same; else 0)"),
    F("output_offset", -128, 127, "int8: +output_zero_point (else 0)"),
    F("left_shift", 0, 20, "int8: 20 (else 0)"),
    F("input_multiplier", 0, I32_MAX, "int8: 1/2 as Q31 and shift <= 0 (else 0)", c="IN_MULT"),
    F("input_shift", -31, 0, c="IN_SHIFT"),
    F("output_multiplier", 0, I32_MAX, "int8: 2 input_scale / (2^20 output_scale), shift <= 0", c="OUT_MULT"),
    F("output_shift", -31, 0, c="OUT_SHIFT")],
    area="MATH", doc="ADD_N (float32, int8)")

LAYOUTS = [SUB, BINF, MINMAX, CMP, LOGIC, SELECT, SQDIFF, BCAST, DIV8, ADDN]


def _binary_f32(opcode, name):
    return Op(opcode, name, "binary_f32", "MATH",
              [T("input1", "float32", span=_SPAN1), T("input2", "float32", span=_SPAN2), P(BINF)],
              [T("output", "float32", count=_D4)], tflite=[(name, "float32")], ident=name + "_F32",
              binding="spec",
              doc="output = clamp(op(input1, input2), act_min, act_max) in float32, op as params.op")


def _minmax_s8(opcode, name, dtype="int8", sfx="s8"):
    return Op(opcode, name, "minmax_" + sfx, "MATH",
              [T("input1", dtype, span=_SPAN1), T("input2", dtype, span=_SPAN2), P(MINMAX)],
              [T("output", dtype, count=_D4)], tflite=[(name, dtype)], ident="%s_%s" % (name, sfx.upper()),
              binding="spec", doc="output = min or max (params.op) of the raw %s values" % dtype)


def _ops():
    out = [
        Op(220, "SUB", "sub_s8", "MATH",
           [T("input1", "int8", span=_SPAN1), T("input2", "int8", span=_SPAN2), P(SUB)],
           [T("output", "int8", count=_D4)], in_place=True, tflite=[("SUB", "int8")], ident="SUB_S8",
           binding="spec",
           doc="ADD's layout and body: output = clamp(rq(rq(a') - rq(b'), out) + output_offset),\n"
               "a' = (input1 + input1_offset) << left_shift (TFLite Micro's int8 SUB)"),
    ]
    out += [_binary_f32(221 + k, name) for k, name in enumerate(BINF_OPS)]
    out.append(Op(229, "FLOOR_DIV", "floor_div_f32", "MATH",
                  [T("input1", "float32", span=_SPAN1), T("input2", "float32", span=_SPAN2), P(BINF)],
                  [T("output", "float32", count=_D4)], tflite=[("FLOOR_DIV", "float32")], ident="FLOOR_DIV_F32",
                  doc="output = (float)floor((double)input1 / (double)input2); a 0 in input2 raises"))
    out += [_minmax_s8(230, "MINIMUM"), _minmax_s8(231, "MAXIMUM")]
    # comparisons: 232-237 float32, 238-243 int8, 244-249 int32, 250-255 int64, 256-257 bool
    for base, dtype, sfx, names in ((232, "float32", "f32", CMP_OPS), (238, "int8", "s8", CMP_OPS),
                                    (244, "int32", "s32", CMP_OPS), (250, "int64", "s64", CMP_OPS),
                                    (256, "bool", "bool", CMP_OPS[:2])):
        out += [_compare(base + k, name, dtype, sfx) for k, name in enumerate(names)]
    out += [
        Op(258 + k, name, "logical_bool", "MATH",
           [T("input1", "bool", span=_SPAN1), T("input2", "bool", span=_SPAN2), P(LOGIC)],
           [T("output", "bool", count=_D4)], tflite=[(name, "bool")], binding="spec",
           doc="output = input1 && input2 (op 0), input1 || input2 (op 1)")
        for k, name in enumerate(("LOGICAL_AND", "LOGICAL_OR"))]
    out.append(Op(260, "LOGICAL_NOT", "logical_not_bool", "MATH", [T("input", "bool")], [T("output", "bool")],
                  in_place=True, tflite=[("LOGICAL_NOT", "bool")], binding="spec", doc="output = !input"))
    out += [Op(opcode, "SELECT_V2", "select_" + sfx, "MATH",
               [T("condition", "bool", span=("d", "cond_s")), T("x", dtype, span=("d", "x_s")),
                T("y", dtype, span=("d", "y_s")), P(SELECT)],
               [T("output", dtype, count=_D4)], tflite=[("SELECT_V2", dtype)], ident="SELECT_V2_" + sfx.upper(),
               binding="spec", doc="output = condition ? x : y (runs copied whole where they can be)")
            for opcode, dtype, sfx in ((261, "float32", "f32"), (262, "int8", "s8"))]
    out += [_minmax_s8(263, "MINIMUM", "int64", "s64"), _minmax_s8(264, "MAXIMUM", "int64", "s64")]
    out += [
        Op(265, "SQUARED_DIFFERENCE", "squared_difference_s8", "MATH",
           [T("input1", "int8", span=_SPAN1), T("input2", "int8", span=_SPAN2), P(SQDIFF)],
           [T("output", "int8", count=_D4)], tflite=[("SQUARED_DIFFERENCE", "int8")],
           ident="SQUARED_DIFFERENCE_S8", binding="spec",
           doc="d = rq(a' , in1) - rq(b', in2), a' = (input1 + input1_offset) << left_shift;\n"
               "output = clamp(rq(d * d, out) + output_offset, -128, 127)"),
        Op(266, "SQUARED_DIFFERENCE", "squared_difference_s32", "MATH",
           [T("input1", "int32", span=_SPAN1), T("input2", "int32", span=_SPAN2), P(BCAST)],
           [T("output", "int32", count=_D4)], tflite=[("SQUARED_DIFFERENCE", "int32")],
           ident="SQUARED_DIFFERENCE_S32", binding="spec", doc="d = input1 - input2; output = d * d (int32 wraps)"),
        Op(267, "DIV", "div_s8", "MATH",
           [T("input1", "int8", span=_SPAN1), T("input2", "int8", span=_SPAN2), P(DIV8)],
           [T("output", "int8", count=_D4)], tflite=[("DIV", "int8")], ident="DIV_S8", binding="spec",
           doc="output = clamp(rq(a * 1/b) + output_offset), a = input1 + input1_offset, b likewise,\n"
               "1/b in TFLite Micro's fixed point (GetReciprocal)"),
    ]
    out += [Op(opcode, "ADD_N", "add_n_" + sfx, "MATH", [P(ADDN), T("input0", dtype, count=("count",))],
               [T("output", dtype, count=("count",))], out_pos=1, tflite=[("ADD_N", dtype)],
               ident="ADD_N_" + sfx.upper(), doc="variadic: kernel(params, output, input0, input1, ...); " + doc)
            for opcode, dtype, sfx, doc in (
                (268, "float32", "f32", "output = 0.0f + input0 + input1 + ... in order"),
                (269, "int8", "s8", "acc = rq(input_offset << 20) + sum rq((x + input_offset) << 20) "
                 "(int32 wraps), output = clamp(rq(acc, out) + output_offset)"))]
    return out


def _compare(opcode, name, dtype, sfx):
    return Op(opcode, name, "compare_" + sfx, "MATH",
              [T("input1", dtype, span=_SPAN1), T("input2", dtype, span=_SPAN2), P(CMP)],
              [T("output", "bool", count=_D4)], tflite=[(name, dtype)], ident="%s_%s" % (name, sfx.upper()),
              binding="spec",
              doc="output = input1 op input2 (params.op)" + (
                  ", both rescaled: rq((x + offset) << left_shift, multiplier, shift)" if dtype == "int8" else ""))


OPS = _ops()
