"""Converter rules of the INT16 area's elementwise ops (ops_elem16.py of the op spec).

ADD/SUB int16: TFLite Micro's CalculateOpDataAdd / CalculateOpDataSub with left shift 15 (the
ratios in double, as the live TFLM computes them: see rules/math.py sub_params); MUL int16
(CalculateOpDataMul: QuantizeMultiplier of s1 * s2 / so, zero points 0); SQUARED_DIFFERENCE int16
(PrepareQuantized, left shift 0, zero points 0); MINIMUM/MAXIMUM (raw values), SELECT_V2 (copies;
the rule is picked by x's dtype) and ABS int16 (PrepareAbsRsqrt: unquantized, or zero points 0
with the rescale input_scale / output_scale in float32)."""

import numpy as np
from micronn import oplist

from ...ops import ops_elem16
from .. import quant
from ..graph import BO, ConvertError
from ..params import quantize_multiplier_smaller_than_one_exp
from ..registry import rule
from .families import count as _count
from .families import fused_activation as _fused
from .math import _broadcast, _check_dtypes, _pack, broadcast_n

_I16 = oplist.INT16
_OPCODES = {op.name: op.opcode for op in ops_elem16.OPS}
_LO, _HI = ops_elem16.I16_MIN, ops_elem16.I16_MAX


def _quantized(name, *ts):
    for t in ts:
        if not t.scale > 0:
            raise ConvertError("%s int16: tensor %s is not quantized (a scale > 0 is needed)" % (name, t.name))


def _zero_points_0(name, *ts):
    for t in ts:
        if t.zero_point != 0:
            raise ConvertError("%s int16: tensor %s has zero point %d; TFLite Micro's int16 %s needs 0"
                               % (name, t.name, t.zero_point, name))


def _smaller_than_one(name, what, r):
    try:
        return quantize_multiplier_smaller_than_one_exp(r)
    except ValueError:
        raise ConvertError("%s int16: %s multiplier %r is not in (0, 1) (TFLite Micro's "
                           "QuantizeMultiplierSmallerThanOneExp needs it)" % (name, what, r)) from None


def add_sub_params(name, s1, s2, so):
    """CalculateOpDataAdd / CalculateOpDataSub for int16 (left shift 15), in double."""
    s1, s2, so = float(np.float32(s1)), float(np.float32(s2)), float(np.float32(so))
    twice_max = 2.0 * max(s1, s2)
    f = {"left_shift": 15}
    for what, r in (("input1", s1 / twice_max), ("input2", s2 / twice_max),
                    ("output", twice_max / ((1 << 15) * so))):
        f[what + "_multiplier"], f[what + "_shift"] = _smaller_than_one(name, what, r)
    return f


def squared_difference_params(s1, s2, so):
    """SQUARED_DIFFERENCE's PrepareQuantized for int16 (left shift 0), in double as TFLM."""
    s1, s2, so = float(np.float32(s1)), float(np.float32(s2)), float(np.float32(so))
    twice_max = 2.0 * max(s1, s2)
    f = {"left_shift": 0}
    for what, r in (("input1", s1 / twice_max), ("input2", s2 / twice_max)):
        f[what + "_multiplier"], f[what + "_shift"] = _smaller_than_one("SQUARED_DIFFERENCE", what, r)
    f["output_multiplier"], f["output_shift"] = quant.quantize_multiplier(twice_max * twice_max / so)
    return f


def _binary_rule(name):
    @rule(getattr(BO, name), dtypes=(_I16,))
    def convert(c, n, op):
        a, b, y, f = _broadcast(c, op, _I16)
        _quantized(name, a, b, y)
        f.update(op=ops_elem16.BIN16_OPS.index(name), input1_offset=-a.zero_point, input2_offset=-b.zero_point,
                 output_offset=y.zero_point, input1_multiplier=0, input1_shift=0, input2_multiplier=0,
                 input2_shift=0, act_min=_LO, act_max=_HI)
        if name in ("MUL", "SQUARED_DIFFERENCE"):
            _zero_points_0(name, a, b, y)
        with np.errstate(all="ignore"):
            if name in ("ADD", "SUB"):
                f.update(add_sub_params(name, a.scale, b.scale, y.scale))
            elif name == "MUL":
                real = float(np.float32(a.scale)) * float(np.float32(b.scale)) / float(np.float32(y.scale))
                f["left_shift"] = 0
                f["output_multiplier"], f["output_shift"] = quant.quantize_multiplier(real)
            else:
                f.update(squared_difference_params(a.scale, b.scale, y.scale))
        if name != "SQUARED_DIFFERENCE":  # it has no fused activation
            try:
                f["act_min"], f["act_max"] = quant.activation_range(_fused(op), y.scale, y.zero_point, _LO, _HI)
            except ValueError as e:
                raise ConvertError("%s int16: %s" % (name, e)) from None
        c.add_op(_OPCODES[name], name, n, [a, b, c.params("%s%d" % (name.lower(), n), _pack(ops_elem16.BIN16, f))],
                 [y])

    return convert


for _name in ops_elem16.BIN16_OPS:
    _binary_rule(_name)


def _minmax_rule(name):
    @rule(getattr(BO, name), dtypes=(_I16,))
    def convert(c, n, op):
        a, b, y, f = _broadcast(c, op, _I16)
        f["op"] = 1 if name == "MAXIMUM" else 0
        c.add_op(_OPCODES[name], name, n, [a, b, c.params("%s%d" % (name.lower(), n), _pack(ops_elem16.MINMAX16, f))],
                 [y])

    return convert


_minmax_rule("MINIMUM")
_minmax_rule("MAXIMUM")


@rule(BO.SELECT_V2, dtypes=(_I16,), data_input=1)  # x's dtype picks it
def _select_s16(c, n, op):
    (cond, x, yv), (out,) = c.io(op, 3)
    if len(op.inputs) != 3 or len(op.outputs) != 1 or yv is None:
        raise ConvertError("expected 3 inputs (condition, x, y) and 1 output")
    # TFLM copies the raw values, whatever x's and y's quantization: so do we.
    _check_dtypes([(cond, oplist.BOOL), (x, _I16), (yv, _I16), (out, _I16)])
    dims, (sc, sx, sy) = broadcast_n([cond.shape, x.shape, yv.shape])
    if int(np.prod(dims)) != _count(out):
        raise ConvertError("output %s does not match the broadcast shape %s" % (out.shape, dims))
    f = {}
    for k in range(4):
        f["d%d" % k], f["cond_s%d" % k], f["x_s%d" % k], f["y_s%d" % k] = dims[k], sc[k], sx[k], sy[k]
    c.add_op(_OPCODES["SELECT_V2"], "SELECT_V2", n,
             [cond, x, yv, c.params("select%d" % n, _pack(ops_elem16.SELECT16, f))], [out])


@rule(BO.ABS, dtypes=(_I16,))
def _abs_s16(c, n, op):
    (x,), (y,) = c.io(op, 1)
    if len(op.inputs) != 1 or len(op.outputs) != 1:
        raise ConvertError("ABS: expected 1 input and 1 output")
    _check_dtypes([(x, _I16), (y, _I16)])
    if _count(x) != _count(y):
        raise ConvertError("ABS: output %s does not match the input %s" % (y.shape, x.shape))
    f = {"mode": 0, "multiplier": 0, "shift": 0}
    if x.scale > 0:  # TFLM: a quantized input takes AbsEvalQuantized, else std::abs
        _quantized("ABS", y)
        _zero_points_0("ABS", x, y)
        si, so = np.float32(x.scale), np.float32(y.scale)
        if si == so:
            f["mode"] = 1
        else:
            with np.errstate(all="ignore"):
                f["multiplier"], f["shift"] = quant.quantize_multiplier(float(np.float32(si / so)))
            f["mode"] = 2
    c.add_op(_OPCODES["ABS"], "ABS", n, [x, c.params("abs%d" % n, _pack(ops_elem16.ABS16, f))], [y])
