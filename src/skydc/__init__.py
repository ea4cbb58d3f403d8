"""skydc: design, simulate and cost orbital data centers."""

from __future__ import annotations

__version__ = "0.1.0"

from skydc.api import (
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
from skydc.errors import ScenarioError, SkydcError

__all__ = [
    "LoadedScenario",
    "Result",
    "Scenario",
    "ScenarioError",
    "SkydcError",
    "__version__",
    "cost",
    "list_examples",
    "load_scenario",
    "route",
    "run",
    "simulate",
    "size",
]
