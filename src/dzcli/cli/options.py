"""The options every listing shares, and `listing`, which gives them to a command.

A listing declares only its own arguments and returns its query; `listing` adds --db, --format,
--json, --fields, --lang, --limit … (and --unit, --chart where they apply), runs the query on the
store and hands the rows to the renderer. `--json a,b` picks fields as gh's does.
"""

# No `from __future__ import annotations` in cli/: Typer reads every command's annotations at each
# start-up, and evaluating them from strings doubles the time it takes to build the commands
# (about 5 ms a run; benchmarks/bench.py). Annotations here must be importable names.

import functools
import inspect
import re
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from msgspec import Raw

from dzcli import process, queries
from dzcli.model.errors import BadUsage
from dzcli.model.units import Unit
from dzcli.model.units import convert as convert_units
from dzcli.output import fieldpaths, views
from dzcli.output.render import Format, render
from dzcli.output.views import Lang, Listing, View
from dzcli.queries import Answer
from dzcli.read import Store, open_store, resolve_store_path
from dzcli.read.store import decode

Query = Callable[[Store], "list[dict[str, Any]] | Iterator[Any] | Answer"]
"""A command's question: its rows, or for a listing too big to hold, its rows one at a time
(each a dict, or the JSON it is printed as: `msgspec.Raw`)."""

TABLE_ROWS = 100
"""A table or Markdown table shows at most this many rows unless --limit says otherwise: a
person reads the first screens, not 250,000 rows (the way `gh` lists 30). Machine formats
print every row unless --limit says otherwise."""


def db_option(does: str) -> Any:
    """The --db option, its help saying what the command `does` with the store it names."""
    # Not readable=True: the store says why it cannot be read (exit 1), not Typer (exit 2).
    return typer.Option("--db", metavar="PATH", help=f"{does} (or set DZ_DB).", readable=False)


DbOption = Annotated[Path | None, db_option("Read this store instead of the built-in one")]


def parse_lang(text: str) -> Lang:
    """`--lang`: zh or en, or a tag or locale of either (zh-CN, zh_CN, zh-Hans, en-US)."""
    lang = views.lang_of(text)
    if lang is None:
        raise typer.BadParameter(f"{text!r} is not zh or en (zh-CN, zh_CN, en-US… are taken too)")
    return lang


def _complete_lang(incomplete: str) -> list[str]:
    return [lang.value for lang in Lang if lang.value.startswith(incomplete)]


def emit(
    view: View,
    query: Query,
    *,
    db: DbOption = None,
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            help="table (the default) or md for people; json, jsonl, csv or tsv for scripts.",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="JSON (--format json); --json A,B,… also picks fields, as --fields does (as gh).",
        ),
    ] = False,
    # What `--json A,B` becomes once spelled out (`spell_out_json_fields`); not typed by anyone.
    json_fields: Annotated[str | None, typer.Option("--json-fields", hidden=True)] = None,
    fields: Annotated[
        str | None,
        typer.Option(
            "--fields",
            metavar="A,B,…",
            help="Only these fields, in this order, in any format; "
            "nested ones dotted (source.quote).",
        ),
    ] = None,
    lang: Annotated[
        Lang | None,
        typer.Option(
            "--lang",
            metavar="zh|en",
            parser=parse_lang,
            autocompletion=_complete_lang,
            help="Language of names and headings: zh or en (zh-CN, en-US… too) "
            "[default: from LC_ALL/LANG].",
        ),
    ] = None,
    unit: Annotated[
        Unit | None,
        typer.Option(
            "--unit",
            metavar="UNIT",
            # The choices are spelled out here: click pads by characters, not display width.
            help="Amounts in this scale of their own currency: "
            "元, 万元, 亿元, 美元, 万美元 or 亿美元.",
        ),
    ] = None,
    chart: Annotated[
        bool,
        typer.Option(
            "--chart", help="Draw the rates as bars and shares as filled bars (table format)."
        ),
    ] = False,
    wide: Annotated[
        bool, typer.Option("--wide", help="Tables without a width limit: one line per row.")
    ] = False,
    bom: Annotated[
        bool, typer.Option("--bom", help="CSV/TSV: start with a UTF-8 byte-order mark, for Excel.")
    ] = False,
    no_header: Annotated[
        bool, typer.Option("--no-header", help="CSV/TSV: no header line, for shell scripts.")
    ] = False,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            metavar="N",
            min=0,
            help=f"At most N rows, in any format (0: all); tables and md show {TABLE_ROWS} "
            "unless told, the other formats every row.",
            show_default=False,
        ),
    ] = None,
    no_color: Annotated[
        bool, typer.Option("--no-color", help="No colour (also NO_COLOR=1 or TERM=dumb).")
    ] = False,
) -> None:
    """Ask `query` of the store and hand its rows, in the format asked for, to the renderer.

    Its options after `query` are the ones `listing` gives every listing, in this order.
    """
    if json_fields is not None:  # `--json a,b`: JSON of these fields
        if fields is not None:
            raise BadUsage("--json A,B and --fields both pick fields: give the fields once")
        as_json, fields = True, json_fields
    if as_json and fmt not in (None, Format.json):
        raise BadUsage(f"--json means --format json; it cannot be combined with --format {fmt}")
    output = Format.json if as_json else fmt or Format.table
    for_people = output in (Format.table, Format.md)
    names = None if fields is None else fieldpaths.parse(fields)
    if names is not None and view.kind != "record":  # `dz show`'s fields depend on the record
        # A usage error is found before the store is read, so it is exit 2 whatever the store.
        fieldpaths.require_known(names, fieldpaths.paths_of_kind(view.kind, []), view.kind)
    store = open_store(resolve_store_path(db))
    answer = query(store)
    whole, footnote = (
        (answer.rows, answer.footnote) if isinstance(answer, Answer) else (answer, None)
    )
    cut = (TABLE_ROWS if limit is None else limit) if for_people else limit
    rows = whole
    if cut:  # 0 and None: every row
        rows = whole[:cut] if isinstance(whole, list) else islice(whole, cut)
    stream: Iterator[Any] | None = None
    if not isinstance(rows, list):
        if output in (Format.json, Format.jsonl) and unit is None and names is None:
            stream, rows = rows, []
        else:  # converting units, and picking fields, ask about every row first
            rows = list(rows)
    rows = [decode(row) if isinstance(row, Raw) else row for row in rows]
    if unit is not None:
        rows = convert_units(rows, unit)
    units = queries.count_units(store) if for_people and view.counts else {}
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
    if for_people and cut:  # a stream is counted only once shown: counting builds its rows
        left_out = max(0, len(whole) - cut) if isinstance(whole, list) else sum(1 for _ in whole)
        if left_out:
            process.inform(
                f"dz: {left_out:,} more rows not shown; --limit N shows N, --limit 0 all of them, "
                "and --json, --format jsonl, csv or tsv every row"
            )


_OUTPUT_OPTIONS = list(inspect.signature(emit).parameters.values())[2:]

# What may follow --json as its fields: field names (dotted for nested ones), joined by commas.
_FIELD_LIST = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*(?:,[A-Za-z_][A-Za-z0-9_.]*)*,?")


def spell_out_json_fields(args: Sequence[str], view: View) -> list[str]:
    """`args` with gh's `--json a,b` (or `--json=a,b`) spelled out as `--json --json-fields
    a,b`, which click can parse. The word after `--json` is its fields only if it reads as a
    list of them: names joined by commas, or one field of the listing (`dz parks --json id`);
    any other stays an argument (`dz stats --json 2021`, `dz growth --json gdp`)."""
    out: list[str] = []
    at = 0
    while at < len(args):
        word = args[at]
        at += 1
        if word == "--":  # what follows is arguments, whatever it looks like
            out += args[at - 1 :]
            break
        if word.startswith("--json="):
            out += ["--json", "--json-fields", word.removeprefix("--json=")]
            continue
        out.append(word)
        if word == "--json" and at < len(args) and _names_fields(args[at], view):
            out += ["--json-fields", args[at]]
            at += 1
    return out


def _names_fields(word: str, view: View) -> bool:
    return _FIELD_LIST.fullmatch(word) is not None and (
        "," in word or word in fieldpaths.known_names(view.kind)
    )


Command = TypeVar("Command", bound=Callable[..., Any])


def keyword(
    name: str, annotation: Any, default: Any = inspect.Parameter.empty
) -> inspect.Parameter:
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
    )


def with_signature(command: Command, params: Sequence[inspect.Parameter]) -> Command:
    """`command`, which Typer sees taking `params` (it reads the signature and annotations)."""
    command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in params} | {"return": None}
    return command


def listing(
    view: View, *, units: bool = True, chart: bool = False
) -> Callable[[Callable[..., Query]], Callable[..., None]]:
    """Make a command that returns its query into one that runs it and renders the rows: Typer
    sees the command's own arguments and the output options, which go to `emit`."""
    shared = [
        option
        for option in _OUTPUT_OPTIONS
        if (option.name != "unit" or units) and (option.name != "chart" or chart)
    ]

    def decorate(command: Callable[..., Query]) -> Callable[..., None]:
        @functools.wraps(command)
        def run(**arguments: Any) -> None:
            output = {option.name: arguments.pop(option.name) for option in shared}
            emit(view, command(**arguments), **output)

        run.dz_view = view  # type: ignore[attr-defined]  # for spell_out_json_fields
        return with_signature(run, [*inspect.signature(command).parameters.values(), *shared])

    return decorate
