"""The op list: one source of truth for the converter (host) and the runtime (device).

Each entry: our opcode -> (name, kernel function in `_micronn`).
The arguments an op carries in the model file are exactly its kernel's buffer arguments,
in order; integer options travel in an int32 `params` constant (layouts in micronn.h).
"""

FULLY_CONNECTED = 1
CONV_2D = 2
DEPTHWISE_CONV_2D = 3
AVERAGE_POOL_2D = 4
MAX_POOL_2D = 5
ADD = 6
SOFTMAX = 7
REQUANTIZE = 8  # QUANTIZE int8 -> int8
QUANTIZE = 9  # QUANTIZE float32 -> int8 (graph edge)
DEQUANTIZE = 10  # DEQUANTIZE int8 -> float32 (graph edge)
CUSTOM = 0x7FFF  # an op implemented in Python, by name (see micronn.register_op)
# Opcode ranges by area, so work on different areas never collides:
#   1-19 Tier 1 (above), 20-39 activations, 40-69 signal (audio front end),
#   70-79 detection post-process, 80-119 elementwise/shape ops (CAST, CONCATENATION, MUL, ...),
#   120-159 stateful/sequence ops (LSTM, SVDF).

# opcode -> (name, kernel, position of the output among the kernel's arguments).
# The file stores an op's inputs (graph tensors and constants, in kernel order) then its
# outputs; the runtime calls kernel(*(ins[:pos] + outs + ins[pos:])).
OPS = {
    FULLY_CONNECTED: ("FULLY_CONNECTED", "fully_connected_s8", 3),
    CONV_2D: ("CONV_2D", "conv2d_s8", 3),
    DEPTHWISE_CONV_2D: ("DEPTHWISE_CONV_2D", "depthwise_conv2d_s8", 3),
    AVERAGE_POOL_2D: ("AVERAGE_POOL_2D", "avg_pool2d_s8", 1),
    MAX_POOL_2D: ("MAX_POOL_2D", "max_pool2d_s8", 1),
    ADD: ("ADD", "add_s8", 2),
    SOFTMAX: ("SOFTMAX", "softmax_s8", 1),
    REQUANTIZE: ("QUANTIZE", "requantize_s8", 1),
    QUANTIZE: ("QUANTIZE", "quantize_f32_s8", 1),
    DEQUANTIZE: ("DEQUANTIZE", "dequantize_s8_f32", 1),
}

# Ops beyond Tier 1 (the areas of firmware/_micronn/micronn_config.h, opcodes 20-119) are in
# oplist_areas.py. The Tier-1 firmware (boards/qemu.mk) freezes no oplist_areas.py: there OPS holds
# Tier 1 only, and load() names the area of an opcode from AREAS (first opcode, area).
AREAS = ((20, "ACTIVATIONS"), (40, "SIGNAL"), (70, "DETECTION"), (80, "ELEMENTWISE"), (120, None))
try:
    from .oplist_areas import *  # noqa: E402,F403
except ImportError:
    pass
else:
    OPS.update(AREA_OPS)  # noqa: F405
    AREAS = ()  # every area op is known

# Tensor element types.
INT8 = 0
UINT8 = 1
INT16 = 2
INT32 = 3
FLOAT32 = 4
UINT32 = 5
UINT64 = 6
DTYPE_NAMES = ("int8", "uint8", "int16", "int32", "float32", "uint32", "uint64")
DTYPE_SIZES = (1, 1, 2, 4, 4, 4, 8)
DTYPE_CODES = ("b", "B", "h", "i", "f", "I", "Q")  # array typecodes

# Ops whose output may take the arena bytes of an input of the same shape that dies there (the
# converter's in-place planning; the runtime accepts exactly that overlap for them): their kernels
# read element i before writing element i, in order, with one element size in and out. ADD reads
# the input of the output's shape at the output's own index.
# The table activations (20-27) are in the activations area (oplist_areas.py).
IN_PLACE = (ADD, REQUANTIZE, 20, 21, 22, 23, 24, 25, 26, 27)
