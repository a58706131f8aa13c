"""Data movement on int16: what the converter refuses because TFLite Micro refuses it too (the
cases themselves are in opcases_move16.py)."""

import numpy as np
import pytest
from opcases_move16 import _concat_scales

from host_tools.check import runner, tflm
from host_tools.check.modelgen import ModelBuilder, schema
from host_tools.convert import ConvertError, convert


def _concat_zp(zp_in, zp_out):
    b = ModelBuilder("micronn test_move16")
    x = [b.add_input("in%d" % k, (2, 3), np.int16, 0.001, zp) for k, zp in enumerate(zp_in)]
    y = b.add_output("output", (2, 3 * len(zp_in)), np.int16, 0.001, zp_out)
    o = schema.ConcatenationOptionsT()
    o.axis = 1
    b.add_operator("CONCATENATION", x, [y], o)
    return b.finish()


@pytest.mark.parametrize("zp_in, zp_out", [((0, 4), 0), ((0, 0), -2)])
def test_int16_concatenation_needs_zero_points_0(zp_in, zp_out):
    model = _concat_zp(zp_in, zp_out)
    with pytest.raises(ConvertError, match=r"CONCATENATION int16: input in\d zero point -?\d, output -?\d "
                                           r"\(TFLite Micro requires 0\)"):
        convert(model)
    with pytest.raises(RuntimeError, match="zero_point != 0"):  # TFLite Micro refuses it too
        tflm.run(model, [np.zeros((2, 3), np.int16)] * len(zp_in))


def test_int16_concatenation_copies_across_scales():
    # as TFLite Micro: the bytes, not the real values
    x = [np.arange(12, dtype=np.int16).reshape(2, 3, 2), -np.arange(8, dtype=np.int16).reshape(2, 2, 2)]
    model = _concat_scales([(0.001, (2, 3, 2)), (0.01, (2, 2, 2))], (0.002, (2, 5, 2)), 1)
    want = np.concatenate(x, axis=1)
    assert np.array_equal(tflm.run(model, x)[0], want)
    assert np.array_equal(runner.run(convert(model).serialize(), x, backend="numpy").outputs[0], want)
