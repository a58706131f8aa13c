"""Generated-model cases of the NN area's convolution-like ops (ops_conv.py: TRANSPOSE_CONV,
BATCH_MATMUL; see opcases.py): (id, .tflite bytes, [inputs]), each checked against live TFLite Micro on the numpy backend and on every test board."""

import math

import numpy as np

from host_tools.check import modelgen
from host_tools.check.modelgen import ModelBuilder, schema

CASES = []


# ---------------------------------------------------------------------------- TRANSPOSE_CONV
def _tconv_out(size, k, stride, padding):
    return size * stride if padding == "SAME" else (size - 1) * stride + k


def transpose_conv_model(rng, dtype, shape, out_c, kernel, stride, padding, activation="NONE",
                         bias=True, per_channel=True, qin=None, out_hw=None):
    """One TRANSPOSE_CONV [output_shape, weights, input(, bias)]; out_hw: an output size other
    than the usual one (TFLM takes the padding from it)."""
    n, h, w, c = shape
    kh, kw = kernel
    oh, ow = out_hw or (_tconv_out(h, kh, stride[0], padding), _tconv_out(w, kw, stride[1], padding))
    b = ModelBuilder("micronn opcases transpose_conv")
    shp = b.add_tensor("output_shape", [4], np.int32, data=np.array([n, oh, ow, out_c], np.int32))
    if dtype == np.int8:
        in_s, in_zp = qin or (np.float32(rng.uniform(0.01, 0.05)), int(rng.integers(-128, 128)))
        w_s = (rng.uniform(0.002, 0.02, out_c) if per_channel else np.array([0.01])).astype(np.float32)
        wts = rng.integers(-127, 128, size=(out_c, kh, kw, c)).astype(np.int8)
        # the output spans about +-3 std of the accumulators
        taps = c * math.ceil(kh / stride[0]) * math.ceil(kw / stride[1])
        std = math.sqrt(taps * (74.0 ** 2 + (0 - in_zp) ** 2 / 4) * 73.0 ** 2) * float(in_s) * float(np.median(w_s))
        out_s = np.float32(max(std, 1e-6) * 6 / 256)
        out_zp = int(rng.integers(-128, -60)) if activation in ("RELU", "RELU6") else int(rng.integers(-40, 40))
        if activation in ("RELU6", "RELU_N1_TO_1"):  # real outputs of about +-2 (+-1), clamped
            out_s = np.float32(8.0 / 256 if activation == "RELU6" else 2.5 / 256)
            w_s = (w_s * np.float32((2.0 if activation == "RELU6" else 1.0) / max(std, 1e-9))).astype(np.float32)
        wt = b.add_tensor("weights", wts.shape, np.int8, w_s, 0, quantized_dimension=0, data=wts)
        x = b.add_input("input", shape, np.int8, in_s, in_zp)
        ins = [shp, wt, x]
        if bias:
            bv = np.round(rng.normal(0, 0.5 * std / (float(in_s) * float(np.median(w_s))), out_c)).astype(np.int32)
            ins.append(b.add_tensor("bias", (out_c,), np.int32, (in_s * w_s).astype(np.float32), 0, data=bv))
        y = b.add_output("output", (n, oh, ow, out_c), np.int8, out_s, out_zp)
    else:
        wts = rng.uniform(-1, 1, size=(out_c, kh, kw, c)).astype(np.float32)
        wt = b.add_tensor("weights", wts.shape, np.float32, data=wts)
        x = b.add_input("input", shape, np.float32)
        ins = [shp, wt, x]
        if bias:
            ins.append(b.add_tensor("bias", (out_c,), np.float32, data=rng.uniform(-1, 1, out_c).astype(np.float32)))
        y = b.add_output("output", (n, oh, ow, out_c), np.float32)
    opts = schema.TransposeConvOptionsT()
    opts.padding = schema.Padding.SAME if padding == "SAME" else schema.Padding.VALID
    opts.strideH, opts.strideW = stride
    opts.fusedActivationFunction = modelgen.activation_code(activation)
    b.add_operator("TRANSPOSE_CONV", ins, [y], opts, version=4 if activation != "NONE" else 3)
    return b.finish()


# (input shape, out_c, kernel, stride, padding, activation, bias, per-channel, output size):
# strides 1-3 below, equal to and above the kernel, SAME with odd totals, VALID, batches,
# channels off the SIMD widths, a 1x1 filter, an output cut short of the usual size and one
# past it (its last rows and columns get only the bias), rows over the DSP path's 24 features.
TCONVS = [
    ((1, 4, 4, 3), 5, (3, 3), (2, 2), "SAME", "NONE", True, True, None),
    ((1, 3, 5, 8), 4, (3, 3), (1, 1), "VALID", "RELU", True, True, None),
    ((2, 3, 3, 17), 7, (2, 2), (2, 2), "VALID", "NONE", False, True, None),
    ((1, 5, 4, 2), 16, (4, 3), (2, 3), "SAME", "RELU6", True, False, None),
    ((1, 2, 3, 33), 3, (1, 1), (3, 3), "VALID", "NONE", True, True, None),
    ((1, 6, 6, 4), 9, (5, 5), (2, 2), "SAME", "RELU_N1_TO_1", True, True, None),
    ((1, 3, 4, 5), 6, (3, 3), (2, 2), "SAME", "NONE", True, True, (5, 7)),
    ((3, 1, 1, 12), 8, (2, 2), (1, 1), "VALID", "NONE", True, True, None),
    ((1, 3, 2, 28), 5, (3, 3), (2, 2), "VALID", "NONE", True, True, (8, 6)),
]
for _k, (_s, _oc, _kr, _st, _pad, _act, _b, _pc, _ohw) in enumerate(TCONVS):
    for _dt in (np.int8, np.float32):
        _rng = np.random.default_rng(5000 + 2 * _k + (_dt == np.float32))
        _m = transpose_conv_model(_rng, _dt, _s, _oc, _kr, _st, _pad, _act, _b, _pc, out_hw=_ohw)
        _x = modelgen.random_input(_rng, _s, _dt)
        if _dt == np.float32 and _act in ("RELU_N1_TO_1", "RELU6"):
            _x = (_x * 0.5).astype(np.float32)
        CASES.append(("transpose_conv-%s-%d" % ("s8" if _dt == np.int8 else "f32", _k), _m, [_x]))
# int8 zero points at the ends
for _k, _zp in enumerate((-128, 127)):
    _rng = np.random.default_rng(5100 + _k)
    _m = transpose_conv_model(_rng, np.int8, (1, 3, 3, 6), 5, (3, 3), (2, 2), "SAME", qin=(np.float32(0.02), _zp))
    CASES.append(("transpose_conv-s8-zp%d" % _zp, _m, [modelgen.random_input(_rng, (1, 3, 3, 6), np.int8)]))


# ---------------------------------------------------------------------------- BATCH_MATMUL
def batch_matmul_model(rng, dtype, lhs, rhs, adj_x=False, adj_y=False, const_rhs=False, q=None):
    """(model, inputs): one BATCH_MATMUL of random lhs and rhs of those shapes (runtime lhs; rhs a
    second input or a constant); int8: the output quantization spans the real results."""
    a, bv = modelgen.random_input(rng, lhs, dtype), modelgen.random_input(rng, rhs, dtype)
    b = ModelBuilder("micronn opcases batch_matmul")
    if dtype == np.int8:
        (ls, lz), (rs, rz) = q or ((np.float32(0.02), int(rng.integers(-128, 128))),
                                   (np.float32(0.015), int(rng.integers(-128, 128))))
        ra = (a.astype(np.float64) - lz) * ls
        rb = (bv.astype(np.float64) - rz) * rs
    else:
        ra, rb = a.astype(np.float64), bv.astype(np.float64)
    ra = ra.swapaxes(-1, -2) if adj_x else ra
    rb = rb.swapaxes(-1, -2) if adj_y else rb
    real = np.matmul(ra, rb)
    if dtype == np.int8:
        lo, hi = min(real.min(), 0.0), max(real.max(), 0.0)
        os_ = np.float32(max(hi - lo, 1e-3) / 250)
        oz = int(np.clip(round(-128 - lo / float(os_)) + 2, -128, 127))
        x = b.add_input("lhs", lhs, np.int8, ls, lz)
        y = (b.add_tensor("rhs", rhs, np.int8, rs, rz, data=bv) if const_rhs
             else b.add_input("rhs", rhs, np.int8, rs, rz))
        o = b.add_output("output", real.shape, np.int8, os_, oz)
    else:
        x = b.add_input("lhs", lhs, np.float32)
        y = b.add_tensor("rhs", rhs, np.float32, data=bv) if const_rhs else b.add_input("rhs", rhs, np.float32)
        o = b.add_output("output", real.shape, np.float32)
    opts = schema.BatchMatMulOptionsT()
    opts.adjX, opts.adjY = bool(adj_x), bool(adj_y)
    b.add_operator("BATCH_MATMUL", [x, y], [o], opts)
    return b.finish(), [a] + ([] if const_rhs else [bv])


# (lhs, rhs, adj_x, adj_y, constant rhs): ranks 2 to 5, broadcasting either side and both
# (flattened by TFLM when rhs' last batch dim is 1), every adj pair, depths off the SIMD widths.
BMMS = [
    ((3, 5), (5, 4), False, False, False),
    ((2, 3, 17), (2, 17, 6), False, False, False),
    ((2, 3, 8), (8, 5), False, False, True),
    ((7, 4), (3, 7, 2), True, False, False),
    ((2, 1, 5, 9), (1, 3, 6, 9), False, True, False),
    ((2, 3, 4, 6), (5, 4), True, True, True),
    ((1, 2, 1, 3, 33), (2, 1, 4, 33, 3), False, False, False),
    ((2, 2, 2, 4, 3), (2, 1, 2, 4, 5), True, False, True),
    ((1, 16), (16, 1), False, False, True),
    ((3, 2, 20), (1, 12, 20), False, True, True),
]
for _k, (_l, _r, _ax, _ay, _c) in enumerate(BMMS):
    for _dt in (np.int8, np.float32):
        _rng = np.random.default_rng(5200 + 2 * _k + (_dt == np.float32))
        CASES.append(("batch_matmul-%s-%d" % ("s8" if _dt == np.int8 else "f32", _k),
                      *batch_matmul_model(_rng, _dt, _l, _r, _ax, _ay, _c)))
for _k, _q in enumerate((((0.02, -128), (0.01, 127)), ((0.05, 127), (0.003, -128)))):
    _rng = np.random.default_rng(5300 + _k)
    _q = tuple((np.float32(s), z) for s, z in _q)
    CASES.append(("batch_matmul-s8-zp%d" % _k, *batch_matmul_model(_rng, np.int8, (2, 4, 10), (2, 10, 3), q=_q)))
