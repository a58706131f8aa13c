# lut_s8 (table-lookup activations) on random data and tails; tables as the converter builds
# them for TFLM's LOGISTIC-like shapes are just bytes here. Prints output hashes.
# Runs unchanged on the unix firmware, the QEMU boards and CPython (numpy reference).
import micronn
from micronn.testdata import fnv1a, rand_bytes

k = micronn.kernels

# A table: y = clamp(3 * x // 4 + 5) by index uint8(x), and the identity.
T = bytearray(256)
ID = bytearray(256)
for i in range(256):
    x = i - 256 if i > 127 else i
    y = 3 * x // 4 + 5
    T[i] = max(-128, min(127, y)) & 0xFF
    ID[i] = i

for n in (0, 1, 3, 4, 5, 15, 17, 64, 255, 1000):
    x = rand_bytes(n, 7 * n + 1)
    y = bytearray(n)
    k.lut_s8(x, y, T)
    z = bytearray(n)
    k.lut_s8(x, z, ID)
    print("lut", n, hex(fnv1a(y)), z == x)

# every input value once
x = bytearray(range(256))
y = bytearray(256)
k.lut_s8(x, y, T)
print("all", hex(fnv1a(y)), y[255], y[128], y[0], y[127])

BAD = [
    ("table", (bytearray(4), bytearray(4), bytearray(255))),
    ("table", (bytearray(4), bytearray(4), None)),
    ("output", (bytearray(4), bytearray(3), T)),
    ("output", (bytearray(4), b"\x00\x00\x00\x00", T)),
    ("input", (None, bytearray(4), T)),
]
for name, args in BAD:
    try:
        k.lut_s8(*args)
        print("no error for", name)
    except (ValueError, TypeError) as e:
        print(name, type(e).__name__, name in str(e))
