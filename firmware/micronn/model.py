"""Load a .micronn model file and run its graph (device and CPython alike)."""

import struct

from . import fileformat as ff
from . import oplist, validate
from .fileformat import int32s as _int32s

try:
    from binascii import crc32
except ImportError:  # pragma: no cover - ports without binascii
    crc32 = None


try:  # the firmware: what a buffer declares of its items (MicroPython arrays have no .typecode)
    from _micronn import typecode as _typecode
except ImportError:  # CPython: array.typecode, memoryview.format
    _typecode = None

_SEQ = (list, tuple)  # built once: a tuple display in run() would allocate per call


class ModelError(ValueError):
    """The model file is corrupt, truncated, or not a micronn model."""


class TensorInfo:
    """Shape, dtype and quantization of a model input or output."""

    def __init__(self, index, dtype, shape, scale, zero_point, nbytes):
        self.index = index
        self.dtype = oplist.DTYPE_NAMES[dtype]
        self.typecode = oplist.DTYPE_CODES[dtype]
        self.shape = shape
        self.scale = scale
        self.zero_point = zero_point
        self.nbytes = nbytes
        self.itemsize = oplist.DTYPE_SIZES[dtype]

    def __repr__(self):
        return "%s(shape=%s, dtype=%s, scale=%s, zero_point=%d)" % (
            type(self).__name__, self.shape, self.dtype, self.scale, self.zero_point)


# Op builders: op record -> (function, argument tuple). Registered by opcode; the
# default for a kernel op calls it with its buffer arguments in file order.
_BUILDERS = {}
_PY_OPS = {}


class Tensor(TensorInfo):
    """A tensor as a Python op sees it: `data` (a memoryview of its bytes, in place: writable
    for activations), `size` (elements) and the TensorInfo fields (`shape`, `dtype` ("int8",
    ...), `typecode` (array typecode), `scale`, `zero_point`, ...). `array()` copies the values
    out into an array; `write(values)` stores an array/list of values of the tensor's type."""

    def __init__(self, data, dtype, shape, scale, zero_point, index=None):
        TensorInfo.__init__(self, index, dtype, shape, scale, zero_point, len(data))
        self.data = data
        self.size = len(data) // self.itemsize

    def array(self):
        from array import array

        return array(self.typecode, bytes(self.data))

    def write(self, values):
        from array import array

        src = values
        try:
            n = -1 if isinstance(src, str) else len(src)
        except TypeError:
            n = -1
        if n < 0:
            raise TypeError("write: tensor %s (%s) takes an array or list of values, got %s" % (
                self.index, self.dtype, type(src).__name__))
        got = getattr(src, "typecode", None) if _typecode is None else _typecode(src)
        other = bool(got) and got != self.typecode  # an array of another type
        try:
            values = array(self.typecode, values)
        except (OverflowError, TypeError):
            values = None
        if other or (values is not None and len(values) != len(src)):
            # (MicroPython's array() copies another typed array's bytes, not its values)
            raise ValueError("write: tensor %s (%s) takes %s values, got a buffer of another type "
                             "(%d items)" % (self.index, self.dtype, self.dtype, len(src)))
        if values is None or (self.typecode != "f" and list(values) != list(src)):
            raise ValueError("write: tensor %s (%s) takes values in %s's range, got %r" % (
                self.index, self.dtype, self.dtype, list(src)[:8]))
        raw = bytes(values)  # (a MicroPython memoryview takes only its own item type)
        if len(raw) != len(self.data):
            raise ValueError("write: tensor %s (%s) has %d elements, got %d values" % (
                self.index, self.dtype, self.size, len(values)))
        self.data[:] = raw


def register_op(name, fn=None):
    """Register a Python implementation of a CUSTOM op (or of a builtin op kept with
    `micronn convert --allow-python-ops`): fn(inputs, outputs, options).

    inputs/outputs are lists of `Tensor` (None for an absent optional input); options is a dict
    (the op's TFLite custom options or builtin options, decoded by the converter). The function
    writes its results into the outputs' `data` in place. Usable as a decorator:
    @micronn.register_op("MyOp"). Register before `micronn.load()`.
    """
    def deco(f):
        if not callable(f):
            raise TypeError("register_op(%r): expected a function fn(inputs, outputs, options), got %s" % (
                name, type(f).__name__))
        _PY_OPS[name] = f
        return f

    return deco(fn) if fn is not None else deco


def _call_op(fn, n, name, ins, outs, opts):
    """A Python op's step: an exception names the op (index and name)."""
    try:
        fn(ins, outs, opts)
    except Exception as e:
        raise RuntimeError("op %d (%s): Python op raised %s: %s" % (n, name, type(e).__name__, e)) from None


def _build_fc(k, args):
    x, w, b, p, mult, shift, y = args
    in_f, out_f, in_off, out_off, lo, hi = _int32s(p)
    return k.fully_connected_s8, (x, w, b, y, in_f, out_f, in_off, out_off, mult, shift, lo, hi)


def _build_quant(fn, args):
    """QUANTIZE/DEQUANTIZE: params (float32 scale, int32 zero point) -> scalar arguments."""
    x, p, y = args
    scale, zp = struct.unpack("<fi", p)
    return fn, (x, y, scale, zp)


_BUILDERS[oplist.FULLY_CONNECTED] = _build_fc
_BUILDERS[oplist.QUANTIZE] = lambda k, args: _build_quant(k.quantize_f32_s8, args)
_BUILDERS[oplist.DEQUANTIZE] = lambda k, args: _build_quant(k.dequantize_s8_f32, args)


class Model:
    """A loaded model: `m.run(inp, out)` or `out = m.run(inp)`."""

    mapped = False  # True: loaded from a memory-mapped file (ROMFS), constants used in flash
    _io = None  # run()'s arguments for the firmware's run_io, made on the first run

    def __init__(self, data, kernels, arena=None):
        self._data = data  # keep the file alive: constants are views into it
        self._k = kernels
        self._arena_buf = arena
        self._parse(memoryview(data))

    # ------------------------------------------------------------------ parsing
    def _parse(self, mv, check_only=False):
        """Check the whole file (header, tensors, io table, ops) before anything is allocated,
        then allocate the arena and scratch and make the plan of kernel calls."""
        (n_t, n_ops, n_in, n_out, arena, t_off, ops_off, io_off, data_off,
         names_off, state, sub_off, n_sub) = self._parse_header(mv)
        self._names = self._parse_names(mv, names_off, len(mv))
        ents, metas, infos = self._parse_tensors(mv, n_t, t_off, arena, data_off, names_off, state)
        io = self._parse_io(mv, io_off, n_in, n_out, ents, infos)
        self._unchecked, calls = self._check_ops(mv, n_ops, ops_off, io_off, metas, ents, self._k)
        self._subgraphs = self._parse_subgraphs(mv, sub_off, data_off, n_sub, n_ops, io, n_in, ents)
        self._check_calls(calls, self._subgraphs, metas, ents)
        if check_only:
            return
        views = self._bind(mv, ents, arena, state, infos)
        # Inputs and outputs (the io table was checked above).
        self.inputs = [TensorInfo(t, *infos[t]) for t in io[:n_in]]
        self.outputs = [TensorInfo(t, *infos[t]) for t in io[n_in:]]
        self._in_views = [views[t] for t in io[:n_in]]
        self._out_views = [views[t] for t in io[n_in:]]
        self._plan_ops(mv, n_ops, ops_off, views, infos)
        # State byte (shared with the firmware's runner): 1 running, 2 inputs stale, 4 the arena
        # reuses the inputs' bytes (then a run without inputs after a run is an error).
        ins = io[:n_in]
        reused = 0
        for t, (kind, _, off, nb) in enumerate(ents):
            for i in ins:
                if kind == ff.KIND_ARENA and t not in ins and nb and off < ents[i][2] + ents[i][3] \
                        and ents[i][2] < off + nb:
                    reused = 4
        self._state = bytearray([reused])
        runner = getattr(self._k, "runner", None)
        self._io = self._make_io() if runner is not None else ()
        if self._io:
            self.run = runner(self, self._io)

    def _parse_header(self, mv):
        size = len(mv)
        if size < ff.HEADER_SIZE:
            raise ModelError("file too short for a micronn header: %d bytes" % size)
        h = struct.unpack_from(ff.HEADER_FMT, mv, 0)
        (magic, version, hsize, fsize, crc, n_t, n_ops, n_in, n_out, arena,
         t_off, ops_off, io_off, data_off, names_off) = h
        if bytes(magic) != ff.MAGIC:
            raise ModelError("not a micronn model (magic %r)%s" % (bytes(magic), (
                ": a .tflite file? convert it first (micronn convert)" if bytes(mv[4:8]) == b"TFL3" else "")))
        if version != ff.VERSION:
            raise ModelError("model file version %d, this runtime reads version %d%s" % (
                version, ff.VERSION, ": convert the .tflite model again with this micronn (micronn convert)"
                if version < ff.VERSION else ": update the firmware"))
        if hsize != ff.HEADER_SIZE or size < ff.HEADER_SIZE:
            raise ModelError("header size %d, expected %d" % (hsize, ff.HEADER_SIZE))
        state, sub_off, n_sub, reserved = struct.unpack_from(ff.EXT_FMT, mv, ff.EXT_OFF)
        if fsize != size:
            raise ModelError("file size %d, header says %d (truncated?)" % (size, fsize))
        if crc32 is not None and crc32(mv[16:]) & 0xFFFFFFFF != crc:
            raise ModelError("checksum mismatch: file corrupt")
        if reserved:
            raise ModelError("header: reserved field is %d, expected 0" % reserved)
        if n_sub < 1:
            raise ModelError("no subgraph (the main graph is subgraph 0)")
        if state > ARENA_MAX:
            raise ModelError("state size %d bytes is beyond any device (max %d): file corrupt" % (state, ARENA_MAX))
        self._check_layout(size, n_t, n_in, n_out, t_off, ops_off, io_off, data_off, names_off, sub_off)
        return h[5:] + (state, sub_off, n_sub)

    def _parse_tensors(self, mv, n_t, t_off, arena, data_off, names_off, state=0):
        """Every tensor entry checked against the file and the arena: (kind, flags, offset,
        nbytes) per tensor, validate.T per tensor (for the op checks), and the public infos."""
        ents, metas, infos = [], [], []
        for i in range(n_t):
            e = struct.unpack_from(ff.TENSOR_FMT, mv, t_off + i * ff.TENSOR_SIZE)
            dtype, ndim, kind, flags, off, nbytes = e[:6]
            shape, scale, zp = tuple(e[6:6 + ndim]), e[12], e[13]
            bad = self._check_tensor(dtype, ndim, kind, flags, off, nbytes, shape, scale, arena,
                                     data_off, names_off, state)
            if bad:
                raise ModelError("tensor %d: %s" % (i, bad))
            ents.append((kind, flags, off, nbytes))
            metas.append(validate.T(i, dtype, kind == ff.KIND_CONST, nbytes, shape, mv, off))
            infos.append((dtype, shape, scale, zp, nbytes))
        return ents, metas, infos

    @staticmethod
    def _parse_io(mv, io_off, n_in, n_out, ents, infos):
        io = struct.unpack_from("<%dH" % (n_in + n_out), mv, io_off)
        for k, t in enumerate(io):
            if t >= len(ents):
                bad = "tensor index %d out of range (%d tensors)" % (t, len(ents))
            elif ents[t][0] != ff.KIND_ARENA:
                bad = "tensor %d is a constant, not an activation" % t
            elif ents[t][3] == 0:
                bad = "tensor %d is empty (shape %s)" % (t, infos[t][1])
            else:
                continue
            raise ModelError("io table: %s %d: %s" % ("input" if k < n_in else "output",
                                                     k if k < n_in else k - n_in, bad))
        return io

    def _bind(self, mv, ents, arena, state, infos):
        """Only now the arena (the largest allocation), the kernel scratch, the state area and
        the views of every tensor into the file, the arena, the scratch or the state."""
        self.arena_size = arena
        self._arena = _alloc_arena(arena, self._arena_buf)
        arena_mv = memoryview(self._arena)
        self.scratch_size = max([off + nb for kind, _, off, nb in ents if kind == ff.KIND_SCRATCH] or [0])
        scratch_mv = (memoryview(_alloc_arena(self.scratch_size, None, "kernel scratch"))
                      if self.scratch_size else memoryview(bytearray(1))[:0])
        self.state_size = state
        # (no state: an empty view of one byte; MicroPython's bytearray(0) memsets a NULL pointer)
        self._state_area = (_alloc_arena(state, None, "the state") if state
                            else memoryview(bytearray(1))[:0])
        state_mv = memoryview(self._state_area)
        views = []
        self._variables = []  # (view, reset byte)
        for t, (kind, flags, off, nbytes) in enumerate(ents):
            if kind == ff.KIND_CONST:
                views.append(mv[off:off + nbytes])
            elif kind == ff.KIND_SCRATCH:
                views.append(scratch_mv[off:off + nbytes])
            elif kind == ff.KIND_STATE:
                v = state_mv[off:off + nbytes]
                views.append(v)
                if flags & ff.FLAG_VARIABLE:
                    # TFLite Micro resets an int8 variable to its zero point, any other to 0.
                    self._variables.append((v, infos[t][3] & 0xFF if infos[t][0] == oplist.INT8 else 0))
            else:
                views.append(arena_mv[off:off + nbytes])
        self._views = views
        self._in_state = [e[0] == ff.KIND_STATE for e in ents]
        self.reset()
        return views

    def _plan_ops(self, mv, n_ops, ops_off, views, infos):
        """Ops -> a plan of (function, arguments) per subgraph: the main graph's is the run's
        plan; a runtime op (IF, WHILE, CALL_ONCE) holds the plans of the subgraphs it runs.
        _check_ops, _parse_subgraphs and _check_calls checked the records, their tensor indices,
        their opcodes and the subgraphs they call."""
        steps, names, records = [], [], []
        pos = ops_off
        for n in range(n_ops):
            opcode, nin, nout, rsize = struct.unpack_from(ff.OP_FMT, mv, pos)
            idx = struct.unpack_from("<%dH" % (nin + nout), mv, pos + ff.OP_SIZE)
            records.append((opcode, nin, idx, pos))
            if opcode == oplist.CUSTOM:
                name, step = self._plan_custom(mv, n, pos, rsize, nin, idx, views, infos)
            elif opcode in ff.RUNTIME_OPS:
                name, step = ff.RUNTIME_OPS[opcode][0], None  # made below, from its subgraphs' plans
                if opcode == ff.OP_COPY and len(idx) == 2:  # a copy into or out of the state area
                    name = "ASSIGN_VARIABLE" if self._in_state[idx[1]] else "READ_VARIABLE" \
                        if self._in_state[idx[0]] else name
            else:
                name, step = self._plan_kernel(n, opcode, nin, [None if t == ff.NONE else views[t] for t in idx])
            steps.append(step)
            names.append((name, idx[nin:nin + nout]))
            pos += rsize
        self._while_limit = bytearray(struct.pack("<i", ff.WHILE_MAX_ITERATIONS))
        plans = {}

        def plan_of(s):  # the subgraph tree was checked (no cycles, bounded depth)
            if s not in plans:
                for n in self._subgraphs[s][2]:
                    if steps[n] is None:
                        steps[n] = self._plan_runtime(mv, n, records[n], views, plan_of)
                plans[s] = [steps[n] for n in self._subgraphs[s][2]]
            return plans[s]

        self._plan = plan_of(0)
        self.layers = [names[n] for n in self._subgraphs[0][2]]
        self.subgraph_count = len(self._subgraphs)

    def _plan_runtime(self, mv, n, record, views, plan_of):
        """The step of runtime op n: a copy, or the run of its subgraphs' plans with the copies of
        TFLite Micro's CopyOpInputsToSubgraphInputs & co. around them."""
        opcode, nin, idx, pos = record
        k = self._k
        copy = getattr(k, "copy", None) or _copy
        ins = [views[t] for t in idx[:nin]]
        outs = [views[t] for t in idx[nin:]]
        if opcode == ff.OP_COPY:
            return (copy, (outs[0], ins[0]))
        subs = struct.unpack_from("<%dH" % ff.RUNTIME_OPS[opcode][1], mv, pos + ff.OP_SIZE + 2 * len(idx))

        def moves(dst, src):
            return [(copy, (d, s)) for d, s in zip(dst, src)]

        def io(s):
            sub = self._subgraphs[s]
            return [views[t] for t in sub[0]], [views[t] for t in sub[1]]

        if opcode == ff.OP_IF:
            branches = []
            for s in subs:
                s_in, s_out = io(s)
                branches.append(tuple(moves(s_in, ins[1:]) + plan_of(s) + moves(outs, s_out)))
            return (getattr(k, "run_if", None) or _run_if, (ins[0], branches[0], branches[1]))
        if opcode == ff.OP_WHILE:
            c_in, c_out = io(subs[0])
            b_in, b_out = io(subs[1])
            pre = tuple(moves(c_in, ins) + moves(outs, ins))
            body = tuple(moves(b_in, outs) + plan_of(subs[1]) + moves(outs, b_out) + moves(c_in, outs))
            return (getattr(k, "run_while", None) or _run_while,
                    (pre, tuple(plan_of(subs[0])), c_out[0], body, self._while_limit, n))
        return (getattr(k, "run_once", None) or _run_once, (ins[0], tuple(plan_of(subs[0]))))

    @property
    def while_limit(self):
        """The most iterations a WHILE op may run in one run() (default
        fileformat.WHILE_MAX_ITERATIONS): one more raises RuntimeError instead of hanging."""
        return struct.unpack("<i", self._while_limit)[0]

    @while_limit.setter
    def while_limit(self, n):
        if not isinstance(n, int) or n < 0 or n > 0x7FFFFFFF:
            raise ValueError("while_limit: expected an int in 0..2147483647, got %r" % (n,))
        struct.pack_into("<i", self._while_limit, 0, n)

    def _plan_custom(self, mv, n, pos, rsize, nin, idx, views, infos):
        name_i = struct.unpack_from("<H", mv, pos + ff.OP_SIZE + 2 * len(idx))[0]
        if name_i >= len(self._names):
            raise ModelError("op %d: custom op name index %d out of range" % (n, name_i))
        name = self._names[name_i]
        fn = _PY_OPS.get(name)
        if fn is None:
            raise ModelError("op %d: custom op %r has no implementation; register one with "
                             "@micronn.register_op(%r) before loading" % (n, name, name))
        opts = self._custom_options(mv, pos, rsize, len(idx), n)
        ts = [None if t == ff.NONE else Tensor(views[t], *infos[t][:4], index=t) for t in idx]
        return name, (_call_op, (fn, n, name, ts[:nin], ts[nin:], opts))

    def _plan_kernel(self, n, opcode, nin, args):
        name, kname, opos = oplist.OPS[opcode]
        builder = _BUILDERS.get(opcode)
        try:
            if builder is not None:
                return name, builder(self._k, args)
            kargs = args[:opos] + args[nin:] + args[opos:nin]
            return name, (getattr(self._k, kname), tuple(kargs))
        except AttributeError:
            raise ModelError("op %d: %s needs kernel %s, missing in this firmware" % (n, name, kname)) from None
        except (ValueError, TypeError) as e:
            raise ModelError("op %d (%s): bad arguments: %s" % (n, name, e)) from None

    def _custom_options(self, mv, pos, rsize, n_idx, n):
        """A CUSTOM op's options: the u16 after its name index points to a JSON object in the
        names (0xFFFF or an older record without it: no options)."""
        at = pos + ff.OP_SIZE + 2 * n_idx + 2
        if at + 2 > pos + rsize:
            return {}
        opt_i = struct.unpack_from("<H", mv, at)[0]
        if opt_i == ff.NONE:
            return {}
        if opt_i >= len(self._names):
            raise ModelError("op %d: custom op options index %d out of range" % (n, opt_i))
        try:
            import json
        except ImportError:  # pragma: no cover - ports without json
            raise ModelError("op %d: custom op options need the json module" % n) from None
        try:
            opts = json.loads(self._names[opt_i])
        except ValueError:
            raise ModelError("op %d: custom op options are not valid JSON" % n) from None
        if not isinstance(opts, dict):
            raise ModelError("op %d: custom op options are not a JSON object" % n)
        return opts

    @staticmethod
    def _check_layout(size, n_t, n_in, n_out, t_off, ops_off, io_off, data_off, names_off, sub_off):
        """The parts follow each other inside the file: header, tensors, ops, io, subgraphs,
        data, names."""
        parts = (("tensor table", t_off, t_off + n_t * ff.TENSOR_SIZE),
                 ("op records", ops_off, io_off),
                 ("io table", io_off, io_off + 2 * (n_in + n_out)),
                 ("subgraph table", sub_off, data_off),
                 ("constant data", data_off, names_off),
                 ("names", names_off, size))
        end = ff.HEADER_SIZE
        prev = "header"
        for name, start, stop in parts:
            if start > size:
                raise ModelError("%s offset 0x%x beyond file end (0x%x)" % (name, start, size))
            if start < end:
                raise ModelError("%s offset 0x%x overlaps the %s (ends at 0x%x)" % (name, start, prev, end))
            if stop > size:
                raise ModelError("%s (0x%x..0x%x) beyond file end (0x%x)" % (name, start, stop, size))
            end, prev = max(end, stop), name
        if data_off % ff.ALIGN:
            raise ModelError("constant data offset 0x%x is not %d-byte aligned" % (data_off, ff.ALIGN))

    @staticmethod
    def _check_tensor(dtype, ndim, kind, flags, off, nbytes, shape, scale, arena, data_off, names_off, state=0):
        """What is wrong with a tensor table entry (the caller names the tensor), or None."""
        if dtype >= len(oplist.DTYPE_NAMES):
            return "unknown dtype %d" % dtype
        if ndim > ff.MAX_DIMS:
            return "%d dimensions (max %d)" % (ndim, ff.MAX_DIMS)
        if flags & ~ff.FLAG_VARIABLE:
            return "unknown flags 0x%x" % flags
        count = 1
        for d in shape:
            if d < 0:
                return "negative dimension %d in shape %s" % (d, shape)
            count *= d
        item = oplist.DTYPE_SIZES[dtype]
        if count * item != nbytes:
            return "%d bytes do not match shape %s of %s (%d bytes)" % (
                nbytes, shape, oplist.DTYPE_NAMES[dtype], count * item)
        if not (scale >= 0.0 and scale - scale == 0.0):  # NaN fails both, inf the second
            return "scale %r is not a finite number >= 0" % scale
        if kind == ff.KIND_CONST:
            if flags:
                return "a constant cannot be a variable"
            if off < data_off or off + nbytes > names_off:
                return "data offset 0x%x+%d outside the constant data (0x%x..0x%x)" % (
                    off, nbytes, data_off, names_off)
            if off % ff.ALIGN:
                return "data offset 0x%x is not %d-byte aligned" % (off, ff.ALIGN)
        elif kind == ff.KIND_SCRATCH:
            if flags:
                return "scratch cannot be a variable"
            if off % 4 or off + nbytes > ARENA_MAX:
                return "scratch offset 0x%x+%d invalid" % (off, nbytes)
        elif kind == ff.KIND_ARENA:
            if flags:
                return "an arena tensor cannot be a variable (variables live in the state area)"
            if off + nbytes > arena:
                return "arena offset 0x%x+%d beyond arena (%d bytes)" % (off, nbytes, arena)
            if off % (item if item < 4 else 4):
                return "arena offset 0x%x is not aligned for %s" % (off, oplist.DTYPE_NAMES[dtype])
        elif kind == ff.KIND_STATE:
            if off + nbytes > state:
                return "state offset 0x%x+%d beyond the state area (%d bytes)" % (off, nbytes, state)
            if off % (item if item < 4 else 4):
                return "state offset 0x%x is not aligned for %s" % (off, oplist.DTYPE_NAMES[dtype])
        else:
            return "unknown kind %d" % kind
        return None

    @staticmethod
    def _check_ops(mv, n_ops, ops_off, ops_end, metas, ents, kernels):
        """Every op record inside the op table, its tensor indices in range, its outputs
        activations, no two of a kernel's arena arguments overlapping, and its kernel arguments
        consistent (validate.CHECKS). Returns the indices of the ops that have no load-time
        check (their bindings check them when they run) and {op: subgraphs it runs} of the
        runtime ops (checked by _check_calls)."""
        pos = ops_off
        unchecked = []
        calls = {}
        for n in range(n_ops):
            if pos + ff.OP_SIZE > ops_end:
                raise ModelError("op %d: record at 0x%x beyond the op table (ends 0x%x)" % (n, pos, ops_end))
            opcode, nin, nout, rsize = struct.unpack_from(ff.OP_FMT, mv, pos)
            rt = ff.RUNTIME_OPS.get(opcode)
            need = ff.OP_SIZE + 2 * (nin + nout) + (2 if opcode == oplist.CUSTOM else 2 * rt[1] if rt else 0)
            if rsize < need or rsize % 4 or pos + rsize > ops_end:
                raise ModelError("op %d: bad record size %d (needs %d, 4-byte multiple, within the op table)" % (
                    n, rsize, need))
            entry = oplist.OPS.get(opcode)
            if rt is not None:
                entry = (rt[0],)
                idx = struct.unpack_from("<%dH" % (nin + nout), mv, pos + ff.OP_SIZE)
                calls[n] = (opcode, nin, idx, struct.unpack_from("<%dH" % rt[1], mv, pos + ff.OP_SIZE + 2 * len(idx)))
            if entry is None and opcode != oplist.CUSTOM:
                area = None
                for first, name in oplist.AREAS:  # the Tier-1 firmware has no area ops
                    if opcode >= first:
                        area = name
                if area:
                    raise ModelError("op %d: opcode %d is an op of the %s area, not in this firmware "
                                     "(built with MICRONN_OP_%s=0)" % (n, opcode, area.lower(), area))
                raise ModelError("op %d: unknown opcode %d" % (n, opcode))
            name = entry[0] if entry else "CUSTOM"
            idx = struct.unpack_from("<%dH" % (nin + nout), mv, pos + ff.OP_SIZE)
            try:
                if Model._check_op(opcode, nin, idx, metas, ents, kernels) and rt is None:
                    unchecked.append(n)
            except validate.Bad as e:
                raise ModelError("op %d (%s): %s" % (n, name, e)) from None
            pos += rsize
        return unchecked, calls

    @staticmethod
    def _parse_subgraphs(mv, off, end, n_sub, n_ops, io, n_in, ents):
        """The subgraph table: [(input tensors, output tensors, op indices)], each op in exactly
        one subgraph, subgraph 0's inputs and outputs those of the io table."""
        subs = []
        owner = [None] * n_ops
        for s in range(n_sub):
            if off + 6 > end:
                raise ModelError("subgraph %d: beyond the subgraph table" % s)
            n_i, n_o, n_p = struct.unpack_from("<3H", mv, off)
            size = 6 + 2 * (n_i + n_o + n_p)
            size += (-size) % 4
            if off + size > end:
                raise ModelError("subgraph %d: beyond the subgraph table" % s)
            idx = struct.unpack_from("<%dH" % (n_i + n_o + n_p), mv, off + 6)
            for t in idx[:n_i + n_o]:
                if t >= len(ents):
                    raise ModelError("subgraph %d: tensor index %d out of range (%d tensors)" % (s, t, len(ents)))
                if ents[t][0] != ff.KIND_ARENA:
                    raise ModelError("subgraph %d: input/output tensor %d is not an activation" % (s, t))
            for n in idx[n_i + n_o:]:
                if n >= n_ops:
                    raise ModelError("subgraph %d: op index %d out of range (%d ops)" % (s, n, n_ops))
                if owner[n] is not None:
                    raise ModelError("subgraph %d: op %d is already in subgraph %d" % (s, n, owner[n]))
                owner[n] = s
            if s == 0 and (tuple(idx[:n_i + n_o]) != tuple(io) or n_i != n_in):
                raise ModelError("subgraph 0: its inputs and outputs are not the io table's")
            subs.append((idx[:n_i], idx[n_i:n_i + n_o], idx[n_i + n_o:]))
            off += size
        if None in owner:
            raise ModelError("op %d is in no subgraph" % owner.index(None))
        return subs

    @staticmethod
    def _check_calls(calls, subs, metas, ents):
        """Runtime ops: each subgraph other than 0 run by exactly one of them, none running itself
        (directly or through others), nesting at most MAX_NESTING deep; the copies between an
        op's tensors and its subgraphs' of equal sizes."""
        caller = {}
        in_sub = {}
        for s, sub in enumerate(subs):
            for n in sub[2]:
                in_sub[n] = s
        for n, (opcode, nin, idx, refs) in calls.items():
            name = ff.RUNTIME_OPS[opcode][0]
            try:
                for s in refs:
                    if s == 0 or s >= len(subs):
                        raise validate.Bad("subgraph %d out of range (1..%d)" % (s, len(subs) - 1))
                    if s in caller:
                        raise validate.Bad("subgraph %d is also run by op %d" % (s, caller[s]))
                    caller[s] = n
                Model._check_runtime_op(opcode, nin, idx, refs, subs, metas, ents)
            except validate.Bad as e:
                raise ModelError("op %d (%s): %s" % (n, name, e)) from None
        for s in range(1, len(subs)):
            if s not in caller:
                raise ModelError("subgraph %d is run by no op" % s)
        for s in range(1, len(subs)):
            chain, p = [s], s
            while p != 0:
                p = in_sub[caller[p]]
                if p in chain:
                    raise ModelError("subgraph %d runs itself (recursion)" % p)
                chain.append(p)
                if len(chain) > MAX_NESTING + 1:
                    raise ModelError("subgraph %d is nested more than %d deep" % (s, MAX_NESTING))

    @staticmethod
    def _check_runtime_op(opcode, nin, idx, refs, subs, metas, ents):
        ins, outs = idx[:nin], idx[nin:]
        if ff.NONE in idx:
            raise validate.Bad("every argument is required")

        def same(what, a, b):
            for k, (x, y) in enumerate(zip(a, b)):
                if metas[x].nbytes != metas[y].nbytes:
                    raise validate.Bad("%s %d: tensor %d has %d bytes, tensor %d %d" % (
                        what, k, x, metas[x].nbytes, y, metas[y].nbytes))

        def count(s, n_i, n_o):
            if len(subs[s][0]) != n_i or (n_o is not None and len(subs[s][1]) != n_o):
                raise validate.Bad("subgraph %d has %d inputs and %d outputs, expected %d and %s" % (
                    s, len(subs[s][0]), len(subs[s][1]), n_i, "any" if n_o is None else n_o))

        if opcode == ff.OP_COPY:
            if nin != 1 or len(outs) != 1:
                raise validate.Bad("expected 1 input and 1 output")
            same("output", outs, ins)
        elif opcode == ff.OP_IF:
            if nin < 1 or metas[ins[0]].dtype != oplist.BOOL or metas[ins[0]].nbytes != 1:
                raise validate.Bad("input 0 (the condition) must be a bool tensor of 1 element")
            for s in refs:
                count(s, nin - 1, len(outs))
                same("input", subs[s][0], ins[1:])
                same("output", subs[s][1], outs)
        elif opcode == ff.OP_WHILE:
            if nin != len(outs):
                raise validate.Bad("%d inputs but %d outputs" % (nin, len(outs)))
            count(refs[0], nin, None)
            count(refs[1], nin, nin)
            c_out = subs[refs[0]][1]
            if not c_out or metas[c_out[0]].dtype != oplist.BOOL or not metas[c_out[0]].nbytes:
                raise validate.Bad("subgraph %d (cond): output 0 must be a bool tensor" % refs[0])
            for s in refs:
                same("input", subs[s][0], ins)
            same("output", outs, ins)
            same("output", subs[refs[1]][1], ins)
        elif opcode == ff.OP_CALL_ONCE:
            if nin != 1 or outs or ents[ins[0]][0] != ff.KIND_STATE or not metas[ins[0]].nbytes:
                raise validate.Bad("expected one input (its flag, in the state area) and no output")
            count(refs[0], 0, None)

    @staticmethod
    def _check_op(opcode, nin, idx, metas, ents, kernels):
        """One op's tensors (raises validate.Bad; the caller names the op). True when the op
        has no load-time check of its arguments."""
        n_t = len(metas)
        for k, t in enumerate(idx):
            if t == ff.NONE:
                if k >= nin:
                    raise validate.Bad("output %d is missing" % (k - nin))
            elif t >= n_t:
                raise validate.Bad("tensor index %d out of range (%d tensors)" % (t, n_t))
            elif k >= nin and metas[t].const:
                raise validate.Bad("output %d is constant tensor %d" % (k - nin, t))
        if opcode != oplist.CUSTOM:
            # The planner never places two tensors an op uses at overlapping arena bytes
            # (a kernel writing its output or scratch over what it reads is undefined); a
            # tensor may appear twice only as an input (e.g. ADD(x, x)).
            for k in range(nin, len(idx)):
                if idx.count(idx[k]) > 1:
                    raise validate.Bad("output tensor %d is also another argument" % idx[k])
            # The arena and the shared scratch buffer are two address spaces. In-place ops
            # (oplist.IN_PLACE) may write their output exactly over one input of its size.
            spans = sorted(set((ents[t][0], ents[t][2], ents[t][2] + ents[t][3], t) for t in idx
                               if t != ff.NONE and ents[t][0] != ff.KIND_CONST and ents[t][3]))
            outs = idx[nin:]
            for k in range(1, len(spans)):
                if (opcode in oplist.IN_PLACE and spans[k][:3] == spans[k - 1][:3]
                        and (spans[k][3] in outs) != (spans[k - 1][3] in outs)):
                    continue
                if spans[k][0] == spans[k - 1][0] and spans[k][1] < spans[k - 1][2]:
                    raise validate.Bad("tensors %d and %d overlap in the %s" % (
                        spans[k - 1][3], spans[k][3],
                        "arena" if spans[k][0] == ff.KIND_ARENA else "scratch buffer"))
        check = validate.CHECKS.get(opcode)
        if check is None:
            return True
        ts = [None if t == ff.NONE else metas[t] for t in idx]
        check(ts[:nin], ts[nin:], kernels)
        return False

    @staticmethod
    def _parse_names(mv, off, size):
        if off + 2 > size:
            raise ModelError("names table beyond file end")
        n = struct.unpack_from("<H", mv, off)[0]
        names = []
        pos = off + 2
        for _ in range(n):
            if pos + 2 > size:
                raise ModelError("names table beyond file end")
            ln = struct.unpack_from("<H", mv, pos)[0]
            if pos + 2 + ln > size:
                raise ModelError("names table beyond file end")
            try:
                names.append(str(bytes(mv[pos + 2:pos + 2 + ln]), "utf-8"))
            except UnicodeError:
                raise ModelError("names table: name %d is not valid UTF-8" % len(names)) from None
            pos += 2 + ln
        return names

    # ------------------------------------------------------------------ running
    def reset(self):
        """Set the variables of the state area (variable tensors, resource variables) to their
        reset values, as TFLite Micro's MicroInterpreter::Reset() does: an int8 variable to its
        zero point, any other to 0. As in TFLite Micro, a CALL_ONCE op that has run stays done
        (its init subgraph does not run again; load the model again for that)."""
        for v, fill in self._variables:
            v[:] = bytes([fill]) * len(v)

    @property
    def state(self):
        """A bytes snapshot of the state area (state_size bytes): variables, resource variables
        and CALL_ONCE flags. Assign such a snapshot (of the same model) to restore it, e.g. to
        resume a paused stream."""
        return bytes(self._state_area)

    @state.setter
    def state(self, data):
        if isinstance(data, str):
            raise TypeError("state: expected bytes of a state snapshot, got str")
        try:
            mv = memoryview(data)
        except TypeError:
            raise TypeError("state: expected bytes of a state snapshot, got %s" % type(data).__name__) from None
        n = len(bytes(mv))
        if n != len(mv) or (getattr(data, "typecode", "b") not in "bB"):
            raise TypeError("state: expected bytes (1-byte items), got %s" % type(data).__name__)
        if n != self.state_size:
            raise ValueError("state: this model's state is %d bytes, got %d" % (self.state_size, n))
        self._state_area[:] = mv

    def _copy_in(self, i, src):
        info = self.inputs[i]
        dst = self._in_views[i]
        copy_in = getattr(self._k, "copy_in", None)
        if copy_in is not None and not hasattr(src, "dtype") and copy_in(dst, src, ord(info.typecode), i):
            return  # the firmware checked and copied in C, without allocating
        n = _nbytes(src, info, "input %d" % i)
        if n != info.nbytes:
            raise ValueError("input %d: expected %s array of %d (shape %s), got %d bytes" % (
                i, info.dtype, info.nbytes // info.itemsize,
                info.shape, n))
        dst[:] = memoryview(src) if not hasattr(src, "tobytes") else src.tobytes()

    def run(self, inp=None, out=None):
        """Run one inference.

        inp: a buffer (one input) or a list of buffers, copied into the arena: bytes/bytearray
        as raw bytes (1-byte tensors), an array/numpy array/typed memoryview of the tensor's
        dtype. None uses what is there (written through `input_view`); RuntimeError when a
        previous run overwrote it. run() from a Python op of the same model: RuntimeError. out: a buffer or list of
        buffers to fill; when None, new arrays are returned.
        """
        return self._run(inp, out)

    def _run(self, inp, out):
        # On a firmware m.run is its runner from load on (run_io: copy in, the plan and copy out
        # in C, without this frame; it comes back here for buffers run_io does not take, and
        # this Python path raises the errors naming the argument).
        st = self._state
        if st[0] & 1:
            raise RuntimeError("run: this model is already running (run() from one of its own ops)")
        if inp is None and st[0] & 2:
            raise RuntimeError("run: no inputs given and the last run overwrote them (the arena "
                               "reuses their bytes): pass the inputs or write input_view() again")
        self._set_inputs(inp)
        run_plan = getattr(self._k, "run_plan", None)
        st[0] |= 1
        try:
            if run_plan is not None:
                run_plan(self._plan)  # the firmware calls every kernel from C, allocation-free
            else:
                for fn, args in self._plan:
                    fn(*args)
        finally:
            st[0] &= 6
        st[0] = (st[0] & 4) | (st[0] >> 1 & 2)
        return self._copy_out(out)

    def _make_io(self):
        f = getattr(self._k, "run_io", None)
        if f is None:
            return ()
        return (f, self._plan, tuple(self._in_views), tuple(ord(i.typecode) for i in self.inputs),
                tuple(self._out_views), tuple(ord(o.typecode) for o in self.outputs), self._state,
                (self._data, self._arena_buf))

    def _new_outputs(self):
        from array import array

        res = [array(o.typecode, bytes(v)) for o, v in zip(self.outputs, self._out_views)]
        return res[0] if len(res) == 1 else res

    def _copy_out(self, out):
        # No closures here (a comprehension using a local would allocate a cell per call).
        if out is None:
            return self._new_outputs()
        copy = getattr(self._k, "copy_in", None)
        outs = out if isinstance(out, _SEQ) else [out]
        if len(outs) != len(self.outputs):
            raise ValueError("outputs: expected %d buffers, got %d" % (len(self.outputs), len(outs)))
        for i, (o, v) in enumerate(zip(outs, self._out_views)):
            if copy is not None and not hasattr(o, "dtype") and copy(o, v, ord(self.outputs[i].typecode), -1 - i):
                continue  # the firmware checked and copied in C
            n = _nbytes(o, self.outputs[i], "output %d" % i)
            if n != len(v):
                raise ValueError("output %d: expected %d bytes, got %d" % (i, len(v), n))
            mv = memoryview(o)
            try:
                if getattr(mv, "readonly", False):
                    raise TypeError
                (mv.cast("B") if hasattr(mv, "cast") else mv)[:] = v  # (any item type and shape)
            except TypeError:  # (a MicroPython memoryview has no .readonly: its store refuses)
                raise TypeError("output %d: expected a writable buffer, got a read-only %s" % (
                    i, type(o).__name__)) from None
        return out

    def input_view(self, i=0):
        """The arena bytes of input i: write into it to avoid a copy, then run() without inputs.
        Where the arena reuses the inputs' bytes during a run, write them again (after calling
        input_view()) before the next run() without inputs: that raises RuntimeError otherwise."""
        try:
            v = self._in_views[i]
        except (IndexError, TypeError):
            raise IndexError("input_view: expected an input index 0..%d, got %r" % (len(self._in_views) - 1, i)) from None
        self._state[0] &= 5
        return v

    def output_view(self, i=0):
        try:
            return self._out_views[i]
        except (IndexError, TypeError):
            raise IndexError("output_view: expected an output index 0..%d, got %r" % (len(self._out_views) - 1, i)) from None

    def _set_inputs(self, inp):
        if inp is None:
            return
        self._state[0] &= 5  # fresh inputs
        if isinstance(inp, _SEQ):
            if len(inp) != len(self.inputs):
                raise ValueError("inputs: expected a list of %d buffers (one per input), got %d %s" % (
                    len(self.inputs), len(inp), "items" if not inp else type(inp[0]).__name__ +
                    ("s: pass array(%r, values)" % self.inputs[0].typecode if isinstance(inp[0], (int, float)) else "")))
            for i, x in enumerate(inp):
                self._copy_in(i, x)
        else:
            if len(self.inputs) != 1:
                raise ValueError("inputs: model has %d inputs, pass a list" % len(self.inputs))
            self._copy_in(0, inp)

    # What micronn/profiler.py (which the Tier-1 firmware leaves out) reads of a Model.
    set_inputs = _set_inputs
    new_outputs = _new_outputs

    @property
    def kernels(self):
        """The kernels module: the firmware's `_micronn` (the numpy reference under CPython)."""
        return self._k

    @property
    def steps(self):
        """The planned kernel calls, [(fn, args)] in op order."""
        return self._plan

    @property
    def file(self):
        """The model file's bytes (constants are views into it)."""
        return self._data

    def view(self, t):
        """The memoryview of tensor t (its bytes in the arena or the file)."""
        return self._views[t]

    def trace(self, inp=None):
        """Run op by op; return [(index, op name, [crc32 of each output])] for layer compares."""
        return _profiler().trace(self, inp)

    def profile(self, inp=None):
        """Time one inference op by op. Returns a dict:

        rows: one tuple per op (index, op name, output shape, MACs, ticks, MACs/tick, share of
              the run, kernel ticks, RAM bytes): ticks around the op's call from Python (argument
              checks included); kernel ticks around the C kernel alone where the firmware times
              it (`_micronn.kernel_timing`), else None. MACs come from the op's params; RAM
              bytes are arena_use() (live activations + the op's kernel scratch).
        total: ticks of a plain `run()` of the same input; ops: the sum of the op ticks;
        overhead: total minus the kernels' own ticks (the op ticks where a kernel is not timed):
        the runner's share of an allocation-free run(), argument checks and input/output copies
        included; unit/scale: TICK_UNIT/TICK_SCALE.
        """
        return _profiler().profile(self, inp)

    def arena_use(self):
        """Per op, the bytes of RAM its step needs: the arena bytes holding live activations
        while it runs (its inputs and outputs, every tensor produced before and read after it,
        the graph inputs until their last use, the outputs from their producer on, variables
        always; the union of their byte ranges, so aliases count once) plus the shared kernel
        scratch its own scratch tensors take. The largest is at most arena_size + scratch_size."""
        return _profiler().arena_use(self)

# Runtime ops under CPython and where the firmware lacks them (bind_runtime.c has them in C).
MAX_NESTING = 8  # subgraphs run from subgraphs run from ... (the C stack of a device is small)


def _copy(dst, src):
    dst[:] = src


def _run_steps(plan):
    for fn, args in plan:
        fn(*args)


def _run_if(cond, then_plan, else_plan):
    _run_steps(then_plan if cond[0] else else_plan)


def _run_while(pre, cond, flag, body, limit, n):
    _run_steps(pre)
    _run_steps(cond)
    most = struct.unpack("<i", limit)[0]
    k = 0
    while flag[0]:
        k += 1
        if k > most:
            raise RuntimeError("op %d (WHILE): more than %d iterations (Model.while_limit): does its "
                               "cond subgraph ever return false?" % (n, most))
        _run_steps(body)
        _run_steps(cond)


def _run_once(flag, plan):
    if not flag[0]:
        _run_steps(plan)
        flag[0] = 1


def _profiler():
    try:
        from . import profiler
    except ImportError:
        raise ImportError("micronn/profiler.py is not in this (Tier-1) firmware") from None
    return profiler


def _nbytes(buf, info, name):
    """Length in bytes of a user buffer, checking its item type against the tensor's dtype:
    an array or typed memoryview must have the tensor's item kind and size; raw bytes
    (bytes, bytearray, a memoryview of bytes) are taken as they are."""
    tc = info.typecode
    want = "f" if tc == "f" else "u" if tc.isupper() else "i"
    if hasattr(buf, "dtype"):  # numpy array (CPython)
        kind = buf.dtype.kind
        if buf.dtype.itemsize != info.itemsize or not (kind == want or kind == "b" == info.dtype[0]):
            raise ValueError("%s: expected %s data, got %s" % (name, info.dtype, buf.dtype))
        return buf.nbytes
    got = None if _typecode is None else _typecode(buf)
    try:
        if _typecode is not None and got is None:
            raise TypeError  # a str or an object without a buffer
        mv = memoryview(buf)
    except TypeError:
        raise TypeError("%s: expected a buffer, got %s" % (name, type(buf).__name__)) from None
    if _typecode is None:
        fmt = mv.format.lstrip("@=<>!")
        got = getattr(buf, "typecode", "" if fmt == "B" else fmt)
    if got:
        if ("f" if got in "fd" else "u" if got.isupper() else "i") != want or \
                struct.calcsize(got) != info.itemsize:
            raise ValueError("%s: expected %s data (typecode %r), got typecode %r" % (name, info.dtype, tc, got))
    n = len(mv)
    nb = len(bytes(mv)) if n else 0  # bytes per item from the raw length
    item = nb // n if n else 1
    if item != info.itemsize:
        raise ValueError("%s: expected %s data (%d-byte items), got %d-byte items" % (
            name, info.dtype, info.itemsize, item))
    return nb


def check(data):
    """Run every load-time check of a model file without allocating its arena or looking up
    its Python ops; raises ModelError naming the first problem (the converter's self-check)."""
    from . import kernels

    m = Model.__new__(Model)
    m._k = kernels
    m._parse(memoryview(data), check_only=True)
    return m._unchecked


def load(src, arena=None):
    """Load a model from a path or from bytes; returns a Model.

    arena: optional writable buffer of at least `arena_size` bytes for the activations (e.g. in
    a faster RAM); by default a bytearray is allocated. Raises ModelError for a corrupt file
    (before anything runs), MemoryError when the arena does not fit in the heap.
    """
    from . import kernels

    mapped = False
    if hasattr(src, "__fspath__"):  # pathlib.Path (CPython)
        src = src.__fspath__()
    if isinstance(src, str):
        src, mapped = _read_file(src)
    else:
        try:
            _check_address(memoryview(src), None)
        except TypeError:
            raise TypeError("load: expected a path or the model's bytes, got %s" % type(src).__name__) from None
    try:
        m = Model(src, kernels, arena)
    except MemoryError as e:
        if str(e).startswith("arena:"):  # _alloc_arena's message names the bytes
            raise
        raise _parse_memory_error(src) from None
    m.mapped = mapped
    return m


def _parse_memory_error(src):
    import gc

    gc.collect()
    try:
        free = gc.mem_free() if hasattr(gc, "mem_free") else -1
        n_t, n_ops = struct.unpack_from("<HH", src, 16) if len(src) >= 20 else (0, 0)
        return MemoryError("load: the heap ran out while reading the model's tables (%d tensors, %d ops; %s): "
                           "load the model before other large buffers, or keep the file in ROMFS" % (
                               n_t, n_ops, "%d bytes free" % free if free >= 0 else "heap size unknown"))
    except MemoryError:  # too little left even for the message's numbers
        return MemoryError("load: the heap ran out while reading the model's tables")


# No microcontroller has 1 GiB of RAM: a larger arena is a corrupt file (and CPython would try).
ARENA_MAX = 1 << 30


def _alloc_arena(n, buf, what="activations"):
    if buf is not None:
        try:
            mv = memoryview(buf)
        except TypeError:
            raise TypeError("arena: expected a writable buffer, got %s" % type(buf).__name__) from None
        have = len(bytes(mv[:1])) * len(mv) if len(mv) else 0
        if have < n:
            raise ValueError("arena: the model needs %d bytes, the buffer has %d" % (n, have))
        if have != len(mv):
            raise ValueError("arena: expected a buffer of bytes (1-byte items)")
        mv = mv[:n]
        if n:
            try:
                mv[0:1] = mv[0:1]
            except TypeError:
                raise TypeError("arena: expected a writable buffer, got a read-only %s" % type(buf).__name__) from None
            _check_arena_address(mv)
        return mv
    if n > ARENA_MAX:
        raise ModelError("arena size %d bytes is beyond any device (max %d): file corrupt" % (n, ARENA_MAX))
    try:
        return bytearray(n)  # (MicroPython collects garbage before it gives up)
    except MemoryError:
        import gc

        free = gc.mem_free() if hasattr(gc, "mem_free") else -1
    raise MemoryError("arena: the model needs %d bytes of RAM for %s, %s" % (
        n, what, "%d bytes free in the heap" % free if free >= 0 else "not available"))


def _read_file(path):
    """(buffer, mapped): a file in a memory-mapped filesystem (ROMFS, /rom) is used in place, so
    its constants stay in flash; any other file is read into RAM."""
    from . import kernels

    try:
        f = open(path, "rb")
    except OSError:
        if path.startswith("/rom/") and _mount_rom():
            f = open(path, "rb")
        elif hasattr(kernels, "host_read"):
            # Not on the board's filesystem (QEMU): read the host's file through semihosting.
            return kernels.host_read(path), False
        else:
            raise OSError("load: cannot open %s" % path) from None
    try:
        mv = memoryview(f)  # only memory-mapped files have the buffer protocol
    except TypeError:
        with f:
            return f.read(), False
    _check_address(mv, path)
    return mv, True


def _check_address(mv, path):
    # Constants are 16-byte aligned within the file and read in place (int32 loads, LDRD/LDM on
    # Cortex-M, any unaligned access on M0+): the file's data must be aligned in memory too.
    try:
        import uctypes
    except ImportError:
        return
    a = uctypes.addressof(mv) if len(mv) else 0
    if a % ff.ALIGN and path is None:
        raise ValueError("load: the model's bytes are at 0x%x, not %d-byte aligned (its constants are "
                         "used in place): pass a bytearray of its own, e.g. bytearray(data)" % (a, ff.ALIGN))
    if a % ff.ALIGN:
        raise ModelError("%s: file data at 0x%x is not %d-byte aligned (used in place): build "
                         "the ROMFS image with `micronn romfs`" % (path, a, ff.ALIGN))


def _check_arena_address(mv):
    """Arena tensors sit at offsets aligned for their dtype, and kernels load int32/float32 words:
    the buffer must be word-aligned too (Cortex-M0+ faults on an unaligned word load)."""
    try:
        import uctypes
    except ImportError:
        return
    a = uctypes.addressof(mv)
    if a % 4:
        raise ValueError("arena: the buffer is at 0x%x, not 4-byte aligned (int32 and float32 "
                         "tensors live there): pass a bytearray of its own" % a)


def _mount_rom():
    """Mount the board's ROMFS partition at /rom if the port has one and nothing is there yet
    (MicroPython v1.25's rp2 port does not mount it at boot)."""
    try:
        import vfs

        rom = vfs.rom_ioctl(2, 0)
        if isinstance(rom, int):
            return False
        vfs.mount(vfs.VfsRom(rom), "/rom")
    except (ImportError, AttributeError, OSError):
        return False
    return True
