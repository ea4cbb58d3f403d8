"""Stage ``operations``: the sized constellation as compute nodes, running the scenario's
workloads through the orbit's sunlight, with radiation faults (``skydc.operations``).

Nodes come from the sizing (accelerators, IT power, array output, battery, bus load) and the
orbit (each node's sunlit fraction on the run's time grid; ``skydc.pipeline.fleet_nodes``).
``operations.nodes`` chooses one node per satellite, or one per shell (the sunlit share of a
sample of the shell's satellites), which is how a million satellites simulate a day. The same
workloads also run on one centralized node of the same IT power (the distributed-vs-centralized
side by side).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from skydc.errors import ScenarioError
from skydc.operations.metrics import compare_architectures, ground_completion_s
from skydc.operations.workloads import EarthObservationJob, InferenceService, TrainingJob
from skydc.pipeline.base import Context, OutputDisplay, Stage
from skydc.pipeline.constellation import ConstellationOutput
from skydc.pipeline.fleet_nodes import build_nodes, fault_model
from skydc.pipeline.sizing import SizingOutput
from skydc.scenario.load import LoadedScenario

Workload = TrainingJob | InferenceService | EarthObservationJob

# Workload numbers (parameters, tokens, bytes, FLOP per token, rates) above this are no workload
# anyone runs; a bound keeps their products (FLOP = 6 N D ...) far from float overflow.
MAX_MAGNITUDE = 1e24


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
            policy=ops.policy, faults=fault_model(loaded, fleet), seed=ops.seed, progress=progress,
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
        "operations",
        "duration_s",
        "step_s",
        "economics.annual_failure_probability",
    ),
    check=check,
    description="AI workloads through eclipses, faults and links; distributed vs centralized",
)
