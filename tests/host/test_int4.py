"""INT4 area: int4 packed weights. The packing helpers against each other, and what the converter
refuses as TFLite Micro does (the cases that run are in opcases_int4.py, checked against TFLM)."""

import numpy as np
import pytest

from host_tools import convert, reference
from host_tools.check import modelgen, tflm
from host_tools.convert import ConvertError
from host_tools.ops import ops_int4


def test_pack_is_tflm_order():
    v = np.array([1, -2, 7, -8, 3])
    packed = modelgen.pack_int4(v)
    assert packed.tolist() == [0xE1, 0x87, 0x03]  # low nibble first, the last high nibble 0
    assert modelgen.unpack_int4(packed, 5).tolist() == v.tolist()
    assert reference.int4.unpack_s4(packed, 5).tolist() == v.tolist()
    with pytest.raises(ValueError, match=r"\[-8, 7\]"):
        modelgen.pack_int4([8])


def test_per_channel_int4_fc_refused_as_tflm_does():
    m = modelgen.fully_connected_int4(np.random.default_rng(5), 1, 6, 3, per_channel=True)
    with pytest.raises(RuntimeError):
        tflm.run(m, [np.zeros((1, 6), np.int8)])
    with pytest.raises(ConvertError, match="per-channel.*int4 FULLY_CONNECTED per-tensor only"):
        convert.Converter(m).convert()


def test_int4_weights_elsewhere_refused_by_name():
    b = modelgen.ModelBuilder()
    x = b.add_input("input", (1, 4), np.int8, 0.1, 0)
    w = modelgen.add_int4_tensor(b, "w4", (1, 4), [1, 2, 3, 4], 0.1, 0)
    y = b.add_output("output", (1, 4), np.int8, 0.1, 0)
    b.add_operator("ADD", [x, w], [y])
    with pytest.raises(ConvertError, match="w4"):
        convert.Converter(b.finish()).convert()


def test_reference_refuses_short_weights():
    params = np.array(ops_int4.FC4.pack(batches=1, in_features=5, out_features=3, weight_bytes=7,
                                        input_offset=0, output_offset=0, multiplier=1 << 30, shift=0,
                                        act_min=-128, act_max=127), np.int32)
    with pytest.raises(ValueError, match="weights"):
        reference.fully_connected_s4(np.zeros(5, np.int8), np.zeros(7, np.int8), None,
                                     np.zeros(3, np.int8), params)
