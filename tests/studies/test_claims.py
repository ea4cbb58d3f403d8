"""The claims audit: every claim evaluates, the claimants' arithmetic reproduces their printed
figures, verdicts are from the allowed set, numbers are finite, the HTML page is self-contained,
and the audit is deterministic."""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import skydc
from skydc.report.claims_report import render_claims_report
from skydc.studies.claims import (
    VERDICTS,
    ClaimResult,
    claims_json,
    claims_table,
    evaluate_claims,
    verdict_for,
)

one_percent = 0.01
point_one_percent = 1e-3


@pytest.fixture(scope="module")
def results() -> list[ClaimResult]:
    return evaluate_claims()


def _by_id(results: list[ClaimResult]) -> dict[str, ClaimResult]:
    return {r.id: r for r in results}


def test_each_claim_evaluates(results: list[ClaimResult]) -> None:
    assert [r.id for r in results] == ["a", "b", "c", "d", "e", "f"]
    presets = {"iss-heritage", "starlink-v2-mini", "starcloud-whitepaper", "advanced"}
    for r in results:
        assert r.claim and r.source and r.why and r.most_important_input
        assert r.claimant_arithmetic.text
        assert set(r.skydc_result) == presets
        assert all(r.skydc_result[p] for p in presets)


def test_verdicts_are_allowed(results: list[ClaimResult]) -> None:
    assert {r.verdict for r in results} <= set(VERDICTS)


def test_all_numbers_finite(results: list[ClaimResult]) -> None:
    for r in results:
        assert all(math.isfinite(v) for v in r.claimant_arithmetic.numbers.values()), r.id
        for preset, nums in r.skydc_result.items():
            bad = {k: v for k, v in nums.items() if not math.isfinite(v)}
            assert not bad, (r.id, preset, bad)


def test_claim_a_reproduces_starcloud_whitepaper_table_1(results: list[ClaimResult]) -> None:
    """Starcloud white paper v1.03 (2024), Table 1: ground US$167M, space US$8.2M."""
    paper_ground_total_musd, paper_space_total_musd = 167.0, 8.2
    nums = _by_id(results)["a"].claimant_arithmetic.numbers
    assert nums["ground_total_musd"] == pytest.approx(paper_ground_total_musd, rel=one_percent)
    assert nums["space_total_musd"] == pytest.approx(paper_space_total_musd, rel=one_percent)
    assert nums["max_relative_error_vs_paper"] < one_percent


def test_claim_a_skydc_costs_every_line(results: list[ClaimResult]) -> None:
    """The full space cost exceeds the paper's three lines by the lines it leaves out."""
    a = _by_id(results)["a"]
    for nums in a.skydc_result.values():
        assert nums["space_lines_omitted_by_paper_musd"] > 0.0
        assert nums["space_total_musd"] > a.claimant_arithmetic.numbers["space_total_musd"]


def test_claim_b_racks_against_one_launch_by_hand(results: list[ClaimResult]) -> None:
    """40 MW of GB200 NVL72 racks (120 kW, 1,360 kg each; NVIDIA/SemiAnalysis) vs 100 t."""
    racks = math.ceil(40e6 / 120e3)
    racks_t = racks * 1.360
    nums = _by_id(results)["b"].claimant_arithmetic.numbers
    assert nums["racks"] == racks
    assert nums["racks_mass_kg"] == pytest.approx(racks_t * 1e3)
    assert nums["launches_by_mass_racks_alone"] == math.ceil(racks_t / 100.0)
    assert nums["minutes"] == 20.0


def test_claim_c_reproduction_is_exactly_100_gw_spacex_fcc_filing(
    results: list[ClaimResult],
) -> None:
    """SpaceX FCC filing (2026): 1 Mt/yr at 100 kW per tonne adds 100 GW a year."""
    c = _by_id(results)["c"]
    assert c.claimant_arithmetic.numbers["it_power_added_gw_per_yr"] == 100.0
    for nums in c.skydc_result.values():
        gw_at_1mt = 1e9 * nums["it_power_per_mass_w_kg"] / 1e9
        assert nums["it_power_added_gw_per_yr"] == pytest.approx(gw_at_1mt, rel=1e-12)


def test_claim_d_claimant_breakeven_from_whitepaper_table_by_hand(
    results: list[ClaimResult],
) -> None:
    """Paper's table at launch price p: 2M + p x 100 t (launch) + p x 40 t (1 kg/kW shielding)
    equals 167.168M (ground) at p = 165.168M / 140 t."""
    by_hand_usd_per_kg = (167.168e6 - 2e6) / 140e3
    nums = _by_id(results)["d"].claimant_arithmetic.numbers
    assert nums["breakeven_launch_usd_per_kg"] == pytest.approx(by_hand_usd_per_kg, rel=1e-9)


def test_claim_e_claimant_ratio_by_hand(results: list[ClaimResult]) -> None:
    """1361 W/m^2 (Kopp & Lean 2011) / 1000 W/m^2 (STC) x 0.95 / 0.24 = 5.39."""
    e = _by_id(results)["e"]
    assert e.claimant_arithmetic.numbers["ratio_space_to_ground"] == pytest.approx(
        1361.0 / 1000.0 * 0.95 / 0.24
    )
    for nums in e.skydc_result.values():
        assert 0.0 < nums["sunlit_fraction"] <= 1.0
        assert nums["ratio_space_to_ground"] > 0.0


def test_claim_f_radiator_starcloud_worked_example(results: list[ClaimResult]) -> None:
    """Starcloud white paper v1.03: net 633.08 W/m^2 two-sided at 20 C."""
    nums = _by_id(results)["f"].claimant_arithmetic.numbers
    assert nums["radiator_net_flux_w_m2"] == pytest.approx(633.08, rel=point_one_percent)
    assert nums["radiator_rejects_gw"] == pytest.approx(0.63308, rel=point_one_percent)


def test_claim_f_station_pays_for_its_assembly(results: list[ClaimResult]) -> None:
    """The centralized station's TCO carries its in-space assembly (economics/station.py): the
    robot at no less than the Canadarm3 programme (C$1.0 billion, CSA-MDA 2024, at 1.37 CAD per
    USD), so it costs more against the fleet than its mass does; it delivers nothing until its
    last module is berthed, so an accelerator-hour costs more than on the fleet, which delivers
    as each satellite arrives. A station not assembled within the period is said so in ``why``."""
    f = _by_id(results)["f"]
    canadarm3_musd = 1.0e3 / 1.37
    for preset, r in f.skydc_result.items():
        assert r["centralized_assembly_robotics_musd"] >= canadarm3_musd * (1 - one_percent)
        assert r["centralized_to_distributed_cost"] > r["centralized_to_distributed_mass"]
        if "centralized_usd_per_delivered_accelerator_hour" in r:
            assert r["centralized_assembly_yr"] < 10.0
            assert (
                r["centralized_usd_per_delivered_accelerator_hour"]
                > r["distributed_usd_per_delivered_accelerator_hour"]
            )
        else:
            assert r["centralized_assembly_yr"] >= 10.0 and preset in f.why
    assert not any("not costed" in n for n in f.notes)


def test_verdict_rule() -> None:
    assert verdict_for(True, [True, True]) == "holds"
    assert verdict_for(False, [True, True]) == "partly holds"
    assert verdict_for(True, [True, False]) == "partly holds"
    assert verdict_for(True, [False, False]) == "holds only under the claimant's assumptions"
    assert verdict_for(False, [False]) == "does not hold"


def test_unknown_preset_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="starcloud-whitepaper"):
        evaluate_claims(presets=("no-such-preset",))
    with pytest.raises(ValueError, match="one or more"):
        evaluate_claims(presets=())


def test_table_and_json(results: list[ClaimResult], tmp_path: Path) -> None:
    table = claims_table(results)
    assert table.num_rows == 6
    assert table.column("verdict").to_pylist() == [r.verdict for r in results]
    pq.write_table(table, tmp_path / "claims.parquet")
    assert pq.read_table(tmp_path / "claims.parquet").equals(table)
    doc = claims_json(results)
    text = json.dumps(doc, allow_nan=False)
    assert json.loads(text)["claims"][2]["claimant_arithmetic"]["numbers"][
        "it_power_added_gw_per_yr"
    ] == 100.0  # fmt: skip


def _external_references(root: ET.Element) -> list[str]:
    found = []
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag in ("script", "link", "img", "iframe", "object", "embed"):
            found.append(tag)
        for key, value in el.attrib.items():
            name = key.rsplit("}", 1)[-1]
            if name in ("href", "src") and not value.startswith("#"):
                found.append(f"{name}={value}")
            if any(not ref.startswith("#") for ref in re.findall(r"url\(([^)]*)\)", value)):
                found.append(value)  # url(#id) (a clip path in the same chart) is local
    return found


def test_html_parses_as_xml_without_external_references(results: list[ClaimResult]) -> None:
    html = render_claims_report(results, version="test", generated_utc="2026-01-01 00:00 UTC")
    root = ET.fromstring(html.removeprefix("<!DOCTYPE html>\n"))
    assert _external_references(root) == []
    body = "".join(root.itertext())
    for r in results:
        assert r.verdict in body
    assert html.count("<svg") >= 5


def test_deterministic(results: list[ClaimResult]) -> None:
    again = evaluate_claims()
    assert claims_json(again) == claims_json(results)
    stamp = {"version": "x", "generated_utc": "t"}
    assert render_claims_report(again, **stamp) == render_claims_report(results, **stamp)


def test_example_reproduces_whitepaper_cluster() -> None:
    """starcloud-whitepaper-40mw: >= 40 MW of GB200 NVL72 racks (white paper: "a single 40MW
    cluster"), shielding at the paper's "1kg of shielding per kW"."""
    result = skydc.size("starcloud-whitepaper-40mw", ["seasons.step_days=5"])
    sizing = result.metrics["sizing"]
    assert sizing["accelerator"] == "gb200-nvl72"
    assert 40e6 <= sizing["it_power_w"] < 40e6 + 120e3
    sat = sizing["per_satellite"]["sc650"]
    kg_per_kw = sat["mass_breakdown_kg"]["shielding"] / (sat["it_power_w"] / 1e3)
    assert kg_per_kw == pytest.approx(1.0, rel=one_percent)
    assert result.scenario.economics.electricity_usd_per_kwh == 0.04
    assert result.scenario.economics.years == 10
