"""Space TCO: structure of the cost lines, replacement, launched power price, bad input.

Independent references named per test: Project Suncatcher (arXiv 2511.19468) launched power
price; Starlink v2 mini mass and power (public-figures.md).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from skydc.economics.finance import HOURS_PER_YEAR
from skydc.economics.ground import ground_power_price_usd_per_kw_yr
from skydc.economics.space import (
    SpaceInputs,
    accelerator_price,
    launch_price_from_plan,
    launched_power_price_usd_per_kw_yr,
    space_inputs_from_sizing,
    space_tco,
)

rel_1e9 = 1e-9  # round-off on sums of a few dozen terms


def _inputs(**kw):
    base = dict(
        it_power_w=40e6,
        n_satellites=400,
        mass_by_subsystem_kg={
            "compute": 980.0,
            "solar_array": 300.0,
            "radiator": 200.0,
            "structure": 150.0,
            "shielding": 100.0,
            "propellant": 20.0,
        },
        n_accelerators=60 * 400,
        launch_usd_per_kg=200.0,
    )
    base.update(kw)
    return SpaceInputs(**base)


def test_launched_power_price_suncatcher_starlink_v2_mini():
    """Suncatcher: at ~$200/kg, launched power costs about what US terrestrial power does.

    Starlink v2 mini, 575 kg and ~28 kW over a 5-year life (public-figures.md): 575 x 200 /
    (28 x 5) = US$821 per kW per year, inside Suncatcher's US$570-3,000/kW/yr ground range
    (US$0.06-0.25/kWh at PUE 1.09-1.4 = US$573-3,068 with 8,766 h a year).
    """
    launched = float(launched_power_price_usd_per_kw_yr(575.0, 200.0, 28e3, 5.0))
    assert launched == pytest.approx(821.43, abs=0.01)
    low = float(ground_power_price_usd_per_kw_yr(0.06, 1.09))
    high = float(ground_power_price_usd_per_kw_yr(0.25, 1.4))
    five_percent = 0.05  # Suncatcher rounds to two significant figures
    assert low == pytest.approx(570.0, rel=five_percent)
    assert high == pytest.approx(3000.0, rel=five_percent)
    assert low < launched < high
    # at today's US$3,600/kg (reusable Falcon 9, Suncatcher) it is ~5x the top of the range
    assert float(launched_power_price_usd_per_kw_yr(575.0, 3600.0, 28e3, 5.0)) > 4 * high


def test_lines_add_up_and_levelized_cost_is_total_over_energy():
    res = space_tco(_inputs())
    assert sum(float(v) for v in res.lines_usd.values()) == pytest.approx(
        float(res.total_usd), rel=rel_1e9
    )
    assert float(res.levelized_usd_per_kwh) == pytest.approx(
        float(res.total_usd / res.it_energy_kwh), rel=rel_1e9
    )
    assert float(res.it_energy_kwh) == pytest.approx(40e3 * HOURS_PER_YEAR * 10, rel=1e-12)
    assert float(res.usd_per_accelerator_hour) == pytest.approx(
        float(res.total_usd) / (24000 * HOURS_PER_YEAR * 10), rel=rel_1e9
    )


def test_first_generation_lines_at_zero_rate():
    res = space_tco(_inputs(wacc=0.0, annual_failure_probability=0.0, insurance_rate=0.0))
    fleet_kg = 400 * 1750.0
    assert float(res.lines_usd["launch"]) == pytest.approx(200.0 * fleet_kg, rel=1e-12)
    assert float(res.lines_usd["satellite.structure"]) == pytest.approx(400 * 150 * 1100.0)
    assert float(res.lines_usd["satellite.compute"]) == 0.0  # priced per device instead
    price = accelerator_price("h100-sxm")
    hw = 24000 * price.value * price.extra["server_price_factor"]
    assert float(res.lines_usd["compute_hardware"]) == pytest.approx(hw, rel=1e-12)
    assert float(res.lines_usd["cost_of_capital"]) == pytest.approx(0.0, abs=1e-3)


def test_five_year_life_replaces_the_fleet_once_in_ten_years():
    res = space_tco(_inputs(wacc=0.0, annual_failure_probability=0.0))
    first = sum(
        float(v)
        for k, v in res.lines_usd.items()
        if k.startswith("satellite.") or k in ("compute_hardware", "launch", "insurance")
    )
    assert float(res.lines_usd["replacement_end_of_life"]) == pytest.approx(first, rel=1e-12)
    assert float(res.lines_usd["residual_value"]) == 0.0
    longer = space_tco(_inputs(wacc=0.0, annual_failure_probability=0.0, satellite_life_yr=12))
    assert float(longer.lines_usd["replacement_end_of_life"]) == 0.0
    # 12-year satellites still have 2/12 of their value at year 10 (insurance not credited)
    credit = -float(longer.lines_usd["residual_value"])
    insured = first - float(longer.lines_usd["insurance"])
    assert credit == pytest.approx(insured * 2.0 / 12.0, rel=1e-12)


def test_failures_are_replaced_as_expected_value():
    no_fail = space_tco(_inputs(wacc=0.0, annual_failure_probability=0.0))
    fail = space_tco(_inputs(wacc=0.0, annual_failure_probability=0.03))
    generation = float(no_fail.lines_usd["replacement_end_of_life"])
    # 3 %/yr of the fleet replaced at the end of years 1..9
    assert float(fail.lines_usd["replacement_failures"]) == pytest.approx(
        0.03 * 9 * generation, rel=1e-12
    )


def test_arrays_broadcast_like_scalars():
    prices = np.array([50.0, 200.0, 1000.0])
    vector = space_tco(_inputs(launch_usd_per_kg=prices)).total_usd
    scalar = [float(space_tco(_inputs(launch_usd_per_kg=p)).total_usd) for p in prices]
    np.testing.assert_allclose(vector, scalar, rtol=1e-12)


def test_capital_cost_raises_total():
    assert space_tco(_inputs(wacc=0.10)).total_usd > space_tco(_inputs(wacc=0.0)).total_usd


def test_solar_array_priced_per_watt():
    res = space_tco(_inputs(solar_array_usd_per_w=0.03, solar_array_power_w=110e3))
    assert float(res.lines_usd["satellite.solar_array"]) == pytest.approx(400 * 110e3 * 0.03)
    with pytest.raises(ValueError, match="solar_array_power_w"):
        space_tco(_inputs(solar_array_usd_per_w=0.03))


def test_unlisted_subsystem_priced_at_default_and_noted():
    masses = {"compute": 100.0, "tether": 10.0}
    res = space_tco(_inputs(mass_by_subsystem_kg=masses, wacc=0.0))
    assert float(res.lines_usd["satellite.tether"]) == pytest.approx(400 * 10 * 1100.0)
    assert any("tether" in n for n in res.notes)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"launch_usd_per_kg": -1.0}, "launch_usd_per_kg"),
        ({"period_yr": 0}, "period_yr"),
        ({"wacc": -0.05}, "wacc"),
        ({"annual_failure_probability": 1.5}, "annual_failure_probability"),
        ({"accelerator": "abacus"}, "allowed"),
        ({"n_satellites": 0}, "n_satellites"),
        ({"usd_per_kg": {"structure": -5.0}}, "usd_per_kg"),
    ],
)
def test_bad_inputs_raise_value_error(change, match):
    with pytest.raises(ValueError, match=match):
        space_tco(_inputs(**change))


@dataclasses.dataclass
class _FakeSizing:
    it_power_w: float = 100e3
    n_accelerators: int = 54
    accelerator: str = "h100-sxm"
    mass_kg: dict = dataclasses.field(default_factory=lambda: {"compute": 880.0, "radiator": 90.0})


@dataclasses.dataclass
class _FakePlan:
    payload_per_launch_kg: float = 100e3
    price_per_launch_usd: float = 25e6
    launches: int = 3


def test_inputs_from_sizing_and_launch_plan_bill_every_launch():
    inp = space_inputs_from_sizing(_FakeSizing(), 250, launch_plan=_FakePlan())
    assert launch_price_from_plan(_FakePlan()) == (250.0, 300e3)
    assert inp.it_power_w == pytest.approx(25e6) and inp.n_accelerators == 54 * 250
    res = space_tco(dataclasses.replace(inp, wacc=0.0))
    assert float(res.lines_usd["launch"]) == pytest.approx(3 * 25e6)
    with pytest.raises(ValueError, match="exactly one"):
        space_inputs_from_sizing(_FakeSizing(), 250)
