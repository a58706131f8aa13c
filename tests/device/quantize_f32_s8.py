# quantize_f32_s8 / dequantize_s8_f32 (the float32 graph edges); prints output hashes.
# Floats are built from small integers and powers of two, so they are exact on every port.
# Runs unchanged on the unix firmware, the QEMU boards and CPython (numpy reference).
from array import array

import micronn
from micronn.testdata import fnv1a, rand_ints

k = micronn.kernels

CASES = [
    # n, scale numerator, scale exponent (scale = num * 2^-exp), zero point, value exponent
    (1, 1, 7, 0, 8),
    (3, 1, 1, -128, 2),  # x / scale = k / 2: halves, rounded away from zero
    (7, 3, 7, 5, 10),  # inexact float32 divisions
    (8, 5, 9, -20, 12),
    (15, 1, 8, 127, 9),
    (17, 11, 10, -1, 10),
    (300, 7, 6, 3, 6),
    (1000, 13, 12, -7, 11),
]

for i, (n, num, e, zp, ve) in enumerate(CASES):
    scale = num * 2.0 ** -e
    x = array("f", [v * 2.0 ** -ve for v in rand_ints(n, 70 * i + 1, -40000, 40000)])
    y = bytearray(n)
    k.quantize_f32_s8(x, y, scale, zp)
    z = array("f", [0.0] * n)
    k.dequantize_s8_f32(y, z, scale, zp)
    print("quant", i, n, hex(fnv1a(y)), hex(fnv1a(z)))

# Halfway cases, tiny and huge values, infinities and NaN (NaN -> zero point).
inf = float("inf")
x = array("f", [0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.25, -0.25, 1e-30, -1e-30, 1e30, -1e30,
                inf, -inf, float("nan"), 127.5, -128.5, 126.5])
y = bytearray(len(x))
k.quantize_f32_s8(x, y, 1, 0)
print("quant edge", list(array("b", y)))
k.quantize_f32_s8(x, y, 0.5, -3)
print("quant edge2", list(array("b", y)))
z = array("f", [0.0] * 4)
k.dequantize_s8_f32(bytes([0x80, 0xFF, 0x00, 0x7F]), z, 0.25, -128)
print("dequant", list(z))

# Bad arguments raise ValueError/TypeError naming the argument.
xf = array("f", [0.0] * 4)
xb = bytearray(4)
BAD = [
    (k.quantize_f32_s8, "input", (array("h", [0] * 8), xb, 1.0, 0)),
    (k.quantize_f32_s8, "input", (bytearray(7), xb, 1.0, 0)),
    (k.quantize_f32_s8, "output", (xf, bytearray(3), 1.0, 0)),
    (k.quantize_f32_s8, "output", (xf, array("h", [0, 0]), 1.0, 0)),
    (k.quantize_f32_s8, "scale", (xf, xb, 0.0, 0)),
    (k.quantize_f32_s8, "scale", (xf, xb, -1.0, 0)),
    (k.quantize_f32_s8, "scale", (xf, xb, "1", 0)),
    (k.quantize_f32_s8, "scale", (xf, xb, 1e300, 0)),
    (k.quantize_f32_s8, "zero_point", (xf, xb, 1.0, 128)),
    (k.quantize_f32_s8, "zero_point", (xf, xb, 1.0, 0.5)),
    (k.dequantize_s8_f32, "input", (xf, xf, 1.0, 0)),
    (k.dequantize_s8_f32, "output", (xb, bytearray(4), 1.0, 0)),
    (k.dequantize_s8_f32, "output", (xb, array("f", [0.0] * 3), 1.0, 0)),
    (k.dequantize_s8_f32, "scale", (xb, xf, None, 0)),
    (k.dequantize_s8_f32, "zero_point", (xb, xf, 1.0, -129)),
]
for fn, name, args in BAD:
    try:
        fn(*args)
        print("no error for", name)
    except (ValueError, TypeError) as e:
        print(name, type(e).__name__, name in str(e))
