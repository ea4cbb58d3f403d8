"""Parquet output with pyarrow: whole tables, or streamed row groups for large exports."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from skydc.io.atomic import atomic_path


def write_table(path: Path, table: pa.Table) -> None:
    """Write one table as Parquet (zstd), atomically."""
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp, compression="zstd")


def write_csv(path: Path, table: pa.Table) -> None:
    """Write one table as CSV (header row, ISO 8601 times, empty cells for nulls), atomically:
    for spreadsheets and tools that do not read Parquet."""
    with atomic_path(path) as tmp:
        pacsv.write_csv(table, tmp)


@contextlib.contextmanager
def stream_table(path: Path, schema: pa.Schema) -> Iterator[pq.ParquetWriter]:
    """A Parquet writer for row groups written chunk by chunk; the file appears on success only."""
    with atomic_path(path) as tmp:
        writer = pq.ParquetWriter(tmp, schema, compression="zstd")
        try:
            yield writer
        finally:
            writer.close()


def read_table(path: Path) -> pa.Table:
    """Read a Parquet file written by skydc."""
    return pq.read_table(path)
