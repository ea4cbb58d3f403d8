"""Time scales: UTC datetimes to Julian dates, and TT for the Sun's ephemeris.

Conventions
-----------
* Times inside skydc are float seconds since the scenario epoch, ``t_s`` [s], plus the epoch as a
  Julian date in UTC, ``epoch_jd_utc``. A float64 Julian date resolves ~40 microseconds.
* UT1 is taken equal to UTC (|UT1 - UTC| < 0.9 s by IERS rule): Earth rotation angle error below
  0.004 deg, about 0.4 km at the surface. Documented in docs/frames.md.
* TT = UTC + (TAI - UTC) + 32.184 s with the leap-second table below (IERS Bulletin C 72: no leap
  second through at least 2026-12-28; beyond the table the last value is kept).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc.constants import JD_UNIX_EPOCH, SECONDS_PER_DAY, TT_MINUS_TAI_S

# (Julian date UTC at which it takes effect, TAI - UTC [s]) from 1972 on. Source: IERS Bulletin C
# (https://hpiers.obspm.fr/iers/bul/bulc/Leap_Second.dat), file as of Bulletin C 72 (July 2026).
_LEAP_SECONDS = np.array(
    [
        (2441317.5, 10),
        (2441499.5, 11),
        (2441683.5, 12),
        (2442048.5, 13),
        (2442413.5, 14),
        (2442778.5, 15),
        (2443144.5, 16),
        (2443509.5, 17),
        (2443874.5, 18),
        (2444239.5, 19),
        (2444786.5, 20),
        (2445151.5, 21),
        (2445516.5, 22),
        (2446247.5, 23),
        (2447161.5, 24),
        (2447892.5, 25),
        (2448257.5, 26),
        (2448804.5, 27),
        (2449169.5, 28),
        (2449534.5, 29),
        (2450083.5, 30),
        (2450630.5, 31),
        (2451179.5, 32),
        (2453736.5, 33),
        (2454832.5, 34),
        (2456109.5, 35),
        (2457204.5, 36),
        (2457754.5, 37),
    ],
    dtype=float,
)


def jd_utc_from_datetime(dt: datetime) -> float:
    """Julian date [days] of a datetime, in UTC (a naive datetime is taken as UTC)."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return JD_UNIX_EPOCH + dt.timestamp() / SECONDS_PER_DAY


def datetime_from_jd_utc(jd_utc: float) -> datetime:
    """UTC datetime of a Julian date [days]."""
    return datetime.fromtimestamp((jd_utc - JD_UNIX_EPOCH) * SECONDS_PER_DAY, tz=UTC)


def tai_minus_utc_s(jd_utc: ArrayLike) -> NDArray[np.float64]:
    """TAI - UTC [s] at UTC Julian dates (10 s before 1972; the last value after the table)."""
    jd = np.asarray(jd_utc, dtype=float)
    idx = np.searchsorted(_LEAP_SECONDS[:, 0], jd, side="right") - 1
    return np.where(idx >= 0, _LEAP_SECONDS[np.clip(idx, 0, None), 1], 10.0)


def jd_tt_from_jd_utc(jd_utc: ArrayLike) -> NDArray[np.float64]:
    """Terrestrial Time Julian date [days] from UTC Julian date [days]."""
    jd = np.asarray(jd_utc, dtype=float)
    return jd + (tai_minus_utc_s(jd) + TT_MINUS_TAI_S) / SECONDS_PER_DAY


def jd_utc_at(epoch_jd_utc: float, t_s: ArrayLike) -> NDArray[np.float64]:
    """Julian dates [days, UTC] at ``t_s`` seconds after the epoch.

    One float64 near JD 2.46e6 resolves 40 us: enough for the Sun, not for a satellite moving
    7.5 km/s; propagate satellites with :func:`jd_utc_split` instead.
    """
    return epoch_jd_utc + np.asarray(t_s, dtype=float) / SECONDS_PER_DAY


def jd_utc_split(
    epoch_jd_utc: float, t_s: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Julian dates at ``t_s`` seconds after the epoch as (whole day, fraction) [days, UTC].

    The split keeps the instant to picoseconds (the fraction is below a few days), where a single
    float64 Julian date rounds it to 40 us (3 cm along a LEO track); sgp4 and GMST take it as is.
    """
    t = np.asarray(t_s, dtype=float)
    whole = math.floor(epoch_jd_utc)
    return np.full(t.shape, float(whole)), (epoch_jd_utc - whole) + t / SECONDS_PER_DAY
