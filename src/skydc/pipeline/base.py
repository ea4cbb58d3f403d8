"""What every stage shares: the :class:`Stage` declaration, the run :class:`Context`, and the
:class:`StageOutput` protocol that the runner, the results and the report rely on.

A stage's ``run(ctx, **inputs)`` takes the outputs of the stages it requires as keyword arguments
named after them, fully typed (``run(ctx, constellation: ConstellationOutput, ...)``), so mypy
checks every seam; the runner passes them by name. ``check(loaded)`` validates, without heavy work,
whatever the stage will read from the scenario, so ``skydc validate`` refuses what a run would.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import pyarrow as pa

from skydc.scenario.load import LoadedScenario
from skydc.timescale import jd_utc_from_datetime

# progress(done, total, stage): "sunlight" counts satellite-steps, "network" routed instants,
# "operations" simulated seconds.
ProgressCallback = Callable[[float, float, str], None]


@runtime_checkable
class StageOutput(Protocol):
    """A stage's frozen result: its ``metrics.json`` groups and its Parquet tables are views."""

    def metrics(self) -> dict[str, Any]:
        """Metric groups by name (nested dicts of plain values)."""
        ...

    def tables(self) -> dict[str, pa.Table]:
        """Report / Parquet tables by name."""
        ...


class OutputDisplay:
    """A short ``repr`` for stage outputs (their fields hold arrays of every satellite): the
    stage's metric groups and tables, not a dump of its arrays."""

    def __repr__(self) -> str:
        out: Any = self
        groups = ", ".join(out.metrics()) or "none"
        tables = ", ".join(f"{k} ({v.num_rows:,} rows)" for k, v in out.tables().items())
        return f"<{type(self).__name__}: metrics {groups}; tables {tables or 'none'}>"


@dataclass(frozen=True)
class Context:
    """What a stage may read besides its inputs: the scenario, where to write, how to report.

    ``folder`` is the run folder being staged (``None``: write nothing); ``exports`` the extra
    outputs asked for (``states``, ``czml``); ``keep`` the metric paths the caller keeps
    (``None``: all of them), so that a stage may skip work nobody reads (a study's points).
    """

    loaded: LoadedScenario
    folder: Path | None = None
    exports: frozenset[str] = frozenset()
    progress: ProgressCallback | None = None
    keep: tuple[str, ...] | None = None

    @property
    def epoch_jd(self) -> float:
        """The scenario epoch as a UTC Julian date."""
        return jd_utc_from_datetime(self.loaded.scenario.epoch_utc)

    def report(self, done: float, total: float, stage: str) -> None:
        """Forward progress to the caller's callback, if any."""
        if self.progress is not None:
            self.progress(done, total, stage)


def _no_check(loaded: LoadedScenario) -> None:
    """A stage with nothing to check beyond the scenario model."""


@dataclass(frozen=True)
class Stage:
    """A pipeline stage.

    Parameters
    ----------
    name
        Its name: the key of its output in :class:`~skydc.pipeline.result.Result` and of its
        metric group(s) in the schema (``data/metrics.toml``).
    requires
        Stages whose outputs ``run`` takes (keyword arguments of those names).
    run
        ``run(ctx, **inputs) -> StageOutput``.
    reads
        Scenario fields (dotted paths) the stage's result depends on, besides its inputs: with
        the inputs' keys they make the cache key, so a study that varies only later fields reuses
        this stage's output.
    optional
        Stages whose outputs ``run`` also takes when they are in the same run (else ``None``).
    check
        ``check(loaded)``: cheap validation of what ``run`` will read (raises ``ScenarioError``).
    batch_field, run_batch
        A stage that can evaluate many points at once: ``run_batch(ctx, variants, **inputs)``
        takes the points' validated ``batch_field`` sections (``economics`` for the cost; every
        other field shared, ``ctx.loaded`` the first point) and returns one output whose
        metrics are arrays over the points where they differ. It may raise ``ValueError``
        where the points differ in a way one evaluation cannot hold (they then run one by one).
    run_many
        A stage that can run for several points at once where each point needs its own
        output: ``run_many(contexts, **inputs)`` takes one :class:`Context` per point (all with
        the same inputs) and returns their outputs in order, each what ``run`` would return
        (the sizing, vectorised over the spacecraft's power); ``ValueError`` where it cannot.
        A study puts these outputs into its stage cache before it runs the points.
    """

    name: str
    requires: tuple[str, ...]
    run: Callable[..., StageOutput]
    reads: tuple[str, ...]
    optional: tuple[str, ...] = ()
    check: Callable[[LoadedScenario], None] = _no_check
    description: str = ""
    batch_field: str = ""
    run_batch: Callable[..., StageOutput] | None = None
    run_many: Callable[..., Sequence[StageOutput]] | None = None
