"""`dz export parquet`: one Parquet file per table, typed, for DuckDB, pandas, Polars, Spark.

The tables are `tabular`'s, as in SQLite and the data package: values are float64 (a stored
integer too, exactly up to 2**53), whole numbers int64, flags booleans, and periods, ids and
every other text strings. Units and descriptions ride in each field's Parquet metadata
(`dz:unit`, `dz:unitField`, `description`). pyarrow is optional: `pip install pyarrow` (the
extra `dz[parquet]` names it too, but only for an install from this checkout: `dz` on PyPI is
another project).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dzcli.export import ExportError, tabular
from dzcli.export.files import Source, replacing, stream
from dzcli.export.tabular import BOOLEAN, INTEGER, NUMBER, Row, Table

if TYPE_CHECKING:
    import pyarrow

INSTALL = "Parquet needs pyarrow: pip install pyarrow (in the Python that runs dz)"
ROW_GROUP = 50_000


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise ExportError(INSTALL) from None
    return pyarrow


def arrow_schema(table: Table) -> pyarrow.Schema:
    pa = _pyarrow()
    kinds = {NUMBER: pa.float64(), INTEGER: pa.int64(), BOOLEAN: pa.bool_()}
    fields = [
        pa.field(
            column.name,
            kinds.get(column.type, pa.string()),
            nullable=column.name not in table.primary_key,
            metadata={"description": column.description, **column.unit_properties()},
        )
        for column in table.columns
    ]
    return pa.schema(fields, metadata={"description": table.description})


def write(
    source: Source, out: Path, *, force: bool, progress: Callable[[str, int], None]
) -> list[Path]:
    """Write the folder `out`: one TABLE.parquet per table."""
    pa = _pyarrow()
    import pyarrow.parquet as pq

    tables = tabular.schema()
    with replacing(out, force=force, directory=True) as folder, contextlib.ExitStack() as opened:
        writers = {
            table.name: opened.enter_context(
                pq.ParquetWriter(folder / f"{table.name}.parquet", arrow_schema(table))
            )
            for table in tables
        }

        def write_rows(table: Table, rows: list[Row]) -> None:
            writer = writers[table.name]
            columns = list(zip(*rows, strict=True))
            try:
                batch = pa.record_batch(columns, schema=writer.schema)
            except pa.ArrowInvalid:  # an integer a double cannot hold exactly: as a float
                floats = [
                    [_number(v) for v in column] if c.type == NUMBER else column
                    for c, column in zip(table.columns, columns, strict=True)
                ]
                try:
                    batch = pa.record_batch(floats, schema=writer.schema)
                except (pa.ArrowInvalid, OverflowError) as error:
                    raise ExportError(f"{table.name}: {error}") from None
            writer.write_batch(batch, row_group_size=ROW_GROUP)

        stream(source, tables, write_rows, progress)
    return [out]


def _number(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:
            raise ExportError(f"{value} is too large for a Parquet double") from None
    return value


def read(folder: Path) -> dict[str, dict[str, Any]]:
    """The store a Parquet export holds (numbers come back as floats)."""
    _pyarrow()
    import pyarrow.parquet as pq

    def rows(table: Table) -> Iterator[Mapping[str, Any]]:
        yield from pq.read_table(folder / f"{table.name}.parquet").to_pylist()

    return tabular.assemble(tabular.schema(), rows)
