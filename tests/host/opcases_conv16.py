"""Generated-model cases of the 16x8 layers (ops_conv16.py: CONV_2D, DEPTHWISE_CONV_2D,
FULLY_CONNECTED, TRANSPOSE_CONV, BATCH_MATMUL with int16 activations; see opcases.py):
(id, .tflite bytes, [inputs]), each checked against live TFLite Micro on the numpy backend and
on every test board.

Activations symmetric int16 (zero point 0), weights int8 (per channel or per tensor), biases
of every type TFLM's kernel takes (int64, int32 for CONV_2D and FULLY_CONNECTED, int16 for
TRANSPOSE_CONV) and none (with quantized_bias_type int32 too: TFLM's int32 path). The output
scale spans about +-3 standard deviations of the real outputs, so the clamps are hit."""

import math

import numpy as np

from host_tools.check import modelgen
from host_tools.check.modelgen import ModelBuilder, schema

CASES = []

_X_STD = 65536 / math.sqrt(12)  # a uniform int16
_W_STD = 255 / math.sqrt(12)  # a uniform int8 weight in [-127, 127]
_BIAS_NP = {"int64": np.int64, "int32": np.int32, "int16": np.int16}


def _quant(rng, n_terms, out_c, per_channel, activation):
    """(input scale, weight scales, output scale, accumulator std)."""
    in_s = np.float32(rng.uniform(1e-4, 1e-3))
    w_s = (rng.uniform(2e-3, 2e-2, out_c) if per_channel else rng.uniform(2e-3, 2e-2, 1)).astype(np.float32)
    acc_std = math.sqrt(max(n_terms, 1)) * _X_STD * _W_STD
    real_std = acc_std * float(in_s) * float(np.median(w_s))
    if activation in ("RELU6", "RELU_N1_TO_1"):  # real outputs of about +-2 (+-1), clamped
        target = 2.0 if activation == "RELU6" else 1.0
        w_s = (w_s * np.float32(target / real_std)).astype(np.float32)
        real_std = target
    out_s = np.float32(real_std * 6 / 65536)
    return in_s, w_s, out_s, acc_std


def _bias_tensor(b, rng, bias, n, acc_std, in_s, w_s):
    if bias is None:
        return -1
    lim = {"int16": 30000}.get(bias, None)
    v = np.round(rng.normal(0, 0.5 * acc_std, n))
    if lim:
        v = np.clip(v, -lim, lim)
    return b.add_tensor("bias", (n,), _BIAS_NP[bias], (in_s * w_s).astype(np.float32), 0,
                        quantized_dimension=0, data=v.astype(_BIAS_NP[bias]))


def _out_size(size, k, stride, dil, padding):
    eff = (k - 1) * dil + 1
    return (size + stride - 1) // stride if padding == "SAME" else (size - eff + stride) // stride


def conv_model(rng, depthwise, shape, out_c, kernel, stride=(1, 1), dil=(1, 1), padding="SAME",
               activation="NONE", bias="int64", per_channel=True, bias_type=None):
    """One 16x8 CONV_2D or DEPTHWISE_CONV_2D; bias None, "int64", "int32"; bias_type: the
    option quantized_bias_type (TensorType) of an op without a bias."""
    n, h, w, c = shape
    kh, kw = kernel
    oh, ow = (_out_size(h, kh, stride[0], dil[0], padding), _out_size(w, kw, stride[1], dil[1], padding))
    in_s, w_s, out_s, acc_std = _quant(rng, kh * kw * (1 if depthwise else c), out_c, per_channel, activation)
    b = ModelBuilder("micronn opcases conv16")
    x = b.add_input("input", shape, np.int16, in_s, 0)
    if depthwise:
        wts = rng.integers(-127, 128, size=(1, kh, kw, out_c)).astype(np.int8)
        wt = b.add_tensor("filter", wts.shape, np.int8, w_s, 0, quantized_dimension=3, data=wts)
        opts = schema.DepthwiseConv2DOptionsT()
        opts.depthMultiplier = out_c // c
    else:
        wts = rng.integers(-127, 128, size=(out_c, kh, kw, c)).astype(np.int8)
        wt = b.add_tensor("filter", wts.shape, np.int8, w_s, 0, quantized_dimension=0, data=wts)
        opts = schema.Conv2DOptionsT()
        if bias_type is not None:
            opts.quantizedBiasType = bias_type
    bt = _bias_tensor(b, rng, bias, out_c, acc_std, in_s, w_s)
    y = b.add_output("output", (n, oh, ow, out_c), np.int16, out_s, 0)
    opts.padding = modelgen.PADDINGS[padding]
    opts.strideH, opts.strideW = stride
    opts.dilationHFactor, opts.dilationWFactor = dil
    opts.fusedActivationFunction = modelgen.activation_code(activation)
    # no bias: two inputs (TFLM's DEPTHWISE_CONV_2D Prepare fails on an absent third one)
    ins = [x, wt] + ([bt] if bt >= 0 or not depthwise else [])
    b.add_operator("DEPTHWISE_CONV_2D" if depthwise else "CONV_2D", ins, [y], opts,
                   version=5 if depthwise else 4)
    return b.finish()


def fc_model(rng, batches, in_f, out_f, activation="NONE", bias="int64", per_channel=True, bias_type=None,
             input_shape=None):
    in_s, w_s, out_s, acc_std = _quant(rng, in_f, out_f, per_channel, activation)
    b = ModelBuilder("micronn opcases fc16")
    x = b.add_input("input", input_shape or (batches, in_f), np.int16, in_s, 0)
    wts = rng.integers(-127, 128, size=(out_f, in_f)).astype(np.int8)
    wt = b.add_tensor("weights", wts.shape, np.int8, w_s, 0, quantized_dimension=0, data=wts)
    bt = _bias_tensor(b, rng, bias, out_f, acc_std, in_s, w_s)
    y = b.add_output("output", (batches, out_f), np.int16, out_s, 0)
    opts = schema.FullyConnectedOptionsT()
    opts.fusedActivationFunction = modelgen.activation_code(activation)
    if bias_type is not None:
        opts.quantizedBiasType = bias_type
    b.add_operator("FULLY_CONNECTED", [x, wt, bt], [y], opts, version=7 if per_channel else 4)
    return b.finish()


def _tconv_out(size, k, stride, padding):
    return size * stride if padding == "SAME" else (size - 1) * stride + k


def tconv_model(rng, shape, out_c, kernel, stride, padding, activation="NONE", bias="int64",
                per_channel=True, out_hw=None):
    n, h, w, c = shape
    kh, kw = kernel
    oh, ow = out_hw or (_tconv_out(h, kh, stride[0], padding), _tconv_out(w, kw, stride[1], padding))
    taps = c * math.ceil(kh / stride[0]) * math.ceil(kw / stride[1])
    in_s, w_s, out_s, acc_std = _quant(rng, taps, out_c, per_channel, activation)
    b = ModelBuilder("micronn opcases tconv16")
    shp = b.add_tensor("output_shape", [4], np.int32, data=np.array([n, oh, ow, out_c], np.int32))
    wts = rng.integers(-127, 128, size=(out_c, kh, kw, c)).astype(np.int8)
    wt = b.add_tensor("weights", wts.shape, np.int8, w_s, 0, quantized_dimension=0, data=wts)
    x = b.add_input("input", shape, np.int16, in_s, 0)
    ins = [shp, wt, x]
    if bias is not None:
        ins.append(_bias_tensor(b, rng, bias, out_c, acc_std, in_s, w_s))
    y = b.add_output("output", (n, oh, ow, out_c), np.int16, out_s, 0)
    opts = schema.TransposeConvOptionsT()
    opts.padding = modelgen.PADDINGS[padding]
    opts.strideH, opts.strideW = stride
    opts.fusedActivationFunction = modelgen.activation_code(activation)
    b.add_operator("TRANSPOSE_CONV", ins, [y], opts, version=4 if activation != "NONE" else 3)
    return b.finish()


def bmm_model(rng, lhs, rhs, adj_x=False, adj_y=False, const_rhs=False):
    """(model, inputs): one int16 BATCH_MATMUL; the output scale spans the real results."""
    a, bv = modelgen.random_input(rng, lhs, np.int16), modelgen.random_input(rng, rhs, np.int16)
    ls, rs = np.float32(rng.uniform(1e-4, 1e-3)), np.float32(rng.uniform(1e-4, 1e-3))
    ra, rb = a.astype(np.float64) * ls, bv.astype(np.float64) * rs
    ra = ra.swapaxes(-1, -2) if adj_x else ra
    rb = rb.swapaxes(-1, -2) if adj_y else rb
    real = np.matmul(ra, rb)
    os_ = np.float32(max(np.abs(real).max(), 1e-3) / 30000)
    b = ModelBuilder("micronn opcases bmm16")
    x = b.add_input("lhs", lhs, np.int16, ls, 0)
    y = b.add_tensor("rhs", rhs, np.int16, rs, 0, data=bv) if const_rhs else b.add_input("rhs", rhs, np.int16, rs, 0)
    o = b.add_output("output", real.shape, np.int16, os_, 0)
    opts = schema.BatchMatMulOptionsT()
    opts.adjX, opts.adjY = bool(adj_x), bool(adj_y)
    b.add_operator("BATCH_MATMUL", [x, y], [o], opts)
    return b.finish(), [a] + ([] if const_rhs else [bv])


def _x(rng, shape):
    return modelgen.random_input(rng, shape, np.int16)


_I32 = schema.TensorType.INT32

# ---------------------------------------------------------------------------- CONV_2D
# (input, out_c, kernel, stride, dilation, padding, activation, bias, per-channel, bias type):
# SAME and VALID, strides and dilations, channels off the SIMD widths (1, 3, 5, 17, 33),
# batches, 1x1 filters, every bias type and none (TFLM's int64 and int32 paths), every
# fused activation, rows over the DSP path's chunk.
CONVS = [
    ((1, 5, 5, 3), 4, (3, 3), (1, 1), (1, 1), "SAME", "NONE", "int64", True, None),
    ((2, 6, 7, 5), 7, (3, 2), (2, 1), (1, 1), "VALID", "RELU", "int32", True, None),
    ((1, 7, 7, 2), 3, (3, 3), (1, 1), (2, 2), "SAME", "RELU6", None, True, None),
    ((1, 4, 6, 9), 5, (1, 1), (1, 1), (1, 1), "VALID", "NONE", None, True, _I32),
    ((1, 9, 8, 17), 6, (5, 5), (3, 3), (1, 1), "SAME", "RELU_N1_TO_1", "int64", False, None),
    ((1, 6, 6, 33), 8, (3, 3), (1, 2), (1, 2), "SAME", "NONE", "int64", True, None),
    ((1, 3, 4, 1), 1, (2, 2), (1, 1), (1, 1), "VALID", "NONE", "int32", False, None),
    ((1, 5, 5, 64), 4, (2, 2), (2, 2), (1, 1), "SAME", "RELU", "int64", True, None),
]
for _k, (_s, _oc, _kr, _st, _dl, _pad, _act, _b, _pc, _bt) in enumerate(CONVS):
    _rng = np.random.default_rng(16000 + _k)
    _m = conv_model(_rng, False, _s, _oc, _kr, _st, _dl, _pad, _act, _b, _pc, _bt)
    CASES.append(("conv2d-s16-%d" % _k, _m, [_x(_rng, _s)]))

# ---------------------------------------------------------------------------- DEPTHWISE_CONV_2D
DWCONVS = [
    ((1, 5, 5, 3), 1, (3, 3), (1, 1), (1, 1), "SAME", "NONE", "int64", True),
    ((2, 6, 7, 4), 2, (3, 2), (2, 1), (1, 1), "VALID", "RELU", None, True),
    ((1, 8, 8, 5), 3, (3, 3), (1, 1), (2, 2), "SAME", "RELU6", "int64", False),
    ((1, 4, 5, 17), 1, (2, 2), (1, 1), (1, 1), "VALID", "RELU_N1_TO_1", "int64", True),
    ((1, 7, 6, 8), 1, (5, 3), (2, 3), (1, 1), "SAME", "NONE", "int64", True),
]
for _k, (_s, _dm, _kr, _st, _dl, _pad, _act, _b, _pc) in enumerate(DWCONVS):
    _rng = np.random.default_rng(16100 + _k)
    _m = conv_model(_rng, True, _s, _s[3] * _dm, _kr, _st, _dl, _pad, _act, _b, _pc)
    CASES.append(("depthwise_conv2d-s16-%d" % _k, _m, [_x(_rng, _s)]))

# ---------------------------------------------------------------------------- FULLY_CONNECTED
# (batches, in, out, activation, bias, per-channel, bias type, input shape)
FCS = [
    (1, 1, 1, "NONE", "int64", False, None, None),
    (3, 7, 5, "RELU", "int32", True, None, None),
    (2, 15, 17, "RELU6", None, True, None, None),
    (4, 33, 9, "RELU_N1_TO_1", None, False, _I32, None),
    (1, 1025, 15, "NONE", "int64", True, None, None),
    (6, 20, 8, "NONE", "int32", False, None, (2, 3, 20)),
    (2, 300, 3, "NONE", "int64", False, None, None),
]
for _k, (_bt_, _i, _o, _act, _b, _pc, _bty, _ish) in enumerate(FCS):
    _rng = np.random.default_rng(16200 + _k)
    _m = fc_model(_rng, _bt_, _i, _o, _act, _b, _pc, _bty, _ish)
    CASES.append(("fully_connected-s16-%d" % _k, _m, [_x(_rng, _ish or (_bt_, _i))]))

# ---------------------------------------------------------------------------- TRANSPOSE_CONV
# (input, out_c, kernel, stride, padding, activation, bias, per-channel, output size)
TCONVS = [
    ((1, 4, 4, 3), 5, (3, 3), (2, 2), "SAME", "NONE", "int64", True, None),
    ((1, 3, 5, 8), 4, (3, 3), (1, 1), "VALID", "RELU", "int16", True, None),
    ((2, 3, 3, 17), 7, (2, 2), (2, 2), "VALID", "NONE", None, True, None),
    ((1, 5, 4, 2), 16, (4, 3), (2, 3), "SAME", "RELU6", "int64", False, None),
    ((1, 3, 4, 5), 6, (3, 3), (2, 2), "SAME", "RELU_N1_TO_1", "int64", True, (5, 7)),
]
for _k, (_s, _oc, _kr, _st, _pad, _act, _b, _pc, _ohw) in enumerate(TCONVS):
    _rng = np.random.default_rng(16300 + _k)
    _m = tconv_model(_rng, _s, _oc, _kr, _st, _pad, _act, _b, _pc, _ohw)
    CASES.append(("transpose_conv-s16-%d" % _k, _m, [_x(_rng, _s)]))

# ---------------------------------------------------------------------------- BATCH_MATMUL
# (lhs, rhs, adj_x, adj_y, constant rhs): ranks 2 to 5, broadcasting, every adj pair
BMMS = [
    ((3, 5), (5, 4), False, False, False),
    ((2, 3, 17), (2, 17, 6), False, False, False),
    ((2, 3, 8), (8, 5), False, False, True),
    ((7, 4), (3, 7, 2), True, False, False),
    ((2, 1, 5, 9), (1, 3, 6, 9), False, True, False),
    ((1, 2, 1, 3, 33), (2, 1, 4, 33, 3), True, True, True),
]
for _k, (_l, _r, _ax, _ay, _c) in enumerate(BMMS):
    _rng = np.random.default_rng(16400 + _k)
    CASES.append(("batch_matmul-s16-%d" % _k, *bmm_model(_rng, _l, _r, _ax, _ay, _c)))
