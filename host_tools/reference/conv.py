"""numpy reference kernels of the NN area's convolution-like layers (ops_conv.py): one function per
C kernel, the name of its spec entry's kernel. host_tools.reference exports every kernel the spec names from
its area's module."""

import numpy as np

from .qmath import requantize
from .spec_args import spec_kernel

_F32_MAX = np.finfo(np.float32).max
# TFLM's CalculateActivationRange for float32, by TCONV's act code
_ACT_F32 = ((-_F32_MAX, _F32_MAX), (0.0, _F32_MAX), (-1.0, 1.0), (0.0, 6.0))


def _wrap32(x):
    return ((np.asarray(x, np.int64) + (1 << 31)) % (1 << 32)) - (1 << 31)


def _taps(p):
    """[(fy, fx, (iy0, iy1, oy0), (ix0, ix1, ox0))]: for filter tap (fy, fx), the input rows
    iy0 <= iy < iy1 (and columns) whose scatter lands inside the output, and the output row
    (column) of the first: oy = iy * stride - pad + fy."""
    def run(k, stride, pad, n_in, n_out):
        # 0 <= i * stride - pad + k < n_out
        lo = max(0, -(-(pad - k) // stride))
        hi = min(n_in, (n_out - 1 + pad - k) // stride + 1)
        return (lo, max(lo, hi), lo * stride - pad + k)

    return [(fy, fx, run(fy, p.stride_h, p.pad_top, p.in_h, p.out_h), run(fx, p.stride_w, p.pad_left, p.in_w, p.out_w))
            for fy in range(p.k_h) for fx in range(p.k_w)]


@spec_kernel
def transpose_conv_s8(input, weights, bias, output, multiplier, shift, scratch, p):
    x = input.reshape(p.n, p.in_h, p.in_w, p.in_c).astype(np.int64) + p.input_offset
    w = weights.reshape(p.k_h, p.k_w, p.out_c, p.in_c).astype(np.int64)
    y = output.reshape(p.n, p.out_h, p.out_w, p.out_c)
    taps = _taps(p)
    for b in range(p.n):
        acc = np.zeros((p.out_h, p.out_w, p.out_c), np.int64)
        for fy, fx, (iy0, iy1, oy0), (ix0, ix1, ox0) in taps:
            if iy1 <= iy0 or ix1 <= ix0:
                continue
            # (x + input_offset) . weights[:, fy, fx, :] of every input pixel the tap keeps
            part = np.einsum("hwi,oi->hwo", x[b, iy0:iy1, ix0:ix1], w[fy, fx])
            oy = slice(oy0, oy0 + (iy1 - iy0 - 1) * p.stride_h + 1, p.stride_h)
            ox = slice(ox0, ox0 + (ix1 - ix0 - 1) * p.stride_w + 1, p.stride_w)
            acc[oy, ox] += part
        acc = _wrap32(acc + bias.astype(np.int64))
        out = np.empty_like(acc)
        for c in range(p.out_c):
            out[..., c] = requantize(acc[..., c], int(multiplier[c]), int(shift[c]))
        y[b] = np.clip(out + p.output_offset, p.act_min, p.act_max).astype(np.int8)


# The plain C reference kernels of the firmware (`_micronn.<kernel>_ref`) compute the same bytes.
transpose_conv_s8_ref = transpose_conv_s8


@spec_kernel
def transpose_conv_f32(input, weights, bias, output, p):
    f32 = np.float32
    x = input.reshape(p.n, p.in_h, p.in_w, p.in_c)
    w = weights.reshape(p.k_h, p.k_w, p.out_c, p.in_c)
    y = np.zeros((p.n, p.out_h, p.out_w, p.out_c), f32)
    for iy in range(p.in_h):  # TFLM's scatter order: input pixel, input channel, then the taps
        oy = iy * p.stride_h - p.pad_top
        fy0, fy1 = max(0, -oy), min(p.k_h, p.out_h - oy)
        for ix in range(p.in_w):
            ox = ix * p.stride_w - p.pad_left
            fx0, fx1 = max(0, -ox), min(p.k_w, p.out_w - ox)
            if fy1 <= fy0 or fx1 <= fx0:
                continue
            win = (slice(None), slice(oy + fy0, oy + fy1), slice(ox + fx0, ox + fx1))
            for ic in range(p.in_c):
                prod = (x[:, iy, ix, ic][:, None, None, None] * w[None, fy0:fy1, fx0:fx1, :, ic]).astype(f32)
                y[win] = (y[win] + prod).astype(f32)
    y = (y + bias.astype(f32)).astype(f32)
    lo, hi = (f32(v) for v in _ACT_F32[p.act])
    y = np.where(y < lo, lo, y)
    output[:] = np.where(hi < y, hi, y).reshape(-1)


def _index(p, prefix, dims):
    """Element indices of an operand over the dims `dims` (positions into d0..d5), by its strides."""
    idx = np.zeros((), np.int64)
    for k in range(6):
        ar = np.arange(p["d%d" % k], dtype=np.int64) * p["%s%d" % (prefix, k)] if k in dims else np.zeros(1, np.int64)
        idx = idx[..., None] + ar
    return idx


_LHS, _RHS, _OUTD = (0, 1, 2, 3, 5), (0, 1, 2, 4, 5), (0, 1, 2, 3, 4)


def _operands(lhs, rhs, p):
    # [d0, d1, d2, M, 1, K] and [d0, d1, d2, 1, N, K]
    return lhs[_index(p, "lhs_s", _LHS)], rhs[_index(p, "rhs_s", _RHS)], _index(p, "out_s", _OUTD)[..., 0]


@spec_kernel
def batch_matmul_s8(lhs, rhs, output, scratch, p):
    a, b, at = _operands(lhs, rhs, p)
    acc = ((a.astype(np.int64) + p.lhs_offset) * (b.astype(np.int64) + p.rhs_offset)).sum(axis=-1)
    out = requantize(_wrap32(acc), p.multiplier, p.shift) + p.output_offset
    output[at.reshape(-1)] = np.clip(out, -128, 127).astype(np.int8).reshape(-1)


@spec_kernel
def batch_matmul_f32(lhs, rhs, output, p):
    f32 = np.float32
    a, b, at = _operands(lhs, rhs, p)
    acc = np.zeros(np.broadcast_shapes(a.shape, b.shape)[:-1], f32)
    for k in range(p.d5):  # increasing k, one float32 add at a time
        acc = (acc + (a[..., k] * b[..., k]).astype(f32)).astype(f32)
    output[at.reshape(-1)] = acc.reshape(-1)


batch_matmul_s8_ref = batch_matmul_s8
