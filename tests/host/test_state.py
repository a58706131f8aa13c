"""State and control flow over consecutive invokes: the models of opcases_state.py run through a
sequence of run() / reset() / state snapshot steps on the numpy backend and on every test board,
equal to live TFLite Micro invoke for invoke (a snapshot restored, or a fresh load given a
snapshot, continues the stream as the interpreter that took it would); plus the file format's
and the runtime's refusals (old files, recursion, runaway WHILE, bad snapshots)."""

import functools
import os
import struct
import tempfile
import zlib

import micronn
import numpy as np
import pytest
from conftest import boards, require_firmware
from micronn import fileformat as ff
from opcases_state import STATE_MODELS

from host_tools import convert
from host_tools.check import modelgen, tflm
from host_tools.check.modelgen import schema

MODELS = {name: (model, ins) for name, model, ins in STATE_MODELS}


def _inputs_like(ins, k):
    """Invoke k's inputs: the case's, varied per invoke (int32 loop counts kept small)."""
    rng = np.random.default_rng(k)
    out = []
    for x in ins:
        if x.dtype == np.bool_:
            out.append(np.array([bool(k % 2)]) if k else x)
        elif x.dtype == np.int32 and x.size == 1:
            out.append(np.array([(int(x[0]) + k) % 6], np.int32))
        elif x.dtype == np.int32:
            out.append((x + k * 1000).astype(np.int32))
        else:
            out.append(modelgen.random_input(rng, x.shape, x.dtype) if k else x)
    return out


def _steps(name):
    """run / reset / save / restore / reload steps exercising the state."""
    ins = MODELS[name][1]
    r = [("run", _inputs_like(ins, k)) for k in range(6)]
    return [r[0], r[1], r[2], ("reset",), r[3], ("save",), r[4], r[5], ("restore",), r[4], r[5],
            ("reload",), ("restore",), r[5], ("reload",), r[0], r[1]]


def tflm_outputs(model, steps):
    """TFLite Micro's outputs of every run step; save/restore replayed in a fresh interpreter."""
    sess, history, saved, outs = tflm.Session(model), [], None, []
    for st in steps:
        if st[0] == "run":
            outs.append(sess.run(st[1]))
            history.append(st[1])
        elif st[0] == "reset":
            sess.reset()
            history.append("reset")
        elif st[0] == "save":
            saved = list(history)
        elif st[0] == "reload":
            sess, history = tflm.Session(model), []
        elif st[0] == "restore":
            sess, history = tflm.Session(model), list(saved)
            for h in history:
                sess.reset() if h == "reset" else sess.run(h)
    return outs


def numpy_outputs(data, steps):
    m = micronn.load(data)
    saved, outs = None, []
    for st in steps:
        if st[0] == "run":
            res = m.run([np.ascontiguousarray(x) for x in st[1]])
            res = res if isinstance(res, list) else [res]
            outs.append([np.frombuffer(bytes(o), dtype=np.dtype(i.dtype)).reshape(i.shape)
                         for o, i in zip(res, m.outputs)])
        elif st[0] == "reset":
            m.reset()
        elif st[0] == "save":
            saved = m.state
        elif st[0] == "restore":
            m.state = saved
        elif st[0] == "reload":
            m = micronn.load(data)
    return outs


_SCRIPT = """\
import binascii
import micronn
for k, steps in enumerate([{cases}]):
    m = micronn.load("model%d.micronn" % k)
    saved = None
    for j, st in enumerate(steps):
        if st[0] == "run":
            for i, x in enumerate(st[1]):
                m.input_view(i)[:] = binascii.unhexlify(x)
            outs = m.run()
            if not isinstance(outs, list):
                outs = [outs]
            for i, y in enumerate(outs):
                print("OUT", k, j, i, str(binascii.hexlify(bytes(y)), "ascii"))
        elif st[0] == "reset":
            m.reset()
        elif st[0] == "save":
            saved = m.state
        elif st[0] == "restore":
            m.state = saved
        elif st[0] == "reload":
            m = None
            m = micronn.load("model%d.micronn" % k)
    m = None
print("DONE")
"""


def device_outputs(board, items):
    """[(micronn bytes, steps)] -> per item, the outputs of its run steps, on `board`."""
    from host_tools.device import boards as hw

    cases = []
    for _, steps in items:
        cases.append("[%s]" % ", ".join(
            '("run", [%s])' % ", ".join('"%s"' % np.ascontiguousarray(x).tobytes().hex() for x in st[1])
            if st[0] == "run" else '("%s",)' % st[0] for st in steps))
    with tempfile.TemporaryDirectory(prefix="micronn-state-") as tmp:
        for k, (data, _) in enumerate(items):
            with open(os.path.join(tmp, "model%d.micronn" % k), "wb") as f:
                f.write(data)
        rc, out = hw.run_script(board, _SCRIPT.format(cases=", ".join(cases)), timeout=600, cwd=tmp)
    assert rc == 0 and "DONE" in out, out[-3000:]
    got = {}
    for line in out.splitlines():
        p = line.split()
        if p[:1] == ["OUT"]:
            got[int(p[1]), int(p[2]), int(p[3])] = bytes.fromhex(p[4]) if len(p) > 4 else b""
    res = []
    for k, (data, steps) in enumerate(items):
        m = micronn.load(data)
        outs = []
        for j, st in enumerate(steps):
            if st[0] == "run":
                outs.append([np.frombuffer(got[k, j, i], dtype=np.dtype(o.dtype)).reshape(o.shape)
                             for i, o in enumerate(m.outputs)])
        res.append(outs)
    return res


@functools.lru_cache(maxsize=None)
def _converted(name):
    return convert.convert(MODELS[name][0]).serialize()


@functools.lru_cache(maxsize=None)
def _want(name):
    return tflm_outputs(MODELS[name][0], _steps(name))


def _check(what, got, want):
    assert len(got) == len(want), what
    for k, (g, w) in enumerate(zip(got, want)):
        for i, (a, b) in enumerate(zip(g, w)):
            b = np.asarray(b).reshape(a.shape)
            assert a.dtype == b.dtype and np.array_equal(a, b), "%s: invoke %d output %d: ours %s, TFLM %s" % (
                what, k, i, a.ravel()[:8], b.ravel()[:8])


@pytest.mark.parametrize("name", sorted(MODELS))
def test_numpy_sequence_vs_tflm(name):
    _check(name, numpy_outputs(_converted(name), _steps(name)), _want(name))


def test_tflm_semantics_we_match():
    # What the sequences above rely on, read from TFLite Micro itself: reset() zeroes an int32
    # resource variable, sets an int8 one to its zero point, and does not run CALL_ONCE again.
    s = tflm.Session(MODELS["counter-s32-init"][0])
    x = np.array([1, 2], np.int32)
    assert [s.run([x])[0].tolist() for _ in range(2)] == [[101, -5], [102, -3]]
    s.reset()
    assert s.run([x])[0].tolist() == [1, 2]


@pytest.mark.parametrize("board", boards())
def test_board_sequences_vs_tflm(board):
    require_firmware(board)
    names = sorted(MODELS)
    res = device_outputs(board, [(_converted(n), _steps(n)) for n in names])
    for n, got in zip(names, res):
        _check("%s on %s" % (n, board), got, _want(n))


# ---------------------------------------------------------------------------- the state area

def test_state_area_attributes_and_report():
    c = convert.convert(MODELS["counter-s32-init"][0])
    data = c.serialize()
    m = micronn.load(data)
    # a resource variable of 2 int32 and the CALL_ONCE flag (4-byte aligned)
    assert m.state_size == c.state_size == 12 and len(m.state) == 12
    assert m.subgraph_count == 2
    assert "state 12 bytes" in c.report()
    assert [n for n, _ in m.layers] == ["CALL_ONCE", "READ_VARIABLE", "ADD", "ASSIGN_VARIABLE"]
    m.run(np.array([1, 2], np.int32))
    snap = m.state
    m.reset()
    assert m.state != snap
    m.state = bytearray(snap)
    assert m.state == snap
    assert m.run(np.array([0, 0], np.int32)).tolist() == [101, -5]


def test_state_snapshot_errors():
    m = micronn.load(_converted("counter-s32-init"))
    with pytest.raises(ValueError, match="state: this model's state is 12 bytes, got 3"):
        m.state = b"abc"
    with pytest.raises(TypeError, match="state: expected bytes of a state snapshot, got str"):
        m.state = "abcdefghijkl"
    with pytest.raises(TypeError, match="state: expected bytes of a state snapshot, got int"):
        m.state = 12
    from array import array

    with pytest.raises(TypeError, match="1-byte items"):
        m.state = array("i", [0, 0, 0])


def test_stateless_model_has_empty_state():
    m = micronn.load(_converted("if-then"))
    assert m.state_size == 0 and m.state == b""
    m.state = b""
    m.reset()


# ---------------------------------------------------------------------------- WHILE limit

def test_while_limit_raises_instead_of_hanging():
    m = micronn.load(_converted("while-sum-7"))
    x = np.arange(5, dtype=np.int32)
    assert m.while_limit == ff.WHILE_MAX_ITERATIONS
    m.while_limit = 7
    m.run([np.array([7], np.int32), x])
    m.while_limit = 6
    with pytest.raises(RuntimeError, match=r"op 0 \(WHILE\): more than 6 iterations \(Model.while_limit\)"):
        m.run([np.array([7], np.int32), x])
    with pytest.raises(ValueError, match="while_limit: expected an int"):
        m.while_limit = -1


@pytest.mark.parametrize("board", boards())
def test_while_limit_on_device(board):
    from host_tools.device import boards as hw

    require_firmware(board)
    with tempfile.TemporaryDirectory(prefix="micronn-state-") as tmp:
        with open(os.path.join(tmp, "w.micronn"), "wb") as f:
            f.write(_converted("while-sum-7"))
        script = ("import micronn, array\nm = micronn.load('w.micronn')\nm.while_limit = 3\n"
                  "try:\n    m.run([array.array('i', [4]), array.array('i', [1, 2, 3, 4, 5])])\n"
                  "except RuntimeError as e:\n    print('ERR', e)\n"
                  "m.while_limit = 4\nprint(list(m.run([array.array('i', [4]), array.array('i', [1, 2, 3, 4, 5])])[0]))\n")
        rc, out = hw.run_script(board, script, timeout=120, cwd=tmp)
    assert rc == 0, out
    assert "ERR op 0 (WHILE): more than 3 iterations (Model.while_limit)" in out
    assert "[4, 8, 12, 16, 20]" in out


# ---------------------------------------------------------------------------- refusals

def _recursive_model():
    """Subgraph 1 runs itself through an IF."""
    b = modelgen.MultiGraphBuilder("recursion")
    g = b.main
    sub, si = b.add_subgraph("self")
    c = g.add_input("cond", (1,), np.bool_)
    x = g.add_input("x", (2,), np.int32)
    y = g.add_output("y", (2,), np.int32)
    modelgen.if_op(g, c, [c, x], [y], si, si)
    sc = sub.add_input("cond", (1,), np.bool_)
    sx = sub.add_input("x", (2,), np.int32)
    sy = sub.add_output("y", (2,), np.int32)
    modelgen.if_op(sub, sc, [sc, sx], [sy], si, si)
    return b.finish()


def test_converter_refuses_recursion():
    with pytest.raises(convert.ConvertError, match=r"subgraph 1 runs itself \(recursion through 0 -> 1 -> 1\)"):
        convert.convert(_recursive_model())


def test_converter_refuses_unassigned_variable():
    b = modelgen.MultiGraphBuilder()
    g = b.main
    x = g.add_input("x", (2,), np.int32)
    r = modelgen.var_handle(g, "h", "never")
    v = g.add_tensor("v", (2,), np.int32)
    g.add_operator("READ_VARIABLE", [r], [v])
    y = g.add_output("y", (2,), np.int32)
    g.add_operator("ADD", [v, x], [y], schema.AddOptionsT())
    with pytest.raises(convert.ConvertError, match="op 1 \\(READ_VARIABLE\\): resource variable 'never' is never assigned"):
        convert.convert(b.finish())


def _refix(buf):
    struct.pack_into("<I", buf, 12, zlib.crc32(bytes(buf[16:])) & 0xFFFFFFFF)
    return bytes(buf)


def test_old_version_refused_with_advice():
    buf = bytearray(_converted("counter-s32"))
    struct.pack_into("<H", buf, 4, 1)
    with pytest.raises(micronn.ModelError, match="model file version 1, this runtime reads version 2: "
                                                 "convert the .tflite model again"):
        micronn.load(_refix(buf))


def _sub_table(data):
    h = struct.unpack_from(ff.HEADER_FMT, data, 0)
    _, sub_off, n_sub, _ = struct.unpack_from(ff.EXT_FMT, data, ff.EXT_OFF)
    return h, sub_off, n_sub


def test_loader_refuses_a_subgraph_running_itself():
    # if-then: op 0 IF runs subgraphs 1 and 2; point its else at its own... subgraph 0 is refused,
    # and a callee op that runs its own subgraph is a cycle.
    data = _converted("if-then")
    h, sub_off, n_sub = _sub_table(data)
    ops_off = h[11]
    opcode, nin, nout, rsize = struct.unpack_from(ff.OP_FMT, data, ops_off)
    assert opcode == ff.OP_IF
    ref = ops_off + ff.OP_SIZE + 2 * (nin + nout)
    buf = bytearray(data)
    struct.pack_into("<H", buf, ref + 2, 0)
    with pytest.raises(micronn.ModelError, match=r"op 0 \(IF\): subgraph 0 out of range"):
        micronn.load(_refix(buf))
    buf = bytearray(data)
    struct.pack_into("<H", buf, ref + 2, 1)
    with pytest.raises(micronn.ModelError, match=r"op 0 \(IF\): subgraph 1 is also run by op 0"):
        micronn.load(_refix(buf))


def test_loader_refuses_recursion_through_the_subgraph_table():
    # while-sum-7: op 0 WHILE (main) runs cond 1 and body 2. Move op 0 into subgraph 2 (body) and
    # body's first op into main: the WHILE then runs its own subgraph.
    data = _converted("while-sum-7")
    h, sub_off, n_sub = _sub_table(data)
    buf = bytearray(data)
    subs, off = [], sub_off
    for _ in range(n_sub):
        n_i, n_o, n_p = struct.unpack_from("<3H", buf, off)
        subs.append((off, n_i, n_o, n_p))
        size = 6 + 2 * (n_i + n_o + n_p)
        off += size + (-size) % 4
    (o0, i0, u0, _), (o2, i2, u2, _) = subs[0], subs[2]
    a, b = o0 + 6 + 2 * (i0 + u0), o2 + 6 + 2 * (i2 + u2)
    x, y = struct.unpack_from("<H", buf, a)[0], struct.unpack_from("<H", buf, b)[0]
    struct.pack_into("<H", buf, a, y)
    struct.pack_into("<H", buf, b, x)
    with pytest.raises(micronn.ModelError, match=r"subgraph 2 runs itself \(recursion\)"):
        micronn.load(_refix(buf))
