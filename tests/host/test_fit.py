"""Model fit check against boards (micronn convert --board)."""

from host_tools import cli, convert, fit, models


def test_vww_fits_pico2_not_pico(tmp_path, capsys):
    src = str(models.fetch("vww_96_int8", quiet=True))
    rc = cli.main(["convert", src, "-o", str(tmp_path / "v.micronn"), "--no-tflm",
                   "--board", "RPI_PICO", "--board", "RPI_PICO2"])
    out = capsys.readouterr().out
    assert rc == 3
    assert "board RPI_PICO:" in out and "DOES NOT FIT" in out.split("board RPI_PICO2")[0]
    assert "fits" in out.split("board RPI_PICO2")[1]


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
