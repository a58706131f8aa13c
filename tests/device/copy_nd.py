# The SHAPE area's copy_nd kernel on pseudo-random data: elements of 1/2/4/8 bytes, borders of a
# value (sign-extended to 8 bytes) and mirrored (REFLECT, SYMMETRIC) on inner and outer dims,
# negative and non-unit steps, all six dims. Prints output hashes; then bad params, which must be
# refused before the kernel reads or writes outside its buffers. Runs unchanged on the unix
# firmware, the QEMU boards and CPython (numpy reference).
from array import array

import micronn
from micronn.testdata import fnv1a, rand_bytes

k = micronn.kernels
CODES = {1: "b", 2: "h", 4: "i", 8: "q"}


def params(elem, mode, value, start, dims):
    """[element_size, mode, value, start, d0..d5, s0..s5, b0..b5, a0..a5]; dims [(d, s, b, a)],
    outer first, padded in front to six."""
    dims = [(1, 0, 0, 0)] * (6 - len(dims)) + dims
    return array("i", [elem, mode, value, start] + [t[i] for i in range(4) for t in dims])


def out_count(dims):
    n = 1
    for d, _, b, a in dims:
        n *= b + d + a
    return n


CASES = [
    (1, 0, -7, 0, 24, [(2, 12, 1, 0), (3, 4, 0, 2), (4, 1, 1, 1)]),
    (2, 1, 0, 0, 15, [(3, 5, 2, 2), (5, 1, 4, 3)]),
    (4, 2, 0, 0, 12, [(3, 1, 3, 0), (4, 3, 1, 4)]),
    (8, 0, -1, 23, 24, [(2, -12, 0, 1), (3, -4, 1, 0), (4, -1, 0, 0)]),
    (4, 1, 0, 5, 16, [(2, 6, 1, 1), (2, -1, 1, 0), (3, 2, 0, 2)]),
    (1, 0, 300, 0, 64, [(2, 32, 0, 0), (2, 16, 0, 0), (2, 8, 1, 0), (2, 4, 0, 0), (2, 2, 0, 0), (2, 1, 0, 1)]),
    (2, 2, 0, 3, 40, [(3, 12, 3, 1), (2, -2, 0, 0), (4, 1, 2, 4)]),
]
for i, (elem, mode, value, start, n_in, dims) in enumerate(CASES):
    x = array(CODES[elem], rand_bytes(n_in * elem, 60 + i))
    y = array(CODES[elem], bytes(out_count(dims) * elem))
    k.copy_nd(x, y, params(elem, mode, value, start, dims))
    print("copy", i, hex(fnv1a(y)))

# Bad params raise ValueError/TypeError naming the argument.
x4, y4 = array("i", bytes(16)), array("i", bytes(16))
BAD = [
    ("element_size", (x4, y4, params(3, 0, 0, 0, [(4, 1, 0, 0)]))),
    ("mode", (x4, y4, params(4, 3, 0, 0, [(4, 1, 0, 0)]))),
    ("params", (x4, y4, params(4, 0, 0, 1, [(4, 1, 0, 0)]))),  # reads element 4 of 4
    ("params", (x4, y4, params(4, 0, 0, 2, [(4, -1, 0, 0)]))),  # reads element -1
    ("params", (x4, y4, params(4, 0, 0, 0, [(2, 3, 0, 0), (2, 1, 0, 0)]))),  # reads element 4
    ("params", (x4, array("i", bytes(32)), params(4, 1, 0, 0, [(4, 1, 4, 0)]))),  # REFLECT border > d - 1
    ("params", (x4, array("i", bytes(36)), params(4, 2, 0, 0, [(4, 1, 0, 5)]))),  # SYMMETRIC border > d
    ("output", (x4, y4, params(4, 0, 0, 0, [(4, 1, 1, 0)]))),  # 5 elements into 4
    ("output", (x4, y4, params(4, 0, 0, 0, [(1 << 20, 0, 0, 0), (1 << 20, 0, 0, 0)]))),  # 2^40 elements
    ("input", (array("f", bytes(16)), y4, params(4, 0, 0, 0, [(4, 1, 0, 0)]))),
]
for name, args in BAD:
    try:
        k.copy_nd(*args)
        print("no error for", name)
    except (ValueError, TypeError) as e:
        print(name, type(e).__name__, name in str(e))
