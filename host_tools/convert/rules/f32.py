"""Converter rules and rule families of the NN area's float32 layers (ops_f32.py of the op spec):
hand-written rules register with registry.rule; rule families with families.family.

Every rule takes TFLite Micro's float path: float32 input, weights, bias and output; the fused
activation as CalculateActivationRange's float range (TANH / SIGN_BIT fused activations, which
TFLM's float kernels would silently ignore, are refused). An absent bias is a constant of zeros:
TFLM adds 0.0f in its place."""

import numpy as np
from micronn import oplist

from ...ops import ops_f32
from ..graph import ACT_NAMES, BO, PADDING, ConvertError
from ..params import add_broadcast, compute_padding
from ..registry import rule
from .families import count as _count

_F32 = (oplist.FLOAT32,)
_ACT_CODES = {"NONE": 0, "RELU": 1, "RELU_N1_TO_1": 2, "RELU6": 3}


def _name(t):
    return oplist.DTYPE_NAMES[t.dtype]


def act_code(op_name, opts):
    """The layouts' act field of the op's fused activation."""
    fused = getattr(opts, "fusedActivationFunction", 0) if opts is not None else 0
    act = ACT_NAMES.get(fused) or {4: "TANH", 5: "SIGN_BIT"}.get(fused, "code %d" % fused)
    if act not in _ACT_CODES:
        raise ConvertError("%s float32: fused activation %s is not supported (TFLite Micro's float kernels "
                           "take NONE, RELU, RELU_N1_TO_1, RELU6)" % (op_name, act))
    return _ACT_CODES[act]


def _check_f32(op_name, *ts):
    for t in ts:
        if t is not None and t.dtype != oplist.FLOAT32:
            raise ConvertError("%s float32: tensor %s is %s, expected float32 (TFLite Micro's float path "
                               "takes float32 weights and bias)" % (op_name, t.name, _name(t)))


def _bias(c, op_name, tag, b, n_out):
    """The bias tensor, or a constant of n_out zeros when the op has none."""
    if b is None:
        return c.const(tag + "/bias", np.zeros(n_out, np.float32))
    if _count(b) != n_out:
        raise ConvertError("%s float32: bias %s has %d values for %d output channels"
                           % (op_name, b.name, _count(b), n_out))
    return b


def _pack(op_name, layout, f):
    try:
        return layout.pack(**f)
    except ValueError as e:
        raise ConvertError("%s float32: %s" % (op_name, e)) from None


def _conv_rule(name, opcode, depthwise):
    @rule(getattr(BO, name), dtypes=_F32)
    def convert(c, n, op):
        (x, w, b), (y,) = c.io(op, 3)
        _check_f32(name, x, w, b, y)
        if w is None or len(x.shape) != 4 or len(y.shape) != 4 or len(w.shape) != 4:
            raise ConvertError("%s float32: expects 4-D NHWC input/output and 4-D weights" % name)
        o = op.builtinOptions
        N, in_h, in_w, in_c = (int(d) for d in x.shape)
        out_c = int(y.shape[3])
        if depthwise:
            one, k_h, k_w, wc = (int(d) for d in w.shape)
            if one != 1 or wc != out_c or out_c % in_c:
                raise ConvertError("%s float32: weights %s do not match input %s / output %s"
                                   % (name, w.shape, x.shape, y.shape))
            mult = out_c // in_c
        else:
            wc, k_h, k_w, wi = (int(d) for d in w.shape)
            if wc != out_c or wi != in_c:
                raise ConvertError("%s float32: weights %s do not match input %s / output %s (grouped "
                                   "convolution is not supported)" % (name, w.shape, x.shape, y.shape))
            mult = 1
        pad = PADDING.get(o.padding)
        if pad is None:
            raise ConvertError("%s float32: unknown padding %d" % (name, o.padding))
        try:
            out_h, pad_top = compute_padding(in_h, k_h, o.strideH, o.dilationHFactor, pad)
            out_w, pad_left = compute_padding(in_w, k_w, o.strideW, o.dilationWFactor, pad)
        except ValueError as e:
            raise ConvertError("%s float32: %s" % (name, e)) from None
        if (N, out_h, out_w) != tuple(int(d) for d in y.shape[:3]):
            raise ConvertError("%s float32: output shape %s, expected %s" % (name, y.shape, (N, out_h, out_w, out_c)))
        tag = "%s%d" % ("dw" if depthwise else "conv", n)
        values = _pack(name, ops_f32.F32CONV, dict(
            n=N, in_h=in_h, in_w=in_w, in_c=in_c, out_h=out_h, out_w=out_w, out_c=out_c, k_h=k_h, k_w=k_w,
            stride_h=o.strideH, stride_w=o.strideW, dil_h=o.dilationHFactor, dil_w=o.dilationWFactor,
            pad_top=pad_top, pad_left=pad_left, depth_multiplier=mult, act=act_code(name, o)))
        macs = N * out_h * out_w * out_c * k_h * k_w * (1 if depthwise else in_c)
        c.add_op(opcode, name, n, [x, w, _bias(c, name, tag, b, out_c), c.params(tag, values)], [y], macs)

    return convert


_conv_rule("CONV_2D", oplist.CONV_2D_F32, depthwise=False)
_conv_rule("DEPTHWISE_CONV_2D", oplist.DEPTHWISE_CONV_2D_F32, depthwise=True)


@rule(BO.FULLY_CONNECTED, dtypes=_F32)
def _fully_connected(c, n, op):
    name = "FULLY_CONNECTED"
    (x, w, b), (y,) = c.io(op, 3)
    _check_f32(name, x, w, b, y)
    if w is None or len(w.shape) != 2:
        raise ConvertError("%s float32: weights must be a 2-D tensor" % name)
    o = op.builtinOptions
    if o is not None and o.weightsFormat != 0:
        raise ConvertError("%s float32: weights format %d is not supported (DEFAULT only)" % (name, o.weightsFormat))
    out_f, in_f = (int(d) for d in w.shape)
    if not y.shape or int(y.shape[-1]) != out_f:
        raise ConvertError("%s float32: output %s does not end in %d features" % (name, y.shape, out_f))
    batches = _count(y) // out_f
    if _count(x) != batches * in_f:
        raise ConvertError("%s float32: input %s is not %d rows of %d" % (name, x.shape, batches, in_f))
    tag = "fc%d" % n
    values = _pack(name, ops_f32.F32FC, dict(batches=batches, in_features=in_f, out_features=out_f,
                                             act=act_code(name, o)))
    c.add_op(oplist.FULLY_CONNECTED_F32, name, n, [x, w, _bias(c, name, tag, b, out_f), c.params(tag, values)],
             [y], batches * in_f * out_f)


def _pool_rule(name, opcode):
    @rule(getattr(BO, name), dtypes=_F32)
    def convert(c, n, op):
        (x,), (y,) = c.io(op, 1)
        _check_f32(name, x, y)
        if len(x.shape) != 4:
            raise ConvertError("%s float32: expects a 4-D NHWC input" % name)
        o = op.builtinOptions
        N, in_h, in_w, ch = (int(d) for d in x.shape)
        pad = PADDING.get(o.padding)
        if pad is None:
            raise ConvertError("%s float32: unknown padding %d" % (name, o.padding))
        try:
            out_h, pad_top = compute_padding(in_h, o.filterHeight, o.strideH, 1, pad)
            out_w, pad_left = compute_padding(in_w, o.filterWidth, o.strideW, 1, pad)
        except ValueError as e:
            raise ConvertError("%s float32: %s" % (name, e)) from None
        if tuple(int(d) for d in y.shape) != (N, out_h, out_w, ch):
            raise ConvertError("%s float32: output shape %s, expected %s" % (name, y.shape, (N, out_h, out_w, ch)))
        values = _pack(name, ops_f32.F32POOL, dict(
            n=N, in_h=in_h, in_w=in_w, c=ch, out_h=out_h, out_w=out_w, k_h=o.filterHeight, k_w=o.filterWidth,
            stride_h=o.strideH, stride_w=o.strideW, pad_top=pad_top, pad_left=pad_left, act=act_code(name, o)))
        c.add_op(opcode, name, n, [x, c.params("pool%d" % n, values)], [y],
                 N * out_h * out_w * ch * o.filterHeight * o.filterWidth)

    return convert


_pool_rule("AVERAGE_POOL_2D", oplist.AVERAGE_POOL_2D_F32)
_pool_rule("MAX_POOL_2D", oplist.MAX_POOL_2D_F32)


def _bits(v):
    return int(np.array([v], dtype=np.float32).view(np.int32)[0])


def _act_rule(name, opcode):
    @rule(getattr(BO, name), dtypes=_F32)
    def convert(c, n, op):
        (x,), (y,) = c.io(op, 1)
        _check_f32(name, x, y)
        if _count(y) != _count(x):
            raise ConvertError("%s float32: output %s does not match input %s" % (name, y.shape, x.shape))
        alpha = 0
        if name == "LEAKY_RELU":
            o = op.builtinOptions
            alpha = _bits(o.alpha if o is not None else 0.0)
        values = _pack(name, ops_f32.F32ACT, dict(op=ops_f32.ACTF_OPS.index(name), alpha=alpha))
        c.add_op(opcode, name, n, [x, c.params("%s%d" % (name.lower(), n), values)], [y])

    return convert


for _op in ops_f32.OPS:
    if _op.kernel == "act_f32":
        _act_rule(_op.name, _op.opcode)


@rule(BO.PRELU, dtypes=_F32)
def _prelu(c, n, op):
    (x, a), (y,) = c.io(op, 2)
    _check_f32("PRELU", x, a, y)
    if a is None:
        raise ConvertError("PRELU float32: the alpha input is missing")
    try:
        dims, s_in, s_alpha = add_broadcast(x.shape, a.shape)
    except ValueError as e:
        raise ConvertError("PRELU float32: %s" % e) from None
    if int(np.prod(dims)) != _count(y):
        raise ConvertError("PRELU float32: output %s does not match the broadcast shape %s" % (y.shape, dims))
    f = {}
    for k in range(4):
        f["d%d" % k], f["in_s%d" % k], f["alpha_s%d" % k] = dims[k], s_in[k], s_alpha[k]
    c.add_op(oplist.PRELU_F32, "PRELU", n, [x, a, c.params("prelu%d" % n, _pack("PRELU", ops_f32.F32PRELU, f))], [y])


@rule(BO.SOFTMAX, dtypes=_F32)
def _softmax(c, n, op):
    (x,), (y,) = c.io(op, 1)
    _check_f32("SOFTMAX", x, y)
    if not x.shape or _count(y) != _count(x):
        raise ConvertError("SOFTMAX float32: output %s does not match input %s" % (y.shape, x.shape))
    depth = int(x.shape[-1])
    if depth == 0 or _count(x) == 0:
        raise ConvertError("SOFTMAX float32: empty input %s is not supported" % (x.shape,))
    o = op.builtinOptions
    beta = float(o.beta) if o is not None else 1.0
    values = _pack("SOFTMAX", ops_f32.F32SOFTMAX, dict(rows=_count(x) // depth, depth=depth, beta=_bits(beta)))
    c.add_op(oplist.SOFTMAX_F32, "SOFTMAX", n, [x, c.params("softmax%d" % n, values)], [y])

