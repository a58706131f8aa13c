"""Patch-based inference (issue 17): the stage run patch by patch (micronn.patched) equals the
unpatched run element for element, and live TFLite Micro, on vww_96 and person_detect, on numpy
and on the boards; the planner meets a budget or names the smallest arena it reaches."""

import binascii
import os
import tempfile

import micronn
import numpy as np
import pytest
from conftest import boards, require_firmware
from micronn import patched
from test_models import bmp_pixels, model_bytes, stored_io

from host_tools import convert
from host_tools.check import tflm
from host_tools.convert import patch

PATCH_BOARDS = boards("MICRONN_MODEL_BOARDS", "unix,MPS2_AN386,MPS2_AN385")
# (stage ops, grid rows, grid columns): the chosen patchings and corners (one op, a grid as
# fine as the stage output allows in one direction, uneven splits, a stage ending on a stride-2
# depthwise)
PATCHINGS = [(2, 2, 2), (4, 3, 3), (4, 8, 8), (3, 5, 2), (8, 6, 6), (1, 3, 4), (5, 1, 24)]


def patched_model(name, n, gh, gw):
    conv = convert.convert(model_bytes(name))
    p = patch.Patching(conv, patch.stage_chain(conv), n, gh, gw)
    return patch.replan(conv, p).serialize(), p


def sample(name):
    if name == "person_detect":
        return bmp_pixels("person.bmp")
    return stored_io(name)[0][0]


def stage_output(m, plan, x, patches):
    """The stage output bytes of model m on x: by patches (micronn.patched) or op by op."""
    m.set_inputs([x])
    if patches:
        patched.run_stage(m.steps, plan)
    else:
        for fn, args in m.steps[:plan[0]]:
            fn(*args)
    n = plan[0]
    return bytes(m.steps[n - 1][1][plan[4][n - 1]])


@pytest.mark.parametrize("name", ["vww_96_int8", "person_detect"])
@pytest.mark.parametrize("n,gh,gw", PATCHINGS)
def test_numpy_patched_bitexact(name, n, gh, gw):
    data, p = patched_model(name, n, gh, gw)
    plan = p.plan()
    rng = np.random.default_rng(n * 100 + gh * 10 + gw)
    real = sample(name)
    for x in (real, rng.integers(-128, 128, size=real.shape, dtype=np.int8)):
        got = stage_output(micronn.load(data), plan, x, True)
        want = stage_output(micronn.load(data), plan, x, False)
        diff = int(np.sum(np.frombuffer(got, np.int8) != np.frombuffer(want, np.int8)))
        assert diff == 0, "stage output: %d of %d elements differ" % (diff, len(want))
        y = np.frombuffer(bytes(patched.run(micronn.load(data), plan, [x])), np.int8)
        live = np.asarray(tflm.run(model_bytes(name), [x])[0]).reshape(-1).view(np.int8)
        assert np.array_equal(y, live), (y, live)


_SCRIPT = """\
import binascii
import micronn
from micronn import patched
m = micronn.load("model.micronn")
plan = {plan!r}
m.input_view(0)[:] = binascii.unhexlify("{x}")
patched.run_stage(m.steps, plan)
print("STAGE", binascii.crc32(bytes(m.steps[plan[0] - 1][1][plan[4][plan[0] - 1]])))
for fn, args in m.steps[plan[0]:]:
    fn(*args)
print("OUT", str(binascii.hexlify(bytes(m.output_view(0))), "ascii"))
m.input_view(0)[:] = binascii.unhexlify("{x}")
for fn, args in m.steps[:plan[0]]:
    fn(*args)
print("UNPATCHED", binascii.crc32(bytes(m.steps[plan[0] - 1][1][plan[4][plan[0] - 1]])))
try:  # a row past the source's end
    micronn.kernels.copy_rect(bytearray(16), 0, 4, bytearray(8), 0, 4, 4, 3)
except ValueError as e:
    print("ERROR", e)
"""


@pytest.mark.device
@pytest.mark.parametrize("board", PATCH_BOARDS)
@pytest.mark.parametrize("name", ["vww_96_int8", "person_detect"])
def test_device_patched_bitexact(board, name):
    """On the firmware (its C kernels): the stage by patches gives the unpatched stage output's
    crc32 and the whole model gives TFLM's output, on the real sample, for the patching the
    planner picks and a fine grid."""
    from host_tools.device import boards as b

    require_firmware(board)
    x = sample(name)
    live = np.asarray(tflm.run(model_bytes(name), [x])[0]).reshape(-1).view(np.int8)
    conv = convert.convert(model_bytes(name))
    picked = patch.choose(conv)
    for n, gh, gw in [(picked.n, picked.gh, picked.gw), (4, 8, 8)]:
        data, p = patched_model(name, n, gh, gw)
        with tempfile.TemporaryDirectory(prefix="micronn-patch-") as tmp:
            with open(os.path.join(tmp, "model.micronn"), "wb") as f:
                f.write(data)
            rc, out = b.run_script(board, _SCRIPT.format(plan=p.plan(), x=np.ascontiguousarray(x).tobytes().hex()), cwd=tmp)
        assert rc == 0, out[-3000:]
        lines = dict(line.split(" ", 1) for line in out.splitlines() if " " in line)
        assert lines["STAGE"] == lines["UNPATCHED"], out[-2000:]
        assert lines["ERROR"].startswith("copy_rect: 3 rows of 4 bytes"), out[-2000:]
        y = np.frombuffer(binascii.unhexlify(lines["OUT"].strip()), np.int8)
        assert np.array_equal(y, live), (name, n, gh, y, live)


@pytest.mark.parametrize("name", ["vww_96_int8", "person_detect"])
def test_planner_budget(name):
    conv = convert.convert(model_bytes(name))
    base = conv.arena_size
    cands = patch.candidates(conv)
    smallest = min(c.arena for c in cands)
    assert smallest < base
    # a budget between the smallest reachable and today's arena: met, with the fewest extra MACs
    budget = (smallest + base) // 2
    p = patch.choose(conv, budget=budget)
    assert p.arena <= budget
    assert p.extra_macs == min(c.extra_macs for c in cands if c.arena <= budget)
    # the arena already fits: no patching
    assert patch.choose(conv, budget=base) is None
    with pytest.raises(convert.ConvertError, match="smallest patched arena is %d bytes" % smallest):
        patch.choose(conv, budget=smallest - 1)
    # no budget: the smallest arena within 10 % more MACs
    p = patch.choose(conv)
    total = sum(op.macs for op in conv.ops)
    assert p.arena < base and p.extra_macs <= total // 10


def test_planner_windows_cover_and_pad_at_borders_only():
    """Every patch's windows: the patch outputs tile the stage output exactly; padding only
    where a window touches the true border."""
    conv = convert.convert(model_bytes("vww_96_int8"))
    chain = patch.stage_chain(conv)
    p = patch.Patching(conv, chain, 4, 3, 5)
    g = chain[3].g
    cover = np.zeros((g["out_h"], g["out_w"]), dtype=int)
    for (r0, r1, c0, c1), windows, params in p.patches:
        cover[r0:r1, c0:c1] += 1
        for k, (w, q) in enumerate(zip(windows, params)):
            f = chain[k].fields
            if w[0] > 0:
                assert q[f["pad_t"]] == 0, (k, w)
            if w[2] > 0:
                assert q[f["pad_l"]] == 0, (k, w)
    assert (cover == 1).all()
