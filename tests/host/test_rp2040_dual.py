"""Both RP2040 cores (firmware/_micronn/port/mn_dual_rp2.c, emulated by boards/RPI_PICO/emu/core1.mjs):
large int8 CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED layers are split between core 0 and
core 1, with outputs equal to live TFLM's over the split's corners (odd row counts, padding rows
on either side of the cut, strides, dilation, batch rows and output channels of FC), and core 1
really computes a part (the firmware's core1_jobs() counter)."""

import numpy as np
import pytest
from conftest import require_firmware

from host_tools import convert
from host_tools.check import modelgen, runner, tflm
from host_tools.device import boards

BOARD = "RPI_PICO"

# (builder, kwargs): each is at least MN_DUAL_MIN_MACS (16384) multiply-accumulates, so split
CASES = [
    ("conv_2d", dict(height=7, width=6, in_channels=8, out_channels=12)),  # odd rows, SAME
    ("conv_2d", dict(height=10, width=10, in_channels=4, out_channels=8, kernel=(5, 5))),  # pad 2
    ("conv_2d", dict(height=12, width=9, in_channels=6, out_channels=8, strides=(2, 2))),
    ("conv_2d", dict(height=11, width=8, in_channels=4, out_channels=8, dilation=(2, 2))),
    ("conv_2d", dict(height=9, width=9, in_channels=8, out_channels=8, padding="VALID",
                     activation="RELU6")),
    ("conv_2d", dict(height=3, width=16, in_channels=16, out_channels=16, kernel=(3, 3))),
    ("depthwise_conv_2d", dict(height=16, width=16, in_channels=16, kernel=(3, 3))),
    ("depthwise_conv_2d", dict(height=15, width=12, in_channels=8, depth_multiplier=2,
                               strides=(2, 2))),
    ("fully_connected", dict(batches=1, in_features=160, out_features=129, per_channel=True)),
    ("fully_connected", dict(batches=3, in_features=96, out_features=64)),
]


def _model(k):
    name, kw = CASES[k]
    rng = np.random.default_rng(1500 + k)
    return getattr(modelgen, name)(rng, **kw)


def test_dual_core_layers_bitexact_with_tflm():
    require_firmware(BOARD)
    cases, wants = [], []
    for k in range(len(CASES)):
        tfl = _model(k)
        rng = np.random.default_rng(k)
        ins = [rng.integers(-128, 128, size=shape, dtype=np.int8) for shape in (d["shape"] for d in tflm.io_details(tfl)["inputs"])]
        cases.append((convert.convert(tfl).serialize(), ins))
        wants.append(tflm.run(tfl, ins))
    results = runner.run_many(cases, BOARD)
    for k, (res, want) in enumerate(zip(results, wants)):
        assert len(res.outputs) == len(want)
        for g, w in zip(res.outputs, want):
            w = np.asarray(w)
            g = np.asarray(g).reshape(w.shape)
            assert np.array_equal(g, w), "%s %s: %d of %d elements differ from TFLM" % (
                CASES[k][0], CASES[k][1], int(np.sum(g != w)), w.size)


# Core 1 computes a part of each large call, the outputs equal the plain reference kernels',
# and a small call stays on core 0.
_COUNTER_SCRIPT = """
import _micronn
from array import array
def buf(n, a, b):
    return array('b', (((i * a + b) % 256) - 128 for i in range(n)))
def conv(dw, ref, h, w, c, oc, k, s, pad):
    oh = (h + 2 * pad - k) // s + 1
    p = [1, h, w, c, oh, oh, oc, k, k, s, s, 1, 1, pad, pad, 3, -5, -128, 127]
    if dw:
        p.append(oc // c)
    x = buf(h * w * c, 37, 11)
    wt = buf(k * k * (1 if dw else c) * oc, 53, 7)
    bias = array('i', (i * 97 - 400 for i in range(oc)))
    out = array('b', bytes(oh * oh * oc))
    f = (_micronn.depthwise_conv2d_s8 if dw else _micronn.conv2d_s8) if not ref else (
        _micronn.depthwise_conv2d_s8_ref if dw else _micronn.conv2d_s8_ref)
    f(x, wt, bias, out, array('i', p), array('i', [1395864371 + i for i in range(oc)]), array('i', [-7] * oc))
    return bytes(out)
def fc(ref, n, i, o):
    x = buf(n * i, 29, 3)
    wt = buf(i * o, 61, 5)
    out = array('b', bytes(n * o))
    f = _micronn.fully_connected_s8_ref if ref else _micronn.fully_connected_s8
    f(x, wt, array('i', range(o)), out, i, o, 4, -3, array('i', [1500000000] * o), array('i', [-8] * o), -128, 127)
    return bytes(out)
for name, call in [("conv", lambda r: conv(False, r, 13, 13, 8, 16, 3, 1, 1)),
                   ("conv_s2", lambda r: conv(False, r, 16, 16, 8, 8, 3, 2, 1)),
                   ("dw", lambda r: conv(True, r, 24, 24, 16, 16, 3, 1, 1)),
                   ("fc1", lambda r: fc(r, 1, 256, 100)),
                   ("fc4", lambda r: fc(r, 4, 128, 40)),
                   ("small", lambda r: conv(False, r, 4, 4, 2, 2, 3, 1, 1))]:
    j = _micronn.core1_jobs()
    got = call(False)
    print("JOB", name, _micronn.core1_jobs() - j, got == call(True))
# _thread takes core 1 from micronn's worker: the layers run on core 0 alone, still correct
import _thread, time
state = [0]
def spin():
    while state[0] == 0:
        time.sleep_ms(1)
    state[0] = 2
_thread.start_new_thread(spin, ())
time.sleep_ms(5)
for k in range(2):
    j = _micronn.core1_jobs()
    got = conv(False, False, 13, 13, 8, 16, 3, 1, 1)
    print("THREAD", k, _micronn.core1_jobs() - j, got == conv(False, True, 13, 13, 8, 16, 3, 1, 1))
state[0] = 1
while state[0] != 2:
    time.sleep_ms(1)
print("THREAD done")
"""


def test_core1_computes_a_part():
    require_firmware(BOARD)
    rc, out = boards.run_script(BOARD, _COUNTER_SCRIPT, timeout=600)
    assert rc == 0, out
    jobs = {p[1]: (int(p[2]), p[3]) for p in (line.split() for line in out.splitlines()) if p[:1] == ["JOB"]}
    assert set(jobs) == {"conv", "conv_s2", "dw", "fc1", "fc4", "small"}, out
    for name, (n, same) in jobs.items():
        assert same == "True", "%s: the two-core output differs from the reference kernel's" % name
        assert n == (0 if name == "small" else 1), "%s: core 1 computed %d parts" % (name, n)
    # with a _thread thread on core 1: not picked up (core 0 takes it back), then not offered
    threaded = [line.split() for line in out.splitlines() if line.startswith("THREAD")]
    assert threaded == [["THREAD", "0", "0", "True"], ["THREAD", "1", "0", "True"], ["THREAD", "done"]], out


if __name__ == "__main__":
    pytest.main([__file__])
