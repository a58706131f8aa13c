"""Elementwise math, comparisons, logical ops and reductions: SUB, MINIMUM, EQUAL, MEAN, ...

Area MATH (micronn_config.h MICRONN_OP_MATH), opcodes 220-299. Part of the op spec: table.py adds
LAYOUTS and OPS to its own (see table.py and docs/adding_an_op.md for the vocabulary).
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

LAYOUTS = []
OPS = []
