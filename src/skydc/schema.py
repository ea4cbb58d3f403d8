"""The metric schema: every metric skydc writes, declared once with its unit, a one-line
description and the stage that produces it (``data/metrics.toml``: one table per stage, and
``runner`` for what every run reports: schema version, scenario, run facts).

``metrics.json``, ``--json``, the terminal tables, the reports and ``docs/metrics.md`` take units
from here, never from a key's spelling. Keys follow ``<quantity>_<statistic>_<unit>``
(``rtt_p50_ms``); a declared key may hold ``*`` (one dotted segment: a shell, a workload, a city
pair) or ``**`` (one or more segments). An empty unit means a count, a ratio, a name or a flag.
"""

from __future__ import annotations

import functools
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

SCHEMA_VERSION = 2  # 1: orbitdc 0.1 (units from key suffixes); 2: this schema


@dataclass(frozen=True)
class Metric:
    """One declared metric."""

    key: str
    unit: str
    description: str
    stage: str
    missing: str = ""  # why the metric can have no value ("never: ...", "unreachable: ...")


def flatten(nested: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested dicts to dotted keys: ``{"a": {"b": 1}}`` -> ``{"a.b": 1}``."""
    flat: dict[str, Any] = {}
    for key, value in nested.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping) and value:
            flat.update(flatten(value, name))
        else:
            flat[name] = value
    return flat


def _pattern(key: str) -> re.Pattern[str]:
    parts = []
    for segment in key.split("."):
        if segment == "**":
            parts.append(r".+")
        elif segment == "*":
            parts.append(r"[^.]+")
        else:
            parts.append(re.escape(segment))
    return re.compile(r"\.".join(parts) + r"\Z")


@functools.cache
def metrics() -> tuple[Metric, ...]:
    """Every declared metric, in file order (grouped by stage)."""
    with (resources.files("skydc") / "data" / "metrics.toml").open("rb") as fh:
        data = tomllib.load(fh)
    out = []
    for stage, entries in data.items():
        for key, (unit, description, *why) in entries.items():
            out.append(Metric(key, unit, description, stage, why[0] if why else ""))
    return tuple(out)


@functools.cache
def _index() -> tuple[dict[str, Metric], list[tuple[re.Pattern[str], Metric]]]:
    exact: dict[str, Metric] = {}
    patterns: list[tuple[re.Pattern[str], Metric]] = []
    for m in metrics():
        if "*" in m.key:
            patterns.append((_pattern(m.key), m))
        else:
            exact[m.key] = m
    # the most specific pattern wins: fewer wildcards, then longer
    patterns.sort(key=lambda pm: (pm[1].key.count("*"), -len(pm[1].key)))
    return exact, patterns


@functools.lru_cache(maxsize=65536)
def lookup(key: str) -> Metric | None:
    """The declaration of a dotted metric key, or ``None`` if it is not declared."""
    exact, patterns = _index()
    if key in exact:
        return exact[key]
    for pattern, metric in patterns:
        if pattern.match(key):
            return metric
    return None


def unit(key: str) -> str:
    """The unit of a dotted metric key ("" if it has none or is not declared)."""
    m = lookup(key)
    return m.unit if m is not None else ""


def units_of(nested: Mapping[str, Any]) -> dict[str, str]:
    """The unit of every metric in ``nested`` that has one (dotted key -> unit)."""
    return {k: u for k in flatten(nested) if (u := unit(k))}


NO_VALUE = "n/a: no value (the schema gives no reason: a bug to report)"


def why_missing(key: str) -> str:
    """What ``metrics.json`` writes for metric ``key`` when it has no value."""
    m = lookup(key)
    return m.missing if m is not None and m.missing else NO_VALUE


def explain_missing(nested: Any, prefix: str = "") -> Any:
    """A copy of ``nested`` with every NaN/infinite float (and ``None``) replaced by the text
    that says why the metric has no value, from the schema: never a bare ``null``."""
    if isinstance(nested, Mapping):
        return {
            k: explain_missing(v, f"{prefix}.{k}" if prefix else str(k)) for k, v in nested.items()
        }
    if isinstance(nested, list | tuple):
        return [explain_missing(v, prefix) for v in nested]
    if nested is None or (isinstance(nested, float) and not math.isfinite(nested)):
        return why_missing(prefix)
    return nested


def undeclared(nested: Mapping[str, Any]) -> list[str]:
    """Dotted keys of ``nested`` that the schema does not declare (should be none)."""
    return [k for k in flatten(nested) if lookup(k) is None]


# Display conversions: (stored unit, shown unit) -> factor. Terminal tables show some metrics in
# larger units (MW, t, M USD); the stored unit always comes from the schema.
_SCALE: dict[tuple[str, str], float] = {
    ("W", "kW"): 1e-3, ("W", "MW"): 1e-6, ("W", "GW"): 1e-9, ("W/yr", "GW/yr"): 1e-9,
    ("Wh", "kWh"): 1e-3, ("Wh", "MWh"): 1e-6, ("kg", "t"): 1e-3, ("s", "min"): 1 / 60.0,
    ("s", "h"): 1 / 3600.0, ("USD", "M USD"): 1e-6, ("bit/s", "Gbit/s"): 1e-9,
    ("bit/s", "Tbit/s"): 1e-12,
}  # fmt: skip


def convert(value: float, key: str, shown: str | None = None) -> tuple[float, str]:
    """``value`` of metric ``key`` in the unit ``shown`` (default: its own), and that unit.

    Raises ``ValueError`` if the schema's unit for ``key`` cannot be shown as ``shown``.
    """
    stored = unit(key)
    if shown is None or shown == stored:
        return value, stored
    factor = _SCALE.get((stored, shown))
    if factor is None:
        raise ValueError(f"metric {key!r} is in {stored!r}; cannot show it in {shown!r}")
    return value * factor, shown


def markdown() -> str:
    """``docs/metrics.md``: every declared metric by stage (``scripts/make_metrics_doc.py``)."""
    lines = [
        "# Metrics",
        "",
        "Every metric skydc writes to `metrics.json` (and `--json`), declared once in",
        "`src/skydc/data/metrics.toml` with its unit and stage; the terminal tables and the",
        "reports read units from there. This page is generated from that file by",
        "`python scripts/make_metrics_doc.py` (a test checks it is current).",
        "",
        f"Schema version {SCHEMA_VERSION}. Keys read `<quantity>_<statistic>_<unit>`",
        "(`rtt_p50_ms`). In a key, `*` stands for one name (a shell, a workload, a station pair)",
        "and `**` for one or more dotted parts. An empty unit is a count, a ratio, a name or a",
        "flag. `metrics.json` also holds `units`: the unit of each of its metrics that has one.",
        "A metric that has no value is written as the text in the last column (never `null`).",
        "",
        "Renamed in schema 2 (orbitdc 0.1 wrote schema 1): `sunlight.mean_sunlit_fraction` →",
        "`sunlit_fraction_mean`, `min_/max_satellite_sunlit_fraction` →",
        "`satellite_sunlit_fraction_min/_max`, `longest_eclipse_s` → `eclipse_max_s` (sunlight",
        "and eclipse seasons), `mean_eclipse_s` → `eclipse_mean_s`, `network.rtt_ms_<stat>` →",
        "`rtt_<stat>_ms` (also `access_rtt_…` and per pair, `median` included),",
        "`isl_capacity_bps_total` → `isl_capacity_total_bps`; table `eclipse_seasons` columns",
        "`beta_deg_min/max` → `beta_min/max_deg`, `eclipse_s_max` → `eclipse_max_s`. New:",
        "`schema_version`, `units`, `run.stages`, `run.stage_wall_s`; every verb reports the",
        "`scenario` group.",
        "",
    ]
    stage = None
    for m in metrics():
        if m.stage != stage:
            stage = m.stage
            lines += ["", f"## {stage}", "", "| metric | unit | description | without a value |",
                      "|---|---|---|---|"]  # fmt: skip
        lines.append(f"| `{m.key}` | {m.unit} | {m.description} | {m.missing} |")
    return "\n".join(lines) + "\n"
