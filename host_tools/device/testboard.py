"""The test kit for a real board: the device tests and the Tier-1 models on a board attached to a
serial port, through mpremote.

    make test-board BOARD=RPI_PICO PORT=/dev/ttyACM0
    python -m host_tools.device.testboard --board RPI_PICO --port /dev/ttyACM0 [--scripts a.py,b.py]
                                          [--models kws_ref_model,...] [--no-models]

Device tests: each tests/device/<script>.py runs on the board (`mpremote run`); its output must
be its .exp exactly (what the numpy reference and the unix firmware print). Models: each Tier-1
model is converted on the host, copied to the board's filesystem with `micronn deploy`'s safe
copy (hash checked on the board, then renamed), its stored input copied next to it, run once,
and its outputs must equal TFLite Micro's stored outputs byte for byte; both files are removed
afterwards. The board needs a filesystem (the QEMU boards' RAM disk, a Pico's flash) and the
micronn firmware of BOARD flashed.

Without --port nothing is run (exit 0, the reason printed); with a port that has no device
(a missing path, or mpremote cannot connect) the reason is printed and the exit code is 2; a
mismatch or a failed script exits 1. Any port mpremote accepts works: /dev/ttyACM0, COM3, a
pty (the CI runs the kit against a QEMU board's `-serial pty`: tests/host/test_testboard.py).
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

from . import deploy

ROOT = Path(__file__).resolve().parents[2]
DEVICE_DIR = ROOT / "tests" / "device"
# The nine Tier-1 models (tests/host/test_models.py runs the same on the emulated boards).
TIER1 = ["kws_ref_model", "vww_96_int8", "pretrainedResnet_quant", "ad01_int8", "str_ww_ref_model",
         "person_detect", "hello_world_int8", "micro_speech_quantized", "simple_add_model"]

_PROBE = "import sys, micronn\nprint('MICRONN-BOARD', sys.platform, sys.implementation._machine)\n"

_RUN_MODEL = """
import binascii, gc, os, micronn
gc.collect()
m = micronn.load({model!r})
with open({inputs!r}, "rb") as f:
    for i in range(len(m.inputs)):
        v = m.input_view(i)
        n = f.readinto(v)
        if n != len(v):
            raise ValueError("input %d: %d of %d bytes in the file" % (i, n, len(v)))
outs = m.run()
if not isinstance(outs, list):
    outs = [outs]
for i, y in enumerate(outs):
    print("OUT", i, str(binascii.hexlify(bytes(y)), "ascii"))
m = None
os.remove({model!r})
os.remove({inputs!r})
"""


class NoBoard(Exception):
    pass


def probe(port, run=deploy._run, timeout=60):
    """The board's `sys.platform machine` line; NoBoard when there is none at `port`."""
    if "://" not in port and not port.upper().startswith("COM") and not os.path.exists(port):
        raise NoBoard("no device at %s (the path does not exist)" % port)
    try:
        rc, out = run(deploy.mpremote_cmd(port) + ["exec", _PROBE], timeout)
    except deploy.DeployError as e:
        raise NoBoard("no answer from %s: %s" % (port, e)) from None
    for line in out.splitlines():
        if line.startswith("MICRONN-BOARD"):
            return line[len("MICRONN-BOARD"):].strip()
    raise NoBoard("no micronn board at %s (mpremote exit %d): %s" % (port, rc, out.strip()[-300:]))


def run_script(port, path, timeout, run=deploy._run):
    """(exit code, output) of a local script run on the board."""
    return run(deploy.mpremote_cmd(port) + ["run", str(path)], timeout)


def _first_difference(a, b):
    al, bl = a.splitlines(), b.splitlines()
    for n, (x, y) in enumerate(zip(al, bl), 1):
        if x != y:
            return "line %d: %r, expected %r" % (n, x[:120], y[:120])
    return "%d lines, expected %d" % (len(al), len(bl))


def device_tests(port, scripts, timeout, out=print, run=deploy._run):
    """Runs each script; returns the names that failed."""
    failed = []
    for name in scripts:
        script = DEVICE_DIR / name
        exp = DEVICE_DIR / (name + ".exp")
        if not script.exists() or not exp.exists():
            out("  %-32s FAIL: no such device test (or no .exp) in %s" % (name, DEVICE_DIR))
            failed.append(name)
            continue
        try:
            rc, text = run_script(port, script, timeout, run)
        except deploy.DeployError as e:
            rc, text = -1, str(e)
        text = text.replace("\r\n", "\n")
        want = exp.read_text()
        if rc == 0 and text == want:
            out("  %-32s ok" % name)
        else:
            out("  %-32s FAIL (exit %d): %s" % (name, rc, _first_difference(text, want)))
            failed.append(name)
    return failed


def model_tests(port, names, timeout, out=print, run=deploy._run):
    """Runs each Tier-1 model once on the board; returns the names whose outputs differ from
    TFLite Micro's stored ones (or that failed)."""
    import numpy as np

    from .. import convert
    from . import models

    failed = []
    with tempfile.TemporaryDirectory(prefix="micronn-testboard-") as tmp:
        for name in names:
            try:
                io = models.reference_io(name)
                if io is None:
                    raise RuntimeError("no stored TFLM outputs for %s (in %s)" % (name, models.mirror_dir()))
                z = np.load(io)
                ins = [z["input_%d" % i] for i in range(sum(k.startswith("input_") for k in z.files))]
                want = [z["output_%d" % i] for i in range(sum(k.startswith("output_") for k in z.files))]
                local = Path(tmp) / ("mn_%s.micronn" % name)
                local.write_bytes(convert.convert(models.fetch(name, quiet=True).read_bytes()).serialize())
                data = Path(tmp) / ("mn_%s.in" % name)
                data.write_bytes(b"".join(np.ascontiguousarray(x).tobytes() for x in ins))
                deploy.copy_file(port, str(local), local.name, timeout=timeout, run=run, out=lambda *a: None)
                deploy.copy_file(port, str(data), data.name, timeout=timeout, run=run, out=lambda *a: None)
                script = Path(tmp) / "run_model.py"
                script.write_text(_RUN_MODEL.format(model=local.name, inputs=data.name))
                rc, text = run_script(port, script, timeout, run)
                got = {}
                for line in text.splitlines():
                    parts = line.split()
                    if parts[:1] == ["OUT"] and len(parts) >= 2:
                        got[int(parts[1])] = bytes.fromhex(parts[2]) if len(parts) > 2 else b""
                if rc != 0 or len(got) != len(want):
                    raise RuntimeError("exit %d, %d of %d outputs: %s" % (rc, len(got), len(want), text.strip()[-300:]))
                bad = [i for i, w in enumerate(want) if got[i] != np.ascontiguousarray(w).tobytes()]
                if bad:
                    w = np.ascontiguousarray(want[bad[0]])
                    g = np.frombuffer(got[bad[0]], w.dtype) if len(got[bad[0]]) == w.nbytes else None
                    raise RuntimeError("output %d differs from TFLM's: %s" % (
                        bad[0], "%d of %d elements" % (int(np.sum(g != w.reshape(-1))), w.size)
                        if g is not None else "%d bytes, expected %d" % (len(got[bad[0]]), w.nbytes)))
                out("  %-32s ok (bit-exact with TFLM, %d bytes)" % (name, local.stat().st_size))
            except (RuntimeError, deploy.DeployError, OSError, ValueError) as e:
                out("  %-32s FAIL: %s" % (name, str(e).replace("\n", " ")[:400]))
                failed.append(name)
    return failed


def main(argv=None, out=print):
    p = argparse.ArgumentParser(prog="python -m host_tools.device.testboard",
                                description="Run the device tests and the Tier-1 models on a board "
                                            "attached to a serial port (through mpremote).")
    p.add_argument("--board", default="", help="the board's name (as in boards/), for the report")
    p.add_argument("--port", "-p", default="", help="serial port as mpremote takes it (/dev/ttyACM0, COM3, "
                   "a pty, rfc2217://host:port); without it nothing is run")
    p.add_argument("--scripts", default="", help="comma-separated tests/device scripts (default: all "
                   "with an .exp)")
    p.add_argument("--models", default="", help="comma-separated Tier-1 models (default: all nine)")
    p.add_argument("--no-models", action="store_true", help="device tests only")
    p.add_argument("--no-scripts", action="store_true", help="models only")
    p.add_argument("--timeout", type=float, default=900, help="seconds per mpremote call (default 900)")
    a = p.parse_args(argv)
    board = a.board or "the board"
    if not a.port:
        out("test-board: no PORT given, nothing run (make test-board BOARD=%s PORT=/dev/ttyACM0)"
            % (a.board or "RPI_PICO"))
        return 0
    try:
        what = probe(a.port, timeout=min(a.timeout, 60))
    except NoBoard as e:
        out("test-board: %s: %s" % (board, e))
        return 2
    out("test-board: %s at %s: %s" % (board, a.port, what))
    scripts = [s for s in a.scripts.split(",") if s] or sorted(
        x.name for x in DEVICE_DIR.glob("*.py") if (DEVICE_DIR / (x.name + ".exp")).exists())
    names = [s for s in a.models.split(",") if s] or TIER1
    failed = []
    if not a.no_scripts:
        out("test-board: %d device tests" % len(scripts))
        failed += device_tests(a.port, scripts, a.timeout, out)
    if not a.no_models:
        out("test-board: %d models" % len(names))
        failed += model_tests(a.port, names, a.timeout, out)
    n = (0 if a.no_scripts else len(scripts)) + (0 if a.no_models else len(names))
    out("test-board: %s: %d of %d passed%s" % (board, n - len(failed), n,
                                                 "; failed: " + ", ".join(failed) if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
