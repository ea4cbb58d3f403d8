"""Eclipse seasons of circular orbits: dawn-dusk SSO, equatorial LEO, threshold altitude."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest
from sgp4.api import WGS72, Satrec

from skydc.constants import (
    EARTH_MU_M3_S2,
    EARTH_RADIUS_M,
    JD_J2000,
    SECONDS_PER_DAY,
    SSO_RAAN_RATE_RAD_S,
)
from skydc.environment.seasons import eclipse_seasons
from skydc.environment.shadow import eclipse_events, sunlit_fraction
from skydc.environment.sun import sun_position_teme_m
from skydc.orbits.j2 import secular_rates
from skydc.timescale import jd_utc_from_datetime

EPOCH = jd_utc_from_datetime(datetime(2025, 3, 20, tzinfo=UTC))
DECEMBER_SOLSTICE_2025 = jd_utc_from_datetime(datetime(2025, 12, 21, 15, 3, tzinfo=UTC))  # USNO
JUNE_SOLSTICE_2025 = jd_utc_from_datetime(datetime(2025, 6, 21, 2, 42, tzinfo=UTC))  # USNO
two_weeks = 14.0
one_minute = 60.0


def _sso_inclination_rad(a_m: np.ndarray) -> np.ndarray:
    """Inclination whose SGP4 secular nodal rate is one turn per tropical year."""
    cos_i = np.full_like(a_m, -0.1)
    for _ in range(30):
        raan_dot, _, _ = secular_rates(a_m, 0.0, np.arccos(cos_i))
        cos_i = cos_i * SSO_RAAN_RATE_RAD_S / raan_dot
    return np.arccos(cos_i)


def _raan_for_ltan_rad(jd_utc: float, ltan_h: float) -> float:
    """RAAN putting the ascending node at local mean solar time ``ltan_h``.

    Right ascension of the mean Sun = its mean longitude, 280.460 + 0.9856474 d deg
    (Astronomical Almanac, low-precision Sun, Sec. C).
    """
    mean_sun_ra_deg = 280.460 + 0.9856474 * (jd_utc - JD_J2000)
    return float(np.deg2rad(mean_sun_ra_deg + 15.0 * (ltan_h - 12.0)) % (2 * np.pi))


def _dawn_dusk(alt_m: np.ndarray, ltan_h: float = 6.0):
    a = EARTH_RADIUS_M + np.atleast_1d(np.asarray(alt_m, dtype=float))
    return a, _sso_inclination_rad(a), np.full(a.shape, _raan_for_ltan_rad(EPOCH, ltan_h))


@pytest.mark.parametrize(
    ("ltan_h", "solstice"), [(6.0, DECEMBER_SOLSTICE_2025), (18.0, JUNE_SOLSTICE_2025)]
)
def test_dawn_dusk_sso_650km_has_a_season_around_a_solstice(ltan_h, solstice) -> None:
    """Dawn-dusk SSO at 650 km: eclipses for some weeks centred on one solstice only."""
    a, inc, raan = _dawn_dusk(650e3, ltan_h)
    seasons = eclipse_seasons(a, inc, raan, EPOCH)
    days = seasons.day_offsets[seasons.eclipse_s[0] > 0]
    centre = EPOCH + 0.5 * (days.min() + days.max())
    print(
        f"650 km dawn-dusk SSO (LTAN {ltan_h:g} h): {seasons.days_with_eclipse[0]:.0f} days/yr, "
        f"longest {seasons.longest_eclipse_s[0] / 60:.1f} min"
    )
    assert abs(centre - solstice) < two_weeks
    assert days.max() - days.min() + 1 == days.size  # one contiguous season
    assert 6 * 7 <= seasons.days_with_eclipse[0] <= 16 * 7
    assert 15 * one_minute < seasons.longest_eclipse_s[0] < 25 * one_minute


def test_dawn_dusk_sso_eclipse_free_threshold_altitude() -> None:
    """With a cylindrical shadow of the mean Earth radius, the season vanishes near 1,370 km.

    The often-quoted ~1,060 km is *not* what this geometry gives: at 1,060 km the minimum
    |beta| is 180 - i - 23.44 = 56.8 deg, below beta* = asin(R/a) = 58.9 deg. See also
    test_dawn_dusk_sso_1300km_eclipse_seen_by_sgp4_and_conical_shadow.
    """
    alt = np.arange(1000e3, 1500e3, 1e3)
    seasons = eclipse_seasons(*_dawn_dusk(alt), EPOCH)
    eclipsed = seasons.days_with_eclipse > 0
    threshold_km = alt[eclipsed].max() / 1e3 + 1.0
    print(f"dawn-dusk SSO eclipse-free above {threshold_km:.0f} km")
    assert np.all(eclipsed[alt <= 1200e3])
    assert not np.any(eclipsed[alt >= 1400e3])
    assert 1300.0 < threshold_km < 1400.0


def test_dawn_dusk_sso_1300km_eclipse_seen_by_sgp4_and_conical_shadow() -> None:
    """Independent check of the season model: sgp4 orbit + conical shadow at the solstice."""
    for alt_m, expect_eclipse in ((1300e3, True), (1450e3, False)):
        a, inc, _ = _dawn_dusk(alt_m)
        raan = _raan_for_ltan_rad(DECEMBER_SOLSTICE_2025, 6.0)
        sat = Satrec()
        sat.sgp4init(
            WGS72, "i", 1, DECEMBER_SOLSTICE_2025 - 2433281.5, 0.0, 0.0, 0.0, 1e-4, 0.0,
            float(inc[0]), 0.0, float(np.sqrt(EARTH_MU_M3_S2 / a[0] ** 3) * 60.0), raan,
        )  # fmt: skip
        t_s = np.arange(0.0, SECONDS_PER_DAY / 4, 5.0)
        jd = DECEMBER_SOLSTICE_2025 + t_s / SECONDS_PER_DAY
        _, r_km, _ = sat.sgp4_array(np.floor(jd), jd - np.floor(jd))
        frac = sunlit_fraction(r_km.T * 1e3, sun_position_teme_m(jd))
        events = eclipse_events(t_s, frac)
        assert (events.sat_index.size > 0) == expect_eclipse


def test_high_sso_1400km_has_no_eclipse_season() -> None:
    seasons = eclipse_seasons(*_dawn_dusk(1400e3), EPOCH)
    assert seasons.days_with_eclipse[0] == 0
    assert seasons.longest_eclipse_s[0] == 0.0
    assert np.all(np.abs(seasons.beta_deg) > 50.0)


def test_equatorial_leo_is_eclipsed_every_orbit() -> None:
    a = EARTH_RADIUS_M + np.array([550e3, 1200e3])
    seasons = eclipse_seasons(a, 0.0, 0.0, EPOCH, days=365, step_days=1.0)
    assert seasons.beta_deg.shape == (2, 365)
    assert np.all(seasons.days_with_eclipse == 365)
    assert np.all(np.abs(seasons.beta_deg) < 23.5)
    assert seasons.eclipse_s.min() > 30 * one_minute  # beta <= 23.44 deg keeps eclipses long
    np.testing.assert_allclose(
        seasons.eclipse_fraction, seasons.eclipse_s / seasons.period_s[:, None]
    )


def test_seasons_bad_arguments() -> None:
    with pytest.raises(ValueError, match="positive"):
        eclipse_seasons(7.0e6, 0.9, 0.0, EPOCH, days=0)
    with pytest.raises(ValueError, match="orbit radius"):
        eclipse_seasons(650e3, 0.9, 0.0, EPOCH)


def test_dawn_dusk_eclipse_free_altitude_from_the_survey() -> None:
    """The altitude grid survey finds the same threshold as the per-altitude tests above:
    eclipses at 1,300 km (seen by sgp4 + conical shadow), none from 1,400 km. Mid-morning
    orbits are eclipsed at every LEO altitude."""
    import math

    from skydc.environment.seasons import sso_eclipse_free_altitude_km

    epoch = 2461212.5  # 2026-06-21T00:00Z
    for ltan_h in (6.0, 18.0):
        assert 1300.0 < sso_eclipse_free_altitude_km(ltan_h, epoch) <= 1400.0
    assert math.isnan(sso_eclipse_free_altitude_km(10.5, epoch, altitudes_km=[500.0, 1000.0]))
