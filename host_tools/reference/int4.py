"""numpy reference kernels of the INT4 area (ops_int4.py): int4 packed weights, unpacked as
TFLite Micro's UnpackDenseInt4IntoInt8 does (the whole tensor contiguously, low nibble first,
sign-extended), then TFLite Micro's int8 arithmetic. host_tools.reference exports every kernel
the spec names from its area's module."""

import numpy as np

from .qmath import requantize
from .spec_args import spec_kernel


def unpack_s4(packed, count):
    """Packed int4 bytes -> `count` int64 values (element 2k: low nibble of byte k, 2k + 1: high)."""
    b = np.asarray(packed).view(np.uint8).reshape(-1).astype(np.int64)
    vals = np.empty(2 * b.size, np.int64)
    vals[0::2] = ((b & 0xF) ^ 8) - 8
    vals[1::2] = ((b >> 4) ^ 8) - 8
    return vals[:count]


@spec_kernel
def fully_connected_s4(input, weights, bias, output, p):
    n = p.in_features * p.out_features
    # p.weight_bytes == (n + 1) // 2: the FC4 layout's packed4 check (spec_kernel, as the binding)
    w = unpack_s4(weights, n).reshape(p.out_features, p.in_features)
    x = input.reshape(p.batches, p.in_features).astype(np.int64) + p.input_offset
    acc = x @ w.T
    if bias is not None:
        acc = acc + bias.astype(np.int64)[None, :]
    out = requantize(acc, p.multiplier, p.shift) + p.output_offset
    output[:] = np.clip(out, p.act_min, p.act_max).astype(np.int8).reshape(-1)
