"""Converter rules of the activations area (registered with host_tools.convert.rule)."""
