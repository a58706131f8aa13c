"""MATH-area spec invariants the C kernels rely on, and binding checks of its kernels."""

import numpy as np
import pytest

from host_tools import reference
from host_tools.ops import ops_math, table


def test_sub_layout_is_add_layout():
    """mn_sub_s8 runs mn_add_s8's body on the SUB params (read by MN_ADD_* positions)."""
    assert [(f.name, f.lo, f.hi) for f in ops_math.SUB.fields] == [(f.name, f.lo, f.hi) for f in table.ADD.fields]


def _binf_params(**kw):
    f = {"op": 0, "act_min": 0, "act_max": 0}
    for k in range(4):
        f["d%d" % k], f["in1_s%d" % k], f["in2_s%d" % k] = 1, 0, 0
    f["d3"], f["in1_s3"], f["in2_s3"] = 4, 1, 1
    f.update(kw)
    return np.array(ops_math.BINF.pack(**f), dtype=np.int32)


def test_binary_f32_checks_its_arguments():
    a = np.zeros(4, np.float32)
    out = np.zeros(4, np.float32)
    bad = _binf_params()
    bad[0] = 99
    with pytest.raises(ValueError, match=r"params\[0\] \(op\)"):
        reference.binary_f32(a, a, out, bad)
    with pytest.raises(ValueError, match="input2"):
        reference.binary_f32(a, a[:3], out, _binf_params())
    with pytest.raises(ValueError, match="output"):
        reference.binary_f32(a, a, out[:3], _binf_params())


def test_floor_div_by_zero_is_refused_as_tflm_does():
    import opcases_math

    from host_tools import convert
    from host_tools.check import runner, tflm
    model = opcases_math.binary("FLOOR_DIV", (1, 5), (1, 5), np.float32)
    ins = [np.ones((1, 5), np.float32), np.array([[1, 2, 0, 3, 4]], np.float32)]
    with pytest.raises(RuntimeError, match="invocation failed"):
        tflm.run(model, ins)
    with pytest.raises(ValueError, match="division by 0"):
        runner.run(convert.convert(model).serialize(), ins, backend="numpy")


def test_int8_comparison_scale_of_one_is_refused():
    """TFLM's ComparisonsPrepare takes each int8 input's scale as a multiplier smaller than one
    (QuantizeMultiplierSmallerThanOneExp aborts for >= 1): the converter refuses, naming it."""
    import opcases_math

    from host_tools import convert
    from host_tools.convert.graph import ConvertError
    model = opcases_math.binary("LESS", (1, 5), (1, 5), np.int8, None, (1.0, 0), (0.5, 0), out_dtype=np.bool_)
    with pytest.raises(ConvertError, match=r"LESS.*input1 scale 1\.0.*0 < scale < 1"):
        convert.convert(model)


def test_select_v2_rule_is_picked_by_x():
    """SELECT_V2's first input is the bool condition: x's dtype picks the rule, and a dtype with
    none (int32) says so naming x."""
    import opcases_math

    from host_tools import convert
    from host_tools.convert.graph import ConvertError
    assert convert.convert(opcases_math.select_v2((2, 3), (2, 3), (2, 3), np.float32)).ops[0].name == "SELECT_V2"
    model = opcases_math.select_v2((2, 3), (2, 3), (2, 3), np.int32)
    with pytest.raises(ConvertError, match="input x is int32; micronn runs SELECT_V2 on "):
        convert.convert(model)


def test_add_n_checks_its_arguments():
    """add_n_<dtype>(params, output, input0, ...): n_inputs must be the call's input count."""
    f = dict(count=3, n_inputs=2, input_offset=0, output_offset=0, left_shift=0, input_multiplier=0,
             input_shift=0, output_multiplier=0, output_shift=0)
    p = np.array(ops_math.ADDN.pack(**f), np.int32)
    x, out = np.ones(3, np.float32), np.zeros(3, np.float32)
    assert list(reference.add_n_f32(p, out, x, x)) == [2.0, 2.0, 2.0]
    with pytest.raises(ValueError, match=r"params\[1\] \(n_inputs\): 2 out of range \[3, 3\]"):
        reference.add_n_f32(p, out, x, x, x)
    with pytest.raises(ValueError, match="input"):
        reference.add_n_f32(p, out, x, x[:2])
    with pytest.raises(TypeError, match="2 to 32 inputs"):
        reference.add_n_f32(p, out, x)


def test_converter_refusals_name_the_reason():
    import opcases_math

    from host_tools import convert
    from host_tools.check.modelgen import ModelBuilder, schema
    from host_tools.convert.graph import ConvertError
    # ADD_N int8: TFLM's Prepare requires every input's quantization to be the same
    b = ModelBuilder("add_n mixed")
    xs = [b.add_input("in%d" % k, (1, 4), np.int8, 0.05 * (k + 1), 0) for k in range(2)]
    b.add_operator("ADD_N", xs, [b.add_output("out", (1, 4), np.int8, 0.1, 0)], schema.AddNOptionsT())
    with pytest.raises(ConvertError, match=r"ADD_N.*input in1: quantization .* differs from input0's"):
        convert.convert(b.finish())
    # DIV int8: a scale ratio whose quotient shift TFLM could not take
    model = opcases_math.binary("DIV", (1, 4), (1, 4), np.int8, None, (100.0, 0), (1e-4, 0), (1e-3, 0))
    with pytest.raises(ConvertError, match=r"DIV.*scale ratio .* outside \[2\^-26, 2\^22\)"):
        convert.convert(model)
    # comparisons output bool
    model = opcases_math.binary("EQUAL", (1, 4), (1, 4), np.float32)
    with pytest.raises(ConvertError, match=r"EQUAL.*tensor output: float32, expected bool"):
        convert.convert(model)
