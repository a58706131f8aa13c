"""int16 (16x8) reductions: MEAN and SUM on int16 activations.

Area INT16 (micronn_config.h MICRONN_OP_INT16), opcodes 510-529 (int16 reductions). Part of the
op spec: table.py adds LAYOUTS and OPS to its own (see table.py and docs/adding_an_op.md for the
vocabulary).

TFLite Micro runs MEAN and SUM on int16 with the int8 arithmetic (QuantizedMeanOrSum: an int32
sum, the zero point times the count taken off, one requantization, MEAN's count folded into the
multiplier). Its REDUCE_MAX and REDUCE_MIN refuse int16 (EvalMinMaxHelper: float32 and int8
only), so micronn has no int16 max/min either.
"""

from .spec import (  # noqa: F401
    BIG,
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

# The folded axis set of ops_nn.REDUCE (kept dims d0..d3, reduced d4..d7, each with its input
# element stride), with int16 zero points.
REDUCE16 = Layout("REDUCE16", "REDUCE16",
    fields("d", 8, 1, BIG, "dims: d0..d3 kept (output), d4..d7 reduced")
    + fields("s", 8, 0, BIG, "input element strides of d0..d7")
    + [F("input_offset", -32767, 32768, "-input_zero_point"),
       F("output_offset", -32768, 32767, "+output_zero_point"),
       F("multiplier", 0, I32_MAX, "input/output scale (MEAN: over the count, as TFLite Micro "
         "folds it) as Q31 and shift"),
       F("shift", -31, 30)],
    area="INT16", doc="MEAN, SUM int16 over a folded axis set")

LAYOUTS = [REDUCE16]

_D_OUT = ("d0", "d1", "d2", "d3")
_SUM = ("acc = sum(input + input_offset) (int32, wrapping as TFLite Micro's int32 sum),\n"
        "output = clamp(rq(acc, multiplier, shift) + output_offset, -32768, 32767)")


def _reduce16(opcode, name, ident):
    return Op(opcode, name, "reduce_s16", "INT16", [T("input", "int16", span=("d", "s")), P(REDUCE16)],
              [T("output", "int16", count=_D_OUT)], tflite=[(name, "int16")], ident=ident,
              binding="spec", doc=_SUM)


OPS = [
    _reduce16(510, "MEAN", "MEAN_S16"),
    _reduce16(511, "SUM", "SUM_S16"),
]
