"""numpy reference kernels of the NN area's float32 layers (ops_f32.py): one function per C kernel, the name of
its spec entry's kernel."""
