# prelu_s8 with 4-D broadcasting of alpha; prints output hashes.
# Runs unchanged on the unix firmware, the QEMU boards and CPython (numpy reference).
from array import array

import micronn
from micronn.testdata import fnv1a, rand_bytes, rand_ints

k = micronn.kernels


def strides(shape, out):
    st = [0, 0, 0, 0]
    s = 1
    for i in range(3, -1, -1):
        st[i] = s if shape[i] == out[i] and shape[i] > 1 else 0
        s *= shape[i]
    return st


def size(shape):
    n = 1
    for d in shape:
        n *= d
    return n


CASES = [
    # input shape, alpha shape
    ((1, 1, 1, 1), (1, 1, 1, 1)),
    ((1, 4, 4, 8), (1, 1, 1, 8)),
    ((1, 3, 5, 15), (1, 1, 5, 15)),
    ((2, 3, 4, 17), (1, 1, 1, 17)),
    ((1, 1, 1, 7), (1, 1, 1, 1)),
    ((1, 2, 2, 3), (1, 2, 2, 3)),
    ((1, 1, 3, 1), (1, 1, 1, 1)),
]

for i, (si, sa) in enumerate(CASES):
    q = rand_ints(8, 40 * i + 3, 0, 1 << 30)
    params = array("i", list(si) + strides(si, si) + strides(sa, si) + [
        rand_ints(1, 40 * i + 4, -127, 128)[0], rand_ints(1, 40 * i + 5, -127, 128)[0],
        rand_ints(1, 40 * i + 6, -128, 127)[0],
        (1 << 30) + q[0], -q[1] % 3, (1 << 30) + q[2], -8 - q[3] % 4])
    x = rand_bytes(size(si), 40 * i + 1)
    a = rand_bytes(size(sa), 40 * i + 2)
    y = bytearray(size(si))
    k.prelu_s8(x, a, y, params)
    print("prelu", i, size(si), hex(fnv1a(y)))

P = [1, 1, 2, 3] + [0, 0, 3, 1] + [0, 0, 0, 1] + [0, 0, 0, 1 << 30, 0, 1 << 30, -8]
ok = array("i", P)


def with_p(idx, v):
    q = list(P)
    q[idx] = v
    return array("i", q)


BAD = [
    ("params", (bytearray(6), bytearray(3), bytearray(6), array("i", P[:18]))),
    ("params", (bytearray(6), bytearray(3), bytearray(6), with_p(0, 0))),
    ("params", (bytearray(6), bytearray(3), bytearray(6), with_p(15, -1))),
    ("params", (bytearray(6), bytearray(3), bytearray(6), with_p(18, 31))),
    ("input", (bytearray(5), bytearray(3), bytearray(6), ok)),
    ("alpha", (bytearray(6), bytearray(2), bytearray(6), ok)),
    ("output", (bytearray(6), bytearray(3), bytearray(7), ok)),
]
for name, args in BAD:
    try:
        k.prelu_s8(*args)
        print("no error for", name)
    except (ValueError, TypeError) as e:
        print(name, type(e).__name__, name in str(e))
