# MPS2_AN500 firmware: micronn only (no micropython-lib).
include("../../firmware/manifest.py")
include("../qemu_common/manifest.py")
