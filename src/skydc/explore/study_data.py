"""What the explorer of a study folder shows: its points store and ``analysis.json``.

A study folder is what ``skydc sweep`` and ``skydc optimize`` write (``study.json``, ``points/``
and, once finished, ``analysis.json``). Nothing is recomputed: inputs and outputs come from the
store (:class:`skydc.studies.store.ResultsStore`), the Pareto front and the break-even contour
from the analysis.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from skydc.errors import SkydcError


def is_study_folder(folder: Path) -> bool:
    """A folder a sweep or an optimisation wrote."""
    return (folder / "study.json").is_file()


@dataclass
class StudyView:
    """The study explorer's data: one numeric column per input and output."""

    name: str
    manifest: dict[str, Any]
    inputs: list[str]
    outputs: list[str]
    columns: dict[str, list[float | None]]
    status: list[str]
    index: list[int]
    pareto: dict[str, Any] | None = None
    breakeven: dict[str, Any] | None = None
    skipped: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The JSON the page's controller reads."""
        return {
            "name": self.name,
            "inputs": self.inputs,
            "outputs": self.outputs,
            "columns": self.columns,
            "status": self.status,
            "index": self.index,
            "pareto": self.pareto,
            "breakeven": self.breakeven,
            "skipped": self.skipped,
            "notes": self.notes,
        }


def _numeric(table: pa.Table, name: str) -> list[float | None] | None:
    """A column as floats (None where empty); None if it is not numeric (e.g. a preset name)."""
    values = table.column(name).to_pylist()
    out: list[float | None] = []
    for v in values:
        if v is None or isinstance(v, bool):
            out.append(None)
        elif isinstance(v, int | float):
            out.append(float(v) if math.isfinite(v) else None)
        else:
            return None
    return out


def _categorical(table: pa.Table, name: str) -> tuple[list[float | None], list[str]]:
    """A text input as codes 0..n-1 (in first-seen order) and the labels."""
    values = [str(v) for v in table.column(name).to_pylist()]
    labels = list(dict.fromkeys(values))
    return [float(labels.index(v)) for v in values], labels


def build_study_view(folder: Path) -> StudyView:
    """Read the study folder (see the module docstring)."""
    from skydc.studies.store import ResultsStore

    store = ResultsStore(folder)
    manifest = store.manifest
    table = store.table()
    if table.num_rows == 0:
        raise SkydcError(f"{folder}: the study has no points yet; run skydc sweep first")
    analysis_path = folder / "analysis.json"
    analysis: dict[str, Any] = (
        json.loads(analysis_path.read_text()) if analysis_path.is_file() else {}
    )
    columns: dict[str, list[float | None]] = {}
    inputs, outputs, notes = [], [], []
    for name in manifest.get("varied", []):
        if name not in table.column_names:
            continue
        values = _numeric(table, name)
        if values is None:
            values, labels = _categorical(table, name)
            notes.append(f"{name}: " + ", ".join(f"{k} = {v}" for k, v in enumerate(labels)))
        columns[name] = values
        inputs.append(name)
    for name in manifest.get("keep", []):
        if name in table.column_names:
            values = _numeric(table, name)
            if values is not None and any(v is not None for v in values):
                columns[name] = values
                outputs.append(name)
    if not analysis_path.is_file():
        notes.append("no analysis.json yet (the study has not finished): no Pareto front or "
                     "break-even contour")  # fmt: skip
    pareto = analysis.get("pareto")
    be = analysis.get("breakeven") or None
    return StudyView(
        name=str(manifest.get("name", folder.name)),
        manifest=manifest,
        inputs=inputs,
        outputs=outputs,
        columns=columns,
        status=[str(s) for s in table.column("status").to_pylist()],
        index=[int(i) for i in table.column("index").to_pylist()],
        pareto=pareto,
        breakeven=be,
        skipped=dict(analysis.get("skipped", {})),
        notes=notes,
    )


def front_rows(view: StudyView) -> list[int]:
    """Row numbers (in the view's columns) of the Pareto front's points."""
    if not view.pareto:
        return []
    front = set(view.pareto.get("front", []))
    return [k for k, i in enumerate(view.index) if i in front]


def finite_range(values: list[float | None]) -> tuple[float, float]:
    """Min and max of the values that exist (0, 1 if none)."""
    x = np.array([v for v in values if v is not None], dtype=float)
    return (float(x.min()), float(x.max())) if x.size else (0.0, 1.0)
