"""orbitdc: design, simulate and cost orbital data centers."""

from __future__ import annotations

__version__ = "0.1.0"

from orbitdc.api import (
    LoadedScenario,
    Result,
    Scenario,
    cost,
    list_examples,
    load_scenario,
    route,
    run,
    simulate,
    size,
)
from orbitdc.errors import OrbitdcError, ScenarioError

__all__ = [
    "LoadedScenario",
    "OrbitdcError",
    "Result",
    "Scenario",
    "ScenarioError",
    "__version__",
    "cost",
    "list_examples",
    "load_scenario",
    "route",
    "run",
    "simulate",
    "size",
]
