"""Issue 14: run() gives no silent wrong answers. A run without inputs after the arena reused
them, run() re-entered from a Python op, a buffer whose type differs from the tensor's dtype,
Tensor.write of out-of-range values, a moved arena or model bytearray: each raises, the same
on CPython and the firmware (unix and the QEMU boards)."""


import struct

import pytest
from conftest import boards, require_firmware
from micronn import oplist

from host_tools import convert
from host_tools.check import fuzz
from host_tools.device import boards as hw
from host_tools.device import models

SCRIPT = """\
from array import array
import micronn
REENTER = [True]
micronn.register_op("Again", lambda i, o, opt: REENTER[0] and M[0].run(bytes(16)))
def t(what, f):
    try:
        f()
        print(what, "accepted")
    except (ValueError, RuntimeError, TypeError) as e:
        print(what, type(e).__name__, str(e) if what == "reentry" else str(e).split(" (")[0])
m = micronn.load("kws.micronn")
m.input_view(0)[0] = 0x10
y1 = bytes(m.run())
t("stale", lambda: m.run())
t("stale out", lambda: m.run(out=bytearray(12)))
m.input_view(0)[:] = bytes(490)
m.input_view(0)[0] = 0x10
print("fresh", bytes(m.run()) == y1)
for name, bad in (("array B", array("B", bytes(490))), ("array i", array("i", [0] * 490)),
                  ("array h", array("h", [0] * 490))):
    t(name, lambda: m.run(bad))
t("str", lambda: m.run("a" * 490))
t("out array f", lambda: m.run(bytes(490), array("f", [0] * 12)))
print("raw", len(m.run(bytes(490))), len(m.run(bytearray(490))), len(m.run(array("b", bytes(490)))))
ts = micronn.Tensor(memoryview(bytearray(8)), 0, (8,), 1.0, 0, index=3)
t("write 300", lambda: ts.write([300] * 8))
t("write B200", lambda: ts.write(array("B", [200] * 8)))
t("write f", lambda: ts.write(array("f", [1.0] * 8)))
t("write 7", lambda: ts.write([1] * 7))
ts.write([-128, 127] * 4)
print("write ok", list(ts.array()))
arena = bytearray(m.arena_size)
try:
    data = bytearray(open("kws.micronn", "rb").read())
except OSError:  # QEMU: the host's file through semihosting
    data = bytearray(micronn.kernels.host_read("kws.micronn"))
m2 = micronn.load(data, arena=arena)
y = m2.run(bytes(490))
t("arena moved", lambda: (arena.extend(bytes(100000)), m2.run(bytes(490))))
m3 = micronn.load(data)
t("model moved", lambda: (data.extend(bytes(100000)), m3.run(bytes(490))))
try:
    data = bytearray(open("kws.micronn", "rb").read())
except OSError:
    data = bytearray(micronn.kernels.host_read("kws.micronn"))
m4 = micronn.load(data)
y = bytes(m4.run(bytes(490)))
data[BIAS_AT:BIAS_AT + 4] = bytes([255, 255, 255, 127])  # a conv bias set to INT32_MAX after load()
t("bias changed", lambda: m4.run(bytes(490)))
M = [micronn.load("again.micronn")]
t("reentry", lambda: M[0].run(bytes(16)))
t("register 5", lambda: micronn.register_op("Five", 5))
REENTER[0] = False
t("after reentry", lambda: M[0].run(bytes(16)))
"""

EXPECTED = """stale RuntimeError run: no inputs given and the last run overwrote them
stale out RuntimeError run: no inputs given and the last run overwrote them
fresh True
array B ValueError input 0: expected %s
array i ValueError input 0: expected %s
array h ValueError input 0: expected %s
str %s
out array f ValueError output 0: expected %s
raw 12 12 12
write 300 ValueError write: tensor 3
write B200 ValueError write: tensor 3
write f ValueError write: tensor 3
write 7 ValueError write: tensor 3
write ok [-128, 127, -128, 127, -128, 127, -128, 127]
arena moved %s
model moved %s
bias changed ValueError bias: the int32 accumulator can overflow
reentry RuntimeError op 1 (Again): Python op raised RuntimeError: run: this model is already running (run() from one of its own ops)
register 5 TypeError register_op('Five'): expected a function fn(inputs, outputs, options), got int
after reentry accepted
"""


def _models(tmp_path):
    """Writes the models; returns SCRIPT with the file offset of the first conv's bias."""
    src = models.fetch("kws_ref_model", quiet=True).read_bytes()
    kws = convert.convert(src).serialize()
    (tmp_path / "kws.micronn").write_bytes(kws)
    # FC -> Python op "Again" (it calls run() on its own model) -> FC.
    import numpy as np

    from host_tools.check import modelgen

    again = modelgen.fc_custom_fc(np.random.default_rng(0), custom_code="Again", options={})
    (tmp_path / "again.micronn").write_bytes(convert.convert(again).serialize())
    lay = fuzz.Layout(kws)
    conv = next(pos for pos, nin, _, _ in lay.ops if struct.unpack_from("<H", kws, pos)[0] == oplist.CONV_2D)
    bias = lay.tensors[struct.unpack_from("<H", kws, conv + 6 + 2 * 2)[0]]
    assert bias[0] == 3 and bias[5] >= 4  # int32, in the file
    return SCRIPT.replace("BIAS_AT", str(bias[4]))


def _check(out, on_device):
    lines = out.replace("\r\n", "\n").splitlines()
    want = EXPECTED.splitlines()
    assert len(lines) == len(want), out
    for got, w in zip(lines, want):
        if "%s" in w:
            head = w.split("%s")[0]
            assert got.startswith(head) and not got.endswith("accepted"), (got, out)
            if "moved" in w:
                # CPython's bytearray refuses to resize while the model holds views into it.
                assert ("RuntimeError run: the" in got and "moved or shrank" in got) if on_device \
                    else got.split()[2] == "BufferError", out
        else:
            assert got == w, out


@pytest.mark.parametrize("board", boards("MICRONN_MODEL_BOARDS", "unix,MPS2_AN386"))
def test_run_refuses_what_would_be_wrong_on_device(board, tmp_path):
    require_firmware(board)
    script = _models(tmp_path)
    rc, out = hw.run_script(board, script, timeout=300, cwd=tmp_path)
    assert rc == 0, out
    _check(out, True)


def test_run_refuses_what_would_be_wrong_on_cpython(tmp_path, monkeypatch, capsys):
    script = _models(tmp_path)
    monkeypatch.chdir(tmp_path)
    import micronn

    saved = dict(micronn.model._PY_OPS)
    try:
        exec(compile(script.replace("except (ValueError, RuntimeError, TypeError)",
                                    "except (ValueError, RuntimeError, TypeError, BufferError)"),
                     "script", "exec"), {"__name__": "s"})
    finally:
        micronn.model._PY_OPS.clear()
        micronn.model._PY_OPS.update(saved)
    _check(capsys.readouterr().out, False)


def test_load_errors_name_the_path_and_say_what_to_do(tmp_path):
    import micronn

    with pytest.raises(OSError, match="load: cannot open .*nope"):
        micronn.load(str(tmp_path / "nope"))
    with pytest.raises(TypeError, match="load: expected a path or the model's bytes, got NoneType"):
        micronn.load(None)
    src = models.fetch("kws_ref_model", quiet=True).read_bytes()
    with pytest.raises(micronn.ModelError, match="a .tflite file\\? convert it first"):
        micronn.load(src)
    (tmp_path / "kws.micronn").write_bytes(convert.convert(src).serialize())
    assert micronn.load(tmp_path / "kws.micronn").inputs[0].nbytes == 490  # pathlib.Path


def test_cli_errors_are_one_line_with_exit_2(tmp_path, capsys):
    import numpy as np

    from host_tools import cli

    src = str(models.fetch("kws_ref_model", quiet=True))
    np.savez(tmp_path / "x.npz", input_x=np.zeros(3))
    np.savez(tmp_path / "none.npz", other=np.zeros(3))
    (tmp_path / "junk.npz").write_bytes(b"not an npz")
    cases = [["run", str(tmp_path / "missing.tflite")], ["run", str(tmp_path)],
             ["run", src, "--input", str(tmp_path / "x.npz")],
             ["run", src, "--input", str(tmp_path / "none.npz")],
             ["verify", src, "--input", str(tmp_path / "junk.npz")],
             ["convert", src, "-o", str(tmp_path / "no" / "such" / "dir.micronn"), "--no-tflm"]]
    for argv in cases:
        assert cli.main(argv) == 2, argv
        err = capsys.readouterr().err
        assert err.startswith("micronn %s: " % argv[0]) and err.count("\n") == 1, (argv, err)
        assert "Traceback" not in err


def test_cpython_outputs_of_any_typed_buffer_and_clear_list_errors():
    """Issue 14: out= an array('b'), an earlier run's result, a 2-D numpy array worked on the
    board only ("memoryview assignment: lvalue and rvalue have different structures")."""
    from array import array

    import micronn
    import numpy as np

    m = micronn.load(convert.convert(models.fetch("kws_ref_model", quiet=True).read_bytes()).serialize())
    x = bytes(range(256)) + bytes(234)
    want = bytes(m.run(x))
    for new in (lambda: array("b", bytes(12)), lambda: m.run(bytes(490)),
                lambda: np.zeros((1, 12), np.int8), lambda: bytearray(12)):
        assert bytes(m.run(x, new())) == want
        out = new()
        m.run(x, [out])
        assert bytes(out) == want
    with pytest.raises(ValueError, match="output 0: expected int8"):
        m.run(x, array("f", [0.0] * 12))
    with pytest.raises(TypeError, match="output 0: expected a writable buffer"):
        m.run(x, [bytes(12)])
    with pytest.raises(ValueError, match=r"inputs: expected a list of 1 buffers \(one per input\), "
                                         r"got 16 floats: pass array\('b', values\)"):
        m.run([1.0] * 16)


ODD = """\
import micronn
try:
    data = open("kws.micronn", "rb").read()
except OSError:
    data = micronn.kernels.host_read("kws.micronn")
b = bytearray(len(data) + 1)
b[1:] = data
for what, f in (("model", lambda: micronn.load(memoryview(b)[1:])),
                ("arena", lambda: micronn.load(data, arena=memoryview(bytearray(20000))[2:]))):
    try:
        f()
        print(what, "accepted")
    except ValueError as e:
        print(what, str(e).split(" at 0x")[0], str(e).split(", not ")[1].split(" (")[0])
"""


@pytest.mark.parametrize("board", boards("MICRONN_MODEL_BOARDS", "unix,MPS2_AN386"))
def test_misaligned_model_and_arena_are_refused_at_load(board, tmp_path):
    """Issue 14: a model or arena at an odd address loaded, then failed in run() with "bias: int32
    data must be 4-byte aligned"; load() now names the buffer."""
    require_firmware(board)
    _models(tmp_path)
    rc, out = hw.run_script(board, ODD, timeout=120, cwd=tmp_path)
    assert rc == 0, out
    assert out.replace("\r\n", "\n").splitlines() == [
        "model load: the model's bytes are 16-byte aligned", "arena arena: the buffer is 4-byte aligned"], out


HEAP = """\
import micronn
try:
    f = open("kws.micronn", "rb"); data = f.read(); f.close()
except MemoryError:
    data = None
if data is None:
    print("no room for the file")
else:
    try:
        micronn.load(data)
        print("loaded")
    except MemoryError as e:
        print(str(e) or "bare")
"""


def test_small_heap_load_errors_say_what_ran_out(tmp_path):
    """Issue 14: a small heap gave a bare "memory allocation failed, allocating 2048 bytes" from
    inside parsing. Over a range of heap sizes every load() either works or says what ran out."""
    import subprocess

    fw = require_firmware("unix")
    _models(tmp_path)
    (tmp_path / "heap.py").write_text(HEAP)
    seen = set()
    for heap in range(40000, 160000, 2500):
        out = subprocess.run([str(fw), "-X", "heapsize=%d" % heap, "heap.py"], cwd=tmp_path,
                             capture_output=True, text=True, timeout=60).stdout.strip()
        assert out == "loaded" or out == "no room for the file" or out.startswith(("load: the heap ran out", "arena: the model needs")), (heap, out)
        seen.add(out.split(" (")[0])
    assert {"loaded", "load: the heap ran out while reading the model's tables"} <= seen, seen
