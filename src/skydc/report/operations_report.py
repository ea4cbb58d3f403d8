"""The operations section of the report: utilization and battery over time, training progress
on the constellation and on one centralized node, inference latency, the side-by-side table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa

from skydc.report.html import data_table, figure, paragraph
from skydc.report.svg import bar_chart, line_chart


def _col(table: pa.Table, name: str) -> np.ndarray:
    return np.asarray(table.column(name).to_numpy(), dtype=float)


def render_operations(metrics: Mapping[str, Any], tables: Mapping[str, pa.Table]) -> str:
    """HTML of the operations section (empty when the run simulated no workloads)."""
    ops = metrics.get("operations")
    if not isinstance(ops, Mapping) or "goodput" not in ops:
        return ""
    central = ops.get("centralized", {})
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
        )
    ]
    ts = tables.get("operations_timeseries")
    if ts is not None and ts.num_rows > 1:
        t = _col(ts, "t_s") / 3600.0
        parts.append(figure(line_chart(
            t, {"utilization": _col(ts, "utilization"), "battery state of charge (mean)":
                _col(ts, "soc_mean"), "battery state of charge (min)": _col(ts, "soc_min")},
            title="Utilization and battery over time", x_label="time [h]", y_label="fraction",
            y_range=(0.0, 1.0), dashed={"battery state of charge (min)"},
        )))  # fmt: skip
        series = {"distributed": _col(ts, "training_progress")}
        cts = tables.get("operations_centralized_timeseries")
        if cts is not None and cts.num_rows == ts.num_rows:
            series["centralized"] = _col(cts, "training_progress")
        parts.append(figure(
            line_chart(t, series, title="Training progress", x_label="time [h]",
                       y_label="share of the job done", y_range=(0.0, 1.0)),
            "The same training jobs on the constellation (gradients over laser links, through "
            "eclipses) and on one centralized node of the same IT power.",
        ))  # fmt: skip
    latencies = [k for k in ops if k.startswith("inference.") and "latency_p" in k]
    if latencies:
        labels = [k.removeprefix("inference.") for k in latencies]
        parts.append(figure(bar_chart(
            labels, [ops[k] * 1e3 for k in latencies], title="Inference latency (distributed)",
            y_label="ms",
        ), "Latency = ground access + queue + compute, over all requests."))  # fmt: skip
    rows = [
        (k, f"{v:.4g}", f"{central[k]:.4g}" if isinstance(central.get(k), int | float) else "")
        for k, v in ops.items()
        if isinstance(v, int | float) and not isinstance(v, bool)
    ]
    parts.append(data_table(("metric", "distributed", "centralized"), rows))
    return "\n".join(parts)
