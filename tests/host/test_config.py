"""firmware/_micronn/micronn_config.h: an op area switched off compiles to nothing.

Each area's binding file and kernels are compiled on the host with the flag 0 (the objects must
define no symbols and hold no bytes), and its globals-table entries must drop out of
mn_bind_areas.h. Builds no firmware (the Tier-1-only M4 build is `make fw-MPS2_AN386-tier1`).
"""

import re
import shutil
import subprocess

import pytest
from conftest import ROOT

MOD = ROOT / "firmware" / "_micronn"
AREAS = ("ACTIVATIONS", "SIGNAL", "DETECTION", "ELEMENTWISE")
CC = shutil.which("gcc") or shutil.which("cc")


def area_files(area):
    """The C files guarded by MICRONN_OP_<area>: bind_<area>.c and the area's kernels."""
    guard = "#if MICRONN_OP_%s\n" % area
    files = sorted(p for p in [*MOD.glob("bind_*.c"), *MOD.glob("kernels/*.c")] if guard in p.read_text())
    assert MOD / ("bind_%s.c" % area.lower()) in files
    assert any(p.parent.name == "kernels" for p in files), "no kernel guarded by " + guard.strip()
    return files


def test_every_area_flag_has_a_default_and_a_cost():
    text = (MOD / "micronn_config.h").read_text()
    for area in AREAS:
        flag = "MICRONN_OP_" + area
        assert "#ifndef %s\n#define %s (1)\n#endif" % (flag, flag) in text
    assert len(re.findall(r"Flash: \d+ bytes", text)) == len(AREAS)


@pytest.mark.parametrize("area", AREAS)
def test_area_off_compiles_to_nothing(area, tmp_path):
    for src in area_files(area):
        obj = tmp_path / (src.stem + ".o")
        # With the flag 0 nothing after the guard is seen, so no MicroPython headers are needed.
        subprocess.run([CC, "-std=gnu99", "-Wall", "-Wextra", "-Werror", "-O2", "-I", str(MOD),
                        "-DMICRONN_OP_%s=0" % area, "-c", str(src), "-o", str(obj)], check=True)
        syms = subprocess.run(["nm", "--defined-only", str(obj)], capture_output=True, text=True,
                              check=True).stdout
        assert [s for s in syms.split("\n") if s and " a " not in s] == [], (src.name, syms)
        out = subprocess.run(["size", str(obj)], capture_output=True, text=True, check=True).stdout
        text, data, bss = (int(x) for x in out.splitlines()[1].split()[:3])
        assert (text, data, bss) == (0, 0, 0), (src.name, out)


@pytest.mark.parametrize("area", AREAS)
def test_area_kernels_on_compile_to_code(area, tmp_path):
    # The default (flag 1) keeps every kernel (binding files need MicroPython's headers: the
    # firmware builds cover them).
    for src in area_files(area):
        if src.parent.name != "kernels":
            continue
        obj = tmp_path / (src.stem + ".o")
        subprocess.run([CC, "-std=gnu99", "-O2", "-I", str(MOD), "-c", str(src), "-o", str(obj)],
                       check=True)
        out = subprocess.run(["size", str(obj)], capture_output=True, text=True, check=True).stdout
        assert int(out.splitlines()[1].split()[0]) > 0, (src.name, out)


def _table_entries(tmp_path, defines):
    # Preprocess the globals-table entries with an empty py/obj.h: only the names matter here.
    (tmp_path / "py").mkdir(exist_ok=True)
    (tmp_path / "py" / "obj.h").write_text("")
    src = tmp_path / "entries.c"
    src.write_text('#include "mn_bind_areas.h"\nMN_BIND_AREA_ENTRIES\n')
    out = subprocess.run([CC, "-E", "-P", "-I", str(tmp_path), "-I", str(MOD), *defines, str(src)],
                         capture_output=True, text=True, check=True).stdout
    return set(re.findall(r"MP_QSTR_(\w+)", out))


def test_globals_table_entries_follow_the_flags(tmp_path):
    every = _table_entries(tmp_path, [])
    assert {"run_plan", "run_io", "copy_in", "lut_s8", "signal_rfft_s16", "nms_boxes", "cast"} <= every
    tier1 = _table_entries(tmp_path, ["-DMICRONN_OP_%s=0" % a for a in AREAS])
    assert tier1 == {"run_plan", "run_io", "copy_in"}
    no_signal = _table_entries(tmp_path, ["-DMICRONN_OP_SIGNAL=0"])
    assert no_signal == {q for q in every if not q.startswith("signal_")}
