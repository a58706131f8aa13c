"""The real-board kit (`make test-board BOARD=B PORT=P`, host_tools/device/testboard.py) against a
QEMU board's `-serial pty` (the fixture of test_deploy.py): the same mpremote path as a Pico on
/dev/ttyACM0. Device tests must print their .exp, models TFLM's stored outputs."""

import pytest
from test_deploy import pty_board  # noqa: F401 (a fixture)

from host_tools.device import testboard


def _run(argv):
    lines = []
    rc = testboard.main(argv, out=lines.append)
    return rc, "\n".join(lines)


def test_without_port_nothing_runs_and_a_missing_port_fails(tmp_path):
    rc, out = _run(["--board", "RPI_PICO"])
    assert rc == 0 and "no PORT given, nothing run" in out, out
    rc, out = _run(["--board", "RPI_PICO", "--port", str(tmp_path / "ttyACM9")])
    assert rc == 2 and "no device at" in out and "ttyACM9" in out, out
    rc, out = _run(["--board", "RPI_PICO", "--port", "/dev/null", "--timeout", "20"])
    assert rc == 2 and "/dev/null" in out, out


@pytest.mark.device
def test_kit_on_a_pty_board(pty_board, tmp_path, monkeypatch):  # noqa: F811
    port = pty_board
    rc, out = _run(["--board", "MPS2_AN386", "--port", port, "--scripts", "params_counts.py,lut_s8.py",
                    "--models", "hello_world_int8,kws_ref_model,simple_add_model"])
    assert rc == 0, out
    assert out.count(" ok") == 5 and "3 models" in out and "5 of 5 passed" in out, out
    assert "bit-exact with TFLM" in out, out
    # A device test whose output differs from its .exp is a failure (exit 1), named.
    (tmp_path / "prints.py").write_text("print(1)\nprint(2)\n")
    (tmp_path / "prints.py.exp").write_text("1\n3\n")
    monkeypatch.setattr(testboard, "DEVICE_DIR", tmp_path)
    rc, out = _run(["--board", "MPS2_AN386", "--port", port, "--no-models", "--scripts", "prints.py"])
    assert rc == 1 and "prints.py" in out and "line 2: '2', expected '3'" in out, out
