"""The analytic Sun (skydc.environment.sun) against skyfield + JPL DE421."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from de421_skyfield import de421_kernel, timescale
from skyfield.sgp4lib import TEME

from skydc.environment.sun import (
    sun_declination_rad,
    sun_direction_teme,
    sun_position_teme_m,
    sun_right_ascension_rad,
)
from skydc.timescale import jd_utc_from_datetime

REFERENCE_CSV = Path(__file__).parent / "data" / "sun_de421_teme.csv"

one_hundredth_degree = np.deg2rad(0.01)  # the requirement: "Sun direction within 0.01 deg"
two_arcsec = np.deg2rad(2.0 / 3600.0)  # what the model achieves (~0.7"), with margin
one_thousand_km = 1.0e6  # distance: truncated VSOP87 R plus light-time, ~350 km measured
one_minute_of_sun_motion = np.deg2rad(0.001)  # the Sun's declination moves ~0.0003 deg/min


def _angle_rad(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    u = u / np.linalg.norm(u, axis=0)
    v = v / np.linalg.norm(v, axis=0)
    return np.arctan2(np.linalg.norm(np.cross(u, v, axis=0), axis=0), np.sum(u * v, axis=0))


def _skyfield_apparent_sun_teme_m(when: list[datetime]) -> np.ndarray:
    t = timescale().from_datetimes(when)
    eph = de421_kernel()
    apparent = eph["earth"].at(t).observe(eph["sun"]).apparent(deflectors=())
    return apparent.frame_xyz(TEME).m


def test_sun_direction_against_skyfield_de421() -> None:
    """Apparent Sun in TEME vs skyfield + DE421 (live), seasons 1990-2060 and random 1950-2100."""
    when = [
        datetime(year, month, 21, hour, tzinfo=UTC)
        for year in range(1990, 2061, 2)
        for month in (3, 6, 9, 12)
        for hour in (0, 12)
    ]
    rng = np.random.default_rng(7)
    start = datetime(1950, 1, 1, tzinfo=UTC)
    span_s = (datetime(2100, 1, 1, tzinfo=UTC) - start).total_seconds()
    when += [start + timedelta(seconds=float(s)) for s in rng.uniform(0.0, span_s, 1500)]
    jd = np.array([jd_utc_from_datetime(w) for w in when])

    reference = _skyfield_apparent_sun_teme_m(when)
    ours = sun_position_teme_m(jd)

    error = _angle_rad(ours, reference)
    print(f"max Sun direction error vs skyfield+DE421: {np.rad2deg(error.max()) * 3600:.2f} arcsec")
    assert error.max() < one_hundredth_degree
    assert error.max() < two_arcsec
    distance_error = np.abs(np.linalg.norm(ours, axis=0) - np.linalg.norm(reference, axis=0))
    assert distance_error.max() < one_thousand_km


def _read_reference() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lines = REFERENCE_CSV.read_text().splitlines()
    rows = list(csv.reader(line for line in lines if not line.startswith("#")))
    header, body = rows[0], rows[1:]
    assert header == ["utc_iso", "ux", "uy", "uz", "distance_m"]
    jd = np.array([jd_utc_from_datetime(datetime.fromisoformat(r[0])) for r in body])
    unit = np.array([[float(x) for x in r[1:4]] for r in body]).T
    dist = np.array([float(r[4]) for r in body])
    return jd, unit, dist


def test_sun_direction_against_committed_skyfield_de421_reference() -> None:
    """The same comparison pinned in data/sun_de421_teme.csv (scripts/make_sun_reference.py)."""
    jd, unit, dist = _read_reference()
    assert unit.shape[1] > 400
    ours = sun_position_teme_m(jd)
    error = _angle_rad(ours, unit)
    assert error.max() < one_hundredth_degree
    assert error.max() < two_arcsec
    assert np.abs(np.linalg.norm(ours, axis=0) - dist).max() < one_thousand_km


def test_march_equinox_2024_against_usno() -> None:
    """USNO "Earth's Seasons" 2024: March equinox 2024-03-20 03:06 UTC, Sun declination ~0."""
    jd = jd_utc_from_datetime(datetime(2024, 3, 20, 3, 6, tzinfo=UTC))
    assert abs(float(sun_declination_rad(jd))) < one_minute_of_sun_motion


def test_shapes_and_helpers_agree() -> None:
    jd0 = 2460000.25
    assert sun_direction_teme(jd0).shape == (3,)
    grid = jd0 + np.arange(6.0).reshape(2, 3) * 40.0
    u = sun_direction_teme(grid)
    assert u.shape == (3, 2, 3)
    np.testing.assert_allclose(np.linalg.norm(u, axis=0), 1.0, rtol=0, atol=1e-15)
    r = sun_position_teme_m(grid)
    np.testing.assert_allclose(r / np.linalg.norm(r, axis=0), u, atol=1e-15)
    ra, dec = sun_right_ascension_rad(grid), sun_declination_rad(grid)
    assert np.all((ra >= 0) & (ra < 2 * np.pi))
    rebuilt = np.stack([np.cos(dec) * np.cos(ra), np.cos(dec) * np.sin(ra), np.sin(dec)])
    np.testing.assert_allclose(rebuilt, u, atol=1e-12)


def test_long_time_grid_is_chunked_consistently() -> None:
    """Evaluating a grid longer than one chunk gives the same values as point by point."""
    jd = 2451545.0 + np.linspace(0.0, 3650.0, 9001)
    u = sun_direction_teme(jd)
    picks = np.array([0, 4095, 4096, 8191, 8192, 9000])
    np.testing.assert_allclose(u[:, picks], sun_direction_teme(jd[picks]), atol=1e-15)


@pytest.mark.parametrize("bad", [np.nan])
def test_nan_time_gives_nan(bad: float) -> None:
    assert np.all(np.isnan(sun_direction_teme(bad)))
