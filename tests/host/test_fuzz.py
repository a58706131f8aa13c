"""Fuzz smoke (CI): mutated model files through load()+run() on the sanitizer firmware (ASan +
UBSan; the plain unix firmware if that is not built), and mutated .tflite files through the
converter. `make fuzz` runs the long version (50,000 cases). Both include post-load mutations
of the model's bytes and dtype/shape-confused calls of run(), state, Tensor.write and the views."""

import pytest

from host_tools.check import fuzz


def test_fuzz_device_smoke():
    fw = fuzz.ASAN_FIRMWARE if fuzz.ASAN_FIRMWARE.exists() else fuzz.PLAIN_FIRMWARE
    if not fw.exists():
        pytest.fail("no unix firmware: run `make fw-unix-asan` (or `make firmwares`)")
    rep = fuzz.fuzz(2000, seed=12345, firmware=fw, batch=250, jobs=2, verbose=False)
    summary = rep.summary()
    assert rep.cases >= 2000, summary
    assert not rep.crashes and rep.sanitizer == 0 and rep.hangs == 0 and rep.guards == 0, summary
    assert rep.bad == 0, summary
    # Confused calls (wrong count/length/typecode, non-buffers, bad out/state/write/view) on
    # loaded intact models: each raised or succeeded as it must (rep.bad counts the others).
    assert sum(rep.confused.values()) > 1000 and not rep.confused_bad, summary
    assert rep.confused["ok"] > 50 and rep.confused["ValueError"] > 500 and rep.confused["TypeError"] > 100, summary
    # The structural checks were reached, not just the checksum.
    kinds = {k for (phase, k) in rep.outcomes if phase == "load"}
    assert "ModelError" in kinds, summary
    assert rep.outcomes.get(("ok", "-"), 0) > 100, summary
    messages = " ".join(m for (_, _, m) in rep.messages)
    for part in ("checksum mismatch", "beyond", "out of range", "op "):
        assert part in messages, (part, summary)


def test_fuzz_converter_smoke():
    outcomes, bad = fuzz.fuzz_converter(1500, seed=54321, verbose=False)
    assert not bad, bad[:3]
    assert outcomes["ConvertError"] > 100 and outcomes["converted+loaded"] > 50, outcomes
