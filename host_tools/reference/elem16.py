"""numpy reference kernels of the INT16 area's elementwise ops (ops_elem16.py): one function per
C kernel, the name of its spec entry's kernel. host_tools.reference exports every kernel the spec
names from its area's module."""

import numpy as np

from .math import _minmax, _named, _operands, _select
from .qmath import requantize
from .spec_args import spec_kernel

__all__ = ["binary_s16", "minmax_s16", "select_s16", "abs_s16"]


def _wrap32(x):
    return (np.asarray(x, dtype=np.int64) + (1 << 31)) % (1 << 32) - (1 << 31)


@spec_kernel
def binary_s16(input1, input2, output, p):
    """int16 ADD (op 0), SUB (1), MUL (2), SQUARED_DIFFERENCE (3) as TFLite Micro: see
    host_tools/ops/ops_elem16.py (int32 arithmetic wrapping as the C kernel's)."""
    a, b = _operands(input1.astype(np.int64), input2.astype(np.int64), p)
    a, b = a + p.input1_offset, b + p.input2_offset
    if p.op == 2:
        raw = _wrap32(a * b)
    else:
        x1 = requantize(a << p.left_shift, p.input1_multiplier, p.input1_shift)
        x2 = requantize(b << p.left_shift, p.input2_multiplier, p.input2_shift)
        raw = _wrap32(x1 + x2 if p.op == 0 else x1 - x2)
        if p.op == 3:
            raw = _wrap32(raw * raw)
    r = _wrap32(requantize(raw, p.output_multiplier, p.output_shift) + p.output_offset)
    output[:] = np.clip(r, p.act_min, p.act_max).astype(np.int16)


minmax_s16 = _named("minmax_s16", lambda *a: _minmax(*a), "MINIMUM (op 0) / MAXIMUM (op 1) of raw int16 values.")
select_s16 = _named("select_s16", lambda *a: _select(*a), "SELECT_V2 int16: condition ? x : y")


@spec_kernel
def abs_s16(input, output, count, p):
    """ABS int16: mode 0 |x| wrapped to int16, 1 saturated, 2 rq(|x|) saturated."""
    v = np.abs(input.astype(np.int64))
    if p.mode == 2:
        v = requantize(v, p.multiplier, p.shift)
    output[:] = v.astype(np.uint16).view(np.int16) if p.mode == 0 else np.clip(v, -32768, 32767).astype(np.int16)
