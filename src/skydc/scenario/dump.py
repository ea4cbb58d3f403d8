"""Write the resolved scenario (defaults filled, overrides applied) back as TOML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomli_w

from skydc._version import __version__
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


def dump_scenario(loaded: LoadedScenario) -> str:
    """TOML text of the resolved scenario, with a header saying where it came from."""
    header = (
        f"# Resolved scenario written by skydc {__version__} from {loaded.source}:\n"
        "# every default filled in and every --set override applied. Runs as it stands.\n\n"
    )
    return header + tomli_w.dumps(scenario_dict(loaded))
