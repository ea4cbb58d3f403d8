"""The operations simulator: a seeded discrete-event simulation of workloads on the nodes.

Why a hand-written event loop and not SimPy. SimPy (the expected engine) spends most of its
time in generator switches, ``Event`` objects and callbacks: on this 2-core machine the
inference queue of the default-like case (Poisson arrivals, FIFO replicas, routing among the
4 lowest-RTT nodes) runs at about 90,000-97,000 events/s under SimPy 4.1.2, below the
100,000 events/s goal, against 560,000-770,000 in this loop (``benchmarks/operations.py``
part (c) measures both on the same hour of requests). The loop here is a ``heapq`` of plain tuples
``(t, seq, kind, a, b)``, with stale entries skipped by version numbers, merged with the
pre-drawn arrival stream; inference requests take no heap entry at all (Lindley's
recursion, see :mod:`skydc.operations._inference`). Everything random is drawn up front,
vectorised, from ``numpy.random.SeedSequence(seed)``: the same seed gives the same result.

Events: grid samples (time series, progress), sunlit-fraction changes per node, battery at
its minimum, stopped node recovered, training phase ends, faults, satellite replacements, link
repairs, job starts. Each handler costs O(1) or O(nodes of one job); no loop runs over all
satellites or all time steps per event.
"""

from __future__ import annotations

import bisect
import heapq
import math
import time
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from skydc.operations._core import FAULT, LINK_UP, POWER, SAMPLE, START, Progress
from skydc.operations._inference import InferenceRun
from skydc.operations._placement import (
    draw_arrivals,
    place_all,
    satellite_failure,
    satellite_replacement,
)
from skydc.operations._result_types import SimulationResult
from skydc.operations._results import GroundReference, build_result
from skydc.operations._state import INFERENCE_MODELS, AnyInference, _Sim
from skydc.operations._training import TrainingRun
from skydc.operations.faults import LINK, SATELLITE, SDC, FaultModel, sample_faults
from skydc.operations.nodes import Environment, NodeSpec, sunlit_change_points
from skydc.operations.scheduler import Policy, get_policy
from skydc.operations.workloads import (
    EarthObservationJob,
    InferenceService,
    TrainingJob,
    Workload,
    training_time_s,
)

__all__ = ["ground_completion_s", "simulate"]


def simulate(
    nodes: Sequence[NodeSpec],
    environment: Environment,
    workloads: Sequence[Workload],
    *,
    policy: str | Policy = "power-aware",
    faults: FaultModel | None = None,
    seed: int = 0,
    progress: Progress | None = None,
    ground_bandwidth_bps: float | None = None,
    ground_faults: FaultModel | None = None,
    inference_model: str = "event",
    record_samples: bool = True,
) -> SimulationResult:
    """Run ``workloads`` on ``nodes`` through ``environment`` under a scheduling ``policy``.

    Parameters
    ----------
    nodes
        One :class:`NodeSpec` per row of ``environment.sunlit_fraction``.
    environment
        Time grid, sunlight, links and ground reach; the run covers ``[t_s[0], t_s[-1]]``.
    workloads
        :class:`TrainingJob`, :class:`InferenceService`, :class:`EarthObservationJob`, in any
        number. Placement goes Earth observation, then training, then inference, each in the
        order given. A workload that cannot be placed is reported infeasible, not run.
    policy
        A registered policy name (``"greedy"``, ``"power-aware"``) or a :class:`Policy`.
    faults
        Fault rates (default: none).
    seed
        Seed of every random draw (arrivals, faults).
    progress
        ``progress(done_s, total_s)``, called at every grid time.
    ground_bandwidth_bps, ground_faults
        With a bandwidth, each training job's completion time in a ground data center
        (:func:`skydc.operations.metrics.ground_completion_s`) is reported beside it.
    inference_model
        ``"event"``: every request routed and queued (the reference); ``"batched"``: the
        requests of each interval between node changes at once, as a queueing model
        (:mod:`skydc.operations._inference_batched`), at a cost that does not grow with the
        request rate.
    record_samples
        ``False``: leave the time series (nodes up, throttle, state of charge at every grid
        time) as NaN; they only observe the run, so the ledger and every other result are
        the same, at a fifth of the cost for a one-node run (the delivery stage's probe).

    Returns
    -------
    SimulationResult
    """
    wall0 = time.perf_counter()
    chosen = get_policy(policy)
    if len(nodes) == 0 or len(nodes) != environment.n_node:
        raise ValueError(
            f"got {len(nodes)} nodes for an environment of {environment.n_node}; "
            "give one NodeSpec per row of sunlit_fraction"
        )
    for workload in workloads:
        if not isinstance(workload, TrainingJob | InferenceService | EarthObservationJob):
            raise ValueError(
                f"unknown workload {workload!r}; allowed: TrainingJob, InferenceService, "
                "EarthObservationJob"
            )
    if inference_model not in INFERENCE_MODELS:
        raise ValueError(
            f"unknown inference_model {inference_model!r}; allowed: {', '.join(INFERENCE_MODELS)}"
        )
    names = [w.name for w in workloads]
    if len(set(names)) != len(names):
        raise ValueError(f"workload names must be unique, got {names}")
    sim = _EventLoop(
        nodes, environment, chosen, faults or FaultModel(), int(seed), progress, inference_model
    )
    sim.record_samples = record_samples
    sim.setup(workloads)
    sim.run()
    return build_result(sim, wall0, _ground_reference(ground_bandwidth_bps, ground_faults))


def ground_completion_s(
    job: TrainingJob,
    node: NodeSpec,
    *,
    bandwidth_bps: float,
    faults: FaultModel | None = None,
    seed: int = 0,
    horizon_s: float | None = None,
) -> float:
    """Completion time of ``job`` in a ground data center with ``node``'s accelerators [s].

    No eclipse, grid power, an ideal network of ``bandwidth_bps`` between replicas. Without
    ``faults`` (or with all-zero rates) this is :func:`training_time_s`; with ground fault
    rates the same event engine runs on a ground node (NaN if the job does not finish within
    ``horizon_s``, default ten times the fault-free time plus a day).
    """
    replica_peak = node.accelerator_peak_flops * job.replica_accelerators
    ideal = training_time_s(job, replica_peak, bandwidth_bps) + job.start_s
    if faults is None or faults == FaultModel():
        return ideal
    servers = math.ceil(job.data_parallel * job.replica_accelerators / node.accelerators)
    ground = replace(
        node,
        name="ground",
        satellites=servers,
        array_power_w=node.it_power_w + node.bus_power_w,
        internal_bandwidth_bps=bandwidth_bps,
        thermal_limit_fraction=1.0,
    )
    horizon = horizon_s if horizon_s is not None else 10.0 * ideal + 86400.0
    env = Environment.always_sunlit(1, horizon)
    result = simulate([ground], env, [job], policy="greedy", faults=faults, seed=seed)
    return result.training[0].completion_s


def _ground_reference(
    bandwidth_bps: float | None, faults: FaultModel | None
) -> GroundReference | None:
    """:func:`ground_completion_s` at ``bandwidth_bps`` and ``faults`` (None: no reference)."""
    if bandwidth_bps is None:
        return None
    bps = bandwidth_bps

    def reference(job: TrainingJob, node: NodeSpec) -> float:
        return ground_completion_s(job, node, bandwidth_bps=bps, faults=faults)

    return reference


_SAMPLED = ("nodes_up", "throttle_mean", "soc_mean", "soc_min", "progress")


class _EventLoop(_Sim):
    """One run's setup, event loop and event handlers, on its state (:class:`_Sim`)."""

    record_samples = True  # simulate(record_samples=False) leaves the time series NaN

    # ---- setup ----------------------------------------------------------------------------
    def setup(self, workloads: Sequence[Workload]) -> None:
        place_all(self, workloads)
        # the event model's arrivals come from outside the heap: its steps go through it
        self.inline_training = not any(isinstance(inf, InferenceRun) for inf in self.inferences)
        fleet, env = self.fleet, self.env
        n_time = env.t_s.size
        # at one time: power changes first, then the sample (it sees the new state)
        node, k = sunlit_change_points(env.sunlit_fraction)
        order = np.lexsort((node, k))
        grid = env.t_s.tolist()
        self.heap = [
            (grid[kk], seq, POWER, i, kk)
            for seq, (i, kk) in enumerate(zip(node[order].tolist(), k[order].tolist(), strict=True))
        ]
        self.seq = len(self.heap)
        # the samples record the time series and serve the batched inference; a run that
        # records none and has no inference, training or progress bar (the delivery stage's
        # capacity probe) skips them: the event loop then takes the step index from each
        # event's time, the same index a sample would have set (``_grid``)
        self.skip_samples = not (
            self.record_samples or self.inferences or self.trainings or self.progress
        )
        self._grid = grid
        if not self.skip_samples:
            self.heap += [(grid[kk], self.seq + kk, SAMPLE, kk, 0) for kk in range(n_time)]
            self.seq += n_time
        heapq.heapify(self.heap)
        devices = [fleet.nominal[i] * fleet.acc_per_sat[i] for i in range(fleet.n)]
        self.schedule = sample_faults(
            self.faults,
            np.random.default_rng(self.seeds[0]),
            devices,
            fleet.nominal,
            self.t0,
            self.t_end,
        )
        for idx, t in enumerate(self.schedule.t_s.tolist()):
            self.push(t, FAULT, idx, 0)
        for run in self.trainings:
            self.push(self.t0 + run.job.start_s, START, run.w, 0)
        for i in range(fleet.n):
            fleet.refresh(i, self.t0)

    # ---- the loop -------------------------------------------------------------------------
    def run(self) -> None:
        times, service, region = draw_arrivals(self, np.random.default_rng(self.seeds[1]))
        self.n_arrivals = len(times)
        heap = self.heap
        handlers = (
            self._on_sample,
            self._on_power,
            self._on_battery,
            self._on_recover,
            self._on_train,
            self._on_fault,
            self._on_replace,
            self._on_link_up,
            self._on_start,
        )
        # the arrivals drawn up front are the event model's (the batched one draws its own)
        infs = [inf for inf in self.inferences if isinstance(inf, InferenceRun)]
        t_end = self.t_end
        heappop = heapq.heappop
        n_arr = len(times)
        ia = 0
        next_a = times[0] if n_arr else math.inf
        events = 0
        grid, skip = self._grid, self.skip_samples
        while True:
            if heap and heap[0][0] <= next_a:
                t, _, kind, a, b = heappop(heap)
                if t > t_end:
                    break
                if skip:  # no sample events: the step this time falls in
                    self.k_now = bisect.bisect_right(grid, t) - 1
                if handlers[kind](t, a, b):
                    events += 1
            elif next_a <= t_end:
                infs[service[ia]].arrive(next_a, region[ia], next_a)
                ia += 1
                next_a = times[ia] if ia < n_arr else math.inf
            else:
                break
        self.events = events + ia + self.inline_events
        self.finish()

    def finish(self) -> None:
        fleet = self.fleet
        if self.skip_samples:  # the time series a run without samples leaves NaN
            for name in _SAMPLED:
                self.samples[name] = [math.nan] * self.env.t_s.size
        self.k_now = self.env.t_s.size - 1
        for i in range(fleet.n):
            fleet.advance(i, self.t_end)
        self.pending = {run.w: run.finish(self.t_end) for run in self.trainings}
        for inf in self.inferences:
            inf.finish(self.t_end)
        self.events += sum(inf.event_count() for inf in self.inferences)

    # ---- handlers (return True when the event did something) ------------------------------
    def _on_sample(self, t: float, k: int, _: int) -> bool:
        for inf in self.inferences:
            inf.flush(t)  # the batched model serves the interval just ended
        self.k_now = k
        samples = self.samples
        if not self.record_samples:
            for name in _SAMPLED:
                samples[name].append(math.nan)
            if self.progress is not None:
                self.progress(t - self.t0, self.t_end - self.t0)
            return True
        fleet = self.fleet
        up = float(fleet.alive_np @ fleet.up_np) / self.nominal_total
        soc = fleet.soc_now(t)
        busy = fleet.alloc_np > 0
        throttle = float(fleet.u_np[busy].mean()) if busy.any() else math.nan
        samples["nodes_up"].append(up)
        samples["throttle_mean"].append(throttle)
        finite = soc[np.isfinite(soc)]
        samples["soc_mean"].append(float(finite.mean()) if finite.size else math.nan)
        samples["soc_min"].append(float(finite.min()) if finite.size else math.nan)
        first = self.trainings[0] if self.trainings else None
        samples["progress"].append(first.committed / first.job.n_steps if first else math.nan)
        if self.progress is not None:
            self.progress(t - self.t0, self.t_end - self.t0)
        return True

    def _on_power(self, t: float, i: int, k: int) -> bool:
        self.k_now = k
        self.fleet.on_power(t, i, k)
        return True

    def _on_battery(self, t: float, i: int, version: int) -> bool:
        return self.fleet.on_battery(t, i, version)

    def _on_recover(self, t: float, i: int, version: int) -> bool:
        return self.fleet.on_recover(t, i, version)

    def _on_train(self, t: float, w: int, version: int) -> bool:
        return self.by_w[w].on_timer(t, version)

    def _on_start(self, t: float, w: int, _: int) -> bool:
        self.by_w[w].start(t)
        return True

    def _on_link_up(self, t: float, i: int, _: int) -> bool:
        fleet = self.fleet
        fleet.links_down[i] -= 1
        fleet.links_down_np[i] -= 1
        for run in self.trainings:
            run.links_changed(i, t)
        return True

    def _on_fault(self, t: float, idx: int, _: int) -> bool:
        fleet = self.fleet
        kind = int(self.schedule.kind[idx])
        i = int(self.schedule.node[idx])
        pick = float(self.schedule.pick[idx])
        if kind == LINK:
            fleet.links_down[i] += 1
            fleet.links_down_np[i] += 1
            self.push(t + self.faults.link_outage_s, LINK_UP, i, 0)
            self.faults_effective["link"] += 1
            for run in self.trainings:
                run.links_changed(i, t)
            return True
        if kind == SATELLITE:
            if int(pick * fleet.nominal[i]) < fleet.alive[i]:
                self.faults_effective["satellite"] += 1
                satellite_failure(self, t, i, pick)
            return True
        device = int(pick * fleet.nominal[i] * fleet.acc_per_sat[i])
        if not fleet.up[i] or device >= fleet.acc_total(i):
            return True  # powered off, or on a failed satellite
        name = ("sdc", "ue", "sefi")[kind]
        for part in self.layout:
            held = fleet.workload_alloc[part.w][i]
            if device < held:
                self.faults_effective[name] += 1
                if isinstance(part, TrainingRun):
                    part.sdc_hit(t) if kind == SDC else part.crash(t, name)
                elif isinstance(part, AnyInference):
                    part.device_fault(i, device, t, sdc=kind == SDC)
                return True
            device -= held
        return True  # an idle device

    def _on_replace(self, t: float, i: int, _: int) -> bool:
        satellite_replacement(self, t, i)
        return True
