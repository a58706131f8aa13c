"""Converter rules of the activations area (registered with host_tools.convert.registry.rule).

Single-input int8 activations become a 256-byte table constant (built here by running TFLite
Micro's arithmetic over every input value, see reference_activations) and the `lut_s8` kernel;
PRELU keeps its alpha tensor and runs `prelu_s8`.
"""

import numpy as np
from micronn import oplist

from ...ops import table
from ...reference import activations as ra
from ..graph import BO, ConvertError
from ..params import prelu_params
from ..registry import rule


def _unary(c, n, op):
    (x,), (y,) = c.io(op, 1)
    c.check_s8(x, y)
    if x.nbytes != y.nbytes:
        raise ConvertError("input %s and output %s differ in size" % (x.shape, y.shape))
    if x.scale <= 0:
        raise ConvertError("input %s is not quantized" % x.name)
    return x, y


def _lut_op(c, n, op, opcode, name, table):
    (x,), (y,) = c.io(op, 1)
    t = c.const("%s%d/table" % (name.lower(), n), np.asarray(table, dtype=np.int8))
    c.add_op(opcode, name, n, [x, t], [y])


def _wrap(f):
    try:
        return f()
    except ValueError as e:
        raise ConvertError(str(e)) from None


@rule(BO.LOGISTIC, dtypes=(oplist.INT8,))
def _logistic(c, n, op):
    x, y = _unary(c, n, op)
    if y.zero_point != -128:  # TFLM checks this; the scale is taken to be 1/256
        raise ConvertError("int8 LOGISTIC output zero point must be -128, got %d" % y.zero_point)
    _lut_op(c, n, op, oplist.LOGISTIC, "LOGISTIC", _wrap(lambda: ra.logistic_lut(x.scale, x.zero_point)))


@rule(BO.TANH, dtypes=(oplist.INT8,))
def _tanh(c, n, op):
    x, y = _unary(c, n, op)
    if y.zero_point != 0:  # the kernel writes scale 1/128, zero point 0
        raise ConvertError("int8 TANH output zero point must be 0, got %d" % y.zero_point)
    _lut_op(c, n, op, oplist.TANH, "TANH", _wrap(lambda: ra.tanh_lut(x.scale, x.zero_point)))


@rule(BO.HARD_SWISH, dtypes=(oplist.INT8,))
def _hard_swish(c, n, op):
    x, y = _unary(c, n, op)
    _lut_op(c, n, op, oplist.HARD_SWISH, "HARD_SWISH",
            _wrap(lambda: ra.hard_swish_lut(x.scale, x.zero_point, y.scale, y.zero_point)))


@rule(BO.LEAKY_RELU, dtypes=(oplist.INT8,))
def _leaky_relu(c, n, op):
    x, y = _unary(c, n, op)
    alpha = op.builtinOptions.alpha if op.builtinOptions is not None else 0.2
    _lut_op(c, n, op, oplist.LEAKY_RELU, "LEAKY_RELU",
            _wrap(lambda: ra.leaky_relu_lut(x.scale, x.zero_point, alpha, y.scale, y.zero_point)))


@rule(BO.RELU, dtypes=(oplist.INT8,))
def _relu(c, n, op):
    x, y = _unary(c, n, op)
    _lut_op(c, n, op, oplist.RELU, "RELU",
            _wrap(lambda: ra.relu_lut(x.scale, x.zero_point, y.scale, y.zero_point)))


@rule(BO.RELU6, dtypes=(oplist.INT8,))
def _relu6(c, n, op):
    x, y = _unary(c, n, op)
    _lut_op(c, n, op, oplist.RELU6, "RELU6", _wrap(lambda: ra.relu6_lut(x.scale, x.zero_point)))


@rule(BO.ELU, dtypes=(oplist.INT8,))
def _elu(c, n, op):
    x, y = _unary(c, n, op)
    _lut_op(c, n, op, oplist.ELU, "ELU",
            _wrap(lambda: ra.elu_lut(x.scale, x.zero_point, y.scale, y.zero_point)))


@rule(BO.GELU, dtypes=(oplist.INT8,))
def _gelu(c, n, op):
    x, y = _unary(c, n, op)
    approx = bool(op.builtinOptions.approximate) if op.builtinOptions is not None else False
    _lut_op(c, n, op, oplist.GELU, "GELU",
            _wrap(lambda: ra.gelu_lut(x.scale, x.zero_point, y.scale, y.zero_point, approx)))


@rule(BO.PRELU, dtypes=(oplist.INT8,))
def _prelu(c, n, op):
    (x, a), (y,) = c.io(op, 2)
    c.check_s8(x, a, y)
    if len(y.shape) > 4:
        raise ConvertError("more than 4 dimensions")
    if a.scale <= 0 or x.scale <= 0:
        raise ConvertError("input and alpha must be quantized")
    try:
        vals = prelu_params(x.shape, a.shape, x.scale, x.zero_point, a.scale, a.zero_point,
                               y.scale, y.zero_point)
    except ValueError as e:
        raise ConvertError(str(e)) from None
    if int(np.prod([vals[table.PRELU.index["d%d" % k]] for k in range(4)])) != y.nbytes:
        raise ConvertError("output %s is not the broadcast of %s and %s" % (y.shape, x.shape, a.shape))
    c.add_op(oplist.PRELU, "PRELU", n, [x, a, c.params("prelu%d" % n, vals)], [y])
