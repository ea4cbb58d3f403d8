"""An inference service as a queueing model: batched arrivals per interval, no call per request.

The event-level model (:mod:`skydc.operations._inference`) routes every request; a day of
50 requests/s is 4.3 million Python calls. This model (``inference_model="batched"``) takes
the requests of one interval at a time, between two changes of the nodes (a grid sample, a
throttle change, a fault, a stop or restart), when every node's service time ``D_i`` and
server count ``c_i`` (replicas x ``max_batch`` slots) are constant:

* **Arrivals.** A Poisson count per region and interval (the same process as the event path,
  not the same draws).
* **Routing.** The event path sends a request to the candidate (first ``candidates`` reachable
  nodes in round-trip order) that returns it first. With free replicas that is the node of the
  lowest ``rtt + D_i`` (the first on ties): an *ordered hunt* over the candidates, sorted by
  that base latency. The share each node takes is the Erlang-B overflow chain (node ``j`` is
  offered what nodes before it blocked; Erlang 1917; e.g. Kleinrock, *Queueing Systems* vol. 1,
  1975, sec. 3.7, or Cooper, *Introduction to Queueing Theory*, 2nd ed. 1981, sec. 4.6).
* **Waiting.** A request that finds every candidate replica busy waits for the first to free
  up: the candidates act as one pool of ``C = sum c_i`` servers. The probability of waiting is
  Erlang C of the pool, the conditional wait exponential with mean ``1 / (2 (mu - lambda))``,
  ``mu = sum c_i / D_i``: the M/M/c conditional wait ``1 / (mu - lambda)`` times
  ``(1 + c_s^2) / 2 = 1/2`` for deterministic service (Allen-Cunneen; Allen, *Probability,
  Statistics and Queueing Theory*, 2nd ed. 1990, sec. 6.4). Waiting requests are served where
  replicas free up, in proportion to ``c_i / D_i``.
* **Overload** (``lambda >= mu``, e.g. every candidate throttled in eclipse) is a fluid
  backlog per region, drained at ``mu``; its requests wait ``backlog / mu`` on average.
* **Disturbances.** A node that stops or loses replicas re-issues the requests in flight on it
  (a Poisson count of mean ``lambda_i x (D_i + W_i)``, half their work lost on average); a
  device fault hits a busy replica with probability ``lambda_i D_i / c_i``.

Latency is kept as a mixture (point masses and shifted exponentials, one per node and
interval), from which the percentiles are read; memory grows with the intervals, not the
requests. Counts (completed, rejected, re-issued, corrupted) are integers, so the work ledger
balances exactly. ``tests/operations/test_ops_batched.py`` checks throughput, latency
percentiles and energy per token against the event path.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from skydc.operations._core import SimCore
from skydc.operations._fleet import Fleet
from skydc.operations.workloads import InferenceService

__all__ = ["BatchedInferenceRun", "LatencyMixture", "erlang_b", "erlang_c"]

_NEGLIGIBLE = 1e-15  # a blocking probability below this is 0 (the recursion stops there)


def erlang_b(servers: int, offered: float) -> float:
    """Erlang B: the blocking probability of ``servers`` servers offered ``offered`` Erlangs.

    The recursion ``1/B(k) = 1 + k / (A B(k-1))`` (Jagerman 1974), stopped once ``B`` is
    negligible (it only decreases with ``k``).
    """
    if offered <= 0.0:
        return 0.0
    inv = 1.0
    for k in range(1, int(servers) + 1):
        inv = 1.0 + inv * k / offered
        if inv > 1.0 / _NEGLIGIBLE:
            return 0.0
    return 1.0 / inv


def erlang_c(servers: int, offered: float) -> float:
    """Erlang C: the probability of waiting in an M/M/c queue (1 at or past saturation)."""
    rho = offered / servers if servers > 0 else math.inf
    if rho >= 1.0:
        return 1.0
    b = erlang_b(servers, offered)
    return b / (1.0 - rho * (1.0 - b))


class LatencyMixture:
    """A latency distribution as weighted point masses and shifted exponentials."""

    def __init__(self) -> None:
        self.shift: list[float] = []
        self.mean_exp: list[float] = []  # 0 for a point mass
        self.weight: list[float] = []

    def add(self, shift_s: float, weight: float, mean_exp_s: float = 0.0) -> None:
        if weight > 0:
            self.shift.append(shift_s)
            self.mean_exp.append(mean_exp_s)
            self.weight.append(weight)

    @property
    def total(self) -> float:
        return float(sum(self.weight))

    def mean(self) -> float:
        if not self.weight:
            return math.nan
        w = np.asarray(self.weight)
        return float(w @ (np.asarray(self.shift) + np.asarray(self.mean_exp)) / w.sum())

    def quantiles(self, q: NDArray[np.float64]) -> NDArray[np.float64]:
        """Latency at each probability of ``q`` (bisection on the mixture's CDF)."""
        if not self.weight:
            return np.full(np.shape(q), math.nan)
        v = np.asarray(self.shift)
        m = np.asarray(self.mean_exp)
        w = np.asarray(self.weight) / float(sum(self.weight))
        point = m == 0
        wp, vp = w[point], v[point]
        we, ve, me = w[~point], v[~point], m[~point]

        def cdf(x: float) -> float:
            below = float(wp[vp <= x].sum())
            if we.size:
                z = np.maximum(x - ve, 0.0) / me
                below += float(we @ (-np.expm1(-z)))
            return below

        out = []
        hi0 = float(v.max() + 60.0 * (me.max() if me.size else 0.0))
        for p in np.atleast_1d(q):
            lo, hi = float(v.min()), hi0
            if cdf(lo) >= p:
                out.append(lo)
                continue
            for _ in range(80):
                mid = 0.5 * (lo + hi)
                if cdf(mid) >= p:
                    hi = mid
                else:
                    lo = mid
                if hi - lo <= 1e-12 * max(1.0, hi):
                    break
            out.append(hi)
        return np.asarray(out)


@dataclass
class _Plan:
    """One region's candidates in hunt order, with what the hunt found."""

    nodes: NDArray[np.intp]
    base_s: NDArray[np.float64]  # round trip + service (+ restart wait) per node [s]
    service_s: NDArray[np.float64]
    servers: int
    cap: NDArray[np.float64]  # service rate per node, replicas / service time [1/s]
    free: NDArray[np.float64]  # share of the requests that find a free replica, per node
    cands: list[tuple[int, float, float]]


@dataclass
class _Route:
    """One region's requests in the present state: classes (node, latency) and their odds."""

    nodes: NDArray[np.intp]  # per class: the node serving it
    shift_s: NDArray[np.float64]  # per class: round trip + service [s]
    wait_s: NDArray[np.float64]  # per class: mean of the exponential wait (0: none) [s]
    mean_s: NDArray[np.float64]
    probs: NDArray[np.float64]
    weights: NDArray[np.float64]  # requests served per class under this route
    fluid: bool  # the pool is saturated: a fluid backlog
    mu_r: float  # this region's share of the pool's service rate [1/s]
    cand_nodes: NDArray[np.intp]  # per candidate
    base_s: NDArray[np.float64]
    service_s: NDArray[np.float64]
    share_cap: NDArray[np.float64]
    flow: NDArray[np.float64]  # request rate into each candidate [1/s]
    in_flight_s: NDArray[np.float64]  # mean time a request spends there [s]


class BatchedInferenceRun:
    """State of one inference service, queueing model (see the module docstring)."""

    def __init__(
        self,
        sim: SimCore,
        fleet: Fleet,
        svc: InferenceService,
        w: int,
        placement: np.ndarray,
        half_rtt: np.ndarray,
        t0: float,
        rng: np.random.Generator,
    ):
        self.sim = sim
        self.fleet = fleet
        self.svc = svc
        self.w = w
        self.rng = rng
        self.size = svc.tensor_parallel
        self.flops = svc.request_flops
        n = fleet.n
        self.reps = [int(x) for x in placement]  # replicas present on each node
        self.n_replicas = int(sum(self.reps))
        self.evicted = [0] * n
        self.ready = [t0] * n  # replicas usable from (restart after a stop)
        self.service = [math.inf] * n
        self._d_full: dict[int, float] = {}
        hosts = np.flatnonzero(placement)
        self.cands: list[list[tuple[int, float]]] = []
        for row in half_rtt:
            order = hosts[np.argsort(row[hosts], kind="stable")]
            self.cands.append([(int(i), float(row[i])) for i in order])
        self.k_cand = svc.candidates
        self.avail = sim.avail_rows
        self.rates = list(svc.rates)
        self.rates_np = np.asarray(self.rates)
        self.main_region = int(np.argmax(self.rates_np))
        self._routes: list[_Route | None] | None = None
        self.grid = sim.env.t_s.tolist()
        n_bin = max(len(self.grid) - 1, 1)
        self.bin_done = np.zeros(n_bin)
        self.bin_lat = np.zeros(n_bin)
        self.done_node = np.zeros(n)
        self.flow = np.zeros(n)  # request rate into each node over the last interval [1/s]
        self.in_flight_s = np.zeros(n)  # mean time a request spends on each node then [s]
        self.backlog = [0.0] * len(self.rates)  # fluid queue per region [requests]
        self.carry = 0  # re-issued requests not yet served again
        self.latency = LatencyMixture()
        self.t_last = t0
        self.batches = 0
        self.arrivals = 0
        self.completed = 0
        self.rejected = 0
        self.reissued = 0
        self.corrupted = 0
        self.killed = 0
        self.partial_lost = 0
        self.pending = 0
        self.in_system = 0
        for i in hosts:
            self.node_rate(int(i), t0)

    # ---- the batch ------------------------------------------------------------------------
    def flush(self, t: float) -> None:
        """Serve the requests arriving in ``[t_last, t)`` with the node state of that interval."""
        a = self.t_last
        if not t > a:
            return
        self.t_last = t
        self.batches += 1
        dt = t - a
        k = min(max(bisect_right(self.grid, a) - 1, 0), self.bin_done.size - 1)
        counts = self.rng.poisson(self.rates_np * dt)
        self.arrivals += int(counts.sum())
        if self.carry:  # re-issued requests are served again, not counted as arrivals
            counts[self.main_region] += self.carry
            self.carry = 0
        routes = self._routes if self._routes is not None else self._route_all(a, t, k)
        for r, count in enumerate(counts.tolist()):
            if not count:
                continue
            route = routes[r]
            if route is None:
                self.rejected += count
            elif route.fluid or self.backlog[r] > 0:
                self._fluid(r, count, route, dt, k)
            else:
                split = self.rng.multinomial(count, route.probs)
                route.weights += split
                np.add.at(self.done_node, route.nodes, split)
                self.completed += count
                self.bin_done[k] += count
                self.bin_lat[k] += float(split @ route.mean_s)

    def _stale(self) -> None:
        """The nodes changed: keep what the routes served, rebuild them at the next flush."""
        if self._routes is not None:
            for route in self._routes:
                if route is not None:
                    for shift, wait, n in zip(
                        route.shift_s.tolist(), route.wait_s.tolist(), route.weights.tolist(),
                        strict=True,
                    ):  # fmt: skip
                        self.latency.add(shift, n, wait)
                    route.weights[:] = 0.0
        self._routes = None

    def _route_all(self, a: float, b: float, k: int) -> list[_Route | None]:
        """Every region's route in the state of ``[a, b)`` (kept while nothing changes)."""
        plans: list[_Plan | None] = []
        load = np.zeros(self.fleet.n)  # request rate into each node, all regions [1/s]
        cacheable = self.avail is None
        for r in range(len(self.rates)):
            cands, waiting = self._candidates(r, a, b, k)
            cacheable = cacheable and not waiting
            if not cands or self.rates[r] <= 0:
                plans.append(None)
                continue
            first = self._hunt(r, cands, None)
            plans.append(first)
            load[first.nodes] += self.rates[r] * first.free
        routes: list[_Route | None] = []
        shared = sum(p is not None for p in plans) > 1
        for r, found in enumerate(plans):
            if found is None:
                routes.append(None)
                continue
            plan = found
            if shared:  # the nodes carry the other regions' requests too
                plan = self._hunt(r, plan.cands, load[plan.nodes] - self.rates[r] * plan.free)
            routes.append(self._route(r, plan, load))
        self.flow[:] = 0.0
        self.in_flight_s[:] = 0.0
        for route in routes:
            if route is not None:
                self.flow[route.cand_nodes] += route.flow
                self.in_flight_s[route.cand_nodes] = route.in_flight_s
        if cacheable:
            self._routes = routes
        return routes

    def _candidates(
        self, r: int, a: float, b: float, k: int
    ) -> tuple[list[tuple[int, float, float]], bool]:
        """(node, half rtt, mean delay until its replicas are ready) of region ``r``, and
        whether any is still restarting."""
        out: list[tuple[int, float, float]] = []
        avail = self.avail
        waiting = False
        for i, half in self.cands[r]:
            if self.service[i] == math.inf or (avail is not None and not avail[i][k]):
                continue
            ready = self.ready[i]
            if ready <= a:
                extra = 0.0
            elif ready >= b:
                extra, waiting = ready - 0.5 * (a + b), True
            else:
                extra, waiting = 0.5 * (ready - a) ** 2 / (b - a), True
            out.append((i, half, extra))
            if len(out) == self.k_cand:
                break
        return out, waiting

    def _hunt(
        self, r: int, cands: list[tuple[int, float, float]], other: NDArray[np.float64] | None
    ) -> _Plan:
        """Where region ``r``'s requests go while replicas are free: an ordered hunt over its
        candidates by base latency, each node offered what the ones before it blocked, plus
        ``other`` regions' rate into it (Erlang B)."""
        lam = self.rates[r]
        base = [2.0 * h + self.service[i] + x for i, h, x in cands]
        order = sorted(range(len(cands)), key=base.__getitem__)  # stable: first on ties
        nodes = [cands[j][0] for j in order]
        d = [self.service[i] for i in nodes]
        c = [self.reps[i] * self.svc.max_batch for i in nodes]  # servers: batch slots
        cap = np.array([ci / di for ci, di in zip(c, d, strict=True)])
        offered = lam
        free_share = []
        for j, (ci, di) in enumerate(zip(c, d, strict=True)):
            extra = 0.0 if other is None else float(other[j])
            blocked = erlang_b(ci, (offered + extra) * di)
            free_share.append(offered * (1.0 - blocked) / lam)
            offered *= blocked
        norm = sum(free_share)
        free = np.asarray(free_share) / norm if norm > 0 else cap / cap.sum()
        return _Plan(
            nodes=np.asarray(nodes, np.intp),
            base_s=np.asarray([base[j] for j in order]),
            service_s=np.asarray(d),
            servers=int(sum(c)),
            cap=cap,
            free=free,
            cands=[cands[j] for j in order],
        )

    def _route(self, r: int, plan: _Plan, load: NDArray[np.float64]) -> _Route:
        """Region ``r``'s classes (per node: served at once, or after a wait) and their odds."""
        lam = self.rates[r]
        mu = float(plan.cap.sum())
        lam_pool = max(float(load[plan.nodes].sum()), lam)  # every region's rate into the pool
        share_cap = plan.cap / mu
        n_j = plan.nodes.size
        if lam_pool >= mu:
            p_wait, theta, fluid = 1.0, 0.0, True
        else:
            # a request that finds every replica of the pool busy waits (Erlang C, M/D/c)
            busy = float(load[plan.nodes] @ plan.service_s)
            p_wait = erlang_c(plan.servers, busy) if busy < plan.servers else 1.0
            theta, fluid = 0.5 / (mu - lam_pool), False
        probs = np.concatenate([(1.0 - p_wait) * plan.free, p_wait * share_cap])
        wait = np.concatenate([np.zeros(n_j), np.full(n_j, theta)])
        shift = np.concatenate([plan.base_s, plan.base_s])
        return _Route(
            nodes=np.concatenate([plan.nodes, plan.nodes]),
            shift_s=shift,
            wait_s=wait,
            mean_s=shift + wait,
            probs=probs / probs.sum(),
            weights=np.zeros(2 * n_j),
            fluid=fluid,
            mu_r=mu * lam / lam_pool,
            cand_nodes=plan.nodes,
            base_s=plan.base_s,
            service_s=plan.service_s,
            share_cap=share_cap,
            flow=lam * ((1.0 - p_wait) * plan.free + p_wait * share_cap),
            in_flight_s=plan.service_s + p_wait * theta,
        )

    def _fluid(self, r: int, count: int, route: _Route, dt: float, k: int) -> None:
        """Saturated pool (or a backlog left): the backlog grows or drains at lambda - mu."""
        q0 = self.backlog[r]
        total = q0 + count
        q1 = max(0.0, total - route.mu_r * dt)
        self.backlog[r] = q1
        wait = 0.5 * (q0 + q1) / route.mu_r
        split = self.rng.multinomial(count, route.share_cap / route.share_cap.sum())
        np.add.at(self.done_node, route.cand_nodes, split)
        self.completed += count
        self.bin_done[k] += count
        self.bin_lat[k] += float(split @ (route.base_s + wait))
        for shift, n in zip(route.base_s.tolist(), split.tolist(), strict=True):
            self.latency.add(shift + wait, float(n))

    # ---- disturbances ---------------------------------------------------------------------
    def node_rate(self, i: int, t: float) -> None:
        fleet = self.fleet
        u = fleet.u[i]
        if not self.reps[i] or not fleet.up[i] or u <= 0:
            service = math.inf
        else:
            service = self._full_service(i) / u
        if service != self.service[i]:
            self._change(t)  # the interval before ``t`` ran at the old rate
            self.service[i] = service

    def _full_service(self, i: int) -> float:
        """Service time on node ``i`` at full throttle (prefill + decode roofline) [s]."""
        d = self._d_full.get(i)
        if d is None:
            fleet = self.fleet
            d = self._d_full[i] = self.svc.service_time_s(
                self.size * fleet.acc_peak[i], self.size * fleet.acc_bw[i]
            )
        return d

    def _change(self, t: float) -> None:
        """Serve up to ``t`` in the old state; the routes are rebuilt for the new one."""
        self.flush(t)
        self._stale()

    def _reissue(self, n: int, executed_fraction: float) -> None:
        """``n`` requests in flight are lost and routed again."""
        if n <= 0:
            return
        self.killed += n
        self.reissued += n
        self.partial_lost += round(n * executed_fraction * self.flops)
        self.completed -= n  # counted when first served: they are served again instead
        self.carry += n

    def _in_flight(self, i: int, fraction: float = 1.0) -> int:
        mean = float(self.flow[i] * self.in_flight_s[i]) * fraction
        return int(self.rng.poisson(mean)) if mean > 0 else 0

    def node_down(self, i: int, t: float) -> None:
        if not self.reps[i]:
            return
        self._change(t)
        self._reissue(self._in_flight(i), 0.5)
        self.service[i] = math.inf
        self.flow[i] = 0.0

    def node_up(self, i: int, t: float) -> None:
        if not self.reps[i]:
            return
        self._change(t)
        self.ready[i] = t + self.svc.restart_s
        self.node_rate(i, t)

    def device_fault(self, i: int, local: int, t: float, sdc: bool) -> None:
        """A fault on device ``local`` of this service's devices on node ``i``."""
        self.flush(t)
        if not self.reps[i] or self.service[i] == math.inf:
            return
        # a replica is busy while any of its slots is: mean busy slots per replica, capped
        busy = min(1.0, float(self.flow[i]) * self.service[i] / self.reps[i])
        if self.rng.random() >= busy:
            return  # the replica was idle
        if sdc:
            self.corrupted += 1
        else:
            self._reissue(1, float(self.rng.random()))

    def evict(self, i: int, replicas: int, t: float) -> int:
        """Remove ``replicas`` servers from node ``i``; returns accelerators freed."""
        self._change(t)
        count = min(replicas, self.reps[i])
        if count <= 0:
            return 0
        self._reissue(self._in_flight(i, count / self.reps[i]), 0.5)
        self.reps[i] -= count
        self.evicted[i] += count
        if not self.reps[i]:
            self.service[i] = math.inf
        return count * self.size

    def restore(self, i: int, t: float) -> int:
        """Bring evicted servers of node ``i`` back while it has room; returns accelerators."""
        self._change(t)
        fleet = self.fleet
        count = 0
        while self.evicted[i] and int(fleet.free_np[i]) - count * self.size >= self.size:
            self.evicted[i] -= 1
            count += 1
        if count:
            if not self.reps[i]:
                self.ready[i] = t + self.svc.restart_s
            self.reps[i] += count
            self.node_rate(i, t)
        return count * self.size

    # ---- end of run -----------------------------------------------------------------------
    def finish(self, t: float) -> int:
        """Serve up to ``t``; returns the FLOPs executed by requests in service then."""
        self.flush(t)
        service = np.asarray([s if s < math.inf else 0.0 for s in self.service])
        busy = float(self.flow @ service)
        waiting = max(float(self.flow @ self.in_flight_s) - busy, 0.0)
        in_service = int(self.rng.poisson(busy)) if busy > 0 else 0
        queued = (int(self.rng.poisson(waiting)) if waiting > 0 else 0) + round(sum(self.backlog))
        caught = min(in_service + queued, self.completed)  # counted as served, still inside
        in_service = min(in_service, caught)
        self.completed -= caught
        self.in_system = caught + self.carry
        self.pending = round(0.5 * in_service * self.flops)
        return self.pending

    # ---- what the result reads ------------------------------------------------------------
    def done_by_node(self) -> NDArray[np.float64]:
        return self.done_node

    def latency_stats(self) -> tuple[float, float, float, float, NDArray[np.float64]]:
        """p50, p90, p99, mean [s] and the per-request latencies (none kept here)."""
        self._stale()
        p50, p90, p99 = self.latency.quantiles(np.array([0.5, 0.9, 0.99]))
        return float(p50), float(p90), float(p99), self.latency.mean(), np.zeros(0)

    def bins(self, t_s: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Requests completed and their latency sum per grid interval."""
        return self.bin_done, self.bin_lat

    def event_count(self) -> int:
        return self.batches
