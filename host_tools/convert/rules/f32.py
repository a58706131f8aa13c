"""Converter rules and rule families of the NN area's float32 layers (ops_f32.py of the op spec):
hand-written rules register with registry.rule; rule families with families.family."""
