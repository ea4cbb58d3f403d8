"""Stage ``operations``: the sized constellation as compute nodes, running the scenario's
workloads through the orbit's sunlight, with radiation faults (``skydc.operations``).

Nodes come from the sizing (accelerators, IT power, array output, battery, bus load) and the
orbit (each node's sunlit fraction on the run's time grid). ``operations.nodes`` chooses one node
per satellite, or one per shell (the sunlit share of the shell's satellites, estimated from up to
``SHELL_SAMPLE`` of them), which is how a million satellites simulate a day. The same workloads
also run on one centralized node of the same IT power (the distributed-vs-centralized side by
side).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from skydc.constants import EARTH_RADIUS_M, SPEED_OF_LIGHT_M_S
from skydc.economics.space import load_space_costs
from skydc.errors import ScenarioError
from skydc.operations.faults import FaultModel
from skydc.operations.metrics import compare_architectures, ground_completion_s
from skydc.operations.nodes import Environment, NodeSpec
from skydc.operations.workloads import EarthObservationJob, InferenceService, TrainingJob
from skydc.pipeline.base import Context, OutputDisplay, Stage
from skydc.pipeline.constellation import ConstellationOutput
from skydc.pipeline.shells import ShellSatellites, shell_states, sun_at, time_grid_s
from skydc.pipeline.sizing import SizingOutput
from skydc.scenario.load import LoadedScenario
from skydc.spacecraft.radiation import RadiationEnvironment

Workload = TrainingJob | InferenceService | EarthObservationJob

# Workload numbers (parameters, tokens, bytes, FLOP per token, rates) above this are no workload
# anyone runs; a bound keeps their products (FLOP = 6 N D ...) far from float overflow.
MAX_MAGNITUDE = 1e24
SHELL_SAMPLE = 2000  # satellites per shell that estimate the shell's sunlit share
SATELLITE_NODES_MAX = 5000  # "auto" uses one node per satellite up to this many satellites


def _slant_rtt_s(altitude_km: float, elevation_deg: float = 25.0) -> float:
    """Up-and-down light time to a satellite seen at ``elevation_deg`` (spherical Earth) [s]."""
    r, h = EARTH_RADIUS_M, altitude_km * 1e3
    e = math.radians(elevation_deg)
    slant = math.sqrt((r + h) ** 2 - (r * math.cos(e)) ** 2) - r * math.sin(e)
    return 2.0 * slant / SPEED_OF_LIGHT_M_S


def _workloads(loaded: LoadedScenario) -> list[Workload]:
    ops = loaded.scenario.operations
    out: list[Workload] = []
    classes: list[tuple[str, Any]] = [
        ("earth_observation", EarthObservationJob),
        ("training", TrainingJob),
        ("inference", InferenceService),
    ]
    for key, cls in classes:
        for k, spec in enumerate(getattr(ops, key)):
            field = f"operations.{key}[{k}]"
            allowed = [f.name for f in dataclasses.fields(cls)]
            unknown = [name for name in spec if name not in allowed]
            if unknown:
                raise ScenarioError(
                    f"unknown key; allowed keys: {', '.join(allowed)}",
                    file=loaded.source,
                    field=f"{field}.{unknown[0]}",
                )
            values: dict[str, Any] = {
                name: tuple(v) if isinstance(v, list) else v for name, v in spec.items()
            }
            for name, v in values.items():
                numbers = v if isinstance(v, tuple) else (v,)
                big = [x for x in numbers if isinstance(x, int | float) and abs(x) > MAX_MAGNITUDE]
                if big:
                    raise ScenarioError(
                        f"{big[0]:g} is beyond any workload (|x| <= {MAX_MAGNITUDE:g}); products "
                        "of such numbers would overflow",
                        file=loaded.source,
                        field=f"{field}.{name}",
                    )
            try:
                out.append(cls(**values))
            except (TypeError, ValueError) as exc:
                raise ScenarioError(str(exc), file=loaded.source, field=field) from None
    return out


def _sunlit(
    shells: tuple[ShellSatellites, ...],
    t_s: NDArray[np.float64],
    epoch: float,
    per_satellite: bool,
) -> NDArray[np.float64]:
    """Sunlit fraction per node over ``t_s``: (n_sat, n_time) or (n_shell, n_time)."""
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
    loaded: LoadedScenario, constellation: ConstellationOutput, fleet: SizingOutput
) -> tuple[list[NodeSpec], Environment]:
    """Node specs and their environment for the operations simulator."""
    shells = constellation.shells
    ops = loaded.scenario.operations
    total = sum(s.n_sat for s in shells)
    per_sat = ops.nodes == "satellite" or (ops.nodes == "auto" and total <= SATELLITE_NODES_MAX)
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
        )
        copies = shell.n_sat if per_sat else 1
        nodes += [spec] * copies
        isl += [link_bps * (1 if per_sat else shell.n_sat)] * copies
        rtt += [_slant_rtt_s(orbit.altitude_km)] * copies
    env = Environment(t, sunlit, isl_capacity_bps=np.array(isl), ground_rtt_s=np.array(rtt))
    return nodes, env


def _faults(loaded: LoadedScenario, fleet: SizingOutput) -> FaultModel:
    """Fault rates from the radiation model (first shell's orbit; NaN rates count as none)."""
    ops = loaded.scenario.operations
    if not ops.faults:
        return FaultModel()
    sc = loaded.scenario.spacecraft
    name, orbit = next(iter(fleet.orbits.items()))
    rates = RadiationEnvironment(orbit.altitude_km, orbit.inclination_deg, sc.shield_mm_al)
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


@dataclass(frozen=True, repr=False)
class OperationsOutput(OutputDisplay):
    """The ``operations`` metric group and the simulator's tables."""

    summary: dict[str, Any]
    table_map: dict[str, pa.Table]

    def metrics(self) -> dict[str, Any]:
        return {"operations": self.summary}

    def tables(self) -> dict[str, pa.Table]:
        return self.table_map


def run_operations(
    loaded: LoadedScenario,
    constellation: ConstellationOutput,
    fleet: SizingOutput,
    progress: Any = None,
) -> OperationsOutput:
    """Simulate the scenario's workloads; metrics under ``operations`` and report tables."""
    ops = loaded.scenario.operations
    workloads = _workloads(loaded)
    if not workloads:
        raise ScenarioError(
            "no workloads: declare [[operations.training]], [[operations.inference]] or "
            "[[operations.earth_observation]]",
            file=loaded.source,
            field="operations",
        )
    nodes, env = build_nodes(loaded, constellation, fleet)
    try:
        comparison = compare_architectures(
            nodes, env, workloads,
            centralized_bandwidth_bps=ops.intra_satellite_bandwidth_gbps * 1e9,
            policy=ops.policy, faults=_faults(loaded, fleet), seed=ops.seed, progress=progress,
            inference_model=ops.inference_model,
        )  # fmt: skip
    except ValueError as exc:
        raise ScenarioError(str(exc), file=loaded.source, field="operations") from None
    dist, cent = comparison.distributed, comparison.centralized
    d_summary = dist.summary()
    for job in (w for w in workloads if isinstance(w, TrainingJob)):
        # the same job in a ground data center: same accelerators, no eclipse, ideal fabric
        d_summary[f"training.{job.name}.ground_completion_s"] = ground_completion_s(
            job, nodes[0], bandwidth_bps=ops.ground_bandwidth_gbps * 1e9
        )
    summary = {
        **d_summary,
        "nodes": len(nodes),
        "node_granularity": "satellite" if len(nodes) == constellation.n_sat else "shell",
        "inference_model": ops.inference_model,
        "work_issued_flops": float(dist.ledger.issued_flops),
        "work_useful_flops": float(dist.ledger.useful_flops),
        "work_lost_flops": float(dist.ledger.lost_flops),
        "work_pending_flops": float(dist.ledger.pending_flops),
        "work_balanced": bool(dist.ledger.balanced),
        "faults_drawn": dict(dist.faults_drawn),
        "centralized": cent.summary(),
    }
    tables = {
        "operations_timeseries": dist.timeseries,
        "operations_centralized_timeseries": cent.timeseries,
        "operations_timeline": dist.timeline,
        "operations_architectures": comparison.table(),
    }
    return OperationsOutput(summary, tables)


def run(ctx: Context, constellation: ConstellationOutput, sizing: SizingOutput) -> OperationsOutput:
    """Simulate the scenario's workloads on the sized constellation."""

    def progress(done_s: float, total_s: float) -> None:
        ctx.report(done_s, total_s, "operations")

    return run_operations(ctx.loaded, constellation, sizing, progress=progress)


def check(loaded: LoadedScenario) -> None:
    """Every declared workload builds (known keys, valid values)."""
    _workloads(loaded)


STAGE = Stage(
    name="operations",
    requires=("constellation", "sizing"),
    run=run,
    reads=(
        "operations", "duration_s", "step_s", "economics.annual_failure_probability",
    ),
    check=check,
    description="AI workloads through eclipses, faults and links; distributed vs centralized",
)
