"""The run folder: resolved ``scenario.toml``, ``metrics.json`` (metrics and their units),
one Parquet file per table, and ``report.html``; every file written atomically."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import tomli_w

from skydc._version import __version__
from skydc.errors import ScenarioError
from skydc.io.atomic import write_json_atomic, write_text_atomic
from skydc.io.parquet import write_csv, write_table
from skydc.network.ground import BUNDLED
from skydc.pipeline.result import Result
from skydc.report.run_report import render_run_report
from skydc.scenario.dump import scenario_dict

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
    if out.is_symlink():
        raise ScenarioError(
            f"output folder {out} is a symbolic link: give the folder itself "
            f"({out.resolve()}) or a new name"
        )
    parent = next((p for p in (out.parent, *out.parent.parents) if p.exists()), Path("."))
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ScenarioError(f"cannot write into {parent} (permission denied)")
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
    write_text_atomic(folder / "scenario.toml", _self_contained_scenario(result, folder))
    write_json_atomic(folder / "metrics.json", result.document())
    for name, table in result.tables.items():
        write_table(folder / f"{name}.parquet", table)
        write_csv(folder / "csv" / f"{name}.csv", table)
    html = render_run_report(
        result.metrics,
        result.tables,
        stages=result.shown,
        title=f"skydc {result.verb}: {result.scenario.name}",
        version=__version__,
        generated_utc=datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
    )
    write_text_atomic(folder / "report.html", html)


def _copy_input(source: Path, folder: Path, used: set[str]) -> str:
    """Copy an input file into ``folder/inputs/`` (a unique name); its path relative to folder."""
    name, k = source.name, 2
    while name in used:
        name, k = f"{source.stem}-{k}{source.suffix}", k + 1
    used.add(name)
    (folder / "inputs").mkdir(exist_ok=True)
    shutil.copy2(source, folder / "inputs" / name)
    return f"inputs/{name}"


def _self_contained_scenario(result: Result, folder: Path) -> str:
    """The resolved scenario with every input file it names (TLE/OMM catalogs, a station CSV)
    copied into ``inputs/`` and referenced relatively, so the run folder reruns anywhere:
    ``skydc run RUN_DIR/scenario.toml``."""
    loaded = result.loaded
    data: dict[str, Any] = scenario_dict(loaded)  # catalog paths made absolute
    used: set[str] = set()
    for shell in data["shells"]:
        if "file" in shell:
            shell["file"] = _copy_input(Path(shell["file"]), folder, used)
    stations = data.get("network", {}).get("ground_stations")
    if isinstance(stations, str) and stations not in BUNDLED:
        path = Path(stations)
        path = path if path.is_absolute() else loaded.base_dir / path
        if path.is_file():
            data["network"]["ground_stations"] = _copy_input(path, folder, used)
    header = (
        f"# Resolved scenario written by skydc {__version__} from {loaded.source}:\n"
        "# every default filled in, every --set override applied, input files copied into\n"
        "# inputs/. Runs as it stands: skydc run <this folder>/scenario.toml\n\n"
    )
    return header + tomli_w.dumps(data)
