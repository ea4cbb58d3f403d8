"""Compute nodes, their environment over time, and the power kernels of the operations simulator.

A *node* is one satellite, or many identical satellites aggregated into one (a shell or a
cluster in the million-satellite run). Its power follows a zero-order-hold energy balance:
sample ``k`` of the sunlit fraction holds on ``[t_k, t_{k+1})``, so between events the battery
energy is a straight line

    E(t) = min(E_max, E(t0) + (s A - P_bus - u P_IT) (t - t0)),

with ``s`` the sunlit fraction, ``A`` the array power in full sun, ``P_bus`` the bus load, ``u``
the throttle (fraction of the allocated IT power drawn) and ``P_IT`` the allocated IT power.
Array power covers the loads first and charges the battery with the surplus; in eclipse the
battery carries the load down to ``min_state_of_charge``. The battery is ideal (no charge or
discharge loss): pass ``array_power_w`` as the power delivered to the bus, after the path
efficiencies of :mod:`skydc.spacecraft.power`.

For an aggregated node the batteries are pooled: ``s`` is the fraction of its satellites in
sunlight and the balance above is the fleet's. That is the orbit-average energy balance of the
shell, not any one satellite's eclipse: good for throughput over a day, blind to a single
satellite's battery running empty while the pool is not.

Reference: Wertz & Larson (eds.), "Space Mission Analysis and Design", 3rd ed., 1999,
sec. 11.4 (energy balance over an orbit: array power in daylight carries the loads and
recharges the battery that carries them in eclipse).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "Environment",
    "NodeSpec",
    "cumulative_sunlit_s",
    "next_sustainable_index",
    "sunlit_change_points",
]

_J_PER_WH = 3600.0  # 1 Wh = 3600 J (definition)


@dataclass(frozen=True)
class NodeSpec:
    """A compute node: ``satellites`` identical satellites, figures per satellite.

    Parameters
    ----------
    name
        Label for results.
    peak_flops
        Peak rate of one satellite's accelerators at the workload precision [FLOP/s].
    it_power_w
        IT power of one satellite at full load (accelerators and their servers) [W].
    battery_wh
        Battery energy of one satellite at full charge [Wh].
    array_power_w
        Array power delivered to the bus in full sun [W].
    bus_power_w
        Bus load (avionics, thermal control, links), drawn at all times while up [W].
    satellites
        Satellites aggregated in this node (1 for a satellite-level run).
    accelerators
        Accelerators per satellite.
    memory_bytes
        Accelerator memory per satellite (HBM, all its accelerators) [B].
    thermal_limit_fraction
        Highest sustained fraction of ``it_power_w`` the radiators reject [-], in (0, 1].
    min_state_of_charge
        Lowest state of charge the battery is discharged to [-] (1 - depth of discharge).
    initial_state_of_charge
        State of charge at the start of the run [-].
    internal_bandwidth_bps
        Bandwidth between the node's own accelerators or satellites [bit/s]: NVLink-class for
        one satellite, the intra-cluster ISL for an aggregated node, the fabric of a
        centralized station.
    memory_bandwidth_bytes_s
        Peak memory (HBM) bandwidth of one satellite's accelerators together [B/s]; it bounds
        inference decode (:func:`skydc.operations.workloads.decode_step_time_s`). ``inf``
        (default): not known, decode then compute-bound.
    idle_power_fraction
        Power of an idle allocated accelerator over its full power [-], in [0, 1]: a device
        draws ``idle + (1 - idle) x busy`` of its power (the linear server power model of Fan,
        Weber & Barroso 2007, "Power provisioning for a warehouse-sized computer", ISCA '07,
        sec. 4.1). Default 1: allocated devices draw full power whether busy or not.
    """

    name: str
    peak_flops: float
    it_power_w: float
    battery_wh: float
    array_power_w: float
    bus_power_w: float
    satellites: int = 1
    accelerators: int = 1
    memory_bytes: float = math.inf
    thermal_limit_fraction: float = 1.0
    min_state_of_charge: float = 0.0
    initial_state_of_charge: float = 1.0
    internal_bandwidth_bps: float = math.inf
    memory_bandwidth_bytes_s: float = math.inf
    idle_power_fraction: float = 1.0

    def __post_init__(self) -> None:
        for field in ("peak_flops", "it_power_w"):
            value = getattr(self, field)
            if not (value > 0 and math.isfinite(value)):
                raise ValueError(f"NodeSpec {self.name!r}: {field} must be > 0 and finite")
        for field in ("battery_wh", "array_power_w", "bus_power_w"):
            value = getattr(self, field)
            if not (value >= 0 and math.isfinite(value)):
                raise ValueError(f"NodeSpec {self.name!r}: {field} must be >= 0 and finite")
        for field in ("satellites", "accelerators"):
            value = getattr(self, field)
            if not (isinstance(value, int | np.integer) and value >= 1):
                raise ValueError(f"NodeSpec {self.name!r}: {field} must be an integer >= 1")
        if not (self.memory_bytes > 0 and self.internal_bandwidth_bps > 0):
            raise ValueError(
                f"NodeSpec {self.name!r}: memory_bytes and internal_bandwidth_bps must be > 0"
            )
        if not self.memory_bandwidth_bytes_s > 0:
            raise ValueError(f"NodeSpec {self.name!r}: memory_bandwidth_bytes_s must be > 0")
        if not 0 <= self.idle_power_fraction <= 1:
            raise ValueError(f"NodeSpec {self.name!r}: idle_power_fraction must be in [0, 1]")
        if not 0 < self.thermal_limit_fraction <= 1:
            raise ValueError(f"NodeSpec {self.name!r}: thermal_limit_fraction must be in (0, 1]")
        if not 0 <= self.min_state_of_charge <= self.initial_state_of_charge <= 1:
            raise ValueError(
                f"NodeSpec {self.name!r}: need 0 <= min_state_of_charge <= "
                "initial_state_of_charge <= 1"
            )

    @property
    def total_accelerators(self) -> int:
        """Accelerators in the node [-]."""
        return int(self.satellites * self.accelerators)

    @property
    def accelerator_peak_flops(self) -> float:
        """Peak rate of one accelerator [FLOP/s]."""
        return self.peak_flops / self.accelerators

    @property
    def accelerator_it_power_w(self) -> float:
        """IT power of one accelerator with its share of the server [W]."""
        return self.it_power_w / self.accelerators

    @property
    def accelerator_memory_bytes(self) -> float:
        """Memory of one accelerator [B]."""
        return self.memory_bytes / self.accelerators

    @property
    def accelerator_memory_bandwidth_bytes_s(self) -> float:
        """Memory bandwidth of one accelerator [B/s] (``inf`` when not known)."""
        return self.memory_bandwidth_bytes_s / self.accelerators

    @property
    def battery_j(self) -> float:
        """Battery energy of one satellite at full charge [J]."""
        return self.battery_wh * _J_PER_WH


@dataclass(frozen=True)
class Environment:
    """What the nodes see over time: sunlight, links, ground reach.

    Parameters
    ----------
    t_s
        Time grid, strictly increasing, seconds since the run's epoch [s], shape (n_time,).
        Sample ``k`` holds on ``[t_k, t_{k+1})`` and the run ends at ``t_s[-1]``.
    sunlit_fraction
        Fraction of each node's satellites in sunlight [-], shape (n_node, n_time).
    isl_capacity_bps
        Link capacity between nodes [bit/s]: (n_node, n_node), or (n_node,) per node, a link
        between two nodes then carrying the smaller of the two. ``None``: no links between
        nodes (a job must then stay within one node).
    ground_rtt_s
        Round-trip time user -> node -> user, ground links and ISL routing included [s]:
        (n_node,) for one user region or (n_region, n_node). ``None``: zero.
    ground_available
        Whether the node can be reached from the ground, shape (n_node, n_time). ``None``:
        always.
    """

    t_s: NDArray[np.float64]
    sunlit_fraction: NDArray[np.float64]
    isl_capacity_bps: NDArray[np.float64] | None = None
    ground_rtt_s: NDArray[np.float64] | None = None
    ground_available: NDArray[np.bool_] | None = None

    def __post_init__(self) -> None:
        t = _frozen(self.t_s, np.float64)
        s = _frozen(self.sunlit_fraction, np.float64)
        if t.ndim != 1 or t.size < 2 or not np.all(np.diff(t) > 0) or not np.isfinite(t).all():
            raise ValueError("t_s must be a finite, strictly increasing 1-D grid of >= 2 times")
        if s.ndim != 2 or s.shape[1] != t.size:
            raise ValueError(f"sunlit_fraction must have shape (n_node, {t.size}), got {s.shape}")
        if not (np.all(s >= 0) and np.all(s <= 1)):
            raise ValueError("sunlit_fraction must lie in [0, 1] (no NaN)")
        n = s.shape[0]
        object.__setattr__(self, "t_s", t)
        object.__setattr__(self, "sunlit_fraction", s)
        if self.isl_capacity_bps is not None:
            isl = _frozen(self.isl_capacity_bps, np.float64)
            if isl.shape not in ((n,), (n, n)) or not np.all(isl >= 0):
                raise ValueError(f"isl_capacity_bps must be >= 0 with shape ({n},) or ({n}, {n})")
            object.__setattr__(self, "isl_capacity_bps", isl)
        if self.ground_rtt_s is not None:
            rtt = _frozen(self.ground_rtt_s, np.float64)
            rtt = rtt.reshape(1, -1) if rtt.ndim == 1 else rtt
            if rtt.ndim != 2 or rtt.shape[1] != n or not np.all(np.isfinite(rtt) & (rtt >= 0)):
                raise ValueError(
                    f"ground_rtt_s must be finite, >= 0, shape ({n},) or (n_region, {n})"
                )
            object.__setattr__(self, "ground_rtt_s", rtt)
        if self.ground_available is not None:
            avail = _frozen(self.ground_available, np.bool_)
            if avail.shape != s.shape:
                raise ValueError(f"ground_available must have shape {s.shape}")
            object.__setattr__(self, "ground_available", avail)

    @property
    def n_node(self) -> int:
        """Number of nodes."""
        return int(self.sunlit_fraction.shape[0])

    @property
    def n_region(self) -> int:
        """Number of user regions (1 without ``ground_rtt_s``)."""
        return 1 if self.ground_rtt_s is None else int(self.ground_rtt_s.shape[0])

    def link_bps(self, i: int, j: int) -> float:
        """Capacity of the link between nodes ``i != j`` [bit/s] (0 without links)."""
        isl = self.isl_capacity_bps
        if isl is None:
            return 0.0
        if isl.ndim == 1:
            return float(min(isl[i], isl[j]))
        return float(isl[i, j])

    @classmethod
    def always_sunlit(
        cls, n_node: int, horizon_s: float, *, isl_capacity_bps: ArrayLike | None = None
    ) -> Environment:
        """Nodes in permanent sunlight over ``[0, horizon_s]`` (a ground data center, a
        dawn-dusk station)."""
        isl = None if isl_capacity_bps is None else np.asarray(isl_capacity_bps, np.float64)
        return cls(np.array([0.0, float(horizon_s)]), np.ones((n_node, 2)), isl)


def _frozen(values: ArrayLike, dtype: type) -> NDArray[Any]:
    array: NDArray[Any] = np.array(values, dtype=dtype)
    array.setflags(write=False)
    return array


def cumulative_sunlit_s(t_s: ArrayLike, sunlit_fraction: ArrayLike) -> NDArray[np.float64]:
    """Time integral of the sunlit fraction from ``t_s[0]`` to each ``t_s[k]`` [s].

    ``C_k = sum_{i<k} s_i (t_{i+1} - t_i)`` (zero-order hold), so the array energy between
    grid times is ``A (C_j - C_k)``.

    Parameters
    ----------
    t_s
        Time grid [s], shape (n_time,).
    sunlit_fraction
        Sunlit fraction [-], shape (..., n_time).

    Returns
    -------
    ndarray
        Shape of ``sunlit_fraction`` [s].
    """
    t = np.asarray(t_s, np.float64)
    s = np.asarray(sunlit_fraction, np.float64)
    out = np.zeros(s.shape)
    np.cumsum(s[..., :-1] * np.diff(t), axis=-1, out=out[..., 1:])
    return out


def next_sustainable_index(sunlit_fraction: ArrayLike, threshold: ArrayLike) -> NDArray[np.int64]:
    """For each sample ``k``, the first sample ``j >= k`` with ``s_j >= threshold``.

    With ``threshold = full load / array power`` this is where the array alone carries the
    full load again: the end of the deficit window a power-aware policy must bridge.

    Parameters
    ----------
    sunlit_fraction
        Sunlit fraction [-], shape (n_node, n_time).
    threshold
        Sunlit fraction that covers the load [-], shape (n_node,) (may exceed 1: never).

    Returns
    -------
    ndarray of int64
        Shape (n_node, n_time); ``n_time`` where no later sample qualifies.
    """
    s = np.atleast_2d(np.asarray(sunlit_fraction, np.float64))
    thr = np.asarray(threshold, np.float64).reshape(-1, 1)
    n_time = s.shape[1]
    index = np.where(s >= thr, np.arange(n_time), n_time)
    return np.minimum.accumulate(index[:, ::-1], axis=1)[:, ::-1]


def sunlit_change_points(
    sunlit_fraction: ArrayLike,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Samples where a node's sunlit fraction changes: ``(node, k)`` with ``s_k != s_{k-1}``.

    These (and nothing in between) are the power events of the simulation.
    """
    s = np.atleast_2d(np.asarray(sunlit_fraction, np.float64))
    node, k = np.nonzero(s[:, 1:] != s[:, :-1])
    return node.astype(np.int64), (k + 1).astype(np.int64)
