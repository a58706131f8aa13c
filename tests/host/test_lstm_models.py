"""The four LSTM models (UNIDIRECTIONAL_SEQUENCE_LSTM int8) bit-exact against TFLite Micro on
numpy and on the model boards, with their real samples; and the LSTM state carried between
run() calls exactly as one TFLM interpreter carries it between invoke() calls (reset() as a
fresh interpreter)."""

import micronn
import numpy as np
import pytest
from conftest import boards, require_firmware
from test_models import assert_outputs_equal, converted, model_bytes, stored_io

from host_tools.check import modelgen, tflm
from host_tools.device import boards as hw
from host_tools.device import models
from host_tools.pngread import read_png

MODELS = ["trained_lstm_int8", "keras_lstm_mnist_ptq", "micro_speech_lstm", "dtln_noise_suppression"]
MODEL_BOARDS = boards("MICRONN_MODEL_BOARDS", "unix,MPS2_AN386,MPS2_AN385")
DTLN_FRAMES = 20


def _sample(name):
    return models.fetch(name, quiet=True).read_bytes()


def mnist_inputs():
    """The ten mnist_lstm sample pngs as the model's int8 input (scale 1/255, zero point -128)."""
    return [(read_png(_sample("mnist_sample%d.png" % i)).astype(np.int16) - 128).astype(np.int8).reshape(1, 28, 28)
            for i in range(10)]


def speech_inputs():
    return [np.frombuffer(_sample("micro_speech_lstm_%s_features_int8_49x257.bin" % w), np.int8).reshape(1, 49, 257)
            for w in ("yes", "no")]


def dtln_frames():
    """The dtln test frame, then random frames (the stream the state runs over)."""
    first = np.frombuffer(_sample("dtln_feature_data_int8_257.bin"), np.int8).reshape(1, 1, 257)
    rng = np.random.default_rng(13)
    return [first] + [rng.integers(-128, 128, size=(1, 1, 257)).astype(np.int8) for _ in range(DTLN_FRAMES - 1)]


def stateful_model(dtype=np.int8):
    """A generated LSTM (3 batches time-major, 5 cells) and three consecutive inputs."""
    rng = np.random.default_rng(12345)
    m = modelgen.lstm(rng, batch=3, time=2, n_input=7, n_cell=5, time_major=True, weight_spread=2.0, dtype=dtype)
    return m, [modelgen.random_input(rng, (2, 3, 7), dtype) for _ in range(3)]


def _tflm_stream(model, frames):
    """TFLM's outputs of one interpreter over consecutive invokes."""
    s = tflm.Session(model)
    return [s.run([x])[0] for x in frames]


def _micronn_stream(model, frames):
    m = micronn.load(converted(model) if isinstance(model, str) else _convert(model))
    return [np.frombuffer(bytes(m.run([x])), dtype=frames[0].dtype) for x in frames], m


def _convert(tflite):
    from host_tools import convert

    return convert.convert(tflite).serialize()


# ---------------------------------------------------------------------------- numpy backend

@pytest.mark.parametrize("name", MODELS)
def test_numpy_backend_bitexact(name):
    from host_tools.check import runner

    ins, outs = stored_io(name)
    assert_outputs_equal(runner.run(converted(name), ins, backend="numpy").outputs, outs)
    rng = np.random.default_rng(8)
    ins2 = [rng.integers(np.iinfo(x.dtype).min, np.iinfo(x.dtype).max + 1, size=x.shape).astype(x.dtype) for x in ins]
    live = tflm.run(model_bytes(name), ins2)
    assert_outputs_equal(runner.run(converted(name), ins2, backend="numpy").outputs, live)


def test_mnist_samples_give_tflm_digits():
    m = micronn.load(converted("trained_lstm_int8"))
    tf = model_bytes("trained_lstm_int8")
    for digit, x in enumerate(mnist_inputs()):
        m.reset()  # each image starts from the zero state (a fresh TFLM interpreter)
        want = tflm.run(tf, [x])[0]
        got = np.frombuffer(bytes(m.run([x])), np.int8).reshape(want.shape)
        assert np.array_equal(got, want), digit
        assert int(np.argmax(got)) == digit  # the samples are the digits 0..9, and TFLM gets them all


def test_micro_speech_lstm_yes_no_classes():
    m = micronn.load(converted("micro_speech_lstm"))
    tf = model_bytes("micro_speech_lstm")
    classes = []
    for x in speech_inputs():
        m.reset()
        want = tflm.run(tf, [x])[0]
        got = np.frombuffer(bytes(m.run([x])), np.int8).reshape(want.shape)
        assert np.array_equal(got, want)
        classes.append(int(np.argmax(got)))
    assert classes[0] != classes[1], classes


def test_dtln_golden_frame_and_state_over_frames():
    frames = dtln_frames()
    want = _tflm_stream(model_bytes("dtln_noise_suppression"), frames)
    golden = np.frombuffer(_sample("dtln_golden_ref_int8_257.bin"), np.int8)
    got, m = _micronn_stream("dtln_noise_suppression", frames)
    assert np.array_equal(got[0], golden)
    for k, (g, w) in enumerate(zip(got, want)):
        assert np.array_equal(g, w.reshape(-1)), "frame %d" % k
    assert not np.array_equal(got[1], np.frombuffer(bytes(micronn.load(converted("dtln_noise_suppression")).run(
        [frames[1]])), np.int8)), "the state changes the second frame's output"
    m.reset()
    assert np.array_equal(np.frombuffer(bytes(m.run([frames[0]])), np.int8), golden)


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.float32])
def test_state_carried_between_runs_and_reset(dtype):
    model, frames = stateful_model(dtype)
    s = tflm.Session(model)
    want = [s.run([x])[0].reshape(-1) for x in frames]
    s.reset()
    want_reset = s.run([frames[1]])[0].reshape(-1)
    fresh = tflm.run(model, [frames[1]])[0].reshape(-1)
    assert np.array_equal(want_reset, fresh)  # TFLM's reset() is a fresh interpreter
    assert not np.array_equal(want[1], fresh)
    got, m = _micronn_stream(model, frames)
    for k, (g, w) in enumerate(zip(got, want)):
        assert np.array_equal(g, w), "run %d" % k
    m.reset()
    assert np.array_equal(np.frombuffer(bytes(m.run([frames[1]])), dtype), fresh)


@pytest.mark.parametrize("variant, why", [
    ({"projection": True}, "input 16 (projection_w) is given: TFLite Micro's LSTM has no projection variant"),
    ({"peephole": True}, "input 9 (peephole0) is given: TFLite Micro's LSTM has no peephole variant"),
    ({"variable_state": False}, "the hidden state hidden_state must be a variable tensor"),
    ({"activation": "RELU"}, "fused activation 1: TFLite Micro's LSTM takes TANH (4) only"),
])
def test_refuses_what_tflm_refuses(variant, why):
    from host_tools import convert

    model = modelgen.lstm(np.random.default_rng(3), **variant)
    with pytest.raises(convert.ConvertError) as e:
        convert.convert(model)
    assert str(e.value) == "op 0 (UNIDIRECTIONAL_SEQUENCE_LSTM): " + why
    if "activation" not in variant:  # TFLM asserts (aborts the process) on other activations
        with pytest.raises(RuntimeError):
            tflm.run(model, [np.zeros((1, 3, 4), np.int8)])


# ---------------------------------------------------------------------------- boards

# Each job: a model file and its inputs (files); "R" between inputs resets the model. The
# outputs of every run are printed in order.
_SCRIPT = """\
import binascii
import micronn
import _micronn


def rd(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return _micronn.host_read(path)


for k, steps in enumerate({jobs}):
    m = micronn.load("lstm%d.micronn" % k)
    for j, step in enumerate(steps):
        if step == "R":
            m.reset()
            continue
        m.input_view(0)[:] = rd(step)
        print("OUT", k, j, str(binascii.hexlify(bytes(m.run())), "ascii"))
    m = None
"""


def _with_resets(xs):
    out = []
    for x in xs:
        out += ["R", x]
    return out


def _device_jobs():
    """(model .micronn bytes, [input arrays or "R"], [expected outputs per run]) per job."""
    jobs = []
    for name in MODELS:
        ins, outs = stored_io(name)
        jobs.append((converted(name), [ins[0]], [outs[0]]))
    tf = model_bytes("trained_lstm_int8")
    xs = mnist_inputs()
    jobs.append((converted("trained_lstm_int8"), _with_resets(xs), [tflm.run(tf, [x])[0] for x in xs]))
    tf = model_bytes("micro_speech_lstm")
    xs = speech_inputs()
    jobs.append((converted("micro_speech_lstm"), _with_resets(xs), [tflm.run(tf, [x])[0] for x in xs]))
    frames = dtln_frames()
    want = _tflm_stream(model_bytes("dtln_noise_suppression"), frames)
    golden = np.frombuffer(_sample("dtln_golden_ref_int8_257.bin"), np.int8)
    jobs.append((converted("dtln_noise_suppression"), frames + ["R", frames[0]], want + [golden]))
    for dtype in (np.int8, np.int16, np.float32):
        model, xs = stateful_model(dtype)
        want = _tflm_stream(model, xs)
        jobs.append((_convert(model), xs + ["R", xs[1]], want + [tflm.run(model, [xs[1]])[0]]))
    return jobs


@pytest.mark.parametrize("board", MODEL_BOARDS)
def test_device_bitexact(board, tmp_path):
    require_firmware(board)
    jobs = _device_jobs()
    steps = []
    for k, (mb, xs, _) in enumerate(jobs):
        (tmp_path / ("lstm%d.micronn" % k)).write_bytes(mb)
        names = []
        for j, x in enumerate(xs):
            if isinstance(x, str):
                names.append(x)
                continue
            p = "in%d_%d.bin" % (k, j)
            (tmp_path / p).write_bytes(np.ascontiguousarray(x).tobytes())
            names.append(p)
        steps.append(names)
    rc, out = hw.run_script(board, _SCRIPT.format(jobs=repr(steps)), timeout=1800, cwd=tmp_path)
    assert rc == 0, out[-3000:]
    got = {}
    for line in out.splitlines():
        parts = line.split()
        if parts[:1] == ["OUT"]:
            got.setdefault(int(parts[1]), []).append(bytes.fromhex(parts[3]))
    for k, (_, _, wants) in enumerate(jobs):
        assert len(got.get(k, [])) == len(wants), (k, out[-3000:])
        for j, (g, w) in enumerate(zip(got[k], wants)):
            w = np.asarray(w)
            assert np.array_equal(np.frombuffer(g, w.dtype), w.reshape(-1)), "job %d run %d on %s" % (k, j, board)


def test_run_lstm_demo_prints_the_digits():
    """`make run-lstm`: the ten samples through models/apps/mnist_lstm.py on the unix firmware."""
    import subprocess
    import sys

    from conftest import ROOT

    fw = require_firmware("unix")
    r = subprocess.run([sys.executable, "-m", "host_tools.demo_lstm", str(fw)], cwd=ROOT, capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    digits = [line.split("digit ")[1].split()[0] for line in r.stdout.splitlines() if ": digit " in line]
    assert digits == [str(i) for i in range(10)], r.stdout
