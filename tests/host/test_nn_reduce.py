"""Reductions (MEAN, SUM, REDUCE_MAX, REDUCE_MIN, REDUCE_ALL): what the converter refuses (and
TFLite Micro refuses too), the axis folding, and the numpy kernel's argument checks (the
generated C binding makes the same ones; the cases themselves are in opcases_nn.py)."""

import numpy as np
import opcases_nn
import pytest

from host_tools import reference
from host_tools.check import tflm
from host_tools.convert import ConvertError, convert
from host_tools.convert.rules import nn as rules_nn
from host_tools.ops import ops_nn


@pytest.mark.parametrize("op", ["REDUCE_MAX", "REDUCE_MIN"])
def test_int8_max_min_need_the_same_quantization(op):
    model = opcases_nn.reduce_model(op, (2, 3, 4), [1], False, np.int8, (0.05, 3), (0.04, 3))
    with pytest.raises(ConvertError, match="quantization differ"):
        convert(model)
    with pytest.raises(RuntimeError, match="invocation failed"):  # TFLite Micro refuses it too
        tflm.run(model, [np.zeros((2, 3, 4), np.int8)])


def test_axis_out_of_range_is_refused():
    model = opcases_nn.reduce_model("SUM", (2, 3), [0], False, np.float32)
    with pytest.raises(ConvertError, match="axis 2 out of range"):
        rules_nn.resolve_axes([2], 2)
    convert(model)  # the valid axis converts


def test_empty_input_is_refused():
    with pytest.raises(ConvertError, match="empty"):
        rules_nn.reduce_params((2, 0, 3), [1])


def test_axis_folding():
    # adjacent kept / reduced dims merge, size-1 dims vanish, repeats and negatives resolve
    axes = rules_nn.resolve_axes([-1, 1, 3, 1], 4)
    assert axes == [3, 1]
    dims, strides, n = rules_nn.reduce_params((2, 3, 1, 5), axes)
    assert n == 15
    assert dims == [1, 1, 1, 2, 1, 1, 1, 15] and strides == [0, 0, 0, 15, 0, 0, 0, 1]
    dims, strides, n = rules_nn.reduce_params((2, 3, 4, 5), [0, 2])
    assert dims == [1, 1, 3, 5, 1, 1, 2, 4] and strides == [0, 0, 20, 1, 0, 0, 60, 5]


def test_mean_multiplier_is_tflm_s():
    # QuantizedMeanOrSum: shift = min(floor(log2 n), 32, 31 + shift), multiplier << shift / n
    assert rules_nn.mean_multiplier(1 << 30, 0, 49) == (((1 << 30) << 5) // 49, -5)
    assert rules_nn.mean_multiplier(1 << 30, -30, 1 << 20) == (2048, -31)  # shift capped at 31 + shift = 1


def _params(**kw):
    f = {"op": 0, "input_offset": 0, "output_offset": 0, "multiplier": 1 << 30, "shift": 0}
    for k in range(8):
        f["d%d" % k], f["s%d" % k] = 1, 0
    f.update(kw)
    return np.array(ops_nn.REDUCE.pack(**f), np.int32)


def test_kernel_argument_checks():
    p = _params(d3=3, s3=4, d7=4, s7=1)
    out = np.zeros(3, np.int8)
    reference.reduce_s8(np.arange(12, dtype=np.int8), out, p)
    assert out.tolist() == [3, 11, 19]  # sum / 2 of each row: rq(6, 2^30, 0) = 3, ...
    with pytest.raises(ValueError, match="input"):
        reference.reduce_s8(np.zeros(11, np.int8), out, p)
    with pytest.raises(ValueError, match="output"):
        reference.reduce_s8(np.zeros(12, np.int8), np.zeros(4, np.int8), p)
    bad = p.copy()
    bad[ops_nn.REDUCE.index["op"]] = 4
    with pytest.raises(ValueError, match="op"):
        reference.reduce_s8(np.zeros(12, np.int8), out, bad)
    with pytest.raises(ValueError, match="params"):
        reference.reduce_f32(np.zeros(12, np.float32), np.zeros(3, np.float32), p[:-1])
