"""Every kernel compiles, warning-free, for the targets the firmware cannot be built for in CI:
Xtensa (the ESP32 family; Debian's xtensa-lx106 compiler stands in for the ESP32-S3's LX7),
Cortex-M0+ (RP2040, no DSP) and Cortex-M33 with DSP (RP2350)."""

import shutil
import subprocess

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


@pytest.mark.parametrize("target", TARGETS)
def test_kernels_compile(target, tmp_path):
    cc, *flags = TARGETS[target]
    if shutil.which(cc) is None:
        pytest.fail("%s not installed: run `make deps`" % cc)
    assert KERNELS
    for src in KERNELS:
        r = subprocess.run([cc, *flags, "-std=c99", "-O2", "-Wall", "-Wextra", "-Werror",
                            "-I%s" % MODULE, "-c", str(src), "-o", str(tmp_path / "k.o")],
                           capture_output=True, text=True)
        assert r.returncode == 0, "%s for %s:\n%s" % (src.name, target, r.stderr)


def test_dsp_path_selected_on_m33():
    r = subprocess.run(["arm-none-eabi-gcc", "-mcpu=cortex-m33", "-mthumb", "-dM", "-E", "-x", "c",
                        "/dev/null"], capture_output=True, text=True, check=True)
    assert "__ARM_FEATURE_DSP 1" in r.stdout
