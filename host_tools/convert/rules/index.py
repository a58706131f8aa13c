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


@rule(BO.RESIZE_NEAREST_NEIGHBOR, dtypes=_F32_I8)
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
@rule(BO.EMBEDDING_LOOKUP, dtypes=(oplist.INT32,))
def _embedding_lookup(c, n, op):
    (lookup, value), (y,) = c.io(op, 2)
    if len(lookup.shape) != 1:
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
