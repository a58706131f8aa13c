"""Converter rules of the INT16 area's reductions (ops_red16.py of the op spec): MEAN and SUM on
int16 activations, folded as the NN area's reductions (rules/nn.py reduce_params), with TFLite
Micro's Prepare: multiplier and shift of input_scale / output_scale (QuantizeMultiplier in
double), MEAN's count folded in as QuantizedMeanOrSum does."""

import numpy as np
from micronn import oplist

from ...ops import ops_red16
from ..graph import BO, ConvertError
from ..quant import quantize_multiplier
from ..registry import rule
from .nn import mean_multiplier, reduce_params, resolve_axes

_RUNS = 4
_OPS = {op.name: op for op in ops_red16.OPS if op.params is ops_red16.REDUCE16}


def _count(t):
    return t.nbytes // oplist.DTYPE_SIZES[t.dtype]


def _reduce16_rule(name):
    spec_op = _OPS[name]

    @rule(getattr(BO, name), dtypes=(oplist.INT16,))
    def convert(c, n, op):
        (x, axis), (y,) = c.io(op, 2)
        if y.dtype != oplist.INT16:
            raise ConvertError("%s: output %s is %s, the input %s int16 (TFLite Micro requires the same "
                               "type)" % (name, y.name, oplist.DTYPE_NAMES[y.dtype], x.name))
        if axis is None or not axis.is_const or axis.dtype != oplist.INT32:
            raise ConvertError("%s: the axis must be a constant int32 tensor" % name)
        if not (x.scale > 0 and y.scale > 0):
            raise ConvertError("%s int16: input and output need a scale" % name)
        axes = resolve_axes(np.frombuffer(axis.data, "<i4").tolist(), len(x.shape))
        dims, strides, count = reduce_params(x.shape, axes)
        if int(np.prod(dims[:_RUNS])) != _count(y):
            raise ConvertError("output %s does not match the reduction of %s over %s" % (y.shape, x.shape, axes))
        m, s = quantize_multiplier(float(x.scale) / float(y.scale))
        if name == "MEAN" and m:
            if s < -31:
                raise ConvertError("MEAN int16: scale ratio %g too small" % (x.scale / y.scale))
            m, s = mean_multiplier(m, s, count)
        f = {"input_offset": -x.zero_point, "output_offset": y.zero_point, "multiplier": m, "shift": s}
        for k in range(2 * _RUNS):
            f["d%d" % k], f["s%d" % k] = dims[k], strides[k]
        try:
            values = ops_red16.REDUCE16.pack(**f)
        except ValueError as e:
            raise ConvertError("%s int16: %s" % (name, e)) from None
        c.add_op(spec_op.opcode, name, n, [x, c.params("%s%d" % (name.lower(), n), values)], [y])

    return convert


for _nm in _OPS:
    _reduce16_rule(_nm)
