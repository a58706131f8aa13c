"""State and control flow: resource variables (VAR_HANDLE, READ_VARIABLE, ASSIGN_VARIABLE) and
the ops that run other subgraphs (IF, WHILE, CALL_ONCE), as TFLite Micro runs them.

None of them is a kernel: they become runtime ops of the file (fileformat.RUNTIME_OPS) that the
graph runner executes. A resource variable is a tensor of the state area, found by its
(container, shared_name) as MicroResourceVariables::CreateIdIfNoneFound finds it; its size,
dtype and reset value (int8: the zero point) come from the first ASSIGN_VARIABLE TFLite Micro
prepares (subgraphs in index order, ops in order), as MicroResourceVariables::Allocate takes
them. READ_VARIABLE and ASSIGN_VARIABLE are byte copies from and into it. A runtime op converts
each subgraph it runs into a copy of its own (Converter.convert_subgraph); CALL_ONCE keeps its
has-run flag in the state area (reset() leaves it set, as TFLite Micro's Reset() does).
"""

from micronn import fileformat as ff
from micronn import oplist

from ..graph import BO, TT, ConvertError, Tensor, _s
from ..registry import rule


def _key(opts):
    return (_s(getattr(opts, "container", None)), _s(getattr(opts, "sharedName", None)))


def _first_assign(c, key):
    """The value tensor (schema TensorT) of the first ASSIGN_VARIABLE of variable `key`."""
    for g in c.m.subgraphs:
        handles = {}
        for op in g.operators or []:
            oc = c.m.operatorCodes[op.opcodeIndex]
            code = max(oc.builtinCode, oc.deprecatedBuiltinCode)
            if code == BO.VAR_HANDLE and op.outputs is not None and len(op.outputs):
                handles[op.outputs[0]] = _key(op.builtinOptions)
            elif code == BO.ASSIGN_VARIABLE and op.inputs is not None and len(op.inputs) == 2:
                if handles.get(op.inputs[0]) == key and 0 <= op.inputs[1] < len(g.tensors):
                    return g.tensors[op.inputs[1]]
    return None


def _resource(c, op):
    """The state tensor of the resource variable op's input 0 names."""
    h = op.inputs[0] if op.inputs is not None and len(op.inputs) else -1
    key = c.handles.get(h)
    if key is None:
        raise ConvertError("input 0 is not the output of a VAR_HANDLE of this subgraph (resource "
                           "tensors passed between subgraphs are not supported)")
    t = c.resources.get(key)
    if t is None:
        src = _first_assign(c, key)
        if src is None:
            raise ConvertError("resource variable %r is never assigned (no ASSIGN_VARIABLE): "
                               "TFLite Micro cannot read it either" % key[1])
        from ..graph import DTYPES

        if src.type not in DTYPES:
            raise ConvertError("resource variable %r: its value type %d is not supported" % (key[1], src.type))
        q = src.quantization
        scale = float(q.scale[0]) if q is not None and q.scale is not None and len(q.scale) else 0.0
        zp = int(q.zeroPoint[0]) if q is not None and q.zeroPoint is not None and len(q.zeroPoint) else 0
        t = Tensor("resource:%s/%s" % key, DTYPES[src.type], list(src.shape if src.shape is not None else []),
                   scale, zp)
        t.variable = True
        c.tensors.append(t)
        c.resources[key] = t
    return t


def _same_bytes(what, t, var):
    if t.nbytes != var.nbytes:
        raise ConvertError("%s %s has %d bytes, the resource variable %d (shape %s %s)" % (
            what, t.name, t.nbytes, var.nbytes, list(var.shape), oplist.DTYPE_NAMES[var.dtype]))


@rule(BO.VAR_HANDLE)
def _var_handle(c, n, op):
    if op.outputs is None or len(op.outputs) != 1:
        raise ConvertError("expected one output")
    if c.g.tensors[op.outputs[0]].type != TT.RESOURCE:
        raise ConvertError("output is not a resource tensor")
    c.handles[op.outputs[0]] = _key(op.builtinOptions)


@rule(BO.READ_VARIABLE)
def _read_variable(c, n, op):
    var = _resource(c, op)
    y = c.tensor(op.outputs[0])
    _same_bytes("output", y, var)
    c.add_op(ff.OP_COPY, "READ_VARIABLE", n, [var], [y])


@rule(BO.ASSIGN_VARIABLE)
def _assign_variable(c, n, op):
    var = _resource(c, op)
    if len(op.inputs) != 2 or op.inputs[1] < 0:
        raise ConvertError("expected 2 inputs (resource, value)")
    x = c.tensor(op.inputs[1])
    _same_bytes("value", x, var)
    c.add_op(ff.OP_COPY, "ASSIGN_VARIABLE", n, [x], [var])


def _run(c, o, srcs):
    """Convert the subgraphs runtime op `o` (just added) runs; returns their Subgraphs."""
    pos = len(c.ops) - 1
    idx = [c.convert_subgraph(int(s), caller=o) for s in srcs]
    o.subgraphs = tuple(idx)
    o.span_end = len(c.ops) - 1
    subs = [c.subgraphs[k] for k in idx]
    for sub in subs:
        sub.start, sub.end = pos, o.span_end
    return subs


def _match(what, sub, ours, theirs):
    if len(ours) != len(theirs):
        raise ConvertError("subgraph %d has %d %ss, the op %d" % (sub.src, len(theirs), what, len(ours)))
    for k, (a, b) in enumerate(zip(ours, theirs)):
        if a.dtype != b.dtype or a.nbytes != b.nbytes:
            raise ConvertError("subgraph %d %s %d is %s %s, the op's %s %s" % (
                sub.src, what, k, oplist.DTYPE_NAMES[b.dtype], list(b.shape), oplist.DTYPE_NAMES[a.dtype],
                list(a.shape)))


def _bool1(t, what):
    if t.dtype != oplist.BOOL or t.nbytes != 1:
        raise ConvertError("%s %s must be a bool tensor of 1 element, got %s %s" % (
            what, t.name, oplist.DTYPE_NAMES[t.dtype], list(t.shape)))


@rule(BO.IF)
def _if(c, n, op):
    if op.inputs is None or len(op.inputs) < 1 or min(op.inputs) < 0:
        raise ConvertError("expected the condition and the branches' inputs")
    cond = c.tensor(op.inputs[0])
    _bool1(cond, "the condition")
    ins = [c.tensor(i) for i in op.inputs[1:]]
    outs = [c.tensor(i) for i in op.outputs]
    opts = op.builtinOptions
    o = c.add_op(ff.OP_IF, "IF", n, [cond] + ins, outs)
    for sub in _run(c, o, (opts.thenSubgraphIndex, opts.elseSubgraphIndex)):
        _match("input", sub, ins, sub.inputs)
        _match("output", sub, outs, sub.outputs)


@rule(BO.WHILE)
def _while(c, n, op):
    ins = [c.tensor(i) for i in op.inputs]
    outs = [c.tensor(i) for i in op.outputs]
    if len(ins) != len(outs):
        raise ConvertError("%d inputs but %d outputs" % (len(ins), len(outs)))
    opts = op.builtinOptions
    o = c.add_op(ff.OP_WHILE, "WHILE", n, ins, outs)
    cond, body = _run(c, o, (opts.condSubgraphIndex, opts.bodySubgraphIndex))
    _match("input", cond, ins, cond.inputs)
    if not cond.outputs or cond.outputs[0].dtype != oplist.BOOL:
        raise ConvertError("subgraph %d (cond): output 0 must be a bool tensor" % cond.src)
    _match("input", body, ins, body.inputs)
    _match("output", body, ins, body.outputs)
    _match("output", body, outs, body.outputs)


@rule(BO.CALL_ONCE)
def _call_once(c, n, op):
    if (op.inputs is not None and len(op.inputs)) or (op.outputs is not None and len(op.outputs)):
        raise ConvertError("CALL_ONCE takes no inputs and no outputs")
    flag = Tensor("call_once%d/done" % len(c.tensors), oplist.BOOL, (1,))
    flag.stateful = True
    c.tensors.append(flag)
    o = c.add_op(ff.OP_CALL_ONCE, "CALL_ONCE", n, [flag], [])
    (init,) = _run(c, o, (op.builtinOptions.initSubgraphIndex,))
    if init.inputs:
        raise ConvertError("init subgraph %d has %d inputs (TFLite Micro gives it none)" % (init.src, len(init.inputs)))
    init.outputs = []  # (nothing reads them)
