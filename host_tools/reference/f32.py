"""numpy reference kernels of the NN area's float32 layers (ops_f32.py): one function per C kernel, the name of
its spec entry's kernel.

Each computes TFLite Micro's float reference kernel with the same float32 operations in the same
order: the loops that accumulate run one float32 step at a time (vectorized across outputs only),
every product rounded to float32 before it is added."""

import numpy as np

from ..ops.ops_f32 import ACTF_OPS
from .core import _broadcast_index
from .libm_f32 import expf, expm1f, tanhf
from .spec_args import spec_kernel

f32 = np.float32
_FMAX = np.finfo(np.float32).max
# CalculateActivationRange (float) by the layouts' act code: none, RELU, RELU_N1_TO_1, RELU6
ACT_RANGES = ((-_FMAX, _FMAX), (0.0, _FMAX), (-1.0, 1.0), (0.0, 6.0))


def clamp(x, act):
    """ActivationFunctionWithMinMax: std::min(std::max(x, lo), hi) (a NaN passes through)."""
    lo, hi = (f32(v) for v in ACT_RANGES[act])
    x = np.where(x < lo, lo, x)
    return np.where(hi < x, hi, x).astype(f32)


def _conv(input, weights, bias, output, p, depthwise):
    x = input.reshape(p.n, p.in_h, p.in_w, p.in_c)
    if depthwise:
        w = weights.reshape(p.k_h, p.k_w, p.out_c)
    else:
        w = weights.reshape(p.out_c, p.k_h, p.k_w, p.in_c)
    oy = np.arange(p.out_h) * p.stride_h - p.pad_top
    ox = np.arange(p.out_w) * p.stride_w - p.pad_left
    total = np.zeros((p.n, p.out_h, p.out_w, p.out_c), f32)
    with np.errstate(all="ignore"):
        for fy in range(p.k_h):
            iy = oy + p.dil_h * fy
            ry = (iy >= 0) & (iy < p.in_h)
            for fx in range(p.k_w):
                ix = ox + p.dil_w * fx
                rx = (ix >= 0) & (ix < p.in_w)
                inside = (ry[:, None] & rx[None, :])[None, :, :, None]  # taps outside are skipped
                patch = x[:, np.clip(iy, 0, p.in_h - 1)][:, :, np.clip(ix, 0, p.in_w - 1)]  # [n, oh, ow, in_c]
                if depthwise:
                    v = np.repeat(patch, p.depth_multiplier, axis=3)  # oc = ic * mult + m
                    total = np.where(inside, (total + (v * w[fy, fx]).astype(f32)).astype(f32), total)
                    continue
                for ic in range(p.in_c):  # in TFLM's order: fy, fx, then ic
                    prod = (patch[..., ic:ic + 1] * w[:, fy, fx, ic]).astype(f32)
                    total = np.where(inside, (total + prod).astype(f32), total)
        output[:] = clamp((total + bias).astype(f32), p.act).reshape(-1)


@spec_kernel
def conv2d_f32(input, weights, bias, output, p):
    _conv(input, weights, bias, output, p, depthwise=False)


@spec_kernel
def depthwise_conv2d_f32(input, weights, bias, output, p):
    _conv(input, weights, bias, output, p, depthwise=True)


@spec_kernel
def fully_connected_f32(input, weights, bias, output, p):
    x = input.reshape(p.batches, p.in_features)
    w = weights.reshape(p.out_features, p.in_features)
    total = np.zeros((p.batches, p.out_features), f32)
    with np.errstate(all="ignore"):
        for d in range(p.in_features):  # in order, one float32 add at a time
            total = (total + (x[:, d:d + 1] * w[None, :, d]).astype(f32)).astype(f32)
        output[:] = clamp((total + bias).astype(f32), p.act).reshape(-1)


def _pool(input, output, p, init, step, finish):
    x = input.reshape(p.n, p.in_h, p.in_w, p.c)
    y = output.reshape(p.n, p.out_h, p.out_w, p.c)
    with np.errstate(all="ignore"):
        for oy in range(p.out_h):
            y0 = oy * p.stride_h - p.pad_top
            ys = range(max(0, -y0), min(p.k_h, p.in_h - y0))
            for ox in range(p.out_w):
                x0 = ox * p.stride_w - p.pad_left
                xs = range(max(0, -x0), min(p.k_w, p.in_w - x0))
                acc = np.full((p.n, p.c), init, f32)
                for fy in ys:  # window order
                    for fx in xs:
                        acc = step(acc, x[:, y0 + fy, x0 + fx, :])
                y[:, oy, ox, :] = clamp(finish(acc, len(ys) * len(xs)), p.act)


@spec_kernel
def avg_pool2d_f32(input, output, p):
    _pool(input, output, p, 0.0, lambda a, v: (a + v).astype(f32), lambda a, k: (a / f32(k)).astype(f32))


@spec_kernel
def max_pool2d_f32(input, output, p):
    _pool(input, output, p, -_FMAX, lambda a, v: np.where(a < v, v, a), lambda a, k: a)


def _f32_of_bits(bits):
    return np.array([bits], np.int32).view(f32)[0]


def _hard_swish(x, alpha):
    up = (x + f32(3)).astype(f32)
    r = np.where(f32(0) < up, up, f32(0))  # std::max(0, x + 3)
    r = np.where(r < f32(6), r, f32(6))  # std::min(6, r)
    return ((x * r).astype(f32) / f32(6)).astype(f32)


def _logistic(x, alpha):
    out = np.empty_like(x)
    hi, lo = x > f32(16.619047164916992188), x < f32(-9.0)
    mid = ~hi & ~lo  # (NaN falls here, as in TFLM)
    out[hi] = f32(1)
    out[lo] = expf(x[lo])
    out[mid] = (f32(1) / (f32(1) + expf(-x[mid])).astype(f32)).astype(f32)
    return out


_ACTF = {
    "RELU": lambda x, a: np.where(x < f32(0), f32(0), x),
    "RELU6": lambda x, a: np.where(x > f32(6), f32(6), np.where(x < f32(0), f32(0), x)),
    "LEAKY_RELU": lambda x, a: np.where(x > f32(0), x, (x * a).astype(f32)),
    "HARD_SWISH": _hard_swish,
    "LOGISTIC": _logistic,
    "TANH": lambda x, a: tanhf(x),
    "ELU": lambda x, a: np.where(x < f32(0), expm1f(x), x),
}


@spec_kernel
def act_f32(input, output, count, p):
    """The float32 activations of params.op (ops_f32.ACTF_OPS)."""
    with np.errstate(all="ignore"):
        r = _ACTF[ACTF_OPS[p.op]](np.array(input, f32), _f32_of_bits(p.alpha))
    output[:] = np.asarray(r, f32)


@spec_kernel
def prelu_f32(input, alpha, output, p):
    dims = [p["d%d" % k] for k in range(4)]
    x = input[_broadcast_index(dims, [p["in_s%d" % k] for k in range(4)]).reshape(-1)]
    a = alpha[_broadcast_index(dims, [p["alpha_s%d" % k] for k in range(4)]).reshape(-1)]
    with np.errstate(all="ignore"):
        output[:] = np.where(x >= f32(0), x, (x * a).astype(f32))


@spec_kernel
def softmax_f32(input, output, p):
    x = input.reshape(p.rows, p.depth)
    y = output.reshape(p.rows, p.depth)
    beta = _f32_of_bits(p.beta)
    with np.errstate(all="ignore"):
        m = np.full(p.rows, -_FMAX, f32)
        for c in range(p.depth):  # std::max in order: a NaN never wins
            m = np.where(m < x[:, c], x[:, c], m)
        e = expf(((x - m[:, None]).astype(f32) * beta).astype(f32))
        total = np.zeros(p.rows, f32)
        for c in range(p.depth):  # in order, one float32 add at a time
            total = (total + e[:, c]).astype(f32)
        y[:] = (e / total[:, None]).astype(f32)
