"""Indexing, resampling and filling ops: GATHER, GATHER_ND, EMBEDDING_LOOKUP, RESIZE_*, FILL, SHAPE, ...

Area SHAPE (micronn_config.h MICRONN_OP_SHAPE), opcodes 190-219 (ops_shape.py has 160-189). Part of the op spec: table.py adds
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
