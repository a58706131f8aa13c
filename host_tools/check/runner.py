"""Run a converted model on a backend: numpy (in-process), the unix firmware, a QEMU board, or an
emulated board (emu: RPI_PICO in rp2040js)."""

import os
import tempfile

import micronn
import numpy as np

from .. import convert as _convert

BACKENDS = ("numpy", "unix", "qemu", "emu")

_DEVICE_SCRIPT = """\
import binascii
import micronn
for k, ins in enumerate([{cases}]):
    m = micronn.load("model%d.micronn" % k)
    for i, x in enumerate(ins):  # raw bytes of any dtype, checked on the host
        m.input_view(i)[:] = x
    outs = m.run()
    if not isinstance(outs, list):
        outs = [outs]
    for i, y in enumerate(outs):
        print("OUT", k, i, str(binascii.hexlify(bytes(y)), "ascii"))
    if {timed}:
        for i, x in enumerate(ins):  # the run overwrote the inputs where the arena reuses them
            m.input_view(i)[:] = x
        t0 = micronn.ticks()
        m.run()
        print("TICKS", k, micronn.ticks() - t0, micronn.TICK_UNIT, micronn.TICK_SCALE)
    m = None
"""


class Result:
    def __init__(self, outputs, ticks=None, tick_unit=None, tick_scale=1):
        self.outputs = outputs
        self.ticks = ticks
        self.tick_unit = tick_unit
        self.tick_scale = tick_scale


def to_model_bytes(model):
    """Accept .micronn bytes, .tflite bytes or a path to either; return .micronn bytes."""
    if isinstance(model, (str, os.PathLike)):
        with open(model, "rb") as f:
            model = f.read()
    if model[:4] == b"MNN\x00":
        return model
    return _convert.convert(model).serialize()


def resolve(backend=None, board=None):
    """(backend, board) from the CLI's --backend and --board: --board unix means the unix
    backend, an emulated board (RPI_PICO) the emu backend, any other board the qemu backend; a
    backend that contradicts the board is an error (ValueError); no board: numpy (default),
    unix, qemu on MPS2_AN386 or emu on RPI_PICO."""
    from ..device import boards

    if backend is not None and backend not in BACKENDS:
        raise ValueError("--backend: expected one of %s, got %r" % (", ".join(BACKENDS), backend))
    if board is None:
        backend = backend or "numpy"
        return backend, {"numpy": None, "unix": "unix", "qemu": "MPS2_AN386", "emu": "RPI_PICO"}[backend]
    port = boards.BOARDS[board].port if board in boards.BOARDS else None
    implied = "unix" if board == "unix" else "emu" if port == "rp2" else "qemu"
    if backend not in (None, implied):
        raise ValueError("--backend %s contradicts --board %s (a board implies --backend %s)" % (
            backend, board, implied))
    return implied, board


def run(model, inputs, backend=None, board=None, timeout=900):
    """Run once; inputs is a list of numpy arrays. Returns Result with numpy outputs.
    backend/board as resolve() combines them."""
    backend, board = resolve(backend, board)
    data = to_model_bytes(model)
    m = micronn.load(data)
    arrays = []
    for i, (x, info) in enumerate(zip(inputs, m.inputs)):
        x = np.ascontiguousarray(x)
        if x.nbytes != info.nbytes:
            raise ValueError("input %d: %d bytes, model expects %d (shape %s %s)" % (
                i, x.nbytes, info.nbytes, info.shape, info.dtype))
        arrays.append(x)
    if backend == "numpy":
        import time

        outs = m.run(list(arrays))
        outs = outs if isinstance(outs, list) else [outs]
        t0 = time.perf_counter_ns()
        m.run(list(arrays))
        dt = time.perf_counter_ns() - t0
        res = [np.frombuffer(bytes(o), dtype=_np_dtype(info)).reshape(info.shape)
               for o, info in zip(outs, m.outputs)]
        return Result(res, dt, "ns")
    return run_many([(data, arrays)], board, timeout=timeout, timed=True)[0]


def run_many(cases, board, timeout=900, timed=False):
    """Run several (model bytes, [input arrays]) pairs in one firmware session on `board`
    (on an emulated board, in as few sessions as its ROMFS partition allows)."""
    from ..device import boards

    if boards.board_info(board).port == "rp2":
        groups = romfs_groups(cases, boards.EMU_ROMFS_REGION[board][1])
        if len(groups) > 1:
            return [r for g in groups for r in run_many(g, board, timeout=timeout, timed=timed)]
    metas = [micronn.load(to_model_bytes(d)) for d, _ in cases]
    with tempfile.TemporaryDirectory(prefix="micronn-run-") as tmp:
        for k, (d, _) in enumerate(cases):
            with open(os.path.join(tmp, "model%d.micronn" % k), "wb") as f:
                f.write(to_model_bytes(d))
        if boards.board_info(board).port == "rp2":
            # The inputs as files next to the models (in the ROMFS image: the emulated USB is
            # slow and a long script's literals would take the board's RAM).
            lits = []
            for k, (_, ins) in enumerate(cases):
                names = []
                for i, x in enumerate(ins):
                    name = "input%d_%d.bin" % (k, i)
                    with open(os.path.join(tmp, name), "wb") as f:
                        f.write(np.ascontiguousarray(x).tobytes())
                    names.append('open("%s", "rb").read()' % name)
                lits.append("[%s]" % ", ".join(names))
        else:
            lits = ["[%s]" % ", ".join('binascii.unhexlify("%s")' % np.ascontiguousarray(x).tobytes().hex()
                                       for x in ins) for _, ins in cases]
        script = _DEVICE_SCRIPT.format(cases=", ".join(lits), timed=bool(timed))
        rc, out = boards.run_script(board, script, timeout=timeout, cwd=tmp)
    if rc != 0:
        raise RuntimeError("model run failed on %s:\n%s" % (board, out[-3000:]))
    outs, ticks = {}, {}
    for line in out.splitlines():
        parts = line.split()
        if parts[:1] == ["OUT"]:
            outs[int(parts[1]), int(parts[2])] = bytes.fromhex(parts[3]) if len(parts) > 3 else b""
        elif parts[:1] == ["TICKS"]:
            ticks[int(parts[1])] = (int(parts[2]), parts[3], int(parts[4]))
    results = []
    for k, m in enumerate(metas):
        try:
            res = [np.frombuffer(outs[k, i], dtype=_np_dtype(info)).reshape(info.shape)
                   for i, info in enumerate(m.outputs)]
        except KeyError:
            raise RuntimeError("no output for case %d on %s:\n%s" % (k, board, out[-3000:])) from None
        t = ticks.get(k, (None, None, 1))
        results.append(Result(res, *t))
    return results


def romfs_groups(cases, capacity):
    """`cases` split, in order, into runs whose model and input files fit a ROMFS image of
    `capacity` bytes (alignment and headers allowed for: 64 bytes a file, 4 KiB for the script)."""
    groups, size = [[]], 4096
    for d, ins in cases:
        n = len(to_model_bytes(d)) + 64 + sum(np.asarray(x).nbytes + 64 for x in ins)
        if groups[-1] and size + n > capacity:
            groups.append([])
            size = 4096
        groups[-1].append((d, ins))
        size += n
    return groups


def _np_dtype(info):
    return np.dtype(info.dtype).type  # the dtype names are numpy's


_STEPS_SCRIPT = """\
import binascii
import micronn
for k, steps in enumerate([{cases}]):
    m = micronn.load("model%d.micronn" % k)
    for s, ins in enumerate(steps):
        if ins is None:
            m.reset()
            continue
        for i, x in enumerate(ins):
            m.input_view(i)[:] = x
        outs = m.run()
        if not isinstance(outs, list):
            outs = [outs]
        for i, y in enumerate(outs):
            print("OUT", k, s, i, str(binascii.hexlify(bytes(y)), "ascii"))
    m = None
"""


def run_steps(cases, board=None, timeout=900):
    """Stateful runs: each case is (model bytes, steps), a step a list of input arrays (one run()
    of the same model instance, its state kept) or None (Model.reset()). board None: the numpy
    backend in-process; else one firmware session for all cases. Returns per case, per step, the
    output arrays (None for a reset)."""
    metas = [micronn.load(to_model_bytes(d)) for d, _ in cases]
    if board is None:
        results = []
        for m, (_, steps) in zip(metas, cases):
            res = []
            for ins in steps:
                if ins is None:
                    m.reset()
                    res.append(None)
                    continue
                outs = m.run([np.ascontiguousarray(x) for x in ins])
                outs = outs if isinstance(outs, list) else [outs]
                res.append([np.frombuffer(bytes(o), dtype=_np_dtype(info)).reshape(info.shape)
                            for o, info in zip(outs, m.outputs)])
            results.append(res)
        return results
    from ..device import boards

    with tempfile.TemporaryDirectory(prefix="micronn-steps-") as tmp:
        for k, (d, _) in enumerate(cases):
            with open(os.path.join(tmp, "model%d.micronn" % k), "wb") as f:
                f.write(to_model_bytes(d))
        lits = []
        for _, steps in cases:
            lits.append("[%s]" % ", ".join(
                "None" if ins is None else "[%s]" % ", ".join(
                    'binascii.unhexlify("%s")' % np.ascontiguousarray(x).tobytes().hex() for x in ins)
                for ins in steps))
        rc, out = boards.run_script(board, _STEPS_SCRIPT.format(cases=", ".join(lits)), timeout=timeout, cwd=tmp)
    if rc != 0:
        raise RuntimeError("stateful run failed on %s:\n%s" % (board, out[-3000:]))
    outs = {}
    for line in out.splitlines():
        parts = line.split()
        if parts[:1] == ["OUT"]:
            outs[int(parts[1]), int(parts[2]), int(parts[3])] = bytes.fromhex(parts[4]) if len(parts) > 4 else b""
    results = []
    for k, (m, (_, steps)) in enumerate(zip(metas, cases)):
        res = []
        for s, ins in enumerate(steps):
            if ins is None:
                res.append(None)
                continue
            try:
                res.append([np.frombuffer(outs[k, s, i], dtype=_np_dtype(info)).reshape(info.shape)
                            for i, info in enumerate(m.outputs)])
            except KeyError:
                raise RuntimeError("no output for case %d step %d on %s:\n%s" % (k, s, board, out[-3000:])) from None
        results.append(res)
    return results
