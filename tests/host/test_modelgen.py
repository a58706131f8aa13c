"""host_tools.check.modelgen builds models TFLite Micro loads and runs; host_tools.check.tflm wraps it."""

import zlib

import numpy as np
import pytest

from host_tools.check import modelgen as mg
from host_tools.check import tflm
from host_tools.check.modelgen import schema


def _run(model, seed=0):
    rng = np.random.default_rng(seed)
    s = tflm.Session(model)
    inputs = [mg.random_input(rng, d["shape"], d["dtype"]) for d in s.input_details()]
    return s, inputs, s.run(inputs)


def _informative(out, min_distinct=3):
    """Not all saturated / constant."""
    o = out.reshape(-1)
    if o.dtype.kind == "f":
        return np.unique(o).size >= min(min_distinct, o.size)
    info = np.iinfo(o.dtype)
    inner = o[(o != info.min) & (o != info.max)]
    return inner.size > 0 and np.unique(o).size >= min(min_distinct, o.size)


CASES = {
    "fc_pt": (lambda r: mg.fully_connected(r, 2, 33, 7), (2, 7), np.int8),
    "fc_pc_relu6": (lambda r: mg.fully_connected(r, 3, 300, 17, per_channel=True,
                                                 activation="RELU6"), (3, 17), np.int8),
    "fc_nobias_relu": (lambda r: mg.fully_connected(r, 1, 64, 16, bias=False, activation="RELU"),
                       (1, 16), np.int8),
    "conv_same_s2": (lambda r: mg.conv_2d(r, 1, 9, 7, 3, 5, (3, 3), (2, 2), padding="SAME",
                                          activation="RELU"), (1, 5, 4, 5), np.int8),
    "conv_valid_dil": (lambda r: mg.conv_2d(r, 2, 10, 10, 4, 3, (3, 2), (1, 1), (2, 2), "VALID"),
                       (2, 6, 8, 3), np.int8),
    "conv_10x4_pt": (lambda r: mg.conv_2d(r, 1, 49, 10, 1, 8, (10, 4), (2, 2), padding="SAME",
                                          per_channel=False, activation="RELU6"),
                     (1, 25, 5, 8), np.int8),
    "conv_1x1_nobias": (lambda r: mg.conv_2d(r, 1, 5, 5, 16, 8, (1, 1), bias=False),
                        (1, 5, 5, 8), np.int8),
    "dw_m1": (lambda r: mg.depthwise_conv_2d(r, 1, 9, 9, 8, 1, (3, 3), (1, 1), padding="SAME"),
              (1, 9, 9, 8), np.int8),
    "dw_m2_s2_relu6": (lambda r: mg.depthwise_conv_2d(r, 1, 9, 9, 4, 2, (3, 3), (2, 2),
                                                      padding="SAME", activation="RELU6"),
                       (1, 5, 5, 8), np.int8),
    "dw_m8_valid_dil": (lambda r: mg.depthwise_conv_2d(r, 1, 12, 10, 1, 8, (3, 3), (1, 1), (2, 1),
                                                       padding="VALID"), (1, 8, 8, 8), np.int8),
    "avgpool_same": (lambda r: mg.average_pool_2d(r, 1, 9, 9, 4, (3, 3), (2, 2), "SAME"),
                     (1, 5, 5, 4), np.int8),
    "avgpool_25x5": (lambda r: mg.average_pool_2d(r, 1, 25, 5, 16, (25, 5), (1, 1), "VALID"),
                     (1, 1, 1, 16), np.int8),
    "maxpool_valid_relu": (lambda r: mg.max_pool_2d(r, 1, 8, 8, 4, (2, 2), (2, 2), "VALID",
                                                    "RELU"), (1, 4, 4, 4), np.int8),
    "add": (lambda r: mg.add(r, (1, 4, 4, 8)), (1, 4, 4, 8), np.int8),
    "add_bcast_c": (lambda r: mg.add(r, (1, 4, 4, 8), (1, 1, 1, 8), activation="RELU"),
                    (1, 4, 4, 8), np.int8),
    "add_bcast_2d": (lambda r: mg.add(r, (3, 1), (1, 5)), (3, 5), np.int8),
    "reshape_tensor": (lambda r: mg.reshape(r, (1, 2, 3, 4), (1, 24)), (1, 24), np.int8),
    "reshape_options": (lambda r: mg.reshape(r, (1, 6, 4), (2, 12), shape_tensor=False),
                        (2, 12), np.int8),
    "softmax": (lambda r: mg.softmax(r, (2, 10)), (2, 10), np.int8),
    "softmax_int16": (lambda r: mg.softmax(r, (1, 12), output_dtype=np.int16), (1, 12), np.int16),
    "quantize_f32": (lambda r: mg.quantize(r, (1, 16)), (1, 16), np.int8),
    "quantize_i8": (lambda r: mg.quantize(r, (1, 16), input_dtype=np.int8), (1, 16), np.int8),
    "quantize_i16": (lambda r: mg.quantize(r, (1, 16), input_dtype=np.int8,
                                           output_dtype=np.int16), (1, 16), np.int16),
    "dequantize": (lambda r: mg.dequantize(r, (1, 16)), (1, 16), np.float32),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_generated_model_runs(name):
    make, shape, dtype = CASES[name]
    model = make(np.random.default_rng(zlib.crc32(name.encode())))
    assert isinstance(model, bytes)
    assert model[4:8] == b"TFL3"
    _, _, outs = _run(model)
    assert len(outs) == 1
    assert outs[0].shape == shape
    assert outs[0].dtype == dtype
    assert _informative(outs[0]), outs[0]


def test_generated_models_are_deterministic():
    a = mg.conv_2d(np.random.default_rng(3))
    b = mg.conv_2d(np.random.default_rng(3))
    assert a == b


def test_model_structure():
    model = mg.fully_connected(np.random.default_rng(1), 2, 5, 3, per_channel=True)
    m = mg.read_model(model)
    assert m.version == 3
    assert m.buffers[0].data is None or len(m.buffers[0].data) == 0
    (oc,) = m.operatorCodes
    assert oc.builtinCode == schema.BuiltinOperator.FULLY_CONNECTED
    assert oc.deprecatedBuiltinCode == schema.BuiltinOperator.FULLY_CONNECTED
    sg = m.subgraphs[0]
    assert len(sg.operators) == 1 and list(sg.inputs) == [0] and list(sg.outputs) == [3]
    w_s, w_zp, qd = mg.tensor_quant(m, 1)
    assert w_s.size == 3 and np.all(w_zp == 0) and qd == 0
    assert mg.buffer_array(m, 1).shape == (3, 5)
    b_s, _, _ = mg.tensor_quant(m, 2)
    in_s = mg.tensor_quant(m, 0)[0][0]
    np.testing.assert_array_equal(b_s, (in_s * w_s).astype(np.float32))
    assert mg.buffer_array(m, 2).dtype == np.int32


def test_depthwise_per_channel_dimension():
    m = mg.read_model(mg.depthwise_conv_2d(np.random.default_rng(2), in_channels=3,
                                           depth_multiplier=2))
    w_s, _, qd = mg.tensor_quant(m, 1)
    assert qd == 3 and w_s.size == 6
    m = mg.read_model(mg.conv_2d(np.random.default_rng(2), out_channels=5))
    w_s, _, qd = mg.tensor_quant(m, 1)
    assert qd == 0 and w_s.size == 5


def test_large_builtin_code_uses_placeholder():
    b = mg.ModelBuilder()
    b.opcode(schema.BuiltinOperator.GELU)
    (oc,) = b.operator_codes
    assert oc.builtinCode == schema.BuiltinOperator.GELU > 127
    assert oc.deprecatedBuiltinCode == 127


def test_low_level_builder_two_ops():
    """ModelBuilder chains operators: FC -> RELU-free RESHAPE, run end to end."""
    rng = np.random.default_rng(4)
    b = mg.ModelBuilder()
    x = b.add_input("x", (1, 8), np.int8, 0.05, 3)
    w = b.add_tensor("w", (4, 8), np.int8, 0.01, 0, data=rng.integers(-127, 128, (4, 8)))
    h = b.add_tensor("h", (1, 4), np.int8, 0.1, -5)
    y = b.add_output("y", (2, 2), np.int8, 0.1, -5)
    b.add_operator("FULLY_CONNECTED", [x, w, -1], [h], schema.FullyConnectedOptionsT())
    opts = schema.ReshapeOptionsT()
    opts.newShape = [2, 2]
    b.add_operator("RESHAPE", [h], [y], opts)
    model = b.finish()
    out = tflm.run(model, [mg.random_input(rng, (1, 8))])[0]
    assert out.shape == (2, 2) and out.dtype == np.int8
    assert len(mg.read_model(model).operatorCodes) == 2


def test_tflm_wrappers():
    model = mg.add(np.random.default_rng(5), (1, 4, 4, 8), (1, 1, 1, 8))
    d = tflm.io_details(model)
    assert [i["shape"] for i in d["inputs"]] == [(1, 4, 4, 8), (1, 1, 1, 8)]
    assert d["outputs"][0]["dtype"] == np.int8 and d["outputs"][0]["scales"].size == 1
    t = tflm.tensor_details(model)
    assert [x["name"] for x in t] == ["input1", "input2", "output"]
    usage = tflm.arena_usage(model)
    assert usage["total"] == usage["head"] + usage["tail"]
    # head = planned activations: 128 + 8 + 128 bytes, each rounded up to 16
    assert usage["head"] >= 128 + 8 + 128
    assert tflm.arena_used(model) == usage["total"]
    with pytest.raises(ValueError):
        tflm.run(model, [np.zeros((1, 4, 4, 8), np.int8)])
    with pytest.raises(TypeError):
        tflm.run(model, [np.zeros((1, 4, 4, 8), np.int16), np.zeros((1, 1, 1, 8), np.int8)])


def test_tflm_grows_arena_and_reports_prepare_errors(monkeypatch):
    model = mg.conv_2d(np.random.default_rng(6), 1, 64, 64, 8, 16)
    with pytest.raises(RuntimeError, match="allocate"):
        tflm.Session(model, arena_size=tflm.MIN_ARENA)
    # start from a too-small guess: run() must double the arena until it fits
    monkeypatch.setattr(tflm, "default_arena_size", lambda *a, **k: tflm.MIN_ARENA)
    s = tflm.Session(model)
    assert s.arena_size > tflm.MIN_ARENA
    assert s.arena_size >= 64 * 64 * (8 + 16)
    # a Prepare error (SOFTMAX int8 output with a wrong zero point) is reported, not retried
    b = mg.ModelBuilder()
    x = b.add_input("x", (1, 4), np.int8, 0.1, 0)
    y = b.add_output("y", (1, 4), np.int8, 1 / 256, 0)
    b.add_operator("SOFTMAX", [x], [y], schema.SoftmaxOptionsT(beta=1.0))
    with pytest.raises(RuntimeError, match="zero_point"):
        tflm.Session(b.finish())


def test_reset_and_reuse():
    model = mg.fully_connected(np.random.default_rng(8), 1, 16, 4)
    s, inputs, first = _run(model, 9)
    s.reset()
    np.testing.assert_array_equal(s.run(inputs)[0], first[0])
