"""`micronn flash`: chip and offset from the image header, the esptool command line (mocked),
and esptool itself accepting that command line (it gets as far as opening the port)."""

import struct
import subprocess
import sys

import pytest

from host_tools import cli
from host_tools.device import flash


def esp_image(chip_id, size=256):
    """The start of an ESP image: magic, segment count, flash mode/size, entry, extended header."""
    head = struct.pack("<BBBBI", 0xE9, 3, 2, 0x20, 0x40080000)
    ext = struct.pack("<BBBBHBHH4BB", 0xEE, 0, 0, 0, chip_id, 0, 0, 0xFFFF, 0, 0, 0, 0, 0)
    return head + ext + bytes(size - len(head) - len(ext))


@pytest.mark.parametrize("chip_id, chip, offset", [
    (0, "esp32", 0x1000), (2, "esp32s2", 0x1000), (9, "esp32s3", 0x0), (5, "esp32c3", 0x0),
    (13, "esp32c6", 0x0), (18, "esp32p4", 0x2000),
])
def test_chip_and_offset_from_image(tmp_path, chip_id, chip, offset):
    img = tmp_path / "firmware.bin"
    img.write_bytes(esp_image(chip_id))
    calls = []
    flash.flash("/dev/ttyUSB0", str(img), run=lambda cmd: calls.append(cmd) or 0, out=lambda s: None)
    assert calls == [[sys.executable, "-m", "esptool", "--chip", chip, "--port", "/dev/ttyUSB0",
                      "--baud", "460800", "write-flash", "-z", "0x%x" % offset, str(img)]]


def test_options(tmp_path):
    img = tmp_path / "fw.bin"
    img.write_bytes(esp_image(9))
    calls = []
    flash.flash("COM5", str(img), chip="auto", offset="0x10000", baud=921600, erase=True,
                run=lambda cmd: calls.append(cmd) or 0, out=lambda s: None)
    assert calls[0][3:] == ["--chip", "auto", "--port", "COM5", "--baud", "921600", "erase-flash"]
    assert calls[1][-4:] == ["write-flash", "-z", "0x10000", str(img)]


@pytest.mark.parametrize("data, kw, message", [
    (esp_image(9), {"chip": "esp32"}, "built for esp32s3, not esp32"),
    (esp_image(9), {"chip": "esp99"}, "unknown chip 'esp99'"),
    (esp_image(9), {"offset": "0x1234"}, "not a multiple of the 4 KiB"),
    (esp_image(9), {"offset": "zero"}, "not a number"),
    (esp_image(77), {}, "chip id 77, which this tool does not know"),
    (b"\x00" * 300, {}, "not an ESP firmware image"),
    (b"UF2\n" + bytes(508), {}, "UF2 file"),
    (b"\x7fELF" + bytes(60), {}, "ELF file"),
])
def test_bad_arguments(tmp_path, data, kw, message):
    img = tmp_path / "fw.bin"
    img.write_bytes(data)
    calls = []
    with pytest.raises(flash.FlashError, match=message):
        flash.flash("/dev/ttyUSB0", str(img), run=calls.append, **kw)
    assert not calls


def test_unknown_image_with_chip_and_offset(tmp_path):
    img = tmp_path / "app.bin"
    img.write_bytes(bytes(300))
    calls = []
    flash.flash("/dev/ttyUSB0", str(img), chip="ESP32-S3", offset="0x10000",
                run=lambda cmd: calls.append(cmd) or 0, out=lambda s: None)
    assert calls[0][3:5] == ["--chip", "esp32s3"] and calls[0][-2] == "0x10000"


def test_cli(tmp_path, monkeypatch, capsys):
    img = tmp_path / "fw.bin"
    img.write_bytes(esp_image(0))
    calls = []
    monkeypatch.setattr(subprocess, "call", lambda cmd: calls.append(cmd) or 0)
    assert cli.main(["flash", "--port", "/dev/ttyUSB1", str(img)]) == 0
    assert calls[0][-3:] == ["-z", "0x1000", str(img)]
    assert cli.main(["flash", "--port", "/dev/ttyUSB1", str(img), "--chip", "esp32c3"]) == 1
    assert "built for esp32, not esp32c3" in capsys.readouterr().err
    monkeypatch.setattr(subprocess, "call", lambda cmd: 2)
    assert cli.main(["flash", "--port", "/dev/ttyUSB1", str(img)]) == 1
    assert "esptool failed (exit 2)" in capsys.readouterr().err


def test_esptool_accepts_the_command_line(tmp_path):
    """The real esptool parses our arguments and stops only at opening the (absent) port."""
    img = tmp_path / "fw.bin"
    img.write_bytes(esp_image(9, 4096))
    cmd = flash.esptool_commands("/dev/nonexistent-micronn-port", img, "esp32s3", 0x0)[0]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
    out = p.stdout.decode(errors="replace")
    assert p.returncode != 0
    assert "Could not open /dev/nonexistent-micronn-port" in out, out


# ---------------------------------------------------------------- RP2: UF2 to the BOOTSEL drive

def _uf2(tmp_path, family):
    from host_tools.device import uf2

    data = uf2.pages_to_uf2({0x10000000: bytes(range(256))}, family)
    p = tmp_path / "firmware.uf2"
    p.write_bytes(data)
    return p


def _drive(root, name, board_id):
    d = root / name
    d.mkdir(parents=True)
    (d / "INFO_UF2.TXT").write_text("UF2 Bootloader v3.0\nModel: Raspberry Pi\nBoard-ID: %s\n" % board_id)
    return d


def test_uf2_copied_to_matching_drive(tmp_path):
    from host_tools.device import flash, uf2

    img = _uf2(tmp_path, uf2.FAMILIES["rp2350"])
    root = tmp_path / "media"
    _drive(root, "me/RPI-RP2", "RPI-RP2")
    good = _drive(root, "me/RP2350", "RP2350")
    dest = flash.flash_uf2(str(img), roots=(str(root),), out=lambda s: None)
    assert dest == str(good / "firmware.uf2")
    assert (good / "firmware.uf2").read_bytes() == img.read_bytes()
    assert not (root / "me/RPI-RP2/firmware.uf2").exists()


def test_uf2_wrong_board_refused(tmp_path):
    from host_tools.device import flash, uf2

    img = _uf2(tmp_path, uf2.FAMILIES["rp2040"])
    root = tmp_path / "media"
    _drive(root, "me/RP2350", "RP2350")
    with pytest.raises(flash.FlashError, match="image is for RPI-RP2"):
        flash.flash_uf2(str(img), roots=(str(root),), out=lambda s: None)


def test_uf2_no_drive(tmp_path):
    from host_tools import cli
    from host_tools.device import uf2

    img = _uf2(tmp_path, uf2.FAMILIES["rp2040"])
    assert cli.main(["flash", str(img), "--drive", str(tmp_path / "nowhere")]) == 1
