"""Single-event proton flux from three sources: trapped, galactic cosmic rays, solar events.

The components are checked against what independent models say of them: trapped protons
dominate in mid-inclination LEO (SPENVIS and CREME96 agree on it; ECSS-E-ST-10-04C sec. 9),
solar-event protons are cut off below ~50 deg inclination (SPENVIS attenuation 0.006 at 53 deg,
tests/environment/test_cosmic_rays.py) and GCR protons grow with inclination. Event rates are
``sigma x`` the sum, so each source adds its share.
"""

from __future__ import annotations

import math

import pytest

from skydc.spacecraft.radiation import (
    RadiationEnvironment,
    RadiationSensitivity,
    proton_csda_range_g_cm2,
    shielded_threshold_energy_mev,
)

SENS = RadiationSensitivity(
    source="test device", year=2025, sdc_cross_section_cm2=1e-10, sefi_cross_section_cm2=1e-11
)


def test_threshold_energy_behind_10_mm_al() -> None:
    """A proton leaving 10 mm Al (2.699 g/cm^2) with 30 MeV entered with the energy whose CSDA
    range is 2.699 g/cm^2 longer (the range kernel is checked against NIST PSTAR in
    test_radiation.py): ~59 MeV."""
    e = float(shielded_threshold_energy_mev(10.0))
    assert float(proton_csda_range_g_cm2(e) - proton_csda_range_g_cm2(30.0)) == pytest.approx(
        2.699, rel=1e-6
    )
    assert 50.0 < e < 70.0
    assert float(shielded_threshold_energy_mev(0.0)) == pytest.approx(30.0, rel=1e-6)


def test_components_add_up_and_drive_the_event_rates() -> None:
    env = RadiationEnvironment(550.0, 97.6, 10.0)
    rates = env.fault_rates(SENS, 5.0)
    total = (
        rates.trapped_proton_flux_cm2_s + rates.gcr_proton_flux_cm2_s + rates.sep_proton_flux_cm2_s
    )
    assert rates.proton_flux_cm2_s == pytest.approx(total, rel=1e-12)
    assert rates.sdc_per_device_day == pytest.approx(1e-10 * total * 86400.0, rel=1e-12)
    assert rates.gcr_proton_flux_cm2_s > 0 and rates.sep_proton_flux_cm2_s > 0


def test_mid_inclination_is_trapped_dominated_and_shielded_from_solar_events() -> None:
    env = RadiationEnvironment(550.0, 53.0, 10.0)
    assert env.trapped_proton_flux_cm2_s > 10 * env.gcr_proton_flux_cm2_s
    assert env.sep_proton_flux_cm2_s < 0.01 * env.trapped_proton_flux_cm2_s
    low = RadiationEnvironment(550.0, 30.0, 10.0)
    assert low.sep_proton_flux_cm2_s == 0.0


def test_polar_orbit_adds_solar_and_cosmic_ray_protons() -> None:
    polar = RadiationEnvironment(550.0, 97.6, 10.0)
    mid = RadiationEnvironment(550.0, 53.0, 10.0)
    assert polar.gcr_proton_flux_cm2_s > 1.5 * mid.gcr_proton_flux_cm2_s
    assert polar.sep_proton_flux_cm2_s > 50 * mid.sep_proton_flux_cm2_s


def test_solar_cycle_inputs() -> None:
    quiet = RadiationEnvironment(550.0, 97.6, 10.0, solar_activity=0.0, solar_maximum_fraction=0.0)
    active = RadiationEnvironment(550.0, 97.6, 10.0, solar_activity=1.0, solar_maximum_fraction=1.0)
    assert quiet.sep_proton_flux_cm2_s == 0.0
    assert active.gcr_proton_flux_cm2_s < quiet.gcr_proton_flux_cm2_s
    assert active.sep_proton_flux_cm2_s > 0.0
    with pytest.raises(ValueError, match="solar_activity"):
        RadiationEnvironment(550.0, 97.6, 10.0, solar_activity=1.5)


def test_out_of_trapped_grid_total_is_nan_but_components_say_why() -> None:
    env = RadiationEnvironment(2500.0, 97.6, 10.0)
    assert math.isnan(env.proton_flux_cm2_s)
    assert math.isnan(env.trapped_proton_flux_cm2_s)
    assert env.gcr_proton_flux_cm2_s > 0


def test_for_mission_follows_the_solar_cycle_prediction() -> None:
    """NOAA SWPC cycle-25 prediction (data/solar_cycle_prediction.csv): minimum December
    2019, maximum ~2024.3, next minimum ~2030.96; solar events in the seven active years
    2021.8-2028.8 of each cycle (then 2032.8-2039.8). A mission around the 2031 minimum sees
    more GCR than one around the 2024 maximum, and no solar-event protons."""
    args = (550.0, 97.6, 10.0)
    at_max = RadiationEnvironment.for_mission(*args, 2022.5, 4.0)
    at_min = RadiationEnvironment.for_mission(*args, 2029.0, 3.5)
    assert at_min.solar_activity < at_max.solar_activity
    assert at_min.gcr_proton_flux_cm2_s > at_max.gcr_proton_flux_cm2_s
    assert at_max.solar_maximum_fraction == pytest.approx(1.0)
    assert at_min.solar_maximum_fraction == pytest.approx(0.0)
    assert at_min.sep_proton_flux_cm2_s == 0.0 < at_max.sep_proton_flux_cm2_s


def test_for_mission_takes_the_scenario_epoch_and_keeps_defaults_outside_the_table() -> None:
    from datetime import UTC, datetime

    args = (550.0, 97.6, 10.0)
    epoch = datetime(2026, 6, 21, tzinfo=UTC)
    by_date = RadiationEnvironment.for_mission(*args, epoch, 5.0)
    by_year = RadiationEnvironment.for_mission(*args, 2026.0 + 171.0 / 365.25, 5.0)
    assert by_date == by_year
    for start in (1995.0, None):  # before the prediction, or no mission years given
        env = RadiationEnvironment.for_mission(*args, start, 5.0)
        assert env == RadiationEnvironment(*args)
