"""Converter rules, keyed by (builtin operator, input dtype), and CUSTOM-op rules by custom code.

A leaf module (imports nothing of the converter): the rule modules (rules/) register into it, the
Converter looks rules up in it. `rule(code)` registers for any input dtype without a more
specific rule (the rule checks its dtypes itself and raises ConvertError: Tier-1 int8 ADD, say);
`rule(code, dtypes=(oplist.INT32,))` for those input dtypes only (int32 ADD). For an op whose
rules are per dtype, the dtype of its first input picks one; a dtype with no rule becomes a
Python op, as an op with no rule at all does. Registration order does not matter. An op whose
first input is not its data (SPLIT: the axis comes first) names the input that picks its rule:
`rule(code, dtypes, data_input=1)`.
"""

_RULES = {}  # (builtin code, input dtype or None: any other dtype) -> rule(converter, index, op)
_CUSTOM = {}  # CUSTOM ops with a native kernel, by custom code (e.g. "SignalWindow")
_DATA_INPUT = {}  # builtin code -> the input whose dtype picks the rule (default 0)


def rule(code, dtypes=None, data_input=0):
    """Register a converter rule for builtin `code` and input dtypes (oplist dtype codes;
    None: any dtype without a more specific rule) of its input number `data_input`."""
    if _DATA_INPUT.get(code, data_input) != data_input:
        raise ValueError("builtin %d: rules disagree on the input that picks them" % code)
    _DATA_INPUT[code] = data_input

    def deco(f):
        for d in (None,) if dtypes is None else tuple(dtypes):
            if (code, d) in _RULES:
                raise ValueError("two converter rules for builtin %d, input dtype %r" % (code, d))
            _RULES[(code, d)] = f
        return f
    return deco


def custom_rule(name):
    """Register a native rule for a CUSTOM op; it takes precedence over the Python-op fallback."""
    def deco(f):
        if name in _CUSTOM:
            raise ValueError("two converter rules for custom op %r" % name)
        _CUSTOM[name] = f
        return f
    return deco


def lookup(code, input_dtype=None):
    """The rule for builtin `code` whose data input (data_input(code)) has `input_dtype`, or None."""
    f = _RULES.get((code, input_dtype))
    return f if f is not None else _RULES.get((code, None))


def data_input(code):
    """The index of the input of builtin `code` whose dtype picks its rule (0 unless registered)."""
    return _DATA_INPUT.get(code, 0)


def custom_lookup(name):
    """The native rule of CUSTOM op `name`, or None."""
    return _CUSTOM.get(name)


def dtypes(code):
    """The input dtypes builtin `code` has rules for: a tuple of oplist dtype codes, with None in
    it when one rule takes any dtype."""
    return tuple(sorted((d for c, d in _RULES if c == code), key=lambda d: -1 if d is None else d))


def builtins():
    """{(builtin code, input dtype or None): rule} registered so far."""
    return dict(_RULES)


def customs():
    """{custom code: rule} registered so far."""
    return dict(_CUSTOM)
