"""In-place elementwise ops: the converter lets an ADD / table activation / requantize output take
the bytes of an input that dies there, and the runtime accepts exactly that overlap. Checked on a
residual block whose peak is the ADD (3 tensors live, 2 with in-place), bit-exact vs TFLite Micro
on numpy and the device boards, with an arena smaller than TFLM's."""

import numpy as np
import pytest
from conftest import boards, require_firmware

from host_tools import convert
from host_tools.check import runner, tflm
from host_tools.check.modelgen import ModelBuilder, schema

SHAPE = (1, 8, 8, 16)
N = int(np.prod(SHAPE))


def residual_model():
    """x -> RELU -> a; a -> LOGISTIC -> b; ADD(a, b) -> c; c -> TANH -> y."""
    b = ModelBuilder("micronn in-place test")
    x = b.add_input("x", SHAPE, np.int8, 0.05, 3)
    a = b.add_tensor("a", SHAPE, np.int8, 0.04, -128)
    s = b.add_tensor("b", SHAPE, np.int8, 1.0 / 256, -128)
    c = b.add_tensor("c", SHAPE, np.int8, 0.03, -90)
    y = b.add_output("y", SHAPE, np.int8, 1.0 / 128, 0)
    b.add_operator("RELU", [x], [a])
    b.add_operator("LOGISTIC", [a], [s])
    b.add_operator("ADD", [a, s], [c], schema.AddOptionsT(), version=2)
    b.add_operator("TANH", [c], [y])
    return b.finish()


def test_add_output_takes_a_dying_input():
    src = residual_model()
    c = convert.convert(src)
    # LOGISTIC cannot (a is still needed by ADD); ADD can (a and b die there); TANH writes the
    # graph output, which keeps its own memory.
    assert c.in_place == [(2, "ADD")]
    assert c.arena_size == 2 * N
    assert tflm.arena_usage(src)["head"] >= 3 * N


def test_inplace_bitexact_numpy_and_devices():
    src = residual_model()
    x = np.random.default_rng(5).integers(-128, 128, SHAPE, dtype=np.int8)
    want = tflm.run(src, [x])
    got = runner.run(src, [x], backend="numpy").outputs
    assert np.array_equal(got[0], want[0])
    for board in boards("MICRONN_MODEL_BOARDS", "unix,MPS2_AN386,MPS2_AN385"):
        require_firmware(board)
        got = runner.run_many([(src, [x])], board)[0].outputs
        assert np.array_equal(got[0], want[0]), board


def test_runtime_refuses_overlap_outside_in_place_ops():
    """Exact overlap of output and input is accepted only for in-place ops; partial overlap never.
    (The converter runs the runtime's checks on what it writes: they raise here.)"""
    from host_tools.check import modelgen

    c = convert.convert(modelgen.fully_connected(np.random.default_rng(1), 1, 8, 8))
    x, y = c.ops[0].inputs[0], c.ops[0].outputs[0]
    y.offset = x.offset  # FULLY_CONNECTED reads all of x for every output: not in-place
    with pytest.raises(convert.ConvertError, match="overlap in the arena"):
        c.serialize()
    c = convert.convert(residual_model())
    a, b = (next(t for t in c.tensors if t.name == n) for n in "ab")
    b.offset = a.offset + 16 if a.offset == 0 else a.offset - 16  # LOGISTIC, partially over a
    with pytest.raises(convert.ConvertError, match="overlap in the arena"):
        c.serialize()


def test_in_place_ops_are_add_requantize_and_the_tables():
    from micronn import oplist

    luts = {k for k, v in oplist.OPS.items() if v[1] == "lut_s8"}
    assert len(luts) == 8
    assert set(oplist.IN_PLACE) == {oplist.ADD, oplist.REQUANTIZE} | luts
