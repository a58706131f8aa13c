# depthwise_conv2d_s8 on random data with shapes that hit every tail; prints output hashes.
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


CASES = [
    # n, h, w, cin, mult, kh, kw, sh, sw, dh, dw, mode, per_channel, bias, act_min, act_max
    (1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "V", False, True, -128, 127),
    (1, 5, 5, 3, 1, 3, 3, 1, 1, 1, 1, "S", True, True, -128, 127),
    (1, 7, 7, 8, 1, 3, 3, 2, 2, 1, 1, "S", True, True, -128, 127),
    (1, 9, 6, 15, 1, 3, 1, 1, 1, 2, 1, "V", True, False, -128, 127),
    (1, 12, 10, 1, 8, 10, 4, 2, 1, 1, 1, "S", True, True, -128, 127),
    (1, 6, 5, 17, 1, 2, 3, 1, 1, 2, 2, "S", True, True, -128, 127),
    (2, 4, 4, 7, 8, 1, 1, 2, 2, 1, 1, "V", True, True, -10, 127),
    (1, 3, 3, 16, 1, 3, 3, 1, 1, 1, 1, "V", False, True, -128, 127),
    (1, 1, 1, 5, 8, 3, 3, 1, 1, 1, 1, "S", True, True, -128, 127),
    (1, 8, 8, 3, 8, 3, 3, 2, 2, 1, 1, "S", True, True, -128, 20),
    (1, 11, 9, 17, 1, 5, 3, 2, 2, 1, 1, "V", True, False, -50, 50),
    (1, 10, 3, 2, 3, 3, 1, 2, 1, 3, 1, "S", True, True, -128, 127),
    (1, 25, 5, 8, 1, 10, 4, 1, 1, 1, 1, "S", True, True, -128, 127),
]

for i, c in enumerate(CASES):
    n, h, w, cin, dm, kh, kw, sh, sw, dh, dw, mode, pc, has_bias, lo, hi = c
    cout = cin * dm
    oh, pt = geometry(h, kh, sh, dh, mode)
    ow, pl = geometry(w, kw, sw, dw, mode)
    in_off = rand_ints(1, 20 * i + 6, -127, 128)[0]
    out_off = rand_ints(1, 20 * i + 7, -128, 127)[0]
    params = array("i", [n, h, w, cin, oh, ow, cout, kh, kw, sh, sw, dh, dw, pt, pl,
                         in_off, out_off, lo, hi, dm])
    x = rand_bytes(n * h * w * cin, 20 * i + 1)
    wt = rand_bytes(kh * kw * cout, 20 * i + 2, -127, 127)
    bias = array("i", rand_ints(cout, 20 * i + 3, -(1 << 13), 1 << 13)) if has_bias else None
    nch = cout if pc else 1
    sbits = 4 if kh * kw > 8 else 2
    mult = array("i", rand_ints(nch, 20 * i + 4, 1 << 30, (1 << 31) - 1))
    shift = array("i", rand_ints(nch, 20 * i + 5, -(8 + sbits), -(6 + sbits)))
    y = bytearray(n * oh * ow * cout)
    k.depthwise_conv2d_s8(x, wt, bias, y, params, mult, shift)
    print("dwconv", i, oh, ow, pt, pl, hex(fnv1a(y)))

# Raw params: windows entirely in the padding (bias only) and outputs past the input.
params = array("i", [1, 4, 4, 3, 6, 3, 6, 2, 2, 1, 2, 1, 1, 3, 1, -5, 3, -128, 127, 2])
x = rand_bytes(48, 901)
wt = rand_bytes(2 * 2 * 6, 902, -127, 127)
bias = array("i", rand_ints(6, 903, -3000, 3000))
y = bytearray(6 * 3 * 6)
k.depthwise_conv2d_s8(x, wt, bias, y, params, array("i", [1 << 30]), array("i", [-3]))
print("dwconv raw", hex(fnv1a(y)))

# Bad arguments raise ValueError/TypeError naming the argument.
P = [1, 3, 3, 2, 3, 3, 4, 3, 3, 1, 1, 1, 1, 1, 1, 0, 0, -128, 127, 2]


def with_p(idx, v):
    q = list(P)
    q[idx] = v
    return array("i", q)


x = bytearray(18)
wt = bytearray(36)
y = bytearray(36)
one = array("i", [1 << 30])
zero = array("i", [0])
ok = array("i", P)
BAD = [
    ("params", (x, wt, None, y, array("i", P[:-1]), one, zero)),
    ("params", (x, wt, None, y, with_p(19, 3), one, zero)),
    ("params", (x, wt, None, y, with_p(19, 0), one, zero)),
    ("params", (x, wt, None, y, with_p(11, 256), one, zero)),
    ("params", (x, wt, None, y, with_p(13, -1), one, zero)),
    ("input", (bytearray(19), wt, None, y, ok, one, zero)),
    ("weights", (x, bytearray(72), None, y, ok, one, zero)),
    ("bias", (x, wt, array("i", [0] * 2), y, ok, one, zero)),
    ("output", (x, wt, None, bytearray(18), ok, one, zero)),
    ("multiplier", (x, wt, None, y, ok, array("i", [-1]), zero)),
    ("shift", (x, wt, None, y, ok, array("i", [1, 2, 3, 4]), array("i", [0]))),
]
for name, args in BAD:
    try:
        k.depthwise_conv2d_s8(*args)
        print("no error for", name)
    except (ValueError, TypeError) as e:
        print(name, type(e).__name__, name in str(e))
