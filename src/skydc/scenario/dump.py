"""The resolved scenario (defaults filled, overrides applied) as plain data, for the run
folder's ``scenario.toml`` (written by :mod:`skydc.pipeline.folder`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from skydc.scenario.load import LoadedScenario


def _drop_none(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _drop_none(v) for k, v in obj.items() if v is not None}
    if isinstance(obj, list):
        return [_drop_none(v) for v in obj]
    return obj


def scenario_dict(loaded: LoadedScenario) -> dict[str, Any]:
    """The scenario as plain data, catalog paths made absolute so the file works from anywhere."""
    data = _drop_none(loaded.scenario.model_dump(mode="python"))
    for shell in data["shells"]:
        if "file" in shell and not Path(shell["file"]).is_absolute():
            shell["file"] = str((loaded.base_dir / shell["file"]).resolve())
    return data
