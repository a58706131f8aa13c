"""Verify a model against TFLite Micro: every output element equal; else the first layer that differs."""

import zlib

import micronn
import numpy as np

from .. import convert as _convert
from . import runner, tflm


def load_inputs(path, model_bytes):
    """Inputs from an .npz (input_0, input_1, ...) or, with no path, the TFLM-shaped zeros."""
    if path:
        try:
            z = np.load(path, allow_pickle=False)
        except (ValueError, OSError) as e:
            if isinstance(e, FileNotFoundError):
                raise
            raise ValueError("--input %s: not an .npz file of input_0, input_1, ... arrays" % path) from None
        if not hasattr(z, "files"):
            raise ValueError("--input %s: a .npy array, expected an .npz of input_0, input_1, ..." % path)
        keys = [k for k in z.files if k.startswith("input_")]
        bad = [k for k in keys if not k[6:].isdigit()]
        if bad or not keys:
            raise ValueError("--input %s: expected keys input_0, input_1, ..., got %s" % (
                path, ", ".join(sorted(z.files)) or "none"))
        keys.sort(key=lambda k: int(k[6:]))
        if [int(k[6:]) for k in keys] != list(range(len(keys))):
            raise ValueError("--input %s: keys %s are not input_0..input_%d" % (path, ", ".join(keys), len(keys) - 1))
        return [z[k] for k in keys]
    s = tflm.Session(model_bytes)
    rng = np.random.default_rng(1234)
    return [rng.integers(np.iinfo(d["dtype"]).min, np.iinfo(d["dtype"]).max + 1, size=d["shape"],
                         dtype=d["dtype"]) if d["dtype"].kind in "iu" else
            rng.standard_normal(d["shape"]).astype(d["dtype"]) for d in s.input_details()]


def verify(tflite_bytes, inputs, backend=None, board=None, out=print):
    """Return True when every output matches TFLM element for element."""
    conv = _convert.convert(tflite_bytes)
    data = conv.serialize()
    res = runner.run(data, inputs, backend=backend, board=board)  # (its input checks are run's)
    ref = tflm.run(tflite_bytes, inputs)
    ok = True
    for i, (a, b) in enumerate(zip(res.outputs, ref)):
        b = np.asarray(b).reshape(a.shape)
        if a.dtype != b.dtype or not np.array_equal(a, b):
            diff = np.argwhere(a != b)
            out("output %d: %d of %d elements differ (first at %s: ours %s, TFLM %s)" % (
                i, len(diff), a.size, tuple(diff[0]) if len(diff) else "-",
                a[tuple(diff[0])] if len(diff) else "-", b[tuple(diff[0])] if len(diff) else "-"))
            ok = False
        else:
            out("output %d: %d elements bit-exact (%s)" % (i, a.size, board or backend or "numpy"))
    if not ok:
        first_differing_layer(conv, data, tflite_bytes, inputs, out)
    return ok


def first_differing_layer(conv, data, tflite_bytes, inputs, out=print):
    """Compare every layer's output (numpy backend) with TFLM's preserved tensors."""
    sess = tflm.Session(tflite_bytes, preserve_all_tensors=True)
    sess.run(inputs)
    m = micronn.load(data)
    rows = m.trace([np.ascontiguousarray(x) for x in inputs])
    for (i, name, crcs), op in zip(rows, [o for o in conv.ops if o.subgraph == 0]):  # (the main graph's)
        for t, crc in zip(op.outputs, crcs):
            want = sess.tensor(t.src)
            if zlib.crc32(np.ascontiguousarray(want).tobytes()) & 0xFFFFFFFF != crc:
                out("first differing layer: op %d %s (tflite op %d), output tensor %r" % (
                    i, name, op.src_index, t.name))
                return i
    out("every layer matches on the numpy backend: the difference is in the device kernels")
    return None
