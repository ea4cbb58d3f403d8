"""Tests of the waterfall and bridge charts and of the cost section that shows them."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

from skydc.report.charts import bridge_chart, waterfall_chart
from skydc.report.cost_report import render_cost

SVG = "{http://www.w3.org/2000/svg}"
STEPS = ["installed", "deployment ramp", "attrition (no repair in orbit)",
         "eclipse/power throttling", "thermal limit", "radiation faults", "downlink limit",
         "utilisation"]  # fmt: skip
FACTORS = np.array([1.0, 0.71, 0.88, 0.97, 0.93, 0.995, 1.0, 0.62])
HOURS = 8.76e8 * np.cumprod(FACTORS)
rel_px = 0.01  # bar coordinates are written to 0.01 pt: 1 % slack on bars of at least ~2 pt


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def bars(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == "bar"]


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def box(bar: ET.Element) -> tuple[float, float, float, float]:
    """(x0, x1, y0, y1) of a bar's rectangle path."""
    path = next(bar.iter(f"{SVG}path"))
    nums = np.array([float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", path.get("d", ""))])
    xs, ys = nums[0::2], nums[1::2]
    return float(xs.min()), float(xs.max()), float(ys.min()), float(ys.max())


def fill(bar: ET.Element) -> str:
    style = next(bar.iter(f"{SVG}path")).get("style", "")
    m = re.search(r"fill: (#[0-9a-f]{6})", style)
    assert m, style
    return m.group(1)


def tick_texts(root: ET.Element, axis: str) -> list[ET.Element]:
    return [t for g in root.iter(f"{SVG}g") if g.get("class") == f"{axis}tick"
            for t in g.iter(f"{SVG}text")]  # fmt: skip


# --- waterfall_chart ------------------------------------------------------------------------------


def test_waterfall_has_one_bar_per_step_plus_delivered_with_proportional_heights() -> None:
    svg = waterfall_chart(STEPS, HOURS, title="Space", unit="accelerator-hours", factors=FACTORS)
    root = parse(svg)
    rects = bars(root)
    assert len(rects) == len(STEPS) + 1
    boxes = np.array([box(r) for r in rects])
    heights, tops, bottoms = boxes[:, 3] - boxes[:, 2], boxes[:, 2], boxes[:, 3]
    # full bars: height proportional to the level; floating bars: to the change
    size = np.concatenate([[HOURS[0]], np.abs(np.diff(HOURS)), [HOURS[-1]]])
    big = size > 0.02 * HOURS[0]
    px_per_hour = heights[0] / HOURS[0]
    np.testing.assert_allclose(heights[big], size[big] * px_per_hour, rtol=rel_px)
    # the first and last bars stand on the same baseline; each loss bar starts where the last ended
    assert math.isclose(bottoms[0], bottoms[-1], abs_tol=0.02)
    level_y = bottoms[0] - HOURS[:-1] * px_per_hour  # the level before each step
    shown = heights[1:-1] > 0.5
    np.testing.assert_allclose(tops[1:-1][shown], level_y[shown], atol=0.05)
    labels = " ".join(texts(root))
    assert "left [million accelerator-hours]" in labels or "[million accelerator-hours]" in labels
    assert "876" in labels and "305" in labels and "−254" in labels and "×0.71" in labels
    assert [r.find(f"{SVG}title").text for r in rects][1] == (  # type: ignore[union-attr]
        "deployment ramp: −254 million accelerator-hours"
    )


def test_waterfall_wraps_long_step_names_without_losing_words() -> None:
    root = parse(waterfall_chart(STEPS, HOURS, title="t", unit="h", factors=FACTORS, width=720))
    names = tick_texts(root, "x")
    assert names and not any("rotate(-35" in t.get("transform", "") for t in names)
    lines = [t.text or "" for t in names]
    assert "attrition (no" in " ".join(lines) and "orbit)" in " ".join(lines)
    assert "eclipse/" in lines and "throttling" in " ".join(lines)


def test_waterfall_turns_labels_where_the_slots_are_narrow() -> None:
    steps = ["installed"] + [f"step {i} with a descriptiveandlongname" for i in range(11)]
    f = np.r_[1.0, np.linspace(0.8, 1.1, 11)]
    root = parse(waterfall_chart(steps, 1234.5 * np.cumprod(f), title="t", unit="h", factors=f,
                                 width=600))  # fmt: skip
    assert len(bars(root)) == 13
    names = tick_texts(root, "x")
    assert len(names) == 13 and all("rotate(-35" in t.get("transform", "") for t in names)
    assert "step 3 with a descriptivean…" in {t.text for t in names}  # cut at 28 characters
    values = [t for t in root.iter(f"{SVG}text") if "rotate(-90" in t.get("transform", "")
              and "×" in (t.text or "")]  # fmt: skip
    assert len(values) == 11  # the steps' value labels turned upward


def test_waterfall_escapes_text_and_handles_no_values() -> None:
    svg = waterfall_chart(["<installed>", "a & b"], [10.0, 5.0], title="<t> & u", unit="<h>")
    assert "<installed>" not in svg and "&lt;installed&gt;" in svg
    root = parse(svg)
    assert "<installed>" in texts(root) and "a & b" in texts(root)
    root = parse(waterfall_chart(["installed", "x"], [10.0, math.nan], title="t", unit="h"))
    assert len(bars(root)) == 1 and "no value" in texts(root)
    assert not any("nan" in t.lower() for t in texts(root))
    assert "no data" in texts(parse(waterfall_chart([], [], title="t", unit="h")))
    with pytest.raises(ValueError, match="2 steps but 1 values"):
        waterfall_chart(["a", "b"], [1.0], title="t", unit="h")


def test_waterfall_gain_is_coloured_apart_and_named_in_the_legend() -> None:
    root = parse(waterfall_chart(["start", "loss", "gain"], [10.0, 6.0, 8.0], title="t", unit="h"))
    fills = [fill(r) for r in bars(root)]
    assert fills[0] == fills[-1] and len({fills[0], fills[1], fills[2]}) == 3
    assert {"loss", "gain"} <= set(texts(root))


# --- bridge_chart ---------------------------------------------------------------------------------

LABELS = ["mccalip: published assumptions", "launch price: 200 → 1,520 USD/kg",
          "cost of capital: 0 % → 8 %", "residual value <credit> & co"]  # fmt: skip
DELTAS = np.array([0.0, 3.1e9, 1.2e9, -9.5e9])
TOTALS = 2.0e9 + np.cumsum(DELTAS)  # ends below zero: -3.2e9


def test_bridge_has_one_bar_per_row_plus_total_with_proportional_widths() -> None:
    root = parse(bridge_chart(LABELS, TOTALS, DELTAS, title="Bridge"))
    rects = bars(root)
    assert len(rects) == len(LABELS) + 1
    boxes = np.array([box(r) for r in rects])
    widths = boxes[:, 1] - boxes[:, 0]
    size = np.concatenate([[TOTALS[0]], np.abs(DELTAS[1:]), [abs(TOTALS[-1])]])
    np.testing.assert_allclose(widths, size * widths[0] / TOTALS[0], rtol=rel_px)
    # the total crosses zero: the published bar starts at the zero line, skydc's ends there
    zero = boxes[0, 0]
    assert math.isclose(boxes[-1, 1], zero, abs_tol=0.02)
    # increases and decreases in distinct colours, both in the legend
    fills = [fill(r) for r in rects]
    assert fills[1] == fills[2] != fills[3] != fills[0]
    t = texts(root)
    assert {"total", "increase", "decrease", "total [billion USD]"} <= set(t)
    assert "+3.10" in t and "−9.50" in t and "−3.20" in t
    assert "residual value <credit> & co" in " ".join(t)
    assert "<credit>" not in bridge_chart(LABELS, TOTALS, DELTAS, title="B")


def test_bridge_handles_missing_values_and_empty_input() -> None:
    root = parse(bridge_chart(["p", "x"], [5.0, math.nan], [0.0, math.nan], title="t"))
    assert len(bars(root)) == 1 and "no value" in texts(root)
    assert "no data" in texts(parse(bridge_chart([], [], [], title="t")))
    with pytest.raises(ValueError, match="2 labels"):
        bridge_chart(["a", "b"], [1.0], [0.0, 1.0], title="t")


# --- the cost section -----------------------------------------------------------------------------


def waterfall_table() -> pa.Table:
    ground_f = np.array([1.0, 1.0, 0.99, 1.0, 1.0, 1.0, 1.0, 0.7])
    rows: dict[str, list[Any]] = {k: [] for k in ("side", "step", "factor", "accelerator_hours")}
    for side, f in (("space", FACTORS), ("ground", ground_f)):
        rows["side"] += [side] * len(STEPS)
        rows["step"] += STEPS
        rows["factor"] += f.tolist()
        rows["accelerator_hours"] += (8.76e8 * np.cumprod(f)).tolist()
    rows["source"] = ["measured: operations simulation, 1 day <sim>"] * len(rows["side"])
    return pa.table(rows)


def bridge_table() -> pa.Table:
    n = len(LABELS)
    return pa.table(
        {
            "calculator": ["mccalip"] * n + ["starcloud-2024"] * 2,
            "step": [
                "published assumptions",
                "launch price",
                "cost of capital",
                "residual value",
                "published assumptions",
                "launch price",
            ],
            "from_value": ["", "200 USD/kg", "0 %", "none", "", "30 USD/kg"],
            "to_value": ["", "1,520 USD/kg", "8 %", "<credit>", "", "1,520 USD/kg"],
            "total_usd": [*TOTALS.tolist(), 8.2e6, 9.9e7],
            "delta_usd": [*DELTAS.tolist(), 0.0, 9.08e7],
        }
    )


def cost_metrics(**delivered: Any) -> dict[str, Any]:
    side = {"total_usd": 1.5e9}
    return {
        "cost": {
            "years": 10,
            "currency": "USD 2024",
            "space": side,
            "ground": {"total_usd": 6e8},
            "ratio_space_to_ground": 2.5,
            "launch_usd_per_kg": 1520.0,
            "breakeven_launch_usd_per_kg": math.nan,
            "breakeven_note": "never: space costs more even at free launch",
            "launched_power_usd_per_kw_yr": 4321.0,
            "monte_carlo": {
                "samples": 4000,
                "seed": 7,
                "ranges": "scenario",
                "ratio_p10": 1.9,
                "ratio_p50": 2.4,
                "ratio_p90": 3.3,
                "probability_space_cheaper": 0.012,
            },
            **({"delivered": delivered} if delivered else {}),
        }
    }


DELIVERED = {
    "space": {"usd_per_accelerator_hour": 4.567, "usd_per_pflop_day": 98.7,
              "binding_loss": "utilisation", "years_to_full_capacity": 3.25},
    "ground": {"usd_per_accelerator_hour": 1.234, "usd_per_pflop_day": 26.6,
               "binding_loss": "utilisation"},
    "ratio_space_to_ground": 3.7,
    "precision": "bf16 dense",
}  # fmt: skip


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def check_html(body: str) -> ET.Element:
    """The section is well-formed XML; its charts parse; no bare nan or None is shown."""
    root = ET.fromstring(f"<div>{body}</div>")
    shown = visible_text(body)
    assert not re.search(r"\b(?:[Nn]a[Nn]|NAN|None)\b", shown), shown
    return root


def test_cost_section_leads_with_the_headline_then_charts() -> None:
    tables = {"delivery_waterfall": waterfall_table(), "cost_bridge": bridge_table()}
    body = render_cost(cost_metrics(**DELIVERED), tables)
    root = check_html(body)
    text = visible_text(body)
    assert body.startswith("<p><strong>$/delivered accelerator-hour:</strong>")
    assert "space 4.567, ground 1.234 (ratio 3.70)" in text
    assert "$/delivered PFLOP-day (bf16 dense):" in text
    assert "P10–P90 1.90–3.30" in text and "base case 2.50" in text and "2.40" in text
    assert "after 3.2 years" in text
    order = ["$/delivered accelerator-hour", "Monte Carlo P50", "PFLOP-day", "Space: installed",
             "Ground: installed", "Bridge: mccalip", "Base case, 10 years"]  # fmt: skip
    assert [text.index(t) for t in order] == sorted(text.index(t) for t in order)
    assert (
        "Largest loss from installed to delivered: space: utilisation; ground: utilisation" in text
    )
    svgs = list(root.iter(f"{SVG}svg"))
    titles = ["".join(s.find(f"{SVG}title").itertext()) for s in svgs]  # type: ignore[union-attr]
    assert titles == [
        "Space: installed → delivered accelerator-hours",
        "Ground: installed → delivered accelerator-hours",
        "Bridge: mccalip (published) → skydc",
        "Bridge: starcloud-2024 (published) → skydc",
    ]
    assert [len(bars(s)) for s in svgs] == [9, 9, 5, 3]
    assert "&lt;sim&gt;" in body and "<sim>" not in body  # sources are escaped
    assert "200 USD/kg → 1,520 USD/kg" in text
    assert "305 million of 876 million installed accelerator-hours" in text
    assert "Published 2 billion USD, skydc -3.2 billion USD." in text
    assert "space cheaper in 1.2% of them" in text


def test_cost_section_without_the_new_tables_or_metrics() -> None:
    body = render_cost(cost_metrics(), {})
    check_html(body)
    assert "<svg" not in body and "accelerator-hour" not in body
    assert "Monte Carlo P50 space/ground total cost:" in body and "base case 2.50" in body
    assert "never: space costs more even at free launch" in body
    empty = {"delivery_waterfall": waterfall_table().slice(0, 0), "cost_bridge": bridge_table()[:0]}
    assert "<svg" not in render_cost(cost_metrics(), empty)
    broken = {"delivery_waterfall": waterfall_table().drop_columns(["source"])}
    assert "lacks column(s) source" in render_cost(cost_metrics(), broken)
    assert render_cost({}, {}) == ""


def test_string_valued_metrics_are_shown_as_their_sentence() -> None:
    delivered = {
        "space": {"usd_per_accelerator_hour": "never: the fleet delivers no hours <x>",
                  "usd_per_pflop_day": math.nan, "binding_loss": "thermal limit",
                  "years_to_full_capacity": "never: launch cadence below attrition"},
        "ground": {"usd_per_accelerator_hour": 1.5, "usd_per_pflop_day": None},
        "ratio_space_to_ground": "never: space delivers nothing",
        "precision": "bf16 dense",
    }  # fmt: skip
    m = cost_metrics(**delivered)
    m["cost"]["monte_carlo"]["ratio_p10"] = "unreachable: too few finite samples"
    m["cost"]["ratio_space_to_ground"] = math.nan
    body = render_cost(m, {"delivery_waterfall": waterfall_table()})
    check_html(body)
    text = visible_text(body)
    assert "space never: the fleet delivers no hours &lt;x&gt;, ground 1.5" in text
    assert "(ratio never: space delivers nothing)" in text
    assert "Space fleet at full capacity: never: launch cadence below attrition" in text
    assert "unreachable: too few finite samples" in text
    assert "Largest loss: thermal limit" in text
