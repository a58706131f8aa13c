# Handwritten digits on the device: micronn runs trained_lstm_int8 (one LSTM over the 28 rows of
# the image) on 28x28 grayscale images, each a raw file of 784 pixel bytes (host_tools/demo_lstm.py
# writes them from the sample pngs).
# Usage (unix firmware): micropython mnist_lstm.py trained_lstm_int8.micronn a.raw [b.raw ...]
import sys

import micronn


def main(model_path, images):
    m = micronn.load(model_path)
    inp, out = m.inputs[0], m.outputs[0]
    print("model: %s, input %s %s, arena %d bytes" % (model_path, inp.shape, inp.dtype, m.arena_size))
    y = bytearray(out.nbytes)
    for path in images:
        with open(path, "rb") as f:
            pixels = f.read()
        # input scale 1/255, zero point -128: the int8 value of pixel p is p - 128
        x = bytearray((p - 128) & 0xFF for p in pixels)
        m.reset()  # every image starts from the zero state
        t0 = micronn.ticks()
        m.run(x, y)
        dt = micronn.ticks() - t0
        scores = [(b - 256 if b > 127 else b) for b in y]
        best = scores.index(max(scores))
        prob = (scores[best] - out.zero_point) * out.scale
        print("%s: digit %d (p=%.2f), %d %s" % (path.split("/")[-1], best, prob, dt, micronn.TICK_UNIT))


main(sys.argv[1], sys.argv[2:])
