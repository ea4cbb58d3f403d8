"""An inference service inside the event loop: Poisson arrivals, FIFO replicas, routing.

Each replica is ``max_batch`` FIFO slots (the requests it decodes together), each holding a
request for the service time of :func:`skydc.operations.workloads.inference_service_time_s`
(prefill compute-bound, decode bound by HBM bandwidth). A request from region ``r`` goes to
the candidate node (in order of round-trip time, the first ``candidates`` reachable ones) that
would return it first:
``max(t + rtt/2, next free replica) + service + rtt/2``. Start and end times follow Lindley's
recursion when the request is dispatched (``start = max(arrival, server free)``), so a request
costs one dispatch and one completion, and no heap entry. The service time is fixed at
dispatch from the node's throttle then; a later throttle change applies to later requests.

A request whose replica crashes or whose node stops is re-issued (routed again, its original
arrival time kept for its latency) and the executed part of its service is counted lost.
Every request ends completed, rejected (no reachable replica) or still in the system at the
end of the run.
"""

from __future__ import annotations

import heapq
import math
from collections import deque

import numpy as np

from skydc.operations._core import SimCore
from skydc.operations._fleet import Fleet
from skydc.operations.workloads import InferenceService

Request = tuple[float, float, float, float, int, int]  # end, start, t_user, half_rtt, region, bad


class InferenceRun:
    """State of one inference service."""

    def __init__(
        self,
        sim: SimCore,
        fleet: Fleet,
        svc: InferenceService,
        w: int,
        placement: np.ndarray,
        half_rtt: np.ndarray,
        t0: float,
    ):
        self.sim = sim
        self.fleet = fleet
        self.svc = svc
        self.w = w
        self.size = svc.tensor_parallel
        self.slots = svc.max_batch  # heap entries per replica: its decode batch
        self.flops = svc.request_flops
        n = self.fleet.n
        self.servers: list[list[int]] = [[] for _ in range(n)]
        self.srv_node: list[int] = []
        self.queues: list[deque[Request]] = []
        for i in np.flatnonzero(placement):
            for _ in range(int(placement[i])):
                self.servers[int(i)].append(len(self.srv_node))
                self.srv_node.append(int(i))
                self.queues.append(deque())
        self.heaps: list[list[tuple[float, int]]] = [self._slots(t0, s) for s in self.servers]
        self.srv_done = [0] * len(self.srv_node)
        self.evicted: list[list[int]] = [[] for _ in range(n)]
        self.service = [math.inf] * n
        self._d_full: dict[int, float] = {}
        hosts = np.flatnonzero(placement)
        self.cands: list[list[tuple[int, float]]] = []
        for row in half_rtt:
            order = hosts[np.argsort(row[hosts], kind="stable")]
            self.cands.append([(int(i), float(row[i])) for i in order])
        self.k_cand = svc.candidates
        self.avail = sim.avail_rows
        self.arrivals = 0
        self.completed = 0
        self.rejected = 0
        self.reissued = 0
        self.corrupted = 0
        self.killed = 0
        self.partial_lost = 0
        self.pending = 0
        self.in_system = 0
        self.latency: list[float] = []
        self.done_t: list[float] = []
        for i in hosts:
            self.node_rate(int(i), t0)

    def _slots(self, t: float, sids: list[int]) -> list[tuple[float, int]]:
        """Heap entries of replicas ``sids``, one per batch slot, all free from ``t``."""
        return [(t, sid) for sid in sids for _ in range(self.slots)]

    # ---- hot path -------------------------------------------------------------------------
    def arrive(self, t: float, region: int, t_user: float) -> None:
        """Route and dispatch one request (arrival or re-issue) at time ``t``."""
        service = self.service
        heaps = self.heaps
        avail = self.avail
        k = self.sim.k_now
        best = -1
        best_done = math.inf
        best_half = 0.0
        seen = 0
        for i, half in self.cands[region]:
            sv = service[i]
            if sv == math.inf or (avail is not None and not avail[i][k]):
                continue
            ta = t + half
            free = heaps[i][0][0]
            done = (ta if ta > free else free) + sv + half
            if done < best_done:
                best_done = done
                best = i
                best_half = half
            seen += 1
            if seen == self.k_cand:
                break
        if best < 0:
            self.rejected += 1
            return
        heap = heaps[best]
        free, sid = heap[0]
        ta = t + best_half
        start = ta if ta > free else free
        end = start + service[best]
        heapq.heapreplace(heap, (end, sid))
        q = self.queues[sid]
        if q and q[0][0] <= t:
            self._retire(sid, t)
        q.append((end, start, t_user, best_half, region, 0))

    def _retire(self, sid: int, t: float) -> None:
        q = self.queues[sid]
        done = 0
        while q and q[0][0] <= t:
            end, _, t_user, half, _, bad = q.popleft()
            self.done_t.append(end)
            self.latency.append(end + half - t_user)
            done += 1
            self.corrupted += bad
        self.completed += done
        self.srv_done[sid] += done

    # ---- disturbances ---------------------------------------------------------------------
    def node_rate(self, i: int, t: float) -> None:
        fleet = self.fleet
        u = fleet.u[i]
        if not self.servers[i] or not fleet.up[i] or u <= 0:
            self.service[i] = math.inf
            return
        d = self._d_full.get(i)
        if d is None:  # prefill + decode roofline at full throttle, fixed per node
            size = self.size
            d = self._d_full[i] = self.svc.service_time_s(
                size * fleet.acc_peak[i], size * fleet.acc_bw[i]
            )
        self.service[i] = d / u

    def _kill(self, sid: int, t: float, only_in_service: bool) -> None:
        q = self.queues[sid]
        self._retire(sid, t)
        lost: list[Request] = []
        if only_in_service:
            if q and q[0][1] <= t:
                lost.append(q.popleft())
        else:
            lost = list(q)
            q.clear()
        for end, start, t_user, _, region, _ in lost:
            if start < t:
                self.partial_lost += round((t - start) / (end - start) * self.flops)
            self.killed += 1
            self.reissued += 1
            self.arrive(t, region, t_user)

    def node_down(self, i: int, t: float) -> None:
        self.service[i] = math.inf
        self.heaps[i] = []
        for sid in self.servers[i]:
            self._kill(sid, t, only_in_service=False)

    def node_up(self, i: int, t: float) -> None:
        ready = t + self.svc.restart_s
        self.heaps[i] = self._slots(ready, self.servers[i])
        self.node_rate(i, t)

    def device_fault(self, i: int, local: int, t: float, sdc: bool) -> None:
        """A fault on device ``local`` of this service's devices on node ``i``."""
        servers = self.servers[i]
        if not servers:
            return
        sid = servers[min(local // self.size, len(servers) - 1)]
        q = self.queues[sid]
        self._retire(sid, t)
        if not (q and q[0][1] <= t):
            return  # the replica was idle
        if sdc:
            q[0] = (*q[0][:5], 1)
        else:
            self._kill(sid, t, only_in_service=True)

    def evict(self, i: int, replicas: int, t: float) -> int:
        """Remove ``replicas`` servers from node ``i``; returns accelerators freed."""
        count = min(replicas, len(self.servers[i]))
        gone = [self.servers[i].pop() for _ in range(count)]
        self.evicted[i].extend(gone)
        self.heaps[i] = [entry for entry in self.heaps[i] if entry[1] not in gone]
        heapq.heapify(self.heaps[i])
        if not self.heaps[i]:
            self.service[i] = math.inf
        for sid in gone:
            self._kill(sid, t, only_in_service=False)
        return count * self.size

    def restore(self, i: int, t: float) -> int:
        """Bring evicted servers of node ``i`` back while it has room; returns accelerators."""
        fleet = self.fleet
        count = 0
        while self.evicted[i] and int(fleet.free_np[i]) - count * self.size >= self.size:
            sid = self.evicted[i].pop()
            self.servers[i].append(sid)
            if fleet.up[i]:
                for entry in self._slots(t + self.svc.restart_s, [sid]):
                    heapq.heappush(self.heaps[i], entry)
            count += 1
        return count * self.size

    # ---- end of run -----------------------------------------------------------------------
    def finish(self, t: float) -> int:
        """Retire what finished by ``t``; returns the FLOPs executed by requests in service."""
        pending = 0
        for sid, q in enumerate(self.queues):
            self._retire(sid, t)
            for end, start, *_ in q:
                self.in_system += 1
                if start < t:
                    pending += round((t - start) / (end - start) * self.flops)
        self.pending = pending
        return pending

    # ---- what the result reads (shared with the batched model) ----------------------------
    @property
    def n_replicas(self) -> int:
        return len(self.srv_node)

    def flush(self, t: float) -> None:
        """Nothing to do: every request was routed when it arrived."""

    def done_by_node(self) -> np.ndarray:
        """Requests completed per node."""
        return np.bincount(
            np.asarray(self.srv_node, np.intp), weights=self.srv_done, minlength=self.fleet.n
        )

    def latency_stats(self) -> tuple[float, float, float, float, np.ndarray]:
        """p50, p90, p99, mean [s] and the per-request latencies."""
        lat = np.asarray(self.latency)
        if not lat.size:
            return math.nan, math.nan, math.nan, math.nan, lat
        p50, p90, p99 = np.percentile(lat, [50, 90, 99])
        return float(p50), float(p90), float(p99), float(lat.mean()), lat

    def bins(self, t_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Requests completed and their latency sum per grid interval."""
        n_bin = t_s.size - 1
        if not self.done_t:
            return np.zeros(n_bin), np.zeros(n_bin)
        k = np.clip(np.searchsorted(t_s, self.done_t, side="right") - 1, 0, n_bin - 1)
        counts = np.bincount(k, minlength=n_bin).astype(np.float64)
        return counts, np.bincount(k, weights=self.latency, minlength=n_bin)

    def event_count(self) -> int:
        """Completions are events of this model (arrivals are counted by the loop)."""
        return self.completed
