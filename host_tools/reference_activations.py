"""numpy reference kernels of the activations area (same names and argument order as the bindings in
firmware/_micronn/bind_activations.c). Re-exported by host_tools.reference."""
