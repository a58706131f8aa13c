"""The .micronn file: serialize() (checked as micronn.load() checks it) and report()
(Converter methods, as a mixin)."""

import struct
import zlib

from micronn import fileformat as ff
from micronn import oplist

from .graph import ConvertError, _align


class Writer:
    """Converter methods that write the file (self: the Converter)."""

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
        for sub in self.subgraphs[1:]:
            for t in sub.inputs + sub.outputs:
                use(t)
        for op in self.ops:
            for t in op.inputs + op.outputs:
                use(self.resolve(t))
        for t in self.tensors:
            if t.variable and not t.is_const:
                use(t)
        index = {id(t): i for i, t in enumerate(used)}
        op_index = {id(op): k for k, op in enumerate(self.ops)}
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
            elif op.opcode in ff.RUNTIME_OPS:
                rec += struct.pack("<%dH" % len(op.subgraphs), *op.subgraphs)
            size = ff.OP_SIZE + len(rec)
            size += (-size) % 4
            ops_blob += struct.pack(ff.OP_FMT, op.opcode, len(op.inputs), len(op.outputs), size) + rec
            ops_blob += bytes((-len(ops_blob)) % 4)
        io = struct.pack("<%dH" % (len(self.inputs) + len(self.outputs)),
                         *[index[id(t)] for t in self.inputs + self.outputs])
        io += bytes((-len(io)) % 4)
        subs = bytearray()
        for sub in self.subgraphs:
            idx = [index[id(t)] for t in sub.inputs + sub.outputs] + [op_index[id(op)] for op in sub.ops]
            subs += struct.pack("<3H%dH" % len(idx), len(sub.inputs), len(sub.outputs), len(sub.ops), *idx)
            subs += bytes((-len(subs)) % 4)
        ops_off = t_off + n_t * ff.TENSOR_SIZE
        io_off = ops_off + len(ops_blob)
        sub_off = io_off + len(io)
        data_off = _align(sub_off + len(subs))
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
                                                    else ff.KIND_STATE if t.in_state else ff.KIND_ARENA)
            off = offsets[id(t)] if t.is_const else t.state_offset if t.in_state else t.offset
            flags = ff.FLAG_VARIABLE if t.variable and not t.is_const else 0
            tensors += struct.pack(ff.TENSOR_FMT, t.dtype, len(dims), kind, flags, off, t.nbytes,
                                   *(dims + [1] * (ff.MAX_DIMS - len(dims))), t.scale, t.zero_point)
        body = tensors + ops_blob + io + subs + bytes(data_off - sub_off - len(subs)) + data + names
        size = ff.HEADER_SIZE + len(body)
        head_rest = struct.pack("<HHHHIIIIII", n_t, len(self.ops), len(self.inputs), len(self.outputs),
                                self.arena_size, t_off, ops_off, io_off, data_off, names_off)
        head_rest += struct.pack(ff.EXT_FMT, self.state_size, sub_off, len(self.subgraphs), 0)
        crc = zlib.crc32(head_rest + body) & 0xFFFFFFFF
        header = struct.pack("<4sHHII", ff.MAGIC, ff.VERSION, ff.HEADER_SIZE, size, crc) + head_rest
        assert len(header) == ff.HEADER_SIZE
        self.const_bytes = len(data)
        out = bytes(header + body)
        _self_check(out)
        return out

    def report(self):
        lines = ["%-4s %-20s %-22s %-22s %12s" % ("#", "op", "input", "output", "MACs")]
        total = 0
        for k, op in enumerate(self.ops):
            x = next((t for t in op.inputs if t is not None and not t.is_const), None)
            y = op.outputs[0] if op.outputs else None
            sub = getattr(op, "subgraph", 0)
            lines.append("%-4d %-20s %-22s %-22s %12d" % (
                k, op.name if not sub else "%s [sg %d]" % (op.name, sub), "x".join(map(str, x.shape)) if x else "-",
                "x".join(map(str, y.shape)) if y else "-", op.macs))
            total += op.macs
        weights = sum(len(t.data) for t in self.tensors if t.is_const)
        lines.append("total MACs %d, constants %d bytes, arena %d bytes (lower bound %d), state %d bytes, %d ops" % (
            total, weights, self.arena_size, self.live_peak(), self.state_size, len(self.ops)))
        lines.append(self.weight_bytes_line())
        if len(self.subgraphs) > 1:
            lines.append("%d subgraphs (the main graph and %d run by IF/WHILE/CALL_ONCE ops)" % (
                len(self.subgraphs), len(self.subgraphs) - 1))
        if getattr(self, "scratch_size", 0):
            lines.append("kernel scratch shared by %d ops: %d bytes (allocated once at load)" % (
                sum(1 for t in self.tensors if getattr(t, "shared", False)), self.scratch_size))
        return "\n".join(lines)

    def weight_bytes(self):
        """Bytes of the model's constants (those of the .tflite, not the converter's parameters) by
        precision: int4 (packed), int8, int16, int32 (biases and other int32 constants), float, other."""
        from micronn import oplist

        out = {"int4": 0, "int8": 0, "int16": 0, "int32": 0, "float": 0, "other": 0}
        for t in self.tensors:
            if not t.is_const or t.src is None:
                continue
            kind = "int4" if t.int4_shape is not None else {
                oplist.INT8: "int8", oplist.INT16: "int16", oplist.INT32: "int32",
                oplist.FLOAT32: "float"}.get(t.dtype, "other")
            out[kind] += len(t.data)
        return out

    def weight_bytes_line(self):
        w = self.weight_bytes()
        return "weight bytes by precision: " + ", ".join(
            "%s %d" % (k if k != "int32" else "int32 (bias)", v) for k, v in w.items() if v or k in ("int8", "int32"))



def _self_check(data):
    """The file must pass every check micronn.load() makes on the device: a converter bug (or
    a malformed input that slipped through) becomes a ConvertError here, not a device error."""
    from micronn import model as _model

    try:
        _model.check(data)
    except _model.ModelError as e:
        raise ConvertError("the converted model fails the runtime's checks: %s" % e) from None

