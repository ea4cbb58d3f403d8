"""The network stage: `skydc network`, network metrics in runs, CZML, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import skydc

FAST = ["network.samples=2", "seasons.step_days=5", "duration_s=3600"]


def test_network_metrics_on_the_starlink_shell() -> None:
    m = skydc.route("starlink-shell1", FAST).metrics["network"]
    assert m["isl_count"] == 72 * 22 * 2  # plus-grid: 4 links per satellite, each counted once
    assert m["ground_stations"] == 100
    assert 0.9 < m["reachable_fraction"] <= 1.0
    assert m["rtt_min_ms"] <= m["rtt_p50_ms"] <= m["rtt_p90_ms"] <= m["rtt_p99_ms"]
    assert m["stretch_p50"] >= 1.0  # never shorter than the great circle
    assert m["capacity_americas_to_europe_bps"] > 0
    # RTT between the largest cities, against fibre at 2/3 c along the great circle
    for pair in m["pairs"].values():
        assert pair["rtt_median_ms"] > 0 and pair["fibre_rtt_ms"] > 0


def test_run_includes_network_and_czml(tmp_path: Path) -> None:
    out = tmp_path / "r"
    result = skydc.run(
        skydc.load_scenario("three-body-12", ["network.samples=2", "duration_s=1200",
                                                "seasons.days=10",
                                                'network.ground_stations="ground-station-sites"']),
        output_dir=out, export=["czml"],
    )  # fmt: skip
    assert "network" in result.metrics
    czml = json.loads((out / "three-body-12.czml").read_text())
    assert czml[0]["id"] == "document"
    assert sum(1 for p in czml if str(p.get("id", "")).startswith("sat-")) == 12
    assert any(str(p.get("id", "")).startswith("gs-") for p in czml)
    assert "Network" in (out / "report.html").read_text()


def test_cluster_geometry_like_suncatcher() -> None:
    """Suncatcher (arXiv 2511.19468): 81 satellites within 1 km, neighbours ~100-200 m apart."""
    m = skydc.route("dawn-dusk-40mw", [*FAST, "network.cluster.enabled=true"]).metrics
    c = m["network"]["cluster"]
    assert c["satellites"] == 81
    assert 80.0 < c["nearest_neighbour_min_m"] and c["nearest_neighbour_max_m"] < 220.0
    assert c["collision_margin_m"] > 0.0
    assert c["bisection_bandwidth_bps"] > 1e12


def test_unknown_city_pair_and_terminal(tmp_path: Path) -> None:
    with pytest.raises(skydc.ScenarioError) as info:
        skydc.route("starlink-shell1", [*FAST, 'network.city_pairs=[["Atlantis", "Tokyo"]]'])
    assert info.value.field == "network.city_pairs[0]"
    with pytest.raises(skydc.ScenarioError, match="allowed: starlink-class"):
        skydc.load_scenario("starlink-shell1", ['network.terminal="tin-can"'])
    with pytest.raises(skydc.ScenarioError) as info:
        skydc.route("starlink-shell1", [*FAST, 'network.ground_stations="nowhere.csv"'])
    assert info.value.field == "network.ground_stations"


def test_cli_network(tmp_path: Path) -> None:
    res = subprocess.run(
        [sys.executable, "-m", "skydc", "network", "starlink-shell1", "-o", "n",
         *[a for o in FAST for a in ("--set", o)]],
        capture_output=True, text=True, cwd=tmp_path, check=False, timeout=600,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert "RTT p50" in res.stdout
    metrics = json.loads((tmp_path / "n" / "metrics.json").read_text())
    assert np.isfinite(metrics["network"]["rtt_p50_ms"])


def test_downlink_budget_with_optical_sites_and_the_accessor() -> None:
    """Optical sites (CFLOS 45-76 %): weather binds less than contact time for a dawn-dusk
    plane; the fleet figure equals the sum over stations and satellites, and the accessor."""
    sites = 'network.ground_stations="optical-ground-stations"'
    overrides = [*FAST, sites, "network.downlink_step_s=120"]
    out = skydc.run(skydc.load_scenario("dawn-dusk-40mw", overrides), stages=["downlink"])
    down = out["downlink"]
    d = down.metrics()["downlink"]
    table = down.tables()["network_downlink"]
    assert table.num_rows == 5
    station_bits = np.asarray(table.column("bits_per_day").to_numpy())
    assert station_bits.sum() == pytest.approx(d["fleet_bits_per_day"], rel=1e-9)
    assert down.fleet_bits_per_day == pytest.approx(d["fleet_bits_per_day"], rel=1e-9)
    assert d["shells"] == {"dd650": pytest.approx(d["fleet_bits_per_day"])}
    # the three factors multiply to the delivered share of the peak
    peak_bits = d["peak_rate_bps"] * 86400.0 * 400
    product = d["contact_fraction"] * d["rate_factor"] * d["weather_factor"]
    assert d["fleet_bits_per_day"] / peak_bits == pytest.approx(product, rel=1e-9)
    # one site's CFLOS is at most 0.76; with site diversity the mean is at least the worst site's
    assert 0.45 <= d["site_diversity_availability"] <= 1 - 0.24 * 0.55 * 0.29 * 0.28 * 0.314
    assert d["binding_limit"] in ("contact time", "weather")
    assert d["peak_rate_bps"] == 200e9  # the optical class (TBIRD)
    assert d["satellite_bits_per_day_min"] <= d["satellite_bits_per_day_median"]


def test_downlink_metrics_are_declared_and_reported(tmp_path: Path) -> None:
    from skydc.schema import undeclared

    result = skydc.run(
        skydc.load_scenario("three-body-12", [*FAST, "network.downlink_step_s=300"]),
        stages=["network", "downlink"],
    )
    assert not undeclared(result.metrics)
    from skydc.report.network_report import render_downlink

    html = render_downlink(result.metrics, result["downlink"].tables())
    assert "Ground stations by share of the fleet&#x27;s downlink" in html
    assert "binding limit" in html
