"""Firmware boards: the table, and running MicroPython scripts on them.

unix runs the unix-port binary; the QEMU boards run firmware.elf in qemu-system-arm
with `-icount shift=0` (one guest instruction per virtual ns, so the tick counter is
deterministic), driving MicroPython's raw REPL over the emulated UART on stdio.
Files the script reads through `_micronn.host_read(path)` (ARM semihosting) are
looked up relative to `cwd`.

    rc, out = run_script("MPS2_AN386", "import micronn\\nprint(micronn.TICK_UNIT)")
    results = run_scripts("MPS2_AN386", [script_a, script_b])   # one QEMU session

Command line: python -m host_tools.device.boards BOARD script.py [...]
"""

import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build"
MPY_DIR = BUILD / "deps" / "micropython"
QEMU = "qemu-system-arm"

MiB = 1024 * 1024
# The board table (make syntax, read by the Makefile and the QEMU boards' mpconfigboard.mk too).
TABLE_FILE = ROOT / "boards" / "boards.mk"
_TABLE_LINE = re.compile(r"([A-Za-z0-9_-]+(?:\.[a-z0-9_]+)?)\s*:=\s*(.*)")


def read_table(path=TABLE_FILE):
    """boards/boards.mk -> (lists, rows): lists {"MN_BOARDS": [names], ...} and rows
    {board: {field: str}}. Only comments, blank lines and `NAME := value` lines are allowed."""
    lists, rows = {}, {}
    for n, line in enumerate(Path(path).read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = _TABLE_LINE.fullmatch(line)
        if m is None or "$" in line:
            raise ValueError("%s:%d: not a `NAME := value` line: %r" % (path, n, line))
        key, value = m.group(1), m.group(2).strip()
        if "." in key:
            board, field = key.split(".")
            rows.setdefault(board, {})[field] = value
        else:
            lists[key] = value.split()
    for name in set(rows) - set(lists["MN_BOARDS"]):
        raise ValueError("%s: board %s has fields but is not in MN_BOARDS" % (path, name))
    for key, names in lists.items():
        for name in names:
            if name not in rows:
                raise ValueError("%s: %s lists %s, which has no fields" % (path, key, name))
    return lists, rows


TABLE_LISTS, TABLE = read_table()


@dataclass(frozen=True)
class Board:
    name: str
    port: str  # "unix" | "qemu"
    machine: str  # QEMU machine ("" for unix)
    cpu: str
    heap_size: int  # bytes of MicroPython GC heap
    tick_scale: int  # guest instructions per tick under -icount shift=0 (1 for unix: ns)
    tick_unit: str  # "ns" | "systick"
    systick_hz: int = 0  # SysTick (CPU) clock in QEMU

    @property
    def firmware(self):
        return firmware_path(self.name)

    def __getitem__(self, key):  # info["port"] works as well as info.port
        return getattr(self, key)

    def get(self, key, default=None):
        return getattr(self, key, default)


def _board(name, row):
    tick_hz = int(row["tick_hz"])
    return Board(name, row["port"], row.get("machine", ""), row["cpu"], int(row["heap"]),
                 10**9 // tick_hz, "ns" if row["port"] == "unix" else "systick",
                 int(row.get("systick_clock_hz", 0)))


# The boards scripts run on here: the unix firmware (run with `-X heapsize=`, the QEMU boards'
# heap size) and the QEMU boards.
BOARDS = {name: _board(name, row) for name, row in TABLE.items() if row["port"] in ("unix", "qemu")}

QEMU_BOARDS = [b for b, info in BOARDS.items() if info.port == "qemu"]
# Boards every device test runs on, and those the real models run on (tests/host/conftest.py).
TEST_BOARDS = TABLE_LISTS["MN_TEST_BOARDS"]
MODEL_BOARDS = TABLE_LISTS["MN_MODEL_BOARDS"]


def board_info(board):
    try:
        return BOARDS[board]
    except KeyError:
        raise ValueError("unknown board %r (known: %s)" % (board, ", ".join(BOARDS))) from None


def firmware_path(board):
    info = board_info(board)
    if info.port == "unix":
        return BUILD / "fw" / board / "micropython"
    return BUILD / "fw" / board / "firmware.elf"


# Where the QEMU boards look for a ROMFS image (boards/qemu_common/_mn_boot.py mounts it at /rom
# when it starts with the ROMFS header): RAM that the firmware does not use, preloaded by QEMU's
# loader device, standing in for a memory-mapped flash partition (the table's romfs field).
ROMFS_REGION = {name: tuple(int(v, 0) for v in TABLE[name]["romfs"].split()) for name in QEMU_BOARDS}


def qemu_command(board, firmware=None, icount=True, romfs=None):
    """The qemu-system-arm command line; `romfs`: an image file to preload at ROMFS_REGION."""
    info = board_info(board)
    if info.port != "qemu":
        raise ValueError("%s is not a QEMU board" % board)
    cmd = [QEMU, "-machine", info.machine, "-nographic", "-monitor", "null", "-semihosting",
           "-serial", "stdio"]
    if icount:
        cmd += ["-icount", "shift=0"]
    if romfs is not None:
        addr, size = ROMFS_REGION[board]
        if os.path.getsize(romfs) > size:
            raise ValueError("%s: ROMFS image of %d bytes, the %s region holds %d" % (
                romfs, os.path.getsize(romfs), board, size))
        cmd += ["-device", "loader,file=%s,addr=0x%x,force-raw=on" % (romfs, addr)]
    return cmd + ["-kernel", str(firmware or firmware_path(board))]


def _is_path(script):
    """A Path, or a str naming an existing file (otherwise a str is source text)."""
    return isinstance(script, os.PathLike) or (
        isinstance(script, str) and "\n" not in script and len(script) < 4096 and os.path.isfile(script))


def _script_source(script):
    if _is_path(script):
        return Path(script).read_text()
    return script.decode() if isinstance(script, bytes) else script


def _script_name(script):
    return Path(script).name if _is_path(script) else "<script>"


def run_script(board, script, timeout=600, cwd=None, romfs=None):
    """Run one MicroPython script (path or source text) on `board`.

    Returns (returncode, output): 0 if the script ran without an uncaught exception, 1 if
    it raised (the traceback is in the output), negative if the firmware timed out (-1),
    crashed (-2) or exited (-3). Output has "\\n" line ends.
    """
    return run_scripts(board, [script], timeout=timeout, cwd=cwd, romfs=romfs)[0]


def run_scripts(board, scripts, timeout=600, cwd=None, romfs=None):
    """Run several scripts; on QEMU in one session with a soft reset between them.

    `timeout` applies to each script. Returns a list of (returncode, output).
    `romfs`: a ROMFS image (host_tools.device.romfs) mounted at /rom on the board: QEMU preloads it into
    the board's ROMFS region; the unix firmware mounts a copy of it from a bytes object (the same
    VfsRom code path, but in RAM).
    """
    info = board_info(board)
    if info.port == "unix":
        if romfs is not None:
            pre = "import vfs\nvfs.mount(vfs.VfsRom(open(%r, 'rb').read()), '/rom')\ndel vfs\n" % str(
                Path(romfs).resolve())
            scripts = [pre + _script_source(s) for s in scripts]
        return [_run_unix(board, s, timeout, cwd) for s in scripts]
    results = []
    session = None
    try:
        for script in scripts:
            src = _script_source(script)
            if session is None:
                session = _RawRepl(qemu_command(board, romfs=romfs), cwd=cwd)
                ok = session.enter(timeout=min(timeout, 60))
            else:
                ok = session.soft_reset(timeout=min(timeout, 60))
            if not ok:
                results.append((session.rc or -1, session.failure("firmware did not reach the raw REPL")))
                session.close()
                session = None
                continue
            rc, out = session.exec(src, timeout, name=_script_name(script))
            results.append((rc, out))
            if rc < 0:
                session.close()
                session = None
    finally:
        if session is not None:
            session.close()
    return results


# ---------------------------------------------------------------------------- unix


def _run_unix(board, script, timeout, cwd):
    exe = firmware_path(board)
    info = board_info(board)
    tmp = None
    if _is_path(script):
        path = str(Path(script).resolve())
    else:
        fd, tmp = tempfile.mkstemp(suffix=".py", prefix="micronn-")
        with os.fdopen(fd, "w") as f:
            f.write(script.decode() if isinstance(script, bytes) else script)
        path = tmp
    cmd = [str(exe), "-X", "heapsize=%d" % info.heap_size, path]
    try:
        p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            out, _ = p.communicate(timeout=timeout)
            return p.returncode, out.decode(errors="replace")
        except subprocess.TimeoutExpired:
            _kill_group(p)
            out, _ = p.communicate()
            return -1, out.decode(errors="replace") + "\n[micronn: timeout after %g s]\n" % timeout
    finally:
        if tmp:
            os.unlink(tmp)


def _kill_group(p):
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


# ---------------------------------------------------------------------------- QEMU raw REPL

_RAW_BANNER = b"raw REPL; CTRL-B to exit\r\n>"
# The emulated UART takes ~10 KB/s of input. Longer scripts go through a host file that the
# firmware reads with `_micronn.host_read` (semihosting), when the firmware has it.
_HOST_READ_MIN = 2048
# Printed by the qemu port's errorhandler.c, which then spins forever.
_FAULT = re.compile(rb"(NMI|HardFault|MemManage|BusFault|UsageFault|SVCall|DebugMonitor|PendSV|"
                    rb"SysTick|External interrupt \d+|Reserved) exception caught:")


class _RawRepl:
    """MicroPython's raw REPL over a QEMU process's stdio (the board UART)."""

    def __init__(self, cmd, cwd=None):
        self.err = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.err, bufsize=0, start_new_session=True)
        self.fd = self.proc.stdout.fileno()
        os.set_blocking(self.fd, False)
        self.buf = b""
        self.rc = None  # set when the session failed: -1 timeout, -2 crash, -3 exited
        self.note = ""
        self.has_host_read = None  # probed on the first long script

    def close(self):
        if self.proc.poll() is None:
            _kill_group(self.proc)
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()
            except OSError:
                pass
        self.err.close()

    def _write(self, data):
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            pass

    def _write_async(self, data):
        # QEMU takes input only as fast as the guest reads its UART: write from a thread.
        t = threading.Thread(target=self._write, args=(data,), daemon=True)
        t.start()
        return t

    def _read_until(self, marker, deadline):
        """Read until `marker` is in the buffer; return the bytes up to and including it,
        or None (and set self.rc) on timeout, crash or exit."""
        while True:
            i = self.buf.find(marker)
            if i >= 0:
                out, self.buf = self.buf[: i + len(marker)], self.buf[i + len(marker):]
                return out
            if _FAULT.search(self.buf):
                self._drain(time.monotonic() + 0.5)  # let the register dump finish
                self.rc, self.note = -2, "firmware crashed"
                return None
            left = deadline - time.monotonic()
            if left <= 0:
                self.rc, self.note = -1, "timeout"
                return None
            r, _, _ = select.select([self.fd], [], [], min(left, 1.0))
            if r:
                try:
                    chunk = os.read(self.fd, 65536)
                except BlockingIOError:
                    continue
                if not chunk:
                    self.rc, self.note = -3, "firmware exited (QEMU status %s)" % self.proc.wait()
                    return None
                self.buf += chunk

    def _drain(self, deadline):
        while time.monotonic() < deadline:
            r, _, _ = select.select([self.fd], [], [], max(0.0, deadline - time.monotonic()))
            if not r:
                break
            try:
                chunk = os.read(self.fd, 65536)
            except BlockingIOError:
                continue
            if not chunk:
                break
            self.buf += chunk

    def failure(self, what):
        self.err.seek(0)
        qerr = self.err.read().decode(errors="replace")
        text = self.buf.decode(errors="replace").replace("\r\n", "\n")
        return "%s\n[micronn: %s: %s]\n%s" % (text, what, self.note, qerr)

    def enter(self, timeout):
        deadline = time.monotonic() + timeout
        self._write(b"\r\x03\x03")
        self._write(b"\r\x01")
        if self._read_until(_RAW_BANNER, deadline) is None:
            return False
        self.buf = b""
        return True

    def soft_reset(self, timeout):
        deadline = time.monotonic() + timeout
        self._write(b"\x04")
        if self._read_until(b"soft reboot\r\n", deadline) is None:
            return False
        if self._read_until(_RAW_BANNER, deadline) is None:
            return False
        self.buf = b""
        return True

    def exec(self, src, timeout, name="<script>"):
        """Run a script; return (rc, output)."""
        data = src.encode() if isinstance(src, str) else src
        if len(data) >= _HOST_READ_MIN:
            if self.has_host_read is None:
                rc, out = self._exec_raw(b"print(hasattr(__import__('_micronn'), 'host_read'))", 60)
                if rc < 0:
                    return rc, out
                self.has_host_read = rc == 0 and out.strip() == "True"
            if self.has_host_read:
                fd, path = tempfile.mkstemp(suffix=".py", prefix="micronn-script-")
                try:
                    with os.fdopen(fd, "wb") as f:
                        f.write(data)
                    boot = "exec(compile(__import__('_micronn').host_read(%r), %r, 'exec'))" % (path, name)
                    return self._exec_raw(boot.encode(), timeout)
                finally:
                    os.unlink(path)
        return self._exec_raw(data, timeout)

    def _exec_raw(self, data, timeout):
        """Send a script over the UART. Raw REPL reply: OK, stdout, 0x04, stderr, 0x04, >."""
        deadline = time.monotonic() + timeout
        writer = self._write_async(data + b"\x04")
        parts = []
        for marker in (b"OK", b"\x04", b"\x04", b">"):
            got = self._read_until(marker, deadline)
            if got is None:
                writer.join(timeout=1)
                self.buf = b"".join(parts[1:]) + self.buf
                return self.rc, self.failure("script did not finish")
            parts.append(got)
        writer.join(timeout=1)
        out, err = parts[1][:-1], parts[2][:-1]
        text = (out + err).decode(errors="replace").replace("\r\n", "\n")
        return (1 if err else 0), text


def main(argv=None):
    import argparse

    p = argparse.ArgumentParser(prog="python -m host_tools.device.boards",
                                description="Run MicroPython scripts on a micronn firmware board.")
    p.add_argument("board", choices=sorted(BOARDS))
    p.add_argument("scripts", nargs="+")
    p.add_argument("--timeout", type=float, default=600)
    p.add_argument("--cwd", help="working directory (semihosting paths are relative to it)")
    a = p.parse_args(argv)
    rc = 0
    for script, (r, out) in zip(a.scripts, run_scripts(a.board, [Path(s) for s in a.scripts],
                                                        timeout=a.timeout, cwd=a.cwd)):
        if len(a.scripts) > 1:
            print("== %s (rc %d)" % (script, r))
        sys.stdout.write(out)
        rc = rc or r
    return 0 if rc == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
