"""numpy reference of every micronn kernel, bit-exact with TFLite Micro.

One function per C kernel, same name and argument order as the `_micronn` binding:
output buffers are filled in place (and returned). All arithmetic is integer (int64).
"""

import time

import numpy as np

from ..ops import table
from .args import (
    _COUNT_MAX,
    _buf,
    _buf_count,
    _check_act,
    _count,
    _int,
    _nbytes,
    _params,
    _quant,
    _requant,
    _scale,
    _scratch,
)
from .layouts import (  # noqa: F401 (re-exported)
    ADD_ACT_MAX,
    ADD_ACT_MIN,
    ADD_D0,
    ADD_IN1_MULT,
    ADD_IN1_OFFSET,
    ADD_IN1_S0,
    ADD_IN1_SHIFT,
    ADD_IN2_MULT,
    ADD_IN2_OFFSET,
    ADD_IN2_S0,
    ADD_IN2_SHIFT,
    ADD_LEFT_SHIFT,
    ADD_NPARAMS,
    ADD_OUT_MULT,
    ADD_OUT_SHIFT,
    ADD_OUTPUT_OFFSET,
    CONV_ACT_MAX,
    CONV_ACT_MIN,
    CONV_DEPTH_MULT,
    CONV_DIL_W,
    CONV_IN_C,
    CONV_INPUT_OFFSET,
    CONV_K_H,
    CONV_K_W,
    CONV_NPARAMS,
    CONV_OUT_C,
    CONV_OUTPUT_OFFSET,
    CONV_PAD_LEFT,
    CONV_PAD_TOP,
    CONV_STRIDE_H,
    DWCONV_NPARAMS,
    POOL_ACT_MAX,
    POOL_ACT_MIN,
    POOL_IN_H,
    POOL_K_H,
    POOL_NPARAMS,
    POOL_OUT_H,
    POOL_PAD_TOP,
    POOL_STRIDE_H,
    REQUANT_INPUT_ZP,
    REQUANT_MULT,
    REQUANT_NPARAMS,
    REQUANT_OUTPUT_ZP,
    REQUANT_SHIFT,
    SOFTMAX_NPARAMS,
)
from .qmath import (
    _POW2,
    _exp_on_negative_values_q5,
    _one_over_one_plus_x,
    _rdbpot,
    _srdhm,
    _wrap32,
    requantize,
)

# Timing, so `micronn` under CPython has the device API.
TICK_UNIT = "ns"
TICK_SCALE = 1
ARCH = "numpy"


def ticks():
    return time.perf_counter_ns()


def fully_connected_s8(input, weights, bias, output, in_features, out_features,
                       input_offset, output_offset, multiplier, shift, act_min, act_max):
    """input (batches, in) @ weights (out, in)^T + bias -> requant -> clamp -> output (batches, out)."""
    in_f = _int(in_features, "in_features", 1, 1 << 24)
    out_f = _int(out_features, "out_features", 1, 1 << 24)
    n = _nbytes(input)
    if n == 0 or n % in_f:
        raise ValueError("input: expected int8 array of a multiple of in_features=%d, got %d" % (in_f, n))
    batches = n // in_f
    x = _buf(input, "input", "int8", batches * in_f).astype(np.int64).reshape(batches, in_f)
    w = _buf(weights, "weights", "int8", out_f * in_f).astype(np.int64).reshape(out_f, in_f)
    b = None if bias is None else _buf(bias, "bias", "int32", out_f).astype(np.int64)
    out = _buf(output, "output", "int8", batches * out_f, writable=True)
    in_off, out_off, lo, hi = _quant(input_offset, output_offset, act_min, act_max)
    mult, sh = _requant(multiplier, shift, out_f)
    check_accumulator(in_f, b)
    # x (batches, in) @ w (out, in)^T -> acc (batches, out)
    acc = (x + in_off) @ w.T
    if b is not None:
        acc = acc + b
    acc = requantize(acc, mult, sh) + out_off
    out[:] = np.clip(acc, lo, hi).astype(np.int8).reshape(-1)
    return output


def check_accumulator(taps, bias):
    """As the C bindings check at every call (a model's bias may change after load()): `taps`
    products of (x + input_offset) * w, |.| <= 255 * 128, plus the largest |bias| fit an int32."""
    most = 0 if bias is None or not len(bias) else int(np.max(np.abs(bias)))
    if taps * 255 * 128 + most > (1 << 31) - 1:
        raise ValueError("bias: the int32 accumulator can overflow (%d taps x 255 x 128 + max |bias| %d"
                         " > 2^31 - 1)" % (taps, most))


CONV_SPEC = table.DWCONV.ranges()  # the op spec (host_tools/ops/table.py)


POOL_SPEC = table.POOL.ranges()  # the op spec (host_tools/ops/table.py)


ADD_SPEC = table.ADD.ranges()  # the op spec (host_tools/ops/table.py)


SOFTMAX_SPEC = table.SOFTMAX.ranges()  # the op spec (host_tools/ops/table.py)


REQUANT_SPEC = table.REQUANT.ranges()  # the op spec (host_tools/ops/table.py)


def _padded(x, pad_top, pad_left, out_h, out_w, k_h, k_w, s_h, s_w, d_h, d_w, fill):
    """x (N, H, W, C) placed in a `fill` frame large enough for every tap of every output."""
    n, h, w, c = x.shape
    bottom = max(0, (out_h - 1) * s_h + (k_h - 1) * d_h - pad_top + 1 - h)
    right = max(0, (out_w - 1) * s_w + (k_w - 1) * d_w - pad_left + 1 - w)
    xp = np.full((n, pad_top + h + bottom, pad_left + w + right, c), fill, dtype=np.int64)
    xp[:, pad_top:pad_top + h, pad_left:pad_left + w, :] = x
    return xp


def _taps(xp, out_h, out_w, k_h, k_w, s_h, s_w, d_h, d_w):
    """Yield (ky, kx, window): window[n, oy, ox, c] = xp[n, oy * s_h + ky * d_h, ox * s_w + kx * d_w, c]."""
    for ky in range(k_h):
        for kx in range(k_w):
            y, x = ky * d_h, kx * d_w
            yield ky, kx, xp[:, y:y + (out_h - 1) * s_h + 1:s_h, x:x + (out_w - 1) * s_w + 1:s_w, :]


def _conv_common(input, weights, bias, output, params, multiplier, shift, depthwise):
    p = _params(params, CONV_SPEC, DWCONV_NPARAMS if depthwise else CONV_NPARAMS)
    _check_act(p, CONV_ACT_MIN)
    n, in_h, in_w, in_c, out_h, out_w, out_c, k_h, k_w = p[:9]
    if depthwise and out_c != in_c * p[CONV_DEPTH_MULT]:
        raise ValueError("params: out_c %d != in_c %d * depth_multiplier %d" % (out_c, in_c, p[CONV_DEPTH_MULT]))
    n_in = _count("input", n, in_h, in_w, in_c)
    n_w = _count("weights", 1, k_h, k_w, out_c) if depthwise else _count("weights", out_c, k_h, k_w, in_c)
    n_out = _count("output", n, out_h, out_w, out_c)
    x = _buf(input, "input", "int8", n_in).astype(np.int64).reshape(n, in_h, in_w, in_c)
    w = _buf(weights, "weights", "int8", n_w).astype(np.int64)
    b = None if bias is None else _buf(bias, "bias", "int32", out_c).astype(np.int64)
    out = _buf(output, "output", "int8", n_out, writable=True)
    mult, sh = _requant(multiplier, shift, out_c)
    check_accumulator(k_h * k_w * (1 if depthwise else in_c), b)
    geo = (out_h, out_w, k_h, k_w) + tuple(p[CONV_STRIDE_H:CONV_DIL_W + 1])
    # Taps outside the input add nothing: pad (input + input_offset) with zeros.
    xp = _padded(x + p[CONV_INPUT_OFFSET], p[CONV_PAD_TOP], p[CONV_PAD_LEFT], *geo, fill=0)
    acc = np.zeros((n, out_h, out_w, out_c), dtype=np.int64)
    if depthwise:
        # output channel oc reads input channel oc // depth_multiplier
        xp = np.repeat(xp, p[CONV_DEPTH_MULT], axis=3)
        w = w.reshape(k_h, k_w, out_c)
        for ky, kx, win in _taps(xp, *geo):
            acc += win * w[ky, kx]
    else:
        w = w.reshape(out_c, k_h, k_w, in_c)
        for ky, kx, win in _taps(xp, *geo):
            acc += win @ w[:, ky, kx, :].T  # (n, oh, ow, in_c) @ (in_c, out_c)
    if b is not None:
        acc += b
    acc = (acc + (1 << 31)) % (1 << 32) - (1 << 31)  # int32 accumulator
    acc = requantize(acc, mult, sh) + p[CONV_OUTPUT_OFFSET]
    out[:] = np.clip(acc, p[CONV_ACT_MIN], p[CONV_ACT_MAX]).astype(np.int8).reshape(-1)
    return output


def conv2d_s8(input, weights, bias, output, params, multiplier, shift, scratch=None):
    """input (N, H, W, in_c) * weights (out_c, k_h, k_w, in_c) + bias -> requant -> output (N, oh, ow, out_c).

    scratch: the C kernel's work buffer (conv2d_s8_scratch_size bytes); ignored here."""
    _conv_common(input, weights, bias, output, params, multiplier, shift, False)
    _scratch(scratch, conv2d_s8_scratch_size(params))
    return output


def depthwise_conv2d_s8(input, weights, bias, output, params, multiplier, shift, scratch=None):
    """input (N, H, W, in_c) * weights (1, k_h, k_w, out_c), out_c = in_c * depth_multiplier."""
    _conv_common(input, weights, bias, output, params, multiplier, shift, True)
    _scratch(scratch, depthwise_conv2d_s8_scratch_size(params))
    return output


# Scratch bytes of the optimized C kernels (firmware/_micronn/kernels): a per-channel
# requantization table of 5 int32; for conv an int16 im2col of two output pixels (K =
# k_h * k_w * in_c rounded up to 4, K <= 16384); for depthwise one more int32 per channel and,
# with depth multiplier 1, the weights widened to int16 (2 bytes per weight of full groups of 4).
CONV_FAST_MAX_K = 16384


def conv2d_s8_scratch_size(params):
    p = _params(params, CONV_SPEC, CONV_NPARAMS)
    k = p[CONV_K_H] * p[CONV_K_W] * p[CONV_IN_C]
    return 16 * ((k + 3) // 4) + 20 * p[CONV_OUT_C] if k <= CONV_FAST_MAX_K else 0


def depthwise_conv2d_s8_scratch_size(params):
    p = _params(params, CONV_SPEC, DWCONV_NPARAMS)
    out_c = p[CONV_OUT_C]
    n = 24 * out_c + (2 * p[CONV_K_H] * p[CONV_K_W] * (out_c & ~3) if p[CONV_DEPTH_MULT] == 1 else 0)
    return n if n < (1 << 30) else 0


def _pool_common(input, output, params, avg):
    p = _params(params, POOL_SPEC, POOL_NPARAMS)
    _check_act(p, POOL_ACT_MIN)
    n, in_h, in_w, c, out_h, out_w, k_h, k_w, s_h, s_w, pad_t, pad_l = p[:12]
    for i, what in ((0, "out_h/pad_top"), (1, "out_w/pad_left")):
        pad, k = p[POOL_PAD_TOP + i], p[POOL_K_H + i]
        last = (p[POOL_OUT_H + i] - 1) * p[POOL_STRIDE_H + i] - pad
        if pad >= k or last >= p[POOL_IN_H + i]:
            raise ValueError("params: %s window outside the input" % what)
    x = _buf(input, "input", "int8", _count("input", n, in_h, in_w, c)).astype(np.int64)
    x = x.reshape(n, in_h, in_w, c)
    out = _buf(output, "output", "int8", _count("output", n, out_h, out_w, c), writable=True)
    geo = (out_h, out_w, k_h, k_w, s_h, s_w, 1, 1)
    if avg:
        xp = _padded(x, pad_t, pad_l, *geo, fill=0)
        ones = _padded(np.ones((1, in_h, in_w, 1), dtype=np.int64), pad_t, pad_l, *geo, fill=0)
        acc = sum(win for _, _, win in _taps(xp, *geo))
        count = sum(win for _, _, win in _taps(ones, *geo))
        # Round half away from zero: sign(acc) * ((|acc| + count // 2) // count).
        r = np.sign(acc) * ((np.abs(acc) + count // 2) // count)
    else:
        xp = _padded(x, pad_t, pad_l, *geo, fill=-128)
        r = np.max(np.stack([win for _, _, win in _taps(xp, *geo)]), axis=0)
    out[:] = np.clip(r, p[POOL_ACT_MIN], p[POOL_ACT_MAX]).astype(np.int8).reshape(-1)
    return output


def avg_pool2d_s8(input, output, params):
    """Average over the in-bounds part of each window, rounded half away from zero."""
    return _pool_common(input, output, params, True)


def max_pool2d_s8(input, output, params):
    """Maximum over the in-bounds part of each window."""
    return _pool_common(input, output, params, False)


def _add_span(p, s0, name):
    span = 1 + sum((p[ADD_D0 + k] - 1) * p[s0 + k] for k in range(4))
    if span > _COUNT_MAX:
        raise ValueError("%s: more than %d elements" % (name, _COUNT_MAX))
    return span


def _broadcast_index(dims, strides):
    i0, i1, i2, i3 = (np.arange(d, dtype=np.int64) * s for d, s in zip(dims, strides))
    return i0[:, None, None, None] + i1[None, :, None, None] + i2[None, None, :, None] + i3


def add_s8(input1, input2, output, params):
    """output (d0, d1, d2, d3) = input1 (broadcast by strides) + input2, TFLite Micro int8 ADD."""
    p = _params(params, ADD_SPEC, ADD_NPARAMS)
    _check_act(p, ADD_ACT_MIN)
    dims = p[ADD_D0:ADD_D0 + 4]
    n_out = _count("output", *dims)
    x1 = _buf(input1, "input1", "int8", _add_span(p, ADD_IN1_S0, "input1")).astype(np.int64)
    x2 = _buf(input2, "input2", "int8", _add_span(p, ADD_IN2_S0, "input2")).astype(np.int64)
    out = _buf(output, "output", "int8", n_out, writable=True)
    a = x1[_broadcast_index(dims, p[ADD_IN1_S0:ADD_IN1_S0 + 4])]
    b = x2[_broadcast_index(dims, p[ADD_IN2_S0:ADD_IN2_S0 + 4])]
    ls = p[ADD_LEFT_SHIFT]
    a = requantize((a + p[ADD_IN1_OFFSET]) << ls, p[ADD_IN1_MULT], p[ADD_IN1_SHIFT])
    b = requantize((b + p[ADD_IN2_OFFSET]) << ls, p[ADD_IN2_MULT], p[ADD_IN2_SHIFT])
    r = requantize(a + b, p[ADD_OUT_MULT], p[ADD_OUT_SHIFT]) + p[ADD_OUTPUT_OFFSET]
    out[:] = np.clip(r, p[ADD_ACT_MIN], p[ADD_ACT_MAX]).astype(np.int8).reshape(-1)
    return output


def softmax_s8(input, output, params):
    """TFLite Micro's reference int8 softmax over the last axis; output scale 1/256, zero point -128."""
    p = _params(params, SOFTMAX_SPEC, SOFTMAX_NPARAMS)
    rows, depth, mult, ls, diff_min = p
    n = _count("input", rows, depth)
    x = _buf(input, "input", "int8", n).astype(np.int64).reshape(rows, depth)
    out = _buf(output, "output", "int8", n, writable=True)
    diff = x - x.max(axis=1, keepdims=True)
    valid = diff >= diff_min
    e = _exp_on_negative_values_q5(_srdhm(_wrap32(diff << ls), mult))
    total = (np.where(valid, _rdbpot(e, 12), 0).sum(axis=1)) % (1 << 32)  # Q12, uint32 wrap
    headroom_plus_one = 32 - np.searchsorted(_POW2, total, side="right")
    shifted = np.where(headroom_plus_one < 32, (total << np.minimum(headroom_plus_one, 31)) % (1 << 32), 0)
    scale = _one_over_one_plus_x(shifted - (1 << 31))
    exponent = np.minimum(12 - headroom_plus_one + 31 - 8, 31)
    y = _rdbpot(_srdhm(scale[:, None], e), exponent[:, None]) - 128
    y = np.where(valid, np.clip(y, -128, 127), -128)
    out[:] = y.astype(np.int8).reshape(-1)
    return output


def requantize_s8(input, output, params):
    """QUANTIZE int8 -> int8: clamp(requant(input - input_zp) + output_zp)."""
    p = _params(params, REQUANT_SPEC, REQUANT_NPARAMS)
    n = _buf_count(input, "input", "int8")
    x = _buf(input, "input", "int8", n).astype(np.int64)
    out = _buf(output, "output", "int8", n, writable=True)
    r = requantize(x - p[REQUANT_INPUT_ZP], p[REQUANT_MULT], p[REQUANT_SHIFT]) + p[REQUANT_OUTPUT_ZP]
    out[:] = np.clip(r, -128, 127).astype(np.int8)
    return output


def quantize_f32_s8(input, output, scale, zero_point):
    """QUANTIZE float32 -> int8 as TFLite Micro: clamp(round_half_away(x / scale) + zp) in float32.

    NaN gives zero_point; values beyond the int32 range saturate.
    """
    n = _buf_count(input, "input", "float32")
    x = _buf(input, "input", "float32", n)
    out = _buf(output, "output", "int8", n, writable=True)
    s = _scale(scale)
    zp = _int(zero_point, "zero_point", -128, 127)
    with np.errstate(all="ignore"):
        q = (x / s).astype(np.float64)  # float32 division, exact in float64
        r = np.trunc(q + np.copysign(0.5, q))  # std::round
        r = np.where(np.isnan(r), 0, np.clip(r, -512, 512)).astype(np.int64)
    out[:] = np.clip(r + zp, -128, 127).astype(np.int8)
    return output


def dequantize_s8_f32(input, output, scale, zero_point):
    """DEQUANTIZE int8 -> float32: scale * (x - zp), a float32 product."""
    n = _buf_count(input, "input", "int8")
    x = _buf(input, "input", "int8", n)
    out = _buf(output, "output", "float32", n, writable=True)
    s = _scale(scale)
    zp = _int(zero_point, "zero_point", -128, 127)
    out[:] = s * (x.astype(np.int32) - zp).astype(np.float32)
    return output


# The plain C reference kernels of the firmware (`_micronn.<op>_ref`) compute the same bytes.
fully_connected_s8_ref = fully_connected_s8


def conv2d_s8_ref(input, weights, bias, output, params, multiplier, shift):
    return _conv_common(input, weights, bias, output, params, multiplier, shift, False)


def depthwise_conv2d_s8_ref(input, weights, bias, output, params, multiplier, shift):
    return _conv_common(input, weights, bias, output, params, multiplier, shift, True)
