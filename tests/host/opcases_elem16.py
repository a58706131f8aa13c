"""Generated-model cases of the INT16 area's elementwise ops (ops_elem16.py; see opcases.py): (id,
.tflite bytes, [inputs]), each checked against live TFLite Micro on the numpy backend and on every
test board."""

import numpy as np
from opcases_math import SELECT_SHAPES, SHAPES, binary, select_v2
from opcases_unary import unary

from host_tools.check import modelgen

CASES = []
_I16 = np.int16


def _x16(rng, shape):
    """Uniform int16 with the corners -32768, 32767, -32767, 0, 1, -1 spread through it."""
    x = modelgen.random_input(rng, shape, _I16)
    flat = x.reshape(-1)
    corners = np.array([-32768, 32767, -32767, 0, 1, -1, -32768, 32767], dtype=_I16)
    flat[::5] = corners[np.arange(len(flat[::5])) % len(corners)]
    return x


# ---------------------------------------------------------------------------- ADD / SUB int16
# (s1, z1), (s2, z2), (so, zo), activation. TFLM's int16 ADD/SUB always take the general path
# (left shift 15, add.cc passes pot_scale=false): equal power-of-two scales (where LiteRT would
# take its POT path) are checked like any other.
ADD_Q = [
    ((2 ** -12, 0), (2 ** -12, 0), (2 ** -12, 0), "NONE"),  # equal power-of-two scales
    ((3.1e-4, 0), (1.7e-4, 0), (4.4e-4, 0), "RELU"),
    ((6.0 / 32768, 0), (5.0 / 32768, 0), (8.0 / 32768, 0), "RELU6"),
    ((1.0 / 32768, 0), (3.0 / 32768, 0), (1.5 / 32768, 0), "RELU_N1_TO_1"),
    ((1.0, 0), (3e-4, 0), (2e-3, 0), "NONE"),  # very unequal scales
    ((1e-3, 0), (1e-3, 0), (1e-5, 0), "NONE"),  # saturating output
    ((1e-4, 0), (2e-4, 0), (0.5, 0), "NONE"),  # tiny output multiplier
    ((0.01, 100), (0.02, -300), (0.03, 7), "RELU"),  # zero points (TFLM's int16 ADD/SUB take them)
    ((0.123456, 0), (0.123457, 0), (0.0371, 0), "NONE"),  # float32 vs double ratios
]
_CASE_SHAPES = [SHAPES[0], SHAPES[2], SHAPES[3], SHAPES[4], SHAPES[5], SHAPES[6], SHAPES[8], SHAPES[9],
                SHAPES[10]]
for _name, _base in (("ADD", 4700), ("SUB", 4710)):
    for _k, (_sh, _q) in enumerate(zip(_CASE_SHAPES, ADD_Q)):
        _rng = np.random.default_rng(_base * 10 + _k)
        q1, q2, qo, act = _q
        CASES.append(("%s_s16-%d" % (_name.lower(), _k), binary(_name, *_sh, _I16, act, q1, q2, qo),
                      [_x16(_rng, s) for s in _sh]))

# Unequal power-of-two scales (LiteRT's POT path would shift one input: TFLM's general path
# rounds the same way) and the extreme zero points (|x + offset| up to 65535, << 15 fills int32).
for _name, _base in (("ADD", 47080), ("SUB", 47180)):
    for _k, _q in enumerate((((2 ** -12, 0), (2 ** -10, 0), (2 ** -10, 0), "NONE"),
                             ((0.01, -32768), (0.02, 32767), (0.03, 0), "NONE"))):
        _rng = np.random.default_rng(_base + _k)
        _sh = SHAPES[1] if _k == 0 else SHAPES[3]
        CASES.append(("%s_s16-%s" % (_name.lower(), ("pot", "zp")[_k]), binary(_name, *_sh, _I16, _q[3], *_q[:3]),
                      [_x16(_rng, s) for s in _sh]))

# ---------------------------------------------------------------------------- MUL int16
# zero points 0 (TFLM requires them); multipliers < 1, = 1 and > 1 (a left shift, products
# that fill int32), every fused activation.
MUL_Q = [
    ((2 ** -8, 0), (2 ** -8, 0), (2 ** -16, 0), "NONE"),  # multiplier exactly 1
    ((3e-3, 0), (7e-4, 0), (2.1e-3, 0), "RELU"),
    ((1e-2, 0), (2e-2, 0), (6.0 / 32768, 0), "RELU6"),
    ((1e-2, 0), (1e-2, 0), (1.0 / 32768, 0), "RELU_N1_TO_1"),
    ((0.5, 0), (0.25, 0), (1e-3, 0), "NONE"),  # multiplier > 1: saturating
    ((1e-5, 0), (1e-5, 0), (1.0, 0), "NONE"),  # tiny multiplier
]
for _k, (_sh, _q) in enumerate(zip(_CASE_SHAPES, MUL_Q)):
    _rng = np.random.default_rng(47200 + _k)
    q1, q2, qo, act = _q
    CASES.append(("mul_s16-%d" % _k, binary("MUL", *_sh, _I16, act, q1, q2, qo), [_x16(_rng, s) for s in _sh]))

# ---------------------------------------------------------------------------- SQUARED_DIFFERENCE int16
SQD_Q = [
    ((2 ** -10, 0), (2 ** -10, 0), (2 ** -4, 0)),
    ((3e-4, 0), (1e-4, 0), (5e-2, 0)),
    ((1e-2, 0), (3e-2, 0), (1e-2, 0)),  # saturating
    ((1.0, 0), (1e-3, 0), (30.0, 0)),
    ((1e-4, 0), (1e-4, 0), (1e-6, 0)),  # output multiplier > 1
]
for _k, (_sh, _q) in enumerate(zip(_CASE_SHAPES, SQD_Q)):
    _rng = np.random.default_rng(47300 + _k)
    CASES.append(("squared_difference_s16-%d" % _k, binary("SQUARED_DIFFERENCE", *_sh, _I16, None, *_q),
                  [_x16(_rng, s) for s in _sh]))

# ---------------------------------------------------------------------------- MINIMUM / MAXIMUM int16
for _name, _base in (("MINIMUM", 47400), ("MAXIMUM", 47500)):
    for _k, _sh in enumerate(SHAPES[:1] + SHAPES[2:7] + SHAPES[8:]):
        _rng = np.random.default_rng(_base + _k)
        q = ((0.01, 0), (0.01, 0), (0.01, 0)) if _k % 2 else ((0.02, 0), (0.03, 0), (0.04, 0))
        ins = [_x16(_rng, s) for s in _sh]
        if _k == 1:  # ties
            ins = [_rng.choice(np.array([-32768, -1, 0, 1, 32767], _I16), size=s) for s in _sh]
        CASES.append(("%s_s16-%d" % (_name.lower(), _k), binary(_name, *_sh, _I16, None, *q), ins))

# ---------------------------------------------------------------------------- SELECT_V2 int16
for _k, _sh in enumerate(SELECT_SHAPES):
    _rng = np.random.default_rng(47600 + _k)
    cond = _rng.random(size=_sh[0]) < (0.5, 0.9, 0.1)[_k % 3]
    CASES.append(("select_v2_s16-%d" % _k, select_v2(*_sh, _I16, (1e-3, 0), (1e-3, 0)),
                  [cond, _x16(_rng, _sh[1]), _x16(_rng, _sh[2])]))

# ---------------------------------------------------------------------------- ABS int16
# unquantized (std::abs: -32768 stays -32768), equal scales (|-32768| saturates), rescales < 1
# and > 1 (saturating), a float32 ratio that rounds.
_ABS_Q = [(None, None), ((1e-3, 0), (1e-3, 0)), ((1e-3, 0), (3e-3, 0)), ((2e-3, 0), (1e-3, 0)),
          ((0.0377, 0), (0.1234567, 0))]
_ABS_SHAPES = [(1,), (2, 3, 5), (1, 4, 4, 17), (3, 67), (1, 130)]
for _k, ((_qi, _qo), _sh) in enumerate(zip(_ABS_Q, _ABS_SHAPES)):
    _rng = np.random.default_rng(47700 + _k)
    CASES.append(("abs_s16-%d" % _k, unary("ABS", _sh, _I16, _qi, _qo), [_x16(_rng, _sh)]))
_x = np.arange(-32768, 32768, 97, dtype=np.int64).astype(_I16)
_x[:2] = (-32768, 32767)
CASES.append(("abs_s16-range", unary("ABS", _x.shape, _I16, (5e-4, 0), (4e-4, 0)), [_x]))
