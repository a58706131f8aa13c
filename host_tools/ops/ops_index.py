"""Indexing, resampling and filling ops: GATHER, GATHER_ND, EMBEDDING_LOOKUP, RESIZE_*, FILL, SHAPE, ...

Area SHAPE (micronn_config.h MICRONN_OP_SHAPE), opcodes 190-219 (ops_shape.py has 160-189). Part of the op spec: table.py adds
LAYOUTS and OPS to its own (see table.py and docs/adding_an_op.md for the vocabulary).

The data-movement kernels here take any element size (params element_size: 1, 2, 4 or 8 bytes) and
move whole contiguous rows; their bindings are hand-written (bind_index.c) because the indices are
runtime data: an index out of range raises ValueError naming the op, never reads outside the input.
"""

from .spec import (  # noqa: F401
    BIG,
    COUNT_MAX,
    DIM_MAX,
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
_ELEM = F("element_size", 1, 8, "1, 2, 4 or 8 bytes", c="ELEM")

# RESIZE_*: NHWC input [n, in_h, in_w, c] -> output [n, out_h, out_w, c].
RESIZE = Layout("RESIZE", "RESIZE", [
    F("n", 1, DIM_MAX, "batches"),
    F("in_h", 1, DIM_MAX, "input height, width"), F("in_w", 1, DIM_MAX), F("c", 1, DIM_MAX, "channels"),
    F("out_h", 1, DIM_MAX, "output height, width"), F("out_w", 1, DIM_MAX),
    F("align_corners", 0, 1), F("half_pixel_centers", 0, 1, c="HALF_PIXEL")],
    area="SHAPE", doc="RESIZE_BILINEAR (and the first fields of RESIZE_NEAREST_NEIGHBOR)")
RESIZE_NN = Layout("RESIZE_NN", "RESIZE", [_ELEM], area="SHAPE", base=RESIZE, nparams="MN_RESIZE_NN_NPARAMS",
                   doc="RESIZE_NEAREST_NEIGHBOR: those of RESIZE_BILINEAR and the element size")

# GATHER: input [batch, outer, axis, inner], indices [batch, coords] -> output [batch, outer, coords, inner].
GATHER = Layout("GATHER", "GATHER", [
    _ELEM, F("batch", 1, BIG, "product of the batch dims"), F("outer", 1, BIG, "dims between the batch dims and the axis"),
    F("axis", 1, BIG, "the axis' size"), F("inner", 1, BIG, "product of the dims after the axis"),
    F("coords", 1, BIG, "indices per batch")],
    area="SHAPE", doc="GATHER (int32 indices in [0, axis))")

# GATHER_ND: indices [slices, nd] address params; each picks a run of `slice` elements at
# sum_j index_j * stride_j, which must lie inside the params (TFLite Micro checks only that).
GATHER_ND = Layout("GATHER_ND", "GATHER_ND", [
    _ELEM, F("slices", 1, BIG, "index rows"), F("nd", 1, 5, "indices per row"),
    F("slice", 1, BIG, "elements per slice"), F("params_count", 1, COUNT_MAX, "elements of the params")]
    + fields("stride", 5, 0, COUNT_MAX, "params element stride of index j (0 past nd)"),
    area="SHAPE", doc="GATHER_ND (int32 indices)")

# EMBEDDING_LOOKUP: lookup [lookups] (int32 rows of value [rows, cols]) -> output [lookups, cols].
EMBED = Layout("EMBED", "EMBED", [
    _ELEM, F("lookups", 1, BIG), F("rows", 1, BIG), F("cols", 1, BIG, "elements per row"),
    F("hybrid", 0, 1, "1: int8 value dequantized to a float32 output (element_size 1)"),
    F("scale", I32_MIN, I32_MAX, "hybrid (int8 value, float32 output): the value scale's float32 bits")],
    area="SHAPE", doc="EMBEDDING_LOOKUP")

# DYNAMIC_UPDATE_SLICE: operand [d0..d5] with update [u0..u5] (both padded at the front with 1s)
# written at the start indices (rank int32 or int64 values, for the last `rank` dims), each
# clamped into [0, d - u] as TFLite Micro does.
DUS = Layout("DUS", "DUS", [
    _ELEM, F("index_size", 4, 8, "4 (int32 start indices) or 8 (int64)"), F("rank", 1, 6, "start indices")]
    + fields("d", 6, 1, BIG, "operand (and output) dims d0..d5") + fields("u", 6, 1, BIG, "update dims u0..u5, u_k <= d_k"),
    area="SHAPE", doc="DYNAMIC_UPDATE_SLICE")

# A broadcast copy: output [d0..d4] = input[i0 * s0 + ... + i4 * s4] (s_k 0 on broadcast dims): BROADCAST_TO, and
# FILL, ZEROS_LIKE (a scalar input) and SHAPE (a constant input) as broadcasts.
BCAST = Layout("BCOPY", "BCOPY", [_ELEM] + fields("d", 5, 1, BIG, "output dims d0..d4")
               + fields("s", 5, 0, BIG, "input element strides s0..s4 (0: broadcast)"),
               area="SHAPE", doc="BROADCAST_TO, FILL, ZEROS_LIKE, SHAPE (a broadcast copy)")

# BROADCAST_ARGS: the broadcast shape of two int32 or int64 shape vectors.
BARGS = Layout("BARGS", "BARGS", [
    _ELEM, F("n1", 1, 64, "elements of shape1, shape2, output"), F("n2", 1, 64), F("n_out", 1, 64)],
    area="SHAPE", doc="BROADCAST_ARGS (element_size 4: int32, 8: int64)")

LAYOUTS = [RESIZE, RESIZE_NN, GATHER, GATHER_ND, EMBED, DUS, BCAST, BARGS]

_IN4 = ("n", "in_h", "in_w", "c")
_OUT4 = ("n", "out_h", "out_w", "c")
_F32_I8 = ("float32", "int8")

OPS = [
    Op(190, "RESIZE_NEAREST_NEIGHBOR", "resize_nearest", "SHAPE", [T("input"), P(RESIZE_NN)], [T("output")],
       tflite=[("RESIZE_NEAREST_NEIGHBOR", t) for t in _F32_I8 + ("int16",)],
       doc="output[b, y, x, :] = input[b, src(y), src(x), :] (TFLite Micro's float source index)"),
    Op(191, "RESIZE_BILINEAR", "resize_bilinear_f32", "SHAPE", [T("input", "float32", count=_IN4), P(RESIZE)],
       [T("output", "float32", count=_OUT4)], tflite=[("RESIZE_BILINEAR", "float32")], ident="RESIZE_BILINEAR_F32",
       binding="spec", doc="TFLite Micro's float ResizeBilinear: 4 weighted taps summed in float, unfused"),
    Op(192, "RESIZE_BILINEAR", "resize_bilinear_s8", "SHAPE", [T("input", "int8", count=_IN4), P(RESIZE)],
       [T("output", "int8", count=_OUT4)], tflite=[("RESIZE_BILINEAR", "int8")], ident="RESIZE_BILINEAR_S8",
       binding="spec", doc="TFLite Micro's ResizeBilinearInteger: 10-bit fixed-point taps, rounded / 2^20"),
    Op(193, "GATHER", "gather", "SHAPE", [T("input"), T("indices", "int32"), P(GATHER)], [T("output")],
       tflite=[("GATHER", t) for t in _F32_I8],
       doc="output[b, o, k, :] = input[b, o, indices[b, k], :]; an index outside [0, axis) raises"),
    Op(194, "GATHER_ND", "gather_nd", "SHAPE", [T("input"), T("indices", "int32"), P(GATHER_ND)], [T("output")],
       tflite=[("GATHER_ND", t) for t in _F32_I8],
       doc="output[i, :] = input[sum_j indices[i, j] * stride_j : + slice]; a slice outside the input raises"),
    Op(195, "EMBEDDING_LOOKUP", "embedding_lookup", "SHAPE", [T("lookup", "int32"), T("value"), P(EMBED)],
       [T("output")], tflite=[("EMBEDDING_LOOKUP", t) for t in _F32_I8],
       doc="output[i, :] = value[lookup[i], :] (int8 value, float32 output: times scale); a row outside raises"),
]


def _bcast(opcode, name, tflite, doc):
    return Op(opcode, name, "broadcast_copy", "SHAPE", [T("input"), P(BCAST)], [T("output")], tflite=tflite, doc=doc)


OPS += [
    Op(196, "DYNAMIC_UPDATE_SLICE", "dynamic_update_slice", "SHAPE",
       [T("operand"), T("update"), T("start_indices"), P(DUS)], [T("output")], in_place=True,
       tflite=[("DYNAMIC_UPDATE_SLICE", t) for t in ("float32", "int8", "int16", "int32")],
       doc="output = operand with update written at the clamped start indices (runtime data)"),
    _bcast(197, "BROADCAST_TO", [("BROADCAST_TO", None)], "output = the input broadcast to the constant shape"),
    _bcast(198, "FILL", [("FILL", t) for t in ("float32", "int8", "int32")], "output = the scalar value (runtime or constant) everywhere"),
    _bcast(199, "ZEROS_LIKE", [("ZEROS_LIKE", t) for t in ("float32", "int8", "int32", "int64")],
           "output = 0 (a constant zero broadcast)"),
    _bcast(200, "SHAPE", [("SHAPE", None)], "output = the input's (static) shape, int32"),
    Op(201, "BROADCAST_ARGS", "broadcast_args", "SHAPE", [T("shape1"), T("shape2"), P(BARGS)], [T("output")],
       tflite=[("BROADCAST_ARGS", "int32"), ("BROADCAST_ARGS", "int64")],
       doc="output = the broadcast of the shapes (runtime data); incompatible shapes raise"),
]
