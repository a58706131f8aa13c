"""Shape and data movement ops: PAD, TRANSPOSE, SLICE, SPLIT, PACK, REVERSE, SPACE/DEPTH, ...

Area SHAPE (micronn_config.h MICRONN_OP_SHAPE), opcodes 160-189 (ops_index.py has 190-219). Part of the op spec: table.py adds
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
