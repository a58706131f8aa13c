"""micronn.load() rejects corrupt files with a specific ModelError before anything runs, run()
names the bad argument, and an arena that does not fit is a MemoryError with the numbers."""

import struct
import zlib

import micronn
import numpy as np
import pytest
from conftest import require_firmware
from micronn import fileformat as ff

from host_tools import convert
from host_tools.check import modelgen
from host_tools.device import boards


def fc_model():
    return convert.convert(modelgen.fully_connected(np.random.default_rng(3), 1, 16, 8)).serialize()


def conv_model():
    return convert.convert(modelgen.conv_2d(np.random.default_rng(4))).serialize()


def fix(buf):
    struct.pack_into("<I", buf, 8, len(buf))
    struct.pack_into("<I", buf, 12, zlib.crc32(bytes(buf[16:])) & 0xFFFFFFFF)
    return bytes(buf)


def header(data):
    return struct.unpack_from(ff.HEADER_FMT, data, 0)


def tensor_pos(data, i):
    return header(data)[10] + i * ff.TENSOR_SIZE


def const_index(data, nbytes=None):
    n_t = header(data)[5]
    for i in range(n_t):
        e = struct.unpack_from(ff.TENSOR_FMT, data, tensor_pos(data, i))
        if e[2] == ff.KIND_CONST and (nbytes is None or e[5] == nbytes):
            return i
    raise AssertionError("no constant")


def mutate(data, off, fmt, value):
    buf = bytearray(data)
    struct.pack_into(fmt, buf, off, value)
    return fix(buf)


def test_good_model_loads():
    m = micronn.load(fc_model())
    assert m.layers[0][0] == "FULLY_CONNECTED"


@pytest.mark.parametrize("case, pattern", [
    ("truncated", r"file size \d+, header says \d+ \(truncated\?\)"),
    ("crc", r"checksum mismatch"),
    ("magic", r"not a micronn model"),
    ("version", r"model file version 9"),
    ("tensor_offset_past_end", r"tensor \d+: data offset 0x[0-9a-f]+\+\d+ outside the constant data"),
    ("tensor_table_past_end", r"tensor table \(0x3c\.\.0x[0-9a-f]+\) beyond file end|overlaps"),
    ("op_index", r"op 0 \(FULLY_CONNECTED\): tensor index 999 out of range \(\d+ tensors\)"),
    ("dtype", r"tensor 0: unknown dtype 77"),
    ("shape_bytes", r"tensor 0: \d+ bytes do not match shape"),
    ("arena_offset", r"tensor 0: arena offset 0x[0-9a-f]+\+\d+ beyond arena"),
    ("io_const", r"io table: input 0: tensor \d+ is a constant"),
    ("params", r"op 0 \(FULLY_CONNECTED\): params\[0\] \(in_features\): 0 out of range"),
    ("unknown_opcode", r"op 0: unknown opcode 7000"),
    ("record_size", r"op 0: bad record size 2"),
    ("arena_huge", r"arena size \d+ bytes is beyond any device"),
])
def test_corrupt_file_names_the_problem(case, pattern):
    d = fc_model()
    h = header(d)
    n_t, t_off, ops_off, io_off = h[5], h[10], h[11], h[12]
    size = len(d)
    if case == "truncated":
        bad = d[:-40]
    elif case == "crc":
        bad = d[:-1] + bytes([d[-1] ^ 1])
    elif case == "magic":
        bad = b"XYZ\x00" + d[4:]
    elif case == "version":
        bad = mutate(d, 4, "<H", 9)
    elif case == "tensor_offset_past_end":
        bad = mutate(d, tensor_pos(d, const_index(d)) + 4, "<I", size + 0x1000)
    elif case == "tensor_table_past_end":
        bad = mutate(d, 16, "<H", 5000)
    elif case == "op_index":
        bad = mutate(d, ops_off + ff.OP_SIZE, "<H", 999)
    elif case == "dtype":
        bad = mutate(d, t_off, "<B", 77)
    elif case == "shape_bytes":
        bad = mutate(d, t_off + 8, "<I", 12345)
    elif case == "arena_offset":
        bad = mutate(d, t_off + 4, "<I", 1 << 20)
    elif case == "io_const":
        bad = mutate(d, io_off, "<H", const_index(d))
    elif case == "params":
        p = struct.unpack_from(ff.TENSOR_FMT, d, tensor_pos(d, const_index(d, 24)))[4]
        bad = mutate(d, p, "<i", 0)
    elif case == "unknown_opcode":
        bad = mutate(d, ops_off, "<H", 7000)
    elif case == "record_size":
        bad = mutate(d, ops_off + 4, "<H", 2)
    elif case == "arena_huge":
        bad = mutate(d, 24, "<I", 0xF0000000)
    assert n_t > 0
    with pytest.raises(micronn.ModelError, match=pattern):
        micronn.load(bad)


def test_conv_params_checked_at_load():
    d = conv_model()
    # stride_h of the conv params (index 9) out of range, file otherwise consistent
    for i in range(header(d)[5]):
        e = struct.unpack_from(ff.TENSOR_FMT, d, tensor_pos(d, i))
        if e[2] == ff.KIND_CONST and e[0] == 3 and e[5] in (19 * 4, 20 * 4):
            bad = mutate(d, e[4] + 9 * 4, "<i", 0)
            with pytest.raises(micronn.ModelError, match=r"op 0 \(CONV_2D\): params\[9\] \(stride_h\): 0"):
                micronn.load(bad)
            return
    raise AssertionError("no conv params")


def test_overlapping_arena_tensors_rejected():
    d = conv_model()
    h = header(d)
    # Put the input (the smaller) at the output's arena offset.
    ins = struct.unpack_from("<H", d, h[12])[0]
    outs = struct.unpack_from("<H", d, h[12] + 2)[0]
    off_out = struct.unpack_from(ff.TENSOR_FMT, d, tensor_pos(d, outs))[4]
    bad = mutate(d, tensor_pos(d, ins) + 4, "<I", off_out)
    with pytest.raises(micronn.ModelError, match=r"overlap in the arena"):
        micronn.load(bad)


def test_check_only_api():
    assert micronn.model.check(fc_model()) == []
    with pytest.raises(micronn.ModelError):
        micronn.model.check(fc_model()[:-4])


def test_run_names_bad_argument():
    m = micronn.load(fc_model())
    with pytest.raises(ValueError, match="input 0"):
        m.run(np.zeros(15, np.int8))
    with pytest.raises(ValueError, match="input 0"):
        m.run(np.zeros(4, np.int32))  # right byte count, wrong item size
    with pytest.raises(ValueError, match=r"inputs: expected a list of 1 buffers \(one per input\), got 2 ndarray"):
        m.run([np.zeros(16, np.int8), np.zeros(16, np.int8)])
    with pytest.raises(ValueError, match="output 0"):
        m.run(np.zeros(16, np.int8), np.zeros(7, np.int8))
    with pytest.raises(TypeError, match="input 0"):
        m.run(12345)


def test_user_arena():
    d = fc_model()
    m0 = micronn.load(d)
    buf = bytearray(m0.arena_size + 8)
    m = micronn.load(d, arena=buf)
    x = np.arange(16, dtype=np.int8)
    assert bytes(m.run(x)) == bytes(m0.run(x))
    with pytest.raises(ValueError, match="arena: the model needs %d bytes, the buffer has 3" % m0.arena_size):
        micronn.load(d, arena=bytearray(3))


@pytest.mark.parametrize("board", ["unix", "MPS2_AN385"])
def test_device_errors(board):
    """On the firmware: an arena beyond the heap is a MemoryError with bytes needed and free;
    a truncated file a ModelError; a short input a ValueError naming input 0."""
    require_firmware(board)
    good = fc_model()
    big = mutate(good, 24, "<I", 64 << 20)  # 64 MiB arena: more than the 16 MiB heap
    script = ("import micronn, binascii\n"
              "good = binascii.unhexlify(%r)\nbig = binascii.unhexlify(%r)\n"
              "try:\n    micronn.load(big)\n    print('loaded')\n"
              "except MemoryError as e:\n    print('MemoryError:', e)\n"
              "try:\n    micronn.load(good[:-3])\n"
              "except micronn.ModelError as e:\n    print('ModelError:', e)\n"
              "m = micronn.load(good)\n"
              "try:\n    m.run(bytearray(3))\n"
              "except ValueError as e:\n    print('ValueError:', e)\n") % (good.hex(), big.hex())
    rc, out = boards.run_script(board, script, timeout=120)
    assert rc == 0, out
    assert "MemoryError: arena: the model needs 67108864 bytes of RAM for activations," in out, out
    assert "bytes free in the heap" in out, out
    assert "ModelError: file size" in out, out
    assert "ValueError: input 0" in out, out
