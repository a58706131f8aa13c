# micronn QEMU boards: run by mn_board_init() on every (soft) reset. Mounts a littlefs RAM
# disk at "/" so that files can be copied to the board (mpremote, `micronn deploy`). The disk
# lives in RAM that QEMU models but the firmware does not use (outside the GC heap), so its
# files survive soft resets; it is formatted when empty (at power-on QEMU RAM is zero).
import sys

import uctypes
import vfs

_DISK = {  # board -> (address, bytes)
    "MPS2_AN385": (0x20000000, 2 << 20),  # SSRAM2/3 (4 MiB)
    "MPS2_AN386": (0x20000000, 2 << 20),
    "MPS2_AN500": (0x20000000, 2 << 20),
    "MPS3_AN547": (0x61000000, 2 << 20),  # DDR after the 16 MiB heap
}
_BS = 512
# A ROMFS partition (read-only, memory-mapped): host_tools.device.boards preloads an image there with
# QEMU's loader device (run_script(..., romfs=IMAGE)); it is mounted at /rom if present. Same
# addresses as host_tools/device/boards.py ROMFS_REGION.
_ROM = {
    "MPS2_AN385": (0x20200000, 2 << 20),
    "MPS2_AN386": (0x20200000, 2 << 20),
    "MPS2_AN500": (0x20200000, 2 << 20),
    "MPS3_AN547": (0x61200000, 2 << 20),
}


class RamDisk:
    """A block device over a fixed RAM region (the littlefs extended interface)."""

    def __init__(self, addr, size):
        self.mem = uctypes.bytearray_at(addr, size)
        self.blocks = size // _BS

    def readblocks(self, n, buf, off=0):
        a = n * _BS + off
        buf[:] = self.mem[a:a + len(buf)]

    def writeblocks(self, n, buf, off=0):
        a = n * _BS + off
        self.mem[a:a + len(buf)] = buf

    def ioctl(self, op, arg):
        if op == 4:  # block count
            return self.blocks
        if op == 5:  # block size
            return _BS
        if op == 6:  # erase: nothing to do in RAM
            return 0
        return 0


def _mount():
    where = _DISK.get(sys.implementation._build)
    if where is None or not hasattr(vfs, "VfsLfs2"):
        return
    bd = RamDisk(*where)
    try:
        fs = vfs.VfsLfs2(bd)
    except OSError:
        vfs.VfsLfs2.mkfs(bd)
        fs = vfs.VfsLfs2(bd)
    vfs.mount(fs, "/")
    rom = _ROM.get(sys.implementation._build)
    if rom is not None and hasattr(vfs, "VfsRom"):
        mem = uctypes.bytearray_at(*rom)
        if mem[:3] == b"\xd2\xcd\x31":
            try:
                vfs.mount(vfs.VfsRom(memoryview(mem)), "/rom")
            except OSError:
                pass  # not a valid image: no /rom


_mount()
