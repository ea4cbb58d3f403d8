"""Tests of the whole run report on small synthetic runs (see conftest.py)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from typing import Any

import pyarrow as pa
import pytest

from skydc.report.run_report import render_run_report
from skydc.schema import flatten

SVG = "{http://www.w3.org/2000/svg}"
CORE_TITLES = ["Constellation", "Sunlight", "Eclipse seasons"]


class _Refs(HTMLParser):
    """Collects every URL-bearing attribute and tag of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.urls += [v or "" for k, v in attrs if k in ("src", "href", "xlink:href", "action")]


def render(metrics: dict[str, Any], tables: dict[str, pa.Table]) -> str:
    return render_run_report(
        metrics, tables, stages=("constellation", "sunlight", "seasons"), title="Run <x> & y",
        version="0.1.0", generated_utc="2025-03-21T12:00:00Z",
    )


def check_page(page: str) -> ET.Element:
    """The page parses as XML, loads nothing from outside, and each SVG is well-formed."""
    root = ET.fromstring(page.removeprefix("<!DOCTYPE html>\n"))
    refs = _Refs()
    refs.feed(page)
    assert all(u.startswith("#") for u in refs.urls), refs.urls
    assert not {"script", "link", "img", "iframe", "object", "embed"} & refs.tags
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page
    for svg in re.findall(r"<svg .*?</svg>(?=\s*(?:<figcaption|</figure))", page, flags=re.S):
        ET.fromstring(svg)
    for path in root.iter(f"{SVG}path"):
        assert "nan" not in path.get("d", "").lower()
    return root


def section_titles(root: ET.Element) -> list[str]:
    return ["".join(h.itertext()) for h in root.iter("h2")]


def test_full_report_against_synthetic_run(
    metrics: dict[str, Any], tables: dict[str, pa.Table]
) -> None:
    page = render(metrics, tables)
    root = check_page(page)
    # the headline block first (here only the scenario line: no headline stage ran), the stage
    # sections, every metric (power and cost groups included) folded at the end
    assert section_titles(root) == ["Answer", *CORE_TITLES, "All metrics"]
    assert len(list(root.iter(f"{SVG}svg"))) >= 6  # globe, map, 2 sunlight, 2 seasons
    walker = metrics["eclipse_seasons"]["walker-550"]
    days, minutes = walker["days_with_eclipse"], walker["eclipse_max_s"] / 60
    assert 0 < days < 365  # the synthetic beta angle leaves some days without eclipse
    assert f"walker-550: {days} days per year with eclipse, longest {minutes:.1f} min." in page
    assert "sso-dawn-dusk: no eclipse on any day of the year" in page
    assert "power.battery.mass_kg" in page and "cost.launch_usd_per_kg" in page
    assert "synthetic &lt;demo&gt; &amp; co" in page and "Run &lt;x&gt; &amp; y" in page


def test_shell_names_are_escaped_everywhere(make_run: Any) -> None:
    page = render(*make_run(["<b>&", "sso"]))
    check_page(page)
    assert "<b>&" not in page
    assert page.count("&lt;b&gt;&amp;") >= 5  # table, sentence, chart legends, map legend


@pytest.mark.parametrize(
    "missing", ["shells", "sunlight", "eclipse_seasons", "ground_track", "snapshot"]
)
def test_each_missing_table_leaves_a_note(
    missing: str, metrics: dict[str, Any], tables: dict[str, pa.Table]
) -> None:
    del tables[missing]
    page = render(metrics, tables)
    root = check_page(page)
    assert section_titles(root)[1:4] == CORE_TITLES
    assert f"No {missing} table in this run." in page


def test_empty_run_renders_every_core_section() -> None:
    root = check_page(render({}, {}))
    assert section_titles(root) == CORE_TITLES


def test_empty_tables_render_as_missing(tables: dict[str, pa.Table]) -> None:
    empty = {k: t.slice(0, 0) for k, t in tables.items()}
    page = render({}, empty)
    check_page(page)
    assert page.count("table in this run.") == 5


def test_table_lacking_a_column_shows_a_warning(
    metrics: dict[str, Any], tables: dict[str, pa.Table]
) -> None:
    tables["sunlight"] = tables["sunlight"].drop_columns(["umbra_share"])
    page = render(metrics, tables)
    check_page(page)
    assert "lacks column(s) umbra_share" in page


def test_flatten_uses_dotted_keys() -> None:
    assert flatten({"a": {"b": 1, "c": {"d": 2}}, "e": 3}) == {"a.b": 1, "a.c.d": 2, "e": 3}
