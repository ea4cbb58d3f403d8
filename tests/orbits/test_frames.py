"""Frames: GMST, TEME <-> ECEF and WGS-84 geodetic, against Vallado's worked example and
skyfield (an independent implementation: `skyfield.sgp4lib`, `skyfield.toposlib.wgs84`)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from skyfield.api import load, wgs84
from skyfield.sgp4lib import TEME_to_ITRF, theta_GMST1982
from skyfield.toposlib import ITRSPosition
from skyfield.units import Distance

from skydc.orbits.frames import (
    ecef_to_geodetic,
    ecef_to_teme,
    geodetic_to_ecef,
    gmst_rad,
    teme_to_ecef,
    teme_to_ecef_rv,
)

one_micro_degree_rad = np.radians(1e-6)
one_nanoradian = 1e-9
one_millimetre = 1e-3
a_fifth_arcsec_rad = np.radians(0.2 / 3600.0)
one_mm_per_s = 1e-3
ts = load.timescale(builtin=True)


def test_gmst_vallado_example_3_5() -> None:
    """Vallado (2013), Example 3-5: 1992 Aug 20, 12:14 UT1 -> GMST = 152.578788 deg."""
    jd_ut1 = 2448854.5 + (12.0 + 14.0 / 60.0) / 24.0
    assert abs(np.degrees(gmst_rad(jd_ut1)) - 152.578788) < 1e-6


def test_gmst_against_skyfield_theta_gmst1982() -> None:
    """skyfield's own IAU-82 GMST (the one it uses for TEME), 1960-2080."""
    jd = np.linspace(2437000.5, 2480000.5, 4001) + 0.123456
    theta_sf, _ = theta_GMST1982(jd)
    diff = np.angle(np.exp(1j * (gmst_rad(jd) - theta_sf)))
    assert np.abs(diff).max() < one_nanoradian


def test_gmst_against_skyfield_iau2006_gmst() -> None:
    """skyfield's ``Time.gmst`` is the IAU 2006 (ERA-based) GMST; IAU-82 agrees to < 0.2 arcsec
    over 1990-2060 (measured 0.15 arcsec by 2060: the two differ in the precession model)."""
    jd = np.linspace(2447892.5, 2473459.5, 501) + 0.37
    gmst_sf = np.radians(ts.ut1_jd(jd).gmst * 15.0)
    diff = np.angle(np.exp(1j * (gmst_rad(jd) - gmst_sf)))
    assert np.abs(diff).max() < a_fifth_arcsec_rad


def test_teme_to_ecef_against_skyfield_teme_to_itrf() -> None:
    """Position and velocity against skyfield.sgp4lib.TEME_to_ITRF (polar motion 0)."""
    rng = np.random.default_rng(4)
    jd = 2460676.5 + np.linspace(0.0, 2.0, 7)
    r = rng.normal(0.0, 7000e3, (3, 5, jd.size))
    v = rng.normal(0.0, 7e3, (3, 5, jd.size))
    r_ecef, v_ecef = teme_to_ecef_rv(r, v, jd)
    np.testing.assert_array_equal(r_ecef, teme_to_ecef(r, jd))
    for k in range(5):
        # skyfield takes km and km/day here
        r_sf, v_sf = TEME_to_ITRF(jd, r[:, k] / 1e3, v[:, k] / 1e3 * 86400.0)
        assert np.abs(r_ecef[:, k] - r_sf * 1e3).max() < one_millimetre
        # skyfield's Earth rate is d(GMST82)/dt = 7.29211586e-5 rad/s, skydc's the IERS
        # 7.292115e-5: 9e-12 rad/s times |r| < 30,000 km -> < 3e-4 m/s
        assert np.abs(v_ecef[:, k] - v_sf * 1e3 / 86400.0).max() < one_mm_per_s


def test_teme_ecef_round_trip_and_broadcasting() -> None:
    rng = np.random.default_rng(5)
    r = rng.normal(0.0, 7000e3, (3, 4, 6))
    jd = 2460000.5 + np.arange(6) / 7.0
    back = ecef_to_teme(teme_to_ecef(r, jd), jd)
    assert np.abs(back - r).max() < one_millimetre
    np.testing.assert_array_equal(teme_to_ecef(r, jd)[2], r[2])  # rotation about z
    assert teme_to_ecef(r[:, 0, 0], 2460000.5).shape == (3,)
    with pytest.raises(ValueError, match="component-first"):
        teme_to_ecef(np.zeros((4, 3)), 2460000.5)


def test_geodetic_to_ecef_against_skyfield_wgs84_latlon() -> None:
    rng = np.random.default_rng(6)
    lat = rng.uniform(-90.0, 90.0, 50)
    lon = rng.uniform(-180.0, 180.0, 50)
    alt = rng.uniform(-400.0, 2e6, 50)
    r = geodetic_to_ecef(np.radians(lat), np.radians(lon), alt)
    ref = wgs84.latlon(lat, lon, elevation_m=alt).itrs_xyz.m
    assert np.abs(r - ref).max() < one_millimetre


def test_ecef_to_geodetic_against_skyfield_wgs84() -> None:
    """Random points from the ground to beyond GEO, skyfield's iterative WGS-84 inversion."""
    rng = np.random.default_rng(7)
    xyz = rng.normal(0.0, 1.0, (3, 40))
    xyz *= rng.uniform(6.36e6, 5e7, 40) / np.linalg.norm(xyz, axis=0)
    lat, lon, alt = ecef_to_geodetic(xyz)
    t = ts.utc(2025, 1, 1)
    ref = wgs84.geographic_position_of(ITRSPosition(Distance(m=xyz)).at(t))
    assert np.abs(lat - ref.latitude.radians).max() < one_micro_degree_rad
    assert np.abs(np.angle(np.exp(1j * (lon - ref.longitude.radians)))).max() < 1e-12
    assert np.abs(alt - ref.elevation.m).max() < one_millimetre


@settings(derandomize=True, database=None, max_examples=300)
@given(
    lat_deg=st.floats(-90.0, 90.0),
    lon_deg=st.floats(-180.0, 180.0),
    alt_m=st.floats(-1e4, 4.5e7),
)
def test_geodetic_round_trip(lat_deg: float, lon_deg: float, alt_m: float) -> None:
    lat, lon = np.radians(lat_deg), np.radians(lon_deg)
    lat2, lon2, alt2 = ecef_to_geodetic(geodetic_to_ecef(lat, lon, alt_m))
    assert abs(lat2 - lat) < one_nanoradian
    assert abs(alt2 - alt_m) < one_millimetre
    if abs(lat_deg) < 89.9999:  # longitude is undefined on the pole
        assert abs(np.angle(np.exp(1j * (lon2 - lon)))) < one_nanoradian


def test_ecef_to_geodetic_poles_and_equator() -> None:
    from skydc.constants import WGS84_EQUATORIAL_RADIUS_M, WGS84_FLATTENING

    polar_radius = WGS84_EQUATORIAL_RADIUS_M * (1.0 - WGS84_FLATTENING)
    r = np.array(
        [[0.0, 0.0, WGS84_EQUATORIAL_RADIUS_M + 500e3], [0.0, 0.0, 0.0], [polar_radius + 1e3,
         -(polar_radius + 2e3), 0.0]]
    )  # fmt: skip
    lat, lon, alt = ecef_to_geodetic(r)
    np.testing.assert_allclose(np.degrees(lat), [90.0, -90.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(alt, [1e3, 2e3, 500e3], atol=one_millimetre)
    assert lon.shape == (3,)
