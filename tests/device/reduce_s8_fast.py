# reduce_s8 MEAN/SUM (optimized: contiguous reduced rows, and four adjacent outputs of stride 1
# summed together, in int16 lanes flushed every 256 elements on ARMv7E-M) against
# reduce_s8_ref (plain C) on random data: global average pooling shapes (channels 1..13 and
# off the 4-block, 3..300 positions, rows longer than 256 and rows that cross a flush), the
# last axis, outer kept dims, strided reductions, offsets -127/128 and max/min (reference).
from array import array

import micronn
from micronn.testdata import fnv1a, rand_bytes, rand_ints

k = micronn.kernels

CASES = []
for i in range(24):
    r = rand_ints(6, 9400 + i, 0, 1 << 20)
    CASES.append((1 + r[0] % 2, 1 + r[1] % 20 if i % 6 else 17 + r[1] % 5, 1 + r[2] % 20, 1 + r[3] % 13,
                  i % 3, r[4] % 3 if i % 8 else 1))
CASES += [(1, 7, 7, 64, 0, 0), (1, 1, 300, 8, 0, 0), (1, 20, 15, 4, 0, 0), (2, 1, 600, 3, 1, 0),
          (1, 16, 16, 16, 2, 0)]

for i, (n, h, w, c, layout, op) in enumerate(CASES):
    # input [n, h, w, c]; layout 0: MEAN over (h, w) keeping c (GAP), 1: over c (last axis),
    # 2: over (n, w) keeping (h, c) (strided, c innermost kept)
    if layout == 0:
        d = [1, 1, n, c, 1, 1, h, w]
        s = [0, 0, h * w * c, 1, 0, 0, w * c, c]
    elif layout == 1:
        d = [1, n, h, w, 1, 1, 1, c]
        s = [0, h * w * c, w * c, c, 0, 0, 0, 1]
    else:
        d = [1, 1, h, c, 1, 1, n, w]
        s = [0, 0, w * c, 1, 0, 0, h * w * c, c]
    offs = rand_ints(2, 9500 + i, -127, 128)
    if i % 5 == 2:
        offs = [128, -128]
    p = array("i", [op] + d + s + [offs[0], offs[1], rand_ints(1, 9600 + i, 1 << 30, (1 << 31) - 1)[0],
                                   -1 - i % 14])
    x = rand_bytes(n * h * w * c, 4 * i)
    m = d[0] * d[1] * d[2] * d[3]
    y, y2 = bytearray(m), bytearray(m)
    k.reduce_s8(x, y, p)
    k.reduce_s8_ref(x, y2, p)
    print("reduce", i, layout, op, hex(fnv1a(y)), y == y2)
