"""Model.profile: per layer op, shape, MACs, ticks, kernel ticks, RAM; and the CLI table + SVG.
Counts are checked against the converter's own view of the model; no timing is asserted."""

import xml.dom.minidom

import numpy as np
import pytest
from conftest import require_firmware
from test_models import stored_io

from host_tools import cli, convert
from host_tools.device import boards, models

_SCRIPT = """\
import binascii, micronn
m = micronn.load("m.micronn")
p = m.profile([binascii.unhexlify("{inp}")])
for r in p["rows"]:
    print("ROW", r[0], r[1], r[3], r[4], -1 if r[7] is None else r[7], r[8])
print("TOTAL", p["total"], p["ops"], p["overhead"], m.arena_size, m.scratch_size)
"""


def expected_ram(c):
    """Per op: live activation bytes + the op's shared scratch, from the converter's plan."""
    n = len(c.ops)
    first, last, byid = {}, {}, {}
    for t in c.inputs:
        first[id(c.mem(t))] = 0
    for k, op in enumerate(c.ops):
        for t in list(op.inputs) + list(op.outputs):
            t = c.mem(t)
            if t is None or t.is_const or getattr(t, "shared", False):
                continue
            byid[id(t)] = t
            first.setdefault(id(t), k)
            last[id(t)] = max(last.get(id(t), k), k)
    for t in c.outputs:
        last[id(c.mem(t))] = n - 1
    out = []
    for k, op in enumerate(c.ops):
        live = sum(t.nbytes for i, t in byid.items() if first[i] <= k <= last[i])
        out.append(live + sum(t.nbytes for t in op.inputs if t is not None and getattr(t, "shared", False)))
    return out


@pytest.mark.parametrize("board", ["unix", "MPS2_AN386"])
def test_profile_rows_match_the_model(board, tmp_path):
    require_firmware(board)
    name = "kws_ref_model"
    c = convert.convert(models.fetch(name, quiet=True).read_bytes())
    (tmp_path / "m.micronn").write_bytes(c.serialize())
    ins, _ = stored_io(name)
    rc, out = boards.run_script(board, _SCRIPT.format(inp=np.ascontiguousarray(ins[0]).tobytes().hex()),
                                cwd=tmp_path, timeout=300)
    assert rc == 0, out
    rows = [ln.split()[1:] for ln in out.splitlines() if ln.startswith("ROW")]
    total, ops, over, arena, scratch = map(int, next(ln for ln in out.splitlines()
                                                       if ln.startswith("TOTAL")).split()[1:])
    assert [r[1] for r in rows] == [op.name for op in c.ops]
    ram = expected_ram(c)
    kern = 0
    for r, op, want_ram in zip(rows, c.ops, ram):
        i, name, macs, t, kt, got_ram = int(r[0]), r[1], int(r[2]), int(r[3]), int(r[4]), int(r[5])
        if name in ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED"):
            assert macs == op.macs and kt >= 0, r
        assert got_ram == want_ram, (i, name, got_ram, want_ram)
        kern += t if kt < 0 else kt
    assert max(ram) <= arena + scratch
    assert over == total - kern


def test_bench_per_layer_cli_writes_svg(tmp_path, capsys):
    require_firmware("unix")
    src = models.fetch("micro_speech_quantized", quiet=True)
    svg = tmp_path / "p.svg"
    assert cli.main(["bench", str(src), "--board", "unix", "--per-layer", "--svg", str(svg)]) == 0
    out = capsys.readouterr().out
    assert "RAM B" in out and "peak RAM" in out and "Python runner overhead" in out
    doc = xml.dom.minidom.parse(str(svg))
    labels = [t.firstChild.data for t in doc.getElementsByTagName("text") if t.firstChild]
    for op in ("DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "SOFTMAX"):
        assert any(op in s for s in labels), labels
    n_layers = len(convert.convert(src.read_bytes()).ops)
    titles = [t.firstChild.data for t in doc.getElementsByTagName("title")]
    assert len(titles) == n_layers  # one time bar per layer, with its figures as a tooltip
    assert all("% of the inference" in t for t in titles)
