"""numpy reference of every micronn kernel, bit-exact with TFLite Micro (the `_micronn` C module's
namespace under CPython: micronn's kernels there).

One function per C kernel, same name and argument order as the `_micronn` binding: output
buffers are filled in place (and returned). Per area: core (Tier 1: conv, depthwise, FC, pool,
add, softmax, quantize/requantize), activations, detection, elementwise, signal; the
fixed-point math in qmath, the argument checks that mirror the C bindings in args.
"""

from .activations import (
    PRELU_SPEC,
    elu_lut,
    gelu_lut,
    hard_swish_lut,
    leaky_relu_lut,
    logistic_lut,
    lut_s8,
    prelu_s8,
    relu6_lut,
    relu_lut,
    tanh_lut,
)
from .core import (
    ADD_SPEC,
    ARCH,
    CONV_FAST_MAX_K,
    CONV_SPEC,
    POOL_SPEC,
    REQUANT_SPEC,
    SOFTMAX_SPEC,
    TICK_SCALE,
    TICK_UNIT,
    add_s8,
    avg_pool2d_s8,
    conv2d_s8,
    conv2d_s8_ref,
    conv2d_s8_scratch_size,
    depthwise_conv2d_s8,
    depthwise_conv2d_s8_ref,
    depthwise_conv2d_s8_scratch_size,
    dequantize_s8_f32,
    fully_connected_s8,
    fully_connected_s8_ref,
    max_pool2d_s8,
    quantize_f32_s8,
    requantize_s8,
    softmax_s8,
    ticks,
)
from .detection import (
    DET_F32,
    DET_S8,
    DET_SPEC,
    DET_U8,
    NMS_SPEC,
    det_exp,
    detection_params,
    detection_postprocess,
    detection_scratch_size,
    nms_boxes,
    nms_params,
    score_key,
)
from .elementwise import (
    BINARY_OPS,
    BINARY_SPEC,
    CAST_DTYPES,
    CAST_SPEC,
    ELEM_DTYPES,
    SLICE_SPEC,
    binary_s32,
    cast,
    concatenation,
    strided_slice,
)
from .layouts import (
    ADD_ACT_MAX,
    ADD_ACT_MIN,
    ADD_D0,
    ADD_IN1_MULT,
    ADD_IN1_OFFSET,
    ADD_IN1_S0,
    ADD_IN1_SHIFT,
    ADD_IN2_MULT,
    ADD_IN2_OFFSET,
    ADD_IN2_S0,
    ADD_IN2_SHIFT,
    ADD_LEFT_SHIFT,
    ADD_NPARAMS,
    ADD_OUT_MULT,
    ADD_OUT_SHIFT,
    ADD_OUTPUT_OFFSET,
    CONV_ACT_MAX,
    CONV_ACT_MIN,
    CONV_DEPTH_MULT,
    CONV_DIL_H,
    CONV_DIL_W,
    CONV_IN_C,
    CONV_IN_H,
    CONV_IN_W,
    CONV_INPUT_OFFSET,
    CONV_K_H,
    CONV_K_W,
    CONV_N,
    CONV_NPARAMS,
    CONV_OUT_C,
    CONV_OUT_H,
    CONV_OUT_W,
    CONV_OUTPUT_OFFSET,
    CONV_PAD_LEFT,
    CONV_PAD_TOP,
    CONV_STRIDE_H,
    CONV_STRIDE_W,
    DET_NPARAMS,
    DWCONV_NPARAMS,
    NMS_NPARAMS,
    POOL_ACT_MAX,
    POOL_ACT_MIN,
    POOL_C,
    POOL_IN_H,
    POOL_IN_W,
    POOL_K_H,
    POOL_K_W,
    POOL_N,
    POOL_NPARAMS,
    POOL_OUT_H,
    POOL_OUT_W,
    POOL_PAD_LEFT,
    POOL_PAD_TOP,
    POOL_STRIDE_H,
    POOL_STRIDE_W,
    PRELU_NPARAMS,
    REQUANT_INPUT_ZP,
    REQUANT_MULT,
    REQUANT_NPARAMS,
    REQUANT_OUTPUT_ZP,
    REQUANT_SHIFT,
    SOFTMAX_DEPTH,
    SOFTMAX_DIFF_MIN,
    SOFTMAX_INPUT_LEFT_SHIFT,
    SOFTMAX_INPUT_MULT,
    SOFTMAX_NPARAMS,
    SOFTMAX_ROWS,
)
from .qmath import (
    INT32_MAX,
    INT32_MIN,
    requantize,
    rounding_divide_by_pot,
    sat_rounding_doubling_high_mul,
)
from .signal import (
    ENERGY_SPEC,
    FILTER_BANK_SPEC,
    LOG_LUT,
    LOG_SPEC,
    PCAN_LUT_SIZE,
    PCAN_SPEC,
    RFFT_SPEC,
    SPECSUB_SPEC,
    WINDOW_SPEC,
    rfft_scratch_count,
    rfft_twiddles,
    signal_energy_s16,
    signal_fft_auto_scale_s16,
    signal_filter_bank,
    signal_filter_bank_log,
    signal_filter_bank_sqrt,
    signal_pcan,
    signal_rfft_s16,
    signal_spectral_subtraction,
    signal_window_s16,
)

__all__ = [
    "INT32_MIN", "INT32_MAX", "requantize", "rounding_divide_by_pot",
    "sat_rounding_doubling_high_mul", "TICK_UNIT", "TICK_SCALE", "ARCH", "ticks",
    "fully_connected_s8", "CONV_N", "CONV_IN_H", "CONV_IN_W", "CONV_IN_C", "CONV_OUT_H",
    "CONV_OUT_W", "CONV_OUT_C", "CONV_K_H", "CONV_K_W", "CONV_STRIDE_H", "CONV_STRIDE_W",
    "CONV_DIL_H", "CONV_DIL_W", "CONV_PAD_TOP", "CONV_PAD_LEFT", "CONV_INPUT_OFFSET",
    "CONV_OUTPUT_OFFSET", "CONV_ACT_MIN", "CONV_ACT_MAX", "CONV_NPARAMS", "CONV_DEPTH_MULT",
    "DWCONV_NPARAMS", "CONV_SPEC", "POOL_N", "POOL_IN_H", "POOL_IN_W", "POOL_C", "POOL_OUT_H",
    "POOL_OUT_W", "POOL_K_H", "POOL_K_W", "POOL_STRIDE_H", "POOL_STRIDE_W", "POOL_PAD_TOP",
    "POOL_PAD_LEFT", "POOL_ACT_MIN", "POOL_ACT_MAX", "POOL_NPARAMS", "POOL_SPEC", "ADD_D0",
    "ADD_IN1_S0", "ADD_IN2_S0", "ADD_IN1_OFFSET", "ADD_IN2_OFFSET", "ADD_OUTPUT_OFFSET",
    "ADD_LEFT_SHIFT", "ADD_IN1_MULT", "ADD_IN1_SHIFT", "ADD_IN2_MULT", "ADD_IN2_SHIFT",
    "ADD_OUT_MULT", "ADD_OUT_SHIFT", "ADD_ACT_MIN", "ADD_ACT_MAX", "ADD_NPARAMS", "ADD_SPEC",
    "SOFTMAX_ROWS", "SOFTMAX_DEPTH", "SOFTMAX_INPUT_MULT", "SOFTMAX_INPUT_LEFT_SHIFT",
    "SOFTMAX_DIFF_MIN", "SOFTMAX_NPARAMS", "SOFTMAX_SPEC", "REQUANT_INPUT_ZP", "REQUANT_OUTPUT_ZP",
    "REQUANT_MULT", "REQUANT_SHIFT", "REQUANT_NPARAMS", "REQUANT_SPEC", "conv2d_s8",
    "depthwise_conv2d_s8", "CONV_FAST_MAX_K", "conv2d_s8_scratch_size",
    "depthwise_conv2d_s8_scratch_size", "avg_pool2d_s8", "max_pool2d_s8", "add_s8", "softmax_s8",
    "requantize_s8", "quantize_f32_s8", "dequantize_s8_f32", "fully_connected_s8_ref",
    "conv2d_s8_ref", "depthwise_conv2d_s8_ref", "lut_s8", "prelu_s8", "PRELU_NPARAMS", "PRELU_SPEC",
    "logistic_lut", "tanh_lut", "hard_swish_lut", "leaky_relu_lut", "relu_lut", "relu6_lut",
    "elu_lut", "gelu_lut", "detection_postprocess", "detection_scratch_size", "detection_params",
    "nms_boxes", "nms_params", "score_key", "det_exp", "DET_NPARAMS", "DET_SPEC", "NMS_NPARAMS",
    "NMS_SPEC", "DET_F32", "DET_S8", "DET_U8", "cast", "concatenation", "strided_slice",
    "binary_s32", "CAST_SPEC", "SLICE_SPEC", "BINARY_SPEC", "BINARY_OPS", "CAST_DTYPES",
    "ELEM_DTYPES", "signal_window_s16", "signal_fft_auto_scale_s16", "signal_rfft_s16",
    "signal_energy_s16", "signal_filter_bank", "signal_filter_bank_sqrt",
    "signal_spectral_subtraction", "signal_pcan", "signal_filter_bank_log", "WINDOW_SPEC",
    "RFFT_SPEC", "ENERGY_SPEC", "FILTER_BANK_SPEC", "SPECSUB_SPEC", "PCAN_SPEC", "LOG_SPEC",
    "rfft_twiddles", "rfft_scratch_count", "LOG_LUT", "PCAN_LUT_SIZE",
]

# Every kernel the op spec names (host_tools/ops/table.py) from the module that defines it:
# a new op's numpy kernel needs no line here.
from ..ops import table as _table  # noqa: E402
from . import act16 as _act16  # noqa: E402
from . import activations as _activations  # noqa: E402
from . import conv as _conv  # noqa: E402
from . import conv16 as _conv16  # noqa: E402
from . import core as _core  # noqa: E402
from . import detection as _detection  # noqa: E402
from . import elem16 as _elem16  # noqa: E402
from . import elementwise as _elementwise  # noqa: E402
from . import f32 as _f32  # noqa: E402
from . import index as _index  # noqa: E402
from . import int4 as _int4  # noqa: E402
from . import lstm as _lstm  # noqa: E402
from . import math as _math  # noqa: E402
from . import nn as _nn  # noqa: E402
from . import red16 as _red16  # noqa: E402
from . import shape as _shape  # noqa: E402
from . import signal as _signal  # noqa: E402
from . import svdf as _svdf  # noqa: E402
from . import unary as _unary  # noqa: E402

_MODULES = (_core, _activations, _signal, _detection, _elementwise, _shape, _index, _math, _unary, _nn,
            _conv, _f32, _red16, _conv16, _act16, _svdf, _lstm, _elem16, _int4)
for _op in _table.OPS:
    for _k in (_op.kernel, _op.kernel + "_ref") if _op.ref else (_op.kernel,):
        for _m in _MODULES:
            if _k not in globals() and hasattr(_m, _k):
                globals()[_k] = getattr(_m, _k)
                __all__.append(_k)
