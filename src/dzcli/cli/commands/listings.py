"""The listing commands: one question each of the store, answered in any format."""

# No `from __future__ import annotations`: Typer reads these annotations at each start-up
# (see dzcli.cli.options).

from typing import Annotated, Optional

import typer

from dzcli import queries
from dzcli.cli import completion
from dzcli.cli.options import Query, listing
from dzcli.output import views

MetricOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        help="Metric id or (part of) its name.", autocompletion=completion.complete_metric
    ),
]
CategoryOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        help="economy, fiscal, industry, trade, …", autocompletion=completion.complete_category
    ),
]
ParkOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        help="Park id or (part of) its name; includes sub-parks.",
        autocompletion=completion.complete_park,
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
        Optional[str],  # noqa: UP045
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
) -> Query:
    """Statistics of a year (with its quarters and month ranges) or of one period.

    \b
    Examples:
      dz stats 2021
      dz stats 2021 --format csv --fields metric,value,unit
      dz stats 2021 --category trade --unit 万元
      dz stats --all --format csv --fields id,period,value
    With no period: the latest year that has data; with --all, every period.
    """
    return lambda s: queries.stats(s, period, metric, category, all_claims, every_period)


@listing(views.GROWTH, chart=True)
def growth(
    metric: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(
            help="Metric id or (part of) its name; a period (2021) is taken as --period.",
            autocompletion=completion.complete_metric,
        ),
    ] = None,
    period: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            help="Only this period: YYYY (with its quarters), YYYY-QN or YYYY-MM/YYYY-MM "
            "(2022Q1, 2022年一季度 too).",
            autocompletion=completion.complete_period,
        ),
    ] = None,
    all_claims: AllClaimsOption = False,
) -> Query:
    """Year-over-year growth: reported rates and the values they imply (derived).

    \b
    Examples:
      dz growth --chart
      dz growth gdp --json
      dz growth 2021
    A derived row carries its formula, e.g. value / (1 + yoy_pct / 100).
    """
    return lambda s: queries.each_growth_row(s, metric, all_claims, period=period)


@listing(views.TARGETS)
def targets(
    year: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(
            help="Only the targets for this year.", autocompletion=completion.complete_target_year
        ),
    ] = None,
    metric: MetricOption = None,
    category: CategoryOption = None,
) -> Query:
    """Targets beside the latest actual of the same metric, with the growth they require.

    \b
    Examples:
      dz targets
      dz targets 2022 --category capital_market
      dz targets 2022 --fields metric,value,unit,required_growth.value_pct
    With a year, open-ended aims (no year) are left out, and a footnote counts them.
    """
    return lambda s: queries.targets(s, year, metric, category)


@listing(views.PARKS)
def parks(
    park: Annotated[
        Optional[str],  # noqa: UP045
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


@listing(views.ENTERPRISES)
def enterprises(
    name: Annotated[
        Optional[str],  # noqa: UP045
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
