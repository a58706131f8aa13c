"""The op list: one source of truth for the converter (host) and the runtime (device).

Each entry: our opcode -> (name, kernel function in `_micronn` / `host_tools.reference`).
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

# Signal area (40-69): the audio front end of TFLite Micro's signal library (Signal* custom ops).
SIGNAL_WINDOW = 40
SIGNAL_FFT_AUTO_SCALE = 41
SIGNAL_RFFT = 42
SIGNAL_ENERGY = 43
SIGNAL_FILTER_BANK = 44
SIGNAL_FILTER_BANK_SQRT = 45
SIGNAL_SPECTRAL_SUBTRACTION = 46
SIGNAL_PCAN = 47
SIGNAL_FILTER_BANK_LOG = 48
OPS.update({
    SIGNAL_WINDOW: ("SignalWindow", "signal_window_s16", 2),
    SIGNAL_FFT_AUTO_SCALE: ("SignalFftAutoScale", "signal_fft_auto_scale_s16", 1),
    SIGNAL_RFFT: ("SignalRfft", "signal_rfft_s16", 3),
    SIGNAL_ENERGY: ("SignalEnergy", "signal_energy_s16", 1),
    SIGNAL_FILTER_BANK: ("SignalFilterBank", "signal_filter_bank", 6),
    SIGNAL_FILTER_BANK_SQRT: ("SignalFilterBankSquareRoot", "signal_filter_bank_sqrt", 2),
    SIGNAL_SPECTRAL_SUBTRACTION: ("SignalFilterBankSpectralSubtraction", "signal_spectral_subtraction", 1),
    SIGNAL_PCAN: ("SignalPCAN", "signal_pcan", 3),
    SIGNAL_FILTER_BANK_LOG: ("SignalFilterBankLog", "signal_filter_bank_log", 1),
})

# Elementwise/shape area (80-119): integer CAST, CONCATENATION, STRIDED_SLICE and int32 arithmetic.
CAST = 80
CONCATENATION = 81  # variadic: kernel(params, output, input0, input1, ...)
STRIDED_SLICE = 82
ADD_S32 = 83
SUB_S32 = 84
MUL_S32 = 85
DIV_S32 = 86
MINIMUM_S32 = 87
MAXIMUM_S32 = 88
OPS.update({
    CAST: ("CAST", "cast", 1),
    CONCATENATION: ("CONCATENATION", "concatenation", 1),
    STRIDED_SLICE: ("STRIDED_SLICE", "strided_slice", 1),
    ADD_S32: ("ADD", "binary_s32", 2),
    SUB_S32: ("SUB", "binary_s32", 2),
    MUL_S32: ("MUL", "binary_s32", 2),
    DIV_S32: ("DIV", "binary_s32", 2),
    MINIMUM_S32: ("MINIMUM", "binary_s32", 2),
    MAXIMUM_S32: ("MAXIMUM", "binary_s32", 2),
})

# Activations (20-39): every int8 single-input activation is a 256-entry table (lut_s8).
LOGISTIC = 20
TANH = 21
HARD_SWISH = 22
LEAKY_RELU = 23
RELU = 24
RELU6 = 25
ELU = 26
GELU = 27
PRELU = 28
# Detection post-process (70-79).
DETECTION_POSTPROCESS = 70  # TFLite_Detection_PostProcess (custom op of SSD models)
OPS.update({
    # activations
    LOGISTIC: ("LOGISTIC", "lut_s8", 1),
    TANH: ("TANH", "lut_s8", 1),
    HARD_SWISH: ("HARD_SWISH", "lut_s8", 1),
    LEAKY_RELU: ("LEAKY_RELU", "lut_s8", 1),
    RELU: ("RELU", "lut_s8", 1),
    RELU6: ("RELU6", "lut_s8", 1),
    ELU: ("ELU", "lut_s8", 1),
    GELU: ("GELU", "lut_s8", 1),
    PRELU: ("PRELU", "prelu_s8", 2),
    # detection: (box_encodings, class_predictions, anchors, params, scratch) -> 4 outputs
    DETECTION_POSTPROCESS: ("TFLite_Detection_PostProcess", "detection_postprocess", 5),
})

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
IN_PLACE = (ADD, REQUANTIZE, LOGISTIC, TANH, HARD_SWISH, LEAKY_RELU, RELU, RELU6, ELU, GELU)
