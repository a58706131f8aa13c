"""numpy reference kernels of the SHAPE area's indexing, resampling and filling ops (ops_index.py):
one function per C kernel, the name of its spec entry's kernel."""
