"""numpy reference kernels of the SHAPE area (shape and data movement ops): one function per C kernel, the
name of its spec entry's kernel. host_tools.reference exports every kernel the spec names from
its area's module.

copy_nd is the one kernel of the area's data-movement ops (ops_shape.py): the same argument
checks and messages as its binding (firmware/_micronn/bind_shape.c), then the copy as numpy
fancy indexing."""

import numpy as np

from ..ops import ops_shape
from .args import _vbuf, _vcount, _vparams

_COUNT_MAX = 1 << 30
_DIMS = ops_shape.COPY_DIMS
_COPY = ops_shape.COPY
COPY_SPEC = _COPY.ranges()
_ELEM = {1: ("int8", np.uint8), 2: ("int16", np.uint16), 4: ("uint32", np.uint32), 8: ("uint64", np.uint64)}


def _dim_index(b, d, a, mode):
    """The region index of every output index of one dim (-1: the border of mode 0)."""
    j = np.arange(b + d + a, dtype=np.int64) - b
    if mode == 0:
        return np.where((j >= 0) & (j < d), j, -1)
    off = 1 if mode == 1 else 0
    return np.where(j < 0, off - 1 - j, np.where(j < d, j, 2 * d - 1 - off - j))


def copy_nd(input, output, params):
    """output [b_k + d_k + a_k] = input[start + sum_k i_k * s_k] in the region, the border
    value (mode 0) or the region mirrored (1 REFLECT, 2 SYMMETRIC) around it."""
    p = _COPY.named(_vparams(params, COPY_SPEC, len(_COPY)))
    if p.element_size not in _ELEM:
        raise ValueError("params[0] (element_size): %d is not 1, 2, 4 or 8" % p.element_size)
    dt, np_dt = _ELEM[p.element_size]
    d = [p["d%d" % k] for k in range(_DIMS)]
    s = [p["s%d" % k] for k in range(_DIMS)]
    b = [p["b%d" % k] for k in range(_DIMS)]
    a = [p["a%d" % k] for k in range(_DIMS)]
    n_out, lo, hi = 1, p.start, p.start
    for k in range(_DIMS):
        most = d[k] - (p.mode == 1)
        if p.mode != 0 and (b[k] > most or a[k] > most):
            raise ValueError("params: dim %d: mirrored borders %d, %d of a region of %d (at most %d)"
                             % (k, b[k], a[k], d[k], most))
        n_out *= b[k] + d[k] + a[k]
        if n_out > _COUNT_MAX:
            raise ValueError("output: more than %d elements" % _COUNT_MAX)
        step = (d[k] - 1) * s[k]
        lo += min(step, 0)
        hi += max(step, 0)
    n_in = _vcount(input, "input", dt)
    if lo < 0 or hi >= n_in or hi >= _COUNT_MAX:
        raise ValueError("params: the copy reads elements %d..%d of an input of %d" % (lo, hi, n_in))
    x = _vbuf(input, "input", dt, n_in).view(np_dt)
    out = _vbuf(output, "output", dt, n_out, writable=True).view(np_dt)
    at = np.full([1] * _DIMS, p.start, np.int64)
    border = np.zeros([1] * _DIMS, bool)
    for k in range(_DIMS):
        i = _dim_index(b[k], d[k], a[k], p.mode)
        shape = [1] * _DIMS
        shape[k] = len(i)
        at = at + (np.maximum(i, 0) * s[k]).reshape(shape)
        border = border | (i < 0).reshape(shape)
    at, border = np.broadcast_arrays(at, border)
    value = np.array([p.value], np.int64).astype(np.uint64).view(np.uint64).astype(np_dt)[0]
    out[:] = np.where(border.reshape(-1), value, x[np.where(border, p.start, at).reshape(-1)])
    return output
