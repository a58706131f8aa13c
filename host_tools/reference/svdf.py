"""numpy reference kernels of the RECURRENT area's SVDF (ops_svdf.py) and of the INT16 area's
quantize ops (ops_q16.py): one function per C kernel, the name of its spec entry's kernel.

SVDF's int8 state holds TFLite Micro's state minus the state zero point, wrapped to int8, its
int16 state TFLM's values (see ops_svdf.py): zero is TFLM's reset value either way."""

import numpy as np

from .qmath import (
    _POW2,
    _exp_on_negative_values_q5,
    _one_over_one_plus_x,
    _rdbpot,
    _srdhm,
    _wrap32,
    requantize,
)
from .spec_args import spec_kernel


def _wrap(x, bits):
    h = 1 << (bits - 1)
    return (np.asarray(x, np.int64) + h) % (1 << bits) - h


def _svdf_int(input, weights_feature, weights_time, bias, state, output, p, bits):
    units, rank, mem = p.units, p.rank, p.memory
    filters = units * rank
    lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    state[:-1] = state[1:].copy()  # TFLM shifts the whole buffer by one element
    st = state.reshape(p.batch, filters, mem)
    x = input.astype(np.int64).reshape(p.batch, p.input_size) + p.input_offset
    wf = weights_feature.astype(np.int64).reshape(filters, p.input_size)
    acc = _wrap32(x @ wf.T)  # [batch, filters]
    zp = p.state_zero_point
    rz = zp if bits == 8 else 0  # TFLM resets int8 state to its zero point, int16 state to 0
    c = np.clip(requantize(acc, p.feature_multiplier, p.feature_shift), lo, hi)
    st[:, :, mem - 1] = _wrap(zp + c - rz, bits)
    v = _wrap(st.astype(np.int64) + rz, bits) - zp  # TFLM's (state - zero_point)
    wt = weights_time.astype(np.int64).reshape(filters, mem)
    per_filter = (v * wt[None]).sum(axis=2)  # [batch, filters]
    total = per_filter.reshape(p.batch, units, rank).sum(axis=2)
    if bias is not None:
        total = total + bias.astype(np.int64)[None, :]
    y = requantize(_wrap32(total), p.output_multiplier, p.output_shift) + p.output_offset
    output[:] = np.clip(y, -128, 127).astype(np.int8).reshape(-1)


@spec_kernel
def svdf_s8(input, weights_feature, weights_time, bias, state, output, p):
    _svdf_int(input, weights_feature, weights_time, bias, state, output, p, 8)


@spec_kernel
def svdf_s8_s16(input, weights_feature, weights_time, bias, state, output, p):
    _svdf_int(input, weights_feature, weights_time, bias, state, output, p, 16)


def _act_f32(act, a):
    """TFLM's ActivationValFloat: std::fmax(lo, std::fmin(a, hi)) (a NaN loses to a number)."""
    f32 = np.float32
    if act == 0:
        return a
    lo = f32(-1.0 if act == 2 else 0.0)
    if act != 1:
        hi = f32(1.0 if act == 2 else 6.0)
        a = np.where(a <= hi, a, hi).astype(f32)
    return np.where((lo >= a) | np.isnan(a), lo, a).astype(f32)


@spec_kernel
def svdf_f32(input, weights_feature, weights_time, bias, state, output, p):
    f32 = np.float32
    units, rank, mem = p.units, p.rank, p.memory
    filters = units * rank
    state[:-1] = state[1:].copy()
    st = state.reshape(p.batch, filters, mem)
    x = input.reshape(p.batch, p.input_size)
    wf = weights_feature.reshape(filters, p.input_size)
    with np.errstate(all="ignore"):
        d = np.zeros((p.batch, filters), f32)
        for i in range(p.input_size):  # one float32 multiply and add at a time, in order
            d = (d + (wf[None, :, i] * x[:, i, None]).astype(f32)).astype(f32)
        st[:, :, mem - 1] = d
        wt = weights_time.reshape(filters, mem)
        s = np.zeros((p.batch, filters), f32)
        for m in range(mem):
            s = (s + (wt[None, :, m] * st[:, :, m]).astype(f32)).astype(f32)
        s = s.reshape(p.batch, units, rank)
        y = np.broadcast_to(bias[None, :] if bias is not None else f32(0.0), (p.batch, units)).astype(f32)
        for r in range(rank):
            y = (y + s[:, :, r]).astype(f32)
        output[:] = _act_f32(p.act, y).reshape(-1)


# ---------------------------------------------------------------------------- INT16 quantize ops
def _rescale16(x, p, lo, hi, dt):
    """TFLite Micro's Requantize: int32 wrapping subtraction and addition, as micronn's C."""
    v = _wrap32(x.astype(np.int64) - p.input_zero_point)
    v = _wrap32(requantize(v, p.multiplier, p.shift) + p.output_zero_point)
    return np.clip(v, lo, hi).astype(dt)


@spec_kernel
def requantize_s16_s8(input, output, count, p):
    output[:] = _rescale16(input, p, -128, 127, np.int8)


@spec_kernel
def requantize_s16_s16(input, output, count, p):
    output[:] = _rescale16(input, p, -32768, 32767, np.int16)


@spec_kernel
def requantize_s16_s32(input, output, count, p):
    output[:] = _rescale16(input, p, -(1 << 31), (1 << 31) - 1, np.int32)


@spec_kernel
def requantize_s8_s16(input, output, count, p):
    output[:] = _rescale16(input, p, -32768, 32767, np.int16)


@spec_kernel
def requantize_s32_s16(input, output, count, p):
    output[:] = _rescale16(input, p, -32768, 32767, np.int16)


def _scale_of(p):
    return np.array([p.scale], np.int32).view(np.float32)[0]


@spec_kernel
def quantize_f32_s16(input, output, count, p):
    """QUANTIZE float32 -> int16: round_half_away(input / scale) in float32, + zero point, clamped."""
    with np.errstate(all="ignore"):
        q = (input / _scale_of(p)).astype(np.float32).astype(np.float64)
        r = np.trunc(q + np.copysign(0.5, q))  # std::round of the float32 quotient (exact in float64)
        r = np.where(np.isnan(r), 0, np.clip(r, -131072, 131072)).astype(np.int64)
    output[:] = np.clip(r + p.zero_point, -32768, 32767).astype(np.int16)


@spec_kernel
def dequantize_s16_f32(input, output, count, p):
    """DEQUANTIZE int16 -> float32: scale * (input - zero_point), one float32 rounding."""
    output[:] = _scale_of(p) * (input.astype(np.int32) - p.zero_point).astype(np.float32)


@spec_kernel
def softmax_s8_s16(input, output, p):
    """TFLite Micro's reference Softmax<int8_t, int16_t>: output scale 1/65536, zero point -32768."""
    x = input.astype(np.int64).reshape(p.rows, p.depth)
    diff = x - x.max(axis=1, keepdims=True)
    valid = diff >= p.diff_min
    e = _exp_on_negative_values_q5(_srdhm(_wrap32(diff << p.input_left_shift), p.input_multiplier))
    total = (np.where(valid, _rdbpot(e, 12), 0).sum(axis=1)) % (1 << 32)  # Q12
    headroom_plus_one = 32 - np.searchsorted(_POW2, total, side="right")
    shifted = np.where(headroom_plus_one < 32, (total << np.minimum(headroom_plus_one, 31)) % (1 << 32), 0)
    scale = _one_over_one_plus_x(shifted - (1 << 31))
    exponent = np.clip(12 - headroom_plus_one + 31 - 16, 0, 31)  # [15, 27] for depths <= 4095
    y = _rdbpot(_srdhm(scale[:, None], e), exponent[:, None]) - 32768
    y = np.where(valid, np.clip(y, -32768, 32767), -32768)
    output[:] = y.astype(np.int16).reshape(-1)
