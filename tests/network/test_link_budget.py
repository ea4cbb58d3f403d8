"""Free-space optical link budget (skydc.network.link_budget)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skydc.network import link_budget as lb
from skydc.network.terminals import get_terminal

hundredth_db = 0.01
one_photon = 1.0
relative_1e9 = 1e-9
one_km = 1e3


def test_isl_worked_example_majumdar_ricklin_style_budget() -> None:
    """A public ISL budget worked with the Friis chain (henrique-muon/henrique-sandbox,
    'Optical ISL link budget', after Majumdar & Ricklin 2008, Free-Space Laser Communications):
    1550 nm, 7,000 km, 33 dBm, 10 cm apertures of efficiency 0.5, 3 dB optics loss at each end,
    10 Gbps: received -41.83 dBm, 51 photons per bit."""
    gain = lb.aperture_gain(0.10, 1550e-9, 0.5)
    p_rx = lb.friis_received_power_w(
        10 ** (33 / 10) * 1e-3, gain, gain, 7000 * one_km, 1550e-9, losses=10 ** (-6 / 10)
    )
    assert float(lb.to_db(p_rx * 1e3)) == pytest.approx(-41.827, abs=hundredth_db)
    photons = p_rx / (lb.photon_energy_j(1550e-9) * 10e9)
    assert float(photons) == pytest.approx(51.0, abs=one_photon)


def test_edrs_leo_geo_link_closes_only_with_coherent_sensitivity() -> None:
    """EDRS LCT (Zech et al. 2015, Proc. SPIE 9354, 'LCT for the European Data Relay System'):
    2.2 W at 1064 nm through 135 mm telescopes, LEO to GEO up to 45,000 km, 2.8125 Gbps channel
    (1.8 Gbps user data) with homodyne BPSK. With a coherent receiver (tens of photons per bit,
    Caplan 2007) the budget closes with a few dB to spare; with an unamplified direct-detection
    receiver (~1,000 photons per bit) it would not."""
    kw = {
        "tx_power_w": 2.2,
        "tx_aperture_m": 0.135,
        "rx_aperture_m": 0.135,
        "wavelength_m": 1064e-9,
        "max_rate_bps": 1e12,
        "optics_efficiency": 0.5,
        "jitter_rad": 1e-6,
    }
    channel_bps = 2.8125e9
    coherent = float(lb.achievable_rate_bps(45000 * one_km, photons_per_bit=40.0, **kw))
    margin_db = 10 * math.log10(coherent / channel_bps)
    assert 2.0 < margin_db < 10.0
    direct = float(lb.achievable_rate_bps(45000 * one_km, photons_per_bit=1000.0, **kw))
    assert direct < channel_bps


def test_suncatcher_needs_km_scale_separations_for_dwdm_rates() -> None:
    """Project Suncatcher (arXiv:2511.19468): commercial DWDM transceivers need received power
    'thousands of times' that of long-range links, so the satellites fly 'km or less' apart.
    With the catalog's Suncatcher terminal: full 9.6 Tbps across a 2 km cluster, nothing like it
    at Starlink-like ranges; the power needed per link is >1,000x a Starlink-class link's."""
    sun = get_terminal("suncatcher-dwdm", rate_model="link-budget")
    starlink = get_terminal("starlink-class")
    rate = sun.budget_rate_bps(np.array([100.0, 200.0, 2 * one_km, 100 * one_km, 5400 * one_km]))
    assert rate[0] == rate[1] == rate[2] == pytest.approx(9.6e12)
    assert rate[3] < 0.1 * 9.6e12 and rate[4] == 0.0
    need_sun = sun.data_rate_bps * sun.photons_per_bit
    need_starlink = starlink.data_rate_bps * starlink.photons_per_bit
    assert need_sun / need_starlink > 1000.0
    reach = lb.link_range_m(
        sun.data_rate_bps,
        tx_power_w=sun.tx_power_w,
        tx_aperture_m=sun.aperture_m,
        rx_aperture_m=sun.aperture_m,
        wavelength_m=sun.wavelength_m,
        photons_per_bit=sun.photons_per_bit,
        optics_efficiency=sun.optics_efficiency,
        jitter_rad=sun.pointing_jitter_rad,
        bias_rad=sun.pointing_bias_rad,
    )
    assert 2 * one_km < float(reach) < 50 * one_km


def test_gaussian_beam_tends_to_friis_in_the_far_field() -> None:
    """Far field: capture fraction = G_t G_r (lambda / 4 pi d)^2 with G_t the Klein-Degnan gain."""
    w0 = lb.equivalent_waist_m(0.10)
    d = np.array([1e5, 1e6, 1e7])
    capture = lb.geometric_capture_fraction(d, w0, 0.10, 1550e-9)
    friis = (
        lb.aperture_gain(0.10, 1550e-9, 0.8145)
        * lb.aperture_gain(0.10, 1550e-9)
        * lb.free_space_path_loss(d, 1550e-9)
    )
    np.testing.assert_allclose(capture, friis, rtol=2e-3)
    # the divergence of the equivalent beam gives the same far-field gain: 8 / theta^2
    theta = lb.divergence_rad(w0, 1550e-9)
    assert 8.0 / float(theta) ** 2 == pytest.approx(
        float(lb.aperture_gain(0.10, 1550e-9, 0.8145)), rel=relative_1e9
    )


def test_near_field_never_collects_more_than_was_sent() -> None:
    w0 = lb.equivalent_waist_m(0.10)
    capture = lb.geometric_capture_fraction(np.array([0.0, 10.0, 100.0]), w0, 0.10, 1550e-9)
    assert np.all(capture <= 1.0) and np.all(capture > 0.98)
    friis_100m = lb.aperture_gain(0.10, 1550e-9) ** 2 * lb.free_space_path_loss(100.0, 1550e-9)
    assert friis_100m > 100.0  # the far-field formula is meaningless this close


def test_pointing_loss_matches_its_limits() -> None:
    """No error: no loss; bias only: exp(-2 (b/theta)^2); jitter only: 1/(1 + 4 (s/theta)^2)."""
    w0 = lb.equivalent_waist_m(0.08)
    theta = float(lb.divergence_rad(w0, 1550e-9))
    far = 1e8
    assert float(lb.pointing_loss(far, w0, 1550e-9)) == 1.0
    bias = float(lb.pointing_loss(far, w0, 1550e-9, bias_rad=0.5 * theta))
    assert bias == pytest.approx(math.exp(-0.5), rel=1e-6)
    jitter = float(lb.pointing_loss(far, w0, 1550e-9, jitter_rad=0.5 * theta))
    assert jitter == pytest.approx(0.5, rel=1e-6)


def test_rate_from_power_counts_photons() -> None:
    p = 1e-6
    rate = float(lb.rate_from_power_bps(p, 1550e-9, 100.0))
    assert rate == pytest.approx(p / (100.0 * 6.62607015e-34 * 299792458.0 / 1550e-9))


def test_link_range_inverts_the_budget() -> None:
    kw = {
        "tx_power_w": 1.0,
        "tx_aperture_m": 0.08,
        "rx_aperture_m": 0.08,
        "wavelength_m": 1550e-9,
        "photons_per_bit": 100.0,
        "optics_efficiency": 0.5,
        "jitter_rad": 1e-6,
    }
    rates = np.array([1e9, 10e9, 100e9])
    reach = lb.link_range_m(rates, **kw)
    back = lb.achievable_rate_bps(reach, max_rate_bps=1e15, **kw)
    np.testing.assert_allclose(back, rates, rtol=1e-6)
    assert float(lb.link_range_m(1e18, **kw)) == 0.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"tx_power_w": -1.0}, "tx_power_w"),
        ({"wavelength_m": 0.0}, "wavelength_m"),
        ({"optics_efficiency": 1.5}, "optics_efficiency"),
        ({"photons_per_bit": 0.0}, "photons_per_bit"),
    ],
)
def test_bad_arguments_raise_value_error(kwargs: dict[str, float], message: str) -> None:
    base = {
        "tx_power_w": 1.0,
        "tx_aperture_m": 0.1,
        "rx_aperture_m": 0.1,
        "wavelength_m": 1550e-9,
        "photons_per_bit": 100.0,
        "max_rate_bps": 1e10,
        "optics_efficiency": 0.5,
    }
    with pytest.raises(ValueError, match=message):
        lb.achievable_rate_bps(1e6, **{**base, **kwargs})


def test_nan_distance_gives_nan_rate() -> None:
    rate = lb.achievable_rate_bps(
        np.array([np.nan, -5.0, 1e3]),
        tx_power_w=1.0,
        tx_aperture_m=0.1,
        rx_aperture_m=0.1,
        wavelength_m=1550e-9,
        photons_per_bit=100.0,
        max_rate_bps=1e10,
    )
    assert np.isnan(rate[0]) and np.isnan(rate[1]) and rate[2] == 1e10


@settings(max_examples=80, deadline=None, derandomize=True, database=None)
@given(
    d=st.lists(st.floats(0.0, 1e8, allow_nan=False), min_size=2, max_size=40),
    power=st.floats(1e-3, 20.0),
    aperture=st.floats(0.01, 0.5),
    jitter=st.floats(0.0, 1e-5),
    bias=st.floats(0.0, 1e-5),
    ppb=st.floats(1.0, 1e4),
    step=st.sampled_from([0.0, 1e9, 400e9]),
)
def test_rate_is_monotone_non_increasing_finite_and_capped(
    d: list[float],
    power: float,
    aperture: float,
    jitter: float,
    bias: float,
    ppb: float,
    step: float,
) -> None:
    dist = np.sort(np.asarray(d))
    cap = 9.6e12
    rate = lb.achievable_rate_bps(
        dist,
        tx_power_w=power,
        tx_aperture_m=aperture,
        rx_aperture_m=aperture,
        wavelength_m=1550e-9,
        photons_per_bit=ppb,
        max_rate_bps=cap,
        rate_step_bps=step,
        optics_efficiency=0.5,
        jitter_rad=jitter,
        bias_rad=bias,
    )
    assert np.all(np.isfinite(rate))
    assert np.all((rate >= 0) & (rate <= cap))
    assert np.all(np.diff(rate) <= 0)
