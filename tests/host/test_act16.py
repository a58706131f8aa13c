"""The int16 activations, pools and SOFTMAX (ops_act16.py) beyond their opcases: the models TFLite
Micro's Prepare refuses are refused by the converter too, with the op and the reason named; the
kernels' argument checks name the argument."""

import numpy as np
import opcases_act16 as oc
import pytest

from host_tools import convert, reference
from host_tools.check import tflm
from host_tools.check.modelgen import ModelBuilder, schema
from host_tools.ops import ops_act16

_X = (4, 9)


def _prelu_int16_alpha():
    b = ModelBuilder("prelu int16 alpha")
    x = b.add_input("input", _X, np.int16, 0.001, 0)
    a = b.add_tensor("alpha", (9,), np.int16, 0.01, 0, data=np.arange(9))
    y = b.add_output("output", _X, np.int16, 0.001, 0)
    b.add_operator("PRELU", [x, a], [y])
    return b.finish()


def _pool_mismatch():
    b = ModelBuilder("pool quantization")
    x = b.add_input("input", _X4, np.int16, 0.001, 0)
    y = b.add_output("output", (1, 2, 2, 2), np.int16, 0.002, 0)
    o = schema.Pool2DOptionsT()
    o.padding, o.strideH, o.strideW, o.filterHeight, o.filterWidth = schema.Padding.VALID, 2, 2, 2, 2
    b.add_operator("AVERAGE_POOL_2D", [x], [y], o)
    return b.finish()


_X4 = (1, 4, 4, 2)
REFUSED = [  # (id, model, input shape, what the error says after "op 0 (NAME): ")
    ("logistic zero point", oc.unary_model("LOGISTIC", _X, (2.0 ** -12, 3), (2.0 ** -15, 0)), _X,
     r"LOGISTIC int16: zero points 3, 0 \(TFLite Micro requires 0"),
    ("logistic output scale", oc.unary_model("LOGISTIC", _X, (2.0 ** -12, 0), (2.0 ** -14, 0)), _X,
     r"LOGISTIC int16: output scale .*expected 2\^-15"),
    ("tanh output scale", oc.unary_model("TANH", _X, (0.0003, 0), (0.0001, 0)), _X,
     r"TANH int16: output scale .*expected 2\^-15"),
    ("relu zero point", oc.unary_model("RELU", _X, (0.001, 0), (0.001, -5)), _X, r"RELU int16: zero points 0, -5"),
    ("softmax output scale", oc.unary_model("SOFTMAX", _X, (0.001, 0), (1.0 / 256, 0), schema.SoftmaxOptionsT()),
     _X, r"SOFTMAX int16: output scale .*expected 1/32768"),
    ("softmax zero point", oc.unary_model("SOFTMAX", _X, (0.001, 4), (1.0 / 32768, 0), schema.SoftmaxOptionsT()),
     _X, r"SOFTMAX int16: zero points 4, 0"),
    ("pool quantization", _pool_mismatch(), _X4, r"AVERAGE_POOL_2D int16: input and output quantization must be equal"),
    ("prelu int16 alpha", _prelu_int16_alpha(), _X, r"PRELU int16: alpha must be int8"),
]


@pytest.mark.parametrize("k", range(len(REFUSED)), ids=[r[0] for r in REFUSED])
def test_refused_as_tflm_refuses(k):
    _, model, shape, match = REFUSED[k]
    with pytest.raises(convert.ConvertError, match=r"^op 0 \(\w+\): " + match):
        convert.convert(model)
    with pytest.raises(RuntimeError):  # TFLite Micro's Prepare fails on it too
        tflm.run(model, [np.zeros(shape, np.int16)])


def test_kernel_checks_name_the_argument():
    params = np.array(ops_act16.SIGMOID16.pack(input_multiplier=3, input_left_shift=0), np.int32)
    table = reference.act16.sigmoid_table()
    x, y = np.zeros(8, np.int16), np.zeros(8, np.int16)
    reference.logistic_s16(x, table, y, params)
    assert (y == 16384).all()
    with pytest.raises(ValueError, match="table"):
        reference.logistic_s16(x, table[:255], y, params)
    with pytest.raises(ValueError, match="input_multiplier"):
        reference.logistic_s16(x, table, y, np.array([0, 0], np.int32))
    with pytest.raises((TypeError, ValueError), match="input"):
        reference.logistic_s16(x.astype(np.int8), table, y, params)


def test_softmax_tables_are_tflms_shape():
    """exp(0) and 1/(1+0) map to the top of the int16 range (output scale 2/65535, zero point 0)."""
    exp_t, rec_t = reference.act16.softmax_tables()
    assert exp_t.shape == rec_t.shape == (513,)
    assert exp_t[-1] == 32767 and rec_t[0] == 32767
    assert (np.diff(exp_t.astype(np.int64)) >= 0).all() and (np.diff(rec_t.astype(np.int64)) <= 0).all()
