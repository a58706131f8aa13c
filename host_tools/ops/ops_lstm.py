"""Recurrent layers: UNIDIRECTIONAL_SEQUENCE_LSTM.

Area RECURRENT (micronn_config.h MICRONN_OP_RECURRENT), opcodes 120-139 (120 int8, 121 16x8) (SVDF has 140-149,
state and control flow 150-159). Part of the op spec: table.py adds LAYOUTS and OPS to its own
(see table.py and docs/adding_an_op.md for the vocabulary).

TFLite Micro's integer LSTM (kernels/lstm_eval.h, 8x8->16): per time step and gate g (input i,
forget f, cell c, output o) two int8 FULLY_CONNECTEDs to int16 at scale 2^-12, the input one
with the gate's bias, the recurrent one (the hidden state) without, added with int16
saturation, then the int16 sigmoid (the cell gate: tanh, the only fused activation TFLM takes); the
cell state (int16, a variable) becomes f * c + i * g (int16 MULs with saturation), clipped to
+-cell_clip if set; the hidden state (int8, a variable) is o * tanh(cell) requantized to the
hidden state's scale and zero point, and is copied to the output. TFLM's micro kernel has no
peephole, projection, layer norm or CIFG (all nine weight tensors and four biases present).
"""

from .spec import (  # noqa: F401
    DIM_MAX,
    I32_MAX,
    Field,
    Layout,
    Op,
    Operand,
    offset_field,
    params_input,
)

F = Field
T = Operand
P = params_input

GATES = ("i", "f", "c", "o")  # TFLite's tensor order: input, forget, cell, output gate


def _gate_fields(shift_hi):
    out = []
    for g in GATES:
        out += [F("%s_x_mult" % g, 0, I32_MAX, "%s gate: input_scale * w_x_scale / 2^-12 as Q31 and shift" % g
                  if g == "i" else ""), F("%s_x_shift" % g, -31, shift_hi),
                F("%s_h_mult" % g, 0, I32_MAX, "hidden_scale * w_h_scale / 2^-12 (the recurrent FC)"
                  if g == "i" else ""), F("%s_h_shift" % g, -31, shift_hi)]
    return out


def _layout(name, offsets, shift_hi, doc):
    """The LSTM params: sizes, zero-point offsets, the gate FC and MUL rescales, clip, tanh."""
    return Layout(name, name, [
        F("batch", 1, DIM_MAX, "batches"), F("time", 1, DIM_MAX, "time steps"),
        F("n_input", 1, DIM_MAX, "input features"), F("n_cell", 1, DIM_MAX, "cells (= hidden state size)"),
        F("time_major", 0, 1, "1: input [time, batch, n_input], output [time, batch, n_cell]; 0: batch first"),
        ] + offsets + _gate_fields(shift_hi) + [
        F("fc_mult", 0, I32_MAX, "forget gate (2^-15) x cell state -> cell state: 2^-15 as Q31 and shift"),
        F("fc_shift", -31, 30),
        F("ic_mult", 0, I32_MAX, "input gate x cell gate (2^-15 each) -> cell state: 2^-30 / cell_scale"),
        F("ic_shift", -31, 30),
        F("h_mult", 0, I32_MAX, "output gate x tanh(cell) (2^-15 each) -> hidden: 2^-30 / hidden_scale"),
        F("h_shift", -31, 30),
        F("cell_clip", -1, 32767, "the cell state is clipped to [-cell_clip, cell_clip]; -1: no clipping"),
        F("tanh_mult", 1, 3 << 12, "tanh(cell state): x * tanh_mult (+ rounding) >> tanh_shift is the"),
        F("tanh_shift", 0, 31, "input of TFLM's int16 tanh (from the cell state's power-of-two scale)"),
        F("scratch_rows", 3, 3, "3: the scratch is int32 [3, n_cell] (accumulators, then 4 int16 gate rows)"),
        ], area="RECURRENT", doc=doc)


LSTM = _layout("LSTM", [
    offset_field("input_offset"),
    F("hidden_offset", -127, 128, "-hidden_zero_point (the recurrent FC's input offset)"),
    F("hidden_zero_point", -128, 127, "+hidden_zero_point (the hidden state MUL's output offset)")],
    30, "UNIDIRECTIONAL_SEQUENCE_LSTM int8 (int16 cell state, int32 bias)")

# 16x8: symmetric int16 activations (zero points 0); the gate FCs' int64 requantization takes
# shifts up to 7 (TFLM's int64 MultiplyByQuantizedMultiplier).
LSTM16 = _layout("LSTM16", [
    F("input_offset", 0, 0, "0: int16 activations are symmetric"), F("hidden_offset", 0, 0),
    F("hidden_zero_point", 0, 0)],
    7, "UNIDIRECTIONAL_SEQUENCE_LSTM 16x8 (int16 activations and cell state, int64 bias)")

# float32: TFLM's float LSTM (reference FullyConnected, Logistic, std::tanh, Mul with the float
# activation range, the cell clip as a float).
LSTMF = Layout("LSTMF", "LSTMF", [
    F("batch", 1, DIM_MAX, "batches"), F("time", 1, DIM_MAX, "time steps"),
    F("n_input", 1, DIM_MAX, "input features"), F("n_cell", 1, DIM_MAX, "cells (= hidden state size)"),
    F("time_major", 0, 1, "1: input [time, batch, n_input], output [time, batch, n_cell]; 0: batch first"),
    F("clip", 0, 1, "1: the cell state is clipped to [-cell_clip, cell_clip] (TFLM: cell_clip > 0)"),
    F("scratch_rows", 5, 5, "5: the scratch is float32 [5, n_cell] (4 gate rows, the recurrent FC's)")],
    area="RECURRENT", doc="UNIDIRECTIONAL_SEQUENCE_LSTM float32")

LAYOUTS = [LSTM, LSTM16, LSTMF]

_X = ("batch", "time", "n_input")
_WX = ("n_cell", "n_input")
_WH = ("n_cell", "n_cell")
_STATE = ("batch", "n_cell")

OPS = [
    Op(120, "UNIDIRECTIONAL_SEQUENCE_LSTM", "lstm_s8", "RECURRENT",
       [T("input", "int8", count=_X)]
       + [T("w_x_%s" % g, "int8", count=_WX) for g in GATES]
       + [T("w_h_%s" % g, "int8", count=_WH) for g in GATES]
       + [T("bias_%s" % g, "int32", count=("n_cell",)) for g in GATES]
       + [P(LSTM),
          T("hidden", "int8", count=_STATE, writable=True),
          T("cell", "int16", count=_STATE, writable=True),
          T("scratch", "int32", count=("scratch_rows", "n_cell"), writable=True)],
       [T("output", "int8", count=("batch", "time", "n_cell"))], scratch=True,
       tflite=[("UNIDIRECTIONAL_SEQUENCE_LSTM", "int8")], ident="LSTM_S8", binding="spec", ref=True,
       doc="per batch b and step t (hidden, cell: variables [batch, n_cell]):\n"
           "  gate_g = act_g(sat16(clamp16(rq(w_x_g . (x + input_offset) + bias_g, g_x)) +\n"
           "                       clamp16(rq(w_h_g . (hidden + hidden_offset), g_h))))\n"
           "  cell = clip(sat16(rq(f * cell, fc) + rq(i * c, ic)), cell_clip)\n"
           "  hidden = clamp8(rq(o * tanh(cell), h) + hidden_zero_point); output[b, t] = hidden"),
    Op(121, "UNIDIRECTIONAL_SEQUENCE_LSTM", "lstm_s16", "RECURRENT",
       [T("input", "int16", count=_X)]
       + [T("w_x_%s" % g, "int8", count=_WX) for g in GATES]
       + [T("w_h_%s" % g, "int8", count=_WH) for g in GATES]
       + [T("bias_%s" % g, "int64", count=("n_cell",)) for g in GATES]
       + [P(LSTM16),
          T("hidden", "int16", count=_STATE, writable=True),
          T("cell", "int16", count=_STATE, writable=True),
          T("scratch", "int32", count=("scratch_rows", "n_cell"), writable=True)],
       [T("output", "int16", count=("batch", "time", "n_cell"))], scratch=True,
       tflite=[("UNIDIRECTIONAL_SEQUENCE_LSTM", "int16")], ident="LSTM_S16", binding="spec",
       doc="lstm_s8's steps with int16 input and hidden state (zero points 0), int64 accumulators and bias:\n"
           "  the gate FCs requantize with rq64 (TFLM's int64 MultiplyByQuantizedMultiplier),\n"
           "  hidden = clamp16(rq(o * tanh(cell), h))"),
    Op(122, "UNIDIRECTIONAL_SEQUENCE_LSTM", "lstm_f32", "RECURRENT",
       [T("input", "float32", count=_X)]
       + [T("w_x_%s" % g, "float32", count=_WX) for g in GATES]
       + [T("w_h_%s" % g, "float32", count=_WH) for g in GATES]
       + [T("bias_%s" % g, "float32", count=("n_cell",)) for g in GATES]
       + [P(LSTMF), T("cell_clip", "float32", size=1),
          T("hidden", "float32", count=_STATE, writable=True),
          T("cell", "float32", count=_STATE, writable=True),
          T("scratch", "float32", count=("scratch_rows", "n_cell"), writable=True)],
       [T("output", "float32", count=("batch", "time", "n_cell"))], scratch=True,
       tflite=[("UNIDIRECTIONAL_SEQUENCE_LSTM", "float32")], ident="LSTM_F32", binding="spec",
       doc="per batch b and step t, float32, fp-contract off; fc(w, v, b) = clamp(0.0f + w . v in order + b),\n"
           "clamp(x) = min(max(x, -FLT_MAX), FLT_MAX):\n"
           "  gate_g = act_g(fc(w_x_g, x, bias_g) + fc(w_h_g, hidden, 0.0f)) (TFLM's float sigmoid; tanhf)\n"
           "  cell = clamp(f * cell) + clamp(i * c), clipped to +-cell_clip (clip 1)\n"
           "  hidden = clamp(tanhf(cell) * o); output[b, t] = hidden"),
]
