"""The model registry (models/registry.json): fetch into a cache and check sha256.

Order of sources: the cache (build/models), a local mirror directory (MICRONN_MODELS_DIR,
default ../shared/models next to the repository), then the public URL pinned to a commit.
Model files are third-party data: never commit them.
"""

import hashlib
import json
import os
import shutil
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = ROOT / "models" / "registry.json"
CACHE = ROOT / "build" / "models"


def mirror_dir():
    return Path(os.environ.get("MICRONN_MODELS_DIR", ROOT.parent / "shared" / "models"))


def registry():
    with open(REGISTRY) as f:
        return {e["name"]: e for e in json.load(f)["models"]}


def _sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def fetch(name, quiet=False):
    """Path to the verified file of registry entry `name` (copied or downloaded into the cache)."""
    e = registry()[name]
    dest = CACHE / e["path"]
    if dest.exists() and _sha256(dest) == e["sha256"]:
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    src = mirror_dir() / e["path"]
    how = None
    if src.exists():
        shutil.copyfile(src, dest)
        how = "mirror %s" % src
    else:
        try:
            with urllib.request.urlopen(e["url"], timeout=30) as r, open(dest, "wb") as f:
                shutil.copyfileobj(r, f)
            how = e["url"]
        except OSError as err:
            raise FileNotFoundError("%s: not in the mirror %s and download failed (%s)" % (
                name, mirror_dir(), err)) from None
    got = _sha256(dest)
    if got != e["sha256"]:
        dest.unlink()
        raise ValueError("%s: sha256 %s does not match the registry (%s)" % (name, got, e["sha256"]))
    if not quiet:
        print("models: %s <- %s (sha256 ok)" % (name, how))
    return dest


def reference_io(name):
    """The stored TFLM inputs/outputs (.io.npz next to the model in the mirror), or None."""
    p = mirror_dir() / (registry()[name]["path"].rsplit(".", 1)[0] + ".io.npz")
    return p if p.exists() else None


def main(argv=None):
    names = argv or list(registry())
    for n in names:
        fetch(n)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
