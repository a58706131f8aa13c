"""Converter rules and rule families of the MATH area's unary ops (ops_unary.py of the op spec):
hand-written rules register with registry.rule; rule families with families.family."""
