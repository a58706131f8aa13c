"""numpy reference kernels of the elementwise area (same names and argument order as the bindings in
firmware/_micronn/bind_elementwise.c). Re-exported by host_tools.reference."""
