"""Device tests (tests/device/*.py): each prints integers only; its expected output
(<script>.exp) is what the numpy reference produces under CPython and the C kernels produce on
the unix firmware: an .exp is only written (`make update-exp`) and only accepted when the two
agree. The same script must print exactly that on every other board."""

import subprocess
import sys

import pytest
from conftest import DEVICE_DIR, boards, require_firmware, with_emu_boards

from host_tools.device import boards as hw

SCRIPTS = sorted(p.name for p in DEVICE_DIR.glob("*.py"))
# The scripts the emulated boards (RPI_PICO in rp2040js) run: those of at most ~250 M emulated
# cycles (6-8 s of wall time at the emulator's 30-40 M cycles/s; most of it is the scripts' own
# Python: random data and hashes, big-int arithmetic on a 32-bit port). The others (0.6-4+ G
# cycles: add_s8 1091 M, batch_matmul_s8_fast > 4000 M, conv2d_s8_fast 1277 M, conv_fc_wide_s8
# 619 M, ...) run on unix-nosimd (the same portable C kernels as the RP2040 image) and the QEMU
# boards. Emulated cycles (millions) measured per script with rp2040js 1.4.1:
EMU_SCRIPTS = {
    "conv2d_s8.py": 140,
    "copy_nd.py": 27,
    "depthwise_conv2d_s8.py": 176,
    "detection_postprocess.py": 24,
    "elementwise_ops.py": 213,
    "fully_connected_s8.py": 145,
    "lut_s8.py": 44,
    "nms_boxes.py": 178,
    "nn_small_s8_fast.py": 122,
    "params_counts.py": 6,
    "pool2d_s8.py": 176,
    "prelu_s8.py": 30,
    "quantize_f32_s8.py": 101,
    "requantize_s8.py": 43,
    "signal_ops.py": 199,
    "softmax_s8.py": 129,
}


def device_cases():
    """(board, script) pairs: every script on the non-unix boards of MICRONN_BOARDS, EMU_SCRIPTS on
    the emulated boards (MICRONN_EMU_BOARDS)."""
    cases = []
    for board in with_emu_boards(boards()):
        if board == "unix":
            continue
        emulated = board in hw.BOARDS and hw.BOARDS[board].port == "rp2"
        cases += [(board, s) for s in SCRIPTS if not emulated or s in EMU_SCRIPTS]
    return cases


def run_cpython(script):
    r = subprocess.run([sys.executable, script], cwd=DEVICE_DIR, capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == 0, r.stderr
    return r.stdout


def run_unix(script):
    rc, out = hw.run_script("unix", DEVICE_DIR / script, timeout=900, cwd=DEVICE_DIR)
    out = out.replace("\r\n", "\n")
    assert rc == 0, out[-2000:]
    return out


def first_difference(a, b):
    for n, (x, y) in enumerate(zip(a.splitlines(), b.splitlines()), 1):
        if x != y:
            return "line %d: %r vs %r" % (n, x[:200], y[:200])
    return "%d vs %d lines" % (len(a.splitlines()), len(b.splitlines()))


def expected(script):
    exp = DEVICE_DIR / (script + ".exp")
    assert exp.exists(), "%s missing: run `make update-exp`" % exp.name
    return exp.read_text()


@pytest.mark.parametrize("script", SCRIPTS)
def test_exp_is_numpy_and_c(script):
    """The numpy reference (CPython) and the C kernels (unix firmware) print the same, and that
    is the .exp (whatever MICRONN_BOARDS says, the unix firmware is the C side here)."""
    require_firmware("unix")
    numpy_out, c_out = run_cpython(script), run_unix(script)
    assert numpy_out == c_out, "numpy reference and C kernels disagree: %s" % first_difference(
        numpy_out, c_out)
    assert c_out == expected(script), "%s is stale (`make update-exp`): %s" % (
        script + ".exp", first_difference(c_out, expected(script)))


# unix: test_exp_is_numpy_and_c
@pytest.mark.parametrize("board,script", device_cases())
def test_device_matches_exp(board, script):
    require_firmware(board)
    rc, out = hw.run_script(board, DEVICE_DIR / script, timeout=900, cwd=DEVICE_DIR)
    out = out.replace("\r\n", "\n")
    assert rc == 0, out[-2000:]
    assert out == expected(script)


def test_exp_files_have_scripts():
    for exp in DEVICE_DIR.glob("*.exp"):
        assert (DEVICE_DIR / exp.name[:-4]).exists(), "stale %s" % exp.name
    assert set(EMU_SCRIPTS) <= set(SCRIPTS), set(EMU_SCRIPTS) - set(SCRIPTS)


def update_exp():
    """make update-exp: write each .exp from the numpy reference, only where the C kernels (the
    unix firmware) print the same; returns the number of scripts refused."""
    if not hw.firmware_path("unix").exists():
        print("update-exp: the unix firmware is not built (make fw-unix)")
        return len(SCRIPTS)
    refused = 0
    for s in SCRIPTS:
        numpy_out = run_cpython(s)
        rc, c_out = hw.run_script("unix", DEVICE_DIR / s, timeout=900, cwd=DEVICE_DIR)
        c_out = c_out.replace("\r\n", "\n")
        if rc != 0 or c_out != numpy_out:
            refused += 1
            why = "failed on the unix firmware (rc %d)" % rc if rc else first_difference(numpy_out, c_out)
            print("NOT written: %s.exp: numpy and the unix firmware disagree: %s" % (s, why))
            continue
        exp = DEVICE_DIR / (s + ".exp")
        if exp.exists() and exp.read_text() == numpy_out:
            print("unchanged", exp.name)
        else:
            exp.write_text(numpy_out)
            print("wrote", exp.name)
    return refused


if __name__ == "__main__":
    sys.exit(1 if update_exp() else 0)
