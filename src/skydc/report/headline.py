"""The headline block that opens every report: the few results that answer the verb's question.

One card per result: the number with its unit (from the metric schema, shown in a readable unit
through :func:`skydc.schema.convert`), what it is, and one plain-language sentence. A metric
without a value shows the schema's reason instead of a number. The run report shows the cards of
every stage it holds, in the order sizing, cost, network, operations; a single verb's report shows
its own stage's cards (``cost`` runs sizing first, but answers what it costs).
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from skydc import schema
from skydc.report.html import format_value

__all__ = ["Card", "cards", "headline_html", "headline_stages", "headline_title", "metric_text"]

# Display units tried largest first for a stored unit; the first whose value is at least 1 wins
# (the factors are skydc.schema's display conversions).
DISPLAY_LADDER: dict[str, tuple[str, ...]] = {
    "W": ("GW", "MW", "kW"),
    "kg": ("t",),
    "s": ("h", "min"),
    "USD": ("M USD",),
    "bit/s": ("Tbit/s", "Gbit/s"),
    "Wh": ("MWh", "kWh"),
}
# the smallest value shown in a ladder's unit: 1 t, but 2 h and 2 min (not "1.2 h")
DISPLAY_AT_LEAST = {"h": 2.0, "min": 2.0, "t": 10.0}


@dataclass(frozen=True)
class Card:
    """One headline result: ``key`` is the metric shown as ``value`` (text with its unit)."""

    stage: str
    label: str
    key: str
    value: str
    sentence: str


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )


def _has(value: object) -> bool:
    """A finite number or a non-empty sentence."""
    if isinstance(value, str):
        return bool(value.strip())
    return _is_number(value) and math.isfinite(float(value))  # type: ignore[arg-type]


def _shown_unit(value: float, key: str) -> str | None:
    stored = schema.unit(key)
    for shown in DISPLAY_LADDER.get(stored, ()):
        scaled, _ = schema.convert(value, key, shown)
        if abs(scaled) >= DISPLAY_AT_LEAST.get(shown, 1.0):
            return shown
    return None


def metric_text(value: Any, key: str, *, percent: bool = False, spec: str = "") -> str:
    """Metric ``key``'s value as text with its unit: converted to a readable unit, a ratio in
    percent when ``percent``; a sentence as itself; no value as the schema's reason."""
    if isinstance(value, bool | np.bool_):
        return format_value(value)
    if isinstance(value, str):
        return value if value.strip() else schema.why_missing(key)
    if not _is_number(value) or not math.isfinite(float(value)):
        return schema.why_missing(key)
    x = float(value)
    if percent:
        return f"{format(100.0 * x, spec) if spec else format_value(100.0 * x)} %"
    x, unit = schema.convert(x, key, _shown_unit(x, key))
    text = format(x, spec) if spec else format_value(int(value) if isinstance(
        value, int | np.integer) and unit == schema.unit(key) else x, unit)  # fmt: skip
    return f"{text} {unit}" if unit else text


class _Flat:
    """Dotted-key access to the metrics with formatting helpers."""

    def __init__(self, metrics: Mapping[str, Any]) -> None:
        self.m = schema.flatten(metrics)

    def get(self, key: str) -> Any:
        return self.m.get(key)

    def has(self, key: str) -> bool:
        return _has(self.m.get(key))

    def t(self, key: str, **kw: Any) -> str:
        return metric_text(self.m.get(key), key, **kw)

    def names(self, prefix: str, leaf: str) -> list[str]:
        """The ``*`` names of keys ``prefix.*.leaf`` in order (shells, workloads)."""
        head, tail = prefix + ".", "." + leaf
        return list(
            dict.fromkeys(
                k[len(head) : -len(tail)]
                for k in self.m
                if k.startswith(head) and k.endswith(tail) and "." not in k[len(head) : -len(tail)]
            )
        )


def _card(f: _Flat, stage: str, label: str, key: str, sentence: str, **kw: Any) -> Card:
    return Card(stage, label, key, f.t(key, **kw), sentence)


def _sizing(f: _Flat, brief: bool) -> list[Card]:
    if not f.has("sizing.total_mass_kg") and not f.has("sizing.launches"):
        return []
    out: list[Card] = []
    shells = f.names("sizing.per_satellite", "total_mass_kg")
    shell = shells[0] if shells else ""
    per = f"sizing.per_satellite.{shell}"
    if shell and not brief:
        others = f" ({len(shells)} shells; the others are in the tables below)" if len(
            shells) > 1 else ""  # fmt: skip
        out.append(_card(f, "sizing", f"Satellite mass ({shell})", f"{per}.total_mass_kg",
                         f"One {shell} satellite at launch, propellant included, carrying "
                         f"{f.t(f'{per}.accelerators')} accelerators and "
                         f"{f.t(f'{per}.it_power_w')} of IT power{others}."))  # fmt: skip
    out.append(_card(f, "sizing", "Fleet mass at launch", "sizing.total_mass_kg",
                     f"{f.t('sizing.satellites')} satellites with {f.t('sizing.accelerators')} "
                     f"{f.t('sizing.accelerator')} accelerators ({f.t('sizing.architecture')}, "
                     f"preset {f.t('sizing.preset')})."))  # fmt: skip
    out.append(_card(f, "sizing", "IT power per kilogram", "sizing.it_power_per_mass_w_kg",
                     f"{f.t('sizing.it_power_w')} of IT power for "
                     f"{f.t('sizing.total_mass_kg')} launched: the figure launch cost scales "
                     "against."))  # fmt: skip
    governed = f.get("sizing.governed_by")
    out.append(_card(f, "sizing", "Launches", "sizing.launches",
                     f"{f.t('sizing.launch_vehicle')} launches; {governed} governs "
                     f"({f.t('sizing.launches_by_mass')} by mass, "
                     f"{f.t('sizing.launches_by_volume')} by volume); deployment takes "
                     f"{f.t('sizing.deployment_time_yr')} at {f.t('sizing.cadence_per_yr')}."
                     ))  # fmt: skip
    if shell and not brief:
        out.append(_card(f, "sizing", f"Radiator area ({shell})", f"{per}.radiator_area_m2",
                         f"Rejects {f.t(f'{per}.heat_w')} at {f.t(f'{per}.radiator_temperature_k')}"
                         f" (chips at {f.t(f'{per}.chip_temperature_k')})."))  # fmt: skip
        out.append(_card(f, "sizing", f"Solar array area ({shell})", f"{per}.array_area_m2",
                         f"Carries the {f.t(f'{per}.load_w')} load through daylight and "
                         f"recharges a {f.t(f'{per}.battery_capacity_wh')} battery for "
                         "eclipse."))  # fmt: skip
    return out


def _cost(f: _Flat, brief: bool) -> list[Card]:
    d = "cost.delivered"
    if not any(f.has(f"{d}.{s}.usd_per_accelerator_hour") for s in ("space", "ground")):
        if not f.has("cost.ratio_space_to_ground"):
            return []
    years = f.t("cost.years")
    out = [
        _card(f, "cost", label,
              f"{d}.{side}.usd_per_accelerator_hour",
              f"{who} accelerator-hour actually delivered over {years} "
              f"({f.t(f'{d}.{side}.delivered_fraction', percent=True, spec='.1f')} of the "
              f"installed hours delivered; {f.t('cost.currency')}).", spec=",.2f")
        for side, label, who in (
            ("space", "Space: $ per delivered accelerator-hour", "What one in-orbit"),
            ("ground", "Ground: $ per delivered accelerator-hour", "What one ground"),
        )
    ]  # fmt: skip
    stem, what = ("delivered_ratio", "per delivered accelerator-hour")
    if not f.has(f"cost.monte_carlo.{stem}_p10"):
        stem, what = ("ratio", "of total cost")
    mc = "cost.monte_carlo"
    spread = (
        f"Monte Carlo P10–P90 {f.t(f'{mc}.{stem}_p10', spec='.2f')}–"
        f"{f.t(f'{mc}.{stem}_p90', spec='.2f')} ({what}, {f.t(f'{mc}.samples')} samples)"
        if f.has(f"{mc}.{stem}_p10")
        else "no Monte Carlo in this run"
    )
    ratio = f.get(f"{d}.ratio_space_to_ground")
    side = "Above 1: space costs more than ground"
    if _is_number(ratio) and f.has(f"{d}.ratio_space_to_ground") and ratio <= 1:
        side = "At or below 1: space costs no more than ground"
    out.append(_card(f, "cost", "Space / ground, per delivered accelerator-hour",
                     f"{d}.ratio_space_to_ground",
                     f"{side}; {spread}; "
                     f"total-cost ratio {f.t('cost.ratio_space_to_ground', spec='.2f')}.",
                     spec=".2f"))  # fmt: skip
    be = "cost.breakeven_launch_usd_per_kg"
    today = f"launch today at {f.t('cost.launch_usd_per_kg', spec=',.0f')}"
    if _is_number(f.get(be)) and f.has(be):
        out.append(_card(f, "cost", "Break-even launch price", be,
                         f"The launch price at which space costs what ground does ({today})."
                         , spec=",.0f"))  # fmt: skip
    else:
        note = f.get("cost.breakeven_note")
        out.append(Card("cost", "Break-even launch price", "cost.breakeven_note",
                        "none", f"{note if _has(note) else f.t(be)} ({today})."))  # fmt: skip
    if not brief:
        for side in ("space", "ground"):
            key = f"{d}.{side}.binding_loss"
            if f.has(key):
                out.append(Card("cost", f"{side.capitalize()}: largest loss", key, f.t(key),
                                f"The biggest step between installed and delivered "
                                f"accelerator-hours on the {side} side."))  # fmt: skip
    return out


def _network(f: _Flat, brief: bool) -> list[Card]:
    n = "network"
    if not f.has(f"{n}.reachable_fraction"):
        return []
    out = [
        _card(f, n, "Reachability", f"{n}.reachable_fraction",
              f"of ordered pairs of the {f.t(f'{n}.ground_stations')} ground stations have a "
              f"route, over {f.t(f'{n}.samples')} instants ({f.t(f'{n}.topology')} laser links).",
              percent=True),
    ]  # fmt: skip
    if f.has(f"{n}.rtt_p50_ms"):
        out.append(_card(f, n, "Round-trip time p50 (routed pairs)", f"{n}.rtt_p50_ms",
                         f"Against {f.t(f'{n}.fibre_rtt_p50_ms')} p50 through fibre on the great "
                         "circle between the same pairs (a lower bound); "
                         f"{f.t(f'{n}.faster_than_fibre_fraction', percent=True, spec='.0f')} of "
                         f"them quicker by orbit; p90 {f.t(f'{n}.rtt_p90_ms')}, path stretch p50 "
                         f"{f.t(f'{n}.stretch_p50', spec='.2f')}."))  # fmt: skip
        if not brief:
            out.append(_card(f, n, "Fibre round-trip time p50 (same pairs)",
                             f"{n}.fibre_rtt_p50_ms", "At 2/3 c along the great circle between "
                             "the routed pairs: real fibre routes are longer."))  # fmt: skip
    else:
        out.append(_card(f, n, "Round-trip time p50", f"{n}.rtt_p50_ms",
                         "No round trip to set against fibre: no pair of stations had a route "
                         "through the constellation."))  # fmt: skip
    if f.has(f"{n}.isl_capacity_total_bps"):
        out.append(_card(f, n, "Laser-link capacity", f"{n}.isl_capacity_total_bps",
                         f"Over {f.t(f'{n}.isl_count')} laser links; with "
                         f"{f.t(f'{n}.all_pairs_demand_bps')} between every pair of stations the "
                         f"busiest link runs at "
                         f"{f.t(f'{n}.isl_utilisation_max', percent=True, spec='.0f')}."
                         ))  # fmt: skip
    return out


def _operations(f: _Flat, brief: bool) -> list[Card]:
    o = "operations"
    if not f.has(f"{o}.goodput"):
        return []
    central = f"{o}.centralized.goodput"
    vs = f"; one centralized node of the same power: {f.t(central, percent=True)}" if f.has(
        central) else ""  # fmt: skip
    out = [
        _card(f, o, "Goodput", f"{o}.goodput",
              f"of the available FLOPs did useful work on {f.t(f'{o}.nodes')} nodes "
              f"(availability {f.t(f'{o}.availability', percent=True, spec='.1f')}){vs}.",
              percent=True),
    ]  # fmt: skip
    for job in f.names(f"{o}.training", "completion_s")[: 1 if brief else None]:
        key = f"{o}.training.{job}"
        ground = f.get(f"{key}.ground_completion_s")
        times = ""
        if _is_number(ground) and f.has(f"{key}.ground_completion_s") and _is_number(
                f.get(f"{key}.completion_s")) and ground > 0:  # fmt: skip
            times = f" ({f.get(f'{key}.completion_s') / ground:.2f}× the ground time)"
        out.append(_card(f, o, f"Training job {job}: completion", f"{key}.completion_s",
                         f"On the constellation, against {f.t(f'{key}.ground_completion_s')} in "
                         f"a ground data center{times}."))  # fmt: skip
    for job in f.names(f"{o}.inference", "latency_p50_s")[: 1 if brief else None]:
        key = f"{o}.inference.{job}"
        out.append(_card(f, o, f"Inference {job}: latency p50", f"{key}.latency_p50_s",
                         f"p90 {f.t(f'{key}.latency_p90_s')}, p99 {f.t(f'{key}.latency_p99_s')}"
                         ": ground access, queue and compute over all requests."))  # fmt: skip
    return out


_BUILDERS = (("sizing", _sizing), ("cost", _cost), ("network", _network),
             ("operations", _operations))  # fmt: skip
TITLES = {"sizing": "What it weighs and launches", "cost": "What it costs",
          "network": "How it connects", "operations": "How the workloads run"}  # fmt: skip


def headline_title(stages: Sequence[str]) -> str:
    """The headline section's title: "Answer" for a full run, else the verb's question."""
    present = [s for s, _ in _BUILDERS if s in stages]
    if "constellation" in stages or not present:
        return "Answer"
    return TITLES[present[-1]]


def headline_stages(stages: Sequence[str]) -> list[tuple[str, Any]]:
    """(stage, card builder) of the stages the headline answers for, in headline order."""
    present = [(s, b) for s, b in _BUILDERS if s in stages]
    return present if "constellation" in stages else present[-1:]


def cards(metrics: Mapping[str, Any], stages: Sequence[str]) -> list[Card]:
    """The headline cards of a report that shows ``stages``.

    A full run (its stages include ``constellation``) shows every stage's cards, a few each; a
    verb's report shows its own stage's, the last of sizing, cost, network, operations present.
    """
    present = headline_stages(stages)
    full = "constellation" in stages
    f = _Flat(metrics)
    return [c for _, build in present for c in build(f, full and len(present) > 1)]


def _scenario_line(metrics: Mapping[str, Any]) -> str:
    s = metrics.get("scenario")
    if not isinstance(s, Mapping):
        return ""
    bits = [f"Scenario {s.get('name')}"]
    if _has(s.get("epoch_utc")):
        bits.append(f"from {s['epoch_utc']}")
    if _has(s.get("duration_s")):
        bits.append(f"over {metric_text(s['duration_s'], 'scenario.duration_s')}")
    if _has(s.get("step_s")):
        bits.append(f"in steps of {metric_text(s['step_s'], 'scenario.step_s')}")
    return " ".join(bits) + "."


def _words(card: Card) -> str:
    """" words" (a smaller type) for a value that is a phrase rather than a number."""
    return " words" if not any(ch.isdigit() for ch in card.value) and len(card.value) > 12 else ""


def headline_html(metrics: Mapping[str, Any], stages: Sequence[str]) -> str:
    """The headline block (HTML): cards grouped by stage, then a line naming the scenario; ""
    when the report holds none of the headline stages and no scenario."""
    found = cards(metrics, stages)
    groups = list(dict.fromkeys(c.stage for c in found))
    parts = []
    for stage in groups:
        if len(groups) > 1:
            parts.append(f"<h3>{html.escape(TITLES[stage])}</h3>")
        parts.append('<div class="cards">' + "".join(
            f'<div class="card" data-metric="{html.escape(c.key)}">'
            f'<p class="card-label">{html.escape(c.label)}</p>'
            f'<p class="card-value{_words(c)}">{html.escape(c.value)}</p>'
            f'<p class="card-text">{html.escape(c.sentence)}</p></div>'
            for c in found if c.stage == stage
        ) + "</div>")  # fmt: skip
    line = _scenario_line(metrics)
    if line:
        parts.append(f'<p class="note">{html.escape(line)}</p>')
    return "\n".join(parts)
