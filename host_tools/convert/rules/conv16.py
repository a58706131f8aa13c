"""Converter rules of the 16x8 layers (ops_conv16.py, area INT16): CONV_2D, DEPTHWISE_CONV_2D,
FULLY_CONNECTED, TRANSPOSE_CONV and BATCH_MATMUL with an int16 input, as TFLite Micro's Prepare
and Eval take them.

The activations are symmetric int16 (TFLM's 16x8 kernels ignore the zero points; micronn
refuses a non-zero one rather than ignore it), the weights int8 with zero point 0. The bias
types are TFLM's: CONV_2D and FULLY_CONNECTED take int64 (int64 sums) or int32 (int32 sums, and
the int32 requantization; so does a missing bias whose op says quantized_bias_type int32);
DEPTHWISE_CONV_2D reads its bias as int64 only; TRANSPOSE_CONV takes int64 or int16 (widened).
Every bias is stored as int64; the params field acc64 tells the kernel which path TFLM takes.
The int64 requantization (TFLM asserts shift < 8) bounds the multipliers: a layer whose
input_scale * weight_scale / output_scale is 128 or more is refused."""

import numpy as np
from micronn import oplist

from ...ops import ops_conv16
from .. import quant
from ..graph import ACT_NAMES, BO, PADDING, TT, ConvertError, Tensor
from ..params import compute_padding
from ..registry import rule
from .conv import _strides, transpose_conv_padding

_S16 = (oplist.INT16,)
_I16 = (-32768, 32767)


def _name(t):
    return oplist.DTYPE_NAMES[t.dtype]


def _check_io(op_name, x, w, y):
    if w is None:
        raise ConvertError("%s needs weights" % op_name)
    if w.dtype != oplist.INT8:
        raise ConvertError("weights %s are %s: 16x8 %s takes int8 weights (TFLite Micro has no other "
                           "int16 variant)" % (w.name, _name(w), op_name))
    if y.dtype != oplist.INT16:
        raise ConvertError("output %s is %s, expected int16 like the input" % (y.name, _name(y)))
    if not w.is_const:
        raise ConvertError("weights %s must be a constant tensor" % w.name)
    for t in (x, y):
        if not t.scale > 0:
            raise ConvertError("int16 tensor %s needs a scale" % t.name)
        if t.zero_point != 0:
            raise ConvertError("int16 tensor %s has zero point %d (16x8 activations are symmetric: "
                               "TFLite Micro's kernels assume 0)" % (t.name, t.zero_point))


def _scales(c, op, idx, channels):
    ws, wzp = c.quant_scales(op.inputs[idx])
    if np.any(wzp != 0):
        raise ConvertError("weights zero point must be 0")
    if len(ws) not in (1, channels):
        raise ConvertError("%d weight scales for %d channels" % (len(ws), channels))
    return ws


def _multipliers(x, ws, y, channels, acc64, fc=False):
    mult, shift = (quant.fc_multipliers if fc else quant.conv_multipliers)(x.scale, ws, y.scale)
    if len(mult) == 1:
        mult, shift = np.repeat(mult, channels), np.repeat(shift, channels)
    if acc64 and shift.max() > 7:
        raise ConvertError("input_scale * weight_scale / output_scale = 2^%d or more: TFLite Micro's "
                           "int64 requantization takes shifts up to 7" % (int(shift.max()) - 1))
    return mult, shift


def _bias(c, tag, b, channels, accepted):
    """(the int64 bias constant or None, acc64 of the bias type)."""
    if b is None:
        return None, None
    if b.dtype not in accepted or not b.is_const:
        raise ConvertError("bias %s is %s%s (TFLite Micro's kernel takes a constant %s bias here)" % (
            b.name, _name(b), "" if b.is_const else ", not constant",
            " or ".join(oplist.DTYPE_NAMES[d] for d in accepted)))
    size = oplist.DTYPE_SIZES[b.dtype]
    if b.nbytes != channels * size:
        raise ConvertError("bias %s has %d elements, expected %d" % (b.name, b.nbytes // size, channels))
    dt = {oplist.INT16: "<i2", oplist.INT32: "<i4", oplist.INT64: "<i8"}[b.dtype]
    arr = np.frombuffer(b.data, dt).astype(np.int64)
    t = Tensor(tag + "/bias64", oplist.INT64, (channels,), data=arr.astype("<i8").tobytes())
    c.tensors.append(t)
    return t, b.dtype != oplist.INT32


def _acc64(o, bias_acc64):
    """TFLM's choice: int32 sums for an int32 bias, or no bias and quantized_bias_type int32."""
    if bias_acc64 is not None:
        return int(bias_acc64)
    return 0 if o is not None and getattr(o, "quantizedBiasType", 0) == TT.INT32 else 1


def _act(fused, y):
    if fused not in ACT_NAMES:
        raise ConvertError("unsupported fused activation %d" % fused)
    return quant.activation_range(ACT_NAMES[fused], y.scale, y.zero_point, *_I16)


def _pack(layout, name, f):
    try:
        return layout.pack(**f)
    except ValueError as e:
        raise ConvertError("%s: %s" % (name, e)) from None


def _conv(c, n, op, depthwise):
    name = "DEPTHWISE_CONV_2D" if depthwise else "CONV_2D"
    (x, w, b), (y,) = c.io(op, 3)
    _check_io(name, x, w, y)
    if len(x.shape) != 4 or len(y.shape) != 4 or len(w.shape) != 4:
        raise ConvertError("expects 4-D NHWC input/output and 4-D weights")
    o = op.builtinOptions
    N, in_h, in_w, in_c = x.shape
    out_c = y.shape[3]
    if depthwise:
        _, k_h, k_w, wc = w.shape
        if w.shape[0] != 1 or wc != out_c or out_c % in_c:
            raise ConvertError("weights %s do not match input %s / output %s" % (w.shape, x.shape, y.shape))
    else:
        wc, k_h, k_w, wi = w.shape
        if wc != out_c or wi != in_c:
            raise ConvertError("weights %s do not match input %s / output %s (grouped conv unsupported)"
                               % (w.shape, x.shape, y.shape))
    if min(x.shape + w.shape + y.shape) < 1:
        raise ConvertError("empty tensors are not supported")
    pad = PADDING.get(o.padding) if o is not None else None
    if pad is None:
        raise ConvertError("unknown padding")
    tag = "%s16_%d" % ("dw" if depthwise else "conv", n)
    ws = _scales(c, op, 1, out_c)
    # DEPTHWISE_CONV_2D: TFLM reads the bias as int64 whatever its type
    b64, bias_acc64 = _bias(c, tag, b, out_c, (oplist.INT64,) if depthwise else (oplist.INT64, oplist.INT32))
    acc64 = 1 if depthwise else _acc64(o, bias_acc64)
    mult, shift = _multipliers(x, ws, y, out_c, acc64)
    lo, hi = _act(o.fusedActivationFunction, y)
    try:
        oh, pt = compute_padding(in_h, k_h, o.strideH, o.dilationHFactor, pad)
        ow, pl = compute_padding(in_w, k_w, o.strideW, o.dilationWFactor, pad)
    except ValueError as e:
        raise ConvertError(str(e)) from None
    if (N, oh, ow) != tuple(y.shape[:3]):
        raise ConvertError("output shape %s, expected %s" % (y.shape, (N, oh, ow, out_c)))
    f = dict(n=N, in_h=in_h, in_w=in_w, in_c=in_c, out_h=oh, out_w=ow, out_c=out_c, k_h=k_h, k_w=k_w,
             stride_h=o.strideH, stride_w=o.strideW, dil_h=o.dilationHFactor, dil_w=o.dilationWFactor,
             pad_top=pt, pad_left=pl, act_min=lo, act_max=hi, acc64=acc64)
    if depthwise:
        f["depth_multiplier"] = out_c // in_c
    params = c.params(tag, _pack(ops_conv16.DWCONV16 if depthwise else ops_conv16.CONV16, name, f))
    args = [x, w, b64, params, c.const(tag + "/mult", mult), c.const(tag + "/shift", shift)]
    macs = N * oh * ow * out_c * k_h * k_w * (1 if depthwise else in_c)
    c.add_op(oplist.DEPTHWISE_CONV_2D_S16 if depthwise else oplist.CONV_2D_S16, name, n, args, [y], macs)


@rule(BO.CONV_2D, dtypes=_S16)
def _conv2d(c, n, op):
    _conv(c, n, op, depthwise=False)


@rule(BO.DEPTHWISE_CONV_2D, dtypes=_S16)
def _depthwise(c, n, op):
    _conv(c, n, op, depthwise=True)


@rule(BO.FULLY_CONNECTED, dtypes=_S16)
def _fully_connected(c, n, op):
    (x, w, b), (y,) = c.io(op, 3)
    _check_io("FULLY_CONNECTED", x, w, y)
    if len(w.shape) != 2:
        raise ConvertError("weights must be a 2-D tensor")
    out_f, in_f = w.shape
    count = x.nbytes // 2
    if min(out_f, in_f) < 1 or count % in_f:
        raise ConvertError("input %s does not divide into rows of %d" % (x.shape, in_f))
    if y.nbytes // 2 != count // in_f * out_f:
        raise ConvertError("output %s does not hold %d rows of %d" % (y.shape, count // in_f, out_f))
    o = op.builtinOptions
    tag = "fc16_%d" % n
    ws = _scales(c, op, 1, out_f)
    b64, bias_acc64 = _bias(c, tag, b, out_f, (oplist.INT64, oplist.INT32))
    acc64 = _acc64(o, bias_acc64)
    mult, shift = _multipliers(x, ws, y, out_f, acc64, fc=True)
    lo, hi = _act(o.fusedActivationFunction if o is not None else 0, y)
    f = dict(batches=count // in_f, in_features=in_f, out_features=out_f, act_min=lo, act_max=hi, acc64=acc64)
    params = c.params(tag, _pack(ops_conv16.FC16, "FULLY_CONNECTED", f))
    args = [x, w, b64, params, c.const(tag + "/mult", mult), c.const(tag + "/shift", shift)]
    c.add_op(oplist.FULLY_CONNECTED_S16, "FULLY_CONNECTED", n, args, [y], count * out_f)


@rule(BO.TRANSPOSE_CONV, dtypes=_S16, data_input=2)
def _transpose_conv(c, n, op):
    (shape_t, w, x, b), (y,) = c.io(op, 4)
    _check_io("TRANSPOSE_CONV", x, w, y)
    if len(x.shape) != 4 or len(w.shape) != 4 or len(y.shape) != 4:
        raise ConvertError("expects a 4-D NHWC input and output and 4-D weights [out_c, k_h, k_w, in_c]")
    N, in_h, in_w, in_c = x.shape
    out_c, k_h, k_w, wi = w.shape
    if wi != in_c or y.shape[3] != out_c or y.shape[0] != N:
        raise ConvertError("weights %s do not match input %s / output %s" % (w.shape, x.shape, y.shape))
    if min(x.shape + w.shape + y.shape) < 1:
        raise ConvertError("empty tensors are not supported")
    if shape_t is not None and shape_t.is_const:
        want = np.frombuffer(shape_t.data, "<i4").tolist() if shape_t.dtype == oplist.INT32 else None
        if want != list(y.shape):
            raise ConvertError("output_shape %s does not match the output %s" % (want, y.shape))
    o = op.builtinOptions
    pad = PADDING.get(o.padding) if o is not None else None
    if pad is None:
        raise ConvertError("unknown padding")
    tag = "tconv16_%d" % n
    ws = _scales(c, op, 1, out_c)
    # TFLM: an int16 bias is widened to int64; an int32 one would be read as int64
    b64, _ = _bias(c, tag, b, out_c, (oplist.INT64, oplist.INT16))
    mult, shift = _multipliers(x, ws, y, out_c, 1)
    lo, hi = _act(getattr(o, "fusedActivationFunction", 0) or 0, y)
    out_h, out_w = y.shape[1], y.shape[2]
    if o.strideH < 1 or o.strideW < 1:
        raise ConvertError("strides %d, %d" % (o.strideH, o.strideW))
    f = dict(n=N, in_h=in_h, in_w=in_w, in_c=in_c, out_h=out_h, out_w=out_w, out_c=out_c, k_h=k_h, k_w=k_w,
             stride_h=o.strideH, stride_w=o.strideW,
             pad_top=transpose_conv_padding(out_h, k_h, o.strideH, pad),
             pad_left=transpose_conv_padding(out_w, k_w, o.strideW, pad), act_min=lo, act_max=hi)
    params = c.params(tag, _pack(ops_conv16.TCONV16, "TRANSPOSE_CONV", f))
    # The int64 sums of one batch: an arena tensor that lives only during this op.
    scratch = Tensor(tag + "/scratch", oplist.INT64, (out_h * out_w * out_c,))
    c.tensors.append(scratch)
    args = [x, w, b64, params, c.const(tag + "/mult", mult), c.const(tag + "/shift", shift), scratch]
    c.add_op(oplist.TRANSPOSE_CONV_S16, "TRANSPOSE_CONV", n, args, [y], N * in_h * in_w * in_c * k_h * k_w * out_c)
    c.ops[-1].scratch = scratch  # in the arena where it fits, else the shared scratch (plan_scratch)


@rule(BO.BATCH_MATMUL, dtypes=_S16)
def _batch_matmul(c, n, op):
    (a, b), (y,) = c.io(op, 2)
    if b is None:
        raise ConvertError("BATCH_MATMUL needs two inputs")
    for t in (b, y):
        if t.dtype != oplist.INT16:
            raise ConvertError("tensor %s: %s, expected int16 like lhs %s (TFLite Micro requires one type)"
                               % (t.name, _name(t), a.name))
    for t in (a, b, y):
        if not t.scale > 0:
            raise ConvertError("int16 tensor %s needs a scale" % t.name)
        if t.zero_point != 0:
            raise ConvertError("int16 tensor %s has zero point %d (TFLite Micro's int16 BATCH_MATMUL "
                               "requires 0)" % (t.name, t.zero_point))
    ra, rb = len(a.shape), len(b.shape)
    if not (2 <= ra <= 5 and 2 <= rb <= 5):
        raise ConvertError("lhs rank %d, rhs rank %d (TFLite Micro takes 2 to 5)" % (ra, rb))
    bs = c.quant_scales(op.inputs[1])[0]
    if len(bs) != 1:
        raise ConvertError("rhs %s: %d scales (TFLite Micro's BATCH_MATMUL takes one)" % (b.name, len(bs)))
    o = op.builtinOptions
    adj_x, adj_y = (bool(o.adjX), bool(o.adjY)) if o is not None else (False, False)
    r = max(ra, rb)
    sa = [1] * (5 - ra) + list(a.shape)
    sb = [1] * (5 - rb) + list(b.shape)
    if min(sa + sb) < 1:
        raise ConvertError("empty tensors are not supported")
    batch = []
    for k in range(3):
        if sa[k] != sb[k] and 1 not in (sa[k], sb[k]):
            raise ConvertError("batch dims %s and %s do not broadcast" % (a.shape, b.shape))
        batch.append(max(sa[k], sb[k]))
    M, Ka = (sa[4], sa[3]) if adj_x else (sa[3], sa[4])
    Kb, N = (sb[4], sb[3]) if adj_y else (sb[3], sb[4])
    if Ka != Kb:
        raise ConvertError("lhs %s and rhs %s: depths %d and %d differ" % (a.shape, b.shape, Ka, Kb))
    want = batch[3 - (r - 2):] + [M, N] if r > 2 else [M, N]
    if list(y.shape) != want:
        raise ConvertError("output shape %s, expected %s" % (y.shape, want))
    st_a, st_b = _strides(sa), _strides(sb)
    dims = batch + [M, N, Ka]
    lhs_s = [st_a[k] if sa[k] > 1 else 0 for k in range(3)] + ([1, 0, M] if adj_x else [Ka, 0, 1])
    rhs_s = [st_b[k] if sb[k] > 1 else 0 for k in range(3)] + ([0, Ka, 1] if adj_y else [0, 1, N])
    out_s = _strides(batch + [M, N]) + [0]
    m, s = quant.conv_multipliers(a.scale, np.float32(b.scale), y.scale)
    if int(s[0]) > 7:
        raise ConvertError("lhs_scale * rhs_scale / output_scale = 2^%d or more: TFLite Micro's int64 "
                           "requantization takes shifts up to 7" % (int(s[0]) - 1))
    f = dict(multiplier=int(m[0]), shift=int(s[0]))
    for k in range(6):
        f["d%d" % k], f["lhs_s%d" % k], f["rhs_s%d" % k], f["out_s%d" % k] = dims[k], lhs_s[k], rhs_s[k], out_s[k]
    params = c.params("bmm16_%d" % n, _pack(ops_conv16.BMM16, "BATCH_MATMUL", f))
    c.add_op(oplist.BATCH_MATMUL_S16, "BATCH_MATMUL", n, [a, b, params], [y], int(np.prod(dims, dtype=np.int64)))
