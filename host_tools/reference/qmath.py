"""Fixed-point quantization math (gemmlowp / TFLite Micro), written once: the numpy reference
kernels and the converter's host-side builders use it."""

import math

import numpy as np


def _round_half_away(x):
    return math.floor(x + 0.5) if x >= 0 else -math.floor(-x + 0.5)



def quantize_multiplier(real_multiplier):
    """TFLite's QuantizeMultiplier: real -> (Q31 multiplier, shift), shift > 0 = left shift.

    Matches tflite::QuantizeMultiplier (frexp, round half away from zero, 2^31 -> 2^30 carry,
    flush to zero below 2^-31).
    """
    real_multiplier = float(real_multiplier)
    if real_multiplier == 0.0:
        return 0, 0
    q, shift = math.frexp(real_multiplier)
    q_fixed = int(_round_half_away(q * (1 << 31)))
    assert q_fixed <= (1 << 31)
    if q_fixed == (1 << 31):
        q_fixed //= 2
        shift += 1
    if shift < -31:
        shift = 0
        q_fixed = 0
    return q_fixed, shift

INT32_MIN = -(1 << 31)

INT32_MAX = (1 << 31) - 1



def sat_rounding_doubling_high_mul(a, b):
    """gemmlowp SaturatingRoundingDoublingHighMul, elementwise on int64 arrays."""
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    ab = a * b
    nudge = np.where(ab >= 0, 1 << 30, 1 - (1 << 30))
    # C integer division truncates toward zero.
    s = ab + nudge
    q = np.where(s >= 0, s >> 31, -((-s) >> 31))
    overflow = (a == INT32_MIN) & (b == INT32_MIN)
    return np.where(overflow, INT32_MAX, q).astype(np.int64)



def rounding_divide_by_pot(x, exponent):
    """gemmlowp RoundingDivideByPOT (round half away from zero), elementwise."""
    x = np.asarray(x, dtype=np.int64)
    exponent = np.asarray(exponent, dtype=np.int64)
    mask = (np.int64(1) << exponent) - 1
    remainder = x & mask
    threshold = (mask >> 1) + (x < 0)
    return (x >> exponent) + (remainder > threshold)



def requantize(x, multiplier, shift):
    """TFLite Micro MultiplyByQuantizedMultiplier (double rounding), elementwise int64."""
    x = np.asarray(x, dtype=np.int64)
    shift = np.asarray(shift, dtype=np.int64)
    left = np.maximum(shift, 0)
    right = np.maximum(-shift, 0)
    xl = ((x << left) + (1 << 31)) % (1 << 32) - (1 << 31)  # int32 wrap, as C does
    return rounding_divide_by_pot(sat_rounding_doubling_high_mul(xl, multiplier), right)



# gemmlowp fixed-point helpers on int64 arrays holding int32 values ("Qm": m integer bits).
def _wrap32(x):
    return (np.asarray(x, dtype=np.int64) + (1 << 31)) % (1 << 32) - (1 << 31)



def _sat_shift_left(x, exponent):
    """x * 2^exponent (exponent > 0), saturating to int32."""
    threshold = (1 << (31 - exponent)) - 1
    return np.where(x > threshold, INT32_MAX, np.where(x < -threshold, INT32_MIN, x << exponent))

_srdhm = sat_rounding_doubling_high_mul

_rdbpot = rounding_divide_by_pot



def _exp_quarter_interval(a):
    """exp(a) for a in [-1/4, 0), Q0 -> Q0: Taylor series around -1/8."""
    c, third = 1895147668, 715827883  # exp(-1/8), 1/3
    x = _wrap32(a + (1 << 28))
    x2 = _srdhm(x, x)
    x3 = _srdhm(x2, x)
    x4 = _srdhm(x2, x2)
    poly = _rdbpot(_wrap32(_srdhm(_wrap32(_rdbpot(x4, 2) + x3), third) + x2), 1)
    return _wrap32(c + _srdhm(c, _wrap32(x + poly)))

_EXP_NEG_POW2 = (1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242)  # exp(-2^k), k=-2..4



def _exp_on_negative_values_q5(a):
    """exp(a) for a <= 0 in Q5 (26 fractional bits) -> Q0."""
    quarter = 1 << 24
    a_mod = (a & (quarter - 1)) - quarter
    result = _exp_quarter_interval(_sat_shift_left(a_mod, 5))
    remainder = _wrap32(a_mod - a)
    for k, m in enumerate(_EXP_NEG_POW2):
        result = np.where(remainder & (1 << (24 + k)), _srdhm(result, m), result)
    return np.where(a == 0, INT32_MAX, result)



def _one_over_one_plus_x(a):
    """1 / (1 + a) for a in [0, 1), Q0 -> Q0 (Newton-Raphson in Q2)."""
    s = np.asarray(a, dtype=np.int64) + INT32_MAX
    t = s + np.where(s >= 0, 1, -1)
    half = np.where(t >= 0, t // 2, -((-t) // 2))
    x = _wrap32(1515870810 + _srdhm(half, -1010580540))  # 48/17 - 32/17 * half, Q2
    for _ in range(3):
        one_minus = _wrap32((1 << 29) - _srdhm(half, x))
        x = _wrap32(x + _sat_shift_left(_srdhm(x, one_minus), 2))
    return _sat_shift_left(x, 1)

_POW2 = np.array([1 << k for k in range(32)], dtype=np.int64)



def _sat_pot(x, exponent):
    """gemmlowp SaturatingRoundingMultiplyByPOT: x * 2^exponent, saturating left shifts, rounding
    (half away from zero) right shifts."""
    if exponent > 0:
        return _sat_shift_left(np.asarray(x, dtype=np.int64), exponent)
    if exponent < 0:
        return _rdbpot(x, -exponent)
    return np.asarray(x, dtype=np.int64)


def _clz32(x):
    x = int(x) & 0xFFFFFFFF
    return 32 - x.bit_length()


def inv_sqrt_multiplier_exp(x, reverse_shift=-1):
    """TFLite's GetInvSqrtQuantizedMultiplierExp: 1/sqrt(x) of an int32 x >= 0 as a (Q31
    multiplier, shift): a Newton-Raphson iteration in gemmlowp Q3 fixed point (x <= 1: INT32_MAX, 0)."""
    x = int(x)
    if x <= 1:
        return INT32_MAX, 0
    shift = 11
    while x >= (1 << 29):
        x //= 4
        shift += 1
    pairs = (_clz32(x) - 1) // 2 - 1
    shift -= pairs
    x <<= 2 * pairs
    half_input = int(_rdbpot(x >> 1, 1))  # Q3
    half_three = (1 << 28) + (1 << 27)  # 1.5 in Q3
    y = 1 << 28  # 1.0 in Q3
    for _ in range(5):
        y3 = int(_sat_pot(_srdhm(_srdhm(y, y), y), 6))  # Q9 -> Q3
        y = int(_sat_pot(_wrap32(_srdhm(half_three, y) - _srdhm(half_input, y3)), 3))  # Q6 -> Q3
    y = int(_srdhm(y, 1518500250))  # * sqrt(2)/2 (Q0)
    if shift < 0:
        y = int(_wrap32(y << -shift))
        shift = 0
    return y, shift * reverse_shift
