"""numpy reference of every micronn kernel, bit-exact with TFLite Micro.

One function per C kernel, same name and argument order as the `_micronn` binding:
output buffers are filled in place (and returned). All arithmetic is integer (int64).
"""

import time

import numpy as np

INT32_MIN = -(1 << 31)
INT32_MAX = (1 << 31) - 1

# Timing, so `micronn` under CPython has the device API.
TICK_UNIT = "ns"
TICK_SCALE = 1
ARCH = "numpy"


def ticks():
    return time.perf_counter_ns()


def sat_rounding_doubling_high_mul(a, b):
    """gemmlowp SaturatingRoundingDoublingHighMul, elementwise on int64 arrays."""
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    ab = a * b
    nudge = np.where(ab >= 0, 1 << 30, 1 - (1 << 30))
    # C integer division truncates toward zero.
    s = ab + nudge
    q = np.where(s >= 0, s >> 31, -((-s) >> 31))
    overflow = (a == INT32_MIN) & (b == INT32_MIN)
    return np.where(overflow, INT32_MAX, q).astype(np.int64)


def rounding_divide_by_pot(x, exponent):
    """gemmlowp RoundingDivideByPOT (round half away from zero), elementwise."""
    x = np.asarray(x, dtype=np.int64)
    exponent = np.asarray(exponent, dtype=np.int64)
    mask = (np.int64(1) << exponent) - 1
    remainder = x & mask
    threshold = (mask >> 1) + (x < 0)
    return (x >> exponent) + (remainder > threshold)


def requantize(x, multiplier, shift):
    """TFLite Micro MultiplyByQuantizedMultiplier (double rounding), elementwise int64."""
    x = np.asarray(x, dtype=np.int64)
    shift = np.asarray(shift, dtype=np.int64)
    left = np.maximum(shift, 0)
    right = np.maximum(-shift, 0)
    xl = ((x << left) + (1 << 31)) % (1 << 32) - (1 << 31)  # int32 wrap, as C does
    return rounding_divide_by_pot(sat_rounding_doubling_high_mul(xl, multiplier), right)


# ---------------------------------------------------------------------------
# Argument checks: the same rules and messages as the C bindings (mod_micronn.c).

_I8_CODES = ("b", "B", "c")
_I32_CODES = ("i", "l")


def _typecode(obj):
    if isinstance(obj, np.ndarray):
        return {np.dtype(np.int8): "b", np.dtype(np.uint8): "B", np.dtype(np.int32): "i",
                np.dtype(np.float32): "f"}.get(obj.dtype, obj.dtype.char)
    if isinstance(obj, (bytes, bytearray)):
        return "B"
    if isinstance(obj, memoryview):
        return obj.format
    if hasattr(obj, "typecode"):
        return obj.typecode
    raise TypeError("expected a buffer, got %s" % type(obj).__name__)


def _nbytes(obj):
    return obj.nbytes if isinstance(obj, (np.ndarray, memoryview)) else len(memoryview(obj).cast("B"))


def _buf(obj, name, dtype, count, writable=False):
    """Return a flat numpy view (int8, int32 or float32) of argument `name`, checked like the C binding."""
    try:
        code = _typecode(obj)
    except TypeError:
        raise TypeError("%s: expected a %s%s buffer, got %s"
                        % (name, "writable " if writable else "", dtype, type(obj).__name__)) from None
    if dtype == "int8":
        ok = code in ("b", "B")
    elif dtype == "int32":
        ok = code in _I32_CODES or code == "B"
    else:
        ok = code == "f" or code == "B"
    if not ok:
        raise ValueError("%s: expected %s data, got typecode '%s'" % (name, dtype, code))
    elem = 1 if dtype == "int8" else 4
    if count < 0 or _nbytes(obj) != count * elem:
        raise ValueError("%s: expected %s array of %d, got %d bytes" % (name, dtype, count, _nbytes(obj)))
    if isinstance(obj, np.ndarray):
        arr = obj.reshape(-1).view(np.uint8)
    else:
        arr = np.frombuffer(obj, dtype=np.uint8) if not writable else np.frombuffer(memoryview(obj).cast("B"), dtype=np.uint8)
    return arr.view({"int8": np.int8, "int32": np.int32, "float32": np.float32}[dtype])


def _int(v, name, lo, hi):
    if not isinstance(v, (int, np.integer)) or isinstance(v, bool):
        raise TypeError("%s: expected int, got %s" % (name, type(v).__name__))
    if v < lo or v > hi:
        raise ValueError("%s: %d out of range [%d, %d]" % (name, v, lo, hi))
    return int(v)


def _requant(multiplier, shift, channels):
    n = _nbytes(multiplier) // 4
    if n != 1 and n != channels:
        raise ValueError("multiplier: expected int32 array of 1 or %d, got %d" % (channels, n))
    mult = _buf(multiplier, "multiplier", "int32", n).astype(np.int64)
    sh = _buf(shift, "shift", "int32", n).astype(np.int64)
    for i in range(n):
        if mult[i] < 0:
            raise ValueError("multiplier[%d]: %d is negative" % (i, mult[i]))
        if sh[i] < -31 or sh[i] > 30:
            raise ValueError("shift[%d]: %d out of range [-31, 30]" % (i, sh[i]))
    return mult, sh


def _quant(input_offset, output_offset, act_min, act_max):
    q = (_int(input_offset, "input_offset", -127, 128), _int(output_offset, "output_offset", -128, 127),
         _int(act_min, "act_min", -128, 127), _int(act_max, "act_max", -128, 127))
    if q[2] > q[3]:
        raise ValueError("act_min %d > act_max %d" % (q[2], q[3]))
    return q


def fully_connected_s8(input, weights, bias, output, in_features, out_features,
                       input_offset, output_offset, multiplier, shift, act_min, act_max):
    """input (batches, in) @ weights (out, in)^T + bias -> requant -> clamp -> output (batches, out)."""
    in_f = _int(in_features, "in_features", 1, 1 << 24)
    out_f = _int(out_features, "out_features", 1, 1 << 24)
    n = _nbytes(input)
    if n == 0 or n % in_f:
        raise ValueError("input: expected int8 array of a multiple of in_features=%d, got %d" % (in_f, n))
    batches = n // in_f
    x = _buf(input, "input", "int8", batches * in_f).astype(np.int64).reshape(batches, in_f)
    w = _buf(weights, "weights", "int8", out_f * in_f).astype(np.int64).reshape(out_f, in_f)
    b = None if bias is None else _buf(bias, "bias", "int32", out_f).astype(np.int64)
    out = _buf(output, "output", "int8", batches * out_f, writable=True)
    in_off, out_off, lo, hi = _quant(input_offset, output_offset, act_min, act_max)
    mult, sh = _requant(multiplier, shift, out_f)
    # x (batches, in) @ w (out, in)^T -> acc (batches, out)
    acc = (x + in_off) @ w.T
    if b is not None:
        acc = acc + b
    acc = requantize(acc, mult, sh) + out_off
    out[:] = np.clip(acc, lo, hi).astype(np.int8).reshape(-1)
    return output
