"""Scheduling policies: how hard each node runs, where replicas go, when work moves.

A :class:`Policy` is a small bundle of decisions, selected by name from a registry
(:func:`get_policy`, :func:`register_policy`):

* ``"greedy"``: every node runs flat out (its thermal limit) while it has work; when the
  battery reaches its minimum state of charge the node stops, and its jobs lose the work
  since their last checkpoint. Replicas go first-fit in node order.
* ``"power-aware"``: in a power deficit (array power below the full load) a node draws, until
  its sunlight next changes, the largest constant load that leaves the battery the reserve
  it needs for the bus through the deficits ahead (the eclipses are known in advance from
  the orbit); at the minimum it runs on array power alone and stops only if the array
  cannot carry even the bus. Replicas go to the
  sunniest nodes first, inference replicas spread over them; a training replica on a node
  that has to throttle moves to a spare node in full sun when there is one.

Both route an inference request to the candidate node (lowest round-trip times) that finishes
it first, so the two differ in power management, placement and migration only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "Policy",
    "get_policy",
    "greedy_throttle",
    "place_replicas",
    "policy_names",
    "register_policy",
    "sustainable_throttle",
]

ThrottleFn = Callable[..., Any]
OrderFn = Callable[[NDArray[np.float64]], NDArray[np.int64]]


def sustainable_throttle(spare_j: float, span_s: float, it_w: float) -> float:
    """Largest constant throttle until the next change of sunlight that keeps the future
    feasible [-] (uncapped; may be < 0).

    ``u = spare / (P_IT T)``, with ``spare = E - R + (A - P_bus) T`` the energy the IT may
    draw over the ``T`` seconds to the next change of the sunlit fraction: the battery now,
    less the reserve ``R`` the node needs then, plus what the array gives beyond the bus. The
    reserve runs backwards over the look-ahead, ``R_j = max(E_min, R_{j+1} - net_j dt_j)``,
    with the IT off in deficit intervals and at full load where the array carries it (a
    full battery cannot store more, so the recursion is exact with the charge cap). For one
    eclipse of length ``T`` with no array power: ``((E - E_min) / T - P_bus) / P_IT``.

    Parameters
    ----------
    spare_j
        Energy available to the IT until the next change [J].
    span_s
        Time to the next change of the sunlit fraction [s] (> 0).
    it_w
        Allocated IT power at full throttle [W] (> 0).
    """
    return spare_j / (it_w * span_s)


def greedy_throttle(spare_j: float, span_s: float, it_w: float) -> float:
    """Flat out: the throttle is capped by the thermal limit only."""
    return 1.0


def _index_order(mean_sunlit: NDArray[np.float64]) -> NDArray[np.int64]:
    return np.arange(mean_sunlit.size, dtype=np.int64)


def _sunniest_first(mean_sunlit: NDArray[np.float64]) -> NDArray[np.int64]:
    return np.argsort(-mean_sunlit, kind="stable").astype(np.int64)


@dataclass(frozen=True)
class Policy:
    """A named scheduling policy.

    Attributes
    ----------
    name, description
        Registry name and one line for reports.
    throttle
        ``throttle(spare_j, span_s, it_w) -> u`` in a power deficit, for the time until the
        sunlit fraction next changes (see :func:`sustainable_throttle`); the engine clips it
        to ``[0, thermal_limit_fraction]``.
    hold_at_min_charge
        At the minimum state of charge: ``True`` run on array power alone (never stop for
        power); ``False`` stop the node (its jobs lose their work since the last checkpoint)
        until the array carries the full load again.
    node_order
        ``node_order(mean_sunlit_fraction) -> node indices`` in placement preference.
    spread_inference
        Spread inference replicas one per node per round, in ``node_order``, instead of
        filling nodes first-fit.
    migrate_on_eclipse
        Move a training replica off a node that must throttle to a spare node in full sun.
    lookahead_s
        How far past the end of the present deficit the reserve looks [s] (default 3 h, two
        low orbits), so that a sunlit spell too short to recharge the battery does not leave
        it empty for the next eclipse; 0: no reserve (greedy).
    """

    name: str
    description: str
    throttle: ThrottleFn
    hold_at_min_charge: bool
    node_order: OrderFn
    spread_inference: bool = False
    migrate_on_eclipse: bool = False
    lookahead_s: float = 10800.0


_REGISTRY: dict[str, Policy] = {}


def register_policy(policy: Policy) -> None:
    """Add (or replace) a policy under ``policy.name``."""
    if not isinstance(policy, Policy):
        raise ValueError("register_policy needs an skydc.operations.scheduler.Policy")
    _REGISTRY[policy.name] = policy


def policy_names() -> tuple[str, ...]:
    """Names of the registered policies."""
    return tuple(sorted(_REGISTRY))


def get_policy(policy: str | Policy) -> Policy:
    """The policy called ``policy`` (a :class:`Policy` passes through)."""
    if isinstance(policy, Policy):
        return policy
    try:
        return _REGISTRY[policy]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown scheduling policy {policy!r}; allowed: {', '.join(policy_names())}"
        ) from None


register_policy(
    Policy(
        "greedy",
        "flat out until the battery is empty, then stop; first-fit placement",
        greedy_throttle,
        hold_at_min_charge=False,
        node_order=_index_order,
        lookahead_s=0.0,
    )
)
register_policy(
    Policy(
        "power-aware",
        "throttle to last each eclipse, never stop for power; sunniest nodes first; "
        "training replicas leave nodes that must throttle",
        sustainable_throttle,
        hold_at_min_charge=True,
        node_order=_sunniest_first,
        spread_inference=True,
        migrate_on_eclipse=True,
    )
)


def place_replicas(
    free_accelerators: ArrayLike,
    replica_accelerators: int,
    count: int | None,
    order: ArrayLike,
    *,
    spread: bool = False,
) -> NDArray[np.int64] | None:
    """Replicas per node: first-fit in ``order``, or spread one per node per round.

    Parameters
    ----------
    free_accelerators
        Free accelerators per node, shape (n_node,).
    replica_accelerators
        Accelerators one replica needs (within one node).
    count
        Replicas to place; ``None``: as many as fit.
    order
        Node indices in preference order (nodes left out get nothing).
    spread
        Round-robin: the most even split in which earlier nodes get the extra replicas.

    Returns
    -------
    ndarray of int64 or None
        Replicas per node, shape (n_node,); ``None`` if ``count`` does not fit.
    """
    free = np.asarray(free_accelerators, np.int64)
    idx = np.asarray(order, np.int64)
    cap = np.zeros(free.size, np.int64)
    cap[idx] = free[idx] // int(replica_accelerators)
    total = int(cap.sum())
    if count is None:
        return cap
    if count > total:
        return None
    out = np.zeros(free.size, np.int64)
    cap_o = cap[idx]
    if not spread:
        before = np.cumsum(cap_o) - cap_o
        out[idx] = np.clip(count - before, 0, cap_o)
        return out
    lo, hi = 0, int(cap_o.max(initial=0))  # water level L: sum(min(cap, L)) <= count
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if int(np.minimum(cap_o, mid).sum()) <= count:
            lo = mid
        else:
            hi = mid - 1
    level = np.minimum(cap_o, lo)
    extra = (cap_o > lo) & (np.cumsum(cap_o > lo) <= count - int(level.sum()))
    out[idx] = level + extra
    return out
