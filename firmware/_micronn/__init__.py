"""`_micronn` under CPython: the numpy reference (host_tools.reference), the same functions as
the C module in this directory.

The firmware builds the C module in, and MicroPython finds a built-in module before any file, so
this file is never read on a board (nor frozen: firmware/manifest.py freezes firmware/micronn).
Under CPython `import _micronn` finds it through the editable install (pyproject.toml maps
`_micronn` to this directory) or with firmware/ on sys.path; the frozen `micronn` package then
imports only `_micronn`, never host_tools.
"""

import sys

from host_tools import reference

sys.modules[__name__] = reference
