"""The SHAPE area's indexing ops on bad runtime indices, and their converter refusals.

An index outside the input never makes a kernel read outside it: GATHER_ND (a slice outside the
input) and EMBEDDING_LOOKUP (a row outside the table) fail in TFLite Micro's Eval, and micronn's
run() raises ValueError naming the op, the argument and the position; GATHER's out-of-range index
is undefined in TFLite Micro (a debug-only check, then a read outside the input): micronn raises;
so does BROADCAST_ARGS on incompatible shapes (TFLite Micro aborts)."""

import numpy as np
import opcases_index
import pytest
from conftest import boards, require_firmware

from host_tools import convert, reference
from host_tools.check import runner, tflm
from host_tools.check.modelgen import ModelBuilder, schema
from host_tools.convert import ConvertError
from host_tools.ops import ops_index

_X = np.arange(20, dtype=np.float32).reshape(4, 5)
# (model, inputs, TFLM fails too, what run() raises)
BAD = [
    (opcases_index.gather_model((4, 5), (3,), 1, np.float32), [_X, np.array([0, 5, 1], np.int32)], False,
     r"indices\[1\]: 5 is out of range \[0, 5\) \(GATHER\)"),
    (opcases_index.gather_model((4, 5), (2,), 0, np.float32), [_X, np.array([-1, 0], np.int32)], False,
     r"indices\[0\]: -1 is out of range \[0, 4\) \(GATHER\)"),
    (opcases_index.gather_nd_model((4, 5), (3, 2), np.float32), [_X, np.array([[0, 1], [3, 5], [1, 1]], np.int32)],
     True, r"indices\[1\]: the slice it selects is outside the input of 20 elements \(GATHER_ND index out of bounds\)"),
    (opcases_index.gather_nd_model((4, 5), (2, 1), np.float32), [_X, np.array([[1], [-1]], np.int32)],
     True, r"indices\[1\]: .*GATHER_ND index out of bounds"),
    (opcases_index.embedding_model((4, 5), 3, np.float32), [np.array([1, 2, 4], np.int32), _X], True,
     r"lookup\[2\]: 4 is out of range \[0, 4\) \(EMBEDDING_LOOKUP\)"),
    (opcases_index.embedding_model((4, 5), 2, np.int8, np.float32, q=(0.5, 0)),
     [np.array([-3, 0], np.int32), _X.astype(np.int8)], True, r"lookup\[0\]: -3 is out of range"),
    # TFLite Micro aborts the process on incompatible shapes (TFLITE_CHECK_EQ): not run there
    (opcases_index.broadcast_args_model(3, 2, np.int32), [np.array([2, 3, 4], np.int32), np.array([5, 1], np.int32)],
     None, r"output\[1\]: the shapes' dims are neither equal nor 1 \(BROADCAST_ARGS\)"),
]


@pytest.mark.parametrize("k", range(len(BAD)))
def test_bad_index_raises_on_numpy(k):
    model, ins, tflm_fails, msg = BAD[k]
    if tflm_fails is False:  # TFLM reads outside the input: run it only on indices it can take
        tflm.run(model, [ins[0], np.zeros_like(ins[1])])
    if tflm_fails:
        with pytest.raises(RuntimeError, match="invocation failed"):
            tflm.run(model, ins)
    with pytest.raises(ValueError, match=msg):
        runner.run(convert.convert(model).serialize(), ins, backend="numpy")


@pytest.mark.parametrize("board", boards())
def test_bad_index_raises_on_board(board):
    require_firmware(board)
    for model, ins, _, msg in BAD:
        with pytest.raises(RuntimeError, match="ValueError: " + msg):
            runner.run(convert.convert(model).serialize(), ins, board=board)


def test_kernels_check_their_arguments():
    p = ops_index.GATHER.pack(element_size=4, batch=1, outer=1, axis=5, inner=1, coords=2)
    x, out = np.zeros(5, np.uint32), np.zeros(2, np.uint32)
    idx = np.array([4, 0], np.int32)
    reference.gather(x, idx, out, np.array(p, np.int32))
    bad = list(p)
    bad[0] = 3
    with pytest.raises(ValueError, match=r"params\[0\] \(element_size\): 3 is not 1, 2, 4 or 8"):
        reference.gather(x, idx, out, np.array(bad, np.int32))
    with pytest.raises(ValueError, match="indices: expected int32 array of 2"):
        reference.gather(x, idx[:1], out, np.array(p, np.int32))
    with pytest.raises(ValueError, match="output: expected uint32 array of 2"):
        reference.gather(x, idx, out[:1], np.array(p, np.int32))


def _resize(op, flags, size=(4, 4), size_const=True):
    b = ModelBuilder("t")
    x = b.add_input("input", (1, 2, 2, 1), np.float32)
    s = b.add_tensor("size", [2], np.int32, data=np.array(size, np.int32)) if size_const else b.add_input("size", [2], np.int32)
    y = b.add_output("output", (1, 4, 4, 1), np.float32)
    o = schema.ResizeBilinearOptionsT() if op == "RESIZE_BILINEAR" else schema.ResizeNearestNeighborOptionsT()
    o.alignCorners, o.halfPixelCenters = flags
    b.add_operator(op, [x, s], [y], o)
    return b.finish()


def test_converter_refuses_what_tflm_refuses():
    with pytest.raises(ConvertError, match="RESIZE_BILINEAR: half_pixel_centers needs align_corners False"):
        convert.convert(_resize("RESIZE_BILINEAR", (True, True)))
    with pytest.raises(ConvertError, match="RESIZE_NEAREST_NEIGHBOR: the size must be a constant"):
        convert.convert(_resize("RESIZE_NEAREST_NEIGHBOR", (False, False), size_const=False))
    with pytest.raises(ConvertError, match=r"output shape \[1, 4, 4, 1\], expected \[1, 3, 4, 1\]"):
        convert.convert(_resize("RESIZE_BILINEAR", (False, False), size=(3, 4)))
    b = ModelBuilder("t")
    x = b.add_input("input", (4, 5), np.float32)
    i = b.add_input("indices", (3,), np.int64)
    y = b.add_output("output", (3, 5), np.float32)
    b.add_operator("GATHER", [x, i], [y], schema.GatherOptionsT())
    with pytest.raises(ConvertError, match="GATHER: indices are int64 .TFLite Micro takes int32 indices only"):
        convert.convert(b.finish())
    hybrid = opcases_index.embedding_model((4, 5), 2, np.int8, np.float32, q=(0.5, 3))
    with pytest.raises(ConvertError, match="EMBEDDING_LOOKUP: an int8 value with a float32 output needs zero point 0"):
        convert.convert(hybrid)


def test_dynamic_update_slice_runs_in_place():
    """The output takes the operand's bytes when the operand dies there (the kernel then copies only the update)."""
    assert convert.Converter(opcases_index.dus_in_place_model()).convert().in_place == [(1, "DYNAMIC_UPDATE_SLICE")]


def test_unused_graph_input_is_planned():
    """SHAPE and ZEROS_LIKE read nothing of their input: it still gets arena bytes (run() writes it)."""
    model = opcases_index.unary_model("SHAPE", (2, 7), np.float32, [2], np.int32)
    res = runner.run(convert.convert(model).serialize(), [np.ones((2, 7), np.float32)], backend="numpy")
    assert res.outputs[0].tolist() == [2, 7]


def _refused_bilinear_call():
    """A downscale with align_corners and half_pixel_centers (params TFLM refuses, a corrupt file
    could hold): the last source row/column would fall past the input; the kernels clamp it."""
    p = ops_index.RESIZE.pack(n=1, in_h=9, in_w=7, c=2, out_h=2, out_w=3, align_corners=1, half_pixel_centers=1)
    x = (np.arange(9 * 7 * 2, dtype=np.int64) % 23 - 11).astype(np.int8)
    return np.array(p, np.int32), x


def test_refused_bilinear_params_stay_inside_the_input():
    p, x = _refused_bilinear_call()
    out = np.zeros(12, np.int8)
    reference.resize_bilinear_s8(x, out, p)
    outf = np.zeros(12, np.float32)
    reference.resize_bilinear_f32(x.astype(np.float32), outf, p)
    assert np.all(np.abs(outf) < 100)


@pytest.mark.parametrize("board", boards())
def test_refused_bilinear_params_on_board(board):
    from host_tools.device import boards as hw

    require_firmware(board)
    p, x = _refused_bilinear_call()
    want8, wantf = np.zeros(12, np.int8), np.zeros(12, np.float32)
    reference.resize_bilinear_s8(x, want8, p)
    reference.resize_bilinear_f32(x.astype(np.float32), wantf, p)
    script = "\n".join([
        "import _micronn, array",
        "p = array.array('i', %r)" % p.tolist(),
        "x = array.array('b', %r)" % x.tolist(),
        "o = array.array('b', bytes(12))",
        "_micronn.resize_bilinear_s8(x, o, p)",
        "print(list(o))",
        "xf = array.array('f', [float(v) for v in x])",
        "of = array.array('f', bytes(48))",
        "_micronn.resize_bilinear_f32(xf, of, p)",
        "print(bytes(of).hex())"])
    rc, out = hw.run_script(board, script)
    assert rc == 0, out
    lines = out.strip().splitlines()
    assert lines[-1] == wantf.tobytes().hex()
    assert lines[-2] == str(want8.tolist())
