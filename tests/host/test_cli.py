"""The micronn command line: convert report, run, verify (pass, and naming the first bad layer)."""

import numpy as np

from host_tools import cli, reference
from host_tools.check import verify
from host_tools.device import models


def kws():
    return str(models.fetch("kws_ref_model", quiet=True)), str(models.reference_io("kws_ref_model"))


def test_convert_report(tmp_path, capsys):
    src, _ = kws()
    out = tmp_path / "kws.micronn"
    assert cli.main(["convert", src, "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "DEPTHWISE_CONV_2D" in text and "arena 16000 bytes" in text and "TFLM arena" in text
    assert out.read_bytes()[:4] == b"MNN\x00"


def test_verify_passes(capsys):
    src, io = kws()
    assert cli.main(["verify", src, "--input", io]) == 0
    assert "bit-exact" in capsys.readouterr().out


def test_verify_names_first_differing_layer(monkeypatch):
    src, io = kws()
    good = reference.depthwise_conv2d_s8

    def off_by_one(input, weights, bias, output, params, multiplier, shift, scratch=None):
        good(input, weights, bias, output, params, multiplier, shift, scratch)
        o = np.frombuffer(output, dtype=np.int8) if not isinstance(output, np.ndarray) else output
        o[:] = (o.astype(np.int16) // 2).astype(np.int8)  # a broken layer

    monkeypatch.setattr(reference, "depthwise_conv2d_s8", off_by_one)
    lines = []
    data = open(src, "rb").read()
    ok = verify.verify(data, verify.load_inputs(io, data), out=lines.append)
    assert not ok
    assert any("first differing layer: op 1 DEPTHWISE_CONV_2D" in s for s in lines), lines


def test_run_numpy(capsys):
    src, io = kws()
    assert cli.main(["run", src, "--input", io]) == 0
    assert "output 0 int8 (1, 12)" in capsys.readouterr().out


def test_ops_table(capsys):
    """`micronn ops`: a row per TFLM builtin and custom op with micronn's and TFLM's dtypes; the
    summary counts TFLM's 100 builtins; --status keeps one kind of row."""
    from host_tools.ops import tflm

    assert cli.main(["ops"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = {ln.split()[0]: ln.split() for ln in lines[1:-1]}
    assert set(tflm.BUILTINS) <= set(rows) and len(tflm.BUILTINS) == 100
    assert rows["RESHAPE"][1:3] == ["yes", "any"]
    assert rows["SVDF"][1] == "yes"
    assert rows["WHILE"][1] == "yes" and rows["UNIDIRECTIONAL_SEQUENCE_LSTM"][1] == "yes"
    assert lines[-1].startswith("TFLM builtins: 100; micronn runs ")
    assert cli.main(["ops", "--status", "no"]) == 0
    no = capsys.readouterr().out.splitlines()[1:-1]
    assert no and all(ln.split()[1 + ("(custom)" in ln)] == "no" for ln in no)


def test_contradictory_backend_and_board_are_an_error(capsys):
    """Issue 14: --board used to override --backend silently (and numpy ignored the board)."""
    import pytest

    src, io = kws()
    for argv in (["--backend", "unix", "--board", "MPS2_AN386"], ["--backend", "numpy", "--board", "unix"],
                 ["--backend", "qemu", "--board", "unix"]):
        for cmd in ("run", "verify"):
            assert cli.main([cmd, src, "--input", io] + argv) == 2
            err = capsys.readouterr().err
            assert err.startswith("micronn %s: --backend " % cmd) and "contradicts --board" in err, err
    from host_tools.check import runner

    assert runner.resolve(None, None) == ("numpy", None)
    assert runner.resolve("qemu", None) == ("qemu", "MPS2_AN386")
    assert runner.resolve(None, "unix") == ("unix", "unix")
    assert runner.resolve("qemu", "MPS2_AN385") == ("qemu", "MPS2_AN385")
    assert runner.resolve(None, "RPI_PICO") == ("emu", "RPI_PICO")
    assert runner.resolve("emu", None) == ("emu", "RPI_PICO")
    with pytest.raises(ValueError, match="contradicts --board RPI_PICO"):
        runner.resolve("qemu", "RPI_PICO")
    with pytest.raises(SystemExit):
        cli.main(["--version"])
    assert capsys.readouterr().out.startswith("micronn ")


def test_convert_checks_the_board_first_and_names_a_non_tflite_file(tmp_path, capsys):
    """Issue 14: `convert --board NOPE` wrote the output before failing; a non-.tflite input said
    "not a valid .tflite flatbuffer: unpack_from requires ..."."""
    src, _ = kws()
    out = tmp_path / "k.micronn"
    assert cli.main(["convert", src, "--board", "NOPE", "-o", str(out)]) == 2
    assert "--board: unknown board 'NOPE'" in capsys.readouterr().err and not out.exists()
    text = tmp_path / "notes.tflite"
    text.write_text("hello world")
    assert cli.main(["convert", str(text), "-o", str(out)]) == 1
    assert "not a .tflite file (no TFL3 identifier" in capsys.readouterr().err
    assert cli.main(["convert", src, "-o", str(out), "--no-tflm"]) == 0
    capsys.readouterr()
    assert cli.main(["convert", str(out), "-o", str(tmp_path / "again.micronn")]) == 1
    assert "a converted micronn model already" in capsys.readouterr().err


def test_run_and_verify_refuse_a_uint8_npz_for_an_int8_model_alike(tmp_path, capsys):
    """Issue 14: run accepted a uint8 npz for an int8 model silently while verify rejected it."""
    src, io = kws()
    u8 = tmp_path / "u8.npz"
    np.savez(u8, input_0=np.load(io)["input_0"].astype(np.uint8))
    errs = []
    for cmd in ("run", "verify"):
        assert cli.main([cmd, src, "--input", str(u8)]) == 2
        errs.append(capsys.readouterr().err.split(": ", 1)[1])
    assert errs[0] == errs[1] == "input 0: expected int8 data, got uint8\n", errs


def test_verify_micronn_romfs_missing_and_help_texts(tmp_path, capsys):
    """Issue 14: `verify x.micronn` said "error: unpack_from requires a buffer of at least ...";
    `romfs` of a missing file, `verify` of a model TFLM cannot run: one line, exit 2; the help
    names every argument (convert's default output, .tflite for verify, --backend, size --board)."""
    import pytest

    from host_tools.check import modelgen

    src, _ = kws()
    mn = tmp_path / "k.micronn"
    assert cli.main(["convert", src, "-o", str(mn), "--no-tflm"]) == 0
    capsys.readouterr()
    assert cli.main(["verify", str(mn)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("micronn verify: %s is a converted micronn model: verify takes its .tflite" % mn), err
    assert err.count("\n") == 1
    assert cli.main(["romfs", "-o", str(tmp_path / "x.romfs"), str(tmp_path / "nope.micronn")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("micronn romfs: ") and "nope.micronn" in err and err.count("\n") == 1, err
    cust = tmp_path / "cust.tflite"
    cust.write_bytes(modelgen.fc_custom_fc(np.random.default_rng(0), custom_code="Nope", options={}))
    for cmd in ("verify", "run"):
        assert cli.main([cmd, str(cust)]) == 2
        err = capsys.readouterr().err
        assert err.startswith("micronn %s: " % cmd) and err.count("\n") == 1 and "Traceback" not in err, err
    helps = {}
    for cmd in ("convert", "verify", "run", "size"):
        with pytest.raises(SystemExit):
            cli.main([cmd, "-h"])
        helps[cmd] = " ".join(capsys.readouterr().out.split())
    assert "the .tflite int8 model" in helps["convert"] and "(default: MODEL with .micronn" in helps["convert"]
    assert "model .tflite" in helps["verify"] and "for run" not in helps["verify"]
    assert "model .tflite or .micronn" in helps["run"]
    for cmd in ("verify", "run"):
        assert "numpy (in-process, the default)" in helps[cmd] and "a contradicting --backend is an error" in helps[cmd]
    assert "--board BOARD[=ELF] a board (repeatable)" in helps["size"]
