"""ARG_MAX / ARG_MIN: what the converter refuses where TFLite Micro does too (the cases are in
opcases_nn.py)."""

import numpy as np
import opcases_nn
import pytest

from host_tools.check import tflm
from host_tools.convert import ConvertError, convert


@pytest.mark.parametrize("op", ["ARG_MAX", "ARG_MIN"])
def test_int64_output_is_refused(op):
    model = opcases_nn.arg_model(op, (3, 4), 1, np.float32, output_dtype=np.int64)
    with pytest.raises(ConvertError, match="int32 outputs only"):
        convert(model)
    with pytest.raises(RuntimeError, match="invocation failed"):  # TFLite Micro refuses it too
        tflm.run(model, [np.zeros((3, 4), np.float32)])


def test_int32_input_has_no_rule():
    model = opcases_nn.arg_model("ARG_MAX", (3, 4), 1, np.int32)
    with pytest.raises(ConvertError, match="ARG_MAX"):
        convert(model)
