"""A synchronous data-parallel training run inside the event loop.

Phases: ``COMPUTE`` (fluid: the fraction of the step left drains at a rate set by the slowest
replica's throttle), ``COMM`` (the ring all-reduce; waits while a ring node's links are down),
``CKPT`` (checkpoint write), ``RESTART`` (reload from the last checkpoint), ``MIGRATE`` (a
replica moves to another node, then the saved phase resumes), ``WAIT`` (a replica node is
down or a replica has no node), ``DONE``.

Ledger: FLOPs of a finished step are *issued* and held *uncommitted* until a checkpoint
commits them (*useful*); a crash or a corrupt checkpoint moves them to *lost*, together with
the executed part of an interrupted step.
"""

from __future__ import annotations

import math

import numpy as np

from skydc.operations._core import TRAIN, SimCore
from skydc.operations._fleet import Fleet
from skydc.operations.workloads import TrainingJob, ring_allreduce_time_s

WAIT, RESTART, COMPUTE, COMM, CKPT, MIGRATE, DONE = range(7)
PHASES = ("wait", "restart", "compute", "comm", "checkpoint", "migrate", "done")


class TrainingRun:
    """State of one training job."""

    def __init__(self, sim: SimCore, fleet: Fleet, job: TrainingJob, w: int, placement: np.ndarray):
        self.sim = sim
        self.fleet = fleet
        self.job = job
        self.w = w
        self.size = job.replica_accelerators
        self.rep = [int(r) for r in placement]
        self.placed = tuple(self.rep)
        self.ring = [i for i in sim.order if self.rep[i] > 0]
        self.phase = WAIT
        self.started = False
        self.remaining = 0.0
        self.rate = 0.0
        self.t_ph = 0.0
        self.ver = 0
        self.step = 0
        self.committed = 0
        self.uncommitted = 0
        self.t_ckpt = 0.0
        self.sdc = False
        self.saved: tuple[int, float] = (WAIT, 0.0)
        self.completion_s = math.nan
        self.stats = dict.fromkeys(
            ("checkpoints", "rollbacks", "crashes", "migrations", "sdc_detected"), 0
        )
        self.issued = 0
        self.useful = 0
        self.lost = 0
        self.comm_s = 0.0
        self.defer = False  # inside on_timer: reschedule leaves the next time in next_t
        self.next_t = math.inf
        self._update_ring()

    # ---- ring -----------------------------------------------------------------------------
    def ring_bandwidth_bps(self) -> float:
        """Slowest link of the ring through the replicas, in placement order [bit/s]."""
        fleet, env = self.fleet, self.sim.env
        bw = math.inf
        for i in self.ring:
            if self.rep[i] > 1:
                bw = min(bw, fleet.internal_bps[i])
        if len(self.ring) > 1:
            for a, b in zip(self.ring, self.ring[1:] + self.ring[:1], strict=True):
                bw = min(bw, env.link_bps(a, b))
        return bw

    def _update_ring(self) -> None:
        self.rep_np = np.array(self.rep, np.int64)
        self.ring_np = np.array(self.ring, np.int64)
        self.peak_np = np.array([self.fleet.acc_peak[i] * self.size for i in self.ring])
        self._update_speed()
        bw = self.ring_bandwidth_bps()
        n = self.job.data_parallel
        if n == 1:
            self.comm_s = 0.0
        elif bw <= 0:
            self.comm_s = math.inf  # no link: infeasible at placement, refused at migration
        else:
            self.comm_s = float(ring_allreduce_time_s(self.job.allreduce_bytes, n, bw))

    def in_ring(self, i: int) -> bool:
        return self.rep[i] > 0

    # ---- phase machinery ------------------------------------------------------------------
    def _update_speed(self) -> None:
        """Slowest replica's rate, ``min(replica peak x throttle)`` [FLOP/s]."""
        speeds = self.peak_np * self.fleet.u_np[self.ring_np]
        self.speed = float(speeds.min()) if speeds.size else 0.0

    def _compute_rate(self) -> float:
        flops = self.job.step_flops(self.step)
        return self.speed * self.job.compute_efficiency * self.job.data_parallel / flops

    def _rate(self) -> float:
        if self.phase == COMPUTE:
            return self._compute_rate()
        if self.phase == COMM:
            down = len(self.ring) > 1 and bool(self.fleet.links_down_np[self.ring_np].any())
            return 0.0 if down else 1.0
        if self.phase in (CKPT, RESTART, MIGRATE):
            return 1.0
        return 0.0

    def _sync(self, t: float) -> None:
        if self.phase in (COMPUTE, COMM, CKPT, RESTART, MIGRATE):
            self.remaining = max(0.0, self.remaining - (t - self.t_ph) * self.rate)
        self.t_ph = t

    def _enter(self, t: float, phase: int, remaining: float) -> None:
        self.phase = phase
        self.remaining = remaining
        self.t_ph = t
        self.reschedule(t)

    def reschedule(self, t: float) -> None:
        self.rate = self._rate()
        self.ver += 1
        if self.rate > 0:
            when = t + self.remaining / self.rate
        elif self.phase in (COMPUTE, COMM, CKPT, RESTART, MIGRATE) and self.remaining <= 0:
            when = t
        else:
            self.next_t = math.inf
            return
        if self.defer:
            self.next_t = when  # on_timer decides: run it at once, or push it
        else:
            self.sim.push(when, TRAIN, self.w, self.ver)

    def start(self, t: float) -> None:
        self.started = True
        self.t_ckpt = t
        self.sim.log(t, "job_start", -1, self.w, self.job.name)
        self._try_resume(t, restart=False)

    def _try_resume(self, t: float, restart: bool = True) -> None:
        ok = int(self.rep_np.sum()) == self.job.data_parallel
        ok = ok and bool(self.fleet.up_np[self.ring_np].all())
        if not ok:
            self._enter(t, WAIT, 0.0)
        elif restart and self.job.restart_s > 0:
            self._enter(t, RESTART, self.job.restart_s)
        else:
            self.t_ckpt = t
            self._enter(t, COMPUTE, 1.0)

    def on_timer(self, t: float, version: int) -> bool:
        """The present phase ends at ``t``; then the next ones too, while they are steps.

        A step's compute and all-reduce phases end at times fixed by the rates of the moment;
        where the next one ends before the earliest event in the heap (a grid sample, a
        power event, a fault: anything that could change a rate), nothing can come between,
        so it is run here at once instead of through a heap entry, in the same order and with
        the same floats, and counted as the event it would have been (``sim.inline_events``).
        The event inference model's arrivals are not in the heap, so with it every phase
        goes through the heap as before (``sim.inline_training`` False).
        """
        if version != self.ver:
            return False
        if not self.sim.inline_training:
            self._phase_end(t)
            return True
        heap = self.sim.heap
        t_end = self.sim.t_end
        self.defer = True
        try:
            while True:
                self._phase_end(t)
                when = self.next_t
                self.next_t = math.inf
                if when == math.inf:
                    break
                if self.phase in (COMPUTE, COMM) and when <= t_end and heap and when < heap[0][0]:
                    self.sim.inline_events += 1
                    t = when
                    continue
                self.sim.push(when, TRAIN, self.w, self.ver)
                break
        finally:
            self.defer = False
        return True

    def _phase_end(self, t: float) -> None:
        phase = self.phase
        self.remaining = 0.0
        self.t_ph = t
        if phase == COMPUTE:
            flops = self.job.step_flops(self.step)
            self.issued += flops
            self.uncommitted += flops
            self.sim.add_flops(flops)
            if self.comm_s > 0:
                self._enter(t, COMM, self.comm_s)
            else:
                self._step_done(t)
        elif phase == COMM:
            self._step_done(t)
        elif phase == CKPT:
            self._checkpoint_done(t)
        elif phase == RESTART:
            self.t_ckpt = t
            self._enter(t, COMPUTE, 1.0)
        elif phase == MIGRATE:
            self._enter(t, *self.saved)

    def _step_done(self, t: float) -> None:
        self.step += 1
        if self.step == self.job.n_steps or self.job.checkpoint_due(t - self.t_ckpt):
            self._enter(t, CKPT, self.job.checkpoint_write_s)
        else:
            self._enter(t, COMPUTE, 1.0)

    def _checkpoint_done(self, t: float) -> None:
        if self.sdc:
            self.sdc = False
            self.stats["sdc_detected"] += 1
            self.stats["rollbacks"] += 1
            self._rollback()
            self.sim.log(t, "rollback", -1, self.w, "silent data corruption")
            self._try_resume(t)
            return
        self.useful += self.uncommitted
        self.uncommitted = 0
        self.committed = self.step
        self.stats["checkpoints"] += 1
        self.t_ckpt = t
        if self.step == self.job.n_steps:
            self.phase = DONE
            self.ver += 1
            self.completion_s = t
            self.sim.log(t, "job_done", -1, self.w, self.job.name)
            self._release(t)
        else:
            self._enter(t, COMPUTE, 1.0)

    def _release(self, t: float) -> None:
        """Give every accelerator back (the job is done)."""
        for i in list(self.ring):
            self.fleet.allocate(self.w, i, -self.rep[i] * self.size, t)
            self.rep[i] = 0
            self.fleet.refresh(i, t)

    def _partial_flops(self) -> int:
        phase, remaining = self.saved if self.phase == MIGRATE else (self.phase, self.remaining)
        if phase != COMPUTE:
            return 0
        return round((1.0 - remaining) * self.job.step_flops(self.step))

    def _rollback(self) -> None:
        self.lost += self.uncommitted
        self.uncommitted = 0
        self.step = self.committed

    # ---- disturbances ---------------------------------------------------------------------
    def crash(self, t: float, cause: str) -> None:
        """A replica died: the work since the last checkpoint is lost."""
        if not self.started or self.phase in (WAIT, DONE):
            return
        self._sync(t)
        partial = self._partial_flops()
        self.issued += partial
        self.lost += partial
        self.sim.add_flops(partial)
        self._rollback()
        self.sdc = False
        self.stats["crashes"] += 1
        self.sim.log(t, "crash", -1, self.w, cause)
        self._try_resume(t)

    def sdc_hit(self, t: float) -> None:
        if self.started and self.phase in (COMPUTE, COMM):
            self.sdc = True

    def node_rate(self, i: int, t: float) -> None:
        if not self.rep[i]:
            return
        self._update_speed()
        if not self.started:
            return
        if self.phase == COMPUTE:
            self._sync(t)
            self.reschedule(t)
        if self.phase in (COMPUTE, COMM) and self.sim.policy.migrate_on_eclipse:
            self._maybe_migrate(i, t)

    def node_up(self, i: int, t: float) -> None:
        if self.started and self.phase == WAIT:
            self._try_resume(t)

    def links_changed(self, i: int, t: float) -> None:
        if self.rep[i] and self.phase == COMM:
            self._sync(t)
            self.reschedule(t)

    def finish(self, t: float) -> int:
        """Close the ledger at the end of the run; returns FLOPs still pending."""
        if self.phase == DONE or not self.started:
            return 0
        self._sync(t)
        partial = self._partial_flops()
        self.issued += partial
        self.sim.add_flops(partial)
        return self.uncommitted + partial

    # ---- placement changes ----------------------------------------------------------------
    def evict(self, i: int, replicas: int, t: float) -> None:
        """Take ``replicas`` off node ``i`` (it lost satellites); re-place them if possible."""
        replicas = min(replicas, self.rep[i])
        if replicas <= 0:
            return
        self.crash(t, f"replica lost on node {self.fleet.names[i]}")
        self.rep[i] -= replicas
        self.fleet.allocate(self.w, i, -replicas * self.size, t)
        self.place_missing(t)

    def place_missing(self, t: float) -> None:
        """Re-place replicas that have no node, in policy order; resume when complete."""
        missing = self.job.data_parallel - sum(self.rep)
        if missing <= 0 or self.phase == DONE:
            return
        fleet = self.fleet
        for i in self.sim.order:
            if missing == 0:
                break
            if not fleet.up[i] or fleet.acc_mem[i] * self.size < self.job.state_bytes:
                continue
            fit = min(missing, int(fleet.free_np[i]) // self.size)
            if fit > 0:
                self.rep[i] += fit
                missing -= fit
                fleet.allocate(self.w, i, fit * self.size, t)
                fleet.refresh(i, t)
        self.ring = [i for i in self.sim.order if self.rep[i] > 0]
        self._update_ring()
        if self.started and self.phase == WAIT and missing == 0:
            self._try_resume(t)

    def _maybe_migrate(self, i: int, t: float) -> None:
        fleet = self.fleet
        u, thermal = fleet.u[i], fleet.thermal[i]
        if u >= thermal * (1 - 1e-9) or not fleet.up[i]:
            return
        if self.sim.max_link_bps <= 0:
            return  # no links: nowhere to move
        move_best_s = self.rep[i] * self.job.state_bytes * 8.0 / self.sim.max_link_bps
        if fleet.window[i] * (1.0 - u / thermal) <= move_best_s:
            return  # throttling costs less time than the fastest move
        need = self.rep[i] * self.size
        ok = fleet.up_np & (fleet.free_np >= need) & (self.rep_np == 0)
        ok &= (fleet.links_down_np == 0) & (self.sim.mem_np * self.size >= self.job.state_bytes)
        ok &= fleet.array_w_now() >= fleet.full_load_np(extra_accelerators=need)
        candidates = np.flatnonzero(ok)
        if candidates.size == 0:
            return
        target = int(candidates[np.argmax(self.sim.mean_sunlit[candidates])])
        bw = self.sim.env.link_bps(i, target)
        if bw <= 0:
            return
        move_s = self.rep[i] * self.job.state_bytes * 8.0 / bw
        if fleet.window[i] * (1.0 - u / thermal) <= move_s:
            return  # throttling costs less time than moving
        self._sync(t)
        saved = (self.phase, self.remaining)
        count = self.rep[i]
        self.rep[i] = 0
        self.rep[target] = count
        self.ring[self.ring.index(i)] = target
        fleet.allocate(self.w, i, -need, t)
        fleet.allocate(self.w, target, need, t)
        self._update_ring()
        if self.ring_bandwidth_bps() <= 0:  # no link on the new ring: undo
            self.rep[i], self.rep[target] = count, 0
            self.ring[self.ring.index(target)] = i
            fleet.allocate(self.w, target, -need, t)
            fleet.allocate(self.w, i, need, t)
            self._update_ring()
            return
        self.stats["migrations"] += 1
        self.sim.log(t, "migrate", i, self.w, f"to {fleet.names[target]}")
        self.saved = saved
        self._enter(t, MIGRATE, move_s)
        fleet.refresh(i, t)
        fleet.refresh(target, t)
