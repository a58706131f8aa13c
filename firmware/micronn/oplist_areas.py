"""The ops beyond Tier 1, one block per area (see oplist.py, which adds AREA_OPS to its OPS).

Entries as in oplist.OPS: our opcode -> (name, kernel function, position of the output among
the kernel's arguments). Opcode ranges: 20-39 activations, 40-69 signal (audio front end),
70-79 detection post-process, 80-119 elementwise/shape ops.
"""

AREA_OPS = {}

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
AREA_OPS.update({
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
AREA_OPS.update({
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
AREA_OPS.update({
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
