"""Atomic file output: write to a temporary file beside the target, then rename over it.

An interrupted run therefore never leaves a half-written file under its final name.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success rename it to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 text atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write bytes atomically."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def _json_default(obj: Any) -> Any:
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, Path):
        return str(obj)
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def to_json(obj: Any) -> str:
    """JSON text of metrics (NumPy scalars and arrays allowed; NaN written as null)."""
    return json.dumps(_nan_to_none(obj), indent=2, default=_json_default, allow_nan=False) + "\n"


def _nan_to_none(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _nan_to_none(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_nan_to_none(v) for v in obj]
    if isinstance(obj, float | np.floating) and not np.isfinite(obj):
        return None
    return obj


def write_json_atomic(path: Path, obj: Any) -> None:
    """Write metrics as JSON atomically."""
    write_text_atomic(path, to_json(obj))


_OWNER = ".skydc-owner"  # inside a staging folder: the pid of the process that writes it


class OutputChanged(OSError):
    """The target folder changed while the run was being written; the results were kept at
    ``kept`` instead (nothing is lost)."""

    def __init__(self, target: Path, kept: Path):
        super().__init__(
            f"output folder {target} gained files while the run was computed: the run was "
            f"written to {kept} instead"
        )
        self.target = target
        self.kept = kept


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale_staging(final: Path) -> list[Path]:
    """Remove the staging folders a killed run left beside ``final`` (their writer is gone);
    returns what was removed."""
    removed: list[Path] = []
    parent = Path(final).parent
    if not parent.is_dir():
        return removed
    for tmp in parent.glob(f".{Path(final).name}.*"):
        if not tmp.is_dir() or not tmp.name.endswith((".tmp", ".old")):
            continue
        owner = tmp / _OWNER
        try:
            pid = int(owner.read_text().strip()) if owner.is_file() else -1
        except (OSError, ValueError):
            pid = -1
        if pid > 0 and _alive(pid):
            continue
        shutil.rmtree(tmp, ignore_errors=True)
        removed.append(tmp)
    return removed


def _free_name(final: Path) -> Path:
    n = 2
    while (candidate := final.with_name(f"{final.name}-{n}")).exists():
        n += 1
    return candidate


@contextlib.contextmanager
def staging_dir(final: Path, *, replace: bool = False) -> Iterator[Path]:
    """A temporary folder beside ``final``: renamed to ``final`` on success, removed on failure
    or interruption (with any parent folder this call had to create).

    ``final`` may exist only as an empty folder, or (``replace=True``) as a folder that is then
    replaced: it is moved aside, the new folder renamed into place, and only then removed, so an
    interrupted run leaves the old folder intact. Staging folders left by a killed run are
    removed first. If ``final`` gained files while the run was computed, the finished folder is
    renamed beside it instead and :class:`OutputChanged` says where.
    """
    final = Path(final)
    missing = [p for p in (final.parent, *final.parent.parents) if not p.exists()]
    final.parent.mkdir(parents=True, exist_ok=True)
    clean_stale_staging(final)
    # the name is chosen before the folder exists, so that an interruption at any point leaves
    # nothing the finally clause does not know about
    tmp = final.parent / f".{final.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    done = False
    try:
        tmp.mkdir()
        (tmp / _OWNER).write_text(str(os.getpid()))
        yield tmp
        (tmp / _OWNER).unlink()
        os.chmod(tmp, 0o777 & ~_umask())
        old: Path | None = None
        if final.exists():
            if replace and any(final.iterdir()):
                old = Path(
                    tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".old", dir=final.parent)
                )
                os.replace(final, old / final.name)
            elif any(final.iterdir()):
                kept = _free_name(final)
                os.replace(tmp, kept)
                done = True
                raise OutputChanged(final, kept)
            else:
                final.rmdir()  # only an empty folder may be replaced
        os.replace(tmp, final)
        done = True
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
        if not done:  # leave no folder this call made (e.g. runs/) behind a failed run
            for folder in missing:
                with contextlib.suppress(OSError):
                    folder.rmdir()
