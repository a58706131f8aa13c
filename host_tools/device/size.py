"""Firmware sizes per board, and the bytes micronn adds to them.

    python -m host_tools size --board unix --board MPS2_AN386

For each board: text/data/bss of the firmware (`size`, or `arm-none-eabi-size` for the
QEMU boards; the QEMU boards' 16 MiB GC heap is its own NOLOAD section, shown apart
from bss), then what micronn puts in it, from the linker map (the input sections that
survived --gc-sections):
  _micronn   the C module (build/fw/<board>/_micronn/*.o: bindings, kernels, port)
  frozen     frozen_content.o: the frozen `micronn` package (bytecode, constants and the frozen
             qstr pool). The QEMU boards also freeze their boot module _mn_boot.py (mounts
             the RAM disk; boards/qemu_common): its sections are left out, its few qstrs in
             the shared pool are not.
The module's qstrs that land in the firmware's main qstr pool are not counted.

RP2 boards (RPI_PICO, RPI_PICO2: MicroPython's rp2 port, built with CMake) are split by
section header instead of `size -B` (their .data holds RAM functions, which Berkeley `size`
counts as text): text = allocated contents in flash, data = initialised RAM (its copy is in
flash too), bss = zeroed RAM; heap = the GC heap (__GcHeapEnd - __GcHeapStart). A second
table sets them against the chip: the firmware's flash partition (chip flash minus the
filesystem) and the SRAM. Their frozen content also holds the port's _boot.py/rp2.py and
asyncio; the .mpy sizes say how much of it is micronn.
"""

import argparse
import re
import struct
import subprocess
import sys
from pathlib import Path

from . import boards as _boards
from . import fit as _fit

# MicroPython rp2 port boards: built by boards/rp2.mk into build/fw/<board>/firmware.elf.
RP2_BOARDS = ("RPI_PICO", "RPI_PICO2")
RP2_FLASH = (0x10000000, 0x12000000)  # XIP flash window (RP2040 uses the first 16 MiB)

_SECTION_ONLY = re.compile(r"^ (\.\S+|COMMON)\s*$")
_SECTION_LINE = re.compile(r"^ (\.\S+|COMMON)?\s+0x([0-9a-fA-F]+)\s+0x([0-9a-fA-F]+)\s+(\S.*)$")


def _kind(section):
    if section.startswith((".text", ".rodata", ".ARM.extab", ".ARM.exidx", ".gnu.linkonce.t",
                           ".gnu.linkonce.r")):
        return "text"
    if section.startswith(".data"):
        return "data"
    if section.startswith((".bss", ".tbss")) or section == "COMMON":
        return "bss"
    return None


def map_contributions(map_path, groups):
    """Sum the linked input-section sizes per group from a GNU ld map.

    groups: {name: predicate(object_path, section) -> bool}. Returns {name: {"text", "data", "bss"}}.
    """
    out = {g: {"text": 0, "data": 0, "bss": 0} for g in groups}
    in_map = False
    pending = None
    with open(map_path, errors="replace") as f:
        for line in f:
            if not in_map:
                in_map = line.startswith("Linker script and memory map")
                continue
            m = _SECTION_ONLY.match(line)
            if m:
                pending = m.group(1)
                continue
            m = _SECTION_LINE.match(line)
            if not m:
                pending = None
                continue
            section = m.group(1) or pending
            pending = None
            obj = m.group(4).strip()
            kind = _kind(section or "")
            if kind is None or not (obj.endswith(".o") or obj.endswith(".o)")):
                continue
            size = int(m.group(3), 16)
            for g, pred in groups.items():
                if pred(obj, section):
                    out[g][kind] += size
                    break
    return out


def _objects_size(tool, objs):
    """Fallback without a map: `size` of the object files (before --gc-sections)."""
    tot = {"text": 0, "data": 0, "bss": 0}
    if not objs:
        return tot
    r = subprocess.run([tool] + [str(o) for o in objs], capture_output=True, text=True, check=True)
    for line in r.stdout.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 3 and parts[0].isdigit():
            tot["text"] += int(parts[0])
            tot["data"] += int(parts[1])
            tot["bss"] += int(parts[2])
    return tot


def known_boards():
    return list(_boards.BOARDS) + [b for b in RP2_BOARDS if b not in _boards.BOARDS]


def firmware_path(board):
    if board in RP2_BOARDS:
        return _boards.BUILD / "fw" / board / "firmware.elf"
    return _boards.firmware_path(board)


def elf_sections(path):
    """[(name, type, flags, addr, size)] from a 32-bit little-endian ELF's section headers."""
    with open(path, "rb") as f:
        elf = f.read()
    if elf[:4] != b"\x7fELF" or elf[4] != 1 or elf[5] != 1:
        raise ValueError("%s: not a 32-bit little-endian ELF" % path)
    shoff, = struct.unpack_from("<I", elf, 32)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 46)
    heads = [struct.unpack_from("<6I", elf, shoff + i * shentsize) for i in range(shnum)]
    strtab = heads[shstrndx][4]
    out = []
    for name, typ, flags, addr, _offset, size in heads:
        end = elf.index(b"\0", strtab + name)
        out.append((elf[strtab + name:end].decode(), typ, flags, addr, size))
    return out


SHT_NOBITS = 8
SHF_ALLOC = 2


def rp2_sizes(fw):
    """text/data/bss of an rp2 firmware by section: flash contents, RAM contents, RAM zeroed."""
    tot = {"text": 0, "data": 0, "bss": 0}
    for _name, typ, flags, addr, size in elf_sections(fw):
        if not flags & SHF_ALLOC or size == 0:
            continue  # .heap/.stack_dummy (C heap, stacks) are not allocated sections
        if typ == SHT_NOBITS:
            tot["bss"] += size
        elif RP2_FLASH[0] <= addr < RP2_FLASH[1]:
            tot["text"] += size
        else:
            tot["data"] += size
    return tot["text"], tot["data"], tot["bss"]


def firmware_sizes(board, fw=None):
    """Dict with the firmware's text/data/bss/heap and micronn's share (see module doc).

    fw: another build of the board's firmware (e.g. build/fw/MPS2_AN386_tier1/firmware.elf)."""
    if board in RP2_BOARDS:
        return _rp2_firmware_sizes(board)
    info = _boards.board_info(board)
    label = board if fw is None else "%s (%s)" % (board, Path(fw).parent.name)
    fw = _boards.firmware_path(board) if fw is None else Path(fw)
    tool = "size" if info.port == "unix" else "arm-none-eabi-size"
    r = subprocess.run([tool, "-B", str(fw)], capture_output=True, text=True, check=True)
    text, data, bss = (int(x) for x in r.stdout.splitlines()[1].split()[:3])
    heap = 0
    if info.port == "qemu":
        r = subprocess.run([tool, "-A", str(fw)], capture_output=True, text=True, check=True)
        for line in r.stdout.splitlines():
            parts = line.split()
            if parts[:1] == [".heap"]:
                heap = int(parts[1])
        bss -= heap
    else:
        heap = info.heap_size  # allocated at run time (-X heapsize)
    parts, source = _micronn_parts(tool, fw)
    return {"board": label, "text": text, "data": data, "bss": bss, "heap": heap,
            "heap_runtime": info.port == "unix", "source": source, **parts}


def _micronn_parts(tool, fw):
    build = fw.parent
    groups = {
        "_micronn": lambda o, _s: "/_micronn/" in o,
        # make-based ports: frozen_content.o; CMake-based (rp2, esp32): frozen_content.c.o
        "frozen": lambda o, s: o.endswith(("frozen_content.o", "frozen_content.c.o"))
        and "__mn_boot" not in s,
    }
    maps = [p for p in (fw.with_suffix(".map"), build / (fw.name + ".map")) if p.exists()]
    if maps:
        return map_contributions(maps[0], groups), "map"
    return ({"_micronn": _objects_size(tool, sorted((build / "_micronn").rglob("*.o"))),
             "frozen": _objects_size(tool, [build / "frozen_content.o"])}, "objects")


def _rp2_firmware_sizes(board):
    fw = firmware_path(board)
    text, data, bss = rp2_sizes(fw)
    heap, _src = _fit.heap_of(board)  # __GcHeapEnd - __GcHeapStart of the built firmware
    desc, _default_heap, fs_bytes, ram_bytes, flash_bytes, romfs_bytes = _fit.REAL_BOARDS[board]
    parts, source = _micronn_parts("arm-none-eabi-size", fw)
    mpys = list((fw.parent / "frozen_mpy").rglob("*.mpy"))
    frozen_mpy = (sum(p.stat().st_size for p in mpys if "micronn" in p.relative_to(fw.parent).parts),
                  sum(p.stat().st_size for p in mpys))
    return {"board": board, "text": text, "data": data, "bss": bss, "heap": heap,
            "heap_runtime": False, "source": source, **parts, "frozen_mpy": frozen_mpy,
            "chip": {"desc": desc, "flash": flash_bytes, "fs": fs_bytes, "ram": ram_bytes,
                     "romfs": romfs_bytes}}


def _fmt_chip(rows):
    """Flash and RAM use of the RP2 boards against their chip."""
    out = []
    for s in rows:
        chip = s.get("chip")
        if not chip:
            continue
        part = chip["flash"] - chip["fs"] - chip.get("romfs", 0)
        used = s["text"] + s["data"]
        static = s["data"] + s["bss"]
        out.append("%s (%s): flash %d of the %dK firmware partition (%.1f%%; %dK chip flash, %dK "
                   "ROMFS, %dK filesystem); RAM %dK: %d static (data+bss), %dK GC heap, %d C "
                   "heap/stacks/vectors"
                   % (s["board"], chip["desc"], used, part // 1024, 100.0 * used / part,
                      chip["flash"] // 1024, chip.get("romfs", 0) // 1024, chip["fs"] // 1024,
                      chip["ram"] // 1024, static, s["heap"] // 1024, chip["ram"] - static - s["heap"]))
        # The frozen column also holds the port's _boot.py/rp2.py and asyncio.
        mpy = s.get("frozen_mpy")
        if mpy:
            out.append("  frozen .mpy files: micronn %d of %d bytes (the rest: the rp2 port's "
                       "_boot.py/rp2.py, asyncio)" % (mpy[0], mpy[1]))
    return "\n".join(out)


def _fmt_table(rows):
    head = ("board", "text", "data", "bss", "heap", "_micronn t/d/b", "frozen t/d/b",
            "micronn", "share")
    lines = [head]
    for s in rows:
        mn, fz = s["_micronn"], s["frozen"]
        total = sum(mn.values()) + sum(fz.values()) - mn["bss"] - fz["bss"]
        flash = s["text"] + s["data"]
        lines.append((
            s["board"], str(s["text"]), str(s["data"]), str(s["bss"]),
            "%dK%s" % (s["heap"] // 1024, " (run time)" if s["heap_runtime"] else ""),
            "%d/%d/%d" % (mn["text"], mn["data"], mn["bss"]),
            "%d/%d/%d" % (fz["text"], fz["data"], fz["bss"]),
            str(total), "%.1f%%" % (100.0 * total / flash if flash else 0),
        ))
    widths = [max(len(r[i]) for r in lines) for i in range(len(head))]
    out = []
    for k, r in enumerate(lines):
        out.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
        if k == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def main(argv=None):
    p = argparse.ArgumentParser(prog="micronn size", description=__doc__.split("\n\n")[0])
    p.add_argument("--board", action="append", metavar="BOARD[=ELF]",
                   help="board to report (repeatable; default: every board with a firmware built); "
                   "BOARD=ELF reports another build of it (make-based ports), e.g. "
                   "MPS2_AN386=build/fw/MPS2_AN386_tier1/firmware.elf")
    a = p.parse_args(argv)
    names = a.board or [b for b in known_boards() if firmware_path(b).exists()]
    rows, missing = [], []
    for spec in names:
        b, _, elf = spec.partition("=")
        if b not in known_boards() or (elf and b in RP2_BOARDS):
            p.error("--board %s: expected BOARD[=ELF], BOARD in %s (=ELF not for %s)"
                    % (spec, ", ".join(sorted(known_boards())), ", ".join(RP2_BOARDS)))
        if not (Path(elf) if elf else firmware_path(b)).exists():
            missing.append(spec)
            continue
        rows.append(firmware_sizes(b, elf or None))
    if rows:
        print("Firmware sizes in bytes (bss excludes the GC heap). micronn = _micronn C module +")
        print("frozen micronn package, text+data, from the linker map; share = of firmware text+data.")
        print(_fmt_table(rows))
        chip = _fmt_chip(rows)
        if chip:
            print(chip)
    for spec in missing:
        b, _, elf = spec.partition("=")
        print("%s: no firmware at %s (make fw-%s)" % (b, elf or firmware_path(b), b), file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
