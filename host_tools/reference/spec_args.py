"""The argument checks of the spec-bound kernels (binding="spec" in host_tools/ops/table.py):
exactly what their generated C binding checks (host_tools/ops/gen.py), in the same order and
with the same messages, so a numpy kernel only computes.

    @spec_kernel
    def mul_s8(input1, input2, output, p):   # flat numpy views, then p: params by field name
        ...

The kernel is called with the checked views in the op's argument order (outputs writable; None
for an absent optional operand), the
element count after them when the op has operands without a count of their own, and the params
(a host_tools.ops.spec.Params: p.act_min, p["d0"]) in place of the params buffer, last.
"""

import functools

import numpy as np

from ..ops import table
from .args import _buf, _buf_count, _count, _vbuf, _vcount

_COUNT_MAX = 1 << 30
_SPEC_OPS = {op.kernel: op for op in table.OPS if op.binding == "spec"}


def _view(obj, name, dtype, count, writable):
    if dtype == "uint8":  # checked as the binding's MN_I8: any 1-byte items
        return _buf(obj, name, "int8", count, writable).view(np.uint8)
    if dtype in ("int8", "int32", "float32"):
        return _buf(obj, name, dtype, count, writable)
    return _vbuf(obj, name, dtype, count, writable)


def _elements(obj, name, dtype):
    if dtype == "uint8":
        return _buf_count(obj, name, "int8")
    return _buf_count(obj, name, dtype) if dtype in ("int8", "int32", "float32") else _vcount(obj, name, dtype)


def _span(p, dims, strides, name):
    nd = sum(1 for f in p._layout.fields if f.name.startswith(dims) and f.name[len(dims):].isdigit())
    span = 1 + sum((p["%s%d" % (dims, k)] - 1) * p["%s%d" % (strides, k)] for k in range(nd))
    if span > _COUNT_MAX:
        raise ValueError("%s: more than %d elements" % (name, _COUNT_MAX))
    return span


def _size(t, p, n):
    if t.count:
        return _count(t.name, *(p[f] for f in t.count))
    if t.span:
        return _span(p, t.span[0], t.span[1], t.name)
    return t.size if t.size else n


def _check_requant_array(a, name):
    """As the binding's mn_check_requant_array: multipliers >= 0, shifts in [-31, 30]."""
    for i, v in enumerate(a.tolist()):
        if (v < -31 or v > 30) if name == "shift" else v < 0:
            raise ValueError("%s[%d]: %d %s" % (name, i, v, "out of range [-31, 30]" if name == "shift" else "is negative"))


def spec_kernel(fn):
    """Check a call of the spec-bound kernel named fn.__name__ as its C binding does, then run fn."""
    op = _SPEC_OPS[fn.__name__]
    spec_args = op.kernel_args()
    lay = op.params
    free = next((t for t in spec_args if t.layout is None and t.free), None)

    @functools.wraps(fn)
    def kernel(*args):
        if len(args) != len(spec_args):
            raise TypeError("%s: expected %d arguments, got %d" % (op.kernel, len(spec_args), len(args)))
        p = None
        if lay is not None:
            raw = args[[t.layout is not None for t in spec_args].index(True)]
            p = lay.named(lay.check([int(v) for v in _buf(raw, "params", "int32", len(lay))]))
        n = _elements(args[spec_args.index(free)], free.name, free.dtype) if free is not None else None
        sizes = {t.name: _size(t, p, n) for t in op.outputs}  # output counts first, as in C
        views = []
        for a, t in zip(args, spec_args):
            if t.layout is None and t.optional and a is None:
                views.append(None)
            elif t.layout is None:
                out = t in op.outputs
                views.append(_view(a, t.name, t.dtype, sizes[t.name] if out else _size(t, p, n),
                                   out or t.writable))
                if t.dtype == "int32" and t.name in ("multiplier", "shift") and not (out or t.writable):
                    _check_requant_array(views[-1], t.name)
        fn(*views, *([n] if free is not None else []), *([p] if lay is not None else []))
        return args[spec_args.index(op.outputs[0])]

    return kernel
