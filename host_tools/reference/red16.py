"""numpy reference kernels of the INT16 area's reductions (ops_red16.py): one function per C
kernel, the name of its spec entry's kernel. host_tools.reference exports every kernel the spec
names from its area's module."""

import itertools

import numpy as np

from .qmath import requantize
from .spec_args import spec_kernel


@spec_kernel
def reduce_s16(input, output, p):
    d = [p["d%d" % k] for k in range(8)]
    s = [p["s%d" % k] for k in range(8)]
    base = np.zeros(1, dtype=np.int64)
    for k in range(4):  # the kept index, d3 fastest: the output order
        base = (base[:, None] + np.arange(d[k], dtype=np.int64)[None, :] * s[k]).reshape(-1)
    acc = np.zeros(len(base), np.int64)
    for idx in itertools.product(*(range(n) for n in d[4:])):  # increasing input order
        acc += input[base + sum(i * st for i, st in zip(idx, s[4:]))].astype(np.int64) + p.input_offset
    acc = ((acc + (1 << 31)) % (1 << 32)) - (1 << 31)  # int32, as TFLite Micro's sum
    out = requantize(acc, p.multiplier, p.shift) + p.output_offset
    output[:] = np.clip(out, -32768, 32767).astype(np.int16)
