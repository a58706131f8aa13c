"""Converter rules and rule families of the MATH area's unary ops (ops_unary.py of the op spec):
hand-written rules register with registry.rule; rule families with families.family.

float32 ABS, NEG, CEIL, FLOOR, ROUND, SQRT, RSQRT, SQUARE: unary_f32 with params.op; int8 ABS
and RSQRT: unary_s8 with a 256-entry table of TFLite Micro's arithmetic (reference/unary.py)."""

import numpy as np
from micronn import oplist

from ...ops import ops_unary
from ...reference import unary as ru
from ..graph import BO, ConvertError
from ..registry import rule
from .families import count as _count


def _io(c, op, name, dtype):
    (x,), (y,) = c.io(op, 1)
    if len(op.inputs) != 1 or len(op.outputs) != 1:
        raise ConvertError("%s: expected 1 input and 1 output" % name)
    for t in (x, y):
        if t.dtype != dtype:
            raise ConvertError("%s: tensor %s is %s, expected %s" % (name, t.name, oplist.DTYPE_NAMES[t.dtype],
                                                                    oplist.DTYPE_NAMES[dtype]))
    if _count(x) != _count(y):
        raise ConvertError("%s: output %s does not match the input %s" % (name, y.shape, x.shape))
    return x, y


_OPCODES = {(op.name, op.inputs[0].dtype): op.opcode for op in ops_unary.OPS}


def _unary_f32_rule(name):
    @rule(getattr(BO, name), dtypes=(oplist.FLOAT32,))
    def convert(c, n, op):
        x, y = _io(c, op, name, oplist.FLOAT32)
        values = ops_unary.UNARYF.pack(op=ops_unary.UNARYF_OPS.index(name))
        c.add_op(_OPCODES[(name, "float32")], name, n, [x, c.params("%s%d" % (name.lower(), n), values)], [y])

    return convert


for _name in ops_unary.UNARYF_OPS:
    _unary_f32_rule(_name)


def _unary_s8_rule(name, build, min_input):
    @rule(getattr(BO, name), dtypes=(oplist.INT8,))
    def convert(c, n, op):
        x, y = _io(c, op, name, oplist.INT8)
        for t in (x, y):
            if not t.scale > 0:
                raise ConvertError("%s int8: tensor %s is not quantized" % (name, t.name))
        try:
            table = build(x.scale, x.zero_point, y.scale, y.zero_point)
        except ValueError as e:
            raise ConvertError(str(e)) from None
        t = c.const("%s%d/table" % (name.lower(), n), np.asarray(table, dtype=np.int8))
        values = ops_unary.UNARYS8.pack(min_input=min_input(x))
        c.add_op(_OPCODES[(name, "int8")], name, n, [x, t, c.params("%s%d" % (name.lower(), n), values)], [y])

    return convert


_unary_s8_rule("ABS", ru.abs_table_s8, lambda x: -128)
# TFLite Micro fails RSQRT int8 on an input below the zero point: the kernel raises on those.
_unary_s8_rule("RSQRT", ru.rsqrt_table_s8, lambda x: int(x.zero_point))
