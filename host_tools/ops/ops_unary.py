"""Elementwise unary math: ABS, NEG, CEIL, FLOOR, ROUND, SQRT, RSQRT, SQUARE, EXP, LOG, SIN, COS, ...

Area MATH (micronn_config.h MICRONN_OP_MATH), opcodes 270-299 (ops_math.py has 220-269)."""

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

LAYOUTS = []
OPS = []
