"""Does a converted model fit a board? Two ways to store the model: in the filesystem (load()
reads the file into the heap: RAM for file + arena) or in the ROMFS partition (`micronn deploy
--romfs`: memory-mapped flash, constants used in place: RAM for the arena only). It fits if
either way fits.

Heap sizes come from the built firmware where it exists (the rp2 port's __GcHeapStart /
__GcHeapEnd symbols), else from the figures below (MicroPython 1.25 defaults).
"""

import subprocess

from . import boards as _boards

KiB = 1024
MiB = 1024 * KiB

# name -> (description, default GC heap bytes, filesystem bytes, RAM bytes, flash bytes, ROMFS
# bytes); flash layouts as in boards/<BOARD>/mpconfigboard.h.
REAL_BOARDS = {
    "RPI_PICO": ("Raspberry Pi Pico (RP2040)", 190 * KiB, 768 * KiB, 264 * KiB, 2 * MiB, 512 * KiB),
    "RPI_PICO2": ("Raspberry Pi Pico 2 (RP2350)", 460 * KiB, 2 * MiB, 520 * KiB, 4 * MiB, 1 * MiB),
    # ESP32-S3 N8R8: MicroPython puts the GC heap in the 8 MiB octal PSRAM; vfs partition 6 MiB.
    "ESP32_S3_MICRONN": ("ESP32-S3 with 8 MiB octal PSRAM", 8 * MiB - 64 * KiB, 6 * MiB, 8 * MiB + 512 * KiB,
                         8 * MiB, 0),
}

# What load() needs besides the arena and the file: Model/view objects, per-op argument
# tuples, the interpreter's own working set (measured order of magnitude, kept generous).
RUNTIME_OVERHEAD = 16 * KiB


def heap_of(board):
    """GC heap bytes of a board: from its firmware.elf if built, else the default."""
    if board in _boards.BOARDS and board not in REAL_BOARDS:
        return _boards.BOARDS[board].heap_size, "QEMU board"
    desc, heap, *_ = REAL_BOARDS[board]
    elf = _boards.BUILD / "fw" / board / "firmware.elf"
    if elf.exists():
        try:
            out = subprocess.run(["arm-none-eabi-nm", str(elf)], capture_output=True, text=True,
                                 check=True).stdout
            syms = {ln.split()[-1]: int(ln.split()[0], 16) for ln in out.splitlines() if len(ln.split()) == 3}
            if "__GcHeapStart" in syms and "__GcHeapEnd" in syms:
                return syms["__GcHeapEnd"] - syms["__GcHeapStart"], "from %s" % elf.name
        except (OSError, subprocess.CalledProcessError):
            pass
    return heap, "MicroPython 1.25 default"


def known_boards():
    return list(_boards.BOARDS) + [b for b in REAL_BOARDS if b not in _boards.BOARDS]


def check(file_bytes, arena_bytes, board):
    """-> (fits: bool, lines of report)."""
    if board not in _boards.BOARDS and board not in REAL_BOARDS:
        raise ValueError("unknown board %r (known: %s)" % (board, ", ".join(known_boards())))
    heap, src = heap_of(board)
    fs = REAL_BOARDS[board][2] if board in REAL_BOARDS else None
    rom = REAL_BOARDS[board][5] if board in REAL_BOARDS else 0
    need = file_bytes + arena_bytes + RUNTIME_OVERHEAD
    lines = ["board %s: heap %d bytes (%s)" % (board, heap, src)]
    ok = need <= heap
    lines.append("  filesystem: RAM model file %d + arena/scratch %d + runtime ~%d = %d bytes: %s by %d bytes" % (
        file_bytes, arena_bytes, RUNTIME_OVERHEAD, need, "fits" if ok else "DOES NOT FIT",
        abs(heap - need)))
    if fs is not None:
        fs_ok = file_bytes <= fs
        ok = ok and fs_ok
        lines.append("  filesystem: flash model file %d bytes of %d: %s by %d bytes" % (
            file_bytes, fs, "fits" if fs_ok else "DOES NOT FIT", abs(fs - file_bytes)))
    if rom:
        need_rom = arena_bytes + RUNTIME_OVERHEAD
        rom_ok = file_bytes <= rom and need_rom <= heap
        lines.append("  ROMFS (micronn deploy --romfs): model file %d bytes of %d, RAM arena/scratch %d + "
                     "runtime ~%d = %d bytes of %d: %s" % (
                         file_bytes, rom, arena_bytes, RUNTIME_OVERHEAD, need_rom, heap,
                         "fits" if rom_ok else "DOES NOT FIT"))
        ok = ok or rom_ok
    return ok, lines
