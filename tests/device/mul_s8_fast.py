# mul_s8 (optimized: contiguous or scalar-broadcast rows, cheap requantization with the output
# offset folded in, four elements per step) against mul_s8_ref (plain C) on random data: rows
# of 1..13 and long ones, input1 or input2 broadcast in the row (scalar), broadcast outer dims,
# a strided row (the reference path), zero points -128/127, fused ranges, right shifts 1..14
# and a left shift (not fused: the reference path).
from array import array

import micronn
from micronn.testdata import fnv1a, rand_bytes, rand_ints

k = micronn.kernels

for i in range(28):
    r = rand_ints(9, 9100 + i, 0, 1 << 20)
    d = [1 + r[0] % 2, 1 + r[1] % 3, 1 + r[2] % 4, 1 + r[3] % 13 if i % 5 else 200 + r[3] % 100]
    mode = i % 4  # 0 same shape, 1 input2 scalar per row, 2 input1 scalar per row, 3 outer broadcast
    if i == 26:
        mode = 4  # input2 row strided by 2
    s = [d[1] * d[2] * d[3], d[2] * d[3], d[3], 1]
    s1, s2 = list(s), list(s)
    if mode == 1:
        s2 = [d[1] * d[2], d[2], 1, 0]
    elif mode == 2:
        s1 = [d[1] * d[2], d[2], 1, 0]
    elif mode == 3:
        s2 = [0, d[3], 0, 1]
    elif mode == 4:
        s2 = [x * 2 for x in s]
    n1 = 1 + sum((a - 1) * b for a, b in zip(d, s1))
    n2 = 1 + sum((a - 1) * b for a, b in zip(d, s2))
    offs = rand_ints(3, 9200 + i, -127, 128)
    if i % 7 == 1:
        offs = [128, -127, -128]
    lo, hi = ((-128, 127), (0, 127), (-100, 60))[i % 3]
    shift = -1 - r[4] % 14 if i != 20 else 1
    p = array("i", d + s1 + s2 + [offs[0], offs[1], offs[2] if offs[2] < 128 else 127,
                                  rand_ints(1, 9300 + i, 1 << 30, (1 << 31) - 1)[0], shift, lo, hi])
    a, b = rand_bytes(n1, 3 * i), rand_bytes(n2, 3 * i + 1)
    y, y2 = bytearray(d[0] * d[1] * d[2] * d[3]), bytearray(d[0] * d[1] * d[2] * d[3])
    k.mul_s8(a, b, y, p)
    k.mul_s8_ref(a, b, y2, p)
    print("mul", i, mode, d, hex(fnv1a(y)), y == y2)
