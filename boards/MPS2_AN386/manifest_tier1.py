# MPS2_AN386 Tier-1-only firmware (make fw-MPS2_AN386-tier1): the Tier-1 micronn package.
include("../../firmware/manifest.py", tier1=True)
include("../qemu_common/manifest.py")
