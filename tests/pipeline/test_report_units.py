"""Every metric that has a unit is shown with the unit the schema declares, in the report and
in metrics.json; every metric an example writes is declared; docs/metrics.md is current."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import skydc
from skydc.schema import flatten, markdown, unit

ROW = re.compile(r'<tr><td class="key">([^<]*)</td><td[^>]*>[^<]*</td><td>([^<]*)</td></tr>')


def test_report_shows_every_unit_from_the_schema(tmp_path: Path) -> None:
    result = skydc.run(
        "three-body-12",
        {"duration_s": 1800.0, "seasons.step_days": 10.0, "network.samples": 2,
         "economics.monte_carlo_samples": 100},
        output_dir=tmp_path / "run",
    )  # fmt: skip
    page = (tmp_path / "run" / "report.html").read_text(encoding="utf-8")
    shown = {unescape(k): unescape(u) for k, u in ROW.findall(page)}
    metrics = flatten(result.metrics)
    with_unit = {k for k in metrics if unit(k)}
    assert with_unit, "the run has metrics with units"
    for key in with_unit:
        assert key in shown, f"{key} is not in the report"
        assert shown[key] == unit(key), f"{key}: shown {shown[key]!r}, schema {unit(key)!r}"
    # the labels the old suffix-guessing got wrong
    assert shown["network.rtt_min_ms"] == "ms"
    assert shown["radiation.three-body.proton_flux_cm2_s"] == "cm⁻² s⁻¹"
    written = json.loads((tmp_path / "run" / "metrics.json").read_text())
    assert written["units"] == {k: unit(k) for k in sorted(with_unit)} | written["units"]
    assert set(written["units"]) == with_unit


def test_metrics_doc_is_generated_from_the_schema() -> None:
    doc = Path(__file__).parents[2] / "docs" / "metrics.md"
    assert doc.read_text(encoding="utf-8") == markdown(), "run scripts/make_metrics_doc.py"
