"""SVDF (TFLite Micro's svdf_common.cc): int8 with int8 or int16 state, float32.

Area RECURRENT (micronn_config.h MICRONN_OP_RECURRENT), opcodes 140-149 (the area's SVDF range;
LSTM has 120-139, state and control flow 150-159). Part of the op spec: table.py adds LAYOUTS
and OPS to its own (see table.py and docs/adding_an_op.md for the vocabulary).

The state is the model's variable tensor [batch, units * rank * memory] (kept across run()
calls, zeroed by Model.reset()). TFLM resets an int8 state to its zero point and an int16 state
to 0: the int8 state holds TFLM's state minus the zero point, wrapped to int8 (zero is TFLM's
reset value, and the map is one to one), the int16 state TFLM's own values.
"""

from .spec import (  # noqa: F401
    BIG,
    DIM_MAX,
    I32_MAX,
    Field,
    Layout,
    Op,
    Operand,
    params_input,
)

F = Field
T = Operand
P = params_input

SVDF = Layout("SVDF", "SVDF", [
    F("batch", 1, DIM_MAX, "batches"), F("input_size", 1, DIM_MAX, "input features"),
    F("units", 1, DIM_MAX, "output features; filters = units * rank"), F("rank", 1, DIM_MAX),
    F("memory", 1, DIM_MAX, "time steps kept per filter"),
    F("input_offset", -127, 128, "int8: -input_zero_point (float32: 0)"),
    F("output_offset", -128, 127, "int8: +output_zero_point (float32: 0)"),
    F("state_zero_point", -32768, 32767, "int8/int16 state: its zero point (float32: 0)", c="STATE_ZP"),
    F("feature_multiplier", 0, I32_MAX, "input_scale * weights_feature_scale / state_scale (Q31, shift)",
      c="FEATURE_MULT"),
    F("feature_shift", -31, 30),
    F("output_multiplier", 0, I32_MAX, "state_scale * weights_time_scale / output_scale (Q31, shift)",
      c="OUTPUT_MULT"),
    F("output_shift", -31, 30),
    F("act", 0, 3, "float32: fused activation 0 none, 1 RELU, 2 RELU_N1_TO_1, 3 RELU6 (int8: 0, "
      "TFLM's integer SVDF applies none)")],
    area="RECURRENT", doc="SVDF (int8 with int8 or int16 state, float32)")

LAYOUTS = [SVDF]

_IN = ("batch", "input_size")
_WF = ("units", "rank", "input_size")
_WT = ("units", "rank", "memory")
_STATE = ("batch", "units", "rank", "memory")
_OUT = ("batch", "units")


def _svdf(opcode, kernel, dt, wt, ident, doc):
    return Op(opcode, "SVDF", kernel, "RECURRENT",
              [T("input", dt, count=_IN), T("weights_feature", dt, count=_WF), T("weights_time", wt, count=_WT),
               T("bias", "int32" if dt == "int8" else dt, count=("units",), optional=True),
               T("state", wt, count=_STATE, writable=True), P(SVDF)],
              [T("output", dt, count=_OUT)], tflite=[("SVDF", dt)], ident=ident, binding="spec", doc=doc)


_INT_DOC = ("state[b, f, :] shifts one step to the left (the whole buffer moves by one element);\n"
            "state[b, f, memory - 1] = clamp(rq(sum_i weights_feature[f, i] * (input[b, i] + input_offset),\n"
            "    feature_*), state type range) (int16 state: + state_zero_point, wrapped);\n"
            "output[b, u] = clamp(rq(bias[u] + sum_{r, m} weights_time[u * rank + r, m] * (tflm_state - zp),\n"
            "    output_*) + output_offset, -128, 127), tflm_state = state (int16),\n"
            "    wrap(state + state_zero_point) (int8)")

OPS = [
    _svdf(140, "svdf_s8", "int8", "int8", "SVDF_S8",
          "SVDF int8, int8 weights_time and state (TFLM's EvalInt8SvdfReference):\n" + _INT_DOC),
    _svdf(141, "svdf_s8_s16", "int8", "int16", "SVDF_S8_S16",
          "SVDF int8, int16 weights_time and state (TFLM's EvalInt16SvdfReference):\n" + _INT_DOC),
    _svdf(142, "svdf_f32", "float32", "float32", "SVDF_F32",
          "SVDF float32 (TFLM's EvalFloatSvdfReference): the state shifts, state[b, f, memory - 1] =\n"
          "0.0f + weights_feature[f, i] * input[b, i] ...; output = act(bias + sum_r (0.0f + weights_time * state ...))"),
]
