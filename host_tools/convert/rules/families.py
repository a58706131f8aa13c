"""The registry of converter rule families (a leaf module): `@family("name")` registers a function
family_fn(spec_op) -> rule(converter, index, tflite_op); rules/spec.py makes a rule for every op
whose spec entry names a Rule of that family and registers it for the op's (builtin, dtype)s."""

FAMILIES = {}


def family(name):
    def deco(f):
        if name in FAMILIES:
            raise ValueError("two rule families named %r" % name)
        FAMILIES[name] = f
        return f
    return deco
