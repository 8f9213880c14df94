"""CLI commands, one module each; see `vilco_core.__main__`."""
