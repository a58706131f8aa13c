"""What TensorFlow Lite Micro runs: every op its op resolver registers
(`micro_mutable_op_resolver.h`, 2026-10 main) and the input types its kernels accept.

Read from each kernel's Prepare/Eval (the type switch, or the type checks where there is no
switch), by input tensor type: int16 means 16-bit activations (16x8), an op's weights or index
tensors are not listed. `micronn ops` prints this next to what micronn converts; the
converter's error for an unsupported op names TFLM's types. ISSUE marks the ops whose work is
planned elsewhere: recurrent/state/control flow (the 16-bit and recurrent issue).
"""

F32, I8, I16, I32, I64, B, U8, U32 = "float32", "int8", "int16", "int32", "int64", "bool", "uint8", "uint32"
ANY = "any"  # every type (data movement that only copies bytes)

# builtin name -> input types TFLM's kernel runs
BUILTINS = {
    "ABS": (F32, I8, I16),
    "ADD": (F32, I8, I16, I32),
    "ADD_N": (F32, I8),
    "ARG_MAX": (F32, I8),
    "ARG_MIN": (F32, I8),
    "ASSIGN_VARIABLE": (ANY,),
    "AVERAGE_POOL_2D": (F32, I8, I16),
    "BATCH_MATMUL": (F32, I8, I16),
    "BATCH_TO_SPACE_ND": (F32, I8),
    "BROADCAST_ARGS": (I32, I64),
    "BROADCAST_TO": (ANY,),
    "CALL_ONCE": (ANY,),
    "CAST": (F32, I8, I16, I32, U32, B),
    "CEIL": (F32,),
    "CONCATENATION": (F32, I8, I16, I32, I64, B),
    "CONV_2D": (F32, I8, I16),
    "COS": (F32,),
    "CUMSUM": (F32, I8),
    "DEPTH_TO_SPACE": (F32, I8),
    "DEPTHWISE_CONV_2D": (F32, I8, I16),
    "DEQUANTIZE": (I8, I16, U8),
    "DIV": (F32, I8, I32),
    "DYNAMIC_UPDATE_SLICE": (F32, I8, I16, I32),
    "ELU": (F32, I8),
    "EMBEDDING_LOOKUP": (F32, I8),  # the value (input 1; int8 -> float32 hybrid too)
    "EQUAL": (F32, I8, I32, I64, B),  # no int16 (EqualEval has no case for it; GREATER has)
    "EXP": (F32,),
    "EXPAND_DIMS": (F32, I8, I16),
    "FILL": (F32, I8, I32),  # the value (input 1)
    "FLOOR": (F32,),
    "FLOOR_DIV": (F32,),
    "FLOOR_MOD": (F32,),
    "FULLY_CONNECTED": (F32, I8, I16),  # int8 input with int8 or INT4 weights (int4: per-tensor only)
    "GATHER": (F32, I8),
    "GATHER_ND": (F32, I8),
    "GREATER": (F32, I8, I16, I32, I64),  # int16: Prepare leaves its rescale params unset (garbage)
    "GREATER_EQUAL": (F32, I8, I32, I64),
    "HARD_SWISH": (F32, I8),
    "IF": (ANY,),
    "L2_NORMALIZATION": (F32, I8),
    "L2_POOL_2D": (F32,),
    "LEAKY_RELU": (F32, I8, I16),
    "LESS": (F32, I8, I32, I64),
    "LESS_EQUAL": (F32, I8, I32, I64),
    "LOG": (F32,),
    "LOGICAL_AND": (B,),
    "LOGICAL_NOT": (B,),
    "LOGICAL_OR": (B,),
    "LOGISTIC": (F32, I8, I16),
    "LOG_SOFTMAX": (F32, I8),
    "MAXIMUM": (F32, I8, I16, I32, I64),
    "MAX_POOL_2D": (F32, I8, I16),
    "MEAN": (F32, I8, I16),
    "MINIMUM": (F32, I8, I16, I32, I64),
    "MIRROR_PAD": (F32, I8),
    "MUL": (F32, I8, I16, I32),
    "NEG": (F32,),
    "NOT_EQUAL": (F32, I8, I32, I64, B),
    "PACK": (F32, I8, I16, I32, I64),
    "PAD": (F32, I8, I16, I32),
    "PADV2": (F32, I8, I16, I32),
    "PRELU": (F32, I8, I16),
    "QUANTIZE": (F32, I8, I16, I32, U8),
    "READ_VARIABLE": (ANY,),
    "REDUCE_ALL": (B,),
    "REDUCE_MAX": (F32, I8),  # no int16 (EvalMinMaxHelper: float32 and int8 only; MEAN/SUM have it)
    "REDUCE_MIN": (F32, I8),  # no int16 (EvalMinMaxHelper: float32 and int8 only; MEAN/SUM have it)
    "RELU": (F32, I8, I16),
    "RELU6": (F32, I8, I16),
    "RESHAPE": (ANY,),
    "RESIZE_BILINEAR": (F32, I8),
    "RESIZE_NEAREST_NEIGHBOR": (F32, I8, I16),
    "REVERSE_V2": (F32, I8, I16, I32, I64, U8, B),
    "ROUND": (F32,),
    "RSQRT": (F32, I8),
    "SELECT_V2": (F32, I8, I16),
    "SHAPE": (ANY,),
    "SIN": (F32,),
    "SLICE": (F32, I8, I16, I32, B),
    "SOFTMAX": (F32, I8, I16),
    "SPACE_TO_BATCH_ND": (F32, I8),
    "SPACE_TO_DEPTH": (F32, I8),
    "SPLIT": (F32, I8, I16, I32),
    "SPLIT_V": (F32, I8, I16, I32),
    "SQRT": (F32,),
    "SQUARE": (F32,),
    "SQUARED_DIFFERENCE": (F32, I8, I16, I32),
    "SQUEEZE": (ANY,),
    "STRIDED_SLICE": (F32, I8, I16, I32, B),
    "SUB": (F32, I8, I16, I32),
    "SUM": (F32, I8, I16),
    "SVDF": (F32, I8),
    "TANH": (F32, I8, I16),
    "TRANSPOSE": (F32, I8, I16),
    "TRANSPOSE_CONV": (F32, I8, I16),
    "UNIDIRECTIONAL_SEQUENCE_LSTM": (F32, I8, I16),
    "UNPACK": (F32, I8, I16, I32),
    "VAR_HANDLE": (ANY,),
    "WHILE": (ANY,),
    "ZEROS_LIKE": (F32, I8, I32, I64),
}

# CUSTOM ops TFLM registers (the audio front end's signal ops, the SSD post-process, ...)
CUSTOM = {
    "TFLite_Detection_PostProcess": (F32,),
    "SignalWindow": (I16,),
    "SignalFftAutoScale": (I16,),
    "SignalRfft": (I16, I32, F32),
    "SignalIrfft": (I16, I32, F32),
    "SignalEnergy": (I16,),
    "SignalFilterBank": (U32,),
    "SignalFilterBankSquareRoot": ("uint64",),
    "SignalFilterBankSpectralSubtraction": (U32,),
    "SignalFilterBankLog": (U32,),
    "SignalPCAN": (U32,),
    "SignalFramer": (I16,),
    "SignalOverlapAdd": (I16, F32),
    "SignalDelay": (I16,),
    "SignalStacker": (I16,),
    "CIRCULAR_BUFFER": (I8,),
    "ETHOSU": (ANY,),
}

# Ops left to another issue on purpose (say so instead of "not supported").
# (op, type) pairs TFLM registers but cannot run reproducibly: micronn does not claim them and
# `micronn ops` says why instead of counting them as missing.
BROKEN = {("GREATER", I16): "TFLM's Prepare leaves its int16 rescale params unset (live TFLM: "
          "-32768 > -32768 is True), so there is no result to match"}

# Ops whose work is planned elsewhere (the recurrent/state/control flow ops are done).
ISSUE = {"ETHOSU": "an Arm Ethos-U NPU command stream (no NPU on micronn's boards)"}


def types(name, custom=False):
    """TFLM's input types of builtin (or CUSTOM) op `name`, or () if TFLM does not run it."""
    return (CUSTOM if custom else BUILTINS).get(name, ())
