"""numpy reference kernels of the NN area (other nn layers): one function per C kernel, the
name of its spec entry's kernel. host_tools.reference exports every kernel the spec names from
its area's module."""

import itertools

import numpy as np

from .qmath import requantize
from .spec_args import spec_kernel


def _reduce_views(input, p):
    """(kept index array [outputs], [reduced offsets] in increasing input order) of a REDUCE
    params set."""
    d = [p["d%d" % k] for k in range(8)]
    s = [p["s%d" % k] for k in range(8)]
    base = np.zeros(1, dtype=np.int64)
    for k in range(4):
        base = (base[:, None] + np.arange(d[k], dtype=np.int64)[None, :] * s[k]).reshape(-1)
    offs = [sum(i * st for i, st in zip(idx, s[4:])) for idx in itertools.product(*(range(n) for n in d[4:]))]
    return base, offs


def _fold(input, p, acc, step):
    base, offs = _reduce_views(input, p)
    for o in offs:  # one reduced element at a time: TFLite Micro's order, per output element
        acc = step(acc, input[base + o])
    return acc


@spec_kernel
def reduce_s8(input, output, p):
    n = len(_reduce_views(input, p)[0])
    if p.op == 0:
        acc = _fold(input, p, np.zeros(n, np.int64), lambda a, x: a + (x.astype(np.int64) + p.input_offset))
        acc = ((acc + (1 << 31)) % (1 << 32)) - (1 << 31)  # int32, as TFLite Micro's sum
        out = requantize(acc, p.multiplier, p.shift) + p.output_offset
        output[:] = np.clip(out, -128, 127).astype(np.int8)
    elif p.op == 1:
        output[:] = _fold(input, p, np.full(n, -128, np.int8), np.maximum)
    else:
        output[:] = _fold(input, p, np.full(n, 127, np.int8), np.minimum)


def _max_keep(a, x):  # (x > acc) ? x : acc: a NaN input never wins
    return np.where(x > a, x, a)


def _min_keep(a, x):
    return np.where(x < a, x, a)


@spec_kernel
def reduce_f32(input, output, p):
    n = len(_reduce_views(input, p)[0])
    f32 = np.float32
    if p.op <= 1:
        acc = _fold(input, p, np.zeros(n, f32), lambda a, x: (a + x).astype(f32))
        if p.op == 1:
            count = f32(1.0)
            for k in range(4, 8):
                count = f32(count * f32(p["d%d" % k]))
            acc = (acc / count).astype(f32)
    elif p.op == 2:
        acc = _fold(input, p, np.full(n, np.finfo(f32).min, f32), _max_keep)
    else:
        acc = _fold(input, p, np.full(n, np.finfo(f32).max, f32), _min_keep)
    output[:] = acc


@spec_kernel
def reduce_bool(input, output, p):
    n = len(_reduce_views(input, p)[0])
    output[:] = _fold(input, p, np.ones(n, bool), lambda a, x: a & (x != 0))


def _arg(input, output, p):
    x = input.reshape(p.outer, p.axis, p.inner)
    best = x[:, 0, :].copy()
    at = np.zeros(best.shape, np.int32)
    for a in range(1, p.axis):  # TFLite Micro's scan: plain > / <, the first winner stays
        v = x[:, a, :]
        win = v > best if p.op == 0 else v < best
        best = np.where(win, v, best)
        at = np.where(win, np.int32(a), at)
    output[:] = at.reshape(-1)


@spec_kernel
def arg_s8(input, output, p):
    _arg(input, output, p)


@spec_kernel
def arg_f32(input, output, p):
    _arg(input, output, p)


def _wrap32(x):
    return ((np.asarray(x, np.int64) + (1 << 31)) % (1 << 32)) - (1 << 31)


def _cumsum(input, output, p, init, add, out):
    x = input.reshape(p.before, p.depth, p.after)
    y = output.reshape(p.before, p.depth, p.after)
    order = range(p.depth - 1, -1, -1) if p.reverse else range(p.depth)
    acc = init
    for k in order:
        prev = acc
        acc = add(acc, x[:, k, :])
        y[:, k, :] = out(prev if p.exclusive else acc)


@spec_kernel
def cumsum_f32(input, output, p):
    f32 = np.float32
    _cumsum(input, output, p, np.zeros((p.before, p.after), f32), lambda a, x: (a + x).astype(f32), lambda a: a)


@spec_kernel
def cumsum_s8(input, output, p):
    def scale(v):
        return requantize(_wrap32(np.asarray(v, np.int64) << 20), p.input_multiplier, p.input_shift)

    def out(a):
        return np.clip(requantize(a, p.output_multiplier, p.output_shift) + p.output_offset, -128, 127).astype(np.int8)

    init = np.full((p.before, p.after), int(scale(p.input_offset)), np.int64)
    _cumsum(input, output, p, init, lambda a, x: _wrap32(a + scale(x.astype(np.int64) + p.input_offset)), out)


_L2_ACT = ((np.finfo(np.float32).min, np.finfo(np.float32).max), (0.0, np.finfo(np.float32).max),
           (-1.0, 1.0), (0.0, 6.0))


@spec_kernel
def l2_pool2d_f32(input, output, p):
    f32 = np.float32
    x = input.reshape(p.n, p.in_h, p.in_w, p.c)
    y = output.reshape(p.n, p.out_h, p.out_w, p.c)
    lo, hi = (f32(v) for v in _L2_ACT[p.act])
    for oy in range(p.out_h):
        y0 = oy * p.stride_h - p.pad_top
        ys = range(max(0, -y0), min(p.k_h, p.in_h - y0))
        for ox in range(p.out_w):
            x0 = ox * p.stride_w - p.pad_left
            xs = range(max(0, -x0), min(p.k_w, p.in_w - x0))
            acc = np.zeros((p.n, p.c), f32)
            for fy in ys:  # window order, one float32 add at a time
                for fx in xs:
                    v = x[:, y0 + fy, x0 + fx, :]
                    acc = (acc + (v * v).astype(f32)).astype(f32)
            r = np.sqrt((acc / f32(len(ys) * len(xs))).astype(f32)).astype(f32)
            r = np.where(r < lo, lo, r)
            y[:, oy, ox, :] = np.where(hi < r, hi, r)


@spec_kernel
def l2_norm_f32(input, output, p):
    f32 = np.float32
    x = input.reshape(p.outer, p.depth)
    acc = np.zeros(p.outer, f32)
    for c in range(p.depth):  # in order, one float32 add at a time
        acc = (acc + (x[:, c] * x[:, c]).astype(f32)).astype(f32)
    norm = np.sqrt(acc).astype(f32)
    norm = np.where(norm < f32(1e-6), f32(1e-6), norm)
    output[:] = (x / norm[:, None]).astype(f32).reshape(-1)
