# MPS3_AN547 firmware: micronn only (no micropython-lib).
include("../../firmware/manifest.py")
include("../qemu_common/manifest.py")
