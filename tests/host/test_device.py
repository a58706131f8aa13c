"""Device tests (tests/device/*.py): each prints integers only; its expected output
(<script>.exp) is what the numpy reference produces under CPython. The same script must print
exactly that on the unix firmware and on every QEMU board."""

import subprocess
import sys

import pytest
from conftest import DEVICE_DIR, boards, require_firmware

from host_tools.device import boards as hw

SCRIPTS = sorted(p.name for p in DEVICE_DIR.glob("*.py"))


def run_cpython(script):
    r = subprocess.run([sys.executable, script], cwd=DEVICE_DIR, capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == 0, r.stderr
    return r.stdout


def expected(script):
    exp = DEVICE_DIR / (script + ".exp")
    assert exp.exists(), "%s missing: run `make update-exp`" % exp.name
    return exp.read_text()


@pytest.mark.parametrize("script", SCRIPTS)
def test_numpy_reference_matches_exp(script):
    assert run_cpython(script) == expected(script)


@pytest.mark.parametrize("board", boards())
@pytest.mark.parametrize("script", SCRIPTS)
def test_device_matches_exp(board, script):
    require_firmware(board)
    rc, out = hw.run_script(board, DEVICE_DIR / script, timeout=900, cwd=DEVICE_DIR)
    out = out.replace("\r\n", "\n")
    assert rc == 0, out[-2000:]
    assert out == expected(script)


def test_exp_files_have_scripts():
    for exp in DEVICE_DIR.glob("*.exp"):
        assert (DEVICE_DIR / exp.name[:-4]).exists(), "stale %s" % exp.name


if __name__ == "__main__":  # make update-exp: regenerate every .exp from the numpy reference
    for s in SCRIPTS:
        (DEVICE_DIR / (s + ".exp")).write_text(run_cpython(s))
        print("wrote", s + ".exp")
