"""The unary ops' refusals and tables: TFLite Micro's failures (RSQRT int8 below the input zero
point) and refusals (LOG_SOFTMAX int8's output quantization, rows too long for its Q12 sum) are
micronn's too; every int8 table entry is TFLite Micro's result for that input."""

import numpy as np
import pytest
from conftest import require_firmware

from host_tools import convert, reference
from host_tools.check import runner, tflm
from host_tools.ops import ops_unary
from host_tools.reference import unary as ru


def test_rsqrt_s8_below_the_zero_point_is_refused_as_tflm_does():
    import opcases_unary

    model = opcases_unary.unary("RSQRT", (1, 6), np.int8, (0.05, -10), (0.02, 0))
    ins = [np.array([[-10, 0, 5, -11, 100, 127]], np.int8)]
    with pytest.raises(RuntimeError, match="invocation failed"):
        tflm.run(model, ins)
    data = convert.convert(model).serialize()
    with pytest.raises(ValueError, match="below -10"):
        runner.run(data, ins, backend="numpy")
    require_firmware("unix")
    with pytest.raises(RuntimeError, match="below -10"):
        runner.run_many([(data, ins)], "unix")


def test_unary_s8_checks_its_arguments():
    x = np.zeros(5, np.int8)
    t = np.zeros(256, np.int8)
    p = np.array(ops_unary.UNARYS8.pack(min_input=-128), np.int32)
    with pytest.raises(ValueError, match="table"):
        reference.unary_s8(x, t[:255], np.zeros(5, np.int8), p)
    with pytest.raises(ValueError, match="output"):
        reference.unary_s8(x, t, np.zeros(4, np.int8), p)
    with pytest.raises(ValueError, match=r"min_input"):
        reference.unary_s8(x, t, np.zeros(5, np.int8), np.array([200], np.int32))


@pytest.mark.parametrize("op", ["ABS", "RSQRT"])
def test_int8_tables_are_tflm_on_every_input(op):
    import opcases_unary

    qin, qout = (0.037, -128), (0.011, 3)
    x = np.arange(-128, 128, dtype=np.int64).astype(np.int8)
    model = opcases_unary.unary(op, x.shape, np.int8, qin, qout)
    want = tflm.run(model, [x])[0]
    table = (ru.abs_table_s8 if op == "ABS" else ru.rsqrt_table_s8)(*qin, *qout)
    assert np.array_equal(table[x.view(np.uint8)], want)


def test_log_softmax_s8_refusals():
    import opcases_nn

    from host_tools.check.modelgen import ModelBuilder, schema

    with pytest.raises(convert.ConvertError, match=r"last dim 4096 > 4095"):
        convert.convert(opcases_nn.log_softmax_model((1, 4096), np.int8, (0.1, 0)))
    b = ModelBuilder("log_softmax bad output")
    x = b.add_input("input", (1, 8), np.int8, 0.1, 0)
    y = b.add_output("output", (1, 8), np.int8, 1.0 / 256, -128)
    b.add_operator("LOG_SOFTMAX", [x], [y], schema.LogSoftmaxOptionsT())
    with pytest.raises(convert.ConvertError, match="16/256, 127"):
        convert.convert(b.finish())
