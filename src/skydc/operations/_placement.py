"""Setup and structural changes of a run: placement, arrivals, satellite failure/replacement."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from skydc.operations._core import REPLACE
from skydc.operations._eo import EarthObservationRun
from skydc.operations._inference import InferenceRun
from skydc.operations._inference_batched import BatchedInferenceRun
from skydc.operations._state import AnyInference, _Sim
from skydc.operations._training import TrainingRun
from skydc.operations.scheduler import place_replicas
from skydc.operations.workloads import (
    EarthObservationJob,
    InferenceService,
    TrainingJob,
    Workload,
)

_GB = 1e9


def place_all(sim: _Sim, workloads: Sequence[Workload]) -> None:
    """Place Earth observation, then training, then inference; record what did not fit."""
    eos = [w for w in workloads if isinstance(w, EarthObservationJob)]
    jobs = [w for w in workloads if isinstance(w, TrainingJob)]
    services = [w for w in workloads if isinstance(w, InferenceService)]
    sim.outcome.update((w.name, "") for w in workloads)  # results keep the order given
    for eo in eos:
        _place_eo(sim, eo)
    for job in jobs:
        _place_training(sim, job)
    for svc in services:
        _place_inference(sim, svc)


def _place_eo(sim: _Sim, job: EarthObservationJob) -> None:
    fleet = sim.fleet
    short = [
        fleet.names[i]
        for i in range(fleet.n)
        if fleet.acc_per_sat[i] < job.accelerators_per_satellite
    ]
    if short:
        sim.outcome[job.name] = (
            f"EarthObservationJob {job.name!r}: needs {job.accelerators_per_satellite} "
            f"accelerators per satellite; nodes {short[:5]} have fewer"
        )
        return
    w = fleet.add_workload()
    for i in range(fleet.n):
        fleet.allocate(w, i, job.accelerators_per_satellite * fleet.alive[i], sim.t0)
    run = EarthObservationRun(sim, fleet, job, w)
    sim.eos.append(run)
    sim.layout.append(run)
    sim.outcome[job.name] = ""


def _free_where(sim: _Sim, memory_needed: float, size: int) -> np.ndarray:
    fleet = sim.fleet
    fits = sim.mem_np * size >= memory_needed
    return np.where(fits, fleet.free_np, 0)


def _place_training(sim: _Sim, job: TrainingJob) -> None:
    fleet = sim.fleet
    size = job.replica_accelerators
    name = f"TrainingJob {job.name!r}"
    largest = max(fleet.acc_total(i) for i in range(fleet.n))
    if size > largest:
        sim.outcome[job.name] = (
            f"{name}: a replica of pp x tp = {size} accelerators does not fit in one node "
            f"(largest: {largest})"
        )
        return
    if not np.any(sim.mem_np * size >= job.state_bytes):
        sim.outcome[job.name] = (
            f"{name}: training state {job.state_bytes / _GB:.1f} GB does not fit in a replica "
            f"of {size} accelerators (at most {float(np.max(sim.mem_np)) * size / _GB:.1f} GB)"
        )
        return
    free = _free_where(sim, job.state_bytes, size)
    placement = place_replicas(free, size, job.data_parallel, sim.order)
    if placement is None:
        sim.outcome[job.name] = (
            f"{name}: needs {job.data_parallel} replicas of {size} accelerators "
            f"({job.data_parallel * size} in all); room for {int(np.sum(free // size))}"
        )
        return
    w = fleet.add_workload()
    run = TrainingRun(sim, fleet, job, w, placement)
    if not run.ring_bandwidth_bps() > 0:
        sim.outcome[job.name] = (
            f"{name}: its replicas span nodes {[fleet.names[i] for i in run.ring][:5]} "
            "with no link between some of them (give Environment.isl_capacity_bps)"
        )
        return
    for i in run.ring:
        fleet.allocate(w, i, run.rep[i] * size, sim.t0)
    sim.trainings.append(run)
    sim.by_w[w] = run
    sim.layout.append(run)
    sim.outcome[job.name] = ""


def _place_inference(sim: _Sim, svc: InferenceService) -> None:
    fleet, env = sim.fleet, sim.env
    name = f"InferenceService {svc.name!r}"
    regions = len(svc.rates)
    if env.ground_rtt_s is None:
        rtt = np.zeros((regions, fleet.n))
    elif env.ground_rtt_s.shape[0] == regions:
        rtt = np.asarray(env.ground_rtt_s)
    else:
        raise ValueError(
            f"{name}: {regions} arrival rates for {env.ground_rtt_s.shape[0]} regions of "
            "Environment.ground_rtt_s; give one rate per region"
        )
    size = svc.tensor_parallel
    free = _free_where(sim, svc.replica_memory_bytes, size)
    placement = place_replicas(
        free, size, svc.replicas, sim.order, spread=sim.policy.spread_inference
    )
    if placement is None or int(placement.sum()) == 0:
        have = int(np.sum(free // size))
        want = svc.replicas if svc.replicas is not None else 1
        sim.outcome[svc.name] = (
            f"{name}: needs {want} replicas of {size} accelerators with "
            f"{svc.replica_memory_bytes / _GB:.1f} GB; room for {have}"
        )
        return
    # requests/s each replica serves at the thermal limit: max_batch slots of service time D
    hosts = np.flatnonzero(placement)
    per_replica = np.zeros(fleet.n)
    for i in hosts:
        d = svc.service_time_s(size * fleet.acc_peak[i], size * fleet.acc_bw[i])
        per_replica[i] = svc.max_batch * fleet.thermal[i] / d
    capacity = float(placement @ per_replica)
    offered = sum(svc.rates)
    if offered >= capacity:
        sim.outcome[svc.name] = (
            f"{name}: offered load {offered:.4g} req/s reaches the capacity of its "
            f"{int(placement.sum())} replicas ({capacity:.4g} req/s); the queue never settles"
        )
        return
    # the replicas' slots are busy offered / capacity of the time (the queue's utilisation);
    # their accelerators draw power in proportion (Fleet.power_factor)
    w = fleet.add_workload(busy=offered / capacity)
    for i in hosts:
        fleet.allocate(w, int(i), int(placement[i]) * size, sim.t0)
    run: AnyInference
    if sim.inference_model == "batched":
        rng = np.random.default_rng(sim.seeds[1].spawn(len(sim.inferences) + 1)[-1])
        run = BatchedInferenceRun(sim, fleet, svc, w, placement, 0.5 * rtt, sim.t0, rng)
    else:
        run = InferenceRun(sim, fleet, svc, w, placement, 0.5 * rtt, sim.t0)
    sim.inferences.append(run)
    sim.layout.append(run)
    sim.outcome[svc.name] = ""


def draw_arrivals(sim: _Sim, rng: np.random.Generator) -> tuple[list[float], list[int], list[int]]:
    """Poisson arrivals of every service and region over the run, merged in time order."""
    span = sim.t_end - sim.t0
    times, service, region = [], [], []
    for s, run in enumerate(sim.inferences):
        if isinstance(run, BatchedInferenceRun):
            continue  # draws its arrivals interval by interval
        for r, rate in enumerate(run.svc.rates):
            count = int(rng.poisson(rate * span)) if rate > 0 else 0
            times.append(sim.t0 + span * rng.random(count))
            service.append(np.full(count, s))
            region.append(np.full(count, r))
        run.arrivals = int(sum(t.size for t in times[-len(run.svc.rates) :]))
    if not times:
        return [], [], []
    t = np.concatenate(times)
    order = np.argsort(t, kind="stable")
    return (
        t[order].tolist(),
        np.concatenate(service)[order].tolist(),
        np.concatenate(region)[order].tolist(),
    )


def satellite_failure(sim: _Sim, t: float, i: int, pick: float) -> None:
    """Satellite ``int(pick x nominal)`` of node ``i`` fails; evict what it held."""
    fleet = sim.fleet
    fleet.advance(i, t)
    alive = fleet.alive[i]
    eo_per_sat = sum(run.job.accelerators_per_satellite for run in sim.eos)
    per_sat = fleet.acc_per_sat[i] - eo_per_sat
    sat = min(int(pick * fleet.nominal[i]), alive - 1)
    lo, hi = sat * per_sat, (sat + 1) * per_sat
    hits: list[tuple[TrainingRun | AnyInference, int]] = []
    pos = 0
    for run in sim.layout:
        if isinstance(run, EarthObservationRun):
            continue
        held = fleet.workload_alloc[run.w][i]
        overlap = max(0, min(hi, pos + held) - max(lo, pos))
        pos += held
        if overlap:
            hits.append((run, math.ceil(overlap / run.size)))
    fleet.e[i] *= (alive - 1) / alive
    fleet.set_alive(i, alive - 1)
    for run in sim.eos:
        fleet.allocate(run.w, i, -run.job.accelerators_per_satellite, t)
    fleet.free_np[i] = fleet.acc_total(i) - fleet.alloc[i]
    sim.log(t, "satellite_failure", i, -1, f"{fleet.alive[i]} of {fleet.nominal[i]} left")
    if fleet.alive[i] == 0 and fleet.up[i]:
        fleet.set_down(i, t, "failure")
    for run, replicas in hits:
        if isinstance(run, TrainingRun):
            run.evict(i, replicas, t)
        else:
            fleet.allocate(run.w, i, -run.evict(i, replicas, t), t)
            fleet.allocate(run.w, i, run.restore(i, t), t)
    fleet.rethreshold(i)
    if fleet.alive[i] > 0:
        fleet.refresh(i, t)
    if math.isfinite(sim.faults.replacement_s):
        sim.push(t + sim.faults.replacement_s, REPLACE, i, 0)


def satellite_replacement(sim: _Sim, t: float, i: int) -> None:
    """A replacement satellite joins node ``i`` (fully charged); work flows back to it."""
    fleet = sim.fleet
    fleet.advance(i, t)
    was_dead = fleet.alive[i] == 0
    fleet.set_alive(i, fleet.alive[i] + 1)
    fleet.e[i] += fleet.sat_batt_j[i]
    for run in sim.eos:
        fleet.allocate(run.w, i, run.job.accelerators_per_satellite, t)
    fleet.free_np[i] = fleet.acc_total(i) - fleet.alloc[i]
    fleet.rethreshold(i)
    sim.log(t, "satellite_replaced", i, -1, f"{fleet.alive[i]} of {fleet.nominal[i]}")
    for inf in sim.inferences:
        fleet.allocate(inf.w, i, inf.restore(i, t), t)
    if was_dead:
        fleet.set_up(i, t)
    else:
        fleet.refresh(i, t)
    for job in sim.trainings:
        job.place_missing(t)
