"""Turn a finished run's state into a :class:`SimulationResult`."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np
import pyarrow as pa

from skydc.operations._eo import EarthObservationRun
from skydc.operations._result_types import (
    EarthObservationResult,
    InferenceResult,
    SimulationResult,
    TrainingResult,
    WorkLedger,
)
from skydc.operations._state import AnyInference, _Sim
from skydc.operations._training import TrainingRun
from skydc.operations.faults import FAULT_KINDS
from skydc.operations.nodes import NodeSpec, next_sustainable_index
from skydc.operations.workloads import (
    EarthObservationJob,
    InferenceService,
    TrainingJob,
    fluid_fifo_delay_s,
)

__all__ = ["GroundReference", "build_result"]

# completion time of a training job in a ground data center with a node's accelerators [s]
# (the engine passes :func:`skydc.operations.engine.ground_completion_s` at its bandwidth)
GroundReference = Callable[[TrainingJob, NodeSpec], float]


def build_result(sim: _Sim, wall0: float, ground: GroundReference | None) -> SimulationResult:
    fleet = sim.fleet
    span = sim.t_end - sim.t0
    peak = np.array([n.peak_flops * n.satellites for n in sim.nodes])
    available = float(peak.sum()) * span
    training: list[TrainingResult] = []
    inference: list[InferenceResult] = []
    eos: list[EarthObservationResult] = []
    runs_t = {run.job.name: run for run in sim.trainings}
    runs_i = {run.svc.name: run for run in sim.inferences}
    runs_e = {run.job.name: run for run in sim.eos}
    for name, reason in sim.outcome.items():  # in the order the workloads were given
        if reason:
            _append_infeasible(name, reason, training, inference, eos)
        elif name in runs_t:
            training.append(_training(sim, runs_t[name], ground))
        elif name in runs_i:
            inference.append(_inference(sim, runs_i[name]))
        elif name in runs_e:
            eos.append(_eo(sim, runs_e[name]))
    infeasible = tuple(reason for reason in sim.outcome.values() if reason)
    ledger = WorkLedger()
    for part in [r.ledger for r in training] + [r.ledger for r in inference]:
        ledger = ledger + part
    for eo in eos:
        ledger = ledger + eo.ledger
    flops_bin = sim.flops_bin.copy()
    series = _timeseries(sim, flops_bin, float(peak.sum()))
    wall = time.perf_counter() - wall0
    drawn = np.bincount(sim.schedule.kind, minlength=len(FAULT_KINDS))
    return SimulationResult(
        policy=sim.policy.name,
        seed=sim.seed,
        horizon_s=span,
        n_node=fleet.n,
        events=sim.events,
        wall_s=wall,
        events_per_s=sim.events / wall if wall > 0 else math.nan,
        ledger=ledger,
        available_flops=available,
        goodput=ledger.useful_flops / available,
        utilization=ledger.issued_flops / available,
        availability=sum(fleet.up_sat_s) / (sum(fleet.nominal) * span),
        it_energy_j=float(sum(fleet.it_j)),
        training=tuple(training),
        inference=tuple(inference),
        earth_observation=tuple(eos),
        faults_drawn={k: int(c) for k, c in zip(FAULT_KINDS, drawn, strict=True)},
        faults_effective=dict(sim.faults_effective),
        infeasible=infeasible,
        timeseries=series,
        timeline=pa.table(
            dict(zip(("t_s", "event", "node", "workload", "detail"), sim.timeline, strict=True)),
            schema=pa.schema(
                [
                    ("t_s", pa.float64()),
                    ("event", pa.string()),
                    ("node", pa.int64()),
                    ("workload", pa.int64()),
                    ("detail", pa.string()),
                ]
            ),
        ),
    )


def _append_infeasible(
    name: str,
    reason: str,
    training: list[TrainingResult],
    inference: list[InferenceResult],
    eos: list[EarthObservationResult],
) -> None:
    if reason.startswith("TrainingJob"):
        training.append(TrainingResult(name, feasible=False, reason=reason))
    elif reason.startswith("InferenceService"):
        inference.append(InferenceResult(name, feasible=False, reason=reason))
    else:
        eos.append(EarthObservationResult(name, feasible=False, reason=reason))


def _training(sim: _Sim, run: TrainingRun, ground: GroundReference | None) -> TrainingResult:
    job: TrainingJob = run.job
    pending = sim.pending[run.w]
    ledger = WorkLedger(run.issued, run.useful, run.lost, pending)
    ground_s = math.nan
    if ground is not None:
        node = sim.nodes[run.ring[0]] if run.ring else sim.nodes[0]
        ground_s = ground(job, node)
    return TrainingResult(
        name=job.name,
        feasible=True,
        completed=not math.isnan(run.completion_s),
        completion_s=run.completion_s - sim.t0,
        ground_completion_s=ground_s,
        steps_committed=run.committed,
        n_steps=job.n_steps,
        ledger=ledger,
        it_energy_j=sim.fleet.workload_it_j[run.w],
        replicas_per_node=tuple(run.placed),
        checkpoints=run.stats["checkpoints"],
        rollbacks=run.stats["rollbacks"],
        crashes=run.stats["crashes"],
        migrations=run.stats["migrations"],
        sdc_detected=run.stats["sdc_detected"],
    )


def _inference(sim: _Sim, run: AnyInference) -> InferenceResult:
    svc: InferenceService = run.svc
    flops = svc.request_flops
    ok = run.completed - run.corrupted
    ledger = WorkLedger(
        issued_flops=run.completed * flops + run.partial_lost + run.pending,
        useful_flops=ok * flops,
        lost_flops=run.corrupted * flops + run.partial_lost,
        pending_flops=run.pending,
    )
    p50, p90, p99, mean, lat = run.latency_stats()
    tokens = run.completed * svc.tokens_per_request
    fleet = sim.fleet
    # a request holds one of its replica's max_batch slots for the service time D (at full
    # throttle; throttled, it takes D / u at u of the power): replica power x D / max_batch
    done = run.done_by_node()
    size = svc.tensor_parallel
    joule_per_request = np.zeros(fleet.n)
    for i in np.flatnonzero(done):
        d = svc.service_time_s(size * fleet.acc_peak[i], size * fleet.acc_bw[i])
        joule_per_request[i] = fleet.acc_it_w[i] * size * d / svc.max_batch
    busy = float(np.dot(joule_per_request, done))
    allocated = fleet.workload_it_j[run.w]
    return InferenceResult(
        name=svc.name,
        feasible=True,
        arrivals=run.arrivals,
        completed=run.completed,
        rejected=run.rejected,
        reissued=run.reissued,
        in_system=run.in_system,
        corrupted=run.corrupted,
        latency_p50_s=float(p50),
        latency_p90_s=float(p90),
        latency_p99_s=float(p99),
        latency_mean_s=mean,
        energy_per_token_j=busy / tokens if tokens else math.nan,
        allocated_energy_per_token_j=allocated / tokens if tokens else math.nan,
        replicas=run.n_replicas,
        ledger=ledger,
        latency_s=lat,
    )


def _eo(sim: _Sim, run: EarthObservationRun) -> EarthObservationResult:
    job: EarthObservationJob = run.job
    fleet, env = sim.fleet, sim.env
    span = sim.t_end - sim.t0
    produced = np.array(run.produced)
    processed = np.array(run.processed)
    sats = np.array(fleet.nominal, np.float64)
    capacity = job.downlink_bytes_per_s * sats * span
    product = processed * job.product_fraction
    raw_delay = fluid_fifo_delay_s(produced / span, capacity / span, span)
    product_delay = fluid_fifo_delay_s(product / span, capacity / span, span)
    wait = _contact_wait_s(env.ground_available, env.t_s, sim.t_end, fleet.n)
    weight = produced / produced.sum() if produced.sum() > 0 else sats / sats.sum()
    processing_delay = (
        float(np.sum(run.integral) / processed.sum()) if processed.sum() else math.nan
    )
    flops = round(float(processed.sum()) * job.flops_per_byte)
    return EarthObservationResult(
        name=job.name,
        feasible=True,
        produced_bytes=float(produced.sum()),
        processed_bytes=float(processed.sum()),
        backlog_bytes=float(np.sum(run.backlog)),
        product_bytes=float(product.sum()),
        downlink_capacity_bytes=float(capacity.sum()),
        raw_downlinked_bytes=float(np.minimum(produced, capacity).sum()),
        product_downlinked_bytes=float(np.minimum(product, capacity).sum()),
        volume_saved_fraction=1.0 - float(product.sum()) / float(produced.sum())
        if produced.sum() > 0
        else math.nan,
        processing_delay_s=processing_delay,
        contact_wait_s=float(weight @ wait),
        latency_in_orbit_s=processing_delay + float(weight @ (product_delay + wait)),
        latency_raw_s=float(weight @ (raw_delay + wait)),
        ledger=WorkLedger(flops, flops, 0, 0),
    )


def _contact_wait_s(
    avail: np.ndarray | None, t_s: np.ndarray, t_end: float, n_node: int
) -> np.ndarray:
    """Mean wait from a random time to the next sample with a ground contact, per node [s]."""
    if avail is None:
        return np.zeros(n_node)
    nxt = next_sustainable_index(avail.astype(np.float64), np.full(avail.shape[0], 0.5))
    t_next = np.append(t_s, t_end)[nxt]
    wait = t_next - t_s  # (n_node, n_time), 0 where in contact
    dt = np.diff(t_s)
    return (wait[:, :-1] @ dt) / (t_end - t_s[0])


def _timeseries(sim: _Sim, flops_bin: np.ndarray, peak_flops: float) -> pa.Table:
    t = sim.env.t_s
    n_bin = t.size - 1
    dt = np.diff(t)
    done = np.zeros(n_bin)
    lat_sum = np.zeros(n_bin)
    for run in sim.inferences:
        counts, lats = run.bins(t)
        done += counts
        lat_sum += lats
        flops_bin[:n_bin] += counts * run.svc.request_flops
    flops_bin[n_bin - 1] += flops_bin[n_bin:].sum()
    samples = {key: np.asarray(value[:n_bin], np.float64) for key, value in sim.samples.items()}
    with np.errstate(invalid="ignore", divide="ignore"):
        return pa.table(
            {
                "t_s": t[:-1],
                "utilization": flops_bin[:n_bin] / (peak_flops * dt),
                "nodes_up": samples["nodes_up"],
                "throttle_mean": samples["throttle_mean"],
                "soc_mean": samples["soc_mean"],
                "soc_min": samples["soc_min"],
                "requests_completed": done,
                "latency_mean_s": np.where(done > 0, lat_sum / np.maximum(done, 1), np.nan),
                "training_progress": samples["progress"],
            }
        )
