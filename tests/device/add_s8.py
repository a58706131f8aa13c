# add_s8 on random data, same shapes and 4-D broadcasting; prints output hashes.
# Runs unchanged on the unix firmware, the QEMU boards and CPython (numpy reference).
from array import array

import micronn
from micronn.testdata import fnv1a, rand_bytes, rand_ints

k = micronn.kernels


def strides(shape, out):
    """Element strides of a row-major tensor `shape` read at output `out` (0 where broadcast)."""
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
    # shape1, shape2, act_min, act_max
    ((1, 1, 1, 1), (1, 1, 1, 1), -128, 127),
    ((1, 1, 1, 3), (1, 1, 1, 3), -128, 127),
    ((1, 1, 1, 7), (1, 1, 1, 7), -128, 127),
    ((1, 1, 2, 8), (1, 1, 2, 8), 0, 127),
    ((1, 3, 5, 15), (1, 3, 5, 15), -128, 127),
    ((1, 1, 1, 17), (1, 1, 1, 17), -128, 100),
    ((2, 3, 4, 5), (1, 1, 1, 5), -128, 127),
    ((1, 1, 1, 1), (1, 4, 3, 7), -128, 127),
    ((1, 4, 1, 3), (1, 1, 5, 3), -128, 127),
    ((1, 1, 3, 1), (1, 1, 1, 7), -20, 20),
    ((2, 1, 1, 17), (1, 3, 4, 1), -128, 127),
    ((1, 49, 1, 64), (1, 49, 1, 64), -128, 127),
    # long runs (the unix firmware's vector path): merged dims, 16-element tails, broadcasts
    ((1, 128, 128, 1), (1, 128, 128, 1), -128, 127),
    ((1, 9, 7, 33), (1, 9, 7, 33), -30, 90),
    ((1, 1, 37, 65), (1, 1, 1, 65), -128, 127),
    ((1, 3, 100, 1), (1, 3, 1, 1), -128, 127),
    ((2, 1, 1, 70), (1, 3, 4, 70), 0, 127),
]

for i, (s1, s2, lo, hi) in enumerate(CASES):
    out = [max(a, b) for a, b in zip(s1, s2)]
    q = rand_ints(9, 30 * i + 5, 0, 1 << 30)
    params = array("i", out + strides(s1, out) + strides(s2, out) + [
        rand_ints(1, 30 * i + 6, -127, 128)[0],
        rand_ints(1, 30 * i + 7, -127, 128)[0],
        rand_ints(1, 30 * i + 8, -128, 127)[0],
        20,
        (1 << 30) + q[0], -1 - q[1] % 3,
        (1 << 30) + q[2], -1 - q[3] % 3,
        (1 << 30) + q[4], -18 - q[5] % 3,
        lo, hi])
    x1 = rand_bytes(size(s1), 30 * i + 1)
    x2 = rand_bytes(size(s2), 30 * i + 2)
    y = bytearray(size(out))
    k.add_s8(x1, x2, y, params)
    print("add", i, size(out), hex(fnv1a(y)))

# Output multipliers and shifts over their whole range (shift 0 and -31 included) on runs of
# 83 elements: the vector requantization of the unix firmware against the reference.
for i in range(10):
    q = rand_ints(8, 900 + i, 0, 1 << 30)
    mo = (0, (1 << 31) - 1, 1 << 30)[i] if i < 3 else (1 << 30) + q[0]
    so = (0, -31, -1)[i % 3] if i < 6 else -(q[1] % 32)
    params = array("i", [1, 1, 1, 83, 0, 0, 0, 1, 0, 0, 0, 1, q[2] % 256 - 127, q[3] % 256 - 127,
                         q[4] % 256 - 128, 20, (1 << 30) + q[5], -(q[6] % 4), (1 << 30) + q[7], -2,
                         mo, so, -128, 127])
    y = bytearray(83)
    k.add_s8(rand_bytes(83, 950 + i), rand_bytes(83, 970 + i), y, params)
    print("add shifts", i, hex(fnv1a(y)))

# Bad arguments raise ValueError/TypeError naming the argument.
P = [1, 1, 2, 3] + [0, 0, 3, 1] + [0, 0, 0, 1] + [0, 0, 0, 20, 1 << 30, -1, 1 << 30, -1, 1 << 30, -19, -128, 127]


def with_p(idx, v):
    q = list(P)
    q[idx] = v
    return array("i", q)


x1 = bytearray(6)
x2 = bytearray(3)
y = bytearray(6)
ok = array("i", P)
BAD = [
    ("params", (x1, x2, y, array("i", P + [0]))),
    ("params", (x1, x2, y, with_p(0, 0))),
    ("params", (x1, x2, y, with_p(5, -1))),
    ("params", (x1, x2, y, with_p(15, 21))),
    ("params", (x1, x2, y, with_p(17, 1))),
    ("params", (x1, x2, y, with_p(20, -5))),
    ("params", (x1, x2, y, with_p(22, 127)[:22] + array("i", [127, 0]))),
    ("input1", (bytearray(5), x2, y, ok)),
    ("input2", (x1, bytearray(6), y, ok)),
    ("input2", (x1, array("i", [0, 0, 0]), y, ok)),
    ("output", (x1, x2, bytearray(7), ok)),
    ("output", (x1, x2, 6, ok)),
]
for name, args in BAD:
    try:
        k.add_s8(*args)
        print("no error for", name)
    except (ValueError, TypeError) as e:
        print(name, type(e).__name__, name in str(e))
