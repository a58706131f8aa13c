# Person detection on the device: micronn runs person_detect on 96x96 grayscale BMPs.
# Usage (unix firmware): micropython person_detect.py person_detect.micronn a.bmp [b.bmp ...]
import sys

import micronn

LABELS = ("no person", "person")


def bmp_pixels(path):
    with open(path, "rb") as f:
        data = f.read()
    off = data[10] | data[11] << 8 | data[12] << 16 | data[13] << 24
    # BMP rows are stored bottom-up: put them top-down. The uint8 pixel values go into the
    # int8 input reinterpreted, as in the TFLM person_detection example.
    img = bytearray(96 * 96)
    for r in range(96):
        src = off + (95 - r) * 96
        img[r * 96:(r + 1) * 96] = data[src:src + 96]
    return img


def main(model_path, images):
    m = micronn.load(model_path)
    inp = m.inputs[0]
    out = m.outputs[0]
    print("model: %s, input %s %s, arena %d bytes" % (model_path, inp.shape, inp.dtype, m.arena_size))
    y = bytearray(out.nbytes)
    for path in images:
        x = bmp_pixels(path)
        t0 = micronn.ticks()
        m.run(x, y)
        dt = micronn.ticks() - t0
        scores = [(b - 256 if b > 127 else b) for b in y]
        best = 0 if scores[0] >= scores[1] else 1
        prob = (scores[best] - out.zero_point) * out.scale
        print("%s: %s (score %d, p=%.2f), %d %s" % (path.split("/")[-1], LABELS[best], scores[best],
                                                   prob, dt, micronn.TICK_UNIT))


main(sys.argv[1], sys.argv[2:])
