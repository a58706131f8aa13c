"""TRANSPOSE_CONV and BATCH_MATMUL: what the converter refuses (TFLite Micro refuses some of it
too), the input that picks TRANSPOSE_CONV's rule (its data input, not output_shape), the padding
from the output size, and the numpy kernels' argument checks (the generated C bindings make the
same ones; the cases themselves are in opcases_conv.py)."""

import numpy as np
import opcases_conv
import pytest

from host_tools import reference
from host_tools.check import tflm
from host_tools.check.modelgen import ModelBuilder, schema
from host_tools.convert import ConvertError, convert
from host_tools.convert.rules import conv as rules_conv
from host_tools.ops import ops_conv


def _tconv(dtype=np.float32, const_weights=True, w_shape=(4, 3, 3, 2)):
    b = ModelBuilder("test transpose_conv")
    shp = b.add_tensor("output_shape", [4], np.int32, data=np.array([1, 8, 8, 4], np.int32))
    q = (0.05, 0) if dtype != np.float32 else (None, None)
    w = (b.add_tensor("weights", w_shape, dtype, *q, data=np.ones(w_shape)) if const_weights
         else b.add_input("weights", w_shape, dtype, *q))
    x = b.add_input("input", (1, 4, 4, 2), dtype, *q)
    y = b.add_output("output", (1, 8, 8, 4), dtype, *q)
    opts = schema.TransposeConvOptionsT()
    opts.padding, opts.strideH, opts.strideW = schema.Padding.SAME, 2, 2
    b.add_operator("TRANSPOSE_CONV", [shp, w, x], [y], opts)
    return b.finish()


def test_transpose_conv_rule_is_picked_by_its_input():
    convert(_tconv())  # output_shape is int32: the float32 input picks the rule
    with pytest.raises(ConvertError, match=r"TRANSPOSE_CONV\): input input is int32; micronn runs "
                                           r"TRANSPOSE_CONV on "):
        convert(_tconv(np.int32))
    # an int16 input picks the 16x8 rule (rules/conv16.py), which takes int8 weights only
    with pytest.raises(ConvertError, match="weights weights are int16: 16x8 TRANSPOSE_CONV takes int8"):
        convert(_tconv(np.int16))


def test_transpose_conv_refuses_runtime_weights_and_mismatches():
    with pytest.raises(ConvertError, match="weights weights must be a constant"):
        convert(_tconv(const_weights=False))
    with pytest.raises(ConvertError, match=r"weights \(4, 3, 3, 3\) do not match"):
        convert(_tconv(w_shape=(4, 3, 3, 3)))


@pytest.mark.parametrize("out,k,s,pad,want", [(8, 3, 2, "SAME", 0), (8, 4, 2, "SAME", 1), (9, 3, 2, "VALID", 0),
                                             (7, 5, 1, "SAME", 2), (5, 3, 2, "SAME", 1), (10, 1, 3, "SAME", 0)])
def test_transpose_conv_padding_is_tflms(out, k, s, pad, want):
    # ComputePaddingHeightWidth on the output size: SAME's odd remainder is dropped
    assert rules_conv.transpose_conv_padding(out, k, s, pad) == want


def _bmm(lhs, rhs, adj_x=False, adj_y=False, rhs_scales=None):
    b = ModelBuilder("test batch_matmul")
    x = b.add_input("lhs", lhs, np.int8, 0.02, 0)
    y = b.add_input("rhs", rhs, np.int8, rhs_scales if rhs_scales is not None else 0.02, 0)
    o = b.add_output("output", (lhs[0], lhs[-2], rhs[-1]), np.int8, 0.1, 0)
    opts = schema.BatchMatMulOptionsT()
    opts.adjX, opts.adjY = adj_x, adj_y
    b.add_operator("BATCH_MATMUL", [x, y], [o], opts)
    return b.finish()


def test_batch_matmul_refusals():
    model = _bmm((2, 3, 4), (2, 5, 6))
    with pytest.raises(ConvertError, match="depths 4 and 5 differ"):
        convert(model)
    with pytest.raises(RuntimeError):  # TFLite Micro refuses it too
        tflm.run(model, [np.zeros((2, 3, 4), np.int8), np.zeros((2, 5, 6), np.int8)])
    with pytest.raises(ConvertError, match="do not broadcast"):
        convert(_bmm((2, 3, 4), (3, 4, 6)))
    with pytest.raises(ConvertError, match="2 scales"):
        convert(_bmm((2, 3, 4), (2, 4, 6), rhs_scales=[0.02, 0.03]))


def test_batch_matmul_scratch_only_for_a_runtime_rhs_kn():
    def scratch(model):
        op = convert(model).ops[0]
        return [t for t in op.inputs if t is not None and t.name.endswith("/scratch")]

    _, m, _ = next(c for c in opcases_conv.CASES if c[0] == "batch_matmul-s8-1")  # runtime rhs [K, N]
    assert scratch(m)
    _, m, _ = next(c for c in opcases_conv.CASES if c[0] == "batch_matmul-s8-4")  # runtime rhs, adj_y
    assert not scratch(m)
    _, m, _ = next(c for c in opcases_conv.CASES if c[0] == "batch_matmul-s8-2")  # constant rhs
    assert not scratch(m)


def _tconv_params(**kw):
    f = dict(n=1, in_h=2, in_w=2, in_c=3, out_h=4, out_w=4, out_c=2, k_h=2, k_w=2, stride_h=2, stride_w=2,
             pad_top=0, pad_left=0, input_offset=0, output_offset=0, act_min=-128, act_max=127, act=0)
    f.update(kw)
    return np.array(ops_conv.TCONV.pack(**f), np.int32)


def test_numpy_kernel_checks_like_the_binding():
    p = _tconv_params()
    x, w = np.zeros(12, np.int8), np.zeros(24, np.int8)
    b, m, s = np.zeros(2, np.int32), np.full(2, 1 << 30, np.int32), np.zeros(2, np.int32)
    y, scratch = np.zeros(32, np.int8), np.zeros(32, np.int32)
    reference.transpose_conv_s8(x, w, b, y, p, m, s, scratch)
    with pytest.raises(ValueError, match="scratch: expected int32 array of 32"):
        reference.transpose_conv_s8(x, w, b, y, p, m, s, np.zeros(31, np.int32))
    with pytest.raises(TypeError, match="scratch: expected a writable int32 buffer"):
        reference.transpose_conv_s8(x, w, b, y, p, m, s, bytes(128))
    with pytest.raises(ValueError, match=r"act_min 5 > act_max 4"):
        reference.transpose_conv_s8(x, w, b, y, _tconv_params(act_min=5, act_max=4), m, s, scratch)
    # BATCH_MATMUL's scratch is optional: None, or [N, K] bytes
    f = {"d%d" % k: v for k, v in enumerate((1, 1, 1, 2, 3, 4))}
    for name, st in (("lhs_s", (0, 0, 0, 4, 0, 1)), ("rhs_s", (0, 0, 0, 0, 1, 3)), ("out_s", (0, 0, 0, 3, 1, 0))):
        f.update({"%s%d" % (name, k): v for k, v in enumerate(st)})
    f.update(lhs_offset=0, rhs_offset=0, output_offset=0, multiplier=1 << 30, shift=0)
    pb = np.array(ops_conv.BMM.pack(**f), np.int32)
    lhs, rhs = np.arange(8, dtype=np.int8), np.arange(12, dtype=np.int8)
    out = np.zeros(6, np.int8)
    reference.batch_matmul_s8(lhs, rhs, out, pb, None)
    want = np.clip(np.round(lhs.reshape(2, 4).astype(np.int64) @ rhs.reshape(4, 3) / 2), -128, 127)
    assert (out.reshape(2, 3) == want).all()
    reference.batch_matmul_s8_ref(lhs, rhs, out, pb, bytearray(12))
    with pytest.raises(ValueError, match="scratch: expected int8 array of 12"):
        reference.batch_matmul_s8(lhs, rhs, out, pb, bytearray(11))
