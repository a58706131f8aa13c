"""Run models in TFLite Micro's Python interpreter (the correctness reference).

API of the `tflite_micro` package used here (dev builds, `pip install --pre tflite-micro`):

    from tflite_micro import runtime
    it = runtime.Interpreter.from_bytes(model_bytes, arena_size=N)   # AllocateTensors inside
    it.set_input(array, i); it.invoke(); it.get_output(i)
    it.get_input_details(i) / it.get_output_details(i)  # dtype, shape, quantization_parameters
    it.reset()            # variable tensors (LSTM/SVDF state) back to their initial values
    it.print_allocations()  # RecordingMicroAllocator report, printed to the C stderr (fd 2)

There is no call that returns the number of inputs/outputs, the arena usage or intermediate
tensors (`GetTensor` needs InterpreterConfig.kPreserveAllTensors). Counts come from the model
(schema bindings); arena usage is parsed from `print_allocations()`.

Arena size caveat: a too-small arena raises RuntimeError("TFLM failed to allocate tensors") for
moderate sizes, but arenas of a few hundred bytes crash the process (segfault inside the
interpreter). `run` therefore never tries an arena below MIN_ARENA and grows it on RuntimeError.
"""

import os
import re
import sys
import tempfile

import numpy as np
from tflite_micro import runtime

from . import modelgen

MIN_ARENA = 16 * 1024
MIN_EXPLICIT_ARENA = 1024
MAX_ARENA = 1 << 30


def _activation_bytes(model):
    """Sum of the sizes of all non-constant tensors (an upper bound of the planned head)."""
    total = 0
    for sg in model.subgraphs:
        for t in sg.tensors:
            if t.buffer and model.buffers[t.buffer].data is not None \
                    and len(model.buffers[t.buffer].data):
                continue
            itemsize = modelgen.NUMPY_DTYPES.get(t.type, np.dtype(np.int32)).itemsize
            n = 1
            for d in (t.shape if t.shape is not None else []):
                n *= max(int(d), 1)
            total += n * itemsize + 16
    return total


def default_arena_size(model_bytes, model=None):
    if model is None:
        model = modelgen.read_model(model_bytes)
    # activations (twice: no planner sharing assumed, plus scratch), and the tail: per-tensor
    # and per-operator bookkeeping (TfLiteEvalTensor, TfLiteTensor, quantization, node structs).
    n_tensors = sum(len(sg.tensors or []) for sg in model.subgraphs)
    n_ops = sum(len(sg.operators or []) for sg in model.subgraphs)
    return max(MIN_ARENA, 2 * _activation_bytes(model) + 256 * n_tensors + 512 * n_ops + 8192)


def interpreter(model_bytes, arena_size=None, preserve_all_tensors=False):
    """Create a TFLM interpreter; with arena_size None, start from an estimate and double it
    until allocation succeeds. Returns (interpreter, arena_size)."""
    model_bytes = bytes(model_bytes)
    config = (runtime.InterpreterConfig.kPreserveAllTensors if preserve_all_tensors
              else runtime.InterpreterConfig.kAllocationRecording)
    grow = arena_size is None
    size = default_arena_size(model_bytes) if grow else int(arena_size)
    if size < MIN_EXPLICIT_ARENA:
        raise ValueError("arena_size %d: TFLM's Python interpreter crashes (segfault) on arenas "
                         "this small" % size)
    while True:
        made = []

        def make(size=size, made=made):
            made.append(runtime.Interpreter.from_bytes(model_bytes, arena_size=size,
                                                       intrepreter_config=config))
        try:
            log = _capture_fd2(make)
        except RuntimeError as e:
            log = getattr(e, "log", "")
            if grow and _ALLOC_FAILED.search(log) and size < MAX_ARENA:
                size *= 2
                continue
            raise RuntimeError("%s (arena %d bytes)\n%s" % (e, size, log)) from None
        if log:
            sys.stderr.write(log)
        return made[0], size


_ALLOC_FAILED = re.compile(r"Failed to (allocate|resize)|missing: \d+")


def io_counts(model_bytes):
    m = modelgen.read_model(model_bytes)
    sg = m.subgraphs[0]
    return len(sg.inputs), len(sg.outputs)


def _detail(d):
    q = d["quantization_parameters"]
    return {
        "dtype": np.dtype(d["dtype"]),
        "shape": tuple(int(s) for s in d["shape"]),
        "scales": np.asarray(q["scales"], dtype=np.float32),
        "zero_points": np.asarray(q["zero_points"], dtype=np.int64),
        "quantized_dimension": int(q["quantized_dimension"]),
    }


class Session:
    """One interpreter kept alive: repeated run() calls, reset() for stateful models."""

    def __init__(self, model_bytes, arena_size=None, preserve_all_tensors=False):
        self.model_bytes = bytes(model_bytes)
        self.n_inputs, self.n_outputs = io_counts(self.model_bytes)
        self.interpreter, self.arena_size = interpreter(self.model_bytes, arena_size,
                                                        preserve_all_tensors)

    def input_details(self):
        return [_detail(self.interpreter.get_input_details(i)) for i in range(self.n_inputs)]

    def output_details(self):
        return [_detail(self.interpreter.get_output_details(i)) for i in range(self.n_outputs)]

    def run(self, inputs):
        if len(inputs) != self.n_inputs:
            raise ValueError("model has %d inputs, got %d" % (self.n_inputs, len(inputs)))
        for i, (x, d) in enumerate(zip(inputs, self.input_details())):
            x = np.asarray(x)
            if x.dtype != d["dtype"]:
                raise TypeError("input %d: dtype %s, model wants %s" % (i, x.dtype, d["dtype"]))
            if x.size != int(np.prod(d["shape"], dtype=np.int64)):
                raise ValueError("input %d: %d elements, model wants shape %r"
                                 % (i, x.size, d["shape"]))
            self.interpreter.set_input(np.ascontiguousarray(x).reshape(d["shape"]), i)
        self.interpreter.invoke()
        return [np.array(self.interpreter.get_output(i), copy=True)
                for i in range(self.n_outputs)]

    def reset(self):
        self.interpreter.reset()

    def tensor(self, index, subgraph=0):
        """Any tensor's contents after invoke (needs preserve_all_tensors=True)."""
        return np.array(self.interpreter.GetTensor(index, subgraph)["tensor_data"], copy=True)


def run(model_bytes, inputs, arena_size=None):
    """Run one inference in a fresh interpreter; returns the outputs as numpy arrays."""
    return Session(model_bytes, arena_size).run(inputs)


def io_details(model_bytes):
    """{'inputs': [...], 'outputs': [...]}, each a dict of dtype, shape, scales, zero_points,
    quantized_dimension, as TFLM reports them."""
    s = Session(model_bytes)
    return {"inputs": s.input_details(), "outputs": s.output_details()}


def tensor_details(model_bytes):
    """Every tensor of subgraph 0 as read from the model: name, shape, dtype, quantization,
    constant or not."""
    m = modelgen.read_model(model_bytes)
    out = []
    for i, t in enumerate(m.subgraphs[0].tensors):
        q = modelgen.tensor_quant(m, i)
        name = t.name.decode() if isinstance(t.name, bytes) else t.name
        out.append({
            "index": i,
            "name": name,
            "shape": tuple(int(d) for d in (t.shape if t.shape is not None else [])),
            "dtype": modelgen.NUMPY_DTYPES.get(t.type),
            "scales": None if q is None else q[0],
            "zero_points": None if q is None else q[1],
            "quantized_dimension": None if q is None else q[2],
            "constant": modelgen.buffer_array(m, i) is not None,
            "variable": bool(t.isVariable),
        })
    return out


_ALLOC_TOTAL = re.compile(r"Arena allocation (total|head|tail) (\d+) bytes")
_ALLOC_ITEM = re.compile(r"'([^']+)' used (\d+) bytes")


def _capture_fd2(fn):
    """Call fn() with the process-level stderr (fd 2) redirected; return what was written.
    If fn raises, the captured text is attached to the exception as `.log`."""
    sys.stderr.flush()
    with tempfile.TemporaryFile(mode="w+b") as tmp:
        saved = os.dup(2)
        err = None
        try:
            os.dup2(tmp.fileno(), 2)
            fn()
        except Exception as e:  # noqa: BLE001 - re-raised below with the log
            err = e
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        tmp.seek(0)
        text = tmp.read().decode("utf-8", "replace")
    if err is not None:
        err.log = text
        raise err
    return text


def arena_usage(model_bytes, arena_size=None):
    """TFLM's RecordingMicroAllocator report after one invoke with zero inputs:
    {'total': bytes, 'head': planned activations, 'tail': persistent data, 'items': {...},
     'arena_size': the arena given to the interpreter}."""
    s = Session(model_bytes, arena_size)
    zeros = [np.zeros(d["shape"], d["dtype"]) for d in s.input_details()]
    s.run(zeros)
    text = _capture_fd2(s.interpreter.print_allocations)
    usage = {"arena_size": s.arena_size, "items": {}}
    for key, value in _ALLOC_TOTAL.findall(text):
        usage[key] = int(value)
    for key, value in _ALLOC_ITEM.findall(text):
        usage["items"][key] = int(value)
    if "total" not in usage:
        raise RuntimeError("could not parse TFLM allocation report: %r" % text)
    return usage


def arena_used(model_bytes):
    """Total arena bytes TFLM used for this model (head + tail), from print_allocations()."""
    return arena_usage(model_bytes)["total"]
