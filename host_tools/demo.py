"""`make run`: person detection on the sample images, on the unix firmware.

Fetches person_detect and its samples (registry, sha256-checked), converts the model to a
.micronn file, and runs models/apps/person_detect.py on the firmware given as argv[1].
"""

import subprocess
import sys
from pathlib import Path

from . import convert
from .device import models

ROOT = Path(__file__).resolve().parent.parent


def main(argv):
    firmware = argv[0] if argv else str(ROOT / "build/fw/unix/micropython")
    out = ROOT / "build" / "run"
    out.mkdir(parents=True, exist_ok=True)
    tfl = models.fetch("person_detect", quiet=True)
    conv = convert.convert(tfl.read_bytes())
    model = out / "person_detect.micronn"
    model.write_bytes(conv.serialize())
    for line in conv.report().splitlines():
        if line.startswith(("total MACs", "kernel scratch")):
            print(line)
    images = [str(models.fetch(n, quiet=True)) for n in ("person.bmp", "no_person.bmp")]
    app = ROOT / "models" / "apps" / "person_detect.py"
    return subprocess.call([firmware, str(app), str(model)] + images)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
