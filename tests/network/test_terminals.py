"""Laser-terminal catalog and capacity models (skydc.network.terminals)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skydc.network import link_budget as lb
from skydc.network.terminals import RATE_MODELS, LaserTerminal, get_terminal, load_terminals

REQUIRED = ("starlink-class", "tesat-scot80", "mynaric-condor-mk3", "suncatcher-dwdm")
one_bps = 1.0
one_km = 1e3
one_percent = 0.01


def test_catalog_has_the_required_entries() -> None:
    catalog = load_terminals()
    for name in REQUIRED:
        assert name in catalog
        assert catalog[name].name == name


@pytest.mark.parametrize("name", sorted(load_terminals()))
def test_entries_have_source_year_and_positive_numbers(name: str) -> None:
    t = load_terminals()[name]
    assert t.source.strip() and t.vendor.strip()
    assert 2015 <= t.year <= 2030
    for value in (t.max_range_m, t.data_rate_bps, t.mass_kg, t.power_w, t.aperture_m):
        assert value > 0
    assert 800e-9 <= t.wavelength_m <= 1600e-9
    assert 0 < t.optics_efficiency <= 1
    assert set(t.estimated) <= set(LaserTerminal.__dataclass_fields__)
    assert t.rate_model == "rated"


def test_published_figures_match_public_sources() -> None:
    """Figures from the sources in the catalog (public-figures.md)."""
    starlink = get_terminal("starlink-class")
    assert starlink.data_rate_bps == 100e9 and starlink.max_range_m == 5400 * one_km
    assert starlink.terminals_per_satellite == 3
    scot80 = get_terminal("tesat-scot80")
    assert scot80.data_rate_bps == 10e9 and scot80.max_range_m == 8000 * one_km
    assert scot80.mass_kg == 11.9 and scot80.aperture_m == 0.08
    condor = get_terminal("mynaric-condor-mk3")
    assert condor.min_data_rate_bps == 2.5e9 and condor.data_rate_bps == 100e9
    assert condor.max_range_m == 6500 * one_km
    sun = get_terminal("suncatcher-dwdm")
    assert sun.channels == 24 and sun.channel_rate_bps == pytest.approx(400e9)
    assert sun.data_rate_bps == pytest.approx(9.6e12)
    assert sun.aperture_m == 0.10 and sun.wavelength_m == 1550e-9


def test_unknown_terminal_lists_the_valid_names() -> None:
    with pytest.raises(ValueError, match=r"allowed: .*starlink-class.*tesat-scot80"):
        get_terminal("laser-9000")


def test_unknown_rate_model_lists_the_valid_models() -> None:
    with pytest.raises(ValueError, match="rated, link-budget"):
        get_terminal("tesat-scot80", rate_model="shannon")


def test_rated_capacity_is_the_rated_rate_within_range_and_zero_beyond() -> None:
    t = get_terminal("tesat-scot80")
    d = np.array([[0.0, 100.0, 8000 * one_km], [8000 * one_km + 1.0, np.nan, -1.0]])
    cap = t.capacity_bps(d)
    assert cap.shape == d.shape
    np.testing.assert_array_equal(cap, [[10e9, 10e9, 10e9], [0.0, 0.0, 0.0]])
    assert t.capacity_bps(5e6).shape == ()


def test_capacity_with_a_peer_takes_the_weaker_terminal() -> None:
    starlink, scot80 = get_terminal("starlink-class"), get_terminal("tesat-scot80")
    d = np.array([1000 * one_km, 6000 * one_km])
    # rate of the slower terminal, range of the shorter one
    np.testing.assert_array_equal(starlink.capacity_bps(d, peer=scot80), [10e9, 0.0])


@pytest.mark.parametrize("name", REQUIRED)
def test_link_budget_closes_the_rated_rate_at_the_rated_range(name: str) -> None:
    """The estimated budget parameters are calibrated to the published rate and range."""
    t = get_terminal(name, rate_model="link-budget")
    at_range = float(t.capacity_bps(t.max_range_m))
    if t.min_data_rate_bps > 0:  # rate-adaptive: the slowest rate reaches the rated range
        assert at_range >= t.min_data_rate_bps
    else:
        assert at_range == pytest.approx(t.data_rate_bps)
    assert float(t.capacity_bps(1.001 * t.max_range_m)) == 0.0
    reach = lb.link_range_m(
        t.min_data_rate_bps or t.data_rate_bps,
        tx_power_w=t.tx_power_w,
        tx_aperture_m=t.aperture_m,
        rx_aperture_m=t.aperture_m,
        wavelength_m=t.wavelength_m,
        photons_per_bit=t.photons_per_bit,
        optics_efficiency=t.optics_efficiency,
        jitter_rad=t.pointing_jitter_rad,
        bias_rad=t.pointing_bias_rad,
    )
    margin_db = 20 * math.log10(float(reach) / t.max_range_m)  # far field: P ~ 1/d^2
    assert 0.0 <= margin_db <= 6.0


def test_condor_link_budget_adapts_rate_with_range() -> None:
    t = get_terminal("mynaric-condor-mk3", rate_model="link-budget")
    d = np.array([100.0, 1000.0, 3000.0, 6500.0]) * one_km
    rate = t.capacity_bps(d)
    assert rate[0] == 100e9
    assert 2.5e9 <= rate[-1] < 10e9
    assert np.all(np.diff(rate) <= 0)


def test_suncatcher_dwdm_rate_comes_in_whole_channels() -> None:
    t = get_terminal("suncatcher-dwdm", rate_model="link-budget")
    rate = t.budget_rate_bps(np.geomspace(1e3, 1e6, 50))
    channels = rate / t.channel_rate_bps
    np.testing.assert_allclose(channels, np.round(channels), atol=1e-9)
    assert rate[0] == pytest.approx(9.6e12) and rate[-1] == 0.0


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(
    name=st.sampled_from(REQUIRED),
    model=st.sampled_from(RATE_MODELS),
    d=st.lists(st.floats(0.0, 2e7, allow_nan=False), min_size=2, max_size=30),
)
def test_capacity_is_monotone_bounded_and_finite(name: str, model: str, d: list[float]) -> None:
    t = get_terminal(name, rate_model=model)
    dist = np.sort(np.asarray(d))
    cap = t.capacity_bps(dist)
    assert np.all(np.isfinite(cap))
    assert np.all((cap >= 0) & (cap <= t.data_rate_bps + one_bps))
    assert np.all(np.diff(cap) <= one_bps)
