# batch_matmul_s8 (optimized: one FULLY_CONNECTED per batch where the operands are contiguous)
# against batch_matmul_s8_ref (plain C) on random data: depths 1..17 and past the FC's chunks,
# columns past its row blocks, rhs offset 0 and not (the per-row bias), broadcast batches, and
# a runtime rhs [K, N] (copied into the scratch as [N, K]; without a scratch the plain loops)
# and adj_x (the plain loops).
from array import array

import micronn
from micronn.testdata import fnv1a, rand_bytes, rand_ints

k = micronn.kernels


def strides(shape):
    s, out = 1, []
    for d in reversed(shape):
        out.append(s)
        s *= d
    return out[::-1]


CASES = []
for i in range(24):
    r = rand_ints(8, 8000 + i, 0, 1 << 20)
    depth = 1 + r[0] % 17 if i % 3 else 100 + r[0] % 300
    CASES.append((1 + r[1] % 3, 1 + r[2] % 2, 1 + r[3] % 6, 1 + r[4] % 19 if i % 4 else 60 + r[4] % 90,
                  depth, r[5] % 2, r[6] % 4, r[7] % 3))
CASES += [(1, 1, 1, 1, 1, 1, 0, 0), (2, 1, 3, 130, 64, 0, 0, 0)]

for i, (b0, b2, m, n, kd, r_zero, layout, bc) in enumerate(CASES):
    # layout 0, 1: contiguous ([M, K] @ [N, K]^T); 2: adj_x lhs [K, M]; 3: rhs [K, N]
    # batch dims of lhs and rhs: both (b0, b2), or one broadcasting
    lsb, rsb = (((b0, b2), (b0, b2)), ((b0, b2), (1, 1)), ((b0, 1), (b0, b2)))[bc]
    nl, nr = lsb[0] * lsb[1] * m * kd, rsb[0] * rsb[1] * n * kd
    ls = [0, 0, 0] + ([1, 0, m] if layout == 2 else [kd, 0, 1])
    rs = [0, 0, 0] + ([0, 1, n] if layout == 3 else [0, kd, 1])
    ls[0], ls[2] = (m * kd * lsb[1] if lsb[0] > 1 else 0), (m * kd if lsb[1] > 1 else 0)
    rs[0], rs[2] = (n * kd * rsb[1] if rsb[0] > 1 else 0), (n * kd if rsb[1] > 1 else 0)
    os = strides([b0, 1, b2, m, n]) + [0]
    l_off = rand_ints(1, 10 * i + 6, -127, 128)[0]
    r_off = 0 if r_zero else rand_ints(1, 10 * i + 7, -127, 128)[0]
    out_off = rand_ints(1, 10 * i + 8, -128, 127)[0]
    mult = rand_ints(1, 10 * i + 4, 1 << 30, (1 << 31) - 1)[0]
    shift = rand_ints(1, 10 * i + 5, -14, -6) if i % 5 else rand_ints(1, 10 * i + 5, -1, 1)
    p = array("i", [b0, 1, b2, m, n, kd] + ls + rs + os + [l_off, r_off, out_off, mult, shift[0]])
    x = rand_bytes(nl, 10 * i + 1)
    w = rand_bytes(nr, 10 * i + 2)
    y = bytearray(b0 * b2 * m * n)
    y_ref = bytearray(len(y))
    scratch = bytearray(n * kd) if layout == 3 and i % 2 else None
    k.batch_matmul_s8(x, w, y, p, scratch)
    k.batch_matmul_s8_ref(x, w, y_ref, p, scratch)
    print("bmm", i, b0, b2, m, n, kd, layout, scratch is not None, hex(fnv1a(y)), hex(fnv1a(y_ref)), y == y_ref)
