"""Converter rules of SVDF (area RECURRENT, ops_svdf.py) and of the int16 quantize ops (area
INT16, ops_q16.py): QUANTIZE from int16 (here), to int16 from int8, int32 and float32
(quantize_to_s16, called by Tier 1's QUANTIZE rule), DEQUANTIZE int16, and SOFTMAX int8 -> int16
(softmax_to_s16, called by Tier 1's SOFTMAX rule).

SVDF as TFLite Micro's PrepareSvdf checks it: input [batch, input_size], weights_feature
[filters, input_size], weights_time [filters, memory], bias [units] (required: TFLM crashes
without one), a variable state [batch, filters * memory] of weights_time's type,
output [batch, units], filters = units * rank. The integer SVDF applies no fused activation
(TFLM ignores it there); the float32 one does."""

import numpy as np
from micronn import oplist

from ...ops import ops_q16, ops_svdf, table
from .. import quant
from ..graph import ACT_NAMES, BO, ConvertError
from ..params import softmax_params
from ..registry import rule

_F32_ACT = {"NONE": 0, "RELU": 1, "RELU_N1_TO_1": 2, "RELU6": 3}


def _name(t):
    return oplist.DTYPE_NAMES[t.dtype]


def _f32(v):
    return np.float32(v)


def _svdf(c, n, op):
    (x, wf, wt, b, st), outs = c.io(op, 5)
    if len(outs) != 1:
        raise ConvertError("SVDF has one output, got %d" % len(outs))
    (y,) = outs
    if x is None or wf is None or wt is None or st is None:
        raise ConvertError("SVDF needs input, weights_feature, weights_time and state")
    s8 = x.dtype == oplist.INT8
    if len(x.shape) != 2:
        raise ConvertError("input %s: rank %d, SVDF takes [batch, input_size]" % (x.name, len(x.shape)))
    batch, n_in = x.shape
    for t, what in ((wf, "weights_feature"), (wt, "weights_time")):
        if not t.is_const or len(t.shape) != 2:
            raise ConvertError("%s %s must be a constant 2-D tensor" % (what, t.name))
    filters, memory = wt.shape
    o = op.builtinOptions
    rank = int(o.rank) if o is not None else 0
    if rank < 1 or filters % rank:
        raise ConvertError("rank %d does not divide the %d filters" % (rank, filters))
    units = filters // rank
    if tuple(wf.shape) != (filters, n_in):
        raise ConvertError("weights_feature %s, expected %s" % (wf.shape, (filters, n_in)))
    if tuple(y.shape) != (batch, units):
        raise ConvertError("output %s, expected %s" % (y.shape, (batch, units)))
    if tuple(st.shape) != (batch, filters * memory):
        raise ConvertError("state %s, expected %s" % (st.shape, (batch, filters * memory)))
    if not st.variable:
        raise ConvertError("state %s must be a variable tensor (TFLite Micro requires it)" % st.name)
    if st.is_const:
        raise ConvertError("state %s has initial data: TFLite Micro resets it to its zero point" % st.name)
    if b is None:  # int8: Prepare reads the bias scale; float32: Eval reads tensor -1
        raise ConvertError("SVDF without bias: TFLite Micro crashes on it (segfault)")
    if (not b.is_const or tuple(b.shape) != (units,)):
        raise ConvertError("bias %s must be a constant of %d values" % (b.name, units))
    act = ACT_NAMES.get(o.fusedActivationFunction, "?")
    f = dict(batch=batch, input_size=n_in, units=units, rank=rank, memory=memory, input_offset=0,
             output_offset=0, state_zero_point=0, feature_multiplier=0, feature_shift=0,
             output_multiplier=0, output_shift=0, act=0)
    if s8:
        if wf.dtype != oplist.INT8 or wt.dtype not in (oplist.INT8, oplist.INT16) or y.dtype != oplist.INT8:
            raise ConvertError("int8 SVDF: weights_feature %s, weights_time %s, output %s (TFLite Micro takes "
                               "int8, int8 or int16, int8)" % (_name(wf), _name(wt), _name(y)))
        if st.dtype != wt.dtype:
            raise ConvertError("state %s is %s, weights_time %s: TFLite Micro reads the state as weights_time's "
                               "type" % (st.name, _name(st), _name(wt)))
        if b.dtype != oplist.INT32:
            raise ConvertError("bias %s is %s, expected int32" % (b.name, _name(b)))
        if not (x.scale > 0 and wf.scale > 0 and wt.scale > 0 and st.scale > 0 and y.scale > 0):
            raise ConvertError("int8 SVDF: input, weights, state and output need scales")
        if not abs(float(b.scale) - float(_f32(st.scale) * _f32(wt.scale))) < 1e-5:
            raise ConvertError("bias scale %g is not state scale * weights_time scale (TFLite Micro requires it)"
                               % b.scale)
        # The TFLM source writes float32 products and quotients; the tflite_micro wheel computes
        # them as doubles (as for FULLY_CONNECTED, quant.fc_multipliers): opcases_svdf's
        # "svdf-s8_s16-double-scale" tells the two apart.
        m1, s1 = quant.quantize_multiplier(float(_f32(x.scale)) * float(_f32(wf.scale)) / float(_f32(st.scale)))
        m2, s2 = quant.quantize_multiplier(float(_f32(st.scale)) * float(_f32(wt.scale)) / float(_f32(y.scale)))
        f.update(input_offset=-x.zero_point, output_offset=y.zero_point, state_zero_point=st.zero_point,
                 feature_multiplier=m1, feature_shift=s1, output_multiplier=m2, output_shift=s2)
        opcode = oplist.SVDF_S8 if wt.dtype == oplist.INT8 else oplist.SVDF_S8_S16
        if wt.dtype == oplist.INT8:
            # The kernels keep an int8 state as (TFLite Micro's value - its zero point), wrapped
            # (state_zero_point above): stored so, the state's zero point is 0, and reset() (which
            # fills an int8 variable with its zero point, as TFLite Micro does) starts it right.
            st.zero_point = 0
    else:
        for t, what in ((wf, "weights_feature"), (wt, "weights_time"), (st, "state"), (y, "output"), (b, "bias")):
            if t is not None and t.dtype != oplist.FLOAT32:
                raise ConvertError("float32 SVDF: %s %s is %s" % (what, t.name, _name(t)))
        if act not in _F32_ACT:
            raise ConvertError("float32 SVDF: fused activation %s is not supported" % act)
        f["act"] = _F32_ACT[act]
        opcode = oplist.SVDF_F32
    try:
        values = ops_svdf.SVDF.pack(**f)
    except ValueError as e:
        raise ConvertError("SVDF: %s" % e) from None
    c.add_op(opcode, "SVDF", n, [x, wf, wt, b, st, c.params("svdf%d" % n, values)], [y],
             macs=batch * filters * (n_in + memory))


for _dt in (oplist.INT8, oplist.FLOAT32):
    rule(BO.SVDF, dtypes=(_dt,))(_svdf)


# ---------------------------------------------------------------------------- int16 quantize ops
# QUANTIZE between integer types with an int16 side: (input, output dtype) -> opcode.
_RESCALE16 = {(oplist.INT16, oplist.INT8): oplist.REQUANTIZE_S16_S8, (oplist.INT16, oplist.INT16): oplist.REQUANTIZE_S16_S16,
              (oplist.INT16, oplist.INT32): oplist.REQUANTIZE_S16_S32, (oplist.INT8, oplist.INT16): oplist.REQUANTIZE_S8_S16,
              (oplist.INT32, oplist.INT16): oplist.REQUANTIZE_S32_S16}


def _quant16(c, n, op, x, y):
    pair = (x.dtype, y.dtype)
    if not y.scale > 0:
        raise ConvertError("QUANTIZE %s -> %s: the output needs a scale" % (_name(x), _name(y)))
    if pair == (oplist.FLOAT32, oplist.INT16):
        try:
            values = ops_q16.QUANT16.pack(scale=int(_f32(y.scale).view(np.int32)), zero_point=int(y.zero_point))
        except ValueError as e:
            raise ConvertError("QUANTIZE float32 -> int16: %s" % e) from None
        c.add_op(oplist.QUANTIZE_F32_S16, "QUANTIZE", n, [x, c.params("quant16_%d" % n, values)], [y])
        return
    if pair not in _RESCALE16:
        raise ConvertError("QUANTIZE %s -> %s is not supported (TFLite Micro runs int16 -> int8, int16, int32; "
                           "int8, int32, float32 -> int16)" % (_name(x), _name(y)))
    if not x.scale > 0:
        raise ConvertError("QUANTIZE %s -> %s: the input needs a scale" % (_name(x), _name(y)))
    mult, shift = quant.quantize_multiplier(float(_f32(x.scale)) / float(_f32(y.scale)))  # double, as Prepare
    try:
        values = ops_q16.RESCALE16.pack(input_zero_point=int(x.zero_point), output_zero_point=int(y.zero_point),
                                        multiplier=mult, shift=shift)
    except ValueError as e:
        raise ConvertError("QUANTIZE %s -> %s: %s" % (_name(x), _name(y), e)) from None
    c.add_op(_RESCALE16[pair], "QUANTIZE", n, [x, c.params("rescale16_%d" % n, values)], [y])


def quantize_to_s16(c, n, op):
    """QUANTIZE int8, int32 or float32 -> int16 (Tier 1's QUANTIZE rule hands these over)."""
    (x,), (y,) = c.io(op, 1)
    _quant16(c, n, op, x, y)


@rule(BO.QUANTIZE, dtypes=(oplist.INT16,))
def _quantize_s16(c, n, op):
    (x,), (y,) = c.io(op, 1)
    _quant16(c, n, op, x, y)


@rule(BO.DEQUANTIZE, dtypes=(oplist.INT16,))
def _dequantize_s16(c, n, op):
    (x,), (y,) = c.io(op, 1)
    if y.dtype != oplist.FLOAT32:
        raise ConvertError("DEQUANTIZE int16 -> %s is not supported (float32 only)" % _name(y))
    if not x.scale > 0:
        raise ConvertError("DEQUANTIZE int16: the input needs a scale")
    values = ops_q16.QUANT16.pack(scale=int(_f32(x.scale).view(np.int32)), zero_point=int(x.zero_point))
    c.add_op(oplist.DEQUANTIZE_S16, "DEQUANTIZE", n, [x, c.params("dequant16_%d" % n, values)], [y])


_SOFTMAX16_DEPTH_MAX = 4095  # each exp is at most 2^19 in Q12: 4095 of them stay below 2^31


def softmax_to_s16(c, n, op):
    """SOFTMAX int8 -> int16 (Tier 1's SOFTMAX rule hands it over): TFLM's output quantization
    1/65536, zero point -32768."""
    (x,), (y,) = c.io(op, 1)
    if x.dtype != oplist.INT8 or y.dtype != oplist.INT16:
        raise ConvertError("SOFTMAX %s -> %s: int8 -> int16 here" % (_name(x), _name(y)))
    if y.zero_point != -32768 or not abs(float(y.scale) - 1.0 / 65536) <= 0.001 / 65536:
        raise ConvertError("int8 -> int16 softmax output must have scale 1/65536 and zero point -32768 "
                           "(TFLite Micro requires it), got %g, %d" % (y.scale, y.zero_point))
    if tuple(y.shape) != tuple(x.shape) or not x.shape:
        raise ConvertError("output %s must match input %s" % (y.shape, x.shape))
    depth = int(x.shape[-1])
    if depth > _SOFTMAX16_DEPTH_MAX:
        raise ConvertError("int8 -> int16 softmax: last dim %d > %d (TFLite Micro's Q12 sum of exps "
                           "can pass 2^31)" % (depth, _SOFTMAX16_DEPTH_MAX))
    try:
        v = table.SOFTMAX.named(softmax_params(x.nbytes // depth, depth, x.scale, op.builtinOptions.beta))
        values = ops_q16.SOFTMAX8_16.pack(**{k: v[k] for k in ops_q16.SOFTMAX8_16.index})
    except ValueError as e:
        raise ConvertError(str(e)) from None
    c.add_op(oplist.SOFTMAX_S8_S16, "SOFTMAX", n, [x, c.params("softmax16_%d" % n, values)], [y])
