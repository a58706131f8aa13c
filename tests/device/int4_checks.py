# int4 FULLY_CONNECTED: the params' packed byte count must be (in_features * out_features + 1) / 2.
# A model whose weight_bytes disagrees with its shape (a mutated or hand-made file, or one edited
# after load) raises ValueError naming weight_bytes instead of the kernel reading past the packed
# weights; the correct count runs. Runs unchanged on unix, QEMU and CPython (numpy reference).
from array import array

import micronn

k = micronn.kernels


def params(batches, in_f, out_f, weight_bytes):
    # FC4: batches, in_features, out_features, weight_bytes, input_offset, output_offset,
    # multiplier, shift, act_min, act_max
    return array("i", [batches, in_f, out_f, weight_bytes, 3, -2, 1 << 30, -4, -128, 127])


for batches, in_f, out_f in ((1, 1, 1), (3, 7, 5), (2, 4, 6), (1, 301, 13)):
    want = (in_f * out_f + 1) // 2
    x = bytearray((i * 37 + 11) & 0xFF for i in range(batches * in_f))
    out = bytearray(batches * out_f)
    for wb in (want, want - 1, want + 1, 1):
        w = bytearray((i * 53 + 7) & 0xFF for i in range(wb))
        try:
            k.fully_connected_s4(x, w, None, out, params(batches, in_f, out_f, wb))
            print(in_f, out_f, wb, "ran", sum(b if b < 128 else b - 256 for b in out))
        except ValueError as e:
            print(in_f, out_f, wb, "ValueError", "weight_bytes" in str(e), str(want) in str(e))
