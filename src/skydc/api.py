"""The Python API: the CLI's verbs as functions.

>>> import skydc
>>> loaded = skydc.load_scenario("starlink-shell1", ["duration_s=600"])
>>> result = skydc.run(loaded)
>>> result.metrics["constellation"]["satellites"]
1584
"""

from __future__ import annotations

from skydc.runner import Result, cost, run, simulate, size
from skydc.runner import network as route  # `skydc.network` is the subpackage
from skydc.scenario.load import LoadedScenario, list_examples, load_scenario
from skydc.scenario.models import CatalogShell, Scenario


def satellite_count(loaded: LoadedScenario) -> int:
    """Satellites in a scenario: generated shells plus the records of its TLE/OMM files."""
    from skydc.satellites import load_catalogs

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
