"""Firmware sizes per board, and the bytes micronn adds to them.

    python -m host_tools size --board unix --board MPS2_AN386

For each board: text/data/bss of the firmware (`size`, or `arm-none-eabi-size` for the
QEMU boards; the QEMU boards' 16 MiB GC heap is its own NOLOAD section, shown apart
from bss), then what micronn puts in it, from the linker map (the input sections that
survived --gc-sections):
  _micronn   the C module (build/fw/<board>/_micronn/*.o: bindings, kernels, port)
  frozen     frozen_content.o: the frozen `micronn` package (the only frozen code;
             bytecode, constants and its own qstrs)
The module's qstrs that land in the firmware's main qstr pool are not counted.
"""

import argparse
import re
import subprocess
import sys

from . import boards as _boards

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

    groups: {name: predicate(object_path) -> bool}. Returns {name: {"text", "data", "bss"}}.
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
                if pred(obj):
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


def firmware_sizes(board):
    """Dict with the firmware's text/data/bss/heap and micronn's share (see module doc)."""
    info = _boards.board_info(board)
    fw = _boards.firmware_path(board)
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
    build = fw.parent
    groups = {
        "_micronn": lambda o: "/_micronn/" in o,
        "frozen": lambda o: o.endswith("frozen_content.o"),
    }
    maps = [p for p in (fw.with_suffix(".map"), build / (fw.name + ".map")) if p.exists()]
    if maps:
        parts = map_contributions(maps[0], groups)
        source = "map"
    else:
        parts = {"_micronn": _objects_size(tool, sorted((build / "_micronn").rglob("*.o"))),
                 "frozen": _objects_size(tool, [build / "frozen_content.o"])}
        source = "objects"
    return {"board": board, "text": text, "data": data, "bss": bss, "heap": heap,
            "heap_runtime": info.port == "unix", "source": source, **parts}


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
    p.add_argument("--board", action="append", choices=sorted(_boards.BOARDS),
                   help="board to report (repeatable; default: every board with a firmware built)")
    a = p.parse_args(argv)
    names = a.board or [b for b in _boards.BOARDS if _boards.firmware_path(b).exists()]
    rows, missing = [], []
    for b in names:
        if not _boards.firmware_path(b).exists():
            missing.append(b)
            continue
        rows.append(firmware_sizes(b))
    if rows:
        print("Firmware sizes in bytes (bss excludes the GC heap). micronn = _micronn C module +")
        print("frozen micronn package, text+data, from the linker map; share = of firmware text+data.")
        print(_fmt_table(rows))
    for b in missing:
        print("%s: no firmware at %s (make fw-%s)" % (b, _boards.firmware_path(b), b), file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
