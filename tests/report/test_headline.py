"""Every verb's report opens with its answer, then tables by subsystem, then the folded metric list.

Each verb runs once on a small bundled scenario and writes its run folder; the tests read
``report.html`` against the ``metrics.json`` written next to it: the headline's numbers are those of
``metrics.json`` to the digits shown, in the schema's unit or a display unit converted from it.
"""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import skydc
from skydc import schema
from skydc.report.headline import metric_text
from skydc.schema import flatten

FAST = {"seasons.step_days": 10.0}
VERBS: dict[str, tuple[Callable[..., Any], str | None, dict[str, Any]]] = {
    "size": (skydc.size, "three-body-12", FAST),
    "cost": (skydc.cost, "three-body-12", FAST | {"economics.monte_carlo_samples": 100}),
    "network": (skydc.route, "three-body-12", {"network.samples": 2}),
    "simulate": (skydc.simulate, None, FAST | {"duration_s": 7200.0}),  # the default has workloads
    "run": (skydc.run, "three-body-12", FAST | {"duration_s": 1800.0, "network.samples": 2,
                                                "economics.monte_carlo_samples": 100}),
}  # fmt: skip
TITLES = {"size": "What it weighs and launches", "cost": "What it costs",
          "network": "How it connects", "simulate": "How the workloads run", "run": "Answer"}
# the results each verb's headline must show (metric keys)
MUST = {
    "size": {"sizing.total_mass_kg", "sizing.it_power_per_mass_w_kg", "sizing.launches"},
    "cost": {"cost.delivered.space.usd_per_accelerator_hour",
             "cost.delivered.ground.usd_per_accelerator_hour",
             "cost.delivered.ratio_space_to_ground"},
    "network": {"network.reachable_fraction", "network.rtt_p50_ms",
                "network.isl_capacity_total_bps"},
    "simulate": {"operations.goodput"},
    "run": {"sizing.total_mass_kg", "cost.delivered.ratio_space_to_ground",
            "network.reachable_fraction"},
}  # fmt: skip
NUMBER = re.compile(r"^(−?-?[\d,]*\.?\d+(?:e[+-]?\d+)?)(?: (.+))?$")


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("verbs")
    for verb, (call, scenario, overrides) in VERBS.items():
        call(scenario, overrides, output_dir=root / verb)
    return {verb: root / verb for verb in VERBS}


def load(folder: Path) -> tuple[ET.Element, str, dict[str, Any]]:
    page = (folder / "report.html").read_text(encoding="utf-8")
    document = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    document.pop("units")
    return ET.fromstring(page.removeprefix("<!DOCTYPE html>\n")), page, document


def text(e: ET.Element) -> str:
    return " ".join("".join(e.itertext()).split())


def sections(root: ET.Element) -> list[ET.Element]:
    return list(root.iter("section"))


@pytest.mark.parametrize("verb", list(VERBS))
def test_report_opens_with_the_headline_block(verb: str, folders: dict[str, Path]) -> None:
    root, _, _ = load(folders[verb])
    first = sections(root)[0]
    assert text(first.find("h2")) == TITLES[verb]  # type: ignore[arg-type]
    keys = {c.get("data-metric") for c in first.iter("div") if c.get("class") == "card"}
    assert MUST[verb] <= keys, MUST[verb] - keys
    assert text(root.find(".//h1")).startswith(f"skydc {verb}: ")  # type: ignore[arg-type]


def _factor(key: str, unit: str) -> float:
    """What a metric's stored value is multiplied by to read in ``unit``."""
    if unit == "%" and schema.unit(key) == "":
        return 100.0
    return schema.convert(1.0, key, unit or None)[0]


@pytest.mark.parametrize("verb", list(VERBS))
def test_headline_numbers_are_those_of_metrics_json(verb: str, folders: dict[str, Path]) -> None:
    root, _, document = load(folders[verb])
    flat = flatten(document)
    cards = [c for c in sections(root)[0].iter("div") if c.get("class") == "card"]
    assert cards
    for card in cards:
        key = card.get("data-metric") or ""
        shown = text(next(p for p in card.iter("p") if "card-value" in (p.get("class") or "")))
        value = flat[key]
        if isinstance(value, str):  # a name, or why the metric has no value (the schema's text)
            assert shown == value or (key == "cost.breakeven_note" and shown == "none"), key
            continue
        m = NUMBER.match(shown)
        assert m, f"{key}: {shown!r} is not a number with a unit"
        number_text, unit = m.group(1), m.group(2) or ""
        number = float(number_text.replace(",", "").replace("−", "-"))
        expected = float(value) * _factor(key, unit)
        # the number agrees to the digits shown: half a unit in the last place, or 4 significant
        decimals = len(number_text.partition(".")[2]) if "e" not in number_text else 0
        tolerance = max(0.5 * 10.0**-decimals, 5e-4 * abs(expected))
        assert math.isclose(number, expected, abs_tol=tolerance), (key, shown, value)
        if unit and unit != "%":
            assert schema.unit(key), f"{key} has no unit in the schema but shows {unit!r}"


@pytest.mark.parametrize("verb", list(VERBS))
def test_no_section_is_empty(verb: str, folders: dict[str, Path]) -> None:
    root, page, _ = load(folders[verb])
    assert "No shells table" not in page
    for section in sections(root):
        children = list(section)
        assert children[0].tag == "h2" and len(children) > 1, text(section)
        body = " ".join(text(c) for c in children[1:])
        assert body.strip(), text(children[0])
        # a subsection heading is always followed by its content
        for a, b in zip(children, [*children[1:], None], strict=True):
            if a.tag == "h3":
                assert b is not None and b.tag != "h3", text(a)


@pytest.mark.parametrize("verb", list(VERBS))
def test_every_metric_is_listed_folded_at_the_end(verb: str, folders: dict[str, Path]) -> None:
    root, _, document = load(folders[verb])
    last = sections(root)[-1]
    details = last.find("details")
    assert text(last.find("h2")) == "All metrics" and details is not None  # type: ignore[arg-type]
    flat = flatten(document)
    assert text(details.find("summary")) == f"All metrics ({len(flat)})"  # type: ignore[arg-type]
    listed = {text(td) for td in details.iter("td") if td.get("class") == "key"}
    assert listed == set(flat)
    # outside the fold, no flattened per-satellite rows
    for section in sections(root)[:-1]:
        assert "sizing.per_satellite." not in text(section)


@pytest.mark.parametrize("verb", list(VERBS))
def test_page_is_self_contained(verb: str, folders: dict[str, Path]) -> None:
    root, page, _ = load(folders[verb])
    assert "https://" not in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert not {"script", "link", "img", "iframe", "object", "embed"} & {e.tag for e in root.iter()}
    assert all(a.get("href", "#").startswith("#") for a in root.iter("a"))


def test_sizing_tables_group_by_subsystem_with_schema_units(folders: dict[str, Path]) -> None:
    root, _, document = load(folders["size"])
    sizing = next(s for s in sections(root) if text(s.find("h2")) == "Sizing, power and thermal")  # type: ignore[arg-type]
    headings = [text(h) for h in sizing.iter("h3")]
    assert headings[:4] == ["Mass by subsystem", "Power", "Thermal", "Launch"]
    mass = next(sizing.iter("table"))  # the first table: right under "Mass by subsystem"
    head = [text(th) for th in mass.iter("th")]
    shells = list(document["sizing"]["per_satellite"])
    assert head[:2] == ["subsystem", "unit"]
    assert shells == head[2 : 2 + len(shells)]  # one column per shell: its design satellite
    rows = {text(tr[0]): [text(td) for td in tr][1:] for tr in mass.iter("tr") if tr[0].tag == "td"}
    lines = document["sizing"]["mass_breakdown_kg"]
    assert set(lines) <= set(r.replace(" ", "_") for r in rows)
    unit, *cells = rows["total mass"]
    assert unit in ("kg", "t")
    per_satellite = document["sizing"]["per_satellite"][shells[0]]["total_mass_kg"]
    number = float(cells[0].replace(",", "")) / (1e-3 if unit == "t" else 1.0)
    assert math.isclose(number, per_satellite, rel_tol=5e-4)


def test_metric_text_converts_units_and_says_why_a_value_is_missing() -> None:
    assert metric_text(39_336_000.0, "sizing.it_power_w") == "39.34 MW"
    assert metric_text(1_862_618.2, "sizing.total_mass_kg") == "1,863 t"
    assert metric_text(20_333.3, "operations.training.x.completion_s") == "5.648 h"
    assert metric_text(0.0252, "network.reachable_fraction", percent=True) == "2.52 %"
    assert metric_text(float("nan"), "network.rtt_p50_ms") == schema.why_missing(
        "network.rtt_p50_ms"
    )
    assert metric_text(31, "sizing.launches") == "31"
