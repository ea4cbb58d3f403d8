"""What every part of one operations run shares: inputs, clock, event heap, log, counters.

The lowest layer of the simulator. :class:`SimCore` holds the state that the node power
model (:mod:`skydc.operations._fleet`) and the workload runs (:mod:`skydc.operations._eo`,
:mod:`skydc.operations._training`, :mod:`skydc.operations._inference`) read and write; the
run's full state (:class:`skydc.operations._state._Sim`: the fleet and the workloads) extends
it, and the event loop (:mod:`skydc.operations.engine`) sits on top. Nothing here imports a
subsystem, so the modules of the package form a DAG.
"""

from __future__ import annotations

import heapq
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence

import numpy as np

from skydc.operations.faults import FaultModel
from skydc.operations.nodes import Environment, NodeSpec
from skydc.operations.scheduler import Policy

__all__ = [
    "BATTERY",
    "FAULT",
    "LINK_UP",
    "POWER",
    "RECOVER",
    "REPLACE",
    "SAMPLE",
    "START",
    "TRAIN",
    "Progress",
    "SimCore",
]

# event kinds (heap entries are (t, seq, kind, a, b))
SAMPLE, POWER, BATTERY, RECOVER, TRAIN, FAULT, REPLACE, LINK_UP, START = range(9)

Progress = Callable[[float, float], None]


class SimCore(ABC):
    """One run's inputs, clock, event heap, log and counters.

    The node events (:meth:`node_rate`, :meth:`node_down`, :meth:`node_up`) reach the
    workloads, which only the full state (:class:`skydc.operations._state._Sim`) knows.
    """

    def __init__(
        self,
        nodes: Sequence[NodeSpec],
        env: Environment,
        policy: Policy,
        faults: FaultModel,
        seed: int,
        progress: Progress | None,
    ):
        self.nodes = list(nodes)
        self.env = env
        self.policy = policy
        self.faults = faults
        self.seed = seed
        self.progress = progress
        self.t0 = float(env.t_s[0])
        self.t_end = float(env.t_s[-1])
        self.heap: list[tuple[float, int, int, int, int]] = []
        self.seq = 0
        self.k_now = 0
        self.events = 0
        # training phases run inside on_timer, not through the heap (TrainingRun.on_timer)
        self.inline_training = False
        self.inline_events = 0
        dt = np.diff(env.t_s)
        self.mean_sunlit = env.sunlit_fraction[:, :-1] @ dt / (self.t_end - self.t0)
        self.order = [int(i) for i in policy.node_order(self.mean_sunlit)]
        self.mem_np = np.array([node.accelerator_memory_bytes for node in nodes])
        isl = env.isl_capacity_bps
        self.max_link_bps = float(np.max(isl)) if isl is not None and isl.size else 0.0
        avail = env.ground_available
        self.avail_rows = None if avail is None else [row.tolist() for row in avail]
        self.flops_bin = np.zeros(env.t_s.size)
        self.timeline: tuple[list, list, list, list, list] = ([], [], [], [], [])
        self.samples: dict[str, list[float]] = {
            key: [] for key in ("nodes_up", "throttle_mean", "soc_mean", "soc_min", "progress")
        }
        self.faults_effective = {"sdc": 0, "ue": 0, "sefi": 0, "satellite": 0, "link": 0}
        self.seeds = np.random.SeedSequence(seed).spawn(2)

    # ---- services for the fleet and the runs ----------------------------------------------
    def push(self, t: float, kind: int, a: int, b: int) -> None:
        self.seq += 1
        heapq.heappush(self.heap, (t, self.seq, kind, a, b))

    def add_flops(self, flops: float) -> None:
        self.flops_bin[self.k_now] += flops

    def log(self, t: float, event: str, node: int, workload: int, detail: str) -> None:
        for column, value in zip(self.timeline, (t, event, node, workload, detail), strict=True):
            column.append(value)

    # ---- node events, passed on to the workloads ------------------------------------------
    @abstractmethod
    def node_rate(self, i: int, t: float) -> None:
        """Node ``i``'s throttle changed at ``t``."""

    @abstractmethod
    def node_down(self, i: int, t: float, cause: str) -> None:
        """Node ``i`` stopped at ``t`` (``cause``: ``"power"``, ``"failure"``)."""

    @abstractmethod
    def node_up(self, i: int, t: float) -> None:
        """Node ``i`` restarted at ``t``."""
