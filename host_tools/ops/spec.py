"""The vocabulary of the op spec: params layouts (named int32 fields with ranges), operands and
ops. A leaf module: it imports nothing from micronn or host_tools.

An op's integer options travel in one int32 `params` constant whose layout is a `Layout`: an
ordered list of `Field`s, each with a name, a closed range and a C enum name. From these
declarations `host_tools.ops.gen` writes the C enums and range tables (firmware/_micronn/
mn_spec.h, bind_spec_*.c, bind_spec.h) and the device package's op tables (firmware/micronn/oplist.py,
oplist_areas.py); the numpy reference and the converter read the layouts directly.
"""

DIM_MAX = 32767  # a spatial or channel dimension
BIG = 1 << 24  # a flat size that int32 index arithmetic handles without overflow
COUNT_MAX = 1 << 30  # elements of one tensor
I32_MIN = -(1 << 31)
I32_MAX = (1 << 31) - 1

# Tensor element types (file format codes), in code order.
DTYPES = ("int8", "uint8", "int16", "int32", "float32", "uint32", "uint64", "bool", "int64")
DTYPE_SIZES = (1, 1, 2, 4, 4, 4, 8, 1, 8)
DTYPE_CODES = ("b", "B", "h", "i", "f", "I", "Q", "B", "q")  # array typecodes (bool: one byte, 0/1)


class Field:
    """One int32 entry of a params layout: value in [lo, hi]. `c` is the C enum suffix
    (default: the name in upper case); `doc` one line for the C header."""

    def __init__(self, name, lo, hi, doc="", c=None):
        self.name = name
        self.lo = int(lo)
        self.hi = int(hi)
        self.doc = doc
        self.c = c or name.upper()


def fields(prefix, n, lo, hi, doc="", c=None):
    """Fields prefix0 .. prefix{n-1} (an array inside a layout, e.g. broadcast strides)."""
    cp = c or prefix.upper()
    return [Field("%s%d" % (prefix, k), lo, hi, doc if k == 0 else "", c="%s%d" % (cp, k))
            for k in range(n)]


def broadcast_fields(a, b, a_c=None, b_c=None):
    """4-D broadcasting of two operands: output dims d0..d3, then each operand's element strides
    (0 on broadcast dims) a0..a3 and b0..b3 (e.g. a="in1_s", b="in2_s")."""
    return (fields("d", 4, 1, BIG, "output dims d0..d3 (row-major)")
            + fields(a, 4, 0, BIG, "%s element strides, 0 on broadcast dims" % a.split("_")[0], c=a_c)
            + fields(b, 4, 0, BIG, "", c=b_c))


def act8():
    """The fused activation range of an int8 output."""
    return [Field("act_min", -128, 127, "fused activation range, min <= max"), Field("act_max", -128, 127)]


def offset_field(name, output=False, c=None):
    """-zero point of an int8 input (range [-127, 128]) or +zero point of the output."""
    if output:
        return Field(name, -128, 127, "+output_zero_point", c=c)
    return Field(name, -127, 128, "-%s_zero_point" % name.rsplit("_", 1)[0], c=c)


class Layout:
    """The params of one op family. `prefix` names the C enum entries (MN_<prefix>_<FIELD>);
    `act` names a (min, max) field pair with min <= max; `base` extends another layout (the
    base's fields first, one C table serves both); `variadic` is a Field repeated after the
    fixed ones, as many times as the op has inputs (e.g. CONCATENATION's sizes); `packed4`
    {field: (d0, d1, ...)} says a field must be the byte count of the int4 tensor of that many
    elements, (d0 * d1 * ... + 1) / 2 (two values per byte): checked here and by the binding, so
    a model whose byte count disagrees with its shape raises instead of being read out of bounds."""

    def __init__(self, name, prefix, fields_, area, doc="", act=None, base=None, variadic=None,
                 nparams=None, load_check=None, packed4=None):
        self.name = name
        self.prefix = prefix
        self.own = list(fields_)
        self.base = base
        self.fields = (base.fields if base else []) + self.own
        self.area = area
        self.doc = doc
        self.act = act
        self.variadic = variadic
        self.nparams_c = nparams or ("MN_%s_NPARAMS" % prefix)
        # micronn.load checks these params' ranges (firmware/micronn/validate.py) before any
        # kernel runs: Tier-1 layouts; the areas' bindings check theirs on every call.
        self.load_check = area is None if load_check is None else load_check
        self.index = {f.name: i for i, f in enumerate(self.fields)}
        if len(self.index) != len(self.fields):
            raise ValueError("layout %s: duplicate field names" % name)
        for a in act or ():
            if a not in self.index:
                raise ValueError("layout %s: act field %s missing" % (name, a))
        self.packed4 = {k: tuple(v) for k, v in (packed4 or {}).items()}
        for k, dims in self.packed4.items():
            for f in (k,) + dims:
                if f not in self.index:
                    raise ValueError("layout %s: packed4 field %s missing" % (name, f))

    def __len__(self):
        return len(self.fields)

    @property
    def root(self):
        return self.base.root if self.base else self

    def ranges(self):
        """((name, lo, hi), ...): the form the range checks take."""
        return tuple((f.name, f.lo, f.hi) for f in self.fields)

    def c_name(self, f):
        prefix = self.prefix if f in self.own or self.base is None else self._owner(f).prefix
        return "MN_%s_%s" % (prefix, f.c)

    def _owner(self, f):
        lay = self
        while f not in lay.own:
            lay = lay.base
        return lay

    def check(self, values, what="params"):
        """Range-check a full list of values (fixed part, and the variadic tail if any); return
        them as ints. Raises ValueError naming the field."""
        values = [int(v) for v in values]
        n = len(self.fields)
        if len(values) < n or (self.variadic is None and len(values) != n):
            raise ValueError("%s: expected %d int32 values, got %d" % (what, n, len(values)))
        for i, v in enumerate(values):
            f = self.fields[i] if i < n else self.variadic
            if v < f.lo or v > f.hi:
                raise ValueError("%s[%d] (%s): %d out of range [%d, %d]" % (what, i, f.name, v, f.lo, f.hi))
        if self.act:
            lo, hi = values[self.index[self.act[0]]], values[self.index[self.act[1]]]
            if lo > hi:
                raise ValueError("%s: act_min %d > act_max %d" % (what, lo, hi))
        for k, dims in self.packed4.items():
            elems = 1
            for d in dims:
                elems *= values[self.index[d]]
            if values[self.index[k]] != (elems + 1) // 2:
                raise ValueError("%s: %s %d, expected (%s + 1) / 2 = %d" % (
                    what, k, values[self.index[k]], " * ".join(dims), (elems + 1) // 2))
        return values

    def pack(self, tail=(), **values):
        """The params list from named values (every field given once), range-checked."""
        missing = [f.name for f in self.fields if f.name not in values]
        extra = sorted(set(values) - set(self.index))
        if missing or extra:
            raise TypeError("layout %s: missing %s, unknown %s" % (self.name, missing, extra))
        return self.check([values[f.name] for f in self.fields] + list(tail))

    def named(self, values):
        """A view of a params list by field name: p.in_h, p["in_h"]."""
        return Params(self, values)


class Params:
    """Params values addressed by field name (attribute or item), or by position."""

    __slots__ = ("_layout", "_values")

    def __init__(self, layout, values):
        self._layout = layout
        self._values = values

    def __getattr__(self, name):
        try:
            return self._values[self._layout.index[name]]
        except KeyError:
            raise AttributeError("layout %s has no field %r" % (self._layout.name, name)) from None

    def __getitem__(self, key):
        return self._values[self._layout.index[key] if isinstance(key, str) else key]

    def __len__(self):
        return len(self._values)

    def __iter__(self):
        return iter(self._values)

    def tail(self):
        return self._values[len(self._layout.fields):]


class Operand:
    """One kernel argument that is a tensor: its name (as the binding names it in errors),
    element type (a name of DTYPES, or None: the op decides), whether it may be absent, and its
    element count, one of:
      count=("d0", "d1")     the product of those params fields
      span=("d", "in1_s")    a broadcast operand: 1 + sum_k (d_k - 1) * in1_s_k over the
                             fields d0.. and in1_s0.. (as many as there are d fields)
      size=256               a fixed number
      none of them           as many as the op's first such operand holds (elementwise ops: the
                             kernel then takes that count as an int32 after its buffers).
    writable: an input the kernel writes (a kernel scratch buffer): checked writable as outputs are."""

    def __init__(self, name, dtype=None, optional=False, count=None, const=False, layout=None,
                 span=None, size=None, writable=False):
        self.name = name
        self.writable = writable  # an input the kernel writes (its scratch): checked writable
        self.layout = layout  # the params operand: its Layout
        self.dtype = dtype
        self.optional = optional
        self.count = tuple(count) if count else None
        self.span = tuple(span) if span else None
        self.size = size
        self.const = const

    @property
    def free(self):
        """No count of its own: sized by the op's first free operand."""
        return self.count is None and self.span is None and self.size is None


class Rule:
    """How the converter makes the op from a TFLite op when no hand-written rule does: a rule
    family of host_tools/convert/rules/spec.py, which fills the params fields it knows by name
    (broadcast dims and strides, zero-point offsets, the fused activation range), and

    rescale  {(multiplier field, shift field): ((numerator operands), (denominator operands))}:
             the product of the numerators' scales over the denominators', in double as TFLite
             Micro's Prepare computes it, as a Q31 multiplier and shift (QuantizeMultiplier)
    """

    def __init__(self, family, rescale=None):
        self.family = family
        self.rescale = dict(rescale or {})


def params_input(layout):
    """The params operand of an op: an int32 constant laid out as `layout`."""
    return Operand("params", "int32", const=True, layout=layout)


class Op:
    """One micronn opcode: the builtin (or custom) op it runs, the kernel it calls and how.

    opcode   our number in the file format (ranges by area, see AREAS in table.py)
    name     the TFLite builtin (or custom code) name shown in reports and errors
    kernel   the function name in `_micronn` and in host_tools.reference
    area     None for Tier 1, else the micronn_config.h area that carries the kernel
    inputs   Operands stored in the file before the outputs, in kernel order
    outputs  Operands after them; the kernel takes them at position `out_pos` of its arguments
    params   the Layout of the params input (the Operand named "params"), if any
    in_place the output may take the bytes of a same-sized input that dies there
    tflite   (builtin name, input dtype) pairs the op converts from (dtype None: any)
    custom   the custom code of a CUSTOM op it runs (Signal*, TFLite_Detection_PostProcess)
    ident    the opcode constant's name in micronn.oplist (default: name)
    rule     a Rule: the converter rule comes from the spec (None: a hand-written rule)
    binding  "spec": the binding, its globals-table entry and the kernel's C prototype are
             generated from this entry (every operand's dtype and count declared); "hand": a
             binding written in mod_micronn.c / bind_<area>.c
    ref      (binding="spec") the kernel is optimized and has a plain C reference mn_<kernel>_ref
             of the same arguments: it gets a binding <kernel>_ref too (device tests compare
             the two; the numpy reference names it as well)
    """

    def __init__(self, opcode, name, kernel, area, inputs, outputs, out_pos=None,
                 in_place=False, scratch=False, tflite=(), custom=None, ident=None, binding="hand",
                 rule=None, doc="", ref=False):
        self.opcode = opcode
        self.name = name
        self.ident = ident or name  # the constant's name in micronn.oplist
        self.binding = binding
        self.rule = rule
        self.kernel = kernel
        self.area = area
        self.inputs = list(inputs)
        self.outputs = list(outputs)
        pp = self.params_pos
        self.params = None if pp is None else self.inputs[pp].layout
        # Default: the kernel takes its outputs where the params start (or after the inputs).
        self.out_pos = out_pos if out_pos is not None else (len(self.inputs) if pp is None else pp)
        self.in_place = in_place
        self.scratch = scratch
        self.tflite = tuple(tflite)
        self.custom = custom
        self.doc = doc
        self.ref = ref

    def kernel_args(self):
        """The Operands in the kernel's argument order: inputs with the outputs at out_pos."""
        return self.inputs[:self.out_pos] + self.outputs + self.inputs[self.out_pos:]

    @property
    def params_pos(self):
        for i, o in enumerate(self.inputs):
            if o.name == "params":
                return i
        return None
