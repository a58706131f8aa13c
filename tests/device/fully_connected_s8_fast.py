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

# The paths of the optimized kernels (M4: input widened a chunk of 128 features at a time, rows
# in blocks with their accumulators on the stack, two rows a pass, 16/8/4-feature steps, word
# aligned rows or not; requantization folded per tensor for shifts -20..-1, exact otherwise or
# when an accumulator reaches 2^30): each case next to the reference kernel.
#   batches, in, out, per_channel, bias (0 none, 1 small, 2 near +-2^30), shift (-31..2, None:
#   random -12..-4, "mix": that and two others), act (lo, hi), weights/input byte offset (0:
#   word aligned), in_off


def shifts(nch, seed, sh):
    if sh is None or sh == "mix":
        out = array("i", rand_ints(nch, seed, -12, -4))
        if sh == "mix":  # a few channels that cannot be folded: their blocks are not
            out[5 % nch] = -21
            out[30 % nch] = 1
        return out
    return array("i", [sh] * nch)


PATHS = []
# chunk and 16/8/4-feature boundaries, row counts around the blocks, batches
for i, fin in enumerate((127, 128, 129, 130, 131, 132, 136, 140, 144, 252, 255, 256, 257, 260, 388)):
    PATHS.append((1 + i % 3, fin, (1, 2, 3, 11, 12, 13, 23, 24, 25)[i % 9], i % 4 == 1, 1, None,
                  (-128, 127), 0, 128))
for i, fin in enumerate((1, 2, 3, 4, 5, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 60, 64)):
    PATHS.append((1 + (i % 5 == 0), fin, 1 + (7 * i) % 26, i % 3 == 0, i % 4 != 3, None,
                  ((-128, 127), (-128, 40), (-7, 127))[i % 3], 0, -127 + 15 * i))
# rows not word aligned: weights at byte offset 1..3, n a multiple of 4 or not; input offset too
for i, fin in enumerate((16, 24, 36, 64, 130, 33, 7, 260)):
    PATHS.append((1 + i % 2, fin, 5 + i, i % 2 == 0, 1, None, (-128, 127), 1 + i % 3, 100))
# requantization: every folded shift boundary, no fold (-21, 0, left shifts), per channel
for i, sh in enumerate((-1, -2, -19, -20, -21, -31, 0, 1, 2)):
    PATHS.append((1, 40 + 4 * i, 14, False, 1, sh, ((-128, 127), (-50, 90))[i % 2], 0, -3))
    PATHS.append((2, 40 + 4 * i, 13, True, 1, sh, ((-128, 127), (-50, 90))[i % 2], 0, 128))
for i in range(4):
    PATHS.append((1 + i % 2, 48 + 20 * i, 40 - 7 * i, True, 1, "mix", ((-128, 127), (-60, 100))[i % 2],
                  0, 128))
# accumulators at and beyond 2^30 (the folded path must hand the block to mn_requantize)
for i in range(6):
    PATHS.append((1 + i % 2, 64 + 8 * i, 17 + 3 * i, i % 3 == 2, 2, (-1, -7, -20)[i % 3],
                  (-128, 127), 0, 128))
# a long input: 5 chunks, 3 blocks, a 4-feature tail
PATHS.append((2, 644, 40, False, 1, None, (-128, 127), 0, 128))

for i, (b, fin, fout, pc, bias_kind, sh, act, mis, in_off) in enumerate(PATHS):
    seed = 7000 + 20 * i
    x = rand_bytes(b * fin + mis, seed + 1)
    wbuf = rand_bytes(fout * fin + mis, seed + 2)
    if i % 7 == 3:
        for j in range(0, len(wbuf), 5):
            wbuf[j] = 0x80  # -128 weights: the largest products
    xs = memoryview(x)[mis:] if mis else x
    w = memoryview(wbuf)[mis:] if mis else wbuf
    bias = None
    if bias_kind == 1:
        bias = array("i", rand_ints(fout, seed + 3, -(1 << 20), 1 << 20))
    elif bias_kind == 2:
        # around +-2^30: 2 * acc overflows for some rows, not for others
        bias = array("i", rand_ints(fout, seed + 3, (1 << 30) - (1 << 22), (1 << 30) + (1 << 22)))
        for j in range(0, fout, 2):
            bias[j] = -bias[j]
    nch = fout if pc else 1
    mult = array("i", rand_ints(nch, seed + 4, 1 << 30, (1 << 31) - 1))
    if i % 11 == 5:
        mult[0] = 0
    shift = shifts(nch, seed + 5, sh)
    out_off = (-128, 127, 0, -3)[i % 4]
    lo, hi = act
    y = bytearray(b * fout)
    y_ref = bytearray(b * fout)
    k.fully_connected_s8(xs, w, bias, y, fin, fout, in_off, out_off, mult, shift, lo, hi)
    k.fully_connected_s8_ref(xs, w, bias, y_ref, fin, fout, in_off, out_off, mult, shift, lo, hi)
    print("path", i, b, fin, fout, hex(fnv1a(y)), y == y_ref)
