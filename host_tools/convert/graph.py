"""The converter's graph: the tensors and ops of the output file, the .tflite schema tables
they are read with, and ConvertError."""

import numpy as np
from micronn import fileformat as ff
from micronn import oplist
from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

BO = schema.BuiltinOperator

BUILTIN_NAMES = {v: k for k, v in vars(BO).items() if not k.startswith("_")}

TT = schema.TensorType

DTYPES = {TT.INT8: oplist.INT8, TT.UINT8: oplist.UINT8, TT.INT16: oplist.INT16,
          TT.INT32: oplist.INT32, TT.FLOAT32: oplist.FLOAT32, TT.UINT32: oplist.UINT32,
          TT.UINT64: oplist.UINT64, TT.BOOL: oplist.BOOL, TT.INT64: oplist.INT64,
          TT.INT4: oplist.INT8}  # INT4 (17): packed constants, kept as their bytes (core.py)

TYPE_NAMES = {v: k.lower() for k, v in vars(TT).items() if not k.startswith("_")}  # .tflite type names

NP_DTYPES = {oplist.INT8: np.int8, oplist.UINT8: np.uint8, oplist.INT16: np.int16,
             oplist.INT32: np.int32, oplist.FLOAT32: np.float32, oplist.UINT32: np.uint32,
             oplist.UINT64: np.uint64, oplist.BOOL: np.bool_, oplist.INT64: np.int64}

ACT_NAMES = {0: "NONE", 1: "RELU", 2: "RELU_N1_TO_1", 3: "RELU6"}

PADDING = {schema.Padding.SAME: "SAME", schema.Padding.VALID: "VALID"}



class ConvertError(ValueError):
    """The .tflite model cannot be converted (unsupported op, dtype, or malformed file)."""



class Tensor:
    """A tensor of the output file: constant (data) or activation (arena)."""

    def __init__(self, name, dtype, shape, scale=0.0, zero_point=0, data=None, src=None):
        self.name = name
        self.dtype = dtype
        self.shape = tuple(int(d) for d in shape)
        self.scale = float(scale)
        self.zero_point = int(zero_point)
        self.data = data  # bytes for constants
        self.src = src  # index in the .tflite subgraph, if any
        self.alias = None  # RESHAPE: the tensor whose memory this one shares
        self.share = None  # in-place op output: the input whose memory it takes (own entry)
        self.variable = False  # in the state area, set to its reset value by reset()
        self.stateful = False  # in the state area, kept by reset() (a CALL_ONCE flag)
        self.offset = None
        self.state_offset = None
        self.int4_shape = None  # a TFLite INT4 constant: its shape (the data: packed bytes)

    @property
    def nbytes(self):
        return int(np.prod(self.shape, dtype=np.int64)) * oplist.DTYPE_SIZES[self.dtype]

    @property
    def is_const(self):
        return self.data is not None

    @property
    def in_state(self):
        """Kept across run() calls, in the state area (not the arena)."""
        return (self.variable or self.stateful) and self.data is None



class Subgraph:
    """A subgraph of the output file: the main graph (0), or a copy of a .tflite subgraph for
    the one runtime op (IF, WHILE, CALL_ONCE) that runs it."""

    def __init__(self, src):
        self.src = src  # .tflite subgraph index
        self.inputs = []
        self.outputs = []
        self.ops = []
        self.start = 0  # its caller's position in the converter's op list (0: the main graph)



class Op:
    def __init__(self, opcode, inputs, outputs, name, src_index, macs=0, custom_name=None):
        self.opcode = opcode
        self.subgraph = 0  # the Subgraph index it belongs to
        self.subgraphs = ()  # runtime ops: the Subgraph indices it runs
        self.span_end = None  # runtime ops: position of the last op of the subgraphs it runs
        self.inputs = inputs  # list of Tensor or None
        self.outputs = outputs
        self.name = name
        self.src_index = src_index
        self.macs = macs
        self.custom_name = custom_name



def _s(name):
    if name is None:
        return ""
    return name.decode("utf-8", "replace") if isinstance(name, (bytes, bytearray)) else str(name)



def _align(n):
    return (n + ff.ALIGN - 1) // ff.ALIGN * ff.ALIGN

