# softmax_s8 on random data; params as the converter computes them for a range of input
# scales (beta 1). Prints output hashes.
# Runs unchanged on the unix firmware, the QEMU boards and CPython (numpy reference).
from array import array

import micronn
from micronn.testdata import fnv1a, rand_bytes

k = micronn.kernels

# input_scale -> (input_multiplier, input_left_shift, diff_min), from host_tools.convert.params.softmax_params
SCALES = {
    "1/2": (1073741824, 26, -31),
    "0.1": (1717986944, 23, -248),
    "1/64": (1073741824, 21, -992),
    "0.03": (2061584256, 21, -992),
    "0.2": (1717986944, 24, -124),
    "1": (1073741824, 27, -15),
    "3.5": (1879048192, 28, -7),
    "20": (1342177280, 31, 0),
}

CASES = [
    # rows, depth, scale, lo, hi (input value range)
    (1, 1, "0.1", -128, 127),
    (1, 3, "1/2", -128, 127),
    (2, 7, "0.1", -128, 127),
    (1, 8, "1/64", -128, 127),
    (3, 15, "0.03", -128, 127),
    (1, 17, "0.2", -10, 10),
    (4, 10, "1", -20, 5),
    (1, 12, "3.5", -3, 3),
    (2, 9, "20", -2, 2),
    (1, 1000, "1/64", -128, 127),
    (5, 33, "0.1", 100, 127),
    (1, 64, "1/2", -128, -120),
]

for i, (rows, depth, sc, lo, hi) in enumerate(CASES):
    mult, shift, diff_min = SCALES[sc]
    x = rand_bytes(rows * depth, 50 * i + 1, lo, hi)
    y = bytearray(rows * depth)
    k.softmax_s8(x, y, array("i", [rows, depth, mult, shift, diff_min]))
    print("softmax", i, hex(fnv1a(y)))

# Many equal maxima: the output exponent passes 31 (TFLite Micro would stop; we clamp) and,
# past 4096 maxima, the int32 sum of exps wraps.
for depth in (600, 9000):
    y = bytearray(depth)
    k.softmax_s8(bytearray(depth), y, array("i", [1, depth, 1717986944, 23, -248]))
    print("softmax flat", depth, hex(fnv1a(y)))
y = bytearray(4)
k.softmax_s8(bytes([0x80, 0x81, 0x7F, 0x00]), y, array("i", [1, 4, 1073741824, 26, -31]))
print("softmax small", list(array("b", y)))

# Bad arguments raise ValueError/TypeError naming the argument.
P = [2, 3, 1073741824, 26, -31]


def with_p(idx, v):
    q = list(P)
    q[idx] = v
    return array("i", q)


x = bytearray(6)
y = bytearray(6)
ok = array("i", P)
BAD = [
    ("params", (x, y, array("i", P[:4]))),
    ("params", (x, y, with_p(0, 0))),
    ("params", (x, y, with_p(2, -1))),
    ("params", (x, y, with_p(3, 32))),
    ("params", (x, y, with_p(4, 1))),
    ("params", (x, y, [2, 3, 1, 1, 0])),
    ("input", (bytearray(5), y, ok)),
    ("output", (x, bytearray(7), ok)),
    ("output", (x, None, ok)),
]
for name, args in BAD:
    try:
        k.softmax_s8(*args)
        print("no error for", name)
    except (ValueError, TypeError) as e:
        print(name, type(e).__name__, name in str(e))
