# avg_pool2d_s8 and max_pool2d_s8 on random data with shapes that hit every tail; prints
# output hashes. Runs unchanged on the unix firmware, the QEMU boards and CPython (numpy reference).
from array import array

import micronn
from micronn.testdata import fnv1a, rand_bytes

k = micronn.kernels


def geometry(size, kernel, stride, mode):
    """(out, pad_before) as TFLite's ComputePaddingHeightWidth; mode 'S'ame or 'V'alid."""
    out = (size + stride - 1) // stride if mode == "S" else (size + stride - kernel) // stride
    return out, max(0, (out - 1) * stride + kernel - size) // 2


CASES = [
    # n, h, w, c, kh, kw, sh, sw, mode, act_min, act_max
    (1, 1, 1, 1, 1, 1, 1, 1, "V", -128, 127),
    (1, 4, 4, 3, 2, 2, 2, 2, "V", -128, 127),
    (1, 7, 7, 7, 3, 3, 2, 2, "S", -128, 127),
    (1, 5, 9, 8, 3, 3, 1, 1, "S", -128, 127),
    (2, 6, 5, 15, 2, 3, 2, 2, "S", -128, 127),
    (1, 9, 6, 17, 3, 1, 2, 1, "S", -20, 127),
    (1, 25, 5, 8, 25, 5, 1, 1, "V", -128, 127),
    (1, 8, 8, 3, 3, 3, 2, 2, "S", -128, 30),
    (1, 3, 3, 16, 3, 3, 1, 1, "V", 0, 127),
    (1, 11, 11, 2, 5, 4, 3, 2, "S", -128, 127),
    (1, 10, 4, 1, 10, 4, 1, 1, "S", -128, 127),
    (1, 1, 1, 5, 3, 3, 1, 1, "S", -128, 127),
]

def check(kind, pool):
    for i, (n, h, w, c, kh, kw, sh, sw, mode, lo, hi) in enumerate(CASES):
        oh, pt = geometry(h, kh, sh, mode)
        ow, pl = geometry(w, kw, sw, mode)
        params = array("i", [n, h, w, c, oh, ow, kh, kw, sh, sw, pt, pl, lo, hi])
        x = rand_bytes(n * h * w * c, 40 * i + 1)
        y = bytearray(n * oh * ow * c)
        pool(x, y, params)
        print(kind + "pool", i, oh, ow, pt, pl, hex(fnv1a(y)))

    # Small values so that averages land on .5: rounding half away from zero, both signs.
    x = rand_bytes(4 * 4 * 6, 999, -3, 3)
    y = bytearray(3 * 3 * 6)
    pool(x, y, array("i", [1, 4, 4, 6, 3, 3, 2, 2, 1, 1, 0, 0, -128, 127]))
    print(kind + "pool halves", list(array("b", y)))

    # Bad arguments raise ValueError/TypeError naming the argument.
    P = [1, 4, 4, 2, 2, 2, 2, 2, 2, 2, 0, 0, -128, 127]


    def with_p(idx, v):
        q = list(P)
        q[idx] = v
        return array("i", q)


    x = bytearray(32)
    y = bytearray(8)
    ok = array("i", P)
    BAD = [
        ("params", (x, y, array("i", P[:-1]))),
        ("params", (x, y, with_p(6, 0))),
        ("params", (x, y, with_p(8, 0))),
        ("params", (x, y, with_p(10, 2))),
        ("params", (x, y, with_p(4, 3))),
        ("params", (x, y, with_p(12, 127)[:13] + array("i", [0]))),
        ("input", (bytearray(31), y, ok)),
        ("input", (array("h", [0] * 16), y, ok)),
        ("output", (x, bytearray(9), ok)),
        ("output", (x, bytes(8), ok)),
    ]
    for name, args in BAD:
        try:
            pool(*args)
            print("no error for", name)
        except (ValueError, TypeError) as e:
            print(name, type(e).__name__, name in str(e))


for kind in ("avg", "max"):
    check(kind, getattr(k, kind + "_pool2d_s8"))
