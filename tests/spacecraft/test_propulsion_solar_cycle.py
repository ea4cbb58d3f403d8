"""Drag at the solar-cycle phase of the mission years (issue 16 item 7).

The density table's named levels are F10.7 = 65, 140 and 250 sfu (ECSS-E-ST-10-04C Table 6-3);
the mission's months take their F10.7 from the solar-cycle prediction
(tests/environment/test_solar_cycle.py checks it against the NOAA SWPC Panel's cycle 25) and
the level named is the one nearest the mission-mean density at the design altitude,
``sum_l w_l rho_l(h)`` (closed form below).
"""

from __future__ import annotations

import math

import pytest

from skydc.environment.solar_cycle import mission_density_level_weights
from skydc.spacecraft.propulsion import density_kg_m3, solar_activity_for_mission


def _mean_density(h_km: float, start: float, years: float, peak: float = 115.0) -> float:
    w = mission_density_level_weights(start, years, peak)
    return sum(wl * float(density_kg_m3(h_km, level)) for level, wl in w.items())


@pytest.mark.parametrize(
    ("start", "years", "peak"), [(2028.5, 3.0, 115.0), (2022.0, 5.0, 115.0), (2022.0, 5.0, 300.0)]
)
def test_level_is_the_nearest_to_the_mission_mean_density(
    start: float, years: float, peak: float
) -> None:
    h = 550.0
    level = solar_activity_for_mission(h, start, years, peak_ssn=peak)
    mean = _mean_density(h, start, years, peak)
    distance = {
        name: abs(math.log(float(density_kg_m3(h, name)) / mean))
        for name in ("low", "moderate", "high")
    }
    assert level == min(distance, key=distance.__getitem__)


def test_quiet_years_fly_low_and_a_strong_maximum_does_not() -> None:
    assert solar_activity_for_mission(550.0, 2028.5, 3.0) == "low"
    assert solar_activity_for_mission(550.0, 2022.0, 5.0, peak_ssn=300.0) != "low"


def test_scenario_mission_level_sizes_like_the_level_it_names() -> None:
    """``spacecraft.solar_activity = "mission"`` sizes the satellite exactly as the named level
    that ``solar_activity_for_mission`` gives for epoch 2026-06-21 + 5 years at 650 km."""
    import skydc

    fast = ["seasons.days=365", "seasons.step_days=5"]
    level = solar_activity_for_mission(650.0, 2026 + 171 / 365.25, 5.0)
    mission = skydc.size("dawn-dusk-40mw", [*fast, 'spacecraft.solar_activity="mission"'])
    named = skydc.size("dawn-dusk-40mw", [*fast, f'spacecraft.solar_activity="{level}"'])
    assert mission.metrics["sizing"]["total_mass_kg"] == named.metrics["sizing"]["total_mass_kg"]
    assert level == "low"  # 2026-2031 is the declining half of the Panel's cycle 25
