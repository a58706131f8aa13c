"""16x8 layers (ops_conv16.py): what the converter refuses, naming the op and the reason (TFLite
Micro refuses it too, or would read a bias of another type as int64), the bias types that pick
TFLM's int32 or int64 path, and int64 requantization corners of the numpy kernel (the cases
themselves, checked against live TFLM, are in opcases_conv16.py)."""

import flatbuffers
import numpy as np
import opcases_conv16 as oc
import pytest

from host_tools.check.modelgen import read_model
from host_tools.convert import ConvertError, convert
from host_tools.convert.rules import conv16 as rules
from host_tools.ops import ops_conv16
from host_tools.reference.conv16 import requantize64


def _params(model, layout):
    m = convert(model)
    p = next(t for t in m.tensors if t.name.endswith("/params"))
    return layout.named(np.frombuffer(p.data, np.int32).tolist())


@pytest.mark.parametrize("bias,bias_type,acc64", [("int64", None, 1), ("int32", None, 0), (None, None, 1),
                                                   (None, oc._I32, 0)])
def test_conv_and_fc_take_tflms_accumulator_from_the_bias_type(bias, bias_type, acc64):
    rng = np.random.default_rng(1)
    conv = oc.conv_model(rng, False, (1, 4, 4, 3), 2, (3, 3), bias=bias, bias_type=bias_type)
    assert _params(conv, ops_conv16.CONV16).acc64 == acc64
    fc = oc.fc_model(rng, 2, 5, 3, bias=bias, bias_type=bias_type)
    assert _params(fc, ops_conv16.FC16).acc64 == acc64


def test_depthwise_takes_an_int64_bias_only():
    m = oc.conv_model(np.random.default_rng(2), True, (1, 4, 4, 3), 3, (3, 3), bias="int32")
    with pytest.raises(ConvertError, match=r"bias bias is int32 \(TFLite Micro's kernel takes a constant int64"):
        convert(m)
    assert _params(oc.conv_model(np.random.default_rng(2), True, (1, 4, 4, 3), 3, (3, 3)),
                   ops_conv16.DWCONV16).acc64 == 1


def test_transpose_conv_refuses_an_int32_bias():
    m = oc.tconv_model(np.random.default_rng(3), (1, 3, 3, 2), 2, (3, 3), (2, 2), "SAME", bias="int32")
    with pytest.raises(ConvertError, match="int64 or int16 bias here"):
        convert(m)


def test_int16_zero_points_must_be_zero():
    model = read_model(oc.fc_model(np.random.default_rng(4), 1, 4, 2))
    sg = model.subgraphs[0]
    sg.tensors[sg.inputs[0]].quantization.zeroPoint = [5]
    b = flatbuffers.Builder(1024)
    b.Finish(model.Pack(b), file_identifier=b"TFL3")
    with pytest.raises(ConvertError, match="has zero point 5 \\(16x8 activations are symmetric"):
        convert(bytes(b.Output()))


def test_multipliers_past_tflms_int64_shift_are_refused():
    x = type("T", (), {"scale": 1.0})()
    y = type("T", (), {"scale": 1e-3})()
    with pytest.raises(ConvertError, match="takes shifts up to 7"):
        rules._multipliers(x, np.array([1.0], np.float32), y, 4, 1)
    # the int32 path takes them (TFLM's int32 MultiplyByQuantizedMultiplier shifts left)
    assert rules._multipliers(x, np.array([1.0], np.float32), y, 4, 0)[1].tolist() == [10] * 4


def test_requantize64_is_tflms():
    # (x * round(m / 2^16) + 2^(14 - s)) >> (15 - s); a multiplier at the top saturates to 0x7FFF
    assert requantize64(1000, 1 << 30, 0).tolist() == 500
    assert requantize64(-3, 1 << 30, 0).tolist() == -1  # -1.5 rounds up
    assert requantize64(1 << 40, 0x7FFFFFFF, -10).tolist() == ((1 << 40) * 0x7FFF + (1 << 24)) >> 25
    assert requantize64(7, 1 << 30, 7).tolist() == 7 * 64
