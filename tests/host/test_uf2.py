"""host_tools/device/uf2.py: ELF -> UF2 for RP2040 / RP2350 (block layout per the UF2 spec)."""

import struct
from pathlib import Path

import pytest

from host_tools.device import uf2

ROOT = Path(__file__).resolve().parents[2]
FLASH = 0x10000000
RAM = 0x20000000


def make_elf(segments, entry):
    """A minimal ELF32 little-endian ARM executable: segments = [(paddr, vaddr, data, memsz)]."""
    phoff, phentsize = 52, 32
    header_end = phoff + phentsize * len(segments)
    blobs, phdrs, offset = [], [], header_end
    for paddr, vaddr, data, memsz in segments:
        phdrs.append(struct.pack("<8I", uf2.PT_LOAD, offset, vaddr, paddr, len(data), memsz, 5, 4))
        blobs.append(data)
        offset += len(data)
    ident = b"\x7fELF" + bytes([1, 1, 1]) + bytes(9)
    eh = ident + struct.pack("<HHIIIIIHHHHHH", 2, 40, 1, entry, phoff, 0, 0x05000200, 52,
                             phentsize, len(segments), 40, 0, 0)
    return eh + b"".join(phdrs) + b"".join(blobs)


def pattern(n, seed):
    return bytes((i * 7 + seed) & 0xFF for i in range(n))


TEXT = pattern(600, 1)          # 0x10000000..0x10000258: pages 0x000, 0x100, 0x200
DATA = pattern(40, 2)           # .data stored at 0x10001100 (page 0x1100), runs at 0x20000000


def sample_elf(entry=FLASH + 0x101):
    return make_elf([
        (FLASH, FLASH, TEXT, len(TEXT)),
        (FLASH + 0x1100, RAM, DATA, len(DATA)),
        (RAM + 0x100, RAM + 0x100, b"", 256),  # .bss: no file contents
    ], entry)


def test_block_layout_and_contents():
    out = uf2.elf_to_uf2(sample_elf(), uf2.FAMILIES["rp2040"])
    assert len(out) % 512 == 0
    blocks = uf2.read_blocks(out)
    # Every sector with data is padded with zero pages from its start up to the image's last
    # page: all of sector 0, and 0x10001000 before the .data page in sector 1.
    addrs = [b["addr"] for b in blocks]
    assert addrs == [FLASH + i * 256 for i in range(17)] + [FLASH + 0x1100]
    for i, b in enumerate(blocks):
        assert b["flags"] == uf2.FLAG_FAMILY_ID_PRESENT
        assert b["size"] == 256 and b["block_no"] == i and b["num_blocks"] == len(blocks)
        assert b["family"] == 0xE48BFF56
        assert b["data"][256:] == bytes(476 - 256)
    image = {b["addr"]: b["payload"] for b in blocks}
    flat = image[FLASH] + image[FLASH + 0x100] + image[FLASH + 0x200]
    assert flat[:600] == TEXT and flat[600:] == bytes(768 - 600)
    assert image[FLASH + 0x1100] == DATA + bytes(216)
    assert all(image[FLASH + a] == bytes(256) for a in range(0x300, 0x1100, 0x100))
    raw = out[:512]
    assert struct.unpack_from("<3I", raw, 0)[:2] == (0x0A324655, 0x9E5D5157)
    assert struct.unpack_from("<I", raw, 508)[0] == 0x0AB16F30


def test_rp2350_starts_with_e10_absolute_block():
    out = uf2.elf_to_uf2(sample_elf(), uf2.parse_family("rp2350"))
    blocks = uf2.read_blocks(out)
    first = blocks[0]
    assert first["family"] == 0xE48BFF57
    assert first["addr"] == 0x10FFFF00 and first["size"] == 256
    assert first["block_no"] == 0 and first["num_blocks"] == 2
    assert first["flags"] == uf2.FLAG_FAMILY_ID_PRESENT | uf2.FLAG_EXTENSION_FLAGS_PRESENT
    assert first["payload"] == b"\xef" * 256
    assert struct.unpack_from("<I", first["data"], 256)[0] == 0x9957E304
    rest = blocks[1:]
    assert all(b["family"] == 0xE48BFF59 for b in rest)
    assert [b["block_no"] for b in rest] == list(range(len(rest)))
    assert all(b["num_blocks"] == len(rest) for b in rest)
    plain = uf2.elf_to_uf2(sample_elf(), 0xE48BFF59, with_abs_block=False)
    assert plain == out[512:]


def test_families():
    assert uf2.parse_family("rp2040") == 0xE48BFF56
    assert uf2.parse_family("RP2350-ARM-S") == 0xE48BFF59
    assert uf2.parse_family("0xe48bff5a") == 0xE48BFF5A
    with pytest.raises(uf2.UF2Error):
        uf2.parse_family("esp32")


@pytest.mark.parametrize("elf, message", [
    (b"not an elf at all" * 4, "not an ELF"),
    (make_elf([(FLASH, FLASH, TEXT, 600)], RAM + 1), "entry point"),
    (make_elf([(RAM, RAM, TEXT, 600)], RAM + 1), "entry point is not in flash"),
    (make_elf([(FLASH, FLASH, TEXT, 600), (FLASH + 0x200, RAM, DATA, 40)], FLASH + 1), "overlap"),
    (make_elf([(FLASH, FLASH, TEXT, 600), (RAM, RAM, DATA, 40)], FLASH + 1), "loaded into RAM"),
    (make_elf([(FLASH, FLASH, TEXT, 600), (0x30000000, 0x30000000, DATA, 40)], FLASH + 1),
     "outside flash"),
])
def test_rejects(elf, message):
    with pytest.raises(uf2.UF2Error, match=message):
        uf2.elf_to_uf2(elf, uf2.FAMILIES["rp2040"])


def test_cli(tmp_path, capsys):
    elf = tmp_path / "fw.elf"
    elf.write_bytes(sample_elf())
    out = tmp_path / "fw.uf2"
    assert uf2.main([str(elf), "-o", str(out), "--family", "rp2350"]) == 0
    assert out.read_bytes() == uf2.elf_to_uf2(sample_elf(), 0xE48BFF59)
    assert uf2.main(["--info", str(out)]) == 0
    text = capsys.readouterr().out
    assert "rp2350-arm-s): 18 blocks" in text and "absolute): 1 blocks" in text
    assert uf2.main([str(tmp_path / "missing.elf"), "-o", str(out)]) == 1


@pytest.mark.parametrize("board, family, sp", [
    ("RPI_PICO", "rp2040", 0x20042000),
    ("RPI_PICO2", "rp2350", 0x20082000),
])
def test_built_firmware(board, family, sp):
    """The UF2 `make fw-<board>` wrote matches the ELF; the vector table is where the ROM looks."""
    fw = ROOT / "build" / "fw" / board
    if not (fw / "firmware.elf").exists() or not (fw / "firmware.uf2").exists():
        pytest.fail(f"{board} firmware not built: run `make fw-{board}` (make test builds it)")
    elf = (fw / "firmware.elf").read_bytes()
    built = (fw / "firmware.uf2").read_bytes()
    assert built == uf2.elf_to_uf2(elf, uf2.parse_family(family))
    blocks = [b for b in uf2.read_blocks(built) if b["family"] != uf2.FAMILIES["absolute"]]
    image = {b["addr"]: b["payload"] for b in blocks}
    # RP2040: 256-byte boot2 at the start of flash, vector table after it; RP2350: vectors first.
    vectors = image[FLASH + 0x100] if family == "rp2040" else image[FLASH]
    initial_sp, reset = struct.unpack_from("<II", vectors)
    assert initial_sp == sp
    assert FLASH <= reset < FLASH + 0x200000 and reset & 1
