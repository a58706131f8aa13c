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


def _i8(buf):
    return np.frombuffer(buf, dtype=np.int8) if not isinstance(buf, np.ndarray) else buf.view(np.int8).reshape(-1)


def _i32(buf):
    if isinstance(buf, np.ndarray):
        return buf.view(np.int32).reshape(-1)
    return np.frombuffer(buf, dtype=np.int32)


def _out_i8(buf):
    arr = np.asarray(buf) if isinstance(buf, np.ndarray) else np.frombuffer(buf, dtype=np.int8)
    return arr.view(np.int8).reshape(-1)


def fully_connected_s8(input, weights, bias, output, in_features, out_features,
                       input_offset, output_offset, multiplier, shift, act_min, act_max):
    """input (batches, in) @ weights (out, in)^T + bias -> requant -> clamp -> output (batches, out)."""
    x = _i8(input).astype(np.int64).reshape(-1, in_features)
    w = _i8(weights).astype(np.int64).reshape(out_features, in_features)
    acc = (x + input_offset) @ w.T
    if bias is not None:
        acc = acc + _i32(bias).astype(np.int64)
    mult = _i32(multiplier).astype(np.int64)
    sh = _i32(shift).astype(np.int64)
    acc = requantize(acc, mult, sh) + output_offset
    out = _out_i8(output)
    out[:] = np.clip(acc, act_min, act_max).astype(np.int8).reshape(-1)
    return output
