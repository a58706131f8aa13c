"""Shared pytest setup: which firmware boards the device tests run on, and the test markers.

Markers (registered and applied here; the Makefile runs pytest with --strict-markers):
  device  needs a firmware (unix or QEMU): parametrized over `board`, or uses the firmware
          (require_firmware, run_script(s), run_many, the Tier-1 firmware fixture). A test that
          reaches a firmware without the marker fails, so `-m "not device"` never needs one.
  quick   every test that is not `device` (`make test-quick`)
  tflm    runs live TFLite Micro (the module uses host_tools.tflm)
  slow    one of the slowest host tests (SLOW below)
"""

import inspect
import os
import re
import types
from pathlib import Path

import pytest

from host_tools.device import boards as hw

ROOT = Path(__file__).resolve().parents[2]
DEVICE_DIR = ROOT / "tests" / "device"

# Boards every device test runs on; MICRONN_BOARDS overrides (comma-separated). From the board
# table (boards/boards.mk MN_TEST_BOARDS / MN_MODEL_BOARDS).
DEFAULT_BOARDS = ",".join(hw.TEST_BOARDS)
# Boards the real models run on (QEMU M7/M55 run the kernel tests; models on M3 and M4);
# MICRONN_MODEL_BOARDS overrides.
DEFAULT_MODEL_BOARDS = ",".join(hw.MODEL_BOARDS)


# Emulated boards (RPI_PICO in rp2040js, ~3-4x slower than a real Pico): the tests/device scripts
# and the Tier-1 models only (boards/boards.mk MN_EMU_BOARDS); MICRONN_EMU_BOARDS overrides
# (empty: none).
DEFAULT_EMU_BOARDS = ",".join(hw.EMU_TEST_BOARDS)


def boards(var="MICRONN_BOARDS", default=DEFAULT_BOARDS):
    return [b for b in os.environ.get(var, default).split(",") if b]


def model_boards():
    return boards("MICRONN_MODEL_BOARDS", DEFAULT_MODEL_BOARDS)


def with_emu_boards(names):
    """`names` and then the emulated boards (MICRONN_EMU_BOARDS) not already in it."""
    return names + [b for b in boards("MICRONN_EMU_BOARDS", DEFAULT_EMU_BOARDS) if b not in names]


def require_firmware(board):
    from host_tools.device import boards as b

    path = b.firmware_path(board)
    if not path.exists():
        pytest.fail("firmware for %s not built (%s): run `make firmwares`" % (board, path))
    return path


# ---------------------------------------------------------------------------- markers

# A test function that calls one of these (or takes one of DEVICE_FIXTURES) uses a firmware.
_DEVICE_CALL = re.compile(r"\b(require_firmware|run_scripts?|run_many)\(|backend=\"(unix|qemu)\"|"
                          r"\b[A-Z_]*FIRMWARE\b")
DEVICE_FIXTURES = {"board", "on_tier1", "tier1_elf"}
# The slowest host-only tests (> ~3 s each on one core), by node id prefix.
SLOW = ("test_models.py::test_numpy_", "test_fuzz.py::", "test_config.py::test_kernels_",
        "test_portability.py::")


def _uses_firmware(item):
    if DEVICE_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    callspec = getattr(item, "callspec", None)
    if callspec is not None and "board" in callspec.params:
        return True
    funcs = [getattr(item, "function", None)]
    info = getattr(item, "_fixtureinfo", None)
    for defs in (info.name2fixturedefs.values() if info is not None else ()):
        funcs += [d.func for d in defs]  # fixtures the test uses (e.g. one that starts QEMU)
    for f in funcs:
        try:
            if _DEVICE_CALL.search(inspect.getsource(f)):
                return True
        except (OSError, TypeError):
            pass
    return False


def _uses_tflm(item):
    mod = getattr(item, "module", None)
    return any(isinstance(v, types.ModuleType) and v.__name__.rsplit(".", 1)[-1] == "tflm"
               for v in vars(mod).values()) if mod is not None else False


MARKERS = {
    "device": "needs a firmware (the unix build or a QEMU board); `make test-device` runs these",
    "quick": "host only, no firmware (every test not marked device); `make test-quick`",
    "tflm": "runs live TFLite Micro",
    "slow": "one of the slowest host-only tests",
}


def pytest_configure(config):
    # Here rather than in pyproject.toml: host_tools/scripts/deps.sh re-creates the virtualenv
    # whenever pyproject.toml's sha256 changes.
    for name, doc in MARKERS.items():
        config.addinivalue_line("markers", "%s: %s" % (name, doc))


def pytest_collection_modifyitems(config, items):
    for item in items:
        item.add_marker(pytest.mark.device if _uses_firmware(item) else pytest.mark.quick)
        if _uses_tflm(item):
            item.add_marker(pytest.mark.tflm)
        if item.nodeid.split("/")[-1].startswith(SLOW):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _firmware_needs_device_marker(request, monkeypatch):
    """A test without the `device` marker that reaches a firmware fails (the markers stay true)."""
    if request.node.get_closest_marker("device") is not None:
        return
    real = hw.firmware_path

    def firmware_path(board):
        pytest.fail("%s uses the %s firmware but is not marked `device` (tests/host/conftest.py: "
                    "add a fixture/call it recognises or mark it)" % (request.node.nodeid, board))
        return real(board)

    monkeypatch.setattr(hw, "firmware_path", firmware_path)
