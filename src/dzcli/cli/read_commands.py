"""The commands that read: listings (one question each of the store, in any format), `dz show`,
`dz search`, `dz schema` and `dz check`, defined in the order `dz --help` lists them."""

# No `from __future__ import annotations`: Typer reads these annotations at each start-up
# (see dzcli.cli.options).

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dzcli import queries
from dzcli.cli import completion
from dzcli.cli.options import DbOption, Query, listing
from dzcli.output import views
from dzcli.output.contract import OutputKind
from dzcli.read import resolve_store_path

if TYPE_CHECKING:
    from dzcli.check import Audit, Flood, Problem

MetricOption = Annotated[
    str | None,
    typer.Option(
        help="Metric id or (part of) its name.", autocompletion=completion.complete_metric
    ),
]
CategoryOption = Annotated[
    str | None,
    typer.Option(
        help="economy, fiscal, industry, trade, …", autocompletion=completion.complete_category
    ),
]
ParkOption = Annotated[
    str | None,
    typer.Option(
        help="Park id or (part of) its name; includes sub-parks.",
        autocompletion=completion.complete_park,
    ),
]
AreaOption = Annotated[
    str | None,
    typer.Option(
        help="Whose figures: an area's id, name or alias (全市 is the city), or all "
        "[default: the zone's].",
        autocompletion=completion.complete_area,
        show_default=False,
    ),
]
AllClaimsOption = Annotated[
    bool,
    typer.Option(
        "--all-claims",
        help="Every claim of each metric and period, with its rank (deprecated ones too); "
        "by default only the claim that answers.",
    ),
]


@listing(views.STATS)
def stats(
    period: Annotated[
        str | None,
        typer.Argument(
            help="YYYY, YYYY-QN or YYYY-MM/YYYY-MM; also as typed: 2022Q1, 2022年一季度, "
            "2021年1-11月.",
            autocompletion=completion.complete_period,
        ),
    ] = None,
    metric: MetricOption = None,
    category: CategoryOption = None,
    all_claims: AllClaimsOption = False,
    every_period: Annotated[
        bool, typer.Option("--all", help="Every period at once, oldest first (no PERIOD).")
    ] = False,
    area: AreaOption = None,
) -> Query:
    """Statistics of a year (with its quarters and month ranges) or of one period.

    \b
    Examples:
      dz stats 2021
      dz stats 2021 --format csv --fields metric,value,unit
      dz stats 2021 --category trade --unit 万元
      dz stats --all --format csv --fields id,period,value
      dz stats 2021 --area all
    With no period: the latest year that has data; with --all, every period. The
    zone's figures, unless --area names another area (or all).
    """
    return lambda s: queries.stats(s, period, metric, category, all_claims, every_period, area)


@listing(views.GROWTH, chart=True)
def growth(
    metric: Annotated[
        str | None,
        typer.Argument(
            help="Metric id or (part of) its name; a period (2021) is taken as --period.",
            autocompletion=completion.complete_metric,
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            help="Only this period: YYYY (with its quarters), YYYY-QN or YYYY-MM/YYYY-MM "
            "(2022Q1, 2022年一季度 too).",
            autocompletion=completion.complete_period,
        ),
    ] = None,
    all_claims: AllClaimsOption = False,
    area: AreaOption = None,
) -> Query:
    """Year-over-year growth: reported rates and the values they imply (derived).

    \b
    Examples:
      dz growth --chart
      dz growth gdp --json
      dz growth 2021
      dz growth gdp --area 德州市
    A derived row carries its formula, e.g. value / (1 + yoy_pct / 100). A rate is
    computed only from two periods of one area.
    """
    return lambda s: queries.each_growth_row(s, metric, all_claims, period, area)


@listing(views.TARGETS)
def targets(
    year: Annotated[
        str | None,
        typer.Argument(
            help="Only the targets for this year.", autocompletion=completion.complete_target_year
        ),
    ] = None,
    metric: MetricOption = None,
    category: CategoryOption = None,
    area: AreaOption = None,
) -> Query:
    """Targets beside the latest actual of the same metric, with the growth they require.

    \b
    Examples:
      dz targets
      dz targets 2022 --category capital_market
      dz targets 2022 --fields metric,value,unit,required_growth.value_pct
    With a year, open-ended aims (no year) are left out, and a footnote counts them.
    """
    return lambda s: queries.targets(s, year, metric, category, area)


@listing(views.COMPARE)
def compare(
    metric: Annotated[
        str,
        typer.Argument(
            help="Metric id or (part of) its name.", autocompletion=completion.complete_metric
        ),
    ],
    period: Annotated[
        str | None,
        typer.Argument(
            help="Only this period (a year keeps its quarters).",
            autocompletion=completion.complete_period,
        ),
    ] = None,
) -> Query:
    """A metric across areas, side by side for each period, with each area's share of its
    parent's (derived).

    \b
    Examples:
      dz compare gdp 2021
      dz compare gdp --json
    An area's share is derived where its parent area has a value in the same unit; where
    one of the two has none, the row says which.
    """
    return lambda s: queries.compare(s, metric, period)


@listing(views.AREAS, units=False)
def areas(
    area: Annotated[
        str | None,
        typer.Argument(
            help="Only this area (id, name, alias or part of one) and the areas within it.",
            autocompletion=completion.complete_area,
        ),
    ] = None,
) -> Query:
    """The places the store holds figures of, each within the area it lies in, with how many.

    \b
    Examples:
      dz areas
      dz areas 德州市 --json
    The zone is the default of every command; `--area` names another area, or all.
    """
    return lambda s: queries.areas(s, area)


@listing(views.PARKS)
def parks(
    park: Annotated[
        str | None,
        typer.Argument(
            help="Only this park (id, name, alias or part of one) and its sub-parks.",
            autocompletion=completion.complete_park,
        ),
    ] = None,
) -> Query:
    """Industrial parks, each parent before its sub-parks, with their figures.

    \b
    Examples:
      dz parks
      dz parks 京津冀
      dz parks --format md --lang zh
    """
    return lambda s: queries.parks(s, park)


@listing(views.PROJECTS)
def projects(
    park: ParkOption = None,
    status: Annotated[
        str | None,
        typer.Option(
            help="signed, under_construction, existing, …",
            autocompletion=completion.complete_status,
        ),
    ] = None,
    industry: Annotated[
        str | None,
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


@listing(views.ENTERPRISES)
def enterprises(
    name: Annotated[
        str | None,
        typer.Argument(help="Only those with this id, name or alias (or part of one)."),
    ] = None,
    park: ParkOption = None,
) -> Query:
    """Companies and organisations the report names, with their park, role and figures.

    \b
    Examples:
      dz enterprises
      dz enterprises 威讯
      dz enterprises --park 京津冀
      dz enterprises --format jsonl --fields id,name_zh,role
    """
    return lambda s: queries.enterprises(s, name, park)


@listing(views.EVENTS)
def events() -> Query:
    """Dated milestones, oldest first; undated ones last.

    \b
    Examples:
      dz events
      dz events --fields date,name_zh,name_en
    """
    return queries.events


@listing(views.PEOPLE, units=False)
def people() -> Query:
    """People the report names or quotes, with their roles and whom they speak for.

    \b
    Examples:
      dz people
      dz people --lang zh --format md
    """
    return queries.people


@listing(views.STATEMENTS, units=False)
def statements(
    topic: Annotated[
        str | None,
        typer.Option(help="aim, model, method, measure, positioning, plan, status or caption."),
    ] = None,
) -> Query:
    """What the report says in words: aims, models, methods, measures, plans, captions.

    \b
    Examples:
      dz statements
      dz statements --topic plan --json
    Plans live here, not among the dated events.
    """
    return lambda s: queries.statements(s, topic)


@listing(views.RELATIONS, units=False)
def relations() -> Query:
    """Parts of wholes, and the members the report names of a counted whole.

    \b
    Examples:
      dz relations
      dz relations --json
    """
    return queries.relations


@listing(views.RECORD, units=False)
def show(
    names: Annotated[
        list[str],
        typer.Argument(
            metavar="NAME...",
            help="Ids (derived ones too, as dz growth prints them), names or aliases, or parts.",
            autocompletion=completion.complete_record_id,
        ),
    ],
) -> Query:
    """Records of any kind, whole, with their source quotes.

    \b
    Examples:
      dz show gdp@2021
      dz show 威讯联合半导体 高新产业园
      dz show hi-tech-park --json
      dz show gdp@2021 --fields value,unit,source.quote
    A part of a name that several records share shows each of them.
    """
    return lambda s: queries.show(s, names)


@listing(views.SEARCH, units=False)
def search(
    text: Annotated[str, typer.Argument(help="Chinese or English words to look for.")],
    within: Annotated[
        str | None,
        typer.Option(
            "--in",
            metavar="names|notes|quotes",
            help="Look only in names and aliases, in notes and roles, or in source quotes.",
        ),
    ] = None,
) -> Query:
    """Records with every word of TEXT, in any order, anywhere in them; best matches first.

    \b
    Examples:
      dz search 威讯
      dz search "innovation fund"
      dz search 有研 --in names
      dz search wafer --format tsv --fields id,field,text
    A match in a name comes before one in a note or role, and that before one only in a
    quote (last, a quote other records share too). The field that matched is shown.
    """
    return lambda s: queries.search(s, text, within)


def schema(
    kind: Annotated[
        OutputKind | None,
        typer.Argument(
            metavar="KIND",
            help="stat, target, park, project, enterprise, event, record, match, metric, "
            "source or check; without it, the list of kinds.",
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


def check(
    db: DbOption = None,
    sources: Annotated[
        Path | None,
        typer.Option(
            "--sources",
            metavar="DIR",
            exists=True,
            file_okay=False,
            readable=False,
            help="Find every quote in its source text: DIR/<the source's file> "
            "[default: the sources folder beside the store].",
        ),
    ] = None,
    every: Annotated[
        bool,
        typer.Option("--all", help="Print every problem, not only the first 100 each rule finds."),
    ] = False,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json", help="The problems and the summary as one JSON object (dz schema check)."
        ),
    ] = False,
) -> None:
    """Audit a store: every problem on its own line, then a summary; exit 1 if any.

    \b
    Examples:
      dz check
      dz check --sources ../shared/sources
      dz check --json | jq .summary
    Checks the shape of every record, units, ids and references, that every
    record and figure quotes its source (found in the text, with --sources),
    the arithmetic (base values, shares, growth rates, exchange rates), and that
    values, dates and names are plausible and consistent (docs/checks.md).
    A rule that finds more than 100 problems prints the first 100, then how
    many more it found (--all prints them all).
    """
    from dzcli import check as audit
    from dzcli import locations

    path = resolve_store_path(db)
    if sources is None and locations.sources_dir(path).is_dir():
        sources = locations.sources_dir(path)  # the texts shipped or registered with the store
    run = audit.open_file(path, sources)
    flood = audit.Flood(None if every else audit.SHOWN_PER_RULE)
    # Printed as found: a million problems are never held.
    admitted = (problem for problem in run.problems() if flood.admit(problem))
    if as_json:
        from dzcli.output.render import print_json_object

        print_json_object(_as_json(admitted, flood, run))
    else:
        for problem in admitted:
            typer.echo(problem.line())
        for line in flood.left_out():
            typer.echo(line)
        typer.echo(run.summary(flood.errors, flood.warnings))
    if flood.errors:
        raise typer.Exit(1)


def _as_json(
    admitted: "Iterator[Problem]", flood: "Flood", run: "Audit"
) -> Iterator[tuple[str, object]]:
    """The members of `dz check --json` (schemas/check.schema.json), each made once the ones
    before it are written: the counts only once every problem is."""
    yield "problems", (problem.as_json() for problem in admitted)
    left_out = flood.counts_left_out()
    yield "not_shown", [{"rule": rule, "count": count} for rule, count in left_out.items()]
    yield "summary", run.summary_fields(flood.errors, flood.warnings)


IN_HELP_ORDER = (
    stats,
    growth,
    targets,
    compare,
    areas,
    parks,
    projects,
    enterprises,
    events,
    people,
    statements,
    relations,
    show,
    search,
    schema,
    check,
)
"""Every command that reads, in the order `dz --help` lists them."""
