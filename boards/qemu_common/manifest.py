# micronn QEMU boards: the boot module that mounts the RAM disk (see _mn_boot.py).
module("_mn_boot.py")
