# lstm_s8 (optimized: the FC kernel's dot-row passes) against lstm_s8_ref (plain C) on random
# data: input sizes 1..130 (past the short-row limit of the DSP path, not multiples of 4), cells
# 1..33, batches, time-major and batch-first, gate shifts with left shifts, clipping on and off,
# the cell-state tanh shifted left and right; random starting state. Both kernels must give the
# same output, hidden state and cell state. Cases 8 and 9: the cell step's rescales with left
# shifts and with shift -31 (the fast kernel's SMMULR path is for shifts <= 0 only), and gate
# biases near and at the int32 limits (the gate rescales' exact path; the sums wrap).
from array import array

import micronn
from micronn.testdata import fnv1a, rand_bytes, rand_ints

k = micronn.kernels

CASES = [(1, 3, 1, 5, 0), (2, 2, 24, 20, 1), (1, 4, 25, 1, 0), (3, 2, 40, 33, 1), (1, 2, 130, 7, 0),
         (2, 3, 5, 20, 0), (1, 1, 3, 4, 1), (3, 1, 17, 9, 0),
         (2, 2, 28, 20, 0), (1, 3, 9, 6, 1)]

for i, (batch, time, n_in, n_cell, tm) in enumerate(CASES):
    r = rand_ints(12, 9100 + i, 0, 1 << 20)
    p = [batch, time, n_in, n_cell, tm, rand_ints(1, 10 * i, -127, 128)[0], rand_ints(1, 10 * i + 1, -127, 128)[0]]
    p.append(-p[-1] if -128 <= -p[-1] <= 127 else 0)  # hidden_zero_point
    mults = rand_ints(14, 10 * i + 2, 1 << 30, (1 << 31) - 1)
    shifts = rand_ints(14, 10 * i + 3, -9, 2)
    for g in range(8):  # i, f, c, o gates: x part, h part
        p += [mults[g], shifts[g]]
    p += [1 << 30, -14, mults[8], -(2 + r[0] % 6), mults[9], -(7 + r[1] % 4)]  # fc, ic, h
    if i == 8:
        p[-5], p[-3], p[-1] = 1, 2, 1
    elif i == 9:
        p[-5], p[-3], p[-1] = -31, -20, -31
    p.append(-1 if i % 3 == 0 else r[2] % 32768)  # cell_clip
    left = r[3] % 7 - 3  # the cell-state tanh: 15 + log2(cell scale) - 3
    p += [3 << left, 0] if left >= 0 else [3, -left]
    p.append(3)  # scratch_rows
    params = array("i", p)
    x = rand_bytes(batch * time * n_in, 10 * i + 4)
    w_x = [rand_bytes(n_cell * n_in, 10 * i + 5 + g, -127, 127) for g in range(4)]
    w_h = [rand_bytes(n_cell * n_cell, 100 * i + 50 + g, -127, 127) for g in range(4)]
    bias = [array("i", rand_ints(n_cell, 100 * i + 60 + g, -(1 << 15), 1 << 15)) for g in range(4)]
    if i == 8:
        bias[1][0], bias[2][n_cell - 1] = (1 << 30) - 5, -(1 << 30)
    elif i == 9:
        bias[0][0], bias[3][1] = -(1 << 31), (1 << 31) - 1
    h0 = rand_bytes(batch * n_cell, 10 * i + 9)
    c0 = array("h", rand_ints(batch * n_cell, 10 * i + 7, -32768, 32767))
    outs = []
    for fn in (k.lstm_s8, k.lstm_s8_ref):
        h, c = bytearray(h0), array("h", c0)
        y = bytearray(batch * time * n_cell)
        scratch = array("i", [0] * (3 * n_cell))
        fn(x, *w_x, *w_h, *bias, y, params, h, c, scratch)
        outs.append((y, h, c))
    (y, h, c), (yr, hr, cr) = outs
    print("lstm", i, batch, time, n_in, n_cell, tm, hex(fnv1a(y)), hex(fnv1a(h)), hex(fnv1a(bytes(c))),
          y == yr and h == hr and bytes(c) == bytes(cr))

# The cell step's rounding: random gates saturate, so forget x cell rarely lands on a negative
# exact half. Zero weights, gate biases in a sweep (sigmoid/tanh off saturation), a small
# negative cell state and the forget rescale shifted right by 3: many negative halves, which
# TFLM rounds away from zero.
n_cell = 64
p = [1, 1, 4, n_cell, 0, 0, 0, 0] + [1 << 30, 0] * 8
p += [1 << 30, -3, 1 << 30, -19, 1 << 30, -20, -1, 3, 0, 3]
params = array("i", p)
bias = [array("i", [-3000 + 97 * j + 13 * g for j in range(n_cell)]) for g in range(4)]
outs = []
for fn in (k.lstm_s8, k.lstm_s8_ref):
    h, c = bytearray(n_cell), array("h", [-1 - j % 3 for j in range(n_cell)])
    y = bytearray(n_cell)
    fn(bytearray(4), *([bytearray(4 * n_cell)] * 4), *([bytearray(n_cell * n_cell)] * 4), *bias, y, params,
       h, c, array("i", [0] * (3 * n_cell)))
    outs.append((y, h, c))
(y, h, c), (yr, hr, cr) = outs
print("lstm sweep", hex(fnv1a(y)), hex(fnv1a(bytes(c))), y == yr and h == hr and bytes(c) == bytes(cr))
