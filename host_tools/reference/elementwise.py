"""numpy reference kernels of the elementwise area (same names and argument order as the bindings in
firmware/_micronn/bind_elementwise.c). Re-exported by host_tools.reference (its __init__).

CAST (integers: C conversions, sign extension, truncation modulo 2^n; float32 -> integer: truncated,
saturated, NaN -> 0), QUANTIZE between int8, uint8 and int32 and DEQUANTIZE uint8, CONCATENATION and
STRIDED_SLICE (byte moves, any element size), and int32 ADD/SUB/MUL/DIV/MINIMUM/MAXIMUM with
4-D broadcasting and the fused activation range, as TFLite Micro's reference kernels compute them
(int32 results wrap; DIV truncates toward zero).
"""

import numpy as np

from ..ops import table
from .args import _buf, _buf_count, _vbuf
from .args import _vcount as _count
from .args import _vparams as _params
from .core import _broadcast_index
from .layouts import (  # noqa: F401 (re-exported)
    BIN_ACT_MAX,
    BIN_ACT_MIN,
    BIN_D0,
    BIN_IN1_S0,
    BIN_IN2_S0,
    BIN_NPARAMS,
    BIN_OP,
    SLICE_D0,
    SLICE_ELEM,
    SLICE_NPARAMS,
    SLICE_S0,
    SLICE_START,
)
from .qmath import requantize
from .spec_args import spec_kernel

__all__ = ["cast", "concatenation", "strided_slice", "binary_s32", "requantize_s8_u8", "requantize_u8_s8",
           "requantize_s8_s32", "requantize_s32_s8", "dequantize_u8_f32", "CAST_SPEC", "SLICE_SPEC",
           "BINARY_SPEC", "BINARY_OPS", "CAST_DTYPES", "CAST_OUT_DTYPES", "ELEM_DTYPES"]

_I32_MIN, _I32_MAX = -(1 << 31), (1 << 31) - 1

# micronn dtype codes (oplist) CAST converts between: int8, uint8, int16, int32, float32, uint32,
# and from bool.
CAST_DTYPES = {0: np.int8, 1: np.uint8, 2: np.int16, 3: np.int32, 4: np.float32, 5: np.uint32, 7: np.bool_}
CAST_OUT_DTYPES = {k: v for k, v in CAST_DTYPES.items() if k != 7}  # TFLite Micro casts to no bool
_CAST_VIEW = {0: "int8", 1: "int8", 2: "int16", 3: "int32", 4: "float32", 5: "uint32", 7: "int8"}
CAST_SPEC = table.CAST.ranges()  # the op spec (host_tools/ops/table.py)

# Byte-moving ops work on elements of 1, 2, 4 or 8 bytes.
ELEM_DTYPES = {1: "int8", 2: "int16", 4: "uint32", 8: "uint64"}
_ELEM_NP = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}

_COUNT_MAX = 1 << 30


def _cast_from_f32(x, dt):
    """float32 -> integer dt: truncated toward zero, saturated to dt's range, NaN -> 0."""
    info = np.iinfo(dt)
    t = np.trunc(np.nan_to_num(x.astype(np.float64), nan=0.0, posinf=np.inf, neginf=-np.inf))
    return np.clip(t, info.min, info.max).astype(dt)


def cast(input, output, params):
    """output[i] = (out_type) input[i]: integers wrap modulo 2^bits as C; float32 -> integer
    truncates toward zero and saturates (NaN -> 0), as the TFLite Micro build the tests run;
    integers -> float32 round to nearest even; bool reads 0/1."""
    src, dst = _params(params, CAST_SPEC, 2)
    for name, d, ok in (("input_dtype", src, CAST_DTYPES), ("output_dtype", dst, CAST_OUT_DTYPES)):
        if d not in ok:
            raise ValueError("params: %s %d is not a type CAST supports" % (name, d))
    n = (_buf_count if src == 4 else _count)(input, "input", _CAST_VIEW[src])
    x = (_buf if src == 4 else _vbuf)(input, "input", _CAST_VIEW[src], n)
    x = (x.view(np.uint8) != 0) if src == 7 else x.view(CAST_DTYPES[src])
    out = (_buf if dst == 4 else _vbuf)(output, "output", _CAST_VIEW[dst], n, writable=True).view(CAST_DTYPES[dst])
    if src == 4 and dst == 4:
        out.view(np.uint32)[:] = x.view(np.uint32)  # the same bits
    elif src == 4:
        out[:] = _cast_from_f32(x, CAST_DTYPES[dst])
    elif dst == 4:
        out[:] = x.astype(np.float32)  # exact in float64 first, then one rounding
    else:
        out[:] = x.astype(np.int64).astype(CAST_DTYPES[dst])  # numpy integer astype wraps like C
    return output


def _elem(p0):
    if p0 not in ELEM_DTYPES:
        raise ValueError("params[0] (element_size): %d is not 1, 2, 4 or 8" % p0)
    return p0


def concatenation(params, output, *inputs):
    """Concatenate along one axis: output row r = input0 row r + input1 row r + ...

    params: element_size, outer (rows), n (inputs), then each input's row length in elements.
    """
    if len(inputs) < 1:
        raise TypeError("concatenation: expected at least one input")
    n = len(inputs)
    spec = (("element_size", 1, 8), ("outer", 1, _COUNT_MAX), ("n_inputs", n, n)) + tuple(
        ("size", 0, _COUNT_MAX) for k in range(n))
    p = _params(params, spec, 3 + n)
    elem = _elem(p[0])
    outer, sizes = p[1], p[3:]
    total = sum(sizes)
    if outer * total > _COUNT_MAX:
        raise ValueError("output: more than %d elements" % _COUNT_MAX)
    dt = ELEM_DTYPES[elem]
    out = _vbuf(output, "output", dt, outer * total, writable=True).view(_ELEM_NP[elem]).reshape(outer, total)
    col = 0
    for k, (x, size) in enumerate(zip(inputs, sizes)):
        xv = _vbuf(x, "input%d" % k, dt, outer * size).view(_ELEM_NP[elem]).reshape(outer, size)
        out[:, col:col + size] = xv
        col += size
    return output


SLICE_SPEC = table.SLICE.ranges()  # the op spec (host_tools/ops/table.py)


def _slice_span(p):
    lo = hi = p[SLICE_START]
    for k in range(5):
        step = (p[SLICE_D0 + k] - 1) * p[SLICE_S0 + k]
        lo += min(step, 0)
        hi += max(step, 0)
    return lo, hi


def strided_slice(input, output, params):
    """output[i0..i4] = input[start + i0 * s0 + ... + i4 * s4] (elements of element_size bytes)."""
    p = _params(params, SLICE_SPEC, SLICE_NPARAMS)
    elem = _elem(p[SLICE_ELEM])
    dt = ELEM_DTYPES[elem]
    dims = p[SLICE_D0:SLICE_D0 + 5]
    n_out = 1
    for d in dims:
        n_out *= d
    if n_out > _COUNT_MAX:
        raise ValueError("output: more than %d elements" % _COUNT_MAX)
    n_in = _count(input, "input", dt)
    lo, hi = _slice_span(p)
    if lo < 0 or hi >= n_in:
        raise ValueError("params: the slice reads elements %d..%d of an input of %d" % (lo, hi, n_in))
    x = _vbuf(input, "input", dt, n_in).view(_ELEM_NP[elem])
    out = _vbuf(output, "output", dt, n_out, writable=True).view(_ELEM_NP[elem])
    idx = np.full(dims, p[SLICE_START], dtype=np.int64)
    for k in range(5):
        shape = [1] * 5
        shape[k] = dims[k]
        idx = idx + (np.arange(dims[k], dtype=np.int64) * p[SLICE_S0 + k]).reshape(shape)
    out[:] = x[idx.reshape(-1)]
    return output


# binary_s32 params: op, output dims d0..d3, input1/input2 element strides (0 on broadcast
# dims), activation range.
BINARY_OPS = {"ADD": 0, "SUB": 1, "MUL": 2, "DIV": 3, "MINIMUM": 4, "MAXIMUM": 5}
_BIG = 1 << 24
BINARY_SPEC = table.BIN.ranges()  # the op spec (host_tools/ops/table.py)


def _wrap32(x):
    return ((x + (1 << 31)) & 0xFFFFFFFF) - (1 << 31)


def _span(p, s0, name):
    span = 1 + sum((p[BIN_D0 + k] - 1) * p[s0 + k] for k in range(4))
    if span > _COUNT_MAX:
        raise ValueError("%s: more than %d elements" % (name, _COUNT_MAX))
    return span


def binary_s32(input1, input2, output, params):
    """int32 ADD/SUB/MUL (wrapping), DIV (toward zero; x / 0 gives 0, INT32_MIN / -1 wraps),
    MINIMUM/MAXIMUM, with 4-D broadcasting, then clamped to [act_min, act_max]."""
    p = _params(params, BINARY_SPEC, BIN_NPARAMS)
    if p[BIN_ACT_MIN] > p[BIN_ACT_MAX]:
        raise ValueError("params: act_min %d > act_max %d" % (p[BIN_ACT_MIN], p[BIN_ACT_MAX]))
    dims = p[BIN_D0:BIN_D0 + 4]
    n_out = 1
    for d in dims:
        n_out *= d
    if n_out > _COUNT_MAX:
        raise ValueError("output: more than %d elements" % _COUNT_MAX)
    a = _vbuf(input1, "input1", "int32", _span(p, BIN_IN1_S0, "input1")).astype(np.int64)
    b = _vbuf(input2, "input2", "int32", _span(p, BIN_IN2_S0, "input2")).astype(np.int64)
    out = _vbuf(output, "output", "int32", n_out, writable=True)

    def index(s0):
        i0, i1, i2, i3 = (np.arange(d, dtype=np.int64) * s for d, s in zip(dims, p[s0:s0 + 4]))
        return (i0[:, None, None, None] + i1[None, :, None, None] + i2[None, None, :, None] + i3).reshape(-1)

    a, b = a[index(BIN_IN1_S0)], b[index(BIN_IN2_S0)]
    op = p[BIN_OP]
    if op == 0:
        r = _wrap32(a + b)
    elif op == 1:
        r = _wrap32(a - b)
    elif op == 2:
        r = _wrap32(a * b)
    elif op == 3:
        safe = np.where(b == 0, 1, b)
        q = np.abs(a) // np.abs(safe) * np.sign(a) * np.sign(safe)
        r = _wrap32(np.where(b == 0, 0, q))
    elif op == 4:
        r = np.minimum(a, b)
    else:
        r = np.maximum(a, b)
    out[:] = np.clip(r, p[BIN_ACT_MIN], p[BIN_ACT_MAX])
    return output


@spec_kernel
def mul_s8(input1, input2, output, p):
    """TFLite Micro's int8 MUL with 4-D broadcasting: clamp(rq((a + off1) * (b + off2), mult, shift)
    + output_offset, act_min, act_max)."""
    dims = [p["d%d" % k] for k in range(4)]
    a = input1[_broadcast_index(dims, [p["in1_s%d" % k] for k in range(4)])].astype(np.int64) + p.input1_offset
    b = input2[_broadcast_index(dims, [p["in2_s%d" % k] for k in range(4)])].astype(np.int64) + p.input2_offset
    r = requantize(a * b, p.multiplier, p.shift) + p.output_offset
    output[:] = np.clip(r, p.act_min, p.act_max).astype(np.int8).reshape(-1)


# The plain C reference kernel of the firmware (`_micronn.mul_s8_ref`) computes the same bytes.
mul_s8_ref = mul_s8


def _rescale(x, p, lo, hi, dt):
    """TFLite Micro's Requantize: int32 wrapping subtraction and addition, as x86 (and micronn's C)."""
    v = _wrap32(x.astype(np.int64) - p.input_zero_point)
    v = _wrap32(requantize(v, p.multiplier, p.shift) + p.output_zero_point)
    return np.clip(v, lo, hi).astype(dt)


@spec_kernel
def requantize_s8_u8(input, output, count, p):
    """QUANTIZE int8 -> uint8."""
    output[:] = _rescale(input, p, 0, 255, np.uint8)


@spec_kernel
def requantize_u8_s8(input, output, count, p):
    """QUANTIZE uint8 -> int8."""
    output[:] = _rescale(input, p, -128, 127, np.int8)


@spec_kernel
def requantize_s8_s32(input, output, count, p):
    """QUANTIZE int8 -> int32."""
    output[:] = _rescale(input, p, _I32_MIN, _I32_MAX, np.int32)


@spec_kernel
def requantize_s32_s8(input, output, count, p):
    """QUANTIZE int32 -> int8."""
    output[:] = _rescale(input, p, -128, 127, np.int8)


@spec_kernel
def dequantize_u8_f32(input, output, count, p):
    """DEQUANTIZE uint8 -> float32: scale * (input - zero_point), one float32 rounding."""
    scale = np.array([p.scale], np.int32).view(np.float32)[0]
    output[:] = scale * (input.astype(np.int32) - p.zero_point).astype(np.float32)
