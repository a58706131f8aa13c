"""Argument checks of the numpy reference: the same rules and messages as the C bindings
(mod_micronn.c and mn_args.c), so a wrong call fails the same way under CPython."""

import numpy as np

# ---------------------------------------------------------------------------
# Argument checks: the same rules and messages as the C bindings (mod_micronn.c).
_I8_CODES = ("b", "B", "c")

_I32_CODES = ("i", "l")



def _typecode(obj):
    if isinstance(obj, np.ndarray):
        return {np.dtype(np.int8): "b", np.dtype(np.uint8): "B", np.dtype(np.int32): "i",
                np.dtype(np.float32): "f"}.get(obj.dtype, obj.dtype.char)
    if isinstance(obj, (bytes, bytearray)):
        return "B"
    if isinstance(obj, memoryview):
        return obj.format
    if hasattr(obj, "typecode"):
        return obj.typecode
    raise TypeError("expected a buffer, got %s" % type(obj).__name__)



def _nbytes(obj):
    return obj.nbytes if isinstance(obj, (np.ndarray, memoryview)) else len(memoryview(obj).cast("B"))



def _buf(obj, name, dtype, count, writable=False):
    """Return a flat numpy view (int8, int32 or float32) of argument `name`, checked like the C binding."""
    try:
        code = _typecode(obj)
        if writable and (not obj.flags.writeable if isinstance(obj, np.ndarray) else memoryview(obj).readonly):
            raise TypeError
    except TypeError:
        raise TypeError("%s: expected a %s%s buffer, got %s"
                        % (name, "writable " if writable else "", dtype, type(obj).__name__)) from None
    if dtype == "int8":
        ok = code in ("b", "B")
    elif dtype == "int32":
        ok = code in _I32_CODES or code == "B"
    else:
        ok = code == "f" or code == "B"
    if not ok:
        raise ValueError("%s: expected %s data, got typecode '%s'" % (name, dtype, code))
    elem = 1 if dtype == "int8" else 4
    if count < 0 or _nbytes(obj) != count * elem:
        raise ValueError("%s: expected %s array of %d, got %d bytes" % (name, dtype, count, _nbytes(obj)))
    if isinstance(obj, np.ndarray):
        arr = obj.reshape(-1).view(np.uint8)
    else:
        arr = np.frombuffer(obj, dtype=np.uint8) if not writable else np.frombuffer(memoryview(obj).cast("B"), dtype=np.uint8)
    return arr.view({"int8": np.int8, "int32": np.int32, "float32": np.float32}[dtype])



def _int(v, name, lo, hi):
    if not isinstance(v, (int, np.integer)) or isinstance(v, bool):
        raise TypeError("%s: expected int, got %s" % (name, type(v).__name__))
    if v < lo or v > hi:
        raise ValueError("%s: %d out of range [%d, %d]" % (name, v, lo, hi))
    return int(v)



def _requant(multiplier, shift, channels):
    n = _nbytes(multiplier) // 4
    if n != 1 and n != channels:
        raise ValueError("multiplier: expected int32 array of 1 or %d, got %d" % (channels, n))
    mult = _buf(multiplier, "multiplier", "int32", n).astype(np.int64)
    sh = _buf(shift, "shift", "int32", n).astype(np.int64)
    for i in range(n):
        if mult[i] < 0:
            raise ValueError("multiplier[%d]: %d is negative" % (i, mult[i]))
        if sh[i] < -31 or sh[i] > 30:
            raise ValueError("shift[%d]: %d out of range [-31, 30]" % (i, sh[i]))
    return mult, sh



def _quant(input_offset, output_offset, act_min, act_max):
    q = (_int(input_offset, "input_offset", -127, 128), _int(output_offset, "output_offset", -128, 127),
         _int(act_min, "act_min", -128, 127), _int(act_max, "act_max", -128, 127))
    if q[2] > q[3]:
        raise ValueError("act_min %d > act_max %d" % (q[2], q[3]))
    return q



# ---------------------------------------------------------------------------
# Ops with an int32 `params` array. Layouts mirror the enums in firmware/_micronn/micronn.h;
# each spec entry is (name, lo, hi), checked like mn_get_params in mod_micronn.c.
_DIM_MAX = 32767

_COUNT_MAX = 1 << 30

_BIG_DIM = 1 << 24



def _params(params, spec, n):
    p = _buf(params, "params", "int32", n)
    for i in range(n):
        name, lo, hi = spec[i]
        if p[i] < lo or p[i] > hi:
            raise ValueError("params[%d] (%s): %d out of range [%d, %d]" % (i, name, p[i], lo, hi))
    return [int(v) for v in p]



def _check_act(p, i_min):
    if p[i_min] > p[i_min + 1]:
        raise ValueError("params: act_min %d > act_max %d" % (p[i_min], p[i_min + 1]))



def _count(name, *dims):
    n = 1
    for d in dims:
        n *= d
    if n > _COUNT_MAX:
        raise ValueError("%s: more than %d elements" % (name, _COUNT_MAX))
    return n



def _scratch(scratch, need):
    """The optional scratch argument of the optimized C kernels: checked like the binding, unused."""
    if scratch is None:
        return
    try:
        n = _nbytes(scratch)
        if memoryview(scratch).readonly:
            raise TypeError
    except TypeError:
        raise TypeError("scratch: expected a writable buffer, got %s" % type(scratch).__name__) from None
    if n < need:
        raise ValueError("scratch: expected at least %d bytes, got %d" % (need, n))



def _buf_count(obj, name, dtype):
    """Number of `dtype` elements in buffer `obj` (typecodes are checked later by _buf)."""
    try:
        n = _nbytes(obj)
    except TypeError:
        raise TypeError("%s: expected a %s buffer, got %s" % (name, dtype, type(obj).__name__)) from None
    return n if dtype == "int8" else n // 4



def _scale(scale):
    if isinstance(scale, bool) or not isinstance(scale, (int, float, np.integer, np.floating)):
        raise TypeError("scale: expected float, got %s" % type(scale).__name__)
    with np.errstate(over="ignore"):
        s = np.float32(scale)  # a float32 value, as in the model
    if not (s > 0 and np.isfinite(s)):
        raise ValueError("scale: expected a positive finite float32")
    return s


# ---------------------------------------------------------------------------
# Buffers of 2/4/8-byte integers (mn_get_buf with MN_I16/MN_U32/MN_U64 in mn_args.c): an array
# of any integer type of the element size, or raw bytes (1-byte items other than 'b'/'c').



# ---------------------------------------------------------------------------
# Buffers of 2/4/8-byte integers (mn_get_buf with MN_I16/MN_U32/MN_U64 in mn_args.c): an array
# of any integer type of the element size, or raw bytes (1-byte items other than 'b'/'c').
_SIZES = {"int8": 1, "int16": 2, "int32": 4, "uint32": 4, "uint64": 8, "bool": 1, "int64": 8}

_NP = {"int8": np.int8, "int16": np.int16, "int32": np.int32, "uint32": np.uint32, "uint64": np.uint64,
       "bool": np.bool_, "int64": np.int64}



def _item(obj):
    """(itemsize, typecode kind) of a buffer: kind 'i' integer, 'f' float, 'B' raw bytes, 'c' char."""
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind in "iu":
            return obj.dtype.itemsize, ("B" if obj.dtype == np.uint8 else
                                        "b" if obj.dtype == np.int8 else "i")
        return obj.dtype.itemsize, "f"
    if isinstance(obj, (bytes, bytearray)):
        return 1, "B"
    mv = memoryview(obj)
    code = mv.format[-1:] if mv.format else "B"
    if code in "fde":
        return mv.itemsize, "f"
    if code == "c":
        return 1, "c"
    if mv.itemsize == 1:
        return 1, "b" if code == "b" else "B"
    return mv.itemsize, "i"



def _vbuf(obj, name, dtype, count, writable=False):
    """Flat numpy view of argument `name` as `dtype` ("int8", "int16", "int32", "uint32", "uint64")."""
    elem = _SIZES[dtype]
    try:
        size, kind = _item(obj)
        if writable and (not obj.flags.writeable if isinstance(obj, np.ndarray) else memoryview(obj).readonly):
            raise TypeError
    except TypeError:
        raise TypeError("%s: expected a %s%s buffer, got %s"
                        % (name, "writable " if writable else "", dtype, type(obj).__name__)) from None
    if dtype in ("int8", "bool"):  # as mn_get_buf's MN_I8: any 1-byte items
        ok = size == 1 and kind in "bB"
    elif dtype == "int32":  # as mn_get_buf's MN_I32: 'i'/'l' arrays (int32 numpy arrays) or raw bytes
        code = obj.dtype.char if isinstance(obj, np.ndarray) else (
            memoryview(obj).format[-1:] if not isinstance(obj, (bytes, bytearray)) else "B")
        ok = (size == 4 and (code in "il" or (isinstance(obj, np.ndarray) and obj.dtype == np.int32))) or \
            (size == 1 and kind == "B")
    else:
        ok = (size == elem and kind == "i") or (size == 1 and kind == "B")
    if not ok:
        raise ValueError("%s: expected %s data, got %d-byte %s items" % (name, dtype, size, kind))
    if count < 0 or _nbytes(obj) != count * elem:
        raise ValueError("%s: expected %s array of %d, got %d bytes" % (name, dtype, count, _nbytes(obj)))
    if isinstance(obj, np.ndarray):
        arr = obj.reshape(-1).view(np.uint8)
    else:
        arr = np.frombuffer(memoryview(obj).cast("B"), dtype=np.uint8)
    return arr.view(_NP[dtype])



def _vcount(obj, name, dtype):
    try:
        n = _nbytes(obj)
    except TypeError:
        raise TypeError("%s: expected a %s buffer, got %s" % (name, dtype, type(obj).__name__)) from None
    return n // _SIZES[dtype]



def _vparams(params, spec, n):
    """The int32 params array: exactly n entries, each within its (name, lo, hi) range."""
    p = _vbuf(params, "params", "int32", n)
    for i in range(n):
        name, lo, hi = spec[i]
        if p[i] < lo or p[i] > hi:
            raise ValueError("params[%d] (%s): %d out of range [%d, %d]" % (i, name, p[i], lo, hi))
    return [int(v) for v in p]

