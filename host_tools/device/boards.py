"""Firmware boards: the table, and running MicroPython scripts on them.

unix runs the unix-port binary; the QEMU boards run firmware.elf in qemu-system-arm
with `-icount shift=0` (one guest instruction per virtual ns, so the tick counter is
deterministic), driving MicroPython's raw REPL over the emulated UART on stdio.
Files the script reads through `_micronn.host_read(path)` (ARM semihosting) are
looked up relative to `cwd`.

RPI_PICO runs firmware.uf2 in the rp2040js emulator (boards/RPI_PICO/emu/run.mjs under node;
`make deps-emu` installs it), the raw REPL over the emulated USB CDC port. The emulator has no
semihosting and does not program flash: the files of `cwd` and the long scripts go into a ROMFS
image placed in the ROMFS partition before boot, mounted at /rom, and the script runs with /rom as
its current directory. Its cycle counter (mcu.core.cycles) is readable at EMU_CYCLES_ADDR.

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
    port: str  # "unix" | "qemu" | "rp2" (emulated)
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
    unit = {"unix": "ns", "qemu": "systick", "rp2": "us"}[row["port"]]
    return Board(name, row["port"], row.get("machine", ""), row["cpu"], int(row["heap"]),
                 10**9 // tick_hz, unit, int(row.get("systick_clock_hz", 0)))


# The boards scripts run on here: the unix firmware (run with `-X heapsize=`, the QEMU boards'
# heap size), the QEMU boards and the rp2 boards that have an emulator (the table's `emulator`).
BOARDS = {name: _board(name, row) for name, row in TABLE.items()
          if row["port"] in ("unix", "qemu") or row.get("emulator")}

QEMU_BOARDS = [b for b, info in BOARDS.items() if info.port == "qemu"]
EMU_BOARDS = [b for b, info in BOARDS.items() if info.port == "rp2"]
# Boards every device test runs on, and those the real models run on (tests/host/conftest.py).
TEST_BOARDS = TABLE_LISTS["MN_TEST_BOARDS"]
MODEL_BOARDS = TABLE_LISTS["MN_MODEL_BOARDS"]
# Emulated boards that run the device scripts and the Tier-1 models (tests/host/conftest.py).
EMU_TEST_BOARDS = TABLE_LISTS.get("MN_EMU_BOARDS", [])


def board_info(board):
    try:
        return BOARDS[board]
    except KeyError:
        raise ValueError("unknown board %r (known: %s)" % (board, ", ".join(BOARDS))) from None


def firmware_path(board):
    info = board_info(board)
    if info.port == "unix":
        return BUILD / "fw" / board / "micropython"
    if info.port == "rp2":
        return BUILD / "fw" / board / "firmware.uf2"
    return BUILD / "fw" / board / "firmware.elf"


# Where the QEMU boards look for a ROMFS image (boards/qemu_common/_mn_boot.py mounts it at /rom
# when it starts with the ROMFS header): RAM that the firmware does not use, preloaded by QEMU's
# loader device, standing in for a memory-mapped flash partition (the table's romfs field).
ROMFS_REGION = {name: tuple(int(v, 0) for v in TABLE[name]["romfs"].split()) for name in QEMU_BOARDS}
# The emulated boards' ROMFS partition in flash (boards/<BOARD>/mpconfigboard.h: below the
# filesystem), where the emulator places the image before boot.
EMU_ROMFS_REGION = {name: tuple(int(v, 0) for v in TABLE[name]["romfs"].split()) for name in EMU_BOARDS}


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


# ---------------------------------------------------------------------------- rp2040js

EMU_DIR = ROOT / "boards" / "RPI_PICO" / "emu"
# The RP2040 boot ROM (rp2040js ships none): ../shared/rp2040/ next to the repository, as the
# models are found (host_tools/device/models.py); MICRONN_RP2040_BOOTROM overrides.
BOOTROM_SHA256 = "90b31e108faedfa6bbcfcc33ba05dac61e645108cfbbdc385f8dafc71fde44ae"
# The emulator's cycle counter (mcu.core.cycles): a 32-bit read returns the low word and latches
# the high word at +4. A hole in the RP2040's APB map that only the emulator answers.
EMU_CYCLES_ADDR = 0x40068000
# Scripts at least this long go into the ROMFS image instead of over the emulated USB.
_EMU_ROMFS_SCRIPT_MIN = 1024


def bootrom_path():
    return Path(os.environ.get("MICRONN_RP2040_BOOTROM", ROOT.parent / "shared" / "rp2040" / "bootrom_b1.bin"))


def _check_emulator():
    import hashlib

    if not (EMU_DIR / "node_modules" / "rp2040js" / "package.json").exists():
        raise RuntimeError("the rp2040js emulator is not installed (%s/node_modules): run `make deps-emu`"
                           % EMU_DIR.relative_to(ROOT))
    rom = bootrom_path()
    if not rom.exists():
        raise RuntimeError("RP2040 boot ROM not found at %s (set MICRONN_RP2040_BOOTROM)" % rom)
    got = hashlib.sha256(rom.read_bytes()).hexdigest()
    if got != BOOTROM_SHA256:
        raise RuntimeError("%s: sha256 %s, expected %s (boot ROM B1)" % (rom, got, BOOTROM_SHA256))


def emu_command(board, firmware=None, romfs=None):
    """The node command line that runs `board`'s firmware.uf2 in rp2040js; `romfs`: an image file
    placed at the board's ROMFS partition."""
    if board_info(board).port != "rp2":
        raise ValueError("%s is not an emulated board" % board)
    _check_emulator()
    cmd = ["node", str(EMU_DIR / "run.mjs"), "--bootrom", str(bootrom_path()),
           "--uf2", str(firmware or firmware_path(board))]
    if romfs is not None:
        addr, size = EMU_ROMFS_REGION[board]
        if os.path.getsize(romfs) > size:
            raise ValueError("%s: ROMFS image of %d bytes, the %s partition holds %d" % (
                romfs, os.path.getsize(romfs), board, size))
        cmd += ["--romfs", str(romfs), "--romfs-addr", "0x%x" % addr]
    return cmd


def emu_romfs_files(cwd=None):
    """[(name, bytes)]: the regular files directly in `cwd` (what the script opens by relative path)."""
    if cwd is None:
        return []
    return [(p.name, p.read_bytes()) for p in sorted(Path(cwd).iterdir()) if p.is_file()]


def _run_emu(board, scripts, timeout, cwd, romfs):
    """Scripts on an emulated board, in one emulator session: the files of `cwd` (or the given
    ROMFS image's) and the long scripts in one ROMFS image, mounted at /rom before each script."""
    from . import romfs as _romfs

    if romfs is not None and cwd is not None and emu_romfs_files(cwd):
        raise ValueError("%s: give either a ROMFS image or a cwd with files, not both" % board)
    files = list(emu_romfs_files(cwd)) if romfs is None else [(n, d) for n, (_off, d) in _romfs.read_image(Path(romfs).read_bytes()).items()]
    names = {n for n, _ in files}
    sources, stored = [], []
    for k, script in enumerate(scripts):
        src = _script_source(script)
        sources.append(src)
        name = None
        if len(src.encode()) >= _EMU_ROMFS_SCRIPT_MIN:
            name = "_mn_script%d.py" % k
            while name in names:
                name = "_" + name
            names.add(name)
            files.append((name, src.encode()))
        stored.append(name)
    _addr, size = EMU_ROMFS_REGION[board]
    results = []
    with tempfile.TemporaryDirectory(prefix="micronn-emu-") as tmp:
        img = None
        if files:
            data, _ = _romfs.build_image(files)
            if len(data) > size:
                raise ValueError("%s: the files (%s) make a ROMFS image of %d bytes; the ROMFS partition "
                                 "holds %d: run fewer at once" % (board, ", ".join(n for n, _ in files), len(data), size))
            img = os.path.join(tmp, "session.romfs")
            with open(img, "wb") as f:
                f.write(data)
        # MicroPython mounts the ROMFS partition at /rom at start-up (py/runtime.c); it becomes the
        # current directory, without names left in the script's globals.
        mount = "__import__('os').chdir('/rom')" if img else None
        session = None
        try:
            for script, src, name in zip(scripts, sources, stored):
                if session is None:
                    session = _EmuRepl(emu_command(board, romfs=img), cwd=cwd)
                    ok = session.enter(timeout=min(timeout, 120))
                else:
                    ok = session.soft_reset(timeout=min(timeout, 120))
                if not ok:
                    results.append((session.rc or -1, session.failure("firmware did not reach the raw REPL")))
                    session.close()
                    session = None
                    continue
                rc, out = (0, "")
                if mount:
                    rc, out = session._exec_raw(mount.encode(), min(timeout, 120))
                if rc == 0:
                    if name is None:
                        rc, out = session._exec_raw(src.encode(), timeout)
                    else:
                        boot = "exec(compile(open(%r).read(), %r, 'exec'))" % ("/rom/" + name, _script_name(script))
                        rc, out = session._exec_raw(boot.encode(), timeout)
                results.append((rc, out))
                if rc < 0:
                    session.close()
                    session = None
        finally:
            if session is not None:
                session.close()
    return results


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
    if info.port == "rp2":
        return _run_emu(board, scripts, timeout, cwd, romfs)
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


class _EmuRepl(_RawRepl):
    """The raw REPL over the emulator's USB CDC port (node's stdio)."""

    def enter(self, timeout):
        # Wait for the friendly REPL's prompt before Ctrl-C/Ctrl-A (a Ctrl-C while the firmware
        # starts would interrupt its boot). The firmware sends nothing until the host sends
        # something: a CR now and then, which the REPL answers with a prompt.
        deadline = time.monotonic() + timeout
        while True:
            self._write(b"\r")
            if self._read_until(b">>> ", min(deadline, time.monotonic() + 1.0)) is not None:
                break
            if self.rc != -1 or time.monotonic() >= deadline:
                return False
            self.rc, self.note = None, ""
        return super().enter(max(1.0, deadline - time.monotonic()))

    def failure(self, what):
        self.note = self.note.replace("QEMU status", "emulator status")
        return super().failure(what)


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
