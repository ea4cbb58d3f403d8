"""Build skydc's mean thermospheric density table, ``src/skydc/data/atmosphere_density.csv``.

The table holds the global, diurnal and annual mean total mass density [kg m^-3] of NRLMSIS 2.0
(Emmert et al. 2021, Earth and Space Science 8, e2020EA001321) from 150 to 2,000 km, every
10 km, for four named solar-activity levels. It is generated with the ``pymsis`` package, which
must NOT become a dependency of skydc: install it in a side environment,

    python3 -m venv /tmp/msis && /tmp/msis/bin/pip install pymsis ussa1976
    /tmp/msis/bin/python scripts/make_atmosphere_density.py

F10.7 and Ap are given explicitly (pymsis's manual mode), so nothing is downloaded.

Averaging grid (each level):

* latitude: -87.5 to 87.5 deg geodetic every 5 deg, weighted by cos(latitude) (area mean);
* longitude: 0 to 345 deg every 15 deg, at four universal times (0, 6, 12, 18 h), so each of
  the 24 local times is sampled at four longitudes;
* day of year: 24 days evenly spread over 2021 (mid-points of 365/24-day bins);
* the arithmetic mean of density (not of its logarithm) over all of these: the mean drag.

Solar-activity levels (daily F10.7 = 81-day mean F10.7, daily Ap):

* ``low``: F10.7 = 65 sfu, Ap = 0; ``moderate``: 140 sfu, Ap = 15; ``high``: 250 sfu, Ap = 45.
  These are the long-term "low", "moderate" and "high" activity values that ECSS-E-ST-10-04C
  (Space environment, 2008, Table 6-3) prescribes for analyses longer than a week.
* ``solar-cycle-average``: the time mean of density over an idealised 11-year cycle in which
  F10.7 and Ap run from the low to the high values as (1 - cos 2 pi phi) / 2, sampled at 12
  phases phi. It is the level to use for lifetimes and propellant budgets that span years.

The script also prints, for the record, the moderate level against the US Standard Atmosphere
1976 (``ussa1976`` package, up to 1,000 km) and Vallado's exponential model (Table 8-4 of
"Fundamentals of Astrodynamics and Applications", 4th ed., 2013), and the NRLMSIS 2.0 vs 2.1
difference.
"""

from __future__ import annotations

import datetime as dt
from importlib.metadata import version
from pathlib import Path

import numpy as np
from pymsis import msis

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "skydc" / "data" / "atmosphere_density.csv"

ALTITUDES_KM = np.arange(150.0, 2000.0 + 1.0, 10.0)
LATITUDES_DEG = np.arange(-87.5, 90.0, 5.0)
LONGITUDES_DEG = np.arange(0.0, 360.0, 15.0)
UT_HOURS = (0, 6, 12, 18)
N_DAYS = 24
MSIS_VERSION = 2.0
LEVELS = {"low": (65.0, 0.0), "moderate": (140.0, 15.0), "high": (250.0, 45.0)}
CYCLE_PHASES = 12

# Vallado 2013, Table 8-4 (exponential atmosphere: base altitude km, nominal density kg/m^3)
VALLADO_8_4 = {
    150: 2.070e-9,
    200: 2.789e-10,
    300: 2.418e-11,
    400: 3.725e-12,
    500: 6.967e-13,
    600: 1.454e-13,
    700: 3.614e-14,
    800: 1.170e-14,
    900: 5.245e-15,
    1000: 3.019e-15,
}


def _dates() -> np.ndarray:
    start = np.datetime64("2021-01-01T00:00")
    step_min = 365 * 24 * 60 / N_DAYS
    days = [start + np.timedelta64(round((k + 0.5) * step_min), "m") for k in range(N_DAYS)]
    # snap each day to midnight, then add the universal times
    out = []
    for d in days:
        midnight = d.astype("datetime64[D]").astype("datetime64[m]")
        out.extend(midnight + np.timedelta64(h * 60, "m") for h in UT_HOURS)
    return np.array(out, dtype="datetime64[m]")


def mean_density(f107: float, ap: float, version_: float = MSIS_VERSION) -> np.ndarray:
    """Area-, local-time- and season-mean total mass density at ALTITUDES_KM [kg m^-3]."""
    weights = np.cos(np.radians(LATITUDES_DEG))
    weights /= weights.sum()
    total = np.zeros(ALTITUDES_KM.size)
    dates = _dates()
    for date in dates:  # one date at a time keeps memory small
        out = msis.calculate(
            np.array([date]),
            LONGITUDES_DEG,
            LATITUDES_DEG,
            ALTITUDES_KM,
            [f107],
            [f107],
            [[ap] * 7],
            version=version_,
        )
        rho = np.asarray(out[..., 0], dtype=np.float64).reshape(
            LONGITUDES_DEG.size, LATITUDES_DEG.size, ALTITUDES_KM.size
        )
        total += np.einsum("oja,j->a", rho, weights) / LONGITUDES_DEG.size
    return total / dates.size


def cycle_average_density() -> np.ndarray:
    """Time mean over an idealised solar cycle between the low and high levels [kg m^-3]."""
    (f_lo, ap_lo), (f_hi, ap_hi) = LEVELS["low"], LEVELS["high"]
    phases = (np.arange(CYCLE_PHASES) + 0.5) / CYCLE_PHASES
    s = 0.5 * (1.0 - np.cos(2.0 * np.pi * phases))
    rows = [mean_density(f_lo + (f_hi - f_lo) * k, ap_lo + (ap_hi - ap_lo) * k) for k in s]
    return np.mean(rows, axis=0)


def _compare(moderate: np.ndarray) -> None:
    at = {int(h): moderate[i] for i, h in enumerate(ALTITUDES_KM)}
    print("moderate vs Vallado Table 8-4 (ratio NRLMSIS / Vallado):")
    for h, ref in VALLADO_8_4.items():
        print(f"  {h:5d} km  {at[h]:.3e}  {ref:.3e}  {at[h] / ref:.2f}")
    try:
        import ussa1976

        z = np.array(sorted(VALLADO_8_4)) * 1e3
        us = ussa1976.compute(z=z, variables=["rho"])["rho"].values
        print("moderate vs US Standard Atmosphere 1976 (ussa1976 package):")
        for h, ref in zip(sorted(VALLADO_8_4), us, strict=True):
            print(f"  {h:5d} km  {at[h]:.3e}  {ref:.3e}  {at[h] / ref:.2f}")
    except ImportError:
        print("ussa1976 not installed: no USSA76 comparison")
    f107, ap = LEVELS["moderate"]
    other = mean_density(f107, ap, version_=2.1)
    rel = np.max(np.abs(other / moderate - 1.0))
    print(f"NRLMSIS 2.1 vs 2.0, moderate: max relative difference {rel:.2e}")


def main() -> None:
    columns = {name: mean_density(*fa) for name, fa in LEVELS.items()}
    columns["solar-cycle-average"] = cycle_average_density()
    _compare(columns["moderate"])
    today = dt.date.today().isoformat()
    levels = "; ".join(
        f"{k}: F10.7 = F10.7a = {f:g} sfu, Ap = {a:g}" for k, (f, a) in LEVELS.items()
    )
    header = [
        "# skydc mean thermospheric density [kg m^-3] vs geodetic altitude [km], "
        "by solar activity.",
        f"# tool: NRLMSIS {MSIS_VERSION} via pymsis {version('pymsis')} (Emmert et al. 2021, "
        "Earth Space Sci. 8, e2020EA001321); total mass density incl. anomalous oxygen.",
        f"# levels: {levels} (ECSS-E-ST-10-04C, 2008, Table 6-3, long-term values);",
        "#   solar-cycle-average: mean density over an idealised cycle, F10.7 and Ap from low to "
        f"high as (1 - cos 2 pi phi)/2 at {CYCLE_PHASES} phases.",
        "# averaging: latitude -87.5..87.5 deg every 5 deg weighted by cos(lat); longitude 0..345 "
        f"every 15 deg at UT {', '.join(str(h) for h in UT_HOURS)} h; {N_DAYS} days spread over "
        "2021; arithmetic mean of density.",
        "# source: NRLMSIS 2.0, https://doi.org/10.1029/2020EA001321 ; pymsis, "
        "https://github.com/SWxTREC/pymsis",
        "# year: 2021",
        f"# generated: {today} by scripts/make_atmosphere_density.py; see its docstring.",
    ]
    names = list(columns)
    lines = [*header, "altitude_km," + ",".join(f"density_{n}_kg_m3" for n in names)]
    for i, h in enumerate(ALTITUDES_KM):
        lines.append(f"{h:.0f}," + ",".join(f"{columns[n][i]:.4e}" for n in names))
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({ALTITUDES_KM.size} altitudes x {len(names)} levels)")


if __name__ == "__main__":
    main()
