"""The Makefile and the board table (boards/boards.mk): `make help` names every target, and the
facts the table holds are not restated where the table is not read (device-side boot script,
test defaults)."""

import re
import subprocess

from conftest import DEFAULT_BOARDS, DEFAULT_MODEL_BOARDS, ROOT

from host_tools.device import boards as hw


def _make(*args):
    return subprocess.run(["make", "--no-print-directory", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def make_targets():
    """Every explicit target of the Makefile and its includes that is not a file."""
    db = _make("-pq", "help").stdout
    names = set()
    for line in db[db.index("# Files"):].splitlines():
        m = re.match(r"([A-Za-z][A-Za-z0-9_.-]*):(?!=)", line)
        if m and not (ROOT / m.group(1)).exists():
            names.add(m.group(1))
    return names


def test_help_lists_every_target():
    r = _make("help")
    assert r.returncode == 0, r.stderr
    words = set(re.findall(r"[A-Za-z0-9_.-]+", r.stdout))
    targets = make_targets()
    assert {"test", "test-quick", "test-device", "test-host", "help", "fw-unix"} <= targets
    missing = sorted(t for t in targets if t not in words)
    assert not missing, "`make help` does not list: %s" % ", ".join(missing)
    lines = [ln for ln in r.stdout.splitlines() if ln.strip()]
    assert all(ln.startswith("make ") for ln in lines), lines


def test_table_lists_and_rows():
    lists, rows = hw.read_table()
    assert set(rows) == set(lists["MN_BOARDS"])
    for key in ("MN_CI_BOARDS", "MN_TEST_BOARDS", "MN_MODEL_BOARDS", "MN_EMU_BOARDS"):
        assert set(lists[key]) <= set(lists["MN_BOARDS"]), key
    for name in lists["MN_EMU_BOARDS"]:
        assert name in hw.EMU_BOARDS and name in lists["MN_CI_BOARDS"], name
    assert DEFAULT_BOARDS.split(",") == lists["MN_TEST_BOARDS"]
    assert DEFAULT_MODEL_BOARDS.split(",") == lists["MN_MODEL_BOARDS"]
    for name in lists["MN_TEST_BOARDS"]:
        assert name in hw.BOARDS, "%s runs device tests but is not a unix/QEMU board" % name
    r = _make("--eval", "mnshow: ; @echo $(QEMU_BOARDS) / $(BOARDS)", "mnshow")
    qemu, ci = r.stdout.split("/")
    assert qemu.split() == hw.QEMU_BOARDS
    assert ci.split() == lists["MN_CI_BOARDS"]


def test_qemu_boards_read_the_table():
    """Each QEMU board's mpconfigboard.mk takes machine, CPU flags and heap from the table, and
    the frozen boot script mounts /rom where host_tools.boards preloads it."""
    for name in hw.QEMU_BOARDS:
        mk = (ROOT / "boards" / name / "mpconfigboard.mk").read_text()
        assert "include $(BOARD_DIR)/../boards.mk" in mk, name
        assert not re.search(r"-mcpu=|^MICROPY_HEAP_SIZE = \d|^QEMU_MACHINE = [a-z]", mk, re.M), name
    boot = (ROOT / "boards" / "qemu_common" / "_mn_boot.py").read_text()
    rom = boot[boot.index("_ROM = {"):]
    for name, (addr, size) in hw.ROMFS_REGION.items():
        m = re.search(r'"%s": \((0x[0-9a-fA-F]+), 2 << 20\)' % name, rom)
        assert m and int(m.group(1), 16) == addr and size == 2 << 20, name


def test_tick_scale_from_the_table():
    for name, info in hw.BOARDS.items():
        tick_hz = int(hw.TABLE[name]["tick_hz"])
        assert info.tick_scale * tick_hz == 10**9, name
