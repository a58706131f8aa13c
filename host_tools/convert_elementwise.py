"""Converter rules of the elementwise area (registered with host_tools.convert.rule)."""
