"""Every kernel compiles, warning-free, for the targets the firmware cannot be built for in CI:
Xtensa (the ESP32 family; Debian's xtensa-lx106 compiler stands in for the ESP32-S3's LX7),
Cortex-M0+ (RP2040, no DSP) and Cortex-M33 with DSP (RP2350). And each target compiles the
kernel variant meant for it: the DSP path (SMLAD) on M4/M33, the MVE path on M55, the M3 path on
M3, the portable C loops on M0+, SSE2 on the x86-64 host (checked in the objects' code)."""

import atexit
import functools
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from conftest import ROOT

MODULE = ROOT / "firmware" / "_micronn"
KERNELS = sorted((MODULE / "kernels").glob("*.c"))

TARGETS = {
    "xtensa": ["xtensa-lx106-elf-gcc", "-ffreestanding"],
    "cortex-m0plus": ["arm-none-eabi-gcc", "-mcpu=cortex-m0plus", "-mthumb"],
    "cortex-m33": ["arm-none-eabi-gcc", "-mcpu=cortex-m33", "-mthumb", "-mfloat-abi=hard",
                   "-mfpu=fpv5-sp-d16"],
}


CFLAGS = ["-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "-I%s" % MODULE]


@functools.lru_cache(maxsize=None)
def _objects(cc_flags):
    """Compile every kernel with `cc_flags` (once per session and worker): [(source, object)]."""
    cc = cc_flags[0]
    if shutil.which(cc) is None:
        pytest.fail("%s not installed: run `make deps`" % cc)
    out = Path(tempfile.mkdtemp(prefix="micronn-kernels-"))
    atexit.register(shutil.rmtree, out, True)
    objs = []
    for src in KERNELS:
        obj = out / (src.stem + ".o")
        r = subprocess.run([*cc_flags, *CFLAGS, "-c", str(src), "-o", str(obj)], capture_output=True,
                           text=True)
        assert r.returncode == 0, "%s for %s:\n%s" % (src.name, " ".join(cc_flags), r.stderr)
        objs.append((src, obj))
    return objs


@pytest.mark.parametrize("target", TARGETS)
def test_kernels_compile(target):
    assert KERNELS
    assert len(_objects(tuple(TARGETS[target]))) == len(KERNELS)


# What selects a variant, as seen in the compiled kernels (one place to update when a variant
# is renamed): instruction mnemonics (a regex on objdump's mnemonic column) and defined symbols.
INSN = {
    "dsp": r"smlad",  # the SMLAD dual 16-bit MAC of the DSP paths (conv, fully connected)
    "mve": r"vqrdmulh\.s32|vmladav\S*|vmlava\S*",  # Helium: vector requantization / MAC
    "sse2": r"pmaddwd",  # the host SIMD path
}
M3_SYMBOL = "mn_conv_tile3_m3"  # the Cortex-M3 (no DSP) conv tile, in assembly
ARM = ["arm-none-eabi-gcc", "-mthumb"]
VARIANTS = {
    # target: (compiler and flags, variants whose code must be there, variants that must not)
    "cortex-m4": (ARM + ["-mcpu=cortex-m4", "-mfpu=fpv4-sp-d16", "-mfloat-abi=hard"],
                  {"dsp"}, {"mve", "m3"}),
    "cortex-m33": (TARGETS["cortex-m33"], {"dsp"}, {"mve", "m3"}),
    "cortex-m55": (ARM + ["-mcpu=cortex-m55", "-mfloat-abi=hard"], {"mve"}, {"m3"}),
    "cortex-m3": (ARM + ["-mcpu=cortex-m3", "-mfloat-abi=soft"], {"m3"}, {"dsp", "mve"}),
    "cortex-m0plus": (TARGETS["cortex-m0plus"], set(), {"dsp", "mve", "m3"}),
    "x86-64": (["gcc"], {"sse2"}, set()),
}
OBJDUMP = {"arm-none-eabi-gcc": ("arm-none-eabi-objdump", "arm-none-eabi-nm"), "gcc": ("objdump", "nm")}


def _code(cc_flags):
    """(mnemonics, defined symbols) of all kernels compiled with `cc_flags`."""
    objdump, nm = OBJDUMP[cc_flags[0]]
    insns, syms = [], set()
    for _src, obj in _objects(tuple(cc_flags)):
        dis = subprocess.run([objdump, "-d", str(obj)], check=True, capture_output=True, text=True).stdout
        insns += [f[2].split()[0] for f in (ln.split("\t") for ln in dis.splitlines()) if len(f) > 2 and f[2]]
        out = subprocess.run([nm, "--defined-only", str(obj)], check=True, capture_output=True, text=True).stdout
        syms |= {ln.split()[-1] for ln in out.splitlines() if ln.strip()}
    return insns, syms


@pytest.mark.parametrize("target", VARIANTS)
def test_each_target_compiles_its_variant(target):
    cc_flags, want, not_want = VARIANTS[target]
    insns, syms = _code(cc_flags)
    assert "mn_conv2d_s8" in syms and "mn_fully_connected_s8" in syms

    def present(variant):
        if variant == "m3":
            return M3_SYMBOL in syms
        return any(re.fullmatch(INSN[variant], i) for i in insns)

    assert {v for v in want if not present(v)} == set(), "%s lacks the %s path" % (target, want)
    assert {v for v in not_want if present(v)} == set(), "%s compiles a path not meant for it" % target
