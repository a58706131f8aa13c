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


CONFUSED = """\
from array import array
import struct
import micronn
m = micronn.load("kws.micronn")
def t(what, f):
    try:
        f()
        print(what, "accepted")
    except Exception as e:
        print(what, type(e).__name__, e)
for tc in "bBhHiIqf":
    t("in array " + tc, lambda: m.run(array(tc, bytes(490 // struct.calcsize(tc) * struct.calcsize(tc)))))
t("in mv h", lambda: m.run(memoryview(array("h", bytes(490)))))
t("in mv b", lambda: m.run(memoryview(array("b", bytes(490)))))
t("in mv raw", lambda: m.run(memoryview(bytearray(500))[3:493]))
t("in short", lambda: m.run(bytes(489)))
t("in short array", lambda: m.run(array("b", bytes(489))))
t("in str", lambda: m.run("a" * 490))
t("in int", lambda: m.run(5))
t("in list None", lambda: m.run([None]))
t("in two", lambda: m.run([bytes(490), bytes(490)]))
t("out B", lambda: m.run(bytes(490), array("B", bytes(12))))
t("out f", lambda: m.run(bytes(490), array("f", [0.0] * 12)))
t("out short", lambda: m.run(bytes(490), bytearray(11)))
t("out ro", lambda: m.run(bytes(490), bytes(12)))
t("out ro mv", lambda: m.run(bytes(490), memoryview(bytes(12))))
t("out list ro", lambda: m.run(bytes(490), [bytes(12)]))
t("out list h", lambda: m.run(bytes(490), [array("h", bytes(12))]))
t("out list ok", lambda: m.run(bytes(490), [array("b", bytes(12))]))
t("out str", lambda: m.run(bytes(490), "a" * 12))
ts = micronn.Tensor(memoryview(bytearray(8)), 0, (8,), 1.0, 0, index=3)
for name, v in (("B", array("B", [1] * 8)), ("h", array("h", [1] * 8)), ("f", array("f", [1.0] * 8)),
                ("b", array("b", [1] * 8)), ("300", [300] * 8), ("str", "abcdefgh"), ("None", None),
                ("int", 5), ("short", [1] * 7), ("bytes", bytes(8))):
    t("write " + name, lambda: ts.write(v))
for dt, tc in ((2, "h"), (4, "f")):  # a multi-byte tensor's bytes take the values' bytes
    t16 = micronn.Tensor(memoryview(bytearray(16)), dt, (16 // struct.calcsize(tc),), 1.0, 0, index=5)
    t("write " + tc, lambda: t16.write(array(tc, [1, -2] * (8 // struct.calcsize(tc)))))
    print("wrote", list(t16.array())[:2], t16.data[0] in (1, 0))
t("state len", lambda: setattr(m, "state", bytes(m.state_size + 1)))
t("state str", lambda: setattr(m, "state", "ab"))
t("state None", lambda: setattr(m, "state", None))
t("state h", lambda: setattr(m, "state", array("h", [0] * 2)))
t("view", lambda: m.input_view(1))
t("out view", lambda: m.output_view(1))
t("view str", lambda: m.input_view("a"))
t("arena ro", lambda: micronn.load("kws.micronn", arena=bytes(m.arena_size)))
t("arena ro mv", lambda: micronn.load("kws.micronn", arena=memoryview(bytes(m.arena_size))))
t("write gen", lambda: ts.write(x for x in range(8)))
"""

CONFUSED_EXPECTED = """\
in array b accepted
in array B ValueError input 0: expected int8 data (typecode 'b'), got typecode 'B'
in array h ValueError input 0: expected int8 data (typecode 'b'), got typecode 'h'
in array H ValueError input 0: expected int8 data (typecode 'b'), got typecode 'H'
in array i ValueError input 0: expected int8 data (typecode 'b'), got typecode 'i'
in array I ValueError input 0: expected int8 data (typecode 'b'), got typecode 'I'
in array q ValueError input 0: expected int8 data (typecode 'b'), got typecode 'q'
in array f ValueError input 0: expected int8 data (typecode 'b'), got typecode 'f'
in mv h ValueError input 0: expected int8 data (typecode 'b'), got typecode 'h'
in mv b accepted
in mv raw accepted
in short ValueError input 0: expected int8 array of 490 (shape (1, 49, 10, 1)), got 489 bytes
in short array ValueError input 0: expected int8 array of 490 (shape (1, 49, 10, 1)), got 489 bytes
in str TypeError input 0: expected a buffer, got str
in int TypeError input 0: expected a buffer, got int
in list None TypeError input 0: expected a buffer, got NoneType
in two ValueError inputs: expected a list of 1 buffers (one per input), got 2 bytes
out B ValueError output 0: expected int8 data (typecode 'b'), got typecode 'B'
out f ValueError output 0: expected int8 data (typecode 'b'), got typecode 'f'
out short ValueError output 0: expected 12 bytes, got 11
out ro TypeError output 0: expected a writable buffer, got a read-only bytes
out ro mv TypeError output 0: expected a writable buffer, got a read-only memoryview
out list ro TypeError output 0: expected a writable buffer, got a read-only bytes
out list h ValueError output 0: expected int8 data (typecode 'b'), got typecode 'h'
out list ok accepted
out str TypeError output 0: expected a buffer, got str
write B ValueError write: tensor 3 (int8) takes int8 values, got a buffer of another type (8 items)
write h ValueError write: tensor 3 (int8) takes int8 values, got a buffer of another type (8 items)
write f ValueError write: tensor 3 (int8) takes int8 values, got a buffer of another type (8 items)
write b accepted
write 300 ValueError write: tensor 3 (int8) takes values in int8's range, got [300, 300, 300, 300, 300, 300, 300, 300]
write str TypeError write: tensor 3 (int8) takes an array or list of values, got str
write None TypeError write: tensor 3 (int8) takes an array or list of values, got NoneType
write int TypeError write: tensor 3 (int8) takes an array or list of values, got int
write short ValueError write: tensor 3 (int8) has 8 elements, got 7 values
write bytes accepted
write h accepted
wrote [1, -2] True
write f accepted
wrote [1.0, -2.0] True
state len ValueError state: this model's state is 0 bytes, got 1
state str TypeError state: expected bytes of a state snapshot, got str
state None TypeError state: expected bytes of a state snapshot, got NoneType
state h TypeError state: expected bytes (1-byte items), got array
view IndexError input_view: expected an input index 0..0, got 1
out view IndexError output_view: expected an output index 0..0, got 1
view str IndexError input_view: expected an input index 0..0, got 'a'
arena ro TypeError arena: expected a writable buffer, got a read-only bytes
arena ro mv TypeError arena: expected a writable buffer, got a read-only memoryview
write gen TypeError write: tensor 3 (int8) takes an array or list of values, got generator
"""


@pytest.mark.parametrize("board", ["cpython"] + boards("MICRONN_MODEL_BOARDS", "unix,MPS2_AN386"))
def test_confused_calls_say_the_same_on_every_backend(board, tmp_path, monkeypatch, capsys):
    """Issue 14: a typed buffer unlike the tensor's dtype (array('B'/'h'/'f'), a typed memoryview),
    a short or read-only buffer, a non-buffer, a bad Tensor.write, m.state or view index: the same
    exception and message on the board (its arrays carry their typecode at C level only) as under
    CPython; bytes/bytearray/memoryviews of bytes stay raw data."""
    _models(tmp_path)
    if board == "cpython":
        monkeypatch.chdir(tmp_path)
        exec(compile(CONFUSED, "confused", "exec"), {"__name__": "c"})
        out = capsys.readouterr().out
    else:
        require_firmware(board)
        rc, out = hw.run_script(board, CONFUSED, timeout=300, cwd=tmp_path)
        assert rc == 0, out
    assert out.replace("\r\n", "\n") == CONFUSED_EXPECTED
