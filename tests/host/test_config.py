"""firmware/_micronn/micronn_config.h: an op area switched off compiles to nothing.

Each area's binding file and kernels are compiled on the host with the flag 0 (the objects must
define no symbols and hold no bytes), and its globals-table entries must drop out of
mn_bind_areas.h. Then the Tier-1-only M4 firmware (`make fw-MPS2_AN386-tier1`, built here when
out of date) must stay usable: real models bit-exact, the runtime and Python ops.
"""

import re
import shutil
import subprocess

import pytest
from conftest import ROOT, require_firmware

from host_tools.ops import table

MOD = ROOT / "firmware" / "_micronn"
AREAS = tuple(a for _, a in table.AREAS if a)  # the op spec's areas (micronn_config.h flags)
CC = shutil.which("gcc") or shutil.which("cc")


def _before(text, a, b):
    """a occurs in text before b (or b does not occur)."""
    return text.find(a) < (text.find(b) if b in text else len(text))


def area_files(area):
    """The C files guarded by MICRONN_OP_<area>: its binding files (bind_<area>.c, the generated
    bind_spec_<area>.c) and the area's kernels (every kernel of the area's ops in the spec)."""
    guard = "#if MICRONN_OP_%s\n" % area
    guarded = sorted(p for p in [*MOD.glob("bind_*.c"), *MOD.glob("kernels/*.c")]
                     if guard in p.read_text() and p.name != "bind_spec_params.c")
    # A file of another area may hold an op of this one under a nested guard (SUB int8 in ADD's
    # kernel file): it is searched for the kernel, but it is not the area's file.
    files = [p for p in guarded if _before(p.read_text(), guard, '#include "micronn.h"')]
    kernels = {op.kernel for op in table.OPS if op.area == area}
    if kernels:
        assert {MOD / ("bind_%s.c" % area.lower()), MOD / ("bind_spec_%s.c" % area.lower())} & set(files)
        assert any(p.parent.name == "kernels" for p in files), "no kernel guarded by " + guard.strip()
    text = "\n".join(p.read_text() for p in guarded)
    for k in kernels:
        assert re.search(r"\bmn_%s\s*\(" % k, text), "kernel mn_%s is not guarded by %s" % (k, guard.strip())
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
def test_area_off_drops_its_params_tables(area, tmp_path):
    # bind_spec_params.c (generated from the op spec) holds every layout's range table; an area
    # switched off keeps exactly the tables of the other layouts.
    from host_tools.ops import table

    obj = tmp_path / "bind_spec_params.o"
    subprocess.run([CC, "-std=gnu99", "-Wall", "-Wextra", "-Werror", "-O2", "-I", str(MOD),
                    "-DMICRONN_OP_%s=0" % area, "-c", str(MOD / "bind_spec_params.c"), "-o", str(obj)], check=True)
    syms = subprocess.run(["nm", "--defined-only", str(obj)], capture_output=True, text=True,
                          check=True).stdout.split()
    want = {"mn_%s_spec" % lay.prefix.lower() for lay in table.LAYOUTS if lay.base is None and lay.area != area}
    assert {s for s in syms if s.startswith("mn_")} == want


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
    assert {"run_plan", "run_io", "runner", "copy_in", "lut_s8", "signal_rfft_s16", "nms_boxes", "cast"} <= every
    tier1 = _table_entries(tmp_path, ["-DMICRONN_OP_%s=0" % a for a in AREAS])
    assert tier1 == {"run_plan", "run_io", "runner", "copy_in", "copy", "typecode", "copy_rect", "run_if", "run_while",
                     "run_once"}
    no_signal = _table_entries(tmp_path, ["-DMICRONN_OP_SIGNAL=0"])
    assert no_signal == {q for q in every if not q.startswith("signal_")}


# ---------------------------------------------------------------------------- Tier-1 firmware
# boards/qemu.mk fw-MPS2_AN386-tier1: every area off and the Tier-1 frozen package (no
# oplist_areas.py, nms.py, testdata.py; mpy-cross -O3). It must stay a usable firmware: real models bit-exact, the
# runtime checks and Python ops (the profiler is left out: a clear ImportError), in one QEMU
# session each.
TIER1_ELF = ROOT / "build" / "fw" / "MPS2_AN386_tier1" / "firmware.elf"
TIER1_SCRIPT = """\
import _micronn, micronn
print("areas", [k for k in ("lut_s8", "prelu_s8", "signal_rfft_s16", "nms_boxes", "cast", "binary_s32")
                if hasattr(_micronn, k)])
print("nms", hasattr(micronn, "nms"))
try:
    import micronn.testdata
    print("testdata frozen")
except ImportError:
    print("no testdata")
m = micronn.load("model.micronn")
try:
    m.profile(bytearray(m.inputs[0].nbytes))
except ImportError as e:
    print(e)
try:
    micronn.load("act.micronn")
except micronn.ModelError as e:
    print(e)
"""


@pytest.fixture(scope="module")
def tier1_elf():
    # A no-op when the firmware is up to date (`make test` does not build it).
    r = subprocess.run(["make", "--no-print-directory", "fw-MPS2_AN386-tier1"], cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return TIER1_ELF


@pytest.fixture
def on_tier1(tier1_elf, monkeypatch):
    """Board MPS2_AN386 runs the Tier-1 firmware for this test."""
    from host_tools.device import boards as hw

    monkeypatch.setattr(hw, "firmware_path", lambda board: tier1_elf)
    return "MPS2_AN386"


def test_tier1_firmware_runs_models_bitexact(on_tier1):
    from test_models import assert_outputs_equal, converted, stored_io

    from host_tools.check import runner

    names = ["kws_ref_model", "ad01_int8"]
    ios = [stored_io(n) for n in names]
    results = runner.run_many([(converted(n), ins) for n, (ins, _) in zip(names, ios)], on_tier1)
    for name, res, (_, want) in zip(names, results, ios):
        try:
            assert_outputs_equal(res.outputs, want)
        except AssertionError as e:
            raise AssertionError("%s on the Tier-1 firmware: %s" % (name, e)) from None


def test_tier1_firmware_has_tier1_only_and_a_working_runtime(on_tier1, tmp_path):
    import numpy as np
    from test_models import converted

    from host_tools import convert
    from host_tools.check import modelgen
    from host_tools.device import boards as hw

    (tmp_path / "model.micronn").write_bytes(converted("kws_ref_model"))
    act = modelgen.activation(np.random.default_rng(0), "LOGISTIC")
    (tmp_path / "act.micronn").write_bytes(convert.convert(act).serialize())
    rc, out = hw.run_script(on_tier1, TIER1_SCRIPT, timeout=300, cwd=tmp_path)
    assert rc == 0, out[-2000:]
    assert out.replace("\r\n", "\n").split("\n")[:5] == [
        "areas []", "nms False", "no testdata",
        "micronn/profiler.py is not in this (Tier-1) firmware",
        "op 0: opcode 20 is an op of the activations area, not in this firmware (built with "
        "MICRONN_OP_ACTIVATIONS=0)"], out


def _tier1_device_scripts():
    """tests/device scripts that call no kernel of an area (nor micronn.nms)."""
    from conftest import DEVICE_DIR
    from micronn import oplist

    area = [k for c, (_, k, _) in oplist.OPS.items() if 20 <= c < oplist.CUSTOM] + ["nms"]
    pattern = re.compile(r"\b(%s)\b" % "|".join(area))
    return [p for p in sorted(DEVICE_DIR.glob("*.py")) if not pattern.search(p.read_text())]


def test_tier1_firmware_runs_the_tier1_device_scripts(on_tier1):
    # The Tier-1 firmware freezes no micronn.testdata: each script gets its source inline.
    from conftest import DEVICE_DIR

    from host_tools.device import boards as hw

    scripts = _tier1_device_scripts()
    assert {"add_s8", "conv2d_s8_fast", "depthwise_conv2d_s8_fast", "softmax_s8"} <= {p.stem for p in scripts}
    testdata = (ROOT / "firmware" / "micronn" / "testdata.py").read_text()
    srcs = [re.sub(r"(?m)^from micronn\.testdata import .*$", lambda _m: testdata, p.read_text())
            for p in scripts]
    assert all("micronn.testdata" not in s for s in srcs)
    for p, (rc, out) in zip(scripts, hw.run_scripts(on_tier1, srcs, timeout=900, cwd=DEVICE_DIR)):
        assert rc == 0, (p.name, out[-2000:])
        assert out.replace("\r\n", "\n") == (DEVICE_DIR / (p.name + ".exp")).read_text(), p.name


def test_tier1_firmware_runtime_and_python_ops(on_tier1, tmp_path):
    # The unix/QEMU tests of the runtime (allocation-free run, errors naming the buffer) and of
    # Python custom ops (plain, native, viper), on the Tier-1 firmware.
    import test_custom_ops
    import test_runtime

    test_runtime.test_run_into_caller_buffers_allocates_nothing(on_tier1, tmp_path)
    test_custom_ops.test_device_python_ops(on_tier1, tmp_path)


def test_the_longest_rom_text_is_the_guard_that_is_never_raised():
    """MicroPython v1.25 overflows its message decompression buffer by one byte when the longest
    MP_ERROR_TEXT is raised (ASan: a signal op's error); mn_args.c's never-raised guard text must
    stay the longest of the firmware."""
    import re

    from host_tools.device import boards as hw

    require_firmware("unix")
    hdr = next(hw.firmware_path("unix").parent.rglob("compressed.data.h"))
    longest = int(re.search(r"MP_MAX_UNCOMPRESSED_TEXT_LEN \((\d+)\)", hdr.read_text()).group(1))
    guard = re.search(r'mn_rom_text_guard\(void\) \{\s*mp_raise_ValueError\(MP_ERROR_TEXT\("([^"]*)"',
                      (ROOT / "firmware" / "_micronn" / "mn_args.c").read_text()).group(1)
    assert longest == len(guard), (longest, len(guard))
