"""numpy reference kernels of the detection area (same names and argument order as the bindings in
firmware/_micronn/bind_detection.c). Re-exported by host_tools.reference."""
