"""The two SVDF models of TFLM's benchmarks (keyword_scrambled: int16 state; keyword_scrambled_8bit:
int8 state; both int16 input, QUANTIZE int16 -> int8, SOFTMAX int8 -> int16, QUANTIZE int16 ->
int32): bit-exact with TFLite Micro's stored outputs, and over consecutive invokes of one
interpreter (the SVDF state carried across runs), every layer on the numpy backend and the outputs
on the unix firmware and the QEMU boards."""

import zlib

import micronn
import numpy as np
import pytest
from conftest import boards, require_firmware
from test_models import assert_outputs_equal, converted, model_bytes, stored_io

from host_tools import convert
from host_tools.check import runner, tflm

SVDF_MODELS = ["keyword_scrambled", "keyword_scrambled_8bit"]
MODEL_BOARDS = boards("MICRONN_MODEL_BOARDS", "unix,MPS2_AN386,MPS2_AN385")
N_STEPS = 8


def _steps(name):
    """N_STEPS inputs (full-range and small ones, so not every layer saturates), a reset, the
    stored input."""
    rng = np.random.default_rng(1300 + len(name))
    ins, _ = stored_io(name)
    steps = [[rng.integers(-32768, 32768, size=(1, 96)).astype(np.int16) if k % 2 else
              rng.integers(-200, 201, size=(1, 96)).astype(np.int16)] for k in range(N_STEPS)]
    return steps + [None, ins]


def _tflm_steps(name):
    s = tflm.Session(model_bytes(name))
    out = []
    for ins in _steps(name):
        if ins is None:
            s.reset()
        out.append(None if ins is None else s.run(ins))
    return out


@pytest.mark.parametrize("name", SVDF_MODELS)
def test_numpy_backend_bitexact(name):
    ins, outs = stored_io(name)
    assert_outputs_equal(runner.run(converted(name), ins, backend="numpy").outputs, outs)


@pytest.mark.parametrize("name", SVDF_MODELS)
def test_numpy_backend_every_layer_over_steps(name):
    """Each layer's output equal to TFLM's preserved tensor on every one of consecutive invokes."""
    conv = convert.convert(model_bytes(name))
    m = micronn.load(conv.serialize())
    s = tflm.Session(model_bytes(name), preserve_all_tensors=True)
    for k, ins in enumerate(_steps(name)):
        if ins is None:
            m.reset()
            s.reset()
            continue
        s.run(ins)
        for (i, op_name, crcs), op in zip(m.trace([np.ascontiguousarray(x) for x in ins]), conv.ops):
            for t, crc in zip(op.outputs, crcs):
                want = np.ascontiguousarray(s.tensor(t.src))
                assert zlib.crc32(want.tobytes()) & 0xFFFFFFFF == crc, "%s run %d: op %d %s differs" % (
                    name, k, i, op_name)


@pytest.mark.parametrize("board", MODEL_BOARDS)
def test_device_bitexact_over_steps(board):
    """Both models on one firmware session per board: consecutive runs, a reset, the stored input."""
    require_firmware(board)
    cases = [(converted(name), _steps(name)) for name in SVDF_MODELS]
    for name, got in zip(SVDF_MODELS, runner.run_steps(cases, board)):
        want = _tflm_steps(name)
        for k, (g, w) in enumerate(zip(got, want)):
            if w is not None:
                try:
                    assert_outputs_equal(g, w)
                except AssertionError as e:
                    raise AssertionError("%s run %d on %s: %s" % (name, k, board, e)) from None
        assert_outputs_equal(got[-1], stored_io(name)[1])
