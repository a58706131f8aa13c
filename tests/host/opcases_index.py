"""Generated-model cases of the SHAPE area's indexing ops (ops_index.py; see opcases.py): (id,
.tflite bytes, [inputs]), each checked against live TFLite Micro on the numpy backend and on every test board."""

import numpy as np

from host_tools.check import modelgen
from host_tools.check.modelgen import ModelBuilder, schema

CASES = []
_Q8 = (0.05, 3)


def _q(dtype):
    return _Q8 if dtype == np.int8 else (None, None)


def _data(rng, shape, dtype):
    return modelgen.random_input(rng, shape, dtype)


# ---------------------------------------------------------------------------- RESIZE_*
def resize_model(op, shape, size, dtype, align_corners=False, half_pixel=False):
    b = ModelBuilder("micronn opcases " + op.lower())
    x = b.add_input("input", shape, dtype, *_q(dtype))
    s = b.add_tensor("size", [2], np.int32, data=np.array(size, np.int32))
    y = b.add_output("output", (shape[0], size[0], size[1], shape[3]), dtype, *_q(dtype))
    opts = schema.ResizeBilinearOptionsT() if op == "RESIZE_BILINEAR" else schema.ResizeNearestNeighborOptionsT()
    opts.alignCorners, opts.halfPixelCenters = bool(align_corners), bool(half_pixel)
    b.add_operator(op, [x, s], [y], opts)
    return b.finish()


# (input shape, output size): up, down, non-integer ratios both ways, size-1 input and output
# rows/columns, the same size, odd channel counts, two batches.
RESIZES = [((1, 4, 4, 3), (8, 8)), ((2, 3, 5, 2), (7, 4)), ((1, 7, 6, 17), (3, 2)), ((1, 1, 5, 1), (4, 9)),
           ((1, 5, 5, 4), (1, 1)), ((1, 6, 9, 1), (6, 9)), ((1, 10, 3, 5), (15, 11)), ((1, 2, 2, 1), (5, 3))]
_FLAGS = [(0, 0), (1, 0), (0, 1), (1, 1)]  # (align_corners, half_pixel_centers)
for _k, (_s, _o) in enumerate(RESIZES):
    for _f in (_FLAGS[_k % 4], _FLAGS[(_k + 1) % 4], _FLAGS[(_k + 2) % 4]):
        for _dt, _tag in ((np.float32, "f32"), (np.int8, "s8")):
            _rng = np.random.default_rng(5000 + 10 * _k + _FLAGS.index(_f))
            _x = _data(_rng, _s, _dt)
            _id = "%d-ac%d-hp%d" % (_k, *_f)
            CASES.append(("resize_nearest_neighbor-%s-%s" % (_tag, _id),
                          resize_model("RESIZE_NEAREST_NEIGHBOR", _s, _o, _dt, *_f), [_x]))
            if _f != (1, 1):  # TFLite Micro refuses align_corners with half_pixel_centers
                CASES.append(("resize_bilinear-%s-%s" % (_tag, _id), resize_model("RESIZE_BILINEAR", _s, _o, _dt, *_f), [_x]))


# ---------------------------------------------------------------------------- GATHER
def gather_model(shape, idx_shape, axis, dtype, batch_dims=0, const_indices=None, const_input=None):
    b = ModelBuilder("micronn opcases gather")
    rank = len(shape)
    a = axis + rank if axis < 0 else axis
    bd = batch_dims + len(idx_shape) if batch_dims < 0 else batch_dims
    if const_input is not None:
        x = b.add_tensor("input", shape, dtype, *_q(dtype), data=const_input)
    else:
        x = b.add_input("input", shape, dtype, *_q(dtype))
    if const_indices is not None:
        i = b.add_tensor("indices", idx_shape, np.int32, data=const_indices)
    else:
        i = b.add_input("indices", idx_shape, np.int32)
    out = list(shape[:a]) + list(idx_shape[bd:]) + list(shape[a + 1:])
    y = b.add_output("output", out, dtype, *_q(dtype))
    opts = schema.GatherOptionsT()
    opts.axis, opts.batchDims = axis, batch_dims
    b.add_operator("GATHER", [x, i], [y], opts)
    return b.finish()


# (input shape, indices shape, axis, batch_dims): first/middle/last/negative axes, a scalar index,
# batch dims (one, two, negative), rows of one element
GATHERS = [((5, 3), (4,), 0, 0), ((2, 6, 3), (2, 4), 1, 0), ((4, 7), (3,), -1, 0), ((2, 5, 4), (2, 3), 1, 1),
           ((2, 3, 5, 2), (2, 3, 4), 2, 2), ((6, 4), (), 0, 0), ((3, 5, 2), (3, 6), -2, -1), ((9,), (2, 2), 0, 0)]
for _k, (_s, _i, _a, _bd) in enumerate(GATHERS):
    _rng = np.random.default_rng(5200 + _k)
    _ax = _s[_a]
    _idx = _rng.integers(0, _ax, size=_i).astype(np.int32)
    for _dt, _tag in ((np.float32, "f32"), (np.int8, "s8")):
        CASES.append(("gather-%s-%d" % (_tag, _k), gather_model(_s, _i, _a, _dt, _bd), [_data(_rng, _s, _dt), _idx]))
# constant indices into a runtime input; runtime indices into a constant table
_rng = np.random.default_rng(5290)
CASES.append(("gather-f32-const-indices", gather_model((4, 6), (5,), 1, np.float32, const_indices=[5, 0, 0, 3, 2]),
              [_data(_rng, (4, 6), np.float32)]))
CASES.append(("gather-s8-const-table", gather_model((10, 8), (3,), 0, np.int8, const_input=_data(_rng, (10, 8), np.int8)),
              [np.array([9, 0, 4], np.int32)]))


# ---------------------------------------------------------------------------- GATHER_ND
def gather_nd_model(shape, idx_shape, dtype):
    b = ModelBuilder("micronn opcases gather_nd")
    x = b.add_input("input", shape, dtype, *_q(dtype))
    i = b.add_input("indices", idx_shape, np.int32)
    y = b.add_output("output", list(idx_shape[:-1]) + list(shape[idx_shape[-1]:]), dtype, *_q(dtype))
    b.add_operator("GATHER_ND", [x, i], [y], schema.GatherNdOptionsT())
    return b.finish()


# (input shape, indices shape): elements, rows, depth 3 and 5, a single index row (scalar output)
GATHER_NDS = [((4, 5), (3, 2)), ((4, 5, 3), (2, 1)), ((2, 3, 4), (2, 2, 3)), ((3, 4), (2,)),
              ((2, 2, 2, 2, 2, 3), (3, 5)), ((6, 7), (4, 1))]
for _k, (_s, _i) in enumerate(GATHER_NDS):
    _rng = np.random.default_rng(5300 + _k)
    _idx = np.stack([_rng.integers(0, _s[j], size=_i[:-1]) for j in range(_i[-1])], axis=-1).astype(np.int32)
    for _dt, _tag in ((np.float32, "f32"), (np.int8, "s8")):
        CASES.append(("gather_nd-%s-%d" % (_tag, _k), gather_nd_model(_s, _i, _dt), [_data(_rng, _s, _dt), _idx]))
# indices outside their dimension whose flat slice stays inside the input: TFLite Micro checks only that
_rng = np.random.default_rng(5390)
CASES.append(("gather_nd-f32-flat-in-range", gather_nd_model((3, 4), (3, 2), np.float32),
              [_data(_rng, (3, 4), np.float32), np.array([[0, 5], [1, -1], [2, 3]], np.int32)]))


# ---------------------------------------------------------------------------- EMBEDDING_LOOKUP
def embedding_model(rows_shape, lookups, dtype, out_dtype=None, q=_Q8, const_value=None):
    out_dtype = out_dtype or dtype
    b = ModelBuilder("micronn opcases embedding_lookup")
    i = b.add_input("lookup", [lookups], np.int32)
    qv = q if dtype == np.int8 else (None, None)
    if const_value is not None:
        v = b.add_tensor("value", rows_shape, dtype, *qv, data=const_value)
    else:
        v = b.add_input("value", rows_shape, dtype, *qv)
    y = b.add_output("output", [lookups] + list(rows_shape[1:]), out_dtype, *(qv if out_dtype == np.int8 else (None, None)))
    b.add_operator("EMBEDDING_LOOKUP", [i, v], [y])
    return b.finish()


_rng = np.random.default_rng(5400)
CASES.append(("embedding_lookup-f32", embedding_model((10, 4), 3, np.float32),
              [np.array([7, 0, 7], np.int32), _data(_rng, (10, 4), np.float32)]))
CASES.append(("embedding_lookup-s8", embedding_model((7, 3, 2), 5, np.int8),
              [np.array([6, 1, 1, 0, 3], np.int32), _data(_rng, (7, 3, 2), np.int8)]))
CASES.append(("embedding_lookup-s8-const", embedding_model((6, 5), 2, np.int8, const_value=_data(_rng, (6, 5), np.int8)),
              [np.array([5, 2], np.int32)]))
# hybrid: an int8 table (zero point 0) dequantized into a float32 output
CASES.append(("embedding_lookup-s8-f32", embedding_model((8, 3), 4, np.int8, np.float32, q=(0.0173, 0)),
              [np.array([0, 7, 3, 3], np.int32), _data(_rng, (8, 3), np.int8)]))
CASES.append(("embedding_lookup-s8-f32-const", embedding_model((5, 2, 3), 3, np.int8, np.float32, q=(1.37, 0),
                                                                const_value=_data(_rng, (5, 2, 3), np.int8)),
              [np.array([4, 4, 1], np.int32)]))


# ---------------------------------------------------------------------------- DYNAMIC_UPDATE_SLICE
def dus_model(shape, upd_shape, dtype, index_dtype=np.int32, const_start=None):
    b = ModelBuilder("micronn opcases dynamic_update_slice")
    x = b.add_input("operand", shape, dtype, *_q(dtype))
    u = b.add_input("update", upd_shape, dtype, *_q(dtype))
    if const_start is not None:
        s = b.add_tensor("start", [len(shape)], index_dtype, data=np.array(const_start, index_dtype))
    else:
        s = b.add_input("start", [len(shape)], index_dtype)
    y = b.add_output("output", shape, dtype, *_q(dtype))
    b.add_operator("DYNAMIC_UPDATE_SLICE", [x, u, s], [y])
    return b.finish()


# (operand, update, start): inside, clamped at both ends (negative, past the end), full-size
# update, rank 1 and rank 6, a KV-cache style row write
DUSES = [((4, 5), (2, 3), (1, 2)), ((4, 5), (2, 3), (-3, 9)), ((3, 4, 5), (3, 1, 5), (0, 2, 0)),
         ((7,), (3,), (5,)), ((2, 3), (2, 3), (1, 1)), ((2, 2, 3, 2, 2, 3), (1, 2, 2, 1, 2, 2), (1, 0, 1, 1, 0, 1)),
         ((1, 16, 8), (1, 1, 8), (0, 11, 0))]
for _k, (_s, _u, _st) in enumerate(DUSES):
    _rng = np.random.default_rng(5500 + _k)
    for _dt, _tag in ((np.float32, "f32"), (np.int8, "s8"), (np.int32, "s32")):
        _idt = np.int64 if _k % 2 else np.int32
        CASES.append(("dynamic_update_slice-%s-%d" % (_tag, _k), dus_model(_s, _u, _dt, _idt),
                      [_data(_rng, _s, _dt), _data(_rng, _u, _dt), np.array(_st, _idt)]))
_rng = np.random.default_rng(5590)
CASES.append(("dynamic_update_slice-f32-const-start", dus_model((5, 4), (2, 4), np.float32, const_start=(2, 0)),
              [_data(_rng, (5, 4), np.float32), _data(_rng, (2, 4), np.float32)]))


# ---------------------------------------------------------------------------- BROADCAST_TO
def broadcast_to_model(in_shape, out_shape, dtype, shape_dtype=np.int32):
    b = ModelBuilder("micronn opcases broadcast_to")
    x = b.add_input("input", in_shape, dtype, *_q(dtype))
    s = b.add_tensor("shape", [len(out_shape)], shape_dtype, data=np.array(out_shape, shape_dtype))
    y = b.add_output("output", out_shape, dtype, *_q(dtype))
    b.add_operator("BROADCAST_TO", [x, s], [y], schema.BroadcastToOptionsT())
    return b.finish()


# (input, output): new leading dims, inner broadcast (an element repeated), middle, alternating
# (5 runs), a scalar, no broadcast at all
BCASTS = [((3,), (2, 4, 3)), ((4, 1), (4, 6)), ((2, 1, 3), (2, 5, 3)), ((1, 3, 1, 2, 1), (2, 3, 4, 2, 3)),
          ((), (3, 2)), ((2, 3), (2, 3)), ((1, 1), (7, 9))]
for _k, (_s, _o) in enumerate(BCASTS):
    _rng = np.random.default_rng(5600 + _k)
    for _dt, _tag in ((np.float32, "f32"), (np.int8, "s8"), (np.int32, "s32"), (np.bool_, "bool")):
        _x = _rng.random(size=_s) < 0.5 if _dt == np.bool_ else _data(_rng, _s, _dt)
        CASES.append(("broadcast_to-%s-%d" % (_tag, _k), broadcast_to_model(_s, _o, _dt, np.int64 if _k % 3 == 2 else np.int32),
                      [np.asarray(_x, _dt)]))


# ---------------------------------------------------------------------------- FILL, ZEROS_LIKE, SHAPE
def fill_model(shape, dtype, dims_dtype=np.int32, value=None):
    b = ModelBuilder("micronn opcases fill")
    d = b.add_tensor("dims", [len(shape)], dims_dtype, data=np.array(shape, dims_dtype))
    if value is None:
        v = b.add_input("value", [], dtype, *_q(dtype))
    else:
        v = b.add_tensor("value", [], dtype, *_q(dtype), data=np.array(value, dtype))
    y = b.add_output("output", shape, dtype, *_q(dtype))
    b.add_operator("FILL", [d, v], [y], schema.FillOptionsT())
    return b.finish()


_rng = np.random.default_rng(5700)
for _k, (_s, _ddt) in enumerate((((2, 3, 5), np.int32), ((17,), np.int64), ((1, 1), np.int32))):
    for _dt, _tag in ((np.float32, "f32"), (np.int8, "s8"), (np.int32, "s32")):
        CASES.append(("fill-%s-%d" % (_tag, _k), fill_model(_s, _dt, _ddt), [np.asarray(_data(_rng, (), _dt), _dt)]))
CASES.append(("fill-f32-const", fill_model((4, 3), np.float32, value=-2.5), []))


def unary_model(op, shape, dtype, out_shape=None, out_dtype=None):
    b = ModelBuilder("micronn opcases " + op.lower())
    x = b.add_input("input", shape, dtype, *_q(dtype))
    od = out_dtype or dtype
    y = b.add_output("output", out_shape if out_shape is not None else shape, od, *_q(od))
    opts = {"ZEROS_LIKE": schema.ZerosLikeOptionsT, "SHAPE": schema.ShapeOptionsT}[op]()
    if op == "SHAPE":
        opts.outType = modelgen.tensor_type(od)
    b.add_operator(op, [x], [y], opts)
    return b.finish()


for _k, _s in enumerate([(2, 3), (5,), (1, 4, 1, 3)]):
    _rng = np.random.default_rng(5800 + _k)
    for _dt, _tag in ((np.float32, "f32"), (np.int8, "s8"), (np.int32, "s32"), (np.int64, "s64")):
        CASES.append(("zeros_like-%s-%d" % (_tag, _k), unary_model("ZEROS_LIKE", _s, _dt), [_data(_rng, _s, _dt)]))
    for _dt, _tag in ((np.float32, "f32"), (np.int8, "s8")):
        CASES.append(("shape-%s-%d" % (_tag, _k), unary_model("SHAPE", _s, _dt, [len(_s)], np.int32), [_data(_rng, _s, _dt)]))


# ---------------------------------------------------------------------------- BROADCAST_ARGS
def broadcast_args_model(n1, n2, dtype, const=None):
    b = ModelBuilder("micronn opcases broadcast_args")
    if const is not None:
        s1 = b.add_tensor("shape1", [n1], dtype, data=np.array(const[0], dtype))
        s2 = b.add_tensor("shape2", [n2], dtype, data=np.array(const[1], dtype))
    else:
        s1 = b.add_input("shape1", [n1], dtype)
        s2 = b.add_input("shape2", [n2], dtype)
    y = b.add_output("output", [max(n1, n2)], dtype)
    b.add_operator("BROADCAST_ARGS", [s1, s2], [y])
    return b.finish()


for _k, (_a, _b) in enumerate([((2, 1, 4), (3, 1)), ((5,), (1, 7, 5)), ((1,), (1,)), ((4, 1, 6, 1), (4, 3, 1, 2))]):
    for _dt, _tag in ((np.int32, "s32"), (np.int64, "s64")):
        CASES.append(("broadcast_args-%s-%d" % (_tag, _k), broadcast_args_model(len(_a), len(_b), _dt),
                      [np.array(_a, _dt), np.array(_b, _dt)]))
CASES.append(("broadcast_args-s32-const", broadcast_args_model(2, 3, np.int32, const=((6, 1), (2, 1, 4))), []))


def dus_in_place_model():
    """BROADCAST_TO, DYNAMIC_UPDATE_SLICE, BROADCAST_TO: the update is written over the first
    broadcast's bytes (in place; a graph output would keep its own)."""
    b = ModelBuilder("micronn opcases dynamic_update_slice in place")
    x = b.add_input("input", (1, 6), np.float32)
    s = b.add_tensor("shape", [2], np.int32, data=np.array([4, 6], np.int32))
    t = b.add_tensor("operand", (4, 6), np.float32)
    b.add_operator("BROADCAST_TO", [x, s], [t], schema.BroadcastToOptionsT())
    u = b.add_input("update", (2, 3), np.float32)
    st = b.add_input("start", [2], np.int32)
    t2 = b.add_tensor("updated", (4, 6), np.float32)
    b.add_operator("DYNAMIC_UPDATE_SLICE", [t, u, st], [t2])
    s2 = b.add_tensor("shape2", [3], np.int32, data=np.array([2, 4, 6], np.int32))
    y = b.add_output("output", (2, 4, 6), np.float32)
    b.add_operator("BROADCAST_TO", [t2, s2], [y], schema.BroadcastToOptionsT())
    return b.finish()


_rng = np.random.default_rng(5591)
CASES.append(("dynamic_update_slice-f32-in-place", dus_in_place_model(),  # also checked in test_index
              [_data(_rng, (1, 6), np.float32), _data(_rng, (2, 3), np.float32), np.array([3, 2], np.int32)]))
