"""The op spec (host_tools/ops/table.py) is the one place an op is declared: the files generated
from it are current, and every op in it has everything an op needs. A failure names what is
missing for which op (docs/adding_an_op.md says where each piece goes)."""

import functools
import re

import pytest
from conftest import ROOT

from host_tools import convert, reference
from host_tools.convert import registry
from host_tools.convert.graph import BO
from host_tools.ops import gen, spec, table

MOD = ROOT / "firmware" / "_micronn"
DEVICE_TESTS = ROOT / "tests" / "device"


def test_generated_files_are_current():
    assert gen.stale() == [], "run `make ops` (python -m host_tools.ops.gen) and commit the result"


def test_generated_files_are_what_the_spec_says():
    # The device tables hold every op of the spec, with its kernel, output position and ranges.
    from micronn import oplist

    for op in table.OPS:
        assert oplist.OPS[op.opcode] == (op.name, op.kernel, op.out_pos)
        if op.params is not None and op.params.load_check:
            assert oplist.PARAMS[op.opcode] == op.params.ranges()
        assert (op.opcode in oplist.IN_PLACE) == op.in_place
        assert getattr(oplist, op.ident) == op.opcode
    header = (MOD / "mn_spec.h").read_text()
    for lay in table.LAYOUTS:
        for f in lay.fields:
            assert re.search(r"\b%s\b" % lay.c_name(f), header), (lay.name, f.name)
        assert (lay.variadic is not None) or lay.nparams_c in header


def _c_sources():
    return "\n".join(p.read_text() for p in [MOD / "micronn.h", *MOD.glob("kernels/*.c")])


def _bindings():
    return "\n".join(p.read_text() for p in [MOD / "mod_micronn.c", *MOD.glob("bind_*.h")])


def _device_tests():
    return "\n".join(p.read_text() for p in DEVICE_TESTS.glob("*.py"))


@functools.lru_cache(maxsize=None)
def _tflm_suites():
    """{suite: [.tflite models]}: the suites that compare micronn with live TFLite Micro on every
    one of their models."""
    import opcases
    import test_activations
    import test_audio
    import test_detection
    import test_ops_tflm

    return {
        "opcases": [m for _, m, _ in opcases.CASES],
        "test_ops_tflm": [m for _, m, _ in test_ops_tflm.CASES],
        "test_activations": [c[2] for c in test_activations.CASES],
        "test_audio": [c[1] for c in test_audio.CASES],
        "test_detection": [m for m, _ in test_detection._all_cases()],
    }


@functools.lru_cache(maxsize=None)
def _tflm_checked():
    """{opcode: suite}: the ops the converted models of the TFLM-checked suites hold."""
    found = {}
    for suite, models in _tflm_suites().items():
        for m in models:
            for op in convert.Converter(m).convert().ops:
                found.setdefault(op.opcode, suite)
    return found


def _has_rule(op):
    if op.custom is not None:
        return registry.custom_lookup(op.custom) is not None
    return all(registry.lookup(getattr(BO, name), None if dtype is None else spec.DTYPES.index(dtype))
               is not None for name, dtype in op.tflite)


@functools.lru_cache(maxsize=None)
def _ops_of_bytes(model):
    return tuple(convert.Converter(model).convert().ops)


def _ops_of(model):
    return _ops_of_bytes(bytes(model))


@pytest.mark.parametrize("op", table.OPS, ids=lambda op: "%d-%s" % (op.opcode, op.ident))
def test_every_op_is_complete(op):
    missing = []
    if not re.search(r"\bmn_%s\s*\(" % op.kernel, _c_sources()):
        missing.append("a C kernel mn_%s (prototype in micronn.h, body in kernels/)" % op.kernel)
    if "MP_QSTR_%s)" % op.kernel not in _bindings():
        missing.append("a binding %s (mod_micronn.c or bind_<area>.c/.h)" % op.kernel)
    if not callable(getattr(reference, op.kernel, None)):
        missing.append("a numpy reference host_tools.reference.%s" % op.kernel)
    if not (op.tflite or op.custom):
        missing.append("a TFLite builtin or custom code it converts from (tflite= or custom=)")
    elif not _has_rule(op):
        missing.append("a converter rule for %s" % (op.custom or [n for n, _ in op.tflite]))
    if op.opcode not in _tflm_checked():
        missing.append("a generated-model case checked against live TFLM (tests/host/opcases.py)")
    import opcases

    on_boards = any(o.opcode == op.opcode for _, m, _ in opcases.CASES for o in _ops_of(m))
    if not (on_boards or re.search(r"\b%s\b" % op.kernel, _device_tests())):
        missing.append("a device test: a case in tests/host/opcases.py (run on every board) or a "
                       "tests/device/*.py script calling %s" % op.kernel)
    assert not missing, "op %d %s lacks: %s" % (op.opcode, op.name, "; ".join(missing))


def test_layout_pack_checks_names_and_ranges():
    lay = table.REQUANT
    assert lay.pack(input_zero_point=1, output_zero_point=-2, multiplier=1 << 30, shift=-3) == [
        1, -2, 1 << 30, -3]
    with pytest.raises(TypeError, match="missing"):
        lay.pack(input_zero_point=1)
    with pytest.raises(ValueError, match=r"params\[3\] \(shift\): 31 out of range \[-31, 30\]"):
        lay.pack(input_zero_point=1, output_zero_point=-2, multiplier=1 << 30, shift=31)
    with pytest.raises(ValueError, match="act_min 5 > act_max 4"):
        table.POOL.check([1] * 12 + [5, 4])
    p = table.CONV.named(list(range(19)))
    assert (p.in_h, p["out_c"], p[0]) == (1, 6, 0)


def test_spec_is_self_consistent():
    assert len({op.opcode for op in table.OPS}) == len(table.OPS)
    for op in table.OPS:
        first = [a for a, _ in table.AREAS]
        area = None if op.opcode < first[0] else dict(table.AREAS)[max(a for a in first if a <= op.opcode)]
        assert area == op.area, (op.opcode, op.area, area)
        assert 0 <= op.out_pos <= len(op.inputs)
        for t in op.inputs + op.outputs:
            assert t.dtype is None or t.dtype in spec.DTYPES
            for name in t.count or ():
                assert name in op.params.index, (op.name, t.name, name)
    # Each C prefix (MN_<prefix>_*, mn_<prefix>_spec) names one layout family: two areas' layouts
    # with the same prefix collide in mn_spec.h (the MATH and SHAPE areas' BCAST did).
    roots = {}
    for lay in table.LAYOUTS:
        assert roots.setdefault(lay.prefix, lay.root) is lay.root, (lay.name, lay.prefix)


@functools.lru_cache(maxsize=None)
def _tflm_checked_pairs():
    """{(builtin name, data input dtype name)} of the source models of the TFLM-checked suites."""
    from micronn import oplist

    from host_tools.check import modelgen
    from host_tools.convert.graph import BUILTIN_NAMES, DTYPES

    pairs = set()
    for src in (m for models in _tflm_suites().values() for m in models):
        m = modelgen.read_model(bytes(src))
        g = m.subgraphs[0]
        for op in g.operators:
            oc = m.operatorCodes[op.opcodeIndex]
            code = max(oc.builtinCode, oc.deprecatedBuiltinCode)
            name = BUILTIN_NAMES.get(code)
            k = registry.data_input(code)  # the input whose dtype picks the rule
            if op.inputs is not None and len(op.inputs) > k and op.inputs[k] >= 0 \
                    and g.tensors[op.inputs[k]].type in DTYPES:  # (not a resource handle)
                pairs.add((name, oplist.DTYPE_NAMES[DTYPES[g.tensors[op.inputs[k]].type]]))
    return pairs


def test_micronn_ops_claims_are_tflm_checked():
    """Every (builtin, input dtype) `micronn ops` says micronn converts has a generated model
    checked against live TFLM: each dtype TFLM runs the op on too (an "any" rule: every type TFLM
    runs it on, int16 included; a dtype TFLM does not run, e.g. uint8 CAST, has the device tests)."""
    from host_tools.convert import support

    missing = []
    for r in support.rows():
        if r.custom or r.status == "extra":
            continue
        claimed = [t for t in r.theirs if t != "any" and ("any" not in r.ours or t not in support.DEFERRED)
                   and (t in r.ours or "any" in r.ours)]
        missing += ["%s %s" % (r.name, t) for t in claimed if (r.name, t) not in _tflm_checked_pairs()]
    assert not missing, "no TFLM-checked case for: " + ", ".join(missing)
