# conv2d_s8 (optimized) against conv2d_s8_ref (plain C) on random data and random shapes
# that hit every tail: channels 1..17, 1x1 spatial, odd sizes with stride 2, padding on
# every side, dilation, left shifts and shift 0, a bias beyond the fast requantization bound.
# Prints the hashes of both outputs and whether they are equal.
from array import array

import micronn
from micronn.testdata import fnv1a, rand_bytes, rand_ints

k = micronn.kernels


def geometry(size, kernel, stride, dil, mode):
    eff = (kernel - 1) * dil + 1
    out = (size + stride - 1) // stride if mode == "S" else (size + stride - eff) // stride
    return out, max(0, (out - 1) * stride + eff - size) // 2


def bits(n):
    b = 0
    while (1 << b) < n:
        b += 1
    return b


def case(i):
    r = rand_ints(16, 7000 + i, 0, 1 << 20)
    cin = 1 + r[0] % 17
    cout = 1 + r[1] % 17
    kh = 1 + r[2] % 4
    kw = 1 + r[3] % 4
    sh, sw = 1 + r[4] % 2, 1 + r[5] % 2
    dh, dw = (1 + r[6] % 2, 1 + r[7] % 2) if r[8] % 4 == 0 else (1, 1)
    mode = "S" if r[9] % 3 else "V"
    h = max(1 + r[10] % 9, (kh - 1) * dh + 1)
    w = max(1 + r[11] % 9, (kw - 1) * dw + 1)
    return (1 + (r[12] % 5 == 0), h, w, cin, cout, kh, kw, sh, sw, dh, dw, mode, r[13] % 3 != 0,
            r[14] % 4 != 0, r[15] % 3)


CASES = [case(i) for i in range(40)] + [
    # model-like shapes: first layer C_in 1 and 3, 1x1, 10x4 s2, 3x3 s2 on odd sizes
    (1, 9, 9, 3, 8, 3, 3, 2, 2, 1, 1, "S", True, True, 0),
    (1, 7, 6, 3, 16, 3, 3, 1, 1, 1, 1, "S", True, True, 1),
    (1, 13, 6, 1, 16, 10, 4, 2, 2, 1, 1, "S", True, True, 1),
    (1, 5, 5, 16, 17, 1, 1, 1, 1, 1, 1, "V", True, True, 0),
    (1, 1, 1, 17, 3, 1, 1, 1, 1, 1, 1, "V", False, False, 2),
    (1, 7, 7, 8, 9, 3, 3, 2, 2, 1, 1, "S", True, True, 0),
    # the unix firmware's host path: windows read in place (1x1 with K = 40: two 16-value steps
    # and a tail of 8; full-width kernels on valid padding), stride 2 1x1, 4-pixel tails
    (1, 5, 5, 40, 9, 1, 1, 1, 1, 1, 1, "V", True, True, 1),
    (1, 6, 4, 3, 5, 3, 4, 1, 1, 1, 1, "V", True, True, 0),
    (2, 7, 5, 33, 3, 1, 1, 2, 2, 1, 1, "V", False, True, 2),
    (1, 9, 1, 7, 6, 4, 1, 1, 1, 2, 1, "S", True, True, 0),
]
# Cortex-M3 path (3 pixels x 2 channels; taps in steps of 8, 4 and 1): K = 1..13, 16, 17, 20,
# 27, 40 and 576 (past one 512-weight chunk of the weight sums), pixel counts with every
# remainder mod 3, odd out_c, the input offset at both ends (padding bytes 127 and -128), and
# a right shift of 21 (not folded with the output offset). Extra fields: in_off, shift.
CASES += [
    (1, 5, 5, 1, 3, 1, 1, 1, 1, 1, 1, "V", True, True, 0, -127, None),
    (1, 2, 3, 2, 2, 1, 1, 1, 1, 1, 1, "V", True, True, 1, 128, None),
    (1, 4, 1, 3, 5, 1, 1, 1, 1, 1, 1, "V", True, False, 0, 128, None),
    (1, 5, 1, 4, 1, 1, 1, 1, 1, 1, 1, "V", False, True, 2, -127, None),
    (2, 3, 3, 5, 4, 1, 1, 1, 1, 1, 1, "V", True, True, 0, 0, None),
    (1, 4, 4, 6, 7, 1, 1, 2, 2, 1, 1, "S", True, True, 0, 17, None),
    (1, 5, 4, 7, 2, 1, 1, 1, 1, 1, 1, "V", True, True, 1, -3, None),
    (1, 4, 5, 8, 6, 1, 1, 1, 1, 1, 1, "V", True, True, 0, 128, None),
    (1, 6, 5, 1, 3, 3, 3, 1, 1, 1, 1, "S", True, True, 0, 128, None),
    (1, 5, 6, 5, 4, 1, 2, 1, 1, 1, 1, "S", True, True, 0, -127, None),
    (1, 6, 6, 11, 3, 1, 1, 1, 1, 1, 1, "V", True, True, 2, 5, None),
    (1, 7, 7, 3, 4, 2, 2, 2, 1, 1, 2, "S", True, True, 0, 128, None),
    (1, 3, 3, 13, 2, 1, 1, 1, 1, 1, 1, "V", False, True, 0, -127, None),
    (1, 8, 8, 4, 5, 2, 2, 1, 1, 2, 2, "S", True, True, 0, 60, None),
    (1, 5, 5, 17, 3, 1, 1, 1, 1, 1, 1, "V", True, True, 1, -60, None),
    (1, 6, 7, 5, 2, 2, 2, 2, 2, 1, 1, "S", True, True, 0, 128, None),
    (1, 9, 9, 3, 8, 3, 3, 2, 2, 1, 1, "S", True, True, 0, -127, None),
    (1, 11, 6, 1, 5, 10, 4, 2, 2, 1, 1, "S", True, True, 0, 128, None),
    (1, 4, 4, 64, 3, 3, 3, 1, 1, 1, 1, "S", True, True, 0, 128, None),
    (1, 5, 4, 8, 4, 1, 1, 1, 1, 1, 1, "V", True, True, 0, -5, -21),
    (1, 5, 3, 9, 4, 1, 1, 1, 1, 1, 1, "V", False, True, 2, 100, -21),
    (1, 9, 8, 4, 3, 3, 2, 1, 1, 2, 1, "S", True, True, 0, 128, None),
    (1, 8, 9, 8, 5, 3, 3, 2, 1, 1, 1, "S", True, True, 1, -127, None),
    # fused requantization without clamp, K >= 8: the assembly channel loop, with a group of 4
    # taps after the blocks of 8, 1..3 last taps and an odd last channel
    (1, 6, 5, 12, 7, 1, 1, 1, 1, 1, 1, "V", True, True, 0, 9, None),
    (1, 5, 5, 4, 4, 3, 3, 1, 1, 1, 1, "S", True, True, 0, -100, None),
    (1, 5, 5, 4, 5, 3, 3, 1, 1, 1, 1, "S", True, True, 0, 128, None),
    (1, 4, 7, 8, 3, 1, 1, 1, 1, 1, 1, "V", True, True, 0, -127, None),
    (1, 5, 4, 9, 4, 1, 1, 1, 1, 1, 1, "V", True, True, 0, 33, None),
    (1, 4, 5, 14, 5, 1, 1, 1, 1, 1, 1, "V", True, True, 0, -90, None),
    (1, 3, 3, 14, 2, 1, 1, 1, 1, 1, 1, "V", True, True, 0, 1, None),
    (1, 6, 4, 11, 6, 1, 1, 1, 1, 1, 1, "V", True, True, 0, 128, None),
]

for i, c in enumerate(CASES):
    n, h, w, cin, cout, kh, kw, sh, sw, dh, dw, mode, pc, has_bias, act = c[:15]
    oh, pt = geometry(h, kh, sh, dh, mode)
    ow, pl = geometry(w, kw, sw, dw, mode)
    lo, hi = ((-128, 127), (-5, 127), (-100, 60))[act]
    in_off = rand_ints(1, 20 * i + 6, -127, 128)[0] if len(c) == 15 else c[15]
    out_off = rand_ints(1, 20 * i + 7, -128, 127)[0]
    params = array("i", [n, h, w, cin, oh, ow, cout, kh, kw, sh, sw, dh, dw, pt, pl,
                         in_off, out_off, lo, hi])
    x = rand_bytes(n * h * w * cin, 20 * i + 1)
    wt = rand_bytes(cout * kh * kw * cin, 20 * i + 2, -128, 127)
    bias = array("i", rand_ints(cout, 20 * i + 3, -(1 << 14), 1 << 14)) if has_bias else None
    if i in (7, 53) and bias is not None:
        bias[0] = (1 << 30)  # beyond the fast requantization bound: that channel takes the exact path
    nch = cout if pc else 1
    b = bits(kh * kw * cin)
    mult = array("i", rand_ints(nch, 20 * i + 4, 1 << 30, (1 << 31) - 1))
    # mostly right shifts; some cases with shift 0 and small left shifts
    smin, smax = (-(9 + b // 2), -(6 + b // 2)) if i % 5 else (-2, 1)
    shift = array("i", rand_ints(nch, 20 * i + 5, smin, smax))
    if len(c) > 15 and c[16] is not None:
        shift[0] = c[16]
    y = bytearray(n * oh * ow * cout)
    y_ref = bytearray(n * oh * ow * cout)
    if i % 2:
        k.conv2d_s8(x, wt, bias, y, params, mult, shift, bytearray(k.conv2d_s8_scratch_size(params)))
    else:
        k.conv2d_s8(x, wt, bias, y, params, mult, shift)
    k.conv2d_s8_ref(x, wt, bias, y_ref, params, mult, shift)
    print("conv", i, hex(fnv1a(y)), hex(fnv1a(y_ref)), y == y_ref)

# Weights at an odd address (the Cortex-M3 path reads them four at a time for their sums).
params = array("i", [1, 5, 5, 9, 5, 5, 5, 1, 1, 1, 1, 1, 1, 0, 0, 7, 3, -128, 127])
x = rand_bytes(225, 911)
wt = rand_bytes(1 + 45, 912, -128, 127)
bias = array("i", rand_ints(5, 913, -3000, 3000))
m, sh = array("i", rand_ints(5, 914, 1 << 30, (1 << 31) - 1)), array("i", [-7, -8, -6, -7, -9])
y = bytearray(125)
y_ref = bytearray(125)
k.conv2d_s8(x, memoryview(wt)[1:], bias, y, params, m, sh, bytearray(k.conv2d_s8_scratch_size(params)))
k.conv2d_s8_ref(x, memoryview(wt)[1:], bias, y_ref, params, m, sh)
print("conv odd weights", hex(fnv1a(y)), y == y_ref)

# Raw params: windows entirely in the padding (bias only) and outputs past the input.
params = array("i", [1, 4, 4, 3, 6, 3, 5, 2, 2, 1, 2, 1, 1, 3, 1, -5, 3, -128, 127])
x = rand_bytes(48, 901)
wt = rand_bytes(5 * 2 * 2 * 3, 902, -127, 127)
bias = array("i", rand_ints(5, 903, -3000, 3000))
y = bytearray(6 * 3 * 5)
y_ref = bytearray(6 * 3 * 5)
k.conv2d_s8(x, wt, bias, y, params, array("i", [1 << 30]), array("i", [-5]))
k.conv2d_s8_ref(x, wt, bias, y_ref, params, array("i", [1 << 30]), array("i", [-5]))
print("conv raw", hex(fnv1a(y)), y == y_ref)

# A scratch buffer too small is an error naming it.
params = array("i", [1, 3, 3, 2, 3, 3, 4, 3, 3, 1, 1, 1, 1, 1, 1, 0, 0, -128, 127])
try:
    k.conv2d_s8(bytearray(18), bytearray(72), None, bytearray(36), params, array("i", [1 << 30]),
                array("i", [0]), bytearray(4))
    print("no error for scratch")
except ValueError as e:
    print("scratch", "scratch" in str(e))
