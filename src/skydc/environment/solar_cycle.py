"""Solar activity over the mission years: sunspot number, F10.7, and what drag and GCR see.

The yearly means come from ``skydc/data/solar_cycle_prediction.csv`` (NOAA SWPC Solar Cycle 25
Prediction Panel, 2019: minimum December 2019, peak smoothed sunspot number 115; the cycle
shape of Hathaway, Wilson & Reichmann 1994; F10.7 by the Australian BoM IPS relation; later
cycles repeat it every 11 years; ``scripts/make_solar_cycle_table.py`` says how). Cycle 25
ran stronger than that forecast: ``peak_ssn`` rescales the sunspot numbers (and F10.7 through
the same relation) for a stronger or weaker cycle.

What uses it:

* **Drag.** The thermosphere table of :mod:`skydc.spacecraft.propulsion` holds three named
  levels, F10.7 = 65 (``low``), 140 (``moderate``) and 250 sfu (``high``)
  (ECSS-E-ST-10-04C Table 6-3). :func:`density_level_weights` splits a year's F10.7 between
  the two levels around it (linear in F10.7, hence in density between levels), and
  :func:`mission_density_level_weights` averages the weights over the mission's years, so that
  the mission-mean density is ``sum_l w_l rho_l(h)``: a mission across solar maximum weighs the
  high-density years as they come, not a single "moderate" year.
  :func:`mission_activity_level` names the one level nearest that mean, for the APIs that take
  a name.
* **Cosmic rays.** :func:`solar_activity_index` maps the mission's mean sunspot number to
  [0, 1] (0 at minimum, 1 at the table's peak) for the GCR modulation of
  :mod:`skydc.environment.cosmic_rays`; :func:`solar_maximum_fraction` counts the mission's
  years in the seven-year active phase of each cycle, when solar particle events occur.
"""

from __future__ import annotations

import csv
import functools
import math
from datetime import datetime
from importlib.resources import files
from typing import Final

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "DENSITY_LEVEL_F107_SFU",
    "decimal_year",
    "density_level_weights",
    "mission_activity_level",
    "mission_density_level_weights",
    "mission_f107_sfu",
    "solar_activity_index",
    "solar_cycle_table",
    "solar_maximum_fraction",
]

# F10.7 of the named levels of the propulsion density table (atmosphere_density.csv header)
DENSITY_LEVEL_F107_SFU: Final = {"low": 65.0, "moderate": 140.0, "high": 250.0}
_CYCLE_START_YEAR: Final = 2019.96  # December 2019 minimum (the Panel)
_CYCLE_YR: Final = 11.0
# SPENVIS's seven-year active phase, [year of maximum - 2.5, year of maximum + 4.5] (SPENVIS
# help, "Long-term solar particle fluence models"), with the table's maximum 4.34 yr after the
# December 2019 minimum
_ACTIVE_START_YR: Final = 4.34 - 2.5
_ACTIVE_YR: Final = 7.0
_TABLE_PEAK_SSN: Final = 115.0


@functools.lru_cache(maxsize=1)
def solar_cycle_table() -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """``(year, sunspot number, F10.7 [sfu])`` of the bundled prediction, yearly means."""
    text = (files("skydc") / "data" / "solar_cycle_prediction.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    year = np.array([float(r["year"]) for r in rows])
    ssn = np.array([float(r["ssn"]) for r in rows])
    f107 = np.array([float(r["f107_sfu"]) for r in rows])
    return year, ssn, f107


def decimal_year(t: datetime) -> float:
    """``t`` as a decimal year (``2026-06-21`` -> 2026.47), the time axis of the table:
    year + (day of year - 1 + fraction of the day) / 365.25."""
    day = t.timetuple().tm_yday - 1 + (t.hour + (t.minute + t.second / 60.0) / 60.0) / 24.0
    return t.year + day / 365.25


def _f107_from_ssn(ssn_v2: NDArray[np.float64]) -> NDArray[np.float64]:
    """IPS relation (scripts/make_solar_cycle_table.py), with ``R(v1) = 0.6 SSN(v2)``."""
    r = 0.6 * ssn_v2
    out: NDArray[np.float64] = 67.0 + 0.572 * r + (0.0575 * r) ** 2 - (0.0209 * r) ** 3
    return out


def _years(start_year: float, years: float) -> NDArray[np.float64]:
    if not years > 0 or not math.isfinite(start_year):
        raise ValueError("need a finite start_year and years > 0")
    table_year = solar_cycle_table()[0]
    lo, hi = table_year[0], table_year[-1] + 1.0
    if start_year < lo or start_year + years > hi:
        raise ValueError(
            f"mission years {start_year:g}-{start_year + years:g} lie outside the solar-cycle "
            f"table ({lo:g}-{hi:g})"
        )
    n = max(math.ceil(years * 12), 1)  # monthly samples
    out: NDArray[np.float64] = start_year + (np.arange(n, dtype=np.float64) + 0.5) * (years / n)
    return out


def _ssn_at(t: NDArray[np.float64], peak_ssn: float) -> NDArray[np.float64]:
    year, ssn, _ = solar_cycle_table()
    idx = np.clip(np.floor(t - year[0]).astype(int), 0, year.size - 1)
    out: NDArray[np.float64] = ssn[idx] * (peak_ssn / _TABLE_PEAK_SSN)
    return out


def mission_f107_sfu(
    start_year: float, years: float, peak_ssn: float = _TABLE_PEAK_SSN
) -> NDArray[np.float64]:
    """F10.7 month by month over the mission (yearly means of the table) [sfu]."""
    if not peak_ssn >= 0:
        raise ValueError("peak_ssn must be >= 0")
    return _f107_from_ssn(_ssn_at(_years(start_year, years), peak_ssn))


def density_level_weights(f107_sfu: float) -> dict[str, float]:
    """Weights of the named density levels whose sum ``sum_l w_l rho_l`` stands for the
    density at ``f107_sfu``: linear between the two levels around it, clamped at the ends."""
    names = list(DENSITY_LEVEL_F107_SFU)
    f = np.array(list(DENSITY_LEVEL_F107_SFU.values()))
    x = float(np.clip(f107_sfu, f[0], f[-1]))
    j = min(int(np.searchsorted(f, x, side="right")) - 1, f.size - 2)
    w = float((x - f[j]) / (f[j + 1] - f[j]))
    out = dict.fromkeys(names, 0.0)
    out[names[j]] += 1.0 - w
    out[names[j + 1]] += w
    return out


def mission_density_level_weights(
    start_year: float, years: float, peak_ssn: float = _TABLE_PEAK_SSN
) -> dict[str, float]:
    """Mission-mean weights of the named density levels (see the module docstring)."""
    out = dict.fromkeys(DENSITY_LEVEL_F107_SFU, 0.0)
    f = mission_f107_sfu(start_year, years, peak_ssn)
    for value in f.tolist():
        for name, w in density_level_weights(value).items():
            out[name] += w / f.size
    return out


def mission_activity_level(
    start_year: float,
    years: float,
    density_kg_m3_by_level: dict[str, float],
    peak_ssn: float = _TABLE_PEAK_SSN,
) -> str:
    """The named level whose density (``density_kg_m3_by_level``, at the design altitude) is
    nearest, in log, the mission-mean density."""
    w = mission_density_level_weights(start_year, years, peak_ssn)
    mean = sum(w[k] * density_kg_m3_by_level[k] for k in w)
    return min(w, key=lambda k: abs(math.log(density_kg_m3_by_level[k] / mean)))


def solar_activity_index(
    start_year: float, years: float, peak_ssn: float = _TABLE_PEAK_SSN
) -> float:
    """Mission-mean sunspot number over the table's peak, in [0, 1] (GCR modulation)."""
    ssn = _ssn_at(_years(start_year, years), peak_ssn)
    return float(np.clip(ssn.mean() / _TABLE_PEAK_SSN, 0.0, 1.0))


def solar_maximum_fraction(start_year: float, years: float) -> float:
    """Share of the mission in the seven-year active phase of its cycles [-]."""
    t = _years(start_year, years)
    phase = (t - _CYCLE_START_YEAR) % _CYCLE_YR
    active = (phase >= _ACTIVE_START_YR) & (phase < _ACTIVE_START_YR + _ACTIVE_YR)
    return float(active.mean())
