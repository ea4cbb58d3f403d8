"""Discounting, levelized cost and currency-year conversion.

References: Short, Packey & Holt (1995), NREL/TP-462-5173, ch. 4 (CRF, LCOE); BLS CPI-U annual
averages (costs.toml [cpi_u]).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skydc.economics.finance import (
    HOURS_PER_YEAR,
    annuity_factor,
    capital_recovery_factor,
    discount_factor,
    levelized_cost_usd_per_kwh,
    present_value_usd,
    refresh_counts,
    residual_fraction,
    summarize_cash_flows,
    to_currency_year,
    wacc,
)

rel_1e12 = 1e-12  # float round-off on sums of ~10 terms


def test_crf_textbook_value_nrel():
    """CRF(10 %, 10 yr) = 0.16275 (NREL/TP-462-5173 Table 4-1 style: r(1+r)^N/((1+r)^N-1))."""
    assert float(capital_recovery_factor(0.10, 10)) == pytest.approx(0.162745, abs=1e-6)


def test_crf_at_zero_rate_is_one_over_n():
    assert float(capital_recovery_factor(0.0, 8)) == pytest.approx(1 / 8, rel=rel_1e12)
    assert float(annuity_factor(1e-14, 8)) == pytest.approx(8.0, rel=1e-9)


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(r=st.floats(0.0, 0.5), n=st.integers(1, 40))
def test_annuity_factor_is_sum_of_discount_factors(r, n):
    total = float(np.sum(discount_factor(r, np.arange(1, n + 1))))
    assert float(annuity_factor(r, n)) == pytest.approx(total, rel=1e-9)


def test_present_value_broadcasts_over_rates():
    cf = np.array([100.0, 0.0, 121.0])
    pv = present_value_usd(cf, np.array([0.0, 0.10]))
    np.testing.assert_allclose(pv, [221.0, 200.0], rtol=rel_1e12)


def test_wacc_formula():
    # 60 % equity at 10 %, 40 % debt at 5 % with 25 % tax: 0.06 + 0.015 = 0.075
    assert float(wacc(0.6, 0.10, 0.05, 0.25)) == pytest.approx(0.075, rel=rel_1e12)


@pytest.mark.parametrize("bad", [-0.01, float("nan"), 1.5])
def test_negative_or_absurd_rates_raise(bad):
    with pytest.raises(ValueError, match="rate"):
        discount_factor(bad, 1.0)


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(
    r=st.floats(0.0, 0.3),
    n=st.integers(1, 30),
    capex=st.floats(0.0, 1e9),
    opex=st.floats(0.0, 1e8),
    energy=st.floats(1.0, 1e9),
)
def test_levelized_cost_consistent_with_total_over_energy(r, n, capex, opex, energy):
    flows = {
        "capex": np.where(np.arange(n + 1) == 0, capex, 0.0),
        "opex": np.where(np.arange(n + 1) >= 1, opex, 0.0),
    }
    res = summarize_cash_flows("x", flows, r, n, energy, 1.0)
    assert float(res.levelized_usd_per_kwh) == pytest.approx(
        float(res.total_usd / res.it_energy_kwh), rel=1e-9
    )
    assert float(res.levelized_usd_per_kwh) == pytest.approx(
        float(levelized_cost_usd_per_kwh(res.present_value_usd, energy, r, n)), rel=1e-9
    )
    # lines add up to the total; level end-of-year opex carries no cost of capital
    assert sum(float(v) for v in res.lines_usd.values()) == pytest.approx(
        float(res.total_usd), rel=1e-9, abs=1e-6
    )
    if capex == 0.0:
        assert float(res.lines_usd["cost_of_capital"]) == pytest.approx(0.0, abs=1e-6 * opex * n)


def test_zero_rate_total_is_plain_sum():
    flows = {"a": np.array([10.0, 1.0, 1.0, 1.0])}
    res = summarize_cash_flows("x", flows, 0.0, 3, 1.0, 1.0)
    assert float(res.total_usd) == pytest.approx(13.0, rel=rel_1e12)
    assert float(res.lines_usd["cost_of_capital"]) == pytest.approx(0.0, abs=1e-9)


def test_zero_year_period_raises():
    with pytest.raises(ValueError, match="period_yr"):
        summarize_cash_flows("x", {"a": np.zeros(1)}, 0.05, 0, 1.0, 1.0)


def test_refresh_counts_five_year_life_in_ten_years():
    """Fleet bought at 0, replaced at 5; the year-10 end of life is outside the period."""
    np.testing.assert_array_equal(refresh_counts(10, 5.0), [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0])
    np.testing.assert_array_equal(refresh_counts(10, 3.0).nonzero()[0], [3, 6, 9])
    assert float(refresh_counts(10, 20.0).sum()) == 0.0
    assert refresh_counts(10, np.array([5.0, 3.0])).sum(axis=-1).tolist() == [1.0, 3.0]


def test_residual_fraction_straight_line():
    assert float(residual_fraction(10, 5.0)) == 0.0
    assert float(residual_fraction(10, 20.0)) == pytest.approx(0.5)
    assert float(residual_fraction(10, 3.0)) == pytest.approx(2.0 / 3.0)


def test_cpi_u_inflation_bls_table():
    """2023 -> 2024 dollars: CPI-U 313.689 / 304.702 (BLS annual averages)."""
    assert float(to_currency_year(100.0, 2023)) == pytest.approx(100 * 313.689 / 304.702)
    assert float(to_currency_year(100.0, 2024)) == 100.0
    assert float(to_currency_year(100.0, 2026)) == 100.0
    with pytest.raises(ValueError, match="CPI-U"):
        to_currency_year(1.0, 1990)


def test_hours_per_year_is_julian():
    assert HOURS_PER_YEAR == 8766.0
