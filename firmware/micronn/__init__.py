"""micronn: int8 neural-network inference for MicroPython.

The same package runs on the device (kernels from the `_micronn` C module) and
under CPython, where `_micronn` is the numpy reference (firmware/_micronn/__init__.py: the
host tools' reference under the C module's name). This package imports only `_micronn`.
"""

__version__ = "0.1.0"

import sys

import _micronn as kernels  # noqa: E402 - the firmware's C module; the numpy reference under CPython

ON_DEVICE = sys.implementation.name == "micropython"

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
