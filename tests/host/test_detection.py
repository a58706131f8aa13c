"""TFLite_Detection_PostProcess and micronn.nms.

Generated single-op models (modelgen.detection_postprocess: box encodings [1, N, 4+], class
predictions [1, N, C (+1)], constant anchors [N, 4]) go through the converter and the runtime
(numpy backend, then every firmware board) and are compared with:
  * TFLite Micro (float32 inputs; it supports no other), and with its float run of the exactly
    dequantized inputs for the int8/uint8 models;
  * LiteRT (float32, and uint8 inputs: a uint8 twin of each int8 model, same real values; LiteRT
    has no int8 path), including max_classes_per_detection > 1, whose output layout TFLite Micro
    gets wrong (it writes rows at i * k * (k + 1) / 2 ...; we follow LiteRT).
Detections, classes and count must be equal and scores bit-equal; boxes bit-equal or within one
float32 ulp (box decoding calls exp(); ours is the kernel's own double exp, TFLite's is the C
library's: the test reports how many coordinates differ, none so far).
"""

import micronn
import numpy as np
import pytest
from conftest import boards, require_firmware

from host_tools import convert, reference
from host_tools.check import modelgen, runner, tflm
from host_tools.device import boards as hw

# name, generator options, input kinds; "litert_only": TFLM's layout differs (mcpd > 1)
FLOAT_CASES = [
    ("fast", dict(num_boxes=24, num_classes=3)),
    ("regular", dict(num_boxes=24, num_classes=3, use_regular_nms=True)),
    ("fast_no_bg", dict(num_boxes=50, num_classes=1, background=False, max_detections=10)),
    ("regular_thr", dict(num_boxes=100, num_classes=6, use_regular_nms=True, max_detections=20,
                         detections_per_class=5, nms_score_threshold=0.5)),
    ("fast_all", dict(num_boxes=40, num_classes=2, nms_score_threshold=0.0, nms_iou_threshold=0.3)),
    ("regular_1", dict(num_boxes=30, num_classes=4, use_regular_nms=True, max_detections=1,
                       detections_per_class=1)),
    ("one_box", dict(num_boxes=1, num_classes=1, max_detections=3)),
    ("keypoints", dict(num_boxes=20, num_classes=2, box_stride=6)),
    ("none_pass", dict(num_boxes=20, num_classes=3, use_regular_nms=True, nms_score_threshold=0.99)),
    ("fast_many", dict(num_boxes=30, num_classes=2, max_detections=30, nms_iou_threshold=0.9)),
    ("regular_big", dict(num_boxes=300, num_classes=10, use_regular_nms=True, max_detections=10,
                         detections_per_class=3, nms_score_threshold=0.2)),
    ("ties_fast", dict(num_boxes=40, num_classes=3, max_detections=12), "ties"),
    ("ties_regular", dict(num_boxes=40, num_classes=3, use_regular_nms=True, max_detections=12,
                          detections_per_class=6), "ties"),
    ("iou_1", dict(num_boxes=16, num_classes=2, nms_iou_threshold=1.0, max_detections=16)),
    ("fast_mcpd2", dict(num_boxes=24, num_classes=4, max_classes_per_detection=2), "litert_only"),
    ("fast_mcpd3", dict(num_boxes=24, num_classes=2, max_classes_per_detection=3), "litert_only"),
]

# int8/uint8 cases: generator options (dtypes); checked against LiteRT's uint8 twin and TFLM's
# float twin.
QUANT_CASES = [
    ("q_fast", dict(num_boxes=24, num_classes=3, box_dtype=np.int8, score_dtype=np.int8,
                    anchor_dtype=np.int8)),
    ("q_regular", dict(num_boxes=40, num_classes=4, box_dtype=np.int8, score_dtype=np.int8,
                       anchor_dtype=np.int8, use_regular_nms=True, max_detections=8,
                       detections_per_class=4)),
    ("q_boxes_only", dict(num_boxes=30, num_classes=2, box_dtype=np.int8, score_dtype=np.float32,
                          anchor_dtype=np.int8)),
    ("q_scores_only", dict(num_boxes=60, num_classes=5, box_dtype=np.float32, score_dtype=np.int8,
                           use_regular_nms=True, max_detections=10, detections_per_class=5)),
    ("u8_fast", dict(num_boxes=24, num_classes=3, box_dtype=np.uint8, score_dtype=np.uint8,
                     anchor_dtype=np.uint8, box_quant=(0.05, 131), score_quant=(1 / 256, 0),
                     anchor_quant=(1 / 256, 0))),
    ("q_fast_thr", dict(num_boxes=50, num_classes=2, box_dtype=np.int8, score_dtype=np.int8,
                        anchor_dtype=np.int8, nms_score_threshold=0.7, max_detections=10)),
]


def _anchors(rng, n):
    side = int(np.ceil(np.sqrt(n)))
    k = np.arange(n)
    return np.stack([(k // side + 0.5) / side, (k % side + 0.5) / side,
                     rng.uniform(1.2, 2.5, n) / side, rng.uniform(1.2, 2.5, n) / side], 1)


def _random(rng, dtype, shape, kind=None):
    dt = np.dtype(dtype)
    if dt.kind == "f":
        if kind == "ties":  # scores on a coarse grid: many equal values
            return (rng.integers(0, 9, size=shape) / 8.0).astype(np.float32)
        return rng.uniform(0.0, 1.0, size=shape).astype(np.float32)
    return modelgen.random_input(rng, shape, dt)


def _make(seed, opts, kind=None):
    rng = np.random.default_rng(seed)
    opts = dict(opts)
    n, c = opts["num_boxes"], opts["num_classes"]
    opts["anchors"] = _anchors(rng, n)
    stride = opts.get("box_stride", 4)
    bg = 1 if opts.get("background", True) else 0
    model = modelgen.detection_postprocess(rng, **opts)
    bdt, sdt = opts.get("box_dtype", np.float32), opts.get("score_dtype", np.float32)
    boxes = (rng.normal(0.0, 1.0, (1, n, stride)).astype(np.float32) if np.dtype(bdt).kind == "f"
             else modelgen.random_input(rng, (1, n, stride), bdt))
    scores = _random(rng, sdt, (1, n, c + bg), kind)
    return model, [boxes, scores], opts


def _outputs(res, per_box=1, written=1):
    """(count, boxes, classes, scores) of the detection rows: k boxes of `per_box` rows each
    (max_classes_per_detection in fast NMS), of which the first `written` are set."""
    k = int(np.asarray(res[3]).reshape(-1)[0])
    rows = [r for r in range(k * per_box) if r % per_box < written]
    return (k, np.asarray(res[0]).reshape(-1, 4)[rows], np.asarray(res[1]).reshape(-1)[rows],
            np.asarray(res[2]).reshape(-1)[rows])


ULP_DIFFS = []


def _compare(ours, ref, what, max_ulp=1, per_box=1, written=1):
    k, b, c, s = _outputs(ours, per_box, written)
    k2, b2, c2, s2 = _outputs(ref, per_box, written)
    assert k == k2, "%s: %d detections, reference %d" % (what, k, k2)
    assert np.array_equal(c, c2), "%s: classes %s, reference %s" % (what, c, c2)
    assert np.array_equal(s.view(np.int32), s2.view(np.int32)), "%s: scores %s, reference %s" % (what, s, s2)
    ulps = np.abs(b.view(np.int32).astype(np.int64) - b2.view(np.int32).astype(np.int64))
    assert ulps.size == 0 or ulps.max() <= max_ulp, "%s: boxes differ by %d ulp" % (what, ulps.max())
    ULP_DIFFS.append(int(np.count_nonzero(ulps)))


def litert_run(model, inputs):
    lite = pytest.importorskip("ai_edge_litert.interpreter")
    it = lite.Interpreter(model_content=bytes(model),
                          experimental_op_resolver_type=lite.OpResolverType.BUILTIN_REF)
    it.allocate_tensors()
    for d, x in zip(it.get_input_details(), inputs):
        it.set_tensor(d["index"], x)
    it.invoke()
    return [it.get_tensor(d["index"]) for d in it.get_output_details()]


def _ours(model, inputs):
    return runner.run(model, inputs).outputs


@pytest.mark.parametrize("i", range(len(FLOAT_CASES)), ids=[c[0] for c in FLOAT_CASES])
def test_float_vs_tflm_and_litert(i):
    name, opts = FLOAT_CASES[i][:2]
    kind = FLOAT_CASES[i][2] if len(FLOAT_CASES[i]) > 2 else None
    model, inputs, _ = _make(40000 + i, opts, kind)
    ours = _ours(model, inputs)
    if kind != "litert_only":
        _compare(ours, tflm.run(model, inputs), name + " vs TFLM")
    if kind != "ties" or not opts.get("use_regular_nms"):
        # LiteRT's regular NMS sorts with a comparator that leaves equal scores in any order
        mcpd = 1 if opts.get("use_regular_nms") else opts.get("max_classes_per_detection", 1)
        _compare(ours, litert_run(model, inputs), name + " vs LiteRT", per_box=mcpd,
                 written=min(mcpd, opts["num_classes"]))


def _twin(opts, dtype_map, anchors_float):
    """Generator options of a twin model: dtypes mapped, zero points shifted for uint8."""
    t = dict(opts)
    for key, qkey in (("box_dtype", "box_quant"), ("score_dtype", "score_quant"),
                      ("anchor_dtype", "anchor_quant")):
        dt = np.dtype(t.get(key, np.float32))
        q = t.get(qkey, {"box_quant": (0.05, 3), "score_quant": (1 / 256, -128),
                         "anchor_quant": (1 / 256, -128)}[qkey])
        new = dtype_map(dt)
        if new == dt:
            continue
        t[key] = new
        if new == np.dtype(np.uint8) and dt == np.dtype(np.int8):
            t[qkey] = (q[0], q[1] + 128)
    if anchors_float is not None:
        t["anchors"] = anchors_float
        t["anchor_dtype"] = np.float32
    return t


def _dequant(x, scale, zp):
    return ((x.astype(np.float32) - np.float32(zp)) * np.float32(scale)).astype(np.float32)


@pytest.mark.parametrize("i", range(len(QUANT_CASES)), ids=[c[0] for c in QUANT_CASES])
def test_quantized_vs_litert_uint8_and_tflm_float(i):
    name, opts = QUANT_CASES[i]
    model, inputs, full = _make(41000 + i, opts)
    ours = _ours(model, inputs)
    defaults = {"box_quant": (0.05, 3), "score_quant": (1 / 256, -128), "anchor_quant": (1 / 256, -128)}
    q = {k: full.get(k, v) for k, v in defaults.items()}
    # anchors as the model holds them (quantized, then dequantized by the converter)
    adt = np.dtype(full.get("anchor_dtype", np.float32))
    if adt.kind == "f":
        anchors_f = full["anchors"].astype(np.float32)
    else:
        s, zp = q["anchor_quant"]
        info = np.iinfo(adt)
        qa = np.clip(np.round(full["anchors"] / s) + zp, info.min, info.max)
        anchors_f = _dequant(qa, s, zp)
    # TFLite Micro: the float model on exactly dequantized inputs
    f_opts = _twin(full, lambda dt: np.dtype(np.float32), anchors_f.astype(np.float64))
    f_model = modelgen.detection_postprocess(np.random.default_rng(0), **f_opts)
    f_inputs = [x if x.dtype == np.float32 else _dequant(x, *q[key])
                for x, key in zip(inputs, ("box_quant", "score_quant"))]
    _compare(ours, tflm.run(f_model, f_inputs), name + " vs TFLM (float twin)")
    # LiteRT: uint8 twin (int8 values + 128, zero points + 128)
    u_opts = _twin(full, lambda dt: np.dtype(np.uint8) if dt == np.dtype(np.int8) else dt, None)
    u_model = modelgen.detection_postprocess(np.random.default_rng(0), **u_opts)
    u_inputs = [(x.astype(np.int16) + 128).astype(np.uint8) if x.dtype == np.int8 else x for x in inputs]
    regular_ties = full.get("use_regular_nms") and np.dtype(full.get("score_dtype")) != np.float32
    if not regular_ties:
        _compare(ours, litert_run(u_model, u_inputs), name + " vs LiteRT (uint8 twin)")
    else:  # equal quantized scores: LiteRT's order among them is unspecified; compare as sets
        a, b = _outputs(ours), _outputs(litert_run(u_model, u_inputs))
        assert a[0] == b[0]
        assert np.array_equal(a[3], b[3])
        key = [sorted(zip(s.tolist(), c.tolist(), map(tuple, bx.tolist()))) for _, bx, c, s in (a, b)]
        assert key[0] == key[1]


def test_degenerate_box_is_an_error_like_tflm():
    rng = np.random.default_rng(3)
    anchors = _anchors(rng, 4)
    anchors[2, 2] = 0.0  # zero height -> ymin == ymax
    model = modelgen.detection_postprocess(rng, num_boxes=4, num_classes=1, anchors=anchors)
    inputs = [np.zeros((1, 4, 4), np.float32), np.full((1, 4, 2), 0.9, np.float32)]
    with pytest.raises(RuntimeError):
        tflm.run(model, inputs)
    with pytest.raises(ValueError, match="ymin >= ymax"):
        _ours(model, inputs)


def test_converter_checks():
    rng = np.random.default_rng(4)
    with pytest.raises(convert.ConvertError, match="rows"):
        convert.convert(modelgen.detection_postprocess(rng, max_classes_per_detection=2, output_rows=5))
    with pytest.raises(convert.ConvertError, match="iou"):
        convert.convert(modelgen.detection_postprocess(rng, nms_iou_threshold=1.5))


def test_det_exp_matches_libm_to_an_ulp():
    x = np.random.default_rng(0).uniform(-50, 50, 20000)
    ours = np.array([reference.det_exp(v) for v in x])
    ulps = np.abs(ours.view(np.int64) - np.exp(x).view(np.int64))
    assert ulps.max() <= 1
    # after rounding to float32 (what the kernel stores) they agree
    assert np.array_equal(ours.astype(np.float32), np.exp(x).astype(np.float32))


# ---------------------------------------------------------------------------------------------
# Devices: the same models, outputs byte-equal to the numpy backend.

_DEVICE_SCRIPT = """\
import binascii
from array import array
import micronn
for k, ins in enumerate([%s]):
    m = micronn.load("model%%d.micronn" %% k)
    outs = m.run([array(tc, binascii.unhexlify(h)) for tc, h in ins])
    for i, y in enumerate(outs):
        print("OUT", k, i, str(binascii.hexlify(bytes(y)), "ascii"))
    m = None
"""


def _all_cases():
    out = []
    for i, c in enumerate(FLOAT_CASES):
        out.append(_make(40000 + i, c[1], c[2] if len(c) > 2 else None)[:2])
    for i, c in enumerate(QUANT_CASES):
        out.append(_make(41000 + i, c[1])[:2])
    return out


@pytest.mark.parametrize("board", boards())
def test_device(board, tmp_path):
    require_firmware(board)
    cases = _all_cases()
    lits = []
    for k, (model, inputs) in enumerate(cases):
        (tmp_path / ("model%d.micronn" % k)).write_bytes(convert.convert(model).serialize())
        tcs = [{np.dtype(np.float32): "f", np.dtype(np.int8): "b", np.dtype(np.uint8): "B"}[x.dtype]
               for x in inputs]
        lits.append("[%s]" % ", ".join('("%s", "%s")' % (tc, x.tobytes().hex()) for tc, x in zip(tcs, inputs)))
    rc, out = hw.run_script(board, _DEVICE_SCRIPT % ", ".join(lits), timeout=900, cwd=tmp_path)
    assert rc == 0, out[-3000:]
    got = {}
    for line in out.replace("\r\n", "\n").split("\n"):
        p = line.split()
        if p[:1] == ["OUT"]:
            got[int(p[1]), int(p[2])] = bytes.fromhex(p[3]) if len(p) > 3 else b""
    for k, (model, inputs) in enumerate(cases):
        want = _ours(model, inputs)
        for i, w in enumerate(want):
            assert got[k, i] == np.ascontiguousarray(w).tobytes(), "case %d output %d" % (k, i)


# ---------------------------------------------------------------------------------------------
# micronn.nms (YOLO-style heads)

def _nms_numpy(boxes, scores, thr, iou, max_det, agnostic):
    """Plain float NMS: best class per box, greedy suppression (per class unless agnostic)."""
    cls = scores.argmax(1)
    best = scores[np.arange(len(cls)), cls]
    order = [i for i in np.argsort(-best, kind="stable") if best[i] >= thr]
    keep = []
    for i in order:
        if len(keep) == max_det:
            break
        ok = True
        for j in keep:
            if not agnostic and cls[j] != cls[i]:
                continue
            if _iou_f32(boxes[i], boxes[j]) > np.float32(iou):
                ok = False
                break
        if ok:
            keep.append(i)
    return [(int(i), int(cls[i]), float(best[i])) for i in keep]


def _iou_f32(a, b):
    """IoU of two x1 y1 x2 y2 float32 boxes, in float32."""
    area_a = (a[3] - a[1]) * (a[2] - a[0])
    area_b = (b[3] - b[1]) * (b[2] - b[0])
    h = max(min(a[3], b[3]) - max(a[1], b[1]), np.float32(0))
    w = max(min(a[2], b[2]) - max(a[0], b[0]), np.float32(0))
    inter = h * w
    return inter / (area_a + area_b - inter)


def _yolo(rng, n, c):
    xy = rng.uniform(0, 100, (n, 2))
    wh = rng.uniform(10, 40, (n, 2))
    boxes = np.concatenate([xy, xy + wh], 1).astype(np.float32)
    return boxes, rng.integers(-128, 128, (n, c)).astype(np.int8)


@pytest.mark.parametrize("agnostic", [False, True])
@pytest.mark.parametrize("n,c", [(1, 1), (50, 3), (300, 80)])
def test_nms_int8_scores_equal_float_nms(n, c, agnostic):
    rng = np.random.default_rng(n * 7 + c)
    boxes, q = _yolo(rng, n, c)
    scale, zp = 1 / 256, -128
    deq = (q.astype(np.float32) - np.float32(zp)) * np.float32(scale)
    want = _nms_numpy(boxes, deq, 0.5, 0.45, 20, agnostic)
    got = micronn.nms(boxes.reshape(-1), q.reshape(-1), 0.5, 0.45, 20, agnostic=agnostic,
                      score_dtype="int8", score_scale=scale, score_zero_point=zp)
    assert [(i, k) for i, k, _, _ in got] == [(i, k) for i, k, _ in want]
    assert [s for _, _, s, _ in got] == [s for _, _, s in want]
    for i, _, _, box in got:
        assert np.array_equal(np.float32(box), boxes[i])
    # the float path gives the same
    got_f = micronn.nms(boxes.reshape(-1), deq.reshape(-1), 0.5, 0.45, 20, agnostic=agnostic)
    assert got_f == got


def test_nms_box_formats_and_quantized_boxes():
    rng = np.random.default_rng(9)
    boxes, q = _yolo(rng, 40, 4)
    ref = micronn.nms(boxes.reshape(-1), q.reshape(-1), 0.3, 0.5, 10, score_dtype="int8",
                      score_scale=1 / 256, score_zero_point=-128)
    cxcywh = np.concatenate([(boxes[:, :2] + boxes[:, 2:]) / 2, boxes[:, 2:] - boxes[:, :2]], 1)
    got = micronn.nms(cxcywh.astype(np.float32).reshape(-1), q.reshape(-1), 0.3, 0.5, 10,
                      box_format="cxcywh", score_dtype="int8", score_scale=1 / 256, score_zero_point=-128)
    assert [d[:3] for d in got] == [d[:3] for d in ref]
    # int8 boxes (scale 1, zero point 0 on a 0..127 grid)
    qb = np.clip(np.round(boxes), -128, 127).astype(np.int8)
    got = micronn.nms(qb.reshape(-1), q.reshape(-1), 0.3, 0.5, 10, box_dtype="int8", box_scale=1.0,
                      box_zero_point=0, score_dtype="int8", score_scale=1 / 256, score_zero_point=-128)
    want = micronn.nms(qb.astype(np.float32).reshape(-1), q.reshape(-1), 0.3, 0.5, 10,
                       score_dtype="int8", score_scale=1 / 256, score_zero_point=-128)
    assert got == want


_NMS_SCRIPT = """\
import binascii
import micronn
boxes = binascii.unhexlify("%s")
scores = binascii.unhexlify("%s")
for agn in (False, True):
    dets = micronn.nms(boxes, scores, 0.5, 0.45, 25, agnostic=agn, box_dtype="int8", box_scale=0.5,
                       box_zero_point=-100, score_dtype="int8", score_scale=0.00390625,
                       score_zero_point=-128)
    print("NMS", agn, len(dets), [(i, c) for i, c, s, b in dets])
"""


@pytest.mark.parametrize("board", boards())
def test_nms_device(board):
    require_firmware(board)
    rng = np.random.default_rng(11)
    qb = rng.integers(-128, 60, (200, 4)).astype(np.int8)
    qb[:, 2:] = np.minimum(qb[:, :2].astype(np.int16) + rng.integers(5, 60, (200, 2)), 127).astype(np.int8)
    qs = rng.integers(-128, 128, (200, 20)).astype(np.int8)
    script = _NMS_SCRIPT % (qb.tobytes().hex(), qs.tobytes().hex())
    rc, out = hw.run_script(board, script, timeout=600)
    assert rc == 0, out[-2000:]
    lines = [ln for ln in out.replace("\r\n", "\n").split("\n") if ln.startswith("NMS")]
    for agn, line in zip((False, True), lines):
        dets = micronn.nms(qb.reshape(-1), qs.reshape(-1), 0.5, 0.45, 25, agnostic=agn, box_dtype="int8",
                           box_scale=0.5, box_zero_point=-100, score_dtype="int8",
                           score_scale=0.00390625, score_zero_point=-128)
        assert line == "NMS %s %d %s" % (agn, len(dets), [(i, c) for i, c, s, b in dets])
