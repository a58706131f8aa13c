"""Elementwise unary math: ABS, NEG, CEIL, FLOOR, ROUND, SQRT, RSQRT, SQUARE, EXP, LOG, SIN, COS, ...

Area MATH (micronn_config.h MICRONN_OP_MATH), opcodes 270-299 (ops_math.py has 220-269). Part of
the op spec: table.py adds LAYOUTS and OPS to its own (see table.py and docs/adding_an_op.md for
the vocabulary).

float32: one kernel, unary_f32, the function as params.op (TFLite Micro's elementwise.cc,
floor.cc, ceil.cc, neg.cc, round.cc, exp.cc in float32; EXP, LOG, SIN, COS give the bits of the
host glibc's expf/logf/sinf/cosf that TFLite Micro calls, on every board: kernels/mn_libm_f32.c). int8 ABS and RSQRT: one kernel, unary_s8, a
256-entry table the converter fills with TFLite Micro's integer arithmetic for every input value.
"""

from .spec import (  # noqa: F401
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

# float32 unary ops (unary_f32), params.op, in opcode order from 270.
UNARYF_OPS = ("ABS", "NEG", "CEIL", "FLOOR", "ROUND", "SQRT", "RSQRT", "SQUARE", "EXP", "LOG", "SIN", "COS")

UNARYF = Layout("UNARYF", "UNARYF", [
    F("op", 0, len(UNARYF_OPS) - 1, " ".join("%d %s" % kv for kv in enumerate(UNARYF_OPS)))],
    area="MATH", doc="float32 elementwise unary ops")

# int8 table ops (unary_s8): inputs below min_input make the kernel refuse (RSQRT: TFLite Micro
# fails the op on an input below the zero point).
UNARYS8 = Layout("UNARYS8", "UNARYS8", [
    F("min_input", -128, 127, "an input below it raises (RSQRT: the input zero point; ABS: -128)")],
    area="MATH", doc="int8 elementwise unary ops by table")

LAYOUTS = [UNARYF, UNARYS8]

_UNARYF_DOC = {
    "ABS": "fabsf(x)", "NEG": "-x", "CEIL": "ceilf(x)", "FLOOR": "floorf(x)",
    "ROUND": "x rounded half to even", "SQRT": "sqrtf(x)", "RSQRT": "1.0f / sqrtf(x)", "SQUARE": "x * x",
    "EXP": "expf(x)", "LOG": "logf(x)", "SIN": "sinf(x)", "COS": "cosf(x)",  # as the host's glibc: mn_libm_f32.c
}


def _unary_f32(opcode, name):
    return Op(opcode, name, "unary_f32", "MATH", [T("input", "float32"), P(UNARYF)],
              [T("output", "float32")], in_place=True, tflite=[(name, "float32")], ident=name + "_F32",
              binding="spec", doc="output = f(input) in float32, f as params.op (%s: %s)"
              % (name, _UNARYF_DOC[name]))


def _unary_s8(opcode, name):
    return Op(opcode, name, "unary_s8", "MATH",
              [T("input", "int8"), T("table", "int8", const=True, size=256), P(UNARYS8)],
              [T("output", "int8")], in_place=True, tflite=[(name, "int8")], ident=name + "_S8",
              doc="output = table[(uint8)input]; an input below params.min_input raises")


OPS = [_unary_f32(270 + k, name) for k, name in enumerate(UNARYF_OPS)]
OPS += [_unary_s8(290, "ABS"), _unary_s8(291, "RSQRT")]
