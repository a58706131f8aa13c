"""micronn.nms: non-max suppression for YOLO-style detection heads (device and CPython alike).

    dets = micronn.nms(boxes, scores, score_threshold=0.25, iou_threshold=0.45,
                       scores_info=m.outputs[1])        # int8 scores stay int8
    for index, cls, score, (x1, y1, x2, y2) in dets: ...

The work runs in C (`nms_boxes`): each box takes its best class, candidates are the boxes whose
best score reaches the threshold (compared in the scores' integer domain: the threshold is
converted once, nothing else is dequantized), sorted by score, and kept unless they overlap a
kept box of the same class (any class with agnostic=True) by IoU > iou_threshold.
"""

import struct
from array import array

_TYPES = {"float32": 0, "int8": 1, "uint8": 2}
_FORMATS = {"xyxy": 0, "cxcywh": 1, "yxyx": 2}


def _f32_bits(x):
    return struct.unpack("<i", struct.pack("<f", x))[0]


def _describe(buf, info, dtype, scale, zero_point, name):
    """(buffer, dtype, scale, zero point, element count) from the arguments."""
    if hasattr(buf, "data") and hasattr(buf, "zero_point") and hasattr(buf, "typecode"):
        info, buf = buf, buf.data  # a micronn.Tensor (inside a Python op)
    if info is not None:
        dtype = info.dtype
        scale = info.scale
        zero_point = info.zero_point
    if dtype is None:
        dtype = "float32"
    if dtype not in _TYPES:
        raise ValueError("%s: dtype %r not supported (float32, int8, uint8)" % (name, dtype))
    if hasattr(buf, "dtype") and hasattr(buf, "size"):  # numpy array (CPython)
        count = buf.size
    else:
        count = len(memoryview(buf))
        if isinstance(buf, (bytes, bytearray, memoryview)) and dtype == "float32":
            count //= 4  # raw bytes of float32 data
    if dtype != "float32" and not (scale is not None and scale > 0):
        raise ValueError("%s: quantized %s needs a positive scale" % (name, dtype))
    return buf, dtype, scale or 0.0, zero_point or 0, count


def nms(boxes, scores, score_threshold=0.25, iou_threshold=0.45, max_detections=100,
        box_format="xyxy", agnostic=False, boxes_info=None, scores_info=None, box_dtype=None,
        box_scale=None, box_zero_point=None, score_dtype=None, score_scale=None,
        score_zero_point=None):
    """Non-max suppression over boxes [N, 4] and class scores [N, C].

    boxes/scores: buffers (float32 arrays; int8/uint8 bytes or arrays with their scale and zero
    point), numpy arrays, or micronn.Tensor. Their dtype and quantization come from
    `boxes_info`/`scores_info` (a model's TensorInfo, e.g. m.outputs[0]) or from the explicit
    box_*/score_* arguments. box_format: "xyxy" (corners), "cxcywh" (center, size) or "yxyx".

    Returns up to max_detections tuples (box index, class, score, (x1, y1, x2, y2)), best score
    first; scores dequantized, boxes as corners.
    """
    from . import kernels

    boxes, bt, bs, bz, nb = _describe(boxes, boxes_info, box_dtype, box_scale, box_zero_point, "boxes")
    scores, st, ss, sz, ns = _describe(scores, scores_info, score_dtype, score_scale, score_zero_point, "scores")
    if nb % 4 or nb == 0:
        raise ValueError("boxes: %d values, expected N x 4" % nb)
    n = nb // 4
    if ns % n or ns == 0:
        raise ValueError("scores: %d values for %d boxes" % (ns, n))
    if box_format not in _FORMATS:
        raise ValueError("box_format: expected one of %s" % ", ".join(sorted(_FORMATS)))
    params = array("i", [n, ns // n, _FORMATS[box_format], _TYPES[bt], bz, _f32_bits(bs), _TYPES[st], sz,
                         _f32_bits(ss), _f32_bits(score_threshold), _f32_bits(iou_threshold),
                         max_detections, 1 if agnostic else 0])
    scratch = bytearray(16 * n)  # heap blocks are 4-byte aligned
    indices = bytearray(4 * max_detections)
    out = bytearray(24 * max_detections)
    count = kernels.nms_boxes(boxes, scores, params, scratch, indices, out)
    dets = []
    for i in range(count):
        v = struct.unpack_from("<6f", out, 24 * i)
        dets.append((struct.unpack_from("<i", indices, 4 * i)[0], int(v[5]), v[4], v[:4]))
    return dets
