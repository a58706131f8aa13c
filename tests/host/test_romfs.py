"""Models run from a ROMFS partition (memory-mapped flash): constants used in place, not copied.

The image is written by host_tools.romfs (file data 16-byte aligned) and read by MicroPython's own
VfsRom: on the QEMU boards QEMU preloads it into the board's ROMFS region (mounted at /rom at
boot), on unix a copy is mounted from a bytes object (same code path, in RAM).
"""

import binascii

import numpy as np
import pytest
from conftest import require_firmware
from test_models import assert_outputs_equal, converted, stored_io

from host_tools.device import boards, romfs

BOARDS = ["unix", "MPS2_AN385", "MPS2_AN386", "MPS2_AN500", "MPS3_AN547"]


def test_image_aligns_every_file_and_reads_back():
    files = [("a.micronn", bytes(range(37))), ("b", b""), ("c.py", b"print(1)\n" * 50),
             ("long_" + "x" * 150, bytes(3000))]
    for align in (4, 16, 64):
        image, offsets = romfs.build_image(files, align)
        assert len(image) % 2 == 0
        back = romfs.read_image(image)
        assert sorted(back) == sorted(n for n, _ in files)
        for name, data in files:
            off, got = back[name]
            assert got == data and off == offsets[name] and off % align == 0


def test_image_rejects_bad_names():
    for bad in ("", "a/b", ".."):
        with pytest.raises(ValueError, match="bad file name"):
            romfs.build_image([(bad, b"x")])
    with pytest.raises(ValueError, match="given twice"):
        romfs.build_image([("m", b"x"), ("m", b"y")])


# On the board: load from /rom, report whether the model is mapped, the heap growth of load()
# against the file size, the address range of its constants, and the outputs.
_SCRIPT = """\
import gc, binascii, micronn, uctypes, os
st = os.stat("/rom/{name}")
gc.collect()
a0 = gc.mem_alloc()
m = micronn.load("/rom/{name}")
gc.collect()
print("MAPPED", m.mapped, "GROWTH", gc.mem_alloc() - a0, "FILE", st[6], "ARENA", m.arena_size,
      "SCRATCH", m.scratch_size)
d = uctypes.addressof(memoryview(open("/rom/{name}", "rb")))
print("FILEADDR", d)
m.input_view(0)[:] = binascii.unhexlify("{inp}")
y = m.run()
print("OUT", str(binascii.hexlify(bytes(y)), "ascii"))
"""


@pytest.mark.parametrize("board", BOARDS)
def test_model_runs_from_romfs_in_place(board, tmp_path):
    require_firmware(board)
    name = "vww_96_int8"
    data = converted(name)
    ins, outs = stored_io(name)
    img = tmp_path / "models.romfs"
    image, offsets = romfs.build_image([("hello.txt", b"hi"), (name + ".micronn", data)])
    img.write_bytes(image)
    script = _SCRIPT.format(name=name + ".micronn", inp=np.ascontiguousarray(ins[0]).tobytes().hex())
    rc, out = boards.run_script(board, script, timeout=600, romfs=img)
    assert rc == 0, out[-3000:]
    vals = dict(zip(*[iter(next(s for s in out.splitlines() if s.startswith("MAPPED")).split())] * 2))
    assert vals["MAPPED"] == "True"
    assert int(vals["FILE"]) == len(data)
    # load() allocates the arena, the scratch and Python objects (a few KiB per op table), never
    # the ~330 KB of constants.
    growth = int(vals["GROWTH"]) - int(vals["ARENA"]) - int(vals["SCRATCH"])
    assert growth < len(data) // 8, out
    addr = int(next(s for s in out.splitlines() if s.startswith("FILEADDR")).split()[1])
    assert addr % 16 == 0
    if board in boards.ROMFS_REGION:
        base, size = boards.ROMFS_REGION[board]
        assert addr == base + offsets[name + ".micronn"]  # the file is the flash region itself
    y = binascii.unhexlify(next(s for s in out.splitlines() if s.startswith("OUT")).split()[1])
    got = np.frombuffer(y, dtype=np.asarray(outs[0]).dtype)
    assert_outputs_equal([got], outs)


def test_unaligned_romfs_file_is_refused(tmp_path):
    board = "MPS2_AN386"
    require_firmware(board)
    data = converted("hello_world_int8")
    for pad in range(1, 40):  # a file layout that leaves the model's data unaligned
        image, offsets = romfs.build_image([("p" * pad, b"x"), ("m.micronn", data)], align=1)
        if offsets["m.micronn"] % 16:
            break
    img = tmp_path / "bad.romfs"
    img.write_bytes(image)
    script = ("import micronn\ntry:\n    micronn.load('/rom/m.micronn')\n"
              "except micronn.ModelError as e:\n    print('ERR', e)\n")
    rc, out = boards.run_script(board, script, timeout=120, romfs=img)
    assert rc == 0, out
    assert "ERR /rom/m.micronn: file data at 0x" in out and "not 16-byte aligned (used in place)" in out, out


@pytest.mark.parametrize("board", ["RPI_PICO", "RPI_PICO2"])
def test_rp2_firmware_ends_below_its_romfs_partition(board):
    """The rp2 port puts ROMFS just below the filesystem (fit.REAL_BOARDS mirrors the board's
    mpconfigboard.h): the firmware image must end before it."""
    import subprocess

    from host_tools.device import fit

    elf = boards.BUILD / "fw" / board / "firmware.elf"
    if not elf.exists():
        pytest.fail("firmware for %s not built (%s): run `make firmwares`" % (board, elf))
    out = subprocess.run(["arm-none-eabi-nm", str(elf)], capture_output=True, text=True, check=True).stdout
    syms = {ln.split()[-1]: int(ln.split()[0], 16) for ln in out.splitlines() if len(ln.split()) == 3}
    _desc, _heap, fs, _ram, flash, rom = fit.REAL_BOARDS[board]
    romfs_base = 0x10000000 + flash - fs - rom
    assert syms["__flash_binary_end"] <= romfs_base, "%s: firmware ends at 0x%x, ROMFS starts at 0x%x" % (
        board, syms["__flash_binary_end"], romfs_base)
    assert "mp_vfs_rom_ioctl" in syms  # the port's ROMFS partition is compiled in
