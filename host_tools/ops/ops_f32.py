"""float32 versions of the int8 layers: CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, pools, SOFTMAX, activations, ...

Area NN (micronn_config.h MICRONN_OP_NN), opcodes 340-379 (ops_nn.py has 300-319 and 380-399, ops_conv.py 320-339)."""

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
