"""FULLY_CONNECTED: numpy reference kernel vs TFLite Micro, bit-exact, on generated models.

`fc_args_from_model(model_bytes)` derives the kernel arguments from a .tflite model the way the
converter does (read back with the schema bindings, host_tools.convert.quant for the requantization
parameters); `run_reference(args, x)` calls host_tools.reference.fully_connected_s8 with them.
Both are meant for reuse (e.g. to run the same arguments through the C kernel on the firmware).
"""

import zlib

import numpy as np
import pytest

from host_tools import reference
from host_tools.check import modelgen, tflm
from host_tools.check.modelgen import schema
from host_tools.convert import quant

# Argument order of reference.fully_connected_s8 / _micronn.fully_connected_s8 after `output`.
FC_ARG_ORDER = ("in_features", "out_features", "input_offset", "output_offset", "multiplier",
                "shift", "act_min", "act_max")


def fc_args_from_model(model_bytes, op_index=0):
    """Kernel arguments of the FULLY_CONNECTED operator `op_index` of a model.

    Returns a dict: weights (int8, (out, in)), bias (int32 (out,) or None), in_features,
    out_features, batches, input_offset (= -input zero point), output_offset (= output zero
    point), multiplier / shift (int32 arrays: 1 entry per-tensor, out_features per-channel),
    act_min, act_max, plus the quantization it came from (input/output scale and zero point,
    weight_scales, per_channel, activation) and input_shape/output_shape.
    """
    m = modelgen.read_model(model_bytes)
    sg = m.subgraphs[0]
    op = sg.operators[op_index]
    if modelgen.opcode_of(m, op) != schema.BuiltinOperator.FULLY_CONNECTED:
        raise ValueError("operator %d is not FULLY_CONNECTED" % op_index)
    in_idx, w_idx = op.inputs[0], op.inputs[1]
    b_idx = op.inputs[2] if len(op.inputs) > 2 else -1
    out_idx = op.outputs[0]

    in_s, in_zp, _ = modelgen.tensor_quant(m, in_idx)
    w_s, w_zp, _ = modelgen.tensor_quant(m, w_idx)
    out_s, out_zp, _ = modelgen.tensor_quant(m, out_idx)
    if np.any(w_zp != 0):
        raise ValueError("int8 FULLY_CONNECTED weights must have zero point 0")

    weights = modelgen.buffer_array(m, w_idx)
    if weights is None or weights.dtype != np.int8 or weights.ndim != 2:
        raise ValueError("weights must be a constant 2-D int8 tensor")
    out_features, in_features = weights.shape
    bias = None
    if b_idx >= 0:
        bias = modelgen.buffer_array(m, b_idx)
        if bias is None or bias.dtype != np.int32:
            raise ValueError("bias must be a constant int32 tensor")
        bias = bias.reshape(-1)

    in_shape = tuple(int(d) for d in sg.tensors[in_idx].shape)
    n_in = int(np.prod(in_shape, dtype=np.int64))
    if n_in % in_features:
        raise ValueError("input size %d is not a multiple of in_features %d" % (n_in, in_features))

    opts = op.builtinOptions
    fused = modelgen.ACTIVATION_NAMES[opts.fusedActivationFunction if opts is not None else 0]
    multiplier, shift = quant.fc_multipliers(in_s[0], w_s, out_s[0])
    act_min, act_max = quant.activation_range(fused, out_s[0], int(out_zp[0]))
    return {
        "weights": np.ascontiguousarray(weights),
        "bias": None if bias is None else np.ascontiguousarray(bias),
        "in_features": int(in_features),
        "out_features": int(out_features),
        "batches": n_in // in_features,
        "input_offset": -int(in_zp[0]),
        "output_offset": int(out_zp[0]),
        "multiplier": multiplier,
        "shift": shift,
        "act_min": int(act_min),
        "act_max": int(act_max),
        # provenance
        "input_scale": float(in_s[0]),
        "input_zero_point": int(in_zp[0]),
        "output_scale": float(out_s[0]),
        "output_zero_point": int(out_zp[0]),
        "weight_scales": w_s,
        "per_channel": w_s.size > 1,
        "activation": fused,
        "input_shape": in_shape,
        "output_shape": tuple(int(d) for d in sg.tensors[out_idx].shape),
    }


def fc_call_args(args, x, output):
    """Positional arguments for fully_connected_s8(input, weights, bias, output, ...)."""
    return (x, args["weights"], args["bias"], output) + tuple(args[k] for k in FC_ARG_ORDER)


def run_reference(args, x):
    """Run host_tools.reference.fully_connected_s8 on input x; returns (batches, out) int8."""
    x = np.ascontiguousarray(x, dtype=np.int8).reshape(-1)
    out = np.zeros(args["batches"] * args["out_features"], dtype=np.int8)
    reference.fully_connected_s8(*fc_call_args(args, x, out))
    return out.reshape(args["batches"], args["out_features"])


def _seed(*key):
    return zlib.crc32(repr(key).encode())


# (batches, in_features, out_features)
SIZES = [
    (1, 1, 1),
    (1, 1, 7),
    (3, 7, 1),
    (2, 15, 17),
    (1, 33, 3),
    (4, 17, 33),
    (1, 1200, 10),
    (3, 1025, 15),
]
MODES = [(pc, b, act) for pc in (False, True) for b in (True, False)
         for act in ("NONE", "RELU", "RELU6")]
N_INPUTS = 3


def _check_model(model, seed):
    rng = np.random.default_rng(seed)
    args = fc_args_from_model(model)
    session = tflm.Session(model)
    outs = []
    for _ in range(N_INPUTS):
        x = modelgen.random_input(rng, args["input_shape"])
        got = session.run([x])[0]
        want = run_reference(args, x)
        assert got.dtype == np.int8
        assert got.shape == args["output_shape"]
        np.testing.assert_array_equal(want, got.reshape(want.shape))
        outs.append(got)
    return args, np.concatenate([o.reshape(-1) for o in outs])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: "b%d_in%d_out%d" % s)
@pytest.mark.parametrize("mode", MODES, ids=lambda m: "%s_%s_%s" % (
    "pc" if m[0] else "pt", "bias" if m[1] else "nobias", m[2]))
def test_fc_matches_tflm(size, mode):
    batches, in_f, out_f = size
    per_channel, bias, act = mode
    seed = _seed(size, mode)
    model = modelgen.fully_connected(np.random.default_rng(seed), batches, in_f, out_f,
                                     per_channel=per_channel, bias=bias, activation=act)
    args, outs = _check_model(model, seed + 1)
    assert args["per_channel"] == (per_channel and out_f > 1)
    assert args["multiplier"].size == (out_f if args["per_channel"] else 1)
    if outs.size >= 16:
        # the generated scales must give informative outputs, not a constant
        assert np.unique(outs).size > 2


def test_fc_input_rank3_and_keep_num_dims():
    rng = np.random.default_rng(5)
    # (2, 3, 20) input flattened to 6 batches of 20
    model = modelgen.fully_connected(rng, 6, 20, 9, input_shape=(2, 3, 20))
    args, _ = _check_model(model, 6)
    assert args["batches"] == 6
    model = modelgen.fully_connected(rng, 6, 20, 9, input_shape=(2, 3, 20), keep_num_dims=True)
    args, _ = _check_model(model, 7)
    assert args["output_shape"] == (2, 3, 9)


def test_fc_extreme_zero_points():
    for i, (in_zp, out_zp) in enumerate([(-128, 127), (127, -128), (0, 0)]):
        rng = np.random.default_rng(100 + i)
        model = modelgen.fully_connected(rng, 2, 31, 5, per_channel=bool(i % 2),
                                         input_zero_point=in_zp, output_zero_point=out_zp)
        _check_model(model, 200 + i)


def test_wrong_args_are_detected():
    """The comparison is strict: an off-by-one zero point must make it fail."""
    rng = np.random.default_rng(11)
    model = modelgen.fully_connected(rng, 4, 64, 16)
    args = fc_args_from_model(model)
    x = modelgen.random_input(rng, args["input_shape"])
    got = tflm.run(model, [x])[0]
    np.testing.assert_array_equal(run_reference(args, x), got)
    bad = dict(args, input_offset=args["input_offset"] + 1)
    assert not np.array_equal(run_reference(bad, x), got)


def _find_fc_multiplier_split(rng):
    """in=1, out=1 per-tensor FC whose float32 scale product differs from the double one in the
    Q31 multiplier, plus a bias that makes the two multipliers round some output differently.
    Returns (input_scale, weight_scale, output_scale, weights, bias)."""
    while True:
        in_s = np.float32(rng.uniform(0.01, 0.05))
        w_s = np.float32(rng.uniform(0.001, 0.01))
        # large accumulators (~2^29) with unsaturated outputs need a tiny effective scale
        out_s = np.float32(float(in_s) * float(w_s) * 2 ** 29 / 100.0 * rng.uniform(0.9, 1.1))
        m32, s32 = quant.fc_multipliers_float32_product(in_s, w_s, out_s)
        m64, s64 = quant.conv_multipliers(in_s, [w_s], out_s)
        if m32[0] == m64[0] and s32[0] == s64[0]:
            continue
        w = np.array([[127]], dtype=np.int8)
        xs = np.arange(-128, 128, dtype=np.int64)
        for bias in rng.integers(2 ** 29, 2 ** 29 + 2 ** 27, size=4000):
            acc = (xs + 0) * 127 + int(bias)  # input zero point 0
            a = reference.requantize(acc, m32[0], s32[0])
            b = reference.requantize(acc, m64[0], s64[0])
            if np.any(a != b) and np.all(np.abs(a) < 120):
                return in_s, w_s, out_s, w, int(bias)


@pytest.mark.parametrize("seed", [1234, 7, 8])
def test_fc_per_tensor_multiplier_is_double_product(seed):
    """The TFLM source computes the per-tensor FC input_scale * weight_scale in float32
    (GetQuantizedConvolutionMultipler), but the tflite_micro interpreter's outputs follow the
    double product. Build models where the two give different outputs and check which one
    TFLM matches (if a new wheel changes this, this test says so)."""
    rng = np.random.default_rng(seed)
    in_s, w_s, out_s, w, bias = _find_fc_multiplier_split(rng)
    model = modelgen.fully_connected(rng, 256, 1, 1, bias=True, input_scale=in_s,
                                     input_zero_point=0, weight_scale=w_s, output_scale=out_s,
                                     output_zero_point=0, weights=w, bias_data=[bias])
    args = fc_args_from_model(model)
    x = np.arange(-128, 128, dtype=np.int8).reshape(256, 1)
    got = tflm.run(model, [x])[0]
    np.testing.assert_array_equal(run_reference(args, x), got)
    m32, s32 = quant.fc_multipliers_float32_product(in_s, w_s, out_s)
    assert not np.array_equal(run_reference(dict(args, multiplier=m32, shift=s32), x), got)


def test_activation_range_float32_division():
    """CalculateActivationRangeQuantized divides 6.0 / scale in float32; find a scale where the
    double quotient rounds differently and check TFLM's RELU6 clamp follows float32."""
    rng = np.random.default_rng(99)
    for _ in range(200000):
        scale = np.float32(rng.uniform(6.0 / 250, 6.0 / 60))
        q32 = np.float32(6.0) / scale
        q64 = 6.0 / float(scale)
        if np.floor(float(q32) + 0.5) != np.floor(q64 + 0.5):
            break
    else:
        pytest.fail("no float32/double split found with this seed: choose another")
    zp = -128
    hi32 = quant.activation_range("RELU6", float(scale), zp)[1]  # a Python float scale too
    hi64 = zp + int(np.floor(q64 + 0.5))
    assert hi32 != hi64 and max(hi32, hi64) <= 127
    # Large positive outputs so the RELU6 clamp is reached.
    model = modelgen.fully_connected(rng, 256, 1, 1, activation="RELU6", input_scale=0.05,
                                     input_zero_point=0, weight_scale=0.05, output_scale=scale,
                                     output_zero_point=zp, weights=[[127]], bias_data=[0])
    args = fc_args_from_model(model)
    x = np.arange(-128, 128, dtype=np.int8).reshape(256, 1)
    got = tflm.run(model, [x])[0]
    np.testing.assert_array_equal(run_reference(args, x), got)
    assert got.max() == hi32
