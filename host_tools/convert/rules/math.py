"""Converter rules and rule families of the MATH area (ops_math.py of the op spec): hand-written
rules register with registry.rule; rule families (for ops whose spec entry names a Rule) with
families.family.

SUB int8 (TFLite Micro's CalculateOpDataSub: left shift 20 and twice the larger input scale;
the ratios in double, as the live TFLM computes them: see sub_params),
float32 ADD/SUB/MUL/DIV/MINIMUM/MAXIMUM/SQUARED_DIFFERENCE/FLOOR_MOD (binary_f32), int8
MINIMUM/MAXIMUM (raw values), the comparisons (bool output; int8 with ComparisonsPrepare's
rescaling: compare_params), LOGICAL_AND/OR/NOT and SELECT_V2 (three-way broadcast: broadcast_n;
the rule is picked by x's dtype, rule(..., data_input=1)), SQUARED_DIFFERENCE int8/int32, DIV int8
and ADD_N (float32, int8; params first, then the inputs: a hand binding)."""

import numpy as np
from micronn import oplist

from ...ops import ops_math
from .. import quant
from ..graph import BO, ConvertError
from ..params import add_broadcast, quantize_multiplier_smaller_than_one_exp
from ..registry import rule
from .families import count as _count
from .families import fused_activation as _fused

_F32_MAX = float(np.finfo(np.float32).max)
# CalculateActivationRange (float): the fused activations these ops take.
_ACT_F32 = {"NONE": (-_F32_MAX, _F32_MAX), "RELU": (0.0, _F32_MAX), "RELU_N1_TO_1": (-1.0, 1.0),
            "RELU6": (0.0, 6.0)}
_FUSED = ("ADD", "SUB", "MUL", "DIV")  # the float ops with a fused activation


def _bits(v):
    return int(np.array([v], dtype=np.float32).view(np.int32)[0])


def _check_dtypes(pairs):
    for t, dtype in pairs:
        if t.dtype != dtype:
            raise ConvertError("tensor %s: %s, expected %s" % (t.name, oplist.DTYPE_NAMES[t.dtype],
                                                                oplist.DTYPE_NAMES[dtype]))


def _broadcast(c, op, dtype, out_dtype=None):
    """(a, b, y, fields): the two inputs of dtype, the output (of out_dtype, default dtype) and
    the broadcast fields."""
    (a, b), (y,) = c.io(op, 2)
    if len(op.inputs) != 2 or len(op.outputs) != 1:
        raise ConvertError("expected 2 inputs and 1 output")
    _check_dtypes([(a, dtype), (b, dtype), (y, dtype if out_dtype is None else out_dtype)])
    try:
        dims, s1, s2 = add_broadcast(a.shape, b.shape)
    except ValueError as e:
        raise ConvertError(str(e)) from None
    if int(np.prod(dims)) != _count(y):
        raise ConvertError("output %s does not match the broadcast shape %s" % (y.shape, dims))
    f = {}
    for k in range(4):
        f["d%d" % k], f["in1_s%d" % k], f["in2_s%d" % k] = dims[k], s1[k], s2[k]
    return a, b, y, f


def _pack(layout, f):
    try:
        return layout.pack(**f)
    except ValueError as e:
        raise ConvertError(str(e)) from None


def sub_params(s1, s2, so):
    """CalculateOpDataSub's multipliers (int8: left shift 20), in double: the float32 ratios of
    the TFLM source gave a multiplier 1 ulp off the live TFLM's on a tie (tests/host/test_inplace.py
    SUB case: 20 where TFLM gives 21), the double ones match every case."""
    s1, s2, so = float(np.float32(s1)), float(np.float32(s2)), float(np.float32(so))
    twice_max = 2.0 * max(s1, s2)
    r1, r2, ro = s1 / twice_max, s2 / twice_max, twice_max / ((1 << 20) * so)
    out = {}
    for name, r in (("input1", r1), ("input2", r2), ("output", ro)):
        out[name + "_multiplier"], out[name + "_shift"] = quantize_multiplier_smaller_than_one_exp(r)
    return out


@rule(BO.SUB, dtypes=(oplist.INT8,))
def _sub_s8(c, n, op):
    a, b, y, f = _broadcast(c, op, oplist.INT8)
    with np.errstate(all="ignore"):
        try:
            f.update(sub_params(a.scale, b.scale, y.scale))
            f["act_min"], f["act_max"] = quant.activation_range(_fused(op), y.scale, y.zero_point)
        except ValueError as e:
            raise ConvertError(str(e)) from None
    f.update(input1_offset=-a.zero_point, input2_offset=-b.zero_point, output_offset=y.zero_point,
             left_shift=20)
    c.add_op(220, "SUB", n, [a, b, c.params("sub%d" % n, _pack(ops_math.SUB, f))], [y])


def _binary_f32_rule(code, name, opcode):
    @rule(code, dtypes=(oplist.FLOAT32,))
    def _binary_f32(c, n, op):
        a, b, y, f = _broadcast(c, op, oplist.FLOAT32)
        if name in _FUSED:
            lo, hi = _ACT_F32[_fused(op)]
        else:
            lo, hi = -np.inf, np.inf  # no activation: the clamp is the identity
        f.update(op=ops_math.BINF_OPS.index(name), act_min=_bits(lo), act_max=_bits(hi))
        c.add_op(opcode, name, n, [a, b, c.params("%s%d" % (name.lower(), n), _pack(ops_math.BINF, f))], [y])


def _minmax_rule(code, name, opcode, dtype):
    @rule(code, dtypes=(dtype,))
    def _minmax(c, n, op):
        a, b, y, f = _broadcast(c, op, dtype)
        f["op"] = 1 if name == "MAXIMUM" else 0
        c.add_op(opcode, name, n, [a, b, c.params("%s%d" % (name.lower(), n), _pack(ops_math.MINMAX, f))], [y])


@rule(BO.FLOOR_DIV, dtypes=(oplist.FLOAT32,))
def _floor_div_f32(c, n, op):
    a, b, y, f = _broadcast(c, op, oplist.FLOAT32)
    f.update(op=0, act_min=0, act_max=0)  # unused by floor_div_f32
    c.add_op(229, "FLOOR_DIV", n, [a, b, c.params("floor_div%d" % n, _pack(ops_math.BINF, f))], [y])


for _op in ops_math.OPS:
    if _op.kernel == "binary_f32":
        _binary_f32_rule(getattr(BO, _op.name), _op.name, _op.opcode)
    elif _op.kernel in ("minmax_s8", "minmax_s64"):
        _minmax_rule(getattr(BO, _op.name), _op.name, _op.opcode, oplist.DTYPE_NAMES.index(_op.inputs[0].dtype))


def broadcast_n(shapes):
    """4-D broadcast of any number of shapes (numpy rules, leading 1s beyond 4 dims dropped)
    -> (output dims, [element strides of each shape], 0 on broadcast dims)."""
    padded = []
    for s in shapes:
        s = [int(d) for d in s]
        while len(s) > 4 and s[0] == 1:
            s = s[1:]
        if len(s) > 4:
            raise ConvertError("shapes of more than 4 dims (%s) are not supported" % (tuple(s),))
        padded.append([1] * (4 - len(s)) + s)
    dims = [max(col) for col in zip(*padded)]
    if any(d not in (1, m) for s in padded for d, m in zip(s, dims)):
        raise ConvertError("shapes %s do not broadcast" % ", ".join(str(tuple(s)) for s in shapes))
    strides = []
    for s in padded:
        st, step = [0] * 4, 1
        for i in range(3, -1, -1):
            st[i] = step if s[i] > 1 else 0
            step *= s[i]
        strides.append(st)
    return dims, strides


def compare_params(scale1, scale2):
    """ComparisonsPrepare (int8): each input's own scale as a multiplier smaller than one."""
    f = {"left_shift": 8}
    for name, s in (("input1", scale1), ("input2", scale2)):
        s = float(np.float32(s))
        try:
            f[name + "_multiplier"], f[name + "_shift"] = quantize_multiplier_smaller_than_one_exp(s)
        except ValueError:
            raise ConvertError("%s scale %r: TFLite Micro's int8 comparisons need 0 < scale < 1 "
                               "(QuantizeMultiplierSmallerThanOneExp aborts)" % (name, s)) from None
    return f


def _compare_rule(spec_op):
    dtype = oplist.DTYPE_NAMES.index(spec_op.inputs[0].dtype)

    @rule(getattr(BO, spec_op.name), dtypes=(dtype,))
    def _compare(c, n, op):
        a, b, y, f = _broadcast(c, op, dtype, oplist.BOOL)
        f.update(op=ops_math.CMP_OPS.index(spec_op.name), input1_offset=0, input2_offset=0, left_shift=0,
                 input1_multiplier=0, input1_shift=0, input2_multiplier=0, input2_shift=0)
        if dtype == oplist.INT8:
            f.update(compare_params(a.scale, b.scale), input1_offset=-a.zero_point, input2_offset=-b.zero_point)
        c.add_op(spec_op.opcode, spec_op.name, n,
                 [a, b, c.params("%s%d" % (spec_op.name.lower(), n), _pack(ops_math.CMP, f))], [y])


def _logical_rule(spec_op):
    @rule(getattr(BO, spec_op.name), dtypes=(oplist.BOOL,))
    def _logical(c, n, op):
        a, b, y, f = _broadcast(c, op, oplist.BOOL)
        f["op"] = 1 if spec_op.name == "LOGICAL_OR" else 0
        c.add_op(spec_op.opcode, spec_op.name, n,
                 [a, b, c.params("%s%d" % (spec_op.name.lower(), n), _pack(ops_math.LOGIC, f))], [y])


@rule(BO.LOGICAL_NOT, dtypes=(oplist.BOOL,))
def _logical_not(c, n, op):
    (x,), (y,) = c.io(op, 1)
    _check_dtypes([(x, oplist.BOOL), (y, oplist.BOOL)])
    if _count(x) != _count(y):
        raise ConvertError("output %s does not match input %s" % (y.shape, x.shape))
    c.add_op(oplist.LOGICAL_NOT, "LOGICAL_NOT", n, [x], [y])


def _select_rule(spec_op):
    dtype = oplist.DTYPE_NAMES.index(spec_op.inputs[1].dtype)

    @rule(BO.SELECT_V2, dtypes=(dtype,), data_input=1)  # x's dtype picks it
    def _select(c, n, op):
        (cond, x, yv), (out,) = c.io(op, 3)
        if len(op.inputs) != 3 or len(op.outputs) != 1 or yv is None:
            raise ConvertError("expected 3 inputs (condition, x, y) and 1 output")
        # TFLM copies the raw values, whatever x's and y's quantization: so do we.
        _check_dtypes([(cond, oplist.BOOL), (x, dtype), (yv, dtype), (out, dtype)])
        dims, (sc, sx, sy) = broadcast_n([cond.shape, x.shape, yv.shape])
        if int(np.prod(dims)) != _count(out):
            raise ConvertError("output %s does not match the broadcast shape %s" % (out.shape, dims))
        f = {}
        for k in range(4):
            f["d%d" % k], f["cond_s%d" % k], f["x_s%d" % k], f["y_s%d" % k] = dims[k], sc[k], sx[k], sy[k]
        c.add_op(spec_op.opcode, "SELECT_V2", n,
                 [cond, x, yv, c.params("select%d" % n, _pack(ops_math.SELECT, f))], [out])


for _op in ops_math.OPS:
    if _op.params is ops_math.CMP:
        _compare_rule(_op)
    elif _op.params is ops_math.LOGIC:
        _logical_rule(_op)
    elif _op.params is ops_math.SELECT:
        _select_rule(_op)


def squared_difference_params(s1, s2, so):
    """SQUARED_DIFFERENCE int8's PrepareQuantized (left shift 7), in double as TFLM."""
    s1, s2, so = float(np.float32(s1)), float(np.float32(s2)), float(np.float32(so))
    twice_max = 2.0 * max(s1, s2)
    f = {"left_shift": 7}
    for name, r in (("input1", s1 / twice_max), ("input2", s2 / twice_max)):
        f[name + "_multiplier"], f[name + "_shift"] = quantize_multiplier_smaller_than_one_exp(r)
    f["output_multiplier"], f["output_shift"] = quant.quantize_multiplier(twice_max * twice_max / ((1 << 14) * so))
    return f


@rule(BO.SQUARED_DIFFERENCE, dtypes=(oplist.INT8,))
def _squared_difference_s8(c, n, op):
    a, b, y, f = _broadcast(c, op, oplist.INT8)
    with np.errstate(all="ignore"):
        try:
            f.update(squared_difference_params(a.scale, b.scale, y.scale))
        except ValueError as e:
            raise ConvertError(str(e)) from None
    f.update(input1_offset=-a.zero_point, input2_offset=-b.zero_point, output_offset=y.zero_point)
    c.add_op(oplist.SQUARED_DIFFERENCE_S8, "SQUARED_DIFFERENCE", n,
             [a, b, c.params("sqdiff%d" % n, _pack(ops_math.SQDIFF, f))], [y])


@rule(BO.SQUARED_DIFFERENCE, dtypes=(oplist.INT32,))
def _squared_difference_s32(c, n, op):
    a, b, y, f = _broadcast(c, op, oplist.INT32)
    c.add_op(oplist.SQUARED_DIFFERENCE_S32, "SQUARED_DIFFERENCE", n,
             [a, b, c.params("sqdiff%d" % n, _pack(ops_math.BCAST, f))], [y])


_DIV_SHIFT = (ops_math.DIV8.fields[ops_math.DIV8.index["output_shift"]].lo,
              ops_math.DIV8.fields[ops_math.DIV8.index["output_shift"]].hi)


@rule(BO.DIV, dtypes=(oplist.INT8,))
def _div_s8(c, n, op):
    a, b, y, f = _broadcast(c, op, oplist.INT8)
    # CalculateOpDataDiv: input1_scale / (input2_scale * output_scale), in double as the live TFLM.
    s1, s2, so = (float(np.float32(t.scale)) for t in (a, b, y))
    if not (s1 > 0 and s2 > 0 and so > 0):
        raise ConvertError("DIV int8: inputs and output need a scale > 0")
    m, s = quant.quantize_multiplier(s1 / (s2 * so))
    if not _DIV_SHIFT[0] <= s <= _DIV_SHIFT[1]:
        raise ConvertError("DIV int8: scale ratio %g (shift %d) outside [2^%d, 2^%d): the quotient's "
                           "shift in TFLite Micro would leave [0, 63]" % (s1 / (s2 * so), s, _DIV_SHIFT[0] - 1,
                                                                       _DIV_SHIFT[1]))
    try:
        f["act_min"], f["act_max"] = quant.activation_range(_fused(op), y.scale, y.zero_point)
    except ValueError as e:
        raise ConvertError(str(e)) from None
    f.update(input1_offset=-a.zero_point, input2_offset=-b.zero_point, output_offset=y.zero_point,
             output_multiplier=m, output_shift=s)
    c.add_op(oplist.DIV_S8, "DIV", n, [a, b, c.params("div%d" % n, _pack(ops_math.DIV8, f))], [y])


@rule(BO.ADD_N, dtypes=(oplist.INT8, oplist.FLOAT32))
def _add_n(c, n, op):
    xs = [c.tensor(i) for i in op.inputs]
    (y,) = [c.tensor(i) for i in op.outputs]
    dtype = xs[0].dtype
    if not 2 <= len(xs) <= ops_math.ADDN_MAX_INPUTS:
        raise ConvertError("%d inputs (2 to %d supported)" % (len(xs), ops_math.ADDN_MAX_INPUTS))
    _check_dtypes([(t, dtype) for t in xs + [y]])
    for t in xs[1:] + [y]:
        if tuple(t.shape) != tuple(xs[0].shape):
            raise ConvertError("tensor %s: shape %s, expected %s (TFLite Micro's ADD_N does not broadcast)"
                               % (t.name, tuple(t.shape), tuple(xs[0].shape)))
    f = {"count": _count(y), "n_inputs": len(xs), "input_offset": 0, "output_offset": 0, "left_shift": 0,
         "input_multiplier": 0, "input_shift": 0, "output_multiplier": 0, "output_shift": 0}
    if dtype == oplist.INT8:
        q = (float(np.float32(xs[0].scale)), xs[0].zero_point)
        for t in xs[1:]:
            if (float(np.float32(t.scale)), t.zero_point) != q:
                raise ConvertError("input %s: quantization (%g, %d) differs from input0's (%g, %d) (TFLite "
                                   "Micro requires the same)" % (t.name, t.scale, t.zero_point, q[0], q[1]))
        s, so = q[0], float(np.float32(y.scale))
        try:
            im, ish = quantize_multiplier_smaller_than_one_exp(s / (2.0 * s))
            om, osh = quantize_multiplier_smaller_than_one_exp(2.0 * s / ((1 << 20) * so))
        except (ValueError, ZeroDivisionError):
            raise ConvertError("ADD_N int8: scales %g -> %g give a multiplier outside (0, 1) (TFLite Micro's "
                               "QuantizeMultiplierSmallerThanOneExp aborts)" % (s, so)) from None
        f.update(input_offset=-q[1], output_offset=y.zero_point, left_shift=20, input_multiplier=im,
                 input_shift=ish, output_multiplier=om, output_shift=osh)
    opcode = oplist.ADD_N_S8 if dtype == oplist.INT8 else oplist.ADD_N_F32
    c.add_op(opcode, "ADD_N", n, [c.params("add_n%d" % n, _pack(ops_math.ADDN, f))] + xs, [y])
