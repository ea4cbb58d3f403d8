"""The results store of a trade study: one row per point, written so that nothing is lost.

A study runs many *points* (a scenario with some fields overridden). Each finished point is one
row: its ``key`` (a content hash, :func:`point_key`), its ``index`` in the design, the varied
inputs (one column per varied path, named by the dotted path), the kept outputs (one column per
metric path), ``status`` (``"ok"`` or ``"error"``), ``error`` (the message, empty when ok),
``wall_s`` and ``finished_utc``.

On disk, a store is a folder::

    DIR/study.json                  the manifest: study name, design, varied paths, stages,
                                    keep, skydc and store schema versions
    DIR/points/part-<key>.parquet   one file per finished point (written by ResultsStore.write)
    DIR/points/part-batch-<digest>.parquet
                                    the points of a batch evaluated together (write_many)
    DIR/points.parquet              the compacted points (ResultsStore.compact), if any

Every file appears atomically: it is written to a temporary file in the same folder
(``.<name>.<pid>.<random>.tmp``), flushed to disk (fsync) and renamed over its final name, so a
run killed at any moment (SIGKILL included) leaves either the complete file or none. Readers
ignore the temporary files; :meth:`ResultsStore.open` removes those whose writer is gone. A run
that is resumed skips the points of :meth:`ResultsStore.done_keys`.

Kept outputs are numeric columns (float64; a flag is 1.0 or 0.0). A metric that has no number
(skydc writes a sentence saying why, or a name, or a list) keeps its text in the sibling column
``<metric>#why`` (JSON for a list or a table) and NaN in the numeric one; ``#why`` is null where
the metric has a number. A point that failed has null outputs.

:func:`query` runs SQL (DuckDB) over the points, exposed as a view named ``points``. Column names
hold dots (and ``#``), so write them in double quotes::

    SELECT "economics.launch_usd_per_kg", "cost.lcoc_usd_per_kwh"
    FROM points WHERE status = 'ok' AND "cost.lcoc_usd_per_kwh#why" IS NULL
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import errno
import hashlib
import json
import math
import os
import re
import secrets
import shutil
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any, BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from skydc._version import __version__
from skydc.io.atomic import to_json

SCHEMA_VERSION = 1
"""Version of the store's layout and of the point key; a change makes every key new."""

WHY = "#why"
"""Suffix of the text column beside each kept output: ``<metric>#why``."""

MANIFEST = "study.json"
POINTS_DIR = "points"
COMPACTED = "points.parquet"
STATUSES = ("ok", "error")
RESERVED = ("key", "index", "status", "error", "wall_s", "finished_utc")
"""The columns every row has besides the varied inputs and the kept outputs."""

_FORMAT = "skydc-study-store"
_PART_PREFIX = "part-"
_BATCH_TAG = "batch-"  # part-batch-<digest>.parquet: the points of one batch (write_many)
_PART_SUFFIX = ".parquet"
_KEY_RE = re.compile(r"[0-9A-Za-z_-]{1,128}")
_TMP_RE = re.compile(r"\..+\.(\d+)\.[0-9a-f]+\.tmp")
_IDENTITY = ("varied", "stages", "keep")  # what makes two manifests the same study
_FIXED_TYPES: dict[str, pa.DataType] = {
    "key": pa.string(),
    "index": pa.int64(),
    "status": pa.string(),
    "error": pa.string(),
    "wall_s": pa.float64(),
    "finished_utc": pa.timestamp("us", tz="UTC"),
}
_RETRIES = 5  # reads that race a compaction list the files again this many times


# --------------------------------------------------------------------------------------------
# point keys


def _canonical(obj: Any, where: str = "scenario") -> Any:
    """``obj`` as plain JSON values: mappings with string keys, lists, str, int, float, bool,
    None (NaN and infinities stay floats; the JSON text writes them as NaN/Infinity tokens)."""
    if isinstance(obj, Mapping):
        out: dict[str, Any] = {}
        for k, v in obj.items():
            if not isinstance(k, str):
                raise TypeError(f"{where}: keys must be strings, not {type(k).__name__} ({k!r})")
            out[k] = _canonical(v, f"{where}.{k}")
        return out
    if obj is None or isinstance(obj, bool | str):
        return obj
    if isinstance(obj, int):
        return int(obj)
    if isinstance(obj, float):
        return float(obj)
    if isinstance(obj, np.generic):
        return _canonical(obj.item(), where)
    if isinstance(obj, np.ndarray):
        return _canonical(obj.tolist(), where)
    if isinstance(obj, list | tuple):
        return [_canonical(v, f"{where}[{i}]") for i, v in enumerate(obj)]
    if isinstance(obj, set | frozenset):
        items = [_canonical(v, where) for v in obj]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, allow_nan=True))
    if isinstance(obj, enum.Enum):
        return _canonical(obj.value, where)
    if isinstance(obj, dt.datetime | dt.date | dt.time):
        return obj.isoformat()
    if isinstance(obj, PurePath):
        return obj.as_posix()
    if callable(getattr(obj, "model_dump", None)):  # a pydantic model
        return _canonical(obj.model_dump(), where)
    raise TypeError(f"{where}: cannot hash a {type(obj).__name__} into a point key")


def _names(values: Sequence[str], what: str) -> list[str]:
    if isinstance(values, str) or not all(isinstance(v, str) for v in values):
        raise TypeError(f"{what} must be a sequence of strings, got {values!r}")
    return list(values)


def canonical_json(obj: Any) -> str:
    """The canonical JSON text of ``obj``: sorted keys, no spaces, floats written with ``repr``
    (so every bit counts), NaN and infinities as the tokens ``NaN``, ``Infinity``,
    ``-Infinity``, and ``1`` distinct from ``1.0``."""
    return json.dumps(
        _canonical(obj, "value"),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
        allow_nan=True,
    )


def point_key(
    resolved_scenario: Mapping[str, Any], stages: Sequence[str], keep: Sequence[str]
) -> str:
    """The content hash of a point: sha256 (hex) over the canonical JSON of the fully resolved
    scenario, the stages and the kept metrics (each a set: sorted, duplicates dropped) and
    :data:`SCHEMA_VERSION`. The same in every process and Python run; any change of a value
    (``1`` to ``1.0`` included) gives another key."""
    payload = {
        "schema_version": SCHEMA_VERSION,
        "scenario": _canonical(resolved_scenario),
        "stages": sorted(set(_names(stages, "stages"))),
        "keep": sorted(set(_names(keep, "keep"))),
    }
    text = json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=True
    )
    return hashlib.sha256(text.encode("ascii")).hexdigest()


# --------------------------------------------------------------------------------------------
# durable atomic files


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system lets a folder be opened
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _tmp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def _write_durably(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write ``path`` through ``write(file)`` into a temporary file in the same folder, fsync
    it, rename it over ``path`` and fsync the folder: ``path`` is then the complete new file or
    (interrupted, killed, failed) the old one; an interruption removes the temporary file."""
    tmp = _tmp_name(path)  # named first: the finally clause knows it whatever happens
    try:
        with open(tmp, "xb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _clean_tmp(folder: Path, ours: tuple[str, ...] | None = None) -> list[Path]:
    """Remove the temporary files (``*.tmp``) that writers which are gone left in ``folder``:
    all of them, or only those of the files named in ``ours``."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for tmp in folder.glob("*.tmp"):
        if ours is not None and not tmp.name.startswith(tuple(f".{n}." for n in ours)):
            continue  # another tool's, beside the store's files
        m = _TMP_RE.fullmatch(tmp.name)
        if m is not None and _alive(int(m.group(1))):
            continue  # a live writer's: it renames or removes the file itself
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
            removed.append(tmp)
    return removed


def _write_parquet(path: Path, table: pa.Table) -> None:
    _write_durably(path, lambda f: pq.write_table(table, f, compression="zstd"))


# --------------------------------------------------------------------------------------------
# rows


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return value


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return to_json(_canonical(value, "value")).strip()


def _input_cell(path: str, value: Any) -> tuple[pa.DataType, Any]:
    """A varied input's type and value: bool, int, float or str as given (None is null, a list
    or table its JSON text)."""
    value = _plain(value)
    if value is None:
        return pa.null(), None
    if isinstance(value, bool):
        return pa.bool_(), value
    if isinstance(value, int):
        return pa.int64(), value
    if isinstance(value, float):
        return pa.float64(), value
    try:
        return pa.string(), _as_text(value)
    except TypeError as exc:
        raise TypeError(f"varied input {path!r}: {exc}") from None


def _output_cells(path: str, value: Any) -> tuple[float | None, str | None]:
    """A kept output's number and text: a number is kept (a flag as 1.0/0.0), anything else is
    NaN with its text (a why-sentence as is, a list or a table as JSON); None is null."""
    value = _plain(value)
    if value is None:
        return None, None
    if isinstance(value, bool | int | float):
        return float(value), None
    try:
        return math.nan, _as_text(value)
    except TypeError as exc:
        raise TypeError(f"output {path!r}: {exc}") from None


def _finished(value: Any) -> dt.datetime:
    if value is None:
        return dt.datetime.now(dt.UTC)
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
    raise TypeError(f"finished_utc must be a datetime or ISO 8601 text, got {value!r}")


def _row_cells(
    row: Mapping[str, Any], varied: Sequence[str], keep: Sequence[str]
) -> tuple[list[pa.Field], list[Any]]:
    """One point's checked cells, columns in the store's order: key, index, varied inputs,
    outputs each followed by its ``#why``, status, error, wall_s, finished_utc."""
    key = row.get("key")
    if not isinstance(key, str) or _KEY_RE.fullmatch(key) is None:
        raise ValueError(f"row key must be a point_key() hex digest, got {key!r}")
    index = _plain(row.get("index"))
    if isinstance(index, bool) or not isinstance(index, int):
        raise ValueError(f"row {key}: index must be an integer, got {index!r}")
    error = row.get("error")
    error = "" if error is None else str(error)
    status = row.get("status", "error" if error else "ok")
    if status not in STATUSES:
        raise ValueError(f"row {key}: status must be one of {', '.join(STATUSES)}, got {status!r}")
    wall = _plain(row.get("wall_s"))
    wall_s = math.nan if wall is None else float(wall)

    fields: list[pa.Field] = [pa.field("key", pa.string()), pa.field("index", pa.int64())]
    values: list[Any] = [key, index]
    for path in varied:
        typ, value = _input_cell(path, row.get(path))
        fields.append(pa.field(path, typ))
        values.append(value)
    outputs = list(keep)
    known = set(varied) | set(keep) | set(RESERVED)
    for name in row:  # outputs that are not in the manifest (a later version's, say) are kept
        if name not in known and not name.endswith(WHY):
            outputs.append(name)
    for path in outputs:
        number, why = _output_cells(path, row.get(path))
        given_why = row.get(path + WHY)
        if given_why is not None and str(given_why) != "":
            why = str(given_why)
            number = math.nan if number is None else number
        fields += [pa.field(path, pa.float64()), pa.field(path + WHY, pa.string())]
        values += [number, why]
    fields += [pa.field(name, _FIXED_TYPES[name]) for name in RESERVED[2:]]
    values += [status, error, wall_s, _finished(row.get("finished_utc"))]
    return fields, values


def _row_table(row: Mapping[str, Any], varied: Sequence[str], keep: Sequence[str]) -> pa.Table:
    """One point's row as a one-row table (:func:`_row_cells`)."""
    return _rows_table([row], varied, keep)


def _rows_table(
    rows: Sequence[Mapping[str, Any]], varied: Sequence[str], keep: Sequence[str]
) -> pa.Table:
    """Points as one table: rows with the same columns (the usual case) are built column by
    column; rows whose columns differ are unified like the store's files (:func:`_unify`)."""
    cells = [_row_cells(row, varied, keep) for row in rows]
    by_schema: dict[tuple[pa.Field, ...], list[list[Any]]] = {}
    for fields, values in cells:
        by_schema.setdefault(tuple(fields), []).append(values)
    tables = [
        pa.table(
            [pa.array([v[j] for v in group], type=f.type) for j, f in enumerate(fields)],
            schema=pa.schema(list(fields)),
        )
        for fields, group in by_schema.items()
    ]
    return tables[0] if len(tables) == 1 else _unify(tables)


def _empty_table(manifest: Mapping[str, Any]) -> pa.Table:
    """The store's columns with no rows (a varied input's type is unknown until a point says:
    null, which DuckDB compares with anything)."""
    fields = [pa.field("key", pa.string()), pa.field("index", pa.int64())]
    fields += [pa.field(path, pa.null()) for path in manifest.get("varied", [])]
    for path in manifest.get("keep", []):
        fields += [pa.field(path, pa.float64()), pa.field(path + WHY, pa.string())]
    fields += [pa.field(name, _FIXED_TYPES[name]) for name in RESERVED[2:]]
    return pa.schema(fields).empty_table()


# --------------------------------------------------------------------------------------------
# reading


def _unify(tables: list[pa.Table]) -> pa.Table:
    """Concatenate tables whose columns differ: missing columns are null, numbers widen
    (permissive promotion); where types still conflict, a column mixing text and other values
    becomes text and one mixing flags and numbers becomes float64."""
    try:
        return pa.concat_tables(tables, promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        pass
    types: dict[str, set[pa.DataType]] = {}
    for t in tables:
        for f in t.schema:
            types.setdefault(f.name, set()).add(f.type)
    target: dict[str, pa.DataType] = {}
    for name, seen in types.items():
        kinds = {t for t in seen if not pa.types.is_null(t)}
        if len(kinds) <= 1:
            continue
        texty = any(pa.types.is_string(t) or pa.types.is_large_string(t) for t in kinds)
        target[name] = pa.string() if texty else pa.float64()
    fixed = []
    for t in tables:
        for name, typ in target.items():
            if name in t.column_names and t.schema.field(name).type != typ:
                i = t.column_names.index(name)
                t = t.set_column(i, pa.field(name, typ), pc.cast(t.column(i), typ))
        fixed.append(t)
    return pa.concat_tables(fixed, promote_options="permissive")


def _latest_per_key(table: pa.Table) -> pa.Table:
    """One row per key: the one finished last (a point written again, say a failed point
    retried, may sit in another file than its first row: a batch's file holds many points);
    among rows finished at the same instant, the later file's (the files are read oldest
    first: the compacted file, then the parts)."""
    keys = table.column("key").to_pylist()
    order: Sequence[int] = range(len(keys))
    if "finished_utc" in table.column_names:
        finished = table.column("finished_utc").to_pylist()
        low = dt.datetime.min.replace(tzinfo=dt.UTC)
        order = sorted(order, key=lambda i: (finished[i] or low, i))
    seen: set[str] = set()
    keep: list[int] = []
    for i in reversed(order):
        if keys[i] not in seen:
            seen.add(keys[i])
            keep.append(i)
    if len(keep) == len(keys):
        return table
    return table.take(pa.array(sorted(keep), type=pa.int64()))


def _sorted(table: pa.Table) -> pa.Table:
    if table.num_rows == 0:
        return table
    return table.sort_by([("index", "ascending"), ("key", "ascending")])


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _one_line(message: str) -> str:
    """DuckDB's message on one line (the caret lines that point into the query dropped)."""
    lines = [ln.strip() for ln in message.splitlines()]
    lines = [ln for ln in lines if ln and set(ln) != {"^"}]
    return "; ".join(lines)


@dataclass(frozen=True)
class StoreSummary:
    """How far a study got: finished points (ok, error), points still to run, points in the
    design."""

    ok: int
    error: int
    pending: int
    total: int

    @property
    def done(self) -> int:
        return self.ok + self.error

    def __str__(self) -> str:
        return f"{self.ok} ok, {self.error} error, {self.pending} pending of {self.total}"


class ResultsStore:
    """The results of one study in the folder ``path`` (see the module's docstring for the
    layout). Writes come from one process (the runner's client); reads may come from any
    process at any time, during a run included."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self._manifest: dict[str, Any] | None = None

    # ---- layout

    @property
    def manifest_path(self) -> Path:
        return self.path / MANIFEST

    @property
    def points_dir(self) -> Path:
        return self.path / POINTS_DIR

    @property
    def compacted_path(self) -> Path:
        return self.path / COMPACTED

    def part_path(self, key: str) -> Path:
        """The file of the point ``key``."""
        return self.points_dir / f"{_PART_PREFIX}{key}{_PART_SUFFIX}"

    def __repr__(self) -> str:
        return f"ResultsStore({str(self.path)!r})"

    # ---- manifest

    @property
    def manifest(self) -> dict[str, Any]:
        """The study's manifest (``study.json``)."""
        if self._manifest is None:
            self._manifest = self._read_manifest()
            if self._manifest is None:
                raise ValueError(f"{self.path} is not a results store: it has no {MANIFEST}")
        return self._manifest

    def _read_manifest(self) -> dict[str, Any] | None:
        try:
            text = self.manifest_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{self.manifest_path}: not valid JSON ({exc})") from None
        if not isinstance(data, dict):
            raise ValueError(f"{self.manifest_path}: not a study manifest")
        return data

    @staticmethod
    def _normalise(manifest: Mapping[str, Any]) -> dict[str, Any]:
        missing = [k for k in _IDENTITY if k not in manifest]
        if missing:
            raise ValueError(f"study manifest lacks {', '.join(missing)}")
        out: dict[str, Any] = {k: v for k, v in manifest.items() if k not in _IDENTITY}
        for k in _IDENTITY:
            names = _names(manifest[k], k)
            if len(set(names)) != len(names):
                raise ValueError(f"study manifest: {k} lists a path twice: {names}")
            out[k] = names
        name = manifest.get("name", manifest.get("study"))
        out["name"] = "" if name is None else str(name)
        out.pop("study", None)
        out.setdefault("design", None)
        columns = out["varied"] + out["keep"]
        clash = sorted(
            {c for c in columns if c in RESERVED or c.endswith(WHY)}
            | {c for c in columns if columns.count(c) > 1}
        )
        if clash:
            raise ValueError(
                f"study manifest: {', '.join(clash)} cannot name a column (a path varied and "
                f"kept, one ending in {WHY}, or one of {', '.join(RESERVED)})"
            )
        return out

    def open(self, study_manifest: Mapping[str, Any], *, overwrite: bool = False) -> ResultsStore:
        """Create the store for a study, or reopen it to resume the same study.

        ``study_manifest`` holds ``name``, ``design`` (any JSON), ``varied`` (dotted paths),
        ``stages`` and ``keep`` (metric paths), and any other JSON the study wants recorded.
        The folder's ``study.json`` is written atomically with the skydc version added. A
        folder that holds another study (other varied paths, stages or keep), or files but no
        manifest, is refused unless ``overwrite=True``, which discards the points it holds (the
        same study's too). Temporary files that killed writers left are removed.
        """
        new = self._normalise(study_manifest)
        _clean_tmp(self.path, (MANIFEST, COMPACTED))  # a killed first open leaves only these
        old = self._read_manifest()
        if old is None and not overwrite and self.path.is_dir() and any(self.path.iterdir()):
            raise ValueError(
                f"{self.path} is not empty and is not a results store (no {MANIFEST}); choose "
                "another folder or pass overwrite=True"
            )
        if old is not None and not overwrite:
            changed = [k for k in _IDENTITY if sorted(old.get(k) or []) != sorted(new[k])]
            if changed:
                detail = "; ".join(f"{k}: stored {old.get(k)!r}, given {new[k]!r}" for k in changed)
                raise ValueError(
                    f"{self.path} holds another study ({old.get('name')!r}): its {detail}. "
                    "Choose another folder, or pass overwrite=True to discard its points"
                )
        self.path.mkdir(parents=True, exist_ok=True)
        if overwrite:
            shutil.rmtree(self.points_dir, ignore_errors=True)
            with contextlib.suppress(FileNotFoundError):
                self.compacted_path.unlink()
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        created = old.get("created_utc") if old is not None and not overwrite else None
        manifest = {
            "format": _FORMAT,
            "schema_version": SCHEMA_VERSION,
            **new,
            "skydc_version": __version__,
            "created_utc": created or now,
            "opened_utc": now,
        }
        text = to_json(manifest)
        _write_durably(self.manifest_path, lambda f: f.write(text.encode("utf-8")))
        self.points_dir.mkdir(exist_ok=True)
        _clean_tmp(self.points_dir)
        self._manifest = json.loads(text)
        return self

    # ---- writing

    def write(self, row: Mapping[str, Any]) -> None:
        """Store one finished point, as ``points/part-<key>.parquet`` (atomically, fsynced).

        ``row`` maps ``key``, ``index``, each varied path to its value (float, int, str or
        bool), each kept metric path to its value (a number, or the text saying why it has
        none), ``status`` (default ``"error"`` when ``error`` is set, else ``"ok"``),
        ``error``, ``wall_s`` and ``finished_utc`` (default now). Outputs not in the manifest
        are stored too. Writing a key again replaces its row.
        """
        manifest = self.manifest
        table = _row_table(row, manifest["varied"], manifest["keep"])
        self.points_dir.mkdir(parents=True, exist_ok=True)
        _write_parquet(self.part_path(table.column("key")[0].as_py()), table)

    def write_many(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Store finished points together, as one ``points/part-batch-<digest>.parquet``
        (atomically, fsynced; the digest is of their keys): what :meth:`write` does for one, at
        the cost of one file for a whole batch. A key written again replaces its row either way."""
        if not rows:
            return
        manifest = self.manifest
        table = _rows_table(rows, manifest["varied"], manifest["keep"])
        if table.num_rows == 1:
            self.points_dir.mkdir(parents=True, exist_ok=True)
            _write_parquet(self.part_path(table.column("key")[0].as_py()), table)
            return
        digest = hashlib.sha256("\n".join(table.column("key").to_pylist()).encode()).hexdigest()
        self.points_dir.mkdir(parents=True, exist_ok=True)
        _write_parquet(self.part_path(_BATCH_TAG + digest), table)

    # ---- reading

    def _parts(self) -> list[Path]:
        try:
            names = os.listdir(self.points_dir)
        except FileNotFoundError:
            return []
        return sorted(
            self.points_dir / n
            for n in names
            if n.startswith(_PART_PREFIX) and n.endswith(_PART_SUFFIX)
        )

    def _files(self) -> list[Path]:
        """Every file holding points, the compacted file (older points) first."""
        compacted = [self.compacted_path] if self.compacted_path.is_file() else []
        return compacted + self._parts()

    def _retrying(self, read: Callable[[list[Path]], pa.Table]) -> pa.Table:
        """``read(files)``, listing the files again when one vanished (a compaction)."""
        for attempt in range(_RETRIES):
            files = self._files()
            try:
                return read(files)
            except OSError as exc:
                gone = isinstance(exc, FileNotFoundError) or exc.errno == errno.ENOENT
                if not (gone or "No such file" in str(exc)) or attempt == _RETRIES - 1:
                    raise
        raise AssertionError("unreachable")

    def _status_table(self) -> pa.Table:
        """key and status of every stored point, one row per key."""

        def read(files: list[Path]) -> pa.Table:
            if not files:
                return pa.table(
                    {"key": pa.array([], pa.string()), "status": pa.array([], pa.string())}
                )
            dataset = ds.dataset([str(f) for f in files], format="parquet")
            # one small file after another: threads cost more than they save here
            return dataset.to_table(columns=["key", "status"], use_threads=False)

        return _latest_per_key(self._retrying(read))

    def done_keys(self, *, retry_errors: bool = False) -> set[str]:
        """The keys of the finished points, those that failed included (a run skips them);
        with ``retry_errors=True``, only those that succeeded (a run computes the failed ones
        again)."""
        if not retry_errors:
            keys = set()
            for part in self._parts():
                name = part.name[len(_PART_PREFIX) : -len(_PART_SUFFIX)]
                if not name.startswith(_BATCH_TAG):
                    keys.add(name)
                    continue
                with contextlib.suppress(FileNotFoundError):  # a batch: its keys are inside
                    keys |= set(pq.read_table(part, columns=["key"]).column("key").to_pylist())
            with contextlib.suppress(FileNotFoundError):
                compacted = pq.read_table(self.compacted_path, columns=["key"])
                keys |= set(compacted.column("key").to_pylist())
            return keys
        t = self._status_table()
        ok = pc.equal(t.column("status"), "ok")
        return set(t.filter(ok).column("key").to_pylist())

    def table(self) -> pa.Table:
        """Every stored point, one row per key, sorted by ``index``. Points written with fewer
        columns (an older version's) read with nulls there; numbers of different widths
        unify."""

        def read(files: list[Path]) -> pa.Table:
            if not files:
                return _empty_table(self.manifest)
            paths = [str(f) for f in files]
            factory = ds.FileSystemDatasetFactory(
                pafs.LocalFileSystem(), paths, ds.ParquetFileFormat()
            )
            try:
                schema = factory.inspect(promote_options="permissive", fragments=None)
            except (pa.ArrowInvalid, pa.ArrowTypeError):  # a column mixes text and numbers
                return _unify([pq.read_table(p, use_threads=False) for p in paths])
            return factory.finish(schema).to_table(use_threads=False)

        return _sorted(_latest_per_key(self._retrying(read)))

    def summary(self, points: int | Collection[str] | None = None) -> StoreSummary:
        """Counts of ok, failed and pending points, for a design of ``points`` points (a
        number, or the keys of the design's points: then points not in the design are not
        counted); ``None`` reads ``n_points`` from the manifest, else counts the stored ones."""
        t = self._status_table()
        statuses = dict(
            zip(t.column("key").to_pylist(), t.column("status").to_pylist(), strict=True)
        )
        if points is None:
            n = self.manifest.get("n_points") if self.manifest_path.is_file() else None
            points = int(n) if isinstance(n, int) else len(statuses)
        if isinstance(points, int):
            ok = sum(1 for s in statuses.values() if s == "ok")
            error = len(statuses) - ok
            return StoreSummary(ok, error, max(points - ok - error, 0), points)
        wanted = set(points)
        ok = sum(1 for k in wanted if statuses.get(k) == "ok")
        error = sum(1 for k in wanted if statuses.get(k) == "error")
        return StoreSummary(ok, error, len(wanted) - ok - error, len(wanted))

    def compact(self) -> int:
        """Rewrite every point into the one file ``points.parquet`` (atomically) and remove the
        part files it took in; returns the number of points. Reads during a compaction see
        every point (a point in both files counts once); a part rewritten meanwhile is kept."""
        import fcntl  # compactions take turns (POSIX)

        self.points_dir.mkdir(parents=True, exist_ok=True)
        lock_path = self.points_dir / ".compact.lock"
        with open(lock_path, "a") as lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            try:
                parts = self._parts()
                seen = {}
                for p in parts:
                    with contextlib.suppress(FileNotFoundError):
                        st = p.stat()
                        seen[p] = (st.st_ino, st.st_mtime_ns, st.st_size)
                table = self.table()
                if not parts:
                    return table.num_rows
                _write_parquet(self.compacted_path, table)
                for p, stamp in seen.items():
                    with contextlib.suppress(FileNotFoundError):
                        st = p.stat()
                        if (st.st_ino, st.st_mtime_ns, st.st_size) == stamp:
                            p.unlink()
                _fsync_dir(self.points_dir)
                return table.num_rows
            finally:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


# --------------------------------------------------------------------------------------------
# SQL


_READ_ONLY = ("SELECT", "EXPLAIN")


def _view_sql(store: ResultsStore) -> str | None:
    parts = store._parts()
    sources = []
    if store.compacted_path.is_file():
        sources.append(str(store.compacted_path.resolve()))
    if parts:
        sources.append(str((store.points_dir / f"{_PART_PREFIX}*{_PART_SUFFIX}").resolve()))
    if not sources:
        return None
    files = ", ".join(_sql_text(s) for s in sources)
    compacted = _sql_text(str(store.compacted_path.resolve()))
    # a point written twice (retried; or in both the compacted file and a part while a
    # compaction is under way): the row finished last, else the part's
    return (
        "CREATE VIEW points AS SELECT * EXCLUDE (_skydc_file) FROM read_parquet("
        f"[{files}], union_by_name = true, filename = '_skydc_file') "
        'QUALIFY row_number() OVER (PARTITION BY "key" ORDER BY finished_utc DESC, '
        f"_skydc_file = {compacted}) = 1"
    )


def query(dir: str | os.PathLike[str], sql: str) -> pa.Table:
    """Run one SQL query (DuckDB) over the points of the store in ``dir``, exposed as the view
    ``points``; returns its result. Read-only: one SELECT (or EXPLAIN) statement, in a database
    that can read only the store's folder. Write dotted column names in double quotes:
    ``SELECT avg("cost.lcoc_usd_per_kwh") FROM points WHERE status = 'ok'``.

    Bad SQL raises ValueError with DuckDB's message on one line. An empty store is an empty
    view with the manifest's columns.
    """
    import duckdb

    store = ResultsStore(dir)
    manifest = store.manifest  # not a store: ValueError
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise ValueError(_one_line(str(exc))) from None
    if len(statements) != 1:
        raise ValueError(f"query takes one SQL statement, got {len(statements)}")
    kind = statements[0].type.name
    if kind not in _READ_ONLY:
        raise ValueError(f"query is read-only: a {kind} statement is not allowed (use SELECT)")
    for attempt in range(_RETRIES):
        con = duckdb.connect(":memory:")
        try:
            view = _view_sql(store)
            if view is None:
                con.register("_skydc_empty", _empty_table(manifest))
                con.execute("CREATE VIEW points AS SELECT * FROM _skydc_empty")
            root = _sql_text(str(store.path.resolve()) + os.sep)
            con.execute(f"SET allowed_directories = [{root}]")
            con.execute("SET enable_external_access = false")
            con.execute("SET lock_configuration = true")
            if view is not None:
                con.execute(view)
            relation = con.sql(sql)
            if relation is None:
                return pa.table({})
            result: pa.Table = relation.to_arrow_table()
            return result
        except duckdb.IOException as exc:  # a part vanished under a compaction: list again
            if attempt == _RETRIES - 1:
                raise ValueError(_one_line(str(exc))) from None
        except duckdb.Error as exc:
            raise ValueError(_one_line(str(exc))) from None
        finally:
            con.close()
    raise AssertionError("unreachable")
