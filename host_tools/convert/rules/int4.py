"""Converter rules of the INT4 area (ops_int4.py of the op spec): FULLY_CONNECTED int8 with int4
packed weights (a TFLite INT4 constant). tier1.py's FULLY_CONNECTED rule (int8 input) hands the
op here when its weights are int4. The weight bytes go to the model file as they are in the
.tflite (packed, two values per byte); TFLite Micro's Prepare: per-tensor weights only, the
multiplier of input_scale * weight_scale / output_scale in double (quant.fc_multipliers)."""

import numpy as np
from micronn import oplist

from ...ops import ops_int4
from .. import quant
from ..graph import ACT_NAMES, ConvertError

_FC4 = ops_int4.OPS[0]


def is_int4(t):
    """A tensor read from a TFLite INT4 tensor (its packed bytes as an int8 constant)."""
    return t is not None and t.int4_shape is not None


def fully_connected_s4(c, n, op):
    name = "FULLY_CONNECTED"
    (x, w, b), (y,) = c.io(op, 3)
    for t in (x, y):
        if t.dtype != oplist.INT8 or is_int4(t):
            raise ConvertError("%s int4 weights: %s must be int8" % (name, t.name))
    if not w.is_const or len(w.int4_shape) != 2:
        raise ConvertError("%s int4 weights: weights must be a constant 2-D tensor, got %s"
                           % (name, list(w.int4_shape)))
    out_f, in_f = (int(d) for d in w.int4_shape)
    if b is not None and (b.dtype != oplist.INT32 or not b.is_const or is_int4(b)):
        raise ConvertError("%s int4 weights: bias must be a constant int32 tensor" % name)
    if b is not None and b.nbytes != 4 * out_f:
        raise ConvertError("%s int4 weights: bias %s does not have %d values" % (name, b.shape, out_f))
    ws, wzp = c.quant_scales(op.inputs[1])
    if len(ws) != 1:
        raise ConvertError("%s int4 weights: per-channel weights (%d scales) are not supported "
                           "(TFLite Micro runs int4 FULLY_CONNECTED per-tensor only)" % (name, len(ws)))
    if np.any(wzp != 0):
        raise ConvertError("%s int4 weights: weights zero point must be 0" % name)
    opts = op.builtinOptions
    if opts is not None and opts.weightsFormat != 0:
        raise ConvertError("%s int4 weights: weights format %d is not supported" % (name, opts.weightsFormat))
    fused = opts.fusedActivationFunction if opts is not None else 0
    if fused not in ACT_NAMES:
        raise ConvertError("%s: unsupported fused activation %d" % (name, fused))
    if not y.shape or int(y.shape[-1]) != out_f:
        raise ConvertError("%s int4 weights: output %s does not end in %d features" % (name, y.shape, out_f))
    batches = y.nbytes // out_f
    if x.nbytes != batches * in_f:
        raise ConvertError("%s int4 weights: input %s is not %d rows of %d" % (name, x.shape, batches, in_f))
    weight_bytes = (in_f * out_f + 1) // 2
    if w.nbytes != weight_bytes:
        raise ConvertError("%s int4 weights: %d bytes for %d x %d values" % (name, w.nbytes, out_f, in_f))
    lo, hi = quant.activation_range(ACT_NAMES[fused], y.scale, y.zero_point)
    mult, shift = quant.fc_multipliers(x.scale, ws, y.scale)
    try:
        values = ops_int4.FC4.pack(batches=batches, in_features=in_f, out_features=out_f,
                                   weight_bytes=weight_bytes, input_offset=-x.zero_point,
                                   output_offset=y.zero_point, multiplier=int(mult[0]),
                                   shift=int(shift[0]), act_min=lo, act_max=hi)
    except ValueError as e:
        raise ConvertError("%s int4 weights: %s" % (name, e)) from None
    c.add_op(_FC4.opcode, name, n, [x, w, b, c.params("fc%d" % n, values)], [y],
             macs=batches * in_f * out_f)
