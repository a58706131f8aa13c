"""Model.profile(), arena_use() and trace(): where an inference's time and RAM go, per layer.
Separate from model.py so that a minimal (Tier-1) firmware can leave it out."""

import struct

from . import fileformat as ff
from .fileformat import int32s as _int32s

try:
    from binascii import crc32
except ImportError:  # pragma: no cover - ports without binascii
    crc32 = None

# Functions of a Model `self` (its methods call them).


def trace(self, inp=None):
    """Run op by op; return [(index, op name, [crc32 of each output])] for layer compares."""
    self.set_inputs(inp)
    rows = []
    for i, (fn, args) in enumerate(self.steps):
        fn(*args)
        name, outs = self.layers[i]
        rows.append((i, name, [crc32(self.view(t)) & 0xFFFFFFFF for t in outs]))
    return rows


def profile(self, inp=None):
    """Model.profile() (see its docstring there)."""
    self.set_inputs(inp)
    saved = [bytes(v) for v in self._in_views]  # the timed run() may overwrite them
    k = self.kernels
    ticks = k.ticks
    timing = getattr(k, "kernel_timing", None)
    outs = self.new_outputs()  # time the allocation-free run(), as an application runs it
    t0 = ticks()
    self.run(None, outs)
    total = ticks() - t0
    if timing is not None:
        timing(True)
    rows = []
    ops = 0
    for v, x in zip(self._in_views, saved):
        v[:] = x
    try:
        for i, (fn, args) in enumerate(self.steps):
            t0 = ticks()
            fn(*args)
            dt = ticks() - t0
            kt = k.kernel_ticks() if timing is not None and self.layers[i][0] in _TIMED else None
            name, outs = self.layers[i]
            macs = _op_macs(name, args)
            rows.append([i, name, _shape(self, outs[0]) if outs else (), macs, dt,
                         macs / dt if dt else 0.0, 0.0, kt])
            ops += dt
    finally:
        if timing is not None:
            timing(False)
    use = arena_use(self)
    for r, b in zip(rows, use):
        r[6] = r[4] / total if total else 0.0
        r.append(b)
    kern = 0
    for r in rows:
        kern += r[4] if r[7] is None else r[7]
    return {"rows": [tuple(r) for r in rows], "total": total, "ops": ops, "overhead": total - kern,
            "unit": getattr(k, "TICK_UNIT", "ns"), "scale": getattr(k, "TICK_SCALE", 1)}


def arena_use(self):
    """Model.arena_use() (see its docstring there)."""
    d = self.file
    h = struct.unpack_from(ff.HEADER_FMT, d, 0)
    n_t, n_ops, n_in, n_out, t_off, ops_off, io_off = h[5], h[6], h[7], h[8], h[10], h[11], h[12]
    ents = [struct.unpack_from(ff.TENSOR_FMT, d, t_off + i * ff.TENSOR_SIZE)[2:6] for i in range(n_t)]
    first = [n_ops] * n_t
    last = [-1] * n_t
    used = []  # per op: its tensor indices
    pos = ops_off
    for n in range(n_ops):
        _, nin, nout, rsize = struct.unpack_from(ff.OP_FMT, d, pos)
        idx = [t for t in struct.unpack_from("<%dH" % (nin + nout), d, pos + ff.OP_SIZE) if t != ff.NONE]
        used.append(idx)
        for t in idx:
            first[t] = min(first[t], n)
            last[t] = max(last[t], n)
        pos += rsize
    io = struct.unpack_from("<%dH" % (n_in + n_out), d, io_off)
    for t in io[:n_in]:
        first[t] = 0
    for t in io[n_in:]:
        last[t] = n_ops - 1
    for t, (_, flags, _, _) in enumerate(ents):
        if flags & ff.FLAG_VARIABLE:
            first[t], last[t] = 0, n_ops - 1
    out = []
    for n in range(n_ops):
        spans = sorted((e[2], e[2] + e[3]) for t, e in enumerate(ents)
                       if e[0] == ff.KIND_ARENA and e[3] and first[t] <= n <= last[t])
        live, end = 0, 0
        for a, b in spans:
            if b > end:
                live += b - max(a, end)
                end = b
        out.append(live + sum(ents[t][3] for t in set(used[n]) if ents[t][0] == ff.KIND_SCRATCH))
    main = self._subgraphs[0][2]
    if len(main) != n_ops:
        # Multi-subgraph model: a main-graph op's step runs the ops of its subgraphs, which follow
        # it in the file up to the next main-graph op: its RAM is the largest of theirs.
        ends = list(main[1:]) + [n_ops]
        out = [max(out[a:b]) for a, b in zip(main, ends)]
    return out


def _shape(self, t):
    """Shape of tensor t, read from the file's tensor table."""
    t_off = struct.unpack_from(ff.HEADER_FMT, self.file, 0)[10]
    e = struct.unpack_from(ff.TENSOR_FMT, self.file, t_off + t * ff.TENSOR_SIZE)
    return tuple(e[6:6 + e[1]])


# Ops whose bindings time the C kernel alone (kernel_ticks) when kernel_timing is on.
_TIMED = ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "AVERAGE_POOL_2D", "MAX_POOL_2D", "ADD")


def _op_macs(name, args):
    """Multiply-accumulates of a kernel op, from its call arguments (pools: window taps)."""
    if name in ("CONV_2D", "DEPTHWISE_CONV_2D", "AVERAGE_POOL_2D", "MAX_POOL_2D"):
        p = _int32s(args[4] if name[0] in "CD" else args[2])
        if name == "CONV_2D":
            return p[0] * p[4] * p[5] * p[6] * p[7] * p[8] * p[3]
        if name == "DEPTHWISE_CONV_2D":
            return p[0] * p[4] * p[5] * p[6] * p[7] * p[8]
        return p[0] * p[4] * p[5] * p[3] * p[6] * p[7]
    if name == "FULLY_CONNECTED":
        return len(args[0]) * args[5]
    if name == "SVDF":  # params: batch, input_size, units, rank, memory (feature and time dot products)
        p = _int32s(args[6])
        return p[0] * p[2] * p[3] * (p[1] + p[4])
    return 0
