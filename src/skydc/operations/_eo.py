"""Earth-observation processing inside the event loop: a fluid queue per node.

Raw data arrive at ``r = bytes per satellite per second x satellites alive``; the node
processes up to ``c = accelerators x peak x efficiency x throttle / FLOPs per byte`` (0 while
stopped). Between events both are constant, so the backlog ``B`` is piecewise linear and its
time integral (for Little's law, mean delay = integral of B / bytes processed; Little 1961,
Oper. Res. 9(3), 383-387) is exact:

* ``r >= c``: ``B1 = B0 + (r - c) dt``, integral ``B0 dt + (r - c) dt^2 / 2``;
* ``r < c``: the backlog drains to zero after ``B0 / (c - r)``, then output follows input.
"""

from __future__ import annotations

from skydc.operations._core import SimCore
from skydc.operations._fleet import Fleet
from skydc.operations.workloads import EarthObservationJob


class EarthObservationRun:
    """Fluid state of one Earth-observation job on every node."""

    def __init__(self, sim: SimCore, fleet: Fleet, job: EarthObservationJob, w: int):
        self.sim = sim
        self.fleet = fleet
        self.job = job
        self.w = w
        n = self.fleet.n
        self.backlog = [0.0] * n
        self.produced = [0.0] * n
        self.processed = [0.0] * n
        self.integral = [0.0] * n
        self.fleet.on_advance.append(self.advance)

    def advance(self, i: int, t0: float, t1: float) -> None:
        fleet = self.fleet
        dt = t1 - t0
        alive = fleet.alive[i]
        r = self.job.production_bytes_per_s * alive
        c = 0.0
        if fleet.up[i]:
            acc = self.job.accelerators_per_satellite * alive
            peak = acc * fleet.acc_peak[i] * self.job.compute_efficiency * fleet.u[i]
            c = peak / self.job.flops_per_byte
        b0 = self.backlog[i]
        if r >= c:
            done = c * dt
            b1 = b0 + (r - c) * dt
            area = b0 * dt + 0.5 * (r - c) * dt * dt
        else:
            t_empty = b0 / (c - r)
            if t_empty >= dt:
                done = c * dt
                b1 = b0 - (c - r) * dt
                area = b0 * dt - 0.5 * (c - r) * dt * dt
            else:
                done = b0 + r * dt
                b1 = 0.0
                area = 0.5 * b0 * t_empty
        self.backlog[i] = b1
        self.produced[i] += r * dt
        self.processed[i] += done
        self.integral[i] += area
        self.sim.add_flops(done * self.job.flops_per_byte)
