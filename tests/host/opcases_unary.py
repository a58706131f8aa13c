"""Generated-model cases of the MATH area's unary ops (ops_unary.py; see opcases.py): (id, .tflite
bytes, [inputs]), each checked against live TFLite Micro on the numpy backend and on every test
board."""

import numpy as np

from host_tools.check import modelgen
from host_tools.check.modelgen import ModelBuilder
from host_tools.reference import libm_f32

CASES = []


def unary(op, shape, dtype, qin=None, qout=None):
    """A one-input op of dtype; qin/qout: (scale, zero point) of a quantized tensor."""
    b = ModelBuilder("micronn opcases unary %s" % op)
    x = b.add_input("input", shape, dtype, *(qin or ()))
    y = b.add_output("output", shape, dtype, *(qout or ()))
    b.add_operator(op, [x], [y])
    return b.finish()


def _bits(*u):
    return np.array(u, dtype=np.uint32).view(np.float32)


# Every float32 corner in one input: signed zeros, infinities, quiet NaNs of both signs with a
# payload, denormals, halves and near-halves (ROUND's ties), integers past 2^23 and 2^31, extremes.
SPECIAL = np.concatenate([
    np.array([0.0, -0.0, np.inf, -np.inf, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 3.5, -3.5, 0.49999997,
              -0.49999997, 0.50000006, 1.0, -1.0, 2.0, 0.25, 4.0, 1e-3, -1e-3, 8388607.5, -8388607.5,
              8388608.0, 8388609.0, -8388609.0, 2147483648.0, -2147483648.0, 3e9, -3e9, 1e30, -1e30,
              3.4028235e38, -3.4028235e38, 1.1754944e-38, -1.1754944e-38, 1e-45, -1e-45, 3e-39,
              -3e-39, 123.456, -987.25, 1e-20, 6.0, 100.5, 101.5, -100.5], dtype=np.float32),
    _bits(0x7FC00000, 0xFFC00000, 0x7FC12345, 0xFFE00001),
]).astype(np.float32)

_SHAPES = [(1,), (2, 3, 5), (1, 4, 4, 17), (3, 67)]

for _name in ("ABS", "NEG", "CEIL", "FLOOR", "ROUND", "SQRT", "RSQRT", "SQUARE", "EXP", "LOG", "SIN", "COS"):
    for _k, _sh in enumerate(_SHAPES):
        _rng = np.random.default_rng(2700 + 13 * len(_name) + _k)
        _x = modelgen.random_input(_rng, _sh, np.float32)
        if _name == "ROUND" and _k == 2:  # many exact halves
            _x = (np.round(_x * 2) / 2).astype(np.float32)
        CASES.append(("%s_f32-%d" % (_name.lower(), _k), unary(_name, _sh, np.float32), [_x]))
    CASES.append(("%s_f32-special" % _name.lower(), unary(_name, SPECIAL.shape, np.float32), [SPECIAL.copy()]))

# EXP, LOG, SIN, COS: 4096 random bit patterns (every exponent, both signs), the inputs where the
# unfused evaluation needs glibc's fused result (host_tools/reference/libm_f32.py FIXES) and,
# for SIN/COS, the reduction's edges (pi/4, 120, huge arguments).
for _k, _name in enumerate(("EXP", "LOG", "SIN", "COS")):
    _rng = np.random.default_rng(2750 + _k)
    _u = _rng.integers(0, 1 << 32, size=4096, dtype=np.uint64).astype(np.uint32)
    _x = np.concatenate([_u.view(np.float32), _bits(*sorted(libm_f32.FIXES[_name.lower()])),
                         np.array([0.7853981, 0.7853982, -0.7853982, 119.99999, 120.0, -120.0, 1e10, -3e38,
                                   88.72283, 88.72284, -103.97207, -103.97208, -87.33654, 1.0000001,
                                   0.99999994, 1e-40], dtype=np.float32)]).astype(np.float32)
    CASES.append(("%s_f32-wide" % _name.lower(), unary(_name, _x.shape, np.float32), [_x]))

# ---------------------------------------------------------------------------- int8 ABS, RSQRT
# (input scale, zp), (output scale, zp): equal scales (ABS: no rescale), multipliers < 1 and > 1,
# zero points -128 and 127, saturating outputs.
_ABS_Q = [((0.05, 3), (0.05, -4)), ((0.02, -128), (0.04, -128)), ((0.1, 127), (0.03, -128)),
          ((0.013, 0), (0.2, 10)), ((0.5, -7), (0.5, -7))]
for _k, (_qi, _qo) in enumerate(_ABS_Q):
    _sh = _SHAPES[1 + _k % 3]
    _rng = np.random.default_rng(2800 + _k)
    _x = modelgen.random_input(_rng, _sh, np.int8)
    _x.reshape(-1)[:2] = (-128, 127)
    CASES.append(("abs_s8-%d" % _k, unary("ABS", _sh, np.int8, _qi, _qo), [_x]))

# RSQRT int8: every input at or above the input zero point (TFLite Micro fails below it).
_RSQRT_Q = [((0.05, -128), (0.02, -128)), ((0.01, -20), (0.1, 0)), ((1.0, 0), (0.004, -128)),
            ((0.003, 5), (0.5, 3)), ((0.25, 100), (0.01, -50))]
for _k, (_qi, _qo) in enumerate(_RSQRT_Q):
    _sh = _SHAPES[1 + _k % 3]
    _rng = np.random.default_rng(2900 + _k)
    _x = _rng.integers(_qi[1], 128, size=_sh).astype(np.int8)
    _x.reshape(-1)[:1] = _qi[1]  # v == 0: 127
    CASES.append(("rsqrt_s8-%d" % _k, unary("RSQRT", _sh, np.int8, _qi, _qo), [_x]))
# every input value from the zero point up, in one row
for _k, (_qi, _qo) in enumerate([((0.05, -128), (0.02, -128)), ((0.7, -3), (0.09, 2))]):
    _x = np.arange(_qi[1], 128, dtype=np.int64).astype(np.int8)
    CASES.append(("rsqrt_s8-all-%d" % _k, unary("RSQRT", _x.shape, np.int8, _qi, _qo), [_x]))
_x = np.arange(-128, 128, dtype=np.int64).astype(np.int8)
CASES.append(("abs_s8-all", unary("ABS", _x.shape, np.int8, (0.03, 11), (0.02, -100)), [_x]))
