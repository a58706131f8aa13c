"""Convert an int8 .tflite model into a .micronn model file.

Everything the device needs is computed here, once, with floats allowed: requantization
multipliers and shifts, padding, fused activation ranges, broadcast strides; the memory plan
of the activation arena (tensor lifetimes, RESHAPE aliases its input). Each builtin op goes
through the rule registered for it (registry.py; rules/ per area) or becomes a Python op.
"""

import struct

import numpy as np
from micronn import oplist
from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

from . import registry
from .graph import BO, BUILTIN_NAMES, DTYPES, TT, TYPE_NAMES, ConvertError, Op, Subgraph, Tensor, _s
from .planner import Planner
from .support import unsupported_message
from .writer import Writer


class Converter(Planner, Writer):
    """A .tflite model in conversion: tensors, ops (each builtin through its registered rule),
    then the memory plan (Planner) and the file (Writer).

    Subgraph 0 is the main graph; a runtime op (IF, WHILE, CALL_ONCE: rules/state.py) converts
    the .tflite subgraphs it runs into Subgraphs of their own, one copy per call site, whose ops
    follow it in `ops` (so the planner sees them live while it runs). `g`/`by_src` are the
    .tflite subgraph being converted and its tensors."""

    def __init__(self, tflite_bytes, allow_python_ops=False):
        head = bytes(tflite_bytes[:8])
        if head[:4] == b"MNN\x00":
            raise ConvertError("not a .tflite file: this is a converted micronn model already")
        if head[4:8] != b"TFL3":
            raise ConvertError("not a .tflite file (no TFL3 identifier at bytes 4-8, got %r)" % head[4:8])
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
        self.subgraphs = []
        self.cur = 0  # the Subgraph being converted
        self.stack = ()  # .tflite subgraphs being converted (a runtime op running one: recursion)
        self.resources = {}  # (container, shared_name) -> the resource variable's state Tensor
        self.handles = {}  # .tflite tensor of a VAR_HANDLE (this subgraph) -> (container, shared_name)
        self.state_size = 0

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
        if t.type == TT.RESOURCE:
            raise ConvertError("tensor %d (%s): a resource tensor (VAR_HANDLE's) can only be read and "
                               "assigned (READ_VARIABLE, ASSIGN_VARIABLE) in the subgraph that makes it" % (i, _s(t.name)))
        if t.type not in DTYPES:
            raise ConvertError("tensor %d (%s): type %s is not supported (micronn's types: %s)" % (
                i, _s(t.name), TYPE_NAMES.get(t.type, str(t.type)), ", ".join(oplist.DTYPE_NAMES)))
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
        if t.isVariable:
            data = None  # TFLite Micro ignores a variable's buffer: it starts from its reset value
        int4_shape = None
        if t.type == schema.TensorType.INT4:  # two values per byte: an int8 constant of the packed bytes
            int4_shape, shape = shape, [(int(np.prod(shape, dtype=np.int64)) + 1) // 2]
        ours = Tensor(_s(t.name), dtype, shape, scale, zp, data, src=i)
        ours.int4_shape = int4_shape
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
        self.convert_subgraph(0)
        main = self.subgraphs[0]
        self.inputs, self.outputs = main.inputs, main.outputs
        self.plan_in_place()
        self.plan_scratch()
        self.plan_state()
        return self

    def convert_subgraph(self, src, caller=None):
        """Convert .tflite subgraph `src` into a new Subgraph (for runtime op `caller`); returns
        its index. Its ops are appended to self.ops."""
        if not 0 <= src < len(self.m.subgraphs):
            raise ConvertError("subgraph %d out of range (the model has %d)" % (src, len(self.m.subgraphs)))
        if src in self.stack:
            raise ConvertError("subgraph %d runs itself (recursion through %s): not supported" % (
                src, " -> ".join(map(str, self.stack + (src,)))))
        if len(self.stack) > 8:
            raise ConvertError("subgraphs nested more than 8 deep")
        if len(self.subgraphs) >= 0xFFFF:
            raise ConvertError("more than 65535 subgraph calls")
        sub = Subgraph(src)
        sub.start = len(self.ops) - 1 if caller is not None else 0
        index = len(self.subgraphs)
        self.subgraphs.append(sub)
        saved = (self.g, self.by_src, self.cur, self.stack, self.handles)
        self.g, self.by_src, self.cur, self.stack, self.handles = (
            self.m.subgraphs[src], {}, index, self.stack + (src,), {})
        try:
            self._convert_ops()
            for i in self.g.inputs:
                self.tensor(i)
            for i in self.g.outputs:
                self.tensor(i)
            sub.inputs = [self.resolve(self.tensor(i)) for i in self.g.inputs]
            sub.outputs = [self.resolve(self.tensor(i)) for i in self.g.outputs]
            what = "graph" if caller is None else "subgraph %d" % src
            for t in sub.inputs + sub.outputs:
                if t.is_const:
                    raise ConvertError("%s input/output %s is a constant" % (what, t.name))
                if t.in_state:
                    raise ConvertError("%s input/output %s is a variable (state) tensor" % (what, t.name))
        finally:
            self.g, self.by_src, self.cur, self.stack, self.handles = saved
        sub.ops = [op for op in self.ops if op.subgraph == index]
        return index

    def _convert_ops(self):
        for n, op in enumerate(self.g.operators or []):
            if not 0 <= op.opcodeIndex < len(self.m.operatorCodes or []):
                raise ConvertError("op %d: opcode index %d out of range" % (n, op.opcodeIndex))
            oc = self.m.operatorCodes[op.opcodeIndex]
            code = max(oc.builtinCode, oc.deprecatedBuiltinCode)
            name = BUILTIN_NAMES.get(code, "BUILTIN_%d" % code)
            if code == BO.CUSTOM:
                name = _s(oc.customCode)
            if code == BO.CUSTOM:
                rule = registry.custom_lookup(name)
            else:
                rule = registry.lookup(code, self._input_dtype(n, op, name))
            if rule is None:
                self.custom_op(n, op, name, builtin=code != BO.CUSTOM)
                continue
            try:
                rule(self, n, op)
            except ConvertError as e:
                raise ConvertError("%s(%s): %s" % (self.op_name(n), name, e)) from None
            except (AttributeError, IndexError, KeyError, TypeError, ValueError, OverflowError,
                    ArithmeticError) as e:
                # A malformed flatbuffer (missing options table, index out of range, ...).
                raise ConvertError("%s(%s): malformed operator (%s: %s)" % (
                    self.op_name(n), name, type(e).__name__, e)) from e

    def op_name(self, n):
        """How errors name op n of the .tflite subgraph being converted."""
        return "op %d " % n if not self.cur else "subgraph %d op %d " % (self.stack[-1], n)

    def _input_dtype(self, n, op, name):
        """The dtype of the op's data input (it picks the rule), None if it has none."""
        try:
            x = self._input(op)
        except ConvertError as e:
            raise ConvertError("op %d (%s): %s" % (n, name, e)) from None
        return None if x is None else x.dtype

    def custom_op(self, n, op, name, builtin):
        if builtin and not self.allow_python_ops:
            raise ConvertError(unsupported_message(n, name, self._input(op)))
        ins = [self.tensor(i) for i in op.inputs]
        outs = [self.tensor(i) for i in op.outputs]
        try:
            opts = builtin_options_dict(op) if builtin else custom_options_dict(op)
        except ConvertError as e:
            raise ConvertError("op %d (%s): %s" % (n, name, e)) from None
        o = Op(oplist.CUSTOM, ins, outs, name, n, custom_name=name)
        o.subgraph = self.cur
        o.options_json = options_json(opts) if opts else None
        for s in (name, o.options_json):
            if s is not None and s not in self.names:
                self.names.append(s)
        self.ops.append(o)

    def _input(self, op):
        """The op's data input tensor (its first, or the one its rules name: SPLIT's second),
        None if it has none."""
        oc = self.m.operatorCodes[op.opcodeIndex]
        k = registry.data_input(max(oc.builtinCode, oc.deprecatedBuiltinCode))
        ok = op.inputs is not None and len(op.inputs) > k and op.inputs[k] >= 0
        if ok and op.inputs[k] < len(self.g.tensors) and self.g.tensors[op.inputs[k]].type == TT.RESOURCE:
            return None  # READ_VARIABLE/ASSIGN_VARIABLE: their rule takes any dtype
        return self.tensor(op.inputs[k]) if ok else None

    def io(self, op, n_in):
        ins = [self.tensor(i) for i in op.inputs[:n_in]] + [None] * max(0, n_in - len(op.inputs))
        outs = [self.tensor(i) for i in op.outputs]
        return ins, outs

    def check_s8(self, *ts):
        for t in ts:
            if t is not None and t.int4_shape is not None:
                raise ConvertError("tensor %s: int4, not supported here (int4 weights: FULLY_CONNECTED)" % t.name)
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
        o = Op(opcode, args, outs, name, n, macs)
        o.subgraph = self.cur
        self.ops.append(o)
        return o



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



def convert(tflite_bytes, allow_python_ops=False):
    """Convert .tflite bytes; returns the Converter (call .serialize() for the file bytes).

    Raises ConvertError for anything it cannot convert, malformed files included."""
    try:
        return Converter(tflite_bytes, allow_python_ops).convert()
    except ConvertError:
        raise
    except (AttributeError, IndexError, KeyError, TypeError, ValueError, ArithmeticError, struct.error) as e:
        raise ConvertError("malformed .tflite model (%s: %s)" % (type(e).__name__, e)) from e

