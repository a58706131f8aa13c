"""Every Tier-1 op end to end: generated single-op .tflite -> converter -> runtime, on the numpy
backend and on each firmware board (one session per board), equal to TFLite Micro element for
element. The cases are the geometry cases of test_ops_tflm (tails, padding, strides, dilation)."""

import numpy as np
import pytest
from conftest import boards, require_firmware
from test_ops_tflm import ADD_CASES, CONV_CASES, DW_CASES, POOL_CASES

from host_tools import convert
from host_tools.check import modelgen, runner, tflm


def _cases():
    out = []
    for seed, (n, h, w, cin, cout, k, s, d, pad, act, pc, bias) in enumerate(CONV_CASES):
        rng = np.random.default_rng(11000 + seed)
        m = modelgen.conv_2d(rng, n, h, w, cin, cout, k, s, d, pad, act, pc, bias)
        out.append(("conv%d" % seed, m, [modelgen.random_input(rng, (n, h, w, cin))]))
    for seed, (n, h, w, cin, dm, k, s, d, pad, act, pc, bias) in enumerate(DW_CASES):
        rng = np.random.default_rng(12000 + seed)
        m = modelgen.depthwise_conv_2d(rng, n, h, w, cin, dm, k, s, d, pad, act, pc, bias)
        out.append(("dw%d" % seed, m, [modelgen.random_input(rng, (n, h, w, cin))]))
    for seed, (n, h, w, c, f, s, pad, act) in enumerate(POOL_CASES):
        for kind, gen in (("avg", modelgen.average_pool_2d), ("max", modelgen.max_pool_2d)):
            rng = np.random.default_rng(13000 + seed)
            out.append(("%s%d" % (kind, seed), gen(rng, n, h, w, c, f, s, pad, act),
                        [modelgen.random_input(rng, (n, h, w, c))]))
    for seed, (s1, s2, act) in enumerate(ADD_CASES):
        rng = np.random.default_rng(14000 + seed)
        out.append(("add%d" % seed, modelgen.add(rng, s1, s2, act),
                    [modelgen.random_input(rng, s1), modelgen.random_input(rng, s2)]))
    for seed, shape in enumerate([(1, 1), (1, 3), (2, 10), (1, 17), (3, 64), (1, 1000)]):
        rng = np.random.default_rng(15000 + seed)
        out.append(("softmax%d" % seed, modelgen.softmax(rng, shape), [modelgen.random_input(rng, shape)]))
    for seed, shape in enumerate([(1, 7), (2, 3, 5)]):
        rng = np.random.default_rng(16000 + seed)
        out.append(("requant%d" % seed, modelgen.quantize(rng, shape, np.int8, np.int8),
                    [modelgen.random_input(rng, shape)]))
    rng = np.random.default_rng(17000)
    out.append(("reshape", modelgen.reshape(rng, (1, 2, 3, 4), (1, 24)),
                [modelgen.random_input(rng, (1, 2, 3, 4))]))
    return out


CASES = _cases()


def _check(results):
    for (name, model, ins), res in zip(CASES, results):
        want = tflm.run(model, ins)
        for g, w in zip(res.outputs, want):
            assert np.array_equal(g.reshape(w.shape), w), "%s: %d elements differ" % (
                name, int(np.sum(g.reshape(w.shape) != w)))


def test_numpy_backend():
    assert len(CASES) > 60
    _check([runner.run(convert.convert(m).serialize(), ins) for _, m, ins in CASES])


@pytest.mark.parametrize("board", boards())
def test_device(board):
    require_firmware(board)
    _check(runner.run_many([(convert.convert(m).serialize(), ins) for _, m, ins in CASES], board))
