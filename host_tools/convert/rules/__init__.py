"""Converter rules, one module per area; each registers into host_tools.convert.registry."""
