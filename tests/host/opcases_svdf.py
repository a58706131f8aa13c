"""Generated-model cases of SVDF (area RECURRENT) and of the int16 quantize ops (area INT16:
QUANTIZE with an int16 side, DEQUANTIZE int16, SOFTMAX int8 -> int16), see opcases.py: (id,
.tflite bytes, [inputs]), each checked against live TFLite Micro on the numpy backend and on
every test board. STEPS holds SVDF models with several consecutive inputs: test_svdf.py runs
them on one model (state kept) against one TFLM interpreter."""

import numpy as np

from host_tools.check import modelgen
from host_tools.check.modelgen import ModelBuilder, activation_code, schema

CASES = []
STEPS = []  # (id, .tflite bytes, [[inputs of run 0], [inputs of run 1], ...])


def svdf_model(rng, batch, n_in, units, rank, memory, state="int8", bias=True, activation="NONE",
               state_zp=0, in_zp=None, out_zp=None):
    """One SVDF. state: "int8" / "int16" (int8 input, weights_time and state of that type) or
    "float32". Scales are chosen from the accumulators' spread so the state and the output use
    their range without saturating much."""
    b = ModelBuilder("micronn opcases svdf")
    filters = units * rank
    if state == "float32":
        x = b.add_input("input", [batch, n_in], np.float32)
        wf = b.add_tensor("weights_feature", [filters, n_in], np.float32,
                          data=rng.uniform(-1, 1, (filters, n_in)).astype(np.float32))
        wt = b.add_tensor("weights_time", [filters, memory], np.float32,
                          data=rng.uniform(-1, 1, (filters, memory)).astype(np.float32))
        bi = b.add_tensor("bias", [units], np.float32, data=rng.uniform(-2, 2, units).astype(np.float32)) \
            if bias else -1
        st = b.add_tensor("state", [batch, filters * memory], np.float32, is_variable=True)
        y = b.add_output("output", [batch, units], np.float32)
    else:
        sdt, top = (np.int8, 127) if state == "int8" else (np.int16, 32767)
        si, sf = np.float32(rng.uniform(0.01, 0.1)), np.float32(rng.uniform(0.002, 0.02))
        ss = np.float32(si * sf * 74 * 74 * np.sqrt(n_in) / (top / 4.0))
        st_w = np.float32(rng.uniform(0.001, 0.01))
        so = np.float32(ss * st_w * 74 * (top / 4.0) * (74 if state == "int8" else 19000) / top
                        * np.sqrt(rank * memory) / 40.0)
        zi = int(rng.integers(-20, 20) if in_zp is None else in_zp)
        zo = int(rng.integers(-20, 20) if out_zp is None else out_zp)
        x = b.add_input("input", [batch, n_in], np.int8, si, zi)
        wf = b.add_tensor("weights_feature", [filters, n_in], np.int8, sf, 0,
                          data=rng.integers(-127, 128, (filters, n_in)))
        wt = b.add_tensor("weights_time", [filters, memory], sdt, st_w, 0,
                          data=rng.integers(-top, top + 1, (filters, memory)))
        bs = np.float32(ss) * np.float32(st_w)
        bi = b.add_tensor("bias", [units], np.int32, float(bs), 0,
                          data=rng.integers(-4000, 4000, units) * (1 if state == "int8" else 200)) if bias else -1
        st = b.add_tensor("state", [batch, filters * memory], sdt, ss, state_zp, is_variable=True)
        y = b.add_output("output", [batch, units], np.int8, so, zo)
    o = schema.SVDFOptionsT()
    o.rank = rank
    o.fusedActivationFunction = activation_code(activation)
    b.add_operator("SVDF", [x, wf, wt, bi, st], [y], o)
    return b.finish()


# (batch, input_size, units, rank, memory, state, bias, activation, state zero point)
SVDF = [
    (1, 5, 3, 1, 1, "int8", True, "NONE", 0),
    (2, 17, 5, 2, 10, "int8", True, "RELU", 13),  # RELU: TFLM's integer SVDF ignores it
    (1, 1, 1, 1, 10, "int8", True, "NONE", -128),
    (2, 40, 11, 3, 4, "int8", True, "NONE", 127),
    (1, 33, 7, 1, 10, "int16", True, "NONE", 0),
    (2, 1, 1, 2, 1, "int16", True, "RELU", 0),
    (1, 96, 64, 1, 8, "int16", True, "NONE", 0),  # the keyword models' first layer: 64 filters
    (2, 9, 6, 2, 3, "int16", True, "NONE", 300),
    (1, 5, 3, 1, 1, "float32", True, "NONE", 0),
    (2, 17, 5, 2, 10, "float32", True, "RELU", 0),
    (1, 33, 7, 1, 10, "float32", True, "RELU6", 0),
    (2, 9, 6, 3, 4, "float32", True, "RELU_N1_TO_1", 0),
]
for _k, (_b, _i, _u, _r, _m, _s, _bias, _act, _zp) in enumerate(SVDF):
    _rng = np.random.default_rng(14000 + _k)
    _model = svdf_model(_rng, _b, _i, _u, _r, _m, _s, _bias, _act, _zp)
    _dt = np.float32 if _s == "float32" else np.int8
    _tag = "svdf-%s-%d" % ({"int8": "s8", "int16": "s8_s16", "float32": "f32"}[_s], _k)
    CASES.append((_tag, _model, [modelgen.random_input(_rng, (_b, _i), _dt)]))
    STEPS.append((_tag, _model, [[modelgen.random_input(_rng, (_b, _i), _dt)] for _ in range(3 + _m)]))



def _double_scale_case():
    """Scales whose feature multiplier differs between float32 and double arithmetic, and an input
    whose accumulator (-14060) then requantizes to -27518 (float32) or -27517 (double, what the
    tflite_micro wheel computes); the bias cancels the state, so the output is 0 or 1."""
    si, sf, ss = np.float32(0.021571318), np.float32(0.05493501), np.float32(0.00060548336)
    b = ModelBuilder("micronn opcases svdf double scale")
    x = b.add_input("input", [1, 2], np.int8, si, 0)
    wf = b.add_tensor("weights_feature", [1, 2], np.int8, sf, 0, data=np.array([[1, 127]]))
    wt = b.add_tensor("weights_time", [1, 1], np.int16, 0.001, 0, data=np.ones((1, 1)))
    bs = float(np.float32(ss) * np.float32(0.001))
    bi = b.add_tensor("bias", [1], np.int32, bs, 0, data=np.array([27518]))
    st = b.add_tensor("state", [1, 1], np.int16, ss, 0, is_variable=True)
    y = b.add_output("output", [1, 1], np.int8, bs, 0)
    o = schema.SVDFOptionsT()
    o.rank = 1
    b.add_operator("SVDF", [x, wf, wt, bi, st], [y], o)
    return b.finish()


CASES.append(("svdf-s8_s16-double-scale", _double_scale_case(), [np.array([[37, -111]], np.int8)]))


# ---------------------------------------------------------------------------- QUANTIZE / DEQUANTIZE
def quantize_model(shape, src, dst, qin, qout, op="QUANTIZE"):
    b = ModelBuilder("micronn opcases " + op.lower())
    x = b.add_input("input", shape, src, *(qin or (None, None)))
    y = b.add_output("output", shape, dst, *(qout or (None, None)))
    b.add_operator(op, [x], [y])
    return b.finish()


# (src, dst, (input scale, zp), (output scale, zp)): rescales up, down, by 1; zero points at the ends
_Q16 = [
    (np.int16, np.int8, (0.001, 0), (0.05, 3)),
    (np.int16, np.int8, (0.5, 0), (0.01, -128)),  # saturates
    (np.int16, np.int16, (0.001, 0), (0.003, 0)),
    (np.int16, np.int16, (0.002, 0), (0.002, 0)),  # same scale
    (np.int16, np.int16, (0.01, 7), (0.001, -100)),  # multiplier > 1
    (np.int16, np.int32, (0.001, 0), (0.00001, 0)),
    (np.int16, np.int32, (0.04, -3), (0.3, 1000)),
    (np.int8, np.int16, (0.05, -128), (0.0001, 0)),
    (np.int8, np.int16, (0.02, 127), (0.5, -32768)),
    (np.int32, np.int16, (0.0001, 0), (0.01, 5)),
    (np.int32, np.int16, (0.5, -1000), (0.001, 0)),  # saturates
]
_SHAPES = [(1, 7), (3, 5, 2), (33,), (2, 1, 1, 17)]
for _k, (_src, _dst, _qi, _qo) in enumerate(_Q16):
    _rng = np.random.default_rng(14100 + _k)
    _sh = _SHAPES[_k % len(_SHAPES)]
    if _src == np.int32:
        _x = _rng.integers(-3000000, 3000000, size=_sh).astype(np.int32)
    else:
        _x = modelgen.random_input(_rng, _sh, _src)
    CASES.append(("quantize-%s-%s-%d" % (np.dtype(_src).name, np.dtype(_dst).name, _k),
                  quantize_model(_sh, _src, _dst, _qi, _qo), [_x]))

# float32 -> int16: halves (rounding away from zero), saturation (NaN, infinities and values past
# the int32 range are undefined behaviour in TFLM's cast: x86 gives INT32_MIN, no case has them)
for _k, (_s, _z) in enumerate([(0.001, 0), (0.25, -7), (0.0000305, 32767)]):
    _rng = np.random.default_rng(14200 + _k)
    _x = _rng.uniform(-40, 40, size=(3, 11)).astype(np.float32)
    _x.reshape(-1)[:8] = [0.5 * _s, -0.5 * _s, 1.5 * _s, -2.5 * _s, 40000 * _s, -40000 * _s, 1e6 * _s, -1e6 * _s]
    CASES.append(("quantize-float32-int16-%d" % _k, quantize_model((3, 11), np.float32, np.int16, None, (_s, _z)),
                  [_x]))

# DEQUANTIZE int16 -> float32
for _k, (_s, _z) in enumerate([(0.001, 0), (3.7e-5, -12), (0.9, 32767)]):
    _rng = np.random.default_rng(14300 + _k)
    CASES.append(("dequantize-int16-%d" % _k,
                  quantize_model((2, 13), np.int16, np.float32, (_s, _z), None, op="DEQUANTIZE"),
                  [modelgen.random_input(_rng, (2, 13), np.int16)]))


# ---------------------------------------------------------------------------- SOFTMAX int8 -> int16
def softmax16_model(shape, scale, zp, beta=1.0):
    b = ModelBuilder("micronn opcases softmax int8 int16")
    x = b.add_input("input", shape, np.int8, scale, zp)
    y = b.add_output("output", shape, np.int16, 1.0 / 65536, -32768)
    o = schema.SoftmaxOptionsT()
    o.beta = beta
    b.add_operator("SOFTMAX", [x], [y], o)
    return b.finish()


# (shape, input scale, zp, beta): one element, long rows, scales where diff_min cuts, beta != 1
for _k, (_sh, _s, _z, _beta) in enumerate([((1, 1), 0.1, 0, 1.0), ((1, 2), 0.0625, -3, 1.0), ((3, 10), 0.05, 5, 1.0),
                                           ((2, 3, 17), 0.2, -128, 1.0), ((1, 1001), 0.02, 10, 1.0),
                                           ((4, 9), 0.5, 127, 0.7), ((2, 64), 0.003, 0, 2.0)]):
    _rng = np.random.default_rng(14400 + _k)
    CASES.append(("softmax-s8-s16-%d" % _k, softmax16_model(_sh, _s, _z, _beta),
                  [modelgen.random_input(_rng, _sh, np.int8)]))
