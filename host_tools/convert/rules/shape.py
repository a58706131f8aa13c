"""Converter rules and rule families of the SHAPE area (ops_shape.py of the op spec): hand-written
rules register with registry.rule; rule families (for ops whose spec entry names a Rule) with
families.family.

Every data-movement op becomes copy_nd ops (one kernel, ops_shape.COPY): the op's output as a
walk of its input, `view` [(dim, input element step)] in output order from `start`, with a border
[(before, after)] per dim. copy() drops the dims that move nothing, merges dims that walk the input
contiguously and packs the params. TFLite Micro copies bytes in all these ops without looking at
the quantization (it checks none), so neither does micronn: int8 outputs are the input's bytes."""

import numpy as np
from micronn import oplist

from ...ops import ops_shape
from ..graph import BO, ConvertError
from ..registry import rule

_DIMS = ops_shape.COPY_DIMS
_OPCODE = {op.name: op.opcode for op in ops_shape.OPS}
_DT = {name: oplist.DTYPE_NAMES.index(name) for name in oplist.DTYPE_NAMES}


def _name(t):
    return oplist.DTYPE_NAMES[t.dtype]


def _count(t):
    return t.nbytes // oplist.DTYPE_SIZES[t.dtype]


def strides(shape):
    """Row-major element strides of `shape`."""
    out, acc = [], 1
    for d in reversed([int(v) for v in shape]):
        out.append(acc)
        acc *= d
    return out[::-1]


def copy_params(elem, view, start=0, border=None, mode=0, value=0):
    """The COPY params of output dims `view` [(dim, input step)] (outer first) from input element
    `start`, with `border` [(before, after)] per dim (mode 0: `value`; 1 REFLECT, 2 SYMMETRIC)."""
    border = border or [(0, 0)] * len(view)
    dims = []  # [d, s, b, a]
    for (d, s), (b, a) in zip(view, border):
        d, s, b, a = int(d), int(s), int(b), int(a)
        if d == 1 and b == 0 and a == 0:
            continue  # moves nothing
        if d == 1:
            s = 0
        prev = dims[-1] if dims else None
        # dim k then k+1 walk the input as one dim of d_k * d_(k+1) when s_k = d_(k+1) * s_(k+1),
        # and k+1 has no border (a constant border of k covers whole rows of k+1).
        if prev and b == 0 and a == 0 and prev[1] == d * s and (mode == 0 or prev[2] == prev[3] == 0):
            prev[0] *= d
            prev[1] = s
            prev[2] *= d
            prev[3] *= d
            continue
        dims.append([d, s, b, a])
    if len(dims) > _DIMS:
        raise ConvertError("the copy needs %d dims, more than copy_nd's %d" % (len(dims), _DIMS))
    dims = [[1, 0, 0, 0]] * (_DIMS - len(dims)) + dims
    f = {"element_size": elem, "mode": mode, "value": value, "start": start}
    for k, (d, s, b, a) in enumerate(dims):
        f["d%d" % k], f["s%d" % k], f["b%d" % k], f["a%d" % k] = d, s, b, a
    try:
        return ops_shape.COPY.pack(**f)
    except ValueError as e:
        raise ConvertError(str(e)) from None


def copy(c, n, name, x, y, view, start=0, border=None, mode=0, value=0, tag=""):
    """Add a copy_nd op (the opcode of TFLite op `name`) writing y from x."""
    values = copy_params(oplist.DTYPE_SIZES[x.dtype], view, start, border, mode, value)
    want = 1
    for k in range(_DIMS):
        want *= values[ops_shape.COPY.index["d%d" % k]] + values[ops_shape.COPY.index["b%d" % k]] \
            + values[ops_shape.COPY.index["a%d" % k]]
    if want != _count(y):
        raise ConvertError("output %s has %d elements, the op makes %d" % (y.shape, _count(y), want))
    c.add_op(_OPCODE[name], name, n, [x, c.params("%s%d%s" % (name.lower(), n, tag), values)], [y])


def _same_type(name, x, y):
    if y.dtype != x.dtype:
        raise ConvertError("%s: output %s is %s, the input %s" % (name, y.name, _name(y), _name(x)))


def _const_ints(t, what, name, dtypes=(oplist.INT32,)):
    if t is None or not t.is_const or t.dtype not in dtypes:
        raise ConvertError("%s: %s must be a constant %s tensor" % (
            name, what, " or ".join(oplist.DTYPE_NAMES[d] for d in dtypes)))
    return np.frombuffer(t.data, "<i4" if t.dtype == oplist.INT32 else "<i8").astype(np.int64).tolist()


def _nonempty(name, x):
    if any(int(d) == 0 for d in x.shape):
        raise ConvertError("%s: empty input %s is not supported" % (name, tuple(x.shape)))


def _dtypes(name):
    return tuple(_DT[d] for _, d in next(op for op in ops_shape.OPS if op.name == name).tflite)


# ---------------------------------------------------------------------------- TRANSPOSE
@rule(BO.TRANSPOSE, dtypes=_dtypes("TRANSPOSE"))
def _transpose(c, n, op):
    (x, perm), (y,) = c.io(op, 2)
    _same_type("TRANSPOSE", x, y)
    rank = len(x.shape)
    if rank > 5:
        raise ConvertError("TRANSPOSE: rank %d (TFLite Micro takes 1 to 5 dims)" % rank)
    p = _const_ints(perm, "perm", "TRANSPOSE")
    if sorted(p) != list(range(rank)):
        raise ConvertError("TRANSPOSE: perm %s is not a permutation of the %d dims" % (p, rank))
    _nonempty("TRANSPOSE", x)
    want = tuple(int(x.shape[k]) for k in p)
    if tuple(y.shape) != want:
        raise ConvertError("TRANSPOSE: output shape %s, the perm makes %s" % (tuple(y.shape), want))
    st = strides(x.shape)
    copy(c, n, "TRANSPOSE", x, y, [(x.shape[k], st[k]) for k in p])


# ---------------------------------------------------------------------------- PAD, PADV2
def _pad_value(name, x, y, cv):
    """The border element's int32 bits: TFLite Micro's pad value (PAD: 0, the output zero point
    for int8; PADV2: constant_values)."""
    if cv is None:
        if name == "PADV2":
            raise ConvertError("PADV2: constant_values missing")
        return y.zero_point if x.dtype == oplist.INT8 else 0
    if not cv.is_const or cv.dtype != x.dtype or _count(cv) != 1:
        raise ConvertError("%s: constant_values must be one constant %s value" % (name, _name(x)))
    if x.dtype == oplist.INT8 and (np.float32(cv.scale), cv.zero_point) != (np.float32(y.scale), y.zero_point):
        raise ConvertError("%s: constant_values quantization (%g, %d) differs from the output's (%g, %d) "
                           "(TFLite Micro requires them equal)" % (name, cv.scale, cv.zero_point, y.scale, y.zero_point))
    raw = cv.data[:oplist.DTYPE_SIZES[cv.dtype]]
    return int(np.frombuffer(raw, {1: "<i1", 2: "<i2", 4: "<i4"}[len(raw)])[0])


def _pads(name, x, y, paddings, dtypes=(oplist.INT32,), limit=None):
    """[(before, after)] per dim (PAD reads int32 paddings only, as TFLite Micro does)."""
    rank = len(x.shape)
    p = _const_ints(paddings, "paddings", name, dtypes)
    if len(p) != 2 * rank:
        raise ConvertError("%s: %d paddings for rank %d (2 per dim)" % (name, len(p), rank))
    pads = [(p[2 * k], p[2 * k + 1]) for k in range(rank)]
    for k, (b, a) in enumerate(pads):
        if b < 0 or a < 0:
            raise ConvertError("%s: negative padding %s on dim %d" % (name, (b, a), k))
        if limit is not None and max(b, a) > limit[k]:
            raise ConvertError("%s: padding %s on dim %d of size %d (%s allows at most %d)"
                               % (name, (b, a), k, x.shape[k], name, limit[k]))
    want = tuple(int(x.shape[k]) + b + a for k, (b, a) in enumerate(pads))
    if tuple(y.shape) != want:
        raise ConvertError("%s: output shape %s, the paddings make %s" % (name, tuple(y.shape), want))
    return pads


def _pad_rule(name):
    @rule(getattr(BO, name), dtypes=_dtypes(name))
    def convert(c, n, op):
        (x, paddings, cv), (y,) = c.io(op, 3)
        _same_type(name, x, y)
        if len(x.shape) > 5:
            raise ConvertError("%s: rank %d (TFLite Micro takes at most 5 dims)" % (name, len(x.shape)))
        _nonempty(name, x)
        pads = _pads(name, x, y, paddings)
        value = _pad_value(name, x, y, cv)
        st = strides(x.shape)
        copy(c, n, name, x, y, [(d, s) for d, s in zip(x.shape, st)], border=pads, value=value)

    return convert


for _nm in ("PAD", "PADV2"):
    _pad_rule(_nm)
