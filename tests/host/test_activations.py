"""Activations (LOGISTIC, TANH, HARD_SWISH, LEAKY_RELU, RELU, RELU6, ELU, GELU, PRELU): generated
single-op int8 models -> converter -> runtime, element for element equal to TFLite Micro (GELU:
LiteRT's reference kernels, TFLite Micro has no GELU), on the numpy backend and on every
firmware board. Inputs cover all 256 int8 values where the shape allows."""

import numpy as np
import pytest
from conftest import boards, require_firmware

from host_tools import convert, reference
from host_tools.check import modelgen, runner, tflm

# op -> cases: (shape, input_scale, input_zero_point, extra generator arguments)
UNARY_CASES = {
    "LOGISTIC": [((1, 256), None, None, {}), ((1, 1), 0.1, 0, {}), ((1, 17), 0.02, -5, {}),
                 ((2, 3, 5), 0.5, 10, {}), ((1, 4, 4, 8), 0.003, -128, {}), ((1, 256), 1 / 16, 0, {}),
                 ((1, 256), 0.25, 127, {}), ((3, 256), None, None, {}), ((1, 256), 2e-5, 3, {})],
    "TANH": [((1, 256), None, None, {}), ((1, 1), 0.1, 0, {}), ((1, 17), 0.02, -5, {}),
             ((2, 3, 5), 0.5, 10, {}), ((1, 4, 4, 8), 0.003, -128, {}), ((1, 256), 1 / 32, 0, {}),
             ((1, 256), 0.25, 127, {}), ((3, 256), None, None, {}), ((1, 256), 2e-5, 3, {})],
    "HARD_SWISH": [((1, 256), None, None, {}), ((1, 3), 0.05, 0, {}), ((1, 256), 0.01, -20, {}),
                   ((1, 256), 0.1, 50, {}), ((2, 4, 4, 3), 0.03, -100, {}), ((1, 256), 0.004, 0, {}),
                   ((1, 256), 0.2, 127, {}), ((1, 15), None, None, {}), ((1, 256), 0.5, -128, {})],
    "LEAKY_RELU": [((1, 256), None, None, {"alpha": 0.2}), ((1, 256), 0.05, 0, {"alpha": 0.01}),
                   ((1, 7), 0.02, 20, {"alpha": 0.5}), ((1, 256), 0.1, -30, {"alpha": 1.5}),
                   ((2, 3, 3, 4), 0.03, 5, {"alpha": -0.3}), ((1, 256), 0.01, 127, {"alpha": 0.1}),
                   ((1, 256), 0.3, -128, {"alpha": 0.0}), ((1, 256), None, None, {"alpha": 0.99})],
    "RELU": [((1, 256), None, None, {}), ((1, 1), 0.1, 0, {}), ((1, 256), 0.02, -128, {}),
             ((1, 256), 0.05, 127, {}), ((2, 5, 3), 0.03, 40, {}), ((1, 256), 0.01, -60, {}),
             ((1, 17), None, None, {}), ((1, 256), 0.2, 0, {})],
    "RELU6": [((1, 256), None, None, {}), ((1, 3), 0.05, -128, {}), ((1, 256), 6 / 255, -128, {}),
              ((1, 256), 0.03, -80, {}), ((2, 4, 4, 3), None, None, {}), ((1, 256), 0.1, -60, {}),
              ((1, 256), 0.0471, -100, {}), ((1, 9), 0.025, -120, {})],
    "ELU": [((1, 256), None, None, {}), ((1, 1), 0.1, 0, {}), ((1, 256), 0.02, -5, {}),
            ((1, 256), 0.05, 100, {}), ((2, 3, 5), 0.03, -128, {}), ((1, 256), 0.1, 127, {}),
            ((1, 256), 0.005, 0, {}), ((1, 33), None, None, {})],
    "GELU": [((1, 256), None, None, {}), ((1, 256), 0.03, 0, {"approximate": True}),
             ((1, 5), 0.02, -5, {}), ((1, 256), 0.05, 100, {"approximate": True}),
             ((2, 3, 5), 0.03, -128, {}), ((1, 256), 0.1, 20, {}),
             ((1, 256), 0.01, -40, {"approximate": True}), ((1, 256), None, None, {"approximate": True})],
}

PRELU_CASES = [
    # input shape, alpha shape
    ((1, 4, 4, 8), (8,)),
    ((1, 4, 4, 8), (1, 1, 8)),
    ((2, 3, 5), (5,)),
    ((1, 7), (1, 7)),
    ((1, 3, 3, 2), (3, 1, 2)),
    ((4,), (1,)),
    ((1, 2, 2, 3), (1, 2, 2, 3)),
    ((3, 17), (17,)),
    ((1, 8, 8, 16), (1, 1, 16)),
]


def _input(rng, shape):
    x = modelgen.random_input(rng, shape)
    flat = x.reshape(-1)
    k = min(flat.size, 256)
    flat[:k] = np.arange(-128, 128, dtype=np.int64)[rng.permutation(256)[:k]].astype(np.int8)
    return x


def _cases():
    out = []
    for op, cases in UNARY_CASES.items():
        for i, (shape, s, zp, kw) in enumerate(cases):
            rng = np.random.default_rng(30000 + 100 * list(UNARY_CASES).index(op) + i)
            m = modelgen.activation(rng, op, shape, input_scale=s, input_zero_point=zp, **kw)
            out.append(("%s%d" % (op.lower(), i), op, m, [_input(rng, shape)]))
    for i, (shape, ashape) in enumerate(PRELU_CASES):
        rng = np.random.default_rng(31000 + i)
        out.append(("prelu%d" % i, "PRELU", modelgen.prelu(rng, shape, ashape), [_input(rng, shape)]))
    return out


CASES = _cases()


def litert_run(model, inputs):
    """LiteRT's reference kernels (BUILTIN_REF), for ops TFLite Micro lacks."""
    lite = pytest.importorskip("ai_edge_litert.interpreter")
    it = lite.Interpreter(model_content=bytes(model),
                          experimental_op_resolver_type=lite.OpResolverType.BUILTIN_REF)
    it.allocate_tensors()
    for d, x in zip(it.get_input_details(), inputs):
        it.set_tensor(d["index"], x)
    it.invoke()
    return [it.get_tensor(d["index"]) for d in it.get_output_details()]


def expected(op, model, inputs):
    return litert_run(model, inputs) if op == "GELU" else tflm.run(model, inputs)


def _check(name, got, want):
    got = np.asarray(got).reshape(want.shape)
    diff = np.flatnonzero(got.reshape(-1) != want.reshape(-1))
    assert diff.size == 0, "%s: %d of %d differ, first at %d: ours %d, reference %d" % (
        name, diff.size, want.size, diff[0], got.reshape(-1)[diff[0]], want.reshape(-1)[diff[0]])


def test_case_counts():
    for op in list(UNARY_CASES) + ["PRELU"]:
        assert sum(1 for c in CASES if c[1] == op) >= 8, op


@pytest.mark.parametrize("name,op,model,inputs", CASES, ids=[c[0] for c in CASES])
def test_numpy_backend(name, op, model, inputs):
    _check(name, runner.run(model, inputs).outputs[0], expected(op, model, inputs)[0])


@pytest.mark.parametrize("board", boards())
def test_device(board):
    require_firmware(board)
    res = runner.run_many([(convert.convert(m).serialize(), ins) for _, _, m, ins in CASES], board)
    for (name, op, m, ins), r in zip(CASES, res):
        _check(name, r.outputs[0], expected(op, m, ins)[0])


def test_tables_are_functions_of_the_input_byte():
    """lut_s8 indexes by uint8(x): the table for x = -1 sits at 255."""
    t = reference.relu6_lut(0.05, -100)
    x = np.array([-128, -101, -100, -1, 0, 19, 20, 127], dtype=np.int8)
    y = np.zeros(8, np.int8)
    reference.lut_s8(x, y, t)
    assert list(y) == [-100, -100, -100, -1, 0, 19, 20, 20]


def test_converter_errors():
    rng = np.random.default_rng(1)
    bad = modelgen.activation(rng, "LOGISTIC", (1, 8), output_zero_point=0)
    with pytest.raises(convert.ConvertError, match="zero point must be -128"):
        convert.convert(bad)
    bad = modelgen.activation(rng, "RELU6", (1, 8), input_scale=0.01, input_zero_point=0)
    with pytest.raises(convert.ConvertError, match="outside int8"):
        convert.convert(bad)
