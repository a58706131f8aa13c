"""The converter's refusals for the float32 layers (ops_f32.py): each names the op and the reason."""

import numpy as np
import opcases_f32 as cases
import pytest

from host_tools import convert
from host_tools.check.modelgen import ModelBuilder, activation_code, schema


def _conv(activation="NONE", weights_dtype=np.float32):
    b = ModelBuilder("micronn f32 refusal")
    x = b.add_input("input", (1, 5, 5, 2), np.float32)
    q = {"scale": 0.01, "zero_point": 0} if weights_dtype == np.int8 else {}
    w = b.add_tensor("filter", (3, 3, 3, 2), weights_dtype, data=np.ones((3, 3, 3, 2)), **q)
    y = b.add_output("output", (1, 5, 5, 3), np.float32)
    o = schema.Conv2DOptionsT()
    o.padding = schema.Padding.SAME
    o.strideH = o.strideW = o.dilationHFactor = o.dilationWFactor = 1
    o.fusedActivationFunction = activation_code(activation) if activation != "TANH" else 4
    b.add_operator("CONV_2D", [x, w, -1], [y], o)
    return b.finish()


def test_fused_tanh_is_refused():
    # TFLM's float kernels would ignore it (CalculateActivationRange has no TANH): refused, named
    with pytest.raises(convert.ConvertError, match="CONV_2D float32: fused activation TANH is not supported"):
        convert.convert(_conv("TANH"))


def test_int8_weights_under_a_float_input_are_refused():
    with pytest.raises(convert.ConvertError, match="CONV_2D float32: tensor filter is int8, expected float32"):
        convert.convert(_conv(weights_dtype=np.int8))


def test_fully_connected_rows_must_match():
    rng = np.random.default_rng(1)
    m = cases.fc_model((2, 9), (3, 4), cases.values(rng, (4, 9)), cases.values(rng, (4,)))
    with pytest.raises(convert.ConvertError, match=r"FULLY_CONNECTED float32: input \(2, 9\) is not 3 rows of 9"):
        convert.convert(m)


def test_absent_bias_is_zeros():
    c = convert.convert(_conv("RELU"))
    (op,) = c.ops
    bias = op.inputs[2]
    assert bias.is_const and np.frombuffer(bias.data, np.float32).tolist() == [0.0, 0.0, 0.0]
