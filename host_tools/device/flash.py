"""Write a MicroPython firmware image to a board.

    micronn flash --port /dev/ttyUSB0 firmware.bin       ESP32 family, with esptool
    micronn flash firmware.uf2 [--drive /media/me/RP2350] RP2040/RP2350: copy to the BOOTSEL drive

RP2 boards in BOOTSEL mode (hold BOOTSEL while plugging in) show a USB drive with an
INFO_UF2.TXT; copying a UF2 file there writes it. The drive is found among the usual mount
points (or given with --drive); the UF2's family (RP2040 or RP2350) is checked against the
drive's Board-ID first, so an RP2040 image never lands on an RP2350 and vice versa.

The chip and the flash offset come from the image itself: MicroPython's ESP32 `firmware.bin`
is a merged image that starts with the second-stage bootloader, whose header names the chip
(byte 12, `chip_id` of the ESP image extended header). It is written at the chip's bootloader
offset:

    ESP32, ESP32-S2                        0x1000
    ESP32-S3, -C2, -C3, -C6, -C61, -H2     0x0
    ESP32-C5, ESP32-P4                     0x2000

esptool is run with that `--chip`, so it also checks that the connected chip is the one the
image was built for. `--chip auto` lets esptool detect the chip instead (the offset still comes
from the image, or from `--offset`); `--offset` overrides the table (e.g. an app-only image at
0x10000). `--erase` erases the whole flash first (the filesystem too).
"""

import struct
import subprocess
import sys

ESP_IMAGE_MAGIC = 0xE9

# ESP image header chip_id -> (esptool --chip name, bootloader / merged-image flash offset)
CHIPS = {
    0: ("esp32", 0x1000),
    2: ("esp32s2", 0x1000),
    5: ("esp32c3", 0x0),
    9: ("esp32s3", 0x0),
    12: ("esp32c2", 0x0),
    13: ("esp32c6", 0x0),
    16: ("esp32h2", 0x0),
    18: ("esp32p4", 0x2000),
    20: ("esp32c61", 0x0),
    23: ("esp32c5", 0x2000),
}
OFFSETS = {name: off for name, off in CHIPS.values()}


class FlashError(ValueError):
    pass


def image_chip(data):
    """(esptool chip name, offset) named by an ESP image header, or None if not an ESP image."""
    if len(data) < 24 or data[0] != ESP_IMAGE_MAGIC:
        return None
    chip_id = struct.unpack_from("<H", data, 12)[0]
    return CHIPS.get(chip_id, ("chip id %d" % chip_id, None))


def _int(s):
    try:
        return int(s, 0)
    except ValueError:
        raise FlashError("offset %r is not a number (e.g. 0x1000)" % s) from None


UF2_MAGIC = b"UF2\n"
UF2_BOARD_IDS = {0xE48BFF56: "RPI-RP2", 0xE48BFF59: "RP2350"}  # family -> Board-ID prefix
MOUNT_ROOTS = ("/media", "/run/media", "/mnt", "/Volumes")


def uf2_family(image):
    """The family ID of the first block that carries one (the RP2350-E10 block does not count)."""
    import struct as _s

    for pos in range(0, len(image) - 511, 512):
        m0, m1, flags, _addr, _size, _no, _num, family = _s.unpack_from("<8I", image, pos)
        if m0 != 0x0A324655 or m1 != 0x9E5D5157:
            raise FlashError("UF2 block %d: bad magic" % (pos // 512))
        if flags & 0x2000 and family in UF2_BOARD_IDS:
            return family
    raise FlashError("UF2 file names no RP2040/RP2350 family")


def find_uf2_drives(roots=MOUNT_ROOTS):
    """Mounted BOOTSEL drives: directories (up to two levels below the roots) with INFO_UF2.TXT."""
    import glob
    import os

    found = []
    for root in roots:
        for pattern in ("*", "*/*"):
            for d in sorted(glob.glob(os.path.join(root, pattern))):
                if os.path.isfile(os.path.join(d, "INFO_UF2.TXT")):
                    found.append(d)
    return found


def drive_board_id(drive):
    import os

    with open(os.path.join(drive, "INFO_UF2.TXT"), errors="replace") as f:
        for line in f:
            if line.startswith("Board-ID:"):
                return line.split(":", 1)[1].strip()
    return ""


def flash_uf2(image_path, drive=None, roots=MOUNT_ROOTS, out=print):
    """Copy a UF2 image to an RP2 BOOTSEL drive; returns the path written."""
    import os
    import shutil

    with open(image_path, "rb") as f:
        image = f.read()
    family = uf2_family(image)
    want = UF2_BOARD_IDS[family]
    drives = [drive] if drive else find_uf2_drives(roots)
    if not drives:
        raise FlashError("no RP2 BOOTSEL drive found under %s: hold BOOTSEL while plugging the board in, "
                         "or give --drive" % ", ".join(roots))
    matching = [d for d in drives if drive_board_id(d).startswith(want)]
    if not matching:
        raise FlashError("the image is for %s, but the drive%s %s report%s %s" % (
            want, "s" if len(drives) > 1 else "", ", ".join(drives), "" if len(drives) > 1 else "s",
            ", ".join(drive_board_id(d) or "no Board-ID" for d in drives)))
    if len(matching) > 1:
        raise FlashError("several %s drives (%s): choose one with --drive" % (want, ", ".join(matching)))
    dest = os.path.join(matching[0], os.path.basename(image_path))
    out("flash: %s (%d bytes, %s) -> %s" % (image_path, len(image), want, dest))
    shutil.copyfile(image_path, dest)
    if hasattr(os, "sync"):
        os.sync()
    return dest


def plan(image, chip=None, offset=None):
    """Decide (chip, offset) for `image` (bytes); raises FlashError with the reason."""
    if image[:4] == b"UF2\n":
        raise FlashError("this is a UF2 file (RP2 boards: copy it to the board's USB drive)")
    if image[:4] == b"\x7fELF":
        raise FlashError("this is an ELF file: flash the .bin image")
    found = image_chip(image)
    chip = (chip or "").lower().replace("-", "") or None
    if chip is not None and chip != "auto" and chip not in OFFSETS:
        raise FlashError("unknown chip %r (known: auto, %s)" % (chip, ", ".join(sorted(OFFSETS))))
    if found is not None and found[1] is None:
        raise FlashError("the image is for %s, which this tool does not know: give --chip and --offset"
                         % found[0])
    if found is not None and chip not in (None, "auto") and chip != found[0]:
        raise FlashError("the image was built for %s, not %s" % (found[0], chip))
    if offset is not None:
        off = _int(offset) if isinstance(offset, str) else offset
        if off < 0 or off % 0x1000:
            raise FlashError("offset 0x%x is not a multiple of the 4 KiB flash sector" % off)
    elif found is not None:
        off = found[1]
    elif chip not in (None, "auto"):
        off = OFFSETS[chip]
    else:
        raise FlashError("not an ESP firmware image (no 0xE9 header naming the chip): give --chip "
                         "and --offset")
    if chip is None:
        chip = found[0] if found is not None else "auto"
    return chip, off


def esptool_commands(port, image_path, chip, offset, baud=460800, erase=False):
    base = [sys.executable, "-m", "esptool", "--chip", chip, "--port", port, "--baud", str(baud)]
    cmds = []
    if erase:
        cmds.append(base + ["erase-flash"])
    cmds.append(base + ["write-flash", "-z", "0x%x" % offset, str(image_path)])
    return cmds


def flash(port, image_path, chip=None, offset=None, baud=460800, erase=False, dry_run=False,
          run=None, out=print):
    run = run or subprocess.call
    with open(image_path, "rb") as f:
        image = f.read()
    chip, off = plan(image, chip, offset)
    out("flash: %s (%d bytes) -> %s at 0x%x on %s" % (image_path, len(image), chip, off, port))
    cmds = esptool_commands(port, image_path, chip, off, baud, erase)
    for cmd in cmds:
        out("flash: " + " ".join(cmd[1:]))
        if dry_run:
            continue
        rc = run(cmd)
        if rc != 0:
            raise FlashError("esptool failed (exit %d)" % rc)
    return cmds


def add_arguments(p):
    p.add_argument("--port", "-p", help="serial port of the board (ESP32 family)")
    p.add_argument("image", help="firmware image: ESP32 firmware.bin, or RP2 firmware.uf2")
    p.add_argument("--drive", help="RP2: the BOOTSEL drive's mount point (default: search)")
    p.add_argument("--chip", help="esp32, esp32s3, ... or auto (default: from the image)")
    p.add_argument("--offset", help="flash offset (default: the chip's bootloader offset)")
    p.add_argument("--baud", type=int, default=460800)
    p.add_argument("--erase", action="store_true", help="erase the whole flash first")
    p.add_argument("--dry-run", action="store_true", help="print the esptool commands only")


def run_cli(a):
    try:
        with open(a.image, "rb") as f:
            is_uf2 = f.read(4) == UF2_MAGIC
        if is_uf2:
            flash_uf2(a.image, a.drive)
            return 0
        if not a.port:
            raise FlashError("--port is required for ESP32 images")
        flash(a.port, a.image, a.chip, a.offset, a.baud, a.erase, a.dry_run)
    except (FlashError, OSError) as e:
        print("micronn flash: %s" % e, file=sys.stderr)
        return 1
    return 0


def main(argv=None):
    import argparse

    p = argparse.ArgumentParser(prog="micronn flash", description=__doc__.split("\n\n")[0])
    add_arguments(p)
    return run_cli(p.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
