"""micronn: int8 neural-network inference for MicroPython.

The same package runs on the device (kernels from the `_micronn` C module) and
under CPython (kernels from the numpy reference in `host_tools.reference`).
"""

__version__ = "0.1.0"

import sys

ON_DEVICE = sys.implementation.name == "micropython"
if ON_DEVICE:
    import _micronn as kernels  # the firmware's C module
else:  # CPython: the numpy reference has the same functions
    from host_tools import reference as kernels

ticks = kernels.ticks
TICK_UNIT = kernels.TICK_UNIT  # "systick" (QEMU boards), "ns" (unix/CPython), "us" (others)
TICK_SCALE = kernels.TICK_SCALE  # per tick: instructions under QEMU icount, else 1


def timeit(fn, *args):
    """Call fn(*args) once; return the elapsed ticks (see TICK_UNIT)."""
    t0 = ticks()
    fn(*args)
    return ticks() - t0


from .model import Model, ModelError, Tensor, TensorInfo, load, register_op  # noqa: E402,F401

try:
    from .nms import nms  # noqa: E402,F401
except ImportError:  # the Tier-1 firmware freezes no nms.py (its kernel is in the detection area)
    pass
