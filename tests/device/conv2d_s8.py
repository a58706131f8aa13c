# conv2d_s8 on random data with shapes that hit every tail; prints output hashes.
# Runs unchanged on the unix firmware, the QEMU boards and CPython (numpy reference).
from array import array

import micronn
from micronn.testdata import fnv1a, rand_bytes, rand_ints

k = micronn.kernels


def geometry(size, kernel, stride, dil, mode):
    """(out, pad_before) as TFLite's ComputePaddingHeightWidth; mode 'S'ame or 'V'alid."""
    eff = (kernel - 1) * dil + 1
    out = (size + stride - 1) // stride if mode == "S" else (size + stride - eff) // stride
    return out, max(0, (out - 1) * stride + eff - size) // 2


def bits(n):
    b = 0
    while (1 << b) < n:
        b += 1
    return b


CASES = [
    # n, h, w, cin, cout, kh, kw, sh, sw, dh, dw, mode, per_channel, bias, act_min, act_max
    (1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "V", False, True, -128, 127),
    (1, 5, 5, 3, 7, 3, 3, 1, 1, 1, 1, "S", True, True, -128, 127),
    (1, 7, 7, 8, 8, 3, 3, 2, 2, 1, 1, "S", False, True, -128, 127),
    (1, 9, 6, 15, 17, 3, 1, 1, 1, 2, 1, "V", True, False, -128, 127),
    (1, 12, 10, 1, 8, 10, 4, 2, 1, 1, 1, "S", True, True, -128, 127),
    (1, 6, 5, 17, 3, 2, 3, 1, 1, 2, 2, "S", True, True, -128, 127),
    (2, 4, 4, 7, 15, 1, 1, 2, 2, 1, 1, "V", True, True, -10, 127),
    (1, 3, 3, 16, 1, 3, 3, 1, 1, 1, 1, "V", False, True, -128, 127),
    (1, 1, 1, 5, 9, 3, 3, 1, 1, 1, 1, "S", True, True, -128, 127),
    (1, 8, 8, 3, 8, 3, 3, 2, 2, 1, 1, "S", True, True, -128, 20),
    (1, 11, 9, 4, 6, 5, 3, 2, 2, 1, 1, "V", True, False, -50, 50),
    (1, 10, 3, 2, 5, 3, 1, 2, 1, 3, 1, "S", True, True, -128, 127),
]

for i, c in enumerate(CASES):
    n, h, w, cin, cout, kh, kw, sh, sw, dh, dw, mode, pc, has_bias, lo, hi = c
    oh, pt = geometry(h, kh, sh, dh, mode)
    ow, pl = geometry(w, kw, sw, dw, mode)
    in_off = rand_ints(1, 20 * i + 6, -127, 128)[0]
    out_off = rand_ints(1, 20 * i + 7, -128, 127)[0]
    params = array("i", [n, h, w, cin, oh, ow, cout, kh, kw, sh, sw, dh, dw, pt, pl,
                         in_off, out_off, lo, hi])
    x = rand_bytes(n * h * w * cin, 20 * i + 1)
    wt = rand_bytes(cout * kh * kw * cin, 20 * i + 2, -127, 127)
    bias = array("i", rand_ints(cout, 20 * i + 3, -(1 << 14), 1 << 14)) if has_bias else None
    nch = cout if pc else 1
    b = bits(kh * kw * cin)
    mult = array("i", rand_ints(nch, 20 * i + 4, 1 << 30, (1 << 31) - 1))
    shift = array("i", rand_ints(nch, 20 * i + 5, -(9 + b // 2), -(6 + b // 2)))
    y = bytearray(n * oh * ow * cout)
    k.conv2d_s8(x, wt, bias, y, params, mult, shift)
    print("conv", i, oh, ow, pt, pl, hex(fnv1a(y)))

# Params straight from a converter need not match SAME/VALID: windows entirely in the padding
# (bias only) and outputs past the input.
params = array("i", [1, 4, 4, 3, 6, 3, 5, 2, 2, 1, 2, 1, 1, 3, 1, -5, 3, -128, 127])
x = rand_bytes(48, 901)
wt = rand_bytes(5 * 2 * 2 * 3, 902, -127, 127)
bias = array("i", rand_ints(5, 903, -3000, 3000))
y = bytearray(6 * 3 * 5)
k.conv2d_s8(x, wt, bias, y, params, array("i", [1 << 30]), array("i", [-5]))
print("conv raw", hex(fnv1a(y)))

# Bad arguments raise ValueError/TypeError naming the argument.
P = [1, 3, 3, 2, 3, 3, 4, 3, 3, 1, 1, 1, 1, 1, 1, 0, 0, -128, 127]


def with_p(idx, v):
    q = list(P)
    q[idx] = v
    return array("i", q)


x = bytearray(18)
wt = bytearray(72)
y = bytearray(36)
one = array("i", [1 << 30])
zero = array("i", [0])
ok = array("i", P)
BAD = [
    ("params", (x, wt, None, y, array("i", P[:-1]), one, zero)),
    ("params", (x, wt, None, y, with_p(9, 0), one, zero)),
    ("params", (x, wt, None, y, with_p(15, 200), one, zero)),
    ("params", (x, wt, None, y, array("i", P[:17] + [10, -10]), one, zero)),
    ("params", (x, wt, None, y, array("h", P), one, zero)),
    ("input", (bytearray(17), wt, None, y, ok, one, zero)),
    ("weights", (x, bytearray(71), None, y, ok, one, zero)),
    ("bias", (x, wt, array("i", [0] * 3), y, ok, one, zero)),
    ("output", (x, wt, None, bytearray(35), ok, one, zero)),
    ("output", (x, wt, None, b"\0" * 36, ok, one, zero)),
    ("multiplier", (x, wt, None, y, ok, array("i", [1, 2]), zero)),
    ("shift", (x, wt, None, y, ok, one, array("i", [-40]))),
    ("input", (None, wt, None, y, ok, one, zero)),
]
for name, args in BAD:
    try:
        k.conv2d_s8(*args)
        print("no error for", name)
    except (ValueError, TypeError) as e:
        print(name, type(e).__name__, name in str(e))
