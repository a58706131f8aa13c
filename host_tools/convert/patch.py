"""Patch-based inference planning (issue 17): the stage (a chain of CONV_2D, DEPTHWISE_CONV_2D
and pooling ops from the first op), a patch grid over the stage output, each patch's input
window per op with its halo (SAME padding only where the window meets the true border), the
arena the patched run needs and the MACs it recomputes. The runtime is
firmware/micronn/patched.py."""

import numpy as np
from micronn import oplist

from .graph import ConvertError, _align

# opcode -> (index of the params constant among the op's inputs, params layout)
_CONV_F = dict(n=0, in_h=1, in_w=2, in_c=3, out_h=4, out_w=5, out_c=6, k_h=7, k_w=8, s_h=9, s_w=10,
               d_h=11, d_w=12, pad_t=13, pad_l=14)
_POOL_F = dict(n=0, in_h=1, in_w=2, in_c=3, out_h=4, out_w=5, out_c=3, k_h=6, k_w=7, s_h=8, s_w=9,
               pad_t=10, pad_l=11)
STAGE_OPS = {oplist.CONV_2D: (3, _CONV_F), oplist.DEPTHWISE_CONV_2D: (3, _CONV_F),
             oplist.AVERAGE_POOL_2D: (1, _POOL_F), oplist.MAX_POOL_2D: (1, _POOL_F)}


class StageOp:
    """One op of the stage: its geometry from its params constant."""

    def __init__(self, op):
        pos, f = STAGE_OPS[op.opcode]
        self.op = op
        self.fields = f
        self.params = np.frombuffer(op.inputs[pos].data, dtype=np.int32).copy()
        g = {k: int(self.params[i]) for k, i in f.items()}
        g.setdefault("d_h", 1)
        g.setdefault("d_w", 1)
        self.g = g
        self.macs_per_pixel = op.macs // max(1, g["out_h"] * g["out_w"])

    def need(self, a, b, axis):
        """Output rows (axis 0) or columns (1) [a, b) -> (input [lo, hi), pad before)."""
        h, s, k, d, p = (("in_h", "s_h", "k_h", "d_h", "pad_t"), ("in_w", "s_w", "k_w", "d_w", "pad_l"))[axis]
        g = self.g
        start = a * g[s] - g[p]
        end = (b - 1) * g[s] - g[p] + (g[k] - 1) * g[d] + 1
        lo, hi = max(0, start), min(g[h], end)
        return lo, hi, lo - start

    def patch_params(self, win, pads, out_hw):
        """The op's params for a patch: input window sizes, output sizes, padding before."""
        q = self.params.copy()
        f = self.fields
        q[f["in_h"]], q[f["in_w"]] = win[1] - win[0], win[3] - win[2]
        q[f["out_h"]], q[f["out_w"]] = out_hw
        q[f["pad_t"]], q[f["pad_l"]] = pads
        return q


def stage_chain(conv):
    """The longest chain of stage ops from op 0, each reading (only) the previous one's output,
    batch 1, int8: [StageOp]."""
    chain = []
    prev = None
    for op in conv.ops:
        if op.opcode not in STAGE_OPS or op.subgraph != 0:
            break
        x = conv.mem(op.inputs[0])
        if prev is not None and x is not conv.mem(prev.op.outputs[0]):
            break
        if x.dtype != oplist.INT8 or len(x.shape) != 4 or x.shape[0] != 1:
            break
        if prev is not None and _uses(conv, x) != 1:
            break
        so = StageOp(op)
        if so.g["n"] != 1:
            break
        chain.append(so)
        prev = so
    return chain


def _uses(conv, t):
    outs = {id(conv.mem(o)) for o in conv.outputs}
    n = sum(1 for op in conv.ops for i in op.inputs if i is not None and conv.mem(i) is t)
    return n + (id(t) in outs)


def _split(n, parts):
    return [(n * i // parts, n * (i + 1) // parts) for i in range(parts)]


class Patching:
    """A stage of n ops cut into a gh x gw grid: the patches' windows and params, the bytes of
    the two patch buffers, the recomputed MACs, the arena it needs."""

    def __init__(self, conv, chain, n, gh, gw):
        self.n, self.gh, self.gw = n, gh, gw
        ops = chain[:n]
        self.ops = ops
        last = ops[-1].g
        self.patches = []
        buf = 0
        macs = 0
        for r0, r1 in _split(last["out_h"], gh):
            for c0, c1 in _split(last["out_w"], gw):
                rows, cols = (r0, r1), (c0, c1)
                windows, params = [None] * n, [None] * n
                for k in range(n - 1, -1, -1):
                    o = ops[k]
                    lo_r, hi_r, pt = o.need(rows[0], rows[1], 0)
                    lo_c, hi_c, pl = o.need(cols[0], cols[1], 1)
                    win = (lo_r, hi_r, lo_c, hi_c)
                    out_hw = (rows[1] - rows[0], cols[1] - cols[0])
                    windows[k] = win
                    params[k] = o.patch_params(win, (pt, pl), out_hw)
                    macs += out_hw[0] * out_hw[1] * o.macs_per_pixel
                    buf = max(buf, (hi_r - lo_r) * (hi_c - lo_c) * o.g["in_c"],
                              out_hw[0] * out_hw[1] * o.g["out_c"])
                    rows, cols = (lo_r, hi_r), (lo_c, hi_c)
                self.patches.append(((r0, r1, c0, c1), windows, params))
        self.buf_bytes = _align(buf)
        self.extra_macs = macs - sum(o.op.macs for o in ops)
        self.arena = patched_peak(conv, ops, 2 * self.buf_bytes)

    def plan(self):
        """The runtime's plan tuple (firmware/micronn/patched.py)."""
        first, last = self.ops[0].g, self.ops[-1].g
        chans = [o.g["in_c"] for o in self.ops] + [last["out_c"]]
        out_pos = [oplist.OPS[o.op.opcode][2] for o in self.ops]
        return (self.n, (first["in_h"], first["in_w"], first["in_c"]),
                (last["out_h"], last["out_w"], last["out_c"]), self.buf_bytes, out_pos, chans,
                [(r, list(w), [p.tobytes() for p in ps]) for r, w, ps in self.patches])


def patched_peak(conv, ops, buf_bytes):
    """The per-op bound of the patched graph. The stage runs as one step: what is live during
    any of its ops is live over all of it, except the stage's inner outputs (they live in the
    two patch buffers of buf_bytes) and the kernel scratch, which stays per op. After the
    stage, what is live at each op as planned."""
    acts = conv._activations()
    n = len(ops)
    inner = {id(conv.mem(o.op.outputs[0])) for o in ops[:-1]}
    scratch = {id(getattr(o.op, "scratch", None)): k for k, o in enumerate(ops)}
    keep = [a for a in acts if a[1] <= n - 1 and id(a[3]) not in inner and id(a[3]) not in scratch]
    base = sum(a[0] for a in keep) + buf_bytes
    peak = max(base + sum(a[0] for a in acts if scratch.get(id(a[3])) == k) for k in range(n))
    for k in range(n, len(conv.ops)):
        peak = max(peak, sum(a[0] for a in acts if a[1] <= k <= a[2]))
    return peak


def candidates(conv, max_grid=8):
    """Every patching of every stage length (1 to the chain's), grids 1..max_grid per side
    (a stage of one op is no gain: at least two)."""
    chain = stage_chain(conv)
    out = []
    for n in range(2, len(chain) + 1):
        for g in range(2, max_grid + 1):
            if g <= chain[n - 1].g["out_h"] and g <= chain[n - 1].g["out_w"]:
                out.append(Patching(conv, chain, n, g, g))
    return out


def choose(conv, budget=None, max_extra=0.10):
    """The patching to use: with a budget (bytes), the one that fits with the fewest extra MACs
    (ConvertError naming the smallest reachable arena when none fits); without, the smallest
    arena whose extra MACs stay within max_extra of the model's MACs. None: no gain."""
    base = conv.arena_size
    cands = candidates(conv)
    total = sum(op.macs for op in conv.ops)
    if budget is not None:
        if base <= budget:
            return None
        fit = [c for c in cands if c.arena <= budget]
        if not fit:
            best = min([c.arena for c in cands] or [base])
            raise ConvertError("arena budget %d bytes: unreachable, the smallest patched arena is %d bytes "
                               "(unpatched %d)" % (budget, min(best, base), base))
        return min(fit, key=lambda c: (c.extra_macs, c.arena))
    ok = [c for c in cands if c.extra_macs <= max_extra * total and c.arena < base]
    return min(ok, key=lambda c: (c.arena, c.extra_macs)) if ok else None


def replan(conv, patching):
    """Re-plan conv's arena for a patched run of patching's stage on today's file format: every
    tensor the stage touches lives over the whole stage (its input is read by every patch while
    its output is written), so the file runs patched or unpatched. The stage's inner tensors
    keep their arena bytes: patching.arena is the bound once they live in the patch buffers."""
    conv.patch_stage = patching.n
    conv.plan_memory()
    return conv
