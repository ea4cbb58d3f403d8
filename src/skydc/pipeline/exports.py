"""Stage ``exports``: files beside the run's tables that other tools read.

``czml``: satellites, laser links and ground stations for Cesium (offline), on the run's time
grid. ``hypatia``: the folder ``hypatia/`` Hypatia's ns-3 simulation reads (``tles.txt``,
``isls.txt``, ``ground_stations.txt``, GSL interface files and ``fstate_<t_ns>.txt`` per routed
instant; :mod:`skydc.io.hypatia`). (The ``states`` export is streamed by the sunlight stage as
it computes, the only way to keep a million satellites' states in bounded memory.)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from skydc.errors import ScenarioError
from skydc.io.hypatia import (
    isl_interfaces,
    write_fstate,
    write_ground_stations,
    write_gsl_files,
    write_gsl_if_bandwidth,
    write_isls,
    write_tles,
)
from skydc.orbits.elements import OrbitalElements
from skydc.orbits.tle import elements_to_satrecs
from skydc.pipeline.base import Context, OutputDisplay, Stage
from skydc.pipeline.constellation import ConstellationOutput
from skydc.pipeline.network import NetworkOutput, run_network
from skydc.pipeline.shells import ShellSatellites, shell_states, sun_at, time_grid_s
from skydc.scenario.load import LoadedScenario

EXPORTS = ("states", "czml", "hypatia")


@dataclass(frozen=True, repr=False)
class ExportsOutput(OutputDisplay):
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
    from skydc.io.czml import write_czml  # czml3 (and pydantic models) load in ~0.45 s

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


def _dynamic_state_dir(t_s: NDArray[np.float64]) -> str:
    """Hypatia's ``dynamic_state_<step>ms_for_<duration>s`` for instants evenly spaced from 0,
    else ``dynamic_state``."""
    if t_s.size >= 2 and t_s[0] == 0.0:
        step = np.diff(t_s)
        ms = round(float(step[0]) * 1e3)
        if ms > 0 and np.allclose(step * 1e3, ms, rtol=0.0, atol=1e-6):
            duration = ms * t_s.size / 1e3
            return f"dynamic_state_{ms}ms_for_{duration:g}s"
    return "dynamic_state"


def export_hypatia(
    loaded: LoadedScenario, constellation: ConstellationOutput, net: NetworkOutput, folder: Path
) -> list[str]:
    """Write the Hypatia folder (module docstring); returns the files written, relative.

    Satellites are written as TLEs of their mean elements at the scenario epoch (one epoch, as
    Hypatia requires; catalog satellites lose their drag term B*), in skydc's global id order;
    the header is ``<planes> <sats_per_plane>`` for one regular shell stored plane by plane,
    else ``1 <satellites>``. ``isls.txt`` holds every ISL up at some routed instant.
    """
    folder.mkdir(parents=True, exist_ok=True)
    shells = constellation.shells
    elements = OrbitalElements.concatenate([s.elements for s in shells])
    layout = (1, elements.n_sat)
    if len(shells) == 1 and constellation.structures:
        st = constellation.structures[0]
        per = int(st.sats_per_plane[0]) if st.n_planes else 0
        stored = np.arange(st.n_sat) // max(per, 1)
        if st.regular and np.array_equal(st.plane_index, stored):
            layout = (st.n_planes, per)
    write_tles(folder / "tles.txt", elements_to_satrecs(elements), *layout, loaded.scenario.name)
    isl_i, isl_j = net.isl_union
    write_isls(folder / "isls.txt", isl_i, isl_j)
    assert net.stations is not None
    write_ground_stations(folder / "ground_stations.txt", net.stations)
    n_sat, n_gs = elements.n_sat, net.stations.n_gs
    write_gsl_files(folder, n_sat, n_gs, net.max_gsl_length_m, net.max_isl_length_m)
    files = ["tles.txt", "isls.txt", "ground_stations.txt", "gsl_interfaces_info.txt",
             "description.txt"]  # fmt: skip
    state = _dynamic_state_dir(net.sample_t_s)
    (folder / state).mkdir(exist_ok=True)
    _, _, num_isls = isl_interfaces(isl_i, isl_j, n_sat)
    for tk, fstate in zip(net.sample_t_s, net.fstates, strict=True):
        t_ns = round(float(tk) * 1e9)
        write_fstate(folder / state / f"fstate_{t_ns}.txt", fstate, isl_i, isl_j, n_sat)
        write_gsl_if_bandwidth(folder / state / f"gsl_if_bandwidth_{t_ns}.txt", num_isls, n_gs)
        files += [f"{state}/fstate_{t_ns}.txt", f"{state}/gsl_if_bandwidth_{t_ns}.txt"]
    return [f"{folder.name}/{f}" for f in files]


def run(
    ctx: Context, constellation: ConstellationOutput, network: NetworkOutput | None = None
) -> ExportsOutput:
    """Write the CZML and Hypatia exports into the run folder (when asked for and there is a
    folder)."""
    files: list[str] = []
    if ctx.folder is not None and "hypatia" in ctx.exports:
        if network is None:
            raise ScenarioError(
                "the Hypatia export writes the network's forwarding state: run the network "
                "(skydc network, or network.enabled = true)",
                file=ctx.loaded.source,
                field="network.enabled",
            )
        if not network.fstates:  # a cached network output kept none: route again, keeping it
            network = run_network(
                ctx.loaded, constellation.shells, constellation.epoch_jd, ctx,
                constellation.structures,
            )  # fmt: skip
        files += export_hypatia(ctx.loaded, constellation, network, ctx.folder / "hypatia")
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
    description="CZML for Cesium (satellites, laser links, ground stations), Hypatia files",
)
