# TFLite_Detection_PostProcess kernel (detection_postprocess): float and int8 box/score inputs,
# fast (class-agnostic) and regular NMS; prints detection counts and hashes of the float outputs.
# Runs unchanged on unix, QEMU and CPython.
import struct
from array import array

import micronn
from micronn.testdata import fnv1a, rand_bytes, rand_ints

k = micronn.kernels


def bits(f):
    return struct.unpack("<i", struct.pack("<f", f))[0]


def params(n, c, box_type, score_type, thr_key, regular, max_det=4, per_det=2):
    # the DET layout of the op spec: box and score zero points 0, scales 1/16 and 1/128
    rows = max_det * (1 if regular else per_det)
    return array("i", [n, c, 1, 4, box_type, 0, bits(1 / 16), score_type, -128, bits(1 / 128),
                       thr_key, bits(0.5), max_det, per_det, 3, regular,
                       bits(10.0), bits(10.0), bits(5.0), bits(5.0), rows]), rows


for case, (n, c, quant, regular) in enumerate(((6, 2, False, 0), (6, 2, False, 1), (20, 3, True, 0),
                                               (20, 3, True, 1), (1, 1, True, 0))):
    cols = c + 1  # a background column first
    anchors = array("f")
    for i, v in enumerate(rand_ints(2 * n, 500 + case, 10, 90)):
        anchors.append(v / 100)
        if i % 2:
            anchors.append(0.2)
            anchors.append(0.25)
    enc_q = rand_bytes(4 * n, 600 + case, -40, 40)
    sco_q = rand_bytes(n * cols, 700 + case)
    if quant:
        enc, sco, thr = enc_q, sco_q, -128 + 38  # score key: q >= -90 <=> (q + 128) / 128 >= 0.3
    else:
        enc = array("f", [((b + 128) % 256 - 128) / 16 for b in enc_q])
        sco = array("f", [((b + 128) % 256) / 256 for b in sco_q])
        thr = bits(0.3)  # float scores: the key of a positive float is its bits
    p, rows = params(n, c, 1 if quant else 0, 1 if quant else 0, thr, regular)
    scratch = bytearray(k.detection_scratch_size(p))
    boxes, classes, scores, num = array("f", [0] * (4 * rows)), array("f", [0] * rows), \
        array("f", [0] * rows), array("f", [0])
    k.detection_postprocess(enc, sco, anchors, p, scratch, boxes, classes, scores, num)
    print("det", case, int(num[0]), [int(x) for x in classes], hex(fnv1a(boxes)), hex(fnv1a(scores)))

# the kernel's argument checks name the argument
p, rows = params(6, 2, 0, 0, bits(0.3), 0)
ok = (array("f", [0] * 24), array("f", [0] * 18), array("f", [0] * 24), p, bytearray(k.detection_scratch_size(p)),
      array("f", [0] * (4 * rows)), array("f", [0] * rows), array("f", [0] * rows), array("f", [0]))
for name, pos, bad in (("box_encodings", 0, array("f", [0] * 23)), ("anchors", 2, array("f", [0] * 20)),
                       ("params", 3, array("i", list(p)[:20])), ("scratch", 4, bytearray(4))):
    args = list(ok)
    args[pos] = bad
    try:
        k.detection_postprocess(*args)
        print("no error for", name)
    except (ValueError, TypeError) as e:
        print(name, type(e).__name__, name in str(e))
