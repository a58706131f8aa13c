"""`micronn deploy` end to end: a QEMU board (MPS2_AN386) with its serial port on a pty and a
RAM disk (boards/qemu_common/_mn_boot.py), mpremote on the pty. Includes a copy killed half way:
the previous model must still be there and load."""

import hashlib
import os
import re
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from conftest import ROOT, require_firmware

from host_tools import convert
from host_tools.check import modelgen
from host_tools.device import boards, deploy

BOARD = "MPS2_AN386"


@pytest.fixture()
def pty_board():
    fw = require_firmware(BOARD)
    cmd = [boards.QEMU, "-machine", boards.board_info(BOARD).machine, "-nographic", "-monitor", "null",
           "-semihosting", "-serial", "pty", "-kernel", str(fw)]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                         start_new_session=True)
    line = p.stdout.readline().decode(errors="replace")
    m = re.search(r"(/dev/pts/\d+)", line)
    if not m:
        p.kill()
        pytest.fail("QEMU did not open a pty: %r" % line)
    try:
        yield m.group(1)
    finally:
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()


def device(port, code, timeout=120):
    rc, out = deploy._run(deploy.mpremote_cmd(port) + ["exec", code], timeout)
    assert rc == 0, out
    return out


SHA_AND_LOAD = """
import os, hashlib, binascii, micronn
print("FILES", sorted(os.listdir()))
h = hashlib.sha256(open("model.micronn", "rb").read()).digest()
print("SHA", str(binascii.hexlify(h), "ascii"))
m = micronn.load("model.micronn")
print("OPS", len(m.layers))
"""


def state(port):
    out = device(port, SHA_AND_LOAD)
    files = re.search(r"FILES (\[.*\])", out).group(1)
    return files, re.search(r"SHA (\w+)", out).group(1), int(re.search(r"OPS (\d+)", out).group(1))


def test_deploy_and_interrupted_copy(pty_board, tmp_path):
    port = pty_board
    small = tmp_path / "small" / "model.micronn"
    big = tmp_path / "big" / "model.micronn"
    small.parent.mkdir()
    big.parent.mkdir()
    small.write_bytes(convert.convert(modelgen.fully_connected(np.random.default_rng(1), 1, 8, 4)).serialize())
    # ~60 KB: takes seconds through the emulated UART, long enough to be interrupted.
    big.write_bytes(convert.convert(modelgen.fully_connected(np.random.default_rng(2), 1, 240, 240)).serialize())
    app = tmp_path / "app.py"
    app.write_text("import micronn\nprint(micronn.load('model.micronn').layers)\n")
    sha_small = hashlib.sha256(small.read_bytes()).hexdigest()
    sha_big = hashlib.sha256(big.read_bytes()).hexdigest()

    # 1. A first deploy, with an app installed as main.py.
    t0 = time.monotonic()
    rc = subprocess.call([sys.executable, "-m", "host_tools", "deploy", "--port", port, str(small), str(app),
                          "--app-name", "main.py"], cwd=ROOT)
    assert rc == 0
    first = time.monotonic() - t0
    files, sha, ops = state(port)
    assert sha == sha_small and ops == 1
    assert "'main.py'" in files and "model.micronn.micronn-tmp" not in files, files

    # 2. Deploy the big model and kill mpremote half way through the copy.
    p = subprocess.Popen([sys.executable, "-m", "host_tools", "deploy", "--port", port, str(big)], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    time.sleep(max(1.5, first * 0.6))
    assert p.poll() is None, "the copy finished before it could be interrupted: %s" % p.stdout.read()
    os.killpg(p.pid, signal.SIGKILL)
    p.wait()
    files, sha, ops = state(port)
    assert sha == sha_small and ops == 1, "the old model was damaged by the interrupted copy"
    assert "model.micronn.micronn-tmp" in files, files  # the partial copy, never renamed

    # 3. Deploy again: it completes, replaces the old model and cleans up the temporary file.
    out = subprocess.run([sys.executable, "-m", "host_tools", "deploy", "--port", port, str(big)], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
    assert out.returncode == 0, out.stdout.decode()
    assert b"verified on the device" in out.stdout and b"loaded model.micronn" in out.stdout
    files, sha, ops = state(port)
    assert sha == sha_big and ops == 1
    assert "model.micronn.micronn-tmp" not in files, files


def test_deploy_rejects_corrupt_model(tmp_path):
    bad = tmp_path / "bad.micronn"
    good = convert.convert(modelgen.fully_connected(np.random.default_rng(1), 1, 8, 4)).serialize()
    bad.write_bytes(good[:-10])
    calls = []
    with pytest.raises(deploy.DeployError, match="not a valid micronn model: file size"):
        deploy.deploy("/dev/null", str(bad), run=lambda cmd, t: calls.append(cmd))
    assert not calls  # nothing was sent to the board


def test_deploy_commands(tmp_path):
    m = tmp_path / "m.micronn"
    m.write_bytes(convert.convert(modelgen.fully_connected(np.random.default_rng(1), 1, 8, 4)).serialize())
    sha = hashlib.sha256(m.read_bytes()).hexdigest()
    calls = []

    def fake(cmd, timeout):
        calls.append(cmd)
        if "fs" in cmd:
            return 0, "MICRONN-DEPLOY ok m.micronn\n"
        return 0, "MICRONN-DEPLOY loaded m.micronn arena 32 ops 1\n"

    deploy.deploy("/dev/ttyACM0", str(m), directory="/flash", run=fake, out=lambda s: None)
    cp = calls[0]
    assert cp[:5] == [sys.executable, "-m", "mpremote", "connect", "/dev/ttyACM0"]
    assert cp[5:9] == ["fs", "cp", str(m), ":/flash/m.micronn.micronn-tmp"]
    assert cp[9:11] == ["+", "exec"] and sha in cp[11] and "os.rename" in cp[11]
    assert "micronn.load('/flash/m.micronn')" in calls[1][-1]

    def badhash(cmd, timeout):
        return 0, "MICRONN-DEPLOY badhash 00\n"

    with pytest.raises(deploy.DeployError, match="different sha256; the old :m.micronn is untouched"):
        deploy.deploy("/dev/ttyACM0", str(m), run=badhash, out=lambda s: None)


def test_deploy_romfs_commands(tmp_path):
    from host_tools.device import romfs

    m = tmp_path / "m.micronn"
    m.write_bytes(convert.convert(modelgen.fully_connected(np.random.default_rng(1), 1, 8, 4)).serialize())
    calls, images = [], []

    def fake(cmd, timeout):
        calls.append(cmd)
        if "romfs" in cmd:
            with open(cmd[-1], "rb") as f:
                images.append(f.read())
            return 0, "Image size is ...\n"
        return 0, "MICRONN-DEPLOY loaded /rom/m.micronn arena 32 ops 1 mapped True\n"

    dest = deploy.deploy_romfs("/dev/ttyACM0", str(m), run=fake, out=lambda s: None)
    assert dest == "/rom/m.micronn"
    assert calls[0][5:7] == ["romfs", "deploy"]
    off, data = romfs.read_image(images[0])["m.micronn"]
    assert data == m.read_bytes() and off % 16 == 0
    assert "micronn.load('/rom/m.micronn')" in calls[1][-1]

    with pytest.raises(deploy.DeployError, match="mpremote romfs deploy failed .* ROMFS partition"):
        deploy.deploy_romfs("/dev/ttyACM0", str(m), run=lambda c, t: (1, "no ROMFS"), out=lambda s: None)


def test_deploy_to_the_emulator(tmp_path, capsys):
    """`micronn deploy --board RPI_PICO`: the ROMFS image preloaded into rp2040js's flash, the
    model loaded from it in place (mapped) and the app run from /rom."""
    require_firmware("RPI_PICO")
    m = tmp_path / "m.micronn"
    m.write_bytes(convert.convert(modelgen.fully_connected(np.random.default_rng(1), 1, 8, 4)).serialize())
    app = tmp_path / "app.py"
    app.write_text("import micronn\nm = micronn.load('/rom/m.micronn')\n"
                   "print('APP', m.mapped, len(bytes(m.run([bytes(8)]))))\n")
    rc = deploy.main(["--board", "RPI_PICO", str(m), str(app)])
    out = capsys.readouterr().out
    assert rc == 0, out
    assert "deploy: loaded /rom/m.micronn arena" in out and "mapped True" in out, out
    assert "APP True 4" in out, out
    assert deploy.main(["--board", "MPS2_AN386", str(m)]) == 1
    assert "not an emulated board" in capsys.readouterr().err
