"""Converter rules of the signal area (registered with host_tools.convert.rule)."""
