"""The unit each counted thing of a store is counted in (家 for firms, 个 for parks, 条 for
entries), by id, for tables that say how many members of a whole the report names (点名6家).

Read from the small tables only (metrics, and the figures of parks, projects, enterprises and
events), as the names tables show are: a stat is counted in its metric's unit.
"""

from __future__ import annotations

from dzcli.model.units import UNITS
from dzcli.read import Store

_WITH_FIGURES = ("parks", "projects", "enterprises", "events")


def count_units(store: Store) -> dict[str, str]:
    """The unit of every metric counted in items, by its id, and of every such figure, by
    `record_id#key`."""
    found = {
        metric_id: metric["unit"]
        for metric_id, metric in store.by_id("metrics").items()
        if _is_count(metric.get("unit"))
    }
    for table in _WITH_FIGURES:
        for record_id, record in store.by_id(table).items():
            for figure in record.get("figures") or []:
                if (
                    isinstance(figure, dict)
                    and isinstance(figure.get("key"), str)
                    and _is_count(figure.get("unit"))
                ):
                    found[f"{record_id}#{figure['key']}"] = figure["unit"]
    return found


def _is_count(unit: object) -> bool:
    return isinstance(unit, str) and unit in UNITS and UNITS[unit][0] == "count"
