"""The run folder: resolved ``scenario.toml``, ``metrics.json`` (metrics and their units),
one Parquet file per table, and ``report.html``; every file written atomically."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from skydc._version import __version__
from skydc.errors import ScenarioError
from skydc.io.atomic import write_json_atomic, write_text_atomic
from skydc.io.parquet import write_table
from skydc.pipeline.result import Result
from skydc.report.run_report import render_run_report
from skydc.scenario.dump import dump_scenario

# A folder holding one of these was written by skydc and may be replaced with --overwrite.
RUN_FOLDER_MARKERS = ("metrics.json", "claims.json")


def check_output_dir(output_dir: str | Path | None, *, overwrite: bool = False) -> Path | None:
    """The output folder, refused before any work if it cannot be written.

    An existing non-empty folder is refused unless ``overwrite`` is set and it is a skydc run
    folder (so ``--overwrite`` never deletes anything else).
    """
    if output_dir is None:
        return None
    out = Path(output_dir)
    if out.exists() and not out.is_dir():
        raise ScenarioError(f"output path {out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()):
        if not overwrite:
            raise ScenarioError(
                f"output folder {out} already exists and is not empty (--overwrite replaces a "
                "run folder)"
            )
        if not any((out / m).is_file() for m in RUN_FOLDER_MARKERS):
            raise ScenarioError(
                f"output folder {out} is not a skydc run folder (no metrics.json): "
                "--overwrite replaces run folders only"
            )
    return out


def write_run_folder(result: Result, folder: Path) -> None:
    """Write a finished result's files into ``folder`` (the staging folder of the run)."""
    write_text_atomic(folder / "scenario.toml", dump_scenario(result.loaded))
    write_json_atomic(folder / "metrics.json", result.document())
    for name, table in result.tables.items():
        write_table(folder / f"{name}.parquet", table)
    html = render_run_report(
        result.metrics,
        result.tables,
        stages=result.shown,
        title=f"skydc {result.verb}: {result.scenario.name}",
        version=__version__,
        generated_utc=datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
    )
    write_text_atomic(folder / "report.html", html)
