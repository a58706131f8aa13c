# Signal area kernels (the audio front end) on pseudo-random data: window, FFT auto scale, int16
# real FFT, energy, filter bank, square root, spectral subtraction (state over several calls),
# PCAN, filter bank log. Prints output hashes. Runs unchanged on the unix firmware, the QEMU
# boards and CPython (numpy reference).
from array import array

import micronn
from micronn.testdata import fnv1a, rand_ints

k = micronn.kernels


def i16(n, seed, lo=-32768, hi=32767):
    return array("h", rand_ints(n, seed, lo, hi))


def u32(n, seed, bits=32):
    hi = rand_ints(n, seed, 0, (1 << 16) - 1)
    lo = rand_ints(n, seed + 1, 0, (1 << 16) - 1)
    return array("I", [((h << 16) | lo_) >> (32 - bits) for h, lo_ in zip(hi, lo)])


def u64(n, seed):
    a, b = u32(n, seed), u32(n, seed + 7)
    return array("Q", [(x << 32) | y for x, y in zip(a, b)])


# Window
for i, (rows, n, shift) in enumerate([(1, 480, 12), (3, 7, 0), (2, 64, 8), (1, 33, 31)]):
    x, w, y = i16(rows * n, 10 + i), i16(n, 20 + i), array("h", bytes(2 * rows * n))
    k.signal_window_s16(x, w, y, array("i", [shift]))
    print("window", i, hex(fnv1a(y)))

# FFT auto scale
for i, (n, lo, hi) in enumerate([(480, -32768, 32767), (480, -100, 100), (7, 0, 0), (64, -3, 3), (9, -1, 1)]):
    x, y, s = i16(n, 30 + i, lo, hi), array("h", bytes(2 * n)), array("i", [0])
    if i == 1:
        x[4] = -32768
    k.signal_fft_auto_scale_s16(x, y, s)
    print("autoscale", i, s[0], hex(fnv1a(y)))

# Real FFT: twiddles as host_tools.reference.signal.rfft_twiddles(n) computes them
TW = {
    16: [32767, 0, 23170, -23170, 0, -32767, -23170, -23170, -32767, 0, -23170, 23170, 0, 32767,
         23170, 23170, -12539, -30273, -23170, -23170, -30273, -12539, -32767, 0],
    64: [32767, 0, 32137, -6393, 30273, -12539, 27245, -18204, 23170, -23170, 18204, -27245, 12539,
         -30273, 6393, -32137, 0, -32767, -6393, -32137, -12539, -30273, -18204, -27245, -23170, -23170,
         -27245, -18204, -30273, -12539, -32137, -6393, -32767, 0, -32137, 6393, -30273, 12539, -27245,
         18204, -23170, 23170, -18204, 27245, -12539, 30273, -6393, 32137, 0, 32767, 6393, 32137, 12539,
         30273, 18204, 27245, 23170, 23170, 27245, 18204, 30273, 12539, 32137, 6393, -3212, -32609,
         -6393, -32137, -9512, -31356, -12539, -30273, -15446, -28898, -18204, -27245, -20787, -25329,
         -23170, -23170, -25329, -20787, -27245, -18204, -28898, -15446, -30273, -12539, -31356, -9512,
         -32137, -6393, -32609, -3212, -32767, 0],
}
for i, (rows, in_len, nfft, lo, hi) in enumerate([(1, 16, 16, -32768, 32767), (2, 11, 16, -500, 500),
                                                  (1, 64, 64, -32768, 32767), (3, 50, 64, -3000, 3000)]):
    x = i16(rows * in_len, 40 + i, lo, hi)
    y = array("h", bytes(2 * rows * (nfft + 2)))
    k.signal_rfft_s16(x, array("h", TW[nfft]), array("h", bytes(4 * nfft)), y, array("i", [nfft, in_len]))
    print("rfft", i, hex(fnv1a(y)))

# Energy
for i, (bins, start, end) in enumerate([(257, 5, 241), (33, 0, 33), (9, 4, 4)]):
    y = array("I", bytes(4 * bins))
    k.signal_energy_s16(i16(2 * bins, 50 + i), y, array("i", [start, end]))
    print("energy", i, hex(fnv1a(y)))

# Filter bank: 6 channels over 40 bins, random (signed) weights, full-range energies
starts = array("h", [0, 3, 8, 12, 20, 27, 33])
widths = array("h", [3, 5, 4, 8, 7, 6, 7])
wstarts = array("h", [0, 3, 8, 12, 20, 27, 33])
for i in range(2):
    y = array("Q", bytes(8 * 6))
    k.signal_filter_bank(u32(40, 60 + i, 32 - 8 * i), i16(40, 62 + i), i16(40, 64 + i), starts, wstarts, widths, y,
                         array("i", [6]))
    print("filterbank", i, hex(fnv1a(y)))

# Square root
x = u64(20, 70)
x.extend(array("Q", [0, 1, 2, 3, 4, (1 << 32) - 1, 1 << 32, (1 << 64) - 1, 0xFFFE0001, 0xFFFF0000]))
x.extend(array("Q", [v >> 32 for v in u64(10, 71)]))
for i, sb in enumerate([0, 3, 31]):
    y = array("I", bytes(4 * len(x)))
    k.signal_filter_bank_sqrt(x, array("i", [sb]), y)
    print("sqrt", i, hex(fnv1a(y)))

# Spectral subtraction: 5 calls per configuration on one state
for i, (p, bits) in enumerate([([40, 409, 15975, 983, 15401, 10, 14, 819, 0], 12),
                               ([40, 409, 15975, 983, 15401, 10, 14, 819, 1], 12),
                               ([40, 5000, 11384, 983, 15401, 3, 14, 819, 0], 32)]):
    state = array("I", bytes(160))
    hs = []
    for step in range(5):
        x = u32(40, 80 + 10 * i + step, bits)
        if step == 3:
            for j in range(10):
                x[j] = 0
        y, ne = array("I", bytes(160)), array("I", bytes(160))
        k.signal_spectral_subtraction(x, y, ne, state, array("i", p))
        hs.append(hex(fnv1a(y) ^ fnv1a(ne)))
    print("specsub", i, " ".join(hs))

# PCAN
lut = i16(125, 90)
for i, shift in enumerate([6, 0, 40]):
    ne = u32(40, 91 + i, 16)
    ne[0], ne[1], ne[2], ne[3] = 0, 1, 2, 0xFFFFFFFF
    y = array("I", bytes(160))
    k.signal_pcan(u32(40, 95 + i, 18 + 7 * i), ne, lut, y, array("i", [shift]))
    print("pcan", i, hex(fnv1a(y)))

# Filter bank log
x = u32(30, 100)
x.extend(array("I", [0, 1, 2, 3, 65535, 65536, 65537, 0xFFFFFFFF, 1 << 31, 100]))
for i, (bits, scale) in enumerate([(3, 64), (0, 1 << 12), (31, 1000003)]):
    y = array("h", bytes(80))
    k.signal_filter_bank_log(x, y, array("i", [bits, scale]))
    print("log", i, hex(fnv1a(y)))

# Bad arguments raise ValueError/TypeError naming the argument.
h8, y8 = array("h", bytes(16)), array("h", bytes(16))
BAD = [
    ("params", k.signal_window_s16, (h8, array("h", bytes(6)), y8, array("i", [32]))),
    ("input", k.signal_window_s16, (h8, array("h", bytes(6)), y8, array("i", [3]))),
    ("output", k.signal_window_s16, (h8, h8, array("h", bytes(14)), array("i", [3]))),
    ("scale_bits", k.signal_fft_auto_scale_s16, (h8, y8, array("i", [0, 0]))),
    ("params", k.signal_rfft_s16, (h8, array("h", bytes(36)), array("h", bytes(48)), array("h", bytes(40)),
                                    array("i", [12, 8]))),
    ("twiddles", k.signal_rfft_s16, (h8, array("h", bytes(34)), array("h", bytes(32)), array("h", bytes(20)),
                                      array("i", [8, 8]))),
    ("params", k.signal_energy_s16, (h8, array("I", bytes(16)), array("i", [3, 5]))),
    ("channel", k.signal_filter_bank, (array("I", bytes(16)), h8, h8, array("h", [0, 2]), array("h", [0, 7]),
                                       array("h", [2, 2]), array("Q", bytes(8)), array("i", [1]))),
    ("scale_bits", k.signal_filter_bank_sqrt, (array("Q", bytes(8)), array("i", [32]), array("I", bytes(4)))),
    ("params", k.signal_spectral_subtraction, (array("I", bytes(8)),) * 4 + (array("i", [2, 0, 0, 0, 0, 32, 0, 0, 0]),)),
    ("gain_lut", k.signal_pcan, (array("I", bytes(8)), array("I", bytes(8)), array("h", bytes(248)),
                                 array("I", bytes(8)), array("i", [6]))),
    ("params", k.signal_filter_bank_log, (array("I", bytes(8)), array("h", bytes(4)), array("i", [3, -1]))),
]
for name, fn, args in BAD:
    try:
        fn(*args)
        print("no error for", name)
    except (ValueError, TypeError) as e:
        print(name, type(e).__name__, name in str(e))
