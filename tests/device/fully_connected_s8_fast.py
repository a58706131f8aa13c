# fully_connected_s8 (optimized) against fully_connected_s8_ref (plain C) on random data:
# in/out features 1..17 and larger (every row and feature tail), batches, per-channel and
# per-tensor requantization, shift 0 and left shifts, a bias beyond the fast requantization bound.
from array import array

import micronn
from micronn.testdata import fnv1a, rand_bytes, rand_ints

k = micronn.kernels

CASES = []
for i in range(36):
    r = rand_ints(6, 9000 + i, 0, 1 << 20)
    fin = 1 + r[0] % 17 if i % 3 else 1 + r[0] % 300
    CASES.append((1 + (r[1] % 4 == 0) * (1 + r[1] % 3), fin, 1 + r[2] % 17, r[3] % 2 == 0,
                  r[4] % 4 != 0, r[5] % 3))
CASES += [(1, 64, 12, False, True, 0), (1, 640, 128, False, True, 1), (1, 128, 8, True, True, 2)]

for i, (b, fin, fout, pc, has_bias, act) in enumerate(CASES):
    lo, hi = ((-128, 127), (-5, 127), (-100, 60))[act]
    x = rand_bytes(b * fin, 10 * i + 1)
    w = rand_bytes(fout * fin, 10 * i + 2, -128, 127)
    bias = array("i", rand_ints(fout, 10 * i + 3, -(1 << 16), 1 << 16)) if has_bias else None
    if i == 4 and bias is not None:
        bias[-1] = 1 << 30  # beyond the fast requantization bound: that channel takes the exact path
    nch = fout if pc else 1
    mult = array("i", rand_ints(nch, 10 * i + 4, 1 << 30, (1 << 31) - 1))
    shift = array("i", rand_ints(nch, 10 * i + 5, -12, -4) if i % 5 else rand_ints(nch, 10 * i + 5, -1, 2))
    in_off = rand_ints(1, 10 * i + 6, -127, 128)[0]
    out_off = rand_ints(1, 10 * i + 7, -128, 127)[0]
    y = bytearray(b * fout)
    y_ref = bytearray(b * fout)
    k.fully_connected_s8(x, w, bias, y, fin, fout, in_off, out_off, mult, shift, lo, hi)
    k.fully_connected_s8_ref(x, w, bias, y_ref, fin, fout, in_off, out_off, mult, shift, lo, hi)
    print("fc", i, b, fin, fout, hex(fnv1a(y)), hex(fnv1a(y_ref)), y == y_ref)
