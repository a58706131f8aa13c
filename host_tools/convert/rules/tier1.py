"""Converter rules of Tier 1: FULLY_CONNECTED, CONV_2D, DEPTHWISE_CONV_2D, AVERAGE/MAX_POOL_2D,
ADD, SOFTMAX (int8 inputs), RESHAPE/SQUEEZE/EXPAND_DIMS (aliases, any dtype), QUANTIZE (float32 or
int8, uint8, int32 input), DEQUANTIZE (int8, uint8 input)."""

import numpy as np
from micronn import oplist

from ... import reference as ref
from ...ops import table
from .. import quant
from ..graph import ACT_NAMES, BO, PADDING, ConvertError, Tensor
from ..params import (
    add_params,
    conv2d_params,
    depthwise_conv2d_params,
    pool2d_params,
    requantize_params,
    softmax_params,
)
from ..registry import rule
from . import int4
from .svdf import quantize_to_s16, softmax_to_s16

_S8 = (oplist.INT8,)


def _act(c, fused, out):
    if fused not in ACT_NAMES:
        raise ConvertError("unsupported fused activation %d" % fused)
    return quant.activation_range(ACT_NAMES[fused], out.scale, out.zero_point)



@rule(BO.FULLY_CONNECTED, dtypes=_S8)
def _fully_connected(c, n, op):
    (x, w, b), (y,) = c.io(op, 3)
    if int4.is_int4(w):
        return int4.fully_connected_s4(c, n, op)
    c.check_s8(x, w, y)
    if not w.is_const or len(w.shape) != 2:
        raise ConvertError("weights must be a constant 2-D tensor")
    out_f, in_f = w.shape
    if x.nbytes % in_f:
        raise ConvertError("input %s does not divide into rows of %d" % (x.shape, in_f))
    ws, wzp = c.quant_scales(op.inputs[1])
    if np.any(wzp != 0):
        raise ConvertError("weights zero point must be 0")
    if b is not None and b.dtype != oplist.INT32:
        raise ConvertError("bias must be int32")
    opts = op.builtinOptions
    fused = opts.fusedActivationFunction if opts is not None else 0
    lo, hi = _act(c, fused, y)
    mult, shift = quant.conv_multipliers(x.scale, ws, y.scale)
    p = c.params("fc%d" % n, table.FC.pack(in_features=in_f, out_features=out_f, input_offset=-x.zero_point,
                                           output_offset=y.zero_point, act_min=lo, act_max=hi))
    mult_t, shift_t = c.const("fc%d/mult" % n, mult), c.const("fc%d/shift" % n, shift)
    c.add_op(oplist.FULLY_CONNECTED, "FULLY_CONNECTED", n, [x, w, b, p, mult_t, shift_t], [y],
             macs=(x.nbytes // in_f) * in_f * out_f)



def _conv_common(c, n, op, depthwise):
    (x, w, b), (y,) = c.io(op, 3)
    c.check_s8(x, w, y)
    if len(x.shape) != 4 or len(y.shape) != 4 or not w.is_const or len(w.shape) != 4:
        raise ConvertError("expects 4-D NHWC input/output and constant 4-D weights")
    if b is not None and (b.dtype != oplist.INT32 or not b.is_const):
        raise ConvertError("bias must be a constant int32 tensor")
    ws, wzp = c.quant_scales(op.inputs[1])
    if np.any(wzp != 0):
        raise ConvertError("weights zero point must be 0")
    o = op.builtinOptions
    N, in_h, in_w, in_c = x.shape
    out_c = y.shape[3]
    if depthwise:
        _, k_h, k_w, wc = w.shape
        if wc != out_c or out_c % in_c:
            raise ConvertError("weights %s do not match input %s / output %s" % (w.shape, x.shape, y.shape))
    else:
        wc, k_h, k_w, wi = w.shape
        if wc != out_c or wi != in_c:
            raise ConvertError("weights %s do not match input %s / output %s (grouped conv unsupported)"
                               % (w.shape, x.shape, y.shape))
    pad = PADDING.get(o.padding)
    if pad is None:
        raise ConvertError("unknown padding %d" % o.padding)
    if len(ws) not in (1, out_c):
        raise ConvertError("%d weight scales for %d channels" % (len(ws), out_c))
    lo, hi = _act(c, o.fusedActivationFunction, y)
    mult, shift = quant.conv_multipliers(x.scale, ws, y.scale)
    make = depthwise_conv2d_params if depthwise else conv2d_params
    try:
        vals = make(x.shape, w.shape, o.strideH, o.strideW, o.dilationHFactor, o.dilationWFactor, pad,
                    x.zero_point, y.zero_point, lo, hi)
    except ValueError as e:
        raise ConvertError(str(e)) from None
    out_h, out_w = vals[table.CONV.index["out_h"]], vals[table.CONV.index["out_w"]]
    if (N, out_h, out_w) != tuple(y.shape[:3]):
        raise ConvertError("output shape %s, expected %s" % (y.shape, (N, out_h, out_w, out_c)))
    tag = "%s%d" % ("dw" if depthwise else "conv", n)
    params = c.params(tag, vals)
    args = [x, w, b, params, c.const(tag + "/mult", mult), c.const(tag + "/shift", shift)]
    # The optimized C kernel's work buffer: an arena tensor that lives only during this op.
    size = (ref.depthwise_conv2d_s8_scratch_size if depthwise else ref.conv2d_s8_scratch_size)(
        np.frombuffer(params.data, dtype=np.int32))
    scratch = None
    if size:
        scratch = Tensor(tag + "/scratch", oplist.INT8, (size,))
        c.tensors.append(scratch)
        args.append(scratch)
    macs = N * out_h * out_w * out_c * k_h * k_w * (1 if depthwise else in_c)
    if depthwise:
        c.add_op(oplist.DEPTHWISE_CONV_2D, "DEPTHWISE_CONV_2D", n, args, [y], macs)
    else:
        c.add_op(oplist.CONV_2D, "CONV_2D", n, args, [y], macs)
    c.ops[-1].scratch = scratch  # kept in the op's inputs only where it fits (plan_scratch)



@rule(BO.CONV_2D, dtypes=_S8)
def _conv2d(c, n, op):
    _conv_common(c, n, op, depthwise=False)



@rule(BO.DEPTHWISE_CONV_2D, dtypes=_S8)
def _depthwise(c, n, op):
    _conv_common(c, n, op, depthwise=True)



def _pool(c, n, op, opcode, name):
    (x,), (y,) = c.io(op, 1)
    c.check_s8(x, y)
    if len(x.shape) != 4:
        raise ConvertError("expects 4-D NHWC input")
    if (x.scale, x.zero_point) != (y.scale, y.zero_point):
        raise ConvertError("input and output quantization must be equal")
    o = op.builtinOptions
    N, in_h, in_w, ch = x.shape
    pad = PADDING.get(o.padding)
    lo, hi = _act(c, o.fusedActivationFunction, y)
    try:
        vals = pool2d_params(x.shape, o.filterHeight, o.filterWidth, o.strideH, o.strideW, pad, lo, hi)
    except ValueError as e:
        raise ConvertError(str(e)) from None
    out_h, out_w = vals[table.POOL.index["out_h"]], vals[table.POOL.index["out_w"]]
    if tuple(y.shape) != (N, out_h, out_w, ch):
        raise ConvertError("output shape %s, expected %s" % (y.shape, (N, out_h, out_w, ch)))
    p = c.params("pool%d" % n, vals)
    c.add_op(opcode, name, n, [x, p], [y], N * out_h * out_w * ch * o.filterHeight * o.filterWidth)



@rule(BO.AVERAGE_POOL_2D, dtypes=_S8)
def _avg_pool(c, n, op):
    _pool(c, n, op, oplist.AVERAGE_POOL_2D, "AVERAGE_POOL_2D")



@rule(BO.MAX_POOL_2D, dtypes=_S8)
def _max_pool(c, n, op):
    _pool(c, n, op, oplist.MAX_POOL_2D, "MAX_POOL_2D")



@rule(BO.ADD, dtypes=_S8)
def _add(c, n, op):
    (a, b), (y,) = c.io(op, 2)
    c.check_s8(a, b, y)
    if len(y.shape) > 4:
        raise ConvertError("more than 4 dimensions")
    o = op.builtinOptions
    fused = o.fusedActivationFunction if o is not None else 0
    lo, hi = _act(c, fused, y)
    try:
        vals = add_params(a.scale, a.zero_point, b.scale, b.zero_point, y.scale, y.zero_point,
                              (lo, hi), a.shape, b.shape)
    except ValueError as e:
        raise ConvertError(str(e)) from None
    c.add_op(oplist.ADD, "ADD", n, [a, b, c.params("add%d" % n, vals)], [y])



@rule(BO.SOFTMAX, dtypes=_S8)
def _softmax(c, n, op):
    (x,), (y,) = c.io(op, 1)
    if y.dtype == oplist.INT16:
        return softmax_to_s16(c, n, op)
    c.check_s8(x, y)
    if abs(y.scale - 1.0 / 256) > 1e-9 or y.zero_point != -128:
        raise ConvertError("int8 softmax output must have scale 1/256 and zero point -128")
    depth = x.shape[-1]
    rows = x.nbytes // depth
    try:
        vals = softmax_params(rows, depth, x.scale, op.builtinOptions.beta)
    except ValueError as e:
        raise ConvertError(str(e)) from None
    p = c.params("softmax%d" % n, vals)
    c.add_op(oplist.SOFTMAX, "SOFTMAX", n, [x, p], [y])



def _alias(c, n, op):
    x, y = c.tensor(op.inputs[0]), c.tensor(op.outputs[0])
    if x.is_const:
        raise ConvertError("reshaping a constant is not supported")
    if x.nbytes != y.nbytes or x.dtype != y.dtype:
        raise ConvertError("reshape changes the size: %s -> %s" % (x.shape, y.shape))
    if c.resolve(x) is y or y.alias is not None:
        raise ConvertError("tensor %s is produced twice (or reshaped into itself)" % y.name)
    y.alias = c.resolve(x)



for _code in (BO.RESHAPE, BO.SQUEEZE, BO.EXPAND_DIMS):
    rule(_code)(_alias)



# QUANTIZE between integer types (input, output dtype) -> opcode: the pairs TFLite Micro runs, int16 aside.
_RESCALE = {(oplist.INT8, oplist.UINT8): oplist.REQUANTIZE_S8_U8, (oplist.UINT8, oplist.INT8): oplist.REQUANTIZE_U8_S8,
            (oplist.INT8, oplist.INT32): oplist.REQUANTIZE_S8_S32, (oplist.INT32, oplist.INT8): oplist.REQUANTIZE_S32_S8}


@rule(BO.QUANTIZE, dtypes=(oplist.FLOAT32, oplist.INT8, oplist.UINT8, oplist.INT32))
def _quantize(c, n, op):
    (x,), (y,) = c.io(op, 1)
    pair = (x.dtype, y.dtype)
    if pair == (oplist.FLOAT32, oplist.INT8):
        p = c.const("quant%d/params" % n, np.array([np.float32(y.scale).view(np.int32), y.zero_point], np.int32))
        c.add_op(oplist.QUANTIZE, "QUANTIZE", n, [x, p], [y])
    elif pair == (oplist.INT8, oplist.INT8):
        p = c.params("requant%d" % n, requantize_params(x.scale, x.zero_point, y.scale, y.zero_point))
        c.add_op(oplist.REQUANTIZE, "QUANTIZE", n, [x, p], [y])
    elif pair in _RESCALE:
        mult, shift = quant.quantize_multiplier(float(np.float32(x.scale)) / float(np.float32(y.scale)))  # double, as Prepare
        try:
            packed = table.RESCALE.pack(input_zero_point=int(x.zero_point), output_zero_point=int(y.zero_point),
                                        multiplier=mult, shift=shift)
        except ValueError as e:
            raise ConvertError("QUANTIZE %s -> %s: %s" % (_dtn(x), _dtn(y), e)) from None
        c.add_op(_RESCALE[pair], "QUANTIZE", n, [x, c.params("rescale%d" % n, packed)], [y])
    elif y.dtype == oplist.INT16:
        quantize_to_s16(c, n, op)
    else:
        raise ConvertError("QUANTIZE %s -> %s is not supported (TFLite Micro runs float32 -> int8, int8 -> int8, "
                           "uint8, int32, int16, uint8 -> int8, int32 -> int8, int16)" % (_dtn(x), _dtn(y)))


def _dtn(t):
    return oplist.DTYPE_NAMES[t.dtype]


@rule(BO.DEQUANTIZE, dtypes=(oplist.INT8, oplist.UINT8))
def _dequantize(c, n, op):
    (x,), (y,) = c.io(op, 1)
    if x.dtype not in (oplist.INT8, oplist.UINT8) or y.dtype != oplist.FLOAT32:
        raise ConvertError("DEQUANTIZE %s -> %s is not supported (int8 or uint8 -> float32)" % (_dtn(x), _dtn(y)))
    bits = int(np.float32(x.scale).view(np.int32))
    if x.dtype == oplist.UINT8:
        p = c.params("dequant%d" % n, table.DEQUANT.pack(scale=bits, zero_point=int(x.zero_point)))
        c.add_op(oplist.DEQUANTIZE_U8, "DEQUANTIZE", n, [x, p], [y])
        return
    p = c.const("dequant%d/params" % n, np.array([bits, x.zero_point], np.int32))
    c.add_op(oplist.DEQUANTIZE, "DEQUANTIZE", n, [x, p], [y])

