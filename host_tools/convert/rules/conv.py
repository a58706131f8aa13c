"""Converter rules and rule families of the NN area (ops_conv.py of the op spec): hand-written
rules register with registry.rule; rule families (for ops whose spec entry names a Rule) with
families.family.

TRANSPOSE_CONV (inputs output_shape, weights, input[, bias]: the input picks the rule) takes its
padding from the output size as TFLite Micro's Prepare does; its constant weights are stored
per filter tap ([k_h, k_w, out_c, in_c]); a missing bias becomes a zero one,
and the int8 kernel's int32 accumulators are a scratch tensor (planned into the arena where it
fits, else the shared kernel scratch). BATCH_MATMUL becomes element strides over at most three
broadcast batch dims; a constant rhs is stored transposed ([.., N, K], as TFLM's Prepare
transposes it), so both operands of every dot product are contiguous; a runtime int8 rhs
[.., K, N] gets a scratch tensor the kernel copies it into as [N, K]."""

import numpy as np
from micronn import oplist

from ...ops import ops_conv
from .. import quant
from ..graph import ACT_NAMES, BO, PADDING, ConvertError, Tensor
from ..registry import rule

_F32_ACT = {"NONE": 0, "RELU": 1, "RELU_N1_TO_1": 2, "RELU6": 3}


def _name(t):
    return oplist.DTYPE_NAMES[t.dtype]


def _cdiv(a, b):
    """C's integer division (toward zero)."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def transpose_conv_padding(out_size, k, stride, padding):
    """TFLite Micro's ComputePaddingHeightWidth on the TRANSPOSE_CONV output size (dilation 1):
    the padding before (the odd remainder of SAME is dropped, as TFLM drops it)."""
    if padding == "SAME":
        conv_out = _cdiv(out_size + stride - 1, stride)
    else:
        conv_out = _cdiv(out_size + stride - k, stride)
    return max(0, (conv_out - 1) * stride + k - out_size) // 2


def _transpose_conv(c, n, op):
    (shape_t, w, x, b), (y,) = c.io(op, 4)
    if x is None or w is None:
        raise ConvertError("TRANSPOSE_CONV needs an input and weights")
    dt = x.dtype
    if dt not in (oplist.INT8, oplist.FLOAT32):
        raise ConvertError("input %s is %s (micronn runs TRANSPOSE_CONV on int8, float32)" % (x.name, _name(x)))
    for t in (w, y):
        if t.dtype != dt:
            raise ConvertError("tensor %s: %s, expected %s like the input (TFLite Micro has no hybrid "
                               "TRANSPOSE_CONV)" % (t.name, _name(t), _name(x)))
    if len(x.shape) != 4 or len(w.shape) != 4 or len(y.shape) != 4:
        raise ConvertError("expects a 4-D NHWC input and output and 4-D weights [out_c, k_h, k_w, in_c]")
    N, in_h, in_w, in_c = x.shape
    out_c, k_h, k_w, wi = w.shape
    if wi != in_c or y.shape[3] != out_c or y.shape[0] != N:
        raise ConvertError("weights %s do not match input %s / output %s" % (w.shape, x.shape, y.shape))
    if min(x.shape + w.shape + y.shape) < 1:
        raise ConvertError("empty tensors are not supported")
    if not w.is_const:
        raise ConvertError("weights %s must be a constant tensor" % w.name)
    if shape_t is not None and shape_t.is_const:
        want = np.frombuffer(shape_t.data, "<i4").tolist() if shape_t.dtype == oplist.INT32 else None
        if want != list(y.shape):
            raise ConvertError("output_shape %s does not match the output %s" % (want, y.shape))
    o = op.builtinOptions
    pad = PADDING.get(o.padding) if o is not None else None
    if pad is None:
        raise ConvertError("unknown padding")
    act = ACT_NAMES.get(getattr(o, "fusedActivationFunction", 0) or 0)
    if act is None:
        raise ConvertError("fused activation %d is not supported" % o.fusedActivationFunction)
    out_h, out_w = y.shape[1], y.shape[2]
    f = dict(n=N, in_h=in_h, in_w=in_w, in_c=in_c, out_h=out_h, out_w=out_w, out_c=out_c, k_h=k_h, k_w=k_w,
             stride_h=o.strideH, stride_w=o.strideW,
             pad_top=transpose_conv_padding(out_h, k_h, o.strideH, pad) if o.strideH > 0 else 0,
             pad_left=transpose_conv_padding(out_w, k_w, o.strideW, pad) if o.strideW > 0 else 0,
             input_offset=0, output_offset=0, act_min=-128, act_max=127, act=0)
    tag = "tconv%d" % n
    macs = N * in_h * in_w * in_c * k_h * k_w * out_c
    if dt == oplist.INT8:
        ws, wzp = c.quant_scales(op.inputs[1])
        if np.any(wzp != 0):
            raise ConvertError("weights zero point must be 0")
        if len(ws) not in (1, out_c):
            raise ConvertError("%d weight scales for %d channels" % (len(ws), out_c))
        if not (x.scale > 0 and y.scale > 0):
            raise ConvertError("int8 input and output need a scale")
        if b is not None and b.dtype != oplist.INT32:
            raise ConvertError("bias %s is %s (int8 TRANSPOSE_CONV takes an int32 bias)" % (b.name, _name(b)))
        f["act_min"], f["act_max"] = quant.activation_range(act, y.scale, y.zero_point)
        f["input_offset"], f["output_offset"] = -x.zero_point, y.zero_point
        mult, shift = quant.conv_multipliers(x.scale, ws, y.scale)
        if len(mult) == 1:
            mult, shift = np.repeat(mult, out_c), np.repeat(shift, out_c)
    else:
        if b is not None and b.dtype != oplist.FLOAT32:
            raise ConvertError("bias %s is %s, expected float32" % (b.name, _name(b)))
        if act not in _F32_ACT:
            raise ConvertError("fused activation %s is not supported" % act)
        f["act"] = _F32_ACT[act]
    if b is not None and b.nbytes != out_c * 4:
        raise ConvertError("bias %s has %d elements, expected %d" % (b.name, b.nbytes // 4, out_c))
    if b is None:  # TFLM adds no bias; adding zeros gives the same bits (sums never reach -0.0)
        b = c.const(tag + "/bias", np.zeros(out_c, np.int32 if dt == oplist.INT8 else np.float32))
    try:
        values = ops_conv.TCONV.pack(**f)
    except ValueError as e:
        raise ConvertError("TRANSPOSE_CONV: %s" % e) from None
    params = c.params(tag, values)
    # [out_c, k_h, k_w, in_c] -> [k_h, k_w, out_c, in_c]: each filter tap's matrix contiguous
    wt = np.frombuffer(w.data, np.int8 if dt == oplist.INT8 else np.float32).reshape(w.shape)
    w = c.const(tag + "/weights", np.ascontiguousarray(wt.transpose(1, 2, 0, 3)))
    if dt == oplist.FLOAT32:
        c.add_op(oplist.TRANSPOSE_CONV_F32, "TRANSPOSE_CONV", n, [x, w, b, params], [y], macs)
        return
    # The int32 accumulators of one batch: an arena tensor that lives only during this op.
    scratch = Tensor(tag + "/scratch", oplist.INT32, (out_h * out_w * out_c,))
    c.tensors.append(scratch)
    args = [x, w, b, params, c.const(tag + "/mult", mult), c.const(tag + "/shift", shift), scratch]
    c.add_op(oplist.TRANSPOSE_CONV_S8, "TRANSPOSE_CONV", n, args, [y], macs)
    c.ops[-1].scratch = scratch  # in the arena where it fits, else the shared scratch (plan_scratch)


for _dt in (oplist.INT8, oplist.FLOAT32):
    rule(BO.TRANSPOSE_CONV, dtypes=(_dt,), data_input=2)(_transpose_conv)


def _strides(shape):
    s, out = 1, []
    for d in reversed(shape):
        out.append(s)
        s *= d
    return out[::-1]


def _batch_matmul(c, n, op):
    (a, b), (y,) = c.io(op, 2)
    if b is None:
        raise ConvertError("BATCH_MATMUL needs two inputs")
    dt = a.dtype
    for t in (b, y):
        if t.dtype != dt:
            raise ConvertError("tensor %s: %s, expected %s like lhs %s (TFLite Micro requires one type)"
                               % (t.name, _name(t), _name(a), a.name))
    ra, rb = len(a.shape), len(b.shape)
    if not (2 <= ra <= 5 and 2 <= rb <= 5):
        raise ConvertError("lhs rank %d, rhs rank %d (TFLite Micro takes 2 to 5)" % (ra, rb))
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
        raise ConvertError("lhs %s%s and rhs %s%s: depths %d and %d differ" % (
            a.shape, " (adj_x)" if adj_x else "", b.shape, " (adj_y)" if adj_y else "", Ka, Kb))
    want = batch[3 - (r - 2):] + [M, N] if r > 2 else [M, N]
    if list(y.shape) != want:
        raise ConvertError("output shape %s, expected %s" % (y.shape, want))
    tag = "bmm%d" % n
    st_a, st_b = _strides(sa), _strides(sb)
    if b.is_const and not adj_y:
        # [.., K, N] -> [.., N, K]: the layout TFLM's Prepare transposes a constant rhs into
        arr = np.frombuffer(b.data, {oplist.INT8: np.int8, oplist.FLOAT32: np.float32}.get(dt, np.int8))
        arr = arr.reshape(sb).swapaxes(3, 4)
        b2 = c.const(tag + "/rhs_t", np.ascontiguousarray(arr))
        b2.scale, b2.zero_point = b.scale, b.zero_point
        b, adj_y = b2, True
        sb = sb[:3] + [sb[4], sb[3]]
        st_b = _strides(sb)
    f = {}
    dims = batch + [M, N, Ka]
    lhs_s = [st_a[k] if sa[k] > 1 else 0 for k in range(3)] + ([1, 0, M] if adj_x else [Ka, 0, 1])
    rhs_s = [st_b[k] if sb[k] > 1 else 0 for k in range(3)] + ([0, Ka, 1] if adj_y else [0, 1, N])
    out_s = _strides(batch + [M, N]) + [0]
    for k in range(6):
        f["d%d" % k], f["lhs_s%d" % k], f["rhs_s%d" % k], f["out_s%d" % k] = dims[k], lhs_s[k], rhs_s[k], out_s[k]
    f.update(lhs_offset=0, rhs_offset=0, output_offset=0, multiplier=0, shift=0)
    if dt == oplist.INT8:
        bs = c.quant_scales(op.inputs[1])[0]
        if len(bs) != 1:
            raise ConvertError("rhs %s: %d scales (TFLite Micro's BATCH_MATMUL takes one)" % (b.name, len(bs)))
        if not (a.scale > 0 and b.scale > 0 and y.scale > 0):
            raise ConvertError("int8 lhs, rhs and output need a scale")
        m, s = quant.conv_multipliers(a.scale, np.float32(b.scale), y.scale)
        f.update(lhs_offset=-a.zero_point, rhs_offset=-b.zero_point, output_offset=y.zero_point,
                 multiplier=int(m[0]), shift=int(s[0]))
    elif dt != oplist.FLOAT32:
        raise ConvertError("lhs %s is %s (micronn runs BATCH_MATMUL on int8, float32)" % (a.name, _name(a)))
    try:
        values = ops_conv.BMM.pack(**f)
    except ValueError as e:
        raise ConvertError("BATCH_MATMUL: %s" % e) from None
    macs = int(np.prod(dims, dtype=np.int64))
    args = [a, b, c.params(tag, values)]
    if dt == oplist.FLOAT32:
        c.add_op(oplist.BATCH_MATMUL_F32, "BATCH_MATMUL", n, args, [y], macs)
        return
    # A runtime rhs [.., K, N]: the optimized kernel copies each batch's into [N, K] (an arena
    # tensor that lives only during this op, or the shared scratch).
    scratch = None
    if not adj_y:
        scratch = Tensor(tag + "/scratch", oplist.INT8, (N * Ka,))
        c.tensors.append(scratch)
    c.add_op(oplist.BATCH_MATMUL_S8, "BATCH_MATMUL", n, args + [scratch], [y], macs)
    c.ops[-1].scratch = scratch


for _dt in (oplist.INT8, oplist.FLOAT32):
    rule(BO.BATCH_MATMUL, dtypes=(_dt,))(_batch_matmul)
