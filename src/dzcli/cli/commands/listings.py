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
AreaOption = Annotated[
    Optional[str],  # noqa: UP045
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
        Optional[str],  # noqa: UP045
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


@listing(views.AREAS, units=False)
def areas(
    area: Annotated[
        Optional[str],  # noqa: UP045
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


@listing(views.COMPARE)
def compare(
    metric: Annotated[
        str,
        typer.Argument(
            help="Metric id or (part of) its name.", autocompletion=completion.complete_metric
        ),
    ],
    period: Annotated[
        Optional[str],  # noqa: UP045
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
