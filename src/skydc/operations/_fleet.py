"""Node power state for the event loop: battery, throttle, up/down, allocations.

Scalar state lives in Python lists (fast single-element access inside the event loop); the few
fields that vectorised queries need (throttle, up, free accelerators) are mirrored in NumPy
arrays. See :mod:`skydc.operations.nodes` for the energy balance.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_right
from collections.abc import Sequence

import numpy as np

from skydc.operations._core import BATTERY, RECOVER, SimCore
from skydc.operations.nodes import (
    Environment,
    NodeSpec,
    cumulative_sunlit_s,
    next_sustainable_index,
    sunlit_change_points,
)
from skydc.operations.scheduler import Policy

_REL = 1e-9  # relative slack of energy comparisons [-]
_GUARD_S = 1e-6  # a battery that reaches its minimum this close to a re-plan waits for it [s]


class Fleet:
    """Power state of every node, advanced lazily between events."""

    def __init__(self, sim: SimCore, nodes: Sequence[NodeSpec], env: Environment, t_end: float):
        self.sim = sim
        self.policy: Policy = sim.policy
        self.env = env
        self.t_end = t_end
        n = len(nodes)
        self.n = n
        self.names = [node.name for node in nodes]
        self.nominal = [int(node.satellites) for node in nodes]
        self.alive = list(self.nominal)
        self.acc_per_sat = [int(node.accelerators) for node in nodes]
        self.acc_peak = [node.accelerator_peak_flops for node in nodes]
        self.acc_it_w = [node.accelerator_it_power_w for node in nodes]
        self.acc_bw = [node.accelerator_memory_bandwidth_bytes_s for node in nodes]
        self.idle = [float(node.idle_power_fraction) for node in nodes]
        self.acc_mem = [node.accelerator_memory_bytes for node in nodes]
        self.internal_bps = [float(node.internal_bandwidth_bps) for node in nodes]
        self.sat_array_w = [float(node.array_power_w) for node in nodes]
        self.sat_bus_w = [float(node.bus_power_w) for node in nodes]
        self.sat_batt_j = [node.battery_j for node in nodes]
        self.min_soc = [float(node.min_state_of_charge) for node in nodes]
        self.thermal = [float(node.thermal_limit_fraction) for node in nodes]
        self.grid = env.t_s.tolist()
        self.sun = env.sunlit_fraction  # (n, n_time)
        self.cum = cumulative_sunlit_s(env.t_s, env.sunlit_fraction)  # (n, n_time)
        t_last = self.grid[-1]
        # integral of s up to t_end (the last sample holds past t_s[-1] when t_end is later)
        self.cum_end = (self.cum[:, -1] + self.sun[:, -1] * max(0.0, t_end - t_last)).tolist()
        t0 = self.grid[0]
        self.k = [0] * n
        self.s = self.sun[:, 0].tolist()
        # battery energy, load and time of the last update per node: Python floats read and
        # written one at a time by the event handlers, in typed arrays so that the sample's
        # state-of-charge query views them as NumPy arrays without converting (soc_now)
        soc0 = [node.initial_state_of_charge for node in nodes]
        self.e = array("d", [self.sat_batt_j[i] * self.alive[i] * soc0[i] for i in range(n)])
        self.t_upd = array("d", [t0] * n)
        self.u = [0.0] * n
        self.up = [True] * n
        self.load = array("d", [0.0] * n)
        self.alloc = [0] * n  # allocated accelerators, all workloads
        # allocated accelerators weighted by the power they draw at full throttle [-]: an
        # accelerator of a workload busy a fraction b of the time draws idle + (1 - idle) b
        self.alloc_pw = [0.0] * n
        self.bver = [0] * n
        self.window = [0.0] * n  # length of the present deficit window [s]
        self.guard = [math.inf] * n  # grid time at which the present plan binds [s]
        self.grid_np = np.asarray(env.t_s)
        self.dt_np = np.diff(self.grid_np)  # interval lengths, sliced by the reserve look-ahead
        node, k = sunlit_change_points(env.sunlit_fraction)
        # per node: the samples where its sunlit fraction changes, then n_time (the end); a
        # stable sort by node keeps each node's samples in time order (one pass, not n masks)
        by_node = np.argsort(node, kind="stable")
        split = np.searchsorted(node[by_node], np.arange(1, n))
        self.changes = [np.append(part, len(self.grid)) for part in np.split(k[by_node], split)]
        # the same as Python lists, for bisect inside the event loop (no NumPy call per event)
        self.changes_list = [part.tolist() for part in self.changes]
        self.next_ok: list[np.ndarray] = [np.zeros(0, np.int64)] * n
        # per node: the policy's reserve at each of its change points, and the state it was
        # computed for (see _reserves)
        self.reserve_at: list[list[float]] = [[] for _ in range(n)]
        self.reserve_key: list[tuple[int, float] | None] = [None] * n
        self.it_j = [0.0] * n
        self.up_sat_s = [0.0] * n
        self.u_np = np.zeros(n)
        self.up_np = np.ones(n, bool)
        self.free_np = np.array([self.acc_total(i) for i in range(n)], np.int64)
        self.workload_alloc: list[list[int]] = []  # per workload, per node (layout order)
        self.workload_it_j: list[float] = []
        self.workload_busy: list[float] = []  # per workload: busy fraction of its devices
        self.on_advance: list = []  # callbacks (i, t0, t1) for fluid workloads
        self.links_down = [0] * n
        self.links_down_np = np.zeros(n, np.int64)
        # NumPy mirrors for vectorised queries (kept equal to the lists above)
        self.s_np = np.array(self.s)
        self.alloc_np = np.zeros(n, np.int64)
        self.alloc_pw_np = np.zeros(n)
        self.alive_np = np.array(self.alive, np.float64)
        self.array_w_np = np.array(self.sat_array_w)
        self.bus_w_np = np.array(self.sat_bus_w)
        self.it_w_np = np.array(self.acc_it_w)
        self.thermal_np = np.array(self.thermal)
        self.batt_j_np = np.array(self.sat_batt_j, np.float64)  # per satellite, constant

    # ---- capacity -------------------------------------------------------------------------
    def acc_total(self, i: int) -> int:
        return self.alive[i] * self.acc_per_sat[i]

    def add_workload(self, busy: float = 1.0) -> int:
        """A new workload whose devices are busy a fraction ``busy`` of the time."""
        self.workload_alloc.append([0] * self.n)
        self.workload_it_j.append(0.0)
        self.workload_busy.append(min(1.0, max(0.0, float(busy))))
        return len(self.workload_alloc) - 1

    def power_factor(self, w: int, i: int) -> float:
        """Power of workload ``w``'s accelerator on node ``i`` over its full power [-]."""
        idle = self.idle[i]
        return idle + (1.0 - idle) * self.workload_busy[w]

    def allocate(self, w: int, i: int, accelerators: int, t: float) -> None:
        """Give (or with a negative count take back) ``accelerators`` of node ``i`` to ``w``."""
        self.advance(i, t)
        self.workload_alloc[w][i] += accelerators
        self.alloc[i] += accelerators
        self.alloc_np[i] = self.alloc[i]
        self.alloc_pw[i] = max(0.0, self.alloc_pw[i] + accelerators * self.power_factor(w, i))
        self.alloc_pw_np[i] = self.alloc_pw[i]
        self.free_np[i] = self.acc_total(i) - self.alloc[i]
        self.rethreshold(i)

    def full_load_w(self, i: int) -> float:
        return (
            self.sat_bus_w[i] * self.alive[i]
            + self.thermal[i] * self.acc_it_w[i] * self.alloc_pw[i]
        )

    def array_full_w(self, i: int) -> float:
        return self.sat_array_w[i] * self.alive[i]

    def rethreshold(self, i: int) -> None:
        """Recompute where node ``i``'s array carries its full load (its allocation changed)."""
        area = self.array_full_w(i)
        thr = self.full_load_w(i) / area if area > 0 else math.inf
        self.next_ok[i] = next_sustainable_index(self.sun[i : i + 1], [thr * (1 - _REL)])[0]

    # ---- power ----------------------------------------------------------------------------
    def advance(self, i: int, t: float) -> None:
        """Bring node ``i``'s battery and energy counters to time ``t``."""
        t0 = self.t_upd[i]
        dt = t - t0
        if dt <= 0:
            return
        arr = self.s[i] * self.sat_array_w[i] * self.alive[i]
        e = self.e[i] + (arr - self.load[i]) * dt
        e_max = self.sat_batt_j[i] * self.alive[i]
        e_min = self.min_soc[i] * e_max
        self.e[i] = e_max if e > e_max else (e_min if e < e_min else e)
        if self.up[i] and self.alive[i]:
            p = self.u[i] * self.acc_it_w[i] * dt
            self.it_j[i] += p * self.alloc_pw[i]
            idle = self.idle[i]
            busy = self.workload_busy
            for w, alloc in enumerate(self.workload_alloc):
                held = alloc[i]
                if held:  # power_factor(w, i), inline: this runs at every event of a node
                    self.workload_it_j[w] += p * held * (idle + (1.0 - idle) * busy[w])
            self.up_sat_s[i] += self.alive[i] * dt
        for callback in self.on_advance:
            callback(i, t0, t)
        self.t_upd[i] = t

    def e_min(self, i: int) -> float:
        return self.min_soc[i] * self.sat_batt_j[i] * self.alive[i]

    def capacity_w(self, i: int) -> float:
        """Allocated IT power at full throttle [W]."""
        return self.acc_it_w[i] * self.alloc_pw[i]

    def refresh(self, i: int, t: float, at_min: bool = False) -> None:
        """Choose node ``i``'s throttle at ``t`` (advanced already) and reschedule its battery."""
        if not self.up[i]:
            self._schedule_recover(i, t)
            return
        thermal = self.thermal[i]
        arr = self.s[i] * self.sat_array_w[i] * self.alive[i]
        bus = self.sat_bus_w[i] * self.alive[i]
        it_w = self.capacity_w(i)
        headroom = self.e[i] - self.e_min(i)
        self.window[i] = 0.0
        self.guard[i] = math.inf
        empty = at_min or headroom <= _REL * self.sat_batt_j[i] * self.alive[i]
        if arr >= self.full_load_w(i) * (1 - _REL):
            u = thermal
        elif empty and (not self.policy.hold_at_min_charge or arr < bus * (1 - _REL)):
            self.brownout(i, t)  # greedy at its minimum, or not even the bus is carried
            return
        elif it_w <= 0:
            u = thermal  # nothing to throttle: the bus alone drains the battery
        else:
            # the plan keeps the battery above its minimum up to the end of the deficit;
            # at the minimum it never draws more than the array gives
            u = self._deficit_throttle(i, t, max(headroom, 0.0), arr, bus, it_w)
            if empty:
                u = min(u, max(0.0, (arr - bus) / it_w))
        self.load[i] = bus + u * it_w
        self._schedule_battery(i, t, arr)
        if u != self.u[i]:
            self.u[i] = u
            self.u_np[i] = u
            self.sim.node_rate(i, t)

    def _deficit_throttle(
        self, i: int, t: float, headroom: float, arr: float, bus: float, it_w: float
    ) -> float:
        """Policy throttle until node ``i``'s sunlit fraction next changes (see
        :func:`skydc.operations.scheduler.sustainable_throttle` for the reserve)."""
        k = self.sim.k_now
        grid = self.grid
        n_time = len(grid)
        changes = self.changes_list[i]
        pos = bisect_right(changes, k)
        j = changes[pos]  # next change (or the end)
        t_next = grid[j] if j < n_time else self.t_end
        span = t_next - t
        if k + 1 < n_time:
            self.window[i] = grid[min(int(self.next_ok[i][k + 1]), n_time - 1)] - t
        if span <= 0:
            return min(self.thermal[i], max(0.0, (arr - bus) / it_w))
        reserve = 0.0  # above E_min, needed at t_next
        if j < n_time - 1 and self.policy.lookahead_s > 0:
            reserve = self._reserves(i)[pos]
        self.guard[i] = t_next
        spare = headroom - reserve + (arr - bus) * span
        return min(self.thermal[i], max(0.0, float(self.policy.throttle(spare, span, it_w))))

    def _reserves(self, i: int) -> list[float]:
        """The reserve above E_min node ``i`` must hold at each of its change points ``j``.

        The energy its array, bus and full-throttle IT draw take out of the battery at worst
        over ``[j, end of the deficit after j + lookahead]`` (the minimum of the running sum of
        the net energy), capped at what the battery holds. It depends on the node's state only
        through its satellites alive and its allocation, so it is computed for every change
        point at once, one row per window (padded with zeros past its end, which leave the
        running minimum alone), and again only when those change. Each row is summed in the
        same order as a per-event ``np.cumsum`` over the window: the same floats.
        """
        key = (self.alive[i], self.alloc_pw[i])
        if self.reserve_key[i] == key:
            return self.reserve_at[i]
        n_time = len(self.grid)
        js = self.changes[i]
        out = np.zeros(js.size)
        inner = js < n_time - 1
        if inner.any():
            j = js[inner]
            end_deficit = np.minimum(self.next_ok[i][j], n_time - 1)
            end = np.searchsorted(self.grid_np, self.grid_np[end_deficit] + self.policy.lookahead_s)
            last = np.maximum(end_deficit, np.minimum(end, n_time - 1))
            length = last - j
            width = int(length.max())
            if width > 0:
                step = np.arange(width)
                idx = np.minimum(j[:, None] + step, n_time - 2)
                bus = self.sat_bus_w[i] * self.alive[i]
                full_it = self.thermal[i] * self.capacity_w(i)
                power = self.sun[i, idx] * (self.sat_array_w[i] * self.alive[i])
                off = power < (bus + full_it) * (1 - _REL)
                net = (power - bus - np.where(off, 0.0, full_it)) * self.dt_np[idx]
                net[step >= length[:, None]] = 0.0
                worst = np.minimum(np.cumsum(net, axis=1).min(axis=1), 0.0)
                cap = self.sat_batt_j[i] * self.alive[i] - self.e_min(i)
                out[inner] = np.where(length > 0, np.minimum(-worst, cap), 0.0)
        self.reserve_at[i] = out.tolist()
        self.reserve_key[i] = key
        return self.reserve_at[i]

    def _schedule_battery(self, i: int, t: float, arr: float) -> None:
        self.bver[i] += 1
        net = arr - self.load[i]
        if net < -_REL * max(self.load[i], 1.0):  # a rounding residue of a hold is no drain
            t_min = t + (self.e[i] - self.e_min(i)) / -net
            # a plan that empties the battery exactly at a grid time is re-planned there
            if t_min < min(self.t_end, self.guard[i] - _GUARD_S):
                self.sim.push(max(t, t_min), BATTERY, i, self.bver[i])

    def _schedule_recover(self, i: int, t: float) -> None:
        """A stopped node restarts when its battery is full again (or at a power event)."""
        self.bver[i] += 1
        if self.alive[i] == 0:
            return
        net = self.s[i] * self.array_full_w(i) - self.load[i]
        missing = self.sat_batt_j[i] * self.alive[i] - self.e[i]
        if net > 0 and missing > _REL * self.sat_batt_j[i] * self.alive[i]:
            # (a node that stopped with a full battery waits for more sunlight instead)
            self.sim.push(t + missing / net, RECOVER, i, self.bver[i])

    def brownout(self, i: int, t: float) -> None:
        """Node ``i`` stops: its battery is at the minimum and the array cannot carry it."""
        self.e[i] = max(self.e[i], self.e_min(i))
        self.set_down(i, t, "power")
        self._schedule_recover(i, t)

    def set_down(self, i: int, t: float, cause: str) -> None:
        self.up[i] = False
        self.up_np[i] = False
        self.u[i] = 0.0
        self.u_np[i] = 0.0
        self.load[i] = 0.0
        self.sim.log(t, "node_down", i, -1, cause)
        self.sim.node_down(i, t, cause)

    def set_up(self, i: int, t: float) -> None:
        self.up[i] = True
        self.up_np[i] = True
        self.sim.log(t, "node_up", i, -1, "")
        self.refresh(i, t)
        if self.up[i]:
            self.sim.node_up(i, t)

    def on_power(self, t: float, i: int, k: int) -> None:
        self.advance(i, t)
        self.k[i] = k
        self.s[i] = float(self.sun[i, k])
        self.s_np[i] = self.s[i]
        if self.alive[i] == 0:
            return
        if not self.up[i]:
            if self.s[i] * self.array_full_w(i) >= self.full_load_w(i) * (1 - _REL):
                self.set_up(i, t)
            else:
                self._schedule_recover(i, t)
            return
        self.refresh(i, t)

    def on_battery(self, t: float, i: int, version: int) -> bool:
        if version != self.bver[i] or not self.up[i]:
            return False
        self.advance(i, t)
        self.e[i] = self.e_min(i)
        self.refresh(i, t, at_min=True)
        return True

    def on_recover(self, t: float, i: int, version: int) -> bool:
        if version != self.bver[i] or self.up[i] or self.alive[i] == 0:
            return False
        self.advance(i, t)
        self.set_up(i, t)
        return True

    def set_alive(self, i: int, alive: int) -> None:
        self.alive[i] = alive
        self.alive_np[i] = alive

    def array_w_now(self) -> np.ndarray:
        """Array power of every node now [W]."""
        return self.s_np * self.array_w_np * self.alive_np

    def full_load_np(self, extra_accelerators: int = 0) -> np.ndarray:
        """Full load of every node with ``extra_accelerators`` more allocated [W]."""
        it = self.it_w_np * (self.alloc_pw_np + extra_accelerators)
        return self.bus_w_np * self.alive_np + self.thermal_np * it

    def soc_now(self, t: float) -> np.ndarray:
        """State of charge of every node at ``t`` [-] (NaN for nodes with no battery)."""
        e_max = self.batt_j_np * self.alive_np
        e_now = np.frombuffer(self.e)  # views, no copy
        load = np.frombuffer(self.load)
        t_upd = np.frombuffer(self.t_upd)
        net = self.array_w_now() - load
        e = np.minimum(e_now + net * (t - t_upd), e_max)
        with np.errstate(invalid="ignore", divide="ignore"):
            return e / e_max
