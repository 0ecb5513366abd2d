"""`dz export`: the store as SQLite, a Frictionless Data Package or Parquet, losing nothing.

`tabular` turns a store into tables once, from the registry of record kinds; each format
writes those tables. No Typer or Rich here: the CLI (`dzcli.cli.write_commands`) drives it.
"""

from dzcli.model.errors import DzError


class ExportError(DzError):
    """An export or import that cannot be made; the message says why, and nothing is written."""
