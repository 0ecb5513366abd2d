"""`dz export parquet`: one Parquet file per table, typed, for DuckDB, pandas, Polars, Spark.

Values are float64 (a stored integer too, exact up to 2**53), whole numbers int64, flags
booleans, every text a string; units and descriptions ride in each field's metadata. pyarrow
is optional: the extra `dz[parquet]` names it only for an install from this checkout (`dz` on
PyPI is another project).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from dzcli.export import ExportError, tabular
from dzcli.export.files import ProgressReport, Source, replacing, stream
from dzcli.export.tabular import BOOLEAN, INTEGER, NUMBER, Row, Table

INSTALL = "Parquet needs pyarrow: pip install pyarrow (in the Python that runs dz)"
ROW_GROUP = 50_000


def _pyarrow() -> tuple[Any, Any]:
    """pyarrow and pyarrow.parquet, or the refusal to go on without them."""
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise ExportError(INSTALL) from None
    return pyarrow, pyarrow.parquet


def write(source: Source, out: Path, *, force: bool, progress: ProgressReport) -> list[Path]:
    """Write the folder `out`: one TABLE.parquet per table."""
    pa, pq = _pyarrow()
    kinds = {NUMBER: pa.float64(), INTEGER: pa.int64(), BOOLEAN: pa.bool_()}
    tables = tabular.schema()
    with replacing(out, force=force, directory=True) as folder, contextlib.ExitStack() as opened:
        writers = {}
        for table in tables:
            fields = [
                pa.field(
                    column.name,
                    kinds.get(column.type, pa.string()),
                    nullable=column.name not in table.primary_key,
                    metadata={"description": column.description, **column.unit_properties()},
                )
                for column in table.columns
            ]
            schema = pa.schema(fields, metadata={"description": table.description})
            path = folder / f"{table.name}.parquet"
            writers[table.name] = opened.enter_context(pq.ParquetWriter(path, schema))

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
    pq = _pyarrow()[1]
    return tabular.assemble(
        tabular.schema(), lambda table: pq.read_table(folder / f"{table.name}.parquet").to_pylist()
    )
