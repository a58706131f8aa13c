"""numpy reference kernels of the NN area's convolution-like layers (ops_conv.py): one function per
C kernel, the name of its spec entry's kernel. host_tools.reference exports every kernel the spec names from
its area's module."""
