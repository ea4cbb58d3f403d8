"""The bundled solar-cycle prediction and what drag and cosmic rays take from it.

Reference: NOAA SWPC, "Solar Cycle 25 Forecast Update" (NOAA/NASA Solar Cycle 25 Prediction
Panel, 9 Dec 2019): minimum in December 2019, maximum smoothed sunspot number 115 (105-125) in
2024-2026. The table's yearly means must show that cycle (a yearly mean sits below the
13-month smoothed peak, by up to ~5 %), and the IPS F10.7 relation must give its quiet-Sun
floor of 67 sfu at zero sunspots (Australian BoM IPS, "The 10 cm solar radio flux").
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from skydc.environment.solar_cycle import (
    density_level_weights,
    mission_activity_level,
    mission_density_level_weights,
    mission_f107_sfu,
    solar_activity_index,
    solar_cycle_table,
    solar_maximum_fraction,
)

FIVE_PERCENT = 0.05


def test_table_reproduces_the_panel_cycle_25() -> None:
    year, ssn, f107 = solar_cycle_table()
    cycle = (year >= 2020) & (year <= 2030)
    peak = int(year[cycle][np.argmax(ssn[cycle])])
    assert 2024 <= peak <= 2026
    assert ssn[cycle].max() == pytest.approx(115.0, rel=FIVE_PERCENT)
    assert ssn[year == 2020][0] < 10.0  # the December 2019 minimum
    assert f107.min() == pytest.approx(67.0, abs=2.0)  # quiet-Sun floor of the IPS relation


def test_level_weights_interpolate_and_clamp() -> None:
    assert density_level_weights(140.0) == {"low": 0.0, "moderate": 1.0, "high": 0.0}
    w = density_level_weights(195.0)
    assert w["moderate"] == pytest.approx(0.5) and w["high"] == pytest.approx(0.5)
    assert density_level_weights(30.0)["low"] == 1.0
    assert sum(density_level_weights(90.0).values()) == pytest.approx(1.0)


def test_mission_across_maximum_weighs_more_activity_than_one_at_minimum() -> None:
    at_max = mission_density_level_weights(2022.0, 4.0)
    at_min = mission_density_level_weights(2027.5, 4.0)
    assert at_max["moderate"] > at_min["moderate"]
    assert mission_f107_sfu(2022.0, 4.0).mean() > mission_f107_sfu(2027.5, 4.0).mean()
    assert solar_activity_index(2022.0, 4.0) > solar_activity_index(2027.5, 4.0)
    stronger = mission_density_level_weights(2022.0, 4.0, peak_ssn=230.0)
    assert stronger["high"] > 0.0


def test_named_level_nearest_the_mission_mean_density() -> None:
    rho = {"low": 1e-13, "moderate": 5e-13, "high": 2e-12}
    assert mission_activity_level(2022.0, 4.0, rho) in ("low", "moderate")
    assert mission_activity_level(2022.0, 4.0, rho, peak_ssn=300.0) in ("moderate", "high")


def test_solar_maximum_fraction_over_whole_cycles() -> None:
    """Seven active years in eleven (ECSS-E-ST-10-04C I.2.1) over a whole cycle."""
    assert solar_maximum_fraction(2020.0, 11.0) == pytest.approx(7.0 / 11.0, abs=0.01)
    with pytest.raises(ValueError, match="outside the solar-cycle table"):
        solar_maximum_fraction(2100.0, 5.0)
    assert math.isfinite(solar_activity_index(2030.0, 20.0))
