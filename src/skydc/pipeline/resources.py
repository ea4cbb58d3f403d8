"""A memory and time estimate of a run, made from the scenario alone before any heavy work, so
that what cannot fit is refused up front with the estimate and the field to change.

The models are upper-bound sketches of each stage's dominant arrays (bytes per satellite, per
satellite-step, per station pair), measured on the bundled examples; they are meant to be within
a small factor, enough to tell a run that fits from ``planes = 1e9`` or ``step_s = 1e-9``.
A memory estimate that exceeds the machine is always refused; a time estimate beyond
:data:`TIME_LIMIT_S` is refused unless forced (``--force``).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from skydc.errors import ScenarioError
from skydc.network.ground import BUNDLED, MAX_STATIONS
from skydc.pipeline.shells import BYTES_PER_SAT_STEP
from skydc.scenario.load import LoadedScenario
from skydc.scenario.models import CatalogShell

TIME_LIMIT_S = 12 * 3600.0  # refuse (unless forced) a run estimated to take longer
MEMORY_SHARE = 0.8  # of physical memory a run may plan to use
_TLE_RECORD_BYTES = 138  # two 69-character lines: a file holds at most size / 138 records
_SAT_STEPS_PER_S = 1e7  # propagation and sunlight, NumPy backend, conservative
_ROUTED_SAT_PER_S = 2e6  # routing work per satellite per sampled instant


@dataclass
class Estimate:
    """Peak memory [B] and wall time [s] of a run, with the share of each part, and the field
    that drives it most (the one to change)."""

    memory_b: dict[str, float] = field(default_factory=dict)
    time_s: dict[str, float] = field(default_factory=dict)
    driver: str = "shells"

    @property
    def peak_memory_b(self) -> float:
        """Largest single part plus a base of 300 MB (interpreter, libraries)."""
        return 3e8 + max(self.memory_b.values(), default=0.0)

    @property
    def total_time_s(self) -> float:
        return sum(self.time_s.values())


def physical_memory_b() -> float:
    """This machine's physical memory [B] (``inf`` where it cannot be read)."""
    try:
        return float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return math.inf


def _satellites(loaded: LoadedScenario) -> dict[int, float]:
    out: dict[int, float] = {}
    for i, shell in enumerate(loaded.scenario.shells):
        if isinstance(shell, CatalogShell):
            path = Path(shell.file)
            path = path if path.is_absolute() else loaded.base_dir / path
            size = path.stat().st_size if path.is_file() else 0
            out[i] = float(size // _TLE_RECORD_BYTES)
        else:
            out[i] = float(shell.planes) * float(shell.sats_per_plane)
    return out


def _stations(loaded: LoadedScenario) -> int:
    """Stations the network will route between: lines of the bundled set or of the user's file
    (an upper bound: comments and the header count too; the file itself is checked later)."""
    name = loaded.scenario.network.ground_stations
    if name in BUNDLED:
        text = (resources.files("skydc") / "data" / BUNDLED[name]).read_text(encoding="utf-8")
        return text.count("\n")
    path = Path(name) if Path(name).is_absolute() else loaded.base_dir / name
    if not path.is_file():
        return 0
    with path.open("rb") as fh:
        return min(sum(1 for _ in fh), MAX_STATIONS + 1)


def estimate(loaded: LoadedScenario, stages: set[str]) -> Estimate:
    """The estimate for running ``stages`` (resolved, dependencies included) of a scenario."""
    s = loaded.scenario
    per_shell = _satellites(loaded)
    n = sum(per_shell.values())
    n_max = max(per_shell.values(), default=0.0)
    n_time = s.duration_s / s.step_s + 1.0
    planes = sum(
        float(sh.planes) if not isinstance(sh, CatalogShell) else per_shell[i]
        for i, sh in enumerate(s.shells)
    )
    biggest = max(per_shell, key=per_shell.__getitem__, default=0)
    if n > 1e7:  # beyond ten million satellites the count itself is what does not fit
        driver = f"shells[{biggest}]"
    elif n_time > 1e6:
        driver = "step_s"
    elif s.seasons.days / s.seasons.step_days > 1e5:
        driver = "seasons.step_days"
    else:
        driver = ""
    est = Estimate(driver=driver)
    est.memory_b["constellation"] = 120.0 * n
    est.time_s["constellation"] = n / 5e6
    if "seasons" in stages:
        days = s.seasons.days / s.seasons.step_days
        est.memory_b["seasons"] = 64.0 * planes * days + 120.0 * n
        est.time_s["seasons"] = planes * days / 2e5
    if "sunlight" in stages:
        chunk = max(s.compute.memory_budget_mb * 1e6, n_max * BYTES_PER_SAT_STEP)
        series = 32.0 * n_time * len(s.shells)
        est.memory_b["sunlight"] = 120.0 * n + 64.0 * n + chunk + series
        est.time_s["sunlight"] = n * n_time / _SAT_STEPS_PER_S
    if "network" in stages:
        net = s.network
        samples = float(min(net.samples, n_time))
        stations = float(_stations(loaded))
        pairs = stations * stations * samples * 56.0
        est.memory_b["network"] = 120.0 * n + 3 * 8.0 * n * samples + pairs + 6e8
        est.time_s["network"] = n * samples / _ROUTED_SAT_PER_S
        if net.cluster.enabled:
            n_c = 1.0 + 4.0 * net.cluster.rings * (net.cluster.rings + 1)
            # pairwise distances over one orbit (n_c, n_c, 201) and their temporaries
            est.memory_b["network.cluster"] = 6 * 8.0 * n_c * n_c * 201.0
    if "operations" in stages:
        nodes = n if n <= 5000 else float(len(s.shells))
        est.memory_b["operations"] = 120.0 * n + 32.0 * nodes * n_time
        est.time_s["operations"] = nodes * n_time / 1e6
    return est


def _gib(x: float) -> str:
    return f"{x / 2**30:,.1f} GiB" if math.isfinite(x) else "an unbounded amount"


def check_resources(loaded: LoadedScenario, stages: set[str], *, force: bool = False) -> Estimate:
    """Refuse a run that cannot fit in memory, or (unless ``force``) would take too long."""
    est = estimate(loaded, stages)
    limit = MEMORY_SHARE * physical_memory_b()
    if est.peak_memory_b > limit:
        part = max(est.memory_b, key=est.memory_b.__getitem__)
        raise ScenarioError(
            f"this run needs about {_gib(est.peak_memory_b)} of memory (mostly {part}), more "
            f"than the {_gib(limit)} this machine allows; reduce the satellites (shells[].planes, "
            "sats_per_plane), the time steps (duration_s, step_s), seasons.step_days or "
            "network.cluster.rings",
            file=loaded.source,
            field=est.driver or _field_for(part),
        )
    if est.total_time_s > TIME_LIMIT_S and not force:
        part = max(est.time_s, key=est.time_s.__getitem__)
        raise ScenarioError(
            f"this run would take about {est.total_time_s / 3600:,.0f} h (mostly {part}); "
            "reduce its size, or pass --force (force=True) to run it anyway",
            file=loaded.source,
            field=est.driver or _field_for(part),
        )
    return est


def _field_for(part: str) -> str:
    return {
        "constellation": "shells",
        "seasons": "seasons.step_days",
        "sunlight": "step_s",
        "network": "network.samples",
        "network.cluster": "network.cluster.rings",
        "operations": "step_s",
    }.get(part, "shells")
