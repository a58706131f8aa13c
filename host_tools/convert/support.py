"""Which ops micronn converts, in which input dtypes, next to TFLite Micro's (`micronn ops`).

micronn's side is the converter registry (every rule names the input dtypes it converts; a rule
for any dtype is "any"), TFLM's is host_tools.ops.tflm. An op is "yes" when micronn converts it
for every type TFLM runs it on (int16 activations included), "part" when some are missing, "no"
when none; what micronn lacks runs as a Python op with --allow-python-ops.
"""

from micronn import oplist

from ..ops import tflm
from . import registry
from .graph import BO, BUILTIN_NAMES

DEFERRED = ()  # TFLM types left to another issue (none since the 16-bit issue)


class Row:
    """One op: name, custom (bool), ours and theirs (dtype names), status, missing, note."""

    def __init__(self, name, custom, ours, theirs):
        self.name, self.custom, self.ours, self.theirs = name, custom, tuple(ours), tuple(theirs)
        if "any" in self.ours:
            self.missing = ()
        else:
            self.missing = tuple(t for t in self.theirs if t not in self.ours and t != "any")
        wanted = [t for t in self.missing if t not in DEFERRED and (name, t) not in tflm.BROKEN]
        if not self.ours:
            self.status = "no"
        elif not self.theirs:
            self.status = "extra"
        elif wanted or (theirs == ("any",) and "any" not in self.ours):
            self.status = "part"
        else:
            self.status = "yes"
        self.note = tflm.ISSUE.get(name, "")
        broken = [tflm.BROKEN[(name, t)] for t in self.missing if (name, t) in tflm.BROKEN]
        if broken:
            self.note = "; ".join(broken)
        elif not self.note and self.status in ("no", "part"):
            self.note = "--allow-python-ops"


def supported_dtypes(code):
    """Names of the input dtypes micronn converts builtin `code` for ("any": every dtype)."""
    ds = registry.dtypes(code)
    return ("any",) if None in ds else tuple(oplist.DTYPE_NAMES[d] for d in ds)


def unsupported_message(n, name, x):
    """The error for builtin op `name` (op n) that micronn has no rule for, given its first input
    x: names the op, the input and its dtype, what micronn and TFLite Micro run, and the fallback."""
    code = getattr(BO, name, None)
    ours = supported_dtypes(code) if code is not None else ()
    theirs = tflm.types(name)
    tflm_says = ("TFLite Micro runs it on %s" % ", ".join(theirs)) if theirs else "TFLite Micro does not run it either"
    how = "convert with --allow-python-ops to run it as a Python op (micronn.register_op)"
    if name in tflm.ISSUE:
        how = "planned: %s; for now %s" % (tflm.ISSUE[name], how)
    if not ours:
        return "op %d: %s is not supported by micronn (%s); %s" % (n, name, tflm_says, how)
    what = "input %s is %s" % (x.name, oplist.DTYPE_NAMES[x.dtype]) if x is not None else "it has no input"
    return "op %d (%s): %s; micronn runs %s on %s (%s); %s" % (n, name, what, name, ", ".join(ours), tflm_says, how)


def rows():
    """A Row per TFLM builtin and custom op, and per op micronn converts that TFLM has not."""
    out = []
    names = sorted(set(tflm.BUILTINS) | {BUILTIN_NAMES[c] for c, _ in registry.builtins()})
    for name in names:
        code = getattr(BO, name)
        out.append(Row(name, False, supported_dtypes(code), tflm.types(name)))
    native = registry.customs()
    for name in sorted(set(tflm.CUSTOM) | set(native)):
        ours = tflm.types(name, custom=True) if name in native else ()
        out.append(Row(name, True, ours or (("any",) if name in native else ()), tflm.types(name, custom=True)))
    return out


def table(only=None):
    """The `micronn ops` table as lines; `only`: a status to keep ("no", "part", ...)."""
    rs = rows()
    shown = [r for r in rs if only is None or r.status == only]
    w = max(len(r.name) + (9 if r.custom else 0) for r in rs) + 1
    lines = ["%-*s %-6s %-30s %-36s %s" % (w, "op", "status", "micronn", "TFLite Micro", "what micronn lacks")]
    for r in shown:
        lack = " ".join(r.missing)
        lines.append("%-*s %-6s %-30s %-36s %s" % (
            w, r.name + (" (custom)" if r.custom else ""), r.status, " ".join(r.ours) or "-",
            " ".join(r.theirs) or "-", "%s: %s" % (lack, r.note) if lack else r.note))
    b = [r for r in rs if not r.custom and r.theirs]
    lines.append("TFLM builtins: %d; micronn runs %d in all their types, %d in part, %d not "
                 "(Python ops with --allow-python-ops)" % (
                     len(b), sum(r.status == "yes" for r in b), sum(r.status == "part" for r in b),
                     sum(r.status == "no" for r in b)))
    return [ln.rstrip() for ln in lines]
