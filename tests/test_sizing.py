"""Sizing a whole scenario: `skydc size`, the run's sizing metrics, every preset at 40 MW."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import skydc
from skydc.deployment.launch import get_launch_vehicle, payload_to_orbit_kg
from skydc.spacecraft.presets import preset_names

FAST = ["seasons.days=365", "seasons.step_days=5"]


@pytest.mark.parametrize("preset", preset_names())
def test_40mw_under_every_preset(preset: str) -> None:
    result = skydc.size("dawn-dusk-40mw", [*FAST, f'spacecraft.preset="{preset}"'])
    sz = result.metrics["sizing"]
    assert sz["satellites"] == 400
    assert 38e6 <= sz["it_power_w"] <= 40e6  # whole B200 servers inside 100 kW each
    assert sz["total_mass_kg"] == pytest.approx(sum(sz["mass_breakdown_kg"].values()))
    # launches: the larger of mass and volume governs, per shell
    plan = sz["launch_plans"]["dd650"]
    assert plan["launches"] == max(plan["launches_by_mass"], plan["launches_by_volume"])
    assert sz["governed_by"] in ("mass", "volume")
    vehicle = get_launch_vehicle(sz["launch_vehicle"])
    orbit = sz["design_orbits"]["dd650"]
    payload = float(payload_to_orbit_kg(vehicle, orbit["altitude_km"], orbit["inclination_deg"]))
    # whole satellites per launch, each launch with its dispenser: never fewer launches than
    # the divisible mass would need
    assert plan["launches"] == -(-sz["satellites"] // plan["satellites_per_launch"])
    assert plan["launches_by_mass"] >= -(-sz["total_mass_kg"] // payload)
    assert plan["dispenser"] == "starlink-stack" and plan["dispenser_mass_kg"] > 0.0
    assert sz["deployment_time_yr"] == pytest.approx(sz["launches"] / sz["cadence_per_yr"])
    # a centralized station of the same IT power carries one bus, not 400
    central = sz["centralized"]
    assert central["it_power_w"] == pytest.approx(sz["it_power_w"])
    assert central["mass_breakdown_kg"]["avionics"] < sz["mass_breakdown_kg"]["avionics"]


def test_dawn_dusk_design_orbit_comes_from_the_season_survey() -> None:
    sz = skydc.size("dawn-dusk-40mw", FAST).metrics["sizing"]
    orbit = sz["design_orbits"]["dd650"]
    assert orbit["altitude_km"] == pytest.approx(650.0, abs=0.5)
    assert 15 * 60 < orbit["design_eclipse_s"] < 22 * 60  # longest eclipse of the season
    assert 0.95 < orbit["sunlit_fraction"] < 1.0


def test_design_day_sun_distance_is_the_eclipse_season_near_aphelion() -> None:
    """Issue 16: the 18:00-LTAN dawn-dusk eclipse season is centred on the June solstice, two
    weeks before aphelion (1.0167 AU on 4 July: USNO / IERS Earth perihelion and aphelion
    tables), so the array's design day sees ~1,317 W/m^2, not 1,361. The design day's Sun must
    lie within 0.1 % of the aphelion distance (0.1 % of distance is ~0.2 % of irradiance)."""
    from skydc.constants import AU_M
    from skydc.spacecraft.power import solar_irradiance_w_m2

    result = skydc.size("dawn-dusk-40mw", FAST)
    orbit = result["sizing"].orbits["dd650"]
    aphelion_au = 1.0167
    assert orbit.sun_distance_m / AU_M == pytest.approx(aphelion_au, rel=1e-3)
    assert float(solar_irradiance_w_m2(orbit.sun_distance_m)) == pytest.approx(1317.0, rel=3e-3)
    sat = result["sizing"].satellites["dd650"]
    margin = result["sizing"].technology.power.power_margin
    assert margin > 0.0
    assert sat.power.array_power_eol_w > sat.load_w * (1.0 + margin)


def test_run_includes_sizing_power_and_thermal(tmp_path: Path) -> None:
    result = skydc.run(
        skydc.load_scenario("three-body-12", ["duration_s=1200", "seasons.days=30",
                                                "spacecraft.it_power_kw=20"]),
        output_dir=tmp_path / "r",
    )  # fmt: skip
    m = result.metrics
    for key in ("total_mass_kg", "launches", "mass_breakdown_kg"):
        assert key in m["sizing"]
    assert m["power"]["orbit_average_w"] > 0
    assert m["thermal"]["radiator_area_m2"] > 0
    assert "three-body" in m["radiation"]
    power = result.tables["power"].to_pydict()
    assert set(power) == {"time_utc", "shell", "array_power_w", "load_w", "radiator_temperature_k"}
    assert len(power["time_utc"]) == 21
    html = (tmp_path / "r" / "report.html").read_text()
    assert "Sizing, power and thermal" in html and "Radiator temperature" in html


def skydc_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "skydc", *args], capture_output=True,
                          text=True, cwd=cwd, check=False, timeout=300)  # fmt: skip


def test_cli_size_prints_table_and_writes_folder(tmp_path: Path) -> None:
    res = skydc_cli("size", "--preset", "starcloud-whitepaper", "-o", "s", "--set",
                      "seasons.step_days=5", cwd=tmp_path)  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert "launches by mass" in res.stdout and "launches by volume" in res.stdout
    assert "governs" in res.stdout
    metrics = json.loads((tmp_path / "s" / "metrics.json").read_text())
    assert metrics["sizing"]["preset"] == "starcloud-whitepaper"
    assert (tmp_path / "s" / "mass_breakdown.parquet").is_file()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--preset", "unobtainium"), "allowed: iss-heritage"),
        (("--set", "spacecraft.solar_array.efficiency=1.5"), "spacecraft.solar_array.efficiency"),
        (("--set", 'spacecraft.accelerator="abacus"'), "allowed: h100-sxm"),
        (("--set", 'deployment.launch_vehicle="balloon"'), "allowed: falcon-9"),
        (("--set", "spacecraft.it_power_kw=-1"), "spacecraft.it_power_kw"),
        (("--set", 'spacecraft.accelerator="gb200-nvl72"'), "no whole gb200-nvl72 unit"),
    ],
)
def test_cli_size_bad_input(tmp_path: Path, args: tuple[str, ...], fragment: str) -> None:
    res = skydc_cli("size", *args, cwd=tmp_path)
    assert res.returncode == 2
    assert fragment in res.stderr, res.stderr
    assert "Traceback" not in res.stderr
    assert list(tmp_path.iterdir()) == []
