"""SPACE_TO_BATCH_ND with padding: TFLite Micro's kernel pads with its params' output_offset,
which its Init/Prepare never set (uninitialized arena bytes: 0x62 patterns in the Python
interpreter), so the padding cannot be checked against it. micronn pads with 0 (int8: the output
zero point) as LiteRT's kernel does: each case equals LiteRT's reference kernels bit for bit, and
live TFLM everywhere outside the padding, on the numpy backend and on every test board."""

import functools

import numpy as np
import pytest
from conftest import boards, require_firmware
from opcases_shape import _add, _model
from test_activations import litert_run

from host_tools import convert
from host_tools.check import runner, tflm
from host_tools.check.modelgen import schema

# (shape, block, paddings, type, output zero point)
PADDED = [((2, 3, 5, 2), [2, 3], [[1, 0], [0, 1]], "f32", None),
          ((2, 3, 5, 2), [2, 3], [[1, 0], [0, 1]], "s8", -128),
          ((1, 5, 2), [3], [[2, 2]], "s8", 5),
          ((1, 2, 3, 1), [1, 2], [[0, 0], [1, 2]], "s8", 127),
          ((1, 4, 3, 3), [2, 2], [[1, 1], [2, 1]], "f32", None)]


def _cases():
    from opcases_shape import CASES

    out = []
    for k, (shape, block, pads, t, zp) in enumerate(PADDED):
        sp = [d + a + b for d, (a, b) in zip(shape[1:-1], pads)]
        oshape = [shape[0] * int(np.prod(block))] + [d // b for d, b in zip(sp, block)] + [shape[-1]]
        q = None if zp is None else (0.05, zp)
        model = _model("SPACE_TO_BATCH_ND", [("input", shape)], oshape, t, schema.SpaceToBatchNDOptionsT(),
                       [(1, "block_shape", [len(block)], np.int32, block, None),
                        (2, "paddings", [len(block), 2], np.int32, pads, None)], out_q=q, in_q=q)
        n = len(CASES)
        _add("space_to_batch_nd-padded-%s-%d" % (t, k), 6250 + k, model, [shape], t)
        out.append((CASES.pop(n), _padding_mask(shape, block, pads)))
    return out


def _padding_mask(shape, block, pads):
    """True where the output is padding: the op applied to a mask of the padded input."""
    four = list(shape) if len(shape) == 4 else [shape[0], shape[1], 1, shape[2]]
    b = list(block) + [1] * (2 - len(block))
    p = [list(r) for r in pads] + [[0, 0]] * (2 - len(pads))
    m = np.pad(np.zeros(four, bool), [(0, 0), tuple(p[0]), tuple(p[1]), (0, 0)], constant_values=True)
    n, hp, wp, c = m.shape
    m = m.reshape(n, hp // b[0], b[0], wp // b[1], b[1], c).transpose(2, 4, 0, 1, 3, 5)
    return m.reshape(-1)


CASES = _cases()


@functools.lru_cache(maxsize=None)
def _converted(k):
    return convert.convert(CASES[k][0][1]).serialize()


def _check(name, got, k):
    (_, model, ins), pad = CASES[k]
    want = litert_run(model, ins)[0].reshape(-1)
    got = got.reshape(-1)
    if got.dtype == np.float32:
        got, want = got.view(np.int32), want.view(np.int32)
    assert np.array_equal(got, want), "%s: differs from LiteRT at %s" % (name, np.flatnonzero(got != want))
    ours = got if got.dtype != np.int32 else got.view(np.float32)
    theirs = tflm.run(model, ins)[0].reshape(-1)
    assert pad.any() and np.array_equal(ours[~pad], theirs[~pad]), "%s: differs from TFLM outside the padding" % name


@pytest.mark.parametrize("k", range(len(CASES)), ids=[c[0][0] for c in CASES])
def test_padded_space_to_batch_numpy(k):
    _check(CASES[k][0][0], runner.run(_converted(k), CASES[k][0][2], backend="numpy").outputs[0], k)


@pytest.mark.parametrize("board", boards())
def test_padded_space_to_batch_on_boards(board):
    require_firmware(board)
    results = runner.run_many([(_converted(k), CASES[k][0][2]) for k in range(len(CASES))], board)
    for k, res in enumerate(results):
        _check("%s on %s" % (CASES[k][0][0], board), res.outputs[0], k)


def _opts(cls, **kw):
    o = getattr(schema, cls)()
    for k, v in kw.items():
        setattr(o, k, v)
    return o


# Models TFLite Micro refuses or would read outside its input on: the converter names the op and why.
REFUSED = [
    ("TRANSPOSE", [("input", (2, 3))], [3, 3], "f32", _opts("TransposeOptionsT"),
     [(1, "perm", [2], np.int32, [1, 1], None)], r"op 0 \(TRANSPOSE\): .*not a permutation"),
    ("TRANSPOSE", [("input", (1, 2, 1, 2, 1, 2))], [2, 1, 2, 1, 2, 1], "f32", _opts("TransposeOptionsT"),
     [(1, "perm", [6], np.int32, [5, 4, 3, 2, 1, 0], None)], r"TRANSPOSE: rank 6"),
    ("PAD", [("input", (2, 3))], [3, 6], "f32", _opts("PadOptionsT"),
     [(1, "paddings", [2, 2], np.int64, [[1, 0], [1, 2]], None)], r"PAD: paddings must be a constant int32"),
    ("PAD", [("input", (2, 3))], [1, 6], "f32", _opts("PadOptionsT"),
     [(1, "paddings", [2, 2], np.int32, [[-1, 0], [1, 2]], None)], r"PAD: negative padding"),
    ("PADV2", [("input", (2, 3))], [3, 6], "s8", _opts("PadV2OptionsT"),
     [(1, "paddings", [2, 2], np.int32, [[1, 0], [1, 2]], None), (2, "constant_values", [], np.int8, 3, (0.5, 1))],
     r"PADV2: constant_values quantization .* differs"),
    ("MIRROR_PAD", [("input", (2, 3))], [2, 9], "f32", _opts("MirrorPadOptionsT", mode=0),
     [(1, "paddings", [2, 2], np.int32, [[0, 0], [3, 3]], None)], r"MIRROR_PAD: padding \(3, 3\) on dim 1 of size 3"),
    ("SLICE", [("input", (4, 5))], [2, 3], "f32", _opts("SliceOptionsT"),
     [(1, "begin", [2], np.int32, [3, 0], None), (2, "size", [2], np.int32, [2, 3], None)],
     r"SLICE: begin 3, size 2 on dim 0 of size 4"),
    ("REVERSE_V2", [("input", (2, 3, 4))], [2, 3, 4], "f32", _opts("ReverseV2OptionsT"),
     [(1, "axis", [2], np.int32, [0, 2], None)], r"REVERSE_V2: axes \[0, 2\] are not one run"),
    ("DEPTH_TO_SPACE", [("input", (1, 2, 2, 6))], [1, 4, 4, 1], "f32", _opts("DepthToSpaceOptionsT", blockSize=2),
     [], r"DEPTH_TO_SPACE: 6 channels do not divide"),
    ("SPACE_TO_BATCH_ND", [("input", (1, 5, 4, 1))], [4, 2, 2, 1], "f32", _opts("SpaceToBatchNDOptionsT"),
     [(1, "block_shape", [2], np.int32, [2, 2], None), (2, "paddings", [2, 2], np.int32, [[0, 0], [0, 0]], None)],
     r"SPACE_TO_BATCH_ND: padded 5x4 does not divide"),
]


@pytest.mark.parametrize("case", REFUSED, ids=["%s-%d" % (c[0], k) for k, c in enumerate(REFUSED)])
def test_refused_with_the_reason(case):
    op, ins, out, t, opts, consts, pattern = case
    with pytest.raises(convert.ConvertError, match=pattern):
        convert.convert(_model(op, ins, out, t, opts, consts))
