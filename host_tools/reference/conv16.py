"""numpy reference kernels of the 16x8 layers (ops_conv16.py, area INT16): one function per C
kernel, the name of its spec entry's kernel. Sums are exact in int64 (they wrap as the C
kernels' uint64 sums where a corrupt bias makes them overflow); requantize64 is TFLite Micro's
int64 MultiplyByQuantizedMultiplier, requantize (qmath) its int32 one."""

import numpy as np

from .qmath import requantize
from .spec_args import spec_kernel


def requantize64(x, multiplier, shift):
    """TFLite Micro's MultiplyByQuantizedMultiplier(int64_t x, ...) (double-rounding build),
    elementwise: the multiplier rounded to 16 bits, one rounding shift by 15 - shift, truncated
    to int32 (shift > 14 clamped as the C kernels clamp it)."""
    x = np.asarray(x, np.int64)
    m = np.asarray(multiplier, np.int64)
    s = np.asarray(shift, np.int64)
    reduced = np.where(m < 0x7FFF0000, (m + (1 << 15)) >> 16, 0x7FFF)
    total = np.where(s > 14, 1, 15 - s)
    with np.errstate(over="ignore"):
        y = x * reduced + (np.int64(1) << (total - 1))  # wraps as the C uint64 arithmetic
    return (y >> total).astype(np.int32).astype(np.int64)


def _requant(acc, bias, multiplier, shift, acc64):
    """acc (int64, [..., C]) + bias requantized per channel as mn_s16_requant."""
    with np.errstate(over="ignore"):
        s = acc + (np.zeros(acc.shape[-1], np.int64) if bias is None else bias.astype(np.int64))
    m, sh = multiplier.astype(np.int64), shift.astype(np.int64)
    if acc64:
        return requantize64(s, m, sh)
    return requantize(s.astype(np.int32).astype(np.int64), m, sh)


def _windows(p, x, k_h, k_w, out_c_of_tap):
    """Sum over the taps of a convolution: out_c_of_tap(ky, kx, xs) gives a tap's contribution
    from xs, the input values it reads for every output position [n, out_h, out_w, in_c] (zeros
    outside the input)."""
    pt = (p.out_h - 1) * p.stride_h + (k_h - 1) * p.dil_h + 1
    pw = (p.out_w - 1) * p.stride_w + (k_w - 1) * p.dil_w + 1
    xp = np.zeros((p.n, max(pt, p.pad_top + p.in_h), max(pw, p.pad_left + p.in_w), p.in_c), np.int64)
    xp[:, p.pad_top:p.pad_top + p.in_h, p.pad_left:p.pad_left + p.in_w] = x
    acc = 0
    for ky in range(k_h):
        for kx in range(k_w):
            y0, x0 = ky * p.dil_h, kx * p.dil_w
            xs = xp[:, y0:y0 + (p.out_h - 1) * p.stride_h + 1:p.stride_h, x0:x0 + (p.out_w - 1) * p.stride_w + 1:p.stride_w]
            acc = acc + out_c_of_tap(ky, kx, xs)
    return acc


@spec_kernel
def conv2d_s16(input, weights, bias, output, multiplier, shift, p):
    x = input.reshape(p.n, p.in_h, p.in_w, p.in_c)
    w = weights.reshape(p.out_c, p.k_h, p.k_w, p.in_c).astype(np.int64)
    acc = _windows(p, x, p.k_h, p.k_w, lambda ky, kx, xs: np.einsum("nhwi,oi->nhwo", xs, w[:, ky, kx]))
    v = _requant(acc, bias, multiplier, shift, p.acc64)
    output[:] = np.clip(v, p.act_min, p.act_max).astype(np.int16).reshape(-1)


@spec_kernel
def depthwise_conv2d_s16(input, weights, bias, output, multiplier, shift, p):
    x = input.reshape(p.n, p.in_h, p.in_w, p.in_c)
    w = weights.reshape(p.k_h, p.k_w, p.out_c).astype(np.int64)
    src = np.arange(p.out_c) // p.depth_multiplier  # the input channel of each output channel
    acc = _windows(p, x, p.k_h, p.k_w, lambda ky, kx, xs: xs[..., src] * w[ky, kx])
    v = _requant(acc, bias, multiplier, shift, p.acc64)
    output[:] = np.clip(v, p.act_min, p.act_max).astype(np.int16).reshape(-1)


@spec_kernel
def fully_connected_s16(input, weights, bias, output, multiplier, shift, p):
    x = input.reshape(p.batches, p.in_features).astype(np.int64)
    w = weights.reshape(p.out_features, p.in_features).astype(np.int64)
    v = _requant(x @ w.T, bias, multiplier, shift, p.acc64)
    output[:] = np.clip(v, p.act_min, p.act_max).astype(np.int16).reshape(-1)


# The plain C reference kernels of the firmware (`_micronn.<kernel>_ref`) compute the same bytes.
conv2d_s16_ref = conv2d_s16
fully_connected_s16_ref = fully_connected_s16


@spec_kernel
def transpose_conv_s16(input, weights, bias, output, multiplier, shift, scratch, p):
    x = input.reshape(p.n, p.in_h, p.in_w, p.in_c).astype(np.int64)
    w = weights.reshape(p.out_c, p.k_h, p.k_w, p.in_c).astype(np.int64)
    y = output.reshape(p.n, p.out_h, p.out_w, p.out_c)
    # the scatter onto a padded plane: input pixel (iy, ix), tap (fy, fx) -> (iy * s + fy - pad)
    ph = max((p.in_h - 1) * p.stride_h + p.k_h, p.pad_top + p.out_h)
    pw = max((p.in_w - 1) * p.stride_w + p.k_w, p.pad_left + p.out_w)
    for b in range(p.n):
        acc = np.zeros((ph, pw, p.out_c), np.int64)
        for fy in range(p.k_h):
            for fx in range(p.k_w):
                part = np.einsum("hwi,oi->hwo", x[b], w[:, fy, fx])
                acc[fy:fy + (p.in_h - 1) * p.stride_h + 1:p.stride_h,
                    fx:fx + (p.in_w - 1) * p.stride_w + 1:p.stride_w] += part
        acc = acc[p.pad_top:p.pad_top + p.out_h, p.pad_left:p.pad_left + p.out_w]
        v = _requant(acc, bias, multiplier, shift, 1)
        y[b] = np.clip(v, p.act_min, p.act_max).astype(np.int16)


def _index(p, prefix, dims):
    """Element indices of an operand over the dims `dims` (positions into d0..d5), by its strides."""
    idx = np.zeros((), np.int64)
    for k in range(6):
        ar = np.arange(p["d%d" % k], dtype=np.int64) * p["%s%d" % (prefix, k)] if k in dims else np.zeros(1, np.int64)
        idx = idx[..., None] + ar
    return idx


@spec_kernel
def batch_matmul_s16(lhs, rhs, output, p):
    a = lhs[_index(p, "lhs_s", (0, 1, 2, 3, 5))].astype(np.int64)  # [d0, d1, d2, M, 1, K]
    b = rhs[_index(p, "rhs_s", (0, 1, 2, 4, 5))].astype(np.int64)  # [d0, d1, d2, 1, N, K]
    at = _index(p, "out_s", (0, 1, 2, 3, 4))[..., 0]
    v = requantize64((a * b).sum(axis=-1), p.multiplier, p.shift)
    output[at.reshape(-1)] = np.clip(v, -32768, 32767).astype(np.int16).reshape(-1)
