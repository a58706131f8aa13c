"""The device runtime: run(inp, out) into caller buffers allocates nothing (heap locked), and
wrong buffers raise ValueError naming the input/output, on unix and the QEMU boards."""

import pytest
from conftest import boards, require_firmware

from host_tools import boards as hw
from host_tools import convert, models

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
