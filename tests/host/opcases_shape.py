"""Generated-model cases of the SHAPE area's ops (see opcases.py): (id, .tflite bytes,
[inputs]), each checked against live TFLite Micro on the numpy backend and on every test board.

All of them are copy_nd (ops_shape.py): the cases pick the walks' corners (merged and unmerged
dims, innermost steps of 1 and not, borders on the innermost and outer dims, ranks 1 to 5/6) in
every type TFLite Micro runs the op on."""

import numpy as np

from host_tools.check import modelgen
from host_tools.check.modelgen import ModelBuilder, schema

CASES = []

# (dtype, quantization (scale, zero point) or None)
_TYPES = {"f32": (np.float32, None), "s8": (np.int8, (0.05, -3)), "s16": (np.int16, (0.01, 0)),
          "s32": (np.int32, None), "s64": (np.int64, None), "u8": (np.uint8, (0.1, 128)),
          "bool": (np.bool_, None)}


def _input(rng, shape, dtype):
    if np.dtype(dtype) == np.bool_:
        return rng.random(size=shape) < 0.5
    return modelgen.random_input(rng, shape, dtype)


def _model(op, ins, out_shape, tname, opts=None, consts=(), out_q=None, version=1, in_q=None):
    """One `op` on graph input(s) `ins` [(name, shape)] and constant inputs `consts`
    [(position, name, shape, numpy dtype, values, quantization)]."""
    dtype, q = _TYPES[tname]
    b = ModelBuilder("micronn opcases " + op.lower())
    iq = in_q if in_q is not None else q
    tensors = [b.add_input(nm, shp, dtype, *(iq or (None, None))) for nm, shp in ins]
    for pos, nm, shp, dt, vals, cq in consts:
        tensors.insert(pos, b.add_tensor(nm, shp, dt, *(cq or (None, None)), data=np.asarray(vals, dt)))
    oq = out_q if out_q is not None else q
    y = b.add_output("output", out_shape, dtype, *(oq or (None, None)))
    b.add_operator(op, tensors, [y], opts, version=version)
    return b.finish()


def _add(name, seed, model, shapes, tname):
    rng = np.random.default_rng(seed)
    CASES.append((name, model, [_input(rng, s, _TYPES[tname][0]) for s in shapes]))


# ---------------------------------------------------------------------------- TRANSPOSE
# (shape, perm): identity, NCHW -> NHWC (MobileNetV2's input), innermost dim kept (row copies),
# rank 1 to 5, size-1 dims, a reversal of all dims
TRANSPOSES = [
    ((7,), [0]),
    ((3, 5), [1, 0]),
    ((1, 3, 6, 5), [0, 2, 3, 1]),
    ((2, 4, 3, 5), [0, 3, 1, 2]),
    ((2, 3, 4), [1, 0, 2]),
    ((2, 3, 1, 4, 5), [4, 2, 0, 3, 1]),
    ((2, 1, 3, 2, 3), [1, 0, 2, 3, 4]),
    ((3, 2, 4, 2), [3, 2, 1, 0]),
]
for _k, (_s, _p) in enumerate(TRANSPOSES):
    _out = [_s[a] for a in _p]
    for _t in ("f32", "s8", "s16"):
        _add("transpose-%s-%d" % (_t, _k), 5000 + _k,
             _model("TRANSPOSE", [("input", _s)], _out, _t, schema.TransposeOptionsT(),
                    [(1, "perm", [len(_p)], np.int32, _p, None)]), [_s], _t)
# int8 in and out quantized differently: TFLite Micro copies the bytes (it checks no quantization)
_add("transpose-s8-requant", 5050,
     _model("TRANSPOSE", [("input", (2, 3, 4))], [4, 2, 3], "s8", schema.TransposeOptionsT(),
            [(1, "perm", [3], np.int32, [2, 0, 1], None)], out_q=(0.2, 7)), [(2, 3, 4)], "s8")


# ---------------------------------------------------------------------------- PAD, PADV2
# (shape, paddings): every dim, only the innermost, only outer dims (image style), rank 1 to 5,
# zero paddings, one-element inputs
PADS = [
    ((5,), [[2, 3]]),
    ((3, 4), [[1, 0], [0, 2]]),
    ((1, 5, 6, 3), [[0, 0], [1, 1], [2, 1], [0, 0]]),
    ((2, 3, 3, 5), [[1, 0], [0, 2], [1, 1], [3, 1]]),
    ((1, 1, 1, 1), [[0, 0], [0, 0], [0, 0], [0, 0]]),
    ((1, 1), [[2, 2], [1, 3]]),
    ((2, 2, 3, 2, 3), [[1, 1], [0, 1], [2, 0], [0, 0], [1, 2]]),
    ((1, 7, 7, 4), [[0, 0], [0, 1], [0, 1], [0, 0]]),
]
_PAD_ZP = {"f32": None, "s8": (0.05, -128), "s16": (0.01, 0), "s32": None}
for _k, (_s, _p) in enumerate(PADS):
    _out = [d + a + b for d, (a, b) in zip(_s, _p)]
    for _t in ("f32", "s8", "s16", "s32"):
        # PAD: int8 pads with the output zero point (-128, 127, 5 in turn)
        _q = None if _t != "s8" else (0.05, (-128, 127, 5)[_k % 3])
        _add("pad-%s-%d" % (_t, _k), 5100 + _k,
             _model("PAD", [("input", _s)], _out, _t, schema.PadOptionsT(),
                    [(1, "paddings", [len(_s), 2], np.int32, _p, None)], out_q=_q), [_s], _t)
        dt, q = _TYPES[_t]
        cv = {"f32": -1.5, "s8": 77, "s16": -300, "s32": 123456789}[_t]
        _add("padv2-%s-%d" % (_t, _k), 5200 + _k,
             _model("PADV2", [("input", _s)], _out, _t, schema.PadV2OptionsT(),
                    [(1, "paddings", [len(_s), 2], np.int32, _p, None),
                     (2, "constant_values", [], dt, cv, q)]), [_s], _t)
# int8 PAD whose input and output quantization differ (TFLite Micro copies bytes and pads with
# the output zero point)
_add("pad-s8-requant", 5151,
     _model("PAD", [("input", (2, 3))], [3, 6], "s8", schema.PadOptionsT(),
            [(1, "paddings", [2, 2], np.int32, [[1, 0], [1, 2]], None)], out_q=(0.3, 40)), [(2, 3)], "s8")


def _multi(op, ins, outs, tname, opts=None, consts=(), version=1):
    """One `op` with graph inputs `ins` [(name, shape)], constants `consts` [(position, name, shape,
    dtype, values)] and outputs `outs` [shape]."""
    dtype, q = _TYPES[tname]
    b = ModelBuilder("micronn opcases " + op.lower())
    tensors = [b.add_input(nm, shp, dtype, *(q or (None, None))) for nm, shp in ins]
    for pos, nm, shp, dt, vals in consts:
        tensors.insert(pos, b.add_tensor(nm, shp, dt, data=np.asarray(vals, dt)))
    ys = [b.add_output("output%d" % k, s, dtype, *(q or (None, None))) for k, s in enumerate(outs)]
    b.add_operator(op, tensors, ys, opts, version=version)
    return b.finish()


# ---------------------------------------------------------------------------- SLICE
# (shape, begin, size): a size -1 (to the end), inner rows (memcpy), a single element, rank 1 to 5
SLICES = [
    ((9,), [2], [5]),
    ((4, 6), [1, 2], [2, -1]),
    ((2, 5, 4, 3), [1, 1, 0, 0], [1, 3, 4, 3]),
    ((3, 4, 5), [0, 1, 2], [3, 2, 2]),
    ((2, 3, 2, 4, 3), [1, 0, 1, 1, 1], [1, 3, 1, 2, 1]),
    ((5, 5), [4, 4], [1, 1]),
]
for _k, (_s, _b, _z) in enumerate(SLICES):
    _out = [d - b if z == -1 else z for d, b, z in zip(_s, _b, _z)]
    for _t in ("f32", "s8", "s16", "s32", "bool"):
        _bd = np.int64 if _k == 2 else np.int32  # int64 begin/size too
        _add("slice-%s-%d" % (_t, _k), 5300 + _k,
             _model("SLICE", [("input", _s)], _out, _t, schema.SliceOptionsT(),
                    [(1, "begin", [len(_s)], _bd, _b, None), (2, "size", [len(_s)], _bd, _z, None)]), [_s], _t)


# ---------------------------------------------------------------------------- SPLIT, SPLIT_V, UNPACK
# (shape, axis, parts): the first, middle and last axis, a negative axis, one part
SPLITS = [((6,), 0, 3), ((4, 6), 1, 2), ((2, 6, 3), -2, 3), ((4, 3, 2, 5), 0, 4), ((1, 2, 3, 4), 3, 1)]
for _k, (_s, _a, _n) in enumerate(SPLITS):
    _ax = _a + len(_s) if _a < 0 else _a
    _o = list(_s)
    _o[_ax] //= _n
    _opts = schema.SplitOptionsT()
    _opts.numSplits = _n
    for _t in ("f32", "s8", "s16", "s32"):
        _add("split-%s-%d" % (_t, _k), 5400 + _k,
             _multi("SPLIT", [("input", _s)], [_o] * _n, _t, _opts, [(0, "axis", [], np.int32, _a)]), [_s], _t)

# (shape, axis, size_splits): a -1 (the rest) in size_splits, parts of 1, the last axis
SPLIT_VS = [((7,), 0, [2, 4, 1]), ((3, 8), 1, [5, -1]), ((4, 3, 5), -3, [1, 1, 2]), ((2, 3, 2, 7), 3, [3, 3, 1])]
for _k, (_s, _a, _z) in enumerate(SPLIT_VS):
    _ax = _a + len(_s) if _a < 0 else _a
    _sz = [v if v >= 0 else _s[_ax] - sum(x for x in _z if x >= 0) for v in _z]
    _outs = [[v if i == _ax else d for i, d in enumerate(_s)] for v in _sz]
    _opts = schema.SplitVOptionsT()
    _opts.numSplits = len(_z)
    for _t in ("f32", "s8", "s16", "s32"):
        _add("split_v-%s-%d" % (_t, _k), 5500 + _k,
             _multi("SPLIT_V", [("input", _s)], _outs, _t, _opts,
                    [(1, "size_splits", [len(_z)], np.int32, _z), (2, "axis", [], np.int32, _a)]), [_s], _t)

# (shape, axis)
UNPACKS = [((3,), 0), ((2, 5), 1), ((3, 2, 4), 0), ((2, 3, 4, 2), -2), ((1, 4, 3), 2)]
for _k, (_s, _a) in enumerate(UNPACKS):
    _ax = _a + len(_s) if _a < 0 else _a
    _o = [d for i, d in enumerate(_s) if i != _ax]
    _opts = schema.UnpackOptionsT()
    _opts.num, _opts.axis = _s[_ax], _a
    for _t in ("f32", "s8", "s16", "s32"):
        _add("unpack-%s-%d" % (_t, _k), 5600 + _k,
             _multi("UNPACK", [("input", _s)], [_o] * _s[_ax], _t, _opts), [_s], _t)


# ---------------------------------------------------------------------------- PACK
# (input shape, inputs, axis): before the first dim, in the middle, after the last, negative
PACKS = [((3,), 2, 0), ((2, 3), 3, 1), ((2, 3), 2, -1), ((2, 1, 4), 4, 0), ((3, 2, 2), 1, 2)]
for _k, (_s, _n, _a) in enumerate(PACKS):
    _ax = _a + len(_s) + 1 if _a < 0 else _a
    _o = list(_s[:_ax]) + [_n] + list(_s[_ax:])
    _opts = schema.PackOptionsT()
    _opts.valuesCount, _opts.axis = _n, _a
    for _t in ("f32", "s8", "s16", "s32", "s64"):
        _add("pack-%s-%d" % (_t, _k), 5700 + _k,
             _model("PACK", [("input%d" % i, _s) for i in range(_n)], _o, _t, _opts), [_s] * _n, _t)


# ---------------------------------------------------------------------------- REVERSE_V2
# (shape, axes): the innermost axis (element steps of -1), outer axes (row copies), every axis,
# negative axes, a run of two, rank 1 to 6
REVERSES = [((7,), [0]), ((3, 5), [1]), ((3, 5), [0]), ((2, 3, 4), [-1, -2]), ((2, 3, 4, 5), [1, 2]),
            ((2, 3, 4), [0, 1, 2]), ((2, 1, 3, 2, 2, 3), [3])]
for _k, (_s, _a) in enumerate(REVERSES):
    for _t in ("f32", "s8", "u8", "s16", "s32", "s64", "bool"):
        _add("reverse_v2-%s-%d" % (_t, _k), 5800 + _k,
             _model("REVERSE_V2", [("input", _s)], _s, _t, schema.ReverseV2OptionsT(),
                    [(1, "axis", [len(_a)], np.int32, _a, None)]), [_s], _t)


# ---------------------------------------------------------------------------- MIRROR_PAD
# (shape, paddings): REFLECT up to d - 1 and SYMMETRIC up to d, on the innermost dim (element
# walks), outer dims (row copies) and both, rank 1 to 5, int64 paddings
MIRRORS = [
    ((5,), [[2, 4]]),
    ((3, 4), [[2, 1], [3, 0]]),
    ((1, 4, 5, 3), [[0, 0], [1, 3], [2, 2], [0, 0]]),
    ((2, 3, 3, 2), [[1, 0], [2, 1], [0, 2], [1, 1]]),
    ((2, 2, 3, 2, 4), [[1, 1], [0, 1], [2, 1], [1, 0], [3, 2]]),
]
for _k, (_s, _p) in enumerate(MIRRORS):
    for _mode, _mn in ((schema.MirrorPadMode.REFLECT, "reflect"), (schema.MirrorPadMode.SYMMETRIC, "symmetric")):
        _pp = [[min(a, d - 1), min(b, d - 1)] for d, (a, b) in zip(_s, _p)] if _mn == "reflect" else _p
        _out = [d + a + b for d, (a, b) in zip(_s, _pp)]
        _opts = schema.MirrorPadOptionsT()
        _opts.mode = _mode
        for _t in ("f32", "s8"):
            _add("mirror_pad-%s-%s-%d" % (_mn, _t, _k), 5900 + _k,
                 _model("MIRROR_PAD", [("input", _s)], _out, _t, _opts,
                        [(1, "paddings", [len(_s), 2], np.int64 if _k == 3 else np.int32, _pp, None)]), [_s], _t)


# ---------------------------------------------------------------------------- DEPTH_TO_SPACE, SPACE_TO_DEPTH
# (shape, block): block 1 (a copy), 2 and 3, channels per block 1 and more, batches
for _k, (_s, _bs) in enumerate([((1, 2, 3, 4), 2), ((2, 3, 2, 18), 3), ((1, 2, 2, 8), 2), ((1, 3, 3, 5), 1)]):
    _o = [_s[0], _s[1] * _bs, _s[2] * _bs, _s[3] // (_bs * _bs)]
    _opts = schema.DepthToSpaceOptionsT()
    _opts.blockSize = _bs
    for _t in ("f32", "s8"):
        _add("depth_to_space-%s-%d" % (_t, _k), 6000 + _k,
             _model("DEPTH_TO_SPACE", [("input", _s)], _o, _t, _opts), [_s], _t)
for _k, (_s, _bs) in enumerate([((1, 4, 6, 3), 2), ((2, 6, 3, 2), 3), ((1, 2, 2, 1), 2), ((1, 3, 3, 5), 1)]):
    _o = [_s[0], _s[1] // _bs, _s[2] // _bs, _s[3] * _bs * _bs]
    _opts = schema.SpaceToDepthOptionsT()
    _opts.blockSize = _bs
    for _t in ("f32", "s8"):
        _add("space_to_depth-%s-%d" % (_t, _k), 6100 + _k,
             _model("SPACE_TO_DEPTH", [("input", _s)], _o, _t, _opts), [_s], _t)


# ---------------------------------------------------------------------------- SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND
# (shape, block, paddings): 4-D and 3-D, square blocks and not. Without padding: TFLite Micro pads
# with an uninitialized value (its params' output_offset); the padded cases are in
# test_shape_ops.py (checked against LiteRT, and against TFLM outside the padding).
S2B = [((1, 4, 4, 3), [2, 2], [[0, 0], [0, 0]]), ((2, 4, 6, 2), [2, 3], [[0, 0], [0, 0]]),
       ((1, 6, 2), [3], [[0, 0]]), ((1, 2, 4, 1), [1, 2], [[0, 0], [0, 0]]), ((2, 4, 3), [2], [[0, 0]])]
for _k, (_s, _b, _p) in enumerate(S2B):
    _sp = [d + a + b for d, (a, b) in zip(_s[1:-1], _p)]
    _o = [_s[0] * int(np.prod(_b))] + [d // b for d, b in zip(_sp, _b)] + [_s[-1]]
    for _t in ("f32", "s8"):
        _add("space_to_batch_nd-%s-%d" % (_t, _k), 6200 + _k,
             _model("SPACE_TO_BATCH_ND", [("input", _s)], _o, _t, schema.SpaceToBatchNDOptionsT(),
                    [(1, "block_shape", [len(_b)], np.int32, _b, None),
                     (2, "paddings", [len(_b), 2], np.int32, _p, None)]), [_s], _t)
# (input shape, block, crops)
B2S = [((4, 2, 2, 3), [2, 2], [[0, 0], [0, 0]]), ((12, 2, 3, 2), [2, 3], [[1, 0], [0, 2]]),
       ((3, 2, 2), [3], [[2, 1]]), ((4, 1, 3, 1), [1, 2], [[0, 0], [1, 2]]), ((4, 3, 3), [2], [[0, 0]])]
for _k, (_s, _b, _c) in enumerate(B2S):
    _sp = [d * b - c0 - c1 for d, b, (c0, c1) in zip(_s[1:-1], _b, _c)]
    _o = [_s[0] // int(np.prod(_b))] + _sp + [_s[-1]]
    for _t in ("f32", "s8"):
        _add("batch_to_space_nd-%s-%d" % (_t, _k), 6300 + _k,
             _model("BATCH_TO_SPACE_ND", [("input", _s)], _o, _t, schema.BatchToSpaceNDOptionsT(),
                    [(1, "block_shape", [len(_b)], np.int32, _b, None),
                     (2, "crops", [len(_b), 2], np.int32, _c, None)]), [_s], _t)
