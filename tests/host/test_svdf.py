"""SVDF's state across runs: each model of opcases_svdf.STEPS runs its inputs one after the other
on one micronn model (numpy backend and every test board), then reset() and two runs more,
against the same calls on one live TFLite Micro interpreter (which keeps the state in its
variable tensor between invoke() calls and resets it to the zero point)."""

import functools

import pytest
from conftest import boards, require_firmware
from opcases_svdf import STEPS
from test_ops_tflm import check

from host_tools import convert
from host_tools.check import runner, tflm


def _steps(k):
    steps = STEPS[k][2]
    return steps + [None] + steps[:2]


@functools.lru_cache(maxsize=None)
def _tflm(k):
    s = tflm.Session(STEPS[k][1])
    out = []
    for ins in _steps(k):
        if ins is None:
            s.reset()
            out.append(None)
        else:
            out.append(s.run(ins))
    return out


def _check(k, got, where):
    for s, (g, w) in enumerate(zip(got, _tflm(k))):
        if w is not None:
            check("%s run %d%s" % (STEPS[k][0], s, where), g, w)


@pytest.mark.parametrize("k", range(len(STEPS)), ids=[c[0] for c in STEPS])
def test_numpy_backend_steps_vs_tflm(k):
    data = convert.convert(STEPS[k][1]).serialize()
    (got,) = runner.run_steps([(data, _steps(k))])
    _check(k, got, "")


@pytest.mark.parametrize("board", boards())
def test_board_steps_vs_tflm(board):
    require_firmware(board)
    cases = [(convert.convert(m).serialize(), _steps(k)) for k, (_, m, _) in enumerate(STEPS)]
    for k, got in enumerate(runner.run_steps(cases, board)):
        _check(k, got, " on " + board)


def _svdf_variant(**kw):
    import numpy as np
    from opcases_svdf import svdf_model

    return svdf_model(np.random.default_rng(1), 1, 5, 3, 1, 2, **kw)


def _retensor(model, name, **changes):
    """model with tensor `name` changed (isVariable, type, ...)."""
    import flatbuffers

    from host_tools.check import modelgen

    m = modelgen.read_model(model)
    for t in m.subgraphs[0].tensors:
        if (t.name.decode() if isinstance(t.name, bytes) else t.name) == name:
            for k, v in changes.items():
                setattr(t, k, v)
    b = flatbuffers.Builder(1024)
    b.Finish(m.Pack(b), file_identifier=b"TFL3")
    return bytes(b.Output())


def test_svdf_refusals_name_the_reason():
    with pytest.raises(convert.ConvertError, match=r"^op 0 \(SVDF\): SVDF without bias: TFLite Micro crashes"):
        convert.convert(_svdf_variant(bias=False))
    with pytest.raises(convert.ConvertError, match=r"state state must be a variable tensor"):
        convert.convert(_retensor(_svdf_variant(), "state", isVariable=False))
    with pytest.raises(convert.ConvertError, match=r"state state is int16, weights_time int8"):
        convert.convert(_retensor(_svdf_variant(), "state", type=modelgen_type("int16")))
    with pytest.raises(convert.ConvertError, match=r"output \(1, 4\), expected \(1, 3\)"):
        convert.convert(_retensor(_svdf_variant(), "output", shape=[1, 4]))


def modelgen_type(name):
    import numpy as np

    from host_tools.check import modelgen

    return modelgen.tensor_type(np.dtype(name))


def test_int16_quantize_refusals():
    import numpy as np
    from opcases_svdf import quantize_model, softmax16_model

    with pytest.raises(convert.ConvertError, match=r"QUANTIZE int16 -> uint8 is not supported"):
        convert.convert(quantize_model((1, 4), np.int16, np.uint8, (0.01, 0), (0.01, 0)))
    bad = _retensor(softmax16_model((1, 4), 0.1, 0), "output", quantization=None)
    with pytest.raises(convert.ConvertError, match=r"scale 1/65536 and zero point -32768"):
        convert.convert(bad)
    with pytest.raises(convert.ConvertError, match=r"last dim 4096 > 4095"):
        convert.convert(softmax16_model((1, 4096), 0.1, 0))
