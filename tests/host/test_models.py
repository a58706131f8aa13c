"""The nine Tier-1 models, bit-exact against TFLite Micro on every backend, and real samples."""

import numpy as np
import pytest
from conftest import boards, require_firmware, with_emu_boards

from host_tools import convert
from host_tools.check import runner, tflm
from host_tools.device import models

MODELS = ["kws_ref_model", "vww_96_int8", "pretrainedResnet_quant", "ad01_int8", "str_ww_ref_model",
          "person_detect", "hello_world_int8", "micro_speech_quantized", "simple_add_model"]
MODEL_BOARDS = boards("MICRONN_MODEL_BOARDS", "unix,MPS2_AN386,MPS2_AN385")


def stored_io(name):
    p = models.reference_io(name)
    if p is None:
        pytest.fail("stored TFLM outputs for %s not found in %s" % (name, models.mirror_dir()))
    z = np.load(p)
    ins = [z["input_%d" % i] for i in range(sum(k.startswith("input_") for k in z.files))]
    outs = [z["output_%d" % i] for i in range(sum(k.startswith("output_") for k in z.files))]
    return ins, outs


def model_bytes(name):
    return models.fetch(name, quiet=True).read_bytes()


def converted(name):
    return convert.convert(model_bytes(name)).serialize()


def assert_outputs_equal(got, want):
    assert len(got) == len(want)
    for g, w in zip(got, want):
        w = np.asarray(w)
        assert g.dtype == w.dtype
        assert np.array_equal(g.reshape(w.shape), w), "%d of %d elements differ" % (
            int(np.sum(g.reshape(w.shape) != w)), w.size)


@pytest.mark.parametrize("name", MODELS)
def test_numpy_backend_bitexact(name):
    ins, outs = stored_io(name)
    res = runner.run(converted(name), ins, backend="numpy")
    assert_outputs_equal(res.outputs, outs)
    # And against a live TFLM run on a second input.
    rng = np.random.default_rng(7)
    ins2 = [rng.integers(-128, 128, size=x.shape, dtype=np.int8) for x in ins]
    live = tflm.run(model_bytes(name), ins2)
    assert_outputs_equal(runner.run(converted(name), ins2, backend="numpy").outputs, live)


@pytest.mark.parametrize("board", with_emu_boards(MODEL_BOARDS))
def test_device_bitexact(board):
    """All nine models in one firmware session per board (on RPI_PICO: as many sessions as its
    512 KiB ROMFS partition needs), outputs equal to TFLM's stored ones."""
    require_firmware(board)
    cases, wants = [], []
    for name in MODELS:
        ins, outs = stored_io(name)
        cases.append((converted(name), ins))
        wants.append(outs)
    results = runner.run_many(cases, board)
    for name, res, want in zip(MODELS, results, wants):
        try:
            assert_outputs_equal(res.outputs, want)
        except AssertionError as e:
            raise AssertionError("%s on %s: %s" % (name, board, e)) from None


def bmp_pixels(name):
    data = models.fetch(name, quiet=True).read_bytes()
    off = int.from_bytes(data[10:14], "little")
    # BMP rows are stored bottom-up; the TFLM example's image data is top-down, with the
    # uint8 pixel values reinterpreted as int8.
    rows = np.frombuffer(data[off:off + 96 * 96], dtype=np.int8).reshape(96, 96)
    return rows[::-1].copy().reshape(1, 96, 96, 1)


def test_person_detect_samples():
    m = converted("person_detect")
    person = runner.run(m, [bmp_pixels("person.bmp")]).outputs[0].ravel()
    nobody = runner.run(m, [bmp_pixels("no_person.bmp")]).outputs[0].ravel()
    assert person[1] > person[0], person  # index 1 = person
    assert nobody[0] > nobody[1], nobody


def test_kws_sample_is_on():
    raw = (models.mirror_dir() / "mlperf_tiny/samples/kws_sample_input_int8_49x10.bin").read_bytes()
    x = np.frombuffer(raw, dtype=np.int8).reshape(1, 49, 10, 1)
    y = runner.run(converted("kws_ref_model"), [x]).outputs[0].ravel()
    labels = ["down", "go", "left", "no", "off", "on", "right", "stop", "up", "yes", "silence", "unknown"]
    assert labels[int(np.argmax(y))] == "on", y


def test_arena_not_larger_than_tflm():
    for name in MODELS:
        ours = convert.convert(model_bytes(name)).arena_size
        theirs = tflm.arena_usage(model_bytes(name))
        head = theirs["head"] if isinstance(theirs, dict) else theirs
        assert ours <= head, "%s: arena %d > TFLM %d" % (name, ours, head)


def test_arena_reaches_the_live_bound():
    """The planner's arena equals the largest sum of live activations at one op (no placement
    of this op order can be smaller) on all nine models."""
    for name in MODELS:
        c = convert.convert(model_bytes(name))
        assert c.arena_size == c.live_peak(), (name, c.arena_size, c.live_peak())


def test_live_bound_counts_what_is_live():
    # KWS by hand: the first conv writes 25x5x64 = 8,000 bytes; every later conv/depthwise layer
    # reads one such activation and writes another: 16,000 bytes live at the peak.
    c = convert.convert(model_bytes("kws_ref_model"))
    assert c.live_peak() == 16000


def _retyped(src, builtin):
    """The model src (one op) with its op turned into `builtin` (same tensors)."""
    import flatbuffers

    from host_tools.check import modelgen

    m = modelgen.read_model(src)
    code = getattr(modelgen.schema.BuiltinOperator, builtin)
    m.operatorCodes[0].builtinCode = m.operatorCodes[0].deprecatedBuiltinCode = code
    b = flatbuffers.Builder(1024)
    b.Finish(m.Pack(b), file_identifier=b"TFL3")
    return bytes(b.Output())


def test_unsupported_op_is_named():
    """An op micronn has no rule for: the error names it, what TFLM runs it on, and the fallback."""
    from host_tools.check import modelgen

    src = modelgen.fully_connected(np.random.default_rng(0), 1, 4, 4)
    with pytest.raises(convert.ConvertError, match=r"^op 0: LOCAL_RESPONSE_NORMALIZATION is not supported by "
                       r"micronn \(TFLite Micro does not run it either\); convert with --allow-python-ops"):
        convert.convert(_retyped(src, "LOCAL_RESPONSE_NORMALIZATION"))


def test_unsupported_dtype_is_named():
    """An op micronn runs, on an input dtype it does not: the error names the op once, the input
    tensor and its dtype, micronn's and TFLM's dtypes and the fallback."""
    from host_tools.check.modelgen import ModelBuilder

    b = ModelBuilder()
    x = b.add_input("x16", (1, 8), np.int16, 0.05, 0)
    y = b.add_output("y", (1, 8), np.int16, 0.05, 0)
    b.add_operator("HARD_SWISH", [x], [y], modelgen_options("HardSwishOptionsT"))  # no int16 in TFLM either
    with pytest.raises(convert.ConvertError) as e:
        convert.convert(b.finish())
    msg = str(e.value)
    assert msg.startswith("op 0 (HARD_SWISH): input x16 is int16; micronn runs HARD_SWISH on int8, float32 "
                          "(TFLite Micro runs it on float32, int8); convert with --allow-python-ops"), msg
    assert msg.count("op 0") == 1


def test_unsupported_tensor_type_is_named():
    from host_tools.check.modelgen import ModelBuilder

    b = ModelBuilder()
    x = b.add_input("x", (1, 8), np.float16, 0.0, 0)
    y = b.add_output("y", (1, 8), np.float16, 0.0, 0)
    b.add_operator("RELU", [x], [y], None)
    with pytest.raises(convert.ConvertError, match=r"tensor \d \(x\): type float16 is not supported "
                       r"\(micronn's types: int8, uint8"):
        convert.convert(b.finish())


def modelgen_options(cls, **fields):
    from host_tools.check.modelgen import schema

    o = getattr(schema, cls)()
    for k, v in fields.items():
        setattr(o, k, v)
    return o


def test_corrupt_model_file_raises():
    import micronn

    data = bytearray(converted("hello_world_int8"))
    with pytest.raises(micronn.ModelError, match="magic"):
        micronn.load(b"XXXX" + bytes(data[4:]))
    with pytest.raises(micronn.ModelError, match="truncated"):
        micronn.load(bytes(data[:-10]))
    data[-1] ^= 0xFF
    with pytest.raises(micronn.ModelError, match="checksum"):
        micronn.load(bytes(data))


def test_wrong_input_raises():
    import micronn

    m = micronn.load(converted("kws_ref_model"))
    with pytest.raises(ValueError, match="input 0"):
        m.run(np.zeros(10, np.int8))
    with pytest.raises(ValueError, match="input 0"):
        m.run(np.zeros(490, np.int16))


MOBILENET = "mobilenet_v2_quantized_1x3x224x224"


@pytest.fixture(scope="module")
def mobilenet():
    src = model_bytes(MOBILENET)
    c = convert.convert(src)
    dog = np.frombuffer(models.fetch("mobilenet_v2_dog_uint8_150528.bin", quiet=True).read_bytes(),
                        np.int8).reshape(1, 3, 224, 224)
    return src, c, dog


def test_mobilenet_v2_numpy_bitexact_and_arena(mobilenet):
    """MobileNetV2 from PyTorch (issue 12: it stopped at its first op, TRANSPOSE): the stored TFLM
    output on the numpy backend, an arena no larger than TFLM's and at the live bound."""
    src, c, _ = mobilenet
    ins, outs = stored_io(MOBILENET)
    assert_outputs_equal(runner.run(c.serialize(), ins, backend="numpy").outputs, outs)
    theirs = tflm.arena_usage(src)
    assert c.arena_size <= (theirs["head"] if isinstance(theirs, dict) else theirs)
    assert c.arena_size == c.live_peak()


@pytest.mark.parametrize("board", boards("MICRONN_MOBILENET_BOARDS", "unix,MPS2_AN386"))
def test_mobilenet_v2_device_bitexact_on_the_dog(board, mobilenet):
    """The stored input and the dog picture of TFLM's example in one session: TFLM's outputs
    element for element (and so its class, 258)."""
    require_firmware(board)
    src, c, dog = mobilenet
    ins, outs = stored_io(MOBILENET)
    want_dog = tflm.run(src, [dog])
    assert int(np.argmax(want_dog[0])) == 258
    res = runner.run_many([(c.serialize(), ins), (c.serialize(), [dog])], board, timeout=900)
    assert_outputs_equal(res[0].outputs, outs)
    assert_outputs_equal(res[1].outputs, want_dog)
