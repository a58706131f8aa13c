"""int16 reductions (MEAN, SUM int16): what the converter refuses (and TFLite Micro refuses too)
and the numpy kernel's argument checks (the generated C binding makes the same ones; the cases
themselves are in opcases_red16.py)."""

import numpy as np
import opcases_nn
import pytest

from host_tools import reference
from host_tools.check import tflm
from host_tools.check.modelgen import ModelBuilder, schema
from host_tools.convert import ConvertError, convert
from host_tools.ops import ops_red16


@pytest.mark.parametrize("op", ["REDUCE_MAX", "REDUCE_MIN"])
def test_int16_max_min_are_refused_as_tflm_does(op):
    # TFLite Micro's EvalMinMaxHelper runs float32 and int8 only
    model = opcases_nn.reduce_model(op, (2, 3, 4), [1], False, np.int16, (0.01, 0), (0.01, 0))
    with pytest.raises(ConvertError, match=r"input input is int16; .*TFLite Micro runs it on float32, int8\)"):
        convert(model)
    with pytest.raises(RuntimeError, match="invocation failed"):
        tflm.run(model, [np.zeros((2, 3, 4), np.int16)])


@pytest.mark.parametrize("op", ["MEAN", "SUM"])
def test_int16_input_needs_an_int16_output(op):
    b = ModelBuilder("micronn test_red16")
    x = b.add_input("input", [2, 3], np.int16, 0.01, 0)
    ax = b.add_tensor("axis", [1], np.int32, data=np.array([1], np.int32))
    y = b.add_output("output", [2], np.int8, 0.01, 0)
    b.add_operator(op, [x, ax], [y], schema.ReducerOptionsT())
    with pytest.raises(ConvertError, match=r"%s: output output is int8, the input input int16" % op):
        convert(b.finish())


def _params(**kw):
    f = {"input_offset": 0, "output_offset": 0, "multiplier": 1 << 30, "shift": 0}
    for k in range(8):
        f["d%d" % k], f["s%d" % k] = 1, 0
    f.update(kw)
    return np.array(ops_red16.REDUCE16.pack(**f), np.int32)


def test_kernel_arithmetic_and_argument_checks():
    p = _params(d3=3, s3=4, d7=4, s7=1, input_offset=-1000, output_offset=5)
    out = np.zeros(3, np.int16)
    x = np.arange(12, dtype=np.int16) * 1000
    reference.reduce_s16(x, out, p)
    # rq(sum(x - 1000), 2^30, 0) + 5 = sum / 2 + 5 of the row sums 2000, 18000, 34000
    assert out.tolist() == [1005, 9005, 17005]
    with pytest.raises(ValueError, match="input"):
        reference.reduce_s16(np.zeros(11, np.int16), out, p)
    with pytest.raises(ValueError, match="output"):
        reference.reduce_s16(x, np.zeros(4, np.int16), p)
    with pytest.raises(ValueError, match="input"):
        reference.reduce_s16(np.zeros(12, np.int8), out, p)
    bad = p.copy()
    bad[ops_red16.REDUCE16.index["output_offset"]] = 40000
    with pytest.raises(ValueError, match="output_offset"):
        reference.reduce_s16(x, out, bad)
    with pytest.raises(ValueError, match="params"):
        reference.reduce_s16(x, out, p[:-1])
