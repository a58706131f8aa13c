"""Model fit check against boards (micronn convert --board)."""

from host_tools import cli, convert
from host_tools.device import fit, models


def test_vww_fits_pico_only_from_romfs(tmp_path, capsys):
    src = str(models.fetch("vww_96_int8", quiet=True))
    rc = cli.main(["convert", src, "-o", str(tmp_path / "v.micronn"), "--no-tflm",
                   "--board", "RPI_PICO", "--board", "RPI_PICO2"])
    out = capsys.readouterr().out
    assert rc == 0
    pico, pico2 = out.split("board RPI_PICO:")[1].split("board RPI_PICO2")
    # Read into RAM, the 330 KB file does not fit the Pico's heap; from ROMFS only the arena does.
    assert "filesystem: RAM" in pico and "DOES NOT FIT" in pico.split("ROMFS")[0]
    assert "ROMFS (micronn deploy --romfs)" in pico and pico.split("ROMFS")[1].rstrip().endswith("fits")
    assert "DOES NOT FIT" not in pico2


def test_model_larger_than_every_way_does_not_fit():
    ok, lines = fit.check(600 * 1024, 150 * 1024, "RPI_PICO")
    assert not ok and sum("DOES NOT FIT" in ln for ln in lines) == 2


def test_every_real_model_reports_on_every_board():
    names = ["kws_ref_model", "vww_96_int8", "pretrainedResnet_quant", "ad01_int8", "str_ww_ref_model",
             "person_detect", "hello_world_int8", "micro_speech_quantized", "simple_add_model"]
    for name in names:
        c = convert.convert(models.fetch(name, quiet=True).read_bytes())
        size = len(c.serialize())
        for board in fit.known_boards():
            ok, lines = fit.check(size, c.arena_size, board)
            assert lines[0].startswith("board %s" % board)
            if board == "ESP32_S3_MICRONN" or board.startswith("MPS") or board == "unix":
                assert ok, (name, board, lines)
