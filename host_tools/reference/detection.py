"""numpy reference kernels of the detection area (same names and argument order as the bindings in
firmware/_micronn/bind_detection.c). Re-exported by host_tools.reference (its __init__).

TFLite_Detection_PostProcess works in float in TFLite Micro: box decoding in double, IoU in
float32. The reference repeats those operations one by one (numpy float32/float64 scalars are
IEEE operations, like the C ones; the C is compiled without fused multiply-add). exp() is the
kernel's own double exp (mn_det_exp), so every board and this reference agree exactly; against
TFLM (glibc's exp) a decoded coordinate can differ by one float32 ulp in rare cases.

Scores are compared through integer sort keys: the raw value of int8/uint8 scores (the scale is
positive, so the order is that of the dequantized scores) or the float32 bits mapped to a
monotonic int32. The score threshold is converted to a key on the host.
"""

import math
import struct

import numpy as np

from ..ops import table
from .args import _buf, _count, _nbytes, _params
from .layouts import (  # noqa: F401 (re-exported)
    DET_BOX_SCALE,
    DET_BOX_STRIDE,
    DET_BOX_TYPE,
    DET_BOX_ZP,
    DET_DETECTIONS_PER_CLASS,
    DET_H_SCALE,
    DET_IOU_THRESHOLD,
    DET_LABEL_OFFSET,
    DET_MAX_CLASSES_PER_DETECTION,
    DET_MAX_DETECTIONS,
    DET_MAX_OUT,
    DET_NPARAMS,
    DET_NUM_BOXES,
    DET_NUM_CLASSES,
    DET_SCORE_SCALE,
    DET_SCORE_THRESHOLD,
    DET_SCORE_TYPE,
    DET_SCORE_ZP,
    DET_USE_REGULAR_NMS,
    DET_W_SCALE,
    DET_X_SCALE,
    DET_Y_SCALE,
    NMS_AGNOSTIC,
    NMS_BOX_FORMAT,
    NMS_BOX_SCALE,
    NMS_BOX_TYPE,
    NMS_BOX_ZP,
    NMS_IOU_THRESHOLD,
    NMS_MAX_DETECTIONS,
    NMS_NPARAMS,
    NMS_NUM_BOXES,
    NMS_NUM_CLASSES,
    NMS_SCORE_SCALE,
    NMS_SCORE_THRESHOLD,
    NMS_SCORE_TYPE,
    NMS_SCORE_ZP,
)
from .qmath import INT32_MAX, INT32_MIN

__all__ = [
    "detection_postprocess", "detection_scratch_size", "detection_params", "nms_boxes",
    "nms_params", "score_key", "det_exp",
    "DET_NPARAMS", "DET_SPEC", "NMS_NPARAMS", "NMS_SPEC", "DET_F32", "DET_S8", "DET_U8",
]

DET_F32, DET_S8, DET_U8 = 0, 1, 2
_TYPES = {"float32": DET_F32, "int8": DET_S8, "uint8": DET_U8}


_BIG, _SMALL, _ANY = 1 << 20, 65535, (INT32_MIN, INT32_MAX)
DET_SPEC = table.DET.ranges()  # the op spec (host_tools/ops/table.py)

NMS_SPEC = table.NMS.ranges()  # the op spec (host_tools/ops/table.py)

_F32 = np.float32


def _bits_f32(bits):
    return np.frombuffer(struct.pack("<i", int(bits)), dtype=np.float32)[0]


def _f32_bits(f):
    return int(np.frombuffer(np.float32(f).tobytes(), dtype=np.int32)[0])


def score_key(value, dtype):
    """The sort key of one score: the raw value of int8/uint8, or float32 bits made monotonic."""
    if dtype != "float32":
        return int(value)
    b = _f32_bits(value)
    if b == INT32_MIN:
        b = 0
    return b if b >= 0 else b ^ INT32_MAX


def _keys(arr, type_):
    """Sort keys of a flat score array."""
    if type_ != DET_F32:
        return arr.astype(np.int64)
    b = arr.view(np.int32).astype(np.int64)
    b = np.where(b == INT32_MIN, 0, b)
    return np.where(b >= 0, b, b ^ INT32_MAX)


def _threshold_key(threshold, dtype, scale=1.0, zero_point=0):
    """Scores pass when key >= this: the smallest quantized value whose dequantized float32 is
    >= the threshold (or one past the range when none is)."""
    thr = _F32(threshold)
    if dtype == "float32":
        return score_key(thr, "float32")
    lo = -128 if dtype == "int8" else 0
    for q in range(lo, lo + 256):
        if _F32(q - zero_point) * _F32(scale) >= thr:
            return q
    return lo + 256


def det_exp(x):
    """mn_det_exp: exp(x) in double as the kernel computes it (see mn_detection_postprocess.c)."""
    x = float(x)
    if x != x:
        return x
    if x > 709.79:
        return math.inf
    if x < -745.0:
        return 0.0
    ln2_hi, ln2_lo = 6.93147180369123816490e-01, 1.90821492927058770002e-10
    t = x * 1.44269504088896338700e+00
    k = int(t + 0.5) if t >= 0 else int(t - 0.5)
    r = (x - float(k) * ln2_hi) - float(k) * ln2_lo
    p = 1.0 / 6227020800.0
    for d in (479001600.0, 39916800.0, 3628800.0, 362880.0, 40320.0, 5040.0, 720.0, 120.0, 24.0, 6.0):
        p = 1.0 / d + r * p
    p = 0.5 + r * p
    y = 1.0 + (r + (r * r) * p)
    k1 = int(k / 2)  # C division truncates
    return (y * 2.0 ** k1) * 2.0 ** (k - k1)


# ---------------------------------------------------------------------------------------------
# Host side: params from the op's options and tensors.

def detection_params(num_boxes, num_classes, num_classes_with_background, box_stride,
                     box_dtype, box_scale, box_zero_point, score_dtype, score_scale,
                     score_zero_point, nms_score_threshold, nms_iou_threshold, max_detections,
                     max_classes_per_detection, detections_per_class, use_regular_nms,
                     y_scale, x_scale, h_scale, w_scale, max_out):
    """TFLite_Detection_PostProcess params (dtypes as "float32", "int8", "uint8")."""
    off = int(num_classes_with_background) - int(num_classes)
    if off not in (0, 1):
        raise ValueError("class predictions have %d columns for %d classes (expected C or C + 1)"
                         % (num_classes_with_background, num_classes))
    if not 0.0 < float(_F32(nms_iou_threshold)) <= 1.0:
        raise ValueError("nms_iou_threshold %r not in (0, 1]" % (nms_iou_threshold,))
    for name, v in (("y_scale", y_scale), ("x_scale", x_scale), ("h_scale", h_scale), ("w_scale", w_scale)):
        if not (float(_F32(v)) > 0 and math.isfinite(float(_F32(v)))):
            raise ValueError("%s %r: expected a positive float" % (name, v))
    need = max_detections * (1 if use_regular_nms else max_classes_per_detection)
    if max_out < need:
        raise ValueError("outputs have %d rows, the op writes up to %d" % (max_out, need))
    return [int(num_boxes), int(num_classes), off, int(box_stride), _TYPES[box_dtype],
            int(box_zero_point), _f32_bits(box_scale), _TYPES[score_dtype], int(score_zero_point),
            _f32_bits(score_scale),
            _threshold_key(nms_score_threshold, score_dtype, score_scale, score_zero_point),
            _f32_bits(nms_iou_threshold), int(max_detections), int(max_classes_per_detection),
            int(detections_per_class), int(bool(use_regular_nms)), _f32_bits(y_scale),
            _f32_bits(x_scale), _f32_bits(h_scale), _f32_bits(w_scale), int(max_out)]


def _det_params(params):
    p = _params(params, DET_SPEC, DET_NPARAMS)
    iou = _bits_f32(p[DET_IOU_THRESHOLD])
    if not (iou > 0 and iou <= 1):
        raise ValueError("params[%d] (iou_threshold): expected a float32 in (0, 1]" % DET_IOU_THRESHOLD)
    for i, name in ((DET_Y_SCALE, "y_scale"), (DET_X_SCALE, "x_scale"), (DET_H_SCALE, "h_scale"),
                    (DET_W_SCALE, "w_scale")) + \
            (((DET_BOX_SCALE, "box_scale"),) if p[DET_BOX_TYPE] else ()) + \
            (((DET_SCORE_SCALE, "score_scale"),) if p[DET_SCORE_TYPE] else ()):
        f = _bits_f32(p[i])
        if not (f > 0 and np.isfinite(f)):
            raise ValueError("params[%d] (%s): expected a positive finite float32" % (i, name))
    need = p[DET_MAX_DETECTIONS] * (1 if p[DET_USE_REGULAR_NMS] else p[DET_MAX_CLASSES_PER_DETECTION])
    if p[DET_MAX_OUT] < need:
        raise ValueError("params: max_out %d < %d detections to write" % (p[DET_MAX_OUT], need))
    return p


def detection_scratch_size(params):
    """Bytes of scratch detection_postprocess needs."""
    p = _det_params(params)
    n, max_det, dpc = p[DET_NUM_BOXES], p[DET_MAX_DETECTIONS], p[DET_DETECTIONS_PER_CLASS]
    sel = min(max(max_det, dpc), n)
    lst = max_det + min(dpc, n)
    return 4 * (7 * n + sel + 5 * lst)


# ---------------------------------------------------------------------------------------------
# Kernels

def _typed(obj, name, type_, count):
    if type_ == DET_F32:
        return _buf(obj, name, "float32", count)
    a = _buf(obj, name, "int8", count)
    return a if type_ == DET_S8 else a.view(np.uint8)


def _dequant(arr, type_, i, zp, scale):
    if type_ == DET_F32:
        return arr[i]
    return _F32(int(arr[i]) - zp) * scale


def _iou(a, b):
    """ComputeIntersectionOverUnion in float32; a, b = (ymin, xmin, ymax, xmax) float32."""
    area_a = (a[2] - a[0]) * (a[3] - a[1])
    area_b = (b[2] - b[0]) * (b[3] - b[1])
    if area_a <= 0 or area_b <= 0:
        return _F32(0.0)
    ymin = b[0] if a[0] < b[0] else a[0]
    xmin = b[1] if a[1] < b[1] else a[1]
    ymax = b[2] if b[2] < a[2] else a[2]
    xmax = b[3] if b[3] < a[3] else a[3]
    dy, dx = ymax - ymin, xmax - xmin
    inter = (_F32(0.0) if dy < 0 else dy) * (_F32(0.0) if dx < 0 else dx)
    return inter / (area_a + area_b - inter)


def _sort_desc(idx, keys):
    """Stable sort by key descending (ties keep their order)."""
    return sorted(idx, key=lambda i: -keys[i])


def _nms_single(boxes, keys, thr, iou_thr, max_out):
    keep = _sort_desc([i for i in range(len(keys)) if keys[i] >= thr], keys)
    out_size = min(len(keep), max_out)
    selected, active = [], len(keep)
    for i in range(len(keep)):
        if active == 0 or len(selected) >= out_size:
            break
        if keep[i] < 0:
            continue
        selected.append(keep[i])
        active -= 1
        for j in range(i + 1, len(keep)):
            if keep[j] >= 0 and _iou(boxes[keep[i]], boxes[keep[j]]) > iou_thr:
                keep[j] = -1
                active -= 1
    return selected


def _decode(enc, anchors, p):
    n, stride, t = p[DET_NUM_BOXES], p[DET_BOX_STRIDE], p[DET_BOX_TYPE]
    zp, scale = p[DET_BOX_ZP], _bits_f32(p[DET_BOX_SCALE])
    sy, sx, sh, sw = (float(_bits_f32(p[i])) for i in (DET_Y_SCALE, DET_X_SCALE, DET_H_SCALE, DET_W_SCALE))
    boxes = []
    for i in range(n):
        y, x, h, w = (float(_dequant(enc, t, i * stride + k, zp, scale)) for k in range(4))
        ay, ax, ah, aw = (float(v) for v in anchors[4 * i:4 * i + 4])
        yc = _F32(y / sy * ah + ay)
        xc = _F32(x / sx * aw + ax)
        hh = _F32(0.5 * det_exp(h / sh) * ah)
        hw = _F32(0.5 * det_exp(w / sw) * aw)
        b = (yc - hh, xc - hw, yc + hh, xc + hw)
        if b[0] >= b[2] or b[1] >= b[3]:
            raise ValueError("detection_postprocess: a decoded box has ymin >= ymax or xmin >= xmax")
        boxes.append(b)
    return boxes


def detection_postprocess(box_encodings, class_predictions, anchors, params, scratch,
                          detection_boxes, detection_classes, detection_scores, num_detections):
    """TFLite_Detection_PostProcess (TFLite Micro's kernel); outputs float32, rows past the
    detections zero. Raises ValueError when a decoded box is empty or inverted."""
    p = _det_params(params)
    n, c, off = p[DET_NUM_BOXES], p[DET_NUM_CLASSES], p[DET_LABEL_OFFSET]
    ncb = c + off
    enc = _typed(box_encodings, "box_encodings", p[DET_BOX_TYPE], _count("box_encodings", n, p[DET_BOX_STRIDE]))
    st = p[DET_SCORE_TYPE]
    sc = _typed(class_predictions, "class_predictions", st, _count("class_predictions", n, ncb))
    anc = _buf(anchors, "anchors", "float32", 4 * n)
    need = detection_scratch_size(params)
    if _nbytes(scratch) < need:
        raise ValueError("scratch: expected a writable 4-byte aligned buffer of %d bytes" % need)
    max_out = p[DET_MAX_OUT]
    ob = _buf(detection_boxes, "detection_boxes", "float32", 4 * max_out, writable=True)
    oc = _buf(detection_classes, "detection_classes", "float32", max_out, writable=True)
    os_ = _buf(detection_scores, "detection_scores", "float32", max_out, writable=True)
    onum = _buf(num_detections, "num_detections", "float32", 1, writable=True)
    ob[:] = 0
    oc[:] = 0
    os_[:] = 0
    onum[0] = 0
    szp, sscale = p[DET_SCORE_ZP], _bits_f32(p[DET_SCORE_SCALE])
    thr, iou_thr = p[DET_SCORE_THRESHOLD], _bits_f32(p[DET_IOU_THRESHOLD])
    max_det = p[DET_MAX_DETECTIONS]
    boxes = _decode(enc, anc, p)
    keys = _keys(sc, st).reshape(n, ncb)[:, off:]  # [N, C]

    def write(row, a, cls, flat):
        ob[4 * row:4 * row + 4] = boxes[a]
        oc[row] = _F32(cls)
        os_[row] = _dequant(sc, st, flat, szp, sscale)

    if not p[DET_USE_REGULAR_NMS]:
        mcpd = p[DET_MAX_CLASSES_PER_DETECTION]
        ncat = min(mcpd, c)
        best = [int(v) for v in keys.max(axis=1)]
        selected = _nms_single(boxes, best, thr, iou_thr, max_det)
        for i, a in enumerate(selected):
            order = sorted(range(c), key=lambda k: (-int(keys[a, k]), k))[:ncat]
            for col, k in enumerate(order):
                write(i * mcpd + col, a, k, a * ncb + off + k)
        rows = len(selected)
    else:
        dpc = p[DET_DETECTIONS_PER_CLASS]
        lst = []  # (flat index, key)
        for k in range(c):
            ck = [int(v) for v in keys[:, k]]
            sel = _nms_single(boxes, ck, thr, iou_thr, dpc)
            lst = lst + [(a * ncb + off + k, ck[a]) for a in sel]
            order = sorted(range(len(lst)), key=lambda i: -lst[i][1])  # stable: earlier first
            lst = [lst[i] for i in order[:min(len(lst), max_det)]]
        for r, (flat, _) in enumerate(lst):
            a = flat // ncb
            write(r, a, flat - a * ncb - off, flat)
        rows = len(lst)
    onum[0] = _F32(rows)


def nms_params(num_boxes, num_classes, box_format, box_dtype, box_scale, box_zero_point,
               score_dtype, score_scale, score_zero_point, score_threshold, iou_threshold,
               max_detections, agnostic):
    """nms_boxes params; box_format "xyxy", "cxcywh" or "yxyx"; dtypes "float32"/"int8"/"uint8"."""
    fmt = {"xyxy": 0, "cxcywh": 1, "yxyx": 2}[box_format]
    return [int(num_boxes), int(num_classes), fmt, _TYPES[box_dtype], int(box_zero_point),
            _f32_bits(box_scale), _TYPES[score_dtype], int(score_zero_point), _f32_bits(score_scale),
            _f32_bits(score_threshold), _f32_bits(iou_threshold), int(max_detections), int(bool(agnostic))]


def _nms_box(bx, p, i):
    t, zp, scale = p[NMS_BOX_TYPE], p[NMS_BOX_ZP], _bits_f32(p[NMS_BOX_SCALE])
    v = [_dequant(bx, t, 4 * i + k, zp, scale) for k in range(4)]
    f = p[NMS_BOX_FORMAT]
    if f == 0:
        return (v[1], v[0], v[3], v[2])
    if f == 1:
        hw, hh = v[2] * _F32(0.5), v[3] * _F32(0.5)
        return (v[1] - hh, v[0] - hw, v[1] + hh, v[0] + hw)
    return tuple(v)


def nms_boxes(boxes, scores, params, scratch, indices, out):
    """Standalone NMS (see micronn.h mn_nms); returns the number of detections."""
    p = _params(params, NMS_SPEC, NMS_NPARAMS)
    iou_thr = _bits_f32(p[NMS_IOU_THRESHOLD])
    if not (iou_thr > 0 and iou_thr <= 1):
        raise ValueError("params[%d] (iou_threshold): expected a float32 in (0, 1]" % NMS_IOU_THRESHOLD)
    for i, name, t in ((NMS_BOX_SCALE, "box_scale", p[NMS_BOX_TYPE]),
                       (NMS_SCORE_SCALE, "score_scale", p[NMS_SCORE_TYPE])):
        f = _bits_f32(p[i])
        if t and not (f > 0 and np.isfinite(f)):
            raise ValueError("params[%d] (%s): expected a positive finite float32" % (i, name))
    n, c, max_det = p[NMS_NUM_BOXES], p[NMS_NUM_CLASSES], p[NMS_MAX_DETECTIONS]
    bx = _typed(boxes, "boxes", p[NMS_BOX_TYPE], 4 * n)
    st = p[NMS_SCORE_TYPE]
    sc = _typed(scores, "scores", st, _count("scores", n, c))
    if _nbytes(scratch) < 16 * n:
        raise ValueError("scratch: expected a writable 4-byte aligned buffer of %d bytes" % (16 * n))
    idx = _buf(indices, "indices", "int32", max_det, writable=True)
    o = _buf(out, "out", "float32", 6 * max_det, writable=True)
    dtype = {DET_F32: "float32", DET_S8: "int8", DET_U8: "uint8"}[st]
    thr = _threshold_key(_bits_f32(p[NMS_SCORE_THRESHOLD]), dtype, _bits_f32(p[NMS_SCORE_SCALE]),
                         p[NMS_SCORE_ZP])
    keys = _keys(sc, st).reshape(n, c)
    cls = [int(v) for v in keys.argmax(axis=1)]  # first maximum
    best = [int(keys[i, cls[i]]) for i in range(n)]
    keep = _sort_desc([i for i in range(n) if best[i] >= thr], best)
    count = 0
    for i in range(len(keep)):
        if count >= max_det:
            break
        if keep[i] < 0:
            continue
        a = keep[i]
        ba = _nms_box(bx, p, a)
        idx[count] = a
        o[6 * count:6 * count + 6] = [ba[1], ba[0], ba[3], ba[2],
                                      _dequant(sc, st, a * c + cls[a], p[NMS_SCORE_ZP], _bits_f32(p[NMS_SCORE_SCALE])),
                                      cls[a]]
        count += 1
        for j in range(i + 1, len(keep)):
            if keep[j] < 0 or (not p[NMS_AGNOSTIC] and cls[keep[j]] != cls[a]):
                continue
            if _iou(ba, _nms_box(bx, p, keep[j])) > iou_thr:
                keep[j] = -1
    return count
