"""The trade-study results store: rows round-trip with their types, a point is stored once, the
key is a stable content hash, a killed run loses nothing and resumes without recomputing, an
interrupted write leaves no partial file, and DuckDB queries the points."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from skydc._version import __version__
from skydc.studies.store import (
    WHY,
    ResultsStore,
    StoreSummary,
    point_key,
    query,
)

STAGES = ["constellation", "cost"]
KEEP = ["cost.lcoc_usd_per_kwh", "power.array_kw"]
VARIED = ["economics.launch_usd_per_kg", "constellation.satellites", "orbit.kind", "power.tracking"]
MANIFEST: dict[str, Any] = {
    "name": "launch-price",
    "design": {"kind": "grid", "values": {"economics.launch_usd_per_kg": [100, 500, 1500]}},
    "varied": VARIED,
    "stages": STAGES,
    "keep": KEEP,
}
SCENARIO: dict[str, Any] = {
    "name": "base",
    "economics": {"launch_usd_per_kg": 1500.0, "discount_rate": 0.07, "years": 10},
    "constellation": {"satellites": 24, "shells": [{"altitude_km": 550.0, "planes": 6}]},
    "orbit": {"kind": "sso", "epoch": "2025-01-01T00:00:00Z"},
    "power": {"tracking": True, "margin": None, "eclipse_s": float("nan")},
    "limits": {"max": float("inf"), "min": float("-inf")},
}
WAIT_S = 120.0  # a deadline against hanging, never a timing assertion


def _store(tmp_path: Path, name: str = "study") -> ResultsStore:
    return ResultsStore(tmp_path / name).open(MANIFEST)


def _row(i: int, **extra: Any) -> dict[str, Any]:
    scenario = {**SCENARIO, "economics": {**SCENARIO["economics"], "launch_usd_per_kg": i}}
    row: dict[str, Any] = {
        "key": point_key(scenario, STAGES, KEEP),
        "index": i,
        "economics.launch_usd_per_kg": 100.0 * i,
        "constellation.satellites": 10 + i,
        "orbit.kind": "sso" if i % 2 else "walker",
        "power.tracking": i % 2 == 0,
        "cost.lcoc_usd_per_kwh": 0.5 + i,
        "power.array_kw": 12.0 * i,
        "wall_s": 0.25,
    }
    row.update(extra)
    return row


def _parts(store: ResultsStore) -> list[Path]:
    return sorted(store.points_dir.glob("part-*.parquet"))


def _tmps(store: ResultsStore) -> list[Path]:
    return sorted(store.points_dir.glob("*.tmp")) + sorted(store.path.glob("*.tmp"))


# ---- round trip -----------------------------------------------------------------------------


def test_round_trip_keeps_types_and_why_text(tmp_path: Path) -> None:
    store = _store(tmp_path)
    why = "not counted: the array never sees the Sun in this orbit"
    for i in (2, 0, 1):  # written out of order: read back by index
        store.write(_row(i, **({"power.array_kw": why} if i == 1 else {})))
    store.write(_row(3, status="error", error="ScenarioError: shells[0].altitude_km: too low"))

    table = store.table()
    schema = table.schema
    assert schema.field("key").type == pa.string()
    assert schema.field("index").type == pa.int64()
    assert schema.field("economics.launch_usd_per_kg").type == pa.float64()
    assert schema.field("constellation.satellites").type == pa.int64()
    assert schema.field("orbit.kind").type == pa.string()
    assert schema.field("power.tracking").type == pa.bool_()
    for metric in KEEP:
        assert schema.field(metric).type == pa.float64()  # numeric stays numeric
        assert schema.field(metric + WHY).type == pa.string()
    assert schema.field("finished_utc").type == pa.timestamp("us", tz="UTC")

    rows = table.to_pylist()
    assert [r["index"] for r in rows] == [0, 1, 2, 3]
    r0, r1, r2, r3 = rows
    assert r2["key"] == _row(2)["key"]
    assert r2["economics.launch_usd_per_kg"] == 200.0
    assert r2["constellation.satellites"] == 12
    assert r2["orbit.kind"] == "walker"
    assert r2["power.tracking"] is True
    assert r2["cost.lcoc_usd_per_kwh"] == 2.5
    assert r2["power.array_kw"] == 24.0
    assert r2["power.array_kw#why"] is None
    assert (r2["status"], r2["error"], r2["wall_s"]) == ("ok", "", 0.25)
    assert r2["finished_utc"] is not None
    assert math.isnan(r1["power.array_kw"])
    assert r1["power.array_kw#why"] == why
    assert r1["cost.lcoc_usd_per_kwh"] == 1.5
    assert r3["status"] == "error"
    assert r3["error"].startswith("ScenarioError")
    assert r0["power.tracking"] is True and r1["power.tracking"] is False


def test_status_defaults_and_row_checks(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.write({"key": "a" * 64, "index": 0, "error": "boom"})  # an error with no outputs
    row = store.table().to_pylist()[0]
    assert row["status"] == "error"
    assert row["cost.lcoc_usd_per_kwh"] is None
    with pytest.raises(ValueError, match="status"):
        store.write({"key": "b" * 64, "index": 1, "status": "maybe"})
    with pytest.raises(ValueError, match="key"):
        store.write({"key": "../escape", "index": 1})
    with pytest.raises(ValueError, match="index"):
        store.write({"key": "c" * 64, "index": "1"})
    assert [p.name for p in _parts(store)] == [f"part-{'a' * 64}.parquet"]


def test_duplicate_writes_of_a_key_give_one_row(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.write(_row(0))
    store.write(_row(1, status="error", error="first try failed"))
    store.write(_row(1))  # written again (retried): replaces the row
    table = store.table()
    assert table.num_rows == 2
    assert table.column("status").to_pylist() == ["ok", "ok"]

    # the same key in the compacted file and in a part (a compaction under way): one row, the
    # part's
    store.compact()
    store.write(_row(1, **{"cost.lcoc_usd_per_kwh": 99.0}))
    assert len(_parts(store)) == 1 and store.compacted_path.is_file()
    table = store.table()
    assert table.num_rows == 2
    assert len(set(table.column("key").to_pylist())) == 2
    assert table.column("cost.lcoc_usd_per_kwh").to_pylist() == [0.5, 99.0]
    count = query(store.path, 'SELECT count(*) AS n, max("cost.lcoc_usd_per_kwh") AS m FROM points')
    assert count.to_pylist() == [{"n": 2, "m": 99.0}]


def test_schema_evolution_reads_every_point(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.write(_row(0))
    store.write(_row(1, **{"cost.payback_years": 7.5}))  # a later point: an extra output
    store.write(_row(2, **{"cost.payback_years": "never: the revenue is below the cost"}))
    # a point written by an older writer: no power.array_kw columns, satellites as a float
    old = _row(3)
    old_table = pa.table(
        {
            "key": [old["key"]],
            "index": pa.array([3], pa.int64()),
            "constellation.satellites": [13.5],
            "cost.lcoc_usd_per_kwh": [3.5],
            "status": ["ok"],
            "error": [""],
        }
    )
    pq.write_table(old_table, store.part_path(old["key"]))

    table = store.table()
    assert table.num_rows == 4
    assert table.schema.field("constellation.satellites").type == pa.float64()  # ints widened
    rows = table.to_pylist()
    assert [r["cost.payback_years"] for r in rows[:2]] == [None, 7.5]
    assert math.isnan(rows[2]["cost.payback_years"])
    assert rows[2]["cost.payback_years#why"].startswith("never")
    assert rows[3]["power.array_kw"] is None and rows[3]["constellation.satellites"] == 13.5
    result = query(store.path, 'SELECT count("cost.payback_years") AS n FROM points')
    assert result.to_pylist() == [{"n": 2}]


def test_a_column_mixing_text_and_numbers_still_reads(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.write(_row(0, **{"orbit.kind": 3}))
    store.write(_row(1, **{"orbit.kind": "sso"}))
    assert store.table().column("orbit.kind").to_pylist() == ["3", "sso"]


# ---- point keys -------------------------------------------------------------------------------


_KEY_SCRIPT = """
import json, sys
from skydc.studies.store import point_key
scenario, stages, keep = json.loads(sys.stdin.read())
print(point_key(scenario, stages, keep))
"""


def test_point_key_is_stable_across_interpreters_and_dict_orders() -> None:
    key = point_key(SCENARIO, STAGES, KEEP)
    assert len(key) == 64 and int(key, 16) >= 0
    reordered = json.loads(json.dumps(SCENARIO), object_pairs_hook=lambda p: dict(reversed(p)))
    assert list(reordered) != list(SCENARIO)
    assert point_key(reordered, list(reversed(STAGES)), list(reversed(KEEP))) == key
    payload = json.dumps([SCENARIO, STAGES, KEEP])  # NaN / Infinity tokens: Python reads them
    for seed in ("0", "12345"):
        out = subprocess.run(
            [sys.executable, "-c", _KEY_SCRIPT],
            input=payload,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            timeout=WAIT_S,
        )
        assert out.stdout.strip() == key


def _changed(path: tuple[str, ...], value: Any) -> dict[str, Any]:
    scenario = json.loads(json.dumps(SCENARIO))
    node = scenario
    for part in path[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    node[path[-1] if isinstance(node, dict) else int(path[-1])] = value
    return scenario


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("economics", "launch_usd_per_kg"), 1500.0000000000002),  # one ulp
        (("economics", "years"), 10.0),  # int vs float
        (("constellation", "shells", "0", "planes"), 7),
        (("orbit", "kind"), "walker"),
        (("power", "tracking"), False),
        (("power", "margin"), 0),
        (("power", "eclipse_s"), float("inf")),
        (("limits", "max"), float("nan")),
        (("name",), "other"),
    ],
)
def test_point_key_differs_when_a_value_differs(path: tuple[str, ...], value: Any) -> None:
    assert point_key(_changed(path, value), STAGES, KEEP) != point_key(SCENARIO, STAGES, KEEP)


def test_point_key_covers_stages_and_keep() -> None:
    key = point_key(SCENARIO, STAGES, KEEP)
    assert point_key(SCENARIO, [*STAGES, "network"], KEEP) != key
    assert point_key(SCENARIO, STAGES, KEEP[:1]) != key
    assert point_key({**SCENARIO, "extra": None}, STAGES, KEEP) != key
    with pytest.raises(TypeError):
        point_key(SCENARIO, "cost", KEEP)  # a string is not a list of stages
    with pytest.raises(TypeError):
        point_key({"x": object()}, STAGES, KEEP)


# ---- kill and resume --------------------------------------------------------------------------


_RUN_SCRIPT = """
import sys, time
from skydc.studies.store import ResultsStore, point_key

STAGES, KEEP = ["cost"], ["cost.total_usd"]
folder, log_path = sys.argv[1], sys.argv[2]
store = ResultsStore(folder).open(
    {"name": "kill", "design": {"points": 40}, "varied": ["economics.launch_usd_per_kg"],
     "stages": STAGES, "keep": KEEP}
)
done = store.done_keys()
with open(log_path, "a") as log:
    for i in range(40):
        price = 100.0 + 10 * i
        key = point_key({"economics": {"launch_usd_per_kg": price}}, STAGES, KEEP)
        if key in done:
            continue
        time.sleep(0.05)  # "compute" the point
        store.write({"key": key, "index": i, "economics.launch_usd_per_kg": price,
                     "cost.total_usd": price * 1e3, "wall_s": 0.05})
        log.write(f"{i}\\n")
        log.flush()
        print(i, flush=True)
"""


def _indices(log: Path) -> list[int]:
    return [int(x) for x in log.read_text().split()] if log.exists() else []


def test_kill_and_resume_loses_and_recomputes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "study"
    log1, log2 = tmp_path / "run1.log", tmp_path / "run2.log"
    store = ResultsStore(folder)
    errors = tmp_path / "run1.err"
    with errors.open("w") as err:
        first = subprocess.Popen(
            [sys.executable, "-c", _RUN_SCRIPT, str(folder), str(log1)],
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        try:
            deadline = time.monotonic() + WAIT_S
            while len(_parts(store)) < 10 and first.poll() is None:
                assert time.monotonic() < deadline, "the first run wrote no 10 points"
                time.sleep(0.005)
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=WAIT_S)
        finally:
            if first.poll() is None:
                first.kill()
                first.wait()
    assert first.returncode == -signal.SIGKILL, errors.read_text()

    before = store.table()
    written = set(before.column("index").to_pylist())
    assert 10 <= len(written) < 40
    assert set(_indices(log1)) <= written  # logged after the write: each one is in the store
    assert store.summary(40) == StoreSummary(
        ok=len(written), error=0, pending=40 - len(written), total=40
    )

    second = subprocess.run(
        [sys.executable, "-c", _RUN_SCRIPT, str(folder), str(log2)],
        capture_output=True,
        text=True,
        timeout=WAIT_S,
    )
    assert second.returncode == 0, second.stderr

    after = store.table()
    assert after.num_rows == 40
    keys = after.column("key").to_pylist()
    assert len(set(keys)) == 40
    assert after.column("index").to_pylist() == list(range(40))
    recomputed = _indices(log2)
    assert not written & set(recomputed)  # nothing written before the kill ran again
    assert not set(_indices(log1)) & set(recomputed)
    assert written | set(recomputed) == set(range(40))
    assert sorted(recomputed) == recomputed and len(set(recomputed)) == len(recomputed)
    assert [int(x) for x in second.stdout.split()] == recomputed
    assert not _tmps(store)  # whatever the killed write left, the reopening removed
    assert store.summary(40) == StoreSummary(ok=40, error=0, pending=0, total=40)


_STALL_SCRIPT = """
import os, sys, time
from skydc.studies.store import ResultsStore

store = ResultsStore(sys.argv[1]).open(
    {"name": "stall", "varied": ["x"], "stages": ["cost"], "keep": ["y"]}
)
store.write({"key": "a" * 64, "index": 0, "x": 1.0, "y": 2.0})
real_fsync = os.fsync

def stalled_fsync(fd):
    real_fsync(fd)
    print("in-write", flush=True)  # the temporary file is written, not yet renamed
    time.sleep(600)

os.fsync = stalled_fsync
store.write({"key": "b" * 64, "index": 1, "x": 3.0, "y": 4.0})
print("finished", flush=True)
"""


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_a_signal_during_a_write_leaves_no_partial_point(tmp_path: Path, sig: int) -> None:
    folder = tmp_path / "study"
    store = ResultsStore(folder)
    child = subprocess.Popen(
        [sys.executable, "-c", _STALL_SCRIPT, str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "in-write"
        assert len(_tmps(store)) == 1  # the point's temporary file, complete but not renamed
        child.send_signal(sig)
        _, err = child.communicate(timeout=WAIT_S)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode != 0
    assert not (store.points_dir / f"part-{'b' * 64}.parquet").exists()
    assert [p.name for p in _parts(store)] == [f"part-{'a' * 64}.parquet"]
    if sig == signal.SIGINT:
        assert "KeyboardInterrupt" in err
        assert not _tmps(store)  # the interrupted write removed its temporary file
    else:
        assert len(_tmps(store)) == 1  # a killed writer cannot clean up ...
    assert store.table().column("key").to_pylist() == ["a" * 64]  # ... readers ignore it
    assert store.done_keys() == {"a" * 64}
    store.open({"name": "stall", "varied": ["x"], "stages": ["cost"], "keep": ["y"]})
    assert not _tmps(store)  # ... and the next open removes it


# ---- compaction -------------------------------------------------------------------------------


def test_compact_rewrites_the_parts_into_one_file(tmp_path: Path) -> None:
    store = _store(tmp_path)
    for i in range(6):
        store.write(_row(i, **({"status": "error", "error": "x"} if i == 4 else {})))
    table = store.table()
    assert store.compact() == 6
    assert not _parts(store) and not _tmps(store)
    assert store.compacted_path.is_file()
    assert store.table().equals(table)
    assert store.done_keys() == set(table.column("key").to_pylist())

    store.write(_row(6))  # readers read the compacted file and new parts
    assert store.table().column("index").to_pylist() == list(range(7))
    assert len(store.done_keys()) == 7
    assert store.summary(10) == StoreSummary(ok=6, error=1, pending=3, total=10)
    assert store.compact() == 7 and not _parts(store)
    assert query(store.path, "SELECT count(*) AS n FROM points").to_pylist() == [{"n": 7}]


def test_done_keys_and_retrying_errors(tmp_path: Path) -> None:
    store = _store(tmp_path)
    assert store.done_keys() == set()
    store.write(_row(0))
    store.write(_row(1, status="error", error="boom"))
    ok, failed = _row(0)["key"], _row(1)["key"]
    assert store.done_keys() == {ok, failed}  # a failed point is not run again ...
    assert store.done_keys(retry_errors=True) == {ok}  # ... unless asked
    assert store.summary(5) == StoreSummary(ok=1, error=1, pending=3, total=5)
    assert store.summary([ok, "f" * 64]) == StoreSummary(ok=1, error=0, pending=1, total=2)
    assert str(store.summary(5)) == "1 ok, 1 error, 3 pending of 5"


# ---- SQL --------------------------------------------------------------------------------------


def test_query_counts_and_reads_dotted_columns(tmp_path: Path) -> None:
    store = _store(tmp_path)
    for i in range(5):
        store.write(_row(i, **({"status": "error", "error": "boom"} if i == 3 else {})))
    count = query(store.path, "SELECT count(*) AS n FROM points WHERE status = 'ok'")
    assert isinstance(count, pa.Table)
    assert count.to_pylist() == [{"n": 4}]
    cheap = query(
        store.path,
        'SELECT "economics.launch_usd_per_kg" AS price, "cost.lcoc_usd_per_kwh#why" AS why '
        'FROM points WHERE "economics.launch_usd_per_kg" >= 200 ORDER BY "index"',
    )
    assert cheap.column("price").to_pylist() == [200.0, 300.0, 400.0]
    assert cheap.column("why").to_pylist() == [None, None, None]


@pytest.mark.parametrize(
    "sql",
    [
        "SELEC count(*) FROM points",
        "SELECT nope FROM points",
        "SELECT * FROM elsewhere",
        "DROP VIEW points",
        "COPY points TO 'out.csv'",
        "SELECT 1; SELECT 2",
    ],
)
def test_a_bad_query_is_a_value_error_on_one_line(tmp_path: Path, sql: str) -> None:
    store = _store(tmp_path)
    store.write(_row(0))
    with pytest.raises(ValueError) as info:
        query(store.path, sql)
    message = str(info.value)
    assert message and "\n" not in message
    assert not (store.path / "out.csv").exists()


def test_query_reads_nothing_outside_the_store(tmp_path: Path) -> None:
    store = _store(tmp_path)
    secret = tmp_path / "secret.csv"
    secret.write_text("a\n1\n")
    with pytest.raises(ValueError, match=r"disabled|Permission"):
        query(store.path, f"SELECT * FROM read_csv('{secret}')")


def test_an_empty_store_is_an_empty_view_with_the_manifest_columns(tmp_path: Path) -> None:
    store = _store(tmp_path)
    result = query(store.path, "SELECT * FROM points")
    assert result.num_rows == 0
    expected = ["key", "index", *VARIED]
    for metric in KEEP:
        expected += [metric, metric + WHY]
    expected += ["status", "error", "wall_s", "finished_utc"]
    assert result.column_names == expected
    assert store.table().column_names == expected
    sql = (
        "SELECT count(*) AS n FROM points WHERE status = 'ok' "
        'AND "economics.launch_usd_per_kg" > 100 AND "orbit.kind" = \'sso\''
    )
    assert query(store.path, sql).to_pylist() == [{"n": 0}]
    with pytest.raises(ValueError, match="not a results store"):
        query(tmp_path / "nowhere", "SELECT 1")


# ---- manifest ---------------------------------------------------------------------------------


def test_manifest_is_written_with_the_version(tmp_path: Path) -> None:
    store = _store(tmp_path)
    data = json.loads(store.manifest_path.read_text())
    assert data["name"] == "launch-price"
    assert data["design"] == MANIFEST["design"]
    assert (data["varied"], data["stages"], data["keep"]) == (VARIED, STAGES, KEEP)
    assert data["skydc_version"] == __version__
    assert not _tmps(store)


def test_another_study_is_refused_and_overwrite_allowed(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.write(_row(0))
    # the same study again (another order, another design): resumes with its points
    again = ResultsStore(store.path).open(
        {**MANIFEST, "varied": VARIED[::-1], "design": {"kind": "random", "points": 9}}
    )
    assert len(again.done_keys()) == 1
    for change in (
        {"varied": [*VARIED, "economics.discount_rate"]},
        {"stages": ["cost"]},
        {"keep": ["cost.lcoc_usd_per_kwh"]},
    ):
        with pytest.raises(ValueError, match="another study") as info:
            ResultsStore(store.path).open({**MANIFEST, **change})
        assert str(next(iter(change))) in str(info.value)
    assert len(store.done_keys()) == 1  # the refusal touched nothing

    other = {**MANIFEST, "name": "other", "keep": ["cost.lcoc_usd_per_kwh"]}
    fresh = ResultsStore(store.path).open(other, overwrite=True)
    assert fresh.done_keys() == set()
    assert json.loads(fresh.manifest_path.read_text())["keep"] == ["cost.lcoc_usd_per_kwh"]


def test_a_folder_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "busy"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    with pytest.raises(ValueError, match="not a results store"):
        ResultsStore(folder).open(MANIFEST)
    with pytest.raises(ValueError, match="lacks keep"):
        ResultsStore(tmp_path / "new").open({"name": "x", "varied": [], "stages": []})
    with pytest.raises(ValueError, match="cannot name a column"):
        ResultsStore(tmp_path / "new").open({**MANIFEST, "varied": ["status"]})
    with pytest.raises(ValueError, match="not a results store"):
        ResultsStore(tmp_path / "nowhere").write(_row(0))
    assert (folder / "notes.txt").read_text() == "mine"


def test_open_removes_only_the_leftovers_of_gone_writers(tmp_path: Path) -> None:
    folder = tmp_path / "study"
    folder.mkdir()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
        timeout=WAIT_S,
    )
    pid = int(dead.stdout)
    (folder / f".study.json.{pid}.0badf00d.tmp").write_text("{")  # a killed first open
    store = ResultsStore(folder).open(MANIFEST)  # only a leftover: the folder is a new store
    (folder / ".report.html.x1y2.tmp").write_text("another tool's")
    store.points_dir.mkdir(exist_ok=True)
    (store.points_dir / f".part-{'a' * 64}.parquet.{pid}.00c0ffee.tmp").write_bytes(b"PAR1")
    live = store.points_dir / f".part-{'b' * 64}.parquet.{os.getpid()}.00c0ffee.tmp"
    live.write_bytes(b"PAR1")  # a writer still running (this one)
    assert store.table().num_rows == 0 and store.done_keys() == set()
    ResultsStore(folder).open(MANIFEST)
    assert {p.name for p in _tmps(store)} == {".report.html.x1y2.tmp", live.name}
