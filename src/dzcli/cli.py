"""The `dz` command line: parse options, ask the data layer, hand rows to the renderer.

Every error a user can cause becomes one `dz: error: …` line on stderr and a documented
exit code; see `run`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, NoReturn, Optional

import typer
from typer.core import TyperGroup

from dzcli import __version__, queries, views
from dzcli.errors import DzError
from dzcli.render import Format, render
from dzcli.store import Store, open_store, resolve_store_path
from dzcli.views import Lang, Listing, View

EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug in dz, not something the user did
EXIT_INTERRUPTED = 130


def _fail(message: str, code: int) -> NoReturn:
    sys.stderr.write(f"dz: {message}\n")
    sys.stderr.flush()
    sys.exit(code)


class DzGroup(TyperGroup):
    """Runs a command and turns every failure into one line on stderr and an exit code."""

    debug = False

    def main(  # type: ignore[override]
        self, args: Sequence[str] | None = None, prog_name: str | None = None, **extra: Any
    ) -> NoReturn:
        try:
            code = super().main(
                args=args, prog_name=prog_name or "dz", standalone_mode=False, **extra
            )
        except DzError as error:
            _fail(f"error: {error}", error.exit_code)
        except typer.TyperException as error:  # Typer's usage errors: bad option, missing argument
            _fail(f"error: {error.format_message()}", error.exit_code)
        except (typer.Abort, KeyboardInterrupt):
            _fail("interrupted", EXIT_INTERRUPTED)
        except Exception as error:  # a bug: say so in one line unless asked for the traceback
            if self.debug:
                raise
            _fail(f"internal error: {error!r}; rerun with --debug for details", EXIT_INTERNAL)
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    cls=DzGroup,
    name="dz",
    help="Facts and figures of the Dezhou Economic and Technological Development Zone "
    "(德州经济技术开发区), each with the words of the report it comes from.",
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dz {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show a traceback for internal errors.")
    ] = False,
) -> None:
    if debug and isinstance(ctx.command, DzGroup):
        ctx.command.debug = True
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())


DbOption = Annotated[
    Optional[Path],  # noqa: UP045 - Typer 0.28 reads the annotation at run time
    typer.Option(
        "--db", metavar="PATH", help="Read this store instead of the built-in one (or set DZ_DB)."
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Shorthand for --format json.")]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
LangOption = Annotated[
    Optional[Lang],  # noqa: UP045
    typer.Option("--lang", help="Language of names and headings [default: from LC_ALL/LANG]."),
]


def _emit(
    view: View,
    query: Callable[[Store], list[dict[str, Any]]],
    db: Path | None,
    fmt: Format,
    as_json: bool,
    lang: Lang | None,
) -> None:
    store = open_store(resolve_store_path(db))
    rows = query(store)
    render(Listing(view, rows), Format.json if as_json else fmt, lang or views.default_lang())


@app.command()
def stats(
    period: Annotated[
        str | None, typer.Argument(help="YYYY, YYYY-QN or YYYY-MM/YYYY-MM.")
    ] = None,
    metric: Annotated[Optional[str], typer.Option(help="Metric id or (part of) its name.")] = None,  # noqa: UP045
    category: Annotated[
        str | None, typer.Option(help="economy, fiscal, industry, trade, …")
    ] = None,
    db: DbOption = None,
    fmt: FormatOption = Format.table,
    as_json: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Statistics of a year (with its quarters and month ranges) or of one period.

    \b
    Examples:
      dz stats 2021
      dz stats 2022 --json
      dz stats 2021 --category trade
    With no period: the latest year that has data.
    """
    _emit(views.STATS, lambda s: queries.stats(s, period, metric, category), db, fmt, as_json, lang)


@app.command()
def growth(
    metric: Annotated[
        str | None, typer.Argument(help="Metric id or (part of) its name.")
    ] = None,
    db: DbOption = None,
    fmt: FormatOption = Format.table,
    as_json: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Year-over-year growth: reported rates and the values they imply (derived).

    \b
    Examples:
      dz growth
      dz growth gdp --json
    A derived row carries its formula, e.g. value / (1 + yoy_pct / 100).
    """
    _emit(views.GROWTH, lambda s: queries.growth_rows(s, metric), db, fmt, as_json, lang)


@app.command()
def targets(
    year: Annotated[Optional[str], typer.Argument(help="Only the targets for this year.")] = None,  # noqa: UP045
    db: DbOption = None,
    fmt: FormatOption = Format.table,
    as_json: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Targets beside the latest actual of the same metric, with the growth they require.

    \b
    Examples:
      dz targets
      dz targets 2022 --json
    """
    _emit(views.TARGETS, lambda s: queries.targets(s, year), db, fmt, as_json, lang)


@app.command()
def parks(
    db: DbOption = None,
    fmt: FormatOption = Format.table,
    as_json: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Industrial parks, each parent before its sub-parks, with their figures.

    \b
    Examples:
      dz parks
      dz parks --json
    """
    _emit(views.PARKS, queries.parks, db, fmt, as_json, lang)


@app.command()
def projects(
    park: Annotated[
        str | None, typer.Option(help="Park id or (part of) its name; includes sub-parks.")
    ] = None,
    status: Annotated[
        str | None, typer.Option(help="signed, under_construction, existing, …")
    ] = None,
    industry: Annotated[
        str | None, typer.Option(help="e.g. electronic_information or 电子信息.")
    ] = None,
    db: DbOption = None,
    fmt: FormatOption = Format.table,
    as_json: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Projects grouped by park; those whose park the report does not state come last.

    \b
    Examples:
      dz projects --park 高新产业园
      dz projects --status signed --json
    """
    _emit(
        views.PROJECTS,
        lambda s: queries.projects(s, park, status, industry),
        db,
        fmt,
        as_json,
        lang,
    )


@app.command()
def enterprises(
    db: DbOption = None,
    fmt: FormatOption = Format.table,
    as_json: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Companies and organisations the report names, with their role and figures.

    \b
    Examples:
      dz enterprises
      dz enterprises --json
    """
    _emit(views.ENTERPRISES, queries.enterprises, db, fmt, as_json, lang)


@app.command()
def events(
    db: DbOption = None,
    fmt: FormatOption = Format.table,
    as_json: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Dated milestones, oldest first; undated ones last.

    \b
    Examples:
      dz events
      dz events --json
    """
    _emit(views.EVENTS, queries.events, db, fmt, as_json, lang)


@app.command()
def show(
    record_id: Annotated[str, typer.Argument(metavar="ID", help="Any record's id.")],
    db: DbOption = None,
    fmt: FormatOption = Format.table,
    as_json: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """One record of any kind, whole, with its source quote.

    \b
    Examples:
      dz show gdp@2021
      dz show hi-tech-park --json
    """
    if fmt is Format.table and not as_json:
        _emit(
            views.RECORD, lambda s: _fields(queries.show(s, record_id)[0]), db, fmt, as_json, lang
        )
    else:
        _emit(views.RECORD, lambda s: queries.show(s, record_id), db, fmt, as_json, lang)


def _fields(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"field": key, "value": value} for key, value in record.items()]


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="Chinese or English text to look for.")],
    db: DbOption = None,
    fmt: FormatOption = Format.table,
    as_json: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Every record whose Chinese or English text contains TEXT.

    \b
    Examples:
      dz search 威讯
      dz search wafer --json
    """
    _emit(views.SEARCH, lambda s: queries.search(s, text), db, fmt, as_json, lang)


def main() -> None:
    app()
