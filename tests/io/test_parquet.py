"""Tests of skydc.io.parquet: the CSV copies of the run tables."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from skydc.io.parquet import write_csv

UTC_US = pa.timestamp("us", tz="UTC")


def _table() -> pa.Table:
    """Zoned times in two chunks (one null), a naive time, text that needs quoting, numbers."""
    t0 = int(datetime(2026, 6, 21, tzinfo=UTC).timestamp() * 1e6)
    times = pa.chunked_array([
        pa.array([t0, t0, t0 + 3_780_000_000], UTC_US),
        pa.array([None, t0 + 3_780_000_000, t0 + 1], UTC_US),
    ])  # fmt: skip
    n = len(times)
    return pa.table({
        "time_utc": times,
        "naive": pa.array([t0 // 1000 + k for k in range(n)], pa.timestamp("ms")),
        "shell": ["a,b", 'say "x"', "c", None, "d", "e"],
        "rtt_ms": [1.5, float("inf"), float("nan"), None, 2.0, -0.25],
        "hops": pa.array([1, 2, 3, 4, None, 6], pa.int64()),
    })  # fmt: skip


def test_csv_times_are_iso_8601_utc_read_back_by_the_python_csv_module(tmp_path: Path) -> None:
    """Independent reader: Python's csv module and datetime.fromisoformat (not Arrow)."""
    table = _table()
    path = tmp_path / "csv" / "t.csv"
    write_csv(path, table)
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == table.column_names
    want = table.column("time_utc").to_pylist()
    got = [datetime.fromisoformat(r[0]) if r[0] else None for r in rows[1:]]
    assert got == want  # same instants, to the microsecond, null as an empty cell
    assert rows[1][0] == "2026-06-21 00:00:00.000000Z"  # as Arrow's CSV writer writes them
    assert [p.name for p in path.parent.iterdir()] == ["t.csv"]  # no temporary file left


def test_csv_matches_arrows_own_writer_apart_from_quotes_on_times(tmp_path: Path) -> None:
    """The reference is pyarrow.csv.write_csv of the unchanged table: every other column is
    byte for byte the same, and a time cell differs only by the quotes around it."""
    table = _table()
    write_csv(tmp_path / "t.csv", table)
    ours = (tmp_path / "t.csv").read_text(encoding="utf-8").splitlines()
    buf = io.BytesIO()
    pacsv.write_csv(table, buf)
    ref = buf.getvalue().decode("utf-8").splitlines()
    assert ours[0] == ref[0] and len(ours) == len(ref)
    for mine, theirs in zip(ours[1:], ref[1:], strict=True):
        time_cell, rest = mine.split(",", 1)
        ref_time, ref_rest = theirs.split(",", 1)
        assert time_cell.strip('"') == ref_time and rest == ref_rest


def test_csv_of_a_table_without_zoned_times_is_arrows_output(tmp_path: Path) -> None:
    table = _table().drop_columns(["time_utc"])
    write_csv(tmp_path / "t.csv", table)
    buf = io.BytesIO()
    pacsv.write_csv(table, buf)
    assert (tmp_path / "t.csv").read_bytes() == buf.getvalue()
