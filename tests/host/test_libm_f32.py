"""EXP, LOG, SIN, COS float32 (and LOG_SOFTMAX, LOGISTIC, TANH, ELU float32) give the host glibc's
expf/logf/sinf/cosf/tanhf/expm1f bits (what the live TFLite Micro calls) on every board: kernels/mn_libm_f32.c, compiled as the
boards compile it (every double operation rounded on its own), and its numpy twin
host_tools/reference/libm_f32.py, against glibc on a sample of inputs and the listed exceptions.
`python -m host_tools.check.libm_f32 --as-is` checks all 2^32 inputs (minutes per function).
The lists are those of glibc 2.36's FMA code path (x86-64 with FMA, as TFLite Micro's host here);
on a host whose glibc computes otherwise (no FMA, another glibc) these tests fail on the listed
inputs, which is the point: the boards then no longer give that host's TFLite Micro bits.
The boards' own libm differs on 0.6-6% of inputs (MicroPython's lib/libm on MPS2_AN386, of the
finite results of 10^5 random inputs: exp 700 of 76439, log 330 of 50860, sin 5841 and cos 6376 of
99639; tanhf 349 and expm1f 5 of 8000), hence the file."""

import ctypes
import re
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT

from host_tools.check import libm_f32 as check
from host_tools.reference import libm_f32

HEADER = ROOT / "firmware" / "_micronn" / "kernels" / "mn_libm_f32.h"
FUNCS = ("exp", "log", "sin", "cos", "expm1", "tanh")


def _glibc(name, x):
    f = getattr(ctypes.CDLL("libm.so.6"), name + "f")
    f.restype, f.argtypes = ctypes.c_float, [ctypes.c_float]
    return np.array([f(float(v)) for v in x], dtype=np.float32)


def _sample(name, n=20000):
    rng = np.random.default_rng(77)
    u = rng.integers(0, 1 << 32, size=n, dtype=np.uint64).astype(np.uint32)
    special = [0, 0x80000000, 1, 0x80000001, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00000, 0x7FA00001,
               0x3F800000, 0x3F490FDB, 0x42F00000, 0x42EFFFFF, 0x42B17218, 0xC2CFF1B5, 0x39800000,
               # expm1f's and tanhf's branch points (27 ln2, 88.72, ln2 / 2, 3 ln2 / 2, 2^-25, 2^-55, 22)
               0x4195B844, 0xC195B844, 0x4195B843, 0x42B17180, 0x42B17181, 0x42B17217, 0x3EB17218, 0x3EB17219,
               0xBEB17219, 0x3F851592, 0xBF851591, 0x33000000, 0x32FFFFFF, 0x24000000, 0x23FFFFFF, 0x41B00000,
               0xC1AFFFFF, 0x3F7FFFFF, 0xBF800000]
    return np.concatenate([u, np.array(special + sorted(libm_f32.FIXES[name]), dtype=np.uint32)]).view(np.float32)


def test_python_and_c_exception_lists_agree():
    text = HEADER.read_text()
    for name in FUNCS:
        block = re.search(r"#define MN_%s_FIXES \\\n(.*?)sentinel" % name.upper(), text, re.S).group(1)
        pairs = {int(a, 16): int(b, 16) for a, b in re.findall(r"\{0x([0-9a-f]+)u, 0x([0-9a-f]+)u\}", block)
                 if a != "ffffffff"}
        assert pairs == libm_f32.FIXES[name], name
        assert sorted(pairs) == list(pairs), "%s: the C list must be sorted (binary search)" % name


@pytest.mark.parametrize("name", FUNCS)
def test_numpy_twin_is_glibc(name):
    x = _sample(name)
    got = getattr(libm_f32, name + "f")(x).view(np.uint32)
    want = _glibc(name, x).view(np.uint32)
    bad = np.flatnonzero(got != want)
    assert bad.size == 0, "%s: %d differ, first x=%08x ours %08x glibc %08x" % (
        name, bad.size, x.view(np.uint32)[bad[0]], got[bad[0]], want[bad[0]])


def test_c_file_unfused_is_glibc_on_a_sample():
    with tempfile.TemporaryDirectory() as d:
        exe = check.build(Path(d), as_is=True)
        for name in FUNCS:
            diffs = check.differences(exe, name, step=65537, jobs=1)
            assert diffs == [], "%s: %s" % (name, ["%08x ours %08x glibc %08x" % t for t in diffs[:5]])


def test_exception_inputs_are_fixed_in_c():
    """The exceptions are where the unfused C rounds otherwise: with the lists emptied, exactly
    those inputs (of the listed ones) differ from glibc."""
    with tempfile.TemporaryDirectory() as d:
        exe = check.build(Path(d), as_is=False)
        for name in FUNCS:
            for u, want in libm_f32.FIXES[name].items():
                diffs = check.differences(exe, name, only=u)
                assert diffs and diffs[0][0] == u and diffs[0][2] == want, (name, hex(u))


@pytest.mark.parametrize("cpu", [["-mcpu=cortex-m7", "-mfpu=fpv5-d16"], ["-mcpu=cortex-m55"]])
def test_boards_with_a_double_fpu_do_not_fuse(cpu):
    """The exceptions are those of the unfused evaluation: a board whose FPU has a double
    multiply-add must not fuse (the file's fp-contract pragma; GCC fuses by default)."""
    mod = ROOT / "firmware" / "_micronn"
    for name in ("mn_libm_f32.c", "mn_unary_f32.c", "mn_log_softmax_f32.c"):
        asm = subprocess.run(["arm-none-eabi-gcc", "-mthumb", *cpu, "-mfloat-abi=hard", "-O2", "-ffp-contract=fast",
                              "-std=gnu99", "-I", str(mod), "-S", "-o", "-", str(mod / "kernels" / name)],
                             capture_output=True, text=True, check=True).stdout
        assert not re.search(r"\bv(fma|fms|fnma|fnms)\b", asm), (name, cpu)
