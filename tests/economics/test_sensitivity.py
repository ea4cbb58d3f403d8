"""Break-even launch price, tornado, Monte Carlo and launch price projections."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skydc.economics.ground import GroundInputs, ground_tco
from skydc.economics.sensitivity import (
    Distribution,
    breakeven_launch_usd_per_kg,
    cost_ratio,
    crossover_year,
    cumulative_mass_kg,
    default_tornado_ranges,
    launch_price_models,
    monte_carlo,
    price_path_usd_per_kg,
    projected_launch_price_usd_per_kg,
    tornado,
    wright_price_usd_per_kg,
)
from skydc.economics.space import SpaceInputs, space_tco

MASSES = {"compute": 980.0, "solar_array": 300.0, "radiator": 200.0, "structure": 150.0}


def _space(**kw):
    base = dict(
        it_power_w=40e6,
        n_satellites=400,
        mass_by_subsystem_kg=MASSES,
        n_accelerators=24000,
        launch_usd_per_kg=200.0,
        annual_failure_probability=0.0,
        insurance_rate=0.0,
    )
    base.update(kw)
    return SpaceInputs(**base)


def _ground(**kw):
    base = dict(it_power_w=40e6, n_accelerators=24000, region="ireland")
    base.update(kw)
    return GroundInputs(**base)


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(
    price_e=st.floats(0.03, 0.40),
    mass_scale=st.floats(0.2, 3.0),
    rate=st.floats(0.0, 0.15),
    life=st.floats(2.0, 12.0),
)
def test_breakeven_is_where_costs_are_equal(price_e, mass_scale, rate, life):
    masses = {k: v * mass_scale for k, v in MASSES.items()}
    space = _space(mass_by_subsystem_kg=masses, wacc=rate, satellite_life_yr=life)
    ground = _ground(electricity_usd_per_kwh=price_e, wacc=rate)
    be = breakeven_launch_usd_per_kg(space, ground)
    g = float(ground_tco(ground).total_usd)
    if be.code == 0:
        at = space_tco(dataclasses.replace(space, launch_usd_per_kg=float(be.usd_per_kg)))
        assert float(at.total_usd) == pytest.approx(g, rel=1e-9)
        assert float(be.usd_per_kg) >= 0.0
    else:
        assert np.isnan(be.usd_per_kg) and be.code == 1
        free = space_tco(dataclasses.replace(space, launch_usd_per_kg=0.0))
        assert float(free.total_usd) > g


def test_breakeven_never_is_nan_with_flag():
    be = breakeven_launch_usd_per_kg(_space(), _ground(electricity_usd_per_kwh=0.0))
    assert np.isnan(be.usd_per_kg) and int(be.code) == 1
    assert "free launch" in be.meaning[1]


def test_breakeven_vectorised_and_accepts_a_total():
    ground = ground_tco(_ground())
    prices = np.array([0.05, 0.15, 0.30])
    vec = breakeven_launch_usd_per_kg(_space(), _ground(electricity_usd_per_kwh=prices))
    one = breakeven_launch_usd_per_kg(_space(), _ground(electricity_usd_per_kwh=0.30))
    assert vec.usd_per_kg.shape == (3,)
    assert float(vec.usd_per_kg[2]) == pytest.approx(float(one.usd_per_kg), rel=1e-12)
    by_total = breakeven_launch_usd_per_kg(_space(), float(ground.total_usd))
    by_result = breakeven_launch_usd_per_kg(_space(), ground)
    assert float(by_total.usd_per_kg) == pytest.approx(float(by_result.usd_per_kg), rel=1e-12)


def test_tornado_is_sorted_by_swing():
    t = tornado(_space(), _ground())
    assert list(t.swing) == sorted(t.swing, reverse=True)
    assert len(t.names) == len(default_tornado_ranges(_space(), _ground()))
    assert t.base_ratio == pytest.approx(float(cost_ratio(_space(), _ground())), rel=1e-12)
    i = t.names.index("space.launch_usd_per_kg")
    assert t.ratio_high[i] > t.ratio_low[i]  # dearer launch, dearer space
    j = t.names.index("ground.electricity_usd_per_kwh")
    assert t.ratio_high[j] < t.ratio_low[j]  # dearer power, cheaper space relative to ground


def test_tornado_matches_one_at_a_time_evaluation():
    ranges = {"ground.pue": (1.1, 1.5), "space.usd_per_kg.radiator": (500.0, 3000.0)}
    t = tornado(_space(), _ground(), ranges)
    i = t.names.index("ground.pue")
    direct = float(cost_ratio(_space(), _ground(pue=1.5)))
    assert t.ratio_high[i] == pytest.approx(direct, rel=1e-12)


def test_monte_carlo_reproducible_with_seed_and_ordered_percentiles():
    dists = {
        "space.launch_usd_per_kg": Distribution("lognormal", (300.0, 0.8)),
        "ground.pue": Distribution("triangular", (1.09, 1.25, 1.56)),
        "both.wacc": Distribution("uniform", (0.05, 0.12)),
        "space.mass_scale": Distribution("uniform", (0.7, 1.5)),
    }
    a = monte_carlo(_space(), _ground(), dists, n_samples=2000, seed=7)
    b = monte_carlo(_space(), _ground(), dists, n_samples=2000, seed=7)
    c = monte_carlo(_space(), _ground(), dists, n_samples=2000, seed=8)
    np.testing.assert_array_equal(a.ratio, b.ratio)
    assert not np.array_equal(a.ratio, c.ratio)
    assert a.p10 <= a.p50 <= a.p90
    assert a.ratio.shape == (2000,) and 0.0 <= a.probability_space_cheaper <= 1.0


def test_monte_carlo_sample_equals_direct_evaluation():
    dists = {"space.launch_usd_per_kg": Distribution("uniform", (100.0, 1000.0))}
    mc = monte_carlo(_space(), _ground(), dists, n_samples=5, seed=3)
    p = float(mc.samples["space.launch_usd_per_kg"][2])
    assert mc.ratio[2] == pytest.approx(
        float(cost_ratio(_space(launch_usd_per_kg=p), _ground())), rel=1e-12
    )


@pytest.mark.parametrize(
    ("kind", "params"),
    [("gaussian", (0.0, 1.0)), ("uniform", (2.0, 1.0)), ("triangular", (1, 3, 2)),
     ("lognormal", (-1.0, 0.5)), ("uniform", (1.0,))],
)  # fmt: skip
def test_bad_distributions_raise(kind, params):
    with pytest.raises(ValueError):
        Distribution(kind, params)


def test_unknown_input_name_raises():
    with pytest.raises(ValueError, match="allowed"):
        cost_ratio(_space(), _ground(), {"space.warp_factor": 9.0})
    with pytest.raises(ValueError, match="start with"):
        cost_ratio(_space(), _ground(), {"launch_usd_per_kg": 9.0})


def test_wright_law_twenty_percent_per_doubling_suncatcher():
    """Suncatcher's learning rate: each doubling of cumulative mass cuts the price by 20 %."""
    p = wright_price_usd_per_kg([1e6, 2e6, 4e6], 3600.0, 1e6, 0.20)
    np.testing.assert_allclose(p, [3600.0, 2880.0, 2304.0], rtol=1e-12)


def test_cumulative_mass_geometric_sum():
    m = cumulative_mass_kg([2025, 2026, 2027], 2025, 10.0, 2.0, 0.5)
    np.testing.assert_allclose(m, [10.0, 13.0, 17.5], rtol=1e-12)
    np.testing.assert_allclose(cumulative_mass_kg(2030, 2025, 1.0, 2.0, 0.0), 11.0)


def test_price_paths_hit_their_points_and_hold_flat():
    years = np.array([2020, 2025, 2030, 2035, 2040])
    p = projected_launch_price_usd_per_kg(years, "suncatcher-2035")
    np.testing.assert_allclose(p, [3600.0, 3600.0, np.sqrt(3600 * 200), 200.0, 200.0], rtol=1e-12)
    assert set(launch_price_models()) >= {"suncatcher", "suncatcher-2035", "starship-targets"}
    with pytest.raises(ValueError, match="allowed"):
        projected_launch_price_usd_per_kg(years, "warp-drive")
    with pytest.raises(ValueError):
        price_path_usd_per_kg(years, [2030, 2025], [1.0, 2.0])


def test_crossover_year_first_year_at_or_below_breakeven():
    years = np.arange(2025, 2036)
    price = projected_launch_price_usd_per_kg(years, "suncatcher-2035")
    assert float(crossover_year(years, 200.0, price)) == 2035.0
    assert np.isnan(crossover_year(years, 100.0, price))
    assert np.isnan(crossover_year(years, np.nan, price))
    both = crossover_year(years, np.array([4000.0, 500.0])[:, None], price)
    assert both[0] == 2025.0 and 2025.0 < both[1] < 2035.0


def test_first_year_space_cheaper_matches_breakeven_and_path():
    from skydc.economics.sensitivity import first_year_space_cheaper

    years = np.arange(2025, 2046)
    year, be, price = first_year_space_cheaper(_space(), _ground(), years, "suncatcher-2035")
    assert int(be.code) == 0
    assert price[years == year][0] <= be.usd_per_kg
    assert np.all(price[years < year] > be.usd_per_kg)
    never, _, _ = first_year_space_cheaper(_space(), _ground(electricity_usd_per_kwh=0.0), years)
    assert np.isnan(never)
