# Broadcast layouts allow each output dim up to 2^24: four of them (2^96 elements) must be refused
# by the count check (a 64-bit product would wrap to 0), never reach the kernel. Runs unchanged on
# unix, QEMU and CPython.
from array import array

import micronn

k = micronn.kernels
BIG = 1 << 24
for name, n_params, tail in (("add_s8", 24, [0, 0, 0, 20, 1 << 30, -1, 1 << 30, -1, 1 << 30, -1, -128, 127]),
                             ("mul_s8", 19, [0, 0, 0, 1 << 30, -1, -128, 127]),
                             ("prelu_s8", 19, [0, 0, 0, 1 << 30, -1, 1 << 30, -1]),
                             ("binary_s32", 15, None)):
    if name == "binary_s32":
        p = [0] + [BIG] * 4 + [0] * 8 + [-(1 << 31), (1 << 31) - 1]
    else:
        p = [BIG] * 4 + [0] * 8 + tail
    assert len(p) == n_params
    try:
        getattr(k, name)(bytearray(4), bytearray(4), bytearray(0), array("i", p))
        print(name, "no error")
    except ValueError as e:
        print(name, "ValueError", "output" in str(e))
