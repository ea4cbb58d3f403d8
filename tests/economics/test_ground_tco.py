"""Ground TCO: energy arithmetic, regions, bad input.

References: EIA Electric Power Annual 2023 (Texas industrial 6.60 cents/kWh), Eurostat
nrg_pc_205 (Ireland EUR 0.256/kWh, H1 2024), ECB 2024 average EUR/USD 1.0824.
"""

from __future__ import annotations

import pytest

from skydc.economics.finance import HOURS_PER_YEAR, to_currency_year
from skydc.economics.ground import (
    GroundInputs,
    electricity_price,
    ground_tco,
    region_names,
)


def _inputs(**kw):
    base = dict(it_power_w=40e6, n_accelerators=24000, region="texas")
    base.update(kw)
    return GroundInputs(**base)


def test_ground_energy_is_megawatts_times_hours_times_price():
    res = ground_tco(_inputs(electricity_usd_per_kwh=0.05, period_yr=7))
    expected = 40.0 * 1e3 * HOURS_PER_YEAR * 7 * 0.05  # MW x kW/MW x h/yr x yr x USD/kWh
    assert float(res.lines_usd["energy_it"]) == pytest.approx(expected, rel=1e-14)


def test_overhead_energy_follows_pue():
    res = ground_tco(_inputs(pue=1.5, chiller_share_of_overhead=0.6))
    it = float(res.lines_usd["energy_it"])
    assert float(res.lines_usd["chiller_energy"]) == pytest.approx(0.5 * 0.6 * it, rel=1e-12)
    assert float(res.lines_usd["other_overhead_energy"]) == pytest.approx(0.2 * it, rel=1e-12)


def test_texas_price_eia_2023_inflated_to_currency_year():
    entry = electricity_price("texas")
    assert entry.value == pytest.approx(float(to_currency_year(0.0660, 2023)), rel=1e-12)
    assert entry.year == 2023 and "EIA" in entry.source


def test_ireland_price_eurostat_converted_at_ecb_rate():
    assert electricity_price("ireland").value == pytest.approx(0.256 * 1.0824, rel=1e-12)


def test_every_region_has_a_sourced_price():
    assert {"us-average-industrial", "texas", "virginia", "ireland", "germany", "china"} <= set(
        region_names()
    )
    for region in region_names():
        e = electricity_price(region)
        assert e.source and e.year >= 2016 and e.low <= e.value <= e.high


def test_levelized_cost_is_total_over_energy():
    res = ground_tco(_inputs())
    assert float(res.levelized_usd_per_kwh) == pytest.approx(
        float(res.total_usd / res.it_energy_kwh), rel=1e-9
    )


def test_facility_outlives_the_period_and_is_credited():
    res = ground_tco(_inputs(wacc=0.0, facility_life_yr=20.0))
    facility = sum(float(res.lines_usd[k]) for k in ("construction", "grid_connection"))
    land = float(res.lines_usd["land"])
    assert -float(res.lines_usd["residual_value"]) == pytest.approx(0.5 * facility + land)
    assert float(res.lines_usd["hardware_refresh"]) == pytest.approx(
        float(res.lines_usd["compute_hardware"])
    )


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"region": "atlantis"}, "allowed: us-average-industrial"),
        ({"electricity_usd_per_kwh": -0.01}, "electricity_usd_per_kwh"),
        ({"pue": 0.9}, "pue"),
        ({"period_yr": 0}, "period_yr"),
        ({"wacc": -0.1}, "wacc"),
        ({"construction_usd_per_mw": -1.0}, "construction_usd_per_mw"),
    ],
)
def test_bad_inputs_raise_value_error(change, match):
    with pytest.raises(ValueError, match=match):
        ground_tco(_inputs(**change))
