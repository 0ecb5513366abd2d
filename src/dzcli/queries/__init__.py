"""Questions asked of a store, one module per family; each returns rows (dicts, or for a listing
as big as the store, rows of JSON one at a time). No formatting here."""

from dzcli.queries.areas import areas, compare
from dzcli.queries.common import Answer, resolve_metric
from dzcli.queries.counted import count_units
from dzcli.queries.growth import each_growth_row, growth_rows
from dzcli.queries.parks import enterprises, parks, projects
from dzcli.queries.records import events, names, people, relations, show, statements
from dzcli.queries.search import SEARCH_IN, search
from dzcli.queries.statistics import stat_periods, stats
from dzcli.queries.targets import targets

__all__ = [
    "SEARCH_IN",
    "Answer",
    "areas",
    "compare",
    "count_units",
    "each_growth_row",
    "enterprises",
    "events",
    "growth_rows",
    "names",
    "parks",
    "people",
    "projects",
    "relations",
    "resolve_metric",
    "search",
    "show",
    "stat_periods",
    "statements",
    "stats",
    "targets",
]
