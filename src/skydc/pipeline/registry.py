"""Every stage, in the order the runner executes them (each after the stages it requires).

Sizing and cost come before the long propagation, so a design that cannot close fails in a
second rather than after the run. ``DISPLAY_ORDER`` is the order of metric groups, tables and
report sections. Adding a stage: write its module, add its ``STAGE`` here, its metrics to
``data/metrics.toml`` and its report section to ``report/sections.py`` (docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Iterable

from skydc.pipeline import (
    constellation,
    cost,
    delivery,
    downlink,
    exports,
    network,
    operations,
    power,
    seasons,
    sizing,
    sunlight,
)
from skydc.pipeline.base import Stage

STAGES: tuple[Stage, ...] = (
    constellation.STAGE,
    seasons.STAGE,
    sizing.STAGE,
    downlink.STAGE,
    delivery.STAGE,
    cost.STAGE,
    sunlight.STAGE,
    power.STAGE,
    network.STAGE,
    operations.STAGE,
    exports.STAGE,
)
BY_NAME: dict[str, Stage] = {s.name: s for s in STAGES}
DISPLAY_ORDER: tuple[str, ...] = (
    "constellation", "sunlight", "seasons", "sizing", "power", "delivery", "cost", "downlink",
    "network", "operations", "exports",
)  # fmt: skip


def resolve(names: Iterable[str]) -> tuple[Stage, ...]:
    """The stages to run for ``names``: those and everything they require, in execution order.

    Raises ``ValueError`` for an unknown name (listing the known ones).
    """
    wanted: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in wanted:
            continue
        if name not in BY_NAME:
            raise ValueError(f"unknown stage {name!r}; stages: {', '.join(BY_NAME)}")
        wanted.add(name)
        todo.extend(BY_NAME[name].requires)
    return tuple(s for s in STAGES if s.name in wanted)
