# transpose_conv_s8 (optimized) against transpose_conv_s8_ref (plain C, TFLite Micro's loop
# order) on random data: in_c 1..17 and past the 256-feature chunk of the DSP path, out_c off
# the 2/4-row steps, strides below, equal to and above the kernel, paddings, batches, shifts
# with left shifts and a bias beyond the fast requantization bound.
from array import array

import micronn
from micronn.testdata import fnv1a, rand_bytes, rand_ints

k = micronn.kernels

CASES = []
for i in range(24):
    r = rand_ints(10, 7000 + i, 0, 1 << 20)
    in_c = 1 + r[0] % 17 if i % 4 else 250 + r[0] % 20
    CASES.append((1 + (r[1] % 5 == 0), 1 + r[2] % 4, 1 + r[3] % 4, in_c, 1 + r[4] % 13,
                  1 + r[5] % 4, 1 + r[6] % 3, 1 + r[7] % 3, r[8], r[9] % 3))
CASES += [(1, 3, 3, 600, 5, 3, 2, 2, 11, 0), (1, 2, 2, 16, 300, 4, 2, 1, 12, 1)]

for i, (n, h, w, c, oc, kk, sh, sw, pr, act) in enumerate(CASES):
    kh, kw = kk, 1 + (kk + i) % 4
    pt, pl = pr % kh, (pr >> 3) % kw
    oh, ow = (h - 1) * sh + kh - pt - (pr >> 5) % 2, (w - 1) * sw + kw - pl
    if oh < 1:
        oh = 1
    lo, hi = ((-128, 127), (-20, 127), (-100, 60))[act]
    in_off = rand_ints(1, 10 * i + 6, -127, 128)[0]
    out_off = rand_ints(1, 10 * i + 7, -128, 127)[0]
    p = array("i", [n, h, w, c, oh, ow, oc, kh, kw, sh, sw, pt, pl, in_off, out_off, lo, hi, 0])
    x = rand_bytes(n * h * w * c, 10 * i + 1)
    wt = rand_bytes(kh * kw * oc * c, 10 * i + 2, -127, 127)
    bias = array("i", rand_ints(oc, 10 * i + 3, -(1 << 16), 1 << 16))
    if i == 5:
        bias[0] = 1 << 30  # beyond the fast requantization bound: that channel takes the exact path
    mult = array("i", rand_ints(oc, 10 * i + 4, 1 << 30, (1 << 31) - 1))
    shift = array("i", rand_ints(oc, 10 * i + 5, -12, -4) if i % 5 else rand_ints(oc, 10 * i + 5, -1, 2))
    y = bytearray(n * oh * ow * oc)
    y_ref = bytearray(len(y))
    scratch = array("i", [0] * (oh * ow * oc))
    k.transpose_conv_s8(x, wt, bias, y, p, mult, shift, scratch)
    k.transpose_conv_s8_ref(x, wt, bias, y_ref, p, mult, shift, scratch)
    print("tconv", i, n, h, w, c, oc, kh, kw, sh, sw, hex(fnv1a(y)), hex(fnv1a(y_ref)), y == y_ref)
