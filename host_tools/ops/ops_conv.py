"""Convolution-like layers of the NN area: TRANSPOSE_CONV, BATCH_MATMUL.

Area NN (micronn_config.h MICRONN_OP_NN), opcodes 320-339 (ops_nn.py has 300-319). Part of the
op spec: table.py adds LAYOUTS and OPS to its own (see table.py and docs/adding_an_op.md for the vocabulary).
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
