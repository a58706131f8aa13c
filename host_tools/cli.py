"""micronn: convert, run and verify int8 models for MicroPython microcontrollers."""

import argparse
import os
import sys


def _cmd_convert(a):
    from . import convert
    from .device import fit

    for b in a.board or []:  # before anything is written
        if b not in fit.known_boards():
            raise ValueError("--board: unknown board %r (known: %s)" % (b, ", ".join(fit.known_boards())))
    with open(a.model, "rb") as f:
        src = f.read()
    try:
        c = convert.convert(src, allow_python_ops=a.allow_python_ops)
        data = c.serialize()
    except convert.ConvertError as e:
        print("micronn convert: %s: %s" % (a.model, e), file=sys.stderr)
        return 1
    out = a.output or a.model.rsplit(".", 1)[0] + ".micronn"
    with open(out, "wb") as f:
        f.write(data)
    print(c.report())
    if not a.no_tflm:
        from .check import tflm

        try:
            usage = tflm.arena_usage(src)
            print("TFLM arena (planned activations) %d bytes; micronn %d bytes" % (usage["head"], c.arena_size))
        except Exception as e:  # TFLM cannot run every model micronn converts
            print("TFLM arena: not available (%s)" % str(e).splitlines()[0])
    print("wrote %s (%d bytes)" % (out, len(data)))
    if a.board:
        ok = True
        for b in a.board:
            fits, lines = fit.check(len(data), c.arena_size + getattr(c, "scratch_size", 0) + c.state_size, b)
            print("\n".join(lines))
            ok = ok and fits
        return 0 if ok else 3
    return 0


def _cmd_shrink(a):
    from .convert import shrink

    with open(a.model, "rb") as f:
        src = f.read()
    log = (lambda s: print(s, file=sys.stderr)) if a.verbose else None
    xs = shrink.samples(src, a.calib, n_random=a.random, limit=a.max_samples)
    r = shrink.shrink(src, bits=a.bits, lut_bits=a.lut_bits, xs=xs, min_agreement=a.min_agreement,
                      min_snr=a.min_snr, log=log, strip_names=a.strip_names)
    out = a.output or a.model.rsplit(".", 1)[0] + (".lut%d.tflite" % a.lut_bits if a.lut_bits else ".int4.tflite")
    with open(out, "wb") as f:
        f.write(r.data)
    print(r.table())
    if not a.calib:
        print("(samples: %d seeded random inputs; give --calib for real ones)" % len(xs))
    print("wrote %s (%d bytes)" % (out, len(r.data)))
    return 0


def _cmd_ops(a):
    from .convert import support

    print("\n".join(support.table(only=a.status)))
    return 0


def _cmd_run(a):
    import numpy as np

    from .check import runner, verify

    with open(a.model, "rb") as f:
        src = f.read()
    tfl = src if src[:4] != b"MNN\x00" else None
    inputs = verify.load_inputs(a.input, tfl) if (a.input or tfl) else None
    if inputs is None:
        print("micronn run: give --input X.npz for a .micronn model", file=sys.stderr)
        return 2
    res = runner.run(src, inputs, backend=a.backend, board=a.board)
    for i, y in enumerate(res.outputs):
        print("output %d %s %s: %s" % (i, y.dtype, y.shape, np.array2string(y.ravel(), max_line_width=120)))
    if res.ticks is not None:
        print("time: %d %s" % (res.ticks, res.tick_unit) + (
            " (%d instructions)" % (res.ticks * res.tick_scale) if res.tick_unit == "systick" else ""))
    return 0


def _cmd_verify(a):
    from .check import verify

    with open(a.model, "rb") as f:
        src = f.read()
    if src[:4] == b"MNN\x00":
        raise ValueError("%s is a converted micronn model: verify takes its .tflite (TFLite Micro runs "
                         "that); `micronn run %s --input X.npz` runs a .micronn" % (a.model, a.model))
    if src[4:8] != b"TFL3":
        raise ValueError("%s: not a .tflite file (no TFL3 identifier at bytes 4-8, got %r)" % (a.model, src[4:8]))
    ok = verify.verify(src, verify.load_inputs(a.input, src), backend=a.backend, board=a.board)
    print("verify: %s" % ("bit-exact" if ok else "MISMATCH"))
    return 0 if ok else 1


def _cmd_size(a):
    from .device import size

    return size.main(sum((["--board", b] for b in a.board or []), []))


def _cmd_bench(a):
    from .bench import bench
    from .check import verify
    from .device import boards

    emulated = a.board in boards.BOARDS and boards.BOARDS[a.board].port == "rp2"
    if not a.per_layer and not emulated:
        print("micronn bench: only --per-layer is implemented here (and emulated cycles with --board "
              "RPI_PICO); `make bench` runs the full benchmark (python -m host_tools.bench)", file=sys.stderr)
        return 2
    src = open(a.model, "rb").read()
    inputs = verify.load_inputs(a.input, src if src[:4] != b"MNN\x00" else None) \
        if (a.input or src[:4] != b"MNN\x00") else None
    if a.per_layer:
        return bench.profile(a.model, a.board, inputs, svg=a.svg)
    return bench.emu_model(a.model, a.board, inputs)


def _version():
    try:
        import micronn

        return micronn.__version__
    except ImportError:
        return "unknown"


def main(argv=None):
    p = argparse.ArgumentParser(prog="micronn", description=__doc__)
    p.add_argument("--version", action="version", version="micronn " + _version())
    sub = p.add_subparsers(dest="cmd")

    c = sub.add_parser("convert", help="convert a .tflite int8 model to a .micronn file")
    c.add_argument("model", help="the .tflite int8 model")
    c.add_argument("-o", "--output", help="the .micronn file to write (default: MODEL with .micronn "
                                          "for .tflite)")
    c.add_argument("--no-tflm", action="store_true", help="do not compare the arena with TFLM's")
    c.add_argument("--board", action="append",
                   help="check that the model fits this board (repeatable; exit 3 if not)")
    c.add_argument("--allow-python-ops", action="store_true",
                   help="keep unsupported builtin ops as named Python ops")
    c.set_defaults(fn=_cmd_convert)

    sh = sub.add_parser("shrink", help="int8 .tflite -> int4 packed (or LUT-clustered) weights, layer by layer "
                                       "within an error budget; writes a .tflite TFLM runs",
                        description="Requantize CONV_2D / DEPTHWISE_CONV_2D filters to int4 per channel and "
                        "FULLY_CONNECTED filters to int4 per tensor (TFLM's int4 FC is per-tensor only), the int32 "
                        "bias to the new scale; or with --lut-bits B cluster each output channel's weights into at "
                        "most 2^B int8 values: the output stays int8 and is the exact decompressed equivalent of a "
                        "LUT-compressed model (TFLM runs it as is). With a budget (--min-agreement, --min-snr) layers "
                        "that break it stay at 8 bits (greedy by bytes saved per output error, measured in TFLM).")
    sh.add_argument("model", help="the int8 .tflite model")
    sh.add_argument("-o", "--output", help="the .tflite to write (default MODEL.int4.tflite / MODEL.lutB.tflite)")
    sh.add_argument("--bits", type=int, default=4, help="packed weight bits (4: TFLite INT4)")
    sh.add_argument("--lut-bits", type=int, help="cluster weights into 2^B values per channel (1..7) instead")
    sh.add_argument("--calib", action="append",
                    help="calibration samples: .npz (input_0.. with a leading sample axis), .png or .bmp (repeatable)")
    sh.add_argument("--random", type=int, default=8, help="without --calib: this many seeded random inputs")
    sh.add_argument("--max-samples", type=int, default=64, help="use at most this many samples")
    sh.add_argument("--min-agreement", type=float, help="keep top-1 agreement with the int8 model >= this (0..1)")
    sh.add_argument("--min-snr", type=float, help="keep the output SNR vs the int8 model >= this (dB)")
    sh.add_argument("--strip-names", action="store_true",
                    help="also drop the names of inner tensors (TFLM does not read them; often most of the file)")
    sh.add_argument("-v", "--verbose", action="store_true", help="log every layer trial to stderr")
    sh.set_defaults(fn=_cmd_shrink)

    o = sub.add_parser("ops", help="every TFLite Micro op: the dtypes micronn converts, TFLM's, and the fallback")
    o.add_argument("--status", choices=("yes", "part", "no", "extra"),
                   help="only the ops of this status (part: some of TFLM's types missing)")
    o.set_defaults(fn=_cmd_ops)

    for name, fn, hlp in (("run", _cmd_run, "run a model on a backend"),
                          ("verify", _cmd_verify, "check a model bit-exact against TFLite Micro")):
        r = sub.add_parser(name, help=hlp)
        r.add_argument("model", help=".tflite or .micronn" if name == "run" else ".tflite")
        r.add_argument("--input", help=".npz with input_0, input_1, ... (default: seeded random)")
        r.add_argument("--backend", choices=("numpy", "unix", "qemu", "emu"),
                       help="numpy (in-process, the default), unix (the unix firmware), qemu "
                            "(a QEMU board, MPS2_AN386 unless --board) or emu (RPI_PICO in the "
                            "rp2040js emulator); a --board implies it")
        r.add_argument("--board", help="unix, a QEMU board or RPI_PICO (implies --backend unix/qemu/emu; a "
                                       "contradicting --backend is an error)")
        r.set_defaults(fn=fn)

    bn = sub.add_parser("bench", help="per-layer profile of a model on a board (MACs, ticks, share); "
                                      "on RPI_PICO the emulated cycles of one inference")
    bn.add_argument("model", help=".tflite or .micronn")
    bn.add_argument("--board", default="MPS2_AN386",
                    help="unix, a QEMU board or RPI_PICO (rp2040js: cycles) (default MPS2_AN386)")
    bn.add_argument("--per-layer", action="store_true", help="print the per-layer table (Model.profile)")
    bn.add_argument("--input", help=".npz with input_0, ... (default: seeded random)")
    bn.add_argument("--svg", help="also write the per-layer profile as an SVG chart to this file")
    bn.set_defaults(fn=_cmd_bench)

    s = sub.add_parser("size", help="firmware text/data/bss per board and micronn's share")
    s.add_argument("--board", action="append", metavar="BOARD[=ELF]",
                   help="a board (repeatable), optionally with its firmware ELF (default: every built board)")
    s.set_defaults(fn=_cmd_size)

    from .device import deploy, flash, romfs

    rf = sub.add_parser("romfs", help="build a ROMFS image (file data aligned) to run models from flash")
    romfs.add_arguments(rf)
    rf.set_defaults(fn=romfs.run_cli)

    d = sub.add_parser("deploy", help="copy a model (and an app) to a board: verified, atomic")
    deploy.add_arguments(d)
    d.set_defaults(fn=deploy.run_cli)
    f = sub.add_parser("flash", help="write firmware: ESP32 via esptool, RP2 via the BOOTSEL drive")
    flash.add_arguments(f)
    f.set_defaults(fn=flash.run_cli)

    a = p.parse_args(argv)
    if a.cmd is None:
        p.print_help()
        return 2
    if a.cmd in ("run", "verify"):
        from .check import runner

        try:
            runner.resolve(a.backend, a.board)
        except ValueError as e:
            print("micronn %s: %s" % (a.cmd, e), file=sys.stderr)
            return 2
    try:
        return a.fn(a)
    except KeyboardInterrupt:
        raise
    except Exception as e:  # one line, no traceback: exit 2 (1 is verify's mismatch)
        if os.environ.get("MICRONN_TRACEBACK"):
            raise
        msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        print("micronn %s: %s" % (a.cmd, msg if isinstance(e, (OSError, ValueError)) else
                                   "%s: %s" % (type(e).__name__, msg)), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
