"""numpy reference kernels of the int16 activations, pools and SOFTMAX (ops_act16.py of the op
spec), and what TFLite Micro's Prepare computes for them (floats allowed): the LOGISTIC/TANH
input rescale, the sigmoid table and the SOFTMAX exp and 1/(1+x) tables.

Tables as the kernels take them:
  sigmoid_table()   TFLM's fixed table of sigmoid(i / 24) in 0.16 format (256 uint16 values,
                    stored as int16 bits); LOGISTIC interpolates it on 9 bits, TANH on 8
  softmax_tables()  TFLM's LUTPopulate<int16_t> (float32 arithmetic, glibc's expf) of exp(x) on
                    [-10, 0] and 1/(1+x) on [0, 1]: 513 int16 entries each
"""

import numpy as np

from . import libm_f32
from .qmath import _round_half_away, quantize_multiplier, requantize
from .spec_args import spec_kernel

I16_MIN, I16_MAX = -32768, 32767

# sigmoid(i / 24) * 65536 (0.16 fixed point, the last entry saturated), i = 0..255: the table of
# TFLite's kernels/internal/common.h that its int16 logistic and tanh interpolate.
SIGMOID_Q16 = (
    32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149, 40794, 41432,
    42064, 42688, 43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369, 47911, 48443, 48964, 49475,
    49975, 50464, 50942, 51409, 51865, 52311, 52745, 53169, 53581, 53983, 54374, 54755, 55125, 55485,
    55834, 56174, 56503, 56823, 57133, 57433, 57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519,
    59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110, 61279, 61441, 61599, 61750, 61896, 62036,
    62172, 62302, 62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186, 63279, 63368, 63454, 63536,
    63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308, 64357, 64405,
    64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786, 64816, 64845, 64873, 64900,
    64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079, 65097, 65115, 65132, 65149, 65164, 65179,
    65194, 65208, 65221, 65234, 65246, 65258, 65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337,
    65345, 65352, 65360, 65367, 65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425,
    65429, 65433, 65438, 65442, 65445, 65449, 65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474,
    65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491, 65493, 65495, 65497, 65498, 65500, 65501,
    65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513, 65514, 65515, 65516, 65517,
    65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524, 65525, 65525,
    65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530,
    65530, 65530, 65531, 65531, 65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533,
    65533, 65533, 65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534,
    65534, 65534, 65534, 65535)


def sigmoid_table():
    """The sigmoid table as the LOGISTIC/TANH kernels take it: int16 bits of the uint16 values."""
    return np.array(SIGMOID_Q16, dtype=np.uint16).view(np.int16)


# ---------------------------------------------------------------------------------------------
# Kernels

def _rescale_in(input, p):
    x = input.astype(np.int64)
    s = p.input_left_shift
    rnd = (1 << (s - 1)) if s > 0 else 0
    return (x * p.input_multiplier + rnd) >> s


def _lookup(a, table, bits):
    """(ua << bits) + frac * (ub - ua) on |x| (uint32), saturated where |x| >> bits >= 255."""
    t = table.view(np.uint16).astype(np.int64)
    uh = a >> bits
    sat = uh >= 255
    k = np.minimum(uh, 254)
    ua, ub = t[k], t[k + 1]
    return sat, (ua << bits) + (a & ((1 << bits) - 1)) * (ub - ua)


@spec_kernel
def logistic_s16(input, table, output, n, p):
    x = _rescale_in(input, p)
    sat, r = _lookup(np.abs(x), table, 9)
    r = np.where(sat, 0x7FFF << 10, r)
    r = np.where(x >= 0, r + (1 << 9), (1 << 25) - r + (1 << 9) - 1) >> 10
    output[:] = (r & 0xFFFF).astype(np.uint16).view(np.int16)


@spec_kernel
def tanh_s16(input, table, output, n, p):
    x = _rescale_in(input, p)
    sat, r = _lookup(np.abs(x), table, 8)
    r = np.where(sat, 0xFFFF << 8, r)
    r = np.where(x >= 0, r - (1 << 23) + (1 << 7), -r + (1 << 23) + (1 << 7) - 1) >> 8
    output[:] = (r & 0xFFFF).astype(np.uint16).view(np.int16)


@spec_kernel
def relu_s16(input, output, n, p):
    output[:] = np.clip(requantize(input, p.multiplier, p.shift), p.act_min, p.act_max).astype(np.int16)


@spec_kernel
def relu6_s16(input, output, n, p):
    output[:] = np.clip(input, p.act_min, p.act_max).astype(np.int16)


@spec_kernel
def leaky_relu_s16(input, output, n, p):
    v = input.astype(np.int64) - p.input_zero_point
    neg = requantize(v, p.multiplier_alpha, p.shift_alpha)
    y = np.where(v >= 0, requantize(v, p.multiplier_identity, p.shift_identity),
                 -neg if p.alpha_negative else neg) + p.output_zero_point
    output[:] = np.clip(y, I16_MIN, I16_MAX).astype(np.int16)


def _broadcast_index(p, s):
    idx = np.zeros(1, dtype=np.int64)
    for k in range(4):
        idx = (idx[:, None] + np.arange(p["d%d" % k], dtype=np.int64)[None, :] * p["%s%d" % (s, k)]).reshape(-1)
    return idx


@spec_kernel
def prelu_s16(input, alpha, output, p):
    v = input.astype(np.int64)[_broadcast_index(p, "in_s")] + p.input_offset
    a = alpha.astype(np.int64)[_broadcast_index(p, "alpha_s")] + p.alpha_offset
    y = np.where(v >= 0, requantize(v, p.multiplier_pos, p.shift_pos),
                 requantize(v * a, p.multiplier_neg, p.shift_neg)) + p.output_offset
    output[:] = np.clip(y, I16_MIN, I16_MAX).astype(np.int16)


def _pool(input, output, p, is_max):
    x = input.reshape(p.n, p.in_h, p.in_w, p.c).astype(np.int64)
    y = output.reshape(p.n, p.out_h, p.out_w, p.c)
    for oy in range(p.out_h):
        y0 = oy * p.stride_h - p.pad_top
        ys = slice(y0 + max(0, -y0), y0 + min(p.k_h, p.in_h - y0))
        for ox in range(p.out_w):
            x0 = ox * p.stride_w - p.pad_left
            xs = slice(x0 + max(0, -x0), x0 + min(p.k_w, p.in_w - x0))
            win = x[:, ys, xs, :]
            if is_max:
                acc = np.maximum(win.max(axis=(1, 2)), I16_MIN)
            else:
                count = win.shape[1] * win.shape[2]
                s = win.sum(axis=(1, 2))
                half = count // 2
                # round half away from zero with C's truncating division
                acc = np.where(s > 0, (s + half) // count, -((-(s - half)) // count))
            y[:, oy, ox, :] = np.clip(acc, p.act_min, p.act_max)


@spec_kernel
def avg_pool2d_s16(input, output, p):
    _pool(input, output, p, False)


@spec_kernel
def max_pool2d_s16(input, output, p):
    _pool(input, output, p, True)


def lut_lookup_s16(value, lut):
    """TFLM's LUTLookup(int16, lut[513]): lut[256 + (v >> 7)] plus the slope times the low 7
    bits, rounded (the slope as an int16)."""
    v = np.asarray(value, dtype=np.int64)
    t = lut.astype(np.int64)
    idx = 256 + (v >> 7)
    base = t[idx]
    slope = ((t[idx + 1] - base + 32768) & 0xFFFF) - 32768
    r = base + ((slope * (v & 0x7F) + 64) >> 7)
    return ((r + 32768) & 0xFFFF) - 32768


@spec_kernel
def softmax_s16(input, exp_table, recip_table, output, p):
    x = input.astype(np.int64).reshape(p.rows, p.depth)
    y = output.reshape(p.rows, p.depth)
    for r in range(p.rows):
        diff = x[r] - x[r].max()
        scaled = requantize(diff, p.input_multiplier, p.input_shift)
        e = lut_lookup_s16(np.clip(scaled + 32767, I16_MIN, I16_MAX), exp_table)
        total = int(e.sum())  # int32 in TFLM; depth <= 65536 keeps it below 2^31
        hpo = 32 - (total & 0xFFFFFFFF).bit_length()
        shifted = ((total << (hpo - 1)) + (1 << 13)) >> 14
        recip = int(lut_lookup_s16(np.clip(shifted - (1 << 15) - (1 << 16), I16_MIN, I16_MAX), recip_table))
        right = 31 - hpo
        y[r] = np.clip((e * recip + (1 << (right - 1))) >> right, 0, 32767)


# ---------------------------------------------------------------------------------------------
# Host side: TFLM's Prepare.

_F32 = np.float32


def _roundf(x):
    """roundf (half away from zero) of float32 values, as float32."""
    d = np.asarray(x, dtype=np.float64)
    return np.where(d >= 0, np.floor(d + 0.5), -np.floor(-d + 0.5)).astype(_F32)


def checked_log2(x):
    """TFLite's CheckedLog2 in float32: (round(log2 x), whether x is within 1e-3 of a power of two)."""
    inv_ln2 = _F32(_F32(1.0) / libm_f32.logf(_F32(2.0)))
    lg = _F32(libm_f32.logf(_F32(x)) * inv_ln2)
    rounded = _roundf(lg)
    return int(rounded), bool(abs(_F32(lg - rounded)) < _F32(1e-3))


def sigmoid_params(input_scale, output_scale, tanh):
    """TFLM's int16 LOGISTIC / TANH Prepare: (input_multiplier, input_left_shift) as the kernel
    takes them (the power-of-two case folded: multiplier 3 << shift, shift 0). Raises ValueError
    where TFLM's Prepare fails or its kernel would overflow."""
    log2_out, out_pot = checked_log2(output_scale)
    if not out_pot or log2_out != -15:
        raise ValueError("output scale %r, expected 2^-15 (TFLite Micro requires it)" % output_scale)
    log2_in, pot = checked_log2(input_scale)
    shift = 12 + log2_in
    pot = pot and (shift in ((0, 1) if tanh else (0,)))
    if pot:
        return 3 << shift, 0
    mult = float(np.float32(input_scale)) * 4096.0 * 3.0
    shift = 0
    while mult <= 32767.0 / 2.0 and shift <= 30:
        shift += 1
        mult *= 2.0
    mult = int(mult)
    if not 1 <= mult <= 32767:
        raise ValueError("input scale %r: the table rescale multiplier %d is outside [1, 32767]" % (input_scale, mult))
    return mult, shift


def lut_populate_s16(input_scale, input_zero_point, output_scale, output_zero_point, transform):
    """TFLite's LUTPopulate<int16_t> (float32 arithmetic): 512 samples of transform over the
    input range, each less half its midpoint interpolation error, and the last value."""
    s_in, s_out = _F32(input_scale), _F32(output_scale)
    in_min = _F32(s_in * _F32(I16_MIN - input_zero_point))
    in_max = _F32(s_in * _F32(I16_MAX - input_zero_point))
    out_min = _F32(s_out * _F32(I16_MIN - output_zero_point))
    out_max = _F32(s_out * _F32(I16_MAX - output_zero_point))
    step = _F32(_F32(in_max - in_min) / _F32(512))
    half = _F32(step / _F32(2))
    inv = _F32(_F32(65536) / _F32(out_max - out_min))
    i = np.arange(512, dtype=np.float32)
    with np.errstate(all="ignore"):
        at = (in_min + i * step).astype(_F32)
        val = transform(at)
        mid = transform((at + half).astype(_F32))
        nxt = transform((in_min + (i + _F32(1)) * step).astype(_F32))
        sample = _roundf((val * inv).astype(_F32))
        interp = _roundf(((nxt * inv).astype(_F32) + sample).astype(_F32) / _F32(2))
        mid_val = _roundf((mid * inv).astype(_F32))
        bias = _roundf(((interp - mid_val).astype(_F32) / _F32(2)).astype(_F32))
        body = np.clip((sample - bias).astype(_F32), I16_MIN, I16_MAX)
        last = np.clip(_roundf((transform(np.array([in_max], _F32)) * inv).astype(_F32)), I16_MIN, I16_MAX)
    return np.concatenate([body, last]).astype(np.int16)


_SOFTMAX_TABLES = None


def softmax_tables():
    """TFLM's SOFTMAX int16 tables (InitializeLutForInt16): exp on [-10, 0] and 1/(1+x) on [0, 1],
    both with output scale 2/65535; the same for every model."""
    global _SOFTMAX_TABLES
    if _SOFTMAX_TABLES is None:
        rng = _F32(65535)
        exp_t = lut_populate_s16(_F32(10.0) / rng, I16_MAX, _F32(2.0) / rng, 0, libm_f32.expf)
        rec_t = lut_populate_s16(_F32(1.0) / rng, I16_MIN, _F32(2.0) / rng, 0,
                                 lambda v: (_F32(1.0) / (_F32(1.0) + v).astype(_F32)).astype(_F32))
        _SOFTMAX_TABLES = (exp_t, rec_t)
    return _SOFTMAX_TABLES


def softmax_params(input_scale, beta):
    """TFLM's int16 SOFTMAX Prepare: (input_multiplier, input_shift) of
    input_scale * beta / (10 / 65535) in double."""
    real = float(np.float32(input_scale)) * float(np.float32(beta)) / (10.0 / 65535.0)
    m, s = quantize_multiplier(real)
    if m == 0:
        raise ValueError("input scale %r times beta %r is too small" % (input_scale, beta))
    if s > 15:
        raise ValueError("input scale %r times beta %r rescales differences past int32 (shift %d > 15)"
                         % (input_scale, beta, s))
    return m, s


def relu6_bounds(input_scale, input_zero_point):
    """TFLM's RELU6 int16 Prepare: zero = the zero point, six = zp + round(6 / scale) (float32),
    saturated to int16."""
    six = int(input_zero_point) + int(_round_half_away(float(_F32(6.0) / _F32(input_scale))))
    return int(input_zero_point), min(max(six, I16_MIN), I16_MAX)


def f32_ratio_multiplier(num, den):
    """QuantizeMultiplier of a float32 quotient (TFLM's static_cast<double>(a / b) of floats)."""
    return quantize_multiplier(float(_F32(_F32(num) / _F32(den))))


__all__ = ["logistic_s16", "tanh_s16", "relu_s16", "relu6_s16", "leaky_relu_s16", "prelu_s16",
           "avg_pool2d_s16", "max_pool2d_s16", "softmax_s16", "sigmoid_table", "softmax_tables",
           "sigmoid_params", "softmax_params", "relu6_bounds", "lut_populate_s16", "lut_lookup_s16",
           "checked_log2", "f32_ratio_multiplier"]
