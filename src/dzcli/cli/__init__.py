"""The `dz` command line: parse options, ask the data layer, hand rows to the renderer.

Every error a user can cause becomes one `dz: error: …` line on stderr and a documented
exit code; see `run`.
"""

# No `from __future__ import annotations` here: Typer reads every command's annotations at each
# start-up, and evaluating them from strings doubles the time it takes to build the commands
# (about 5 ms a run; benchmarks/bench.py). Annotations here must be importable names.

import contextlib
import functools
import inspect
import io
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any, NoReturn, Optional

import typer
from typer.core import TyperGroup

from dzcli import __version__, queries
from dzcli.cli import completion, export_commands
from dzcli.model.errors import BadUsage, DzError
from dzcli.model.units import Unit
from dzcli.model.units import convert as convert_units
from dzcli.output import fieldpaths as fields_of
from dzcli.output import views
from dzcli.output.contract import OutputKind
from dzcli.output.fieldpaths import parse as parse_fields
from dzcli.output.render import Format, render
from dzcli.output.views import Lang, Listing, View
from dzcli.store import Store, open_store, resolve_store_path

EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug in dz, not something the user did
EXIT_INTERRUPTED = 130


def _fail(message: str, code: int) -> NoReturn:
    from dzcli.check import printable  # only on the way out: an error needs no speed

    # Messages quote what the user typed and what the store holds: keep them one inert line.
    sys.stderr.write(f"dz: {printable(message)}\n")
    sys.stderr.flush()
    sys.exit(code)


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so that Python's final flush of what could not be written
    does not add a second message (the way the Python docs advise for a broken pipe)."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _summary(error: Exception) -> str:
    text = f"{type(error).__name__}: {error}"
    return text if len(text) <= 200 else text[:199] + "…"


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
        except OSError as error:  # the store's own errors are StoreErrors: this is the output
            _quiet_stdout()
            _fail(f"error: cannot write output: {_reason(error)}", 1)
        except Exception as error:  # a bug: say so in one line unless asked for the traceback
            if self.debug:
                import traceback  # only for a bug: every run would pay for the import

                traceback.print_exc()  # the plain format: no local variables (they hold data)
                sys.exit(EXIT_INTERNAL)
            _fail(
                f"internal error: {_summary(error)}; rerun with --debug for details", EXIT_INTERNAL
            )
        if code == EXIT_INTERRUPTED:  # Typer's own handling of Ctrl-C inside a command
            _fail("interrupted", EXIT_INTERRUPTED)
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
UnitOption = Annotated[
    Optional[Unit],  # noqa: UP045
    typer.Option(
        "--unit",
        metavar="UNIT",
        # The choices are spelled out here: click pads by characters, not display width.
        help="Amounts in this scale of their own currency: 元, 万元, 亿元, 美元, 万美元 or 亿美元.",
    ),
]


def _emit(
    view: View,
    query: Callable[[Store], list[dict[str, Any]]],
    *,
    db: Path | None = None,
    fmt: Format | None = None,
    as_json: bool = False,
    lang: Lang | None = None,
    fields: str | None = None,
    no_color: bool = False,
    unit: Unit | None = None,
    chart: bool = False,
) -> None:
    """Ask `query` of the store and hand its rows, in the format asked for, to the renderer."""
    if as_json and fmt not in (None, Format.json):
        raise BadUsage(f"--json means --format json; it cannot be combined with --format {fmt}")
    output = Format.json if as_json else fmt or Format.table
    names = None if fields is None else parse_fields(fields)
    if names is not None and view.kind != "record":  # `dz show`'s fields depend on the record
        # A usage error is found before the store is read, so it is exit 2 whatever the store.
        fields_of.check(names, fields_of.shape(view.kind, []), view.kind)
    store = open_store(resolve_store_path(db))
    rows = query(store)
    if unit is not None:
        rows = convert_units(rows, unit)
    render(
        Listing(view, rows, _metric_names(store) if output in (Format.table, Format.md) else {}),
        output,
        lang or views.default_lang(),
        False if no_color else None,
        names=names,
        chart=chart,
    )


def _metric_names(store: Store) -> dict[str, tuple[str, str]]:
    """Names of the metrics rows refer to by id (a share's whole), for tables."""
    return {
        key: (str(m.get("name_zh") or key), str(m.get("name_en") or key))
        for key, m in store.by_id("metrics").items()
    }


Query = Callable[[Store], list[dict[str, Any]]]


def _output_options(
    *,
    db: DbOption = None,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
    lang: LangOption = None,
    unit: UnitOption = None,
    chart: ChartOption = False,
    no_color: NoColorOption = False,
) -> None:
    """Never called: its signature declares, once, the options every listing command shares."""


_OUTPUT_OPTIONS = inspect.signature(_output_options).parameters


def listing(
    view: View, *, units: bool = True, chart: bool = False
) -> Callable[[Callable[..., Query]], Callable[..., None]]:
    """Make a command that returns its query into one that runs it and renders the rows.

    The command declares only its own arguments; this adds the output options (--db, --format,
    --json, --fields, --lang, --no-color, and --unit and --chart where they apply) to what
    Typer sees, and hands them to `_emit`.
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
            _emit(view, command(**arguments), **output)

        run.__signature__ = inspect.Signature([*own, *shared])  # type: ignore[attr-defined]
        run.__annotations__ = {
            **{p.name: p.annotation for p in [*own, *shared]},
            "return": None,
        }
        return run

    return decorate


@app.command()
@listing(views.STATS)
def stats(
    period: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(
            help="YYYY, YYYY-QN or YYYY-MM/YYYY-MM.", autocompletion=completion.complete_period
        ),
    ] = None,
    metric: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            help="Metric id or (part of) its name.", autocompletion=completion.complete_metric
        ),
    ] = None,
    category: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            help="economy, fiscal, industry, trade, …",
            autocompletion=completion.complete_category,
        ),
    ] = None,
) -> Query:
    """Statistics of a year (with its quarters and month ranges) or of one period.

    \b
    Examples:
      dz stats 2021
      dz stats 2021 --format csv --fields metric,value,unit
      dz stats 2021 --category trade --unit 万元
    With no period: the latest year that has data.
    """
    return lambda s: queries.stats(s, period, metric, category)


@app.command()
@listing(views.GROWTH, chart=True)
def growth(
    metric: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(
            help="Metric id or (part of) its name.", autocompletion=completion.complete_metric
        ),
    ] = None,
) -> Query:
    """Year-over-year growth: reported rates and the values they imply (derived).

    \b
    Examples:
      dz growth --chart
      dz growth gdp --json
    A derived row carries its formula, e.g. value / (1 + yoy_pct / 100).
    """
    return lambda s: queries.growth_rows(s, metric)


@app.command()
@listing(views.TARGETS)
def targets(
    year: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(
            help="Only the targets for this year.", autocompletion=completion.complete_target_year
        ),
    ] = None,
) -> Query:
    """Targets beside the latest actual of the same metric, with the growth they require.

    \b
    Examples:
      dz targets
      dz targets 2022 --fields metric,value,unit,required_growth.value_pct
    """
    return lambda s: queries.targets(s, year)


@app.command()
@listing(views.PARKS)
def parks() -> Query:
    """Industrial parks, each parent before its sub-parks, with their figures.

    \b
    Examples:
      dz parks
      dz parks --format md --lang zh
    """
    return queries.parks


@app.command()
@listing(views.PROJECTS)
def projects(
    park: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            help="Park id or (part of) its name; includes sub-parks.",
            autocompletion=completion.complete_park,
        ),
    ] = None,
    status: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            help="signed, under_construction, existing, …",
            autocompletion=completion.complete_status,
        ),
    ] = None,
    industry: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            help="e.g. electronic_information or 电子信息.",
            autocompletion=completion.complete_industry,
        ),
    ] = None,
) -> Query:
    """Projects grouped by park; those whose park the report does not state come last.

    \b
    Examples:
      dz projects --park 高新产业园
      dz projects --status signed --format csv --fields id,name_zh,status
    """
    return lambda s: queries.projects(s, park, status, industry)


@app.command()
@listing(views.ENTERPRISES)
def enterprises() -> Query:
    """Companies and organisations the report names, with their role and figures.

    \b
    Examples:
      dz enterprises
      dz enterprises --format jsonl --fields id,name_zh,role
    """
    return queries.enterprises


@app.command()
@listing(views.EVENTS)
def events() -> Query:
    """Dated milestones, oldest first; undated ones last.

    \b
    Examples:
      dz events
      dz events --fields date,name_zh,name_en
    """
    return queries.events


@app.command()
@listing(views.RECORD, units=False)
def show(
    record_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="Any record's id.", autocompletion=completion.complete_record_id
        ),
    ],
) -> Query:
    """One record of any kind, whole, with its source quote.

    \b
    Examples:
      dz show gdp@2021
      dz show hi-tech-park --json
      dz show gdp@2021 --fields value,unit,source.quote
    """
    return lambda s: queries.show(s, record_id)


@app.command()
@listing(views.SEARCH, units=False)
def search(
    text: Annotated[str, typer.Argument(help="Chinese or English text to look for.")],
) -> Query:
    """Every record whose Chinese or English text contains TEXT.

    \b
    Examples:
      dz search 威讯
      dz search wafer --format tsv --fields id,field,text
    """
    return lambda s: queries.search(s, text)


@app.command()
def schema(
    kind: Annotated[
        Optional[OutputKind],  # noqa: UP045
        typer.Argument(
            metavar="KIND",
            help="stat, target, park, project, enterprise, event, record, match, metric or "
            "source; without it, the list of kinds.",
        ),
    ] = None,
) -> None:
    """The JSON Schema of one row of a record kind's JSON output (--json, --format jsonl).

    \b
    Examples:
      dz schema stat
      dz schema
    The printed schema stands alone: the definitions it shares with the other
    schemas (schemas/common.schema.json) are inlined under $defs.
    """
    from dzcli.output import contract
    from dzcli.output.render import print_json

    if kind is None:
        width = max(len(k) for k in contract.COMMANDS)
        for each, commands in contract.COMMANDS.items():
            typer.echo(f"{each:<{width}}  {commands}")
    else:
        print_json(contract.bundle(kind))


@app.command()
def check(
    db: DbOption = None,
    sources: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--sources",
            metavar="DIR",
            exists=True,
            file_okay=False,
            readable=False,
            help="Also find every quote in its source text: DIR/<the source's file>.",
        ),
    ] = None,
) -> None:
    """Audit a store: every problem on its own line, then a summary; exit 1 if any.

    \b
    Examples:
      dz check
      dz check --sources ../shared/sources
    Checks the shape of every record, units, ids and references, that every
    record and figure quotes its source (found in the text, with --sources),
    and the arithmetic: base values, shares, growth rates, exchange rates.
    """
    from dzcli import check as audit
    from dzcli.store import read_json

    report = audit.report(read_json(resolve_store_path(db)), sources)
    for problem in report.problems:
        typer.echo(problem.line())
    typer.echo(report.summary())
    if report.errors:
        raise typer.Exit(1)


export_commands.register(app)


def main() -> None:
    """The `dz` program: UTF-8 whatever the locale, quiet when its reader goes away."""
    _restart_in_utf8_mode()
    if hasattr(signal, "SIGPIPE"):
        # `dz … | head` closes the pipe early: stop at once and quietly, as cat and grep do,
        # rather than fail on the next write. dz opens no sockets, which this would also affect.
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    with _only_the_command_asked_for(sys.argv[1:]):
        app()


@contextlib.contextmanager
def _only_the_command_asked_for(args: Sequence[str]) -> Iterator[None]:
    """Let Typer build just the command named first on the line (`dz stats …`).

    Typer turns every command's signature into options before it runs any one of them, a
    quarter of dz's own start-up time (benchmarks/bench.py). When the first argument names a
    command, no other is needed; otherwise (`dz --help`, a typo, completion) all are built.
    """
    commands = app.registered_commands
    chosen = [
        info
        for info in commands
        if args and info.callback and (info.name or _command_name(info.callback)) == args[0]
    ]
    app.registered_commands = chosen or commands
    try:
        yield
    finally:
        app.registered_commands = commands


def _command_name(callback: Callable[..., Any]) -> str:
    return callback.__name__.lower().replace("_", "-")  # as Typer names a command


def _restart_in_utf8_mode() -> None:
    """Run again in Python's UTF-8 mode if the locale says otherwise (LC_ALL=C PYTHONUTF8=0).

    The store is UTF-8 and so is everything dz prints. In another encoding, Python would read
    `dz search 威讯` as undecodable bytes and find nothing, and could not print a Chinese
    table; UTF-8 mode reads arguments and paths as UTF-8 and writes UTF-8.
    """
    if sys.flags.utf8_mode or sys.getfilesystemencoding() == "utf-8":
        _write_utf8()  # PYTHONIOENCODING may still name another encoding for stdout
        return
    if os.environ.get("PYTHONUTF8") != "1" and sys.executable:
        os.environ["PYTHONUTF8"] = "1"  # also what stops a second restart
        with contextlib.suppress(OSError):  # then carry on as below
            os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])
    # No restart (or it failed): at least write UTF-8, never fail on a character.
    _write_utf8()


def _write_utf8() -> None:
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if isinstance(stream, io.TextIOWrapper) and encoding != "utf8":
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
