"""numpy reference kernels of the MATH area (elementwise math, comparisons, logical ops and reductions): one function per C kernel, the
name of its spec entry's kernel. host_tools.reference exports every kernel the spec names from
its area's module."""
