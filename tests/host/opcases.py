"""Generated models per op: each runs through micronn (the numpy backend and every test board)
and must equal live TFLite Micro element for element (test_opcases.py). test_opspec fails for an
op of the spec that no TFLM-checked case converts to. Adding an op: add its cases here.

CASES: (id, .tflite bytes, [input arrays]). Shapes pick the corners: odd sizes, channels not a
multiple of 4/8/16, broadcasting in every axis, size-1 dims, zero points -128 and 127, extreme
scales, every fused activation.
"""

import numpy as np
import opcases_act16
import opcases_chains
import opcases_conv
import opcases_conv16
import opcases_elem16
import opcases_f32
import opcases_index
import opcases_int4
import opcases_lstm
import opcases_math
import opcases_move16
import opcases_nn
import opcases_red16
import opcases_shape
import opcases_state
import opcases_svdf
import opcases_unary

from host_tools.check import modelgen
from host_tools.check.modelgen import ModelBuilder, activation_code, schema

CASES = []


def _add_case(name, seed, model, shapes, dtype=np.int8):
    rng = np.random.default_rng(seed + 7)
    CASES.append((name, model, [modelgen.random_input(rng, s, dtype) for s in shapes]))


# ---------------------------------------------------------------------------- FULLY_CONNECTED
FC = [
    # batches, in, out, per_channel, bias, activation
    (1, 1, 1, False, True, "NONE"),
    (3, 7, 1, True, False, "RELU"),
    (2, 15, 17, True, True, "RELU6"),
    (4, 33, 9, False, True, "RELU_N1_TO_1"),
    (1, 1025, 15, False, False, "NONE"),
]
for _k, (_b, _i, _o, _pc, _bias, _act) in enumerate(FC):
    _add_case("fully_connected-%d" % _k, 100 + _k,
              modelgen.fully_connected(np.random.default_rng(100 + _k), _b, _i, _o, per_channel=_pc,
                                       bias=_bias, activation=_act), [(_b, _i)])


# ---------------------------------------------------------------------------- MUL int8
def mul(rng, shape1, shape2, activation="NONE", s1=None, z1=None, s2=None, z2=None, so=None, zo=None):
    """int8 MUL of two inputs (numpy broadcasting); scales chosen so the output uses its range
    unless given."""
    out_shape = np.broadcast_shapes(tuple(shape1), tuple(shape2))
    s1 = np.float32(s1 if s1 is not None else rng.uniform(0.005, 0.05))
    s2 = np.float32(s2 if s2 is not None else rng.uniform(0.005, 0.05))
    z1 = int(z1 if z1 is not None else rng.integers(-20, 20))
    z2 = int(z2 if z2 is not None else rng.integers(-20, 20))
    so = np.float32(so if so is not None else float(s1) * float(s2) * 128 * rng.uniform(0.3, 1.5))
    zo = int(zo if zo is not None else rng.integers(-30, 30))
    b = ModelBuilder("micronn opcases mul")
    x1 = b.add_input("input1", shape1, np.int8, s1, z1)
    x2 = b.add_input("input2", shape2, np.int8, s2, z2)
    y = b.add_output("output", out_shape, np.int8, so, zo)
    opts = schema.MulOptionsT()
    opts.fusedActivationFunction = activation_code(activation)
    b.add_operator("MUL", [x1, x2], [y], opts, version=1)
    return b.finish()


MUL = [
    # shape1, shape2, activation, quantization overrides
    ((1,), (1,), "NONE", {}),
    ((1, 7), (1, 7), "NONE", {}),
    ((1, 3, 5, 15), (1, 3, 5, 15), "RELU", {}),
    ((1, 4, 4, 17), (17,), "RELU6", {}),  # per-channel scale (squeeze-excite)
    ((2, 3, 1, 5), (1, 1, 4, 1), "NONE", {}),  # broadcast in both inputs
    ((1, 1, 1, 9), (2, 3, 4, 1), "NONE", {}),
    ((3, 1, 6), (1, 5, 1), "RELU_N1_TO_1", {}),  # rank 3
    ((1, 6, 1, 1), (1, 1, 1, 1), "NONE", {"z1": -128, "z2": 127, "zo": -128}),
    ((1, 33), (1, 33), "NONE", {"z1": 127, "z2": -128, "zo": 127}),
    ((1, 2, 8), (1, 2, 8), "NONE", {"s1": 1.0, "s2": 2.0, "so": 1e-3}),  # multiplier > 1: left shift
    ((1, 2, 8), (8,), "NONE", {"s1": 1e-3, "s2": 2e-3, "so": 10.0}),  # tiny multiplier
    # rows of >= 64 (the host's SSE2 path, ADD's body) with tails, a broadcast scalar either side
    ((2, 70), (2, 70), "RELU", {}),
    ((1, 130), (1, 1), "NONE", {"z1": -128, "z2": 127, "zo": -128}),
    ((3, 67), (3, 67), "NONE", {"s1": 1.0, "s2": 2.0, "so": 1e-3}),  # left shift, saturating
    ((1, 1), (1, 200), "RELU6", {"s1": 1e-3, "s2": 2e-3, "so": 10.0}),
]
for _k, (_a, _b, _act, _q) in enumerate(MUL):
    _add_case("mul-%d" % _k, 200 + _k, mul(np.random.default_rng(200 + _k), _a, _b, _act, **_q), [_a, _b])

# ---------------------------------------------------------------------------- copies in every dtype
# CONCATENATION, STRIDED_SLICE (byte copies) and the RESHAPE/SQUEEZE/EXPAND_DIMS aliases take any
# dtype; these cover the ones the other suites do not (float32, int64, bool, int16).
def _values(rng, shape, dtype):
    dt = np.dtype(dtype)
    if dt.kind == "b":
        return rng.integers(0, 2, size=shape).astype(np.bool_)
    return modelgen.random_input(rng, shape, dt)


def _copy_model(op, ins, out, dtype, opts=None, consts=()):
    """One `op` over inputs ins (shapes; a (shape, values) pair: a constant) to out, all of dtype
    (int8/int16: quantized, the same scale and zero point throughout, as TFLM requires)."""
    q = {"scale": 0.25, "zero_point": -3} if np.dtype(dtype).kind == "i" and np.dtype(dtype).itemsize <= 2 else {}
    b = ModelBuilder("micronn opcases %s" % op.lower())
    ts = [b.add_input("in%d" % k, shp, dtype, **q) for k, shp in enumerate(ins)]
    ts += [b.add_tensor("c%d" % k, (len(v),), np.int32, data=list(v)) for k, v in enumerate(consts)]
    y = b.add_output("output", out, dtype, **q)
    b.add_operator(op, ts, [y], opts)
    return b.finish()


def _copy_case(name, op, ins, out, dtype, opts=None, consts=()):
    rng = np.random.default_rng(len(CASES) + 300)
    CASES.append((name, _copy_model(op, ins, out, dtype, opts, consts), [_values(rng, s, dtype) for s in ins]))


def _opts(cls, **fields):
    o = getattr(schema, cls)()
    for k, v in fields.items():
        setattr(o, k, v)
    return o


for _dt in (np.float32, np.int64, np.bool_, np.int8):
    _n = np.dtype(_dt).name
    _copy_case("concatenation-%s-0" % _n, "CONCATENATION", [(2, 3, 5), (2, 1, 5), (2, 4, 5)], (2, 8, 5), _dt,
               _opts("ConcatenationOptionsT", axis=1))
    _copy_case("concatenation-%s-1" % _n, "CONCATENATION", [(3, 1), (3, 7)], (3, 8), _dt,
               _opts("ConcatenationOptionsT", axis=-1))
for _dt in (np.float32, np.bool_):
    _n = np.dtype(_dt).name
    _copy_case("strided_slice-%s-0" % _n, "STRIDED_SLICE", [(4, 6, 3)], (2, 3, 3), _dt,
               _opts("StridedSliceOptionsT", beginMask=0, endMask=4, shrinkAxisMask=0),
               consts=([1, 5, 0], [3, 0, 0], [1, -2, 1]))
    _copy_case("strided_slice-%s-1" % _n, "STRIDED_SLICE", [(9,)], (3,), _dt,
               _opts("StridedSliceOptionsT", beginMask=0, endMask=0, shrinkAxisMask=0), consts=([-1], [0], [-3]))
for _dt in (np.float32, np.int8, np.int16):
    _n = np.dtype(_dt).name
    _copy_case("expand_dims-%s-0" % _n, "EXPAND_DIMS", [(3, 5)], (3, 1, 5), _dt, consts=([1],))
    _copy_case("expand_dims-%s-1" % _n, "EXPAND_DIMS", [(7,)], (7, 1), _dt, consts=([-1],))
for _dt in (np.float32, np.bool_, np.int32):
    _n = np.dtype(_dt).name
    _copy_case("squeeze-%s" % _n, "SQUEEZE", [(1, 3, 1, 4)], (3, 4), _dt, _opts("SqueezeOptionsT", squeezeDims=[0, 2]))
    _copy_case("reshape-%s" % _n, "RESHAPE", [(2, 3, 4)], (4, 6), _dt, _opts("ReshapeOptionsT", newShape=[4, 6]),
               consts=([4, 6],))

# ---------------------------------------------------------------------------- CAST to and from float32, from bool
# float32 -> integer: truncation toward zero, saturated to the output type, NaN -> 0 (what the TFLite Micro
# build gives; C leaves out-of-range conversions undefined, so micronn checks the range first).
_CAST_SPECIAL = np.array([np.nan, -np.nan, np.inf, -np.inf, 0.0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5,
                          0.999999, -0.999999, 127.5, 128.0, -128.9, -129.0, 255.5, 256.0, 32767.9, 32768.0,
                          -32768.5, -32769.0, 65535.5, 2147483520.0, 2147483648.0, -2147483648.0, -2147483904.0,
                          4294967040.0, 4294967296.0, 3e9, -3e9, 1e20, -1e20, 1e-40, -1e-40], np.float32)


def _cast_case(name, src, dst, x):
    b = ModelBuilder("micronn opcases cast")
    t = b.add_input("input", x.shape, src)
    y = b.add_output("output", x.shape, dst)
    b.add_operator("CAST", [t], [y])
    CASES.append((name, b.finish(), [x]))


_rng = np.random.default_rng(9100)
_f = np.concatenate([_CAST_SPECIAL, (_rng.standard_normal(43) * np.float32(1e3)).astype(np.float32),
                     _rng.uniform(-5e9, 5e9, 21).astype(np.float32)])  # both loop paths: 101 values
for _dt in (np.int8, np.int16, np.int32, np.uint32, np.float32):
    _cast_case("cast-float32-%s" % np.dtype(_dt).name, np.float32, _dt, _f.reshape(1, 101))
for _dt in (np.int8, np.int16, np.int32, np.uint32):
    _info = np.iinfo(_dt)
    _x = _rng.integers(_info.min, int(_info.max) + 1, size=(3, 5, 7), dtype=np.int64).astype(_dt)
    _x.flat[:4] = [_info.min, _info.max, 0, -1 if _info.min else 1]
    if _info.bits == 32:  # odd values above 2^24: rounded to nearest even (ties included)
        _x.flat[4:8] = [16777217, 16777219, 2147483583, 2147483584]
    _cast_case("cast-%s-float32" % np.dtype(_dt).name, _dt, np.float32, _x)
for _dt in (np.int8, np.int16, np.int32, np.uint32, np.float32):
    _cast_case("cast-bool-%s" % np.dtype(_dt).name, np.bool_, _dt, _rng.integers(0, 2, size=(2, 9)).astype(np.bool_))

# ---------------------------------------------------------------------------- QUANTIZE between int8, uint8, int32; DEQUANTIZE uint8
# (input dtype, output dtype, shape, quantization overrides). Equal scales with zero points 128 apart take
# TFLM's input ^ 0x80 fast path; the others its Requantize (ratios above and below 1).
_RQ_CASES = [
    (np.int8, np.uint8, (1, 37), {}),
    (np.int8, np.uint8, (2, 3, 5), dict(input_scale=0.05, input_zero_point=-128, output_scale=0.05,
                                        output_zero_point=0)),
    (np.int8, np.uint8, (4, 9), dict(input_scale=0.02, input_zero_point=127, output_scale=0.003,
                                     output_zero_point=255)),
    (np.uint8, np.int8, (1, 41), dict(input_zero_point=131)),
    (np.uint8, np.int8, (3, 7), dict(input_scale=0.0039, input_zero_point=128, output_scale=0.0039,
                                     output_zero_point=0)),
    (np.uint8, np.int8, (17,), dict(input_scale=0.01, input_zero_point=0, output_scale=0.5, output_zero_point=-128)),
    (np.int8, np.int32, (1, 33), {}),
    (np.int8, np.int32, (5, 3), dict(input_scale=0.7, input_zero_point=-128, output_scale=1e-6, output_zero_point=0)),
    (np.int32, np.int8, (1, 29), {}),
    (np.int32, np.int8, (2, 19), dict(input_scale=1e-4, input_zero_point=0, output_scale=3e-3, output_zero_point=127)),
]
for _k, (_src, _dst, _shape, _q) in enumerate(_RQ_CASES):
    _r = np.random.default_rng(9200 + _k)
    _name = "quantize-%s-%s-%d" % (np.dtype(_src).name, np.dtype(_dst).name, _k)
    _add_case(_name, 9200 + _k, modelgen.quantize(_r, _shape, _src, _dst, **_q), [_shape], _src)
for _k, (_shape, _zp, _scale) in enumerate([((1, 37), 0, 0.0117), ((3, 11), 255, 0.5), ((2, 2, 5), 133, 3.3e-5)]):
    _add_case("dequantize-uint8-%d" % _k, 9300 + _k,
              modelgen.dequantize(np.random.default_rng(9300 + _k), _shape, np.uint8, _scale, _zp), [_shape], np.uint8)

# The areas' cases, each in its own module.
CASES += opcases_shape.CASES + opcases_math.CASES + opcases_nn.CASES + opcases_conv.CASES + opcases_index.CASES + opcases_unary.CASES + opcases_f32.CASES + opcases_chains.CASES
CASES += opcases_red16.CASES + opcases_move16.CASES
CASES += opcases_conv16.CASES
CASES += opcases_act16.CASES
CASES += opcases_svdf.CASES
CASES += opcases_lstm.CASES
CASES += opcases_state.CASES
CASES += opcases_elem16.CASES
CASES += opcases_int4.CASES
