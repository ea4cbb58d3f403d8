"""Galactic cosmic rays and solar energetic protons in low Earth orbit.

Four kernels, each a short closed form (why our own code: the standard tools, CREME96,
SPENVIS and OMERE, are web services or closed binaries; no maintained Python package gives a
geomagnetic transmission or a GCR spectrum without downloading data at run time):

* **Geomagnetic cutoff.** Vertical Stormer cutoff of a tilted centred dipole,
  ``R_c = C cos^4(lambda_m) / r^2`` with ``C = mu0 M c / (16 pi R_E^2) = 14.2 GV`` for the
  IGRF-13 2020 dipole (Smart & Shea 2005, Adv. Space Res. 36, 2012-2020, eq. 1; Alken et al.
  2021, Earth Planets Space 73:49, Table 2 for ``g10, g11, h11``). The orbit-averaged
  transmission of particles of rigidity ``R`` is the fraction of the orbit where
  ``R_c < R``; the orbit is sampled uniformly in argument of latitude and Earth-fixed node
  longitude (many orbits over the precessing ground track). A quiet magnetosphere: storms
  lower the cutoffs and let more solar protons in.
* **GCR protons.** The force-field solution of the heliospheric transport (Gleeson & Axford
  1968, ApJ 154, 1011) applied to the local interstellar spectrum of Burger et al. 2000 in the
  parameterisation of Usoskin et al. 2005 (JGR 110, A12108, eq. 2), with the modulation
  potential ``phi`` from 0.45 GV at solar minimum to 1.1 GV at maximum (the range of the
  annual values of Usoskin et al. 2011, JGR 116, A02104, for cycles 20-23).
* **GCR nuclei** (Z = 2-28), for heavy-ion single-event effects: the model of Matthiae et al.
  2013 ("A ready-to-use galactic cosmic ray model", Adv. Space Res. 51, 329-338), a rigidity
  power law per element modulated by the sunspot number ``W`` (version 1), with its parameter
  table as transcribed in I. Gordeev's GCRs_Spectra (github.com/GordoNice/GCRs_Spectra);
  transported through the shield in the
  CSDA (ranges scaled from the proton range by ``A / Z^2``, no fragmentation: an upper bound)
  and binned by their LET in silicon (``Z_eff^2 x`` the proton stopping power at the same
  velocity, Barkas effective charge), in :mod:`skydc.spacecraft.radiation`, next to the
  stopping powers. A device's heavy-ion rate folds a Weibull cross-section
  ``sigma(L) = sigma_sat (1 - exp(-((L - L0) / W)^s))`` with that flux, LET taken at normal
  incidence (no path-length distribution: the integral-flux method, within a factor ~2 of the
  RPP method for thin sensitive volumes; Petersen, "Single Event Effects in Aerospace", 2011,
  ch. 9).
* **Solar energetic protons.** The interplanetary fluence of the ESP-PSYCHIC model (Xapsos et
  al. 1999/2000; ECSS-E-ST-10-04C sec. 9.2.2) at 95 % confidence per year of solar maximum,
  shipped as ``radiation_sep_esp95.csv`` (see its header), times the same geomagnetic
  transmission. Fluences accrue in the seven active years of each cycle only (ECSS-E-ST-10-04C
  I.2.1).

``tests/environment/test_cosmic_rays.py`` checks the transmission, the GCR proton flux and the
He and Fe fluxes against SPENVIS 4.6.13 runs (CREME96 GCR at solar minimum, ESP-PSYCHIC
attenuation factors) for a 53 deg and a polar orbit.
"""

from __future__ import annotations

import csv
import functools
import math
from importlib.resources import files
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc.constants import EARTH_RADIUS_M, PROTON_REST_ENERGY_MEV, SPEED_OF_LIGHT_M_S

__all__ = [
    "GCR_NUCLEI",
    "GCR_PHI_SOLAR_MAX_GV",
    "GCR_PHI_SOLAR_MIN_GV",
    "earth_shadow_factor",
    "gcr_ion_spectrum",
    "gcr_modulation_potential_gv",
    "gcr_proton_integral_flux_cm2_s",
    "gcr_proton_spectrum",
    "geomagnetic_transmission",
    "orbit_cutoff_rigidity_gv",
    "proton_rigidity_gv",
    "sep_proton_fluence_per_active_year_cm2",
    "vertical_cutoff_rigidity_gv",
]

# IGRF-13 (Alken et al. 2021, Table 2), epoch 2020, dipole Gauss coefficients [nT].
_G10_NT: Final = -29404.8
_G11_NT: Final = -1450.9
_H11_NT: Final = 4652.5
_MU0_OVER_4PI: Final = 1e-7  # [T m / A], exact to 1e-10
_IGRF_REFERENCE_RADIUS_M: Final = 6371200.0
_B0_T: Final = math.sqrt(_G10_NT**2 + _G11_NT**2 + _H11_NT**2) * 1e-9
_DIPOLE_MOMENT_A_M2: Final = _B0_T * _IGRF_REFERENCE_RADIUS_M**3 / _MU0_OVER_4PI
# Stormer vertical cutoff constant mu0 M c / (16 pi R^2) [GV]; 14.2 GV for 2020
STORMER_VERTICAL_GV: Final = (
    _MU0_OVER_4PI * _DIPOLE_MOMENT_A_M2 * SPEED_OF_LIGHT_M_S / (4.0 * _IGRF_REFERENCE_RADIUS_M**2)
) * 1e-9
_POLE_COLAT_RAD: Final = math.acos(-_G10_NT * 1e-9 / _B0_T)
_POLE_LON_RAD: Final = math.atan2(-_H11_NT, -_G11_NT)
_ATMOSPHERE_M: Final = 100e3  # particles crossing below this height are absorbed

# Solar modulation potential of the force-field model [GV] (Usoskin et al. 2011, cycles 20-23:
# annual values ~0.4-0.5 GV at minima, ~1.0-1.2 GV at maxima).
GCR_PHI_SOLAR_MIN_GV: Final = 0.45
GCR_PHI_SOLAR_MAX_GV: Final = 1.1


def vertical_cutoff_rigidity_gv(
    geomagnetic_latitude_rad: ArrayLike, radius_earth_radii: ArrayLike
) -> NDArray[np.float64]:
    """Stormer vertical cutoff rigidity of the dipole field [GV]: ``C cos^4(lat) / r^2``."""
    lat = np.asarray(geomagnetic_latitude_rad, np.float64)
    r = np.asarray(radius_earth_radii, np.float64)
    out: NDArray[np.float64] = STORMER_VERTICAL_GV * np.cos(lat) ** 4 / r**2
    return out


@functools.lru_cache(maxsize=64)
def _orbit_cutoffs(altitude_km: float, inclination_deg: float, n_u: int, n_lon: int) -> bytes:
    inc = math.radians(inclination_deg)
    u = (np.arange(n_u) + 0.5) * (2.0 * math.pi / n_u)
    node = (np.arange(n_lon) + 0.5) * (2.0 * math.pi / n_lon)
    lat = np.arcsin(np.sin(inc) * np.sin(u))[:, None]
    lon = node[None, :] + np.arctan2(np.cos(inc) * np.sin(u), np.cos(u))[:, None]
    pole_lat = 0.5 * math.pi - _POLE_COLAT_RAD
    sin_m = np.sin(lat) * math.sin(pole_lat) + np.cos(lat) * math.cos(pole_lat) * np.cos(
        lon - _POLE_LON_RAD
    )
    lat_m = np.arcsin(np.clip(sin_m, -1.0, 1.0))
    r = (EARTH_RADIUS_M + altitude_km * 1e3) / EARTH_RADIUS_M
    return np.sort(vertical_cutoff_rigidity_gv(lat_m, r).ravel()).tobytes()


def orbit_cutoff_rigidity_gv(
    altitude_km: float, inclination_deg: float, n_u: int = 360, n_lon: int = 144
) -> NDArray[np.float64]:
    """Vertical cutoff rigidities sampled uniformly over a circular orbit, sorted [GV]."""
    if not altitude_km > 0 or not 0.0 <= inclination_deg <= 180.0:
        raise ValueError("need altitude_km > 0 and inclination_deg in [0, 180]")
    raw = _orbit_cutoffs(float(altitude_km), float(inclination_deg), int(n_u), int(n_lon))
    return np.frombuffer(raw, dtype=np.float64)


def geomagnetic_transmission(
    rigidity_gv: ArrayLike, altitude_km: float, inclination_deg: float
) -> NDArray[np.float64]:
    """Orbit-averaged fraction of the time a particle of rigidity ``R`` reaches the orbit [-]
    (the share of the orbit whose vertical cutoff is below ``R``)."""
    cut = orbit_cutoff_rigidity_gv(altitude_km, inclination_deg)
    r = np.asarray(rigidity_gv, np.float64)
    out: NDArray[np.float64] = np.searchsorted(cut, r, side="right") / cut.size
    return out


def earth_shadow_factor(altitude_km: ArrayLike) -> NDArray[np.float64]:
    """Share of the sky not hidden by the Earth and its atmosphere (to 100 km) [-]:
    ``(1 + cos theta) / 2`` with ``sin theta = (R_E + 100 km) / (R_E + h)``."""
    h = np.asarray(altitude_km, np.float64) * 1e3
    s = np.clip((EARTH_RADIUS_M + _ATMOSPHERE_M) / (EARTH_RADIUS_M + h), 0.0, 1.0)
    out: NDArray[np.float64] = 0.5 * (1.0 + np.sqrt(1.0 - s**2))
    return out


def proton_rigidity_gv(energy_mev: ArrayLike) -> NDArray[np.float64]:
    """Rigidity of a proton of kinetic energy ``energy_mev`` [GV]: ``sqrt(T (T + 2 m)) / e``."""
    t = np.asarray(energy_mev, np.float64)
    out: NDArray[np.float64] = np.sqrt(t * (t + 2.0 * PROTON_REST_ENERGY_MEV)) * 1e-3
    return out


def gcr_proton_spectrum(energy_mev: ArrayLike, phi_gv: float) -> NDArray[np.float64]:
    """Differential GCR proton intensity at 1 AU [cm^-2 s^-1 sr^-1 MeV^-1] (force field).

    ``J(T) = J_LIS(T + phi) T (T + 2 m) / ((T + phi)(T + phi + 2 m))`` with the LIS
    ``J_LIS = 1.9e4 P^-2.78 / (1 + 0.4866 P^-2.51)`` [m^-2 s^-1 sr^-1 GeV^-1], ``P`` the
    rigidity in GV (Usoskin et al. 2005, eq. 2).
    """
    if not phi_gv >= 0:
        raise ValueError("phi_gv must be >= 0")
    t = np.asarray(energy_mev, np.float64) * 1e-3  # GeV
    m = PROTON_REST_ENERGY_MEV * 1e-3
    tl = t + phi_gv
    p = np.sqrt(tl * (tl + 2.0 * m))
    lis = 1.9e4 * p**-2.78 / (1.0 + 0.4866 * p**-2.51)
    j = lis * t * (t + 2.0 * m) / (tl * (tl + 2.0 * m))
    out: NDArray[np.float64] = j * 1e-4 * 1e-3  # per cm^2, per MeV
    return out


def gcr_modulation_potential_gv(solar_activity: ArrayLike) -> NDArray[np.float64]:
    """Modulation potential for a solar activity level in [0, 1] (0: minimum, 1: maximum)
    [GV], linear between :data:`GCR_PHI_SOLAR_MIN_GV` and :data:`GCR_PHI_SOLAR_MAX_GV`."""
    a = np.clip(np.asarray(solar_activity, np.float64), 0.0, 1.0)
    out: NDArray[np.float64] = (
        GCR_PHI_SOLAR_MIN_GV + (GCR_PHI_SOLAR_MAX_GV - GCR_PHI_SOLAR_MIN_GV) * a
    )
    return out


_E_GRID_MEV: Final = np.geomspace(1.0, 1e6, 1201)


def gcr_proton_integral_flux_cm2_s(
    energy_min_mev: float,
    altitude_km: float,
    inclination_deg: float,
    phi_gv: float = GCR_PHI_SOLAR_MIN_GV,
    *,
    earth_shadow: bool = True,
) -> float:
    """Orbit-average omnidirectional flux of GCR protons above ``energy_min_mev``
    [cm^-2 s^-1]: ``4 pi x shadow x integral J(T) transmission(R(T)) dT``."""
    e = _E_GRID_MEV[_E_GRID_MEV >= energy_min_mev]
    e = np.concatenate([[energy_min_mev], e]) if e.size and e[0] > energy_min_mev else e
    j = gcr_proton_spectrum(e, phi_gv) * geomagnetic_transmission(
        proton_rigidity_gv(e), altitude_km, inclination_deg
    )
    flux = 4.0 * math.pi * float(np.trapezoid(j, e))
    return flux * (float(earth_shadow_factor(altitude_km)) if earth_shadow else 1.0)


@functools.lru_cache(maxsize=1)
def _sep_table() -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    text = (files("skydc") / "data" / "radiation_sep_esp95.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    e = np.array([float(r["energy_mev"]) for r in rows])
    f = np.array([float(r["differential_fluence_per_active_year_cm2_mev"]) for r in rows])
    return e, f


def sep_proton_fluence_per_active_year_cm2(
    energy_min_mev: float,
    altitude_km: float | None = None,
    inclination_deg: float = 0.0,
    *,
    earth_shadow: bool = True,
) -> float:
    """Fluence of solar protons above ``energy_min_mev`` per year of solar maximum, ESP-PSYCHIC
    at 95 % confidence [cm^-2]: interplanetary (``altitude_km=None``) or orbit-averaged
    behind the geomagnetic field (and the Earth's shadow). Between table energies the
    differential fluence is interpolated log-log; above 500 MeV it is not counted."""
    e_tab, d_tab = _sep_table()
    if not e_tab[0] <= energy_min_mev <= e_tab[-1]:
        raise ValueError(f"energy_min_mev must lie in [{e_tab[0]:g}, {e_tab[-1]:g}] MeV")
    e = np.geomspace(energy_min_mev, e_tab[-1], 400)
    d = np.exp(np.interp(np.log(e), np.log(e_tab), np.log(d_tab)))
    if altitude_km is not None:
        d = d * geomagnetic_transmission(proton_rigidity_gv(e), altitude_km, inclination_deg)
        if earth_shadow:
            d = d * float(earth_shadow_factor(altitude_km))
    return float(np.trapezoid(d, e))


# ---- GCR nuclei (Matthiae et al. 2013, Table 1): Z, A, C, gamma, alpha ----------------------
GCR_NUCLEI: Final = np.array(
    [
        [2, 4.0, 3.69, 2.77, 3.12],
        [3, 6.9, 0.0195, 2.82, 3.41],
        [4, 9.0, 0.0177, 3.05, 4.30],
        [5, 10.8, 0.0492, 2.96, 3.93],
        [6, 12.0, 0.103, 2.76, 3.18],
        [7, 14.0, 0.0367, 2.89, 3.77],
        [8, 16.0, 0.0874, 2.70, 3.11],
        [9, 19.0, 0.00319, 2.82, 4.05],
        [10, 20.2, 0.0164, 2.76, 3.11],
        [11, 23.0, 0.00443, 2.84, 3.14],
        [12, 24.3, 0.0193, 2.70, 3.65],
        [13, 27.0, 0.00417, 2.77, 3.46],
        [14, 28.1, 0.0134, 2.66, 3.00],
        [15, 31.0, 0.00115, 2.89, 4.04],
        [16, 32.1, 0.00306, 2.71, 3.30],
        [17, 35.4, 0.00130, 3.00, 4.40],
        [18, 39.9, 0.00233, 2.93, 4.33],
        [19, 39.1, 0.00187, 3.05, 4.49],
        [20, 40.1, 0.00217, 2.77, 2.93],
        [21, 44.9, 0.00074, 2.97, 3.78],
        [22, 47.9, 0.00263, 2.99, 3.79],
        [23, 50.9, 0.00123, 2.94, 3.50],
        [24, 52.0, 0.00212, 2.89, 3.28],
        [25, 54.9, 0.00114, 2.74, 3.29],
        [26, 55.8, 0.00932, 2.63, 3.01],
        [27, 58.9, 0.00010, 2.63, 4.25],
        [28, 58.7, 0.00048, 2.63, 3.52],
    ]
)
_MATTHIAE_PROTON_MEV: Final = 938.279  # the rest energy their energies per nucleon use


def gcr_ion_spectrum(
    z: int, energy_mev_per_n: ArrayLike, wolf_number: float
) -> NDArray[np.float64]:
    """Differential intensity of GCR nuclei of charge ``z`` at 1 AU (Matthiae et al. 2013)
    [cm^-2 s^-1 sr^-1 (MeV/n)^-1]; ``wolf_number`` is the (version-1) sunspot number."""
    row = GCR_NUCLEI[GCR_NUCLEI[:, 0] == z]
    if row.size == 0 or not wolf_number >= 0:
        raise ValueError("need z in 2..28 and wolf_number >= 0")
    _, a, c, gamma, alpha = row[0]
    e = np.asarray(energy_mev_per_n, np.float64)
    m = _MATTHIAE_PROTON_MEV
    beta = np.sqrt(e * (e + 2.0 * m)) / (e + m)
    r = (a / z) * np.sqrt(e * (e + 2.0 * m)) * 1e-3  # rigidity [GV]
    r0 = 0.37 + 0.0003 * wolf_number**1.45
    ddf = c * a * beta**alpha / (z * beta * r**gamma) * (r / (r + r0)) ** (0.02 * wolf_number + 4.7)
    out: NDArray[np.float64] = ddf * 1e-4  # per cm^2
    return out
