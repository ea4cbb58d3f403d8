"""``skydc explore``: a self-contained, offline, interactive page of a run or a study folder.

>>> from skydc.explore import write_explorer
>>> write_explorer("runs/three-body-12-...")  # doctest: +SKIP
PosixPath('runs/three-body-12-.../explore.html')

A run folder gets a 3-D globe (the constellation moving over the run's time grid, laser links,
ground stations, a city pair's route and RTT at each instant) and the run's time series linked to
the time slider; a study folder gets parallel coordinates with brushing, a scatter of an input vs
an output, the Pareto front and the break-even contour. See docs/explore.md.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from skydc.errors import SkydcError
from skydc.explore.run_data import Progress, build_run_view, check_run_folder, is_run_folder
from skydc.explore.study_data import build_study_view, is_study_folder

__all__ = ["folder_kind", "write_explorer"]


def folder_kind(folder: str | Path) -> str:
    """``"study"`` or ``"run"``; a :class:`SkydcError` saying why for anything else."""
    path = Path(folder)
    if not path.is_dir():
        raise SkydcError(f"{path}: no such folder; give a run or study folder written by skydc")
    if is_study_folder(path):
        return "study"
    check_run_folder(path)
    assert is_run_folder(path)
    return "run"


def write_explorer(
    folder: str | Path, output: str | Path | None = None, *, progress: Progress | None = None
) -> Path:
    """Write ``explore.html`` for a run or study ``folder`` (atomically); its path.

    Parameters
    ----------
    folder
        A run folder (``skydc run``, ``network``, ``simulate`` ...) or a study folder
        (``skydc sweep``, ``optimize``).
    output
        Where to write the page (default ``folder/explore.html``).
    progress
        Called as ``progress(done, total, what)`` while positions and routes are computed.
    """
    from skydc._version import __version__
    from skydc.explore.page import render_run_page, render_study_page
    from skydc.io.atomic import write_text_atomic

    path = Path(folder)
    kind = folder_kind(path)
    target = Path(output) if output is not None else path / "explore.html"
    if target.is_dir():
        target = target / "explore.html"
    if not target.parent.is_dir():
        raise SkydcError(f"{target}: the folder {target.parent} does not exist")
    stamp = f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S UTC}"
    if kind == "study":
        text = render_study_page(build_study_view(path), version=__version__,
                                 generated_utc=stamp)  # fmt: skip
    else:
        text = render_run_page(build_run_view(path, progress), version=__version__,
                               generated_utc=stamp)  # fmt: skip
    write_text_atomic(target, text)
    return target
