"""int4 packed weights: FULLY_CONNECTED with int8 activations and TFLite INT4 weights.

Area INT4 (micronn_config.h MICRONN_OP_INT4), opcodes 600-629. Part of the op spec: table.py adds
LAYOUTS and OPS to its own (see table.py and docs/adding_an_op.md for the vocabulary).

The model file stores an INT4 weight tensor's bytes as they are in the .tflite: the whole tensor
packed contiguously (not row by row), two values per byte, element 2k in the low nibble and
2k + 1 in the high nibble, each sign-extended from 4 bits (TFLite Micro's
UnpackDenseInt4IntoInt8); an odd element count leaves the last byte's high nibble unused. The
kernels read those bytes in place and unpack each value in the inner loop: no filter-sized
scratch (TFLite Micro unpacks the whole filter into an arena scratch buffer at every invoke).
After unpacking the arithmetic is TFLite Micro's int8 one. TFLite Micro runs int4
FULLY_CONNECTED per-tensor only (CalculateOpDataFullyConnected refuses per-channel int4), with
reference_integer_ops::FullyConnected.
"""

from .spec import (  # noqa: F401
    BIG,
    I32_MAX,
    Field,
    Layout,
    Op,
    Operand,
    act8,
    params_input,
)

F = Field
T = Operand
P = params_input

FC4 = Layout("FC4", "FC4", [
    F("batches", 1, BIG, "input rows"), F("in_features", 1, BIG), F("out_features", 1, BIG),
    F("weight_bytes", 1, BIG, "packed weight bytes: (in_features * out_features + 1) / 2"),
    F("input_offset", -127, 128, "-input_zero_point"),
    F("output_offset", -128, 127, "+output_zero_point"),
    F("multiplier", 0, I32_MAX, "input_scale * weight_scale / output_scale (double) as Q31 and shift"),
    F("shift", -31, 30)] + act8(),
    area="INT4", act=("act_min", "act_max"), packed4={"weight_bytes": ("in_features", "out_features")},
    doc="FULLY_CONNECTED int8 with int4 packed weights")

LAYOUTS = [FC4]

OPS = [
    Op(600, "FULLY_CONNECTED", "fully_connected_s4", "INT4",
       [T("input", "int8", count=("batches", "in_features")),
        T("weights", "int8", count=("weight_bytes",)),
        T("bias", "int32", optional=True, count=("out_features",)), P(FC4)],
       [T("output", "int8", count=("batches", "out_features"))], tflite=[("FULLY_CONNECTED", "int8")],
       ident="FULLY_CONNECTED_S4", binding="spec",
       doc="weights [out_features, in_features] int4, packed as in the .tflite (two per byte, low nibble\n"
           "first, the whole tensor contiguously), read in place: acc = sum (x + input_offset) * w (+ bias),\n"
           "output = clamp(rq(acc, multiplier, shift) + output_offset, act_min, act_max)"),
]
