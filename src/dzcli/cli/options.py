"""The options every listing command shares, and `listing`, which adds them to a command.

A listing command declares only its own arguments and returns its query; `listing` gives it
--db, --format, --json, --fields, --lang, --no-color (and --unit, --chart where they apply),
runs the query on the store and hands the rows to the renderer. A table for people is cut at
TABLE_ROWS rows (--limit), with a line on stderr saying how many more there are.
"""

# No `from __future__ import annotations` here: Typer reads every command's annotations at each
# start-up, and evaluating them from strings doubles the time it takes to build the commands
# (about 5 ms a run; benchmarks/bench.py). Annotations here must be importable names.

import functools
import inspect
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from dzcli import counted, process, queries
from dzcli.model.errors import BadUsage
from dzcli.model.units import Unit
from dzcli.model.units import convert as convert_units
from dzcli.output import fieldpaths, views
from dzcli.output.render import Format, render
from dzcli.output.views import Lang, Listing, View
from dzcli.queries import Answer
from dzcli.store import Store, open_store, resolve_store_path

Query = Callable[[Store], "list[dict[str, Any]] | Iterator[dict[str, Any]] | Answer"]
"""A command's question: its rows, or for a listing too big to hold, its rows one at a time."""

DbOption = Annotated[
    Optional[Path],  # noqa: UP045 - Typer 0.28 reads the annotation at run time
    typer.Option(
        "--db",
        metavar="PATH",
        help="Read this store instead of the built-in one (or set DZ_DB).",
        readable=False,  # the store says why it cannot be read (exit 1), not Typer (exit 2)
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Shorthand for --format json.")]
FormatOption = Annotated[
    Optional[Format],  # noqa: UP045
    typer.Option(
        "--format",
        "-f",
        help="table (the default) or md for people; json, jsonl, csv or tsv for scripts.",
        show_default=False,
    ),
]
FieldsOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--fields",
        metavar="A,B,…",
        help="Only these fields, in this order, in any format; nested ones dotted (source.quote).",
    ),
]
LangOption = Annotated[
    Optional[Lang],  # noqa: UP045
    typer.Option("--lang", help="Language of names and headings [default: from LC_ALL/LANG]."),
]
ChartOption = Annotated[
    bool,
    typer.Option(
        "--chart", help="Draw the rates as bars and shares as filled bars (table format)."
    ),
]
NoColorOption = Annotated[
    bool, typer.Option("--no-color", help="No colour (also NO_COLOR=1 or TERM=dumb).")
]
WideOption = Annotated[
    bool,
    typer.Option("--wide", help="Tables without a width limit: one line per row."),
]
BomOption = Annotated[
    bool,
    typer.Option("--bom", help="CSV/TSV: start with a UTF-8 byte-order mark, for Excel."),
]
NoHeaderOption = Annotated[
    bool, typer.Option("--no-header", help="CSV/TSV: no header line, for shell scripts.")
]
TABLE_ROWS = 100
"""A table or Markdown table shows at most this many rows unless --limit says otherwise: a
person reads the first screens, not 250,000 rows (the way `gh` lists 30). Machine formats
always print every row."""
LimitOption = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option(
        "--limit",
        metavar="N",
        min=0,
        help=f"Tables (and md): at most N rows (default {TABLE_ROWS}; 0 for all).",
        show_default=False,
    ),
]
UnitOption = Annotated[
    Optional[Unit],  # noqa: UP045
    typer.Option(
        "--unit",
        metavar="UNIT",
        # The choices are spelled out here: click pads by characters, not display width.
        help="Amounts in this scale of their own currency: 元, 万元, 亿元, 美元, 万美元 or 亿美元.",
    ),
]


def emit(
    view: View,
    query: Query,
    *,
    db: Path | None = None,
    fmt: Format | None = None,
    as_json: bool = False,
    lang: Lang | None = None,
    fields: str | None = None,
    no_color: bool = False,
    unit: Unit | None = None,
    chart: bool = False,
    wide: bool = False,
    bom: bool = False,
    no_header: bool = False,
    limit: int | None = None,
) -> None:
    """Ask `query` of the store and hand its rows, in the format asked for, to the renderer."""
    if as_json and fmt not in (None, Format.json):
        raise BadUsage(f"--json means --format json; it cannot be combined with --format {fmt}")
    output = Format.json if as_json else fmt or Format.table
    for_people = output in (Format.table, Format.md)
    if limit is not None and not for_people:
        raise BadUsage(f"--limit cuts tables for people; --format {output} prints every row")
    names = None if fields is None else fieldpaths.parse(fields)
    if names is not None and view.kind != "record":  # `dz show`'s fields depend on the record
        # A usage error is found before the store is read, so it is exit 2 whatever the store.
        fieldpaths.require_known(names, fieldpaths.paths_of_kind(view.kind, []), view.kind)
    store = open_store(resolve_store_path(db))
    answer = query(store)
    rows, footnote = (
        (answer.rows, answer.footnote) if isinstance(answer, Answer) else (answer, None)
    )
    count_left_out = None
    if for_people:
        rows, count_left_out = _cut(rows, TABLE_ROWS if limit is None else limit)
    stream: Iterator[dict[str, Any]] | None = None
    if not isinstance(rows, list):
        if unit is None and names is None:  # written as they come (json and jsonl do)
            stream, rows = rows, []
        else:  # converting units, and picking fields, ask about every row first
            rows = list(rows)
    if unit is not None:
        rows = convert_units(rows, unit)
    units = counted.count_units(store) if for_people and view.counts else {}
    render(
        Listing(view, rows, queries.names(store) if for_people else {}, footnote, units),
        output,
        lang or views.default_lang(),
        False if no_color else None,
        names=names,
        chart=chart,
        wide=wide,
        bom=bom,
        header=not no_header,
        stream=stream,
    )
    left_out = 0 if count_left_out is None else count_left_out()
    if left_out:
        process.say(
            f"dz: {left_out:,} more rows not shown; --limit N shows N, --limit 0 all of them, "
            "and --json, --format jsonl, csv or tsv every row"
        )


def _cut(
    rows: list[dict[str, Any]] | Iterator[dict[str, Any]], limit: int
) -> tuple[list[dict[str, Any]], Callable[[], int]]:
    """The first `limit` rows (all for 0), and how to count those left out: rows that come one
    at a time are counted only once the table is shown (counting builds them)."""
    if not isinstance(rows, list):
        shown = list(rows if limit == 0 else islice(rows, limit))
        return shown, lambda: sum(1 for _ in rows)
    left_out = max(0, len(rows) - limit) if limit else 0
    return (rows[:limit] if left_out else rows), lambda: left_out


def _output_options(
    *,
    db: DbOption = None,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
    lang: LangOption = None,
    unit: UnitOption = None,
    chart: ChartOption = False,
    wide: WideOption = False,
    bom: BomOption = False,
    no_header: NoHeaderOption = False,
    limit: LimitOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Never called: its signature declares, once, the options every listing command shares."""


_OUTPUT_OPTIONS = inspect.signature(_output_options).parameters


def listing(
    view: View, *, units: bool = True, chart: bool = False
) -> Callable[[Callable[..., Query]], Callable[..., None]]:
    """Make a command that returns its query into one that runs it and renders the rows.

    The command declares only its own arguments; this adds the output options to what Typer
    sees, and hands them to `emit`.
    """
    shared = [
        option
        for name, option in _OUTPUT_OPTIONS.items()
        if (name != "unit" or units) and (name != "chart" or chart)
    ]

    def decorate(command: Callable[..., Query]) -> Callable[..., None]:
        own = list(inspect.signature(command).parameters.values())

        @functools.wraps(command)
        def run(**arguments: Any) -> None:
            output = {option.name: arguments.pop(option.name) for option in shared}
            emit(view, command(**arguments), **output)

        run.__signature__ = inspect.Signature([*own, *shared])  # type: ignore[attr-defined]
        run.__annotations__ = {
            **{p.name: p.annotation for p in [*own, *shared]},
            "return": None,
        }
        return run

    return decorate
