"""The Python API: the CLI's verbs as functions.

>>> import orbitdc
>>> loaded = orbitdc.load_scenario("starlink-shell1", ["duration_s=600"])
>>> result = orbitdc.run(loaded)
>>> result.metrics["constellation"]["satellites"]
1584
"""

from __future__ import annotations

from orbitdc.runner import Result, cost, run, simulate, size
from orbitdc.runner import network as route  # `orbitdc.network` is the subpackage
from orbitdc.scenario.load import LoadedScenario, list_examples, load_scenario
from orbitdc.scenario.models import CatalogShell, Scenario


def satellite_count(loaded: LoadedScenario) -> int:
    """Satellites in a scenario: generated shells plus the records of its TLE/OMM files."""
    from orbitdc.satellites import load_catalogs

    catalogs = load_catalogs(loaded)
    return sum(
        len(catalogs[i]) if isinstance(shell, CatalogShell) else shell.satellites
        for i, shell in enumerate(loaded.scenario.shells)
    )


__all__ = [
    "LoadedScenario",
    "Result",
    "Scenario",
    "cost",
    "list_examples",
    "load_scenario",
    "route",
    "run",
    "satellite_count",
    "simulate",
    "size",
]
