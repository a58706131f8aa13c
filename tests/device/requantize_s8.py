# requantize_s8 (QUANTIZE int8 -> int8) on random data; prints output hashes.
# Runs unchanged on the unix firmware, the QEMU boards and CPython (numpy reference).
from array import array

import micronn
from micronn.testdata import fnv1a, rand_bytes, rand_ints

k = micronn.kernels

CASES = [
    # n, shift range (multiplier random in [2^30, 2^31))
    (1, (0, 0)),
    (3, (-1, 1)),
    (7, (-3, -1)),
    (8, (0, 2)),
    (15, (-8, -4)),
    (17, (1, 3)),
    (256, (-2, 2)),
    (1000, (-31, -25)),
    (64, (20, 30)),
]

for i, (n, (s_lo, s_hi)) in enumerate(CASES):
    zp = rand_ints(2, 60 * i + 3, -128, 127)
    mult = rand_ints(1, 60 * i + 4, 1 << 30, (1 << 31) - 1)[0]
    shift = rand_ints(1, 60 * i + 5, s_lo, s_hi)[0]
    x = rand_bytes(n, 60 * i + 1)
    y = bytearray(n)
    k.requantize_s8(x, y, array("i", [zp[0], zp[1], mult, shift]))
    print("requant", i, n, hex(fnv1a(y)))

# Same scale (multiplier 2^30, shift 1): only the zero point moves.
x = bytearray(range(256))
y = bytearray(256)
k.requantize_s8(x, y, array("i", [5, -3, 1 << 30, 1]))
print("requant same", hex(fnv1a(y)), list(array("b", y[:4])))

# Bad arguments raise ValueError/TypeError naming the argument.
P = [0, 0, 1 << 30, 0]


def with_p(idx, v):
    q = list(P)
    q[idx] = v
    return array("i", q)


x = bytearray(6)
y = bytearray(6)
ok = array("i", P)
BAD = [
    ("params", (x, y, array("i", P[:3]))),
    ("params", (x, y, with_p(0, 128))),
    ("params", (x, y, with_p(1, -129))),
    ("params", (x, y, with_p(2, -1))),
    ("params", (x, y, with_p(3, 31))),
    ("input", (array("i", [0] * 6), y, ok)),
    ("input", (3, y, ok)),
    ("output", (x, bytearray(5), ok)),
]
for name, args in BAD:
    try:
        k.requantize_s8(*args)
        print("no error for", name)
    except (ValueError, TypeError) as e:
        print(name, type(e).__name__, name in str(e))
