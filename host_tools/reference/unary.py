"""numpy reference kernels of the MATH area's unary ops (ops_unary.py): one function per C kernel,
the name of its spec entry's kernel; and the builders of unary_s8's tables (TFLite Micro's int8
ABS and RSQRT arithmetic over every input value), which the converter calls."""

import numpy as np

from ..ops import ops_unary
from . import libm_f32
from .args import _buf, _buf_count
from .qmath import inv_sqrt_multiplier_exp, quantize_multiplier, requantize
from .spec_args import spec_kernel

__all__ = ["unary_f32", "unary_s8", "abs_table_s8", "rsqrt_table_s8"]

_F32 = np.float32
_QUIET = np.uint32(0x00400000)
_DEFAULT_NAN = np.uint32(0xFFC00000)  # x86's default NaN (what TFLite Micro on the host gives)


def _round(x):
    """TFLite Micro's RoundToNearest in float32."""
    f = np.floor(x)
    d = (x - f).astype(_F32)
    even = np.fmod(f, _F32(2)) == 0
    return np.where((d < _F32(0.5)) | ((d == _F32(0.5)) & even), f, (f + _F32(1)).astype(_F32))


def _invalid_nan(x, r):
    return np.where(x < 0, _DEFAULT_NAN.view(_F32), r)


_UNARYF = {
    "CEIL": np.ceil,
    "FLOOR": np.floor,
    "ROUND": _round,
    "SQRT": lambda x: _invalid_nan(x, np.sqrt(x)),
    "RSQRT": lambda x: _invalid_nan(x, (_F32(1) / np.sqrt(x)).astype(_F32)),
    "SQUARE": lambda x: (x * x).astype(_F32),
    "EXP": libm_f32.expf,
    "LOG": libm_f32.logf,
    "SIN": libm_f32.sinf,
    "COS": libm_f32.cosf,
}


@spec_kernel
def unary_f32(input, output, count, p):
    """float32 unary ops (params.op, see host_tools/ops/ops_unary.py); a NaN input gives that NaN
    quieted (ABS, NEG: the sign bit alone), SQRT/RSQRT of a negative number x86's default NaN."""
    name = ops_unary.UNARYF_OPS[p.op]
    u = input.view(np.uint32)
    if name == "ABS":
        output.view(np.uint32)[:] = u & np.uint32(0x7FFFFFFF)
        return
    if name == "NEG":
        output.view(np.uint32)[:] = u ^ np.uint32(0x80000000)
        return
    nan = np.isnan(input)
    x = np.where(nan, _F32(0), input).astype(_F32)
    with np.errstate(all="ignore"):
        r = np.asarray(_UNARYF[name](x), dtype=_F32)
    output[:] = np.where(nan, (u | _QUIET).view(_F32), r)


def unary_s8(input, table, output, params):
    """output = table[(uint8)input]; an input below params.min_input raises (as the C binding)."""
    p = ops_unary.UNARYS8.named(ops_unary.UNARYS8.check([int(v) for v in _buf(params, "params", "int32", 1)]))
    n = _buf_count(input, "input", "int8")
    x = _buf(input, "input", "int8", n)
    t = _buf(table, "table", "int8", 256)
    out = _buf(output, "output", "int8", n, writable=True)
    if n and int(x.min()) < p.min_input:
        raise ValueError("input: a value below %d (RSQRT int8 is only defined from the input zero point)"
                         % p.min_input)
    out[:] = t[x.view(np.uint8)]
    return output


def _clamp8(v):
    return int(min(max(int(v), -128), 127))


def _table(f):
    """The 256 entries of unary_s8's table, indexed by the input's byte (0..127, then -128..-1)."""
    return np.array([f(q) for q in list(range(128)) + list(range(-128, 0))], dtype=np.int8)


def abs_table_s8(input_scale, input_zero_point, output_scale, output_zero_point):
    """TFLite Micro's int8 ABS: |q - zp_in| (requantized by float32(s_in / s_out) when the
    scales differ) + zp_out, clamped."""
    s_in, s_out = _F32(input_scale), _F32(output_scale)
    rescale = s_in != s_out
    m, s = quantize_multiplier(float(_F32(s_in / s_out))) if rescale else (0, 0)

    def f(q):
        v = abs(q - int(input_zero_point))
        if rescale:
            v = int(requantize(v, m, s))
        return _clamp8(v + int(output_zero_point))

    return _table(f)


_RSQRT_SHIFT = 20  # TFLite Micro's kShift


def rsqrt_multiplier(input_scale, output_scale):
    """TFLite Micro's SetRsqrtOutputMultiplier: 1 / double(sqrtf(s_in) * s_out) (float32 product)."""
    prod = _F32(np.sqrt(_F32(input_scale)) * _F32(output_scale))
    return quantize_multiplier(1.0 / float(prod))


def rsqrt_table_s8(input_scale, input_zero_point, output_scale, output_zero_point):
    """TFLite Micro's int8 RSQRT for every input >= zp_in (0 below it: the kernel refuses those):
    v = q - zp_in; v == 0 gives 127, else 1/sqrt(v) from GetInvSqrtQuantizedMultiplierExp, shifted
    by 20, times the rescale multiplier, + zp_out, clamped."""
    m, s = rsqrt_multiplier(input_scale, output_scale)
    if s - _RSQRT_SHIFT < -31:
        raise ValueError("RSQRT int8: rescale shift %d below -31 (scales %g, %g)" % (s - _RSQRT_SHIFT, input_scale,
                                                                                       output_scale))

    def f(q):
        v = q - int(input_zero_point)
        if v < 0:
            return 0
        if v == 0:
            return 127
        im, ish = inv_sqrt_multiplier_exp(v)
        data = int(requantize(1, im, ish + _RSQRT_SHIFT))
        return _clamp8(int(requantize(data, m, s - _RSQRT_SHIFT)) + int(output_zero_point))

    return _table(f)
