"""Other NN layers: reductions, ARG_MAX, CUMSUM, L2_NORMALIZATION, L2_POOL_2D, LOG_SOFTMAX, ...

Area NN (micronn_config.h MICRONN_OP_NN), opcodes 300-319 (ops_conv.py has 320-339). Part of the op spec: table.py adds
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
