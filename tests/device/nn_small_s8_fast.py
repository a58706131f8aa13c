# CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED int8: the optimized kernels against their plain
# C references on small shapes, few enough to run in the RP2040 emulator (the *_s8_fast.py
# scripts of each op are too long there). The conv cases aim at the Cortex-M0+ path (3 pixels x
# 2 channels, taps in steps of 4 then 1 by 1): K = 1..9, 12, 27, 40, 64; pixel counts with every
# remainder mod 3; odd out_c; in_off at both ends (padding bytes 0 and 255 in its unsigned
# columns) and between; per-tensor and per-channel; a right shift of 21 (not folded with the
# output offset); a bias beyond the fast requantization bound; padding, stride, dilation, batches.
# Prints the hashes of both outputs and whether they are equal.
from array import array

import micronn
from micronn.testdata import fnv1a, rand_bytes, rand_ints

k = micronn.kernels


def geometry(size, kernel, stride, dil, mode):
    eff = (kernel - 1) * dil + 1
    out = (size + stride - 1) // stride if mode == "S" else (size + stride - eff) // stride
    return out, max(0, (out - 1) * stride + eff - size) // 2


# n, h, w, cin, cout, kh, kw, sh, sw, dh, dw, mode, per_channel, bias, act, in_off, shift0
CONV = [
    (1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "V", True, True, 0, 128, None),
    (1, 2, 2, 2, 3, 1, 1, 1, 1, 1, 1, "V", True, False, 1, -127, None),
    (1, 3, 1, 3, 2, 1, 1, 1, 1, 1, 1, "V", False, True, 0, 0, None),
    (1, 4, 2, 4, 5, 1, 1, 1, 1, 1, 1, "V", True, True, 2, 128, None),
    (1, 5, 1, 5, 4, 1, 1, 1, 1, 1, 1, "V", True, True, 0, -127, None),
    (2, 3, 3, 6, 3, 1, 1, 2, 2, 1, 1, "S", True, True, 0, 17, None),
    (1, 4, 4, 7, 2, 1, 1, 1, 1, 1, 1, "V", True, True, 1, -60, -21),
    (1, 3, 5, 8, 7, 1, 1, 1, 1, 1, 1, "V", True, True, 0, 128, None),
    (1, 4, 3, 9, 1, 1, 1, 1, 1, 1, 1, "V", False, True, 0, 5, None),
    (1, 5, 5, 3, 4, 2, 2, 1, 1, 1, 1, "S", True, True, 0, -127, None),
    (1, 6, 6, 3, 5, 3, 3, 2, 2, 1, 1, "S", True, True, 2, 128, None),
    (1, 7, 6, 2, 3, 3, 3, 1, 1, 2, 2, "S", True, True, 0, -3, None),
    (1, 11, 6, 1, 5, 10, 4, 2, 2, 1, 1, "S", True, True, 0, 128, None),
    (1, 3, 4, 64, 3, 1, 1, 1, 1, 1, 1, "V", True, True, 0, -127, None),
    (1, 5, 4, 4, 6, 3, 3, 1, 2, 1, 1, "S", True, True, 1, 100, None),
    (1, 6, 5, 12, 7, 1, 1, 1, 1, 1, 1, "V", True, True, 0, 9, -21),
    (1, 8, 5, 2, 4, 3, 2, 1, 1, 3, 1, "V", True, True, 0, 17, None),  # dilation along y only
    (1, 7, 6, 3, 3, 3, 3, 1, 2, 2, 1, "S", True, True, 1, -127, None),
]

for i, c in enumerate(CONV):
    n, h, w, cin, cout, kh, kw, sh, sw, dh, dw, mode, pc, has_bias, act, in_off, sh0 = c
    oh, pt = geometry(h, kh, sh, dh, mode)
    ow, pl = geometry(w, kw, sw, dw, mode)
    lo, hi = ((-128, 127), (-5, 127), (-100, 60))[act]
    out_off = rand_ints(1, 30 * i + 7, -128, 127)[0]
    params = array("i", [n, h, w, cin, oh, ow, cout, kh, kw, sh, sw, dh, dw, pt, pl,
                         in_off, out_off, lo, hi])
    x = rand_bytes(n * h * w * cin, 30 * i + 1)
    wt = rand_bytes(cout * kh * kw * cin, 30 * i + 2, -128, 127)
    bias = array("i", rand_ints(cout, 30 * i + 3, -(1 << 14), 1 << 14)) if has_bias else None
    if i in (4, 13) and bias is not None:
        bias[0] = (1 << 30)  # beyond the fast requantization bound: that channel takes the exact path
    nch = cout if pc else 1
    K = kh * kw * cin
    b = 0
    while (1 << b) < K:
        b += 1
    mult = array("i", rand_ints(nch, 30 * i + 4, 1 << 30, (1 << 31) - 1))
    smin, smax = (-(9 + b // 2), -(6 + b // 2)) if i % 5 else (-2, 1)
    shift = array("i", rand_ints(nch, 30 * i + 5, smin, smax))
    if sh0 is not None:
        shift[0] = sh0
    y = bytearray(n * oh * ow * cout)
    y_ref = bytearray(n * oh * ow * cout)
    k.conv2d_s8(x, wt, bias, y, params, mult, shift, bytearray(k.conv2d_s8_scratch_size(params)))
    k.conv2d_s8_ref(x, wt, bias, y_ref, params, mult, shift)
    print("conv", i, hex(fnv1a(y)), y == y_ref)

# n, h, w, cin, depth_mult, kh, kw, sh, sw, dh, dw, mode, per_channel, bias, act, in_off
DW = [
    (1, 5, 4, 8, 1, 3, 3, 1, 1, 1, 1, "S", True, True, 0, 128),
    (1, 6, 5, 5, 1, 3, 3, 2, 2, 1, 1, "S", True, True, 1, -127),
    (1, 5, 5, 3, 2, 2, 2, 1, 1, 2, 1, "S", False, True, 0, 7),
    (2, 4, 6, 4, 1, 3, 3, 1, 1, 1, 1, "V", True, False, 2, -3),
    (1, 7, 3, 1, 3, 3, 1, 1, 1, 1, 1, "S", True, True, 0, 60),
]

for i, c in enumerate(DW):
    n, h, w, cin, dm, kh, kw, sh, sw, dh, dw, mode, pc, has_bias, act, in_off = c
    cout = cin * dm
    oh, pt = geometry(h, kh, sh, dh, mode)
    ow, pl = geometry(w, kw, sw, dw, mode)
    lo, hi = ((-128, 127), (-5, 127), (-100, 60))[act]
    out_off = rand_ints(1, 30 * i + 17, -128, 127)[0]
    params = array("i", [n, h, w, cin, oh, ow, cout, kh, kw, sh, sw, dh, dw, pt, pl,
                         in_off, out_off, lo, hi, dm])
    x = rand_bytes(n * h * w * cin, 30 * i + 11)
    wt = rand_bytes(kh * kw * cout, 30 * i + 12, -128, 127)
    bias = array("i", rand_ints(cout, 30 * i + 13, -(1 << 13), 1 << 13)) if has_bias else None
    if i == 1:
        bias[0] = -(1 << 30)  # the exact path for that channel
    nch = cout if pc else 1
    mult = array("i", rand_ints(nch, 30 * i + 14, 1 << 30, (1 << 31) - 1))
    shift = array("i", rand_ints(nch, 30 * i + 15, -12, -9))
    y = bytearray(n * oh * ow * cout)
    y_ref = bytearray(n * oh * ow * cout)
    k.depthwise_conv2d_s8(x, wt, bias, y, params, mult, shift,
                          bytearray(k.depthwise_conv2d_s8_scratch_size(params)))
    k.depthwise_conv2d_s8_ref(x, wt, bias, y_ref, params, mult, shift)
    print("dwconv", i, hex(fnv1a(y)), y == y_ref)

# batches, in, out, per_channel, in_off, shift
FC = [(1, 1, 1, True, 128, -8), (2, 7, 5, True, -127, -9), (1, 64, 12, False, 3, -10),
      (3, 33, 9, True, 128, -21), (1, 16, 4, False, -5, 0)]

for i, (nb, fin, fout, pc, in_off, sh0) in enumerate(FC):
    x = rand_bytes(nb * fin, 30 * i + 21)
    w = rand_bytes(fin * fout, 30 * i + 22, -127, 127)
    bias = array("i", rand_ints(fout, 30 * i + 23, -5000, 5000))
    nch = fout if pc else 1
    mult = array("i", rand_ints(nch, 30 * i + 24, 1 << 30, (1 << 31) - 1))
    shift = array("i", [sh0] * nch)
    out_off = rand_ints(1, 30 * i + 25, -128, 127)[0]
    y = bytearray(nb * fout)
    y_ref = bytearray(nb * fout)
    k.fully_connected_s8(x, w, bias, y, fin, fout, in_off, out_off, mult, shift, -128, 127)
    k.fully_connected_s8_ref(x, w, bias, y_ref, fin, fout, in_off, out_off, mult, shift, -128, 127)
    print("fc", i, hex(fnv1a(y)), y == y_ref)
