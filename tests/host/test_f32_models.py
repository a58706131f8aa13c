"""Real float32 networks: Tier-1 int8 models with their weights dequantized into a float32 model
(what a float export of the same network is: float32 weights, bias and activations, no
quantization), checked element for element against live TFLite Micro's float kernels on the numpy
backend and on the boards."""

import functools

import flatbuffers
import numpy as np
import pytest
from conftest import model_boards, require_firmware
from opcases_f32 import values
from test_models import model_bytes
from test_ops_tflm import check

from host_tools import convert
from host_tools.check import modelgen, runner, tflm
from host_tools.check.modelgen import schema

MODELS = ["kws_ref_model", "vww_96_int8"]  # DS-CNN keyword spotting, MobileNetV1 0.25 visual wake words


def dequantized(model_bytes):
    """The int8 model as float32: int8/int32 constants dequantized ((q - zero_point) * scale, per
    channel along the quantized dimension), every tensor float32 without quantization."""
    m = modelgen.read_model(model_bytes)
    sg = m.subgraphs[0]
    for i, t in enumerate(sg.tensors):
        q = modelgen.tensor_quant(m, i)
        data = modelgen.buffer_array(m, i)
        if data is not None and t.type in (schema.TensorType.INT8, schema.TensorType.INT32) and q is not None:
            scales, zps, dim = q
            shape = [1] * data.ndim
            if scales.size > 1:
                shape[dim] = scales.size
            real = ((data.astype(np.float64) - zps.reshape(shape)) * scales.reshape(shape)).astype(np.float32)
            buf = modelgen._AlignedBufferT()
            buf.data = np.frombuffer(real.astype("<f4").tobytes(), np.uint8)
            m.buffers.append(buf)
            t.buffer = len(m.buffers) - 1
            t.type = schema.TensorType.FLOAT32
        elif data is None and t.type == schema.TensorType.INT8:
            t.type = schema.TensorType.FLOAT32
        if t.type == schema.TensorType.FLOAT32:
            t.quantization = None
    builder = flatbuffers.Builder(1024)
    builder.Finish(m.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


@functools.lru_cache(maxsize=None)
def _case(name):
    src = dequantized(model_bytes(name))
    sg = modelgen.read_model(src).subgraphs[0]
    x = values(np.random.default_rng(6000), tuple(int(d) for d in sg.tensors[sg.inputs[0]].shape), 1.0)
    return src, [x]


@functools.lru_cache(maxsize=None)
def _converted(name):
    src, ins = _case(name)
    return convert.convert(src).serialize(), tflm.run(src, ins)


@pytest.mark.parametrize("name", MODELS)
def test_float_model_numpy_vs_tflm(name):
    src, ins = _case(name)
    ops = {op.name for op in convert.convert(src).ops}
    assert {"CONV_2D", "DEPTHWISE_CONV_2D", "AVERAGE_POOL_2D", "FULLY_CONNECTED", "SOFTMAX"} <= ops, ops
    conv, want = _converted(name)
    check(name + " float32 on numpy", runner.run(conv, ins, backend="numpy").outputs, want)


@pytest.mark.parametrize("board", model_boards())
def test_float_model_board_vs_tflm(board):
    require_firmware(board)
    results = runner.run_many([(_converted(name)[0], _case(name)[1]) for name in MODELS], board)
    for name, res in zip(MODELS, results):
        check("%s float32 on %s" % (name, board), res.outputs, _converted(name)[1])
