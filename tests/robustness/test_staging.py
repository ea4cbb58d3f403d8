"""The staging folder a run writes into: renamed into place only when complete, never lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from skydc.io.atomic import OutputChanged, clean_stale_staging, staging_dir


def test_a_target_that_gains_files_during_the_run_loses_nothing(tmp_path: Path) -> None:
    final = tmp_path / "out"
    final.mkdir()
    with pytest.raises(OutputChanged) as info, staging_dir(final) as tmp:
        (tmp / "metrics.json").write_text("{}")
        (final / "someone-else.txt").write_text("x")  # another run, or a user, got there first
    kept = info.value.kept
    assert kept == tmp_path / "out-2"
    assert (kept / "metrics.json").read_text() == "{}"
    assert (final / "someone-else.txt").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "out-2"]


def test_replace_keeps_the_old_folder_until_the_new_one_is_complete(tmp_path: Path) -> None:
    final = tmp_path / "out"
    final.mkdir()
    (final / "metrics.json").write_text("old")
    with pytest.raises(RuntimeError), staging_dir(final, replace=True) as tmp:
        (tmp / "metrics.json").write_text("new")
        raise RuntimeError("the run fails halfway")
    assert (final / "metrics.json").read_text() == "old"
    with staging_dir(final, replace=True) as tmp:
        (tmp / "metrics.json").write_text("new")
    assert (final / "metrics.json").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_only_staging_folders_of_dead_writers_are_cleaned(tmp_path: Path) -> None:
    final = tmp_path / "out"
    dead = tmp_path / ".out.abc.tmp"
    dead.mkdir()
    (dead / ".skydc-owner").write_text("999999999")  # no such process
    alive = tmp_path / ".out.def.tmp"
    alive.mkdir()
    import os

    (alive / ".skydc-owner").write_text(str(os.getpid()))
    other = tmp_path / ".other.tmp"
    other.mkdir()
    assert clean_stale_staging(final) == [dead]
    assert alive.is_dir() and other.is_dir()
