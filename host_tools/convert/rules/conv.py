"""Converter rules and rule families of the NN area (ops_conv.py of the op spec): hand-written
rules register with registry.rule; rule families (for ops whose spec entry names a Rule) with
families.family."""
