"""fully_connected_s8 in C on the firmware (unix, QEMU M3, M4, ...) against TFLite Micro:
96 generated single-op models, converted and run in one firmware session per board."""

import numpy as np
import pytest
from conftest import boards, require_firmware
from test_fully_connected_tflm import MODES, SIZES, _seed

from host_tools import convert
from host_tools.check import modelgen, runner, tflm


def cases():
    out = []
    for size in SIZES:
        for mode in MODES:
            seed = _seed(size, mode)
            batches, in_f, out_f = size
            per_channel, bias, act = mode
            model = modelgen.fully_connected(np.random.default_rng(seed), batches, in_f, out_f,
                                             per_channel=per_channel, bias=bias, activation=act)
            rng = np.random.default_rng(seed + 1)
            x = modelgen.random_input(rng, (batches, in_f))
            out.append((model, x))
    return out


@pytest.mark.parametrize("board", boards())
def test_fc_models_on_device_match_tflm(board):
    require_firmware(board)
    cs = cases()
    assert len(cs) >= 50
    results = runner.run_many([(convert.convert(m).serialize(), [x]) for m, x in cs], board)
    for k, ((model, x), res) in enumerate(zip(cs, results)):
        want = tflm.run(model, [x])[0]
        assert np.array_equal(res.outputs[0].reshape(want.shape), want), "case %d differs" % k
