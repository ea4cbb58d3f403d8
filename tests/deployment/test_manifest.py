"""Launches by mass and by volume, cost, deployment time, power per launch and per year."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skydc.deployment.launch import get_launch_vehicle, sso_inclination_deg
from skydc.deployment.manifest import (
    DEFAULT_VOLUME_PACKING_EFFICIENCY,
    cumulative_launches,
    deployment_schedule,
    deployment_time_yr,
    dispenser_names,
    get_dispenser,
    launch_counts,
    launches_needed,
    launches_per_year_for_power,
    pack_satellites,
    power_deployed_per_launch_w,
    power_deployed_per_year_w,
)

one_dollar = 1.0
one_watt = 1.0
tiny_yr = 1e-12

SSO_650_DEG = float(sso_inclination_deg(650.0))


def test_volume_governs_when_density_is_low() -> None:
    """10 t of deployable structure stowed in 600 m^3 (17 kg/m^3): the fairing fills first."""
    f9 = get_launch_vehicle("falcon-9")
    plan = launches_needed(10_000.0, 600.0, f9, 650.0, SSO_650_DEG)
    assert plan.governed_by == "volume"
    assert plan.launches_by_mass == 1
    assert plan.launches_by_volume == 7  # 600 / (145 * 0.6) = 6.9
    assert plan.launches == 7
    assert "volume governs" in plan.explanation


def test_mass_governs_when_density_is_high() -> None:
    """100 t of compute racks in 50 m^3 (2 t/m^3): the payload mass runs out first."""
    f9 = get_launch_vehicle("falcon-9")
    plan = launches_needed(100_000.0, 50.0, f9, 650.0, SSO_650_DEG)
    assert plan.governed_by == "mass"
    assert plan.launches_by_volume == 1
    assert plan.launches == plan.launches_by_mass == 8  # 100 t / 14.0 t = 7.1
    assert plan.mass_per_launch_kg == pytest.approx(12_500.0)
    assert 0.0 < plan.mass_fill_fraction <= 1.0
    assert plan.cost_usd == pytest.approx(8 * f9.price_usd, abs=one_dollar)
    assert plan.cost_per_kg_usd == pytest.approx(8 * f9.price_usd / 100_000.0)


def test_starcloud_40mw_in_one_launch_for_5m_usd() -> None:
    """Starcloud white paper (2024): one ~100 t launch to SSO for ~$5M carries ~40 MW."""
    sc = get_launch_vehicle("starship-starcloud-2024")
    plan = launches_needed(100_000.0, 400.0, sc, 650.0, SSO_650_DEG)
    assert plan.launches == 1
    assert plan.cost_usd == pytest.approx(5.0e6, abs=one_dollar)
    assert plan.cost_per_kg_usd == pytest.approx(50.0)
    assert plan.mass_fill_fraction == pytest.approx(1.0, rel=1e-9)


def test_exact_multiple_of_the_payload_is_not_rounded_up() -> None:
    f9 = get_launch_vehicle("falcon-9")
    plan = launches_needed(3 * 17_500.0, 1.0, f9, 287.0, 43.0)
    assert plan.launches_by_mass == 3


def test_price_override_and_nothing_to_launch() -> None:
    ss = get_launch_vehicle("starship")
    plan = launches_needed(250_000.0, 10.0, ss, 250.0, 26.0, price_usd=2.0e6)
    assert plan.launches == 3 and plan.cost_usd == pytest.approx(6.0e6)
    empty = launches_needed(0.0, 0.0, ss, 550.0, 53.0)
    assert empty.launches == 0 and empty.cost_usd == 0.0


def test_bad_arguments_and_unreachable_orbit_raise() -> None:
    f9 = get_launch_vehicle("falcon-9")
    with pytest.raises(ValueError, match="volume_packing_efficiency"):
        launches_needed(1.0, 1.0, f9, 550.0, 53.0, volume_packing_efficiency=1.5)
    with pytest.raises(ValueError, match="total_mass_kg"):
        launches_needed(-1.0, 1.0, f9, 550.0, 53.0)
    with pytest.raises(ValueError, match="price_usd"):
        launches_needed(1.0, 1.0, f9, 550.0, 53.0, price_usd=-5.0)
    heavy_stage = dataclasses.replace(f9, upper_stage_burnout_mass_kg=200_000.0)
    with pytest.raises(ValueError, match="cannot reach"):
        launches_needed(1_000.0, 1.0, heavy_stage, 2_000.0, 0.0)


def test_launch_counts_broadcast_and_flag_out_of_reach() -> None:
    by_mass, by_volume = launch_counts([0.0, 1.0, 30.0], [0.0, 5.0, 5.0], [10.0, 10.0, 0.0], 2.0)
    np.testing.assert_array_equal(by_mass[:2], [0.0, 1.0])
    assert np.isnan(by_mass[2])
    np.testing.assert_array_equal(by_volume, [0.0, 3.0, 3.0])


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(
    st.floats(0.0, 1e7),
    st.floats(0.0, 1e5),
    st.floats(1.0, 2e5),
    st.floats(1.0, 1e3),
)
def test_counts_are_the_smallest_that_carry_everything(mass, volume, payload, usable) -> None:
    by_mass, by_volume = (float(x) for x in launch_counts(mass, volume, payload, usable))
    slack = 1e-6
    assert by_mass * payload >= mass * (1.0 - slack)
    assert (by_mass - 1.0) * payload < mass or by_mass == 0.0
    assert by_volume * usable >= volume * (1.0 - slack)
    assert (by_volume - 1.0) * usable < volume or by_volume == 0.0


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(st.floats(0.0, 1e6), st.floats(0.0, 1e4), st.floats(1.0, 1e6), st.floats(0.05, 1.0))
def test_governing_count_is_the_larger_and_grows_with_mass(mass, volume, extra, packing) -> None:
    ss = get_launch_vehicle("starship")
    plan = launches_needed(mass, volume, ss, 550.0, 53.0, volume_packing_efficiency=packing)
    assert plan.launches == max(plan.launches_by_mass, plan.launches_by_volume)
    heavier = launches_needed(mass + extra, volume, ss, 550.0, 53.0, packing)
    assert heavier.launches >= plan.launches
    assert 0.0 <= plan.volume_fill_fraction <= 1.0 + 1e-9
    assert packing == DEFAULT_VOLUME_PACKING_EFFICIENCY or plan.volume_packing_efficiency == packing


def test_deployment_time_and_schedule() -> None:
    """132 Falcon 9 launches at the 2024 cadence (132 per year) take one year."""
    assert deployment_time_yr(132, 132.0) == pytest.approx(1.0)
    np.testing.assert_allclose(deployment_time_yr(100, [50.0, 100.0, 200.0]), [2.0, 1.0, 0.5])
    sched = deployment_schedule(10, 12.0, n_steps=121)
    assert sched.duration_yr == pytest.approx(10.0 / 12.0)
    assert sched.cumulative_launches[0] == 0.0
    assert sched.cumulative_launches[-1] == 10.0
    assert sched.deployed_fraction[-1] == 1.0
    assert np.all(np.diff(sched.cumulative_launches) >= 0.0)
    one_month = cumulative_launches(1.0 / 12.0, 10, 12.0)
    assert one_month == 1.0  # first launch after one interval
    with pytest.raises(ValueError, match="cadence_per_yr"):
        deployment_schedule(10, 0.0)
    with pytest.raises(ValueError, match="launches"):
        deployment_schedule(2.5, 12.0)  # type: ignore[arg-type]


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(st.integers(0, 10_000), st.floats(0.1, 10_000.0), st.floats(-1.0, 100.0))
def test_cumulative_launches_bounded_and_complete_at_n_over_c(n, cadence, t) -> None:
    flown = float(cumulative_launches(t, n, cadence))
    assert 0.0 <= flown <= n
    assert float(cumulative_launches(n / cadence + tiny_yr, n, cadence)) == n


def test_spacex_filing_100gw_per_year_arithmetic() -> None:
    """SpaceX FCC filing (2026): 1 million t/yr at 100 kW of compute per tonne adds 100 GW/yr;
    at the 200 t Starship target that is 5,000 launches a year."""
    w_per_kg = 100.0  # 100 kW per tonne
    assert power_deployed_per_year_w(1e9, w_per_kg, 1.0) == pytest.approx(100e9, abs=one_watt)
    target = get_launch_vehicle("starship-target")
    n = launches_per_year_for_power(100e9, target.payload_leo_kg, w_per_kg)
    assert n == pytest.approx(5_000.0)
    gw_per_yr = power_deployed_per_year_w(target.payload_leo_kg, w_per_kg, [100.0, 5_000.0]) / 1e9
    np.testing.assert_allclose(gw_per_yr, [2.0, 100.0])


def test_starcloud_36mw_per_launch_arithmetic() -> None:
    """Starcloud white paper: ~300 racks x ~120 kW = 36 MW in one ~100 t launch (360 W/kg)."""
    power = power_deployed_per_launch_w(100_000.0, 300 * 120e3 / 100_000.0)
    assert power == pytest.approx(36e6, abs=one_watt)
    with pytest.raises(ValueError, match="IT power per launch"):
        launches_per_year_for_power(1e9, 0.0, 100.0)


def test_starlink_v2_mini_per_falcon_9_against_flown_manifests() -> None:
    """Whole-satellite packing against flown Starlink manifests. Falcon 9 with booster recovery
    carries 17.5 t to the 287 km, 43 deg Starlink insertion orbit (Payload Space 2024, the
    catalog's reference); a V2 Mini weighs ~800 kg (Starlink 6-24: 23 satellites, ~18,400 kg,
    der-orion launch log). On the starlink-stack dispenser (fitted to the V1.5 Group 4-23
    manifest, an independent flight) the model must put 21 to 23 V2 Minis on one launch, the
    range flown on Group 6 missions in 2023 (within one satellite of each end)."""
    f9 = get_launch_vehicle("falcon-9")
    plan = pack_satellites(23, 800.0, 1.0, f9, 287.0, 43.0, "starlink-stack")
    assert 21 - 1 <= plan.satellites_per_launch <= 23 + 1
    assert plan.governed_by == "mass"
    # the stack's hardware rides in the plan's mass: 1.1 % of the satellites'
    assert plan.dispenser_mass_kg == pytest.approx(0.011 * 23 * 800.0)
    assert plan.total_mass_kg == pytest.approx(23 * 800.0 + plan.dispenser_mass_kg)


def test_whole_satellites_not_divisible_mass() -> None:
    """Issue 16's arithmetic: 14 satellites of 4,174 kg fit 62 t, so 400 need 29 launches, where
    dividing the fleet's mass by the payload says 27."""
    ss = get_launch_vehicle("starship")
    payload = 62_000.0
    vehicle = dataclasses.replace(
        ss, payload_leo_kg=payload, leo_altitude_km=650.0, leo_inclination_deg=98.0,
        launch_site_latitude_deg=0.0,
    )  # fmt: skip
    plan = pack_satellites(400, 4174.0, 10.0, vehicle, 650.0, 98.0, "none")
    assert plan.satellites_per_launch_by_mass == 14
    assert plan.launches == 29
    divisible = launches_needed(400 * 4174.0, 4000.0, vehicle, 650.0, 98.0)
    assert divisible.launches == 27
    # a dispenser only ever lowers the count per launch
    for name in dispenser_names():
        assert pack_satellites(400, 4174.0, 10.0, vehicle, 650.0, 98.0, name).launches >= 29


def test_volume_can_govern_whole_satellites_and_errors_are_clear() -> None:
    f9 = get_launch_vehicle("falcon-9")
    usable = f9.fairing_volume_m3 * DEFAULT_VOLUME_PACKING_EFFICIENCY
    plan = pack_satellites(10, 100.0, usable / 2.5, f9, 287.0, 43.0, "none")
    assert plan.satellites_per_launch == 2 and plan.governed_by == "volume"
    assert plan.launches == 5
    with pytest.raises(ValueError, match="does not fit one falcon-9 launch by mass"):
        pack_satellites(1, 50_000.0, 1.0, f9, 287.0, 43.0)
    with pytest.raises(ValueError, match="allowed: starlink-stack"):
        get_dispenser("bag")
    assert pack_satellites(0, 100.0, 1.0, f9, 287.0, 43.0).launches == 0
