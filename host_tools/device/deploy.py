"""Copy a model (and an app) to a board over its serial port with mpremote, safely.

    micronn deploy --port /dev/ttyACM0 person_detect.micronn [app.py]
    micronn deploy --board RPI_PICO person_detect.micronn [app.py]   # rp2040js, ROMFS preloaded

Each file is copied to a temporary name next to its destination, its sha256 is computed on the
device (hashlib) and compared with the host's, and only then is it renamed over the old file.
A copy that is interrupted (cable pulled, Ctrl-C, mpremote killed) leaves the previous file in
place and working; the next deploy overwrites the leftover temporary file. Before copying, the
model is checked on the host with the same checks as micronn.load(), and after the rename it is
loaded on the device once (--no-load-check skips that, e.g. for firmware without micronn).

mpremote runs as a subprocess (`python -m mpremote connect PORT ...`), so any port it accepts
works: /dev/ttyUSB0, COM3, a pty, `rfc2217://host:port`.
"""

import hashlib
import os
import subprocess
import sys

TMP_SUFFIX = ".micronn-tmp"

# Run on the device after the copy: hash the temporary file, rename it over the destination
# only if the hash matches. Prints one MICRONN-DEPLOY line.
_VERIFY = """
import os, hashlib, binascii
def _mn_sha(p):
    h = hashlib.sha256()
    with open(p, "rb") as f:
        while True:
            b = f.read(2048)
            if not b:
                break
            h.update(b)
    return str(binascii.hexlify(h.digest()), "ascii")
_t, _d, _w = {tmp!r}, {dest!r}, {sha!r}
_g = _mn_sha(_t)
if _g == _w:
    os.rename(_t, _d)
    print("MICRONN-DEPLOY ok", _d)
else:
    os.remove(_t)
    print("MICRONN-DEPLOY badhash", _g)
"""

_LOAD = """
import micronn
_m = micronn.load({dest!r})
print("MICRONN-DEPLOY loaded", {dest!r}, "arena", _m.arena_size, "ops", len(_m.layers))
"""


class DeployError(RuntimeError):
    pass


def mpremote_cmd(port):
    return [sys.executable, "-m", "mpremote", "connect", port]


def _run(cmd, timeout):
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout,
                           stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise DeployError("mpremote did not finish in %d s: %s" % (timeout, " ".join(cmd))) from None
    return p.returncode, p.stdout.decode(errors="replace")


def remote_path(local, name=None, directory=""):
    base = name or os.path.basename(local)
    if directory:
        return directory.rstrip("/") + "/" + base
    return base


def copy_file(port, local, dest, timeout=600, run=_run, out=print):
    """Copy `local` to `dest` on the device: temporary file, sha256 check, rename."""
    with open(local, "rb") as f:
        data = f.read()
    sha = hashlib.sha256(data).hexdigest()
    tmp = dest + TMP_SUFFIX
    script = _VERIFY.format(tmp=tmp, dest=dest, sha=sha)
    cmd = mpremote_cmd(port) + ["fs", "cp", str(local), ":" + tmp, "+", "exec", script]
    rc, text = run(cmd, timeout)
    if "MICRONN-DEPLOY ok" in text:
        out("deploy: %s -> :%s (%d bytes, sha256 %s... verified on the device)" % (local, dest, len(data), sha[:16]))
        return sha
    if "MICRONN-DEPLOY badhash" in text:
        raise DeployError("%s: the copy on the device has a different sha256; the old :%s is untouched" % (
            local, dest))
    raise DeployError("%s: copy to :%s failed (mpremote exit %d); the old file is untouched:\n%s" % (
        local, dest, rc, text.strip()[-2000:]))


def check_model(path):
    """The host-side check: the file passes micronn.load()'s checks (no arena allocated)."""
    from micronn import model

    with open(path, "rb") as f:
        data = f.read()
    try:
        model.check(data)
    except model.ModelError as e:
        raise DeployError("%s: not a valid micronn model: %s" % (path, e)) from None


def deploy(port, model_path, app=None, app_name=None, directory="", load_check=True, timeout=600,
           run=_run, out=print):
    """Deploy a model (and optionally an app script) to the board on `port`."""
    if not model_path.endswith(".micronn"):
        with open(model_path, "rb") as f:
            if f.read(4) != b"MNN\x00":
                raise DeployError("%s: not a .micronn model (convert it first: micronn convert)" % model_path)
    check_model(model_path)
    dest = remote_path(model_path, directory=directory)
    copy_file(port, model_path, dest, timeout, run, out)
    if app:
        copy_file(port, app, remote_path(app, app_name, directory), timeout, run, out)
    if load_check:
        _load_check(port, _LOAD.format(dest=dest), "the model was copied but does not load on the device",
                    timeout, run, out)
    return dest


def _load_check(port, script, failed, timeout, run, out):
    """Load the deployed model on the device once (`script` prints a MICRONN-DEPLOY loaded
    line); `failed`: the error's text if it does not."""
    rc, text = run(mpremote_cmd(port) + ["exec", script], timeout)
    line = next((s for s in text.splitlines() if s.startswith("MICRONN-DEPLOY loaded")), None)
    if line is None:
        raise DeployError("%s:\n%s" % (failed, text.strip()[-2000:]))
    out("deploy: " + line[len("MICRONN-DEPLOY "):])


_LOAD_ROM = """
import micronn
_m = micronn.load({dest!r})
print("MICRONN-DEPLOY loaded", {dest!r}, "arena", _m.arena_size, "ops", len(_m.layers), "mapped", _m.mapped)
"""


def deploy_romfs(port, model_path, app=None, app_name=None, directory="", load_check=True,
                 timeout=600, run=_run, out=print):
    """Write the model into the board's ROMFS partition (memory-mapped flash: the constants are
    used in place, not loaded into RAM) and the app, if any, to its filesystem. The partition is
    rewritten as a whole (mpremote romfs deploy): it then holds this model only."""
    import tempfile

    from . import romfs

    check_model(model_path)
    name = os.path.basename(model_path)
    with open(model_path, "rb") as f:
        image, _ = romfs.build_image([(name, f.read())])
    with tempfile.TemporaryDirectory(prefix="micronn-romfs-") as tmp:
        img = os.path.join(tmp, "models.romfs")
        with open(img, "wb") as f:
            f.write(image)
        rc, text = run(mpremote_cmd(port) + ["romfs", "deploy", img], timeout)
    if rc != 0:
        raise DeployError("mpremote romfs deploy failed (exit %d; does the firmware have a ROMFS "
                          "partition? micronn's RPI_PICO/RPI_PICO2 boards do):\n%s" % (rc, text.strip()[-2000:]))
    dest = "/rom/" + name
    out("deploy: %s -> ROMFS :%s (%d bytes image)" % (model_path, dest, len(image)))
    if app:
        copy_file(port, app, remote_path(app, app_name, directory), timeout, run, out)
    if load_check:
        _load_check(port, _LOAD_ROM.format(dest=dest),
                    "the ROMFS image was written but the model does not load on the device", timeout, run, out)
    return dest


def deploy_emulator(board, model_path, app=None, app_name=None, load_check=True, timeout=600, out=print):
    """`--board RPI_PICO`: the ROMFS image deploy --romfs writes (with the app in it too, if any),
    placed into the emulated board's flash before boot (rp2040js does not program flash: nothing
    persists after the run); the model is loaded from /rom and the app, if any, run from there."""
    import tempfile

    from . import boards, romfs

    if board not in boards.EMU_BOARDS:
        raise DeployError("--board %s: not an emulated board (emulated: %s); real boards take --port"
                          % (board, ", ".join(boards.EMU_BOARDS)))
    check_model(model_path)
    name = os.path.basename(model_path)
    with open(model_path, "rb") as f:
        files = [(name, f.read())]
    script = _LOAD_ROM.format(dest="/rom/" + name) if load_check else ""
    if app:
        app_dest = app_name or os.path.basename(app)
        with open(app, "rb") as f:
            files.append((app_dest, f.read()))
        script += "\nprint('MICRONN-DEPLOY app', %r)\nexec(open(%r).read())\n" % (app_dest, "/rom/" + app_dest)
    image, _ = romfs.build_image(files)
    with tempfile.TemporaryDirectory(prefix="micronn-romfs-") as tmp:
        img = os.path.join(tmp, "models.romfs")
        with open(img, "wb") as f:
            f.write(image)
        out("deploy: %s -> ROMFS :/rom/%s (%d bytes image), preloaded into %s in the rp2040js emulator" % (
            model_path, name, len(image), board))
        rc, text = boards.run_script(board, script or "pass", timeout=timeout, romfs=img)
    for line in text.splitlines():
        out("deploy: " + line[len("MICRONN-DEPLOY "):] if line.startswith("MICRONN-DEPLOY ") else line)
    if rc != 0 or (load_check and "MICRONN-DEPLOY loaded" not in text):
        raise DeployError("the model (or app) failed in the emulator (rc %d)" % rc)
    return "/rom/" + name


def main(argv=None):
    import argparse

    p = argparse.ArgumentParser(prog="micronn deploy", description=__doc__.split("\n\n")[0])
    add_arguments(p)
    return run_cli(p.parse_args(argv))


def add_arguments(p):
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--port", "-p", help="serial port (as mpremote connect takes it)")
    where.add_argument("--board", help="an emulated board (RPI_PICO: rp2040js) instead of a port: the "
                                       "--romfs image preloaded into its flash, the model loaded from it")
    p.add_argument("model", help=".micronn model file")
    p.add_argument("app", nargs="?", help="an app script to copy as well")
    p.add_argument("--app-name", help="name of the app on the device (default: its file name; "
                                      "main.py makes it run at boot)")
    p.add_argument("--dir", default="", help="directory on the device (default: the current one)")
    p.add_argument("--no-load-check", action="store_true", help="do not load the model on the device")
    p.add_argument("--romfs", action="store_true",
                   help="write the model into the ROMFS partition (runs from flash: its constants "
                        "take no RAM; replaces the partition's contents)")
    p.add_argument("--timeout", type=float, default=600)


def run_cli(a):
    try:
        if a.board:
            deploy_emulator(a.board, a.model, a.app, a.app_name, not a.no_load_check, a.timeout)
            return 0
        fn = deploy_romfs if a.romfs else deploy
        fn(a.port, a.model, a.app, a.app_name, a.dir, not a.no_load_check, a.timeout)
    except (DeployError, OSError) as e:
        print("micronn deploy: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
