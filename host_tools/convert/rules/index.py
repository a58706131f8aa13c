"""Converter rules and rule families of the SHAPE area's indexing ops (ops_index.py of the op spec):
hand-written rules register with registry.rule; rule families with families.family."""
