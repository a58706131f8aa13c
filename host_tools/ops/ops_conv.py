"""Convolution-like layers of the NN area: TRANSPOSE_CONV, BATCH_MATMUL.

Area NN (micronn_config.h MICRONN_OP_NN), opcodes 320-339 (ops_nn.py has 300-319). Part of the
op spec: table.py adds LAYOUTS and OPS to its own (see table.py and docs/adding_an_op.md for the vocabulary).
"""

from .spec import (  # noqa: F401
    BIG,
    DIM_MAX,
    I32_MAX,
    Field,
    Layout,
    Op,
    Operand,
    Rule,
    act8,
    broadcast_fields,
    fields,
    offset_field,
    params_input,
)

F = Field
T = Operand
P = params_input

# TRANSPOSE_CONV as TFLite Micro runs it: every input pixel (in order) scatters
# (x + input_offset) * w into the output positions its filter window covers; padding from the
# output size (TFLM's ComputePaddingHeightWidth; dilation 1). The converter stores the weights
# per filter tap, [k_h, k_w, out_c, in_c]: each tap's [out_c, in_c] matrix is contiguous.
TCONV = Layout("TCONV", "TCONV", [
    F("n", 1, DIM_MAX, "batches"),
    F("in_h", 1, DIM_MAX, "input height, width, channels"), F("in_w", 1, DIM_MAX), F("in_c", 1, DIM_MAX),
    F("out_h", 1, DIM_MAX, "output height, width, channels"), F("out_w", 1, DIM_MAX), F("out_c", 1, DIM_MAX),
    F("k_h", 1, DIM_MAX, "filter height, width"), F("k_w", 1, DIM_MAX),
    F("stride_h", 1, 255), F("stride_w", 1, 255),
    F("pad_top", 0, DIM_MAX, "output row/column of filter tap 0 of input pixel 0 is -pad"),
    F("pad_left", 0, DIM_MAX),
    offset_field("input_offset"), offset_field("output_offset", output=True)] + act8() + [
    F("act", 0, 3, "float32: fused activation 0 none, 1 RELU, 2 RELU_N1_TO_1, 3 RELU6 (int8: 0)")],
    area="NN", act=("act_min", "act_max"), doc="TRANSPOSE_CONV (int8 per-channel, float32)")

# BATCH_MATMUL: output[b, i, j] = sum_k lhs[b, i, k] * rhs[b, k, j] over d5 = K in increasing
# k, for the batch dims d0..d2 (each operand's strides 0 where it broadcasts), rows d3 = M and
# columns d4 = N; every operand addressed by its element strides (adj_x / adj_y and a
# pre-transposed constant rhs are only strides), so each one's count is its span.
BMM = Layout("BMM", "BMM", fields("d", 6, 1, BIG, "dims: d0..d2 batch, d3 rows M, d4 columns N, d5 depth K")
    + fields("lhs_s", 6, 0, BIG, "lhs element strides of d0..d5 (0 on d4 and broadcast dims)")
    + fields("rhs_s", 6, 0, BIG, "rhs element strides of d0..d5 (0 on d3 and broadcast dims)")
    + fields("out_s", 6, 0, BIG, "output element strides of d0..d5 (0 on d5)")
    + [offset_field("lhs_offset"), offset_field("rhs_offset"), offset_field("output_offset", output=True),
       F("multiplier", 0, I32_MAX, "int8: lhs_scale * rhs_scale / output_scale as Q31 and shift (float32: 0)"),
       F("shift", -31, 30)],
    area="NN", doc="BATCH_MATMUL (int8, float32; rank <= 5, broadcast batch dims)")

LAYOUTS = [TCONV, BMM]

_IN = ("n", "in_h", "in_w", "in_c")
_W = ("k_h", "k_w", "out_c", "in_c")  # TFLite's [out_c, k_h, k_w, in_c], stored per filter tap
_OUT = ("n", "out_h", "out_w", "out_c")
_BMM_SPANS = (("d", "lhs_s"), ("d", "rhs_s"), ("d", "out_s"))

OPS = [
    Op(320, "TRANSPOSE_CONV", "transpose_conv_s8", "NN",
       [T("input", "int8", count=_IN), T("weights", "int8", count=_W), T("bias", "int32", count=("out_c",)),
        P(TCONV), T("multiplier", "int32", count=("out_c",)), T("shift", "int32", count=("out_c",)),
        T("scratch", "int32", count=("out_h", "out_w", "out_c"), writable=True)],
       [T("output", "int8", count=_OUT)], scratch=True, tflite=[("TRANSPOSE_CONV", "int8")],
       ident="TRANSPOSE_CONV_S8", binding="spec", ref=True,
       doc="scratch = sum over input pixels of (input + input_offset) * weights at each covered output\n"
           "(one batch at a time), output = clamp(rq(scratch + bias, multiplier[c], shift[c]) + output_offset)"),
    Op(321, "TRANSPOSE_CONV", "transpose_conv_f32", "NN",
       [T("input", "float32", count=_IN), T("weights", "float32", count=_W),
        T("bias", "float32", count=("out_c",)), P(TCONV)],
       [T("output", "float32", count=_OUT)], tflite=[("TRANSPOSE_CONV", "float32")],
       ident="TRANSPOSE_CONV_F32", binding="spec",
       doc="output = 0.0f; output += input * weights in TFLM's scatter order, then act(output + bias)"),
    Op(322, "BATCH_MATMUL", "batch_matmul_s8", "NN",
       [T("lhs", "int8", span=_BMM_SPANS[0]), T("rhs", "int8", span=_BMM_SPANS[1]), P(BMM),
        T("scratch", "int8", count=("d4", "d5"), optional=True, writable=True)],
       [T("output", "int8", span=_BMM_SPANS[2])], scratch=True, tflite=[("BATCH_MATMUL", "int8")],
       ident="BATCH_MATMUL_S8", binding="spec", ref=True,
       doc="output = clamp(rq(sum_k (lhs + lhs_offset) * (rhs + rhs_offset), multiplier, shift)\n"
           "                + output_offset, -128, 127)\n"
           "scratch (a runtime rhs [.., K, N]): the optimized kernel's copy of one batch's rhs, [N, K]"),
    Op(323, "BATCH_MATMUL", "batch_matmul_f32", "NN",
       [T("lhs", "float32", span=_BMM_SPANS[0]), T("rhs", "float32", span=_BMM_SPANS[1]), P(BMM)],
       [T("output", "float32", span=_BMM_SPANS[2])], tflite=[("BATCH_MATMUL", "float32")],
       ident="BATCH_MATMUL_F32", binding="spec",
       doc="output = 0.0f + lhs * rhs + ... in increasing k"),
]
