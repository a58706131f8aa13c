"""The cases of opcases.py: converted by the converter, run through micronn on the numpy backend
and on every test board (one firmware session each), equal to live TFLite Micro element for
element (float outputs bit for bit)."""

import functools

import pytest
from conftest import boards, require_firmware
from opcases import CASES
from test_ops_tflm import check

from host_tools import convert
from host_tools.check import runner, tflm


@functools.lru_cache(maxsize=None)
def _converted(k):
    return convert.convert(CASES[k][1]).serialize()


@functools.lru_cache(maxsize=None)
def _tflm(k):
    _, model, ins = CASES[k]
    return tflm.run(model, ins)


@pytest.mark.parametrize("k", range(len(CASES)), ids=[c[0] for c in CASES])
def test_numpy_backend_vs_tflm(k):
    name, _, ins = CASES[k]
    check(name, runner.run(_converted(k), ins, backend="numpy").outputs, _tflm(k))


@pytest.mark.parametrize("board", boards())
def test_board_vs_tflm(board):
    require_firmware(board)
    results = runner.run_many([(_converted(k), CASES[k][2]) for k in range(len(CASES))], board)
    for k, res in enumerate(results):
        check("%s on %s" % (CASES[k][0], board), res.outputs, _tflm(k))
