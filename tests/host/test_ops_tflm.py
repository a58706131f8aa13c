"""Tier-1 ops: numpy reference kernels vs TFLite Micro, element for element, on generated models.

For each op, `<op>_call(model_bytes)` derives the kernel's arguments from a single-op .tflite model
the way the converter does (tensors and options read back with the schema bindings, Prepare-time
parameters from host_tools.convert.params / .quant) and returns (kernel name, a function
input arrays -> positional kernel arguments with a fresh output buffer, output index in those
arguments, output dtype). The test runs the same inputs through TFLite Micro and compares.
"""

import numpy as np
import pytest

from host_tools import reference
from host_tools.check import modelgen, tflm
from host_tools.check.modelgen import schema
from host_tools.convert import params as builders
from host_tools.convert import quant

OP = schema.BuiltinOperator


def _single_op(model_bytes, code):
    m = modelgen.read_model(model_bytes)
    sg = m.subgraphs[0]
    op = sg.operators[0]
    if modelgen.opcode_of(m, op) != code:
        raise ValueError("operator 0 is not %s" % modelgen.builtin_name(code))
    return m, sg, op


def _shape(sg, idx):
    return tuple(int(d) for d in sg.tensors[idx].shape)


def _q(m, idx):
    """(scale float32, zero point int) of a per-tensor quantized tensor."""
    s, zp, _ = modelgen.tensor_quant(m, idx)
    return np.float32(s[0]), int(zp[0])


def _fused(op):
    opts = op.builtinOptions
    return modelgen.ACTIVATION_NAMES[opts.fusedActivationFunction if opts is not None else 0]


def _size(shape):
    return int(np.prod(shape, dtype=np.int64))


# ---------------------------------------------------------------------------------------------
# Converter side: model -> kernel arguments


def conv_call(model_bytes):
    """CONV_2D or DEPTHWISE_CONV_2D -> conv2d_s8 / depthwise_conv2d_s8 arguments."""
    m = modelgen.read_model(model_bytes)
    sg, op = m.subgraphs[0], m.subgraphs[0].operators[0]
    code = modelgen.opcode_of(m, op)
    depthwise = code == OP.DEPTHWISE_CONV_2D
    if code not in (OP.CONV_2D, OP.DEPTHWISE_CONV_2D):
        raise ValueError("not a convolution")
    in_idx, w_idx = op.inputs[0], op.inputs[1]
    b_idx = op.inputs[2] if len(op.inputs) > 2 else -1
    out_idx = op.outputs[0]
    in_s, in_zp = _q(m, in_idx)
    out_s, out_zp = _q(m, out_idx)
    w_s, w_zp, _ = modelgen.tensor_quant(m, w_idx)
    assert np.all(w_zp == 0)
    weights = np.ascontiguousarray(modelgen.buffer_array(m, w_idx))
    bias = None if b_idx < 0 else np.ascontiguousarray(modelgen.buffer_array(m, b_idx).reshape(-1))
    o = op.builtinOptions
    padding = "SAME" if o.padding == schema.Padding.SAME else "VALID"
    act_min, act_max = quant.activation_range(_fused(op), out_s, out_zp)
    make = builders.depthwise_conv2d_params if depthwise else builders.conv2d_params
    params = np.array(make(_shape(sg, in_idx), weights.shape, o.strideH, o.strideW,
                           o.dilationHFactor, o.dilationWFactor, padding, in_zp, out_zp,
                           act_min, act_max), dtype=np.int32)
    mult, shift = quant.conv_multipliers(in_s, w_s, out_s)
    out_shape = _shape(sg, out_idx)
    assert tuple(params[[reference.CONV_OUT_H, reference.CONV_OUT_W]]) == out_shape[1:3]
    name = "depthwise_conv2d_s8" if depthwise else "conv2d_s8"

    def args(x):
        return (x, weights, bias, np.zeros(out_shape, np.int8), params, mult, shift)

    return name, args, 3


def pool_call(model_bytes):
    m = modelgen.read_model(model_bytes)
    sg, op = m.subgraphs[0], m.subgraphs[0].operators[0]
    code = modelgen.opcode_of(m, op)
    name = {OP.AVERAGE_POOL_2D: "avg_pool2d_s8", OP.MAX_POOL_2D: "max_pool2d_s8"}[code]
    in_idx, out_idx = op.inputs[0], op.outputs[0]
    out_s, out_zp = _q(m, out_idx)
    o = op.builtinOptions
    padding = "SAME" if o.padding == schema.Padding.SAME else "VALID"
    act_min, act_max = quant.activation_range(_fused(op), out_s, out_zp)
    params = np.array(builders.pool2d_params(_shape(sg, in_idx), o.filterHeight, o.filterWidth,
                                              o.strideH, o.strideW, padding, act_min, act_max),
                      dtype=np.int32)
    out_shape = _shape(sg, out_idx)

    def args(x):
        return (x, np.zeros(out_shape, np.int8), params)

    return name, args, 1


def add_call(model_bytes):
    m, sg, op = _single_op(model_bytes, OP.ADD)
    i1, i2, out_idx = op.inputs[0], op.inputs[1], op.outputs[0]
    (s1, z1), (s2, z2), (so, zo) = _q(m, i1), _q(m, i2), _q(m, out_idx)
    params = np.array(builders.add_params(s1, z1, s2, z2, so, zo, _fused(op),
                                           _shape(sg, i1), _shape(sg, i2)), dtype=np.int32)
    out_shape = _shape(sg, out_idx)

    def args(x1, x2):
        return (x1, x2, np.zeros(out_shape, np.int8), params)

    return "add_s8", args, 2


def softmax_call(model_bytes):
    m, sg, op = _single_op(model_bytes, OP.SOFTMAX)
    in_idx, out_idx = op.inputs[0], op.outputs[0]
    in_s, _ = _q(m, in_idx)
    assert _q(m, out_idx) == (np.float32(1 / 256), -128)
    shape = _shape(sg, in_idx)
    depth = shape[-1]
    params = np.array(builders.softmax_params(_size(shape) // depth, depth, in_s,
                                               op.builtinOptions.beta), dtype=np.int32)

    def args(x):
        return (x, np.zeros(shape, np.int8), params)

    return "softmax_s8", args, 1


def quantize_call(model_bytes):
    """QUANTIZE float32 -> int8 (quantize_f32_s8) or int8 -> int8 (requantize_s8)."""
    m, sg, op = _single_op(model_bytes, OP.QUANTIZE)
    in_idx, out_idx = op.inputs[0], op.outputs[0]
    out_s, out_zp = _q(m, out_idx)
    shape = _shape(sg, out_idx)
    if sg.tensors[in_idx].type == schema.TensorType.FLOAT32:
        def args(x):
            return (x, np.zeros(shape, np.int8), float(out_s), out_zp)

        return "quantize_f32_s8", args, 1
    assert sg.tensors[in_idx].type == schema.TensorType.INT8
    in_s, in_zp = _q(m, in_idx)
    params = np.array(builders.requantize_params(in_s, in_zp, out_s, out_zp), dtype=np.int32)

    def args(x):
        return (x, np.zeros(shape, np.int8), params)

    return "requantize_s8", args, 1


def dequantize_call(model_bytes):
    m, sg, op = _single_op(model_bytes, OP.DEQUANTIZE)
    in_idx = op.inputs[0]
    in_s, in_zp = _q(m, in_idx)
    shape = _shape(sg, in_idx)

    def args(x):
        return (x, np.zeros(shape, np.float32), float(in_s), in_zp)

    return "dequantize_s8_f32", args, 1


def check(model_bytes, call, inputs):
    """Run `inputs` through TFLite Micro and through the reference kernel; compare exactly."""
    name, args, out_pos = call(model_bytes)
    expected = tflm.run(model_bytes, inputs)[0]
    a = args(*inputs)
    getattr(reference, name)(*a)
    got = a[out_pos]
    assert got.dtype == expected.dtype
    if got.dtype == np.float32:  # compare bit patterns
        got, expected = got.view(np.int32), expected.view(np.int32)
    diff = np.flatnonzero(got.reshape(-1) != expected.reshape(-1))
    assert diff.size == 0, "%s: %d of %d differ, first at %d: ours %s, TFLM %s" % (
        name, diff.size, got.size, diff[0], got.reshape(-1)[diff[0]], expected.reshape(-1)[diff[0]])
    return got


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


@pytest.mark.parametrize("seed,case", list(enumerate(CONV_CASES)))
def test_conv2d(seed, case):
    n, h, w, cin, cout, kernel, strides, dil, padding, act, pc, bias = case
    rng = np.random.default_rng(1000 + seed)
    model = modelgen.conv_2d(rng, n, h, w, cin, cout, kernel, strides, dil, padding, act, pc, bias)
    check(model, conv_call, [modelgen.random_input(rng, (n, h, w, cin))])


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


@pytest.mark.parametrize("seed,case", list(enumerate(DW_CASES)))
def test_depthwise_conv2d(seed, case):
    n, h, w, cin, dm, kernel, strides, dil, padding, act, pc, bias = case
    rng = np.random.default_rng(2000 + seed)
    model = modelgen.depthwise_conv_2d(rng, n, h, w, cin, dm, kernel, strides, dil, padding, act,
                                       pc, bias)
    check(model, conv_call, [modelgen.random_input(rng, (n, h, w, cin))])


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


@pytest.mark.parametrize("kind", ["avg", "max"])
@pytest.mark.parametrize("seed,case", list(enumerate(POOL_CASES)))
def test_pool2d(kind, seed, case):
    n, h, w, c, filt, strides, padding, act = case
    rng = np.random.default_rng(3000 + seed + (100 if kind == "max" else 0))
    gen = modelgen.average_pool_2d if kind == "avg" else modelgen.max_pool_2d
    model = gen(rng, n, h, w, c, filt, strides, padding, act)
    check(model, pool_call, [modelgen.random_input(rng, (n, h, w, c))])


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


@pytest.mark.parametrize("seed,case", list(enumerate(ADD_CASES)))
def test_add(seed, case):
    s1, s2, act = case
    rng = np.random.default_rng(4000 + seed)
    model = modelgen.add(rng, s1, s2, act)
    check(model, add_call, [modelgen.random_input(rng, s1), modelgen.random_input(rng, s2)])


def test_add_equal_scales():
    """Equal input scales: the larger-scale input multiplier is exactly 1/2."""
    rng = np.random.default_rng(4100)
    model = modelgen.add(rng, (1, 4, 4, 8), None, "NONE", input1_scale=0.05, input2_scale=0.05)
    check(model, add_call, [modelgen.random_input(rng, (1, 4, 4, 8)) for _ in range(2)])


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


@pytest.mark.parametrize("seed,case", list(enumerate(SOFTMAX_CASES)))
def test_softmax(seed, case):
    shape, beta, scale, value_range = case
    rng = np.random.default_rng(5000 + seed)
    model = modelgen.softmax(rng, shape, beta, input_scale=scale)
    if value_range is None:
        x = modelgen.random_input(rng, shape)
    else:
        x = rng.integers(value_range[0], value_range[1] + 1, size=shape).astype(np.int8)
    check(model, softmax_call, [x])


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


@pytest.mark.parametrize("seed,case", list(enumerate(REQUANT_CASES)))
def test_requantize(seed, case):
    shape, in_s, out_s = case
    rng = np.random.default_rng(6000 + seed)
    model = modelgen.quantize(rng, shape, np.int8, np.int8, input_scale=in_s, output_scale=out_s)
    check(model, quantize_call, [modelgen.random_input(rng, shape)])


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


@pytest.mark.parametrize("seed,case", list(enumerate(QUANT_CASES)))
def test_quantize_f32(seed, case):
    shape, out_s, out_zp = case
    rng = np.random.default_rng(7000 + seed)
    model = modelgen.quantize(rng, shape, output_scale=out_s, output_zero_point=out_zp)
    x = modelgen.random_input(rng, shape, np.float32)
    # Some exact halfway points (k + 1/2) * scale and exact multiples.
    s = np.float32(quantize_call(model)[1](x)[2])
    flat = x.reshape(-1)
    k = rng.integers(-140, 140, size=flat.size // 2)
    flat[: k.size] = ((k + np.where(np.arange(k.size) % 2, 0.5, 0.0)) * s).astype(np.float32)
    check(model, quantize_call, [x])


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


@pytest.mark.parametrize("seed,case", list(enumerate(DEQUANT_CASES)))
def test_dequantize(seed, case):
    shape, in_s, in_zp = case
    rng = np.random.default_rng(8000 + seed)
    model = modelgen.dequantize(rng, shape, input_scale=in_s, input_zero_point=in_zp)
    x = modelgen.random_input(rng, shape)
    x.reshape(-1)[0] = -128
    x.reshape(-1)[-1] = 127
    check(model, dequantize_call, [x])
