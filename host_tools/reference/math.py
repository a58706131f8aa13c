"""numpy reference kernels of the MATH area (elementwise math, comparisons, logical ops and
reductions): one function per C kernel, the name of its spec entry's kernel. host_tools.reference
exports every kernel the spec names from its area's module."""

import numpy as np

from .core import _broadcast_index
from .qmath import requantize
from .spec_args import spec_kernel

__all__ = ["sub_s8", "binary_f32", "floor_div_f32", "minmax_s8", "compare_f32", "compare_s8", "compare_s32",
           "compare_s64", "compare_bool", "logical_bool", "logical_not_bool", "select_f32", "select_s8"]


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


@spec_kernel
def minmax_s8(input1, input2, output, p):
    """MINIMUM (op 0) / MAXIMUM (op 1) of the raw int8 values."""
    a, b = _operands(input1, input2, p)
    output[:] = np.where(a > b, a, b) if p.op == 1 else np.where(a < b, a, b)


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
