"""Converter rules of the RECURRENT area's LSTM (ops_lstm.py of the op spec).

UNIDIRECTIONAL_SEQUENCE_LSTM int8 and 16x8 (int16 activations, int64 bias) as TFLite Micro's Prepare sets it up
(unidirectional_sequence_lstm.cc, lstm_eval_common.cc): the gate FCs requantize to int16 at
2^-12 (input FC: input_scale * weight_scale / 2^-12 with the gate's bias; recurrent FC: the
hidden state's scale, no bias), the gate MULs from the fixed 2^-15 of the sigmoid/tanh
outputs, the cell state's tanh from its power-of-two scale, the cell clip quantized. TFLM's
micro kernel refuses peephole, projection, layer norm and CIFG (a missing input gate), and
requires the two state tensors to be variables; so does this rule."""

import math

import numpy as np
from micronn import oplist

from ...ops import ops_lstm
from ..graph import BO, ConvertError, Tensor
from ..quant import fc_multipliers, quantize_multiplier
from ..registry import rule

_NAME = "UNIDIRECTIONAL_SEQUENCE_LSTM"
_GATES = ops_lstm.GATES
_GATE_IN = 2.0 ** -12  # the gate FCs' output scale (Q3.12), TFLM's nonlinear_input_scale
_GATE_OUT = float(np.float32(2.0 ** -15))  # sigmoid/tanh outputs (Q0.15)
# TFLite's input numbers: 1-4 input weights, 5-8 recurrent weights (gates i, f, c, o),
# 12-15 biases, 18 hidden (output) state, 19 cell state; the rest are the variants TFLM refuses.
_W_X, _W_H, _BIAS, _HIDDEN, _CELL = (1, 5, 12, 18, 19)
_VARIANTS = {9: "peephole", 10: "peephole", 11: "peephole", 16: "projection", 17: "projection",
             20: "layer norm", 21: "layer norm", 22: "layer norm", 23: "layer norm"}
_TANH = 4  # ActivationFunctionType.TANH


def _err(msg):
    return ConvertError(msg)  # the converter prefixes "op N (UNIDIRECTIONAL_SEQUENCE_LSTM): "


def _count(t):
    return int(np.prod(t.shape, dtype=np.int64))


def checked_log2(x):
    """TFLite's CheckedLog2 power (float32 arithmetic, rounded half away from zero)."""
    v = np.float32(np.log(np.float32(x))) * np.float32(1.0 / np.float32(np.log(np.float32(2.0))))
    v = float(np.float32(v))
    return int(math.floor(abs(v) + 0.5)) * (1 if v >= 0 else -1)


def _weight_scale(c, t, what):
    scales, zps = c.quant_scales(t.src)
    if len(scales) != 1:
        raise _err("%s %s has %d scales: TFLite Micro's LSTM takes per-tensor weights only"
                   % (what, t.name, len(scales)))
    if np.any(zps != 0):
        raise _err("%s %s: zero point %d, weights must be symmetric" % (what, t.name, int(zps[0])))
    return float(scales[0])


@rule(BO.UNIDIRECTIONAL_SEQUENCE_LSTM, dtypes=(oplist.INT8, oplist.INT16, oplist.FLOAT32))
def _lstm(c, n, op):
    ins, outs = c.io(op, 24)
    if len(op.inputs) != 24 or len(outs) != 1:
        raise _err("expected 24 inputs and 1 output, got %d and %d" % (len(op.inputs), len(outs)))
    (y,) = outs
    x = ins[0]
    wide = x.dtype == oplist.INT16  # 16x8: int16 activations, int64 bias
    fp = x.dtype == oplist.FLOAT32
    act_t, bias_t = (oplist.INT16, oplist.INT64) if wide else (oplist.INT8, oplist.INT32)
    w_t, cell_t = (oplist.FLOAT32, oplist.FLOAT32) if fp else (oplist.INT8, oplist.INT16)
    if fp:
        act_t = bias_t = oplist.FLOAT32
    for k, what in _VARIANTS.items():
        if ins[k] is not None:
            raise _err("input %d (%s) is given: TFLite Micro's LSTM has no %s variant" % (k, ins[k].name, what))
    w_x, w_h, bias = ins[_W_X:_W_X + 4], ins[_W_H:_W_H + 4], ins[_BIAS:_BIAS + 4]
    hidden, cell = ins[_HIDDEN], ins[_CELL]
    for k, t in enumerate(w_x + w_h + bias):
        if t is None:
            raise _err("input %d is missing (TFLite Micro's LSTM needs all weights and biases: no CIFG)"
                       % ((_W_X + k) if k < 8 else (_BIAS + k - 8)))
    for t, dt, what in [(x, act_t, "input"), (y, act_t, "output"), (hidden, act_t, "hidden state"),
                        (cell, cell_t, "cell state")] + [(t, w_t, "weights") for t in w_x + w_h] \
            + [(t, bias_t, "bias") for t in bias]:
        if t is None:
            raise _err("the %s is missing" % what)
        if t.dtype != dt:
            raise _err("%s %s is %s, expected %s" % (what, t.name, oplist.DTYPE_NAMES[t.dtype], oplist.DTYPE_NAMES[dt]))
    for t, what in ((hidden, "hidden state"), (cell, "cell state")):
        if not t.variable:
            raise _err("the %s %s must be a variable tensor" % (what, t.name))
        t.data = None  # TFLM keeps the state in the arena, reset to the zero point, never the buffer
    o = op.builtinOptions
    time_major = bool(getattr(o, "timeMajor", False)) if o is not None else False
    act = getattr(o, "fusedActivationFunction", 0) if o is not None else 0
    if act != _TANH:
        raise _err("fused activation %d: TFLite Micro's LSTM takes TANH (4) only" % act)
    if len(x.shape) != 3:
        raise _err("input %s has shape %s, expected rank 3" % (x.name, x.shape))
    T, B = (x.shape[0], x.shape[1]) if time_major else (x.shape[1], x.shape[0])
    n_in = x.shape[2]
    if len(hidden.shape) < 2:
        raise _err("hidden state %s has shape %s, expected rank 2" % (hidden.name, hidden.shape))
    n_cell = hidden.shape[1]
    for t in w_x:
        if t.shape != (n_cell, n_in):
            raise _err("input weights %s have shape %s, expected %s" % (t.name, t.shape, (n_cell, n_in)))
    for t in w_h:
        if t.shape != (n_cell, n_cell):
            raise _err("recurrent weights %s have shape %s, expected %s" % (t.name, t.shape, (n_cell, n_cell)))
    for t in bias:
        if t.shape != (n_cell,):
            raise _err("bias %s has shape %s, expected %s" % (t.name, t.shape, (n_cell,)))
    for t in (hidden, cell):
        if _count(t) != B * n_cell:
            raise _err("state %s has %d elements, expected batch * cells = %d" % (t.name, _count(t), B * n_cell))
    if len(y.shape) != 3 or y.shape[:2] != x.shape[:2] or y.shape[2] != n_cell:
        raise _err("output %s has shape %s, expected %s" % (y.name, y.shape, x.shape[:2] + (n_cell,)))
    if fp:
        return _lstm_f32(c, n, o, x, y, w_x, w_h, bias, hidden, cell, B, T, n_in, n_cell, time_major)
    if not (x.scale > 0 and hidden.scale > 0 and cell.scale > 0):
        raise _err("input, hidden and cell state need a scale")

    if wide and (x.zero_point or hidden.zero_point):
        raise _err("16-bit input and hidden state must be symmetric (zero points %d, %d)"
                   % (x.zero_point, hidden.zero_point))
    f = {"batch": B, "time": T, "n_input": n_in, "n_cell": n_cell, "time_major": int(time_major),
         "input_offset": -x.zero_point, "hidden_offset": -hidden.zero_point,
         "hidden_zero_point": hidden.zero_point, "scratch_rows": 3}
    for g, wx, wh in zip(_GATES, w_x, w_h):
        for part, src, w in (("x", x, wx), ("h", hidden, wh)):
            m, s = fc_multipliers(src.scale, [_weight_scale(c, w, "weights")], _GATE_IN)
            f["%s_%s_mult" % (g, part)], f["%s_%s_shift" % (g, part)] = int(m[0]), int(s[0])
    cs = float(np.float32(cell.scale))
    for key, ratio in (("fc", _GATE_OUT * cs / cs), ("ic", _GATE_OUT * _GATE_OUT / cs),
                       ("h", _GATE_OUT * _GATE_OUT / float(np.float32(hidden.scale)))):
        f[key + "_mult"], f[key + "_shift"] = quantize_multiplier(ratio)
    clip = float(np.float32(getattr(o, "cellClip", 0.0) or 0.0))
    f["cell_clip"] = int(min(max(clip / cs, -32768.0), 32767.0)) if clip > 0 else -1
    if f["cell_clip"] < -1:
        raise _err("cell clip %g: negative after quantization" % clip)
    left = 15 + checked_log2(cs) - 3
    f["tanh_mult"], f["tanh_shift"] = (3 << left, 0) if left >= 0 else (3, -left)
    layout = ops_lstm.LSTM16 if wide else ops_lstm.LSTM
    try:
        values = layout.pack(**f)
    except ValueError as e:
        raise _err(str(e)) from None
    scratch = Tensor("lstm%d/scratch" % n, oplist.INT32, (3 * n_cell,))
    c.tensors.append(scratch)
    args = [x] + w_x + w_h + bias + [c.params("lstm%d" % n, values), hidden, cell, scratch]
    c.add_op(oplist.LSTM_S16 if wide else oplist.LSTM_S8, _NAME, n, args, [y], macs=B * T * 4 * n_cell * (n_in + n_cell))
    c.ops[-1].scratch = scratch


def _lstm_f32(c, n, o, x, y, w_x, w_h, bias, hidden, cell, B, T, n_in, n_cell, time_major):
    clip = np.float32(getattr(o, "cellClip", 0.0) or 0.0)
    values = ops_lstm.LSTMF.pack(batch=B, time=T, n_input=n_in, n_cell=n_cell, time_major=int(time_major),
                                 clip=int(clip > 0), scratch_rows=5)
    scratch = Tensor("lstm%d/scratch" % n, oplist.FLOAT32, (5 * n_cell,))
    c.tensors.append(scratch)
    args = [x] + w_x + w_h + bias + [c.params("lstm%d" % n, values),
                                     c.const("lstm%d/cell_clip" % n, np.array([clip], np.float32)),
                                     hidden, cell, scratch]
    c.add_op(oplist.LSTM_F32, _NAME, n, args, [y], macs=B * T * 4 * n_cell * (n_in + n_cell))
    c.ops[-1].scratch = scratch
