"""Load a .micronn model file and run its graph (device and CPython alike)."""

import struct

from . import fileformat as ff
from . import oplist

try:
    from binascii import crc32
except ImportError:  # pragma: no cover - ports without binascii
    crc32 = None


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

    def __repr__(self):
        return "TensorInfo(shape=%s, dtype=%s, scale=%s, zero_point=%d)" % (
            self.shape, self.dtype, self.scale, self.zero_point)


# Op builders: op record -> (function, argument tuple). Registered by opcode; the
# default for a kernel op calls it with its buffer arguments in file order.
_BUILDERS = {}
_PY_OPS = {}


def register_op(name, fn=None):
    """Register a Python implementation of a CUSTOM op: fn(inputs, outputs, options).

    Usable as a decorator: @micronn.register_op("MyOp").
    """
    def deco(f):
        _PY_OPS[name] = f
        return f

    return deco(fn) if fn is not None else deco


def _int32s(view):
    n = len(view) // 4
    return struct.unpack("<%di" % n, view)


def _build_fc(k, args):
    x, w, b, p, mult, shift, y = args
    in_f, out_f, in_off, out_off, lo, hi = _int32s(p)
    return k.fully_connected_s8, (x, w, b, y, in_f, out_f, in_off, out_off, mult, shift, lo, hi)


def _build_quantize(k, args):
    x, p, y = args
    scale, zp = struct.unpack("<fi", p)
    return k.quantize_f32_s8, (x, y, scale, zp)


def _build_dequantize(k, args):
    x, p, y = args
    scale, zp = struct.unpack("<fi", p)
    return k.dequantize_s8_f32, (x, y, scale, zp)


_BUILDERS[oplist.FULLY_CONNECTED] = _build_fc
_BUILDERS[oplist.QUANTIZE] = _build_quantize
_BUILDERS[oplist.DEQUANTIZE] = _build_dequantize


class Model:
    """A loaded model: `m.run(inp, out)` or `out = m.run(inp)`."""

    def __init__(self, data, kernels):
        self._data = data  # keep the file alive: constants are views into it
        self._k = kernels
        self._parse(memoryview(data))

    # ------------------------------------------------------------------ parsing
    def _parse(self, mv):
        size = len(mv)
        if size < ff.HEADER_SIZE:
            raise ModelError("file too short for a micronn header: %d bytes" % size)
        h = struct.unpack_from(ff.HEADER_FMT, mv, 0)
        (magic, version, hsize, fsize, crc, n_t, n_ops, n_in, n_out, arena,
         t_off, ops_off, io_off, data_off, names_off) = h
        if bytes(magic) != ff.MAGIC:
            raise ModelError("not a micronn model (magic %r)" % bytes(magic))
        if version != ff.VERSION:
            raise ModelError("model file version %d, this runtime reads version %d" % (version, ff.VERSION))
        if hsize != ff.HEADER_SIZE:
            raise ModelError("header size %d, expected %d" % (hsize, ff.HEADER_SIZE))
        if fsize != size:
            raise ModelError("file size %d, header says %d (truncated?)" % (size, fsize))
        if crc32 is not None and crc32(mv[16:]) & 0xFFFFFFFF != crc:
            raise ModelError("checksum mismatch: file corrupt")
        for name, off in (("tensor table", t_off), ("op table", ops_off), ("io table", io_off),
                          ("data", data_off), ("names", names_off)):
            if off > size:
                raise ModelError("%s offset 0x%x beyond file end (0x%x)" % (name, off, size))
        if t_off + n_t * ff.TENSOR_SIZE > size:
            raise ModelError("tensor table (%d entries) beyond file end" % n_t)
        self.arena_size = arena
        self._arena = bytearray(arena)
        arena_mv = memoryview(self._arena)
        self._names = self._parse_names(mv, names_off, size)
        # Tensors -> memoryviews (constants in place, activations in the arena).
        views = []
        infos = []
        self._variables = []
        for i in range(n_t):
            e = struct.unpack_from(ff.TENSOR_FMT, mv, t_off + i * ff.TENSOR_SIZE)
            dtype, ndim, kind, flags, off, nbytes = e[:6]
            dims = e[6:12]
            scale, zp = e[12], e[13]
            if dtype >= len(oplist.DTYPE_NAMES):
                raise ModelError("tensor %d: unknown dtype %d" % (i, dtype))
            if ndim > ff.MAX_DIMS:
                raise ModelError("tensor %d: %d dimensions (max %d)" % (i, ndim, ff.MAX_DIMS))
            shape = tuple(dims[:ndim])
            count = 1
            for d in shape:
                if d < 0:
                    raise ModelError("tensor %d: negative dimension %d" % (i, d))
                count *= d
            if count * oplist.DTYPE_SIZES[dtype] != nbytes:
                raise ModelError("tensor %d: %d bytes do not match shape %s of %s" % (
                    i, nbytes, shape, oplist.DTYPE_NAMES[dtype]))
            if kind == ff.KIND_CONST:
                if off < data_off or off + nbytes > size:
                    raise ModelError("tensor %d: data offset 0x%x+%d beyond file end (0x%x)" % (i, off, nbytes, size))
                views.append(mv[off:off + nbytes])
            elif kind == ff.KIND_ARENA:
                if off + nbytes > arena:
                    raise ModelError("tensor %d: arena offset 0x%x+%d beyond arena (%d bytes)" % (i, off, nbytes, arena))
                v = arena_mv[off:off + nbytes]
                views.append(v)
                if flags & ff.FLAG_VARIABLE:
                    self._variables.append(v)
            else:
                raise ModelError("tensor %d: unknown kind %d" % (i, kind))
            infos.append((dtype, shape, scale, zp, nbytes))
        self._views = views
        # Inputs and outputs.
        if io_off + 2 * (n_in + n_out) > size:
            raise ModelError("io table beyond file end")
        io = struct.unpack_from("<%dH" % (n_in + n_out), mv, io_off)
        for t in io:
            if t >= n_t:
                raise ModelError("io tensor index %d out of range (%d tensors)" % (t, n_t))
            if mv[t_off + t * ff.TENSOR_SIZE + 2] != ff.KIND_ARENA:
                raise ModelError("io tensor %d is not an activation tensor" % t)
        self.inputs = [TensorInfo(t, *infos[t]) for t in io[:n_in]]
        self.outputs = [TensorInfo(t, *infos[t]) for t in io[n_in:]]
        self._in_views = [views[t] for t in io[:n_in]]
        self._out_views = [views[t] for t in io[n_in:]]
        # Ops -> a plan of (function, arguments).
        plan = []
        self.layers = []
        pos = ops_off
        for n in range(n_ops):
            if pos + ff.OP_SIZE > size:
                raise ModelError("op %d: record beyond file end" % n)
            opcode, nin, nout, rsize = struct.unpack_from(ff.OP_FMT, mv, pos)
            if rsize < ff.OP_SIZE + 2 * (nin + nout) or pos + rsize > size:
                raise ModelError("op %d: bad record size %d" % (n, rsize))
            idx = struct.unpack_from("<%dH" % (nin + nout), mv, pos + ff.OP_SIZE)
            args = []
            for t in idx:
                if t == ff.NONE:
                    args.append(None)
                elif t >= n_t:
                    raise ModelError("op %d: tensor index %d out of range (%d tensors)" % (n, t, n_t))
                else:
                    args.append(views[t])
            if opcode == oplist.CUSTOM:
                name_i = struct.unpack_from("<H", mv, pos + ff.OP_SIZE + 2 * (nin + nout))[0]
                if name_i >= len(self._names):
                    raise ModelError("op %d: custom op name index %d out of range" % (n, name_i))
                name = self._names[name_i]
                fn = _PY_OPS.get(name)
                if fn is None:
                    raise ModelError("op %d: custom op %r has no implementation; register one with "
                                     "@micronn.register_op(%r) before loading" % (n, name, name))
                plan.append((fn, (args[:nin], args[nin:])))
            else:
                entry = oplist.OPS.get(opcode)
                if entry is None:
                    raise ModelError("op %d: unknown opcode %d" % (n, opcode))
                name, kname, opos = entry
                builder = _BUILDERS.get(opcode)
                try:
                    if builder is not None:
                        plan.append(builder(self._k, args))
                    else:
                        kargs = args[:opos] + args[nin:] + args[opos:nin]
                        plan.append((getattr(self._k, kname), tuple(kargs)))
                except AttributeError:
                    raise ModelError("op %d: %s needs kernel %s, missing in this firmware" % (n, name, entry[1]))
                except (ValueError, TypeError) as e:
                    raise ModelError("op %d (%s): bad arguments: %s" % (n, name, e))
            self.layers.append((name, idx[nin:nin + nout]))
            pos += rsize
        self._plan = plan

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
            names.append(str(bytes(mv[pos + 2:pos + 2 + ln]), "utf-8"))
            pos += 2 + ln
        return names

    # ------------------------------------------------------------------ running
    def reset(self):
        """Zero the state (variable tensors) of a stateful model."""
        for v in self._variables:
            v[:] = bytes(len(v))

    def _copy_in(self, i, src):
        info = self.inputs[i]
        dst = self._in_views[i]
        n = _nbytes(src, info, "input %d" % i)
        if n != info.nbytes:
            raise ValueError("input %d: expected %s array of %d (shape %s), got %d bytes" % (
                i, info.dtype, info.nbytes // oplist.DTYPE_SIZES[oplist.DTYPE_NAMES.index(info.dtype)],
                info.shape, n))
        dst[:] = memoryview(src) if not hasattr(src, "tobytes") else src.tobytes()

    def run(self, inp=None, out=None):
        """Run one inference.

        inp: a buffer (one input) or a list of buffers, copied into the arena; None keeps
        what is there (e.g. written through `input_view`). out: a buffer or list of
        buffers to fill; when None, new arrays are returned.
        """
        if inp is not None:
            if isinstance(inp, (list, tuple)):
                if len(inp) != len(self.inputs):
                    raise ValueError("inputs: expected %d buffers, got %d" % (len(self.inputs), len(inp)))
                for i, x in enumerate(inp):
                    self._copy_in(i, x)
            else:
                if len(self.inputs) != 1:
                    raise ValueError("inputs: model has %d inputs, pass a list" % len(self.inputs))
                self._copy_in(0, inp)
        for fn, args in self._plan:
            fn(*args)
        return self._copy_out(out)

    def _copy_out(self, out):
        if out is None:
            from array import array

            res = [array(o.typecode, bytes(v)) for o, v in zip(self.outputs, self._out_views)]
            return res[0] if len(res) == 1 else res
        outs = out if isinstance(out, (list, tuple)) else [out]
        if len(outs) != len(self.outputs):
            raise ValueError("outputs: expected %d buffers, got %d" % (len(self.outputs), len(outs)))
        for i, (o, v) in enumerate(zip(outs, self._out_views)):
            n = _nbytes(o, self.outputs[i], "output %d" % i)
            if n != len(v):
                raise ValueError("output %d: expected %d bytes, got %d" % (i, len(v), n))
            memoryview(o)[:] = v if not hasattr(o, "dtype") else memoryview(bytes(v)).cast(o.dtype.char)
        return out

    def input_view(self, i=0):
        """The arena bytes of input i: write into it to avoid a copy."""
        return self._in_views[i]

    def output_view(self, i=0):
        return self._out_views[i]

    def _set_inputs(self, inp):
        if inp is not None:
            for i, x in enumerate(inp if isinstance(inp, (list, tuple)) else [inp]):
                self._copy_in(i, x)

    def trace(self, inp=None):
        """Run op by op; return [(index, op name, [crc32 of each output])] for layer compares."""
        self._set_inputs(inp)
        rows = []
        for i, (fn, args) in enumerate(self._plan):
            fn(*args)
            name, outs = self.layers[i]
            rows.append((i, name, [crc32(self._views[t]) & 0xFFFFFFFF for t in outs]))
        return rows

    def profile(self, inp=None):
        """Per-layer ticks: a list of (index, op name, ticks) for one inference."""
        self._set_inputs(inp)
        ticks = self._k.ticks
        rows = []
        for i, (fn, args) in enumerate(self._plan):
            t0 = ticks()
            fn(*args)
            rows.append((i, self.layers[i][0], ticks() - t0))
        return rows


def _nbytes(buf, info, name):
    """Length in bytes of a user buffer, checking its item type against the tensor's dtype."""
    if hasattr(buf, "dtype"):  # numpy array (CPython)
        if buf.dtype.itemsize != oplist.DTYPE_SIZES[oplist.DTYPE_NAMES.index(info.dtype)] or \
                buf.dtype.kind not in ("i", "u", "f"):
            raise ValueError("%s: expected %s data, got %s" % (name, info.dtype, buf.dtype))
        return buf.nbytes
    try:
        mv = memoryview(buf)
    except TypeError:
        raise TypeError("%s: expected a buffer, got %s" % (name, type(buf).__name__))
    n = len(mv)
    nb = len(bytes(mv)) if n else 0  # bytes per item from the raw length
    item = nb // n if n else 1
    want = oplist.DTYPE_SIZES[oplist.DTYPE_NAMES.index(info.dtype)]
    if item != want:
        raise ValueError("%s: expected %s data (%d-byte items), got %d-byte items" % (name, info.dtype, want, item))
    return nb


def load(src):
    """Load a model from a path or from bytes; returns a Model."""
    from . import kernels

    if isinstance(src, str):
        src = _read_file(src)
    return Model(src, kernels)


def _read_file(path):
    from . import kernels

    try:
        with open(path, "rb") as f:
            return f.read()
    except (NameError, OSError):
        # No filesystem (QEMU boards): read the host's file through semihosting.
        if not hasattr(kernels, "host_read"):
            raise
        return kernels.host_read(path)
