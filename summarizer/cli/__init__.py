"""The command line (typer): a thin layer over the library."""
