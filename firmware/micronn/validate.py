"""Load-time checks of each op's arguments (run by micronn.load before any kernel runs).

One check per opcode: the tensors an op names (dtype, byte size, constant or arena) and the
values of its int32 `params` constant: the ranges of oplist.PARAMS (generated from the op spec,
host_tools/ops/table.py, like the C bindings' tables), read back by field name, and the same
buffer lengths as the C bindings (firmware/_micronn/mod_micronn.c), which check everything
again on every call.
A check raises `Bad("message")`; model.py turns it into `ModelError("op N (NAME): message")`.

    CHECKS[opcode] = fn(ins, outs, kernels)

`ins`/`outs` are lists of `T` (None for an absent optional argument); `kernels` is the Model's
kernels module (`_micronn`: the conv checks ask it for the kernel's scratch size). Ops without an entry
(areas that register their own) are checked by their bindings when they run.
"""

import struct

from . import oplist

COUNT_MAX = 1 << 30
I32_MAX = 0x7FFFFFFF


class Bad(Exception):
    pass


class T:
    """A tensor as the checks see it: index, dtype, constant or not, byte size, and (constants)
    the file view, for reading params."""

    def __init__(self, index, dtype, const, nbytes, shape, mv, off):
        self.index = index
        self.dtype = dtype
        self.const = const
        self.nbytes = nbytes
        self.shape = shape
        self._mv = mv
        self._off = off

    def view(self):
        return self._mv[self._off:self._off + self.nbytes]

    def int32s(self):
        return struct.unpack_from("<%di" % (self.nbytes // 4), self._mv, self._off)


def _name(t):
    return "tensor %d" % t.index


def _count(ins, outs, n_in, n_out, optional=()):
    if len(ins) != n_in or len(outs) != n_out:
        raise Bad("expected %d inputs and %d outputs, got %d and %d" % (n_in, n_out, len(ins), len(outs)))
    for i, t in enumerate(ins):
        if t is None and i not in optional:
            raise Bad("input %d is required" % i)
    for t in outs:
        if t is None:
            raise Bad("output is required")
        if t.const:
            raise Bad("output %s is a constant" % _name(t))


def _buf(t, what, dtype, count):
    """Tensor `t` holds exactly `count` elements of `dtype`."""
    if t.dtype != dtype:
        raise Bad("%s (%s): expected %s, got %s" % (what, _name(t), oplist.DTYPE_NAMES[dtype],
                                                    oplist.DTYPE_NAMES[t.dtype]))
    want = count * oplist.DTYPE_SIZES[dtype]
    if t.nbytes != want:
        raise Bad("%s (%s): expected %d elements (%d bytes), got %d bytes" % (
            what, _name(t), count, want, t.nbytes))


def _params(t, opcode, what="params"):
    """The int32 params constant `t` of an op: exactly the entries of its layout
    (oplist.PARAMS, generated from the op spec), each in its range; returned by field name.
    A layout with an act_min/act_max pair also needs min <= max."""
    spec = oplist.PARAMS[opcode]
    _const(t, what, True)
    if t.nbytes != 4 * len(spec):
        raise Bad("%s (%s): expected %d int32 values, got %d bytes" % (what, _name(t), len(spec), t.nbytes))
    p = {}
    for i, v in enumerate(t.int32s()):
        name, lo, hi = spec[i]
        if v < lo or v > hi:
            raise Bad("params[%d] (%s): %d out of range [%d, %d]" % (i, name, v, lo, hi))
        p[name] = v
    if "act_min" in p and p["act_min"] > p["act_max"]:
        raise Bad("params: act_min %d > act_max %d" % (p["act_min"], p["act_max"]))
    return p


def _const(t, what, int32=False):
    if not t.const:
        raise Bad("%s (%s) must be a constant" % (what, _name(t)))
    if int32 and t.dtype != oplist.INT32:
        raise Bad("%s (%s): expected int32 data" % (what, _name(t)))


def _product(what, *dims):
    n = 1
    for d in dims:
        n *= d
    if n > COUNT_MAX:
        raise Bad("%s: more than %d elements" % (what, COUNT_MAX))
    return n


def _requant(mult, shift, channels):
    _const(mult, "multiplier", True)
    _const(shift, "shift", True)
    n = mult.nbytes // 4
    if n != 1 and n != channels:
        raise Bad("multiplier: expected int32 array of 1 or %d, got %d" % (channels, n))
    if shift.nbytes != mult.nbytes:
        raise Bad("shift: expected int32 array of %d, got %d bytes" % (n, shift.nbytes))
    for i, m in enumerate(mult.int32s()):
        if m < 0:
            raise Bad("multiplier[%d]: %d is negative" % (i, m))
    for i, s in enumerate(shift.int32s()):
        if s < -31 or s > 30:
            raise Bad("shift[%d]: %d out of range [-31, 30]" % (i, s))


def _accumulator(taps, bias):
    """The int32 accumulator of `taps` products of (x + input_offset) in [-255, 255] and a weight
    in [-128, 127], plus the bias, cannot overflow (TFLite Micro wraps; C calls it undefined)."""
    worst = taps * 255 * 128
    if bias is not None:
        worst += max(abs(v) for v in bias.int32s())
    if worst > I32_MAX:
        raise Bad("the int32 accumulator can overflow: %d taps x 255 x 128 + max |bias| = %d > 2^31 - 1" % (
            taps, worst))


def _fully_connected(ins, outs, kernels=None):
    _count(ins, outs, 6, 1, optional=(2,))
    x, w, b, pt, mult, shift = ins
    y = outs[0]
    p = _params(pt, oplist.FULLY_CONNECTED)
    in_f, out_f = p["in_features"], p["out_features"]
    if x.dtype != oplist.INT8 or x.nbytes == 0 or x.nbytes % in_f:
        raise Bad("input (%s): expected int8 array of a multiple of in_features=%d, got %d bytes" % (
            _name(x), in_f, x.nbytes))
    batches = x.nbytes // in_f
    _buf(w, "weights", oplist.INT8, _product("weights", out_f, in_f))
    if b is not None:
        _buf(b, "bias", oplist.INT32, out_f)
        _const(b, "bias")
    _buf(y, "output", oplist.INT8, _product("output", batches, out_f))
    _requant(mult, shift, out_f)
    _accumulator(in_f, b)


def _conv2d(ins, outs, kernels):
    _conv(ins, outs, False, kernels)


def _depthwise(ins, outs, kernels):
    _conv(ins, outs, True, kernels)


def _conv(ins, outs, depthwise, kernels):
    # an optional 7th input: the optimized kernel's scratch (an arena tensor; the binding
    # checks its size on every call)
    _count(ins, outs, 7 if len(ins) == 7 else 6, 1, optional=(2,))
    if len(ins) == 7:
        scratch = ins[6]
        if scratch is None or scratch.const:
            raise Bad("scratch must be an arena tensor")
        if any(t is scratch for t in ins[:6] + outs):
            raise Bad("scratch (%s) is also another argument of the op" % _name(scratch))
        size = getattr(kernels, "%sconv2d_s8_scratch_size" % ("depthwise_" if depthwise else ""), None)
        if size is not None and ins[3] is not None and ins[3].const:
            try:
                need = size(ins[3].view())
            except ValueError as e:  # params out of range: reported below with the others
                need = 0 if "params" in str(e) else -1
            if need < 0 or scratch.nbytes < need:
                raise Bad("scratch (%s): expected at least %d bytes, got %d" % (_name(scratch), need, scratch.nbytes))
        ins = ins[:6]
    x, w, b, pt, mult, shift = ins
    y = outs[0]
    p = _params(pt, oplist.DEPTHWISE_CONV_2D if depthwise else oplist.CONV_2D)
    n, in_c, out_c, k_h, k_w = p["n"], p["in_c"], p["out_c"], p["k_h"], p["k_w"]
    if depthwise and out_c != in_c * p["depth_multiplier"]:
        raise Bad("params: out_c %d != in_c %d * depth_multiplier %d" % (out_c, in_c, p["depth_multiplier"]))
    _buf(x, "input", oplist.INT8, _product("input", n, p["in_h"], p["in_w"], in_c))
    nw = _product("weights", k_h, k_w, out_c) if depthwise else _product("weights", out_c, k_h, k_w, in_c)
    _buf(w, "weights", oplist.INT8, nw)
    if b is not None:
        _buf(b, "bias", oplist.INT32, out_c)
        _const(b, "bias")
    _buf(y, "output", oplist.INT8, _product("output", n, p["out_h"], p["out_w"], out_c))
    _requant(mult, shift, out_c)
    _accumulator(k_h * k_w * (1 if depthwise else in_c), b)


def _pool(ins, outs, kernels=None):
    _count(ins, outs, 2, 1)
    x, pt = ins
    y = outs[0]
    p = _params(pt, oplist.AVERAGE_POOL_2D)
    for a, what in (("h", "out_h/pad_top"), ("w", "out_w/pad_left")):
        pad = p["pad_top" if a == "h" else "pad_left"]
        if pad >= p["k_" + a] or (p["out_" + a] - 1) * p["stride_" + a] - pad >= p["in_" + a]:
            raise Bad("params: %s window outside the input" % what)
    _buf(x, "input", oplist.INT8, _product("input", p["n"], p["in_h"], p["in_w"], p["c"]))
    _buf(y, "output", oplist.INT8, _product("output", p["n"], p["out_h"], p["out_w"], p["c"]))


def _add(ins, outs, kernels=None):
    _count(ins, outs, 3, 1)
    a, b, pt = ins
    y = outs[0]
    p = _params(pt, oplist.ADD)
    for t, s, what in ((a, "in1_s", "input1"), (b, "in2_s", "input2")):
        span = 1
        for k in range(4):
            span += (p["d%d" % k] - 1) * p["%s%d" % (s, k)]
        if span > COUNT_MAX:
            raise Bad("%s: more than %d elements" % (what, COUNT_MAX))
        _buf(t, what, oplist.INT8, span)
    _buf(y, "output", oplist.INT8, _product("output", p["d0"], p["d1"], p["d2"], p["d3"]))


def _softmax(ins, outs, kernels=None):
    _count(ins, outs, 2, 1)
    x, pt = ins
    p = _params(pt, oplist.SOFTMAX)
    n = _product("input", p["rows"], p["depth"])
    _buf(x, "input", oplist.INT8, n)
    _buf(outs[0], "output", oplist.INT8, n)


def _requantize(ins, outs, kernels=None):
    _count(ins, outs, 2, 1)
    x, pt = ins
    _params(pt, oplist.REQUANTIZE)
    _buf(x, "input", oplist.INT8, x.nbytes)
    _buf(outs[0], "output", oplist.INT8, x.nbytes)


def _quant_params(pt):
    """QUANTIZE/DEQUANTIZE params: float32 scale (as int32 bits), zero point."""
    if not pt.const or pt.dtype != oplist.INT32 or pt.nbytes != 8:
        raise Bad("params (%s): expected a constant of 2 int32 values" % _name(pt))
    scale, zp = struct.unpack_from("<fi", pt._mv, pt._off)
    if not (scale > 0.0 and scale - scale == 0.0):  # positive and finite (NaN fails both)
        raise Bad("scale: expected a positive finite float32, got %r" % scale)
    if zp < -128 or zp > 127:
        raise Bad("zero_point: %d out of range [-128, 127]" % zp)


def _quantize(ins, outs, kernels=None):
    _count(ins, outs, 2, 1)
    x, pt = ins
    _quant_params(pt)
    if x.dtype != oplist.FLOAT32:
        raise Bad("input (%s): expected float32" % _name(x))
    _buf(outs[0], "output", oplist.INT8, x.nbytes // 4)


def _dequantize(ins, outs, kernels=None):
    _count(ins, outs, 2, 1)
    x, pt = ins
    _quant_params(pt)
    _buf(x, "input", oplist.INT8, x.nbytes)
    _buf(outs[0], "output", oplist.FLOAT32, x.nbytes)


CHECKS = {
    oplist.FULLY_CONNECTED: _fully_connected,
    oplist.CONV_2D: _conv2d,
    oplist.DEPTHWISE_CONV_2D: _depthwise,
    oplist.AVERAGE_POOL_2D: _pool,
    oplist.MAX_POOL_2D: _pool,
    oplist.ADD: _add,
    oplist.SOFTMAX: _softmax,
    oplist.REQUANTIZE: _requantize,
    oplist.QUANTIZE: _quantize,
    oplist.DEQUANTIZE: _dequantize,
}
