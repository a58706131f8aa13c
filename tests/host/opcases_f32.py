"""Generated-model cases of the NN area's float32 layers (ops_f32.py; see opcases.py): (id, .tflite bytes, [inputs]),
each checked against live TFLite Micro on the numpy backend and on every test board.

Values: negatives, zeros (+0.0 and -0.0), and a few large-magnitude cases whose sums overflow to
+inf (clamped to FLT_MAX by the activation range, as TFLM does); no NaN (its sign bit differs by FPU)."""

import numpy as np

from host_tools.check import modelgen
from host_tools.check.modelgen import ModelBuilder, schema

CASES = []

_PAD = {"SAME": schema.Padding.SAME, "VALID": schema.Padding.VALID}


def values(rng, shape, scale=4.0):
    """Uniform in [-scale, scale) with about one in eight values +0.0 or -0.0."""
    x = rng.uniform(-scale, scale, size=shape).astype(np.float32)
    z = rng.random(size=shape)
    x[z < 0.06] = 0.0
    x[(z >= 0.06) & (z < 0.12)] = -0.0
    return x


def _out_size(size, k, stride, dilation, padding):
    eff = (k - 1) * dilation + 1
    return -(-size // stride) if padding == "SAME" else (size - eff) // stride + 1


# ---------------------------------------------------------------------------- CONV_2D, DEPTHWISE_CONV_2D
def conv_model(op, shape, out_c, kernel, stride=(1, 1), dilation=(1, 1), padding="SAME", activation="NONE",
               weights=None, bias=None):
    """A float32 CONV_2D (weights [out_c, kh, kw, in_c]) or DEPTHWISE_CONV_2D (weights [1, kh, kw, out_c])."""
    n, h, w, c = shape
    oh = _out_size(h, kernel[0], stride[0], dilation[0], padding)
    ow = _out_size(w, kernel[1], stride[1], dilation[1], padding)
    b = ModelBuilder("micronn opcases " + op.lower() + " float32")
    x = b.add_input("input", shape, np.float32)
    wt = b.add_tensor("filter", weights.shape, np.float32, data=weights)
    ins = [x, wt]
    if bias is not None:
        ins.append(b.add_tensor("bias", (out_c,), np.float32, data=bias))
    elif op == "CONV_2D":
        ins.append(-1)  # an absent optional input (DEPTHWISE_CONV_2D: TFLM crashes on -1, so 2 inputs)
    y = b.add_output("output", (n, oh, ow, out_c), np.float32)
    if op == "CONV_2D":
        opts = schema.Conv2DOptionsT()
    else:
        opts = schema.DepthwiseConv2DOptionsT()
        opts.depthMultiplier = out_c // c
    opts.padding = _PAD[padding]
    opts.strideH, opts.strideW = stride
    opts.dilationHFactor, opts.dilationWFactor = dilation
    opts.fusedActivationFunction = modelgen.activation_code(activation)
    b.add_operator(op, ins, [y], opts, version=1)
    return b.finish()


def _conv_case(name, seed, op, shape, out_c, kernel, stride=(1, 1), dilation=(1, 1), padding="SAME",
               activation="NONE", bias=True, scale=4.0, wscale=1.0):
    rng = np.random.default_rng(seed)
    if op == "CONV_2D":
        w_shape = (out_c, kernel[0], kernel[1], shape[3])
    else:
        w_shape = (1, kernel[0], kernel[1], out_c)
    w = values(rng, w_shape, wscale)
    bv = values(rng, (out_c,), scale * wscale) if bias else None
    x = values(rng, shape, scale)
    CASES.append((name, conv_model(op, shape, out_c, kernel, stride, dilation, padding, activation, w, bv), [x]))


# (shape, out_c, kernel, stride, dilation, padding, activation, bias): 1x1 kernels, stride 2,
# dilation, SAME/VALID with padding at the borders, batch 2, odd sizes, kernels wider than the input
CONVS = [((1, 8, 8, 3), 4, (3, 3), (1, 1), (1, 1), "SAME", "NONE", True),
         ((2, 7, 5, 2), 3, (3, 3), (2, 2), (1, 1), "SAME", "RELU", True),
         ((1, 9, 9, 5), 2, (3, 3), (1, 1), (2, 2), "VALID", "RELU6", False),
         ((1, 6, 6, 8), 5, (1, 1), (1, 1), (1, 1), "VALID", "RELU_N1_TO_1", True),
         ((1, 5, 7, 3), 4, (5, 3), (2, 1), (1, 1), "SAME", "NONE", False),
         ((1, 4, 3, 17), 3, (2, 2), (1, 2), (2, 1), "SAME", "RELU", True)]
for _k, (_s, _oc, _kk, _st, _d, _pad, _act, _b) in enumerate(CONVS):
    _conv_case("conv_2d-f32-%d" % _k, 5000 + _k, "CONV_2D", _s, _oc, _kk, _st, _d, _pad, _act, _b)
# large magnitudes: products near 1e36, sums that overflow to +inf (RELU: -inf sums clamp to 0)
_conv_case("conv_2d-f32-large", 5010, "CONV_2D", (1, 4, 4, 6), 3, (3, 3), padding="SAME", activation="RELU",
           scale=3e18, wscale=3e18)

DWCONVS = [((1, 8, 8, 3), 1, (3, 3), (1, 1), (1, 1), "SAME", "NONE", True),
           ((2, 7, 6, 4), 2, (3, 3), (2, 2), (1, 1), "SAME", "RELU", True),
           ((1, 9, 9, 2), 3, (3, 3), (1, 1), (2, 2), "VALID", "RELU6", False),
           ((1, 5, 5, 8), 1, (1, 1), (1, 1), (1, 1), "VALID", "RELU_N1_TO_1", True),
           ((1, 6, 5, 3), 2, (5, 5), (1, 2), (1, 1), "SAME", "NONE", False),
           ((1, 7, 4, 5), 1, (2, 3), (2, 1), (3, 1), "SAME", "NONE", True)]
for _k, (_s, _m, _kk, _st, _d, _pad, _act, _b) in enumerate(DWCONVS):
    _conv_case("depthwise_conv_2d-f32-%d" % _k, 5100 + _k, "DEPTHWISE_CONV_2D", _s, _s[3] * _m, _kk, _st, _d,
               _pad, _act, _b)
_conv_case("depthwise_conv_2d-f32-large", 5110, "DEPTHWISE_CONV_2D", (1, 4, 4, 3), 6, (3, 3), activation="NONE",
           scale=1e19, wscale=1e19)


# ---------------------------------------------------------------------------- FULLY_CONNECTED
def fc_model(in_shape, out_shape, weights, bias=None, activation="NONE", keep_num_dims=False):
    b = ModelBuilder("micronn opcases fully_connected float32")
    x = b.add_input("input", in_shape, np.float32)
    wt = b.add_tensor("weights", weights.shape, np.float32, data=weights)
    bt = b.add_tensor("bias", (weights.shape[0],), np.float32, data=bias) if bias is not None else -1
    y = b.add_output("output", out_shape, np.float32)
    opts = schema.FullyConnectedOptionsT()
    opts.fusedActivationFunction = modelgen.activation_code(activation)
    opts.keepNumDims = bool(keep_num_dims)
    b.add_operator("FULLY_CONNECTED", [x, wt, bt], [y], opts, version=1)
    return b.finish()


# (input shape, output shape, activation, bias, keep_num_dims, value scale)
FCS = [((1, 16), (1, 8), "NONE", True, False, 4.0),
       ((3, 10), (3, 5), "RELU", False, False, 4.0),
       ((2, 3, 12), (2, 3, 7), "RELU6", True, True, 4.0),
       ((2, 3, 12), (6, 7), "NONE", True, False, 4.0),
       ((1, 1), (1, 1), "NONE", True, False, 4.0),
       ((1, 33), (1, 17), "RELU_N1_TO_1", True, False, 0.3),
       ((2, 9), (2, 4), "NONE", True, False, 1e19)]
for _k, (_si, _so, _act, _b, _keep, _sc) in enumerate(FCS):
    _rng = np.random.default_rng(5200 + _k)
    _w = values(_rng, (_so[-1], _si[-1]), 1.0 if _sc < 1e3 else _sc)
    _bv = values(_rng, (_so[-1],), _sc) if _b else None
    CASES.append(("fully_connected-f32-%d" % _k, fc_model(_si, _so, _w, _bv, _act, _keep), [values(_rng, _si, _sc)]))


# ---------------------------------------------------------------------------- AVERAGE_POOL_2D, MAX_POOL_2D
def pool_model(op, shape, k, stride, padding, activation="NONE"):
    n, h, w, c = shape
    oh, ow = _out_size(h, k[0], stride[0], 1, padding), _out_size(w, k[1], stride[1], 1, padding)
    b = ModelBuilder("micronn opcases " + op.lower() + " float32")
    x = b.add_input("input", shape, np.float32)
    y = b.add_output("output", (n, oh, ow, c), np.float32)
    opts = schema.Pool2DOptionsT()
    opts.padding = _PAD[padding]
    opts.strideH, opts.strideW = stride
    opts.filterHeight, opts.filterWidth = k
    opts.fusedActivationFunction = modelgen.activation_code(activation)
    b.add_operator(op, [x], [y], opts, version=1)
    return b.finish()


# (shape, window, stride, padding, activation, value scale): SAME windows cut by the edges, odd
# channels, a window as large as the input, sums that overflow to +inf
POOLS = [((1, 8, 8, 3), (2, 2), (2, 2), "VALID", "NONE", 4.0),
         ((2, 7, 5, 5), (3, 3), (2, 2), "SAME", "RELU", 4.0),
         ((1, 9, 6, 17), (3, 2), (1, 2), "SAME", "RELU_N1_TO_1", 1.5),
         ((1, 5, 5, 1), (5, 5), (1, 1), "VALID", "RELU6", 8.0),
         ((3, 4, 11, 2), (1, 4), (3, 3), "SAME", "NONE", 4.0),
         ((1, 4, 4, 2), (4, 4), (1, 1), "SAME", "NONE", 3e38)]
for _op in ("AVERAGE_POOL_2D", "MAX_POOL_2D"):
    for _k, (_s, _w, _st, _pad, _act, _sc) in enumerate(POOLS):
        _rng = np.random.default_rng(5300 + _k)
        CASES.append(("%s-f32-%d" % (_op.lower(), _k), pool_model(_op, _s, _w, _st, _pad, _act),
                      [values(_rng, _s, _sc)]))


# ---------------------------------------------------------------------------- activations, PRELU, SOFTMAX
def unary_model(op, shape, options=None):
    b = ModelBuilder("micronn opcases " + op.lower() + " float32")
    x = b.add_input("input", shape, np.float32)
    y = b.add_output("output", shape, np.float32)
    b.add_operator(op, [x], [y], options, version=1)
    return b.finish()


def act_values(rng, shape):
    """Values across every branch of the activations: both sides of 0 (+0.0, -0.0), of RELU6's 6,
    HARD_SWISH's -3 and 3, LOGISTIC's cutoffs -9 and 16.619047, the edges of expf's range,
    large magnitudes, and expm1f's / tanhf's branch points (ln2 / 2, 3 ln2 / 2, 2^-25, 1, 22,
    27 ln2, k = 23 and 56 of the reduction) and inputs where the boards' libm differs."""
    edges = np.array([0.0, -0.0, 6.0, -3.0, 3.0, -9.0, -9.000001, 16.619047164916992188, 16.62, 1e-8, -1e-8,
                      -87.5, -103.0, 88.7, 89.0, 1e30, -1e30, 3.4e38, -3.4e38, 0.5, -0.5,
                      0.34657, -0.34658, 1.0397, -1.0398, 2.9e-8, -2.9e-8, 1e-17, 1.0, -1.0, 0.999999, -1.000001,
                      21.99, -22.0, -18.7, -18.72, 16.0, 39.0, 88.72, -0.25, -0.7,
                      # where MicroPython's lib/libm (musl 0.9.15) expm1f / tanhf differ from glibc's
                      -0.0335375927, -0.105738528, -0.128988668, 1.0216378, -1.04548037, -9.01079941],
                     np.float32)
    x = values(rng, shape, 12.0).reshape(-1)
    x[:len(edges)] = edges[:x.size]
    return x.reshape(shape)


def _leaky(alpha):
    o = schema.LeakyReluOptionsT()
    o.alpha = alpha
    return o


def act_options(op, alpha=0.2):
    """The builtin options of activation `op` (None where it has none)."""
    if op == "LEAKY_RELU":
        return _leaky(alpha)
    return schema.HardSwishOptionsT() if op == "HARD_SWISH" else None


# (op, shape, options)
ACTS = [("RELU", (2, 5, 7), None), ("RELU6", (1, 64), None), ("LEAKY_RELU", (3, 17), _leaky(0.2)),
        ("LEAKY_RELU", (1, 2, 3, 9), _leaky(-1.5)), ("LEAKY_RELU", (7,), _leaky(1.0)),
        ("HARD_SWISH", (1, 70), schema.HardSwishOptionsT()), ("LOGISTIC", (4, 33), None),
        ("TANH", (3, 41), None), ("ELU", (2, 37), None)]
for _k, (_op, _s, _o) in enumerate(ACTS):
    _rng = np.random.default_rng(5400 + _k)
    CASES.append(("%s-f32-%d" % (_op.lower(), _k), unary_model(_op, _s, _o), [act_values(_rng, _s)]))


def prelu_model(shape, alpha, alpha_shape):
    b = ModelBuilder("micronn opcases prelu float32")
    x = b.add_input("input", shape, np.float32)
    a = b.add_tensor("alpha", alpha_shape, np.float32, data=alpha)
    y = b.add_output("output", np.broadcast_shapes(tuple(shape), tuple(alpha_shape)), np.float32)
    b.add_operator("PRELU", [x, a], [y], None, version=1)
    return b.finish()


# (input shape, alpha shape): per channel, per (w, c), a scalar alpha, alpha the same shape
PRELUS = [((1, 4, 4, 8), (8,)), ((2, 3, 5, 3), (5, 3)), ((1, 7, 2), (1,)), ((2, 3, 4, 5), (2, 3, 4, 5))]
for _k, (_s, _as) in enumerate(PRELUS):
    _rng = np.random.default_rng(5500 + _k)
    CASES.append(("prelu-f32-%d" % _k, prelu_model(_s, values(_rng, _as, 2.0), _as), [values(_rng, _s, 8.0)]))



def softmax_model(shape, beta):
    o = schema.SoftmaxOptionsT()
    o.beta = beta
    return unary_model("SOFTMAX", shape, o)


# (shape, beta, value scale): one-element rows, long rows, beta != 1, large magnitudes whose
# exponents underflow to 0
SOFTMAXES = [((1, 10), 1.0, 4.0), ((3, 7), 0.5, 8.0), ((2, 3, 17), 2.0, 4.0), ((4, 1), 1.0, 4.0),
             ((2, 1001), 1.0, 10.0), ((1, 2, 2, 9), 0.37, 1e30)]
for _k, (_s, _b, _sc) in enumerate(SOFTMAXES):
    _rng = np.random.default_rng(5600 + _k)
    CASES.append(("softmax-f32-%d" % _k, softmax_model(_s, _b), [values(_rng, _s, _sc)]))


# ---------------------------------------------------------------------------- a small float32 network
def small_net(rng):
    """input [1, 16, 16, 3] -> CONV_2D 3x3/2 SAME RELU6 (8) -> DEPTHWISE_CONV_2D 3x3 x2 RELU (16)
    -> MAX_POOL_2D 2x2/2 -> HARD_SWISH -> PRELU (per channel) -> AVERAGE_POOL_2D 2x2/2 -> RESHAPE [1, 64]
    -> FULLY_CONNECTED 64 -> 24 LEAKY_RELU -> FULLY_CONNECTED 24 -> 10 -> SOFTMAX. Weights at He-like
    scales, so activations stay in range."""
    b = ModelBuilder("micronn opcases float32 network")
    f = np.float32
    x = b.add_input("image", (1, 16, 16, 3), f)

    def const(name, shape, scale):
        return b.add_tensor(name, shape, f, data=values(rng, shape, scale))

    def act(name, shape):
        return b.add_tensor(name, shape, f)

    def conv_opts(cls, stride, activation, mult=None):
        o = cls()
        o.padding = schema.Padding.SAME
        o.strideH = o.strideW = stride
        o.dilationHFactor = o.dilationWFactor = 1
        o.fusedActivationFunction = modelgen.activation_code(activation)
        if mult is not None:
            o.depthMultiplier = mult
        return o

    def pool_opts(k):
        o = schema.Pool2DOptionsT()
        o.padding = schema.Padding.VALID
        o.strideH = o.strideW = o.filterHeight = o.filterWidth = k
        return o

    t1 = act("conv", (1, 8, 8, 8))
    b.add_operator("CONV_2D", [x, const("conv/w", (8, 3, 3, 3), 0.5), const("conv/b", (8,), 0.2)], [t1],
                   conv_opts(schema.Conv2DOptionsT, 2, "RELU6"))
    t2 = act("dw", (1, 8, 8, 16))
    b.add_operator("DEPTHWISE_CONV_2D", [t1, const("dw/w", (1, 3, 3, 16), 0.5), const("dw/b", (16,), 0.2)], [t2],
                   conv_opts(schema.DepthwiseConv2DOptionsT, 1, "RELU", mult=2))
    t3 = act("maxpool", (1, 4, 4, 16))
    b.add_operator("MAX_POOL_2D", [t2], [t3], pool_opts(2))
    t4 = act("hard_swish", (1, 4, 4, 16))
    b.add_operator("HARD_SWISH", [t3], [t4], schema.HardSwishOptionsT())
    t5 = act("prelu", (1, 4, 4, 16))
    b.add_operator("PRELU", [t4, const("prelu/alpha", (16,), 0.5)], [t5])
    t6 = act("avgpool", (1, 2, 2, 16))
    b.add_operator("AVERAGE_POOL_2D", [t5], [t6], pool_opts(2))
    t7 = act("flat", (1, 64))
    ro = schema.ReshapeOptionsT()
    ro.newShape = [1, 64]
    b.add_operator("RESHAPE", [t6, b.add_tensor("flat/shape", (2,), np.int32, data=[1, 64])], [t7], ro)
    t8 = act("fc1", (1, 24))
    fo = schema.FullyConnectedOptionsT()
    b.add_operator("FULLY_CONNECTED", [t7, const("fc1/w", (24, 64), 0.3), const("fc1/b", (24,), 0.1)], [t8], fo)
    t9 = act("leaky", (1, 24))
    lo = schema.LeakyReluOptionsT()
    lo.alpha = 0.1
    b.add_operator("LEAKY_RELU", [t8], [t9], lo)
    t10 = act("logits", (1, 10))
    b.add_operator("FULLY_CONNECTED", [t9, const("fc2/w", (10, 24), 0.4), const("fc2/b", (10,), 0.1)], [t10],
                   schema.FullyConnectedOptionsT())
    y = b.add_output("probabilities", (1, 10), f)
    so = schema.SoftmaxOptionsT()
    so.beta = 1.0
    b.add_operator("SOFTMAX", [t10], [y], so)
    return b.finish()


_rng = np.random.default_rng(5700)
CASES.append(("network-f32", small_net(_rng), [values(_rng, (1, 16, 16, 3), 1.0)]))
