"""Tier-1 ops: generated single-op .tflite models, converted by the converter (host_tools.convert)
and run through micronn (the numpy backend, and the C kernels on the unix firmware in one session),
equal to live TFLite Micro element for element (float outputs bit for bit).

The case tables (shapes, padding, strides, dilation, activations, quantization corners) are shared
with test_ops_device, which runs its own generated models on every firmware board.
"""

import numpy as np
import pytest
from conftest import require_firmware

from host_tools import convert
from host_tools.check import modelgen, runner, tflm

# ---------------------------------------------------------------------------------------------
# Cases

CONV_CASES = [
    # batches, h, w, cin, cout, kernel, strides, dilation, padding, activation, per_channel, bias
    (1, 1, 1, 1, 1, (1, 1), (1, 1), (1, 1), "VALID", "NONE", True, True),
    (1, 5, 5, 3, 7, (3, 3), (1, 1), (1, 1), "SAME", "NONE", True, True),
    (1, 7, 7, 8, 8, (3, 3), (2, 2), (1, 1), "SAME", "RELU", True, True),
    (1, 9, 6, 15, 17, (3, 1), (1, 1), (2, 1), "VALID", "NONE", True, False),
    (1, 49, 10, 1, 8, (10, 4), (2, 2), (1, 1), "SAME", "RELU", True, True),
    (1, 6, 5, 17, 3, (2, 3), (1, 1), (2, 2), "SAME", "RELU6", True, True),
    (2, 4, 4, 7, 15, (1, 1), (2, 2), (1, 1), "VALID", "NONE", True, True),
    (1, 3, 3, 16, 1, (3, 3), (1, 1), (1, 1), "VALID", "NONE", False, True),
    (1, 1, 1, 5, 9, (3, 3), (1, 1), (1, 1), "SAME", "NONE", True, True),
    (1, 8, 8, 3, 8, (3, 3), (2, 2), (1, 1), "SAME", "NONE", False, True),
    (1, 11, 9, 4, 6, (5, 3), (2, 2), (1, 1), "VALID", "RELU_N1_TO_1", True, False),
    (1, 10, 3, 2, 5, (3, 1), (2, 1), (3, 1), "SAME", "NONE", True, True),
    (1, 16, 16, 32, 16, (1, 1), (1, 1), (1, 1), "VALID", "RELU6", True, True),
    (1, 12, 12, 8, 16, (3, 3), (2, 2), (1, 1), "SAME", "RELU6", True, True),
    (1, 13, 7, 3, 4, (10, 8), (2, 2), (1, 1), "SAME", "RELU", True, True),
]

# TFLite Micro's DEPTHWISE_CONV_2D crashes without a bias tensor: every case has one here (the
# device test covers bias None).
DW_CASES = [
    # batches, h, w, cin, mult, kernel, strides, dilation, padding, activation, per_channel, bias
    (1, 1, 1, 1, 1, (1, 1), (1, 1), (1, 1), "VALID", "NONE", True, True),
    (1, 5, 5, 3, 1, (3, 3), (1, 1), (1, 1), "SAME", "NONE", True, True),
    (1, 7, 7, 8, 1, (3, 3), (2, 2), (1, 1), "SAME", "RELU", True, True),
    (1, 9, 6, 15, 1, (3, 1), (1, 1), (2, 1), "VALID", "NONE", True, True),
    (1, 49, 10, 1, 8, (10, 4), (2, 2), (1, 1), "SAME", "RELU", True, True),
    (1, 6, 5, 17, 1, (2, 3), (1, 1), (2, 2), "SAME", "RELU6", True, True),
    (2, 4, 4, 7, 8, (1, 1), (2, 2), (1, 1), "VALID", "NONE", True, True),
    (1, 3, 3, 16, 1, (3, 3), (1, 1), (1, 1), "VALID", "NONE", False, True),
    (1, 1, 1, 5, 8, (3, 3), (1, 1), (1, 1), "SAME", "NONE", True, True),
    (1, 8, 8, 3, 8, (3, 3), (2, 2), (1, 1), "SAME", "NONE", False, True),
    (1, 11, 9, 17, 1, (5, 3), (2, 2), (1, 1), "VALID", "RELU_N1_TO_1", True, True),
    (1, 10, 3, 2, 3, (3, 1), (2, 1), (3, 1), "SAME", "NONE", True, True),
    (1, 25, 5, 64, 1, (10, 4), (1, 1), (1, 1), "SAME", "RELU", True, True),
    (1, 12, 12, 32, 1, (3, 3), (2, 2), (1, 1), "SAME", "RELU6", True, True),
]

POOL_CASES = [
    # batches, h, w, c, filter, strides, padding, activation
    (1, 1, 1, 1, (1, 1), (1, 1), "VALID", "NONE"),
    (1, 4, 4, 3, (2, 2), (2, 2), "VALID", "NONE"),
    (1, 7, 7, 7, (3, 3), (2, 2), "SAME", "NONE"),
    (1, 5, 9, 8, (3, 3), (1, 1), "SAME", "RELU"),
    (2, 6, 5, 15, (2, 3), (2, 2), "SAME", "NONE"),
    (1, 9, 6, 17, (3, 1), (2, 1), "SAME", "RELU6"),
    (1, 25, 5, 64, (25, 5), (1, 1), "VALID", "NONE"),
    (1, 8, 8, 3, (3, 3), (2, 2), "SAME", "RELU_N1_TO_1"),
    (1, 3, 3, 16, (3, 3), (1, 1), "VALID", "NONE"),
    (1, 11, 11, 2, (5, 4), (3, 2), "SAME", "NONE"),
    (1, 10, 4, 1, (10, 4), (1, 1), "SAME", "NONE"),
    (1, 1, 1, 5, (3, 3), (1, 1), "SAME", "NONE"),
]

ADD_CASES = [
    # shape1, shape2, activation
    ((1,), (1,), "NONE"),
    ((1, 3), (1, 3), "NONE"),
    ((1, 1, 1, 7), (1, 1, 1, 7), "RELU"),
    ((1, 2, 2, 8), (1, 2, 2, 8), "NONE"),
    ((1, 3, 5, 15), (1, 3, 5, 15), "RELU6"),
    ((1, 17), (1, 17), "NONE"),
    ((2, 3, 4, 5), (5,), "NONE"),
    ((1,), (1, 4, 3, 7), "NONE"),
    ((1, 4, 1, 3), (1, 1, 5, 3), "RELU"),
    ((3, 1), (1, 7), "RELU_N1_TO_1"),
    ((2, 1, 1, 17), (1, 3, 4, 1), "NONE"),
    ((1, 49, 1, 64), (1, 49, 1, 64), "RELU"),
    ((1, 8, 8, 16), (1, 1, 1, 16), "NONE"),
]

SOFTMAX_CASES = [
    # shape, beta, input_scale (None: modelgen's default range), input value range
    ((1, 10), 1.0, None, None),
    ((1, 1), 1.0, None, None),
    ((3, 7), 1.0, 0.1, None),
    ((2, 17), 1.0, 0.25, None),
    ((1, 1000), 1.0, 0.02, None),
    ((4, 8), 0.5, 0.05, None),
    ((1, 2, 3, 12), 2.0, 0.03, None),
    ((2, 15), 1.0, 1.0, (-10, 10)),
    ((1, 12), 1.0, 3.5, (-3, 3)),
    ((5, 33), 1.0, 0.1, (100, 127)),
    ((1, 64), 1.0, 0.5, (-128, -120)),
    ((2, 3), 1.0, 0.0625, None),
    ((1, 100), 1.0, 0.00390625, None),
]

REQUANT_CASES = [
    # shape, input_scale, output_scale (None: random)
    ((1, 1), None, None),
    ((1, 3), None, None),
    ((1, 7), 0.05, 0.05),
    ((1, 8), 0.05, 0.1),
    ((1, 15), 0.1, 0.05),
    ((1, 17), 0.02, 0.3),
    ((1, 256), 0.3, 0.002),
    ((4, 64), None, None),
    ((1, 1000), 0.01, 0.0101),
    ((2, 3, 5), 1.0, 0.004),
    ((1, 33), 0.004, 1.0),
]

QUANT_CASES = [
    # shape, output_scale (None: random), output zero point (None: random)
    ((1, 1), None, None),
    ((1, 3), None, None),
    ((1, 7), 0.5, 0),
    ((1, 8), 0.03125, -128),
    ((1, 15), 1 / 3, 5),
    ((1, 17), 0.1, 127),
    ((1, 256), None, None),
    ((4, 64), 0.0234375, -7),
    ((1, 1000), 0.05, 3),
    ((2, 3, 5), 0.007, -1),
]

DEQUANT_CASES = [
    # shape, input_scale, input zero point (None: random)
    ((1, 1), None, None),
    ((1, 3), None, None),
    ((1, 7), 0.5, 0),
    ((1, 8), 0.1, -128),
    ((1, 15), 1 / 3, 5),
    ((1, 17), 0.007, 127),
    ((1, 256), None, None),
    ((4, 64), 0.0234375, -7),
    ((1, 1000), 1e-5, 3),
    ((2, 3, 5), 123.4, -1),
]


def _conv_cases():
    out = []
    for seed, (n, h, w, cin, cout, k, s, d, pad, act, pc, bias) in enumerate(CONV_CASES):
        rng = np.random.default_rng(1000 + seed)
        m = modelgen.conv_2d(rng, n, h, w, cin, cout, k, s, d, pad, act, pc, bias)
        out.append(("conv2d-%d" % seed, m, [modelgen.random_input(rng, (n, h, w, cin))]))
    for seed, (n, h, w, cin, dm, k, s, d, pad, act, pc, bias) in enumerate(DW_CASES):
        rng = np.random.default_rng(2000 + seed)
        m = modelgen.depthwise_conv_2d(rng, n, h, w, cin, dm, k, s, d, pad, act, pc, bias)
        out.append(("depthwise-%d" % seed, m, [modelgen.random_input(rng, (n, h, w, cin))]))
    return out


def _pool_add_cases():
    out = []
    for seed, (n, h, w, c, filt, strides, padding, act) in enumerate(POOL_CASES):
        for kind, gen in (("avg", modelgen.average_pool_2d), ("max", modelgen.max_pool_2d)):
            rng = np.random.default_rng(3000 + seed + (100 if kind == "max" else 0))
            out.append(("%s_pool-%d" % (kind, seed), gen(rng, n, h, w, c, filt, strides, padding, act),
                        [modelgen.random_input(rng, (n, h, w, c))]))
    for seed, (s1, s2, act) in enumerate(ADD_CASES):
        rng = np.random.default_rng(4000 + seed)
        out.append(("add-%d" % seed, modelgen.add(rng, s1, s2, act),
                    [modelgen.random_input(rng, s1), modelgen.random_input(rng, s2)]))
    # Equal input scales: the larger-scale input multiplier is exactly 1/2.
    rng = np.random.default_rng(4100)
    out.append(("add-equal-scales", modelgen.add(rng, (1, 4, 4, 8), None, "NONE", input1_scale=0.05,
                                                 input2_scale=0.05),
                [modelgen.random_input(rng, (1, 4, 4, 8)) for _ in range(2)]))
    return out


def _softmax_quant_cases():
    out = []
    for seed, (shape, beta, scale, value_range) in enumerate(SOFTMAX_CASES):
        rng = np.random.default_rng(5000 + seed)
        m = modelgen.softmax(rng, shape, beta, input_scale=scale)
        if value_range is None:
            x = modelgen.random_input(rng, shape)
        else:
            x = rng.integers(value_range[0], value_range[1] + 1, size=shape).astype(np.int8)
        out.append(("softmax-%d" % seed, m, [x]))
    for seed, (shape, in_s, out_s) in enumerate(REQUANT_CASES):
        rng = np.random.default_rng(6000 + seed)
        m = modelgen.quantize(rng, shape, np.int8, np.int8, input_scale=in_s, output_scale=out_s)
        out.append(("requantize-%d" % seed, m, [modelgen.random_input(rng, shape)]))
    for seed, (shape, out_s, out_zp) in enumerate(QUANT_CASES):
        rng = np.random.default_rng(7000 + seed)
        m = modelgen.quantize(rng, shape, output_scale=out_s, output_zero_point=out_zp)
        x = modelgen.random_input(rng, shape, np.float32)
        # Some exact halfway points (k + 1/2) * scale and exact multiples.
        mm = modelgen.read_model(m)
        s = np.float32(modelgen.tensor_quant(mm, mm.subgraphs[0].operators[0].outputs[0])[0][0])
        flat = x.reshape(-1)
        k = rng.integers(-140, 140, size=flat.size // 2)
        flat[: k.size] = ((k + np.where(np.arange(k.size) % 2, 0.5, 0.0)) * s).astype(np.float32)
        out.append(("quantize_f32-%d" % seed, m, [x]))
    for seed, (shape, in_s, in_zp) in enumerate(DEQUANT_CASES):
        rng = np.random.default_rng(8000 + seed)
        m = modelgen.dequantize(rng, shape, input_scale=in_s, input_zero_point=in_zp)
        x = modelgen.random_input(rng, shape)
        x.reshape(-1)[0] = -128
        x.reshape(-1)[-1] = 127
        out.append(("dequantize-%d" % seed, m, [x]))
    return out


CASES = _conv_cases() + _pool_add_cases() + _softmax_quant_cases()


def check(name, got, want):
    """Every output equal to TFLite Micro's (float outputs compared as bit patterns)."""
    assert len(got) == len(want), "%s: %d outputs, TFLM %d" % (name, len(got), len(want))
    for i, (g, w) in enumerate(zip(got, want)):
        assert g.dtype == w.dtype and g.size == w.size, "%s output %d: %s%s vs TFLM %s%s" % (
            name, i, g.dtype, g.shape, w.dtype, w.shape)
        g, w = g.reshape(-1), w.reshape(-1)
        if g.dtype == np.float32:
            g, w = g.view(np.int32), w.view(np.int32)
        diff = np.flatnonzero(g != w)
        assert diff.size == 0, "%s output %d: %d of %d differ, first at %d: ours %s, TFLM %s" % (
            name, i, diff.size, g.size, diff[0], g[diff[0]], w[diff[0]])


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_numpy_backend_vs_tflm(case):
    name, model, ins = case
    data = convert.convert(model).serialize()
    check(name, runner.run(data, ins, backend="numpy").outputs, tflm.run(model, ins))


def test_unix_firmware_vs_tflm():
    """The same converted models through the C kernels, in one unix firmware session."""
    require_firmware("unix")
    results = runner.run_many([(convert.convert(m).serialize(), ins) for _, m, ins in CASES], "unix")
    for (name, model, ins), res in zip(CASES, results):
        check(name + " on unix", res.outputs, tflm.run(model, ins))
