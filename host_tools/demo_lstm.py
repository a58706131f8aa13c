"""`make run-lstm`: handwritten digits through an LSTM (TFLM's mnist_lstm example) on the unix
firmware.

Fetches trained_lstm_int8 and the ten sample pngs (registry, sha256-checked), converts the
model to a .micronn file, writes the pngs' pixels as raw 28x28 files and runs
models/apps/mnist_lstm.py on the firmware given as argv[1].
"""

import subprocess
import sys
from pathlib import Path

from . import convert
from .device import models
from .pngread import read_png

ROOT = Path(__file__).resolve().parent.parent


def main(argv):
    firmware = argv[0] if argv else str(ROOT / "build/fw/unix/micropython")
    out = ROOT / "build" / "run"
    out.mkdir(parents=True, exist_ok=True)
    conv = convert.convert(models.fetch("trained_lstm_int8", quiet=True).read_bytes())
    model = out / "trained_lstm_int8.micronn"
    model.write_bytes(conv.serialize())
    for line in conv.report().splitlines():
        if line.startswith(("total MACs", "kernel scratch")):
            print(line)
    images = []
    for i in range(10):
        name = "mnist_sample%d.png" % i
        raw = out / (name[:-4] + ".raw")
        raw.write_bytes(read_png(models.fetch(name, quiet=True).read_bytes()).tobytes())
        images.append(str(raw))
    app = ROOT / "models" / "apps" / "mnist_lstm.py"
    return subprocess.call([firmware, str(app), str(model)] + images)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
