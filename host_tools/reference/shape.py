"""numpy reference kernels of the SHAPE area (shape and data movement ops): one function per C kernel, the
name of its spec entry's kernel. host_tools.reference exports every kernel the spec names from
its area's module."""
