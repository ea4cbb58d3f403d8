"""Stage ``exports``: files beside the run's tables that other tools read.

``czml``: satellites, laser links and ground stations for Cesium (offline), on the run's time
grid. (The ``states`` export is streamed by the sunlight stage as it computes, the only way to
keep a million satellites' states in bounded memory.)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from skydc.errors import ScenarioError
from skydc.io.czml import write_czml
from skydc.pipeline.base import Context, Stage
from skydc.pipeline.constellation import ConstellationOutput
from skydc.pipeline.network import NetworkOutput
from skydc.pipeline.shells import ShellSatellites, shell_states, sun_at, time_grid_s
from skydc.scenario.load import LoadedScenario

EXPORTS = ("states", "czml")


@dataclass(frozen=True)
class ExportsOutput:
    """The files written (names inside the run folder)."""

    files: tuple[str, ...]

    def metrics(self) -> dict[str, Any]:
        return {}

    def tables(self) -> dict[str, pa.Table]:
        return {}


def export_czml(
    loaded: LoadedScenario,
    shells: tuple[ShellSatellites, ...],
    epoch_jd: float,
    net: NetworkOutput | None,
    path: Path,
    max_satellites: int = 2000,
    max_steps: int = 1441,
) -> None:
    """Write satellites, laser links and ground stations as CZML (Cesium, offline).

    Positions on the run's time grid (thinned to ``max_steps``), for at most ``max_satellites``
    satellites spread over the shells; links as routed at the network samples, each held until
    the next sample.
    """
    scenario = loaded.scenario
    grid = time_grid_s(scenario)
    t = grid[:: max(1, int(np.ceil(grid.size / max_steps)))]
    n_total = sum(s.n_sat for s in shells)
    keep = np.unique(
        np.linspace(0, n_total - 1, min(max_satellites, n_total)).round().astype(np.int64)
    )
    r_sun = sun_at(epoch_jd, t)
    parts_r, parts_f, groups = [], [], []
    for shell in shells:
        local = keep[(keep >= shell.first_sat_id) & (keep < shell.first_sat_id + shell.n_sat)]
        idx = local - shell.first_sat_id
        if idx.size == 0:
            continue
        r, f = shell_states(shell, t, epoch_jd, r_sun, index=idx)
        parts_r.append(r)
        parts_f.append(f)
        groups += [shell.name] * idx.size
    links: list[tuple[int, NDArray[np.int64], NDArray[np.int64]]] = []
    stations: list[tuple[str, float, float, float]] = []
    if net is not None:
        position = np.full(n_total, -1, dtype=np.int64)
        position[keep] = np.arange(keep.size)
        which = np.searchsorted(net.sample_t_s, t, side="right") - 1
        for m, k in enumerate(which):
            i, j = net.links[int(k)]
            a, b = position[i], position[j]
            both = (a >= 0) & (b >= 0)
            links.append((m, a[both], b[both]))
        stations = [
            (name, float(lat), float(lon), float(alt))
            for name, (lat, lon, alt) in zip(net.station_names, net.station_llh.T, strict=True)
        ]
    write_czml(
        path,
        name=scenario.name,
        epoch_utc=scenario.epoch_utc,
        t_s=t,
        sat_ids=keep,
        r_ecef_m=np.concatenate(parts_r, axis=1),
        sat_groups=groups,
        sunlit_fraction=np.concatenate(parts_f, axis=0),
        ground_stations=stations,
        links=links,
        max_satellites=max_satellites,
        # positions every <= 300 s: Lagrange-5 interpolation stays within ~35 m (tests/io)
        position_stride=max(1, int(300.0 // max(float(t[1] - t[0]) if t.size > 1 else 300.0, 1.0))),
    )


def run(
    ctx: Context, constellation: ConstellationOutput, network: NetworkOutput | None = None
) -> ExportsOutput:
    """Write the CZML export into the run folder (when asked for and there is a folder)."""
    files: list[str] = []
    if ctx.folder is not None and "czml" in ctx.exports:
        name = f"{ctx.loaded.scenario.name}.czml"
        export_czml(
            ctx.loaded, constellation.shells, constellation.epoch_jd, network, ctx.folder / name
        )
        files.append(name)
    return ExportsOutput(tuple(files))


def check_exports(loaded: LoadedScenario, exports: frozenset[str], has_folder: bool) -> None:
    """Known export names, an output folder to hold them, and the network the CZML draws."""
    unknown = sorted(exports - set(EXPORTS))
    if unknown:
        raise ScenarioError(f"unknown export {unknown[0]!r}; allowed: {', '.join(EXPORTS)}")
    if exports and not has_folder:
        raise ScenarioError("exports need an output folder (-o DIR / output_dir=...)")


STAGE = Stage(
    name="exports",
    requires=("constellation",),
    optional=("network",),
    run=run,
    reads=("duration_s", "step_s", "network"),
    description="CZML for Cesium (satellites, laser links, ground stations)",
)
