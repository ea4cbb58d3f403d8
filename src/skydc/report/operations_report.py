"""The operations section of the report: utilization and battery over time, training progress
on the constellation and on one centralized node, inference latency, the side-by-side table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa

from skydc.report.charts import bar_chart, line_chart
from skydc.report.grouped import by_row, leaves, subsection
from skydc.report.html import figure, paragraph
from skydc.schema import flatten


def _col(table: pa.Table, name: str) -> np.ndarray:
    return np.asarray(table.column(name).to_numpy(), dtype=float)


def operations_tables_html(metrics: Mapping[str, Any]) -> str:
    """The operations numbers: the constellation against one centralized node of the same IT
    power, one row per metric, units from the metric schema."""
    ops = metrics.get("operations")
    if not isinstance(ops, Mapping):
        return ""
    flat = flatten({"operations": ops})
    rows = [leaf for leaf in leaves(flat, "operations", skip=("centralized.",))]
    jobs = [r for r in rows if r.startswith(("training.", "inference.", "earth_observation."))]
    totals = [r for r in rows if r not in jobs]
    cols = [("constellation", ["operations"]), ("centralized node", ["operations.centralized"])]
    return "\n".join(p for p in (
        subsection("Workloads", by_row(flat, jobs, cols, first="workload")),
        subsection("Fleet: goodput, work and faults", by_row(flat, totals, cols)),
    ) if p)  # fmt: skip


def render_operations(
    metrics: Mapping[str, Any], tables: Mapping[str, pa.Table], *, tables_html: str = ""
) -> str:
    """HTML of the operations section (empty when the run simulated no workloads)."""
    ops = metrics.get("operations")
    if not isinstance(ops, Mapping) or "goodput" not in ops:
        return ""
    parts = [
        paragraph(
            f"{ops.get('nodes')} nodes ({ops.get('node_granularity')}), "
            f"policy {ops.get('policy')}: "
            f"goodput {ops['goodput']:.2%} of the available FLOPs, availability "
            f"{ops.get('availability', float('nan')):.2%}; {ops.get('events', 0):,} events at "
            f"{ops.get('events_per_s', float('nan')):,.0f} events/s. Work: "
            f"{ops.get('work_useful_flops', 0):.3g} useful + {ops.get('work_lost_flops', 0):.3g} "
            f"lost + {ops.get('work_pending_flops', 0):.3g} pending = "
            f"{ops.get('work_issued_flops', 0):.3g} FLOP issued."
        ),
        tables_html,
    ]
    ts = tables.get("operations_timeseries")
    if ts is not None and ts.num_rows > 1:
        t = _col(ts, "t_s") / 3600.0
        parts.append(figure(line_chart(
            t, {"utilization": 100 * _col(ts, "utilization"), "battery state of charge (mean)":
                100 * _col(ts, "soc_mean"), "battery state of charge (min)":
                100 * _col(ts, "soc_min")},
            title="Utilization and battery over time", x_label="time [h]", y_label="share [%]",
            y_range=(0.0, 100.0), dashed={"battery state of charge (min)"},
        )))  # fmt: skip
        series = {"distributed": 100 * _col(ts, "training_progress")}
        cts = tables.get("operations_centralized_timeseries")
        if cts is not None and cts.num_rows == ts.num_rows:
            series["centralized"] = 100 * _col(cts, "training_progress")
        parts.append(figure(
            line_chart(t, series, title="Training progress", x_label="time [h]",
                       y_label="share of the job done [%]", y_range=(0.0, 100.0)),
            "The same training jobs on the constellation (gradients over laser links, through "
            "eclipses) and on one centralized node of the same IT power.",
        ))  # fmt: skip
    latencies = [k for k in ops if k.startswith("inference.") and "latency_p" in k]
    if latencies:
        labels = [k.removeprefix("inference.").replace(".latency_", " ").removesuffix("_s")
                  for k in latencies]  # fmt: skip
        seconds = np.array([ops[k] for k in latencies], dtype=float)
        big = float(np.nanmax(seconds)) if np.isfinite(seconds).any() else 0.0
        steps = ((3600.0, "h"), (60.0, "min"), (1.0, "s"), (1e-3, "ms"))
        scale, unit = next(((f, u) for f, u in steps if big >= 2 * f), (1e-3, "ms"))
        parts.append(figure(bar_chart(
            labels, seconds / scale, title="Inference latency (distributed)",
            y_label=f"latency [{unit}]",
        ), "Latency = ground access + queue + compute, over all requests."))  # fmt: skip
    return "\n".join(p for p in parts if p)
