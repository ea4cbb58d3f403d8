"""What a run returns: the typed output of every stage, with metrics and tables as views.

``result["sizing"]`` is the sizing stage's :class:`~skydc.pipeline.sizing.SizingOutput`
(``result["sizing"].satellites["dd650"].radiator_area_m2``); ``result.metrics`` and
``result.tables`` gather the metric groups and tables of the stages that were asked for (not of
those that only ran as their inputs), in display order, under the metric schema's version.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from skydc.pipeline.base import StageOutput
from skydc.pipeline.registry import DISPLAY_ORDER
from skydc.report.html import format_value
from skydc.scenario.load import LoadedScenario
from skydc.scenario.models import Scenario
from skydc.schema import SCHEMA_VERSION, explain_missing, flatten, unit, units_of

# What a notebook or a summary shows first, when the stage ran (units from the schema).
HEADLINE = (
    "constellation.satellites", "sunlight.sunlit_fraction_mean", "sunlight.eclipse_max_s",
    "sizing.it_power_w", "sizing.total_mass_kg", "sizing.it_power_per_mass_w_kg",
    "sizing.launches", "sizing.governed_by", "cost.delivered.space.usd_per_accelerator_hour",
    "cost.delivered.ground.usd_per_accelerator_hour", "cost.delivered.ratio_space_to_ground",
    "cost.ratio_space_to_ground", "cost.monte_carlo.ratio_p50",
    "cost.breakeven_launch_usd_per_kg", "network.reachable_fraction", "network.rtt_p50_ms",
    "downlink.fleet_bits_per_day",
    "operations.goodput",
)  # fmt: skip


@dataclass
class Result:
    """A finished run.

    Attributes
    ----------
    loaded
        The validated scenario it ran.
    verb
        What was asked (``run``, ``size``, ``cost``, ``network``, ``simulate``, or ``stages``).
    outputs
        Every stage's output by stage name, dependencies included.
    selected
        The stages asked for; their metrics and tables make :attr:`metrics` and :attr:`tables`.
    stage_wall_s
        Wall time of each stage that ran [s] (a cached stage: ~0).
    wall_s
        Wall time of the whole run [s].
    exports
        Extra outputs written (``states``, ``czml``).
    run_dir
        The run folder, if one was written.
    warnings
        What the user should know that did not stop the run (e.g. where the folder went).
    """

    loaded: LoadedScenario
    verb: str
    outputs: dict[str, StageOutput]
    selected: tuple[str, ...]
    stage_wall_s: dict[str, float]
    wall_s: float
    exports: tuple[str, ...] = ()
    run_dir: Path | None = field(default=None)
    warnings: list[str] = field(default_factory=list)

    @property
    def scenario(self) -> Scenario:
        """The scenario that ran."""
        return self.loaded.scenario

    @property
    def source(self) -> str:
        """Where the scenario came from (file path or ``example:<name>``)."""
        return self.loaded.source

    def __getitem__(self, stage: str) -> StageOutput:
        return self.outputs[stage]

    def __contains__(self, stage: object) -> bool:
        return stage in self.outputs

    def __iter__(self) -> Iterator[str]:
        return iter(self.outputs)

    @property
    def shown(self) -> tuple[str, ...]:
        """The selected stages in display order."""
        return tuple(s for s in DISPLAY_ORDER if s in self.selected and s in self.outputs)

    @functools.cached_property
    def metrics(self) -> dict[str, Any]:
        """``metrics.json``: schema version, scenario, each shown stage's groups, run facts."""
        s = self.scenario
        out: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "scenario": {
                "name": s.name,
                "source": self.source,
                "epoch_utc": s.epoch_utc.isoformat().replace("+00:00", "Z"),
                "duration_s": s.duration_s,
                "step_s": s.step_s,
                "time_steps": s.n_time,
            },
        }
        run: dict[str, Any] = {"wall_s": self.wall_s}
        for name in self.shown:
            output = self.outputs[name]
            out.update(output.metrics())
            info = getattr(output, "run_info", None)
            if callable(info):
                run.update(info())
        run["stages"] = list(self.stage_wall_s)
        run["stage_wall_s"] = dict(self.stage_wall_s)
        run["exports"] = list(self.exports)
        out["run"] = run
        return out

    @functools.cached_property
    def tables(self) -> dict[str, pa.Table]:
        """Every shown stage's tables by name."""
        out: dict[str, pa.Table] = {}
        for name in self.shown:
            out.update(self.outputs[name].tables())
        return out

    def units(self) -> dict[str, str]:
        """The unit of every metric of :attr:`metrics` that has one (dotted key -> unit)."""
        return units_of(self.metrics)

    def document(self) -> dict[str, Any]:
        """What ``metrics.json`` and ``--json`` hold: the metrics (a metric without a value says
        why, from the schema) and their units."""
        return {**explain_missing(self.metrics), "units": self.units()}

    def to_pandas(self, table: str) -> Any:
        """One of :attr:`tables` as a pandas DataFrame (needs ``pip install pandas``)."""
        if table not in self.tables:
            raise KeyError(f"no table {table!r}; tables: {', '.join(self.tables)}")
        try:
            import pandas  # noqa: F401  (an optional dependency: only this method needs it)
        except ImportError:
            raise ImportError("Result.to_pandas needs pandas: pip install pandas") from None
        return self.tables[table].to_pandas()

    def headline(self) -> list[tuple[str, Any, str]]:
        """The few results that matter, as (metric key, value, unit), for the stages shown."""
        flat = flatten(self.metrics)
        return [(k, flat[k], unit(k)) for k in HEADLINE if k in flat]

    def _repr_html_(self) -> str:
        """The headline block, for notebooks."""
        rows = "".join(
            f"<tr><td><code>{html.escape(k)}</code></td>"
            f"<td style='text-align:right'>{html.escape(format_value(v, u))}</td>"
            f"<td>{html.escape(u)}</td></tr>"
            for k, v, u in self.headline()
        )
        where = f" &middot; {html.escape(str(self.run_dir))}" if self.run_dir else ""
        return (
            f"<div><b>skydc {html.escape(self.verb)}: {html.escape(self.scenario.name)}</b> "
            f"&middot; stages {html.escape(', '.join(self.outputs))} &middot; "
            f"{self.wall_s:.2f} s{where}<table>{rows}</table></div>"
        )

    def __repr__(self) -> str:
        where = f", run_dir={str(self.run_dir)!r}" if self.run_dir else ""
        return (
            f"<skydc Result {self.verb} {self.scenario.name!r}: stages "
            f"{', '.join(self.outputs)}; {self.wall_s:.2f} s{where}>"
        )
