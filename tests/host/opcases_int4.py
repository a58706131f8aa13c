"""Generated-model cases of the INT4 area (see opcases.py): FULLY_CONNECTED int8 with TFLite
INT4 packed weights, (id, .tflite bytes, [inputs]), each checked against live TFLite Micro on
the numpy backend and on every test board.

TFLite Micro packs the whole weight tensor contiguously (not per row), so with an odd
in_features every other row starts in a high nibble and ends mid-byte; an odd out * in leaves
the last byte's high nibble unused. The corners: odd and even in_features, out_features not a
multiple of 4, batch > 1, bias absent, the int4 extremes -8 and 7, input zero points -128 and
127, every fused activation."""

import numpy as np

from host_tools.check import modelgen

CASES = []


def _add(name, seed, batches, in_f, out_f, x=None, **kw):
    rng = np.random.default_rng(seed)
    model = modelgen.fully_connected_int4(rng, batches, in_f, out_f, **kw)
    if x is None:
        x = modelgen.random_input(rng, (batches, in_f))
    CASES.append((name, model, [x]))


_add("fc-s4-odd-rows", 16000, 3, 7, 5)
_add("fc-s4-1x1", 16001, 1, 1, 1)
_add("fc-s4-odd-nobias", 16002, 2, 33, 10, bias=False)
_add("fc-s4-even-relu", 16003, 4, 64, 6, activation="RELU")
_add("fc-s4-relu6", 16004, 1, 13, 3, activation="RELU6")
_add("fc-s4-relu-n1", 16005, 2, 9, 7, activation="RELU_N1_TO_1", output_scale=0.01)
_add("fc-s4-zp-128", 16006, 2, 17, 9, input_zero_point=-128)
_add("fc-s4-zp127", 16007, 3, 21, 4, input_zero_point=127, bias=False)
_add("fc-s4-extremes", 16008, 2, 11, 3, weights=np.array([-8, 7] * 16 + [-8])[:33].reshape(3, 11),
     x=np.array([[-128] * 11, [127] * 11], np.int8))
_add("fc-s4-wide", 16009, 2, 301, 13)
