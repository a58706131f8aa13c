"""SVDF's state across runs: each model of opcases_svdf.STEPS runs its inputs one after the other
on one micronn model (numpy backend and every test board), then reset() and two runs more,
against the same calls on one live TFLite Micro interpreter (which keeps the state in its
variable tensor between invoke() calls and resets it to the zero point)."""

import functools

import pytest
from conftest import boards, require_firmware
from opcases_svdf import STEPS
from test_ops_tflm import check

from host_tools import convert
from host_tools.check import runner, tflm


def _steps(k):
    steps = STEPS[k][2]
    return steps + [None] + steps[:2]


@functools.lru_cache(maxsize=None)
def _tflm(k):
    s = tflm.Session(STEPS[k][1])
    out = []
    for ins in _steps(k):
        if ins is None:
            s.reset()
            out.append(None)
        else:
            out.append(s.run(ins))
    return out


def _check(k, got, where):
    for s, (g, w) in enumerate(zip(got, _tflm(k))):
        if w is not None:
            check("%s run %d%s" % (STEPS[k][0], s, where), g, w)


@pytest.mark.parametrize("k", range(len(STEPS)), ids=[c[0] for c in STEPS])
def test_numpy_backend_steps_vs_tflm(k):
    data = convert.convert(STEPS[k][1]).serialize()
    (got,) = runner.run_steps([(data, _steps(k))])
    _check(k, got, "")


@pytest.mark.parametrize("board", boards())
def test_board_steps_vs_tflm(board):
    require_firmware(board)
    cases = [(convert.convert(m).serialize(), _steps(k)) for k, (_, m, _) in enumerate(STEPS)]
    for k, got in enumerate(runner.run_steps(cases, board)):
        _check(k, got, " on " + board)
