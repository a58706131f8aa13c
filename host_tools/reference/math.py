"""numpy reference kernels of the MATH area (elementwise math, comparisons, logical ops and
reductions): one function per C kernel, the name of its spec entry's kernel. host_tools.reference
exports every kernel the spec names from its area's module."""

import numpy as np

from ..ops import ops_math
from .args import _buf, _params
from .core import _broadcast_index
from .qmath import _one_over_one_plus_x, requantize, sat_rounding_doubling_high_mul
from .spec_args import spec_kernel

__all__ = ["sub_s8", "binary_f32", "floor_div_f32", "minmax_s8", "compare_f32", "compare_s8", "compare_s32",
           "compare_s64", "compare_bool", "logical_bool", "logical_not_bool", "select_f32", "select_s8",
           "minmax_s64", "squared_difference_s8", "squared_difference_s32", "div_s8", "add_n_f32", "add_n_s8"]


def _operands(x1, x2, p):
    dims = [p["d%d" % k] for k in range(4)]
    a = x1[_broadcast_index(dims, [p["in1_s%d" % k] for k in range(4)]).reshape(-1)]
    b = x2[_broadcast_index(dims, [p["in2_s%d" % k] for k in range(4)]).reshape(-1)]
    return a, b


@spec_kernel
def sub_s8(input1, input2, output, p):
    """TFLite Micro's int8 SUB: rq(rq(a') - rq(b'), out) + output_offset, clamped (ADD's fields)."""
    a, b = _operands(input1.astype(np.int64), input2.astype(np.int64), p)
    ls = p.left_shift
    a = requantize((a + p.input1_offset) << ls, p.input1_multiplier, p.input1_shift)
    b = requantize((b + p.input2_offset) << ls, p.input2_multiplier, p.input2_shift)
    r = requantize(a - b, p.output_multiplier, p.output_shift) + p.output_offset
    output[:] = np.clip(r, p.act_min, p.act_max).astype(np.int8)


def _f32(bits):
    return np.array([bits], dtype=np.int32).view(np.float32)[0]


def _floor_mod(a, b):
    with np.errstate(all="ignore"):
        m = np.fmod(a, b)
        return np.where((m != 0) & ((b < 0) != (m < 0)), m + b, m).astype(np.float32)


_BINF = [
    lambda a, b: a + b,
    lambda a, b: a - b,
    lambda a, b: a * b,
    lambda a, b: a / b,
    lambda a, b: np.where(a < b, a, b),
    lambda a, b: np.where(a > b, a, b),
    lambda a, b: (a - b) * (a - b),
    _floor_mod,
]


@spec_kernel
def binary_f32(input1, input2, output, p):
    """float32 binary ops (params.op, see host_tools/ops/ops_math.py), then
    min(max(r, act_min), act_max) with C's comparisons (NaN and -0.0 kept)."""
    a, b = _operands(input1, input2, p)
    with np.errstate(all="ignore"):
        r = np.asarray(_BINF[p.op](a, b), dtype=np.float32)
    lo, hi = _f32(p.act_min), _f32(p.act_max)
    r = np.where(r < lo, lo, r)
    output[:] = np.where(hi < r, hi, r).astype(np.float32)


def _minmax(input1, input2, output, p):
    a, b = _operands(input1, input2, p)
    output[:] = np.where(a > b, a, b) if p.op == 1 else np.where(a < b, a, b)


_minmax.__name__ = "minmax_s8"
minmax_s8 = spec_kernel(_minmax)
minmax_s8.__doc__ = "MINIMUM (op 0) / MAXIMUM (op 1) of the raw int8 values."


def _floor_div(input1, input2, output, p):
    if np.any(input2 == 0):
        raise ValueError("input2: division by 0 (FLOOR_DIV)")
    a, b = _operands(input1.astype(np.float64), input2.astype(np.float64), p)
    with np.errstate(all="ignore"):
        output[:] = np.floor(a / b).astype(np.float32)


# floor_div_f32's binding (bind_math.c) checks its arguments as binary_f32's generated one does.
_floor_div.__name__ = "binary_f32"
floor_div_f32 = spec_kernel(_floor_div)
floor_div_f32.__name__ = floor_div_f32.__qualname__ = "floor_div_f32"
floor_div_f32.__doc__ = "FLOOR_DIV float32: floor of the double quotient; a 0 in input2 raises (as TFLM)."



def _named(name, fn, doc):
    """fn as the spec-bound kernel `name` (its checks are the generated binding's)."""
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return spec_kernel(fn)


# The comparisons of params.op (ops_math.CMP_OPS), as C compares (a NaN: only NOT_EQUAL is true).
_CMP = [np.equal, np.not_equal, np.greater, np.greater_equal, np.less, np.less_equal]


def _compare_plain(name):
    def kernel(input1, input2, output, p):
        a, b = _operands(input1, input2, p)
        output[:] = _CMP[p.op](a, b)
    return _named(name, kernel, "output = input1 op input2 (params.op), bool")


compare_f32, compare_s32, compare_s64, compare_bool = (
    _compare_plain(n) for n in ("compare_f32", "compare_s32", "compare_s64", "compare_bool"))


@spec_kernel
def compare_s8(input1, input2, output, p):
    """TFLite Micro's int8 comparisons: both inputs rq((x + offset) << left_shift, m, s), compared."""
    a, b = _operands(input1.astype(np.int64), input2.astype(np.int64), p)
    a = requantize((a + p.input1_offset) << p.left_shift, p.input1_multiplier, p.input1_shift)
    b = requantize((b + p.input2_offset) << p.left_shift, p.input2_multiplier, p.input2_shift)
    output[:] = _CMP[p.op](a, b)


@spec_kernel
def logical_bool(input1, input2, output, p):
    """LOGICAL_AND (op 0) / LOGICAL_OR (op 1) of bools."""
    a, b = _operands(input1 != 0, input2 != 0, p)
    output[:] = (a | b) if p.op == 1 else (a & b)


@spec_kernel
def logical_not_bool(input, output, count):
    """LOGICAL_NOT."""
    output[:] = input == 0


def _select(condition, x, y, output, p):
    dims = [p["d%d" % k] for k in range(4)]
    c, a, b = (v[_broadcast_index(dims, [p["%s_s%d" % (n, k)] for k in range(4)]).reshape(-1)]
               for v, n in ((condition, "cond"), (x, "x"), (y, "y")))
    output[:] = np.where(c != 0, a, b)


select_f32 = _named("select_f32", lambda *a: _select(*a), "SELECT_V2 float32: condition ? x : y")
select_s8 = _named("select_s8", lambda *a: _select(*a), "SELECT_V2 int8: condition ? x : y")


minmax_s64 = _named("minmax_s64", lambda *a: _minmax(*a), "MINIMUM (op 0) / MAXIMUM (op 1) of int64 values.")


@spec_kernel
def squared_difference_s8(input1, input2, output, p):
    """TFLite Micro's int8 SQUARED_DIFFERENCE: d = rq(a') - rq(b'), clamp(rq(d * d) + output_offset)."""
    a, b = _operands(input1.astype(np.int64), input2.astype(np.int64), p)
    a = requantize((a + p.input1_offset) << p.left_shift, p.input1_multiplier, p.input1_shift)
    b = requantize((b + p.input2_offset) << p.left_shift, p.input2_multiplier, p.input2_shift)
    r = requantize((a - b) * (a - b), p.output_multiplier, p.output_shift) + p.output_offset
    output[:] = np.clip(r, -128, 127).astype(np.int8)


@spec_kernel
def squared_difference_s32(input1, input2, output, p):
    """(input1 - input2)^2, wrapping as int32."""
    a, b = _operands(input1.astype(np.int64), input2.astype(np.int64), p)
    d = a - b
    output[:] = ((d * d) % (1 << 32)).astype(np.uint32).view(np.int32)


_CLZ = np.array([32 - v.bit_length() for v in range(256)], np.int64)  # CountLeadingZeros, 0..255


def _wrap32(x):
    return (x + (1 << 31)) % (1 << 32) - (1 << 31)


@spec_kernel
def div_s8(input1, input2, output, p):
    """TFLite Micro's int8 DIV (DivElementwise): a * GetReciprocal(b), rescaled; a total right
    shift past 31 as the live TFLM computes it (see mn_div_s8.c)."""
    a, b = _operands(input1.astype(np.int64), input2.astype(np.int64), p)
    a, b = a + p.input1_offset, b + p.input2_offset
    a, b = np.where(b < 0, -a, a), np.abs(b)
    h = _CLZ[b]
    inv = _one_over_one_plus_x(np.where(h < 32, (b << np.minimum(h, 31)) - (1 << 31), -(1 << 31)))
    headroom = _CLZ[np.where(a >= 0, a, -a - 1)] - 1  # CountLeadingSignBits (|a| <= 255)
    q = sat_rounding_doubling_high_mul(_wrap32(a << headroom), inv)
    v = sat_rounding_doubling_high_mul(q, p.output_multiplier)
    e = headroom + (31 - h) - p.output_shift
    mask = np.where(e < 32, (np.int64(1) << np.minimum(e, 31)) - 1, -1)
    r = (v >> (e & 31)) + ((v & mask) > (mask >> 1) + (v < 0)) + p.output_offset
    output[:] = np.clip(r, p.act_min, p.act_max).astype(np.int8)


def _add_n_args(params, output, inputs, dtype):
    """The checks of bind_math.c's add_n bindings: params (n_inputs pinned to the call's), output, inputs."""
    n = len(inputs)
    if not 2 <= n <= ops_math.ADDN_MAX_INPUTS:
        raise TypeError("add_n: expected 2 to %d inputs, got %d" % (ops_math.ADDN_MAX_INPUTS, n))
    spec = [(nm, n, n) if nm == "n_inputs" else (nm, lo, hi) for nm, lo, hi in ops_math.ADDN.ranges()]
    p = ops_math.ADDN.named(_params(params, spec, len(spec)))
    out = _buf(output, "output", dtype, p.count, writable=True)
    return p, out, [_buf(x, "input", dtype, p.count) for x in inputs]


def add_n_f32(params, output, *inputs):
    """ADD_N float32: 0.0f + input0 + input1 + ... in order."""
    p, out, xs = _add_n_args(params, output, inputs, "float32")
    acc = np.zeros(p.count, np.float32)
    for x in xs:
        acc = (acc + x).astype(np.float32)
    out[:] = acc
    return output


def add_n_s8(params, output, *inputs):
    """ADD_N int8 (TFLite Micro's AddN): the rescaled input offset plus every rescaled input, int32
    wrapping, requantized to the output."""
    p, out, xs = _add_n_args(params, output, inputs, "int8")
    ls = p.left_shift
    acc = requantize(np.full(p.count, p.input_offset << ls, np.int64), p.input_multiplier, p.input_shift)
    for x in xs:
        acc = _wrap32(acc + requantize((x.astype(np.int64) + p.input_offset) << ls, p.input_multiplier, p.input_shift))
    r = requantize(acc, p.output_multiplier, p.output_shift) + p.output_offset
    out[:] = np.clip(r, -128, 127).astype(np.int8)
    return output
