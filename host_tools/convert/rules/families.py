"""The registry of converter rule families (a leaf module): `@family("name")` registers a function
family_fn(spec_op) -> rule(converter, index, tflite_op); rules/spec.py makes a rule for every op
whose spec entry names a Rule of that family and registers it for the op's (builtin, dtype)s."""

from micronn import oplist

from ..graph import ACT_NAMES, ConvertError

FAMILIES = {}


def count(t):
    """The element count of tensor t."""
    return t.nbytes // oplist.DTYPE_SIZES[t.dtype]


def fused_activation(op):
    """The name of the op's fused activation ("NONE" without options)."""
    o = op.builtinOptions
    fused = getattr(o, "fusedActivationFunction", 0) if o is not None else 0
    if fused not in ACT_NAMES:
        raise ConvertError("unsupported fused activation %d" % fused)
    return ACT_NAMES[fused]


def family(name):
    def deco(f):
        if name in FAMILIES:
            raise ValueError("two rule families named %r" % name)
        FAMILIES[name] = f
        return f
    return deco
