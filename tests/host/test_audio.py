"""Audio front end (issue 4 part 2): the Signal* ops of TFLite Micro's signal library and the int16/
int32 CAST, CONCATENATION, STRIDED_SLICE, ADD/SUB/MUL/DIV/MINIMUM/MAXIMUM, each as a single-op
model equal to TFLite Micro; audio_preprocessor_int8 bit-exact (stored and live, state kept across
windows); the four 1 s wavs -> 49x40 features equal to TFLM's -> micro_speech_quantized labels; and
all of it in one firmware session per board (unix, QEMU M4 and M3)."""

import os
import tempfile

import micronn
import numpy as np
import pytest
from conftest import model_boards, require_firmware
from flatbuffers import flexbuffers

from host_tools import convert
from host_tools.check import modelgen, tflm
from host_tools.check.modelgen import ModelBuilder, activation_code, schema
from host_tools.device import boards as hw
from host_tools.device import models

TT = schema.TensorType
AUDIO_BOARDS = model_boards()
WAVS = ["yes", "no", "silence", "noise"]
LABELS = ["silence", "unknown", "yes", "no"]
PRE = "audio_preprocessor_int8"

_NP = {TT.INT8: np.int8, TT.UINT8: np.uint8, TT.INT16: np.int16, TT.INT32: np.int32,
       TT.UINT32: np.uint32, TT.UINT64: np.uint64}
_NP_OF = {"int8": np.int8, "uint8": np.uint8, "int16": np.int16, "int32": np.int32,
          "uint32": np.uint32, "uint64": np.uint64, "float32": np.float32}


# ---------------------------------------------------------------------------------- model builders

def _tensor(b, name, shape, ttype, data=None):
    if data is not None and ttype == TT.UINT64:
        raise ValueError("uint64 constants are not needed here")
    if data is not None:
        return b.add_tensor(name, shape, _NP[ttype], data=np.asarray(data, _NP[ttype]))
    return b.add_tensor(name, shape, ttype)


def custom_model(name, inputs, outputs, opts):
    """A one-op model of CUSTOM op `name`. inputs/outputs: (shape, TensorType, data or None)
    (data = a constant); graph inputs are the non-constant inputs."""
    b = ModelBuilder()
    ins = []
    for k, (shape, tt, data) in enumerate(inputs):
        i = _tensor(b, "in%d" % k, shape, tt, data)
        if data is None:
            b.inputs.append(i)
        ins.append(i)
    outs = []
    for k, (shape, tt) in enumerate(outputs):
        outs.append(_tensor(b, "out%d" % k, shape, tt))
        b.outputs.append(outs[-1])
    oc = schema.OperatorCodeT()
    oc.builtinCode = schema.BuiltinOperator.CUSTOM
    oc.deprecatedBuiltinCode = schema.BuiltinOperator.CUSTOM
    oc.customCode = name
    oc.version = 1
    b.operator_codes.append(oc)
    o = schema.OperatorT()
    o.opcodeIndex = len(b.operator_codes) - 1
    o.inputs, o.outputs = ins, outs
    o.customOptions = list(flexbuffers.Dumps(opts))
    o.customOptionsFormat = schema.CustomOptionsFormat.FLEXBUFFERS
    b.operators.append(o)
    return b.finish()


def builtin_model(op, inputs, outputs, options=None):
    b = ModelBuilder()
    ins = []
    for k, (shape, tt, data) in enumerate(inputs):
        i = _tensor(b, "in%d" % k, shape, tt, data)
        if data is None:
            b.inputs.append(i)
        ins.append(i)
    outs = [_tensor(b, "out%d" % k, shape, tt) for k, (shape, tt) in enumerate(outputs)]
    b.outputs.extend(outs)
    b.add_operator(op, ins, outs, options)
    return b.finish()


def _rand(rng, shape, dtype, lo=None, hi=None):
    info = np.iinfo(dtype)
    lo = info.min if lo is None else lo
    hi = info.max if hi is None else hi
    return rng.integers(lo, hi, size=shape, dtype=np.uint64 if dtype == np.uint64 else np.int64,
                        endpoint=True).astype(dtype)


def preprocessor_model():
    return models.fetch(PRE, quiet=True).read_bytes()


def _pre_const(index):
    """A constant of audio_preprocessor_int8 (filter bank tables, window, PCAN lut)."""
    from host_tools.check import modelgen

    return modelgen.buffer_array(modelgen.read_model(preprocessor_model()), index)


# ---------------------------------------------------------------------------------- op cases
# Each case: (name, model bytes, [input sequences]); a sequence of several inputs runs on one
# interpreter (stateful ops), compared after every step. `mask` limits the compared elements.

def _signal_cases():
    rng = np.random.default_rng(4242)
    cases = []
    # Window
    for k, (rows, n, shift) in enumerate([(1, 480, 12), (3, 7, 0), (2, 64, 8), (1, 33, 31)]):
        w = _rand(rng, (n,), np.int16)
        m = custom_model("SignalWindow", [((rows, n), TT.INT16, None), ((n,), TT.INT16, w)],
                         [((rows, n), TT.INT16)], {"shift": shift})
        cases.append(("window%d" % k, m, [[_rand(rng, (rows, n), np.int16)]]))
    # FFT auto scale (full range, small, zeros, with -32768)
    for k, (n, lo, hi) in enumerate([(480, None, None), (480, -100, 100), (7, 0, 0), (64, -3, 3), (17, -1, 1)]):
        m = custom_model("SignalFftAutoScale", [((n,), TT.INT16, None)], [((n,), TT.INT16), ((), TT.INT32)], {})
        x = _rand(rng, (n,), np.int16, lo, hi)
        seq = [[x]]
        if k == 1:
            y = x.copy()
            y[5] = -32768
            seq.append([y])
        cases.append(("autoscale%d" % k, m, seq))
    # Real FFT (int16)
    for k, (rows, in_len, nfft, lo, hi) in enumerate([
            (1, 480, 512, None, None), (1, 480, 512, -2000, 2000), (2, 256, 256, None, None),
            (1, 50, 64, -300, 300), (3, 8, 8, None, None), (1, 3, 4, None, None), (1, 100, 128, None, None)]):
        m = custom_model("SignalRfft", [((rows, in_len), TT.INT16, None)], [((rows, nfft + 2), TT.INT16)],
                         {"T": TT.INT16, "fft_length": nfft})
        cases.append(("rfft%d" % k, m, [[_rand(rng, (rows, in_len), np.int16, lo, hi)]]))
    # Energy (TFLM leaves bins outside [start, end) unwritten: compare the range only)
    for k, (bins, start, end) in enumerate([(257, 5, 241), (257, 0, 257), (33, 10, 11)]):
        m = custom_model("SignalEnergy", [((2 * bins,), TT.INT16, None)], [((bins,), TT.UINT32)],
                         {"end_index": end, "start_index": start})
        cases.append(("energy%d" % k, m, [[_rand(rng, (2 * bins,), np.int16)]], (start, end)))
    # Filter bank: the model's tables (energies full range and typical), and random tables
    tables = [_pre_const(i) for i in (13, 12, 11, 10, 9)]
    fb_ins = [((257,), TT.UINT32, None)] + [((len(t),), TT.INT16, t) for t in tables]
    m = custom_model("SignalFilterBank", fb_ins, [((40,), TT.UINT64)], {"num_channels": 40})
    cases.append(("filterbank0", m, [[_rand(rng, (257,), np.uint32)], [_rand(rng, (257,), np.uint32, 0, 1 << 20)]]))
    nch, bins = 6, 40
    starts = np.array([0, 3, 8, 12, 20, 27, 33], np.int16)
    widths = np.array([3, 5, 4, 8, 7, 6, 7], np.int16)
    wstarts = np.concatenate([[0], np.cumsum(widths)[:-1]]).astype(np.int16)
    w = _rand(rng, (int(widths.sum()),), np.int16)
    uw = _rand(rng, (int(widths.sum()),), np.int16)
    m = custom_model("SignalFilterBank", [((bins,), TT.UINT32, None), ((len(w),), TT.INT16, w),
                                          ((len(uw),), TT.INT16, uw), ((7,), TT.INT16, starts),
                                          ((7,), TT.INT16, wstarts), ((7,), TT.INT16, widths)],
                     [((nch,), TT.UINT64)], {"num_channels": nch})
    cases.append(("filterbank1", m, [[_rand(rng, (bins,), np.uint32)]]))
    # Square root (uint64 full range, 32-bit range, small), scale bits as a constant
    for k, sb in enumerate([0, 3, 31]):
        m = custom_model("SignalFilterBankSquareRoot", [((40,), TT.UINT64, None), ((), TT.INT32, [sb])],
                         [((40,), TT.UINT32)], {})
        x = np.concatenate([_rand(rng, (14,), np.uint64), _rand(rng, (14,), np.uint64, 0, (1 << 32) - 1),
                            np.array([0, 1, 2, 3, 4, (1 << 32) - 1, 1 << 32, (1 << 64) - 1, (1 << 32) + 1,
                                      0xFFFE0001, 0xFFFF0000, 0xFFFFFFFE], np.uint64)])
        cases.append(("sqrt%d" % k, m, [[x]]))
    # Spectral subtraction: five steps on one interpreter (noise estimate state)
    base = {"alternate_one_minus_smoothing": 15401, "alternate_smoothing": 983, "clamping": False,
            "min_signal_remaining": 819, "num_channels": 40, "one_minus_smoothing": 15975,
            "smoothing": 409, "smoothing_bits": 10, "spectral_subtraction_bits": 14}
    for k, (over, lo, hi) in enumerate([({}, 0, 4000), ({"clamping": True}, 0, 4000),
                                        ({"smoothing_bits": 3, "smoothing": 5000, "one_minus_smoothing": 11384},
                                         0, (1 << 32) - 1)]):
        opts = dict(base, **over)
        m = custom_model("SignalFilterBankSpectralSubtraction", [((40,), TT.UINT32, None)],
                         [((40,), TT.UINT32), ((40,), TT.UINT32)], opts)
        seq = [[_rand(rng, (40,), np.uint32, lo, hi)] for _ in range(5)]
        seq[3][0][:10] = 0  # a drop below the noise estimate
        cases.append(("specsub%d" % k, m, seq))
    # PCAN with the model's gain lut and a random one
    lut = _pre_const(8)
    for k, (shift, lut_k) in enumerate([(6, lut), (0, lut), (40, _rand(rng, (125,), np.int16))]):
        m = custom_model("SignalPCAN", [((40,), TT.UINT32, None), ((40,), TT.UINT32, None),
                                        ((125,), TT.INT16, lut_k)], [((40,), TT.UINT32)], {"snr_shift": shift})
        ne = np.concatenate([_rand(rng, (30,), np.uint32, 0, 1 << 16), _rand(rng, (7,), np.uint32),
                             np.array([0, 1, 2], np.uint32)])
        cases.append(("pcan%d" % k, m, [[_rand(rng, (40,), np.uint32, 0, 1 << 18), ne],
                                        [_rand(rng, (40,), np.uint32), ne]]))
    # Filter bank log
    for k, (bits, scale) in enumerate([(3, 64), (0, 1 << 12), (31, 1000003)]):
        m = custom_model("SignalFilterBankLog", [((40,), TT.UINT32, None)], [((40,), TT.INT16)],
                         {"input_correction_bits": bits, "output_scale": scale})
        x = np.concatenate([_rand(rng, (30,), np.uint32), np.array([0, 1, 2, 3, 65535, 65536, 65537,
                                                                     (1 << 32) - 1, 1 << 31, 100], np.uint32)])
        cases.append(("log%d" % k, m, [[x]]))
    return cases


_CASTS = [(TT.UINT32, TT.INT32), (TT.INT32, TT.UINT32), (TT.INT16, TT.INT32), (TT.INT32, TT.INT8),
          (TT.INT8, TT.INT32), (TT.INT32, TT.INT16), (TT.INT16, TT.INT8), (TT.INT8, TT.INT16),
          (TT.UINT32, TT.INT8)]  # TFLite Micro has no uint8 casts (the device tests cover them)


def _elementwise_cases():
    rng = np.random.default_rng(777)
    cases = []
    for k, (src, dst) in enumerate(_CASTS):
        m = builtin_model("CAST", [((3, 19), src, None)], [((3, 19), dst)])
        cases.append(("cast%d" % k, m, [[_rand(rng, (3, 19), _NP[src])]]))
    # CONCATENATION (int32 with constants as in the model, int16, int8 on inner axes)
    for k, (tt, shapes, axis, const) in enumerate([
            (TT.INT32, [(5,), (236,), (16,)], 0, (0, 2)), (TT.INT32, [(2, 3), (2, 1), (2, 4)], 1, ()),
            (TT.INT16, [(2, 3, 2), (1, 3, 2)], 0, ()), (TT.INT8, [(2, 2, 3), (2, 2, 1), (2, 2, 2)], -1, (1,)),
            (TT.INT32, [(4, 1), (4, 2)], -1, ())]):
        out = list(shapes[0])
        out[axis] = sum(s[axis] for s in shapes)
        ins = [(s, tt, _rand(rng, s, _NP[tt]) if j in const else None) for j, s in enumerate(shapes)]
        o = schema.ConcatenationOptionsT()
        o.axis = axis
        m = builtin_model("CONCATENATION", ins, [(tuple(out), tt)], o)
        cases.append(("concat%d" % k, m, [[_rand(rng, s, _NP[tt]) for j, s in enumerate(shapes) if j not in const]]))
    # STRIDED_SLICE
    for k, (tt, shape, begin, end, strides, masks, out) in enumerate([
            (TT.INT32, (257,), [5], [241], [1], (0, 0, 0), (236,)),
            (TT.INT32, (4, 6), [1, -5], [3, 6], [1, 2], (0, 0, 0), (2, 3)),
            (TT.INT16, (4, 6), [3, 5], [0, 0], [-1, -2], (0, 0, 0), (3, 3)),
            (TT.INT8, (2, 3, 8), [1, 0, 1], [2, 3, 7], [1, 1, 3], (0, 0, 1), (3, 2)),
            (TT.INT32, (3, 5), [2, 1], [0, 4], [1, 1], (1, 1, 0), (3, 3)),
            (TT.INT32, (6,), [-2], [0], [-2], (0, 1, 0), (3,)),
            (TT.INT16, (2, 3, 4, 5), [0, 1, 1, 0], [2, 3, 4, 5], [1, 1, 2, 2], (0, 0, 0), (2, 2, 2, 3))]):
        bm, em, sm = masks
        o = schema.StridedSliceOptionsT()
        o.beginMask, o.endMask, o.shrinkAxisMask = bm, em, sm
        r = len(shape)
        ins = [(shape, tt, None), ((r,), TT.INT32, begin), ((r,), TT.INT32, end), ((r,), TT.INT32, strides)]
        m = builtin_model("STRIDED_SLICE", ins, [(out, tt)], o)
        cases.append(("slice%d" % k, m, [[_rand(rng, shape, _NP[tt])]]))
    # int32 arithmetic (full range: wrapping; broadcasting; activations)
    opts = {"ADD": schema.AddOptionsT, "SUB": schema.SubOptionsT, "MUL": schema.MulOptionsT,
            "DIV": schema.DivOptionsT}
    for op in ("ADD", "SUB", "MUL", "DIV", "MINIMUM", "MAXIMUM"):
        for k, (s1, s2, act, const2) in enumerate([((40,), (), "NONE", True), ((2, 3, 4), (4,), "RELU", False),
                                                   ((1, 5), (3, 1), "RELU6", False),
                                                   ((2, 1, 3, 1), (1, 4, 1, 5), "RELU_N1_TO_1", False)]):
            o = None
            if op in opts:
                o = opts[op]()
                o.fusedActivationFunction = activation_code(act)
            out = np.broadcast_shapes(s1, s2)
            b = _rand(rng, s2, np.int32)
            if op == "DIV":
                b[b == 0] = 7
                b.flat[0] = -1
            ins = [(s1, TT.INT32, None), (s2, TT.INT32, b if const2 else None)]
            m = builtin_model(op, ins, [(out, TT.INT32)], o)
            a = _rand(rng, s1, np.int32)
            if op == "DIV":
                a.flat[0] = -(1 << 31) + 1
            cases.append(("%s%d" % (op.lower(), k), m, [[a] if const2 else [a, b]]))
    return cases


def _cases():
    out = []
    for c in _signal_cases() + _elementwise_cases():
        out.append(c if len(c) == 4 else c + (None,))
    return out


CASES = _cases()


def _tflm_outputs(model, seq):
    s = tflm.Session(model)
    return [s.run(ins) for ins in seq]


def _ours(model, seq):
    m = micronn.load(convert.convert(model).serialize())
    res = []
    for ins in seq:
        m.run(list(ins))
        res.append([np.frombuffer(bytes(m.output_view(i)), _NP_OF[o.dtype]).copy()
                    for i, o in enumerate(m.outputs)])
    return res


def _compare(name, got_seq, want_seq, mask):
    assert len(got_seq) == len(want_seq)
    for step, (got, want) in enumerate(zip(got_seq, want_seq)):
        assert len(got) == len(want), "%s step %d: %d outputs, TFLM %d" % (name, step, len(got), len(want))
        for i, (g, w) in enumerate(zip(got, want)):
            w = np.asarray(w).reshape(-1)
            g = np.asarray(g).reshape(-1)
            assert g.dtype == w.dtype, "%s output %d: %s vs %s" % (name, i, g.dtype, w.dtype)
            assert g.size == w.size, "%s output %d: %d elements, TFLM %d" % (name, i, g.size, w.size)
            if mask is not None:
                g, w = g[mask[0]:mask[1]], w[mask[0]:mask[1]]
            assert np.array_equal(g, w), "%s step %d output %d: %d of %d differ" % (
                name, step, i, int(np.sum(g != w)), w.size)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_op_numpy_vs_tflm(case):
    name, model, seq, mask = case
    _compare(name, _ours(model, seq), _tflm_outputs(model, seq), mask)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_op_converts_to_its_kernel(case):
    """Each case's op becomes one native micronn op (not a Python op), whose kernel is the one
    the op list names for that TFLite op."""
    from micronn import oplist

    name, model, _seq, _mask = case
    c = convert.convert(model)
    src = modelgen.read_model(model)
    code = modelgen.opcode_of(src, src.subgraphs[0].operators[0])
    tfl = modelgen.builtin_name(code)
    if tfl == "CUSTOM":
        tfl = src.operatorCodes[src.subgraphs[0].operators[0].opcodeIndex].customCode
        tfl = tfl.decode() if isinstance(tfl, bytes) else tfl
    assert [op.opcode in oplist.OPS for op in c.ops] == [True], (name, [op.opcode for op in c.ops])
    assert oplist.OPS[c.ops[0].opcode][0] == tfl, (name, oplist.OPS[c.ops[0].opcode], tfl)


# ---------------------------------------------------------------------------------- the models

def _stored_io():
    z = np.load(models.reference_io(PRE))
    return z["input_0"], z["output_0"]


def test_preprocessor_converts():
    c = convert.convert(preprocessor_model())
    assert all(op.opcode != 0x7FFF for op in c.ops), [op.name for op in c.ops]  # no Python op
    assert len(c.ops) == 21
    assert c.arena_size <= tflm.arena_usage(preprocessor_model())["head"] + 2 * 1024


def test_preprocessor_stored_and_live():
    data = convert.convert(preprocessor_model()).serialize()
    x, want = _stored_io()
    m = micronn.load(data)
    assert np.array_equal(np.frombuffer(bytes(m.run(x)), np.int8), want.reshape(-1))
    # Live TFLM on one interpreter: state (noise estimate) carried across 12 windows, then reset.
    rng = np.random.default_rng(99)
    s = tflm.Session(preprocessor_model())
    m = micronn.load(data)
    for k in range(12):
        if k % 3 == 0:
            x = rng.integers(-32768, 32768, size=(1, 480), dtype=np.int16)
        else:
            x = rng.integers(-400 * k, 400 * k + 1, size=(1, 480)).astype(np.int16)
        w = s.run([x])[0].reshape(-1)
        g = np.frombuffer(bytes(m.run(x)), np.int8)
        assert np.array_equal(g, w), "window %d: %d differ" % (k, int(np.sum(g != w)))
    s.reset()
    m.reset()
    assert np.array_equal(np.frombuffer(bytes(m.run(x)), np.int8), s.run([x])[0].reshape(-1))


def wav_samples(name):
    """16 kHz mono int16 samples of a registry wav (data chunk located by walking the RIFF chunks)."""
    raw = models.fetch(name + "_1000ms.wav", quiet=True).read_bytes()
    assert raw[:4] == b"RIFF" and raw[8:12] == b"WAVE"
    pos = 12
    while pos + 8 <= len(raw):
        cid, size = raw[pos:pos + 4], int.from_bytes(raw[pos + 4:pos + 8], "little")
        if cid == b"data":
            return np.frombuffer(raw[pos + 8:pos + 8 + size], np.int16)
        pos += 8 + size + (size & 1)
    raise AssertionError("no data chunk")


def features(model, pcm):
    """49 windows of 480 samples every 320 (30 ms / 20 ms at 16 kHz) on one model instance."""
    model.reset()
    return np.array([np.frombuffer(bytes(model.run(pcm[k * 320:k * 320 + 480].copy())), np.int8)
                     for k in range(49)])


def _stored_features():
    return np.load(models.mirror_dir() / "tflm/samples/micro_speech_features_from_wavs.io.npz")


@pytest.mark.parametrize("wav", WAVS)
def test_wav_features_and_label(wav):
    z = _stored_features()
    pre = micronn.load(convert.convert(preprocessor_model()).serialize())
    feats = features(pre, wav_samples(wav))
    assert np.array_equal(feats, z["%s_1000ms_features" % wav])
    cls = micronn.load(convert.convert(models.fetch("micro_speech_quantized", quiet=True).read_bytes()).serialize())
    y = np.frombuffer(bytes(cls.run(feats.reshape(1, 49, 40, 1))), np.int8)
    assert np.array_equal(y, z["%s_1000ms_micro_speech_output" % wav])
    assert LABELS[int(np.argmax(y))] == {"yes": "yes", "no": "no", "silence": "silence", "noise": "silence"}[wav]


def test_registry_has_audio_files():
    reg = models.registry()
    for name in [PRE] + ["%s_1000ms.wav" % w for w in WAVS]:
        assert name in reg
        assert "90b983c2b3f1480642e040bbd2ddb37b998f3424" in reg[name]["url"]
        models.fetch(name, quiet=True)


# ---------------------------------------------------------------------------------- on the boards

_TYPECODES = {np.dtype(np.int8): "b", np.dtype(np.uint8): "B", np.dtype(np.int16): "h",
              np.dtype(np.int32): "i", np.dtype(np.uint32): "I", np.dtype(np.uint64): "Q"}

_DEVICE_SCRIPT = """\
import binascii
import micronn
from array import array


def arr(code, hexdata):
    return array(code, binascii.unhexlify(hexdata))


for k, seq in enumerate(CASES):
    m = micronn.load("case%d.micronn" % k)
    for step, ins in enumerate(seq):
        m.run([arr(c, h) for c, h in ins])
        for i in range(len(m.outputs)):
            print("OUT", k, step, i, str(binascii.hexlify(bytes(m.output_view(i))), "ascii"))
    m = None
pre = micronn.load("pre.micronn")
cls = micronn.load("cls.micronn")
feats = bytearray(49 * 40)
x = array("h", bytes(960))
for name in WAVS:
    pcm = READ
    pre.reset()
    t0 = micronn.ticks()
    for w in range(49):
        x[:] = array("h", pcm[w * 640:w * 640 + 960])
        feats[w * 40:(w + 1) * 40] = bytes(pre.run(x))
    t1 = micronn.ticks()
    y = cls.run(feats)
    print("WAV", name, str(binascii.hexlify(feats), "ascii"), str(binascii.hexlify(bytes(y)), "ascii"),
          (t1 - t0) * micronn.TICK_SCALE // 49)
"""


def _read_fn(board):
    return "host_read" if hw.board_info(board).port == "qemu" else "open"


@pytest.mark.parametrize("board", AUDIO_BOARDS)
def test_device_batch(board):
    """Every op case, the preprocessor over the four wavs and the classifier, in one session."""
    require_firmware(board)
    z = _stored_features()
    with tempfile.TemporaryDirectory(prefix="micronn-audio-") as tmp:
        lits = []
        for k, (_name, model, seq, _mask) in enumerate(CASES):
            with open(os.path.join(tmp, "case%d.micronn" % k), "wb") as f:
                f.write(convert.convert(model).serialize())
            lits.append("[%s]" % ", ".join("[%s]" % ", ".join(
                "(%r, %r)" % (_TYPECODES[np.asarray(x).dtype], np.ascontiguousarray(x).tobytes().hex())
                for x in ins) for ins in seq))
        with open(os.path.join(tmp, "pre.micronn"), "wb") as f:
            f.write(convert.convert(preprocessor_model()).serialize())
        with open(os.path.join(tmp, "cls.micronn"), "wb") as f:
            f.write(convert.convert(models.fetch("micro_speech_quantized", quiet=True).read_bytes()).serialize())
        for w in WAVS:
            with open(os.path.join(tmp, w), "wb") as f:
                f.write(wav_samples(w).tobytes())
        read = ("micronn.kernels.host_read(name)" if _read_fn(board) == "host_read"
                else "open(name, 'rb').read()")
        script = ("CASES = [%s]\nWAVS = %r\n" % (", ".join(lits), WAVS)) + _DEVICE_SCRIPT.replace("READ", read)
        rc, out = hw.run_script(board, script, timeout=1800, cwd=tmp)
    assert rc == 0, out[-3000:]
    got = {}
    wav = {}
    for line in out.splitlines():
        p = line.split()
        if p[:1] == ["OUT"]:
            got[int(p[1]), int(p[2]), int(p[3])] = bytes.fromhex(p[4]) if len(p) > 4 else b""
        elif p[:1] == ["WAV"]:
            wav[p[1]] = (bytes.fromhex(p[2]), bytes.fromhex(p[3]), int(p[4]))
    for k, (name, model, seq, mask) in enumerate(CASES):
        want = _tflm_outputs(model, seq)
        gseq = [[np.frombuffer(got[k, s, i], np.asarray(w).dtype) for i, w in enumerate(ws)]
                for s, ws in enumerate(want)]
        _compare("%s on %s" % (name, board), gseq, want, mask)
    for w in WAVS:
        feats, y, _ = wav[w]
        assert np.array_equal(np.frombuffer(feats, np.int8).reshape(49, 40), z["%s_1000ms_features" % w]), w
        assert np.array_equal(np.frombuffer(y, np.int8), z["%s_1000ms_micro_speech_output" % w]), w
