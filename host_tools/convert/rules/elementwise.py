"""Converter rules of the elementwise area: CAST, CONCATENATION, STRIDED_SLICE, and int32
ADD/SUB/MUL/DIV/MINIMUM/MAXIMUM, registered for int32 inputs (int8 ADD is the Tier-1 rule; a dtype
with no rule becomes a Python op: see registry.py)."""

import numpy as np
from micronn import oplist

from ...ops import table
from ...reference import elementwise as re_
from ..graph import ACT_NAMES, BO, ConvertError
from ..params import add_broadcast
from ..registry import rule

_I32_MIN, _I32_MAX = -(1 << 31), (1 << 31) - 1


def _count(t):
    return t.nbytes // oplist.DTYPE_SIZES[t.dtype]


def _name(t):
    return oplist.DTYPE_NAMES[t.dtype]


@rule(BO.CAST, dtypes=tuple(re_.CAST_DTYPES))
def _cast(c, n, op):
    (x,), (y,) = c.io(op, 1)
    if x.dtype not in re_.CAST_DTYPES:
        raise ConvertError("CAST: input %s of %s is not supported" % (x.name, _name(x)))
    if y.dtype not in re_.CAST_OUT_DTYPES:
        raise ConvertError("CAST: output %s of %s is not supported (TFLite Micro casts to int8, int16, "
                           "int32, uint32, float32)" % (y.name, _name(y)))
    if _count(x) != _count(y):
        raise ConvertError("input %s and output %s differ in size" % (x.shape, y.shape))
    c.add_op(oplist.CAST, "CAST", n, [x, c.params("cast%d" % n, table.CAST.pack(input_dtype=x.dtype, output_dtype=y.dtype))], [y])



def _same_quant(a, b):
    return (a.scale, a.zero_point) == (b.scale, b.zero_point)


@rule(BO.CONCATENATION)
def _concatenation(c, n, op):
    ins = [c.tensor(i) for i in op.inputs]
    (y,) = [c.tensor(i) for i in op.outputs]
    o = op.builtinOptions
    if o is not None and o.fusedActivationFunction:
        raise ConvertError("fused activation %s is not supported" % ACT_NAMES.get(o.fusedActivationFunction))
    rank = len(y.shape)
    axis = o.axis if o is not None else 0
    if axis < 0:
        axis += rank
    if not 0 <= axis < max(rank, 1):
        raise ConvertError("axis %d out of range for rank %d" % (axis, rank))
    elem = oplist.DTYPE_SIZES[y.dtype]
    outer = int(np.prod(y.shape[:axis], dtype=np.int64))
    sizes = []
    for t in ins:
        if t.dtype != y.dtype or len(t.shape) != rank:
            raise ConvertError("input %s (%s %s) does not match output %s %s"
                               % (t.name, _name(t), t.shape, _name(y), y.shape))
        if y.dtype == oplist.INT16:
            # TFLite Micro's int16 CONCATENATION: zero points 0, scales unchecked (bytes copied)
            if t.zero_point or y.zero_point:
                raise ConvertError("CONCATENATION int16: input %s zero point %d, output %d (TFLite Micro "
                                   "requires 0)" % (t.name, t.zero_point, y.zero_point))
        elif y.dtype in (oplist.INT8, oplist.UINT8) and not _same_quant(t, y):
            raise ConvertError("input %s: quantization differs from the output (rescaling unsupported)" % t.name)
        if tuple(t.shape[:axis]) != tuple(y.shape[:axis]) or tuple(t.shape[axis + 1:]) != tuple(y.shape[axis + 1:]):
            raise ConvertError("input %s shape %s does not fit output %s on axis %d" % (t.name, t.shape, y.shape, axis))
        sizes.append(int(np.prod(t.shape[axis:], dtype=np.int64)))
    if sum(sizes) * outer != _count(y):
        raise ConvertError("inputs do not add up to the output %s" % (y.shape,))
    p = c.params("concat%d" % n, table.CONCAT.pack(sizes, element_size=elem, outer=outer, n_inputs=len(ins)))
    c.add_op(oplist.CONCATENATION, "CONCATENATION", n, [p] + ins, [y])


def slice_params(in_shape, begin, end, strides, begin_mask=0, end_mask=0, shrink_axis_mask=0,
                 offset=False, elem_size=1):
    """TFLite's StridedSlice index rules (StartForAxis/StopForAxis: masks, negative indices,
    clamping, `offset` = end relative to begin) -> strided_slice params and the output counts."""
    rank = len(in_shape)
    if rank > 5:
        raise ConvertError("strided slice of more than 5 dimensions")
    if not (len(begin) == len(end) == len(strides) == rank):
        raise ConvertError("begin/end/strides must have %d entries" % rank)
    counts, starts = [], []
    for a in range(rank):
        size, stride = int(in_shape[a]), int(strides[a])
        if stride == 0:
            raise ConvertError("stride 0 on axis %d" % a)
        start = int(begin[a])
        if begin_mask & (1 << a):
            start = _I32_MIN if stride > 0 else _I32_MAX
        if start < 0:
            start += size
        start = min(max(start, 0), size) if stride > 0 else min(max(start, -1), size - 1)
        if shrink_axis_mask & (1 << a):
            stop = start + 1
        else:
            stop = int(end[a]) + (int(begin[a]) if offset else 0)
            if end_mask & (1 << a):
                stop = _I32_MAX if stride > 0 else _I32_MIN
            if stop < 0:
                stop += size
            stop = min(max(stop, 0), size) if stride > 0 else min(max(stop, -1), size - 1)
        cnt = (stop - start + stride - 1) // stride if stride > 0 else (start - stop - stride - 1) // -stride
        counts.append(max(cnt, 0))
        starts.append(start)
    if any(k == 0 for k in counts):
        raise ConvertError("the slice is empty")
    pad = 5 - rank
    dims = [1] * pad + counts
    steps_elem = []
    stride_in = 1
    for a in range(rank - 1, -1, -1):
        steps_elem.append(stride_in)
        stride_in *= int(in_shape[a])
    steps_elem = steps_elem[::-1]
    start_off = sum(s * e for s, e in zip(starts, steps_elem))
    steps = [0] * pad + [int(strides[a]) * steps_elem[a] for a in range(rank)]
    fields = {"element_size": elem_size, "start": start_off}
    for k in range(5):
        fields["d%d" % k], fields["s%d" % k] = dims[k], steps[k]
    return table.SLICE.pack(**fields), counts



@rule(BO.STRIDED_SLICE)
def _strided_slice(c, n, op):
    x = c.tensor(op.inputs[0])
    (y,) = [c.tensor(i) for i in op.outputs]
    vals = []
    for k, what in ((1, "begin"), (2, "end"), (3, "strides")):
        t = c.tensor(op.inputs[k]) if k < len(op.inputs) else None
        if t is None or not t.is_const or t.dtype != oplist.INT32:
            raise ConvertError("%s must be a constant int32 tensor" % what)
        vals.append(np.frombuffer(t.data, np.int32).tolist())
    o = op.builtinOptions
    if o is not None and (o.ellipsisMask or o.newAxisMask):
        raise ConvertError("ellipsis_mask / new_axis_mask are not supported")
    if x.dtype != y.dtype or (x.dtype in (oplist.INT8, oplist.UINT8, oplist.INT16) and not _same_quant(x, y)):
        raise ConvertError("input and output must have the same type and quantization")
    p, counts = slice_params(x.shape, *vals, begin_mask=o.beginMask if o else 0,
                             end_mask=o.endMask if o else 0,
                             shrink_axis_mask=o.shrinkAxisMask if o else 0,
                             offset=bool(getattr(o, "offset", False)) if o else False,
                             elem_size=oplist.DTYPE_SIZES[x.dtype])
    if int(np.prod(counts)) != _count(y):
        raise ConvertError("output %s, the slice has %s" % (y.shape, counts))
    c.add_op(oplist.STRIDED_SLICE, "STRIDED_SLICE", n, [x, c.params("slice%d" % n, p)], [y])


_ACT_RANGE_I32 = {0: (_I32_MIN, _I32_MAX), 1: (0, _I32_MAX), 2: (-1, 1), 3: (0, 6)}


def _binary_rule(code, name, opcode):
    @rule(code, dtypes=(oplist.INT32,))
    def _binary_s32(c, n, op):
        (a, b), (y,) = c.io(op, 2)
        for t in (a, b, y):
            if t.dtype != oplist.INT32:
                raise ConvertError("tensor %s: %s, expected int32" % (t.name, _name(t)))
            if t.scale not in (0.0, 1.0) or t.zero_point:
                raise ConvertError("tensor %s: quantized int32 is not supported" % t.name)
        o = op.builtinOptions
        fused = getattr(o, "fusedActivationFunction", 0) if o is not None else 0
        if fused not in _ACT_RANGE_I32:
            raise ConvertError("unsupported fused activation %d" % fused)
        # TFLite Micro's int32 ADD ignores the fused activation (SUB, MUL and DIV apply it).
        lo, hi = _ACT_RANGE_I32[0 if name == "ADD" else fused]
        try:
            dims, s1, s2 = add_broadcast(a.shape, b.shape)
        except ValueError as e:
            raise ConvertError(str(e)) from None
        if int(np.prod(dims)) != _count(y):
            raise ConvertError("output %s does not match the broadcast shape %s" % (y.shape, dims))
        fields = {"op": re_.BINARY_OPS[name], "act_min": lo, "act_max": hi}
        for k in range(4):
            fields["d%d" % k], fields["in1_s%d" % k], fields["in2_s%d" % k] = dims[k], s1[k], s2[k]
        p = c.params("%s%d" % (name.lower(), n), table.BIN.pack(**fields))
        c.add_op(opcode, name, n, [a, b, p], [y])


for _code, _nm, _opc in ((BO.ADD, "ADD", oplist.ADD_S32), (BO.SUB, "SUB", oplist.SUB_S32),
                         (BO.MUL, "MUL", oplist.MUL_S32), (BO.DIV, "DIV", oplist.DIV_S32),
                         (BO.MINIMUM, "MINIMUM", oplist.MINIMUM_S32),
                         (BO.MAXIMUM, "MAXIMUM", oplist.MAXIMUM_S32)):
    _binary_rule(_code, _nm, _opc)
