"""The device runtime: run(inp, out) into caller buffers allocates nothing (heap locked), and
wrong buffers raise ValueError naming the input/output, on unix and the QEMU boards."""

import pytest
from conftest import boards, require_firmware

from host_tools import convert
from host_tools.device import boards as hw
from host_tools.device import models

SCRIPT = """\
import micropython
from array import array
import micronn
m = micronn.load("model.micronn")
x = bytearray(m.inputs[0].nbytes)
y = bytearray(m.outputs[0].nbytes)
m.run(x, y)
ok = False  # bind the global first: creating it under the lock would allocate
micropython.heap_lock()
try:
    m.run(x, y)
    ok = True
except MemoryError:
    ok = False
micropython.heap_unlock()
print("allocation-free:", ok)
for bad in (array("h", [0] * len(x)), bytearray(len(x) - 1), 5):
    try:
        m.run(bad, y)
        print("accepted", type(bad))
    except (ValueError, TypeError) as e:
        print(type(e).__name__, str(e).split(":")[0])
try:
    m.run(x, bytearray(3))
except ValueError as e:
    print(type(e).__name__, str(e).split(":")[0])
print(bytes(m.run(x)) == bytes(y))
"""

EXPECTED = """allocation-free: True
ValueError input 0
ValueError input 0
TypeError input 0
ValueError output 0
True
"""


@pytest.mark.parametrize("board", boards("MICRONN_MODEL_BOARDS", "unix,MPS2_AN386,MPS2_AN385"))
def test_run_into_caller_buffers_allocates_nothing(board, tmp_path):
    require_firmware(board)
    src = models.fetch("kws_ref_model", quiet=True).read_bytes()
    (tmp_path / "model.micronn").write_bytes(convert.convert(src).serialize())
    rc, out = hw.run_script(board, SCRIPT, timeout=300, cwd=tmp_path)
    assert rc == 0, out
    assert out.replace("\r\n", "\n") == EXPECTED


# run() through the firmware's run_io (one C call: copy in, run, copy out) against its Python
# path (m._io = (): the checks and copies in Python, run_plan), on a 2-input model: inputs as a
# list, a tuple, memoryviews; None after writing input_view; outputs as one buffer or a list.
SCRIPT_IO = """\
from array import array
import micronn
from micronn.testdata import rand_bytes
m = micronn.load("model.micronn")
n0, n1 = m.inputs[0].nbytes, m.inputs[1].nbytes
nout = m.outputs[0].nbytes
for seed in range(3):
    a, b = rand_bytes(n0, 10 + seed), rand_bytes(n1, 20 + seed)
    m._io = None
    y1, y2, y3 = bytearray(nout), array("b", bytes(nout)), bytearray(nout)
    m.run([a, b], y1)
    m.run((memoryview(a), bytearray(b)), [y2])
    m.input_view(0)[:] = a
    m.input_view(1)[:] = b
    m.run(None, y3)
    fast = m._io != () and type(m.run).__name__ == "Runner"
    y4, y5 = bytearray(nout), bytearray(nout)
    m.run(out=y4, inp=[a, b])
    m.run(out=y5)
    m._io = ()
    z = bytearray(nout)
    m._run([a, b], z)  # the Python path
    print(seed, fast, y1 == z, bytes(y2) == bytes(z), y3 == z, bytes(m.run([a, b])) == bytes(z),
          y4 == z, y5 == z)
for bad in ("m.run([a, b], bytearray(nout + 1))", "m.run([a], bytearray(nout))", "m.run(x=1)",
            "m.run([a, b], None, 3)"):
    try:
        eval(bad)
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
"""


@pytest.mark.parametrize("board", boards("MICRONN_MODEL_BOARDS", "unix,MPS2_AN386,MPS2_AN385"))
def test_run_io_equals_the_python_path(board, tmp_path):
    require_firmware(board)
    src = models.fetch("simple_add_model", quiet=True).read_bytes()
    (tmp_path / "model.micronn").write_bytes(convert.convert(src).serialize())
    rc, out = hw.run_script(board, SCRIPT_IO, timeout=300, cwd=tmp_path)
    assert rc == 0, out
    lines = out.replace("\r\n", "\n").splitlines()
    assert lines[:3] == ["%d True True True True True True True" % s for s in range(3)], out
    assert lines[3] == "ValueError output 0: expected 16384 bytes, got 16385", out  # (as under CPython)
    assert lines[4] == "ValueError inputs: expected a list of 2 buffers (one per input), got 1 bytearray", out
    assert lines[5] == "TypeError run: unexpected argument x", out
    assert lines[6].startswith("TypeError") and "2 arguments" in lines[6], out
