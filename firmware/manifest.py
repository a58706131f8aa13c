# ruff: noqa: F821 - a MicroPython manifest: options, package() are its globals
# Freezes the micronn Python package (firmware/micronn) into the firmware.
# include(".../firmware/manifest.py", tier1=True): the Tier-1-only build (boards/qemu.mk). It
# leaves out oplist_areas.py (the ops of the areas, all off there: load() then names the area of
# such an op), nms.py (its kernel nms_boxes is in the detection area; micronn/__init__ imports it
# only where present), testdata.py (only tests import it) and profiler.py (Model.profile and
# arena_use then raise ImportError naming it), and compiles with
# mpy-cross -O3, which drops line numbers from tracebacks (the messages stay; the package has no
# asserts, which -O1 and up would drop).
options.defaults(tier1=False)
if options.tier1:
    import os

    package("micronn", opt=3, files=sorted(
        f for f in os.listdir("micronn") if f.endswith(".py") and f not in ("oplist_areas.py", "nms.py", "testdata.py", "profiler.py")))
else:
    package("micronn")
