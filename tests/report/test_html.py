"""Tests of the HTML page helpers: number formatting, units from key suffixes, escaping."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from skydc.report.html import (
    Section,
    data_table,
    format_value,
    metrics_table,
    render_page,
    split_unit,
)


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (1234567.89, "", "1,235,000"),
        (0.7123456, "", "0.7123"),
        (12.0, "", "12"),
        (-3.14159, "", "-3.142"),
        (0.0001234, "", "1.234e-04"),
        (0.0, "", "0"),
        (math.nan, "", "–"),
        (1984, "", "1,984"),
        (np.int64(72), "", "72"),
        (np.float32(0.5), "", "0.5"),
        (True, "", "yes"),
        (None, "", "–"),
        (2131.7, "s", "2,132 (35.53 min)"),
        (86400, "s", "86,400 (24 h)"),
        (60.0, "s", "60"),
        ("walker", "", "walker"),
    ],
)
def test_format_value(value: object, unit: str, text: str) -> None:
    assert format_value(value, unit) == text


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("sunlight.longest_eclipse_s", ("sunlight.longest_eclipse", "s")),
        ("altitude_km", ("altitude", "km")),
        ("inclination_deg", ("inclination", "°")),
        ("power.bus_power_w", ("power.bus_power", "W")),
        ("radiator_flux_w_m2", ("radiator_flux", "W/m²")),
        ("cost.launch_usd_per_kg", ("cost.launch", "USD/kg")),
        ("constellation.satellites", ("constellation.satellites", "")),
        ("satellites_per_plane", ("satellites_per_plane", "")),
        ("s", ("s", "")),
    ],
)
def test_split_unit_from_key_suffix(key: str, expected: tuple[str, str]) -> None:
    assert split_unit(key) == expected


def test_metrics_table_escapes_keys_and_values() -> None:
    out = metrics_table({"a.<b>&_km": "<i>x</i>", "n": 3})
    assert "<b>" not in out and "<i>" not in out
    assert "&lt;b&gt;&amp;" in out and "&lt;i&gt;x&lt;/i&gt;" in out
    ET.fromstring(out)


def test_data_table_headers_carry_units() -> None:
    out = data_table(["shell", "altitude_km"], [["<A>", 550.0], ["B", None]])
    root = ET.fromstring(out)
    assert [th.text for th in root.iter("th")] == ["shell", "altitude [km]"]
    assert "&lt;A&gt;" in out


def test_render_page_is_xml_with_unique_ids_and_no_external_loads() -> None:
    page = render_page(
        "Run <1>",
        [Section("Summary", "<p>a</p>"), Section("Summary", "<p>b</p>"), Section("&", "")],
        generated_utc="2025-01-01T00:00:00Z",
        version="0.1.0",
    )
    root = ET.fromstring(page.removeprefix("<!DOCTYPE html>\n"))
    ids = [s.get("id") for s in root.iter("section")]
    assert ids == ["summary", "summary-2", "section"]
    assert [a.get("href") for a in root.iter("a")] == ["#summary", "#summary-2", "#section"]
    assert "Run &lt;1&gt;" in page and "0.1.0" in page and "2025-01-01T00:00:00Z" in page
    assert "<script" not in page and 'http-equiv="Content-Security-Policy"' in page
