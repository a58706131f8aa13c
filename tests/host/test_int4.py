"""INT4 area: int4 packed weights. The packing helpers against each other, and what the converter
refuses as TFLite Micro does (the cases that run are in opcases_int4.py, checked against TFLM)."""

import numpy as np
import pytest
from conftest import boards, require_firmware

from host_tools import convert, reference
from host_tools.check import fuzz, modelgen, runner, tflm
from host_tools.convert import ConvertError
from host_tools.ops import ops_int4


def test_pack_is_tflm_order():
    v = np.array([1, -2, 7, -8, 3])
    packed = modelgen.pack_int4(v)
    assert packed.tolist() == [0xE1, 0x87, 0x03]  # low nibble first, the last high nibble 0
    assert modelgen.unpack_int4(packed, 5).tolist() == v.tolist()
    assert reference.int4.unpack_s4(packed, 5).tolist() == v.tolist()
    with pytest.raises(ValueError, match=r"\[-8, 7\]"):
        modelgen.pack_int4([8])


def test_per_channel_int4_fc_refused_as_tflm_does():
    m = modelgen.fully_connected_int4(np.random.default_rng(5), 1, 6, 3, per_channel=True)
    with pytest.raises(RuntimeError):
        tflm.run(m, [np.zeros((1, 6), np.int8)])
    with pytest.raises(ConvertError, match="per-channel.*int4 FULLY_CONNECTED per-tensor only"):
        convert.Converter(m).convert()


def test_int4_weights_elsewhere_refused_by_name():
    b = modelgen.ModelBuilder()
    x = b.add_input("input", (1, 4), np.int8, 0.1, 0)
    w = modelgen.add_int4_tensor(b, "w4", (1, 4), [1, 2, 3, 4], 0.1, 0)
    y = b.add_output("output", (1, 4), np.int8, 0.1, 0)
    b.add_operator("ADD", [x, w], [y])
    with pytest.raises(ConvertError, match="w4"):
        convert.Converter(b.finish()).convert()


def _fc4(weight_bytes, in_features=5, out_features=3):
    return [1, in_features, out_features, weight_bytes, 0, 0, 1 << 30, 0, -128, 127]


@pytest.mark.parametrize("weight_bytes", [7, 9, 1])
def test_weight_bytes_must_match_the_shape(weight_bytes):
    """5 x 3 int4 values take 8 bytes: a params array (a mutated model) saying otherwise is refused
    by the layout, so by the reference and the generated binding (tests/device/int4_checks.py runs
    the C side), before any kernel reads the packed weights."""
    with pytest.raises(ValueError, match=r"weight_bytes %d, expected \(in_features \* out_features \+ 1\) / 2 = 8"
                       % weight_bytes):
        ops_int4.FC4.check(_fc4(weight_bytes))
    with pytest.raises(ValueError, match="weight_bytes"):
        reference.fully_connected_s4(np.zeros(5, np.int8), np.zeros(weight_bytes, np.int8), None,
                                     np.zeros(3, np.int8), np.array(_fc4(weight_bytes), np.int32))
    out = np.zeros(3, np.int8)
    reference.fully_connected_s4(np.ones(5, np.int8), np.full(8, 0x11, np.int8), None, out,
                                 np.array(_fc4(8), np.int32))
    assert out.tolist() == [3, 3, 3]  # 5 * (1 * 1) * 2^30 / 2^31 = 2.5, rounded away from zero


def test_packed4_is_in_the_generated_binding():
    from host_tools.ops import gen
    src = "\n".join(gen._binding(next(op for op in ops_int4.OPS if op.kernel == "fully_connected_s4")))
    assert "expected (in_features * out_features + 1) / 2 = %d" in src


def _mutated_model(delta):
    """A converted int4 FC model (3 x 7 -> 5: 18 packed bytes) whose params say 18 + delta, with
    the file's size and crc32 fixed up (as the fuzzer's mutations): only the params check is left."""
    rng = np.random.default_rng(16100)
    m = modelgen.fully_connected_int4(rng, 3, 7, 5)
    data = convert.convert(m).serialize()
    head = np.array([3, 7, 5, 18], "<i4").tobytes()
    assert data.count(head) == 1
    data = data.replace(head, np.array([3, 7, 5, 18 + delta], "<i4").tobytes())
    return bytes(fuzz.fixup(bytearray(data))), m, rng


@pytest.mark.parametrize("board", ["numpy"] + [b for b in boards() if b != "numpy"])
def test_mutated_weight_bytes_raises_on_run(board):
    """The model file says 17 or 19 packed weight bytes for 35 int4 values: running it raises
    ValueError naming weight_bytes on every backend; the unmutated file matches TFLite Micro."""
    if board != "numpy":
        require_firmware(board)
    good, m, rng = _mutated_model(0)
    x = modelgen.random_input(rng, (3, 7))
    run = (lambda d: runner.run(d, [x], backend="numpy")) if board == "numpy" else (
        lambda d: runner.run_many([(d, [x])], board)[0])
    assert np.array_equal(np.asarray(run(good).outputs[0]).reshape(3, 5), tflm.run(m, [x])[0])
    for delta in (-1, 1):
        with pytest.raises(Exception, match="weight_bytes 1[79], expected"):
            run(_mutated_model(delta)[0])
