"""`dz export sqlite|datapackage|parquet`: the commands only; the work is `dzcli.export`'s.
(`dz import DIR`, the way back from a data package, is `dz import`'s: it calls
`dzcli.export.datapackage.read`.)"""

# No `from __future__ import annotations`: Typer reads these annotations at run time.

import importlib
from pathlib import Path
from typing import Annotated

import typer

from dzcli.model.errors import BadUsage
from dzcli.read import resolve_store_path

ForceOption = Annotated[bool, typer.Option("--force", help="Replace the target if it exists.")]
DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        metavar="PATH",
        help="Export this store instead of the built-in one (or set DZ_DB).",
        readable=False,
    ),
]

export_app = typer.Typer(
    name="export",
    help="Write the whole store for other tools: SQLite (Datasette), a data package, Parquet.\n\n"
    "\b\nExamples:\n  dz export sqlite facts.db\n  dz export datapackage facts-package",
    no_args_is_help=True,
    add_completion=False,
)


# What each export writes, and an example of where, for the refusal of `-` (stdout): none is
# one stream of bytes a pipe could carry.
_WRITES = {
    "sqlite": ("a file (and OUT.metadata.json beside it)", "facts.db", "file"),
    "datapackage": ("a folder", "facts-package/", "folder"),
    "parquet": ("a folder", "facts-parquet/", "folder"),
}


def _export(what: str, out: str, db: Path | None, force: bool) -> None:
    from dzcli.export import files

    # Compared as typed: a Path would read ./- (a file named -) as - too.
    if out == "-":
        writes, example, thing = _WRITES[what]
        raise BadUsage(
            f"dz export {what} writes {writes}, not stdout: give a path, e.g. "
            f"dz export {what} {example} (./- names a {thing} called -)"
        )
    progress = files.Progress(what)
    try:
        with files.collector_paused():
            source = files.Source(resolve_store_path(db))
            # Only the writer asked for is imported: parquet's needs pyarrow.
            writer = importlib.import_module(f"dzcli.export.{what}")
            written = writer.write(source, Path(out), force=force, progress=progress)
    finally:
        progress.done()
    for path in written:
        typer.echo(f"wrote {path}")


@export_app.command("sqlite")
def export_sqlite(
    out: Annotated[str, typer.Argument(metavar="OUT.db", help="The database to write.")],
    db: DbOption = None,
    force: ForceOption = False,
) -> None:
    """One SQLite database, and OUT.metadata.json for Datasette.

    \b
    Examples:
      dz export sqlite facts.db
      dz export sqlite facts.db --force --db my-store.json
    Then: datasette facts.db -m facts.metadata.json

    A table per kind of record and per nested part, with primary and foreign
    keys; views with names and quotes (stats_with_quotes, preferred_claims);
    `search`, a full-text index (trigram) that finds Chinese substrings of 3
    characters or more (Datasette's find_text query finds any length).
    """
    _export("sqlite", out, db, force)


@export_app.command("datapackage")
def export_datapackage(
    out: Annotated[str, typer.Argument(metavar="DIR", help="The folder to write.")],
    db: DbOption = None,
    force: ForceOption = False,
) -> None:
    """A Frictionless Data Package: one CSV per table and datapackage.json.

    \b
    Examples:
      dz export datapackage facts/
      dz export datapackage facts/ --force --db my-store.json
    Then: frictionless validate facts/datapackage.json

    `dz import facts/ --to copy.json` reads it back into a new store, record for
    record.
    """
    _export("datapackage", out, db, force)


@export_app.command("parquet")
def export_parquet(
    out: Annotated[str, typer.Argument(metavar="DIR", help="The folder to write.")],
    db: DbOption = None,
    force: ForceOption = False,
) -> None:
    """One Parquet file per table (needs pyarrow: pip install pyarrow).

    \b
    Examples:
      dz export parquet facts-parquet/
      dz export parquet facts-parquet/ --force --db my-store.json
    Then: duckdb -c "select id, value from 'facts-parquet/stats.parquet'"

    Spark, Trino and BigQuery read the same files.
    """
    _export("parquet", out, db, force)


def register(app: typer.Typer) -> None:
    app.add_typer(export_app)
