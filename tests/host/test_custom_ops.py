"""Python (CUSTOM) ops: a generated FULLY_CONNECTED -> CUSTOM "MyScale" -> FULLY_CONNECTED model.

The converter keeps the CUSTOM op by name with its flexbuffer options (decoded, stored as JSON in
the model file); the runtime calls the registered Python function with the input/output tensors
(memoryview + shape, dtype, scale, zero point) and the options. The numpy implementation under
CPython is the expectation; on the unix firmware and the QEMU boards plain Python,
@micropython.native and @micropython.viper implementations must give the same bytes.
"""

import json
import struct

import micronn
import numpy as np
import pytest
from conftest import boards, require_firmware

from host_tools import convert
from host_tools.check import modelgen
from host_tools.check.modelgen import schema
from host_tools.device import boards as hw

OPTIONS = {"multiplier": 3, "shift": 1, "offset": -5, "note": "MyScale v1", "gains": [1.5, 2.0]}


def my_scale_numpy(inputs, outputs, options):
    """y = clamp(((x - zp_in) * multiplier >> shift) + offset + zp_out, -128, 127)."""
    x, y = inputs[0], outputs[0]
    v = np.frombuffer(x.data, dtype=np.int8).astype(np.int64) - x.zero_point
    r = ((v * options["multiplier"]) >> options["shift"]) + options["offset"] + y.zero_point
    y.data[:] = np.clip(r, -128, 127).astype(np.int8).tobytes()


def _model(seed=0, batches=2):
    return modelgen.fc_custom_fc(np.random.default_rng(seed), batches=batches, options=OPTIONS)


def _run_cpython(model_bytes, x, fn=my_scale_numpy):
    micronn.register_op("MyScale", fn)
    m = micronn.load(convert.convert(model_bytes).serialize())
    return bytes(m.run(x))


def test_options_and_tensor_info_reach_the_op():
    seen = {}

    def probe(inputs, outputs, options):
        seen["options"] = options
        seen["in"] = inputs[0]
        seen["out"] = outputs[0]
        my_scale_numpy(inputs, outputs, options)

    model = _model()
    mr = modelgen.read_model(model)
    sg = mr.subgraphs[0]
    cop = sg.operators[1]
    _run_cpython(model, np.zeros((2, 16), np.int8), probe)
    assert seen["options"]["multiplier"] == 3 and seen["options"]["note"] == "MyScale v1"
    assert seen["options"]["gains"] == [1.5, 2.0]
    t_in, t_out = sg.tensors[cop.inputs[0]], sg.tensors[cop.outputs[0]]
    assert seen["in"].shape == (2, 8) and seen["in"].dtype == "int8" and seen["in"].typecode == "b"
    assert seen["in"].scale == pytest.approx(t_in.quantization.scale[0], rel=1e-7)
    assert seen["in"].zero_point == t_in.quantization.zeroPoint[0]
    assert seen["out"].zero_point == t_out.quantization.zeroPoint[0]
    assert seen["in"].size == 16 and len(seen["in"].array()) == 16


def test_matches_numpy_of_the_same_op():
    """The runtime's FC -> MyScale -> FC equals FC and MyScale computed directly in numpy."""
    from host_tools import reference

    model = _model(3, batches=1)
    x = modelgen.random_input(np.random.default_rng(5), (1, 16))
    got = np.frombuffer(_run_cpython(model, x), np.int8)
    c = convert.convert(model)
    fc1, custom, fc2 = c.ops

    def fc(op, inp):
        xq, w, b, p, mult, shift = op.inputs
        ins = [np.frombuffer(t.data, {0: np.int8, 3: np.int32}[t.dtype]) if t.is_const else None
               for t in (w, b, p, mult, shift)]
        in_f, out_f, in_off, out_off, lo, hi = ins[2]
        y = np.zeros(out_f, np.int8)
        reference.fully_connected_s8(inp, ins[0], ins[1], y, int(in_f), int(out_f), int(in_off),
                                     int(out_off), ins[3], ins[4], int(lo), int(hi))
        return y

    h = fc(fc1, x.reshape(-1))
    t_in, t_out = custom.inputs[0], custom.outputs[0]
    v = h.astype(np.int64) - t_in.zero_point
    cy = np.clip(((v * 3) >> 1) - 5 + t_out.zero_point, -128, 127).astype(np.int8)
    assert np.array_equal(got, fc(fc2, cy))


def test_model_file_stores_options_as_json():
    c = convert.convert(_model())
    assert json.loads(c.ops[1].options_json) == OPTIONS


def test_missing_implementation_names_the_op():
    from micronn import model as mm

    data = convert.convert(_model()).serialize()
    saved = mm._PY_OPS.pop("MyScale", None)
    try:
        with pytest.raises(micronn.ModelError, match=r"'MyScale'.*register_op\('MyScale'\)"):
            micronn.load(data)
    finally:
        if saved is not None:
            mm._PY_OPS["MyScale"] = saved


def test_builtin_kept_as_python_op_gets_its_builtin_options():
    """An unsupported builtin with --allow-python-ops: its options table arrives as a dict."""
    b = modelgen.ModelBuilder()
    x = b.add_input("x", (1, 8), np.int8, 0.05, 0)
    y = b.add_output("y", (1, 8), np.int8, 1 / 128, 0)
    opts = schema.LocalResponseNormalizationOptionsT()  # an op TFLite Micro does not have either
    opts.radius = 2
    b.add_operator("LOCAL_RESPONSE_NORMALIZATION", [x], [y], opts)
    model = b.finish()
    with pytest.raises(convert.ConvertError, match="allow-python-ops"):
        convert.convert(model)
    seen = {}

    def lrn(inputs, outputs, options):
        seen.update(options)
        outputs[0].write(inputs[0].array())

    micronn.register_op("LOCAL_RESPONSE_NORMALIZATION", lrn)
    m = micronn.load(convert.convert(model, allow_python_ops=True).serialize())
    out = m.run(np.arange(8, dtype=np.int8))
    assert list(out) == list(range(8)) and seen == {"radius": 2, "bias": 0.0, "alpha": 0.0, "beta": 0.0}


DEVICE_SCRIPT = r'''
import binascii
import struct
import micronn

def plain(inputs, outputs, options):
    x, y = inputs[0], outputs[0]
    m, s = options["multiplier"], options["shift"]
    add = options["offset"] + y.zero_point
    zp = x.zero_point
    vals = x.array()
    for i in range(len(vals)):
        r = (((vals[i] - zp) * m) >> s) + add
        vals[i] = -128 if r < -128 else (127 if r > 127 else r)
    y.write(vals)

@micropython.native
def native(inputs, outputs, options):
    x, y = inputs[0], outputs[0]
    m, s = options["multiplier"], options["shift"]
    add = options["offset"] + y.zero_point
    zp = x.zero_point
    src, dst = x.data, y.data
    for i in range(len(src)):
        v = src[i]
        if v > 127:
            v -= 256
        r = (((v - zp) * m) >> s) + add
        r = -128 if r < -128 else (127 if r > 127 else r)
        dst[i] = r & 0xFF

@micropython.viper
def _viper_kernel(src, dst, n: int, zp: int, m: int, s: int, add: int):
    ps = ptr8(src)
    pd = ptr8(dst)
    for i in range(n):
        v = ps[i]
        if v > 127:
            v -= 256
        r = (((v - zp) * m) >> s) + add
        if r < -128:
            r = -128
        if r > 127:
            r = 127
        pd[i] = r & 0xFF

def viper(inputs, outputs, options):
    x, y = inputs[0], outputs[0]
    _viper_kernel(x.data, y.data, x.size, x.zero_point, options["multiplier"], options["shift"],
                  options["offset"] + y.zero_point)

@micropython.viper
def viper_direct(inputs, outputs, options):
    x = inputs[0]
    y = outputs[0]
    _viper_kernel(x.data, y.data, int(x.size), int(x.zero_point), int(options["multiplier"]),
                  int(options["shift"]), int(options["offset"]) + int(y.zero_point))

x = binascii.unhexlify("%(x)s")
for name, fn in (("plain", plain), ("native", native), ("viper", viper), ("viper_direct", viper_direct)):
    micronn.register_op("MyScale", fn)
    m = micronn.load("model.micronn")
    print(name, str(binascii.hexlify(bytes(m.run(x))), "ascii"))
try:
    micronn.register_op("Other", plain)
    micronn.load("other.micronn")
except micronn.ModelError as e:
    print("error", "NotRegistered" in str(e), "register_op" in str(e))
'''


@pytest.mark.parametrize("board", boards())
def test_device_python_ops(board, tmp_path):
    require_firmware(board)
    model = _model(7, batches=3)
    x = modelgen.random_input(np.random.default_rng(8), (3, 16))
    want = _run_cpython(model, x).hex()
    (tmp_path / "model.micronn").write_bytes(convert.convert(model).serialize())
    other = modelgen.fc_custom_fc(np.random.default_rng(1), custom_code="NotRegistered")
    (tmp_path / "other.micronn").write_bytes(convert.convert(other).serialize())
    rc, out = hw.run_script(board, DEVICE_SCRIPT % {"x": x.tobytes().hex()}, timeout=600, cwd=tmp_path)
    assert rc == 0, out[-2000:]
    lines = out.replace("\r\n", "\n").split("\n")
    for name in ("plain", "native", "viper", "viper_direct"):
        assert "%s %s" % (name, want) in lines, out[-2000:]
    assert "error True True" in lines, out[-2000:]


def test_tensor_write_checks_length():
    t = micronn.Tensor(memoryview(bytearray(4)), 0, (4,), 0.1, 0)
    t.write([1, -2, 3, -4])
    assert list(t.array()) == [1, -2, 3, -4]
    with pytest.raises(ValueError, match="write"):
        t.write([1, 2])
    f = micronn.Tensor(memoryview(bytearray(8)), 4, (2,), 0.0, 0)
    f.write([0.5, -2.0])
    assert struct.unpack("<2f", bytes(f.data)) == (0.5, -2.0)
