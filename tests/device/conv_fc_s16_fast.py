# conv2d_s16 and fully_connected_s16 (optimized: SMLALD on ARMv7E-M) against their plain C
# references (TFLite Micro's loop order) on random data: channels and features off the 4-element
# steps and past the 256-element chunks, odd output channels and rows, row blocks,
# strides, dilations, paddings, batches, the int64 and the int32 path (acc64 1 / 0), biases past
# int32, shifts with left shifts, fused ranges.
from array import array

import micronn
from micronn.testdata import fnv1a, rand_ints

k = micronn.kernels


def bias64(values):
    # int64 little-endian from int32 values: the value, then its sign word
    w = array("i")
    for v in values:
        w.append(v)
        w.append(-1 if v < 0 else 0)
    return bytearray(w)


def hi_bias(values, hi):
    # values + hi * 2^32 (past int32)
    w = array("i")
    for v in values:
        w.append(v)
        w.append(hi)
    return bytearray(w)


def quant(n, seed, acc64):
    mult = array("i", rand_ints(n, seed, 1 << 30, (1 << 31) - 1))
    shift = array("i", rand_ints(n, seed + 1, -14, -6) if acc64 or seed % 3 else rand_ints(n, seed + 1, -1, 2))
    return mult, shift


for i in range(20):
    r = rand_ints(12, 9000 + i, 0, 1 << 20)
    n = 1 + (r[0] % 4 == 0)
    h, w = 1 + r[1] % 7, 1 + r[2] % 7
    c = 1 + r[3] % 17 if i % 5 else 250 + r[3] % 20
    oc = 1 + r[4] % 9
    kh, kw = 1 + r[5] % 3, 1 + r[6] % 3
    sh, sw = 1 + r[7] % 2, 1 + r[8] % 3
    dh, dw = 1 + (i % 4 == 1), 1 + (i % 3 == 2)
    pt, pl = r[9] % kh, r[10] % kw
    oh = max(1, (h + pt - (kh - 1) * dh - 1) // sh + 1 + r[11] % 2)
    ow = max(1, (w + pl - (kw - 1) * dw - 1) // sw + 1)
    acc64 = i % 4 != 3
    lo, hi = ((-32768, 32767), (0, 32767), (-1000, 20000))[i % 3]
    p = array("i", [n, h, w, c, oh, ow, oc, kh, kw, sh, sw, dh, dw, pt, pl, lo, hi, acc64])
    x = array("h", rand_ints(n * h * w * c, 100 * i + 1, -32768, 32767))
    wt = bytearray(array("b", rand_ints(oc * kh * kw * c, 100 * i + 2, -127, 127)))
    bv = rand_ints(oc, 100 * i + 3, -(1 << 24), 1 << 24)
    bias = None if i % 7 == 6 else (hi_bias(bv, 3 - i % 5) if i % 6 == 1 else bias64(bv))
    mult, shift = quant(oc, 100 * i + 4, acc64)
    y = bytearray(2 * n * oh * ow * oc)
    y_ref = bytearray(len(y))
    k.conv2d_s16(x, wt, bias, y, p, mult, shift)
    k.conv2d_s16_ref(x, wt, bias, y_ref, p, mult, shift)
    print("conv16", i, n, h, w, c, oc, kh, kw, dh, dw, acc64, hex(fnv1a(y)), y == y_ref)

for i in range(16):
    r = rand_ints(4, 9500 + i, 0, 1 << 20)
    b = 1 + r[0] % 3
    nf = (1, 2, 3, 4, 5, 7, 8, 15, 17, 33, 255, 256, 257, 600, 1025, 31)[i]
    of = 1 + r[1] % 9 if i % 4 else 15 + r[1] % 26  # and past the DSP path's 16-row blocks
    acc64 = i % 3 != 2
    lo, hi = ((-32768, 32767), (0, 32767), (-3000, 3000))[i % 3]
    p = array("i", [b, nf, of, lo, hi, acc64])
    x = array("h", rand_ints(b * nf, 200 * i + 1, -32768, 32767))
    if i == 9:
        x = array("h", [-32768] * (b * nf))  # every product at its largest magnitude
    wt = bytearray(array("b", rand_ints(of * nf, 200 * i + 2, -127, 127)))
    if i == 9:
        wt = bytearray(array("b", [-127] * (of * nf)))
    bv = rand_ints(of, 200 * i + 3, -(1 << 24), 1 << 24)
    bias = None if i % 5 == 4 else (hi_bias(bv, -2) if i % 4 == 1 else bias64(bv))
    mult, shift = quant(of, 200 * i + 4, acc64)
    y = bytearray(2 * b * of)
    y_ref = bytearray(len(y))
    k.fully_connected_s16(x, wt, bias, y, p, mult, shift)
    k.fully_connected_s16_ref(x, wt, bias, y_ref, p, mult, shift)
    print("fc16", i, b, nf, of, acc64, hex(fnv1a(y)), y == y_ref)
