"""Converter rules of the detection area (registered with host_tools.convert.rule)."""
