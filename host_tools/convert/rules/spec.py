"""Converter rules made from the op spec: every op declared with rule=Rule(family, ...) in
host_tools/ops/table.py gets its rule from a family below, registered for the (builtin, input
dtype) pairs of its tflite=. A family fills the params fields it knows by name:

  d0.. / <a>_s0.. / <b>_s0..       broadcast output dims and each input's element strides (the
                                   fields its operands' span= name)
  inputN_offset / input_offset     -zero point of that input (int8)
  output_offset                    +zero point of the output (int8)
  act_min / act_max                the fused activation range in the output's quantized domain
  the Rule's rescale fields        a Q31 multiplier and shift of a ratio of scales

so a new op of an existing family needs no converter code. Families here (the areas' modules
rules/shape.py, math.py, nn.py add theirs with families.family):
  broadcast   two inputs with 4-D broadcasting, one output of the broadcast shape (MUL, ...)
"""

import numpy as np
from micronn import oplist

from ...ops import table
from .. import quant
from ..graph import BO, ConvertError
from ..params import add_broadcast
from ..registry import rule
from . import math, nn, shape  # noqa: F401 (their rule families register into FAMILIES)
from .families import FAMILIES, family
from .families import count as _count
from .families import fused_activation as _fused

_DTYPE_CODE = {name: code for code, name in enumerate(oplist.DTYPE_NAMES)}


def quant_fields(spec_op, named, y, op):
    """Zero-point offsets, activation range and rescale multipliers, for the fields the
    op's layout has."""
    lay = spec_op.params
    f = {}
    for name, t in named.items():
        if name + "_offset" in lay.index:
            f[name + "_offset"] = t.zero_point if name == "output" else -t.zero_point
    if "act_min" in lay.index:
        f["act_min"], f["act_max"] = quant.activation_range(_fused(op), y.scale, y.zero_point)
    for (m_field, s_field), (num, den) in spec_op.rule.rescale.items():
        real = 1.0
        for name in num:
            real *= named[name].scale
        for name in den:
            real /= named[name].scale
        f[m_field], f[s_field] = quant.quantize_multiplier(real)
    return f


@family("broadcast")
def _broadcast(spec_op):
    ins = [t for t in spec_op.inputs if t.layout is None]
    dtype = _DTYPE_CODE[ins[0].dtype]

    def convert(c, n, op):
        (a, b), (y,) = c.io(op, 2)
        for t in (a, b, y):
            if t.dtype != dtype:
                raise ConvertError("tensor %s: %s, expected %s" % (t.name, oplist.DTYPE_NAMES[t.dtype],
                                                                    ins[0].dtype))
        try:
            dims, s1, s2 = add_broadcast(a.shape, b.shape)
        except ValueError as e:
            raise ConvertError(str(e)) from None
        if int(np.prod(dims)) != _count(y):
            raise ConvertError("output %s does not match the broadcast shape %s" % (y.shape, dims))
        fields = {}
        for t, strides in ((ins[0], s1), (ins[1], s2)):
            d, s = t.span
            for k in range(4):
                fields["%s%d" % (d, k)] = dims[k]
                fields["%s%d" % (s, k)] = strides[k]
        named = {ins[0].name: a, ins[1].name: b, spec_op.outputs[0].name: y}
        if dtype == oplist.INT8:
            fields.update(quant_fields(spec_op, named, y, op))
        try:
            values = spec_op.params.pack(**fields)
        except ValueError as e:
            raise ConvertError(str(e)) from None
        c.add_op(spec_op.opcode, spec_op.name, n, [a, b, c.params("%s%d" % (spec_op.kernel, n), values)], [y])

    return convert


for _op in table.OPS:
    if _op.rule is not None:
        _make = FAMILIES[_op.rule.family]
        _f = _make(_op)
        for _builtin, _dtype in _op.tflite:
            rule(getattr(BO, _builtin), dtypes=(_DTYPE_CODE[_dtype],))(_f)
