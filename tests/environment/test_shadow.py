"""Earth's shadow: eclipse times vs skyfield's is_sunlit, properties of the conical model."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest
from de421_skyfield import de421_kernel, timescale
from hypothesis import given, settings
from hypothesis import strategies as st
from sgp4.api import WGS72, Satrec
from skyfield.api import EarthSatellite
from skyfield.constants import ERAD

from skydc.constants import (
    EARTH_MEAN_RADIUS_M,
    EARTH_MU_M3_S2,
    EARTH_RADIUS_M,
    SECONDS_PER_DAY,
    SUN_RADIUS_M,
)
from skydc.environment.shadow import (
    beta_angle_rad,
    eclipse_events,
    eclipse_fraction_circular,
    sunlit_fraction,
)
from skydc.environment.sun import sun_direction_teme, sun_position_teme_m
from skydc.timescale import jd_utc_from_datetime

ten_seconds = 10.0
a_tenth_of_a_second = 0.1
one_au_m = 1.495978707e11
leo_radius_m = EARTH_RADIUS_M + 550e3


def _satrec(epoch: datetime, alt_m: float, inc_deg: float, raan_deg: float) -> Satrec:
    """A near-circular SGP4 satellite from mean elements (WGS-72, as TLEs are)."""
    a_m = EARTH_RADIUS_M + alt_m
    n_rad_min = np.sqrt(EARTH_MU_M3_S2 / a_m**3) * 60.0
    epoch_days = jd_utc_from_datetime(epoch) - 2433281.5  # days since 1949-12-31 00:00 UTC
    sat = Satrec()
    sat.sgp4init(
        WGS72, "i", 1, epoch_days, 0.0, 0.0, 0.0, 1e-4, np.deg2rad(90.0),
        np.deg2rad(inc_deg), 0.0, n_rad_min, np.deg2rad(raan_deg),
    )  # fmt: skip
    return sat


# name, epoch (different seasons), altitude [m], inclination [deg], RAAN [deg]. The SSO RAANs put
# the ascending node at 06:00 mean solar time (RAAN = mean Sun RA - 90 deg).
CASES = [
    ("iss_like_51.6deg_equinox", datetime(2024, 3, 20, tzinfo=UTC), 420e3, 51.64, 30.0),
    ("leo_550km_53deg_june_beta37", datetime(2024, 6, 21, tzinfo=UTC), 550e3, 53.0, 120.0),
    ("sso_650km_dawn_dusk_december", datetime(2024, 12, 21, tzinfo=UTC), 650e3, 98.01, 180.0),
    # start of the dawn-dusk eclipse season: beta -65 deg, 5-minute grazing eclipses
    ("sso_650km_dawn_dusk_season_edge", datetime(2024, 11, 8, tzinfo=UTC), 650e3, 98.01, 137.7),
    ("leo_550km_53deg_september", datetime(2031, 9, 23, tzinfo=UTC), 550e3, 53.0, 120.0),
]


def _skyfield_events(sat: Satrec, epoch: datetime, t_s: np.ndarray) -> tuple[np.ndarray, ...]:
    """Entry/exit times [s] from skyfield's is_sunlit, bisected to < 0.1 s."""
    ts, eph = timescale(), de421_kernel()
    esat = EarthSatellite.from_satrec(sat, ts)

    def sunlit(sec: np.ndarray) -> np.ndarray:
        t = ts.utc(epoch.year, epoch.month, epoch.day, 0, 0, sec)
        return np.asarray(esat.at(t).is_sunlit(eph))

    lit = sunlit(t_s)
    k = np.nonzero(lit[:-1] != lit[1:])[0]
    lo, hi = t_s[k].copy(), t_s[k + 1].copy()
    lit_lo = lit[k]
    while np.max(hi - lo) > a_tenth_of_a_second / 4:
        mid = 0.5 * (lo + hi)
        same = sunlit(mid) == lit_lo
        lo = np.where(same, mid, lo)
        hi = np.where(same, hi, mid)
    t_cross = 0.5 * (lo + hi)
    return t_cross[lit_lo], t_cross[~lit_lo]  # entries (lit -> dark), exits


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_eclipse_times_against_skyfield_is_sunlit(case: tuple) -> None:
    """Half-disc crossings of sunlit_fraction vs skyfield is_sunlit + DE421 (point Sun).

    Same sgp4 positions on both sides; skydc uses the skyfield Earth radius (ERAD) here so
    the geometry compares like with like; the Sun models differ (Meeus analytic vs DE421).
    """
    _, epoch, alt_m, inc_deg, raan_deg = case
    sat = _satrec(epoch, alt_m, inc_deg, raan_deg)
    step_s = 5.0
    t_s = np.arange(0.0, SECONDS_PER_DAY / 2, step_s)
    jd_utc = jd_utc_from_datetime(epoch) + t_s / SECONDS_PER_DAY
    err, r_km, _ = sat.sgp4_array(np.floor(jd_utc), jd_utc - np.floor(jd_utc))
    assert not err.any()
    r_sat_m = r_km.T * 1e3  # (3, n_time) TEME
    frac = sunlit_fraction(r_sat_m, sun_position_teme_m(jd_utc), earth_radius_m=ERAD)
    ours = eclipse_events(t_s, frac)

    sky_entry, sky_exit = _skyfield_events(sat, epoch, t_s)
    complete = np.isfinite(ours.t_entry_s)
    assert np.count_nonzero(complete) == sky_entry.size > 3
    complete = np.isfinite(ours.t_exit_s)
    assert np.count_nonzero(complete) == sky_exit.size
    d_entry = np.abs(ours.t_entry_s[np.isfinite(ours.t_entry_s)] - sky_entry)
    d_exit = np.abs(ours.t_exit_s[np.isfinite(ours.t_exit_s)] - sky_exit)
    worst = max(d_entry.max(), d_exit.max())
    print(f"{case[0]}: max |entry/exit - skyfield| = {worst:.2f} s over {sky_entry.size} eclipses")
    assert worst < ten_seconds


# --- properties of the conical model ------------------------------------------------------------

unit_vectors = st.tuples(st.floats(-1, 1), st.floats(-1, 1), st.floats(-1, 1)).filter(
    lambda v: 0.1 < np.linalg.norm(v)
)


@settings(max_examples=300, deadline=None)
@given(
    sat_dir=unit_vectors,
    sun_dir=unit_vectors,
    radius_m=st.floats(EARTH_MEAN_RADIUS_M + 150e3, 4.5e7),
    sun_dist_m=st.floats(0.98 * one_au_m, 1.02 * one_au_m),
)
def test_fraction_in_unit_interval_and_finite(sat_dir, sun_dir, radius_m, sun_dist_m) -> None:
    r_sat = np.asarray(sat_dir) / np.linalg.norm(sat_dir) * radius_m
    r_sun = np.asarray(sun_dir) / np.linalg.norm(sun_dir) * sun_dist_m
    f = sunlit_fraction(r_sat[:, None], r_sun[:, None])
    assert f.shape == (1,)
    assert np.isfinite(f).all()
    assert 0.0 <= f[0] <= 1.0


@settings(max_examples=100, deadline=None)
@given(sun_dir=unit_vectors, alt_m=st.floats(200e3, 2000e3))
def test_umbra_on_anti_sun_axis_and_full_sun_on_sunward_side(sun_dir, alt_m) -> None:
    u = np.asarray(sun_dir) / np.linalg.norm(sun_dir)
    r_sun = u * one_au_m
    radius = EARTH_MEAN_RADIUS_M + alt_m
    f = sunlit_fraction(np.stack([-u * radius, u * radius], axis=1), r_sun[:, None])
    np.testing.assert_array_equal(f, [0.0, 1.0])


def test_exact_axis_sun_direction_and_broadcasting() -> None:
    r_sun = sun_position_teme_m(2460300.5 + np.arange(4.0))  # (3, n_time)
    u = r_sun / np.linalg.norm(r_sun, axis=0)
    radii = np.array([6.6e6, 7.0e6, 4.2e7])[:, None]
    r_sat = np.concatenate([-u[:, None, :] * radii, u[:, None, :] * radii], axis=1)
    f = sunlit_fraction(r_sat, r_sun[:, None, :])
    assert f.shape == (6, 4)
    np.testing.assert_array_equal(f[:3], 0.0)
    np.testing.assert_array_equal(f[3:], 1.0)


def test_annular_far_behind_the_earth() -> None:
    """Beyond the umbra's apex (~1.38e9 m) the Earth is inside the solar disc: 1 - b^2/a^2."""
    u = np.array([1.0, 0.0, 0.0])
    r_sun = u * one_au_m
    r_sat = -u * 3.0e9
    f = sunlit_fraction(r_sat[:, None], r_sun[:, None])
    a = np.arcsin(SUN_RADIUS_M / (one_au_m + 3.0e9))
    b = np.arcsin(EARTH_MEAN_RADIUS_M / 3.0e9)
    np.testing.assert_allclose(f, 1.0 - (b / a) ** 2, rtol=1e-12)


def test_penumbra_lasts_about_ten_seconds_in_leo() -> None:
    """Equatorial 550 km orbit with the Sun in its plane: penumbra ~ 2 a_sun r / v ~ 8-10 s."""
    u = np.array([1.0, 0.0, 0.0])
    r_sun = u * one_au_m
    n = np.sqrt(EARTH_MU_M3_S2 / leo_radius_m**3)
    t = np.arange(0.0, 2 * np.pi / n, 0.05)
    r_sat = leo_radius_m * np.stack([np.cos(n * t), np.sin(n * t), np.zeros_like(t)])
    f = sunlit_fraction(r_sat, r_sun[:, None])
    partial_s = np.count_nonzero((f > 0) & (f < 1)) * 0.05 / 2  # two penumbra passes per orbit
    print(f"LEO penumbra passage: {partial_s:.1f} s")
    assert 5.0 < partial_s < 20.0


def test_bad_shapes_and_radii_raise() -> None:
    with pytest.raises(ValueError, match="component-first"):
        sunlit_fraction(np.zeros((4, 2)), np.ones((3, 1)))
    with pytest.raises(ValueError, match="positive"):
        sunlit_fraction(np.ones((3, 1)), np.ones((3, 1)), earth_radius_m=0.0)


# --- beta angle ----------------------------------------------------------------------------------


def test_beta_angle_geometry_and_broadcast() -> None:
    """Sun along the orbit normal -> +90 deg, in the plane -> 0; (n_sat,) x (3, n_time)."""
    raan, inc = np.deg2rad([0.0, 40.0, 300.0]), np.deg2rad([0.0, 53.0, 97.8])
    normal = np.stack(
        [np.sin(inc) * np.sin(raan), -np.sin(inc) * np.cos(raan), np.cos(inc)]
    )  # (3, n_sat)
    node = np.stack([np.cos(raan), np.sin(raan), np.zeros(3)])
    np.testing.assert_allclose(np.diag(beta_angle_rad(raan, inc, normal * 5.0)), np.pi / 2)
    np.testing.assert_allclose(np.diag(beta_angle_rad(raan, inc, node)), 0.0, atol=1e-15)
    sun = sun_direction_teme(2460000.5 + np.arange(10.0))
    beta = beta_angle_rad(raan, inc, sun)
    assert beta.shape == (3, 10)
    raan_t = raan[:, None] + np.zeros((1, 10))
    np.testing.assert_allclose(beta_angle_rad(raan_t, inc[:, None], sun), beta)


def test_beta_angle_against_orbit_normal_from_sgp4_state() -> None:
    """beta from elements vs the angle between the Sun and r x v of an sgp4 state vector."""
    epoch = datetime(2025, 1, 10, tzinfo=UTC)
    sat = _satrec(epoch, 550e3, 53.0, 123.0)
    jd = jd_utc_from_datetime(epoch)
    _, r, v = sat.sgp4(jd, 0.0)
    h = np.cross(r, v)
    s = sun_direction_teme(jd)
    beta_ref = np.arcsin(h @ s / np.linalg.norm(h))
    beta = beta_angle_rad(sat.nodeo, sat.inclo, s)
    # osculating (sgp4 state) vs mean elements differ by short-period J2 terms (< ~0.1 deg)
    assert abs(float(beta) - beta_ref) < np.deg2rad(0.1)


# --- events ---------------------------------------------------------------------------------------


def test_eclipse_events_interpolation_and_open_ends() -> None:
    t = np.arange(0.0, 100.0, 10.0)
    f = np.ones((3, t.size))
    f[0, 2:7] = [0.75, 0.0, 0.0, 0.0, 0.25]  # crossings at 20 + 10/3 and 60 + 10/3
    f[1, :2] = 0.0  # dark from the start, exit at 15
    f[1, 8:] = 0.0  # entry at 75, dark at the end
    ev = eclipse_events(t, f)
    np.testing.assert_array_equal(ev.sat_index, [0, 1, 1])
    np.testing.assert_allclose(ev.t_entry_s, [20.0 + 10.0 / 3.0, np.nan, 75.0])
    np.testing.assert_allclose(ev.t_exit_s, [60.0 + 10.0 / 3.0, 15.0, np.nan])
    np.testing.assert_allclose(ev.duration_s, [40.0, np.nan, np.nan])
    one = eclipse_events(t, f[0])
    np.testing.assert_array_equal(one.sat_index, [0])


def test_eclipse_events_bad_arguments() -> None:
    with pytest.raises(ValueError, match="increasing"):
        eclipse_events([0.0, 0.0, 1.0], np.ones(3))
    with pytest.raises(ValueError, match="threshold"):
        eclipse_events([0.0, 1.0], np.ones(2), threshold=0.0)
    with pytest.raises(ValueError, match="n_time"):
        eclipse_events([0.0, 1.0], np.ones((2, 3)))


# --- analytic eclipse fraction -------------------------------------------------------------------


def test_eclipse_fraction_circular_against_sampled_cylinder() -> None:
    """The closed form vs counting samples of a circular orbit inside the shadow cylinder."""
    a = EARTH_MEAN_RADIUS_M + np.array([400e3, 550e3, 1200e3, 8000e3])
    beta = np.deg2rad(np.array([0.0, 30.0, 55.0, 20.0]))
    theta = np.linspace(0.0, 2 * np.pi, 200_001)[:-1]
    # satellite in the orbit plane; Sun at elevation beta, azimuth 0 in that plane's frame
    x = np.cos(theta)[None, :] * a[:, None]
    y = np.sin(theta)[None, :] * a[:, None]
    s = np.stack([np.cos(beta), np.zeros(4), np.sin(beta)])  # (3, n)
    along = x * s[0][:, None]  # r . s (z of the satellite is 0)
    perp2 = x**2 + y**2 - along**2
    shadowed = (along < 0) & (perp2 < EARTH_MEAN_RADIUS_M**2)
    np.testing.assert_allclose(eclipse_fraction_circular(beta, a), shadowed.mean(axis=1), atol=2e-5)


def test_iss_longest_eclipse_about_36_minutes() -> None:
    """Public figure: ISS (~400 km) eclipse at beta = 0 is ~36 min of a ~92.6 min orbit."""
    a = EARTH_MEAN_RADIUS_M + 400e3
    period_min = 2 * np.pi * np.sqrt(a**3 / EARTH_MU_M3_S2) / 60.0
    minutes = float(eclipse_fraction_circular(0.0, a)) * period_min
    assert 35.0 < minutes < 37.0
    beta_star = np.arcsin(EARTH_MEAN_RADIUS_M / a)
    assert eclipse_fraction_circular(beta_star + 1e-9, a) == 0.0
    assert eclipse_fraction_circular(-beta_star + 1e-6, a) > 0.0
    with pytest.raises(ValueError, match="exceed"):
        eclipse_fraction_circular(0.0, 6.0e6)
