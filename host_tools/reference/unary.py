"""numpy reference kernels of the MATH area's unary ops (ops_unary.py): one function per C kernel, the name of
its spec entry's kernel."""
