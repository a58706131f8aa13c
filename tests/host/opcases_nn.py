"""Generated-model cases of the NN area's ops (see opcases.py): (id, .tflite bytes,
[inputs]), each checked against live TFLite Micro on the numpy backend and on every test board."""

import numpy as np

from host_tools.check import modelgen
from host_tools.check.modelgen import ModelBuilder, schema

CASES = []


def _out_shape(shape, axes, keep):
    rank = len(shape)
    red = {a + rank if a < 0 else a for a in axes}
    if keep:
        return [1 if a in red else d for a, d in enumerate(shape)]
    return [d for a, d in enumerate(shape) if a not in red]


def reduce_model(op, shape, axes, keep, dtype, qin=None, qout=None, axis_shape=None):
    """A single `op` (MEAN, SUM, REDUCE_MAX, ...) over constant int32 `axes`."""
    b = ModelBuilder("micronn opcases " + op.lower())
    qin, qout = qin or (None, None), qout or (None, None)
    x = b.add_input("input", shape, dtype, *qin)
    ax = b.add_tensor("axis", axis_shape if axis_shape is not None else [len(axes)], np.int32,
                      data=np.array(axes, np.int32))
    y = b.add_output("output", _out_shape(shape, axes, keep), dtype, *qout)
    opts = schema.ReducerOptionsT()
    opts.keepDims = bool(keep)
    b.add_operator(op, [x, ax], [y], opts)
    return b.finish()


def _input(rng, shape, dtype):
    if dtype == np.bool_:
        # mostly true, so ALL is not always false
        return rng.random(size=shape) < 0.9
    return modelgen.random_input(rng, shape, dtype)


def _add(name, seed, op, shape, axes, keep, dtype, qin=None, qout=None, axis_shape=None):
    rng = np.random.default_rng(seed)
    CASES.append((name, reduce_model(op, shape, axes, keep, dtype, qin, qout, axis_shape),
                  [_input(rng, shape, dtype)]))


# (shape, axes, keepdims): negative and repeated axes, non-adjacent axes, size-1 dims, all axes,
# mean over H, W of 4-D with keepdims (global average pooling) and without.
SHAPES = [
    ((1, 7, 5, 3), [1, 2], True),
    ((2, 5, 3, 13), [2, 1], False),
    ((3, 4, 5), [-1], False),
    ((3, 4, 5), [0, -3], True),
    ((2, 3, 1, 5, 7), [0, 2, 4], False),
    ((6, 1, 9), [0, 1, 2], False),
    ((4, 9), [1, 0], True),
    ((1, 1, 1, 17), [3], True),
    ((2, 3, 4, 5), [1, 3], False),
    ((5,), [0], False),
]

# int8 MEAN/SUM quantizations: (input scale, zp), (output scale, zp)
_Q8_MEAN = [((0.02, 3), (0.02, 3)), ((0.05, -128), (0.011, 127)), ((0.003, 127), (0.09, -128)),
            ((1.7, -5), (0.0009, 10)), ((0.01, 0), (0.01, -7))]
_Q8_SUM = [((0.02, 3), (0.2, -3)), ((0.05, -128), (1.5, 127)), ((0.003, 127), (0.09, -128)),
           ((0.4, 0), (0.0101, 0)), ((0.01, -20), (0.3, 20))]

for _k, (_s, _a, _kd) in enumerate(SHAPES):
    _qi, _qo = _Q8_MEAN[_k % len(_Q8_MEAN)]
    _add("mean-s8-%d" % _k, 3000 + _k, "MEAN", _s, _a, _kd, np.int8, _qi, _qo)
    _qi, _qo = _Q8_SUM[_k % len(_Q8_SUM)]
    _add("sum-s8-%d" % _k, 3100 + _k, "SUM", _s, _a, _kd, np.int8, _qi, _qo)
    _q = ((0.05, (-128, 127, 4)[_k % 3]),) * 2
    _add("reduce_max-s8-%d" % _k, 3200 + _k, "REDUCE_MAX", _s, _a, _kd, np.int8, *_q)
    _add("reduce_min-s8-%d" % _k, 3300 + _k, "REDUCE_MIN", _s, _a, _kd, np.int8, *_q)
    for _op, _seed in (("MEAN", 3400), ("SUM", 3500), ("REDUCE_MAX", 3600), ("REDUCE_MIN", 3700)):
        _add("%s-f32-%d" % (_op.lower(), _k), _seed + _k, _op, _s, _a, _kd, np.float32)
    _add("reduce_all-bool-%d" % _k, 3800 + _k, "REDUCE_ALL", _s, _a, _kd, np.bool_)

# a scalar axis tensor; MobileNetV2's global average pooling shape (1x7x7x1280 -> 1x1280)
_add("mean-s8-scalar-axis", 3900, "MEAN", (3, 5, 6), [-2], False, np.int8, (0.02, 1), (0.015, -2), axis_shape=[])
_add("mean-f32-scalar-axis", 3901, "MEAN", (3, 5, 6), [1], True, np.float32, axis_shape=[])
_add("mean-s8-gap", 3902, "MEAN", (1, 7, 7, 1280), [1, 2], False, np.int8, (0.0235, -128), (0.0201, -128))
# MobileNetV2's own MEAN node (/work/shared/models/tflm/mobilenet_v2_quantized_1x3x224x224.tflite)
_MNV2_Q = (0.07054788619279861, -9)
_add("mean-s8-mobilenet_v2", 3904, "MEAN", (1, 7, 7, 1280), [1, 2], True, np.int8, _MNV2_Q, _MNV2_Q)
_add("sum-f32-long", 3903, "SUM", (3, 1001), [1], False, np.float32)


# ---------------------------------------------------------------------------- ARG_MAX / ARG_MIN
def arg_model(op, shape, axis, dtype, q=None, output_dtype=np.int32, axis_shape=(1,)):
    b = ModelBuilder("micronn opcases " + op.lower())
    x = b.add_input("input", shape, dtype, *(q or (None, None)))
    ax = b.add_tensor("axis", list(axis_shape), np.int32, data=np.array([axis], np.int32))
    a = axis + len(shape) if axis < 0 else axis
    y = b.add_output("output", [d for k, d in enumerate(shape) if k != a], output_dtype)
    opts = schema.ArgMaxOptionsT() if op == "ARG_MAX" else schema.ArgMinOptionsT()
    opts.outputType = modelgen.tensor_type(output_dtype)
    b.add_operator(op, [x, ax], [y], opts)
    return b.finish()


# (shape, axis): first, middle, last and negative axes, size-1 axes, long rows
ARGS = [((1, 10), -1), ((3, 7, 5), 1), ((4, 9), 0), ((2, 3, 4, 5), 3), ((2, 3, 4, 5), -3),
        ((5, 1, 3), 1), ((1, 1001), 1), ((6,), 0)]
for _k, (_s, _a) in enumerate(ARGS):
    for _op in ("ARG_MAX", "ARG_MIN"):
        _rng = np.random.default_rng(4000 + _k)
        # int8 from a narrow range: ties, where the first index wins
        _x8 = _rng.integers(-3 if _k % 2 else -128, 3 if _k % 2 else 128, size=_s).astype(np.int8)
        CASES.append(("%s-s8-%d" % (_op.lower(), _k), arg_model(_op, _s, _a, np.int8, (0.1, -5)), [_x8]))
        _xf = np.round(_rng.uniform(-4, 4, size=_s).astype(np.float32) * (1 if _k % 2 else 2)) / 2
        CASES.append(("%s-f32-%d" % (_op.lower(), _k), arg_model(_op, _s, _a, np.float32),
                      [_xf.astype(np.float32)]))


# ---------------------------------------------------------------------------- CUMSUM
def cumsum_model(shape, axis, exclusive, reverse, dtype, qin=None, qout=None):
    b = ModelBuilder("micronn opcases cumsum")
    x = b.add_input("input", shape, dtype, *(qin or (None, None)))
    ax = b.add_tensor("axis", [], np.int32, data=np.array(axis, np.int32))
    y = b.add_output("output", shape, dtype, *(qout or (None, None)))
    opts = schema.CumsumOptionsT()
    opts.exclusive, opts.reverse = bool(exclusive), bool(reverse)
    b.add_operator("CUMSUM", [x, ax], [y], opts)
    return b.finish()


# (shape, axis); each with every (exclusive, reverse); int8 output scales from 1x to 40x the input's
CUMSUMS = [((1, 10), -1), ((3, 7, 5), 1), ((4, 9), 0), ((2, 3, 4, 5), 3), ((5, 1, 3), 1), ((33,), 0),
           ((2, 3, 4, 5), -4)]
_Q_CUMSUM = [((0.02, 3), (0.3, -3)), ((0.05, -128), (0.05, 127)), ((0.01, 127), (0.4, -128)),
             ((0.1, 0), (0.9, 0))]
for _k, (_s, _a) in enumerate(CUMSUMS):
    for _e in (0, 1):
        for _r in (0, 1):
            _rng = np.random.default_rng(4100 + 4 * _k + 2 * _e + _r)
            _qi, _qo = _Q_CUMSUM[(_k + _e + _r) % len(_Q_CUMSUM)]
            _tag = "%d%s%s" % (_k, "-excl" if _e else "", "-rev" if _r else "")
            CASES.append(("cumsum-s8-" + _tag, cumsum_model(_s, _a, _e, _r, np.int8, _qi, _qo),
                          [modelgen.random_input(_rng, _s, np.int8)]))
            CASES.append(("cumsum-f32-" + _tag, cumsum_model(_s, _a, _e, _r, np.float32),
                          [modelgen.random_input(_rng, _s, np.float32)]))


# ---------------------------------------------------------------------------- L2_POOL_2D float32
def l2_pool_model(shape, k, stride, padding, activation="NONE"):
    b = ModelBuilder("micronn opcases l2_pool_2d")
    n, h, w, c = shape
    if padding == "SAME":
        oh, ow = -(-h // stride[0]), -(-w // stride[1])
    else:
        oh, ow = (h - k[0]) // stride[0] + 1, (w - k[1]) // stride[1] + 1
    x = b.add_input("input", shape, np.float32)
    y = b.add_output("output", (n, oh, ow, c), np.float32)
    opts = schema.Pool2DOptionsT()
    opts.padding = schema.Padding.SAME if padding == "SAME" else schema.Padding.VALID
    opts.strideH, opts.strideW = stride
    opts.filterHeight, opts.filterWidth = k
    opts.fusedActivationFunction = modelgen.activation_code(activation)
    b.add_operator("L2_POOL_2D", [x], [y], opts)
    return b.finish()


# (shape, window, stride, padding, activation): SAME windows cut by the edges, odd channels
L2POOLS = [((1, 8, 8, 3), (2, 2), (2, 2), "VALID", "NONE"),
           ((2, 7, 5, 5), (3, 3), (2, 2), "SAME", "RELU"),
           ((1, 9, 6, 17), (3, 2), (1, 2), "SAME", "RELU_N1_TO_1"),
           ((1, 5, 5, 1), (5, 5), (1, 1), "VALID", "RELU6"),
           ((3, 4, 11, 2), (1, 4), (3, 3), "SAME", "NONE"),
           ((1, 6, 6, 4), (4, 4), (1, 1), "SAME", "RELU6")]
for _k, (_s, _w, _st, _pad, _act) in enumerate(L2POOLS):
    _rng = np.random.default_rng(4200 + _k)
    _x = modelgen.random_input(_rng, _s, np.float32) * (0.3 if _act in ("RELU_N1_TO_1", "RELU6") else 1)
    CASES.append(("l2_pool_2d-f32-%d" % _k, l2_pool_model(_s, _w, _st, _pad, _act), [_x.astype(np.float32)]))


# ---------------------------------------------------------------------------- L2_NORMALIZATION float32
def l2_norm_model(shape):
    b = ModelBuilder("micronn opcases l2_normalization")
    x = b.add_input("input", shape, np.float32)
    y = b.add_output("output", shape, np.float32)
    b.add_operator("L2_NORMALIZATION", [x], [y], schema.L2NormOptionsT())
    return b.finish()


for _k, _s in enumerate([(1, 10), (3, 7), (2, 3, 17), (1, 2, 2, 33), (5,), (4, 1)]):
    _rng = np.random.default_rng(4300 + _k)
    _x = modelgen.random_input(_rng, _s, np.float32)
    if _k == 5:
        _x[0, 0] = 0.0  # a zero row: the norm is clamped to 1e-6
        _x[1, 0] = 1e-7
    CASES.append(("l2_normalization-f32-%d" % _k, l2_norm_model(_s), [_x]))


# ---------------------------------------------------------------------------- L2_NORMALIZATION int8
def l2_norm_s8_model(shape, qin, qout=(1.0 / 128, 0)):
    b = ModelBuilder("micronn opcases l2_normalization int8")
    x = b.add_input("input", shape, np.int8, *qin)
    y = b.add_output("output", shape, np.int8, *qout)
    b.add_operator("L2_NORMALIZATION", [x], [y], schema.L2NormOptionsT())
    return b.finish()


# zero points -128, 127 and between; a row of zero-point values (sum 0: the multiplier INT32_MAX);
# long rows (sums past 2^22); TFLM ignores the output quantization (one case says 0.05, 3)
_L2S8 = [((1, 10), (0.05, 0)), ((3, 7), (0.02, -128)), ((2, 3, 17), (0.1, 127)), ((1, 2, 2, 33), (0.3, 5)),
         ((5,), (0.01, -3)), ((4, 1), (0.5, 0)), ((2, 1001), (0.02, -1)), ((3, 64), (0.05, 10))]
for _k, (_s, _q) in enumerate(_L2S8):
    _rng = np.random.default_rng(4400 + _k)
    _x = modelgen.random_input(_rng, _s, np.int8)
    if _k == 5:
        _x[0, 0] = 0  # zero point: acc 0
        _x[1, 0] = 1  # acc 1
    if _k == 1:
        _x[1, :] = -128  # a row at the zero point
    CASES.append(("l2_normalization-s8-%d" % _k,
                  l2_norm_s8_model(_s, _q, (0.05, 3) if _k == 3 else (1.0 / 128, 0)), [_x]))


# ---------------------------------------------------------------------------- LOG_SOFTMAX int8
def log_softmax_model(shape, dtype, qin=None):
    b = ModelBuilder("micronn opcases log_softmax")
    x = b.add_input("input", shape, dtype, *(qin or (None, None)))
    y = b.add_output("output", shape, dtype, *((16.0 / 256, 127) if qin else (None, None)))
    b.add_operator("LOG_SOFTMAX", [x], [y], schema.LogSoftmaxOptionsT())
    return b.finish()


# input scales from tiny (most differences past diff_min) to large; zero points; one row of 1000
# equal values (the sum of exps past 2^12 in Q12); rows of 4095 (the most the converter takes: the
# Q12 sum just below 2^31 when all are equal)
_LSM = [((1, 10), (0.1, 0)), ((3, 7), (0.02, -128)), ((2, 3, 17), (0.5, 127)), ((1, 2, 2, 33), (0.05, 5)),
        ((5,), (1.7, -3)), ((4, 1), (0.1, 0)), ((2, 1001), (0.03, -1)), ((6, 64), (0.25, 10)),
        ((2, 40), (0.004, 0)), ((3, 4095), (0.2, 0))]
for _k, (_s, _q) in enumerate(_LSM):
    _rng = np.random.default_rng(4500 + _k)
    _x = modelgen.random_input(_rng, _s, np.int8)
    if _k == 6:
        _x[0, :1000] = 17
    if _k == 9:
        _x[1, :] = 100
        _x[2, :] = _rng.integers(120, 128, size=_s[1])
    CASES.append(("log_softmax-s8-%d" % _k, log_softmax_model(_s, np.int8, _q), [_x]))


# ---------------------------------------------------------------------------- LOG_SOFTMAX float32
# rows of equal values, one huge value (the others' exps underflow to 0), -inf and a NaN-free
# wide range; long rows
for _k, _s in enumerate([(1, 10), (3, 7), (2, 3, 17), (5,), (4, 1), (2, 1001), (6, 64)]):
    _rng = np.random.default_rng(4600 + _k)
    _x = modelgen.random_input(_rng, _s, np.float32) * (1, 4, 30, 1, 1, 2, 10)[_k]
    if _k == 1:
        _x[0, :] = 1.5
        _x[1, 3] = 1e30
        _x[2, 0] = -np.inf
    CASES.append(("log_softmax-f32-%d" % _k, log_softmax_model(_s, np.float32), [_x.astype(np.float32)]))
