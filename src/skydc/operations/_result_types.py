"""The records an operations run returns: the work ledger and the results per workload.

Definitions (all over the run ``[t_s[0], t_s[-1]]``):

* *available* FLOPs: nameplate peak of every node times the run time;
* *issued* FLOPs: everything the accelerators executed (re-executions included);
* *useful* FLOPs: committed training steps, correct inference answers, processed imagery;
* *lost* FLOPs: rolled back, interrupted, or corrupt; *pending*: executed, not yet committed
  at the end. ``issued == useful + lost + pending`` exactly (integers);
* goodput = useful / available; utilization = issued / available; availability = satellite
  time up (not stopped for power, not failed) over satellite time.

Public through :mod:`skydc.operations.metrics`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

__all__ = [
    "EarthObservationResult",
    "InferenceResult",
    "SimulationResult",
    "TrainingResult",
    "WorkLedger",
]


@dataclass(frozen=True)
class WorkLedger:
    """FLOPs by fate; ``issued == useful + lost + pending`` (integers, exact)."""

    issued_flops: int = 0
    useful_flops: int = 0
    lost_flops: int = 0
    pending_flops: int = 0

    @property
    def balanced(self) -> bool:
        """Whether every issued FLOP is accounted for."""
        return self.issued_flops == self.useful_flops + self.lost_flops + self.pending_flops

    def __add__(self, other: WorkLedger) -> WorkLedger:
        return WorkLedger(
            self.issued_flops + other.issued_flops,
            self.useful_flops + other.useful_flops,
            self.lost_flops + other.lost_flops,
            self.pending_flops + other.pending_flops,
        )


@dataclass(frozen=True)
class TrainingResult:
    """One training job: completion, its ground reference, and what happened on the way."""

    name: str
    feasible: bool
    reason: str = ""
    completed: bool = False
    completion_s: float = math.nan
    ground_completion_s: float = math.nan
    steps_committed: int = 0
    n_steps: int = 0
    ledger: WorkLedger = WorkLedger()
    checkpoints: int = 0
    rollbacks: int = 0
    crashes: int = 0
    migrations: int = 0
    sdc_detected: int = 0
    it_energy_j: float = 0.0
    replicas_per_node: tuple[int, ...] = ()

    @property
    def slowdown_vs_ground(self) -> float:
        """Completion time over the ground data center's [-] (NaN if either is missing)."""
        return self.completion_s / self.ground_completion_s


@dataclass(frozen=True)
class InferenceResult:
    """One inference service: request counts, latency percentiles, energy per token.

    ``energy_per_token_j`` is the IT energy of the replicas while serving (service time x
    replica IT power / batch slots, per token in and out); ``allocated_energy_per_token_j``
    charges all the IT energy its allocated accelerators drew, idle time included (the
    simulator draws an allocated accelerator at ``idle + (1 - idle) x utilisation`` of its
    power times its throttle, ``NodeSpec.idle_power_fraction``). Latency percentiles are read
    from the queue: every request's latency (event model) or the queue's latency mixture
    (batched model).
    """

    name: str
    feasible: bool
    reason: str = ""
    arrivals: int = 0
    completed: int = 0
    rejected: int = 0
    reissued: int = 0
    in_system: int = 0
    corrupted: int = 0
    latency_p50_s: float = math.nan
    latency_p90_s: float = math.nan
    latency_p99_s: float = math.nan
    latency_mean_s: float = math.nan
    energy_per_token_j: float = math.nan
    allocated_energy_per_token_j: float = math.nan
    replicas: int = 0
    ledger: WorkLedger = WorkLedger()
    latency_s: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0), compare=False)


@dataclass(frozen=True)
class EarthObservationResult:
    """One Earth-observation job: data volumes and latency to insight, in orbit vs raw."""

    name: str
    feasible: bool
    reason: str = ""
    produced_bytes: float = 0.0
    processed_bytes: float = 0.0
    backlog_bytes: float = 0.0
    product_bytes: float = 0.0
    downlink_capacity_bytes: float = 0.0
    raw_downlinked_bytes: float = 0.0
    product_downlinked_bytes: float = 0.0
    volume_saved_fraction: float = math.nan
    processing_delay_s: float = math.nan
    contact_wait_s: float = 0.0
    latency_in_orbit_s: float = math.nan
    latency_raw_s: float = math.nan
    ledger: WorkLedger = WorkLedger()


@dataclass(frozen=True)
class SimulationResult:
    """Everything an operations run measured (see the module docstring for definitions).

    ``timeseries`` has one row per grid interval ``[t_k, t_{k+1})``: ``t_s``,
    ``utilization``, ``nodes_up``, ``throttle_mean``, ``soc_mean``, ``soc_min``,
    ``requests_completed``, ``latency_mean_s`` and ``training_progress`` (committed fraction,
    first training job). ``timeline`` has the notable events: ``t_s``, ``event``, ``node``,
    ``workload``, ``detail``.
    """

    policy: str
    seed: int
    horizon_s: float
    n_node: int
    events: int
    wall_s: float
    events_per_s: float
    ledger: WorkLedger
    available_flops: float
    goodput: float
    utilization: float
    availability: float
    it_energy_j: float
    training: tuple[TrainingResult, ...]
    inference: tuple[InferenceResult, ...]
    earth_observation: tuple[EarthObservationResult, ...]
    faults_drawn: dict[str, int]
    faults_effective: dict[str, int]
    infeasible: tuple[str, ...]
    timeseries: pa.Table = field(compare=False)
    timeline: pa.Table = field(compare=False)

    @property
    def feasible(self) -> bool:
        """Whether every workload could be placed."""
        return not self.infeasible

    def summary(self) -> dict[str, Any]:
        """Headline metrics as a JSON-friendly dict."""
        out: dict[str, Any] = {
            "policy": self.policy,
            "goodput": self.goodput,
            "utilization": self.utilization,
            "availability": self.availability,
            "events": self.events,
            "events_per_s": self.events_per_s,
            "infeasible": list(self.infeasible),
        }
        for job in self.training:
            out[f"training.{job.name}.completion_s"] = job.completion_s
            out[f"training.{job.name}.ground_completion_s"] = job.ground_completion_s
        for svc in self.inference:
            for key in ("latency_p50_s", "latency_p90_s", "latency_p99_s", "energy_per_token_j"):
                out[f"inference.{svc.name}.{key}"] = getattr(svc, key)
        for eo in self.earth_observation:
            out[f"earth_observation.{eo.name}.volume_saved_fraction"] = eo.volume_saved_fraction
        return out
