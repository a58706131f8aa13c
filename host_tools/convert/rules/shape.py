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

from ...ops import ops_shape, table
from ..graph import BO, ConvertError, Tensor
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


def _axis(name, t, rank):
    """One constant int32 axis, negative from the end, resolved."""
    (a,) = _const_ints(t, "axis", name) if t is not None and _count(t) == 1 else (None,)
    if a is None:
        raise ConvertError("%s: the axis must be one constant int32 value" % name)
    r = a + rank if a < 0 else a
    if not 0 <= r < rank:
        raise ConvertError("%s: axis %d out of range for rank %d" % (name, a, rank))
    return r


def _prod(dims):
    return int(np.prod([int(d) for d in dims], dtype=np.int64))


def _parts(c, n, name, x, outs, axis, sizes, drop_axis=False):
    """A copy of each part of x along `axis` (sizes[k] of it) into outs[k] (the axis dropped
    from its shape for UNPACK)."""
    outer, dim, inner = _prod(x.shape[:axis]), int(x.shape[axis]), _prod(x.shape[axis + 1:])
    at = 0
    for k, (y, size) in enumerate(zip(outs, sizes)):
        _same_type(name, x, y)
        shape = list(x.shape)
        shape[axis] = size
        if drop_axis:
            del shape[axis]
        if tuple(y.shape) != tuple(shape):
            raise ConvertError("%s: output %d shape %s, expected %s" % (name, k, tuple(y.shape), tuple(shape)))
        copy(c, n, name, x, y, [(outer, dim * inner), (size * inner, 1)], start=at * inner, tag="_%d" % k)
        at += size


# ---------------------------------------------------------------------------- SLICE
@rule(BO.SLICE, dtypes=_dtypes("SLICE"))
def _slice(c, n, op):
    (x, begin, size), (y,) = c.io(op, 3)
    _same_type("SLICE", x, y)
    rank = len(x.shape)
    if rank > 5:
        raise ConvertError("SLICE: rank %d (TFLite Micro takes at most 5 dims)" % rank)
    b = _const_ints(begin, "begin", "SLICE", (oplist.INT32, oplist.INT64))
    sz = _const_ints(size, "size", "SLICE", (oplist.INT32, oplist.INT64))
    if len(b) != rank or len(sz) != rank:
        raise ConvertError("SLICE: begin %s and size %s need %d entries" % (b, sz, rank))
    shape = []
    for k in range(rank):
        d = int(x.shape[k])
        s_k = d - b[k] if sz[k] == -1 else sz[k]
        if b[k] < 0 or s_k < 1 or b[k] + s_k > d:
            raise ConvertError("SLICE: begin %d, size %d on dim %d of size %d (an empty or outside slice)"
                               % (b[k], sz[k], k, d))
        shape.append(s_k)
    if tuple(y.shape) != tuple(shape):
        raise ConvertError("SLICE: output shape %s, the slice is %s" % (tuple(y.shape), tuple(shape)))
    st = strides(x.shape)
    copy(c, n, "SLICE", x, y, list(zip(shape, st)), start=sum(bk * sk for bk, sk in zip(b, st)))


# ---------------------------------------------------------------------------- SPLIT, SPLIT_V, UNPACK
@rule(BO.SPLIT, dtypes=_dtypes("SPLIT"), data_input=1)
def _split(c, n, op):
    (axis_t, x), outs = c.io(op, 2)
    _nonempty("SPLIT", x)
    axis = _axis("SPLIT", axis_t, len(x.shape))
    o = op.builtinOptions
    num = o.numSplits if o is not None else len(outs)
    dim = int(x.shape[axis])
    if num != len(outs) or num < 1 or dim % num:
        raise ConvertError("SPLIT: %d outputs, num_splits %d, of a dim of %d" % (len(outs), num, dim))
    _parts(c, n, "SPLIT", x, outs, axis, [dim // num] * num)


@rule(BO.SPLIT_V, dtypes=_dtypes("SPLIT_V"))
def _split_v(c, n, op):
    (x, size_splits, axis_t), outs = c.io(op, 3)
    _nonempty("SPLIT_V", x)
    axis = _axis("SPLIT_V", axis_t, len(x.shape))
    # The parts' sizes from the outputs (TFLite Micro's kernel reads them there).
    sizes = [int(y.shape[axis]) if len(y.shape) == len(x.shape) else -1 for y in outs]
    if any(s < 1 for s in sizes) or sum(sizes) != int(x.shape[axis]):
        raise ConvertError("SPLIT_V: output sizes %s along axis %d do not add up to %d"
                           % (sizes, axis, x.shape[axis]))
    _parts(c, n, "SPLIT_V", x, outs, axis, sizes)


@rule(BO.UNPACK, dtypes=_dtypes("UNPACK"))
def _unpack(c, n, op):
    (x,), outs = c.io(op, 1)
    _nonempty("UNPACK", x)
    o = op.builtinOptions
    rank = len(x.shape)
    a = o.axis if o is not None else 0
    axis = a + rank if a < 0 else a
    if not 0 <= axis < rank:
        raise ConvertError("UNPACK: axis %d out of range for rank %d" % (a, rank))
    num = o.num if o is not None else len(outs)
    if len(outs) != int(x.shape[axis]) or num != len(outs):
        raise ConvertError("UNPACK: %d outputs, num %d, for a dim of %d" % (len(outs), num, x.shape[axis]))
    _parts(c, n, "UNPACK", x, outs, axis, [1] * len(outs), drop_axis=True)


# ---------------------------------------------------------------------------- PACK
_PACK_DTYPES = (oplist.FLOAT32, oplist.INT8, oplist.INT16, oplist.INT32, oplist.INT64)


@rule(BO.PACK, dtypes=_PACK_DTYPES)
def _pack(c, n, op):
    """PACK is CONCATENATION of its inputs' rows (TFLite Micro copies the bytes: no quantization
    check, unlike its CONCATENATION)."""
    ins = [c.tensor(i) for i in op.inputs]
    (y,) = [c.tensor(i) for i in op.outputs]
    x = ins[0]
    o = op.builtinOptions
    rank = len(y.shape)
    a = o.axis if o is not None else 0
    axis = a + rank if a < 0 else a
    if not 0 <= axis < rank:
        raise ConvertError("PACK: axis %d out of range for rank %d" % (a, rank))
    most = next(f.hi for f in table.CONCAT.fields if f.name == "n_inputs")
    if not 1 <= len(ins) <= most:
        raise ConvertError("PACK: %d inputs (micronn packs at most %d)" % (len(ins), most))
    if o is not None and o.valuesCount != len(ins):
        raise ConvertError("PACK: values_count %d for %d inputs" % (o.valuesCount, len(ins)))
    for t in ins:
        if t.dtype != y.dtype or tuple(t.shape) != tuple(x.shape):
            raise ConvertError("PACK: input %s (%s %s) differs from input 0 (%s %s)"
                               % (t.name, _name(t), t.shape, _name(x), x.shape))
    _nonempty("PACK", x)
    want = tuple(x.shape[:axis]) + (len(ins),) + tuple(x.shape[axis:])
    if tuple(y.shape) != want:
        raise ConvertError("PACK: output shape %s, expected %s" % (tuple(y.shape), want))
    size = _prod(x.shape[axis:])
    try:
        values = table.CONCAT.pack([size] * len(ins), element_size=oplist.DTYPE_SIZES[y.dtype],
                                   outer=_prod(x.shape[:axis]), n_inputs=len(ins))
    except ValueError as e:
        raise ConvertError("PACK: %s" % e) from None
    c.add_op(oplist.CONCATENATION, "PACK", n, [c.params("pack%d" % n, values)] + ins, [y])


# ---------------------------------------------------------------------------- REVERSE_V2
@rule(BO.REVERSE_V2, dtypes=_dtypes("REVERSE_V2"))
def _reverse(c, n, op):
    (x, axes_t), (y,) = c.io(op, 2)
    _same_type("REVERSE_V2", x, y)
    rank = len(x.shape)
    if rank > 6:
        raise ConvertError("REVERSE_V2: rank %d (TFLite Micro takes at most 6 dims)" % rank)
    axes = _const_ints(axes_t, "axis", "REVERSE_V2")
    if not axes:
        raise ConvertError("REVERSE_V2: no axis (TFLite Micro needs at least one)")
    res = sorted(a + rank if a < 0 else a for a in axes)
    if any(not 0 <= a < rank for a in res):
        raise ConvertError("REVERSE_V2: axes %s out of range for rank %d" % (axes, rank))
    if any(res[k] + 1 != res[k + 1] for k in range(len(res) - 1)):
        raise ConvertError("REVERSE_V2: axes %s are not one run of adjacent axes (TFLite Micro "
                           "refuses them)" % (axes,))
    _nonempty("REVERSE_V2", x)
    if tuple(y.shape) != tuple(x.shape):
        raise ConvertError("REVERSE_V2: output shape %s, the input's %s" % (tuple(y.shape), tuple(x.shape)))
    st = strides(x.shape)
    view = [(d, -s if k in res else s) for k, (d, s) in enumerate(zip(x.shape, st))]
    start = sum((int(x.shape[k]) - 1) * st[k] for k in res)
    copy(c, n, "REVERSE_V2", x, y, view, start=start)


# ---------------------------------------------------------------------------- MIRROR_PAD
@rule(BO.MIRROR_PAD, dtypes=_dtypes("MIRROR_PAD"))
def _mirror_pad(c, n, op):
    (x, paddings), (y,) = c.io(op, 2)
    _same_type("MIRROR_PAD", x, y)
    _nonempty("MIRROR_PAD", x)
    o = op.builtinOptions
    reflect = (o.mode if o is not None else 0) == 0  # schema MirrorPadMode: 0 REFLECT, 1 SYMMETRIC
    limit = [int(d) - (1 if reflect else 0) for d in x.shape]
    pads = _pads("MIRROR_PAD", x, y, paddings, (oplist.INT32, oplist.INT64), limit=limit)
    st = strides(x.shape)
    copy(c, n, "MIRROR_PAD", x, y, list(zip(x.shape, st)), border=pads, mode=1 if reflect else 2)


# ---------------------------------------------------------------------------- DEPTH_TO_SPACE, SPACE_TO_DEPTH
def _block(name, op):
    o = op.builtinOptions
    bs = o.blockSize if o is not None else 0
    if bs < 1:
        raise ConvertError("%s: block_size %d (at least 1)" % (name, bs))
    return bs


def _nhwc(name, x, y):
    _same_type(name, x, y)
    if len(x.shape) != 4 or len(y.shape) != 4:
        raise ConvertError("%s: 4-D NHWC input and output only, as TFLite Micro" % name)
    _nonempty(name, x)
    return [int(d) for d in x.shape]


@rule(BO.DEPTH_TO_SPACE, dtypes=_dtypes("DEPTH_TO_SPACE"))
def _depth_to_space(c, n, op):
    (x,), (y,) = c.io(op, 1)
    nb, h, w, ch = _nhwc("DEPTH_TO_SPACE", x, y)
    bs = _block("DEPTH_TO_SPACE", op)
    if ch % (bs * bs):
        raise ConvertError("DEPTH_TO_SPACE: %d channels do not divide by block_size^2 = %d" % (ch, bs * bs))
    co = ch // (bs * bs)
    if tuple(y.shape) != (nb, h * bs, w * bs, co):
        raise ConvertError("DEPTH_TO_SPACE: output shape %s, expected %s" % (tuple(y.shape), (nb, h * bs, w * bs, co)))
    # output [n, h, i, w, j, c] = input [n, h, w, i, j, c]
    copy(c, n, "DEPTH_TO_SPACE", x, y, [(nb, h * w * ch), (h, w * ch), (bs, bs * co), (w, ch), (bs, co), (co, 1)])


@rule(BO.SPACE_TO_DEPTH, dtypes=_dtypes("SPACE_TO_DEPTH"))
def _space_to_depth(c, n, op):
    (x,), (y,) = c.io(op, 1)
    nb, h, w, ch = _nhwc("SPACE_TO_DEPTH", x, y)
    bs = _block("SPACE_TO_DEPTH", op)
    if h % bs or w % bs:
        raise ConvertError("SPACE_TO_DEPTH: %dx%d does not divide by block_size %d" % (h, w, bs))
    want = (nb, h // bs, w // bs, ch * bs * bs)
    if tuple(y.shape) != want:
        raise ConvertError("SPACE_TO_DEPTH: output shape %s, expected %s" % (tuple(y.shape), want))
    # output [n, h, w, i, j, c] = input [n, h, i, w, j, c]
    copy(c, n, "SPACE_TO_DEPTH", x, y, [(nb, h * w * ch), (h // bs, bs * w * ch), (w // bs, bs * ch),
                                        (bs, w * ch), (bs, ch), (ch, 1)])


# ---------------------------------------------------------------------------- SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND
def _batch_space(name, x, y, block_t, pads_t):
    """(input as [N, H, W, C], output likewise, (bh, bw), [[top, bottom], [left, right]]): TFLite
    Micro's 3-D (NHC) and 4-D (NHWC) forms, 3-D as W = 1."""
    _same_type(name, x, y)
    rank = len(x.shape)
    if not 3 <= rank <= 4 or len(y.shape) != rank:
        raise ConvertError("%s: 3-D or 4-D input and output only, as TFLite Micro" % name)
    _nonempty(name, x)
    block = _const_ints(block_t, "block_shape", name)
    pads = _const_ints(pads_t, "paddings" if name == "SPACE_TO_BATCH_ND" else "crops", name)
    if len(block) != rank - 2 or len(pads) != 2 * (rank - 2):
        raise ConvertError("%s: block_shape %s and paddings %s for rank %d" % (name, block, pads, rank))
    if any(b < 1 for b in block) or any(p < 0 for p in pads):
        raise ConvertError("%s: block_shape %s must be positive, paddings %s not negative" % (name, block, pads))

    def four(s):
        s = [int(d) for d in s]
        return s if rank == 4 else [s[0], s[1], 1, s[2]]

    if rank == 3:
        block, pads = block + [1], pads + [0, 0]
    return four(x.shape), four(y.shape), block, [pads[0:2], pads[2:4]]


def _activation(c, name, x, shape):
    t = Tensor(name, x.dtype, shape, x.scale, x.zero_point)
    c.tensors.append(t)
    return t


@rule(BO.SPACE_TO_BATCH_ND, dtypes=_dtypes("SPACE_TO_BATCH_ND"))
def _space_to_batch(c, n, op):
    (x, block_t, pads_t), (y,) = c.io(op, 3)
    (nb, h, w, ch), yshape, (bh, bw), ((pt, pb), (pl, pr)) = _batch_space("SPACE_TO_BATCH_ND", x, y, block_t, pads_t)
    hp, wp = h + pt + pb, w + pl + pr
    if hp % bh or wp % bw:
        raise ConvertError("SPACE_TO_BATCH_ND: padded %dx%d does not divide by block %dx%d" % (hp, wp, bh, bw))
    want = [nb * bh * bw, hp // bh, wp // bw, ch]
    if yshape != want:
        raise ConvertError("SPACE_TO_BATCH_ND: output shape %s, expected %s" % (tuple(y.shape), tuple(want)))
    src = x
    if pt or pb or pl or pr:
        # The padding is 0 (int8: the output zero point), as LiteRT's kernel pads. TFLite Micro's
        # pads with its params' output_offset, which it never sets (uninitialized arena bytes):
        # tests/host/test_shape_ops.py checks the rest against it, the padding against LiteRT.
        src = _activation(c, "space_to_batch%d/padded" % n, x, (nb, hp, wp, ch))
        copy(c, n, "SPACE_TO_BATCH_ND", x, src, [(nb, h * w * ch), (h, w * ch), (w, ch), (ch, 1)],
             border=[(0, 0), (pt, pb), (pl, pr), (0, 0)], value=y.zero_point if x.dtype == oplist.INT8 else 0,
             tag="_pad")
    # output [i, j, n, h, w, c] = padded [n, h, i, w, j, c]
    copy(c, n, "SPACE_TO_BATCH_ND", src, y, [(bh, wp * ch), (bw, ch), (nb, hp * wp * ch),
                                            (hp // bh, bh * wp * ch), (wp // bw, bw * ch), (ch, 1)])


@rule(BO.BATCH_TO_SPACE_ND, dtypes=_dtypes("BATCH_TO_SPACE_ND"))
def _batch_to_space(c, n, op):
    (x, block_t, crops_t), (y,) = c.io(op, 3)
    (ib, h, w, ch), yshape, (bh, bw), ((ct, cb), (cl, cr)) = _batch_space("BATCH_TO_SPACE_ND", x, y, block_t, crops_t)
    if ib % (bh * bw):
        raise ConvertError("BATCH_TO_SPACE_ND: batch %d does not divide by block %dx%d" % (ib, bh, bw))
    nb, uh, uw = ib // (bh * bw), h * bh, w * bw
    want = [nb, uh - ct - cb, uw - cl - cr, ch]
    if want[1] < 1 or want[2] < 1 or yshape != want:
        raise ConvertError("BATCH_TO_SPACE_ND: output shape %s, expected %s" % (tuple(y.shape), tuple(want)))
    dst = y
    if ct or cb or cl or cr:
        dst = _activation(c, "batch_to_space%d/uncropped" % n, x, (nb, uh, uw, ch))
    # uncropped [n, h, i, w, j, c] = input [(i * bw + j) * N + n, h, w, c]
    img = h * w * ch
    copy(c, n, "BATCH_TO_SPACE_ND", x, dst, [(nb, img), (h, w * ch), (bh, bw * nb * img), (w, ch),
                                            (bw, nb * img), (ch, 1)], tag="_space" if dst is not y else "")
    if dst is not y:
        copy(c, n, "BATCH_TO_SPACE_ND", dst, y, [(nb, uh * uw * ch), (want[1], uw * ch), (want[2], ch), (ch, 1)],
             start=ct * uw * ch + cl * ch)
