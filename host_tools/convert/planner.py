"""The activation memory plan: tensor lifetimes, in-place outputs, kernel scratch, placement
(Converter methods, as a mixin)."""

from micronn import oplist

from .graph import _align


class Planner:
    """Converter methods that plan the arena (self: the Converter)."""

    def _lifetimes(self):
        """({id: first op}, {id: last op}) of every activation the ops use, by memory root
        (mem(): RESHAPE aliases and in-place outputs resolved): graph inputs live from op 0,
        graph outputs until len(ops). A runtime op (IF, WHILE, CALL_ONCE) is followed by the ops
        of the subgraphs it runs, up to its span_end: its own tensors and those subgraphs' inputs
        and outputs live over that whole span (a WHILE runs its subgraphs again and again)."""
        n_ops = len(self.ops)
        first, last = {}, {}

        def live(t, a, b):
            t = self.mem(t)
            if t is not None and not t.is_const and not t.in_state:
                first[id(t)] = min(first.get(id(t), a), a)
                last[id(t)] = max(last.get(id(t), b), b)

        for t in self.inputs:  # (an input no op reads, e.g. SHAPE's or ZEROS_LIKE's, lives at op 0)
            live(t, 0, 0)
        for k, op in enumerate(self.ops):
            end = k if op.span_end is None else op.span_end
            for t in list(op.inputs) + list(op.outputs):
                live(t, k, end)
        for sub in self.subgraphs[1:]:
            for t in sub.inputs + sub.outputs:
                live(t, sub.start, sub.end)
        for t in self.outputs:
            live(t, n_ops, n_ops)
        n = getattr(self, "patch_stage", None)
        if n:  # a stage run patch by patch (convert/patch.py) is one step: ops 0..n-1
            for i in first:
                if first[i] < n:
                    first[i], last[i] = 0, max(last[i], n - 1)
        return first, last

    def _activations(self):
        """[(aligned bytes, first op, last op, tensor)] of the arena activations to place: the
        memory roots, without the scratch shared outside the arena."""
        first, last = self._lifetimes()
        return [(_align(t.nbytes), first[id(t)], last[id(t)], t) for t in self.tensors
                if not (t.is_const or t.alias is not None or t.share is not None or id(t) not in first
                        or getattr(t, "shared", False) or t.in_state)]

    def plan_in_place(self):
        """Elementwise ops (IN_PLACE_OPS: their kernels read element i before writing element i,
        in order, same element size) write their output over an input of the same shape whose
        last use they are: the output keeps its own tensor entry (its quantization) but takes
        that input's bytes, so the two need one buffer (TFLite Micro's planner gives them two).
        Graph inputs (run() may be called again on them), graph outputs and variables keep
        their own memory."""
        keep = {id(self.mem(t)) for sub in self.subgraphs for t in sub.inputs + sub.outputs}
        self.in_place = []
        last = self._lifetimes()[1]
        for k, op in enumerate(self.ops):
            if op.opcode not in oplist.IN_PLACE or len(op.outputs) != 1:
                continue
            y = op.outputs[0]
            if y.alias is not None or y.share is not None or id(y) in keep or y.in_state:
                continue
            for x in op.inputs:
                r = self.mem(x)
                if (r is None or r.is_const or id(r) in keep or r.in_state or last.get(id(r)) != k
                        or x.shape != y.shape or x.dtype != y.dtype):
                    continue
                y.share = r
                self.in_place.append((k, op.name))
                last = self._lifetimes()[1]  # y's later uses are now uses of r
                break

    def plan_scratch(self):
        """Plan the arena, giving an op its kernel scratch (one-op lifetime, see _conv_common)
        only where that does not grow the arena over the plan without any scratch; the other
        ops' bindings take a temporary buffer from the heap for the call."""
        ops = [op for op in self.ops if getattr(op, "scratch", None) is not None]
        for op in ops:
            op.inputs.remove(op.scratch)
        self.plan_memory()
        base = self.arena_size
        shared = []
        for op in sorted(ops, key=lambda o: -o.scratch.nbytes):
            op.inputs.append(op.scratch)
            self.plan_memory()
            if self.arena_size > base:
                op.inputs.remove(op.scratch)
                shared.append(op)
        # The rest share one scratch buffer (a kernel's scratch lives only during its call),
        # allocated once at load: run() then allocates nothing.
        for op in shared:
            op.scratch.shared = True
            op.scratch.offset = 0
            op.inputs.append(op.scratch)
        self.scratch_size = _align(max([op.scratch.nbytes for op in shared] or [0]))
        self.plan_memory()

    def plan_memory(self):
        """Place every activation at an arena offset free during its lifetime: greedy, lowest
        (first-fit) or tightest (best-fit) gap, in three orders (largest first, by first use,
        longest-lived first); the smallest arena wins (a tie keeps the earlier order). One order
        alone misses the lower bound on some models (vww_96: 64,512 bytes largest-first; by first
        use it reaches the live_peak() bound)."""
        acts = self._activations()
        orders = (lambda a: (-a[0], a[1]), lambda a: (a[1], -a[0]), lambda a: (a[1] - a[2], -a[0]))
        best = None
        for order in orders:
            for tightest in (False, True):
                offs, arena = _place(sorted(acts, key=order), tightest)
                if best is None or arena < best[1]:
                    best = (offs, arena)
        for t, off in best[0]:
            t.offset = off
        for t in self.tensors:
            if t.alias is not None or t.share is not None:
                t.offset = self.mem(t).offset
        self.arena_size = best[1]

    def plan_state(self):
        """The state area: every variable tensor, resource variable and CALL_ONCE flag, one after
        the other (4-byte aligned), kept across run() calls; state_size bytes."""
        off = 0
        for t in self.tensors:
            if t.in_state:
                t.state_offset = off
                off += (t.nbytes + 3) // 4 * 4
        self.state_size = off

    def live_peak(self):
        """The arena's lower bound for this op order: the largest sum of the (16-byte aligned)
        activations live at one op (RESHAPE aliases and in-place outputs counted once; the
        kernel scratch planned into the arena included). No placement can do better; the
        planner's arena_size equals it when it packs perfectly."""
        acts = self._activations()
        return max([sum(a[0] for a in acts if a[1] <= k <= a[2]) for k in range(len(self.ops))] or [0])



def _place(acts, tightest):
    """Greedy placement of (size, first, last, tensor) in the given order -> ([(tensor, offset)],
    arena bytes): each at the lowest offset (or in the smallest gap) free during its lifetime."""
    placed = []
    arena = 0
    for size, f, end, _t in acts:
        busy = sorted((o, o + s) for o, s, pf, pl in placed if not (pl < f or end < pf))
        off, gap = 0, None
        for lo, hi in busy:
            if lo - off >= size and (gap is None or lo - off < gap[0]):
                gap = (lo - off, off)
                if not tightest:
                    break
            off = max(off, hi)
        off = gap[1] if gap is not None else off
        placed.append((off, size, f, end))
        arena = max(arena, off + size)
    return [(a[3], p[0]) for a, p in zip(acts, placed)], arena

