"""Generated-model cases of the INT16 area's reductions (see opcases.py): MEAN and SUM int16,
(id, .tflite bytes, [inputs]), each checked against live TFLite Micro on the numpy backend and
on every test board.

The axis sets are those of the int8/float32 reductions (opcases_nn.SHAPES: negative, repeated
and non-adjacent axes, size-1 dims, all axes, keep_dims on and off); the quantizations cover the
symmetric 16x8 activations (zero point 0), zero points that are not 0 (TFLite Micro takes them),
equal scales (no rescaling), output saturation and an int32 sum that wraps."""

import numpy as np
from opcases_nn import SHAPES, reduce_model

from host_tools.check import modelgen

CASES = []


def _add(name, seed, op, shape, axes, keep, qin, qout, x=None, axis_shape=None):
    rng = np.random.default_rng(seed)
    if x is None:
        x = modelgen.random_input(rng, shape, np.int16)
    CASES.append((name, reduce_model(op, shape, axes, keep, np.int16, qin, qout, axis_shape), [x]))


# (input scale, zp), (output scale, zp)
_Q16_MEAN = [((0.001, 0), (0.001, 0)), ((0.0005, 0), (0.0002, 0)), ((3e-5, 0), (1e-3, 0)),
             ((0.002, 300), (0.0011, -40)), ((0.01, 0), (0.012, 0))]
_Q16_SUM = [((0.001, 0), (0.01, 0)), ((0.0004, 0), (0.05, 0)), ((0.002, 0), (0.002, 0)),
            ((0.01, -7), (0.3, 5)), ((0.001, 0), (0.0001, 0))]

for _k, (_s, _a, _kd) in enumerate(SHAPES):
    _add("mean-s16-%d" % _k, 9000 + _k, "MEAN", _s, _a, _kd, *_Q16_MEAN[_k % len(_Q16_MEAN)])
    _add("sum-s16-%d" % _k, 9100 + _k, "SUM", _s, _a, _kd, *_Q16_SUM[_k % len(_Q16_SUM)])

# a scalar axis tensor; global average pooling of a 16x8 feature map
_add("mean-s16-scalar-axis", 9200, "MEAN", (3, 5, 6), [-2], False, (0.001, 0), (0.0008, 0), axis_shape=[])
_add("mean-s16-gap", 9201, "MEAN", (1, 7, 7, 96), [1, 2], True, (0.0003, 0), (0.0003, 0))
# every element 32767 (or -32768): the int32 sum of 70000 of them wraps, as TFLite Micro's does
_big = np.full((2, 70000), 32767, np.int16)
_big[1] = -32768
_add("sum-s16-wrap", 9203, "SUM", (2, 70000), [1], False, (0.001, 0), (1.0, 0), x=_big)
_add("mean-s16-saturate", 9204, "MEAN", (4, 33), [0], True, (0.01, 0), (0.0001, 0))
