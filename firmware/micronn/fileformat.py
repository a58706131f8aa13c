"""The .micronn model file: layout constants shared by the writer (host) and reader (device).

All integers little-endian. Offsets are from the start of the file.

    header   HEADER_FMT, HEADER_SIZE bytes
             magic b"MNN\\x00", version, header_size, file_size,
             crc32 of bytes [16:file_size] (zlib crc32, as binascii.crc32),
             n_tensors, n_ops, n_inputs, n_outputs, arena_size,
             tensors_off, ops_off, io_off, data_off, names_off;
             then (version 2) EXT_FMT: state_size, subgraphs_off, n_subgraphs, 0
    tensors  n_tensors entries of TENSOR_FMT: dtype, ndim, kind, flags, offset, nbytes,
             dims[6], scale (float32, per-tensor or first channel), zero_point
             kind CONST: offset into the file (16-byte aligned); ARENA: offset into the arena;
             SCRATCH: offset into the shared scratch buffer (sized at load: the largest end);
             STATE: offset into the state area (state_size bytes, kept across run() calls:
             variable tensors, resource variables, CALL_ONCE flags). flags VARIABLE: reset()
             sets it to its reset value (int8: its zero point byte; other dtypes: zeros), as
             TFLite Micro's Reset() does; a STATE tensor without it (a CALL_ONCE flag) is kept
    ops      n_ops records: OP_FMT (opcode, n_in, n_out, record size in bytes), then
             n_in + n_out tensor indices (uint16; NONE = absent optional argument),
             padded to 4 bytes. CUSTOM ops: then a uint16 name index into names.
             Runtime ops (control flow, RUNTIME_OPS): then their uint16 subgraph indices
             (IF: then, else; WHILE: cond, body; CALL_ONCE: init).
    io       n_inputs then n_outputs tensor indices (uint16), padded to 4 bytes
    subgraphs n_subgraphs entries: uint16 n_in, n_out, n_ops, then n_in + n_out tensor
             indices and n_ops op indices (uint16), padded to 4 bytes. Subgraph 0 is the
             main graph (its inputs and outputs are the io table's); every op belongs to
             exactly one subgraph, every other subgraph is run by exactly one runtime op
             (the converter makes a copy per call site), and none runs itself.
    data     constants, each 16-byte aligned (used in place, never copied)
    names    uint16 count, then per name: uint16 length + utf-8 bytes
"""

import struct

MAGIC = b"MNN\x00"
VERSION = 2  # 2: state area, subgraphs (version 1 files: convert the .tflite again)
HEADER_FMT = "<4sHHIIHHHHIIIIII"  # the first 48 bytes of the header
EXT_FMT = "<IIHH"  # at byte 48: state_size, subgraphs_off, n_subgraphs, reserved (0)
EXT_OFF = 48
HEADER_SIZE = 60
TENSOR_FMT = "<BBBBII6ifi"
TENSOR_SIZE = 44
OP_FMT = "<HBBH"
OP_SIZE = 6
MAX_DIMS = 6
NONE = 0xFFFF
ALIGN = 16

KIND_CONST = 0
KIND_ARENA = 1
KIND_SCRATCH = 2  # kernel scratch in one buffer shared by all ops, allocated once at load
KIND_STATE = 3  # in the state area (kept across run() calls; Model.state)

FLAG_VARIABLE = 1  # a STATE tensor that reset() sets to its reset value

# Runtime ops: run by the graph runner itself, not by a kernel (RECURRENT area opcodes).
OP_IF = 150  # inputs: cond (bool), then the then/else subgraph's inputs; outputs: its outputs
OP_WHILE = 151  # inputs = outputs = the loop-carried tensors (cond and body subgraphs' inputs)
OP_CALL_ONCE = 152  # input: its has-run flag (a STATE tensor); runs the init subgraph once
OP_COPY = 153  # output = input, bytes (READ_VARIABLE, ASSIGN_VARIABLE)
# opcode -> (name, number of subgraph indices in its record)
RUNTIME_OPS = {OP_IF: ("IF", 2), OP_WHILE: ("WHILE", 2), OP_CALL_ONCE: ("CALL_ONCE", 1), OP_COPY: ("COPY", 0)}
WHILE_MAX_ITERATIONS = 1000000  # default Model.while_limit: a WHILE that loops more raises RuntimeError


def int32s(view):
    """The int32 values of a (params) buffer, as a tuple."""
    n = len(view) // 4
    return struct.unpack("<%di" % n, view)
