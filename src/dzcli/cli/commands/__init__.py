"""Every `dz` command, in the order `dz --help` lists them.

Each module holds one family; none registers itself, so the order lives here, once.
"""

from collections.abc import Callable
from typing import Any

from dzcli.cli.commands import check, listings, narrative, records, schema

IN_HELP_ORDER: tuple[Callable[..., Any], ...] = (
    listings.stats,
    listings.growth,
    listings.targets,
    listings.compare,
    listings.areas,
    listings.parks,
    listings.projects,
    listings.enterprises,
    listings.events,
    narrative.people,
    narrative.statements,
    narrative.relations,
    records.show,
    records.search,
    schema.schema,
    check.check,
)
