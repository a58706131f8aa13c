"""numpy reference kernels of the signal area (same names and argument order as the bindings in
firmware/_micronn/bind_signal.c). Re-exported by host_tools.reference."""
