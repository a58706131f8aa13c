"""In-place elementwise ops: the converter lets an ADD / table activation / requantize output take
the bytes of an input that dies there, and the runtime accepts exactly that overlap. Checked on a
residual block whose peak is the ADD (3 tensors live, 2 with in-place), bit-exact vs TFLite Micro
on numpy and the device boards, with an arena smaller than TFLM's; and, for every op of
oplist.IN_PLACE, the kernel run with its output buffer == its input buffer (numpy reference and the
C kernel on the unix firmware) gives what it gives with separate buffers, and TFLite Micro's."""

import numpy as np
import pytest
from conftest import model_boards, require_firmware

from host_tools import convert
from host_tools.check import modelgen, runner, tflm
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
    for board in model_boards():
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


# ---------------------------------------------------------------------------- aliased buffers

ALIAS_SHAPE = (1, 5, 7, 9)  # 315 elements: not a multiple of 4, 8 or 16 (the SIMD tails run)


def _in_place_models(code, rng):
    """[(label, .tflite, inputs, index of the input the output is placed over)] for an in-place op."""
    from micronn import oplist

    name = oplist.OPS[code][0]
    x = modelgen.random_input(rng, ALIAS_SHAPE)
    if code in (oplist.ADD, oplist.SUB_S8):
        import opcases_math

        row = (1, 1, 1, ALIAS_SHAPE[-1])
        out = []
        for label, s1, s2, over in (("same shapes, over input 0", ALIAS_SHAPE, ALIAS_SHAPE, 0),
                                    ("same shapes, over input 1", ALIAS_SHAPE, ALIAS_SHAPE, 1),
                                    ("input 0 broadcast, over input 1", row, ALIAS_SHAPE, 1),
                                    ("input 1 broadcast, over input 0", ALIAS_SHAPE, row, 0)):
            if code == oplist.ADD:
                m = modelgen.add(rng, s1, s2, "RELU")
            else:
                m = opcases_math.binary("SUB", s1, s2, np.int8, "RELU", (0.05, -3), (0.03, 7), (0.06, 2))
            out.append((label, m, [modelgen.random_input(rng, s1), modelgen.random_input(rng, s2)], over))
        return out
    if code == oplist.REQUANTIZE:
        return [("int8 -> int8", modelgen.quantize(rng, ALIAS_SHAPE, np.int8, np.int8), [x], 0)]
    if code == oplist.DYNAMIC_UPDATE_SLICE:
        import opcases_index

        u = (1, 2, 7, 4)
        return [("update inside, over the operand", opcases_index.dus_model(ALIAS_SHAPE, u, np.int8),
                 [x, modelgen.random_input(rng, u), np.array([0, 3, -1, 6], np.int32)], 0),
                ("full-size update, over the update", opcases_index.dus_model(ALIAS_SHAPE, ALIAS_SHAPE, np.int8),
                 [x, modelgen.random_input(rng, ALIAS_SHAPE), np.array([0, 1, 0, 0], np.int32)], 1)]
    if code == oplist.LOGICAL_NOT:
        import opcases_math

        return [(name, opcases_math.unary_bool("LOGICAL_NOT", ALIAS_SHAPE), [rng.random(ALIAS_SHAPE) < 0.5], 0)]
    if oplist.OPS[code][1] == "lut_s8":
        return [(name, modelgen.activation(rng, name, ALIAS_SHAPE), [x], 0)]
    if oplist.OPS[code][1] in ("unary_f32", "unary_s8"):
        import opcases_unary

        if oplist.OPS[code][1] == "unary_f32":
            m = opcases_unary.unary(name, ALIAS_SHAPE, np.float32)
            xf = np.abs(modelgen.random_input(rng, ALIAS_SHAPE, np.float32)) + np.float32(0.1)  # no NaN (SQRT)
            return [(name + " float32", m, [xf.astype(np.float32)], 0)]
        m = opcases_unary.unary(name, ALIAS_SHAPE, np.int8, (0.05, -128), (0.03, -5))  # RSQRT: every input valid
        return [(name + " int8", m, [x], 0)]
    if oplist.OPS[code][1] == "act_f32":
        import opcases_f32

        m = opcases_f32.unary_model(name, ALIAS_SHAPE, opcases_f32.act_options(name))
        return [(name + " float32", m, [opcases_f32.act_values(rng, ALIAS_SHAPE)], 0)]
    if oplist.OPS[code][1] in ("logistic_s16", "tanh_s16", "relu_s16", "relu6_s16", "leaky_relu_s16"):
        import opcases_act16

        qout = (2.0 ** -15, 0) if name in ("LOGISTIC", "TANH") else (0.0005, 0)
        opts = opcases_act16.leaky_options(0.2) if name == "LEAKY_RELU" else None
        m = opcases_act16.unary_model(name, ALIAS_SHAPE, (0.0003, 0), qout, opts)
        return [(name + " int16", m, [modelgen.random_input(rng, ALIAS_SHAPE, np.int16)], 0)]
    if code == oplist.ABS_S16:
        import opcases_unary

        m = opcases_unary.unary("ABS", ALIAS_SHAPE, np.int16, (1e-3, 0), (7e-4, 0))
        return [("ABS int16", m, [modelgen.random_input(rng, ALIAS_SHAPE, np.int16)], 0)]
    pytest.fail("in-place op %s (opcode %d) has no model here: add one to _in_place_models" % (name, code))


def _aliased(src, code, over):
    """The converted model with the op's output placed exactly over input `over` (serialize()
    runs the runtime's checks: it raises if the runtime refuses the overlap)."""
    c = convert.convert(src)
    ops = [op for op in c.ops if op.opcode == code]
    assert len(ops) == 1, [op.opcode for op in c.ops]
    x, y = ops[0].inputs[over], ops[0].outputs[0]
    assert x.shape == y.shape and x.dtype == y.dtype and not x.is_const
    y.offset = x.offset
    return c.serialize()


def _alias_cases():
    from micronn import oplist

    rng = np.random.default_rng(2024)
    return [(code, label, src, ins, over) for code in oplist.IN_PLACE
            for label, src, ins, over in _in_place_models(code, rng)]


def _tflm(src, ins):
    try:
        return tflm.run(src, ins)[0]
    except RuntimeError as e:
        if "Didn't find op" in str(e):  # GELU: not in the TFLite Micro build (test_activations)
            return None
        raise


def _check_alias(run, cases, where):
    """run([(model bytes, inputs)]) -> results: each case with separate and with aliased buffers."""
    res = run([(convert.convert(src).serialize(), ins) for _, _, src, ins, _ in cases]
              + [(_aliased(src, code, over), ins) for code, _, src, ins, over in cases])
    for k, (code, label, src, ins, _) in enumerate(cases):
        sep, got = res[k].outputs[0], res[len(cases) + k].outputs[0]
        want = _tflm(src, ins)
        if want is not None:
            assert np.array_equal(sep.reshape(want.shape), want), "%d %s: vs TFLM on %s" % (code, label, where)
        assert np.array_equal(got, sep), "opcode %d (%s), output == input buffer, on %s: %d of %d differ" % (
            code, label, where, int(np.sum(got != sep)), sep.size)


def test_in_place_ops_alias_numpy():
    _check_alias(lambda cs: [runner.run(m, ins, backend="numpy") for m, ins in cs], _alias_cases(), "numpy")


def test_in_place_ops_alias_unix():
    require_firmware("unix")
    _check_alias(lambda cs: runner.run_many(cs, "unix"), _alias_cases(), "unix")
