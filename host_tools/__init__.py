"""micronn host tools: convert, reference, run/verify, bench, deploy, flash."""

__version__ = "0.1.0"
