"""skydc: design, simulate and cost orbital data centers.

The public API is imported on first use (PEP 562), so ``skydc --help`` and ``skydc validate``
do not pay for NumPy, pyarrow and the whole pipeline before they need them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from skydc._version import __version__
from skydc.errors import ScenarioError, SkydcError

if TYPE_CHECKING:
    from skydc.api import (
        STAGES,
        LoadedScenario,
        Result,
        Scenario,
        StageCache,
        cost,
        list_examples,
        load_scenario,
        route,
        run,
        simulate,
        size,
        sweep,
        validate,
    )

_API = (
    "STAGES", "LoadedScenario", "Result", "Scenario", "StageCache", "cost", "list_examples",
    "load_scenario", "route", "run", "simulate", "size", "sweep", "validate",
)  # fmt: skip

__all__ = [
    "STAGES",
    "LoadedScenario",
    "Result",
    "Scenario",
    "ScenarioError",
    "SkydcError",
    "StageCache",
    "__version__",
    "cost",
    "list_examples",
    "load_scenario",
    "route",
    "run",
    "simulate",
    "size",
    "sweep",
    "validate",
]


def __getattr__(name: str) -> Any:
    if name in _API:
        from skydc import api

        return getattr(api, name)
    raise AttributeError(f"module 'skydc' has no attribute {name!r}")
