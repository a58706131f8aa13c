"""Generated-model cases of the MATH area's ops (see opcases.py): (id, .tflite bytes,
[inputs]), each checked against live TFLite Micro on the numpy backend and on every test board."""

import numpy as np

from host_tools.check import modelgen
from host_tools.check.modelgen import ModelBuilder, activation_code, schema

CASES = []

_OPTIONS = {"ADD": schema.AddOptionsT, "SUB": schema.SubOptionsT, "MUL": schema.MulOptionsT,
            "DIV": schema.DivOptionsT, "MINIMUM": schema.MaximumMinimumOptionsT,
            "MAXIMUM": schema.MaximumMinimumOptionsT,
            "SQUARED_DIFFERENCE": schema.SquaredDifferenceOptionsT, "FLOOR_MOD": schema.FloorModOptionsT,
            "FLOOR_DIV": schema.FloorDivOptionsT, "EQUAL": schema.EqualOptionsT,
            "NOT_EQUAL": schema.NotEqualOptionsT, "GREATER": schema.GreaterOptionsT,
            "GREATER_EQUAL": schema.GreaterEqualOptionsT, "LESS": schema.LessOptionsT,
            "LESS_EQUAL": schema.LessEqualOptionsT, "LOGICAL_AND": schema.LogicalAndOptionsT,
            "LOGICAL_OR": schema.LogicalOrOptionsT}


def binary(op, shape1, shape2, dtype, activation=None, q1=None, q2=None, qo=None, version=1, out_dtype=None):
    """A two-input op of dtype (output of out_dtype, default dtype); q1/q2/qo: (scale, zero point)
    of a quantized tensor."""
    out_shape = np.broadcast_shapes(tuple(shape1), tuple(shape2))
    b = ModelBuilder("micronn opcases math %s" % op)
    x1 = b.add_input("input1", shape1, dtype, *(q1 or ()))
    x2 = b.add_input("input2", shape2, dtype, *(q2 or ()))
    y = b.add_output("output", out_shape, dtype if out_dtype is None else out_dtype, *(qo or ()))
    opts = _OPTIONS[op]()
    if activation is not None:
        opts.fusedActivationFunction = activation_code(activation)
    b.add_operator(op, [x1, x2], [y], opts, version=version)
    return b.finish()


def _inputs(rng, shapes, dtype, gen=None):
    return [gen(rng, s) if gen else modelgen.random_input(rng, s, dtype) for s in shapes]


# Shapes: broadcasting in every axis and in both inputs, size-1 dims, odd sizes, rank 1-4, and
# runs of >= 64 elements (the SSE2 path of ADD/SUB) with a broadcast scalar or none.
SHAPES = [
    ((1,), (1,)),
    ((1, 7), (1, 7)),
    ((2, 3, 5, 15), (2, 3, 5, 15)),
    ((1, 4, 4, 17), (17,)),
    ((2, 3, 1, 5), (1, 1, 4, 1)),
    ((1, 1, 1, 9), (2, 3, 4, 1)),
    ((3, 1, 6), (1, 5, 1)),
    ((5, 1, 1, 1), (1, 2, 3, 4)),
    ((1, 130), (1, 1)),
    ((1, 1), (3, 67)),
    ((2, 1, 70), (2, 3, 70)),
]

# ---------------------------------------------------------------------------- SUB int8
SUB_Q = [
    # (s1, z1), (s2, z2), (so, zo), activation
    ((0.02, 3), (0.03, -5), (0.05, 1), "NONE"),
    ((0.05, -128), (0.05, 127), (0.1, -128), "RELU"),
    ((0.01, 127), (0.002, -128), (0.02, 127), "RELU6"),
    ((0.1, 0), (0.1, 0), (0.01, 0), "RELU_N1_TO_1"),
    ((1.0, -7), (3e-3, 9), (2e-3, 4), "NONE"),  # very unequal scales
    ((1e-4, 10), (2e-4, -10), (50.0, 0), "NONE"),  # tiny output multiplier
    ((0.3, 1), (0.7, 2), (1e-4, -3), "NONE"),  # saturating output
    ((0.123456, 5), (0.123457, 5), (0.0371, -2), "RELU"),  # float32 vs double ratios
]
for _k, (_sh, _q) in enumerate([(s, SUB_Q[k % len(SUB_Q)]) for k, s in enumerate(SHAPES)] +
                               [(SHAPES[2], q) for q in SUB_Q]):
    _rng = np.random.default_rng(2200 + _k)
    q1, q2, qo, act = _q
    CASES.append(("sub_s8-%d" % _k, binary("SUB", *_sh, np.int8, act, q1, q2, qo, version=2),
                  _inputs(_rng, _sh, np.int8)))

# ---------------------------------------------------------------------------- float32 binary
_ACTS = ("NONE", "RELU", "RELU6", "RELU_N1_TO_1")


def _f32(rng, shape, lo=-4.0, hi=4.0):
    return rng.uniform(lo, hi, size=shape).astype(np.float32)


def _f32_nonzero(rng, shape):
    x = _f32(rng, shape)
    return np.where(np.abs(x) < 0.05, np.float32(0.5), x).astype(np.float32)


def _f32_wide(rng, shape):
    """Magnitudes from 1e-30 to 1e30, both signs, some exact integers and zeros (no NaN)."""
    x = (rng.choice([-1, 1], size=shape) * 10.0 ** rng.uniform(-30, 30, size=shape)).astype(np.float32)
    flat = x.reshape(-1)
    flat[::7] = np.round(flat[::7] % 9.0)
    flat[::11] = 0.0
    return x


for _name in ("ADD", "SUB", "MUL", "DIV", "MINIMUM", "MAXIMUM", "SQUARED_DIFFERENCE", "FLOOR_MOD", "FLOOR_DIV"):
    _div = _name in ("DIV", "FLOOR_MOD", "FLOOR_DIV")
    for _k, _sh in enumerate(SHAPES):
        _rng = np.random.default_rng(2300 + 31 * len(_name) + _k)
        _act = _ACTS[_k % 4] if _name in ("ADD", "SUB", "MUL", "DIV") else None
        ins = [_f32(_rng, _sh[0]), (_f32_nonzero if _div else _f32)(_rng, _sh[1])]
        CASES.append(("%s_f32-%d" % (_name.lower(), _k), binary(_name, *_sh, np.float32, _act), ins))
    # extreme magnitudes: overflow to inf, clamp of inf to FLT_MAX (activation NONE), underflow
    _rng = np.random.default_rng(2399 + len(_name))
    _sh = ((3, 41), (3, 41))
    ins = [_f32_wide(_rng, _sh[0]), _f32_wide(_rng, _sh[1])]
    if _div:
        ins[1] = np.where(ins[1] == 0, np.float32(3.0), ins[1]).astype(np.float32)
    CASES.append(("%s_f32-wide" % _name.lower(),
                  binary(_name, *_sh, np.float32, "NONE" if _name in ("ADD", "SUB", "MUL", "DIV") else None), ins))
    # integers: exact results, ties, signs of zero remainders (FLOOR_MOD), -0.0 under RELU
    _i = np.arange(-6, 7, dtype=np.float32)
    a, b = np.meshgrid(_i, np.where(_i == 0, np.float32(-0.0) if not _div else 4, _i).astype(np.float32))
    CASES.append(("%s_f32-int" % _name.lower(),
                  binary(_name, a.shape, b.shape, np.float32, "RELU" if _name in ("ADD", "SUB", "MUL", "DIV") else None),
                  [a.astype(np.float32), b.astype(np.float32)]))

# ---------------------------------------------------------------------------- MINIMUM/MAXIMUM int8
for _name in ("MINIMUM", "MAXIMUM"):
    for _k, _sh in enumerate(SHAPES):
        _rng = np.random.default_rng(2500 + 17 * len(_name) + _k)
        q = ((0.05, -128), (0.05, -128), (0.05, -128)) if _k % 2 else ((0.02, 127), (0.03, 3), (0.04, -7))
        CASES.append(("%s_s8-%d" % (_name.lower(), _k), binary(_name, *_sh, np.int8, None, *q, version=2),
                      _inputs(_rng, _sh, np.int8)))


# ---------------------------------------------------------------------------- comparisons
_CMP = ("EQUAL", "NOT_EQUAL", "GREATER", "GREATER_EQUAL", "LESS", "LESS_EQUAL")
# Shapes per (op, dtype): broadcasting both ways, a scalar, a run of >= 64, rank 1 and 4.
_CMP_SHAPES = [SHAPES[0], SHAPES[2], SHAPES[4], SHAPES[6], SHAPES[8], SHAPES[9]]


def _ties(rng, shape, values):
    """Values drawn from a small set, so equal pairs are frequent."""
    return rng.choice(np.asarray(values), size=shape)


_F32_CMP = np.array([-np.inf, -3.5, -1.0, -0.0, 0.0, 1e-30, 1.0, 2.5, np.float32(np.finfo(np.float32).max),
                     np.inf, np.nan], np.float32)
_I32_CMP = np.array([-(1 << 31), -(1 << 31) + 1, -7, -1, 0, 1, 7, (1 << 31) - 2, (1 << 31) - 1], np.int32)
_I64_CMP = np.array([-(1 << 63), -(1 << 32), -(1 << 32) + 1, -1, 0, 1, 1 << 31, (1 << 32) - 1, 1 << 32,
                     (1 << 63) - 1], np.int64)
_CMP_GEN = {np.float32: _F32_CMP, np.int32: _I32_CMP, np.int64: _I64_CMP, np.bool_: np.array([False, True])}
# int8 (scale, zero point) pairs: equal, 2:1 (ties after rescaling), near-equal scales where the
# rounding of the rescaled values decides, zero points at both ends, a tiny scale.
_CMP_Q = [((0.05, 3), (0.05, 3)), ((0.05, -128), (0.1, 127)), ((0.0123457, 5), (0.0123456, -5)),
          ((0.5, 0), (0.25, -64)), ((0.9999, 127), (1e-6, -128)), ((0.02, -7), (0.04, 10))]

for _dt, _sfx, _ops in ((np.float32, "f32", _CMP), (np.int8, "s8", _CMP), (np.int32, "s32", _CMP),
                        (np.int64, "s64", _CMP), (np.bool_, "bool", _CMP[:2])):
    for _o, _name in enumerate(_ops):
        for _k, _sh in enumerate(_CMP_SHAPES):
            _rng = np.random.default_rng(2600 + 97 * _o + 7 * _k + len(_sfx))
            if _dt == np.int8:
                q1, q2 = _CMP_Q[(_k + _o) % len(_CMP_Q)]
                # raw values near the zero points' difference, so rescaled ties occur
                ins = [_rng.integers(-128, 128, size=s).astype(np.int8) for s in _sh]
                model = binary(_name, *_sh, np.int8, None, q1, q2, out_dtype=np.bool_)
            else:
                ins = [_ties(_rng, s, _CMP_GEN[_dt]).astype(_dt) for s in _sh]
                model = binary(_name, *_sh, _dt, out_dtype=np.bool_)
            CASES.append(("%s_%s-%d" % (_name.lower(), _sfx, _k), model, ins))
    if _dt == np.int8:  # every pair of raw values, for each quantization pair
        for _j, (q1, q2) in enumerate(_CMP_Q):
            a, b = np.meshgrid(np.arange(-128, 128, dtype=np.int8), np.arange(-128, 128, 5, dtype=np.int8))
            CASES.append(("%s_s8-all-%d" % (_CMP[_j].lower(), _j),
                          binary(_CMP[_j], a.shape, b.shape, np.int8, None, q1, q2, out_dtype=np.bool_),
                          [a.astype(np.int8), b.astype(np.int8)]))

# ---------------------------------------------------------------------------- logical ops
for _name in ("LOGICAL_AND", "LOGICAL_OR"):
    for _k, _sh in enumerate(_CMP_SHAPES):
        _rng = np.random.default_rng(2700 + 13 * len(_name) + _k)
        ins = [_rng.random(size=s) < 0.5 for s in _sh]
        CASES.append(("%s-%d" % (_name.lower(), _k), binary(_name, *_sh, np.bool_), ins))


def unary_bool(op, shape):
    b = ModelBuilder("micronn opcases math %s" % op)
    x = b.add_input("input", shape, np.bool_)
    y = b.add_output("output", shape, np.bool_)
    b.add_operator(op, [x], [y], schema.LogicalNotOptionsT())
    return b.finish()


for _k, _sh in enumerate([(1,), (3, 67), (2, 3, 5, 15)]):
    _rng = np.random.default_rng(2750 + _k)
    CASES.append(("logical_not-%d" % _k, unary_bool("LOGICAL_NOT", _sh), [_rng.random(size=_sh) < 0.5]))


# ---------------------------------------------------------------------------- SELECT_V2
def select_v2(cond_shape, x_shape, y_shape, dtype, qx=None, qy=None):
    out_shape = np.broadcast_shapes(tuple(cond_shape), tuple(x_shape), tuple(y_shape))
    b = ModelBuilder("micronn opcases math select_v2")
    c = b.add_input("condition", cond_shape, np.bool_)
    x = b.add_input("x", x_shape, dtype, *(qx or ()))
    y = b.add_input("y", y_shape, dtype, *(qy or ()))
    o = b.add_output("output", out_shape, dtype, *(qx or ()))
    b.add_operator("SELECT_V2", [c, x, y], [o], schema.SelectV2OptionsT())
    return b.finish()


# condition, x, y shapes: all equal, condition per row (runs), per element, scalar condition,
# x or y broadcast inside a row, all three broadcast along different axes, rank 1.
SELECT_SHAPES = [
    ((1,), (1,), (1,)),
    ((2, 3, 70), (2, 3, 70), (2, 3, 70)),
    ((2, 3, 1), (2, 3, 17), (2, 3, 17)),
    ((1,), (4, 9), (4, 9)),
    ((4, 9), (4, 1), (9,)),
    ((2, 1, 5, 1), (1, 3, 1, 6), (2, 3, 1, 1)),
    ((3, 1, 6), (1,), (3, 4, 6)),
    ((67,), (67,), (1,)),
]
for _dt, _sfx in ((np.float32, "f32"), (np.int8, "s8")):
    for _k, _sh in enumerate(SELECT_SHAPES):
        _rng = np.random.default_rng(2800 + _k + (50 if _dt == np.int8 else 0))
        p_true = (0.5, 0.9, 0.1)[_k % 3]
        cond = _rng.random(size=_sh[0]) < p_true
        ins = [cond, modelgen.random_input(_rng, _sh[1], _dt), modelgen.random_input(_rng, _sh[2], _dt)]
        q = ((0.05, 3), (0.05, 3)) if _dt == np.int8 else (None, None)
        CASES.append(("select_v2_%s-%d" % (_sfx, _k), select_v2(*_sh, _dt, *q), ins))

# ---------------------------------------------------------------------------- MINIMUM/MAXIMUM int64
for _name in ("MINIMUM", "MAXIMUM"):
    for _k, _sh in enumerate(_CMP_SHAPES):
        _rng = np.random.default_rng(2900 + 17 * len(_name) + _k)
        CASES.append(("%s_s64-%d" % (_name.lower(), _k), binary(_name, *_sh, np.int64),
                      [_ties(_rng, s, _I64_CMP).astype(np.int64) for s in _sh]))

# ---------------------------------------------------------------------------- SQUARED_DIFFERENCE
SQDIFF_Q = [
    # (s1, z1), (s2, z2), (so, zo)
    ((0.05, 3), (0.05, -5), (0.1, -128)),
    ((0.02, -128), (0.1, 127), (0.5, -100)),
    ((1.0, 0), (0.003, 9), (2.0, 7)),  # very unequal scales
    ((0.123456, 5), (0.123457, -5), (0.02, 127)),  # output multiplier > 1, saturating
    ((1e-3, -7), (2e-3, 3), (1e-6, -2)),
]
for _k, _sh in enumerate(_CMP_SHAPES):
    _rng = np.random.default_rng(3000 + _k)
    CASES.append(("squared_difference_s8-%d" % _k,
                  binary("SQUARED_DIFFERENCE", *_sh, np.int8, None, *SQDIFF_Q[_k % len(SQDIFF_Q)]),
                  _inputs(_rng, _sh, np.int8)))
for _j, _q in enumerate(SQDIFF_Q):
    a, b = np.meshgrid(np.arange(-128, 128, dtype=np.int8), np.arange(-128, 128, 5, dtype=np.int8))
    CASES.append(("squared_difference_s8-all-%d" % _j, binary("SQUARED_DIFFERENCE", a.shape, b.shape, np.int8, None, *_q),
                  [a.astype(np.int8), b.astype(np.int8)]))
for _k, _sh in enumerate(_CMP_SHAPES):
    _rng = np.random.default_rng(3100 + _k)
    # small values (exact squares) and extremes (the square wraps as int32 does)
    vals = np.concatenate([np.arange(-9, 10), _I32_CMP, [46340, -46341, 1 << 16]]).astype(np.int32)
    CASES.append(("squared_difference_s32-%d" % _k, binary("SQUARED_DIFFERENCE", *_sh, np.int32),
                  [_ties(_rng, s, vals).astype(np.int32) for s in _sh]))

# ---------------------------------------------------------------------------- DIV int8
DIV_Q = [
    # (s1, z1), (s2, z2), (so, zo), activation
    ((0.05, 3), (0.05, -5), (0.04, 1), "NONE"),
    ((0.1, -128), (0.02, 127), (0.5, 0), "RELU"),
    ((0.01, 0), (0.1, 0), (0.001, 0), "NONE"),
    ((0.5, 127), (0.01, -128), (2.0, -128), "RELU6"),
    ((0.02, -3), (0.2, 4), (0.05, 5), "RELU_N1_TO_1"),
    ((1e-3, 10), (0.9, -10), (1e-3, 0), "NONE"),  # quotient shift past 31 (TFLM's mod-32 shift)
]
for _k, _sh in enumerate(SHAPES):
    _rng = np.random.default_rng(3200 + _k)
    q1, q2, qo, act = DIV_Q[_k % len(DIV_Q)]
    CASES.append(("div_s8-%d" % _k, binary("DIV", *_sh, np.int8, act, q1, q2, qo), _inputs(_rng, _sh, np.int8)))
for _j, (q1, q2, qo, act) in enumerate(DIV_Q):
    # every input1 value against every 5th input2 value (input2's zero point included: TFLM
    # divides by 0 without refusing, with a fixed result)
    a, b = np.meshgrid(np.arange(-128, 128, dtype=np.int8), np.arange(-128, 128, 5, dtype=np.int8))
    b = np.where(b == b.flat[0], np.int8(q2[1]), b).astype(np.int8)
    CASES.append(("div_s8-all-%d" % _j, binary("DIV", a.shape, b.shape, np.int8, act, q1, q2, qo),
                  [a.astype(np.int8), b]))

# ---------------------------------------------------------------------------- ADD_N
def add_n(shape, n, dtype, q=None, qo=None):
    b = ModelBuilder("micronn opcases math add_n")
    xs = [b.add_input("input%d" % k, shape, dtype, *(q or ())) for k in range(n)]
    y = b.add_output("output", shape, dtype, *(qo or ()))
    b.add_operator("ADD_N", xs, [y], schema.AddNOptionsT())
    return b.finish()


ADD_N_Q = [((0.05, 3), (0.1, -5)), ((0.02, -128), (0.01, 127)), ((0.1, 127), (0.5, -128)),
           ((0.0123, 0), (0.0371, 2)), ((1.0, -7), (1e-3, 0))]
for _k, (_sh, _n) in enumerate([((1,), 2), ((3, 67), 3), ((2, 3, 5, 15), 2), ((1, 4, 4, 17), 5), ((130,), 8)]):
    _rng = np.random.default_rng(3300 + _k)
    CASES.append(("add_n_f32-%d" % _k, add_n(_sh, _n, np.float32),
                  [(_f32_wide if _k % 2 else _f32)(_rng, _sh) for _ in range(_n)]))
    q, qo = ADD_N_Q[_k]
    CASES.append(("add_n_s8-%d" % _k, add_n(_sh, _n, np.int8, q, qo), [modelgen.random_input(_rng, _sh) for _ in range(_n)]))
