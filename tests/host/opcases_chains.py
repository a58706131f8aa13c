"""Small chains of ops as real models have them (see opcases.py): (id, .tflite bytes, [inputs]),
each checked against live TFLite Micro on the numpy backend and on every test board.

`Net` builds a model op by op and carries the real (float) values of every tensor along, computed
in numpy from the real weights and inputs, so that each int8 tensor gets the quantization a
TFLite converter would calibrate: asymmetric over the tensor's real range, per-channel symmetric
weights, int32 biases at input scale x weight scale. Ops that only move data keep their input's
quantization, CONCATENATION gives its inputs one common quantization, LOGISTIC and SOFTMAX
output 1/256 with zero point -128. Quantizations are written when the model is finished, so a
later CONCATENATION can still widen its producers'."""

import math

import numpy as np

from host_tools.check import modelgen
from host_tools.check.modelgen import ModelBuilder, schema

CASES = []


class _Q:
    """One quantization (scale, zero point) shared by the tensors that must have the same one."""

    def __init__(self, lo, hi, frozen=False):
        self.frozen = frozen
        self.set(lo, hi)

    def set(self, lo, hi):
        lo, hi = min(float(lo), 0.0), max(float(hi), 0.0)
        self.lo, self.hi = lo, hi
        self.scale = np.float32(max(hi - lo, 1e-3) / 255.0)
        self.zp = int(np.clip(round(-128 - lo / float(self.scale)), -128, 127))


def _same_out(h, k, s, d, padding):
    ek = (k - 1) * d + 1
    if padding == "SAME":
        o = -(-h // s)
        return o, max((o - 1) * s + ek - h, 0) // 2
    return (h - ek) // s + 1, 0


def _conv_real(x, w, stride, dil, padding, depth_multiplier=None):
    """NHWC conv of x with OHWI weights w (depthwise: [1, kh, kw, c * m])."""
    n, h, wd, c = x.shape
    _, kh, kw, _ = w.shape
    oh, pt = _same_out(h, kh, stride[0], dil[0], padding)
    ow, pl = _same_out(wd, kw, stride[1], dil[1], padding)
    xp = np.zeros((n, h + kh * dil[0] + oh * stride[0], wd + kw * dil[1] + ow * stride[1], c))
    xp[:, pt:pt + h, pl:pl + wd, :] = x
    oc = w.shape[3] if depth_multiplier else w.shape[0]
    out = np.zeros((n, oh, ow, oc))
    for i in range(kh):
        for j in range(kw):
            p = xp[:, i * dil[0]:i * dil[0] + (oh - 1) * stride[0] + 1:stride[0],
                   j * dil[1]:j * dil[1] + (ow - 1) * stride[1] + 1:stride[1], :]
            if depth_multiplier:
                out += np.repeat(p, depth_multiplier, axis=-1) * w[0, i, j, :]
            else:
                out += p @ w[:, i, j, :].T
    return out


def _tconv_real(x, w, stride, padding, out_hw):
    n, h, wd, c = x.shape
    o, kh, kw, _ = w.shape
    full = np.zeros((n, (h - 1) * stride[0] + kh, (wd - 1) * stride[1] + kw, o))
    for i in range(kh):
        for j in range(kw):
            full[:, i:i + (h - 1) * stride[0] + 1:stride[0], j:j + (wd - 1) * stride[1] + 1:stride[1], :] += \
                x @ w[:, i, j, :].T
    pt = max((h - 1) * stride[0] + kh - out_hw[0], 0) // 2 if padding == "SAME" else 0
    pl = max((wd - 1) * stride[1] + kw - out_hw[1], 0) // 2 if padding == "SAME" else 0
    return full[:, pt:pt + out_hw[0], pl:pl + out_hw[1], :]


_ACT = {"NONE": lambda v: v, "RELU": lambda v: np.maximum(v, 0), "RELU6": lambda v: np.clip(v, 0, 6)}


class Net:
    """A model under construction; tensors are (index) ints, their real values in self.real."""

    def __init__(self, name, seed, dtype=np.int8):
        self.name = name
        self.b = ModelBuilder("micronn opcases chain " + name)
        self.rng = np.random.default_rng(seed)
        self.s8 = np.dtype(dtype) == np.int8
        self.dtype = np.dtype(dtype)
        self.real, self.q, self.ins = {}, {}, []
        self.late = []  # callbacks run at finish (biases: input scale x weight scale)

    # ---- tensors
    def input(self, shape, scale=0.02, zp=0):
        if self.s8:
            x = modelgen.random_input(self.rng, shape, np.int8)
            t = self.b.add_input("in%d" % len(self.ins), shape, np.int8, np.float32(scale), zp)
            self.real[t] = (x.astype(np.float64) - zp) * float(np.float32(scale))
            self.q[t] = _Q(0, 0, frozen=True)
            self.q[t].scale, self.q[t].zp = np.float32(scale), zp
        else:
            x = self.rng.uniform(-2.5, 2.5, size=shape).astype(np.float32)
            t = self.b.add_input("in%d" % len(self.ins), shape, np.float32)
            self.real[t] = x.astype(np.float64)
        self.ins.append(x)
        return t

    def _t(self, real, q=None, prefix="t"):
        """A runtime tensor of these real values; q: a _Q to share (else one over its range)."""
        real = np.asarray(real, np.float64)
        if self.s8:
            t = self.b.add_tensor("%s%d" % (prefix, len(self.b.tensors)), real.shape, np.int8, 1.0, 0)
            self.q[t] = q if q is not None else _Q(real.min(), real.max())
        else:
            t = self.b.add_tensor("%s%d" % (prefix, len(self.b.tensors)), real.shape, np.float32)
        self.real[t] = real
        return t

    def const(self, values):
        """A constant activation-like tensor (per-tensor int8 over its range)."""
        v = np.asarray(values, np.float64)
        if self.s8:
            q = _Q(v.min(), v.max(), frozen=True)
            data = np.clip(np.round(v / float(q.scale)) + q.zp, -128, 127).astype(np.int8)
            t = self.b.add_tensor("c%d" % len(self.b.tensors), v.shape, np.int8, q.scale, q.zp, data=data)
            self.q[t] = q
            self.real[t] = (data.astype(np.float64) - q.zp) * float(q.scale)
        else:
            t = self.b.add_tensor("c%d" % len(self.b.tensors), v.shape, np.float32, data=v.astype(np.float32))
            self.real[t] = v.astype(np.float32).astype(np.float64)
        return t

    def ints(self, values):
        v = np.asarray(values, np.int32)
        return self.b.add_tensor("i%d" % len(self.b.tensors), v.shape, np.int32, data=v)

    def _weights(self, shape, axis):
        """Real weights of `shape` (fan-in scaled); int8: per-channel along `axis`. Returns
        (tensor, real values, per-channel scales or None)."""
        fan_in = int(np.prod(shape)) // shape[axis]
        w = self.rng.normal(0, 1.0 / math.sqrt(fan_in), size=shape)
        if not self.s8:
            t = self.b.add_tensor("w%d" % len(self.b.tensors), shape, np.float32, data=w.astype(np.float32))
            return t, w.astype(np.float32).astype(np.float64), None
        red = tuple(a for a in range(len(shape)) if a != axis)
        s = (np.max(np.abs(w), axis=red) / 127.0).astype(np.float32)
        bs = [1] * len(shape)
        bs[axis] = -1
        wq = np.clip(np.round(w / s.reshape(bs)), -127, 127).astype(np.int8)
        t = self.b.add_tensor("w%d" % len(self.b.tensors), shape, np.int8, s, 0, quantized_dimension=axis, data=wq)
        return t, wq.astype(np.float64) * s.reshape(bs).astype(np.float64), s

    def _bias(self, x, n, w_s):
        bv = self.rng.normal(0, 0.2, size=n)
        if not self.s8:
            return self.b.add_tensor("b%d" % len(self.b.tensors), (n,), np.float32, data=bv.astype(np.float32)), \
                bv.astype(np.float32).astype(np.float64)
        t = self.b.add_tensor("b%d" % len(self.b.tensors), (n,), np.int32, np.ones(n, np.float32), 0,
                              data=np.zeros(n, np.int32))
        qx = self.q[x]

        def fix():
            s = (np.float32(qx.scale) * w_s).astype(np.float32)
            tt = self.b.tensors[t]
            tt.quantization.scale = [float(v) for v in s]
            self.b.buffers[tt.buffer].data = np.round(bv / s.astype(np.float64)).astype("<i4").view(np.uint8)
        self.late.append(fix)
        return t, bv

    # ---- ops
    def op(self, name, ins, real, opts=None, q=None, version=1):
        y = self._t(real, q)
        self.b.add_operator(name, ins, [y], opts, version=version)
        return y

    def fc(self, x, n_out, act="NONE", keep_num_dims=False):
        n_in = self.real[x].shape[-1]
        w, wr, ws = self._weights((n_out, n_in), 0)
        bt, br = self._bias(x, n_out, ws)
        opts = schema.FullyConnectedOptionsT()
        opts.fusedActivationFunction = modelgen.activation_code(act)
        opts.keepNumDims = bool(keep_num_dims)
        r = _ACT[act](self.real[x] @ wr.T + br)
        if not keep_num_dims:
            r = r.reshape(-1, n_out)
        return self.op("FULLY_CONNECTED", [x, w, bt], r, opts, version=4 if keep_num_dims else 1)

    def conv(self, x, oc, k, stride=(1, 1), dil=(1, 1), padding="SAME", act="NONE"):
        ic = self.real[x].shape[-1]
        w, wr, ws = self._weights((oc, k[0], k[1], ic), 0)
        bt, br = self._bias(x, oc, ws)
        opts = schema.Conv2DOptionsT()
        opts.padding = modelgen.PADDINGS[padding]
        opts.strideH, opts.strideW = stride
        opts.dilationHFactor, opts.dilationWFactor = dil
        opts.fusedActivationFunction = modelgen.activation_code(act)
        r = _ACT[act](_conv_real(self.real[x], wr, stride, dil, padding) + br)
        return self.op("CONV_2D", [x, w, bt], r, opts, version=3)

    def dwconv(self, x, k, mult=1, stride=(1, 1), padding="SAME", act="NONE"):
        ic = self.real[x].shape[-1]
        w, wr, ws = self._weights((1, k[0], k[1], ic * mult), 3)
        bt, br = self._bias(x, ic * mult, ws)
        opts = schema.DepthwiseConv2DOptionsT()
        opts.padding = modelgen.PADDINGS[padding]
        opts.strideH, opts.strideW = stride
        opts.depthMultiplier = mult
        opts.dilationHFactor = opts.dilationWFactor = 1
        opts.fusedActivationFunction = modelgen.activation_code(act)
        r = _ACT[act](_conv_real(self.real[x], wr, stride, (1, 1), padding, depth_multiplier=mult) + br)
        return self.op("DEPTHWISE_CONV_2D", [x, w, bt], r, opts, version=3)

    def tconv(self, x, oc, k, stride, padding="SAME"):
        n, h, wd, ic = self.real[x].shape
        out_hw = (h * stride[0], wd * stride[1]) if padding == "SAME" else \
            ((h - 1) * stride[0] + k[0], (wd - 1) * stride[1] + k[1])
        shp = self.ints([n, out_hw[0], out_hw[1], oc])
        w, wr, ws = self._weights((oc, k[0], k[1], ic), 0)
        bt, br = self._bias(x, oc, ws)
        opts = schema.TransposeConvOptionsT()
        opts.padding = modelgen.PADDINGS[padding]
        opts.strideH, opts.strideW = stride
        r = _tconv_real(self.real[x], wr, stride, padding, out_hw) + br
        return self.op("TRANSPOSE_CONV", [shp, w, x, bt], r, opts, version=3)

    def binary(self, name, a, b, act="NONE"):
        ra, rb = self.real[a], self.real[b]
        fn = {"ADD": np.add, "SUB": np.subtract, "MUL": np.multiply,
              "SQUARED_DIFFERENCE": lambda u, v: (u - v) ** 2}[name]
        opts = getattr(schema, {"SQUARED_DIFFERENCE": "SquaredDifference"}.get(name, name.title()) + "OptionsT")()
        if name != "SQUARED_DIFFERENCE":
            opts.fusedActivationFunction = modelgen.activation_code(act)
        return self.op(name, [a, b], _ACT[act](fn(ra, rb)), opts)

    def unary(self, name, x):
        r = self.real[x]
        q = None
        if name == "RSQRT":
            r, opts = 1.0 / np.sqrt(r), None
        elif name == "LOGISTIC":
            r, opts = 1.0 / (1.0 + np.exp(-r)), None
            q = _Q(0, 255.0 / 256, frozen=True) if self.s8 else None
            if q:
                q.scale, q.zp = np.float32(1.0 / 256), -128
        elif name == "HARD_SWISH":
            r, opts = r * np.clip(r + 3, 0, 6) / 6, schema.HardSwishOptionsT()
        elif name == "RELU":
            r, opts = np.maximum(r, 0), None
        return self.op(name, [x], r, opts, q)

    def softmax(self, x, beta=1.0):
        r = self.real[x] * beta
        e = np.exp(r - r.max(axis=-1, keepdims=True))
        q = None
        if self.s8:
            q = _Q(0, 1, frozen=True)
            q.scale, q.zp = np.float32(1.0 / 256), -128
        opts = schema.SoftmaxOptionsT()
        opts.beta = beta
        return self.op("SOFTMAX", [x], e / e.sum(axis=-1, keepdims=True), opts, q)

    def mean(self, x, axes, keep=True):
        opts = schema.ReducerOptionsT()
        opts.keepDims = bool(keep)
        return self.op("MEAN", [x, self.ints(axes)], self.real[x].mean(axis=tuple(axes), keepdims=keep), opts)

    def batch_matmul(self, a, b, adj_y=False):
        rb = self.real[b].swapaxes(-1, -2) if adj_y else self.real[b]
        opts = schema.BatchMatMulOptionsT()
        opts.adjX, opts.adjY = False, bool(adj_y)
        return self.op("BATCH_MATMUL", [a, b], np.matmul(self.real[a], rb), opts)

    # data movement: the input's quantization
    def _move(self, name, ins, x, real, opts=None):
        return self.op(name, ins, real, opts, self.q.get(x))

    def reshape(self, x, shape):
        opts = schema.ReshapeOptionsT()
        opts.newShape = list(shape)
        return self._move("RESHAPE", [x, self.ints(shape)], x, self.real[x].reshape(shape), opts)

    def transpose(self, x, perm):
        return self._move("TRANSPOSE", [x, self.ints(perm)], x, self.real[x].transpose(perm),
                          schema.TransposeOptionsT())

    def expand_dims(self, x, axis):
        return self._move("EXPAND_DIMS", [x, self.ints([axis])], x, np.expand_dims(self.real[x], axis))

    def squeeze(self, x, dims):
        opts = schema.SqueezeOptionsT()
        opts.squeezeDims = list(dims)
        return self._move("SQUEEZE", [x], x, np.squeeze(self.real[x], tuple(dims)), opts)

    def pad(self, x, pads):
        return self._move("PAD", [x, self.ints(pads)], x, np.pad(self.real[x], pads), schema.PadOptionsT())

    def resize_nearest(self, x, size):
        r = self.real[x]
        ys = (np.arange(size[0]) * r.shape[1]) // size[0]
        xs = (np.arange(size[1]) * r.shape[2]) // size[1]
        opts = schema.ResizeNearestNeighborOptionsT()
        return self._move("RESIZE_NEAREST_NEIGHBOR", [x, self.ints(size)], x, r[:, ys][:, :, xs], opts)

    def strided_slice(self, x, begin, end, strides=None):
        strides = strides or [1] * len(begin)
        sl = tuple(slice(b, e, s) for b, e, s in zip(begin, end, strides))
        opts = schema.StridedSliceOptionsT()
        return self._move("STRIDED_SLICE", [x, self.ints(begin), self.ints(end), self.ints(strides)], x,
                          self.real[x][sl], opts)

    def split(self, x, axis, n):
        parts = np.split(self.real[x], n, axis=axis)
        ys = [self._t(p, self.q.get(x)) for p in parts]
        opts = schema.SplitOptionsT()
        opts.numSplits = n
        ax = self.b.add_tensor("axis%d" % len(self.b.tensors), [], np.int32, data=np.int32(axis))
        self.b.add_operator("SPLIT", [ax, x], ys, opts)
        return ys

    def concat(self, xs, axis):
        """CONCATENATION: every input and the output share one quantization (a model input's
        where one is an input, else one over all their ranges)."""
        r = np.concatenate([self.real[x] for x in xs], axis=axis)
        q = None
        if self.s8:
            frozen = [self.q[x] for x in xs if self.q[x].frozen]
            q = frozen[0] if frozen else _Q(r.min(), r.max())
            for x in xs:
                if self.q[x] is not q:
                    self.q[x].scale, self.q[x].zp = q.scale, q.zp
                    self.q[x].lo, self.q[x].hi = q.lo, q.hi
        opts = schema.ConcatenationOptionsT()
        opts.axis = axis
        return self.op("CONCATENATION", xs, r, opts, q)

    def finish(self, *outputs):
        for fix in self.late:
            fix()
        if self.s8:
            for t, q in self.q.items():
                tt = self.b.tensors[t]
                tt.quantization.scale, tt.quantization.zeroPoint = [float(q.scale)], [int(q.zp)]
        self.b.outputs = list(outputs)
        CASES.append(("chain-%s-%s" % (self.name, "s8" if self.s8 else "f32"), self.b.finish(), self.ins))


# ---------------------------------------------------------------------------- 1. LayerNorm
def layer_norm(dtype, seed, shape=(1, 6, 20), square="SQUARED_DIFFERENCE"):
    n = Net("layernorm-" + square.lower(), seed, dtype)
    x = n.input(shape, 0.03, 5)
    d = shape[-1]
    mu = n.mean(x, [len(shape) - 1])
    xc = n.binary("SUB", x, mu)
    sq = n.binary(square, xc, xc) if square == "MUL" else n.binary(square, x, mu)
    var = n.mean(sq, [len(shape) - 1])
    ve = n.binary("ADD", var, n.const(np.full([1] * len(shape), 1e-2)))
    inv = n.unary("RSQRT", ve)
    y = n.binary("MUL", xc, inv)
    y = n.binary("MUL", y, n.const(n.rng.uniform(0.5, 1.5, d)))
    y = n.binary("ADD", y, n.const(n.rng.uniform(-0.5, 0.5, d)))
    n.finish(y)


for _dt in (np.int8, np.float32):
    layer_norm(_dt, 11)
layer_norm(np.int8, 12, (2, 3, 4, 9), "MUL")


# ---------------------------------------------------------------------------- 2. attention head
def attention(dtype, seed, seq=6, dim=16, heads=2, tag="", zp=-4):
    """Self-attention: FULLY_CONNECTED q/k/v (keep_num_dims), heads split by RESHAPE + TRANSPOSE,
    BATCH_MATMUL q.k^T (adj_y), MUL by 1/sqrt(d), SOFTMAX, BATCH_MATMUL with v, heads merged back
    by TRANSPOSE + RESHAPE, output projection."""
    n = Net("attention" + tag, seed, dtype)
    x = n.input((1, seq, dim), 0.03, zp)
    hd = dim // heads

    def split_heads(t):
        return n.transpose(n.reshape(t, [1, seq, heads, hd]), [0, 2, 1, 3])

    q = split_heads(n.fc(x, dim, keep_num_dims=True))
    k = split_heads(n.fc(x, dim, keep_num_dims=True))
    v = split_heads(n.fc(x, dim, keep_num_dims=True))
    s = n.batch_matmul(q, k, adj_y=True)
    s = n.binary("MUL", s, n.const(np.full([1], 1.0 / math.sqrt(hd))))
    p = n.softmax(s)
    o = n.batch_matmul(p, v)
    o = n.reshape(n.transpose(o, [0, 2, 1, 3]), [1, seq, dim])
    n.finish(n.fc(o, dim, keep_num_dims=True))


attention(np.int8, 21)
attention(np.int8, 22, 5, 12, 3, "-3heads", -128)  # odd sequence, head size 4, input zero point -128
attention(np.float32, 23)


# ---------------------------------------------------------------------------- 3. U-Net up-block
def unet_up(dtype, seed, shape=(1, 3, 4, 6), skip_c=5, k=(3, 3), tag=""):
    """TRANSPOSE_CONV stride 2 (upsampling), CONCATENATION with the skip connection, CONV_2D 3x3
    and RELU."""
    n = Net("unet-up" + tag, seed, dtype)
    x = n.input(shape, 0.04, 10)
    skip = n.input((shape[0], 2 * shape[1], 2 * shape[2], skip_c), 0.04, 10)
    up = n.tconv(x, 4, k, (2, 2), "SAME")
    c = n.concat([up, skip], 3)
    y = n.unary("RELU", n.conv(c, 7, (3, 3)))
    n.finish(y)


for _dt in (np.int8, np.float32):
    unet_up(_dt, 31)
unet_up(np.int8, 32, (2, 2, 3, 3), 3, (2, 2), "-k2-batch2")


# ---------------------------------------------------------------------------- 4. YOLO neck/head
def yolo_head(dtype, seed, anchors=2, classes=3):
    """Neck: CONV_2D on the deep map, RESIZE_NEAREST_NEIGHBOR x2, CONCATENATION with the shallow
    map, CONV_2D 1x1 to anchors x (4 + 1 + classes); head: RESHAPE to [1, cells x anchors,
    4 + 1 + classes], boxes by STRIDED_SLICE and SPLIT into xy and wh, LOGISTIC of the rest and
    STRIDED_SLICE into objectness and class scores."""
    n = Net("yolo-head", seed, dtype)
    deep = n.input((1, 3, 3, 8), 0.03, -10)
    shallow = n.input((1, 6, 6, 4), 0.03, -10)
    d = n.conv(deep, 4, (1, 1), act="RELU")
    u = n.resize_nearest(d, [6, 6])
    c = n.concat([u, shallow], 3)
    c = n.conv(c, 6, (3, 3), act="RELU")
    no = 4 + 1 + classes
    h = n.conv(c, anchors * no, (1, 1))
    r = n.reshape(h, [1, 36 * anchors, no])
    boxes = n.strided_slice(r, [0, 0, 0], [1, 36 * anchors, 4])
    rest = n.unary("LOGISTIC", n.strided_slice(r, [0, 0, 4], [1, 36 * anchors, no]))
    xy, wh = n.split(boxes, 2, 2)
    obj = n.strided_slice(rest, [0, 0, 0], [1, 36 * anchors, 1])
    cls = n.strided_slice(rest, [0, 0, 1], [1, 36 * anchors, 1 + classes])
    n.finish(xy, wh, obj, cls)


yolo_head(np.int8, 41)
yolo_head(np.float32, 42)


# ---------------------------------------------------------------------------- 5. MobileNetV3 block
def mobilenet_v3(dtype, seed, shape=(1, 7, 7, 8), expand=16, se="conv"):
    """Inverted residual: CONV_2D 1x1 expansion, HARD_SWISH, DEPTHWISE_CONV_2D 3x3, HARD_SWISH,
    squeeze-excite (MEAN over H, W keepdims, a CONV_2D 1x1 or FULLY_CONNECTED bottleneck with
    RELU, back to the channels, LOGISTIC or HARD_SWISH gate, MUL broadcast over H, W), CONV_2D 1x1
    projection, ADD residual."""
    n = Net("mobilenetv3-se%s" % se, seed, dtype)
    x = n.input(shape, 0.03, 3)
    e = n.unary("HARD_SWISH", n.conv(x, expand, (1, 1)))
    d = n.unary("HARD_SWISH", n.dwconv(e, (3, 3)))
    m = n.mean(d, [1, 2], keep=True)
    if se == "conv":
        g = n.conv(n.conv(m, expand // 4, (1, 1), act="RELU"), expand, (1, 1))
        g = n.unary("LOGISTIC", g)
    else:
        g = n.fc(n.fc(n.reshape(m, [1, expand]), expand // 4, act="RELU"), expand)
        g = n.reshape(n.unary("HARD_SWISH", g), [1, 1, 1, expand])
    s = n.binary("MUL", d, g)
    p = n.conv(s, shape[-1], (1, 1))
    n.finish(n.binary("ADD", p, x))


mobilenet_v3(np.int8, 51, se="conv")
mobilenet_v3(np.int8, 52, (1, 5, 6, 8), 24, se="fc")
mobilenet_v3(np.float32, 53, se="fc")  # float32 with the HARD_SWISH gate (LOGISTIC is int8 only)


# ---------------------------------------------------------------------------- 6. Conv1D TCN
def tcn(dtype, seed, steps=16, channels=6, k=3, dilations=(1, 2, 4), tag="", zp=-7):
    """Temporal conv net: EXPAND_DIMS [1, T, C] -> [1, 1, T, C], per layer a causal PAD on the
    left of the time axis by (k - 1) x dilation and a 1 x k CONV_2D with that dilation (RELU),
    SQUEEZE back to [1, T, C], ADD residual."""
    n = Net("tcn" + tag, seed, dtype)
    x = n.input((1, steps, channels), 0.03, zp)
    h = n.expand_dims(x, 1)
    for d in dilations:
        h = n.pad(h, [[0, 0], [0, 0], [(k - 1) * d, 0], [0, 0]])
        h = n.conv(h, channels, (1, k), dil=(1, d), padding="VALID", act="RELU")
    n.finish(n.binary("ADD", n.squeeze(h, [1]), x))


for _dt in (np.int8, np.float32):
    tcn(_dt, 61)
tcn(np.int8, 62, 11, 5, 2, (1, 3), "-k2", 127)  # odd length, kernel 2, input zero point 127
