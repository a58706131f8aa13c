"""Benchmarks: `make bench` / `python -m host_tools.bench`, `micronn bench MODEL --per-layer`.

(a) The nine real models: QEMU instructions per inference and per MAC on M4 (mps2-an386), M3,
    M7 and M55; the unix firmware's host latency next to TFLite Micro's Python interpreter
    measured in the same run (median of several runs; both sides time the same work: inputs
    copied in, one inference, outputs copied out into buffers allocated once: micronn's
    run(ins, outs), TFLM's set_input + invoke + get_output); arena ours vs TFLM's; the firmware
    bytes micronn adds. `--host-only`: the unix and TFLM columns alone.
(b) The 16 MLPerf Tiny layer shapes of ../shared/perf/cmsis-nn-m4.md, each one kernel call
    timed in C around the kernel alone (`_micronn.kernel_timing`: SysTick read before and
    after, as the CMSIS-NN anchor was measured), on M4, M3 and M55 (Helium), next to CMSIS-NN's figures
    (copied as data into models/bench/cmsis_nn_anchor.json) and our plain C reference
    kernels (`_micronn.<op>_ref`, the kernels before optimization) measured in the same run.

(c) TRANSPOSE_CONV and BATCH_MATMUL int8 layer shapes (CONV_LAYERS): each kernel call timed with
    micronn.timeit after a gc.collect() (the Python call and the generated binding's argument
    checks included: about 2,400 instructions), the optimized kernel next to its plain C reference (`_micronn.<op>_ref`), on
    M4 (`--conv-boards` for others), outputs compared.

(d) MobileNetV2 (LARGE_MODELS): one inference on M4, M7 and M55, instructions per MAC, arena next
    to TFLM's (printed after (a)).

(e) UNIDIRECTIONAL_SEQUENCE_LSTM int8, one time step of the LSTM models' layer shapes
    (LSTM_LAYERS), timed as (c): the optimized kernel next to its plain C reference, on M4
    (`--lstm-boards` for others), outputs and state compared.
(f) RP2040 (board RPI_PICO in the rp2040js emulator): emulated cycles (mcu.core.cycles, read by the
    firmware at boards.EMU_CYCLES_ADDR) around one inference of each model, cycles per MAC; the
    16 layer shapes of (b) timed in C (micronn.kernel_ticks: the 1 MHz timer, 125 cycles a tick).
    rp2040js charges every memory access the same: no flash wait states or XIP cache misses, so a
    real Pico, whose code and weights are read from XIP flash, takes more cycles.

Counts under `qemu -icount shift=0` are instructions, not cycles. Results are kept in
models/bench/results.json ("baseline_models": before the optimized kernels; "layers_previous",
"models_previous": the run before the last), so each run prints before/after. Tests never time
anything; this does.
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
BENCH_DIR = ROOT / "models" / "bench"
ANCHOR = BENCH_DIR / "cmsis_nn_anchor.json"
RESULTS = BENCH_DIR / "results.json"

MODELS = ["kws_ref_model", "vww_96_int8", "pretrainedResnet_quant", "ad01_int8", "str_ww_ref_model",
          "person_detect", "hello_world_int8", "micro_speech_quantized", "simple_add_model",
          # recurrent and 16-bit (issue 13): LSTM (int16 cell state), SVDF (int8 / int16 state)
          "trained_lstm_int8", "keras_lstm_mnist_ptq", "micro_speech_lstm", "dtln_noise_suppression",
          "keyword_scrambled_8bit", "keyword_scrambled"]
# The ops whose MACs the instructions/MAC columns count.
MAC_OPS = ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "UNIDIRECTIONAL_SEQUENCE_LSTM", "SVDF")
MODEL_BOARDS = ["MPS2_AN386", "MPS2_AN385", "MPS2_AN500", "MPS3_AN547"]
# (d) models too large for the host-latency rounds of (a): one inference per board, arena vs TFLM.
LARGE_MODELS = ["mobilenet_v2_quantized_1x3x224x224"]
LARGE_BOARDS = ["MPS2_AN386", "MPS2_AN500", "MPS3_AN547"]
LAYER_BOARDS = ["MPS2_AN386", "MPS2_AN385", "MPS3_AN547"]
HOST_REPS = 101
HOST_ROUNDS = 3  # unix and TFLM rounds alternate (load on a shared machine hits both alike)

# The layer shapes of the anchor, in its order: ("conv"|"dw", h, w, in_c, out_c, k_h, k_w,
# stride, padding) with TF padding, or ("fc", in_features, out_features).
LAYERS = [
    ("conv", 49, 10, 1, 64, 10, 4, 2, "S"),
    ("dw", 25, 5, 64, 64, 3, 3, 1, "S"),
    ("conv", 25, 5, 64, 64, 1, 1, 1, "V"),
    ("fc", 64, 12),
    ("conv", 96, 96, 3, 8, 3, 3, 2, "S"),
    ("dw", 48, 48, 8, 8, 3, 3, 1, "S"),
    ("conv", 48, 48, 8, 16, 1, 1, 1, "V"),
    ("conv", 3, 3, 128, 256, 1, 1, 1, "V"),
    ("dw", 12, 12, 64, 64, 3, 3, 2, "S"),
    ("conv", 32, 32, 3, 16, 3, 3, 1, "S"),
    ("conv", 32, 32, 16, 16, 3, 3, 1, "S"),
    ("conv", 32, 32, 16, 32, 3, 3, 2, "S"),
    ("conv", 16, 16, 32, 32, 3, 3, 1, "S"),
    ("fc", 640, 128),
    ("fc", 128, 128),
    ("fc", 128, 8),
]

# Runs on the board: random int8 data (a 4 KiB block, rotated per tensor), per-channel
# requantization, input zero point -128; each layer once through the optimized kernel and
# once through the reference kernel, both timed in C; outputs compared.
_LAYER_SCRIPT = """\
import gc
from array import array
import micronn
from micronn.testdata import rand_bytes, rand_ints
k = micronn.kernels
BLK = rand_bytes(4096, 1)

def data(n, seed):
    s = (seed * 1031) % 4096
    b = bytes(BLK[s:] + BLK[:s])
    out = bytearray(n)  # b repeated, without a second n-byte copy (RP2040 heap)
    for o in range(0, n, 4096):
        out[o:o + 4096] = b[:min(4096, n - o)]
    return out

def geo(size, kern, stride, mode):
    out = (size + stride - 1) // stride if mode == "S" else (size - kern) // stride + 1
    return out, max(0, (out - 1) * stride + kern - size) // 2

def bits(n):
    b = 0
    while (1 << b) < n:
        b += 1
    return b

k.kernel_timing(True)
for i, L in enumerate(LAYERS):
    x = w = b = y = y2 = scratch = None  # the last layer's buffers freed first (RP2040: 246 KB heap)
    gc.collect()
    if L[0] == "fc":
        fin, fout = L[1], L[2]
        x, w = data(fin, 3 * i), data(fin * fout, 3 * i + 1)
        b = array("i", rand_ints(fout, i, -4096, 4096))
        m, sh = array("i", [1518500250]), array("i", [-(6 + bits(fin) // 2)])
        y, y2 = bytearray(fout), bytearray(fout)
        k.fully_connected_s8(x, w, b, y, fin, fout, 128, -3, m, sh, -128, 127)
        t = k.kernel_ticks()
        tr = 0
        if REF:
            k.fully_connected_s8_ref(x, w, b, y2, fin, fout, 128, -3, m, sh, -128, 127)
            tr = k.kernel_ticks()
    else:
        kind, h, wd, cin, cout, kh, kw, s, mode = L
        oh, pt = geo(h, kh, s, mode)
        ow, pl = geo(wd, kw, s, mode)
        dw = kind == "dw"
        p = [1, h, wd, cin, oh, ow, cout, kh, kw, s, s, 1, 1, pt, pl, 128, -3, -128, 127]
        if dw:
            p.append(cout // cin)
        p = array("i", p)
        taps = kh * kw * (1 if dw else cin)
        x, w = data(h * wd * cin, 3 * i), data(kh * kw * cout * (1 if dw else cin), 3 * i + 1)
        b = array("i", rand_ints(cout, i, -4096, 4096))
        m = array("i", rand_ints(cout, i + 50, 1 << 30, (1 << 31) - 1))
        sh = array("i", rand_ints(cout, i + 60, -(7 + bits(taps) // 2), -(5 + bits(taps) // 2)))
        y, y2 = bytearray(oh * ow * cout), bytearray(oh * ow * cout)
        if dw:
            scratch = bytearray(k.depthwise_conv2d_s8_scratch_size(p))
            k.depthwise_conv2d_s8(x, w, b, y, p, m, sh, scratch)
            t = k.kernel_ticks()
            tr = 0
            if REF:
                k.depthwise_conv2d_s8_ref(x, w, b, y2, p, m, sh)
                tr = k.kernel_ticks()
        else:
            scratch = bytearray(k.conv2d_s8_scratch_size(p))
            k.conv2d_s8(x, w, b, y, p, m, sh, scratch)
            t = k.kernel_ticks()
            tr = 0
            if REF:
                k.conv2d_s8_ref(x, w, b, y2, p, m, sh)
                tr = k.kernel_ticks()
    print("LAYER", i, t, tr, (y == y2) if REF else "-")
k.kernel_timing(False)
print("SCALE", micronn.TICK_SCALE)
"""

# ("tconv", h, w, in_c, out_c, k, stride) with SAME padding (output h * stride), or
# ("bmm", batches, M, N, K, rhs_offset, kn): rhs stored [N, K] (a constant, or adj_y), or with
# kn a runtime rhs [K, N] (copied into the kernel's scratch), or
# ("mul", h, w, c, bc): MUL int8 of [1, h, w, c] by the same shape (bc 0) or by a per-channel
# [1, 1, 1, c] (bc 1, squeeze-excite), or ("mean", h, w, c, axis): MEAN int8 of [1, h, w, c]
# over (h, w) (axis 0, global average pooling) or over c (axis 1, LayerNorm's mean).
CONV_LAYERS = [
    ("tconv", 8, 8, 32, 16, 3, 2),
    ("tconv", 16, 16, 16, 8, 4, 2),
    ("tconv", 7, 7, 64, 64, 3, 1),
    ("bmm", 1, 32, 64, 64, 0, 0),
    ("bmm", 4, 16, 16, 32, 7, 0),
    ("bmm", 4, 16, 16, 32, 0, 0),
    ("bmm", 4, 16, 32, 16, 7, 1),
    ("mul", 16, 16, 32, 0),
    ("mul", 14, 14, 64, 1),
    ("mean", 7, 7, 256, 0),
    ("mean", 1, 64, 128, 1),
]
CONV_BOARDS = ["MPS2_AN386"]

_CONV_SCRIPT = """\
import gc
from array import array
import micronn
from micronn.testdata import rand_bytes, rand_ints
k = micronn.kernels


def timed(fn, *args):
    gc.collect()  # no collection inside the timed call (timeit's call allocates)
    return micronn.timeit(fn, *args)


for i, L in enumerate(CONV_LAYERS):
    if L[0] == "tconv":
        _, h, w, c, oc, kk, s = L
        oh, ow = h * s, w * s
        pad = max(0, kk - s) // 2
        p = array("i", [1, h, w, c, oh, ow, oc, kk, kk, s, s, pad, pad, 128, -3, -128, 127, 0])
        x, wt = rand_bytes(h * w * c, 3 * i), rand_bytes(kk * kk * oc * c, 3 * i + 1, -127, 127)
        b = array("i", rand_ints(oc, i, -4096, 4096))
        m = array("i", rand_ints(oc, i + 50, 1 << 30, (1 << 31) - 1))
        sh = array("i", rand_ints(oc, i + 60, -12, -9))
        y, y2 = bytearray(oh * ow * oc), bytearray(oh * ow * oc)
        scratch = array("i", [0] * (oh * ow * oc))
        t = timed(k.transpose_conv_s8, x, wt, b, y, p, m, sh, scratch)
        tr = timed(k.transpose_conv_s8_ref, x, wt, b, y2, p, m, sh, scratch)
    elif L[0] == "mul":
        _, h, w, c, bc = L
        n = h * w * c
        p = array("i", [1, 1, h * w, c, 0, 0, c, 1] + ([0, 0, 0, 1] if bc else [0, 0, c, 1])
                  + [5, -3, -7, 1518500250, -9, -128, 127])
        x, wt = rand_bytes(n, 3 * i), rand_bytes(c if bc else n, 3 * i + 1)
        y, y2 = bytearray(n), bytearray(n)
        t = timed(k.mul_s8, x, wt, y, p)
        tr = timed(k.mul_s8_ref, x, wt, y2, p)
    elif L[0] == "mean":
        _, h, w, c, ax = L
        if ax:
            p = array("i", [0, 1, 1, 1, h * w, 1, 1, 1, c, 0, 0, 0, c, 0, 0, 0, 1, 5, -3, 1518500250, -7])
        else:
            p = array("i", [0, 1, 1, 1, c, 1, 1, h, w, 0, 0, 0, 1, 0, 0, w * c, c, 5, -3, 1518500250, -6])
        x = rand_bytes(h * w * c, 3 * i)
        y, y2 = bytearray(h * w if ax else c), bytearray(h * w if ax else c)
        t = timed(k.reduce_s8, x, y, p)
        tr = timed(k.reduce_s8_ref, x, y2, p)
    else:
        _, nb, m_, n, kd, roff, kn = L
        rs = [0, 1, n] if kn else [0, kd, 1]
        p = array("i", [nb, 1, 1, m_, n, kd, m_ * kd, 0, 0, kd, 0, 1, n * kd, 0, 0] + rs
                  + [m_ * n, 0, 0, n, 1, 0, 128, roff, -3, 1518500250, -11])
        x, wt = rand_bytes(nb * m_ * kd, 3 * i), rand_bytes(nb * n * kd, 3 * i + 1)
        y, y2 = bytearray(nb * m_ * n), bytearray(nb * m_ * n)
        scratch = bytearray(n * kd) if kn else None
        t = timed(k.batch_matmul_s8, x, wt, y, p, scratch)
        tr = timed(k.batch_matmul_s8_ref, x, wt, y2, p, scratch)
    print("CONV", i, t, tr, y == y2)
print("SCALE", micronn.TICK_SCALE)
"""


def conv_layer_macs(L):
    """MACs of a TRANSPOSE_CONV / BATCH_MATMUL row; input elements of a MUL / MEAN row."""
    if L[0] in ("mul", "mean"):
        return L[1] * L[2] * L[3]
    if L[0] == "tconv":
        _, h, w, c, oc, kk, s = L
        return h * w * c * kk * kk * oc
    _, nb, m, n, kd = L[:5]
    return nb * m * n * kd


def bench_conv_layers(board, timeout=1800):
    """{layer index: (ours instructions, reference-kernel instructions, equal)} of CONV_LAYERS."""
    from ..device import boards

    rc, out = boards.run_script(board, "CONV_LAYERS = %r\n" % (CONV_LAYERS,) + _CONV_SCRIPT, timeout=timeout)
    if rc != 0:
        raise RuntimeError("conv layer bench failed on %s:\n%s" % (board, out[-3000:]))
    scale, rows = 1, {}
    for line in out.splitlines():
        parts = line.split()
        if parts[:1] == ["SCALE"]:
            scale = int(parts[1])
        elif parts[:1] == ["CONV"]:
            rows[int(parts[1])] = (int(parts[2]), int(parts[3]), parts[4])
    return {i: (t * scale, tr * scale, eq) for i, (t, tr, eq) in rows.items()}


def print_conv_layers(results, out=print):
    out("(c) TRANSPOSE_CONV / BATCH_MATMUL / MUL / MEAN int8, one call (micronn.timeit, binding included; "
        "QEMU -icount; MAC columns are per element for MUL and MEAN)")
    head = "%-10s %-36s %9s | %10s %10s %7s %7s %6s" % ("board", "layer", "MACs", "ours", "ref", "ours/MAC",
                                                        "ref/MAC", "ref/ours")
    out(head)
    out("-" * len(head))
    bad = []
    for board, rows in results.items():
        for i, L in enumerate(CONV_LAYERS):
            r = rows.get(i) or rows.get(str(i))
            if not r:
                continue
            macs = conv_layer_macs(L)
            out("%-10s %-36s %9d | %10d %10d %7.2f %7.2f %6.2f" % (
                board, " ".join(str(v) for v in L), macs, r[0], r[1], r[0] / macs, r[1] / macs, r[1] / max(r[0], 1)))
            if r[2] == "False":
                bad.append("%s %s" % (board, L))
    if bad:
        out("MISMATCH optimized != reference: %s" % ", ".join(bad))
    return not bad


# (input features, cells) of the LSTM models' layers: trained_lstm_int8, micro_speech_lstm and
# dtln_noise_suppression's two; one time step, batch 1.
LSTM_LAYERS = [(28, 20), (257, 80), (257, 128), (128, 128)]
LSTM_BOARDS = ["MPS2_AN386"]

_LSTM_SCRIPT = """\
import gc
from array import array
import micronn
from micronn.testdata import rand_bytes, rand_ints
k = micronn.kernels


def timed(fn, *args):
    gc.collect()
    return micronn.timeit(fn, *args)


for i, (n_in, n) in enumerate(LSTM_LAYERS):
  for T in (1, 2):  # one step, and two: their difference is a step without the call's overhead
    # the LSTM layout's fields in order: sizes, offsets, the 8 gate FC rescales (about 2^-12 /
    # (input scale * weight scale)), the 2^-15 gate MULs, clip, the cell state's tanh (2^-11)
    mults = rand_ints(11, i, 1 << 30, (1 << 31) - 1)
    p = [1, T, n_in, n, 0, 128, 3, -3]
    for g in range(8):
        p += [mults[g], -4]
    p += [1 << 30, -14, mults[8], -3, mults[9], -8, 20480, 6, 0, 3]
    params = array("i", p)
    x = rand_bytes(T * n_in, 5 * i)
    w = [rand_bytes(n * n_in, 5 * i + 1 + g, -127, 127) for g in range(4)]
    w += [rand_bytes(n * n, 5 * i + 11 + g, -127, 127) for g in range(4)]
    b = [array("i", rand_ints(n, 5 * i + 21 + g, -4096, 4096)) for g in range(4)]
    h, c = rand_bytes(n, 5 * i + 2), array("h", rand_ints(n, 5 * i + 3, -4096, 4096))
    h2, c2 = bytearray(h), array("h", c)
    y, y2 = bytearray(T * n), bytearray(T * n)
    scratch = array("i", [0] * (3 * n))
    t = timed(k.lstm_s8, x, *w, *b, y, params, h, c, scratch)
    tr = timed(k.lstm_s8_ref, x, *w, *b, y2, params, h2, c2, scratch)
    print("LSTM", i, T, t, tr, y == y2 and h == h2 and bytes(c) == bytes(c2))
print("SCALE", micronn.TICK_SCALE)
"""


def lstm_layer_macs(L):
    n_in, n = L
    return 4 * n * (n_in + n)


def bench_lstm_layers(board, timeout=1800):
    """{layer index: (ours, reference kernel, equal, ours per further step, reference per further
    step)} of LSTM_LAYERS, in instructions: a call of one time step (the binding's argument checks
    included), and the difference between calls of two steps and of one."""
    from ..device import boards

    rc, out = boards.run_script(board, "LSTM_LAYERS = %r\n" % (LSTM_LAYERS,) + _LSTM_SCRIPT, timeout=timeout)
    if rc != 0:
        raise RuntimeError("LSTM layer bench failed on %s:\n%s" % (board, out[-3000:]))
    scale, rows = 1, {}
    for line in out.splitlines():
        parts = line.split()
        if parts[:1] == ["SCALE"]:
            scale = int(parts[1])
        elif parts[:1] == ["LSTM"]:
            rows.setdefault(int(parts[1]), {})[int(parts[2])] = (int(parts[3]), int(parts[4]), parts[5])
    # (one step: ours, ref, equal; the second step alone: ours, ref)
    return {i: (r[1][0] * scale, r[1][1] * scale, "True" if r[1][2] == r[2][2] == "True" else "False",
                (r[2][0] - r[1][0]) * scale, (r[2][1] - r[1][1]) * scale) for i, r in rows.items()}


def print_lstm_layers(results, out=print):
    out("(e) UNIDIRECTIONAL_SEQUENCE_LSTM int8, one time step (micronn.timeit, binding included; QEMU -icount);")
    out("    'step': a further time step alone (a call of two steps minus a call of one)")
    head = "%-10s %-18s %9s | %10s %10s %7s %7s %6s | %9s %9s %6s" % (
        "board", "inputs x cells", "MACs", "ours", "ref", "ours/MAC", "ref/MAC", "ours/ref", "step ours",
        "step ref", "ratio")
    out(head)
    out("-" * len(head))
    bad = []
    for board, rows in results.items():
        for i, L in enumerate(LSTM_LAYERS):
            r = rows.get(i) or rows.get(str(i))
            if not r:
                continue
            macs = lstm_layer_macs(L)
            step = ("%9d %9d %6.2f" % (r[3], r[4], r[3] / max(r[4], 1))) if len(r) > 3 else ""
            out("%-10s %-18s %9d | %10d %10d %7.2f %7.2f %6.2f | %s" % (
                board, "%d x %d" % L, macs, r[0], r[1], r[0] / macs, r[1] / macs, r[0] / max(r[1], 1), step))
            if r[2] == "False":
                bad.append("%s %s" % (board, L))
    if bad:
        out("MISMATCH optimized != reference: %s" % ", ".join(bad))
    return not bad


# Runs on the board: each model once to warm up, then `reps` timed runs. PREALLOC (the unix
# host-latency column): run(ins, outs) into output arrays allocated once, the allocation-free
# API, as TFLM's side is timed (set_input + invoke + get_output); the QEMU instruction counts
# keep run(ins) (PREALLOC False), so they stay comparable with earlier runs.
_MODEL_SCRIPT = """\
import binascii
from array import array
import micronn


def timed(m, ins, outs, reps):
    ticks = micronn.ticks  # locals: little besides the run inside the timed span
    ts = []
    for r in range(reps):
        t0 = ticks()
        m.run(ins, outs)
        ts.append(ticks() - t0)
    return ts


for k, (ins, reps) in enumerate([{cases}]):
    m = micronn.load("model%d.micronn" % k)
    # int16 / float32 inputs as arrays of their typecode (raw bytes are for 1-byte tensors)
    ins = [x if t.typecode in "bB" else array(t.typecode, x) for t, x in zip(m.inputs, ins)]
    outs = None
    if PREALLOC:
        outs = [array(o.typecode, bytes(o.nbytes)) for o in m.outputs]
        outs = outs[0] if len(outs) == 1 else outs
    m.run(ins, outs)
    ts = timed(m, ins, outs, reps)
    print("MODEL", k, " ".join(str(t) for t in ts))
    m = None
print("SCALE", micronn.TICK_SCALE)
"""

# Runs on the board: Model.profile of one model.
_PROFILE_SCRIPT = """\
import binascii
import micronn
m = micronn.load("model0.micronn")
ins = [{ins}]
m.run(ins)
p = m.profile(ins)
for r in p["rows"]:
    print("ROW", r[0], r[1], "x".join(str(d) for d in r[2]) or "-", r[3], r[4], -1 if r[7] is None else r[7], r[8])
print("TOTAL", p["total"], p["ops"], p["overhead"], p["scale"], p["unit"])
"""


def layer_label(i):
    return load_anchor()["layers"][i][0]


def load_anchor():
    with open(ANCHOR) as f:
        return json.load(f)


def load_results():
    if RESULTS.exists():
        with open(RESULTS) as f:
            return json.load(f)
    return {}


def save_results(res):
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with open(RESULTS, "w") as f:
        json.dump(res, f, indent=1, sort_keys=True)
        f.write("\n")


def _hex_list(arrays):
    return "[%s]" % ", ".join('binascii.unhexlify("%s")' % np.ascontiguousarray(x).tobytes().hex()
                              for x in arrays)


# ---------------------------------------------------------------------------- layers
def bench_layers(board, ref=True, timeout=1800):
    """{layer index: (ours instructions, reference-kernel instructions, equal)} on `board`."""
    from ..device import boards

    script = "LAYERS = %r\nREF = %r\n" % (LAYERS, ref) + _LAYER_SCRIPT
    rc, out = boards.run_script(board, script, timeout=timeout)
    if rc != 0:
        raise RuntimeError("layer bench failed on %s:\n%s" % (board, out[-3000:]))
    scale = 1
    rows = {}
    for line in out.splitlines():
        parts = line.split()
        if parts[:1] == ["SCALE"]:
            scale = int(parts[1])
        elif parts[:1] == ["LAYER"]:
            rows[int(parts[1])] = (int(parts[2]), int(parts[3]), parts[4])
    return {i: (t * scale, tr * scale, eq) for i, (t, tr, eq) in rows.items()}


def print_layers(results, prev=None, out=print):
    anchor = load_anchor()
    L = anchor["layers"]
    out("(b) MLPerf Tiny layer shapes, one kernel call timed in C (QEMU -icount: instructions)")
    out("    CMSIS-NN: %s" % ANCHOR.relative_to(ROOT))
    out("    ref = our plain C reference kernel (the kernel before optimization), same run")
    head = "%-44s %9s | %7s %7s %7s %6s %6s | %7s %7s %7s %6s | %8s %7s %6s" % (
        "layer", "MACs", "M4 ours", "M4 ref", "CMSIS", "/CMSIS", "prev", "M3 ours", "M3 ref", "CMSIS", "/CMSIS",
        "M55 ours", "M55 ref", "prev")
    out(head)
    out("-" * len(head))
    m4, m3 = results.get("MPS2_AN386", {}), results.get("MPS2_AN385", {})
    m55 = results.get("MPS3_AN547", {})
    pm4 = (prev or {}).get("MPS2_AN386", {})
    pm55 = (prev or {}).get("MPS3_AN547", {})
    tot = {"macs": 0, "m4": 0, "m4r": 0, "m3": 0, "m3r": 0, "c4": 0, "c3": 0, "m55": 0, "m55r": 0}
    bad = []
    for i, row in enumerate(L):
        name, macs = row[0], row[1]
        c4, c3 = row[4], row[7]
        a = m4.get(i) or m4.get(str(i))
        b = m3.get(i) or m3.get(str(i))
        p = pm4.get(i) or pm4.get(str(i))

        def ipm(v, macs=macs):
            return v / macs if v else float("nan")
        cells = [name[:44], "%d" % macs]
        if a:
            cells += ["%.2f" % ipm(a[0]), "%.2f" % ipm(a[1]) if a[1] else "-", "%.2f" % c4,
                      "%.2f" % (ipm(a[0]) / c4), "%.2f" % ipm(p[0]) if p else "-"]
            tot["m4"] += a[0]
            tot["m4r"] += a[1]
            if a[2] == "False":
                bad.append("M4 %s" % name)
        else:
            cells += ["-"] * 5
        if b:
            cells += ["%.2f" % ipm(b[0]), "%.2f" % ipm(b[1]) if b[1] else "-", "%.2f" % c3,
                      "%.2f" % (ipm(b[0]) / c3)]
            tot["m3"] += b[0]
            tot["m3r"] += b[1]
            if b[2] == "False":
                bad.append("M3 %s" % name)
        else:
            cells += ["-"] * 4
        e = m55.get(i) or m55.get(str(i))
        pe = pm55.get(i) or pm55.get(str(i))
        if e:
            cells += ["%.2f" % ipm(e[0]), "%.2f" % ipm(e[1]) if e[1] else "-", "%.2f" % ipm(pe[0]) if pe else "-"]
            tot["m55"] += e[0]
            tot["m55r"] += e[1]
            if e[2] == "False":
                bad.append("M55 %s" % name)
        else:
            cells += ["-"] * 3
        tot["macs"] += macs
        tot["c4"] += row[3]
        tot["c3"] += row[6] * 40
        out("%-44s %9s | %7s %7s %7s %6s %6s | %7s %7s %7s %6s | %8s %7s %6s" % tuple(cells))
    out("-" * len(head))
    M = tot["macs"]
    s = anchor["sum"]
    out("%-44s %9d | %7.2f %7.2f %7.2f %6.2f %6s | %7.2f %7.2f %7.2f %6.2f | %8s %7s %6s" % (
        "all 16 layers summed (instructions / MAC)", M, tot["m4"] / M, tot["m4r"] / M,
        s["m4_instr_per_mac"], tot["m4"] / M / s["m4_instr_per_mac"], "",
        tot["m3"] / M, tot["m3r"] / M, s["m3_instr_per_mac"], tot["m3"] / M / s["m3_instr_per_mac"],
        "%.2f" % (tot["m55"] / M) if tot["m55"] else "-", "%.2f" % (tot["m55r"] / M) if tot["m55r"] else "-", ""))
    out("instr/MAC columns; /CMSIS = ours / CMSIS-NN (target <= 0.80 per layer; sum <= 2.3 on M4, "
        "<= 3.1 on M3); M55: Cortex-M55 (mps3-an547, Helium paths; no CMSIS-NN anchor)")
    if bad:
        out("MISMATCH optimized != reference: %s" % ", ".join(bad))
    return not bad


# ---------------------------------------------------------------------------- models
def model_cases(names=None):
    from .. import convert
    from ..device import models

    cases = []
    for name in names or MODELS:
        src = models.fetch(name, quiet=True).read_bytes()
        c = convert.convert(src)
        data = c.serialize()
        z = np.load(models.reference_io(name))
        ins = [z["input_%d" % i] for i in range(sum(k.startswith("input_") for k in z.files))]
        macs = sum(op.macs for op in c.ops if op.name in MAC_OPS)
        cases.append({"name": name, "src": src, "data": data, "ins": ins, "macs": macs,
                      "arena": c.arena_size, "scratch": getattr(c, "scratch_size", 0),
                      "state": getattr(c, "state_size", 0)})
    return cases


def run_models(board, cases, reps=1, timeout=3600):
    """{model name: [ticks * TICK_SCALE per timed run]} on `board`."""
    from ..device import boards

    with tempfile.TemporaryDirectory(prefix="micronn-bench-") as tmp:
        for k, c in enumerate(cases):
            (Path(tmp) / ("model%d.micronn" % k)).write_bytes(c["data"])
        lits = ["(%s, %d)" % (_hex_list(c["ins"]), reps) for c in cases]
        script = "PREALLOC = %r\n" % (board == "unix") + _MODEL_SCRIPT.format(cases=", ".join(lits))
        rc, out = boards.run_script(board, script, timeout=timeout, cwd=tmp)
    if rc != 0:
        raise RuntimeError("model bench failed on %s:\n%s" % (board, out[-3000:]))
    scale, got = 1, {}
    for line in out.splitlines():
        parts = line.split()
        if parts[:1] == ["SCALE"]:
            scale = int(parts[1])
        elif parts[:1] == ["MODEL"]:
            got[int(parts[1])] = [int(t) for t in parts[2:]]
    return {cases[k]["name"]: [t * scale for t in ts] for k, ts in got.items()}


def tflm_host(cases, reps=HOST_REPS):
    """{model: (median ns of TFLM's Python interpreter, head bytes, total bytes, [ns per run])}.

    Timed: the interpreter's own calls, set_input of each input (arrays shaped once, before
    timing), invoke, get_output of each output; the same work as micronn's run(ins, outs)
    (copy in, run, copy out). tflm.Session.run's Python checks (dtype, shape) are left out, as
    micronn's are in C."""
    from ..check import tflm

    out = {}
    for c in cases:
        s = tflm.Session(c["src"])
        s.run(c["ins"])
        it = s.interpreter
        ins = [np.ascontiguousarray(x).reshape(d["shape"]) for x, d in zip(c["ins"], s.input_details())]
        outs = range(s.n_outputs)
        clock, set_input, invoke, get_output = time.perf_counter_ns, it.set_input, it.invoke, it.get_output
        ts = []
        for _ in range(reps):
            t0 = clock()
            for i, x in enumerate(ins):
                set_input(x, i)
            invoke()
            for i in outs:
                get_output(i)
            ts.append(clock() - t0)
        try:
            u = tflm.arena_usage(c["src"])
            head, total = u.get("head"), u.get("total")
        except Exception:  # noqa: BLE001 - TFLM cannot report every model
            head = total = None
        out[c["name"]] = (statistics.median(ts), head, total, ts)
    return out


def host_latency(cases, rounds=HOST_ROUNDS, reps=HOST_REPS):
    """({model: [unix ns per run]}, tflm_host's dict over all rounds): `rounds` rounds of
    `reps` runs each, the unix firmware's and TFLM's alternating; medians over every run."""
    from ..device import boards

    host, tflm_ts, tres = {}, {}, {}
    for _ in range(rounds):
        if boards.firmware_path("unix").exists():
            for n, ts in run_models("unix", cases, reps=reps).items():
                host.setdefault(n, []).extend(ts)
        for n, v in tflm_host(cases, reps=reps).items():
            tflm_ts.setdefault(n, []).extend(v[3])
            tres[n] = v
    return host, {n: (statistics.median(tflm_ts[n]),) + v[1:] for n, v in tres.items()}


def bench_large(boards_=LARGE_BOARDS):
    """{model: {"macs", "arena", "tflm_arena", board: instructions}} of LARGE_MODELS."""
    from ..check import tflm
    from ..device import boards

    res = {}
    for c in model_cases(LARGE_MODELS):
        r = {"macs": c["macs"], "arena": c["arena"], "tflm_arena": tflm.arena_usage(c["src"]).get("head")}
        for b in boards_:
            if boards.firmware_path(b).exists():
                r[b] = run_models(b, [c])[c["name"]][0]
        res[c["name"]] = r
    return res


def print_large(res, prev=None, out=print):
    out("(d) large models: QEMU instructions per inference (-icount), per MAC; arena ours vs TFLM's")
    for name, r in res.items():
        cols = ["%s %d (%.2f/MAC%s)" % (b, r[b], r[b] / r["macs"], (", was %d" % prev[name][b])
                                        if prev and name in prev and b in prev[name] and prev[name][b] != r[b] else "")
                for b in LARGE_BOARDS if b in r]
        out("%-36s MACs %d | %s | arena %d, TFLM %s" % (name, r["macs"], "; ".join(cols), r["arena"], r["tflm_arena"]))


def print_models(cases, instr, host, tflm_res, sizes, baseline=None, prev=None, out=print):
    out("(a) models: QEMU instructions per inference (-icount), instructions/MAC "
        "(conv/dw/FC/LSTM/SVDF MACs)")
    head = "%-24s %10s | %12s %6s %8s %7s | %6s %6s %6s | %9s %9s %6s | %7s %5s %6s %7s %7s" % (
        "model", "MACs", "M4 instr", "/MAC", "M4 base", "speedup", "M3/MAC", "M7/MAC", "M55/MAC",
        "unix us", "TFLM us", "ratio", "arena", "+scr", "+state", "TFLM hd", "TFLM tot")
    out(head)
    out("-" * len(head))
    for c in cases:
        n, macs = c["name"], c["macs"]

        def per(board, n=n, macs=macs):
            v = instr.get(board, {}).get(n)
            return ("%.2f" % (v[0] / macs)) if v and macs else "-"
        m4 = instr.get("MPS2_AN386", {}).get(n)
        base = (baseline or {}).get("MPS2_AN386", {}).get(n)
        h = host.get(n)
        t = tflm_res.get(n, (None, None, None))
        hm = statistics.median(h) / 1000 if h else None
        out("%-24s %10d | %12s %6s %8s %7s | %6s %6s %6s | %9s %9s %6s | %7d %5d %6d %7s %7s" % (
            n, macs, m4[0] if m4 else "-", per("MPS2_AN386"),
            "%.1fM" % (base / 1e6) if base else "-",
            "%.2fx" % (base / m4[0]) if base and m4 else "-",
            per("MPS2_AN385"), per("MPS2_AN500"), per("MPS3_AN547"),
            "%.1f" % hm if hm else "-", "%.1f" % (t[0] / 1000) if t[0] else "-",
            "%.2f" % (hm / (t[0] / 1000)) if hm and t[0] else "-",
            c["arena"], c.get("scratch", 0), c.get("state", 0), t[1] if t[1] is not None else "-",
            t[2] if t[2] is not None else "-"))
    out("speedup: M4 instructions before the optimized kernels (models/bench/results.json "
        "'baseline') / now. unix/TFLM: host latency, median of %d runs in this run (%d "
        "alternating rounds; unix: run(ins, outs) into preallocated outputs; TFLM: set_input + "
        "invoke + get_output); ratio < 1: micronn faster." % (HOST_REPS * HOST_ROUNDS, HOST_ROUNDS))
    out("arena: micronn's planned arena (activations + kernel scratch placed in it); +scr: the "
        "scratch buffer shared by the other kernels (allocated once at load); +state: the state area "
        "(variable tensors, resource variables: kept across runs); TFLM hd/tot: TFLM's planned "
        "activations (head) / total arena use (its variables are in the total).")
    if sizes:
        out("firmware bytes micronn adds (text+data: _micronn C module + frozen package): " + ", ".join(
            "%s %d" % (b, s) for b, s in sizes.items()))
    if prev:
        ch = []
        for b in ("MPS2_AN386", "MPS2_AN385"):
            for c in cases:
                p, v = prev.get(b, {}).get(c["name"]), instr.get(b, {}).get(c["name"])
                if p and v and p != v[0]:
                    ch.append("%s %s %d -> %d" % (b, c["name"], p, v[0]))
        out("changed since the previous run: " + ("; ".join(ch) if ch else "nothing"))


def firmware_bytes(boards_):
    from ..device import size

    out = {}
    for b in boards_:
        try:
            s = size.firmware_sizes(b)
        except Exception:  # noqa: BLE001 - firmware not built
            continue
        mn, fz = s["_micronn"], s["frozen"]
        out[b] = mn["text"] + mn["data"] + fz["text"] + fz["data"]
    return out


# ---------------------------------------------------------------------------- RP2040 (rp2040js)
EMU_BOARDS = ["RPI_PICO"]
EMU_MODELS = 9  # the first nine of MODELS (the Tier-1 models) run in the emulator
EMU_CYCLES_PER_TICK = 125  # micronn.ticks() on RP2040: us of the 125 MHz clock
EMU_CAVEAT = ("rp2040js cycles: every memory access costs the same, no flash wait states or XIP cache "
              "misses are modelled (a real Pico runs code and weights from XIP flash: more cycles)")

# Runs on the emulated board: each model once to warm up, then one inference between two reads of
# the emulator's cycle counter (the cost of one read pair subtracted).
_EMU_MODEL_SCRIPT = """\
import machine
import micronn
A = {addr}


def cycles():
    lo = machine.mem32[A]
    return lo | (machine.mem32[A + 4] << 32)


c0 = cycles()
c1 = cycles()
PAIR = c1 - c0
for k, ins in enumerate([{cases}]):
    m = micronn.load("model%d.micronn" % k)
    m.run(ins)
    c0 = cycles()
    m.run(ins)
    c1 = cycles()
    print("MODEL", k, c1 - c0 - PAIR)
    m = None
"""


def run_emu_models(board, cases, timeout=3600):
    """{model name: emulated cycles of one inference} on an emulated board, as many models per
    emulator session as its ROMFS partition holds (models and inputs are files there)."""
    from ..check import runner
    from ..device import boards

    got = {}
    groups = runner.romfs_groups([(c["data"], c["ins"]) for c in cases], boards.EMU_ROMFS_REGION[board][1])
    done = 0
    for g in groups:
        part = cases[done:done + len(g)]
        done += len(g)
        with tempfile.TemporaryDirectory(prefix="micronn-bench-") as tmp:
            lits = []
            for k, c in enumerate(part):
                (Path(tmp) / ("model%d.micronn" % k)).write_bytes(c["data"])
                names = []
                for i, x in enumerate(c["ins"]):
                    (Path(tmp) / ("input%d_%d.bin" % (k, i))).write_bytes(np.ascontiguousarray(x).tobytes())
                    names.append('open("input%d_%d.bin", "rb").read()' % (k, i))
                lits.append("[%s]" % ", ".join(names))
            script = _EMU_MODEL_SCRIPT.format(addr="0x%x" % boards.EMU_CYCLES_ADDR, cases=", ".join(lits))
            rc, out = boards.run_script(board, script, timeout=timeout, cwd=tmp)
        if rc != 0:
            raise RuntimeError("model bench failed on %s:\n%s" % (board, out[-3000:]))
        for line in out.splitlines():
            parts = line.split()
            if parts[:1] == ["MODEL"]:
                got[part[int(parts[1])]["name"]] = int(parts[2])
    return got


def bench_emu_layers(board, ref=True, timeout=3600):
    """bench_layers on an emulated board, in cycles (kernel_ticks us x 125)."""
    return {i: (t * EMU_CYCLES_PER_TICK, tr * EMU_CYCLES_PER_TICK, eq)
            for i, (t, tr, eq) in bench_layers(board, ref=ref, timeout=timeout).items()}


def print_emu(cases, models_res, layers_res, prev_models=None, prev_layers=None, out=print):
    """(f): the RP2040 column: cycles per inference and per MAC, then the layer shapes."""
    ok = True
    for board in sorted(set(models_res) | set(layers_res)):
        mres, pm = models_res.get(board, {}), (prev_models or {}).get(board, {})
        out("(f) %s (RP2040, Cortex-M0+ at 125 MHz) in the rp2040js emulator: %s" % (board, EMU_CAVEAT))
        if mres:
            head = "%-24s %10s | %12s %8s %9s %12s" % ("model", "MACs", "cycles", "cyc/MAC", "ms@125MHz", "prev cyc/MAC")
            out(head)
            out("-" * len(head))
            for c in cases:
                v = mres.get(c["name"])
                if v is None:
                    continue
                p = pm.get(c["name"])
                out("%-24s %10d | %12d %8s %9.1f %12s" % (
                    c["name"], c["macs"], v, "%.2f" % (v / c["macs"]) if c["macs"] else "-", v / 125e3,
                    "%.2f" % (p / c["macs"]) if p and c["macs"] else "-"))
        lres = layers_res.get(board)
        if lres:
            L = load_anchor()["layers"]
            pl = (prev_layers or {}).get(board, {})
            head = "%-44s %9s | %9s %9s %8s | %s" % ("layer (kernel alone, timed in C)", "MACs", "cyc/MAC", "ref/MAC",
                                                     "prev", "equal")
            out(head)
            out("-" * len(head))
            tot = [0, 0, 0]
            for i, row in enumerate(L):
                r = lres.get(i) or lres.get(str(i))
                if not r:
                    continue
                macs = row[1]
                p = pl.get(i) or pl.get(str(i))
                out("%-44s %9d | %9.2f %9s %8s | %s" % (row[0][:44], macs, r[0] / macs,
                                                        "%.2f" % (r[1] / macs) if r[1] else "-",
                                                        "%.2f" % (p[0] / macs) if p else "-", r[2]))
                tot[0] += macs
                tot[1] += r[0]
                tot[2] += r[1]
                if r[2] == "False":
                    ok = False
                    out("MISMATCH optimized != reference: %s %s" % (board, row[0]))
            if tot[0]:
                out("%-44s %9d | %9.2f %9s" % ("all layers summed (cycles / MAC)", tot[0], tot[1] / tot[0],
                                               "%.2f" % (tot[2] / tot[0]) if tot[2] else "-"))
    return ok


def emu_model(model_path, board, inputs=None, out=print):
    """`micronn bench MODEL --board RPI_PICO`: emulated cycles of one inference, per MAC."""
    from ..check import runner, verify

    src = Path(model_path).read_bytes()
    data = runner.to_model_bytes(src)
    if inputs is None:
        inputs = verify.load_inputs(None, src) if src[:4] != b"MNN\x00" else None
    if inputs is None:
        raise ValueError("give --input X.npz for a .micronn model")
    macs = 0
    if src[:4] != b"MNN\x00":  # MACs come from the converter's view of the .tflite
        from .. import convert

        macs = sum(op.macs for op in convert.convert(src).ops
                   if op.name in ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED"))
    c = {"name": Path(model_path).name, "data": data, "ins": [np.asarray(x) for x in inputs], "macs": macs}
    cycles = run_emu_models(board, [c])[c["name"]]
    out("%s on %s: %d cycles per inference%s, %.1f ms at 125 MHz" % (
        c["name"], board, cycles, " (%.2f cycles/MAC, %d conv/depthwise/FC MACs)" % (cycles / macs, macs)
        if macs else "", cycles / 125e3))
    out("caveat: " + EMU_CAVEAT)
    return 0


# ---------------------------------------------------------------------------- per-layer profile
def profile(model_path, board, inputs=None, out=print, svg=None):
    """Print Model.profile of one model on a board as a table (and write an SVG chart)."""
    from ..check import runner, verify
    from ..device import boards

    src = Path(model_path).read_bytes()
    data = runner.to_model_bytes(src)
    if inputs is None:
        inputs = verify.load_inputs(None, src) if src[:4] != b"MNN\x00" else None
    if inputs is None:
        raise ValueError("give --input X.npz for a .micronn model")
    with tempfile.TemporaryDirectory(prefix="micronn-prof-") as tmp:
        (Path(tmp) / "model0.micronn").write_bytes(data)
        rc, text = boards.run_script(board, _PROFILE_SCRIPT.format(ins=", ".join(
            'binascii.unhexlify("%s")' % np.ascontiguousarray(x).tobytes().hex() for x in inputs)),
            timeout=3600, cwd=tmp)
    if rc != 0:
        raise RuntimeError("profile failed on %s:\n%s" % (board, text[-3000:]))
    rows, total = [], None
    for line in text.splitlines():
        p = line.split()
        if p[:1] == ["ROW"]:
            rows.append((int(p[1]), p[2], p[3], int(p[4]), int(p[5]), int(p[6]), int(p[7])))
        elif p[:1] == ["TOTAL"]:
            total = (int(p[1]), int(p[2]), int(p[3]), int(p[4]), p[5])
    tot, ops, over, scale, unit = total
    instr = unit == "systick" or board.startswith("MPS")
    u = "instr" if instr else unit
    out("%s on %s: per-layer %s (Model.profile)" % (Path(model_path).name, board, u))
    head = "%-4s %-20s %-14s %10s %12s %12s %8s %6s %8s" % (
        "#", "op", "output", "MACs", u, "kernel " + u, "MAC/" + ("instr" if instr else "tick"), "share",
        "RAM B")
    out(head)
    out("-" * len(head))
    for i, op, shape, macs, t, kt, ram in rows:
        t *= scale
        kt = kt * scale if kt >= 0 else None
        out("%-4d %-20s %-14s %10d %12d %12s %8s %5.1f%% %8d" % (
            i, op[:20], shape, macs, t, kt if kt is not None else "-",
            "%.3f" % (macs / t) if macs and t else "-", 100.0 * t / (tot * scale) if tot else 0, ram))
    out("-" * len(head))
    macs = sum(r[3] for r in rows)
    out("total %d %s (%d MACs, %.3f MAC/%s); ops %d; Python runner overhead %d (%.1f%%); "
        "peak RAM %d bytes (layer %d)" % (
            tot * scale, u, macs, macs / (tot * scale) if tot else 0, "instr" if instr else "tick",
            ops * scale, over * scale, 100.0 * over / tot if tot else 0,
            max(r[6] for r in rows), max(rows, key=lambda r: r[6])[0]))
    if svg:
        from . import plot

        title = "%s on %s: %d %s per inference, runner overhead %.1f%%" % (
            Path(model_path).name, board, tot * scale, u, 100.0 * over / tot if tot else 0)
        Path(svg).write_text(plot.profile_svg(
            [(i, op, shape, macs, t * scale, ram) for i, op, shape, macs, t, _, ram in rows], u, title))
        out("wrote %s" % svg)
    return 0


# ---------------------------------------------------------------------------- main
def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m host_tools.bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--skip-models", action="store_true")
    p.add_argument("--skip-layers", action="store_true")
    p.add_argument("--no-ref", action="store_true", help="do not time the reference kernels")
    p.add_argument("--no-save", action="store_true", help="do not update models/bench/results.json")
    p.add_argument("--skip-conv", action="store_true", help="skip the TRANSPOSE_CONV / BATCH_MATMUL / MUL / MEAN shapes")
    p.add_argument("--conv-boards", default=",".join(CONV_BOARDS), help="boards of (c), comma-separated")
    p.add_argument("--skip-lstm", action="store_true", help="skip the LSTM step shapes")
    p.add_argument("--lstm-boards", default=",".join(LSTM_BOARDS), help="boards of (e), comma-separated")
    p.add_argument("--host-only", action="store_true",
                   help="models on the unix firmware and TFLM only (no QEMU boards)")
    p.add_argument("--skip-emu", action="store_true", help="skip (f), RP2040 in the rp2040js emulator")
    a = p.parse_args(argv)
    from ..device import boards

    res = load_results()
    new = dict(res)
    ok = True
    if not a.skip_models:
        cases = model_cases()
        instr = {}
        for b in MODEL_BOARDS:
            if boards.firmware_path(b).exists() and not a.host_only:
                instr[b] = run_models(b, cases)
        host, tres = host_latency(cases)
        sizes = firmware_bytes(["unix"] + MODEL_BOARDS)
        prev = res.get("models", {})
        print_models(cases, instr, host, tres, sizes, baseline=res.get("baseline_models"), prev=prev)
        if not a.host_only:  # --host-only keeps the stored QEMU counts
            if res.get("models"):
                new["models_previous"] = res["models"]
            new["models"] = {b: {n: v[0] for n, v in d.items()} for b, d in instr.items()}
        new["host_us"] = {n: statistics.median(v) / 1000 for n, v in host.items()}
        new["tflm_us"] = {n: v[0] / 1000 for n, v in tres.items()}
        new["firmware_bytes"] = sizes
        print()
        if not a.host_only:
            large = bench_large()
            print_large(large, prev=res.get("large_models"))
            if res.get("large_models"):
                new["large_models_previous"] = res["large_models"]
            new["large_models"] = large
            print()
    if not a.skip_layers:
        lres = {}
        for b in LAYER_BOARDS:
            if boards.firmware_path(b).exists():
                lres[b] = bench_layers(b, ref=not a.no_ref)
        ok = print_layers(lres, prev=res.get("layers")) and ok
        if res.get("layers"):
            new["layers_previous"] = res["layers"]
        new["layers"] = {b: {str(i): list(v) for i, v in d.items()} for b, d in lres.items()}
    if not a.skip_conv:
        cres = {b: bench_conv_layers(b) for b in a.conv_boards.split(",") if boards.firmware_path(b).exists()}
        ok = print_conv_layers(cres) and ok
        if res.get("conv_layers"):
            new["conv_layers_previous"] = res["conv_layers"]
        new["conv_layers"] = {b: {str(i): list(v) for i, v in d.items()} for b, d in cres.items()}
    if not a.skip_lstm:
        lsres = {b: bench_lstm_layers(b) for b in a.lstm_boards.split(",") if boards.firmware_path(b).exists()}
        ok = print_lstm_layers(lsres) and ok
        if res.get("lstm_layers"):
            new["lstm_layers_previous"] = res["lstm_layers"]
        new["lstm_layers"] = {b: {str(i): list(v) for i, v in d.items()} for b, d in lsres.items()}
    emu = [b for b in EMU_BOARDS if boards.firmware_path(b).exists()]
    if emu and not a.skip_emu and not a.host_only:
        ecases = model_cases(MODELS[:EMU_MODELS]) if not a.skip_models else []
        eres = {b: run_emu_models(b, ecases) for b in emu} if ecases else {}
        lres = {b: bench_emu_layers(b, ref=not a.no_ref) for b in emu} if not a.skip_layers else {}
        print()
        ok = print_emu(ecases, eres, lres, prev_models=res.get("emu_models"),
                       prev_layers=res.get("emu_layers")) and ok
        if eres:
            if res.get("emu_models"):
                new["emu_models_previous"] = res["emu_models"]
            new["emu_models"] = eres
        if lres:
            if res.get("emu_layers"):
                new["emu_layers_previous"] = res["emu_layers"]
            new["emu_layers"] = {b: {str(i): list(v) for i, v in d.items()} for b, d in lres.items()}
    if not a.no_save:
        save_results(new)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
