"""CAST, QUANTIZE and DEQUANTIZE outside what TFLite Micro runs: the converter refuses naming the op
and the types, and the kernels refuse a type they do not take (numpy reference, as the binding)."""

import numpy as np
import pytest

from host_tools import convert, reference
from host_tools.check import modelgen
from host_tools.check.modelgen import ModelBuilder
from host_tools.convert import ConvertError
from host_tools.ops import table


def _cast(src, dst):
    b = ModelBuilder("t")
    x = b.add_input("input", (2, 3), src)
    y = b.add_output("output", (2, 3), dst)
    b.add_operator("CAST", [x], [y])
    return b.finish()


def test_converter_refuses_what_tflm_does_not_run():
    with pytest.raises(ConvertError, match="CAST: output output of bool is not supported"):
        convert.convert(_cast(np.float32, np.bool_))
    rng = np.random.default_rng(1)
    with pytest.raises(ConvertError, match="QUANTIZE float32 -> uint8 is not supported"):
        convert.convert(modelgen.quantize(rng, (1, 4), np.float32, np.uint8))
    with pytest.raises(ConvertError, match="QUANTIZE uint8 -> uint8 is not supported"):
        convert.convert(modelgen.quantize(rng, (1, 4), np.uint8, np.uint8, input_zero_point=3))


def test_cast_reference_refuses_bool_output():
    out = np.zeros(4, np.bool_)
    with pytest.raises(ValueError, match=r"params\[1\] \(output_dtype\): 7 out of range \[0, 5\]"):
        reference.cast(np.zeros(4, np.float32), out, np.array([4, 7], np.int32))
    with pytest.raises(ValueError, match="input_dtype 6 is not a type CAST supports"):
        reference.cast(np.zeros(4, np.uint64), np.zeros(4, np.int32), np.array([6, 3], np.int32))
    got = np.zeros(4, np.int32)
    reference.cast(np.array([np.nan, -np.inf, 2.9, -2147483904.0], np.float32), got,
                   np.array(table.CAST.pack(input_dtype=4, output_dtype=3), np.int32))
    assert got.tolist() == [0, -(1 << 31), 2, -(1 << 31)]
