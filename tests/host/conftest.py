"""Shared pytest setup: which firmware boards the device tests run on."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEVICE_DIR = ROOT / "tests" / "device"

# Boards every device test runs on; MICRONN_BOARDS overrides (comma-separated).
DEFAULT_BOARDS = "unix,MPS2_AN385,MPS2_AN386,MPS2_AN500,MPS3_AN547"
# Boards the real models run on (QEMU M7/M55 run the kernel tests; models on M3 and M4).
DEFAULT_MODEL_BOARDS = "unix,MPS2_AN386,MPS2_AN385"


def boards(var="MICRONN_BOARDS", default=DEFAULT_BOARDS):
    return [b for b in os.environ.get(var, default).split(",") if b]


def require_firmware(board):
    from host_tools.device import boards as b

    path = b.firmware_path(board)
    if not path.exists():
        pytest.fail("firmware for %s not built (%s): run `make firmwares`" % (board, path))
    return path
