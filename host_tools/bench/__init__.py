"""Benchmarks (`python -m host_tools.bench`, `make bench`): bench (instructions, latency, arena,
layer shapes), plot (the per-layer SVG)."""
