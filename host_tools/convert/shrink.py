"""micronn shrink: an int8 .tflite with fewer weight bits, layer by layer, within an error budget.

Two modes, both on the filters of CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED (int8 input,
int8 constant filter):

* `bits=4`: the filter is requantized to a TFLite INT4 tensor (two values per byte, the first in
  the low nibble, as TFLite Micro's UnpackDenseInt4IntoInt8 reads them). CONV_2D and
  DEPTHWISE_CONV_2D keep one scale per output channel (max |w| / 7); FULLY_CONNECTED gets one scale
  per tensor (TFLite Micro refuses per-channel int4 fully-connected filters). The int32 bias is
  requantized to the new scale (its scale must be input_scale * filter_scale).
* `lut_bits=b`: each output channel's int8 weights are clustered (1-D k-means) into at most 2^b
  int8 values; the filter stays int8 with its scales. This is the exact decompressed equivalent
  of a look-up-table compressed model (b-bit indices into a per-channel table of 2^b int8
  values): TFLite Micro runs it as is. The bytes reported are those of the LUT form.

With calibration inputs each candidate layer is measured alone (output SNR against the int8
model, both run in TFLite Micro's interpreter); layers are then taken greedily by bytes saved per
unit of output error and each is kept only while the whole model stays within the budget (top-1
agreement with the int8 model and/or output SNR in dB). Sensitive layers stay at 8 bits.
"""

import math

import flatbuffers
import numpy as np

from ..check import modelgen as mg
from ..check import tflm

TT = mg.TensorType
_LAYER_OPS = ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED")


class ShrinkError(ValueError):
    pass


# ---------------------------------------------------------------------------- flatbuffer writing
def write_model(model):
    """schema.ModelT -> .tflite bytes, every buffer's data 16-byte aligned."""
    bufs = []
    for b in model.buffers:
        nb = mg._AlignedBufferT()
        nb.data = None if b.data is None or len(b.data) == 0 else np.asarray(b.data, dtype=np.uint8)
        nb.offset, nb.size = b.offset, b.size
        bufs.append(nb)
    model.buffers = bufs
    builder = flatbuffers.Builder(1024)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def read(tflite_bytes):
    head = bytes(tflite_bytes[4:8])
    if head != b"TFL3":
        raise ShrinkError("model: expected a .tflite file (TFL3 at bytes 4-8), got %r" % head)
    try:
        return mg.read_model(tflite_bytes)
    except Exception as e:
        raise ShrinkError("model: not a valid .tflite flatbuffer (%s)" % e) from None


# ---------------------------------------------------------------------------- layers
class Layer:
    """One weight-carrying op: its filter (int8 array), scales, channel axis, bias."""

    def __init__(self, index, kind, op, model):
        sg = model.subgraphs[0]
        self.index, self.kind = index, kind
        self.filter = op.inputs[1]
        self.bias = op.inputs[2] if len(op.inputs) > 2 and op.inputs[2] >= 0 else -1
        ft = sg.tensors[self.filter]
        self.name = ft.name.decode() if isinstance(ft.name, bytes) else str(ft.name)
        self.w = mg.buffer_array(model, self.filter).astype(np.int64)
        q = mg.tensor_quant(model, self.filter)
        self.scales = q[0].astype(np.float64)
        self.axis = (3 if kind == "DEPTHWISE_CONV_2D" else 0) if self.scales.size == 1 else q[2]
        self.in_scale = float(mg.tensor_quant(model, op.inputs[0])[0][0])
        self.int8_bytes = int(self.w.size)

    def channels(self):
        return np.moveaxis(self.w, self.axis, 0).reshape(self.w.shape[self.axis], -1)

    def low_bytes(self, bits, lut):
        if not lut:
            return (self.w.size + 1) // 2
        n_ch = self.w.shape[self.axis]
        return (self.w.size * bits + 7) // 8 + n_ch * (1 << bits)


def layers(model):
    """Candidate layers (op index order): int8 input, int8 constant filter, one op per filter."""
    sg = model.subgraphs[0]
    out, uses = [], {}
    for op in sg.operators:
        for i in op.inputs:
            uses[i] = uses.get(i, 0) + 1
    for k, op in enumerate(sg.operators):
        kind = mg.builtin_name(mg.opcode_of(model, op))
        if kind not in _LAYER_OPS or len(op.inputs) < 2:
            continue
        x, f = sg.tensors[op.inputs[0]], sg.tensors[op.inputs[1]]
        if x.type != TT.INT8 or f.type != TT.INT8 or mg.buffer_array(model, op.inputs[1]) is None:
            continue
        if uses[op.inputs[1]] != 1 or mg.tensor_quant(model, op.inputs[1]) is None:
            continue
        if len(op.inputs) > 2 and op.inputs[2] >= 0 and (
                sg.tensors[op.inputs[2]].type != TT.INT32 or uses[op.inputs[2]] != 1):
            continue
        out.append(Layer(k, kind, op, model))
    return out


def _set_buffer(model, tensor, data):
    """Give `tensor` the bytes of `data`: in its own buffer if no other tensor shares it."""
    buf = mg._AlignedBufferT()
    buf.data = np.ascontiguousarray(data).view(np.uint8).reshape(-1)
    t = model.subgraphs[0].tensors[tensor]
    shared = sum(1 for g in model.subgraphs for u in g.tensors if u.buffer == t.buffer) > 1
    if shared or t.buffer == 0:
        model.buffers.append(buf)
        t.buffer = len(model.buffers) - 1
    else:
        model.buffers[t.buffer] = buf


def _int4(model, L):
    """Requantize L's filter to packed INT4 (and its bias to the new scale) in `model`."""
    sg = model.subgraphs[0]
    w = L.w.astype(np.float64)
    shape = [1] * w.ndim
    shape[L.axis] = -1
    real = w * (L.scales.reshape(shape) if L.scales.size > 1 else L.scales[0])
    per_channel = L.kind != "FULLY_CONNECTED"
    if per_channel:
        m = np.abs(np.moveaxis(real, L.axis, 0).reshape(real.shape[L.axis], -1)).max(axis=1)
        old = np.broadcast_to(L.scales, m.shape) if L.scales.size == 1 else L.scales
        s4 = np.where(m > 0, m / 7.0, old).astype(np.float32).astype(np.float64)
        q = np.clip(np.round(real / s4.reshape(shape)), -8, 7)
    else:
        m = float(np.abs(real).max())
        s4 = np.array([m / 7.0 if m > 0 else L.scales.max()], dtype=np.float32).astype(np.float64)
        q = np.clip(np.round(real / s4[0]), -8, 7)
    t = sg.tensors[L.filter]
    t.type = TT.INT4
    t.quantization.scale = [float(s) for s in s4]
    t.quantization.zeroPoint = [0] * s4.size
    t.quantization.quantizedDimension = int(L.axis) if per_channel else 0
    _set_buffer(model, L.filter, mg.pack_int4(q.astype(np.int64)))
    if L.bias >= 0:
        b = mg.buffer_array(model, L.bias).astype(np.float64)
        old_bs = L.in_scale * (L.scales if L.scales.size > 1 else np.full(b.size, L.scales[0]))
        new_s = np.float32(L.in_scale) * (s4 if s4.size > 1 else np.full(1, s4[0]))
        new_s = new_s.astype(np.float32)
        nb = np.clip(np.round(b * old_bs / np.broadcast_to(new_s.astype(np.float64), b.shape)),
                     -2 ** 31, 2 ** 31 - 1).astype(np.int32)
        bt = sg.tensors[L.bias]
        bt.quantization.scale = [float(s) for s in new_s]
        bt.quantization.zeroPoint = [0] * new_s.size
        bt.quantization.quantizedDimension = 0
        _set_buffer(model, L.bias, nb.astype("<i4"))


def cluster(values, k):
    """1-D k-means of int values into at most k int8 centres; returns the values mapped to their
    nearest centre (int64). Deterministic: quantile initialisation."""
    v = np.asarray(values, dtype=np.int64)
    uniq, counts = np.unique(v, return_counts=True)
    if uniq.size <= k:
        return v.copy()
    c = uniq[np.round(np.linspace(0, uniq.size - 1, k)).astype(np.int64)].astype(np.float64)
    for _ in range(100):
        idx = np.abs(uniq[:, None] - c[None, :]).argmin(axis=1)
        new = c.copy()
        for j in range(k):
            if np.any(idx == j):
                new[j] = np.average(uniq[idx == j], weights=counts[idx == j])
            else:  # an empty cluster takes the value worst served
                err = np.abs(uniq - new[idx]) * counts
                new[j] = uniq[int(err.argmax())]
        if np.allclose(new, c):
            break
        c = new
    c = np.round(c)
    while np.unique(c).size < k:  # rounding merged centres: add the worst-served values back
        u = np.unique(c)
        err = np.abs(uniq[:, None] - u[None, :]).min(axis=1) * counts
        c = np.append(u, uniq[int(err.argmax())])
    c = np.unique(np.clip(np.round(c), -128, 127))
    return c[np.abs(v[:, None] - c[None, :]).argmin(axis=1)].astype(np.int64)


def _lut(model, L, bits):
    ch = L.channels()
    out = np.stack([cluster(row, 1 << bits) for row in ch])
    shaped = np.moveaxis(out.reshape((L.w.shape[L.axis],) + tuple(np.delete(L.w.shape, L.axis))), 0, L.axis)
    _set_buffer(model, L.filter, shaped.astype(np.int8))


def strip_names(tflite_bytes):
    """The model with the names of its inner tensors emptied (inputs and outputs keep theirs) and
    the float min/max ranges of every tensor dropped (TFLite Micro reads neither)."""
    m = read(tflite_bytes)
    for g in m.subgraphs:
        keep = set(g.inputs or []) | set(g.outputs or [])
        for i, t in enumerate(g.tensors):
            if i not in keep:
                t.name = b""
            if t.quantization is not None:
                t.quantization.min = t.quantization.max = None
    return write_model(m)


def apply(tflite_bytes, chosen, bits=4, lut_bits=None):
    """The model with the layers whose op index is in `chosen` shrunk; -> bytes."""
    m = read(tflite_bytes)
    for L in layers(m):
        if L.index in chosen:
            if lut_bits:
                _lut(m, L, lut_bits)
            else:
                _int4(m, L)
    return write_model(m)


# ---------------------------------------------------------------------------- calibration
def _quantize_input(x, d, what):
    x = np.asarray(x)
    if x.dtype == d["dtype"]:
        return x
    if x.dtype == np.uint8 and d["dtype"] == np.int8:  # images: pixel - 128
        return (x.astype(np.int16) - 128).astype(np.int8)
    if np.issubdtype(x.dtype, np.floating) and d["scales"].size:
        info = np.iinfo(d["dtype"])
        return np.clip(np.round(x / d["scales"][0]) + d["zero_points"][0], info.min, info.max).astype(d["dtype"])
    raise ShrinkError("%s: dtype %s, the model input is %s (give %s, uint8 pixels or floats)" % (
        what, x.dtype, d["dtype"], d["dtype"]))


def samples(tflite_bytes, sources=None, n_random=8, limit=64, seed=0):
    """Calibration inputs: a list of samples, each a list of input arrays. `sources` are .npz
    files (input_0.. of the input's shape or with a leading sample axis; or a single array of
    samples, e.g. `specs`), .png/.bmp images (one sample each); none: `n_random` seeded random."""
    from ..pngread import read_png

    read(tflite_bytes)
    det = tflm.io_details(tflite_bytes)["inputs"]
    out = []
    for src in sources or []:
        low = str(src).lower()
        if low.endswith(".npz"):
            z = np.load(src)
            keys = ["input_%d" % i for i in range(len(det))]
            if not all(k in z for k in keys):
                arrays = [z[k] for k in z.files if z[k].ndim >= len(det[0]["shape"])]
                if len(det) != 1 or not arrays:
                    raise ShrinkError("--calib %s: expected arrays %s (got %s)" % (src, ", ".join(keys), ", ".join(z.files)))
                keys = [k for k in z.files if z[k].ndim >= len(det[0]["shape"])][:1]
            per = []
            for k, d in zip(keys, det):
                a, n = z[k], int(np.prod(d["shape"]))
                if a.size % n:
                    raise ShrinkError("--calib %s: %s has %d elements, not a multiple of the input's %d %r" % (
                        src, k, a.size, n, d["shape"]))
                per.append([_quantize_input(s, d, "--calib %s: %s" % (src, k)).reshape(d["shape"])
                            for s in a.reshape((-1,) + d["shape"])])
            out += [list(t) for t in zip(*per)]
        elif low.endswith((".png", ".bmp")):
            raw = open(src, "rb").read()
            img = read_png(raw) if low.endswith(".png") else read_bmp(raw)
            d = det[0]
            if img.size != int(np.prod(d["shape"])):
                raise ShrinkError("--calib %s: %d pixels, the model input %r has %d" % (
                    src, img.size, d["shape"], int(np.prod(d["shape"]))))
            out.append([_quantize_input(img, d, "--calib " + str(src)).reshape(d["shape"])])
        else:
            raise ShrinkError("--calib %s: expected a .npz, .png or .bmp file" % src)
    if not sources:
        rng = np.random.default_rng(seed)
        for _ in range(n_random):
            out.append([rng.integers(np.iinfo(d["dtype"]).min, np.iinfo(d["dtype"]).max + 1,
                                     size=d["shape"]).astype(d["dtype"]) for d in det])
    if not out:
        raise ShrinkError("--calib: no samples")
    return out[:limit]


def read_bmp(data):
    """An uncompressed 8/24-bit BMP -> uint8 [h, w] (8-bit palette indices as grey) or [h, w, 3] RGB."""
    if data[:2] != b"BM":
        raise ShrinkError("not a BMP file")
    off, w, h, bpp = (int.from_bytes(data[10:14], "little"), int.from_bytes(data[18:22], "little", signed=True),
                      int.from_bytes(data[22:26], "little", signed=True), int.from_bytes(data[28:30], "little"))
    if bpp not in (8, 24) or int.from_bytes(data[30:34], "little") != 0:
        raise ShrinkError("BMP: only uncompressed 8 or 24 bits per pixel (got %d)" % bpp)
    ch = bpp // 8
    stride = (w * ch + 3) & ~3
    rows = [np.frombuffer(data, np.uint8, w * ch, off + r * stride) for r in range(abs(h))]
    img = np.stack(rows).reshape(abs(h), w, ch)
    if h > 0:
        img = img[::-1]
    return img[:, :, 0] if ch == 1 else img[:, :, ::-1]


def outputs(tflite_bytes, xs):
    """Dequantized outputs (float64, one flat array per output) of every sample, in TFLM."""
    s = tflm.Session(tflite_bytes)
    od = s.output_details()
    res = []
    for x in xs:
        ys = s.run(x)
        res.append([(y.astype(np.float64) - (d["zero_points"][0] if d["zero_points"].size else 0))
                    * (d["scales"][0] if d["scales"].size else 1.0) for y, d in zip(ys, od)])
    return res


def compare(ref, got):
    """-> (top-1 agreement of output 0, output SNR in dB over every output and sample)."""
    agree = np.mean([np.argmax(r[0]) == np.argmax(g[0]) for r, g in zip(ref, got)])
    sig = sum(float(np.sum(a ** 2)) for r in ref for a in r)
    noise = sum(float(np.sum((a - b) ** 2)) for r, g in zip(ref, got) for a, b in zip(r, g))
    snr = math.inf if noise == 0 else 10 * math.log10(max(sig, 1e-30) / noise)
    return float(agree), snr


# ---------------------------------------------------------------------------- the tool
class Result:
    def __init__(self, data, rows, before, after, agree, snr, n, lut_bits, bits):
        self.data, self.rows, self.before, self.after = data, rows, before, after
        self.agreement, self.snr, self.n_samples, self.lut_bits, self.bits = agree, snr, n, lut_bits, bits

    def table(self):
        low = "lut%d" % self.lut_bits if self.lut_bits else "int%d" % self.bits
        lines = ["%-4s %-18s %-24s %5s %9s %9s %9s" % ("op", "kind", "filter", "bits", "int8 B", "now B", "SNR dB")]
        for r in self.rows:
            lines.append("%-4d %-18s %-24s %5s %9d %9d %9s" % (
                r["index"], r["kind"], r["name"][:24], low if r["low"] else "8", r["int8_bytes"], r["bytes"],
                "%.1f" % r["snr"] if math.isfinite(r["snr"]) else "inf"))
        w0, w1 = sum(r["int8_bytes"] for r in self.rows), sum(r["bytes"] for r in self.rows)
        lines.append("layer weight bytes %d -> %d (%.2fx)" % (w0, w1, w1 / max(w0, 1)))
        if self.lut_bits:
            lines.append("file %d bytes (int8, the decompressed equivalent of the LUT model: %d bytes "
                         "with LUT-compressed layers)" % (len(self.data), self.before - w0 + w1))
        else:
            lines.append("file %d -> %d bytes (%.2fx)" % (self.before, self.after, self.after / self.before))
        lines.append("agreement with int8 top-1 on %d samples: %.1f %%, output SNR %s dB" % (
            self.n_samples, 100 * self.agreement, "%.1f" % self.snr if math.isfinite(self.snr) else "inf"))
        return "\n".join(lines)


def shrink(tflite_bytes, bits=4, lut_bits=None, xs=None, min_agreement=None, min_snr=None, log=None,
           strip_names=False):
    """Shrink every candidate layer that keeps the model within the budget; -> Result.
    No budget (both None): every candidate layer is shrunk."""
    if lut_bits is None and bits != 4:
        raise ShrinkError("--bits: expected 4 (int4 packed weights), got %r" % bits)
    if lut_bits is not None and not 1 <= int(lut_bits) <= 7:
        raise ShrinkError("--lut-bits: expected 1..7, got %r" % lut_bits)
    if min_snr is not None and not math.isfinite(min_snr):
        raise ShrinkError("--min-snr: expected a finite number of dB, got %r" % min_snr)
    if min_agreement is not None and not 0 <= min_agreement <= 1:
        raise ShrinkError("--min-agreement: expected a fraction in [0, 1], got %r" % min_agreement)
    tflite_bytes = bytes(tflite_bytes)
    m = read(tflite_bytes)
    cands = layers(m)
    if not cands:
        raise ShrinkError("model: no int8 CONV_2D, DEPTHWISE_CONV_2D or FULLY_CONNECTED filter to shrink")
    xs = xs if xs is not None else samples(tflite_bytes)
    ref = outputs(tflite_bytes, xs)
    saved = {L.index: L.int8_bytes - L.low_bytes(lut_bits or bits, bool(lut_bits)) for L in cands}
    alone = {}
    for L in cands:
        alone[L.index] = compare(ref, outputs(apply(tflite_bytes, {L.index}, bits, lut_bits), xs))
        if log:
            log("layer %d %s alone: agreement %.3f, SNR %.1f dB" % (L.index, L.kind, *alone[L.index]))

    def ok(agree, snr):
        return (min_agreement is None or agree >= min_agreement) and (min_snr is None or snr >= min_snr)

    order = sorted(cands, key=lambda L: -saved[L.index] * 10 ** (min(alone[L.index][1], 200) / 10))
    chosen = set()
    data = tflite_bytes
    agree, snr = 1.0, math.inf
    if min_agreement is None and min_snr is None:
        chosen = {L.index for L in cands}
        data = apply(tflite_bytes, chosen, bits, lut_bits)
        agree, snr = compare(ref, outputs(data, xs))
    else:
        for L in order:
            if saved[L.index] <= 0:
                continue
            trial = apply(tflite_bytes, chosen | {L.index}, bits, lut_bits)
            a, s = compare(ref, outputs(trial, xs))
            if log:
                log("try layer %d: agreement %.3f, SNR %.1f dB: %s" % (L.index, a, s, "keep" if ok(a, s) else "8 bits"))
            if ok(a, s):
                chosen.add(L.index)
                data, agree, snr = trial, a, s
    if strip_names:
        data = globals()["strip_names"](data)
    rows = [{"index": L.index, "kind": L.kind, "name": L.name, "low": L.index in chosen,
             "int8_bytes": L.int8_bytes, "snr": alone[L.index][1],
             "bytes": L.low_bytes(lut_bits or bits, bool(lut_bits)) if L.index in chosen else L.int8_bytes}
            for L in cands]
    return Result(data, rows, len(tflite_bytes), len(data), agree, snr, len(xs), lut_bits, bits)
