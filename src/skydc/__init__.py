"""skydc: design, simulate and cost orbital data centers."""

from __future__ import annotations

from skydc._version import __version__
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
    validate,
)
from skydc.errors import ScenarioError, SkydcError

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
    "validate",
]
