"""The full state of one operations run: the shared core, the fleet and the workload runs.

:class:`_Sim` is what placement (:mod:`skydc.operations._placement`) and the result builder
(:mod:`skydc.operations._results`) work on; the event loop
(:class:`skydc.operations.engine._EventLoop`) extends it with setup, the loop and the event
handlers.
"""

from __future__ import annotations

from collections.abc import Sequence

from skydc.operations._core import Progress, SimCore
from skydc.operations._eo import EarthObservationRun
from skydc.operations._fleet import Fleet
from skydc.operations._inference import InferenceRun
from skydc.operations._inference_batched import BatchedInferenceRun
from skydc.operations._training import TrainingRun
from skydc.operations.faults import FaultModel, FaultSchedule
from skydc.operations.nodes import Environment, NodeSpec
from skydc.operations.scheduler import Policy

__all__ = ["INFERENCE_MODELS", "AnyInference", "_Sim"]

AnyInference = InferenceRun | BatchedInferenceRun
INFERENCE_MODELS = ("event", "batched")  # per-request events, or the queueing model


class _Sim(SimCore):
    """One run: the heap, the clock, the fleet and the workloads."""

    schedule: FaultSchedule  # the faults drawn for the run (set up by the event loop)
    pending: dict[int, int]  # training workload -> FLOPs pending at the end (set at the end)

    def __init__(
        self,
        nodes: Sequence[NodeSpec],
        env: Environment,
        policy: Policy,
        faults: FaultModel,
        seed: int,
        progress: Progress | None,
        inference_model: str = "event",
    ):
        super().__init__(nodes, env, policy, faults, seed, progress)
        self.inference_model = inference_model
        self.fleet = Fleet(self, nodes, env, self.t_end)
        self.nominal_total = float(sum(self.fleet.nominal))
        self.trainings: list[TrainingRun] = []
        self.inferences: list[AnyInference] = []
        self.eos: list[EarthObservationRun] = []
        self.by_w: dict[int, TrainingRun] = {}
        self.layout: list[TrainingRun | AnyInference | EarthObservationRun] = []
        self.outcome: dict[str, str] = {}  # workload name -> "" (placed) or why not

    # ---- node events, passed on to the runs -----------------------------------------------
    def node_rate(self, i: int, t: float) -> None:
        for run in self.trainings:
            run.node_rate(i, t)
        for inf in self.inferences:
            inf.node_rate(i, t)

    def node_down(self, i: int, t: float, cause: str) -> None:
        for run in self.trainings:
            if run.rep[i]:
                run.crash(t, f"node {self.fleet.names[i]} stopped ({cause})")
        for inf in self.inferences:
            inf.node_down(i, t)

    def node_up(self, i: int, t: float) -> None:
        for run in self.trainings:
            run.node_up(i, t)
        for inf in self.inferences:
            inf.node_up(i, t)
