"""Converter rules of the detection area (registered with host_tools.convert.registry.custom_rule).

TFLite_Detection_PostProcess (the CUSTOM op at the end of SSD models): its flexbuffer options
become an int32 params constant (reference_detection.detection_params; the score threshold is
converted to the scores' integer domain when they are quantized), quantized anchors are
dequantized here into a float32 constant, and a scratch tensor in the arena gives the kernel
its working memory (decoded boxes, candidate lists).
"""

import numpy as np
from micronn import oplist

from ...ops import table
from ...reference import detection as rd
from ..core import custom_options_dict
from ..graph import ConvertError, Tensor
from ..registry import custom_rule

_DT = {oplist.FLOAT32: "float32", oplist.INT8: "int8", oplist.UINT8: "uint8"}

_REQUIRED = ("max_detections", "max_classes_per_detection", "nms_score_threshold",
             "nms_iou_threshold", "num_classes", "y_scale", "x_scale", "h_scale", "w_scale")


@custom_rule("TFLite_Detection_PostProcess")
def _detection_postprocess(c, n, op):
    opts = custom_options_dict(op)
    missing = [k for k in _REQUIRED if k not in opts]
    if missing:
        raise ConvertError("custom options lack %s" % ", ".join(missing))
    if len(op.inputs) != 3 or len(op.outputs) != 4:
        raise ConvertError("expects 3 inputs and 4 outputs, got %d and %d" % (len(op.inputs), len(op.outputs)))
    boxes, scores, anchors = (c.tensor(i) for i in op.inputs)
    outs = [c.tensor(i) for i in op.outputs]
    for t, what in ((boxes, "box encodings"), (scores, "class predictions")):
        if t.dtype not in _DT:
            raise ConvertError("%s: %s not supported (float32, int8, uint8)" % (what, oplist.DTYPE_NAMES[t.dtype]))
        if t.dtype != oplist.FLOAT32 and t.scale <= 0:
            raise ConvertError("%s: quantized without a scale" % what)
    if len(boxes.shape) != 3 or boxes.shape[0] != 1 or boxes.shape[2] < 4:
        raise ConvertError("box encodings %s: expected [1, N, >= 4]" % (boxes.shape,))
    num = boxes.shape[1]
    if len(scores.shape) != 3 or tuple(scores.shape[:2]) != (1, num):
        raise ConvertError("class predictions %s: expected [1, %d, classes]" % (scores.shape, num))
    if tuple(anchors.shape) != (num, 4):
        raise ConvertError("anchors %s: expected [%d, 4]" % (anchors.shape, num))
    if anchors.dtype != oplist.FLOAT32:
        if not anchors.is_const or anchors.dtype not in (oplist.INT8, oplist.UINT8):
            raise ConvertError("anchors: expected float32, or a constant int8/uint8 tensor")
        q = np.frombuffer(anchors.data, dtype=np.int8 if anchors.dtype == oplist.INT8 else np.uint8)
        deq = (q.astype(np.float32) - np.float32(anchors.zero_point)) * np.float32(anchors.scale)
        anchors = c.const("det%d/anchors" % n, deq.astype(np.float32).reshape(num, 4))
    for t in outs:
        if t.dtype != oplist.FLOAT32:
            raise ConvertError("output %s: expected float32" % t.name)
    rows = int(np.prod(outs[1].shape))
    if outs[0].nbytes != 16 * rows or outs[2].nbytes != 4 * rows or outs[3].nbytes != 4:
        raise ConvertError("outputs %s: expected [1, M, 4], [1, M], [1, M], [1]"
                           % ([t.shape for t in outs],))
    try:
        vals = rd.detection_params(
            num, int(opts["num_classes"]), scores.shape[2], boxes.shape[2], _DT[boxes.dtype],
            boxes.scale, boxes.zero_point, _DT[scores.dtype], scores.scale, scores.zero_point,
            opts["nms_score_threshold"], opts["nms_iou_threshold"], int(opts["max_detections"]),
            int(opts["max_classes_per_detection"]), int(opts.get("detections_per_class", 100)),
            bool(opts.get("use_regular_nms", False)), opts["y_scale"], opts["x_scale"],
            opts["h_scale"], opts["w_scale"], rows)
        size = rd.detection_scratch_size(np.array(vals, dtype=np.int32))
    except (ValueError, KeyError) as e:
        raise ConvertError(str(e)) from None
    p = c.params("det%d" % n, table.DET.check(vals))
    scratch = Tensor("det%d/scratch" % n, oplist.INT8, (size,))
    c.tensors.append(scratch)
    c.add_op(oplist.DETECTION_POSTPROCESS, "TFLite_Detection_PostProcess", n,
             [boxes, scores, anchors, p, scratch], outs)
