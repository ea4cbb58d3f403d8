"""Compute nodes for the operations simulator from the sized constellation (shared by the
``operations`` and ``delivery`` stages).

Nodes come from the sizing (accelerators, IT power, array output, battery, bus load) and the
orbit (each node's sunlit fraction on the run's time grid): one node per satellite, or one per
shell (the sunlit share of the shell's satellites, estimated from up to ``SHELL_SAMPLE`` of
them), which is how a million satellites simulate a day. Fault rates come from the radiation
model (``skydc.spacecraft``).
"""

from __future__ import annotations

import functools
import math
import tomllib
from importlib.resources import files

import numpy as np
from numpy.typing import NDArray

from skydc.constants import EARTH_RADIUS_M, SPEED_OF_LIGHT_M_S
from skydc.economics.space import load_space_costs
from skydc.operations.faults import FaultModel
from skydc.operations.nodes import Environment, NodeSpec
from skydc.pipeline.constellation import ConstellationOutput
from skydc.pipeline.shells import ShellSatellites, shell_states, sun_at, time_grid_s
from skydc.pipeline.sizing import SizingOutput
from skydc.scenario.load import LoadedScenario
from skydc.spacecraft.radiation import RadiationEnvironment

SHELL_SAMPLE = 2000  # satellites per shell that estimate the shell's sunlit share
SATELLITE_NODES_MAX = 5000  # "auto" uses one node per satellite up to this many satellites


def _slant_rtt_s(altitude_km: float, elevation_deg: float = 25.0) -> float:
    """Up-and-down light time to a satellite seen at ``elevation_deg`` (spherical Earth) [s]."""
    r, h = EARTH_RADIUS_M, altitude_km * 1e3
    e = math.radians(elevation_deg)
    slant = math.sqrt((r + h) ** 2 - (r * math.cos(e)) ** 2) - r * math.sin(e)
    return 2.0 * slant / SPEED_OF_LIGHT_M_S


@functools.lru_cache(maxsize=16)
def _unit_memory_bandwidth_bytes_s(accelerator: str) -> float:
    """Peak memory bandwidth of one catalog unit [B/s] (``memory_bandwidth_gb_s`` of
    ``accelerators.toml``; ``inf`` where the entry has none: decode is then compute-bound).
    Read here until ``skydc.spacecraft.payload.Accelerator`` carries the field."""
    text = (files("skydc") / "data" / "accelerators.toml").read_text(encoding="utf-8")
    entry = tomllib.loads(text)["accelerators"].get(accelerator, {})
    value = entry.get("memory_bandwidth_gb_s")
    return math.inf if value is None else float(value) * 1e9


# The last few sunlit series, by the constellation's shells (held here, so compared by
# identity): a study that re-sizes the same constellation point after point (delivery and
# operations stages) propagates and shadows it once, not once per point.
_SUNLIT_CACHE: list[tuple[tuple[ShellSatellites, ...], bytes, float, bool, NDArray[np.float64]]]
_SUNLIT_CACHE = []
_SUNLIT_CACHE_SIZE = 2


def _sunlit(
    shells: tuple[ShellSatellites, ...],
    t_s: NDArray[np.float64],
    epoch: float,
    per_satellite: bool,
) -> NDArray[np.float64]:
    """Sunlit fraction per node over ``t_s``: (n_sat, n_time) or (n_shell, n_time)."""
    grid = np.ascontiguousarray(t_s, dtype=np.float64).tobytes()
    for held, held_grid, held_epoch, held_per_sat, out in _SUNLIT_CACHE:
        if held is shells and held_grid == grid and held_epoch == epoch and (
            held_per_sat == per_satellite
        ):
            return out
    out = _sunlit_uncached(shells, t_s, epoch, per_satellite)
    out.setflags(write=False)
    _SUNLIT_CACHE.insert(0, (shells, grid, epoch, per_satellite, out))
    del _SUNLIT_CACHE[_SUNLIT_CACHE_SIZE:]
    return out


def _sunlit_uncached(
    shells: tuple[ShellSatellites, ...],
    t_s: NDArray[np.float64],
    epoch: float,
    per_satellite: bool,
) -> NDArray[np.float64]:
    r_sun = sun_at(epoch, t_s)
    rows = []
    for shell in shells:
        if per_satellite:
            rows.append(shell_states(shell, t_s, epoch, r_sun)[1])
        else:
            n = min(shell.n_sat, SHELL_SAMPLE)
            idx = np.unique(np.linspace(0, shell.n_sat - 1, n).round().astype(np.intp))
            rows.append(shell_states(shell, t_s, epoch, r_sun, index=idx)[1].mean(axis=0)[None])
    return np.clip(np.nan_to_num(np.concatenate(rows, axis=0), nan=1.0), 0.0, 1.0)


def build_nodes(
    loaded: LoadedScenario,
    constellation: ConstellationOutput,
    fleet: SizingOutput,
    granularity: str | None = None,
) -> tuple[list[NodeSpec], Environment]:
    """Node specs and their environment for the operations simulator, one per satellite or one
    per shell (``granularity``: ``"satellite"``, ``"shell"``, ``"auto"``; default
    ``operations.nodes``)."""
    shells = constellation.shells
    ops = loaded.scenario.operations
    total = sum(s.n_sat for s in shells)
    nodes_opt = ops.nodes if granularity is None else granularity
    per_sat = nodes_opt == "satellite" or (nodes_opt == "auto" and total <= SATELLITE_NODES_MAX)
    t = time_grid_s(loaded.scenario)
    sunlit = _sunlit(shells, t, constellation.epoch_jd, per_sat)
    nodes: list[NodeSpec] = []
    isl: list[float] = []
    rtt: list[float] = []
    for shell in shells:
        sat = fleet.satellites[shell.name]
        orbit = fleet.orbits[shell.name]
        count = 1 if per_sat else shell.n_sat
        terminals = fleet.technology.bus.laser_terminals
        link_bps = ops.isl_capacity_gbps * 1e9
        spec = NodeSpec(
            name=shell.name,
            peak_flops=float(sat.payload.peak_ops_per_s[ops.precision]),
            it_power_w=sat.it_power_w,
            battery_wh=sat.battery_capacity_wh,
            array_power_w=float(sat.power.array_power_eol_w),
            bus_power_w=sat.load_w - sat.it_power_w,
            satellites=count,
            accelerators=sat.n_accelerators,
            memory_bytes=float(sat.payload.memory_gb) * 1e9,
            min_state_of_charge=1.0 - float(sat.power.battery_depth_of_discharge),
            internal_bandwidth_bps=(
                ops.intra_satellite_bandwidth_gbps * 1e9 if per_sat else terminals * link_bps
            ),
            memory_bandwidth_bytes_s=float(sat.payload.n_units)
            * _unit_memory_bandwidth_bytes_s(sat.payload.accelerator.name),
            idle_power_fraction=ops.accelerator_idle_power_fraction,
        )
        copies = shell.n_sat if per_sat else 1
        nodes += [spec] * copies
        isl += [link_bps * (1 if per_sat else shell.n_sat)] * copies
        rtt += [_slant_rtt_s(orbit.altitude_km)] * copies
    env = Environment(t, sunlit, isl_capacity_bps=np.array(isl), ground_rtt_s=np.array(rtt))
    return nodes, env


def fault_model(loaded: LoadedScenario, fleet: SizingOutput) -> FaultModel:
    """Fault rates from the radiation model (first shell's orbit; NaN rates count as none)."""
    ops = loaded.scenario.operations
    if not ops.faults:
        return FaultModel()
    sc = loaded.scenario.spacecraft
    name, orbit = next(iter(fleet.orbits.items()))
    rates = RadiationEnvironment.for_mission(
        orbit.altitude_km, orbit.inclination_deg, sc.shield_mm_al,
        loaded.scenario.epoch_utc, sc.lifetime_yr,
    )  # fmt: skip
    fr = rates.fault_rates(fleet.satellites[name].payload.accelerator, sc.lifetime_yr)
    failure = loaded.scenario.economics.annual_failure_probability
    if failure is None:
        failure = load_space_costs()["reliability.annual_failure_probability"].value

    def finite(x: float) -> float:
        return float(x) if math.isfinite(x) else 0.0

    return FaultModel(
        sdc_per_device_day=finite(fr.sdc_per_device_day),
        ue_per_device_day=finite(fr.hbm_ue_per_device_day),
        sefi_per_device_day=finite(fr.sefi_per_device_day),
        satellite_failure_per_year=float(failure),  # an annual probability (FaultModel converts)
        replacement_s=ops.replacement_days * 86400.0,
    )
