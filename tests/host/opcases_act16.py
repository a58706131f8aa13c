"""Generated-model cases of the int16 activations, pools and SOFTMAX (ops_act16.py; see
opcases.py): (id, .tflite bytes, [inputs]), each checked against live TFLite Micro on the numpy
backend and on every test board. Inputs start with the corners -32768, 32767, 0, 1, -1."""

import numpy as np

from host_tools.check import modelgen
from host_tools.check.modelgen import ModelBuilder, schema

CASES = []
_CORNERS = (-32768, 32767, 0, 1, -1, -2, 2, 16384, -16384)


def _input(seed, shape, lo=-32768, hi=32767):
    rng = np.random.default_rng(seed)
    x = rng.integers(lo, hi + 1, size=shape).astype(np.int16)
    flat = x.reshape(-1)
    k = min(len(_CORNERS), flat.size)
    flat[:k] = np.clip(np.array(_CORNERS[:k]), lo, hi)
    return x


def unary_model(op, shape, qin, qout, options=None, version=1):
    b = ModelBuilder("micronn opcases %s int16" % op.lower())
    x = b.add_input("input", shape, np.int16, *qin)
    y = b.add_output("output", shape, np.int16, *qout)
    b.add_operator(op, [x], [y], options, version=version)
    return b.finish()


def _add(name, seed, model, shape, **kw):
    CASES.append((name, model, [_input(seed, shape, **kw)]))


# ---------------------------------------------------------------------------- LOGISTIC, TANH
# power-of-two input scales (TFLM's multiplier-0 path: 2^-12 for both, 2^-11 for TANH only) and
# the general path: scales just off a power of two, tiny (large left shifts), large (2^-5 x 1.3)
_OUT15 = (2.0 ** -15, 0)
_SIGMOID = [(2.0 ** -12, (1, 37)), (2.0 ** -11, (2, 3, 5)), (0.0003, (4, 19)), (2.0 ** -12 * 1.01, (64,)),
            (1e-6, (3, 7)), (2.0 ** -5 * 1.3, (1, 2, 2, 9)), (1.0 / 3000, (300,))]
for _op, _seed in (("LOGISTIC", 11000), ("TANH", 11100)):
    for _k, (_s, _shape) in enumerate(_SIGMOID):
        _add("%s-s16-%d" % (_op.lower(), _k), _seed + _k, unary_model(_op, _shape, (_s, 0), _OUT15), _shape)


# ---------------------------------------------------------------------------- RELU, RELU6
# RELU: output / input scale ratios 1, 0.37, 3.1 (saturating), 1e-4; RELU6: 6 / scale past int16
# (the upper bound saturates), inside it, and a non-zero zero point (TFLM allows it for RELU6)
for _k, ((_si, _so), _shape) in enumerate([((0.001, 0.001), (1, 37)), ((0.001, 0.0027), (2, 3, 5)),
                                           ((0.01, 0.0032), (4, 19)), ((1e-5, 0.1), (64,))]):
    _add("relu-s16-%d" % _k, 11200 + _k, unary_model("RELU", _shape, (_si, 0), (_so, 0)), _shape)
for _k, ((_s, _zp), _shape) in enumerate([((1e-4, 0), (1, 37)), ((0.001, 0), (2, 3, 5)),
                                          ((6.0 / 32767, 0), (4, 19)), ((0.0005, -300), (64,))]):
    _add("relu6-s16-%d" % _k, 11300 + _k, unary_model("RELU6", _shape, (_s, _zp), (_s, _zp)), _shape)


# ---------------------------------------------------------------------------- LEAKY_RELU
def leaky_options(alpha):
    o = schema.LeakyReluOptionsT()
    o.alpha = float(alpha)
    return o


# alpha 0, < 1, > 1 and negative (TFLM negates the product of |alpha|'s multiplier); zero points off 0
for _k, (_alpha, _qi, _qo, _shape) in enumerate([
        (0.2, (0.001, 0), (0.001, 0), (1, 37)), (0.01, (0.0007, 0), (0.0011, 0), (2, 3, 5)),
        (1.5, (0.002, 0), (0.0009, 0), (4, 19)), (0.3, (0.001, 100), (0.002, -2000), (64,)),
        (0.0, (0.003, 0), (0.003, 0), (3, 7)), (-0.3, (0.001, 0), (0.0013, 0), (1, 37)),
        (-1.7, (0.0005, -40), (0.0011, 25), (2, 3, 5))]):
    _add("leaky_relu-s16-%d" % _k, 11400 + _k, unary_model("LEAKY_RELU", _shape, _qi, _qo, leaky_options(_alpha)), _shape)


# ---------------------------------------------------------------------------- PRELU (int8 alpha)
def prelu_model(shape, alpha_shape, qin, qa, qout, alpha):
    b = ModelBuilder("micronn opcases prelu int16")
    x = b.add_input("input", shape, np.int16, *qin)
    a = b.add_tensor("alpha", alpha_shape, np.int8, *qa, data=alpha)
    y = b.add_output("output", np.broadcast_shapes(tuple(shape), tuple(alpha_shape)), np.int16, *qout)
    b.add_operator("PRELU", [x, a], [y])
    return b.finish()


# alpha broadcast along the channels, along a middle axis, a scalar, and of the full shape;
# alpha zero points -128 and 127; input and output zero points off 0
for _k, (_shape, _ashape, _qi, _qa, _qo) in enumerate([
        ((1, 4, 4, 8), (8,), (0.001, 0), (0.01, 0), (0.001, 0)),
        ((2, 3, 5), (3, 1), (0.0005, 0), (0.004, -128), (0.0009, 0)),
        ((4, 19), (1,), (0.002, 7), (0.02, 127), (0.0015, -11)),
        ((2, 1, 3, 5), (2, 1, 3, 5), (0.001, 0), (0.005, 3), (0.0021, 0))]):
    _rng = np.random.default_rng(11500 + _k)
    _alpha = _rng.integers(-128, 128, size=_ashape).astype(np.int8)
    _add("prelu-s16-%d" % _k, 11500 + _k, prelu_model(_shape, _ashape, _qi, _qa, _qo, _alpha), _shape)


# ---------------------------------------------------------------------------- pools
def pool_model(op, shape, k, stride, padding, activation="NONE", q=(0.001, 0)):
    b = ModelBuilder("micronn opcases %s int16" % op.lower())
    n, h, w, c = shape
    if padding == "SAME":
        oh, ow = -(-h // stride[0]), -(-w // stride[1])
    else:
        oh, ow = (h - k[0]) // stride[0] + 1, (w - k[1]) // stride[1] + 1
    x = b.add_input("input", shape, np.int16, *q)
    y = b.add_output("output", (n, oh, ow, c), np.int16, *q)
    opts = schema.Pool2DOptionsT()
    opts.padding = schema.Padding.SAME if padding == "SAME" else schema.Padding.VALID
    opts.strideH, opts.strideW = stride
    opts.filterHeight, opts.filterWidth = k
    opts.fusedActivationFunction = modelgen.activation_code(activation)
    b.add_operator(op, [x], [y], opts)
    return b.finish()


# SAME windows cut by the edges, strides > window, a window larger than the input (SAME),
# VALID over the whole input, every fused activation, odd channels, batches
_POOLS = [((1, 8, 8, 3), (2, 2), (2, 2), "VALID", "NONE", (0.001, 0)),
          ((2, 7, 5, 5), (3, 3), (2, 2), "SAME", "RELU", (0.001, 0)),
          ((1, 9, 6, 17), (3, 2), (1, 2), "SAME", "RELU_N1_TO_1", (1.0 / 16384, 0)),
          ((1, 5, 5, 1), (5, 5), (1, 1), "VALID", "RELU6", (0.0005, 0)),
          ((3, 4, 11, 2), (1, 4), (3, 3), "SAME", "NONE", (0.002, 0)),
          ((1, 3, 4, 6), (5, 6), (1, 1), "SAME", "NONE", (0.001, 0)),
          ((1, 6, 6, 4), (2, 3), (3, 1), "VALID", "RELU", (0.01, 5))]
for _op, _seed in (("AVERAGE_POOL_2D", 11600), ("MAX_POOL_2D", 11700)):
    for _k, (_s, _w, _st, _pad, _act, _q) in enumerate(_POOLS):
        _add("%s-s16-%d" % (_op.lower(), _k), _seed + _k, pool_model(_op, _s, _w, _st, _pad, _act, _q), _s)
# a window of -32768s and one of 32767s (the sums' extremes)
_x = np.full((1, 4, 4, 2), -32768, np.int16)
_x[0, 2:, :, 1] = 32767
for _op in ("AVERAGE_POOL_2D", "MAX_POOL_2D"):
    CASES.append(("%s-s16-extremes" % _op.lower(), pool_model(_op, (1, 4, 4, 2), (4, 4), (1, 1), "VALID"), [_x]))


# ---------------------------------------------------------------------------- SOFTMAX int16 -> int16
def softmax_model(shape, scale, beta):
    o = schema.SoftmaxOptionsT()
    o.beta = float(beta)
    return unary_model("SOFTMAX", shape, (scale, 0), (1.0 / 32768, 0), o)


# depths 1, 5, 300; beta 1, 0.5, 2.7; input scales where the differences span the exp table's
# [-10, 0] (and beyond: saturated to exp(-10)), a narrow input range, rows of equal values
_SOFTMAX = [((1, 5), 0.001, 1.0, None), ((3, 1), 0.001, 1.0, None), ((2, 300), 0.0003, 1.0, (-3000, 3000)),
            ((4, 5), 1.0 / 4096, 0.5, None), ((2, 3, 5), 0.00005, 2.7, None), ((1, 300), 0.002, 1.0, (-500, 500)),
            ((6, 16), 0.0001, 1.0, (-2000, 2000)), ((2, 7), 0.00003, 1.0, None)]
for _k, (_shape, _s, _beta, _range) in enumerate(_SOFTMAX):
    _lo, _hi = _range or (-32768, 32767)
    _x = _input(11800 + _k, _shape, _lo, _hi)
    if _k == 6:
        _x[1] = 77  # a row of equal values
    CASES.append(("softmax-s16-%d" % _k, softmax_model(_shape, _s, _beta), [_x]))


# ---------------------------------------------------------------------------- a chain
def chain_model():
    """AVERAGE_POOL_2D -> LEAKY_RELU -> TANH -> SOFTMAX, all int16: the elementwise ones may take
    their input's bytes (in place) in the arena plan."""
    b = ModelBuilder("micronn opcases int16 chain")
    x = b.add_input("input", (1, 6, 6, 5), np.int16, 0.001, 0)
    a = b.add_tensor("pooled", (1, 3, 3, 5), np.int16, 0.001, 0)
    r = b.add_tensor("leaky", (1, 3, 3, 5), np.int16, 0.0008, 0)
    t = b.add_tensor("tanh", (1, 3, 3, 5), np.int16, 2.0 ** -15, 0)
    y = b.add_output("output", (1, 3, 3, 5), np.int16, 1.0 / 32768, 0)
    o = schema.Pool2DOptionsT()
    o.padding, o.strideH, o.strideW, o.filterHeight, o.filterWidth = schema.Padding.SAME, 2, 2, 3, 3
    b.add_operator("AVERAGE_POOL_2D", [x], [a], o)
    b.add_operator("LEAKY_RELU", [a], [r], leaky_options(0.2))
    b.add_operator("TANH", [r], [t])
    s = schema.SoftmaxOptionsT()
    s.beta = 1.0
    b.add_operator("SOFTMAX", [t], [y], s)
    return b.finish()


CASES.append(("chain-s16", chain_model(), [_input(11900, (1, 6, 6, 5))]))
