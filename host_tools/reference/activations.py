"""numpy reference kernels of the activations area (same names and argument order as the bindings in
firmware/_micronn/bind_activations.c). Re-exported by host_tools.reference (its __init__).

Every int8 elementwise activation with one input is a function of one byte, so the device runs
them all through one kernel, `lut_s8` (a 256-entry table lookup), and the converter builds the
table here by running TFLite Micro's own arithmetic over the 256 possible inputs:

  LOGISTIC, TANH   gemmlowp fixed-point logistic/tanh (TFLM reference_integer_ops), integer only
  HARD_SWISH       TFLM's int16 fixed-point hard-swish (reference_ops::HardSwish)
  LEAKY_RELU       two requantizations (identity / alpha), double rounding
  RELU             requantization + clamp;  RELU6: clamp to [zero, six] in the input's scale
  ELU              TFLM's own float LUT (Prepare: expf, float32 math)
  GELU             LiteRT's float LUT (erfc / tanh form): TFLite Micro has no GELU kernel

So each table equals TFLM's output for that input value, bit for bit, and the device does one
load per element. PRELU has a second (alpha) input and runs its own kernel, `prelu_s8`.
"""

import ctypes
import ctypes.util
import math

import numpy as np

from ..ops import table
from .args import _COUNT_MAX, _buf, _buf_count, _count, _params
from .core import _broadcast_index
from .layouts import (  # noqa: F401 (re-exported)
    PRELU_ALPHA_OFFSET,
    PRELU_ALPHA_S0,
    PRELU_D0,
    PRELU_IN_S0,
    PRELU_INPUT_OFFSET,
    PRELU_MULT_NEG,
    PRELU_MULT_POS,
    PRELU_NPARAMS,
    PRELU_OUTPUT_OFFSET,
    PRELU_SHIFT_NEG,
    PRELU_SHIFT_POS,
)
from .qmath import (
    _EXP_NEG_POW2,
    INT32_MAX,
    _exp_quarter_interval,
    _one_over_one_plus_x,
    _rdbpot,
    _sat_shift_left,
    _srdhm,
    _wrap32,
    quantize_multiplier,
    requantize,
)

__all__ = [
    "lut_s8", "prelu_s8", "PRELU_NPARAMS", "PRELU_SPEC",
    "logistic_lut", "tanh_lut", "hard_swish_lut", "leaky_relu_lut", "relu_lut", "relu6_lut",
    "elu_lut", "gelu_lut",
]

_INPUTS = np.arange(-128, 128, dtype=np.int64)  # table order is uint8(x): x = 0..127, -128..-1


def _table(values):
    """Per-input int8 results (for x = -128..127) -> the 256-byte table indexed by uint8(x)."""
    t = np.empty(256, dtype=np.int8)
    t[_INPUTS & 0xFF] = np.asarray(values, dtype=np.int64)
    return t


# ---------------------------------------------------------------------------------------------
# Kernels (the device's `_micronn` functions)

def lut_s8(input, output, table):
    """output[i] = table[uint8(input[i])]: any int8 -> int8 elementwise function."""
    n = _buf_count(input, "input", "int8")
    x = _buf(input, "input", "int8", n)
    t = _buf(table, "table", "int8", 256)
    out = _buf(output, "output", "int8", n, writable=True)
    out[:] = t[x.view(np.uint8)]
    return output



PRELU_SPEC = table.PRELU.ranges()  # the op spec (host_tools/ops/table.py)


def prelu_s8(input, alpha, output, params):
    """TFLite Micro's int8 PRELU with 4-D broadcasting of alpha:
    v = input + input_offset; out = v >= 0 ? rq(v, m_pos, s_pos) : rq(v * (alpha + alpha_offset),
    m_neg, s_neg); output = clamp(out + output_offset, -128, 127)."""
    p = _params(params, PRELU_SPEC, PRELU_NPARAMS)
    dims = p[PRELU_D0:PRELU_D0 + 4]
    n_out = _count("output", *dims)
    x = _buf(input, "input", "int8", _span(p, PRELU_IN_S0, "input")).astype(np.int64)
    a = _buf(alpha, "alpha", "int8", _span(p, PRELU_ALPHA_S0, "alpha")).astype(np.int64)
    out = _buf(output, "output", "int8", n_out, writable=True)
    v = x[_broadcast_index(dims, p[PRELU_IN_S0:PRELU_IN_S0 + 4])] + p[PRELU_INPUT_OFFSET]
    av = a[_broadcast_index(dims, p[PRELU_ALPHA_S0:PRELU_ALPHA_S0 + 4])] + p[PRELU_ALPHA_OFFSET]
    pos = requantize(v, p[PRELU_MULT_POS], p[PRELU_SHIFT_POS])
    neg = requantize(v * av, p[PRELU_MULT_NEG], p[PRELU_SHIFT_NEG])
    r = np.where(v >= 0, pos, neg) + p[PRELU_OUTPUT_OFFSET]
    out[:] = np.clip(r, -128, 127).astype(np.int8).reshape(-1)
    return output


def _span(p, s0, name):
    span = 1 + sum((p[PRELU_D0 + k] - 1) * p[s0 + k] for k in range(4))
    if span > _COUNT_MAX:
        raise ValueError("%s: more than %d elements" % (name, _COUNT_MAX))
    return span


# ---------------------------------------------------------------------------------------------
# Host side (floats allowed): what TFLM's Prepare computes, and the tables.

def _f32(x):
    return float(np.float32(x))


def _input_radius(integer_bits, left_shift, total_bits=31):
    """TFLite's CalculateInputRadius."""
    return int(math.floor(((1 << integer_bits) - 1) * (1 << (total_bits - integer_bits))
                          / (1 << left_shift)))


def _q4_input_params(input_scale):
    """LOGISTIC/TANH int8 Prepare: input rescaled to Q4.27 (4 integer bits)."""
    q, shift = math.frexp(_f32(input_scale) * float(1 << 27))
    mult = int(_round_half_away(q * (1 << 31)))
    return mult, shift, _input_radius(4, shift)


def _round_half_away(x):
    return math.floor(x + 0.5) if x >= 0 else -math.floor(-x + 0.5)


def _exp_on_negative_values(a, integer_bits):
    """gemmlowp exp_on_negative_values for a Q(integer_bits) input <= 0 -> Q0."""
    frac = 31 - integer_bits
    quarter = 1 << (frac - 2)
    a = np.asarray(a, dtype=np.int64)
    a_mod = (a & (quarter - 1)) - quarter
    result = _exp_quarter_interval(_sat_shift_left(a_mod, integer_bits))
    remainder = _wrap32(a_mod - a)
    for k, m in enumerate(_EXP_NEG_POW2):
        exponent = k - 2
        if integer_bits > exponent:
            result = np.where(remainder & (1 << (frac + exponent)), _srdhm(result, m), result)
    return np.where(a == 0, INT32_MAX, result)


def _one_minus_x_over_one_plus_x(a):
    """gemmlowp one_minus_x_over_one_plus_x_for_x_in_0_1, Q0 -> Q0 (Newton-Raphson in Q2)."""
    s = np.asarray(a, dtype=np.int64) + INT32_MAX
    t = s + np.where(s >= 0, 1, -1)
    half = np.where(t >= 0, t // 2, -((-t) // 2))  # RoundingHalfSum(a, One)
    x = _wrap32(1515870810 + _srdhm(half, -1010580540))
    for _ in range(3):
        one_minus = _wrap32((1 << 29) - _srdhm(half, x))
        x = _wrap32(x + _sat_shift_left(_srdhm(x, one_minus), 2))
    return _sat_shift_left(_wrap32(x - (1 << 29)), 2)


def logistic_lut(input_scale, input_zero_point):
    """LOGISTIC int8 table (output scale 1/256, zero point -128) as TFLM's reference kernel."""
    mult, shift, radius = _q4_input_params(input_scale)
    v = _INPUTS - int(input_zero_point)
    xq = requantize(np.clip(v, -radius + 1, radius - 1), mult, shift)  # Q4.27
    pos = xq > 0
    absx = np.where(pos, xq, -xq)
    r_pos = _one_over_one_plus_x(_exp_on_negative_values(-absx, 4))
    r = np.where(xq == 0, 1 << 30, np.where(pos, r_pos, INT32_MAX - r_pos))
    y = np.clip(_rdbpot(r, 23) - 128, -128, 127)
    y = np.where(v <= -radius, -128, np.where(v >= radius, 127, y))
    return _table(y)


def tanh_lut(input_scale, input_zero_point):
    """TANH int8 table (output scale 1/128, zero point 0) as TFLM's reference kernel."""
    mult, shift, radius = _q4_input_params(input_scale)
    v = _INPUTS - int(input_zero_point)
    xq = requantize(np.clip(v, -radius + 1, radius - 1), mult, shift)
    neg = xq < 0
    n = np.where(neg, xq, -xq)  # <= 0, read as Q5 (ExactMulByPot<1>)
    t = _one_minus_x_over_one_plus_x(_exp_on_negative_values(n, 5))
    r = np.where(xq == 0, 0, np.where(neg, -t, t))
    y = np.clip(_rdbpot(r, 24), -128, 127)
    y = np.where(v <= -radius, -128, np.where(v >= radius, 127, y))
    return _table(y)


def _srdhm16(a, b):
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    ab = a * b
    s = ab + np.where(ab >= 0, 1 << 14, 1 - (1 << 14))
    q = np.where(s >= 0, s >> 15, -((-s) >> 15))
    return np.where((a == -32768) & (b == -32768), 32767, q)


def _sdhm16(a, b):
    """SaturatingDoublingHighMul (truncating toward zero)."""
    ab = np.asarray(a, dtype=np.int64) * np.asarray(b, dtype=np.int64)
    q = np.where(ab >= 0, ab >> 15, -((-ab) >> 15))
    return np.where((np.asarray(a) == -32768) & (np.asarray(b) == -32768), 32767, q)


def _sat_left16(x, amount):
    return np.clip(np.asarray(x, dtype=np.int64) * (1 << amount), -32768, 32767)


def _int16_multiplier(real):
    """QuantizeMultiplier, then DownScaleInt32ToInt16Multiplier."""
    m, e = quantize_multiplier(real)
    if m >= INT32_MAX - (1 << 15):
        return 32767, e
    return (m + (1 << 15)) >> 16, e


def hard_swish_lut(input_scale, input_zero_point, output_scale, output_zero_point):
    """HARD_SWISH int8 table as TFLM's HardSwishPrepare (float32 scale ratios) + reference kernel."""
    s_in = np.float32(input_scale)
    hires = np.float32(1.0 / 128.0) * s_in
    out_m, out_e = _int16_multiplier(float(hires / np.float32(output_scale)))
    rel_m, rel_e = _int16_multiplier(float(hires / (np.float32(3.0) / np.float32(32768.0))))
    if out_e > 0:
        raise ValueError("hard_swish: output multiplier exponent %d > 0 (output scale too small)" % out_e)
    v = _INPUTS - int(input_zero_point)
    x_hi = v * 128
    pre_out = _srdhm16(x_hi, out_m)
    rel = x_hi
    if rel_e > 0:
        rel = _sat_left16(rel, rel_e - 1)
    rel = _srdhm16(rel, rel_m)
    if rel_e > 0:
        rel = _sat_left16(rel, 1)
    if rel_e < 0:
        rel = _rdbpot(rel, -rel_e)
    rel = (rel + (1 << 15)) >> 1
    y = _rdbpot(_sdhm16(rel, pre_out), -out_e) + int(output_zero_point)
    return _table(np.clip(y, -128, 127))


def leaky_relu_lut(input_scale, input_zero_point, alpha, output_scale, output_zero_point):
    """LEAKY_RELU int8 table: float32 scale ratios as TFLM's CalculateOpDataLeakyRelu."""
    s_in, s_out = np.float32(input_scale), np.float32(output_scale)
    m_a, s_a = quantize_multiplier(float(s_in * np.float32(alpha) / s_out))
    m_i, s_i = quantize_multiplier(float(s_in / s_out))
    v = _INPUTS - int(input_zero_point)
    y = np.where(v >= 0, requantize(v, m_i, s_i), requantize(v, m_a, s_a)) + int(output_zero_point)
    return _table(np.clip(y, -128, 127))


def relu_lut(input_scale, input_zero_point, output_scale, output_zero_point):
    """RELU int8 table: requantize (double quotient) then clamp to [max(-128, out_zp), 127]."""
    m, s = quantize_multiplier(_f32(input_scale) / _f32(output_scale))
    y = int(output_zero_point) + requantize(_INPUTS - int(input_zero_point), m, s)
    return _table(np.clip(y, max(-128, int(output_zero_point)), 127))


def relu6_lut(input_scale, input_zero_point):
    """RELU6 int8 table: TFLM clamps the raw values to [zero_point, zero_point + round(6/scale)]
    of the input (the output's quantization is assumed equal and not read)."""
    six = int(input_zero_point) + int(_round_half_away(float(np.float32(6.0) / np.float32(input_scale))))
    if not -128 <= six <= 127:
        raise ValueError("relu6: 6.0 quantizes to %d, outside int8 (input scale %r)" % (six, input_scale))
    return _table(np.clip(_INPUTS, int(input_zero_point), six))


def _libm():
    name = ctypes.util.find_library("m") or "libm.so.6"
    lib = ctypes.CDLL(name)
    for f in ("expf", "erfcf", "erff", "tanhf"):
        getattr(lib, f).restype = ctypes.c_float
        getattr(lib, f).argtypes = [ctypes.c_float]
    for f in ("erf",):
        getattr(lib, f).restype = ctypes.c_double
        getattr(lib, f).argtypes = [ctypes.c_double]
    return lib


_LIBM = None


def _float_lut(input_scale, input_zero_point, output_scale, output_zero_point, transform):
    """TFLite's PopulateLookupTable / LUTPopulate for int8, in float32: dequantize, transform,
    multiply by 1/output_scale, round half away, add the zero point, clamp."""
    s_in = np.float32(input_scale)
    inv = np.float32(1.0) / np.float32(output_scale)
    out = []
    for x in range(-128, 128):
        d = s_in * np.float32(x - int(input_zero_point))
        t = np.float32(transform(d))
        r = float(np.float32(t * inv))
        q = _round_half_away(r) + int(output_zero_point)
        out.append(min(max(q, -128), 127))
    return _table(out)


def elu_lut(input_scale, input_zero_point, output_scale, output_zero_point):
    """ELU int8 table as TFLM's Prepare: x < 0 ? expf(x) - 1 : x, with the C library's expf."""
    global _LIBM
    _LIBM = _LIBM or _libm()

    def f(x):
        return np.float32(_LIBM.expf(float(x))) - np.float32(1.0) if x < 0 else x

    return _float_lut(input_scale, input_zero_point, output_scale, output_zero_point, f)


def gelu_lut(input_scale, input_zero_point, output_scale, output_zero_point, approximate=False):
    """GELU int8 table as LiteRT's Prepare (TFLite Micro has no GELU):
    exact 0.5 x erfc(-x / sqrt 2), or approximate 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))),
    float32 math with the C library's erfcf / tanhf."""
    global _LIBM
    _LIBM = _LIBM or _libm()
    f32 = np.float32
    if approximate:
        k = f32(2.0 / math.sqrt(math.pi) * math.sqrt(0.5))  # M_2_SQRTPI * M_SQRT1_2 as float

        def f(x):
            inner = k * (x + f32(0.044715) * x * x * x)
            return f32(0.5) * x * (f32(1.0) + f32(_LIBM.tanhf(float(inner))))
    else:
        def f(x):
            return f32(0.5) * x * f32(_LIBM.erfcf(float(x * f32(-math.sqrt(0.5)))))

    return _float_lut(input_scale, input_zero_point, output_scale, output_zero_point, f)
