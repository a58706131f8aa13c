"""Converter rules and rule families of the NN area (ops_nn.py of the op spec): hand-written
rules register with registry.rule; rule families (for ops whose spec entry names a Rule) with
families.family.

Reductions (MEAN, SUM, REDUCE_MAX, REDUCE_MIN, REDUCE_ALL) fold their axis set into at most four
kept and four reduced runs of the input (reduce_params), so the kernel is one loop nest."""

import numpy as np
from micronn import oplist

from ...ops import ops_nn, table
from ..graph import ACT_NAMES, BO, PADDING, ConvertError
from ..params import pool2d_params, quantize_multiplier_smaller_than_one_exp
from ..quant import quantize_multiplier
from ..registry import rule

_RUNS = 4  # kept runs d0..d3, reduced runs d4..d7


def _name(t):
    return oplist.DTYPE_NAMES[t.dtype]


def _count(t):
    return t.nbytes // oplist.DTYPE_SIZES[t.dtype]


def resolve_axes(axes, rank):
    """TFLite's ResolveAxis: negative axes count from the end, repeats count once."""
    out = []
    for a in axes:
        a = int(a)
        r = a + rank if a < 0 else a
        if not 0 <= r < max(rank, 1):
            raise ConvertError("axis %d out of range for rank %d" % (a, rank))
        if r not in out:
            out.append(r)
    return out


def reduce_params(shape, axes):
    """(dims, strides, reduced count) of the REDUCE layout for reducing `shape` over the resolved
    `axes`: size-1 dims dropped, adjacent dims of the same kind merged, each kind padded at the
    front with size-1 runs."""
    shape = [int(d) for d in shape] or [1]
    if any(d == 0 for d in shape):
        raise ConvertError("empty input %s: reductions of empty tensors are not supported" % (shape,))
    strides = [int(np.prod(shape[a + 1:], dtype=np.int64)) for a in range(len(shape))]
    runs = []  # [reduced, dim, stride]
    for a, (d, s) in enumerate(zip(shape, strides)):
        if d == 1:
            continue
        red = a in axes
        if runs and runs[-1][0] == red and runs[-1][2] == d * s:
            runs[-1][1] *= d
            runs[-1][2] = s
        else:
            runs.append([red, d, s])
    kept = [(d, s) for red, d, s in runs if not red]
    reduced = [(d, s) for red, d, s in runs if red]
    if len(kept) > _RUNS or len(reduced) > _RUNS:
        raise ConvertError("axes %s of shape %s: more than %d kept or reduced runs" % (axes, shape, _RUNS))
    kept = [(1, 0)] * (_RUNS - len(kept)) + kept
    reduced = [(1, 0)] * (_RUNS - len(reduced)) + reduced
    n = int(np.prod([shape[a] for a in axes], dtype=np.int64))
    return [d for d, _ in kept + reduced], [s for _, s in kept + reduced], n


def mean_multiplier(multiplier, shift, n):
    """TFLite Micro's QuantizedMeanOrSum for MEAN: the count folded into the multiplier."""
    k = min(n.bit_length() - 1, 32, 31 + shift)
    return int((multiplier << k) // n), shift - k


_OPCODES = {(op.name, op.inputs[0].dtype): op for op in ops_nn.OPS if op.params is ops_nn.REDUCE}
_F32_OP = {"SUM": 0, "MEAN": 1, "REDUCE_MAX": 2, "REDUCE_MIN": 3}
_S8_OP = {"SUM": 0, "MEAN": 0, "REDUCE_MAX": 1, "REDUCE_MIN": 2}


def _reduce_rule(code, name, dtype):
    spec_op = _OPCODES[(name, dtype)]
    want = oplist.DTYPE_NAMES.index(dtype)

    @rule(code, dtypes=(want,))
    def convert(c, n, op):
        (x, axis), (y,) = c.io(op, 2)
        for t in (x, y):
            if t.dtype != want:
                raise ConvertError("tensor %s: %s %s of %s, expected %s" % (t.name, name, _name(t), x.name, dtype))
        if axis is None or not axis.is_const or axis.dtype != oplist.INT32:
            raise ConvertError("%s: the axis must be a constant int32 tensor" % name)
        axes = resolve_axes(np.frombuffer(axis.data, "<i4").tolist(), len(x.shape))
        dims, strides, count = reduce_params(x.shape, axes)
        if int(np.prod(dims[:_RUNS])) != _count(y):
            raise ConvertError("output %s does not match the reduction of %s over %s" % (y.shape, x.shape, axes))
        f = {"input_offset": 0, "output_offset": 0, "multiplier": 0, "shift": 0}
        if dtype == "int8":
            f["op"] = _S8_OP[name]
            if name in ("SUM", "MEAN"):
                if not (x.scale > 0 and y.scale > 0):
                    raise ConvertError("%s int8: input and output need a scale" % name)
                m, s = quantize_multiplier(float(x.scale) / float(y.scale))
                if name == "MEAN" and m:
                    if s < -31:
                        raise ConvertError("MEAN int8: scale ratio %g too small" % (x.scale / y.scale))
                    m, s = mean_multiplier(m, s, count)
                f.update(input_offset=-x.zero_point, output_offset=y.zero_point, multiplier=m, shift=s)
            elif (np.float32(x.scale), x.zero_point) != (np.float32(y.scale), y.zero_point):
                raise ConvertError("%s int8: input and output quantization differ (TFLite Micro requires "
                                   "the same scale and zero point)" % name)
        else:
            f["op"] = _F32_OP.get(name, 0)
        for k in range(2 * _RUNS):
            f["d%d" % k], f["s%d" % k] = dims[k], strides[k]
        try:
            values = ops_nn.REDUCE.pack(**f)
        except ValueError as e:
            raise ConvertError("%s: %s" % (name, e)) from None
        c.add_op(spec_op.opcode, name, n, [x, c.params("%s%d" % (name.lower(), n), values)], [y])

    return convert


for (_nm, _dt), _op in _OPCODES.items():
    _reduce_rule(getattr(BO, _nm), _nm, _dt)


_ARG_OPS = {(op.name, op.inputs[0].dtype): op for op in ops_nn.OPS if op.params is ops_nn.ARG}


def _arg_rule(code, name, dtype):
    spec_op = _ARG_OPS[(name, dtype)]
    want = oplist.DTYPE_NAMES.index(dtype)

    @rule(code, dtypes=(want,))
    def convert(c, n, op):
        (x, axis), (y,) = c.io(op, 2)
        if x.dtype != want:
            raise ConvertError("input %s: %s, expected %s" % (x.name, _name(x), dtype))
        if y.dtype != oplist.INT32:
            raise ConvertError("%s output %s: %s (TFLite Micro supports int32 outputs only)" % (name, y.name, _name(y)))
        if axis is None or not axis.is_const or axis.dtype != oplist.INT32 or _count(axis) != 1:
            raise ConvertError("%s: the axis must be one constant int32 value" % name)
        shape = list(x.shape)
        if not shape:
            raise ConvertError("%s: the input has no dimensions" % name)
        (a,) = resolve_axes(np.frombuffer(axis.data, "<i4").tolist(), len(shape))
        if any(d == 0 for d in shape):
            raise ConvertError("empty input %s is not supported" % (shape,))
        outer = int(np.prod(shape[:a], dtype=np.int64))
        inner = int(np.prod(shape[a + 1:], dtype=np.int64))
        if outer * inner != _count(y):
            raise ConvertError("output %s does not match %s without axis %d" % (y.shape, x.shape, a))
        try:
            values = ops_nn.ARG.pack(op=0 if name == "ARG_MAX" else 1, outer=outer, axis=shape[a], inner=inner)
        except ValueError as e:
            raise ConvertError("%s: %s" % (name, e)) from None
        c.add_op(spec_op.opcode, name, n, [x, c.params("%s%d" % (name.lower(), n), values)], [y])

    return convert


for (_nm, _dt), _op in _ARG_OPS.items():
    _arg_rule(getattr(BO, _nm), _nm, _dt)


_CUMSUM_OPS = {op.inputs[0].dtype: op for op in ops_nn.OPS if op.params is ops_nn.CUMSUM}
_CUMSUM_SHIFT = 20  # TFLite Micro's kCumSumIntegerShift


def _cumsum_rule(dtype):
    spec_op = _CUMSUM_OPS[dtype]
    want = oplist.DTYPE_NAMES.index(dtype)

    @rule(BO.CUMSUM, dtypes=(want,))
    def convert(c, n, op):
        (x, axis), (y,) = c.io(op, 2)
        if y.dtype != want or tuple(y.shape) != tuple(x.shape):
            raise ConvertError("CUMSUM output %s %s must match input %s %s" % (_name(y), y.shape, _name(x), x.shape))
        if axis is None or not axis.is_const or axis.dtype != oplist.INT32 or _count(axis) != 1:
            raise ConvertError("CUMSUM: the axis must be one constant int32 value")
        shape = list(x.shape)
        if not shape:
            raise ConvertError("CUMSUM: the input has no dimensions")
        if any(d == 0 for d in shape):
            raise ConvertError("empty input %s is not supported" % (shape,))
        (a,) = resolve_axes(np.frombuffer(axis.data, "<i4").tolist(), len(shape))
        o = op.builtinOptions
        f = {"before": int(np.prod(shape[:a], dtype=np.int64)), "depth": shape[a],
             "after": int(np.prod(shape[a + 1:], dtype=np.int64)),
             "exclusive": int(bool(o.exclusive)) if o else 0, "reverse": int(bool(o.reverse)) if o else 0,
             "input_offset": 0, "output_offset": 0, "input_multiplier": 0, "input_shift": 0,
             "output_multiplier": 0, "output_shift": 0}
        if dtype == "int8":
            twice = 2 * float(x.scale)
            im, ish = quantize_multiplier(float(x.scale) / twice)
            om, osh = quantize_multiplier(twice / ((1 << _CUMSUM_SHIFT) * float(y.scale)))
            f.update(input_offset=-x.zero_point, output_offset=y.zero_point, input_multiplier=im,
                     input_shift=ish, output_multiplier=om, output_shift=osh)
        try:
            values = ops_nn.CUMSUM.pack(**f)
        except ValueError as e:
            raise ConvertError("CUMSUM: %s" % e) from None
        c.add_op(spec_op.opcode, "CUMSUM", n, [x, c.params("cumsum%d" % n, values)], [y])

    return convert


for _dt in _CUMSUM_OPS:
    _cumsum_rule(_dt)


_L2_ACTS = {"NONE": 0, "RELU": 1, "RELU_N1_TO_1": 2, "RELU6": 3}


@rule(BO.L2_POOL_2D, dtypes=(oplist.FLOAT32,))
def _l2_pool2d(c, n, op):
    (x,), (y,) = c.io(op, 1)
    if x.dtype != oplist.FLOAT32 or y.dtype != oplist.FLOAT32:
        raise ConvertError("L2_POOL_2D: float32 input and output only (TFLite Micro has no quantized one)")
    if len(x.shape) != 4:
        raise ConvertError("L2_POOL_2D expects a 4-D NHWC input")
    o = op.builtinOptions
    act = ACT_NAMES.get(o.fusedActivationFunction)
    if act not in _L2_ACTS:
        raise ConvertError("L2_POOL_2D: fused activation %s is not supported" % act)
    try:
        geo = pool2d_params(x.shape, o.filterHeight, o.filterWidth, o.strideH, o.strideW,
                            PADDING.get(o.padding), 0, 0)
        g = table.POOL.named(geo)
        f = {k: g[k] for k in ops_nn.L2POOL.index if k != "act"}
        values = ops_nn.L2POOL.pack(act=_L2_ACTS[act], **f)
    except ValueError as e:
        raise ConvertError("L2_POOL_2D: %s" % e) from None
    if tuple(y.shape) != (f["n"], f["out_h"], f["out_w"], f["c"]):
        raise ConvertError("output shape %s, expected %s" % (y.shape, (f["n"], f["out_h"], f["out_w"], f["c"])))
    c.add_op(oplist.L2_POOL_2D_F32, "L2_POOL_2D", n, [x, c.params("l2pool%d" % n, values)], [y])


@rule(BO.L2_NORMALIZATION, dtypes=(oplist.FLOAT32, oplist.INT8))
def _l2_norm(c, n, op):
    """float32, or int8 (TFLite Micro's integer path; the output quantization is not used)."""
    (x,), (y,) = c.io(op, 1)
    if y.dtype != x.dtype or tuple(y.shape) != tuple(x.shape):
        raise ConvertError("L2_NORMALIZATION: output %s %s must match the input" % (_name(y), y.shape))
    if not 1 <= len(x.shape) <= 4:
        raise ConvertError("L2_NORMALIZATION: rank %d (TFLite Micro takes 1 to 4)" % len(x.shape))
    o = op.builtinOptions
    act = ACT_NAMES.get(o.fusedActivationFunction) if o is not None else "NONE"
    if act != "NONE":
        raise ConvertError("L2_NORMALIZATION: fused activation %s (TFLite Micro supports none)" % act)
    if any(d == 0 for d in x.shape):
        raise ConvertError("empty input %s is not supported" % (x.shape,))
    depth = int(x.shape[-1])
    s8 = x.dtype == oplist.INT8
    try:
        values = (ops_nn.L2NORMS8.pack(outer=_count(x) // depth, depth=depth, input_offset=-x.zero_point) if s8
                  else ops_nn.L2NORM.pack(outer=_count(x) // depth, depth=depth))
    except ValueError as e:
        raise ConvertError("L2_NORMALIZATION: %s" % e) from None
    c.add_op(oplist.L2_NORMALIZATION_S8 if s8 else oplist.L2_NORMALIZATION_F32, "L2_NORMALIZATION", n,
             [x, c.params("l2norm%d" % n, values)], [y])


_LOG_SOFTMAX_SCALE, _LOG_SOFTMAX_ZP = 16.0 / 256, 127  # TFLite Micro's required output quantization
_LOG_SOFTMAX_DEPTH_MAX = 4095  # each exp is at most 2^19 in Q12: 4095 of them stay below 2^31


def log_softmax_params(input_scale):
    """TFLite Micro's PreprocessLogSoftmaxScalingExp (beta 1, 5 integer bits) and
    CalculateInputRadius: the LOGSOFTMAX fields but rows and depth."""
    real = min(1.0 * float(np.float32(input_scale)) * (1 << 26), (1 << 31) - 1.0)
    if not real > 1.0:
        raise ValueError("input scale %g too small (TFLite Micro needs input_scale * 2^26 > 1)" % input_scale)
    mult, shift = quantize_multiplier(real)
    divisor, div_shift = quantize_multiplier_smaller_than_one_exp((1 << (31 - shift)) / float(mult))
    radius = 1.0 * ((1 << 5) - 1) * (1 << 26) / (1 << shift)
    return dict(input_multiplier=mult, input_left_shift=shift, reverse_scaling_divisor=divisor,
                reverse_scaling_shift=div_shift, diff_min=-int(np.floor(radius)))


@rule(BO.LOG_SOFTMAX, dtypes=(oplist.INT8,))
def _log_softmax_s8(c, n, op):
    (x,), (y,) = c.io(op, 1)
    if y.dtype != oplist.INT8 or tuple(y.shape) != tuple(x.shape):
        raise ConvertError("LOG_SOFTMAX: output %s %s must match the input" % (_name(y), y.shape))
    if np.float32(y.scale) != np.float32(_LOG_SOFTMAX_SCALE) or y.zero_point != _LOG_SOFTMAX_ZP:
        raise ConvertError("LOG_SOFTMAX int8: output scale %g, zero point %d (TFLite Micro requires 16/256, 127)"
                           % (y.scale, y.zero_point))
    if not x.shape or any(d == 0 for d in x.shape):
        raise ConvertError("LOG_SOFTMAX: empty or scalar input %s is not supported" % (x.shape,))
    depth = int(x.shape[-1])
    if depth > _LOG_SOFTMAX_DEPTH_MAX:
        raise ConvertError("LOG_SOFTMAX int8: last dim %d > %d: TFLite Micro's Q12 sum of exps can pass "
                           "2^31 and its log of that is undefined behaviour" % (depth, _LOG_SOFTMAX_DEPTH_MAX))
    try:
        values = ops_nn.LOGSOFTMAX.pack(rows=_count(x) // depth, depth=depth, **log_softmax_params(x.scale))
    except ValueError as e:
        raise ConvertError("LOG_SOFTMAX: %s" % e) from None
    c.add_op(oplist.LOG_SOFTMAX_S8, "LOG_SOFTMAX", n, [x, c.params("log_softmax%d" % n, values)], [y])


@rule(BO.LOG_SOFTMAX, dtypes=(oplist.FLOAT32,))
def _log_softmax_f32(c, n, op):
    (x,), (y,) = c.io(op, 1)
    if y.dtype != oplist.FLOAT32 or tuple(y.shape) != tuple(x.shape):
        raise ConvertError("LOG_SOFTMAX: output %s %s must match the input" % (_name(y), y.shape))
    if not x.shape or any(d == 0 for d in x.shape):
        raise ConvertError("LOG_SOFTMAX: empty or scalar input %s is not supported" % (x.shape,))
    depth = int(x.shape[-1])
    try:
        values = ops_nn.LOGSOFTMAXF.pack(rows=_count(x) // depth, depth=depth)
    except ValueError as e:
        raise ConvertError("LOG_SOFTMAX: %s" % e) from None
    c.add_op(oplist.LOG_SOFTMAX_F32, "LOG_SOFTMAX", n, [x, c.params("log_softmax%d" % n, values)], [y])
