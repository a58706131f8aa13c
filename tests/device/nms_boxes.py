# micronn.nms on int8 scores and int8/float boxes (YOLO-style); prints the kept (box, class)
# pairs and hashes of the float outputs. Runs unchanged on unix, QEMU and CPython.
import struct
from array import array

import micronn
from micronn.testdata import fnv1a, rand_bytes, rand_ints

k = micronn.kernels

for case, (n, c, agn) in enumerate(((1, 1, False), (30, 3, False), (30, 3, True), (150, 20, False),
                                    (150, 20, True), (7, 80, False))):
    xy = rand_ints(2 * n, 100 + case, -120, 60)
    wh = rand_ints(2 * n, 200 + case, 4, 60)
    b = bytearray(4 * n)
    for i in range(n):
        b[4 * i] = xy[2 * i] & 0xFF
        b[4 * i + 1] = xy[2 * i + 1] & 0xFF
        b[4 * i + 2] = min(127, xy[2 * i] + wh[2 * i]) & 0xFF
        b[4 * i + 3] = min(127, xy[2 * i + 1] + wh[2 * i + 1]) & 0xFF
    s = rand_bytes(n * c, 300 + case)
    dets = micronn.nms(b, s, 0.4, 0.5, 16, agnostic=agn, box_dtype="int8", box_scale=0.25,
                       box_zero_point=-128, score_dtype="int8", score_scale=1 / 256,
                       score_zero_point=-128)
    flat = array("f")
    for _i, _cls, score, box in dets:
        flat.append(score)
        for v in box:
            flat.append(v)
    print("nms", case, len(dets), [(i, cls) for i, cls, _, _ in dets], hex(fnv1a(flat)))

# float boxes (cx, cy, w, h) and float scores
boxes = array("f", [10, 10, 8, 8, 11, 11, 8, 8, 30, 30, 5, 5, 31, 30, 5, 5])
scores = array("f", [0.9, 0.1, 0.8, 0.2, 0.3, 0.7, 0.25, 0.6])
dets = micronn.nms(boxes, scores, 0.5, 0.3, 10, box_format="cxcywh")
print("float", [(i, c) for i, c, _, _ in dets], [struct.pack("<f", sc) for _, _, sc, _ in dets])

# the kernel's argument checks
P = [2, 2, 0, 0, 0, 0, 0, 0, 0, 0, struct.unpack("<i", struct.pack("<f", 0.5))[0], 4, 0]
ok = array("i", P)
BAD = [
    ("params", (bytearray(32), bytearray(16), array("i", P[:12]), bytearray(32), bytearray(16), bytearray(96))),
    ("iou_threshold", (bytearray(32), bytearray(16), array("i", P[:10] + [0] + P[11:]), bytearray(32),
                       bytearray(16), bytearray(96))),
    ("boxes", (bytearray(31), bytearray(16), ok, bytearray(32), bytearray(16), bytearray(96))),
    ("scores", (bytearray(32), bytearray(12), ok, bytearray(32), bytearray(16), bytearray(96))),
    ("scratch", (bytearray(32), bytearray(16), ok, bytearray(8), bytearray(16), bytearray(96))),
    ("out", (bytearray(32), bytearray(16), ok, bytearray(32), bytearray(16), bytearray(95))),
]
for name, args in BAD:
    try:
        k.nms_boxes(*args)
        print("no error for", name)
    except (ValueError, TypeError) as e:
        print(name, type(e).__name__, name in str(e))
