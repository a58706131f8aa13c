"""Shape and data movement ops: PAD, TRANSPOSE, SLICE, SPLIT, PACK, REVERSE, SPACE/DEPTH, ...

Area SHAPE (micronn_config.h MICRONN_OP_SHAPE), opcodes 160-189 (ops_index.py has 190-219). Part of the op spec: table.py adds
LAYOUTS and OPS to its own (see table.py and docs/adding_an_op.md for the vocabulary).

Every op here is one kernel, copy_nd: a strided walk of the input (up to 6 dims, any element
size, signed steps) written to a contiguous output with a border around it (a constant, or the
input mirrored). The converter folds each op's index arithmetic into its params: TRANSPOSE
permutes the steps, SLICE offsets the start, REVERSE_V2 negates steps, DEPTH_TO_SPACE and
friends are a reshape and a transpose, PAD is the border. SPLIT, SPLIT_V and UNPACK are one
copy per output; PACK is CONCATENATION (rules/shape.py).
"""

from .spec import (  # noqa: F401
    COUNT_MAX,
    I32_MAX,
    I32_MIN,
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

COPY_DIMS = 6

COPY = Layout("COPY", "COPY", [
    F("element_size", 1, 8, "1, 2, 4 or 8 bytes", c="ELEM"),
    F("mode", 0, 2, "the border: 0 the value, 1 the input mirrored without its edge (REFLECT), "
      "2 with it (SYMMETRIC)"),
    F("value", I32_MIN, I32_MAX, "mode 0: the border element (its low bytes; 8-byte elements "
      "sign-extended)"),
    F("start", 0, COUNT_MAX, "the input element of region index (0, ..., 0)")]
    + fields("d", COPY_DIMS, 1, COUNT_MAX, "region dims d0..d5 (d5 innermost)")
    + fields("s", COPY_DIMS, -COUNT_MAX, COUNT_MAX, "input element steps of d0..d5")
    + fields("b", COPY_DIMS, 0, COUNT_MAX, "border elements before the region in dims 0..5 "
             "(mirror modes: at most d_k - 1 (REFLECT) or d_k)")
    + fields("a", COPY_DIMS, 0, COUNT_MAX, "border elements after the region in dims 0..5"),
    area="SHAPE", doc="copy_nd: output [b_k + d_k + a_k], region index i -> input[start + sum i_k * s_k]")

LAYOUTS = [COPY]


def _copy(opcode, name, dtypes, doc):
    return Op(opcode, name, "copy_nd", "SHAPE", [T("input"), P(COPY)], [T("output")],
              tflite=[(name, d) for d in dtypes], doc=doc)


_F8I = ("float32", "int8", "int16", "int32")
OPS = [
    _copy(160, "TRANSPOSE", ("float32", "int8", "int16"), "output = input with its dims permuted"),
    _copy(161, "PAD", _F8I, "output = input inside a border of 0 (int8: the output zero point)"),
    _copy(162, "PADV2", _F8I, "output = input inside a border of constant_values"),
    _copy(163, "SLICE", _F8I + ("bool",), "output = input[begin : begin + size]"),
    _copy(164, "SPLIT", _F8I, "output k = the k-th of num_splits equal parts along the axis (a copy per output)"),
    _copy(165, "SPLIT_V", _F8I, "output k = the k-th part of size_splits along the axis (a copy per output)"),
    _copy(166, "UNPACK", _F8I, "output k = input[..., k, ...] along the axis (a copy per output)"),
    _copy(167, "REVERSE_V2", ("float32", "int8", "uint8", "int16", "int32", "int64", "bool"),
          "output = input reversed along a run of adjacent axes (negative steps)"),
    _copy(168, "MIRROR_PAD", ("float32", "int8"), "output = input inside its mirror image (REFLECT, SYMMETRIC)"),
    _copy(169, "DEPTH_TO_SPACE", ("float32", "int8"), "output [n, h * b + i, w * b + j, c] = input [n, h, w, (i * b + j) * C' + c]"),
    _copy(170, "SPACE_TO_DEPTH", ("float32", "int8"), "output [n, h, w, (i * b + j) * C + c] = input [n, h * b + i, w * b + j, c]"),
    _copy(171, "SPACE_TO_BATCH_ND", ("float32", "int8"),
          "output [(i * bw + j) * N + n, h, w, c] = padded input [n, h * bh + i, w * bw + j, c] (padding: PAD first)"),
    _copy(172, "BATCH_TO_SPACE_ND", ("float32", "int8"),
          "output [n, h * bh + i, w * bw + j, c] = input [(i * bw + j) * N + n, h, w, c] (crops: a SLICE after)"),
]
