"""Fuzz micronn.load()/run() with mutated model files on the sanitizer firmware, and the
converter with mutated .tflite files.

Device side: seeds are .micronn files converted from generated single-op models
(host_tools/check/modelgen.py), one TFLM-checked case per opcode (tests/host/opcases*.py: every op
micronn runs) and the registry's real models (host_tools/device/models.py). Each case
is a mutation of a seed: truncation, random byte flips (with and without a recomputed crc32, so
that the structural checks are reached), and field-aware mutations of the header, the tensor
table, the op records, the I/O table and the int32 constants (params, multipliers, shifts,
bias), with the file size and crc32 fixed up. Cases are written to a directory and a
MicroPython script loops over them in one firmware process (many processes in parallel): each
case is loaded and run inside try/except and the exception type is printed. The model file and
the arena sit between guard bytes that are checked after every case (the GC heap has no ASan
redzones, so this catches writes past a buffer that ASan cannot see). A process that dies
(signal, sanitizer report) is a crash: the case that was running is saved under
build/fuzz/crashes and the batch resumes after it.

Post-load cases load an intact seed, then change int32 constants (params, multipliers, shifts,
bias) or other constant bytes in the model's buffer, as a user holding the bytearray can, and
run: run() may raise (phase run-post), but nothing may crash or reach undefined behaviour.

Confused cases load an intact seed and call it as users get it wrong: inputs or outputs of the
wrong count or length, arrays and memoryviews of every typecode, non-buffers (None, str, int,
lists), read-only outputs, run() without inputs after a run, `m.state =` of the wrong length or
type, Tensor.write out of range or of another type, view indexes out of range. Each call must
raise ValueError/TypeError/RuntimeError/IndexError, or succeed where it is legal (a buffer of
the tensor's type and size), and the model must give its first result afterwards.

Expected outcome of a case: load() raises ModelError (corrupt file) or MemoryError (arena
larger than the heap), or the model loads and run() completes. Anything else is reported:
other exception types at load ("unexpected"), exceptions from run() of an op that load()
checked ("run-error": a hole in the load-time checks), crashes, hangs, sanitizer reports.

    python -m host_tools.check.fuzz --cases 50000            # make fuzz
    python -m host_tools.check.fuzz --cases 2000 --seed 1    # the CI smoke (tests/host/test_fuzz.py)
    python -m host_tools.check.fuzz --converter --cases 3000 # the converter, in-process
"""

import argparse
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from micronn import fileformat as ff

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build"
ASAN_FIRMWARE = BUILD / "fw" / "unix-asan" / "micropython"
PLAIN_FIRMWARE = BUILD / "fw" / "unix" / "micropython"
CRASH_DIR = BUILD / "fuzz" / "crashes"

SANITIZER_ENV = {
    # The GC scans the C stack conservatively: ASan's fake stacks would hide roots.
    "ASAN_OPTIONS": "detect_leaks=0:detect_stack_use_after_return=0:abort_on_error=0:halt_on_error=1",
    "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1",
}
SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "runtime error:", "ERROR: LeakSanitizer",
                     "AddressSanitizer:DEADLYSIGNAL")

# The MicroPython side: argv[1] = case directory. One line per case:
#   S <name>                     started
#   R <name> <phase> <kind> <message>   finished (phase load|run|ok, kind = exception type)
#   G <name> <which>             guard bytes changed (a write past a buffer)
#   Y|X <name> <call>|<outcome>|<message>   a confused call (X: outcome wrong: accepted where
#                                it must raise, raised where legal, or an unexpected exception kind)
DEVICE_SCRIPT = r"""
import sys, os, struct, micronn
G = 64
D = sys.argv[1]
SKIP = sys.argv[2] if len(sys.argv) > 2 else ""
def guarded(n):
    b = bytearray(n + 2 * G)
    for i in range(G):
        b[i] = 0xA5
        b[n + G + i] = 0x5A
    return b
def intact(b, n):
    for i in range(G):
        if b[i] != 0xA5 or b[n + G + i] != 0x5A:
            return False
    return True
OK_KINDS = ("ValueError", "TypeError", "RuntimeError", "IndexError")
def call(name, label, want, f):
    # want: "r" must raise (one of OK_KINDS), "o" must succeed, "a" either
    try:
        f()
        got = "ok"
    except Exception as e:
        got = type(e).__name__
        msg = str(e).replace("\n", " ")[:100]
    if got == "ok":
        bad = want == "r"
        msg = "accepted"
    else:
        bad = want == "o" or got not in OK_KINDS
    print("X" if bad else "Y", name, label + "|" + got + "|" + (msg if bad else "-"))
TYPES = "bBhHiIqQfd"
def legal(tc, want):
    kind = lambda c: 2 if c in "fd" else c >= "a"
    return kind(tc) == kind(want) and struct.calcsize(tc) == struct.calcsize(want)
def zeros(k):  # k raw bytes (bytearray(0) itself is UB in MicroPython: memset of its NULL items)
    return memoryview(bytearray(k + 1))[:k]
def confused(name, m, ins):
    # Calls a user gets wrong, on a loaded model: each raises a Python exception naming what
    # it wanted (or succeeds where legal); then the model still gives its first result.
    from array import array
    # (array(t, bytearray) takes the raw bytes on both Pythons; array(t, bytes) iterates on MicroPython)
    ins = [v if info.itemsize == 1 else array(info.typecode, v) for v, info in zip(ins, m.inputs)]
    m.reset()
    y0 = [bytes(v) for v in m.run(ins)] if len(m.outputs) > 1 else [bytes(m.run(ins))]
    n_in, n_out = len(m.inputs), len(m.outputs)
    def with_input(i, x):
        return [x if k == i else v for k, v in enumerate(ins)] if n_in > 1 else x
    call(name, "count+1", "r", lambda: m.run(ins + [ins[0]]))
    call(name, "count0", "r", lambda: m.run([]))
    if n_in > 1:
        call(name, "count-1", "r", lambda: m.run(ins[:-1]))
        call(name, "one for many", "r", lambda: m.run(ins[0]))
    for i, info in enumerate(m.inputs):
        n, tc = info.nbytes, info.typecode
        raw = bytes(ins[i])  # the values the model ran on (zeros may be refused: a divisor of 0)
        call(name, "in%d short" % i, "r", lambda: m.run(with_input(i, zeros(n - 1))))
        call(name, "in%d long" % i, "r", lambda: m.run(with_input(i, zeros(n + 1))))
        call(name, "in%d empty" % i, "r", lambda: m.run(with_input(i, b"")))
        for t in TYPES:
            sz = struct.calcsize(t)
            k = max(1, n // sz)
            a = array(t, bytearray(raw if k * sz == n else k * sz))
            ok = legal(t, tc) and k * sz == n
            untyped = t == "B" and info.itemsize == 1 and k * sz == n  # a memoryview of bytes is raw data
            call(name, "in%d array %s" % (i, t), "o" if ok else "r", lambda: m.run(with_input(i, a)))
            call(name, "in%d mv %s" % (i, t), "o" if ok or untyped else "r", lambda: m.run(with_input(i, memoryview(a))))
            if k > 1:
                call(name, "in%d mv[1:] %s" % (i, t), "r", lambda: m.run(with_input(i, memoryview(a)[1:])))
        big = bytearray(n + 8)
        big[3:3 + n] = raw
        call(name, "in%d raw slice" % i, "o" if info.itemsize == 1 else "r",
             lambda: m.run(with_input(i, memoryview(big)[3:3 + n])))
        if hasattr(memoryview(big), "cast"):  # CPython only
            call(name, "in%d cast" % i, "o" if n % 4 == 0 and legal("i", tc) else "r",
                 lambda: m.run(with_input(i, memoryview(big)[3:3 + n].cast("B").cast("i"))))
        for label, x in (("None", None), ("str", "a" * n), ("int", 5), ("floats", [0.5] * n),
                         ("ints", [0] * n), ("dict", {})):
            call(name, "in%d %s" % (i, label), "r", lambda: m.run(with_input(i, x) if n_in > 1 or label != "None" else [x]))
    outs = [bytearray(len(m.output_view(i))) if o.itemsize == 1 else array(o.typecode, bytearray(o.nbytes))
            for i, o in enumerate(m.outputs)]
    def with_output(i, x):
        return [x if k == i else v for k, v in enumerate(outs)] if n_out > 1 else x
    call(name, "out count+1", "r", lambda: m.run(ins, outs + [outs[0]]))
    for i, info in enumerate(m.outputs):
        n, tc = info.nbytes, info.typecode
        call(name, "out%d short" % i, "r", lambda: m.run(ins, with_output(i, zeros(max(0, n - 1)))))
        call(name, "out%d read-only" % i, "r", lambda: m.run(ins, with_output(i, bytes(n))))
        call(name, "out%d read-only mv" % i, "r", lambda: m.run(ins, with_output(i, memoryview(bytes(n)))))
        call(name, "out%d str" % i, "r", lambda: m.run(ins, with_output(i, "a" * n)))
        call(name, "out%d None" % i, "r" if n_out > 1 else "o", lambda: m.run(ins, [None] * n_out if n_out > 1 else None))
        for t in TYPES:
            sz = struct.calcsize(t)
            k = max(1, n // sz)
            ok = legal(t, tc) and k * sz == n
            call(name, "out%d array %s" % (i, t), "o" if ok else "r",
                 lambda: m.run(ins, with_output(i, array(t, bytearray(k * sz)))))
    call(name, "run again", "a", lambda: (m.run(ins), m.run()))  # RuntimeError where inputs are reused
    st = m.state
    call(name, "state long", "r", lambda: setattr(m, "state", st + b"x"))
    if st:
        call(name, "state short", "r", lambda: setattr(m, "state", st[1:]))
    call(name, "state str", "r", lambda: setattr(m, "state", "x" * len(st)))
    call(name, "state None", "r", lambda: setattr(m, "state", None))
    call(name, "state h", "r", lambda: setattr(m, "state", array("h", [0] * (len(st) // 2 + 1))))
    call(name, "state ok", "o", lambda: setattr(m, "state", st))
    call(name, "view in", "r", lambda: m.input_view(n_in))
    call(name, "view in -", "r", lambda: m.input_view(-n_in - 1))
    call(name, "view in str", "r", lambda: m.input_view("0"))
    call(name, "view out", "r", lambda: m.output_view(n_out))
    for k, info in enumerate(m.inputs[:1]):
        dts = ("int8", "uint8", "int16", "int32", "float32")
        dt = dts.index(info.dtype) if info.dtype in dts else 0
        ts = micronn.Tensor(memoryview(bytearray(8 * struct.calcsize("bBhif"[dt]))), dt, (8,), 1.0, 0, index=k)
        tc = ts.typecode
        for label, want, v in (("range", "r" if tc != "f" else "o", [1 << 40] * 8), ("short", "r", [0] * 7),
                               ("long", "r", [0] * 9), ("str", "r", "abcdefgh"), ("None", "r", None),
                               ("int", "r", 3), ("ok", "o", [1] * 8), ("ok array", "o", array(tc, [1] * 8))):
            call(name, "write %s %s" % (info.dtype, label), want, lambda: ts.write(v))
        for t in TYPES:
            if t != tc:
                call(name, "write %s array %s" % (info.dtype, t), "r", lambda: ts.write(array(t, [1] * 8)))
    m.reset()
    y1 = [bytes(v) for v in m.run(ins)] if len(m.outputs) > 1 else [bytes(m.run(ins))]
    print("Y" if y1 == y0 else "X", name, "same result after|" + ("ok" if y1 == y0 else "changed") + "|-")
names = sorted(n for n in os.listdir(D) if not n.endswith(".post"))
go = not SKIP
for name in names:
    if not go:
        go = name == SKIP
        continue
    print("S", name)
    with open(D + "/" + name, "rb") as f:
        data = f.read()
    n = len(data)
    fb = guarded(n)
    fb[G:G + n] = data
    data = None
    arena = struct.unpack_from("<I", fb, G + 24)[0] if n >= 28 else 0
    ab = guarded(arena) if 0 < arena <= 4 << 20 else None
    phase = "load"
    try:
        m = micronn.load(memoryview(fb)[G:G + n],
                         arena=None if ab is None else memoryview(ab)[G:G + arena])
        phase = "run-unchecked" if m._unchecked else "run"
        if hasattr(m, "while_limit"):  # a mutated WHILE may loop long: stop it early
            m.while_limit = 1000
        try:  # a post-load mutation: the model's bytes change after load() checked them
            with open(D + "/" + name + ".post", "rb") as f:
                post = f.read()
        except OSError:
            post = b""
        for k in range(0, len(post) - 7, 8):
            off, val = struct.unpack_from("<Ii", post, k)
            struct.pack_into("<i", fb, G + off, val)
        if post:
            phase = "run-post"
        ins = []
        for i in range(len(m.inputs)):
            v = bytearray(len(m.input_view(i)))
            for j in range(len(v)):
                v[j] = (j * 37 + 11) & 0xFF
            ins.append(v)
        for _ in range(2):  # (run() without inputs after a run refuses reused inputs)
            for i, v in enumerate(ins):
                m.input_view(i)[:] = v
            m.run()
        if "-confused" in name:
            phase = "confused"
            confused(name, m, ins)
        print("R", name, "ok", "-", "-")
    except Exception as e:
        msg = str(e).replace("\n", " ")[:120]
        print("R", name, phase, type(e).__name__, msg)
    m = None
    if not intact(fb, n):
        print("G", name, "file")
    if ab is not None and not intact(ab, arena):
        print("G", name, "arena")
"""


# ---------------------------------------------------------------------------- seeds

def generated_seeds():
    """Single-op models covering every kernel option that changes how buffers are indexed."""
    import numpy as np

    from .. import convert
    from . import modelgen

    def rng(k):
        return np.random.default_rng(1000 + k)

    makers = [
        lambda r: modelgen.fully_connected(r, 1, 16, 8),
        lambda r: modelgen.fully_connected(r, 3, 10, 5, per_channel=True, bias=False, activation="RELU"),
        lambda r: modelgen.conv_2d(r),
        lambda r: modelgen.conv_2d(r, height=9, width=7, in_channels=2, out_channels=3, kernel=(3, 2),
                                   strides=(2, 2), padding="SAME", activation="RELU6"),
        lambda r: modelgen.conv_2d(r, height=6, width=6, kernel=(3, 3), dilation=(2, 2), padding="SAME"),
        lambda r: modelgen.depthwise_conv_2d(r),
        lambda r: modelgen.depthwise_conv_2d(r, in_channels=2, depth_multiplier=3, strides=(2, 1),
                                             padding="SAME"),
        lambda r: modelgen.average_pool_2d(r),
        lambda r: modelgen.average_pool_2d(r, height=7, width=5, filter_size=(3, 3), strides=(2, 2),
                                           padding="SAME"),
        lambda r: modelgen.max_pool_2d(r, filter_size=(3, 2), strides=(1, 2), padding="SAME"),
        lambda r: modelgen.add(r),
        lambda r: modelgen.add(r, shape1=(1, 4, 4, 8), shape2=(1, 1, 1, 8), activation="RELU"),
        lambda r: modelgen.add(r, shape1=(2, 1, 3, 1), shape2=(1, 5, 1, 4)),
        lambda r: modelgen.softmax(r, shape=(3, 10)),
        lambda r: modelgen.quantize(r),
        lambda r: modelgen.quantize(r, input_dtype=np.int8),
        lambda r: modelgen.dequantize(r),
        lambda r: modelgen.reshape(r),
    ]
    out = []
    for k, make in enumerate(makers):
        try:
            out.append(("gen%02d" % k, convert.convert(make(rng(k))).serialize()))
        except TypeError:  # a generator option this modelgen does not have: skip that seed
            continue
    return out


def opcase_seeds(max_bytes=16384):
    """One seed per opcode: for each micronn opcode, the smallest converted TFLM-checked case of
    tests/host/opcases*.py that has it (the cases live with the tests; a checkout has them)."""
    cases_dir = ROOT / "tests" / "host"
    if not (cases_dir / "opcases.py").exists():
        return []
    from .. import convert

    sys.path.insert(0, str(cases_dir))
    try:
        import opcases
    finally:
        sys.path.remove(str(cases_dir))
    best = {}
    for name, model, _ in opcases.CASES:
        try:
            data = convert.convert(model).serialize()
        except Exception:  # a case the converter refuses on purpose
            continue
        if len(data) > max_bytes:
            continue
        lay = Layout(data)
        for pos, _, _, _ in lay.ops:
            code = struct.unpack_from("<H", data, pos)[0]
            if code not in best or len(data) < len(best[code][1]):
                best[code] = (name, data)
    seeds, seen = [], set()
    for code in sorted(best):
        name, data = best[code]
        if name not in seen:
            seen.add(name)
            seeds.append(("op%d" % code, data))
    return seeds


REAL_MODELS = ("ad01_int8", "hello_world_int8", "micro_speech_quantized", "simple_add_model", "audio_preprocessor_int8",
               "kws_ref_model")


def real_seeds(names=REAL_MODELS):
    from .. import convert
    from ..device import models

    out = []
    for name in names:
        try:
            src = models.fetch(name, quiet=True).read_bytes()
            out.append((name, convert.convert(src).serialize()))
        except Exception as e:  # noqa: BLE001 - a model this checkout cannot convert is skipped
            print("fuzz: seed %s skipped (%s)" % (name, e), file=sys.stderr)
    return out


# ---------------------------------------------------------------------------- mutations

HEADER_FIELDS = [  # (offset, struct format) after magic
    (4, "<H"), (6, "<H"), (8, "<I"), (16, "<H"), (18, "<H"), (20, "<H"), (22, "<H"), (24, "<I"),
    (28, "<I"), (32, "<I"), (36, "<I"), (40, "<I"), (44, "<I"),
]
TENSOR_FIELDS = [(0, "<B"), (1, "<B"), (2, "<B"), (3, "<B"), (4, "<I"), (8, "<I")] + \
    [(12 + 4 * k, "<i") for k in range(6)] + [(36, "<f"), (40, "<i")]


def _limits(fmt):
    c = fmt[-1]
    bits = {"B": 8, "H": 16, "I": 32, "i": 32}[c] if c != "f" else 32
    signed = c == "i"
    return bits, signed


def interesting(rnd, old, fmt, ctx):
    """A new value for a field: boundaries, neighbours of the old value, sizes from the file."""
    if fmt.endswith("f"):
        return rnd.choice([0.0, -1.0, float("nan"), float("inf"), 1e-45, 3.4e38, old * 2, old / 3])
    bits, signed = _limits(fmt)
    lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    cands = [0, 1, 2, 3, 4, 7, 8, 15, 16, 17, 127, 128, 255, 256, 0x7FFF, 0x8000, 0xFFFF, 0x10000,
             0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, -1, -2, -128, -129, -0x8000, -0x80000000,
             old + 1, old - 1, old + 4, old - 4, old + 16, old - 16, old * 2, old // 2, old ^ (1 << rnd.randrange(bits)),
             ctx["size"], ctx["size"] - 1, ctx["size"] + 1, ctx["arena"], ctx["arena"] + 1,
             rnd.randrange(lo, hi + 1)]
    v = rnd.choice(cands)
    if signed:
        v = ((v - lo) % (1 << bits)) + lo
    else:
        v %= 1 << bits
    return v


class Layout:
    """Where the fields of a seed file are (parsed once per seed on the host)."""

    def __init__(self, data):
        h = struct.unpack_from(ff.HEADER_FMT, data, 0)
        (_, _, _, self.size, _, self.n_t, self.n_ops, self.n_in, self.n_out, self.arena,
         self.t_off, self.ops_off, self.io_off, self.data_off, self.names_off) = h
        self.tensors = [struct.unpack_from(ff.TENSOR_FMT, data, self.t_off + i * ff.TENSOR_SIZE)
                        for i in range(self.n_t)]
        self.ops = []  # (position, n_in, n_out)
        pos = self.ops_off
        for _ in range(self.n_ops):
            _, nin, nout, rsize = struct.unpack_from(ff.OP_FMT, data, pos)
            self.ops.append((pos, nin, nout, rsize))
            pos += rsize
        # int32 constants (params, multipliers, shifts, bias): (offset, nbytes)
        self.int32_consts = [(t[4], t[5]) for t in self.tensors if t[2] == ff.KIND_CONST and t[0] == 3]
        self.consts = [(t[4], t[5]) for t in self.tensors if t[2] == ff.KIND_CONST and t[5]]


def fixup(buf):
    """Make the header's file size and crc32 match the (mutated) bytes."""
    if len(buf) >= 16:
        struct.pack_into("<I", buf, 8, len(buf))
        struct.pack_into("<I", buf, 12, zlib.crc32(bytes(buf[16:])) & 0xFFFFFFFF)
    return buf


def _set(buf, off, fmt, value):
    if off + struct.calcsize(fmt) <= len(buf):
        try:
            struct.pack_into(fmt, buf, off, value)
        except OverflowError:  # a float beyond float32
            struct.pack_into(fmt, buf, off, float("inf"))


def _get(buf, off, fmt):
    return struct.unpack_from(fmt, buf, off)[0]


def _m_header(rnd, buf, lay, ctx):
    off, fmt = rnd.choice(HEADER_FIELDS)
    _set(buf, off, fmt, interesting(rnd, _get(buf, off, fmt), fmt, ctx))


def _m_tensor(rnd, buf, lay, ctx):
    if not lay.n_t:
        return _m_header(rnd, buf, lay, ctx)
    base = lay.t_off + rnd.randrange(lay.n_t) * ff.TENSOR_SIZE
    off, fmt = rnd.choice(TENSOR_FIELDS)
    _set(buf, base + off, fmt, interesting(rnd, _get(buf, base + off, fmt), fmt, ctx))


def _m_reshape(rnd, buf, lay, ctx):
    """Change a tensor's shape and byte size together, so that it passes the tensor checks and
    reaches the op checks (and kernels) with a different size."""
    if not lay.n_t:
        return
    i = rnd.randrange(lay.n_t)
    base = lay.t_off + i * ff.TENSOR_SIZE
    dtype, ndim = buf[base], buf[base + 1]
    if dtype > 6 or ndim == 0 or ndim > 6:
        return
    dims = list(struct.unpack_from("<6i", buf, base + 12))
    k = rnd.randrange(ndim)
    dims[k] = min(max(0, rnd.choice([dims[k] + 1, dims[k] - 1, dims[k] * 2, dims[k] // 2, 0, 1,
                                     rnd.randrange(64)])), 0x7FFFFFFF)
    n = 1
    for d in dims[:ndim]:
        n *= d
    item = (1, 1, 2, 4, 4, 4, 8)[dtype]
    struct.pack_into("<6i", buf, base + 12, *dims)
    struct.pack_into("<I", buf, base + 8, (n * item) & 0xFFFFFFFF)


def _m_op(rnd, buf, lay, ctx):
    if not lay.ops:
        return _m_header(rnd, buf, lay, ctx)
    pos, nin, nout, rsize = rnd.choice(lay.ops)
    fields = [(0, "<H"), (2, "<B"), (3, "<B"), (4, "<H")] + [(6 + 2 * k, "<H") for k in range(nin + nout)]
    off, fmt = rnd.choice(fields)
    if off >= 6 and rnd.random() < 0.6:  # point an argument at another tensor (or none)
        _set(buf, pos + off, fmt, rnd.choice([rnd.randrange(max(1, lay.n_t)), 0xFFFF, lay.n_t]))
    elif off == 0 and rnd.random() < 0.6:  # another kernel with the same record
        _set(buf, pos, fmt, rnd.choice([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0x7FFF] + list(range(20, 120))))
    else:
        _set(buf, pos + off, fmt, interesting(rnd, _get(buf, pos + off, fmt), fmt, ctx))


def _m_io(rnd, buf, lay, ctx):
    n = lay.n_in + lay.n_out
    if not n:
        return _m_header(rnd, buf, lay, ctx)
    off = lay.io_off + 2 * rnd.randrange(n)
    _set(buf, off, "<H", rnd.choice([rnd.randrange(max(1, lay.n_t)), lay.n_t, 0xFFFF]))


def _m_params(rnd, buf, lay, ctx):
    """An int32 of a params/multiplier/shift/bias constant."""
    consts = lay.int32_consts or lay.consts
    if not consts:
        return _m_header(rnd, buf, lay, ctx)
    off, nbytes = rnd.choice(consts)
    if nbytes < 4:
        return
    at = off + 4 * rnd.randrange(nbytes // 4)
    _set(buf, at, "<i", interesting(rnd, _get(buf, at, "<i"), "<i", ctx))


def _m_bytes(rnd, buf, lay, ctx):
    for _ in range(rnd.choice([1, 1, 2, 4, 8])):
        i = rnd.randrange(len(buf))
        buf[i] = rnd.choice([buf[i] ^ (1 << rnd.randrange(8)), rnd.randrange(256), 0, 0xFF])


STRUCTURED = [(_m_header, 2), (_m_tensor, 4), (_m_reshape, 2), (_m_op, 4), (_m_io, 1), (_m_params, 4),
              (_m_bytes, 2)]


def post_load(rnd, lay, ctx):
    """Patches applied after load() checked the file (a model in a bytearray the user changes):
    [(offset, int32)] into the int32 constants (params, multipliers, shifts, bias) or any
    constant's bytes. Nothing run() then does may be undefined behaviour."""
    consts = lay.int32_consts if lay.int32_consts and rnd.random() < 0.8 else lay.consts
    patches = []
    for _ in range(rnd.choice([1, 1, 2, 4])):
        if not consts:
            break
        off, nbytes = rnd.choice(consts)
        if nbytes < 4:
            continue
        at = off + 4 * rnd.randrange(nbytes // 4)
        patches.append((at, interesting(rnd, 0, "<i", ctx)))
    return patches


def mutate(rnd, data, lay):
    """One case from a seed: (kind, bytes, post-load patches)."""
    ctx = {"size": len(data), "arena": lay.arena}
    r = rnd.random()
    buf = bytearray(data)
    if r >= 0.93:  # intact, then called as users get it wrong (the device script's confused())
        return "confused", data, []
    if r >= 0.85:  # intact, then changed after load()
        patches = post_load(rnd, lay, ctx)
        if patches:
            return "post-load", data, patches
    if r < 0.05:  # truncated, header untouched: the file size check
        return "truncate", bytes(buf[:rnd.randrange(len(buf))]), []
    if r < 0.12:  # truncated with a consistent header: the table bounds checks
        cut = rnd.randrange(16, len(buf))
        return "truncate-fix", bytes(fixup(buf[:cut])), []
    if r < 0.17:  # random flips, crc kept: the checksum
        _m_bytes(rnd, buf, lay, ctx)
        return "flip", bytes(buf), []
    if r < 0.20:  # grown
        buf += bytes(rnd.randrange(1, 64))
        return "extend-fix", bytes(fixup(buf)), []
    funcs = [f for f, w in STRUCTURED for _ in range(w)]
    n = rnd.choice([1, 1, 1, 2, 3])
    for _ in range(n):
        rnd.choice(funcs)(rnd, buf, lay, ctx)
    return ("multi-fix" if n > 1 else "field-fix"), bytes(fixup(buf)), []


# ---------------------------------------------------------------------------- running

class Report:
    def __init__(self):
        self.cases = 0
        self.outcomes = Counter()  # (phase, kind)
        self.crashes = []  # (case name, reason, saved path)
        self.sanitizer = 0
        self.hangs = 0
        self.guards = 0
        self.messages = Counter()  # (phase, kind, message) examples
        self.mutations = Counter()
        self.confused = Counter()  # confused calls by outcome (exception kind or "ok")
        self.confused_bad = []  # (case, call, outcome, message): accepted where it must raise, ...

    @property
    def bad(self):
        """Outcomes that are failures: crashes, sanitizer reports, hangs, guard hits,
        exceptions at load other than ModelError/MemoryError, any exception in run()."""
        odd = sum(c for (phase, kind), c in self.outcomes.items()
                  if (phase == "load" and kind not in ("ModelError", "MemoryError")) or phase in ("run", "confused"))
        return len(self.crashes) + self.hangs + self.guards + odd + len(self.confused_bad)

    def summary(self):
        lines = ["fuzz: %d cases" % self.cases]
        lines.append("  mutations: " + ", ".join("%s %d" % kv for kv in sorted(self.mutations.items())))
        ok = self.outcomes.get(("ok", "-"), 0)
        lines.append("  loaded and ran: %d" % ok)
        rej = sorted(((k, c) for k, c in self.outcomes.items() if k[0] != "ok"), key=lambda kc: -kc[1])
        lines.append("  rejections by exception kind (phase: load; run = ops checked at load;"
                     " run-unchecked = ops only their bindings check):")
        for (phase, kind), c in rej:
            lines.append("    %-13s %-20s %d" % (phase, kind, c))
        lines.append("  confused calls (wrong count, length, typecode, non-buffers, bad out/state/write/view): "
                     "%d: %s; wrong outcomes: %d" % (sum(self.confused.values()), ", ".join(
                         "%s %d" % kv for kv in sorted(self.confused.items())), len(self.confused_bad)))
        for case, label, got, msg in self.confused_bad[:20]:
            lines.append("    confused %s: %s -> %s %s" % (case, label, got, msg))
        lines.append("  crashes: %d" % len(self.crashes))
        lines.append("  sanitizer reports: %d" % self.sanitizer)
        lines.append("  hangs: %d" % self.hangs)
        lines.append("  guard-byte hits: %d" % self.guards)
        for name, reason, path in self.crashes[:20]:
            lines.append("    crash %s: %s (%s)" % (name, reason, path))
        odd = [(k, c) for k, c in self.messages.items()
               if (k[0] == "load" and k[1] not in ("ModelError", "MemoryError")) or k[0] in ("run", "confused")]
        for (phase, kind, msg), c in sorted(odd, key=lambda kc: -kc[1])[:20]:
            lines.append("    %s %s x%d: %s" % (phase, kind, c, msg))
        return "\n".join(lines)


def _env():
    env = dict(os.environ)
    env.update(SANITIZER_ENV)
    return env


def run_batch(firmware, case_dir, names, timeout, report, script_path):
    """Run the cases of `case_dir` in as many firmware processes as crashes need."""
    done = set()
    skip = ""
    while True:
        cmd = [str(firmware), "-X", "heapsize=16M", str(script_path), str(case_dir)] + ([skip] if skip else [])
        started = None
        try:
            p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(),
                               timeout=timeout, stdin=subprocess.DEVNULL)
            out, err, rc, hung = p.stdout, p.stderr, p.returncode, False
        except subprocess.TimeoutExpired as e:
            out, err, rc, hung = e.stdout or b"", e.stderr or b"", -9, True
        text = out.decode(errors="replace")
        errt = err.decode(errors="replace")
        for line in text.splitlines():
            parts = line.split(" ", 5)
            if parts[0] == "S" and len(parts) > 1:
                started = parts[1]
            elif parts[0] == "R" and len(parts) >= 4:
                name, phase, kind = parts[1], parts[2], parts[3]
                done.add(name)
                started = None
                report.cases += 1
                report.outcomes[phase, kind] += 1
                msg = parts[4] + (" " + parts[5] if len(parts) > 5 else "") if len(parts) > 4 else ""
                report.messages[phase, kind, msg[:100]] += 1
            elif parts[0] in ("X", "Y") and len(parts) >= 3:  # a confused call: X when its outcome is wrong
                label_got = line.split(" ", 2)[2].split("|", 2)
                if len(label_got) == 3:
                    report.confused[label_got[1]] += 1
                    if parts[0] == "X":
                        report.confused_bad.append((parts[1], label_got[0], label_got[1], label_got[2]))
            elif parts[0] == "G" and len(parts) > 2:
                report.guards += 1
                report.crashes.append((parts[1], "guard bytes of the %s overwritten" % parts[2],
                                       _save(case_dir, parts[1])))
        sanit = any(m in errt for m in SANITIZER_MARKERS)
        if started is None and rc == 0 and not sanit:
            return
        if started is None:  # died outside a case (startup, or after the last one)
            if rc != 0 or sanit:
                report.crashes.append(("<batch %s>" % case_dir.name, "rc %d: %s" % (rc, errt[-300:]), ""))
                report.sanitizer += sanit
            return
        report.cases += 1
        if hung:
            report.hangs += 1
            report.crashes.append((started, "hang (> %g s batch timeout)" % timeout, _save(case_dir, started)))
        else:
            report.sanitizer += sanit
            reason = "sanitizer: " + _first_report(errt) if sanit else "rc %d %s" % (rc, errt[-200:].strip())
            report.crashes.append((started, reason, _save(case_dir, started)))
        rest = [n for n in names if n > started]
        if not rest:
            return
        skip = started


def _first_report(err):
    for line in err.splitlines():
        if any(m in line for m in SANITIZER_MARKERS):
            return line.strip()[:200]
    return err.strip()[:200]


def _save(case_dir, name):
    CRASH_DIR.mkdir(parents=True, exist_ok=True)
    dest = CRASH_DIR / name
    try:
        shutil.copyfile(case_dir / name, dest)
        if (case_dir / (name + ".post")).exists():  # its post-load patches
            shutil.copyfile(case_dir / (name + ".post"), CRASH_DIR / (name + ".post"))
    except OSError:
        return ""
    return str(dest)


def fuzz(n_cases, seed=0, firmware=None, batch=400, jobs=None, timeout=300, seeds=None, verbose=True):
    """Generate and run `n_cases` mutated models; returns a Report."""
    firmware = Path(firmware) if firmware else (ASAN_FIRMWARE if ASAN_FIRMWARE.exists() else PLAIN_FIRMWARE)
    if not firmware.exists():
        raise FileNotFoundError("no firmware at %s: run `make fw-unix-asan`" % firmware)
    t0 = time.monotonic()
    seeds = seeds if seeds is not None else generated_seeds() + opcase_seeds() + real_seeds()
    layouts = [(name, data, Layout(data)) for name, data in seeds]
    # Small models are cheap: weight the real (larger) ones down.
    weights = [1.0 if len(d) < 4096 else 0.3 for _, d, _ in layouts]
    rnd = random.Random(seed)
    report = Report()
    jobs = jobs or max(1, os.cpu_count() or 1)
    if verbose:
        print("fuzz: %d seeds, firmware %s, %d cases in batches of %d, %d jobs" % (
            len(seeds), firmware.relative_to(ROOT) if firmware.is_relative_to(ROOT) else firmware,
            n_cases, batch, jobs), flush=True)
    with tempfile.TemporaryDirectory(prefix="micronn-fuzz-") as tmp:
        tmp = Path(tmp)
        script = tmp / "fuzz_device.py"
        script.write_text(DEVICE_SCRIPT)
        dirs = []
        k = 0
        while k < n_cases:
            d = tmp / ("b%04d" % len(dirs))
            d.mkdir()
            names = []
            for _ in range(min(batch, n_cases - k)):
                sname, data, lay = rnd.choices(layouts, weights)[0]
                kind, case, patches = mutate(rnd, data, lay)
                report.mutations[kind] += 1
                name = "c%06d-%s-%s" % (k, sname, kind)
                (d / name).write_bytes(case)
                if patches:
                    (d / (name + ".post")).write_bytes(b"".join(struct.pack("<Ii", o, v) for o, v in patches))
                names.append(name)
                k += 1
            dirs.append((d, sorted(names)))

        def one(item):
            sub = Report()
            run_batch(firmware, item[0], item[1], timeout, sub, script)
            return sub

        with ThreadPoolExecutor(jobs) as ex:
            for i, sub in enumerate(ex.map(one, dirs)):
                report.cases += sub.cases
                report.outcomes.update(sub.outcomes)
                report.messages.update(sub.messages)
                report.crashes += sub.crashes
                report.sanitizer += sub.sanitizer
                report.hangs += sub.hangs
                report.guards += sub.guards
                report.confused.update(sub.confused)
                report.confused_bad += sub.confused_bad
                if verbose and (i + 1) % 10 == 0:
                    print("fuzz: %d/%d cases, %d crashes, %.0f s" % (
                        report.cases, n_cases, len(report.crashes), time.monotonic() - t0), flush=True)
    report.seconds = time.monotonic() - t0
    report.firmware = firmware
    return report


# ---------------------------------------------------------------------------- converter

def converter_seeds():
    import numpy as np

    from . import modelgen

    r = np.random.default_rng(7)
    out = [modelgen.fully_connected(r, 1, 8, 4), modelgen.conv_2d(r), modelgen.depthwise_conv_2d(r),
           modelgen.average_pool_2d(r), modelgen.add(r), modelgen.softmax(r), modelgen.quantize(r),
           modelgen.reshape(r)]
    try:
        from ..device import models

        out.append(models.fetch("ad01_int8", quiet=True).read_bytes())
    except Exception:  # noqa: BLE001
        pass
    return out


def _mutate_tflite(rnd, data):
    buf = bytearray(data)
    r = rnd.random()
    if r < 0.2:
        return bytes(buf[:rnd.randrange(len(buf))])
    for _ in range(rnd.choice([1, 1, 2, 4, 16])):
        i = rnd.randrange(len(buf))
        if rnd.random() < 0.5 and i + 4 <= len(buf):  # an int32 field (offsets, counts, indices)
            v = rnd.choice([0, 1, 2, 3, 0xFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, rnd.randrange(1 << 32),
                            struct.unpack_from("<I", buf, i & ~3)[0] + rnd.choice([-4, -1, 1, 4])]) & 0xFFFFFFFF
            struct.pack_into("<I", buf, i & ~3, v)
        else:
            buf[i] = rnd.randrange(256)
    return bytes(buf)


def fuzz_converter(n_cases, seed=0, verbose=True, case_timeout=10):
    """Feed mutated .tflite files to convert(): ConvertError is the only accepted failure, and
    a converted file must load. Returns (Counter of outcomes, list of (case, traceback))."""
    import signal
    import traceback

    import micronn

    from .. import convert

    class Slow(Exception):
        pass

    def alarm(signum, frame):
        raise Slow("case took more than %d s" % case_timeout)

    rnd = random.Random(seed)
    seeds = converter_seeds()
    outcomes = Counter()
    bad = []
    old_handler = signal.signal(signal.SIGALRM, alarm)
    try:
        for k in range(n_cases):
            data = _mutate_tflite(rnd, rnd.choice(seeds))
            signal.alarm(case_timeout)
            try:
                c = convert.convert(data)
                out = c.serialize()
            except convert.ConvertError:
                outcomes["ConvertError"] += 1
                continue
            except Slow:
                outcomes["slow"] += 1
                bad.append((k, traceback.format_exc()))
                continue
            except Exception:  # noqa: BLE001 - the failure being looked for
                outcomes["unexpected"] += 1
                bad.append((k, traceback.format_exc()))
                continue
            finally:
                signal.alarm(0)
            _check_converted(micronn, out, k, outcomes, bad)
    finally:
        signal.signal(signal.SIGALRM, old_handler)
    if verbose:
        print("converter fuzz: %d cases: %s" % (n_cases, dict(outcomes)))
        for k, tb in bad[:5]:
            print("case %d:\n%s" % (k, tb))
    return outcomes, bad


def _check_converted(micronn, out, k, outcomes, bad):
    """A file the converter wrote must load."""
    try:
        micronn.load(out)
        outcomes["converted+loaded"] += 1
    except (micronn.ModelError, MemoryError) as e:
        outcomes["converted, load rejected"] += 1
        bad.append((k, "converted file rejected by load(): %s" % e))


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m host_tools.check.fuzz", description=__doc__.split("\n\n")[0])
    p.add_argument("--cases", type=int, default=50000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--firmware", help="unix firmware (default: build/fw/unix-asan/micropython)")
    p.add_argument("--batch", type=int, default=400, help="cases per firmware process")
    p.add_argument("--jobs", type=int, default=None)
    p.add_argument("--converter", action="store_true", help="fuzz the converter instead (in-process)")
    p.add_argument("--converter-cases", type=int, default=0, help="also fuzz the converter with N cases")
    a = p.parse_args(argv)
    rc = 0
    if not a.converter:
        rep = fuzz(a.cases, seed=a.seed, firmware=a.firmware, batch=a.batch, jobs=a.jobs)
        print(rep.summary())
        print("fuzz: %.0f s (%.0f cases/s)" % (rep.seconds, rep.cases / max(rep.seconds, 1e-9)))
        rc = 1 if rep.bad else 0
    if a.converter or a.converter_cases:
        t0 = time.monotonic()
        outcomes, bad = fuzz_converter(a.cases if a.converter else a.converter_cases, seed=a.seed)
        print("converter fuzz: %.0f s, %d failures" % (time.monotonic() - t0, len(bad)))
        rc = rc or (1 if bad else 0)
    return rc


if __name__ == "__main__":
    sys.exit(main())
