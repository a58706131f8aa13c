"""firmware/_micronn/kernels/mn_libm_f32.c against the host's glibc expf/logf/sinf/cosf/expm1f/tanhf
(what the live TFLite Micro calls) on every one of the 2^32 float32 inputs, or every `step`-th one.

    python -m host_tools.check.libm_f32 [--step N] [exp log sin cos expm1 tanh]

Compiles the kernel file with the host's gcc (every double operation rounded on its own, as on
the boards: -ffp-contract=off, no FMA) with its exception lists emptied, and prints for each
function the inputs where it differs from glibc, as the C initializer of mn_libm_f32.h
(MN_<F>_FIXES). Run it when glibc or the file changes; tests/host/test_libm_f32.py checks a
sample on every test run. Needs a few minutes per function for all 2^32 inputs.
"""

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MOD = ROOT / "firmware" / "_micronn"
FUNCS = ("exp", "log", "sin", "cos", "expm1", "tanh")

_MAIN = r"""
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
float mn_expf(float), mn_logf(float), mn_sinf(float), mn_cosf(float), mn_expm1f(float), mn_tanhf(float);
int main(int argc, char **argv) {
    const char *f = argv[1];
    const uint64_t step = strtoull(argv[2], 0, 10), first = strtoull(argv[3], 0, 10), end = strtoull(argv[4], 0, 10);
    static const char *names[] = {"exp", "log", "sin", "cos", "expm1", "tanh"};
    float (*mines[])(float) = {mn_expf, mn_logf, mn_sinf, mn_cosf, mn_expm1f, mn_tanhf};
    float (*refs[])(float) = {expf, logf, sinf, cosf, expm1f, tanhf};
    int which = 0;
    while (which < 5 && strcmp(f, names[which]) != 0) {
        which++;
    }
    float (*mine)(float) = mines[which], (*ref)(float) = refs[which];
    for (uint64_t i = first; i < end; i += step) {
        uint32_t u = (uint32_t)i, a, b;
        float x, y, z;
        memcpy(&x, &u, 4);
        y = mine(x);
        z = ref(x);
        memcpy(&a, &y, 4);
        memcpy(&b, &z, 4);
        if (a != b) {
            printf("%08x %08x %08x\n", u, a, b);
        }
    }
    return 0;
}
"""


def build(tmp, as_is=False):
    """The harness binary: the kernel file (without its exception lists unless as_is), and glibc."""
    hdr = tmp / "mn_libm_f32.h"
    text = (MOD / "kernels" / "mn_libm_f32.h").read_text()
    for name in () if as_is else FUNCS:  # empty lists: the sentinel only
        text = text.replace("MN_%s_FIXES" % name.upper(), "MN_%s_FIXES_UNUSED" % name.upper())
        text = text.replace("#endif // MN_LIBM_F32_H", "#define MN_%s_FIXES {0xffffffffu, 0xffffffffu},\n"
                            "#endif // MN_LIBM_F32_H" % name.upper())
    hdr.write_text(text)
    # the kernel next to that header (a quoted #include looks in the file's own folder first)
    (tmp / "mn_libm_f32.c").write_text((MOD / "kernels" / "mn_libm_f32.c").read_text())
    (tmp / "main.c").write_text(_MAIN)
    exe = tmp / "libm_check"
    subprocess.run(["gcc", "-std=gnu99", "-O2", "-ffp-contract=off", "-mno-fma", "-I", str(MOD),
                    str(tmp / "mn_libm_f32.c"), str(tmp / "main.c"), "-o", str(exe), "-lm"], check=True)
    return exe


def differences(exe, name, step=1, jobs=2, only=None):
    """[(input bits, ours, glibc)] where they differ (on every step-th input, or on `only`)."""
    if only is not None:
        text = subprocess.run([str(exe), name, "1", str(only), str(only + 1)], capture_output=True, text=True,
                              check=True).stdout
        return [tuple(int(v, 16) for v in line.split()) for line in text.splitlines()]
    end = 1 << 32
    part = -(-end // jobs)
    starts = [-(-k * part // step) * step for k in range(jobs)]  # multiples of step
    procs = [subprocess.Popen([str(exe), name, str(step), str(starts[k]), str(min(end, (k + 1) * part))],
                              stdout=subprocess.PIPE, text=True) for k in range(jobs)]
    out = []
    for p in procs:
        text, _ = p.communicate()
        if p.returncode:
            raise RuntimeError("%s: harness failed" % name)
        out += [tuple(int(v, 16) for v in line.split()) for line in text.splitlines()]
    return sorted(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("funcs", nargs="*", help="of %s (default: all)" % ", ".join(FUNCS))
    ap.add_argument("--step", type=int, default=1, help="check every N-th input (default: all)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--as-is", action="store_true", help="keep the exception lists (expect no differences)")
    a = ap.parse_args(argv)
    for name in a.funcs:
        if name not in FUNCS:
            ap.error("unknown function %r (expected one of %s)" % (name, ", ".join(FUNCS)))
    a.funcs = a.funcs or list(FUNCS)
    with tempfile.TemporaryDirectory() as d:
        exe = build(Path(d), a.as_is)
        for name in a.funcs:
            diffs = differences(exe, name, a.step, a.jobs)
            print("#define MN_%s_FIXES \\" % name.upper())
            for u, ours, ref in diffs:
                print("    {0x%08xu, 0x%08xu}, /* ours 0x%08x */ \\" % (u, ref, ours))
            print("    {0xffffffffu, 0xffffffffu}, /* sentinel */")
            print("// %s: %d inputs differ%s" % (name, len(diffs), "" if a.as_is else " with the lists emptied"),
                  file=sys.stderr)


if __name__ == "__main__":
    main()
