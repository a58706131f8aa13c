"""Converter rules of the int16 activations, pools and SOFTMAX (ops_act16.py of the op spec):
TFLite Micro's Prepare for int16 inputs, its refusals named (zero points that must be 0, output
scales that must be 2^-15 or 1/32768), the tables it builds stored as constants."""

import numpy as np
from micronn import oplist

from ...ops import ops_act16
from ...reference import act16 as ra
from .. import quant
from ..graph import ACT_NAMES, BO, PADDING, ConvertError
from ..params import add_broadcast, compute_padding
from ..registry import rule

_S16 = (oplist.INT16,)
_I16 = oplist.INT16


def _name(t):
    return oplist.DTYPE_NAMES[t.dtype]


def _pack(name, layout, **f):
    try:
        return layout.pack(**f)
    except ValueError as e:
        raise ConvertError("%s int16: %s" % (name, e)) from None


def _prepare(name, f, *args):
    try:
        return f(*args)
    except ValueError as e:
        raise ConvertError("%s int16: %s" % (name, e)) from None


def _unary_io(c, op, name, zero_points=False):
    (x,), (y,) = c.io(op, 1)
    if y.dtype != _I16:
        raise ConvertError("%s int16: output %s is %s, expected int16" % (name, y.name, _name(y)))
    if x.nbytes != y.nbytes:
        raise ConvertError("%s int16: input %s and output %s differ in size" % (name, x.shape, y.shape))
    if not (x.scale > 0 and y.scale > 0):
        raise ConvertError("%s int16: input and output must be quantized" % name)
    if zero_points and (x.zero_point, y.zero_point) != (0, 0):
        raise ConvertError("%s int16: zero points %d, %d (TFLite Micro requires 0 for int16)"
                           % (name, x.zero_point, y.zero_point))
    return x, y


def _sigmoid_rule(code, name, opcode, tanh):
    @rule(code, dtypes=_S16)
    def convert(c, n, op):
        x, y = _unary_io(c, op, name, zero_points=True)
        mult, shift = _prepare(name, ra.sigmoid_params, x.scale, y.scale, tanh)
        vals = _pack(name, ops_act16.SIGMOID16, input_multiplier=mult, input_left_shift=shift)
        table = c.const("%s%d/table" % (name.lower(), n), ra.sigmoid_table())
        c.add_op(opcode, name, n, [x, table, c.params("%s%d" % (name.lower(), n), vals)], [y])

    return convert


_sigmoid_rule(BO.LOGISTIC, "LOGISTIC", oplist.LOGISTIC_S16, False)
_sigmoid_rule(BO.TANH, "TANH", oplist.TANH_S16, True)


@rule(BO.RELU, dtypes=_S16)
def _relu(c, n, op):
    x, y = _unary_io(c, op, "RELU", zero_points=True)
    m, s = ra.f32_ratio_multiplier(x.scale, y.scale)
    vals = _pack("RELU", ops_act16.RELU16, multiplier=m, shift=s, act_min=0, act_max=ra.I16_MAX)
    c.add_op(oplist.RELU_S16, "RELU", n, [x, c.params("relu%d" % n, vals)], [y])


@rule(BO.RELU6, dtypes=_S16)
def _relu6(c, n, op):
    x, y = _unary_io(c, op, "RELU6")
    lo, hi = ra.relu6_bounds(x.scale, x.zero_point)
    vals = _pack("RELU6", ops_act16.CLAMP16, act_min=lo, act_max=hi)
    c.add_op(oplist.RELU6_S16, "RELU6", n, [x, c.params("relu6%d" % n, vals)], [y])


@rule(BO.LEAKY_RELU, dtypes=_S16)
def _leaky_relu(c, n, op):
    x, y = _unary_io(c, op, "LEAKY_RELU")
    alpha = float(op.builtinOptions.alpha) if op.builtinOptions is not None else 0.2
    f32 = np.float32
    m_a, s_a = quant.quantize_multiplier(float(f32(f32(f32(x.scale) * f32(alpha)) / f32(y.scale))))
    m_i, s_i = ra.f32_ratio_multiplier(x.scale, y.scale)
    vals = _pack("LEAKY_RELU", ops_act16.LEAKY16, input_zero_point=x.zero_point, output_zero_point=y.zero_point,
                 multiplier_identity=m_i, shift_identity=s_i, multiplier_alpha=abs(m_a), shift_alpha=s_a, alpha_negative=int(m_a < 0))
    c.add_op(oplist.LEAKY_RELU_S16, "LEAKY_RELU", n, [x, c.params("leaky_relu%d" % n, vals)], [y])


@rule(BO.PRELU, dtypes=_S16)
def _prelu(c, n, op):
    (x, a), (y,) = c.io(op, 2)
    if a is None or a.dtype != oplist.INT8:
        raise ConvertError("PRELU int16: alpha must be int8 (TFLite Micro requires it), got %s"
                           % (_name(a) if a is not None else "none"))
    if y.dtype != _I16:
        raise ConvertError("PRELU int16: output %s is %s, expected int16" % (y.name, _name(y)))
    if not (x.scale > 0 and a.scale > 0 and y.scale > 0):
        raise ConvertError("PRELU int16: input, alpha and output must be quantized")
    try:
        dims, s_in, s_a = add_broadcast(x.shape, a.shape)
    except ValueError as e:
        raise ConvertError("PRELU int16: %s" % e) from None
    if int(np.prod(dims)) * 2 != y.nbytes:
        raise ConvertError("PRELU int16: output %s is not the broadcast of %s and %s" % (y.shape, x.shape, a.shape))
    f32 = np.float32
    m1, s1 = quant.quantize_multiplier(float(f32(x.scale)) / float(f32(y.scale)))
    m2, s2 = quant.quantize_multiplier(float(f32(x.scale)) * float(f32(a.scale)) / float(f32(y.scale)))
    f = {"d%d" % k: dims[k] for k in range(4)}
    f.update({"in_s%d" % k: s_in[k] for k in range(4)})
    f.update({"alpha_s%d" % k: s_a[k] for k in range(4)})
    vals = _pack("PRELU", ops_act16.PRELU16, input_offset=-x.zero_point, alpha_offset=-a.zero_point,
                 output_offset=y.zero_point, multiplier_pos=m1, shift_pos=s1, multiplier_neg=m2, shift_neg=s2, **f)
    c.add_op(oplist.PRELU_S16, "PRELU", n, [x, a, c.params("prelu%d" % n, vals)], [y])


def _pool(c, n, op, opcode, name):
    (x,), (y,) = c.io(op, 1)
    if y.dtype != _I16:
        raise ConvertError("%s int16: output %s is %s, expected int16" % (name, y.name, _name(y)))
    if len(x.shape) != 4:
        raise ConvertError("%s int16: expects a 4-D NHWC input, got %s" % (name, x.shape))
    f32 = np.float32
    if not abs(float(f32(f32(x.scale) - f32(y.scale)))) <= 1.0e-6 or x.zero_point != y.zero_point:
        raise ConvertError("%s int16: input and output quantization must be equal (TFLite Micro requires it)" % name)
    o = op.builtinOptions
    act = ACT_NAMES.get(o.fusedActivationFunction)
    try:
        lo, hi = quant.activation_range(act, y.scale, y.zero_point, ra.I16_MIN, ra.I16_MAX)
    except ValueError as e:
        raise ConvertError("%s int16: %s" % (name, e)) from None
    N, h, w, ch = x.shape
    pad = PADDING.get(o.padding)
    try:
        oh, pt = compute_padding(h, o.filterHeight, o.strideH, 1, pad)
        ow, pl = compute_padding(w, o.filterWidth, o.strideW, 1, pad)
    except ValueError as e:
        raise ConvertError("%s int16: %s" % (name, e)) from None
    vals = _pack(name, ops_act16.POOL16, n=N, in_h=h, in_w=w, c=ch, out_h=oh, out_w=ow, k_h=o.filterHeight,
                 k_w=o.filterWidth, stride_h=o.strideH, stride_w=o.strideW, pad_top=pt, pad_left=pl,
                 act_min=lo, act_max=hi)
    if tuple(y.shape) != (N, oh, ow, ch):
        raise ConvertError("%s int16: output shape %s, expected %s" % (name, y.shape, (N, oh, ow, ch)))
    # every window must overlap the input (TFLM's kernel returns an error for an empty one)
    if (oh - 1) * o.strideH - pt >= h or (ow - 1) * o.strideW - pl >= w or pt >= o.filterHeight \
            or pl >= o.filterWidth:
        raise ConvertError("%s int16: a window lies outside the input" % name)
    c.add_op(opcode, name, n, [x, c.params("pool%d" % n, vals)], [y], N * oh * ow * ch * o.filterHeight * o.filterWidth)


@rule(BO.AVERAGE_POOL_2D, dtypes=_S16)
def _avg_pool(c, n, op):
    _pool(c, n, op, oplist.AVERAGE_POOL_2D_S16, "AVERAGE_POOL_2D")


@rule(BO.MAX_POOL_2D, dtypes=_S16)
def _max_pool(c, n, op):
    _pool(c, n, op, oplist.MAX_POOL_2D_S16, "MAX_POOL_2D")


_SOFTMAX_SCALE = np.float32(1.0 / 32768)


@rule(BO.SOFTMAX, dtypes=_S16)
def _softmax(c, n, op):
    (x,), (y,) = c.io(op, 1)
    if y.dtype != _I16 or tuple(y.shape) != tuple(x.shape):
        raise ConvertError("SOFTMAX int16: output %s %s must be int16 of the input's shape" % (_name(y), y.shape))
    if (x.zero_point, y.zero_point) != (0, 0):
        raise ConvertError("SOFTMAX int16: zero points %d, %d (TFLite Micro requires 0)" % (x.zero_point, y.zero_point))
    f32 = np.float32
    if not abs(f32(f32(y.scale) - _SOFTMAX_SCALE)) <= f32(f32(0.001) * _SOFTMAX_SCALE):
        raise ConvertError("SOFTMAX int16: output scale %g, expected 1/32768 (TFLite Micro requires it)" % y.scale)
    if not x.shape or any(d == 0 for d in x.shape):
        raise ConvertError("SOFTMAX int16: empty or scalar input %s is not supported" % (x.shape,))
    if not x.scale > 0:
        raise ConvertError("SOFTMAX int16: the input must be quantized")
    beta = float(op.builtinOptions.beta) if op.builtinOptions is not None else 1.0
    m, s = _prepare("SOFTMAX", ra.softmax_params, x.scale, beta)
    depth = int(x.shape[-1])
    vals = _pack("SOFTMAX", ops_act16.SOFTMAX16, rows=x.nbytes // 2 // depth, depth=depth, input_multiplier=m,
                 input_shift=s)
    exp_t, rec_t = ra.softmax_tables()
    c.add_op(oplist.SOFTMAX_S16, "SOFTMAX", n,
             [x, c.const("softmax%d/exp" % n, exp_t), c.const("softmax%d/recip" % n, rec_t),
              c.params("softmax%d" % n, vals)], [y])
