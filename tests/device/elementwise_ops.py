# Elementwise area kernels on pseudo-random data: integer CAST between int8/uint8/int16/int32/
# uint32, CONCATENATION and STRIDED_SLICE of 1/2/4/8-byte elements, int32 ADD/SUB/MUL/DIV/
# MINIMUM/MAXIMUM with broadcasting and activation ranges. Prints output hashes. Runs unchanged
# on the unix firmware, the QEMU boards and CPython (numpy reference).
from array import array

import micronn
from micronn.testdata import fnv1a, rand_bytes, rand_ints

k = micronn.kernels
CODES = {0: "b", 1: "B", 2: "h", 3: "i", 5: "I"}
SIZES = {0: 1, 1: 1, 2: 2, 3: 4, 5: 4}


def words(n, seed):  # n full-range 32-bit patterns as raw bytes
    hi = rand_ints(n, seed, 0, 65535)
    lo = rand_ints(n, seed + 1, 0, 65535)
    b = bytearray()
    for h, l_ in zip(hi, lo):
        b.extend(bytes([l_ & 255, l_ >> 8, h & 255, h >> 8]))
    return b


def i32(n, seed):
    return array("i", words(n, seed))


# CAST: every pair of integer types
for src in CODES:
    for dst in CODES:
        n = 37
        x = array(CODES[src], words(n, 10 * src + dst)[:n * SIZES[src]])
        y = array(CODES[dst], bytes(n * SIZES[dst]))
        k.cast(x, y, array("i", [src, dst]))
        print("cast", src, dst, hex(fnv1a(y)))

# CONCATENATION
for i, (elem, outer, sizes) in enumerate([(4, 1, [5, 236, 16]), (1, 3, [2, 1, 4]), (2, 2, [3, 0, 6]),
                                          (8, 2, [1, 2]), (4, 4, [7])]):
    code = {1: "b", 2: "h", 4: "i", 8: "q"}[elem]
    ins = [array(code, rand_bytes(outer * s * elem, 20 + 3 * i + j)) for j, s in enumerate(sizes)]
    y = array(code, bytes(outer * sum(sizes) * elem))
    k.concatenation(array("i", [elem, outer, len(sizes)] + sizes), y, *ins)
    print("concat", i, hex(fnv1a(y)))

# STRIDED_SLICE: [element_size, start, d0..d4, s0..s4]
for i, (elem, n_in, p) in enumerate([
        (4, 257, [5, 1, 1, 1, 1, 236, 0, 0, 0, 0, 1]),
        (2, 24, [23, 1, 1, 1, 3, 3, 0, 0, 0, -6, -2]),
        (1, 48, [9, 1, 1, 1, 3, 2, 0, 0, 0, 16, 3]),
        (8, 6, [4, 1, 1, 1, 1, 3, 0, 0, 0, 0, -2]),
        (4, 120, [7, 2, 2, 1, 2, 3, 60, 20, 0, 10, 2])]):
    code = {1: "b", 2: "h", 4: "i", 8: "q"}[elem]
    x = array(code, rand_bytes(n_in * elem, 40 + i))
    n_out = p[1] * p[2] * p[3] * p[4] * p[5]
    y = array(code, bytes(n_out * elem))
    k.strided_slice(x, y, array("i", [elem] + p))
    print("slice", i, hex(fnv1a(y)))

# int32 binary ops: [op, d0..d3, s1_0..s1_3, s2_0..s2_3, act_min, act_max]
SHAPES = [
    ([1, 1, 1, 40], [0, 0, 0, 1], [0, 0, 0, 1], 40, 40),
    ([1, 2, 3, 4], [0, 12, 4, 1], [0, 0, 0, 1], 24, 4),
    ([1, 1, 3, 5], [0, 0, 0, 1], [0, 0, 1, 0], 5, 3),
    ([2, 4, 3, 5], [3, 0, 1, 0], [0, 5, 0, 1], 6, 20),
]
ACTS = [(-(1 << 31), (1 << 31) - 1), (0, (1 << 31) - 1), (0, 6), (-1, 1)]
for op in range(6):
    for i, (dims, s1, s2, n1, n2) in enumerate(SHAPES):
        a, b = i32(n1, 50 + op * 10 + i), i32(n2, 55 + op * 10 + i)
        if op == 3:
            b[0], b[1 % n2] = 0, -1
            a[0], a[1] = -(1 << 31), -(1 << 31)
        lo, hi = ACTS[i]
        y = array("i", bytes(4 * dims[0] * dims[1] * dims[2] * dims[3]))
        k.binary_s32(a, b, y, array("i", [op] + dims + s1 + s2 + [lo, hi]))
        print("binary", op, i, hex(fnv1a(y)))
a, b, y = array("i", [7, -7, 7, -7, -(1 << 31), 5]), array("i", [2, 2, -2, -2, -1, 0]), array("i", bytes(24))
k.binary_s32(a, b, y, array("i", [3, 1, 1, 1, 6, 0, 0, 0, 1, 0, 0, 0, 1, -(1 << 31), (1 << 31) - 1]))
print("div", list(y))

# Bad arguments raise ValueError/TypeError naming the argument.
i4 = array("i", bytes(16))
BAD = [
    ("params", k.cast, (i4, i4, array("i", [3, 99]))),
    ("output", k.cast, (i4, array("h", bytes(6)), array("i", [3, 2]))),
    ("element_size", k.concatenation, (array("i", [3, 1, 1, 4]), i4, i4)),
    ("n_inputs", k.concatenation, (array("i", [4, 1, 2, 4]), i4, i4)),
    ("input", k.concatenation, (array("i", [4, 1, 2, 2, 2]), i4, i4, array("i", bytes(4)))),
    ("params", k.strided_slice, (i4, i4, array("i", [4, 0, 1, 1, 1, 1, 4, 0, 0, 0, 0, 2]))),
    ("params", k.strided_slice, (i4, array("i", bytes(8)), array("i", [4, 1, 1, 1, 1, 1, 2, 0, 0, 0, 0, -2]))),
    ("params", k.binary_s32, (i4, i4, i4, array("i", [6, 1, 1, 1, 4, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1]))),
    ("act_min", k.binary_s32, (i4, i4, i4, array("i", [0, 1, 1, 1, 4, 0, 0, 0, 1, 0, 0, 0, 1, 2, 1]))),
    ("input2", k.binary_s32, (i4, array("i", bytes(8)), i4, array("i", [0, 1, 1, 1, 4, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1]))),
]
for name, fn, args in BAD:
    try:
        fn(*args)
        print("no error for", name)
    except (ValueError, TypeError) as e:
        print(name, type(e).__name__, name in str(e))
