"""ELF -> UF2 for Raspberry Pi RP2040 / RP2350 flash images (standard library only).

UF2 (Microsoft's USB flashing format) is a sequence of independent 512-byte blocks:

    offset  field (little-endian uint32 unless noted)
    0       magic 0x0A324655 ("UF2\\n")
    4       magic 0x9E5D5157
    8       flags (0x2000: the file-size field holds a family ID; 0x8000: extension tags follow
            the payload)
    12      target flash address of the payload
    16      payload size (256 for the RP2 boot ROMs)
    20      block number, 0-based
    24      total number of blocks in the file
    28      family ID (RP2040 0xe48bff56, RP2350 Arm secure 0xe48bff59, ...)
    32      476 bytes of data: payload, zero padding (or extension tags)
    508     magic 0x0AB16F30

The image holds the initialised contents of the ELF's loadable segments at their load
(physical) addresses, cut into 256-byte pages, zero-filled where a page is only partly covered.
Two rules of the RP2 boot ROMs are followed, as the Pico SDK's picotool does:
  - the ROM erases a 4 KB flash sector when it sees the block for the sector's first page, so
    every sector that holds data is filled with zero pages up to the image's last page;
  - RP2350 erratum E10 (A2 silicon): an image for a non-RP2040 family starts with one extra
    block for the "absolute" family at 0x10ffff00 that carries 0xef bytes and the RP2 "ignore
    block" extension tag, so the ROM takes the image as a flash image at absolute addresses.

Use: python3 host_tools/device/uf2.py firmware.elf -o firmware.uf2 --family rp2040
     python3 host_tools/device/uf2.py --info firmware.uf2
Only flash images (entry point and contents in XIP flash) are supported, which is what
MicroPython's rp2 port builds.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys

MAGIC_START0 = 0x0A324655
MAGIC_START1 = 0x9E5D5157
MAGIC_END = 0x0AB16F30
FLAG_NOT_MAIN_FLASH = 0x00000001
FLAG_FAMILY_ID_PRESENT = 0x00002000
FLAG_EXTENSION_FLAGS_PRESENT = 0x00008000
BLOCK_SIZE = 512
DATA_SIZE = 476
PAGE_SIZE = 256
SECTOR_SIZE = 4096

FAMILIES = {
    "rp2040": 0xE48BFF56,
    "absolute": 0xE48BFF57,
    "data": 0xE48BFF58,
    "rp2350-arm-s": 0xE48BFF59,
    "rp2350-riscv": 0xE48BFF5A,
    "rp2350-arm-ns": 0xE48BFF5B,
}
# The Pico SDK's PICO_PLATFORM names for the same families.
FAMILIES["rp2350"] = FAMILIES["rp2350-arm-s"]

FLASH_START = 0x10000000
FLASH_END = {FAMILIES["rp2040"]: 0x11000000}  # others (RP2350): 0x12000000
FLASH_END_DEFAULT = 0x12000000
RAM_RANGES = ((0x20000000, 0x20082000), (0x21000000, 0x21040000))

# RP2350-E10 workaround block.
ABS_BLOCK_ADDR = 0x10FFFF00
ABS_BLOCK_FILL = 0xEF
EXTENSION_RP2_IGNORE_BLOCK = 0x9957E304

PT_LOAD = 1


class UF2Error(ValueError):
    pass


def parse_family(text: str) -> int:
    """A family name from FAMILIES or a number (0x... accepted)."""
    key = text.strip().lower()
    if key in FAMILIES:
        return FAMILIES[key]
    try:
        return int(key, 0)
    except ValueError:
        raise UF2Error(f"unknown UF2 family {text!r}; known: {', '.join(sorted(FAMILIES))}") from None


def elf_segments(elf: bytes) -> tuple[int, list[tuple[int, int, bytes]]]:
    """(entry, [(paddr, vaddr, initialised bytes)]) of a 32-bit little-endian ELF's PT_LOAD
    segments that have file contents."""
    if len(elf) < 52 or elf[:4] != b"\x7fELF":
        raise UF2Error("not an ELF file")
    if elf[4] != 1 or elf[5] != 1:
        raise UF2Error("only 32-bit little-endian ELF files are supported")
    entry, phoff = struct.unpack_from("<II", elf, 24)
    phentsize, phnum = struct.unpack_from("<HH", elf, 42)
    if phentsize < 32 or phoff + phnum * phentsize > len(elf):
        raise UF2Error("ELF program header table is truncated")
    segments = []
    for i in range(phnum):
        p_type, offset, vaddr, paddr, filesz, memsz = struct.unpack_from("<6I", elf, phoff + i * phentsize)
        size = min(filesz, memsz)
        if p_type != PT_LOAD or size == 0:
            continue
        if offset + size > len(elf):
            raise UF2Error(f"ELF segment at 0x{paddr:08x} extends past the end of the file")
        segments.append((paddr, vaddr, elf[offset : offset + size]))
    return entry, segments


def _in_ram(addr: int, size: int) -> bool:
    return any(lo <= addr and addr + size <= hi for lo, hi in RAM_RANGES)


def flash_pages(elf: bytes, family: int) -> dict[int, bytes]:
    """The 256-byte flash pages (address -> contents) of a flash image, sector-padded."""
    entry, segments = elf_segments(elf)
    flash_end = FLASH_END.get(family, FLASH_END_DEFAULT)
    # Like picotool: a flash binary's entry point is in a segment loaded into flash.
    for paddr, vaddr, data in segments:
        if vaddr <= entry < vaddr + len(data):
            if not FLASH_START <= entry - vaddr + paddr < flash_end:
                raise UF2Error("entry point is not in flash: only flash images are supported")
            break
    else:
        raise UF2Error("entry point is not in any loaded segment")
    pages: dict[int, bytearray] = {}
    used: dict[int, bytearray] = {}  # per page: which bytes a segment already wrote
    for paddr, _vaddr, data in segments:
        if _in_ram(paddr, len(data)):
            # Contents loaded straight into RAM would be lost: a flash image keeps them in
            # flash (the load address) and crt0 copies them, as for .data.
            raise UF2Error(f"segment at 0x{paddr:08x} has contents but is loaded into RAM")
        if not (FLASH_START <= paddr and paddr + len(data) <= flash_end):
            raise UF2Error(f"segment 0x{paddr:08x}..0x{paddr + len(data):08x} is outside flash and RAM")
        pos = 0
        while pos < len(data):
            addr = paddr + pos
            base = addr - addr % PAGE_SIZE
            off = addr - base
            n = min(PAGE_SIZE - off, len(data) - pos)
            page = pages.setdefault(base, bytearray(PAGE_SIZE))
            mask = used.setdefault(base, bytearray(PAGE_SIZE))
            if any(mask[off : off + n]):
                raise UF2Error(f"segments overlap at 0x{addr:08x}")
            page[off : off + n] = data[pos : pos + n]
            mask[off : off + n] = b"\x01" * n
            pos += n
    if not pages:
        raise UF2Error("the ELF has no flash contents")
    last = max(pages)
    for sector in {base // SECTOR_SIZE for base in pages}:
        for base in range(sector * SECTOR_SIZE, (sector + 1) * SECTOR_SIZE, PAGE_SIZE):
            if base < last:
                pages.setdefault(base, bytearray(PAGE_SIZE))
    return {base: bytes(pages[base]) for base in sorted(pages)}


def make_block(addr: int, payload: bytes, block_no: int, num_blocks: int, family: int,
               flags: int = FLAG_FAMILY_ID_PRESENT, extension: bytes = b"") -> bytes:
    if len(payload) + len(extension) > DATA_SIZE:
        raise UF2Error("payload too large for a UF2 block")
    data = (payload + extension).ljust(DATA_SIZE, b"\x00")
    head = struct.pack("<8I", MAGIC_START0, MAGIC_START1, flags, addr, len(payload), block_no, num_blocks, family)
    return head + data + struct.pack("<I", MAGIC_END)


def abs_block(addr: int = ABS_BLOCK_ADDR) -> bytes:
    """The RP2350-E10 workaround block (absolute family, ignored by the ROM's writer)."""
    return make_block(
        addr, bytes([ABS_BLOCK_FILL]) * PAGE_SIZE, 0, 2, FAMILIES["absolute"],
        flags=FLAG_FAMILY_ID_PRESENT | FLAG_EXTENSION_FLAGS_PRESENT,
        extension=struct.pack("<I", EXTENSION_RP2_IGNORE_BLOCK))


def pages_to_uf2(pages: dict[int, bytes], family: int, with_abs_block: bool | None = None) -> bytes:
    """UF2 image of the pages. with_abs_block None: on for every family except RP2040/absolute."""
    if with_abs_block is None:
        with_abs_block = family not in (FAMILIES["rp2040"], FAMILIES["absolute"])
    out = [abs_block()] if with_abs_block else []
    n = len(pages)
    for i, (addr, payload) in enumerate(sorted(pages.items())):
        if len(payload) != PAGE_SIZE or addr % PAGE_SIZE:
            raise UF2Error(f"page 0x{addr:08x} is not a whole aligned 256-byte page")
        out.append(make_block(addr, payload, i, n, family))
    return b"".join(out)


def elf_to_uf2(elf: bytes, family: int, with_abs_block: bool | None = None) -> bytes:
    return pages_to_uf2(flash_pages(elf, family), family, with_abs_block)


def read_blocks(uf2: bytes) -> list[dict]:
    """Decode and check every block of a UF2 file."""
    if len(uf2) % BLOCK_SIZE:
        raise UF2Error("UF2 size is not a multiple of 512")
    blocks = []
    for pos in range(0, len(uf2), BLOCK_SIZE):
        m0, m1, flags, addr, size, no, num, family = struct.unpack_from("<8I", uf2, pos)
        (m_end,) = struct.unpack_from("<I", uf2, pos + BLOCK_SIZE - 4)
        if (m0, m1, m_end) != (MAGIC_START0, MAGIC_START1, MAGIC_END):
            raise UF2Error(f"bad magic in block at offset {pos}")
        if size > DATA_SIZE:
            raise UF2Error(f"bad payload size {size} in block at offset {pos}")
        blocks.append({
            "flags": flags, "addr": addr, "size": size, "block_no": no, "num_blocks": num,
            "family": family, "payload": uf2[pos + 32 : pos + 32 + size],
            "data": uf2[pos + 32 : pos + 32 + DATA_SIZE],
        })
    return blocks


def info(uf2: bytes) -> str:
    blocks = read_blocks(uf2)
    names = {v: k for k, v in FAMILIES.items() if k != "rp2350"}
    lines = []
    for fam in sorted({b["family"] for b in blocks}):
        sel = [b for b in blocks if b["family"] == fam]
        lo = min(b["addr"] for b in sel)
        hi = max(b["addr"] + b["size"] for b in sel)
        lines.append(f"family 0x{fam:08x} ({names.get(fam, '?')}): {len(sel)} blocks, "
                     f"0x{lo:08x}..0x{hi:08x} ({hi - lo} bytes)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Convert an RP2040/RP2350 flash ELF to UF2.")
    ap.add_argument("input", help="firmware.elf (or a .uf2 with --info)")
    ap.add_argument("-o", "--output", help="output .uf2")
    ap.add_argument("--family", default="rp2040",
                    help="rp2040, rp2350 (= rp2350-arm-s), rp2350-riscv, rp2350-arm-ns or a number")
    ap.add_argument("--abs-block", dest="abs_block", action="store_true", default=None,
                    help="prepend the RP2350-E10 absolute block (default for non-RP2040 families)")
    ap.add_argument("--no-abs-block", dest="abs_block", action="store_false")
    ap.add_argument("--info", action="store_true", help="describe a UF2 file")
    args = ap.parse_args(argv)
    try:
        with open(args.input, "rb") as f:
            data = f.read()
        if args.info:
            print(info(data))
            return 0
        if not args.output:
            ap.error("-o/--output is required")
        uf2 = elf_to_uf2(data, parse_family(args.family), args.abs_block)
    except (OSError, UF2Error) as e:
        print(f"uf2: {e}", file=sys.stderr)
        return 1
    tmp = args.output + ".tmp"
    with open(tmp, "wb") as f:
        f.write(uf2)
    os.replace(tmp, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
