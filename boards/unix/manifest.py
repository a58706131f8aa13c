# unix firmware: micronn only (no micropython-lib: the offline MicroPython source lacks it).
include("../../firmware/manifest.py")
