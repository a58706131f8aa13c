"""Generated-model cases of the data movement ops on int16 (16x8) activations (see opcases.py):
(id, .tflite bytes, [inputs]), each checked against live TFLite Micro on the numpy backend and on
every test board.

The kernels are the dtype-generic ones (copy_nd, CONCATENATION, STRIDED_SLICE, resize_nearest,
dynamic_update_slice, broadcast_copy, the RESHAPE/SQUEEZE aliases; SHAPE of an int16 input) with
2-byte elements; int16 CONCATENATION copies across scales as TFLite Micro does. The ops
whose int16 cases are elsewhere are left out here: TRANSPOSE, PAD, PADV2, SLICE, SPLIT, SPLIT_V,
PACK, UNPACK, REVERSE_V2 (opcases_shape.py) and EXPAND_DIMS (opcases.py). Values span the whole
int16 range, so a byte swapped or a half element moved shows."""

import numpy as np
from opcases_index import unary_model

from host_tools.check import modelgen
from host_tools.check.modelgen import ModelBuilder, schema

CASES = []
_Q16 = (0.001, 0)  # 16x8 activations are symmetric


def _model(op, ins, outs, opts=None, consts=(), q=_Q16, out_q=None, version=1):
    """One int16 `op` on graph inputs `ins` [(name, shape)] (or (name, shape, dtype) for a
    non-int16 runtime input), constants `consts` [(position, name, shape, dtype, values)] and
    outputs `outs` [shape]."""
    b = ModelBuilder("micronn opcases move16 " + op.lower())
    ts = []
    for spec in ins:
        nm, shp = spec[:2]
        dt = spec[2] if len(spec) > 2 else np.int16
        ts.append(b.add_input(nm, shp, dt, *(q if dt == np.int16 else (None, None))))
    for pos, nm, shp, dt, vals in consts:
        cq = q if dt == np.int16 else (None, None)
        ts.insert(pos, b.add_tensor(nm, shp, dt, *cq, data=np.asarray(vals, dt)))
    oq = out_q or q
    ys = [b.add_output("output%d" % k if len(outs) > 1 else "output", s, np.int16, *oq) for k, s in enumerate(outs)]
    b.add_operator(op, ts, ys, opts, version=version)
    return b.finish()


def _add(name, seed, model, inputs):
    """inputs: shapes (int16 random data) or arrays (given as they are)."""
    rng = np.random.default_rng(seed)
    CASES.append((name, model, [modelgen.random_input(rng, x, np.int16) if isinstance(x, tuple) else x
                                for x in inputs]))


def _opts(cls, **fields):
    o = getattr(schema, cls)()
    for k, v in fields.items():
        setattr(o, k, v)
    return o


# ---------------------------------------------------------------------------- RESIZE_NEAREST_NEIGHBOR
# (input, size, align_corners, half_pixel_centers): up by 2, non-integer ratios up and down with
# odd channels, everything to one pixel with both flags
for _k, (_s, _o, _ac, _hp) in enumerate([((1, 4, 4, 3), (8, 8), 0, 0), ((2, 3, 5, 2), (7, 4), 1, 0),
                                         ((1, 7, 6, 17), (3, 2), 0, 1), ((1, 5, 5, 4), (1, 1), 1, 1)]):
    _add("resize_nearest_neighbor-s16-%d" % _k, 9500 + _k,
         _model("RESIZE_NEAREST_NEIGHBOR", [("input", _s)], [(_s[0], _o[0], _o[1], _s[3])],
                _opts("ResizeNearestNeighborOptionsT", alignCorners=bool(_ac), halfPixelCenters=bool(_hp)),
                [(1, "size", [2], np.int32, _o)]), [_s])

# ---------------------------------------------------------------------------- DYNAMIC_UPDATE_SLICE
# (operand, update, start, index dtype): start indices clamped at both ends (int64), a row of a
# KV cache (int32), rank 6
for _k, (_s, _u, _st, _it) in enumerate([((4, 5), (2, 3), (-3, 9), np.int64), ((1, 16, 8), (1, 1, 8), (0, 11, 0), np.int32),
                                         ((2, 2, 3, 2, 2, 3), (1, 2, 2, 1, 2, 2), (1, 0, 1, 1, 0, 1), np.int32)]):
    _add("dynamic_update_slice-s16-%d" % _k, 9510 + _k,
         _model("DYNAMIC_UPDATE_SLICE", [("operand", _s), ("update", _u), ("start", [len(_s)], _it)], [_s]),
         [_s, _u, np.array(_st, _it)])

# ---------------------------------------------------------------------------- CONCATENATION
def _concat_scales(ins, out, axis):
    """int16 CONCATENATION of inputs [(scale, shape)] to out (scale, shape), zero points 0."""
    b = ModelBuilder("micronn opcases move16 concatenation")
    ts = [b.add_input("in%d" % k, shp, np.int16, sc, 0) for k, (sc, shp) in enumerate(ins)]
    y = b.add_output("output", out[1], np.int16, out[0], 0)
    b.add_operator("CONCATENATION", ts, [y], _opts("ConcatenationOptionsT", axis=axis))
    return b.finish()


# an outer axis with a one-row input, the innermost axis (rows of 1 and 7 elements), a constant input
_add("concatenation-s16-0", 9520,
     _model("CONCATENATION", [("in0", (2, 3, 5)), ("in1", (2, 1, 5)), ("in2", (2, 4, 5))], [(2, 8, 5)],
            _opts("ConcatenationOptionsT", axis=1)), [(2, 3, 5), (2, 1, 5), (2, 4, 5)])
_add("concatenation-s16-1", 9521,
     _model("CONCATENATION", [("in0", (3, 1)), ("in1", (3, 7))], [(3, 8)], _opts("ConcatenationOptionsT", axis=-1)),
     [(3, 1), (3, 7)])
# inputs and output of different scales: TFLite Micro's int16 CONCATENATION copies the bytes
_add("concatenation-s16-scales", 9523,
     _concat_scales([(0.001, (2, 3, 4)), (0.004, (2, 2, 4))], (0.002, (2, 5, 4)), 1), [(2, 3, 4), (2, 2, 4)])
_add("concatenation-s16-const", 9522,
     _model("CONCATENATION", [("in0", (2, 3))], [(2, 5)], _opts("ConcatenationOptionsT", axis=1),
            [(1, "c", [2, 2], np.int16, [[-32768, 32767], [1, -1]])]), [(2, 3)])

# ---------------------------------------------------------------------------- STRIDED_SLICE
# a negative stride with an end mask; a shrunk axis with a stride of 2 on the innermost axis
_add("strided_slice-s16-0", 9530,
     _model("STRIDED_SLICE", [("input", (4, 6, 3))], [(2, 3, 3)],
            _opts("StridedSliceOptionsT", beginMask=0, endMask=4, shrinkAxisMask=0),
            [(1, "begin", [3], np.int32, [1, 5, 0]), (2, "end", [3], np.int32, [3, 0, 0]),
             (3, "strides", [3], np.int32, [1, -2, 1])]), [(4, 6, 3)])
_add("strided_slice-s16-1", 9531,
     _model("STRIDED_SLICE", [("input", (3, 4, 5))], [(4, 3)],
            _opts("StridedSliceOptionsT", beginMask=0, endMask=0, shrinkAxisMask=1),
            [(1, "begin", [3], np.int32, [1, 0, 0]), (2, "end", [3], np.int32, [2, 4, 5]),
             (3, "strides", [3], np.int32, [1, 1, 2])]), [(3, 4, 5)])

# ---------------------------------------------------------------------------- RESHAPE, SQUEEZE
_add("reshape-s16", 9540,
     _model("RESHAPE", [("input", (2, 3, 4))], [(4, 6)], _opts("ReshapeOptionsT", newShape=[4, 6]),
            [(1, "shape", [2], np.int32, [4, 6])]), [(2, 3, 4)])
_add("squeeze-s16", 9541,
     _model("SQUEEZE", [("input", (1, 3, 1, 4))], [(3, 4)], _opts("SqueezeOptionsT", squeezeDims=[0, 2])),
     [(1, 3, 1, 4)])

# ---------------------------------------------------------------------------- BROADCAST_TO
# new leading dims; five alternating runs (the most the kernel folds)
for _k, (_s, _o) in enumerate([((3,), (2, 4, 3)), ((1, 3, 1, 2, 1), (2, 3, 4, 2, 3))]):
    _add("broadcast_to-s16-%d" % _k, 9550 + _k,
         _model("BROADCAST_TO", [("input", _s)], [_o], schema.BroadcastToOptionsT(),
                [(1, "shape", [len(_o)], np.int32, _o)]), [_s])

# ---------------------------------------------------------------------------- PAD, PADV2 with a zero point
# TFLite Micro pads int16 with 0 whatever the output zero point is (int8 pads with the zero point)
_add("pad-s16-zero-point", 9560,
     _model("PAD", [("input", (2, 3))], [(3, 6)], schema.PadOptionsT(),
            [(1, "paddings", [2, 2], np.int32, [[1, 0], [1, 2]])], q=(0.001, 7)), [(2, 3)])
_add("padv2-s16-min", 9561,
     _model("PADV2", [("input", (1, 2, 2, 3))], [(1, 4, 3, 3)], schema.PadV2OptionsT(),
            [(1, "paddings", [4, 2], np.int32, [[0, 0], [1, 1], [0, 1], [0, 0]]),
             (2, "constant_values", [], np.int16, -32768)]), [(1, 2, 2, 3)])

# ---------------------------------------------------------------------------- SHAPE
# the int32 shape of a 16x8 activation (the input's data is never read)
_add("shape-s16", 9570, unary_model("SHAPE", (1, 4, 1, 3), np.int16, [4], np.int32), [(1, 4, 1, 3)])
