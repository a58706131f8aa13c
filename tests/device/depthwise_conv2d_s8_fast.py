# depthwise_conv2d_s8 (optimized) against depthwise_conv2d_s8_ref (plain C) on random data
# and shapes that hit every tail: channels 1..17, depth multipliers 1..8, 1x1 spatial, 3x3
# (the unrolled path) with padding on every side, stride 2 on odd sizes, 10x4, dilation.
# Prints the hashes of both outputs and whether they are equal.
from array import array

import micronn
from micronn.testdata import fnv1a, rand_bytes, rand_ints

k = micronn.kernels


def geometry(size, kernel, stride, dil, mode):
    eff = (kernel - 1) * dil + 1
    out = (size + stride - 1) // stride if mode == "S" else (size + stride - eff) // stride
    return out, max(0, (out - 1) * stride + eff - size) // 2


def case(i):
    r = rand_ints(16, 8000 + i, 0, 1 << 20)
    cin = 1 + r[0] % 17
    dm = 1 if r[1] % 3 else (2, 3, 8)[r[1] % 9 // 3]
    kh, kw = (3, 3) if r[2] % 2 else (1 + r[2] % 5, 1 + r[3] % 4)
    sh, sw = 1 + r[4] % 2, 1 + r[5] % 2
    dh, dw = (1 + r[6] % 2, 1 + r[7] % 2) if r[8] % 4 == 0 else (1, 1)
    mode = "S" if r[9] % 3 else "V"
    h = max(1 + r[10] % 9, (kh - 1) * dh + 1)
    w = max(1 + r[11] % 9, (kw - 1) * dw + 1)
    return (1 + (r[12] % 5 == 0), h, w, cin, dm, kh, kw, sh, sw, dh, dw, mode, r[13] % 3 != 0,
            r[14] % 4 != 0, r[15] % 3)


CASES = [case(i) for i in range(40)] + [
    (1, 9, 7, 16, 1, 3, 3, 1, 1, 1, 1, "S", True, True, 0),
    (1, 9, 9, 12, 1, 3, 3, 2, 2, 1, 1, "S", True, True, 1),
    (1, 25, 5, 8, 1, 10, 4, 1, 1, 1, 1, "S", True, True, 0),
    (1, 12, 10, 1, 8, 10, 4, 2, 1, 1, 1, "S", True, True, 0),
    (1, 1, 1, 17, 1, 3, 3, 1, 1, 1, 1, "S", True, True, 2),
    (1, 6, 6, 5, 4, 3, 3, 1, 1, 1, 1, "S", False, True, 0),
    # the unix firmware's host path: 16 + 8 + 1 channels, 2 x 16 + 8 with dilation and stride 2
    (1, 7, 6, 25, 1, 3, 3, 1, 1, 1, 1, "S", True, True, 1),
    (2, 9, 8, 40, 1, 3, 3, 2, 2, 2, 1, "S", True, False, 0),
    (1, 5, 5, 16, 1, 5, 5, 1, 1, 1, 1, "S", False, True, 2),
]
# 3x3, depth multiplier 1, channels a multiple of 4 (on Cortex-M3: runs of inside windows two
# pixels at a time): odd and even run lengths, stride 2, dilation, batches, clamps, no bias, a
# per-tensor shift, the input offset at both ends. Extra field: in_off.
CASES += [
    (1, 8, 9, 8, 1, 3, 3, 1, 1, 1, 1, "S", True, True, 0, 128),
    (1, 7, 8, 4, 1, 3, 3, 1, 1, 1, 1, "V", True, True, 1, -127),
    (2, 9, 10, 12, 1, 3, 3, 2, 2, 1, 1, "S", True, True, 2, 3),
    (1, 10, 11, 4, 1, 3, 3, 1, 2, 2, 2, "S", True, True, 0, -60),
    (1, 6, 12, 16, 1, 3, 3, 1, 1, 1, 1, "V", True, False, 0, 128),
    (1, 5, 4, 8, 1, 3, 3, 1, 1, 1, 2, "S", False, True, 0, 0),
    (1, 11, 7, 20, 1, 3, 3, 1, 1, 2, 1, "S", True, True, 1, -127),
]

for i, c in enumerate(CASES):
    n, h, w, cin, dm, kh, kw, sh, sw, dh, dw, mode, pc, has_bias, act = c[:15]
    cout = cin * dm
    oh, pt = geometry(h, kh, sh, dh, mode)
    ow, pl = geometry(w, kw, sw, dw, mode)
    lo, hi = ((-128, 127), (-5, 127), (-100, 60))[act]
    in_off = rand_ints(1, 20 * i + 6, -127, 128)[0] if len(c) == 15 else c[15]
    out_off = rand_ints(1, 20 * i + 7, -128, 127)[0]
    params = array("i", [n, h, w, cin, oh, ow, cout, kh, kw, sh, sw, dh, dw, pt, pl,
                         in_off, out_off, lo, hi, dm])
    x = rand_bytes(n * h * w * cin, 20 * i + 1)
    wt = rand_bytes(kh * kw * cout, 20 * i + 2, -128, 127)
    bias = array("i", rand_ints(cout, 20 * i + 3, -(1 << 13), 1 << 13)) if has_bias else None
    if i == 5 and bias is not None:
        bias[0] = -(1 << 30)  # beyond the fast requantization bound: that channel takes the exact path
    nch = cout if pc else 1
    sbits = 4 if kh * kw > 8 else 2
    mult = array("i", rand_ints(nch, 20 * i + 4, 1 << 30, (1 << 31) - 1))
    smin, smax = (-(8 + sbits), -(6 + sbits)) if i % 5 else (-2, 1)
    shift = array("i", rand_ints(nch, 20 * i + 5, smin, smax))
    y = bytearray(n * oh * ow * cout)
    y_ref = bytearray(n * oh * ow * cout)
    if i % 2:
        k.depthwise_conv2d_s8(x, wt, bias, y, params, mult, shift,
                              bytearray(k.depthwise_conv2d_s8_scratch_size(params)))
    else:
        k.depthwise_conv2d_s8(x, wt, bias, y, params, mult, shift)
    k.depthwise_conv2d_s8_ref(x, wt, bias, y_ref, params, mult, shift)
    print("dwconv", i, hex(fnv1a(y)), hex(fnv1a(y_ref)), y == y_ref)

# Raw params: windows entirely in the padding (bias only) and outputs past the input.
params = array("i", [1, 4, 4, 3, 6, 3, 6, 2, 2, 1, 2, 1, 1, 3, 1, -5, 3, -128, 127, 2])
x = rand_bytes(48, 901)
wt = rand_bytes(2 * 2 * 6, 902, -127, 127)
bias = array("i", rand_ints(6, 903, -3000, 3000))
y = bytearray(6 * 3 * 6)
y_ref = bytearray(6 * 3 * 6)
k.depthwise_conv2d_s8(x, wt, bias, y, params, array("i", [1 << 30]), array("i", [-5]))
k.depthwise_conv2d_s8_ref(x, wt, bias, y_ref, params, array("i", [1 << 30]), array("i", [-5]))
print("dwconv raw", hex(fnv1a(y)), y == y_ref)
