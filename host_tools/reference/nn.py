"""numpy reference kernels of the NN area (other nn layers): one function per C kernel, the
name of its spec entry's kernel. host_tools.reference exports every kernel the spec names from
its area's module."""

import itertools

import numpy as np

from . import libm_f32
from .qmath import (
    INT32_MAX,
    INT32_MIN,
    _exp_on_negative_values_q5,
    _one_over_one_plus_x,
    _sat_pot,
    _sat_shift_left,
    _srdhm,
    inv_sqrt_multiplier_exp,
    requantize,
    rounding_divide_by_pot,
)
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


# The plain C reference kernel of the firmware (`_micronn.reduce_s8_ref`) computes the same bytes.
reduce_s8_ref = reduce_s8


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


@spec_kernel
def l2_norm_s8(input, output, p):
    x = input.astype(np.int64).reshape(p.outer, p.depth) + p.input_offset
    acc = _wrap32((x * x).sum(axis=1))  # int32, as TFLite Micro's accumulator
    y = output.reshape(p.outer, p.depth)
    for i in range(p.outer):
        m, s = inv_sqrt_multiplier_exp(int(acc[i]))
        y[i] = np.clip(requantize(x[i], m, s + 7), -128, 127).astype(np.int8)


_clz32 = np.vectorize(lambda v: 32 - (int(v) & 0xFFFFFFFF).bit_length(), otypes=[np.int64])
_LOG_2, _SQRT_SQRT_HALF, _SQRT_HALF = 1488522236, 1805811301, 1518500250
_ALPHA_N, _ALPHA_D, _ALPHA_I, _ALPHA_F = 117049297, 127690142, 1057819769, 638450708


def log_q12_to_q5(x):
    """gemmlowp's log_x_for_x_greater_than_or_equal_to_1<5>(x in Q12) as TFLite Micro computes it
    (accumulated in Q6), on int64 arrays of int32 values."""
    x = np.asarray(x, dtype=np.int64)
    quarter_q6 = 1 << 23
    clz = _clz32(x)
    pot = np.vectorize(lambda v, e: int(_sat_pot(int(v), int(e))), otypes=[np.int64])
    r_a = pot(_srdhm(pot(x, clz - 1), _SQRT_HALF), 1)
    a_pow2 = np.clip(pot(12 - clz, 25) + quarter_q6, INT32_MIN, INT32_MAX)
    z_b = _srdhm(x, _SQRT_HALF)
    b_head = _clz32(z_b) - 1
    r_b = pot(x, b_head)
    b_pow2 = np.clip(pot(12 - b_head, 25) - quarter_q6, INT32_MIN, INT32_MAX)
    r = np.minimum(r_a, r_b)
    pow2 = np.maximum(a_pow2, b_pow2)
    hs = r + _SQRT_SQRT_HALF
    hs = hs + np.where(hs >= 0, 1, -1)
    pp = np.where(hs >= 0, hs // 2, -((-hs) // 2))  # RoundingHalfSum: C's truncating division
    q = _wrap32(_wrap32(r - _SQRT_SQRT_HALF) * 2)
    sq = _srdhm(q, q)
    num = _wrap32(_srdhm(q, r) + _srdhm(_srdhm(q, sq), _ALPHA_N))
    den = _wrap32(_srdhm(pp, _wrap32(_wrap32(_ALPHA_I + q) + _srdhm(_ALPHA_D, sq))) + _srdhm(_ALPHA_F, q))
    recip = _one_over_one_plus_x(den)
    num_q6 = rounding_divide_by_pot(num, 6)
    return _sat_shift_left(_wrap32(_srdhm(pow2, _LOG_2) + _srdhm(num_q6, recip)), 1)


@spec_kernel
def log_softmax_s8(input, output, p):
    x = input.astype(np.int64).reshape(p.rows, p.depth)
    diff = x - x.max(axis=1, keepdims=True)
    q5 = requantize(diff, p.input_multiplier, p.input_left_shift)
    e = rounding_divide_by_pot(_exp_on_negative_values_q5(q5), 12)
    total = _wrap32(np.where(diff >= p.diff_min, e, 0).sum(axis=1))  # Q12, int32 wrap
    log_sum = log_q12_to_q5(total)
    adjusted = np.maximum(p.diff_min - 1, requantize(_wrap32(log_sum + INT32_MIN), p.reverse_scaling_divisor,
                                                     p.reverse_scaling_shift))
    v = rounding_divide_by_pot(_wrap32(q5 - log_sum[:, None]), 22) + 127
    y = np.where(diff > adjusted[:, None], np.clip(v, -128, 127), -128)
    output[:] = y.astype(np.int8).reshape(-1)


@spec_kernel
def log_softmax_f32(input, output, p):
    f32 = np.float32
    x = input.reshape(p.rows, p.depth)
    mx = np.full(p.rows, np.finfo(f32).min, f32)
    for c in range(p.depth):  # std::max(max, x): max < x ? x : max
        mx = np.where(mx < x[:, c], x[:, c], mx)
    total = np.zeros(p.rows, f32)
    with np.errstate(all="ignore"):
        for c in range(p.depth):  # in order, one float32 add at a time
            total = (total + libm_f32.expf((x[:, c] - mx).astype(f32))).astype(f32)
        log_sum = libm_f32.logf(total)
        output[:] = ((x - mx[:, None]).astype(f32) - log_sum[:, None]).astype(f32).reshape(-1)
