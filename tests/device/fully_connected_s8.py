# fully_connected_s8 on random data with shapes that hit every tail; prints output hashes.
# Runs unchanged on the unix firmware, the QEMU boards and CPython (numpy reference).
from array import array

import micronn
from micronn.testdata import fnv1a, rand_bytes, rand_ints

k = micronn.kernels

CASES = [
    # batches, in_features, out_features, per_channel, bias, act_min, act_max
    (1, 1, 1, False, True, -128, 127),
    (1, 3, 7, True, True, -128, 127),
    (2, 15, 17, False, False, -20, 127),
    (1, 17, 15, True, True, -128, 30),
    (3, 8, 8, True, False, -128, 127),
    (1, 64, 12, False, True, -128, 127),
    (1, 1031, 5, True, True, -100, 100),
    (4, 33, 1, False, True, -128, 127),
]

for n, (b, fin, fout, pc, has_bias, lo, hi) in enumerate(CASES):
    x = rand_bytes(b * fin, 10 * n + 1)
    w = rand_bytes(fout * fin, 10 * n + 2, -127, 127)
    bias = array("i", rand_ints(fout, 10 * n + 3, -(1 << 16), 1 << 16)) if has_bias else None
    nch = fout if pc else 1
    mult = array("i", rand_ints(nch, 10 * n + 4, 1 << 30, (1 << 31) - 1))
    shift = array("i", rand_ints(nch, 10 * n + 5, -12, -4))
    in_off = rand_ints(1, 10 * n + 6, -127, 128)[0]
    out_off = rand_ints(1, 10 * n + 7, -128, 127)[0]
    y = bytearray(b * fout)
    k.fully_connected_s8(x, w, bias, y, fin, fout, in_off, out_off, mult, shift, lo, hi)
    print("fc", n, b, fin, fout, hex(fnv1a(y)))

# Bad arguments raise ValueError/TypeError naming the argument.
x = bytearray(8)
w = bytearray(16)
y = bytearray(2)
one = array("i", [1 << 30])
zero = array("i", [0])
BAD = [
    ("weights", (x, bytearray(15), None, y, 8, 2, 0, 0, one, zero, -128, 127)),
    ("output", (x, w, None, bytearray(3), 8, 2, 0, 0, one, zero, -128, 127)),
    ("bias", (x, w, array("i", [0]), y, 8, 2, 0, 0, one, zero, -128, 127)),
    ("bias", (x, w, array("h", [0, 0, 0, 0]), y, 8, 2, 0, 0, one, zero, -128, 127)),
    ("input", (bytearray(7), w, None, y, 8, 2, 0, 0, one, zero, -128, 127)),
    ("input", (array("h", [0] * 8), w, None, y, 8, 2, 0, 0, one, zero, -128, 127)),
    ("multiplier", (x, w, None, y, 8, 2, 0, 0, array("i", [1, 2, 3]), zero, -128, 127)),
    ("shift", (x, w, None, y, 8, 2, 0, 0, one, array("i", [40]), -128, 127)),
    ("act_min", (x, w, None, y, 8, 2, 0, 0, one, zero, 10, -10)),
    ("in_features", (x, w, None, y, 0, 2, 0, 0, one, zero, -128, 127)),
    ("input_offset", (x, w, None, y, 8, 2, 300, 0, one, zero, -128, 127)),
]
for name, args in BAD:
    try:
        k.fully_connected_s8(*args)
        print("no error for", name)
    except (ValueError, TypeError) as e:
        print(name, type(e).__name__, name in str(e))
