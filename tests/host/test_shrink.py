"""micronn shrink (host_tools/convert/shrink.py): int4 requantized and LUT-clustered weights.

Every shrunk model runs in live TFLM. The int4 files are checked against TFLM two ways: TFLM's
output on the int4 model equals TFLM's output on the same model with the filter unpacked to int8
(same scales), element for element, so the packing is the one TFLM unpacks; and `micronn verify`
(ours against TFLM, bit-exact) on the FC-only int4 model. LUT models are plain int8 (the
decompressed equivalent of a LUT model), checked for at most 2^b values per channel."""

import numpy as np
import pytest
from conftest import boards, require_firmware

from host_tools import cli
from host_tools.check import modelgen as mg
from host_tools.check import tflm, verify
from host_tools.convert import shrink
from host_tools.device import models


def _as_int8(data):
    """The model with every INT4 tensor unpacked to an INT8 one (same shape and scales)."""
    m = mg.read_model(data)
    for t in m.subgraphs[0].tensors:
        if t.type == mg.TensorType.INT4:
            n = int(np.prod(t.shape))
            vals = mg.unpack_int4(np.asarray(m.buffers[t.buffer].data, dtype=np.uint8), n)
            buf = mg._AlignedBufferT()
            buf.data = vals.view(np.uint8)
            m.buffers.append(buf)
            t.buffer = len(m.buffers) - 1
            t.type = mg.TensorType.INT8
    return shrink.write_model(m)


def _inputs(data, n, seed=1):
    rng = np.random.default_rng(seed)
    det = tflm.io_details(data)["inputs"]
    return [[rng.integers(-128, 128, size=d["shape"]).astype(np.int8) for d in det] for _ in range(n)]


def _same_in_tflm(a, b, xs):
    sa, sb = tflm.Session(a), tflm.Session(b)
    for x in xs:
        for ya, yb in zip(sa.run(x), sb.run(x)):
            np.testing.assert_array_equal(ya, yb)


GEN = {
    "fc": lambda rng: mg.fully_connected(rng, 2, 37, 9),
    "fc_per_channel": lambda rng: mg.fully_connected(rng, 1, 16, 5, per_channel=True),
    "fc_nobias": lambda rng: mg.fully_connected(rng, 1, 7, 3, bias=False),
    "conv": lambda rng: mg.conv_2d(rng, height=6, width=5, in_channels=3, out_channels=5),
    "conv_per_tensor": lambda rng: mg.conv_2d(rng, in_channels=2, out_channels=3, per_channel=False),
    "depthwise": lambda rng: mg.depthwise_conv_2d(rng, height=5, width=7, in_channels=3, depth_multiplier=2),
}


@pytest.mark.parametrize("name", sorted(GEN))
def test_int4_runs_in_tflm_as_its_unpacked_int8(name):
    src = GEN[name](np.random.default_rng(3))
    xs = _inputs(src, 3)
    r = shrink.shrink(src, xs=xs)
    m = mg.read_model(r.data)
    op = m.subgraphs[0].operators[0]
    f = m.subgraphs[0].tensors[op.inputs[1]]
    assert f.type == mg.TensorType.INT4
    n = int(np.prod(f.shape))
    assert len(m.buffers[f.buffer].data) == (n + 1) // 2
    scales, _, _ = mg.tensor_quant(m, op.inputs[1])
    if name.startswith("fc"):
        assert scales.size == 1  # TFLM's int4 FULLY_CONNECTED is per-tensor only
    else:
        assert scales.size == f.shape[3 if name == "depthwise" else 0]
    if len(op.inputs) > 2 and op.inputs[2] >= 0:  # bias scale = input scale * filter scale
        bs, _, _ = mg.tensor_quant(m, op.inputs[2])
        in_s = mg.tensor_quant(m, op.inputs[0])[0][0]
        np.testing.assert_array_equal(bs, np.broadcast_to((in_s * scales).astype(np.float32), bs.shape))
    _same_in_tflm(r.data, _as_int8(r.data), xs)
    assert r.rows[0]["low"] and r.rows[0]["bytes"] == (n + 1) // 2
    # requantization error is small: close to the int8 model (not equal)
    assert r.snr > 10


def test_int4_fc_model_verifies_bit_exact():
    src = GEN["fc"](np.random.default_rng(4))
    r = shrink.shrink(src)
    xs = _inputs(r.data, 1, seed=7)[0]
    assert verify.verify(r.data, xs, backend="numpy", out=lambda *a: None)


@pytest.mark.parametrize("bits", [1, 2, 3, 5])
def test_lut_at_most_2b_values_per_channel(bits):
    src = mg.conv_2d(np.random.default_rng(5), in_channels=8, out_channels=4, kernel=(3, 3))
    xs = _inputs(src, 2)
    r = shrink.shrink(src, lut_bits=bits, xs=xs)
    m = mg.read_model(r.data)
    op = m.subgraphs[0].operators[0]
    w0 = mg.buffer_array(mg.read_model(src), op.inputs[1])
    w = mg.buffer_array(m, op.inputs[1])
    assert m.subgraphs[0].tensors[op.inputs[1]].type == mg.TensorType.INT8
    for c in range(w.shape[0]):
        got = np.unique(w[c])
        assert got.size <= 2 ** bits
        assert got.size == min(2 ** bits, np.unique(w0[c]).size)
    assert r.rows[0]["bytes"] == (w.size * bits + 7) // 8 + w.shape[0] * 2 ** bits
    tflm.run(r.data, xs[0])  # TFLM runs it as is


def test_cluster_keeps_few_values_and_is_nearest():
    v = np.array([-100, -99, -98, 0, 1, 2, 50, 51, 120])
    out = shrink.cluster(v, 4)
    assert np.unique(out).size <= 4
    assert shrink.cluster(np.array([3, 3, -1]), 4).tolist() == [3, 3, -1]


def test_budget_keeps_layers_at_8_bits():
    src = GEN["conv"](np.random.default_rng(6))
    xs = _inputs(src, 3)
    r = shrink.shrink(src, xs=xs, min_snr=500.0)  # unreachable: nothing shrunk
    assert not any(row["low"] for row in r.rows)
    assert r.data == src and r.agreement == 1.0
    assert "8" in r.table().splitlines()[1].split()


@pytest.mark.slow
def test_kws_int4_greedy_within_budget():
    """The real DS-CNN (10 layers), seeded random inputs: every layer int4 runs in TFLM at ~0.6x
    the file (per-channel quantization tables are most of the rest); a budget shrinks fewer."""
    src = models.fetch("kws_ref_model", quiet=True).read_bytes()
    xs = _inputs(src, 4)
    full = shrink.shrink(src, xs=xs, strip_names=True)
    assert all(row["low"] for row in full.rows) and len(full.rows) == 10
    assert len(full.data) <= 0.62 * len(src)
    part = shrink.shrink(src, xs=xs, min_snr=15.0, min_agreement=1.0)
    assert part.snr >= 15.0 and part.agreement == 1.0
    assert 0 < sum(row["low"] for row in part.rows) < 10
    tflm.run(part.data, xs[0])


def test_samples_from_images_and_npz(tmp_path):
    src = GEN["fc"](np.random.default_rng(8))  # input (2, 37)
    p = tmp_path / "c.npz"
    np.savez(p, input_0=np.zeros((3, 2, 37), np.int8))
    assert len(shrink.samples(src, [str(p)])) == 3
    np.savez(p, input_0=np.zeros((3, 5), np.int8))
    with pytest.raises(shrink.ShrinkError, match="input_0 has 15 elements"):
        shrink.samples(src, [str(p)])
    with pytest.raises(shrink.ShrinkError, match="expected a .npz, .png or .bmp"):
        shrink.samples(src, ["x.txt"])
    img = shrink.read_bmp(models.fetch("person.bmp", quiet=True).read_bytes())
    assert img.shape == (96, 96) and img.dtype == np.uint8


@pytest.mark.parametrize("args,msg", [
    (["--lut-bits", "9"], "--lut-bits: expected 1..7, got 9"),
    (["--bits", "3"], "--bits: expected 4"),
    (["--min-agreement", "2"], "--min-agreement: expected a fraction"),
])
def test_cli_errors_one_line_exit_2(tmp_path, capsys, args, msg):
    m = tmp_path / "m.tflite"
    m.write_bytes(GEN["fc"](np.random.default_rng(9)))
    assert cli.main(["shrink", str(m), "--random", "1"] + args) == 2
    err = capsys.readouterr().err
    assert err.startswith("micronn shrink: ") and msg in err and err.count("\n") == 1


def test_cli_not_a_tflite(tmp_path, capsys):
    m = tmp_path / "m.tflite"
    m.write_bytes(b"hello world, not a model")
    assert cli.main(["shrink", str(m)]) == 2
    assert "expected a .tflite file" in capsys.readouterr().err


def test_cli_writes_and_prints_table(tmp_path, capsys):
    m = tmp_path / "m.tflite"
    m.write_bytes(GEN["conv"](np.random.default_rng(10)))
    assert cli.main(["shrink", str(m), "--random", "2", "-o", str(tmp_path / "s.tflite")]) == 0
    out = capsys.readouterr().out
    assert "int4" in out and "agreement with int8 top-1 on 2 samples" in out and "file " in out
    tflm.run((tmp_path / "s.tflite").read_bytes(), _inputs(m.read_bytes(), 1)[0])


def test_convert_reports_weight_bytes_by_precision():
    from host_tools import convert

    src = GEN["fc"](np.random.default_rng(11))  # 9x37 weights, 9 int32 biases
    r = shrink.shrink(src)
    line = [s for s in convert.convert(r.data).report().splitlines() if s.startswith("weight bytes")][0]
    assert "int4 %d" % ((9 * 37 + 1) // 2) in line and "int32 (bias) 36" in line
    line = [s for s in convert.convert(src).report().splitlines() if s.startswith("weight bytes")][0]
    assert "int8 %d" % (9 * 37) in line and "int4" not in line


@pytest.mark.parametrize("board", boards())
def test_shrunk_fc_models_on_device_match_tflm(board):
    """Shrunk FC models (int4 per tensor, requantized bias) run on the firmware bit-exact with
    TFLM: generated shapes and the real MNIST LSTM model's int4 FULLY_CONNECTED."""
    from host_tools import convert
    from host_tools.check import runner

    require_firmware(board)
    cases = []
    for seed, (b, i, o, bias) in enumerate([(1, 37, 9, True), (2, 64, 12, True), (1, 5, 3, False),
                                            (3, 100, 17, True)]):
        src = mg.fully_connected(np.random.default_rng(seed), b, i, o, bias=bias)
        cases.append((shrink.shrink(src).data, _inputs(src, 1, seed)[0]))
    mnist = models.fetch("trained_lstm_int8", quiet=True).read_bytes()
    r = shrink.shrink(mnist, xs=_inputs(mnist, 2))
    assert r.rows[-1]["low"] and r.rows[-1]["kind"] == "FULLY_CONNECTED"
    cases.append((r.data, _inputs(mnist, 1, 5)[0]))
    results = runner.run_many([(convert.convert(m).serialize(), x) for m, x in cases], board)
    for k, ((m, x), res) in enumerate(zip(cases, results)):
        want = tflm.run(m, x)
        for got, w in zip(res.outputs, want):
            assert np.array_equal(got.reshape(w.shape), w), "case %d differs" % k
