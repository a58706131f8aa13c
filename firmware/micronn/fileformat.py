"""The .micronn model file: layout constants shared by the writer (host) and reader (device).

All integers little-endian. Offsets are from the start of the file.

    header   HEADER_FMT, HEADER_SIZE bytes
             magic b"MNN\\x00", version, header_size, file_size,
             crc32 of bytes [16:file_size] (zlib crc32, as binascii.crc32),
             n_tensors, n_ops, n_inputs, n_outputs, arena_size,
             tensors_off, ops_off, io_off, data_off, names_off
    tensors  n_tensors entries of TENSOR_FMT: dtype, ndim, kind, flags, offset, nbytes,
             dims[6], scale (float32, per-tensor or first channel), zero_point
             kind CONST: offset into the file (16-byte aligned); ARENA: offset into the arena;
             SCRATCH: offset into the shared scratch buffer (sized at load: the largest end)
    ops      n_ops records: OP_FMT (opcode, n_in, n_out, record size in bytes), then
             n_in + n_out tensor indices (uint16; NONE = absent optional argument),
             padded to 4 bytes. CUSTOM ops: then a uint16 name index into names.
    io       n_inputs then n_outputs tensor indices (uint16), padded to 4 bytes
    data     constants, each 16-byte aligned (used in place, never copied)
    names    uint16 count, then per name: uint16 length + utf-8 bytes
"""

import struct

MAGIC = b"MNN\x00"
VERSION = 1
HEADER_FMT = "<4sHHIIHHHHIIIIII"
HEADER_SIZE = 48
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

FLAG_VARIABLE = 1  # state kept across run() calls, zeroed by reset()


def int32s(view):
    """The int32 values of a (params) buffer, as a tuple."""
    n = len(view) // 4
    return struct.unpack("<%di" % n, view)
