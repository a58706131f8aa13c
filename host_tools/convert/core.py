"""Convert an int8 .tflite model into a .micronn model file.

Everything the device needs is computed here, once, with floats allowed: requantization
multipliers and shifts, padding, fused activation ranges, broadcast strides; the memory plan
of the activation arena (tensor lifetimes, RESHAPE aliases its input).
"""

import struct
import zlib

import numpy as np
from micronn import fileformat as ff
from micronn import oplist
from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

from . import quant
from . import reference as ref

BO = schema.BuiltinOperator
BUILTIN_NAMES = {v: k for k, v in vars(BO).items() if not k.startswith("_")}
TT = schema.TensorType
DTYPES = {TT.INT8: oplist.INT8, TT.UINT8: oplist.UINT8, TT.INT16: oplist.INT16,
          TT.INT32: oplist.INT32, TT.FLOAT32: oplist.FLOAT32, TT.UINT32: oplist.UINT32,
          TT.UINT64: oplist.UINT64}
NP_DTYPES = {oplist.INT8: np.int8, oplist.UINT8: np.uint8, oplist.INT16: np.int16,
             oplist.INT32: np.int32, oplist.FLOAT32: np.float32, oplist.UINT32: np.uint32,
             oplist.UINT64: np.uint64}
ACT_NAMES = {0: "NONE", 1: "RELU", 2: "RELU_N1_TO_1", 3: "RELU6"}
PADDING = {schema.Padding.SAME: "SAME", schema.Padding.VALID: "VALID"}


class ConvertError(ValueError):
    """The .tflite model cannot be converted (unsupported op, dtype, or malformed file)."""


class Tensor:
    """A tensor of the output file: constant (data) or activation (arena)."""

    def __init__(self, name, dtype, shape, scale=0.0, zero_point=0, data=None, src=None):
        self.name = name
        self.dtype = dtype
        self.shape = tuple(int(d) for d in shape)
        self.scale = float(scale)
        self.zero_point = int(zero_point)
        self.data = data  # bytes for constants
        self.src = src  # index in the .tflite subgraph, if any
        self.alias = None  # RESHAPE: the tensor whose memory this one shares
        self.share = None  # in-place op output: the input whose memory it takes (own entry)
        self.variable = False
        self.offset = None

    @property
    def nbytes(self):
        return int(np.prod(self.shape, dtype=np.int64)) * oplist.DTYPE_SIZES[self.dtype]

    @property
    def is_const(self):
        return self.data is not None


class Op:
    def __init__(self, opcode, inputs, outputs, name, src_index, macs=0, custom_name=None):
        self.opcode = opcode
        self.inputs = inputs  # list of Tensor or None
        self.outputs = outputs
        self.name = name
        self.src_index = src_index
        self.macs = macs
        self.custom_name = custom_name


class Converter:
    def __init__(self, tflite_bytes, allow_python_ops=False):
        try:
            self.m = schema.ModelT.InitFromPackedBuf(bytearray(tflite_bytes), 0)
        except Exception as e:  # the flatbuffer library raises many kinds
            raise ConvertError("not a valid .tflite flatbuffer: %s" % e) from None
        if not self.m.subgraphs:
            raise ConvertError("model has no subgraph")
        self.g = self.m.subgraphs[0]
        self.allow_python_ops = allow_python_ops
        self.tensors = []
        self.by_src = {}
        self.ops = []
        self.names = []

    # ------------------------------------------------------------------ tensors
    def tensor(self, i):
        """Our Tensor for .tflite tensor index i (created once)."""
        if i < 0:
            return None
        if i in self.by_src:
            return self.by_src[i]
        if i >= len(self.g.tensors):
            raise ConvertError("tensor index %d out of range" % i)
        t = self.g.tensors[i]
        if t.type not in DTYPES:
            raise ConvertError("tensor %d (%s): unsupported type %d" % (i, _s(t.name), t.type))
        dtype = DTYPES[t.type]
        shape = list(t.shape) if t.shape is not None else []
        q = t.quantization
        scale = float(q.scale[0]) if q is not None and q.scale is not None and len(q.scale) else 0.0
        zp = int(q.zeroPoint[0]) if q is not None and q.zeroPoint is not None and len(q.zeroPoint) else 0
        data = None
        buf = self.m.buffers[t.buffer] if t.buffer < len(self.m.buffers) else None
        if buf is not None and buf.data is not None and len(buf.data):
            data = bytes(np.asarray(buf.data, dtype=np.uint8))
        elif buf is not None and buf.offset and buf.size:
            raise ConvertError("tensor %d: external buffers (models > 2 GB) are not supported" % i)
        ours = Tensor(_s(t.name), dtype, shape, scale, zp, data, src=i)
        if data is not None and len(data) != ours.nbytes:
            raise ConvertError("tensor %d (%s): %d data bytes for shape %s" % (i, ours.name, len(data), shape))
        ours.variable = bool(t.isVariable)
        self.by_src[i] = ours
        self.tensors.append(ours)
        return ours

    def const(self, name, array):
        arr = np.ascontiguousarray(array)
        dtype = {np.dtype(np.int32): oplist.INT32, np.dtype(np.int8): oplist.INT8,
                 np.dtype(np.float32): oplist.FLOAT32, np.dtype(np.int16): oplist.INT16}[arr.dtype]
        t = Tensor(name, dtype, arr.shape, data=arr.tobytes())
        self.tensors.append(t)
        return t

    def params(self, name, values):
        return self.const(name + "/params", np.array(values, dtype=np.int64).astype(np.int32))

    def quant_scales(self, i):
        q = self.g.tensors[i].quantization
        if q is None or q.scale is None or not len(q.scale):
            raise ConvertError("tensor %d (%s) is not quantized" % (i, _s(self.g.tensors[i].name)))
        return np.asarray(q.scale, dtype=np.float32), np.asarray(q.zeroPoint, dtype=np.int64)

    # ------------------------------------------------------------------ ops
    def convert(self):
        for n, op in enumerate(self.g.operators or []):
            if not 0 <= op.opcodeIndex < len(self.m.operatorCodes or []):
                raise ConvertError("op %d: opcode index %d out of range" % (n, op.opcodeIndex))
            oc = self.m.operatorCodes[op.opcodeIndex]
            code = max(oc.builtinCode, oc.deprecatedBuiltinCode)
            name = BUILTIN_NAMES.get(code, "BUILTIN_%d" % code)
            if code == BO.CUSTOM:
                name = _s(oc.customCode)
            rule = CUSTOM_RULES.get(name) if code == BO.CUSTOM else RULES.get(code)
            if rule is None:
                self.custom_op(n, op, name, builtin=code != BO.CUSTOM)
                continue
            try:
                rule(self, n, op)
            except ConvertError as e:
                raise ConvertError("op %d (%s): %s" % (n, name, e)) from None
            except (AttributeError, IndexError, KeyError, TypeError, ValueError, OverflowError,
                    ArithmeticError) as e:
                # A malformed flatbuffer (missing options table, index out of range, ...).
                raise ConvertError("op %d (%s): malformed operator (%s: %s)" % (n, name, type(e).__name__, e)) from e
        for i in self.g.inputs:
            self.tensor(i)
        for i in self.g.outputs:
            self.tensor(i)
        self.inputs = [self.resolve(self.tensor(i)) for i in self.g.inputs]
        self.outputs = [self.resolve(self.tensor(i)) for i in self.g.outputs]
        for t in self.inputs + self.outputs:
            if t.is_const:
                raise ConvertError("graph input/output %s is a constant" % t.name)
        self.plan_in_place()
        self.plan_scratch()
        return self

    def _lifetimes(self):
        """({id: first op}, {id: last op}) of every activation the ops use, by memory root
        (mem(): RESHAPE aliases and in-place outputs resolved): graph inputs live from op 0,
        graph outputs and variables until len(ops)."""
        n_ops = len(self.ops)
        first, last = {}, {}
        for t in self.inputs:
            first[id(self.mem(t))] = 0
        for k, op in enumerate(self.ops):
            for t in list(op.inputs) + list(op.outputs):
                t = self.mem(t)
                if t is not None and not t.is_const:
                    first.setdefault(id(t), k)
                    last[id(t)] = k
        for t in self.outputs:
            last[id(self.mem(t))] = n_ops
        for t in self.tensors:
            if t.variable and id(t) in first:  # state lives for the whole run
                first[id(t)], last[id(t)] = 0, n_ops
        return first, last

    def _activations(self):
        """[(aligned bytes, first op, last op, tensor)] of the arena activations to place: the
        memory roots, without the scratch shared outside the arena."""
        first, last = self._lifetimes()
        return [(_align(t.nbytes), first[id(t)], last[id(t)], t) for t in self.tensors
                if not (t.is_const or t.alias is not None or t.share is not None or id(t) not in first
                        or getattr(t, "shared", False))]

    def plan_in_place(self):
        """Elementwise ops (IN_PLACE_OPS: their kernels read element i before writing element i,
        in order, same element size) write their output over an input of the same shape whose
        last use they are: the output keeps its own tensor entry (its quantization) but takes
        that input's bytes, so the two need one buffer (TFLite Micro's planner gives them two).
        Graph inputs (run() may be called again on them), graph outputs and variables keep
        their own memory."""
        keep = {id(self.mem(t)) for t in self.inputs + self.outputs}
        self.in_place = []
        last = self._lifetimes()[1]
        for k, op in enumerate(self.ops):
            if op.opcode not in oplist.IN_PLACE or len(op.outputs) != 1:
                continue
            y = op.outputs[0]
            if y.alias is not None or y.share is not None or id(y) in keep or y.variable:
                continue
            for x in op.inputs:
                r = self.mem(x)
                if (r is None or r.is_const or id(r) in keep or r.variable or last.get(id(r)) != k
                        or x.shape != y.shape or x.dtype != y.dtype):
                    continue
                y.share = r
                self.in_place.append((k, op.name))
                last = self._lifetimes()[1]  # y's later uses are now uses of r
                break

    def custom_op(self, n, op, name, builtin):
        if builtin and not self.allow_python_ops:
            raise ConvertError("op %d: %s is not supported by micronn (convert with --allow-python-ops "
                               "to keep it as a Python op)" % (n, name))
        ins = [self.tensor(i) for i in op.inputs]
        outs = [self.tensor(i) for i in op.outputs]
        try:
            opts = builtin_options_dict(op) if builtin else custom_options_dict(op)
        except ConvertError as e:
            raise ConvertError("op %d (%s): %s" % (n, name, e)) from None
        o = Op(oplist.CUSTOM, ins, outs, name, n, custom_name=name)
        o.options_json = options_json(opts) if opts else None
        for s in (name, o.options_json):
            if s is not None and s not in self.names:
                self.names.append(s)
        self.ops.append(o)

    def io(self, op, n_in):
        ins = [self.tensor(i) for i in op.inputs[:n_in]] + [None] * max(0, n_in - len(op.inputs))
        outs = [self.tensor(i) for i in op.outputs]
        return ins, outs

    def check_s8(self, *ts):
        for t in ts:
            if t is not None and t.dtype != oplist.INT8:
                raise ConvertError("tensor %s: %s, only int8 is supported here" % (t.name, oplist.DTYPE_NAMES[t.dtype]))

    def resolve(self, t):
        while t is not None and t.alias is not None:
            t = t.alias
        return t

    def mem(self, t):
        """The tensor whose arena bytes t uses (through RESHAPE aliases and in-place outputs)."""
        while t is not None and (t.alias is not None or t.share is not None):
            t = t.alias if t.alias is not None else t.share
        return t

    def add_op(self, opcode, name, n, args, outs, macs=0):
        self.ops.append(Op(opcode, args, outs, name, n, macs))

    # ------------------------------------------------------------------ memory plan
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

    # ------------------------------------------------------------------ output
    def serialize(self):
        """The .micronn file bytes (checked as micronn.load() checks them)."""
        try:
            return self._serialize()
        except (struct.error, OverflowError) as e:  # a size or dimension the format cannot hold
            raise ConvertError("model does not fit the .micronn format (%s)" % e) from None

    def _serialize(self):
        used = []
        seen = set()

        def use(t):
            if t is not None and id(t) not in seen:
                seen.add(id(t))
                used.append(t)

        for t in self.inputs + self.outputs:
            use(t)
        for op in self.ops:
            for t in op.inputs + op.outputs:
                use(self.resolve(t))
        for t in self.tensors:
            if t.variable and not t.is_const:
                use(t)
        index = {id(t): i for i, t in enumerate(used)}
        n_t = len(used)
        t_off = ff.HEADER_SIZE
        ops_blob = bytearray()
        for op in self.ops:
            idx = [ff.NONE if t is None else index[id(self.resolve(t))] for t in op.inputs + op.outputs]
            rec = struct.pack("<%dH" % len(idx), *idx)
            if op.opcode == oplist.CUSTOM:
                opts = getattr(op, "options_json", None)
                rec += struct.pack("<HH", self.names.index(op.custom_name),
                                   ff.NONE if opts is None else self.names.index(opts))
            size = ff.OP_SIZE + len(rec)
            size += (-size) % 4
            ops_blob += struct.pack(ff.OP_FMT, op.opcode, len(op.inputs), len(op.outputs), size) + rec
            ops_blob += bytes((-len(ops_blob)) % 4)
        io = struct.pack("<%dH" % (len(self.inputs) + len(self.outputs)),
                         *[index[id(t)] for t in self.inputs + self.outputs])
        io += bytes((-len(io)) % 4)
        ops_off = t_off + n_t * ff.TENSOR_SIZE
        io_off = ops_off + len(ops_blob)
        data_off = _align(io_off + len(io))
        data = bytearray()
        offsets = {}
        for t in used:
            if t.is_const:
                data += bytes(_align(len(data)) - len(data))
                offsets[id(t)] = data_off + len(data)
                data += t.data
        names_off = data_off + len(data)
        names = struct.pack("<H", len(self.names))
        for nm in self.names:
            b = nm.encode()
            names += struct.pack("<H", len(b)) + b
        tensors = bytearray()
        for t in used:
            dims = list(t.shape)
            if len(dims) > ff.MAX_DIMS:
                raise ConvertError("tensor %s: %d dimensions (max %d)" % (t.name, len(dims), ff.MAX_DIMS))
            kind = ff.KIND_CONST if t.is_const else (ff.KIND_SCRATCH if getattr(t, "shared", False)
                                                    else ff.KIND_ARENA)
            off = offsets[id(t)] if t.is_const else t.offset
            flags = ff.FLAG_VARIABLE if t.variable and not t.is_const else 0
            tensors += struct.pack(ff.TENSOR_FMT, t.dtype, len(dims), kind, flags, off, t.nbytes,
                                   *(dims + [1] * (ff.MAX_DIMS - len(dims))), t.scale, t.zero_point)
        body = tensors + ops_blob + io + bytes(data_off - io_off - len(io)) + data + names
        size = ff.HEADER_SIZE + len(body)
        head_rest = struct.pack("<HHHHIIIIII", n_t, len(self.ops), len(self.inputs), len(self.outputs),
                                self.arena_size, t_off, ops_off, io_off, data_off, names_off)
        crc = zlib.crc32(head_rest + body) & 0xFFFFFFFF
        header = struct.pack("<4sHHII", ff.MAGIC, ff.VERSION, ff.HEADER_SIZE, size, crc) + head_rest
        assert len(header) == ff.HEADER_SIZE
        self.const_bytes = len(data)
        out = bytes(header + body)
        _self_check(out)
        return out

    def live_peak(self):
        """The arena's lower bound for this op order: the largest sum of the (16-byte aligned)
        activations live at one op (RESHAPE aliases and in-place outputs counted once; the
        kernel scratch planned into the arena included). No placement can do better; the
        planner's arena_size equals it when it packs perfectly."""
        acts = self._activations()
        return max([sum(a[0] for a in acts if a[1] <= k <= a[2]) for k in range(len(self.ops))] or [0])

    def report(self):
        lines = ["%-4s %-20s %-22s %-22s %12s" % ("#", "op", "input", "output", "MACs")]
        total = 0
        for k, op in enumerate(self.ops):
            x = next((t for t in op.inputs if t is not None and not t.is_const), None)
            y = op.outputs[0]
            lines.append("%-4d %-20s %-22s %-22s %12d" % (
                k, op.name, "x".join(map(str, x.shape)) if x else "-", "x".join(map(str, y.shape)), op.macs))
            total += op.macs
        weights = sum(len(t.data) for t in self.tensors if t.is_const)
        lines.append("total MACs %d, constants %d bytes, arena %d bytes (lower bound %d), %d ops" % (
            total, weights, self.arena_size, self.live_peak(), len(self.ops)))
        if getattr(self, "scratch_size", 0):
            lines.append("kernel scratch shared by %d ops: %d bytes (allocated once at load)" % (
                sum(1 for t in self.tensors if getattr(t, "shared", False)), self.scratch_size))
        return "\n".join(lines)


# ---------------------------------------------------------------------- rules
RULES = {}
CUSTOM_RULES = {}  # CUSTOM ops with a native kernel, by custom code (e.g. "SignalWindow")


def rule(code):
    def deco(f):
        RULES[code] = f
        return f
    return deco


def custom_rule(name):
    """Register a native rule for a CUSTOM op; it takes precedence over the Python-op fallback."""
    def deco(f):
        CUSTOM_RULES[name] = f
        return f
    return deco


def _act(c, fused, out):
    if fused not in ACT_NAMES:
        raise ConvertError("unsupported fused activation %d" % fused)
    return quant.activation_range(ACT_NAMES[fused], out.scale, out.zero_point)


@rule(BO.FULLY_CONNECTED)
def _fully_connected(c, n, op):
    (x, w, b), (y,) = c.io(op, 3)
    c.check_s8(x, w, y)
    if not w.is_const or len(w.shape) != 2:
        raise ConvertError("weights must be a constant 2-D tensor")
    out_f, in_f = w.shape
    if x.nbytes % in_f:
        raise ConvertError("input %s does not divide into rows of %d" % (x.shape, in_f))
    ws, wzp = c.quant_scales(op.inputs[1])
    if np.any(wzp != 0):
        raise ConvertError("weights zero point must be 0")
    if b is not None and b.dtype != oplist.INT32:
        raise ConvertError("bias must be int32")
    opts = op.builtinOptions
    fused = opts.fusedActivationFunction if opts is not None else 0
    lo, hi = _act(c, fused, y)
    mult, shift = quant.conv_multipliers(x.scale, ws, y.scale)
    p = c.params("fc%d" % n, [in_f, out_f, -x.zero_point, y.zero_point, lo, hi])
    mult_t, shift_t = c.const("fc%d/mult" % n, mult), c.const("fc%d/shift" % n, shift)
    c.add_op(oplist.FULLY_CONNECTED, "FULLY_CONNECTED", n, [x, w, b, p, mult_t, shift_t], [y],
             macs=(x.nbytes // in_f) * in_f * out_f)


def _conv_common(c, n, op, depthwise):
    (x, w, b), (y,) = c.io(op, 3)
    c.check_s8(x, w, y)
    if len(x.shape) != 4 or len(y.shape) != 4 or not w.is_const or len(w.shape) != 4:
        raise ConvertError("expects 4-D NHWC input/output and constant 4-D weights")
    if b is not None and (b.dtype != oplist.INT32 or not b.is_const):
        raise ConvertError("bias must be a constant int32 tensor")
    ws, wzp = c.quant_scales(op.inputs[1])
    if np.any(wzp != 0):
        raise ConvertError("weights zero point must be 0")
    o = op.builtinOptions
    N, in_h, in_w, in_c = x.shape
    out_c = y.shape[3]
    if depthwise:
        _, k_h, k_w, wc = w.shape
        if wc != out_c or out_c % in_c:
            raise ConvertError("weights %s do not match input %s / output %s" % (w.shape, x.shape, y.shape))
    else:
        wc, k_h, k_w, wi = w.shape
        if wc != out_c or wi != in_c:
            raise ConvertError("weights %s do not match input %s / output %s (grouped conv unsupported)"
                               % (w.shape, x.shape, y.shape))
    pad = PADDING.get(o.padding)
    if pad is None:
        raise ConvertError("unknown padding %d" % o.padding)
    if len(ws) not in (1, out_c):
        raise ConvertError("%d weight scales for %d channels" % (len(ws), out_c))
    lo, hi = _act(c, o.fusedActivationFunction, y)
    mult, shift = quant.conv_multipliers(x.scale, ws, y.scale)
    make = ref.depthwise_conv2d_params if depthwise else ref.conv2d_params
    try:
        vals = make(x.shape, w.shape, o.strideH, o.strideW, o.dilationHFactor, o.dilationWFactor, pad,
                    x.zero_point, y.zero_point, lo, hi)
    except ValueError as e:
        raise ConvertError(str(e)) from None
    out_h, out_w = vals[4], vals[5]
    if (N, out_h, out_w) != tuple(y.shape[:3]):
        raise ConvertError("output shape %s, expected %s" % (y.shape, (N, out_h, out_w, out_c)))
    tag = "%s%d" % ("dw" if depthwise else "conv", n)
    params = c.params(tag, vals)
    args = [x, w, b, params, c.const(tag + "/mult", mult), c.const(tag + "/shift", shift)]
    # The optimized C kernel's work buffer: an arena tensor that lives only during this op.
    size = (ref.depthwise_conv2d_s8_scratch_size if depthwise else ref.conv2d_s8_scratch_size)(
        np.frombuffer(params.data, dtype=np.int32))
    scratch = None
    if size:
        scratch = Tensor(tag + "/scratch", oplist.INT8, (size,))
        c.tensors.append(scratch)
        args.append(scratch)
    macs = N * out_h * out_w * out_c * k_h * k_w * (1 if depthwise else in_c)
    if depthwise:
        c.add_op(oplist.DEPTHWISE_CONV_2D, "DEPTHWISE_CONV_2D", n, args, [y], macs)
    else:
        c.add_op(oplist.CONV_2D, "CONV_2D", n, args, [y], macs)
    c.ops[-1].scratch = scratch  # kept in the op's inputs only where it fits (plan_scratch)


@rule(BO.CONV_2D)
def _conv2d(c, n, op):
    _conv_common(c, n, op, depthwise=False)


@rule(BO.DEPTHWISE_CONV_2D)
def _depthwise(c, n, op):
    _conv_common(c, n, op, depthwise=True)


def _pool(c, n, op, opcode, name):
    (x,), (y,) = c.io(op, 1)
    c.check_s8(x, y)
    if len(x.shape) != 4:
        raise ConvertError("expects 4-D NHWC input")
    if (x.scale, x.zero_point) != (y.scale, y.zero_point):
        raise ConvertError("input and output quantization must be equal")
    o = op.builtinOptions
    N, in_h, in_w, ch = x.shape
    pad = PADDING.get(o.padding)
    lo, hi = _act(c, o.fusedActivationFunction, y)
    try:
        vals = ref.pool2d_params(x.shape, o.filterHeight, o.filterWidth, o.strideH, o.strideW, pad, lo, hi)
    except ValueError as e:
        raise ConvertError(str(e)) from None
    out_h, out_w = vals[4], vals[5]
    if tuple(y.shape) != (N, out_h, out_w, ch):
        raise ConvertError("output shape %s, expected %s" % (y.shape, (N, out_h, out_w, ch)))
    p = c.params("pool%d" % n, vals)
    c.add_op(opcode, name, n, [x, p], [y], N * out_h * out_w * ch * o.filterHeight * o.filterWidth)


@rule(BO.AVERAGE_POOL_2D)
def _avg_pool(c, n, op):
    _pool(c, n, op, oplist.AVERAGE_POOL_2D, "AVERAGE_POOL_2D")


@rule(BO.MAX_POOL_2D)
def _max_pool(c, n, op):
    _pool(c, n, op, oplist.MAX_POOL_2D, "MAX_POOL_2D")


@rule(BO.ADD)
def _add(c, n, op):
    (a, b), (y,) = c.io(op, 2)
    c.check_s8(a, b, y)
    if len(y.shape) > 4:
        raise ConvertError("more than 4 dimensions")
    o = op.builtinOptions
    fused = o.fusedActivationFunction if o is not None else 0
    lo, hi = _act(c, fused, y)
    try:
        vals = ref.add_params(a.scale, a.zero_point, b.scale, b.zero_point, y.scale, y.zero_point,
                              (lo, hi), a.shape, b.shape)
    except ValueError as e:
        raise ConvertError(str(e)) from None
    c.add_op(oplist.ADD, "ADD", n, [a, b, c.params("add%d" % n, vals)], [y])


@rule(BO.SOFTMAX)
def _softmax(c, n, op):
    (x,), (y,) = c.io(op, 1)
    c.check_s8(x, y)
    if abs(y.scale - 1.0 / 256) > 1e-9 or y.zero_point != -128:
        raise ConvertError("int8 softmax output must have scale 1/256 and zero point -128")
    depth = x.shape[-1]
    rows = x.nbytes // depth
    try:
        vals = ref.softmax_params(rows, depth, x.scale, op.builtinOptions.beta)
    except ValueError as e:
        raise ConvertError(str(e)) from None
    p = c.params("softmax%d" % n, vals)
    c.add_op(oplist.SOFTMAX, "SOFTMAX", n, [x, p], [y])


def _alias(c, n, op):
    x, y = c.tensor(op.inputs[0]), c.tensor(op.outputs[0])
    if x.is_const:
        raise ConvertError("reshaping a constant is not supported")
    if x.nbytes != y.nbytes or x.dtype != y.dtype:
        raise ConvertError("reshape changes the size: %s -> %s" % (x.shape, y.shape))
    if c.resolve(x) is y or y.alias is not None:
        raise ConvertError("tensor %s is produced twice (or reshaped into itself)" % y.name)
    y.alias = c.resolve(x)


for _code in (BO.RESHAPE, BO.SQUEEZE, BO.EXPAND_DIMS):
    RULES[_code] = _alias


@rule(BO.QUANTIZE)
def _quantize(c, n, op):
    (x,), (y,) = c.io(op, 1)
    if y.dtype != oplist.INT8:
        raise ConvertError("output %s: only int8 QUANTIZE is supported" % oplist.DTYPE_NAMES[y.dtype])
    if x.dtype == oplist.FLOAT32:
        p = c.const("quant%d/params" % n, np.array([np.float32(y.scale).view(np.int32), y.zero_point], np.int32))
        c.add_op(oplist.QUANTIZE, "QUANTIZE", n, [x, p], [y])
    elif x.dtype == oplist.INT8:
        p = c.params("requant%d" % n, ref.requantize_params(x.scale, x.zero_point, y.scale, y.zero_point))
        c.add_op(oplist.REQUANTIZE, "QUANTIZE", n, [x, p], [y])
    else:
        raise ConvertError("input %s: unsupported QUANTIZE input" % oplist.DTYPE_NAMES[x.dtype])


@rule(BO.DEQUANTIZE)
def _dequantize(c, n, op):
    (x,), (y,) = c.io(op, 1)
    if x.dtype != oplist.INT8 or y.dtype != oplist.FLOAT32:
        raise ConvertError("only int8 -> float32 DEQUANTIZE is supported")
    p = c.const("dequant%d/params" % n, np.array([np.float32(x.scale).view(np.int32), x.zero_point], np.int32))
    c.add_op(oplist.DEQUANTIZE, "DEQUANTIZE", n, [x, p], [y])


# ---------------------------------------------------------------------- Python (CUSTOM) op options

def _plain(v):
    """An option value as JSON-able plain data (numbers, bools, strings, lists, dicts)."""
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return float(v)
    if isinstance(v, (bytes, bytearray)):
        try:
            return v.decode("utf-8")
        except UnicodeDecodeError:
            return list(v)
    if isinstance(v, str) or v is None:
        return v
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple, np.ndarray)):
        return [_plain(x) for x in v]
    if hasattr(v, "__dict__"):  # a nested options table of the schema object API
        return {k: _plain(x) for k, x in vars(v).items()}
    raise ConvertError("option value %r of type %s cannot be stored" % (v, type(v).__name__))


def custom_options_dict(op):
    """A CUSTOM op's options: its `custom_options` flexbuffer decoded to a dict (a non-map root
    becomes {"value": ...}; undecodable bytes {"raw": [bytes]})."""
    raw = op.customOptions
    if raw is None or len(raw) == 0:
        return {}
    data = bytes(np.asarray(raw, dtype=np.uint8))
    if op.customOptionsFormat != schema.CustomOptionsFormat.FLEXBUFFERS:
        return {"raw": list(data)}
    from flatbuffers import flexbuffers

    try:
        v = flexbuffers.Loads(data)
    except Exception:  # noqa: BLE001 - the flexbuffers reader raises many kinds
        return {"raw": list(data)}
    return _plain(v) if isinstance(v, dict) else {"value": _plain(v)}


def builtin_options_dict(op):
    """A builtin op's options table (schema object API) as a dict keyed by the schema's field
    names (camelCase, e.g. fusedActivationFunction)."""
    o = op.builtinOptions
    d = {} if o is None else _plain(o)
    o2 = getattr(op, "builtinOptions2", None)
    if o2 is not None:
        d.update(_plain(o2))
    return d


def options_json(opts):
    import json

    try:
        return json.dumps(opts, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except ValueError as e:
        raise ConvertError("options %r: %s" % (opts, e)) from None


def _s(name):
    if name is None:
        return ""
    return name.decode("utf-8", "replace") if isinstance(name, (bytes, bytearray)) else str(name)


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


def _align(n):
    return (n + ff.ALIGN - 1) // ff.ALIGN * ff.ALIGN


def convert(tflite_bytes, allow_python_ops=False):
    """Convert .tflite bytes; returns the Converter (call .serialize() for the file bytes).

    Raises ConvertError for anything it cannot convert, malformed files included."""
    try:
        return Converter(tflite_bytes, allow_python_ops).convert()
    except ConvertError:
        raise
    except (AttributeError, IndexError, KeyError, TypeError, ValueError, ArithmeticError, struct.error) as e:
        raise ConvertError("malformed .tflite model (%s: %s)" % (type(e).__name__, e)) from e


def _self_check(data):
    """The file must pass every check micronn.load() makes on the device: a converter bug (or
    a malformed input that slipped through) becomes a ConvertError here, not a device error."""
    from micronn import model as _model

    try:
        _model.check(data)
    except _model.ModelError as e:
        raise ConvertError("the converted model fails the runtime's checks: %s" % e) from None


# Rules beyond Tier 1, one module per area; importing registers them in RULES.
from . import convert_activations, convert_detection, convert_elementwise, convert_signal  # noqa: E402,F401
