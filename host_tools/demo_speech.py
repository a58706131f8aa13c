"""`make run-speech`: keyword spotting (TFLM micro_speech) on the four sample wavs.

Fetches audio_preprocessor_int8, micro_speech_quantized and the wavs (registry, sha256-checked),
converts both models to .micronn files and runs models/apps/micro_speech.py on the unix firmware
(argv[1], default build/fw/unix/micropython) or, with --board <QEMU board>, in QEMU.
"""

import subprocess
import sys
from pathlib import Path

from . import convert
from .device import models

ROOT = Path(__file__).resolve().parent.parent
WAVS = ("yes_1000ms.wav", "no_1000ms.wav", "silence_1000ms.wav", "noise_1000ms.wav")


def prepare(out):
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in ("audio_preprocessor_int8", "micro_speech_quantized"):
        conv = convert.convert(models.fetch(name, quiet=True).read_bytes())
        p = out / (name + ".micronn")
        p.write_bytes(conv.serialize())
        for line in conv.report().splitlines():
            if line.startswith(("total MACs", "kernel scratch")):
                print("%s: %s" % (name, line))
        paths.append(p)
    wavs = [models.fetch(w, quiet=True) for w in WAVS]
    return paths, wavs


def main(argv):
    board = None
    if "--board" in argv:
        i = argv.index("--board")
        board = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    out = ROOT / "build" / "run"
    (pre, cls), wavs = prepare(out)
    app = ROOT / "models" / "apps" / "micro_speech.py"
    if board is None or board == "unix":
        firmware = argv[0] if argv else str(ROOT / "build/fw/unix/micropython")
        return subprocess.call([firmware, str(app), str(pre), str(cls)] + [str(w) for w in wavs])
    from .device import boards

    args = [str(pre), str(cls)] + [str(w) for w in wavs]
    rc, text = boards.run_script(board, "ARGS = %r\n" % args + app.read_text(), timeout=900, cwd=str(out))
    print(text, end="")
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
