# fully_connected_s8, conv2d_s8 and depthwise_conv2d_s8 (optimized) against their _ref kernels
# on shapes that hit the tails of the wide (16-lane Helium) paths: features and taps around
# multiples of 16 (15, 16, 17, 33, ...), channels around multiples of 4, 8 and 16, 3x3 depthwise
# runs of odd length with padding, stride 2 and dilation, 1-D (k x 1) and multiplier-8
# depthwise, input offsets at both ends (128, -127), shifts -1..-3 and multiplier 2^30 (rounding
# ties), left shifts, per-channel requantization with channels past the cheap-requantization
# bound (bias 2^30), narrow activation ranges.
from array import array

import micronn
from micronn.testdata import fnv1a, rand_bytes, rand_ints

k = micronn.kernels


def geometry(size, kernel, stride, dil, mode):
    eff = (kernel - 1) * dil + 1
    out = (size + stride - 1) // stride if mode == "S" else (size + stride - eff) // stride
    return out, max(0, (out - 1) * stride + eff - size) // 2


def quant(i, nch, taps, kind):
    # kind 0: usual right shifts; 1: shifts -1..-3, some multipliers 2^30 (ties); 2: left shifts
    mult = array("i", rand_ints(nch, 30 * i + 4, 1 << 30, (1 << 31) - 1))
    if kind == 0:
        b = 0
        while (1 << b) < taps:
            b += 1
        shift = array("i", rand_ints(nch, 30 * i + 5, -(8 + b // 2), -(5 + b // 2)))
    elif kind == 1:
        shift = array("i", rand_ints(nch, 30 * i + 5, -3, -1))
        for c in range(0, nch, 3):
            mult[c] = 1 << 30
    else:
        shift = array("i", rand_ints(nch, 30 * i + 5, -1, 1))
        for c in range(0, nch, 3):
            mult[c] = 1 << 30
    return mult, shift


def offsets(i, small):
    if small:  # small values (with small data below): outputs near zero, many rounding ties
        return rand_ints(1, 30 * i + 6, -3, 3)[0], rand_ints(1, 30 * i + 7, -8, 8)[0]
    in_off = (128, -127, rand_ints(1, 30 * i + 6, -127, 128)[0])[i % 3]
    return in_off, rand_ints(1, 30 * i + 7, -128, 127)[0]


def data(n, seed, small):
    return rand_bytes(n, seed, -3, 3) if small else rand_bytes(n, seed)


ACTS = ((-128, 127), (-5, 127), (-100, 60))

# fully connected: (batches, in, out, per-channel, bias, act, quant kind)
FC = [(1, 15, 5, True, True, 0, 0), (1, 16, 4, True, True, 1, 1), (1, 17, 7, False, True, 0, 0),
      (2, 33, 9, True, False, 2, 2), (1, 47, 3, True, True, 0, 1), (1, 100, 13, True, True, 0, 0),
      (3, 31, 6, False, True, 1, 0), (1, 1, 2, True, True, 0, 2), (1, 256, 17, True, True, 0, 0)]
for i, (nb, fin, fout, pc, hb, act, qk) in enumerate(FC):
    lo, hi = ACTS[act]
    in_off, out_off = offsets(i, qk)
    x = data(nb * fin, 30 * i + 1, qk)
    w = data(fout * fin, 30 * i + 2, qk)
    bm = 64 if qk else 1 << 15
    bias = array("i", rand_ints(fout, 30 * i + 3, -bm, bm)) if hb else None
    if bias is not None and i % 2:
        bias[fout // 2] = 1 << 30
    mult, shift = quant(i, fout if pc else 1, fin, qk)
    y, y_ref = bytearray(nb * fout), bytearray(nb * fout)
    k.fully_connected_s8(x, w, bias, y, fin, fout, in_off, out_off, mult, shift, lo, hi)
    k.fully_connected_s8_ref(x, w, bias, y_ref, fin, fout, in_off, out_off, mult, shift, lo, hi)
    print("fc", i, hex(fnv1a(y_ref)), y == y_ref)

# conv and depthwise: (n, h, w, cin, cout or depth multiplier, kh, kw, stride, dil, mode,
# per-channel, bias, act, quant kind)
CONV = [(1, 5, 5, 16, 16, 1, 1, 1, 1, "V", True, True, 0, 0),
        (1, 4, 5, 17, 15, 1, 1, 1, 1, "V", True, True, 1, 1),
        (1, 6, 6, 15, 33, 1, 1, 2, 1, "V", True, True, 0, 0),
        (1, 7, 5, 8, 16, 3, 3, 1, 1, "S", True, True, 0, 0),
        (1, 7, 7, 3, 8, 3, 3, 2, 1, "S", True, True, 2, 2),
        (1, 9, 6, 16, 5, 3, 3, 1, 2, "S", True, False, 0, 0),
        (2, 6, 7, 1, 31, 5, 3, 2, 1, "S", False, True, 0, 1),
        (1, 3, 3, 40, 3, 3, 3, 1, 1, "S", True, True, 1, 0),
        (1, 8, 3, 2, 1, 4, 1, 1, 1, "V", True, True, 0, 0)]
DW = [(1, 7, 9, 16, 1, 3, 3, 1, 1, "S", True, True, 0, 0),
      (1, 9, 8, 24, 1, 3, 3, 1, 1, "S", True, True, 1, 1),
      (1, 8, 11, 20, 1, 3, 3, 2, 1, "S", True, True, 0, 0),
      (1, 9, 10, 13, 1, 3, 3, 1, 2, "S", True, True, 0, 2),
      (2, 6, 9, 8, 1, 3, 3, 1, 1, "V", False, True, 2, 0),
      (1, 5, 6, 33, 1, 3, 3, 2, 1, "V", True, False, 0, 1),
      (1, 6, 6, 4, 1, 3, 3, 1, 1, "S", True, True, 0, 0),
      (1, 8, 5, 12, 1, 5, 3, 1, 1, "S", True, True, 0, 0),
      (1, 3, 3, 7, 1, 3, 3, 1, 1, "S", True, True, 1, 0),
      (1, 6, 7, 9, 2, 3, 3, 1, 1, "S", True, True, 0, 0),
      (1, 12, 1, 20, 1, 5, 1, 1, 1, "S", True, True, 0, 0),
      (1, 9, 2, 128, 1, 3, 1, 1, 2, "V", True, True, 1, 1),
      (1, 10, 1, 1, 40, 3, 1, 1, 1, "S", True, True, 0, 0)]
for i, c in enumerate(CONV + DW):
    n, h, w, cin, co, kh, kw, s, d, mode, pc, hb, act, qk = c
    dw = i >= len(CONV)
    cout = cin * co if dw else co
    oh, pt = geometry(h, kh, s, d, mode)
    ow, pl = geometry(w, kw, s, d, mode)
    lo, hi = ACTS[act]
    in_off, out_off = offsets(i, qk)
    p = [n, h, w, cin, oh, ow, cout, kh, kw, s, s, d, d, pt, pl, in_off, out_off, lo, hi]
    if dw:
        p.append(co)
    p = array("i", p)
    x = data(n * h * w * cin, 30 * i + 11, qk)
    wt = data(kh * kw * cout * (1 if dw else cin), 30 * i + 12, qk)
    bm = 64 if qk else 1 << 14
    bias = array("i", rand_ints(cout, 30 * i + 13, -bm, bm)) if hb else None
    if bias is not None and i % 2:
        bias[cout - 1] = -(1 << 30)
    mult, shift = quant(i + 50, cout if pc else 1, kh * kw * (1 if dw else cin), qk)
    y, y_ref = bytearray(n * oh * ow * cout), bytearray(n * oh * ow * cout)
    if dw:
        k.depthwise_conv2d_s8(x, wt, bias, y, p, mult, shift,
                              bytearray(k.depthwise_conv2d_s8_scratch_size(p)))
        k.depthwise_conv2d_s8_ref(x, wt, bias, y_ref, p, mult, shift)
    else:
        k.conv2d_s8(x, wt, bias, y, p, mult, shift, bytearray(k.conv2d_s8_scratch_size(p)))
        k.conv2d_s8_ref(x, wt, bias, y_ref, p, mult, shift)
    print("dw" if dw else "conv", i, hex(fnv1a(y_ref)), y == y_ref)
