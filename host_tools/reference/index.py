"""numpy reference kernels of the SHAPE area's indexing, resampling and filling ops (ops_index.py):
one function per C kernel, the name of its spec entry's kernel.

The data-movement kernels (resize_nearest, gather, gather_nd, embedding_lookup) check their
arguments as their hand-written bindings do (firmware/_micronn/bind_index.c): same order, same
messages; the bilinear ones are spec-bound (@spec_kernel)."""

import numpy as np

from ..ops import ops_index
from .args import _buf, _vbuf
from .args import _count as _n
from .args import _vparams as _params
from .spec_args import spec_kernel

__all__ = ["resize_nearest", "resize_bilinear_f32", "resize_bilinear_s8", "gather", "gather_nd",
           "embedding_lookup", "dynamic_update_slice", "broadcast_copy", "broadcast_args"]

_ELEM_DTYPES = {1: "int8", 2: "int16", 4: "uint32", 8: "uint64"}
_ELEM_NP = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}
f32 = np.float32


def _layout_params(params, lay):
    return lay.named(_params(params, lay.ranges(), len(lay)))


def _elem(p, lay):
    at = lay.index["element_size"]
    if p[at] not in _ELEM_DTYPES:
        raise ValueError("params[%d] (element_size): %d is not 1, 2, 4 or 8" % (at, p[at]))
    return p[at]


def _view(obj, name, elem, count, writable=False):
    return _vbuf(obj, name, _ELEM_DTYPES[elem], count, writable).view(_ELEM_NP[elem])


# ---------------------------------------------------------------------------- RESIZE_*
def _resize_scale(in_size, out_size, align_corners):
    if align_corners and out_size > 1:
        return f32(in_size - 1) / f32(out_size - 1)
    return f32(in_size) / f32(out_size)


def _nearest_src(out_size, in_size, align_corners, half_pixel):
    """TFLite Micro's GetNearestNeighbor for every output index, in float32."""
    v = (np.arange(out_size, dtype=f32) + f32(0.5 if half_pixel else 0.0)) * _resize_scale(in_size, out_size, align_corners)
    s = np.floor(v)
    if align_corners:
        s = np.where(v - s >= f32(0.5), s + 1, s)  # round half away from zero (v >= 0)
    return np.minimum(s.astype(np.int64), in_size - 1)


def resize_nearest(input, output, params):
    """output[b, y, x, :] = input[b, src(y), src(x), :]."""
    lay = ops_index.RESIZE_NN
    p = _layout_params(params, lay)
    elem = _elem(p, lay)
    n_out = _n("output", p.n, p.out_h, p.out_w, p.c)
    x = _view(input, "input", elem, _n("input", p.n, p.in_h, p.in_w, p.c)).reshape(p.n, p.in_h, p.in_w, p.c)
    out = _view(output, "output", elem, n_out, True)
    ys = _nearest_src(p.out_h, p.in_h, p.align_corners, p.half_pixel_centers)
    xs = _nearest_src(p.out_w, p.in_w, p.align_corners, p.half_pixel_centers)
    out[:] = x[:, ys][:, :, xs].reshape(-1)
    return output


def _bilinear_src(out_size, in_size, scale, half_pixel):
    """(float32 source coordinates, lower taps, upper taps) (TFLM's ComputeInterpolationValues)."""
    i = np.arange(out_size, dtype=f32)
    v = ((i + f32(0.5)) * scale - f32(0.5)) if half_pixel else i * scale
    lo = np.clip(np.floor(v).astype(np.int64), 0, in_size - 1)  # (> in_size - 1 only for params TFLM refuses)
    hi = np.minimum(np.ceil(v).astype(np.int64), in_size - 1)
    return v.astype(f32), lo, hi


@spec_kernel
def resize_bilinear_f32(input, output, p):
    x = input.reshape(p.n, p.in_h, p.in_w, p.c)
    vy, y0, y1 = _bilinear_src(p.out_h, p.in_h, _resize_scale(p.in_h, p.out_h, p.align_corners), p.half_pixel_centers)
    vx, x0, x1 = _bilinear_src(p.out_w, p.in_w, _resize_scale(p.in_w, p.out_w, p.align_corners), p.half_pixel_centers)
    dy = (vy - y0.astype(f32)).reshape(1, -1, 1, 1)
    dx = (vx - x0.astype(f32)).reshape(1, 1, -1, 1)
    one = f32(1.0)
    # the reference's expression, one float32 operation at a time in its order
    v = (x[:, y0][:, :, x0] * (one - dy) * (one - dx) + x[:, y1][:, :, x0] * dy * (one - dx)
         + x[:, y0][:, :, x1] * (one - dy) * dx + x[:, y1][:, :, x1] * dy * dx)
    output[:] = (v + f32(0.0)).astype(f32).reshape(-1)


def _tdiv(a, d):
    """C integer division (truncation toward zero)."""
    a = np.asarray(a, np.int64)
    return np.sign(a) * (np.abs(a) // d)


def _scale_q10(in_size, out_size, align_corners):
    if align_corners and out_size > 1:
        return ((1 << 10) * (in_size - 1) + (out_size - 1) // 2) // (out_size - 1)
    return ((1 << 10) * in_size + out_size // 2) // out_size


def _bilinear_src_q10(out_size, in_size, scale_10, half_pixel):
    i = np.arange(out_size, dtype=np.int64)
    v = i * scale_10 + scale_10 // 2 - (1 << 9) if half_pixel else i * scale_10
    lo = np.clip(_tdiv(v, 1 << 10), 0, in_size - 1)
    hi = np.minimum(_tdiv(v + (1 << 10) - 1, 1 << 10), in_size - 1)
    return v, lo, hi


@spec_kernel
def resize_bilinear_s8(input, output, p):
    x = input.reshape(p.n, p.in_h, p.in_w, p.c).astype(np.int64)
    vy, y0, y1 = _bilinear_src_q10(p.out_h, p.in_h, _scale_q10(p.in_h, p.out_h, p.align_corners), p.half_pixel_centers)
    vx, x0, x1 = _bilinear_src_q10(p.out_w, p.in_w, _scale_q10(p.in_w, p.out_w, p.align_corners), p.half_pixel_centers)
    dy = (vy - (1 << 10) * y0).reshape(1, -1, 1, 1)
    dx = (vx - (1 << 10) * x0).reshape(1, 1, -1, 1)
    acc = (x[:, y0][:, :, x0] * ((1 << 10) - dy) * ((1 << 10) - dx) + x[:, y1][:, :, x0] * dy * ((1 << 10) - dx)
           + x[:, y0][:, :, x1] * ((1 << 10) - dy) * dx + x[:, y1][:, :, x1] * dy * dx)
    half = np.where(acc > 0, 1 << 19, -(1 << 19))
    output[:] = _tdiv(acc + half, 1 << 20).astype(np.int8).reshape(-1)


# ---------------------------------------------------------------------------- GATHER, GATHER_ND, EMBEDDING_LOOKUP
def gather(input, indices, output, params):
    """output[b, o, k, :] = input[b, o, indices[b, k], :]; an index outside [0, axis) raises."""
    lay = ops_index.GATHER
    p = _layout_params(params, lay)
    elem = _elem(p, lay)
    n_out = _n("output", p.batch, p.outer, p.coords, p.inner)
    x = _view(input, "input", elem, _n("input", p.batch, p.outer, p.axis, p.inner))
    idx = _vbuf(indices, "indices", "int32", _n("indices", p.batch, p.coords))
    out = _view(output, "output", elem, n_out, True)
    bad = np.flatnonzero((idx < 0) | (idx >= p.axis))
    if len(bad):
        raise ValueError("indices[%d]: %d is out of range [0, %d) (GATHER)" % (bad[0], idx[bad[0]], p.axis))
    x = x.reshape(p.batch, p.outer, p.axis, p.inner)
    rows = idx.reshape(p.batch, 1, p.coords)
    out[:] = np.take_along_axis(x, rows[..., None].astype(np.int64), axis=2).reshape(-1)
    return output


def gather_nd(input, indices, output, params):
    """output[i, :] = input[from_i : from_i + slice], from_i = sum_j indices[i, j] * stride_j;
    a slice outside the input raises (the only check TFLite Micro makes)."""
    lay = ops_index.GATHER_ND
    p = _layout_params(params, lay)
    elem = _elem(p, lay)
    n_out = _n("output", p.slices, p.slice)
    x = _view(input, "input", elem, p.params_count)
    idx = _vbuf(indices, "indices", "int32", _n("indices", p.slices, p.nd)).reshape(p.slices, p.nd)
    out = _view(output, "output", elem, n_out, True)
    strides = np.array([p["stride%d" % j] for j in range(p.nd)], np.int64)
    start = idx.astype(np.int64) @ strides
    bad = np.flatnonzero((start < 0) | (start + p.slice > p.params_count))
    if len(bad):
        raise ValueError("indices[%d]: the slice it selects is outside the input of %d elements "
                         "(GATHER_ND index out of bounds)" % (bad[0], p.params_count))
    out[:] = x[start[:, None] + np.arange(p.slice, dtype=np.int64)[None, :]].reshape(-1)
    return output


def embedding_lookup(lookup, value, output, params):
    """output[i, :] = value[lookup[i], :] (hybrid: int8 value -> float32 value * scale)."""
    lay = ops_index.EMBED
    p = _layout_params(params, lay)
    elem = 1 if p.hybrid else _elem(p, lay)
    n_out = _n("output", p.lookups, p.cols)
    idx = _vbuf(lookup, "lookup", "int32", p.lookups)
    v = _view(value, "value", elem, _n("value", p.rows, p.cols)).reshape(p.rows, p.cols)
    out = _buf(output, "output", "float32", n_out, True) if p.hybrid else _view(output, "output", elem, n_out, True)
    bad = np.flatnonzero((idx < 0) | (idx >= p.rows))
    if len(bad):
        raise ValueError("lookup[%d]: %d is out of range [0, %d) (EMBEDDING_LOOKUP)" % (bad[0], idx[bad[0]], p.rows))
    rows = v[idx.astype(np.int64)]
    if p.hybrid:
        scale = np.array([p.scale], np.int32).view(f32)[0]
        out[:] = (rows.view(np.int8).astype(f32) * scale).reshape(-1)
    else:
        out[:] = rows.reshape(-1)
    return output


# ---------------------------------------------------------------------------- DYNAMIC_UPDATE_SLICE, broadcasts
def dynamic_update_slice(operand, update, start_indices, output, params):
    """output = operand with update written at the start indices, each clamped into [0, d - u]."""
    lay = ops_index.DUS
    p = _layout_params(params, lay)
    elem = _elem(p, lay)
    d = [p["d%d" % k] for k in range(6)]
    u = [p["u%d" % k] for k in range(6)]
    for k in range(6):
        if u[k] > d[k]:
            raise ValueError("params: update dim %d (%d) > operand dim (%d)" % (k, u[k], d[k]))
    if p.index_size not in (4, 8):
        raise ValueError("params[1] (index_size): %d is not 4 or 8" % p.index_size)
    n = _n("output", _n("output", *d[:4]), d[4], d[5])
    n_upd = _n("update", _n("update", *u[:4]), u[4], u[5])
    x = _view(operand, "operand", elem, n).reshape(d)
    upd = _view(update, "update", elem, n_upd).reshape(u)
    raw = _vbuf(start_indices, "start_indices", "uint64" if p.index_size == 8 else "int32", p.rank)
    raw = raw.view(np.int64) if p.index_size == 8 else raw
    out = _view(output, "output", elem, n, True)
    starts = [0] * (6 - p.rank) + [int(v) for v in raw]
    starts = [min(max(0, s), dk - uk) for s, dk, uk in zip(starts, d, u)]
    y = x.copy()
    y[tuple(slice(s, s + uk) for s, uk in zip(starts, u))] = upd
    out[:] = y.reshape(-1)
    return output


def broadcast_copy(input, output, params):
    """output[i0..i4] = input[i0 * s0 + ... + i4 * s4] (BROADCAST_TO, FILL, ZEROS_LIKE, SHAPE)."""
    lay = ops_index.BCAST
    p = _layout_params(params, lay)
    elem = _elem(p, lay)
    d = [p["d%d" % k] for k in range(5)]
    s = [p["s%d" % k] for k in range(5)]
    n = _n("output", _n("output", *d[:4]), d[4])
    span = 1 + sum((dk - 1) * sk for dk, sk in zip(d, s))
    if span > 1 << 30:
        raise ValueError("input: more than %d elements" % (1 << 30))
    x = _view(input, "input", elem, span)
    out = _view(output, "output", elem, n, True)
    idx = np.zeros(1, np.int64)
    for dk, sk in zip(d, s):
        idx = (idx[:, None] + np.arange(dk, dtype=np.int64)[None, :] * sk).reshape(-1)
    out[:] = x[idx]
    return output


def broadcast_args(shape1, shape2, output, params):
    """output = the broadcast of shape vectors shape1 and shape2 (from the back; int32 compares);
    incompatible dims raise."""
    lay = ops_index.BARGS
    p = _layout_params(params, lay)
    if p.element_size not in (4, 8):
        raise ValueError("params[0] (element_size): %d is not 4 or 8" % p.element_size)
    dt, npt = ("uint64", np.int64) if p.element_size == 8 else ("int32", np.int32)
    a = _vbuf(shape1, "shape1", dt, p.n1).view(npt).astype(np.int64)
    b = _vbuf(shape2, "shape2", dt, p.n2).view(npt).astype(np.int64)
    out = _vbuf(output, "output", dt, p.n_out, True).view(npt)
    as32 = lambda v: int(np.int64(v).astype(np.int32))  # noqa: E731 (TFLM's int)
    dims = [0] * p.n_out
    for i in range(p.n_out):
        x = as32(a[p.n1 - 1 - i]) if p.n1 - 1 - i >= 0 else 1
        y = as32(b[p.n2 - 1 - i]) if p.n2 - 1 - i >= 0 else 1
        if x != 1 and y != 1 and x != y:
            raise ValueError("output[%d]: the shapes' dims are neither equal nor 1 (BROADCAST_ARGS)" % (p.n_out - 1 - i))
        dims[p.n_out - 1 - i] = y if x == 1 else x
    out[:] = np.array(dims, np.int64).astype(npt)
    return output
