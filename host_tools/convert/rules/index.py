"""Converter rules and rule families of the SHAPE area's indexing ops (ops_index.py of the op spec):
hand-written rules register with registry.rule; rule families with families.family.

RESIZE_NEAREST_NEIGHBOR / RESIZE_BILINEAR (constant int32 size, NHWC), GATHER (axis, batch_dims),
GATHER_ND and EMBEDDING_LOOKUP (int32 indices, runtime or constant). What TFLite Micro's Prepare
refuses is refused here, naming the op and the reason."""

import numpy as np
from micronn import oplist

from ...ops import ops_index
from ..graph import BO, ConvertError
from ..registry import rule

_F32_I8 = (oplist.FLOAT32, oplist.INT8)


def _name(t):
    return oplist.DTYPE_NAMES[t.dtype]


def _prod(dims):
    return int(np.prod([int(d) for d in dims], dtype=np.int64))


def _pack(op, lay, **f):
    try:
        return lay.pack(**f)
    except ValueError as e:
        raise ConvertError("%s: %s" % (op, e)) from None


def _same_type(op, x, y):
    if y.dtype != x.dtype:
        raise ConvertError("%s: output %s is %s, the input %s (TFLite Micro requires the same type)" % (
            op, y.name, _name(y), _name(x)))


def _nonempty(op, *ts):
    for t in ts:
        if any(d == 0 for d in t.shape):
            raise ConvertError("%s: empty tensor %s %s is not supported" % (op, t.name, list(t.shape)))


# ---------------------------------------------------------------------------- RESIZE_*
def _resize_fields(op_name, x, size, y, o):
    if len(x.shape) != 4:
        raise ConvertError("%s expects a 4-D NHWC input, got %s" % (op_name, list(x.shape)))
    if size is None or size.dtype != oplist.INT32 or len(size.shape) != 1 or size.shape[0] != 2:
        raise ConvertError("%s: the size must be a 1-D int32 tensor of 2 values" % op_name)
    if not size.is_const:
        raise ConvertError("%s: the size must be a constant (TFLite Micro refuses a runtime size)" % op_name)
    _same_type(op_name, x, y)
    out_h, out_w = (int(v) for v in np.frombuffer(size.data, "<i4"))
    n, in_h, in_w, c = x.shape
    if tuple(y.shape) != (n, out_h, out_w, c):
        raise ConvertError("%s: output shape %s, expected %s" % (op_name, list(y.shape), [n, out_h, out_w, c]))
    _nonempty(op_name, x, y)
    ac = int(bool(o.alignCorners)) if o is not None else 0
    hp = int(bool(o.halfPixelCenters)) if o is not None else 0
    return dict(n=n, in_h=in_h, in_w=in_w, c=c, out_h=out_h, out_w=out_w, align_corners=ac, half_pixel_centers=hp)


@rule(BO.RESIZE_NEAREST_NEIGHBOR, dtypes=_F32_I8 + (oplist.INT16,))
def _resize_nearest(c, n, op):
    (x, size), (y,) = c.io(op, 2)
    f = _resize_fields("RESIZE_NEAREST_NEIGHBOR", x, size, y, op.builtinOptions)
    values = _pack("RESIZE_NEAREST_NEIGHBOR", ops_index.RESIZE_NN, element_size=oplist.DTYPE_SIZES[x.dtype], **f)
    c.add_op(oplist.RESIZE_NEAREST_NEIGHBOR, "RESIZE_NEAREST_NEIGHBOR", n,
             [x, c.params("resize_nearest%d" % n, values)], [y])


@rule(BO.RESIZE_BILINEAR, dtypes=_F32_I8)
def _resize_bilinear(c, n, op):
    (x, size), (y,) = c.io(op, 2)
    f = _resize_fields("RESIZE_BILINEAR", x, size, y, op.builtinOptions)
    if f["align_corners"] and f["half_pixel_centers"]:
        raise ConvertError("RESIZE_BILINEAR: half_pixel_centers needs align_corners False (TFLite Micro refuses both)")
    values = _pack("RESIZE_BILINEAR", ops_index.RESIZE, **f)
    code = oplist.RESIZE_BILINEAR_F32 if x.dtype == oplist.FLOAT32 else oplist.RESIZE_BILINEAR_S8
    c.add_op(code, "RESIZE_BILINEAR", n, [x, c.params("resize_bilinear%d" % n, values)], [y])


# ---------------------------------------------------------------------------- GATHER, GATHER_ND
def _int32_indices(op_name, idx):
    if idx is None or idx.dtype != oplist.INT32:
        got = "missing" if idx is None else _name(idx)
        raise ConvertError("%s: indices are %s (TFLite Micro takes int32 indices only)" % (op_name, got))


@rule(BO.GATHER, dtypes=_F32_I8)
def _gather(c, n, op):
    (x, idx), (y,) = c.io(op, 2)
    _int32_indices("GATHER", idx)
    _same_type("GATHER", x, y)
    o = op.builtinOptions
    rank, irank = len(x.shape), len(idx.shape)
    axis = int(o.axis) if o is not None else 0
    axis = axis + rank if axis < 0 else axis
    bd = int(o.batchDims) if o is not None else 0
    bd = bd + irank if bd < 0 else bd
    if not 0 <= axis < rank:
        raise ConvertError("GATHER: axis %d out of range for rank %d" % (axis, rank))
    if not (0 <= bd < rank and bd <= irank and bd <= axis):
        raise ConvertError("GATHER: batch_dims %d must be in [0, min(axis %d, indices rank %d)]" % (bd, axis, irank))
    if list(x.shape[:bd]) != list(idx.shape[:bd]):
        raise ConvertError("GATHER: the batch dims of input %s and indices %s differ" % (list(x.shape), list(idx.shape)))
    want = list(x.shape[:axis]) + list(idx.shape[bd:]) + list(x.shape[axis + 1:])
    if list(y.shape) != want:
        raise ConvertError("GATHER: output shape %s, expected %s" % (list(y.shape), want))
    _nonempty("GATHER", x, idx, y)
    values = _pack("GATHER", ops_index.GATHER, element_size=oplist.DTYPE_SIZES[x.dtype], batch=_prod(x.shape[:bd]),
                   outer=_prod(x.shape[bd:axis]), axis=x.shape[axis], inner=_prod(x.shape[axis + 1:]),
                   coords=_prod(idx.shape[bd:]))
    c.add_op(oplist.GATHER, "GATHER", n, [x, idx, c.params("gather%d" % n, values)], [y])


@rule(BO.GATHER_ND, dtypes=_F32_I8)
def _gather_nd(c, n, op):
    (x, idx), (y,) = c.io(op, 2)
    _int32_indices("GATHER_ND", idx)
    _same_type("GATHER_ND", x, y)
    rank, irank = len(x.shape), len(idx.shape)
    if rank < 1 or irank < 1:
        raise ConvertError("GATHER_ND: params and indices must be at least vectors")
    nd = idx.shape[-1]
    if nd > rank:
        raise ConvertError("GATHER_ND: index depth %d exceeds the params rank %d" % (nd, rank))
    if not 1 <= nd <= 5:
        raise ConvertError("GATHER_ND: index depth %d (TFLite Micro takes 1 to 5)" % nd)
    want = list(idx.shape[:-1]) + list(x.shape[nd:])
    if list(y.shape) != want:
        raise ConvertError("GATHER_ND: output shape %s, expected %s" % (list(y.shape), want))
    _nonempty("GATHER_ND", x, idx, y)
    strides = [_prod(x.shape[j + 1:]) for j in range(nd)] + [0] * (5 - nd)
    values = _pack("GATHER_ND", ops_index.GATHER_ND, element_size=oplist.DTYPE_SIZES[x.dtype],
                   slices=_prod(idx.shape[:-1]), nd=nd, slice=_prod(x.shape[nd:]), params_count=_prod(x.shape),
                   **{"stride%d" % j: s for j, s in enumerate(strides)})
    c.add_op(oplist.GATHER_ND, "GATHER_ND", n, [x, idx, c.params("gather_nd%d" % n, values)], [y])


# ---------------------------------------------------------------------------- EMBEDDING_LOOKUP
@rule(BO.EMBEDDING_LOOKUP, dtypes=_F32_I8, data_input=1)  # the value's dtype picks it
def _embedding_lookup(c, n, op):
    (lookup, value), (y,) = c.io(op, 2)
    if lookup is None or lookup.dtype != oplist.INT32 or len(lookup.shape) != 1:
        raise ConvertError("EMBEDDING_LOOKUP: the lookup must be a 1-D int32 tensor, got %s" % list(lookup.shape))
    if value is None or value.dtype not in _F32_I8 or len(value.shape) < 2:
        raise ConvertError("EMBEDDING_LOOKUP: the value must be a float32 or int8 tensor of rank >= 2")
    hybrid = value.dtype == oplist.INT8 and y.dtype == oplist.FLOAT32
    if not hybrid:
        _same_type("EMBEDDING_LOOKUP", value, y)
    want = [lookup.shape[0]] + list(value.shape[1:])
    if list(y.shape) != want:
        raise ConvertError("EMBEDDING_LOOKUP: output shape %s, expected %s" % (list(y.shape), want))
    _nonempty("EMBEDDING_LOOKUP", lookup, value, y)
    scale = 0
    if hybrid:
        if value.zero_point != 0:
            raise ConvertError("EMBEDDING_LOOKUP: an int8 value with a float32 output needs zero point 0 "
                               "(TFLite Micro requires it), got %d" % value.zero_point)
        scale = int(np.array([value.scale], np.float32).view(np.int32)[0])
    values = _pack("EMBEDDING_LOOKUP", ops_index.EMBED, element_size=oplist.DTYPE_SIZES[value.dtype],
                   lookups=lookup.shape[0], rows=value.shape[0], cols=_prod(value.shape[1:]),
                   hybrid=int(hybrid), scale=scale)
    c.add_op(oplist.EMBEDDING_LOOKUP, "EMBEDDING_LOOKUP", n,
             [lookup, value, c.params("embedding_lookup%d" % n, values)], [y])


# ---------------------------------------------------------------------------- DYNAMIC_UPDATE_SLICE
_DUS_TYPES = (oplist.FLOAT32, oplist.INT8, oplist.INT16, oplist.INT32)


@rule(BO.DYNAMIC_UPDATE_SLICE, dtypes=_DUS_TYPES)
def _dynamic_update_slice(c, n, op):
    (x, upd, start), (y,) = c.io(op, 3)
    name = "DYNAMIC_UPDATE_SLICE"
    if upd is None or upd.dtype != x.dtype:
        raise ConvertError("%s: the update must be %s like the operand" % (name, _name(x)))
    _same_type(name, x, y)
    rank = len(x.shape)
    if start is None or start.dtype not in (oplist.INT32, oplist.INT64) or list(start.shape) != [rank]:
        raise ConvertError("%s: the start indices must be an int32 or int64 vector of %d (the operand's rank)" % (name, rank))
    if not 1 <= rank <= 6 or len(upd.shape) != rank:
        raise ConvertError("%s: operand rank %d, update rank %d (1 to 6, equal)" % (name, rank, len(upd.shape)))
    if any(u > d for u, d in zip(upd.shape, x.shape)):
        raise ConvertError("%s: update %s larger than the operand %s" % (name, list(upd.shape), list(x.shape)))
    if tuple(y.shape) != tuple(x.shape):
        raise ConvertError("%s: output shape %s, expected %s" % (name, list(y.shape), list(x.shape)))
    _nonempty(name, x, upd)
    pad = [1] * (6 - rank)
    f = {"d%d" % k: v for k, v in enumerate(pad + list(x.shape))}
    f.update({"u%d" % k: v for k, v in enumerate(pad + list(upd.shape))})
    values = _pack(name, ops_index.DUS, element_size=oplist.DTYPE_SIZES[x.dtype],
                   index_size=oplist.DTYPE_SIZES[start.dtype], rank=rank, **f)
    c.add_op(oplist.DYNAMIC_UPDATE_SLICE, name, n, [x, upd, start, c.params("dus%d" % n, values)], [y])


# ---------------------------------------------------------------------------- broadcasts
_BCAST_RUNS = 5


def broadcast_fields(in_shape, out_shape, op_name):
    """The BCAST params (element_size aside) of broadcasting in_shape to out_shape: size-1 output
    dims dropped, adjacent dims of the same kind (copied, broadcast) merged into runs, padded at
    the front to 5."""
    out_shape = [int(d) for d in out_shape]
    ins = [1] * (len(out_shape) - len(in_shape)) + [int(d) for d in in_shape]
    if len(ins) != len(out_shape):
        raise ConvertError("%s: input %s has more dims than the output %s" % (op_name, list(in_shape), out_shape))
    runs = []  # [broadcast, dim, input stride]
    for k, (i, o) in enumerate(zip(ins, out_shape)):
        if i != o and i != 1:
            raise ConvertError("%s: input %s does not broadcast to %s" % (op_name, list(in_shape), out_shape))
        if o == 1:
            continue
        b = i != o
        st = 0 if b else _prod(ins[k + 1:])
        if runs and runs[-1][0] == b and (b or runs[-1][2] == o * st):
            runs[-1][1] *= o
            runs[-1][2] = st
        else:
            runs.append([b, o, st])
    if len(runs) > _BCAST_RUNS:
        raise ConvertError("%s: %s to %s needs more than %d runs" % (op_name, list(in_shape), out_shape, _BCAST_RUNS))
    runs = [[False, 1, 0]] * (_BCAST_RUNS - len(runs)) + runs
    f = {"d%d" % k: r[1] for k, r in enumerate(runs)}
    f.update({"s%d" % k: r[2] for k, r in enumerate(runs)})
    return f


def _broadcast_op(c, n, op_name, opcode, x, y):
    _nonempty(op_name, y)
    values = _pack(op_name, ops_index.BCAST, element_size=oplist.DTYPE_SIZES[x.dtype],
                   **broadcast_fields(x.shape, y.shape, op_name))
    c.add_op(opcode, op_name, n, [x, c.params("%s%d" % (op_name.lower(), n), values)], [y])


def _const(c, name, dtype, shape, data):
    """A constant tensor of any micronn dtype from its bytes."""
    from ..graph import Tensor

    t = Tensor(name, dtype, shape, data=bytes(data))
    c.tensors.append(t)
    return t


def _shape_values(op_name, t, want_len=None):
    if t is None or t.dtype not in (oplist.INT32, oplist.INT64) or len(t.shape) != 1:
        raise ConvertError("%s: the shape must be a 1-D int32 or int64 tensor" % op_name)
    if not t.is_const:
        raise ConvertError("%s: the shape must be a constant (TFLite Micro refuses a runtime one)" % op_name)
    return [int(v) for v in np.frombuffer(t.data, "<i8" if t.dtype == oplist.INT64 else "<i4")]


@rule(BO.BROADCAST_TO)
def _broadcast_to(c, n, op):
    (x, shape), (y,) = c.io(op, 2)
    _same_type("BROADCAST_TO", x, y)
    dims = _shape_values("BROADCAST_TO", shape)
    if list(y.shape) != dims:
        raise ConvertError("BROADCAST_TO: output shape %s, the shape input says %s" % (list(y.shape), dims))
    if len(dims) > 5:
        raise ConvertError("BROADCAST_TO: rank %d (TFLite Micro takes 1 to 5)" % len(dims))
    _nonempty("BROADCAST_TO", x)
    _broadcast_op(c, n, "BROADCAST_TO", oplist.BROADCAST_TO, x, y)


_FILL_TYPES = (oplist.FLOAT32, oplist.INT8, oplist.INT32)


@rule(BO.FILL, dtypes=_FILL_TYPES, data_input=1)  # the value's dtype picks it
def _fill(c, n, op):
    (dims, value), (y,) = c.io(op, 2)
    if dims is None or not dims.is_const:
        raise ConvertError("FILL: the dims must be a constant (TFLite Micro refuses runtime dims)")
    want = _shape_values("FILL", dims)
    if value is None or len(value.shape) != 0:
        raise ConvertError("FILL: the value must be a scalar")
    _same_type("FILL", value, y)
    if y.dtype not in _FILL_TYPES:
        raise ConvertError("FILL: value type %s (TFLite Micro fills float32, int8, int32)" % _name(y))
    if list(y.shape) != want:
        raise ConvertError("FILL: output shape %s, the dims say %s" % (list(y.shape), want))
    _broadcast_op(c, n, "FILL", oplist.FILL, value, y)


@rule(BO.ZEROS_LIKE, dtypes=(oplist.FLOAT32, oplist.INT8, oplist.INT32, oplist.INT64))
def _zeros_like(c, n, op):
    (x,), (y,) = c.io(op, 1)
    _same_type("ZEROS_LIKE", x, y)
    if tuple(y.shape) != tuple(x.shape):
        raise ConvertError("ZEROS_LIKE: output shape %s, expected %s" % (list(y.shape), list(x.shape)))
    zero = _const(c, "zeros_like%d/zero" % n, x.dtype, (), bytes(oplist.DTYPE_SIZES[x.dtype]))
    _broadcast_op(c, n, "ZEROS_LIKE", oplist.ZEROS_LIKE, zero, y)


@rule(BO.SHAPE)
def _shape(c, n, op):
    (x,), (y,) = c.io(op, 1)
    if y.dtype != oplist.INT32:
        raise ConvertError("SHAPE: output %s is %s (TFLite Micro outputs int32 only)" % (y.name, _name(y)))
    if list(y.shape) != [len(x.shape)]:
        raise ConvertError("SHAPE: output shape %s, expected [%d]" % (list(y.shape), len(x.shape)))
    if not x.shape:
        raise ConvertError("SHAPE: the shape of a scalar is empty (not supported)")
    shape = c.const("shape%d/value" % n, np.array(x.shape, np.int32))
    _broadcast_op(c, n, "SHAPE", oplist.SHAPE, shape, y)


@rule(BO.BROADCAST_ARGS, dtypes=(oplist.INT32, oplist.INT64))
def _broadcast_args(c, n, op):
    (a, b), (y,) = c.io(op, 2)
    for t in (b, y):
        if t is None or t.dtype != a.dtype:
            raise ConvertError("BROADCAST_ARGS: the shapes and the output must all be %s" % _name(a))
    for t in (a, b, y):
        if len(t.shape) != 1:
            raise ConvertError("BROADCAST_ARGS: %s must be a vector, got shape %s" % (t.name, list(t.shape)))
    _nonempty("BROADCAST_ARGS", a, b, y)
    values = _pack("BROADCAST_ARGS", ops_index.BARGS, element_size=oplist.DTYPE_SIZES[a.dtype],
                   n1=a.shape[0], n2=b.shape[0], n_out=y.shape[0])
    c.add_op(oplist.BROADCAST_ARGS, "BROADCAST_ARGS", n, [a, b, c.params("broadcast_args%d" % n, values)], [y])
