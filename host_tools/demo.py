# micronn demo: one fully connected layer on the device kernel, timed.
# Runs unchanged on the unix firmware, in QEMU and under CPython.
import micronn

k = micronn.kernels
try:
    from array import array
except ImportError:
    array = None

IN, OUT = 64, 12
x = array("b", [((i * 37) % 256) - 128 for i in range(IN)])
w = array("b", [((i * 91 + 7) % 255) - 127 for i in range(IN * OUT)])
bias = array("i", [(o * 1000) - 6000 for o in range(OUT)])
y = array("b", bytes(OUT))
mult = array("i", [1395864371])
shift = array("i", [-9])

t = micronn.timeit(k.fully_connected_s8, x, w, bias, y, IN, OUT, 128, -5, mult, shift, -128, 127)
print("micronn", micronn.__version__, "on", k.ARCH)
print("fully_connected_s8 64->12:", list(y))
print("time:", t, micronn.TICK_UNIT)
