"""Total ionising dose in low Earth orbit and radiation fault rates of compute devices.

Dose model
----------
``dose_rate_rad_per_yr(altitude_km, inclination_deg, shield_mm_al, model=...)`` interpolates a
table shipped in ``skydc/data`` and named in ``radiation_models.toml``. The one model today,
``"ap8min-ae8max"``, is the trapped-particle dose at the centre of a solid aluminium sphere
(the SHIELDOSE-2 "centre of Al spheres" geometry, dose in silicon) for circular orbits:

* **Shape in shielding and inclination** (South Atlantic Anomaly included) from SPENVIS runs of
  AP-8 MIN / AE-8 MAX + SHIELDOSE-2 at 550 km for inclinations 0-180 deg (Pfandzelter &
  Bermbach 2023, LEO-NET '23, arXiv:2302.08952, data in github.com/pfandzelter/
  leo-edge-failure-models, MIT licence), shipped as ``radiation_spenvis_550km.csv``.
* **Altitude** from the same NASA AP-8 MIN / AE-8 MAX flux maps (the ``radbelt`` package,
  NASA-1.3 licence) flown over circular orbits of 300-2000 km, with the proton dose transported
  through the aluminium sphere by the continuous-slowing-down approximation (Bethe stopping
  power, below) and the electron dose scaled by the flux of electrons able to cross the shield
  (Katz-Penfold range); both calibrated per thickness to the SPENVIS 550 km runs.

``scripts/make_radiation_ap8_table.py`` builds the table and prints its residuals against
SPENVIS: the CSDA proton dose needs calibration factors of only 0.80-1.12 to match SHIELDOSE-2
(so the altitude scaling rests on physics, not on a fit), and the total dose at 550 km is
within 0.88-1.59x of SPENVIS for inclinations >= 15 deg. Below 15 deg the model exceeds
SPENVIS (0.2 vs ~0 rad/yr behind 10 mm at 550 km): tiny doses that hinge on where the
geomagnetic-field epoch puts the edge of the South Atlantic Anomaly. At 650 km SSO behind
10 mm the model gives ~214 rad(Si)/yr, Suncatcher's figure is ~150.

Trapped particles only: solar energetic particles and galactic cosmic rays add little dose
behind ~10 mm Al below ~1,000 km except in polar orbits during large solar events, but they
matter for single-event effects (below). AP-8 is a 1960s-1970s model; AP-9 and measured
doses differ from it by up to a factor ~2 in LEO, so treat the result as a factor-2 estimate.
Outside the model's validity range the result is NaN and ``dose_out_of_range_code`` says why.

Fault model
-----------
Single-event effects scale with the flux of energetic protons behind the shield. A device's
event rate is its proton cross-section (measured at a test energy, taken as saturated) times
the omnidirectional flux of protons that leave the shield with more than 30 MeV:
``rate = sigma * phi``, with ``phi`` the sum of three components
(:mod:`skydc.environment.cosmic_rays`):

* **trapped** protons (AP-8 MIN, from the dose table), concentrated in the South Atlantic
  Anomaly;
* **galactic cosmic-ray** protons (force-field spectrum at the solar activity of the mission,
  through the geomagnetic cutoff of the orbit and the Earth's shadow): they dominate at high
  inclination, where the cutoff falls below ~1 GV over the poles;
* **solar-particle-event** protons (ESP-PSYCHIC at 95 % confidence per year of solar maximum,
  through the same cutoff), averaged over the mission's years: negligible below ~50 deg
  inclination, the largest term in polar orbits in active years.

The same cross-section serves all three (above ~30 MeV the proton cross-section of modern
CMOS is saturated, and GCR and solar protons are harder than that). Heavy GCR ions (Z = 2-28),
which upset by direct ionisation, are reported as a flux above 1 MeV cm^2/mg at the device.

Heavy-ion single-event effects (SEE model ``"sigma-phi+weibull-let"``, the default) add, per
event type, the integral of the device's heavy-ion Weibull cross-section over the orbit's LET
spectrum behind the shield: ``R = sum over ions, energies of sigma(LET) x flux``, with
``sigma(L) = sigma_sat (1 - exp(-((L - L0) / W)^s))`` (ECSS-E-ST-10-12C sec. 9.5.2, the
integral-flux form: LET at normal incidence, no chord-length distribution). The Weibull
parameters come from ``[accelerators.<name>.radiation.heavy_ion.<event>]`` (event ``sdc``,
``hbm_ue`` or ``sefi``: :class:`HeavyIonWeibull`); a device without one adds nothing and
``FaultRates.heavy_ion_see_per_device_day`` says it is unknown (NaN). ``"sigma-phi"`` keeps the
proton term alone. ``tests/spacecraft/test_radiation_heavy_ion.py`` checks the fold against
Petersen's figure of merit at GEO, solar minimum (``R = 200 sigma_sat / L0.25^2``).
Total-dose limits (HBM irregularities, no hard failure up to a tested dose) compare with the
mission dose.

Mission years
-------------
:meth:`RadiationEnvironment.for_mission` sets the GCR modulation from the mission's mean
sunspot number and the solar-particle fluence from its years in the active phase of the cycle
(:mod:`skydc.environment.solar_cycle`); the pipeline builds the environment that way from the
scenario's ``epoch_utc`` and ``lifetime_yr``.
"""

from __future__ import annotations

import csv
import functools
import math
import tomllib
from dataclasses import dataclass
from datetime import datetime
from importlib.resources import files
from typing import Any, Final, Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc.constants import (
    ALUMINIUM_A_G_MOL,
    ALUMINIUM_DENSITY_G_CM3,
    ALUMINIUM_I_EV,
    ALUMINIUM_Z,
    BETHE_K_MEV_CM2_MOL,
    ELECTRON_REST_ENERGY_MEV,
    JULIAN_YEAR_DAYS,
    MEV_J,
    PROTON_REST_ENERGY_MEV,
    RAD_PER_GRAY,
    SECONDS_PER_DAY,
    SILICON_A_G_MOL,
    SILICON_I_EV,
    SILICON_Z,
)
from skydc.environment.cosmic_rays import (
    GCR_NUCLEI,
    earth_shadow_factor,
    gcr_ion_spectrum,
    gcr_modulation_potential_gv,
    gcr_proton_integral_flux_cm2_s,
    geomagnetic_transmission,
    proton_rigidity_gv,
    sep_proton_fluence_per_active_year_cm2,
)
from skydc.environment.solar_cycle import (
    decimal_year,
    solar_activity_index,
    solar_maximum_fraction,
)

__all__ = [
    "DEFAULT_DOSE_MODEL",
    "DEFAULT_SEE_MODEL",
    "HEAVY_ION_LET_MIN_MEV_CM2_MG",
    "SEE_EVENTS",
    "SEE_MODELS",
    "SEE_PROTON_THRESHOLD_MEV",
    "SOLAR_MAXIMUM_YEAR_FRACTION",
    "DoseModel",
    "FaultRates",
    "HeavyIonWeibull",
    "RadiationEnvironment",
    "RadiationSensitivity",
    "dose_model_names",
    "dose_out_of_range_code",
    "dose_rate_components_rad_per_yr",
    "dose_rate_rad_per_yr",
    "gcr_heavy_ion_see_rate_per_day",
    "gcr_ion_let_flux_cm2_s",
    "load_dose_model",
    "mev_per_g_to_rad",
    "proton_csda_range_g_cm2",
    "proton_energy_for_range_mev",
    "proton_flux_behind_shield_cm2_s",
    "proton_residual_energy_mev",
    "proton_stopping_power_mev_cm2_g",
    "see_rate_per_device_day",
    "shielded_threshold_energy_mev",
    "silicon_let_mev_cm2_mg",
]

# Protons that leave the shield above this energy drive single-event effects [MeV]: the test
# energies of the catalog's proton cross-sections are on their saturated part above it.
SEE_PROTON_THRESHOLD_MEV: Final = 30.0
# Seven of the eleven years of a solar cycle are "solar maximum", when solar particle events
# occur (ECSS-E-ST-10-04C, I.2.1).
SOLAR_MAXIMUM_YEAR_FRACTION: Final = 7.0 / 11.0
# Heavy ions are counted above this LET in Si [MeV cm^2/mg]: thresholds of modern CMOS upsets
# lie near or below it, so it is the flux an unhardened device sees.
HEAVY_ION_LET_MIN_MEV_CM2_MG: Final = 1.0
# Version-1 sunspot number at solar activity 1 (the table's peak, 115 in version 2, x 0.6)
_WOLF_AT_PEAK: Final = 0.6 * 115.0

DEFAULT_DOSE_MODEL: Final = "ap8min-ae8max"

# Single-event models, by name (module docstring): protons alone, or protons plus the heavy-ion
# Weibull fold of the devices that have one.
SEE_MODELS: Final = ("sigma-phi", "sigma-phi+weibull-let")
DEFAULT_SEE_MODEL: Final = "sigma-phi+weibull-let"
# Event types a cross-section (proton or heavy-ion Weibull) may be given for.
SEE_EVENTS: Final = ("sdc", "hbm_ue", "sefi")

# Error codes of dose_out_of_range_code (bit flags).
OUT_OF_RANGE_ALTITUDE: Final = 1
OUT_OF_RANGE_INCLINATION: Final = 2
OUT_OF_RANGE_SHIELD: Final = 4

_MATERIALS: Final = {
    "al": (ALUMINIUM_Z, ALUMINIUM_A_G_MOL, ALUMINIUM_I_EV),
    "si": (SILICON_Z, SILICON_A_G_MOL, SILICON_I_EV),
}
# Below this energy the Bethe formula (no shell corrections) is not used; the range below it
# follows the Bragg-Kleeman power law R ~ E^1.75 (Evans 1955, "The Atomic Nucleus", ch. 22).
_BETHE_MIN_MEV: Final = 1.0
_BRAGG_KLEEMAN_EXPONENT: Final = 1.75


def _material(material: str) -> tuple[float, float, float]:
    try:
        return _MATERIALS[material]
    except KeyError:
        raise ValueError(
            f"unknown material {material!r}; allowed: {', '.join(sorted(_MATERIALS))}"
        ) from None


def mev_per_g_to_rad(energy_mev_per_g: ArrayLike) -> NDArray[np.float64]:
    """Convert absorbed energy per mass [MeV g^-1] to dose [rad]: 1 rad = 0.01 J/kg."""
    return np.asarray(energy_mev_per_g, dtype=float) * MEV_J * 1e3 * RAD_PER_GRAY


def proton_stopping_power_mev_cm2_g(
    energy_mev: ArrayLike, material: str = "si"
) -> NDArray[np.float64]:
    """Electronic mass stopping power of protons, Bethe formula [MeV cm^2 g^-1].

    .. math::

        \\frac{S}{\\rho} = K \\frac{Z}{A} \\frac{1}{\\beta^2}
        \\left[\\tfrac12 \\ln\\frac{2 m_e c^2 \\beta^2\\gamma^2 T_{max}}{I^2} - \\beta^2\\right]

    (PDG Review of Particle Physics 2024, eq. 34.5) without shell or density corrections:
    within ~3 % of NIST PSTAR for 2-400 MeV in Al and Si. Below 1 MeV the value at 1 MeV
    scaled as E^(1 - 1.75) (Bragg-Kleeman) is returned, a rough but finite stand-in.

    Parameters
    ----------
    energy_mev
        Proton kinetic energy [MeV], > 0.
    material
        ``"si"`` or ``"al"``.
    """
    z, a, i_ev = _material(material)
    e = np.asarray(energy_mev, dtype=float)
    if np.any(e <= 0):
        raise ValueError("proton energy must be > 0 MeV")

    def bethe(t: NDArray[np.float64]) -> NDArray[np.float64]:
        gamma = 1.0 + t / PROTON_REST_ENERGY_MEV
        beta2 = 1.0 - 1.0 / gamma**2
        bg2 = beta2 * gamma**2
        ratio = ELECTRON_REST_ENERGY_MEV / PROTON_REST_ENERGY_MEV
        t_max = 2.0 * ELECTRON_REST_ENERGY_MEV * bg2 / (1.0 + 2.0 * gamma * ratio + ratio**2)
        i_mev = i_ev * 1e-6
        log_term = 0.5 * np.log(2.0 * ELECTRON_REST_ENERGY_MEV * bg2 * t_max / i_mev**2)
        out: NDArray[np.float64] = BETHE_K_MEV_CM2_MOL * z / a / beta2 * (log_term - beta2)
        return out

    low = e < _BETHE_MIN_MEV
    s = bethe(np.maximum(e, _BETHE_MIN_MEV))
    s_low = bethe(np.asarray(_BETHE_MIN_MEV)) * (np.maximum(e, 1e-30) / _BETHE_MIN_MEV) ** (
        1.0 - _BRAGG_KLEEMAN_EXPONENT
    )
    return np.where(low, s_low, s)


@functools.lru_cache(maxsize=4)
def _range_table(material: str) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Tabulated CSDA range on a log energy grid, 1 keV to 10 GeV."""
    e = np.geomspace(1e-3, 1e4, 4001)
    s = proton_stopping_power_mev_cm2_g(e, material)
    e0 = _BETHE_MIN_MEV
    s0 = float(proton_stopping_power_mev_cm2_g(e0, material))
    r0 = e0 / (_BRAGG_KLEEMAN_EXPONENT * s0)  # R = E / (p S) for R ~ E^p
    r_low = r0 * (e / e0) ** _BRAGG_KLEEMAN_EXPONENT
    inv = 1.0 / s
    seg = 0.5 * (inv[1:] + inv[:-1]) * np.diff(e)
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    i0 = int(np.searchsorted(e, e0))
    r_high = r0 + cum - np.interp(e0, e, cum)
    r = np.where(np.arange(e.size) < i0, r_low, r_high)
    return e, r


def proton_csda_range_g_cm2(energy_mev: ArrayLike, material: str = "al") -> NDArray[np.float64]:
    """CSDA range of protons [g cm^-2]: the integral of 1/S from 0 to E.

    Uses ``proton_stopping_power_mev_cm2_g`` above 1 MeV and the Bragg-Kleeman law below.
    Within ~3 % of NIST PSTAR from 10 to 400 MeV (Al, 100 MeV: 9.97 g/cm^2; PSTAR 9.98); ~20 %
    short at 1 MeV, where the range (0.003 g/cm^2) is negligible against any shield.
    """
    e = np.asarray(energy_mev, dtype=float)
    if np.any(e <= 0):
        raise ValueError("proton energy must be > 0 MeV")
    table_e, table_r = _range_table(material)
    return np.exp(np.interp(np.log(e), np.log(table_e), np.log(table_r)))


def proton_energy_for_range_mev(
    range_g_cm2: ArrayLike, material: str = "al"
) -> NDArray[np.float64]:
    """Proton energy whose CSDA range is ``range_g_cm2`` [MeV]; 0 for a range <= 0."""
    r = np.asarray(range_g_cm2, dtype=float)
    table_e, table_r = _range_table(material)
    log_r = np.log(np.maximum(r, 1e-300))
    out = np.exp(np.interp(log_r, np.log(table_r), np.log(table_e)))
    return np.where(r > 0, out, 0.0)


def proton_residual_energy_mev(
    energy_mev: ArrayLike, thickness_g_cm2: ArrayLike, material: str = "al"
) -> NDArray[np.float64]:
    """Energy left after crossing ``thickness_g_cm2`` (CSDA); 0 where the proton stops."""
    r = proton_csda_range_g_cm2(energy_mev, material) - np.asarray(thickness_g_cm2, dtype=float)
    return proton_energy_for_range_mev(r, material)


# ---- dose model: a shipped table, selected by name -------------------------------------------


@dataclass(frozen=True)
class DoseModel:
    """A tabulated dose model (see ``radiation_models.toml``).

    Arrays are indexed ``[altitude, inclination, shield]``; inclinations run 0-90 deg and a
    retrograde orbit uses its mirror ``180 - i`` (it samples the same latitudes).
    """

    name: str
    description: str
    source: str
    year: int
    altitude_km: NDArray[np.float64]
    inclination_deg: NDArray[np.float64]
    shield_mm_al: NDArray[np.float64]
    proton_rad_per_yr: NDArray[np.float64]
    electron_rad_per_yr: NDArray[np.float64]
    proton_flux_cm2_s: NDArray[np.float64]
    altitude_km_range: tuple[float, float]
    inclination_deg_range: tuple[float, float]
    shield_mm_al_range: tuple[float, float]


def _model_registry() -> dict[str, dict[str, Any]]:
    text = (files("skydc") / "data" / "radiation_models.toml").read_text(encoding="utf-8")
    models: dict[str, dict[str, Any]] = tomllib.loads(text)["models"]
    return models


def dose_model_names() -> list[str]:
    """Names accepted by ``model=``."""
    return sorted(_model_registry())


def _read_table(name: str) -> list[dict[str, str]]:
    text = (files("skydc") / "data" / name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines))


@functools.lru_cache(maxsize=4)
def load_dose_model(name: str = DEFAULT_DOSE_MODEL) -> DoseModel:
    """Load a dose model by name; ``ValueError`` listing the valid names otherwise."""
    registry = _model_registry()
    if name not in registry:
        raise ValueError(f"unknown dose model {name!r}; allowed: {', '.join(sorted(registry))}")
    meta = registry[name]
    rows = _read_table(meta["table"])
    cols = {k: np.array([float(r[k]) for r in rows]) for k in rows[0]}
    axes = [np.unique(cols[k]) for k in ("altitude_km", "inclination_deg", "shield_mm_al")]
    shape = tuple(a.size for a in axes)
    idx = [
        np.searchsorted(a, cols[k])
        for a, k in zip(axes, ("altitude_km", "inclination_deg", "shield_mm_al"), strict=True)
    ]

    def grid(key: str) -> NDArray[np.float64]:
        out = np.full(shape, np.nan)
        out[idx[0], idx[1], idx[2]] = cols[key]
        if np.isnan(out).any():
            raise ValueError(f"dose table {meta['table']}: grid is incomplete")
        return out

    return DoseModel(
        name=name,
        description=str(meta["description"]),
        source=str(meta["source"]),
        year=int(meta["year"]),
        altitude_km=axes[0],
        inclination_deg=axes[1],
        shield_mm_al=axes[2],
        proton_rad_per_yr=grid("proton_rad_per_yr"),
        electron_rad_per_yr=grid("electron_rad_per_yr"),
        proton_flux_cm2_s=grid("proton_flux_gt30mev_cm2_s"),
        altitude_km_range=(float(meta["altitude_km_min"]), float(meta["altitude_km_max"])),
        inclination_deg_range=(
            float(meta["inclination_deg_min"]),
            float(meta["inclination_deg_max"]),
        ),
        shield_mm_al_range=(float(meta["shield_mm_al_min"]), float(meta["shield_mm_al_max"])),
    )


def dose_out_of_range_code(
    altitude_km: ArrayLike,
    inclination_deg: ArrayLike,
    shield_mm_al: ArrayLike,
    model: str = DEFAULT_DOSE_MODEL,
) -> NDArray[np.int8]:
    """Why a dose is NaN: bit flags 1 altitude, 2 inclination, 4 shielding (0: in range)."""
    m = load_dose_model(model)
    h, i, t = np.broadcast_arrays(
        np.asarray(altitude_km, float),
        np.asarray(inclination_deg, float),
        np.asarray(shield_mm_al, float),
    )
    code = np.zeros(h.shape, dtype=np.int8)
    for arr, (lo, hi), flag in (
        (h, m.altitude_km_range, OUT_OF_RANGE_ALTITUDE),
        (i, m.inclination_deg_range, OUT_OF_RANGE_INCLINATION),
        (t, m.shield_mm_al_range, OUT_OF_RANGE_SHIELD),
    ):
        bad = ~((arr >= lo) & (arr <= hi))  # NaN input is out of range too
        code = code | np.where(bad, flag, 0).astype(np.int8)
    return code


_LOG_FLOOR: Final = 1e-9  # added before taking logs, so zero doses interpolate [rad/yr]


def _interp_axis(
    axis: NDArray[np.float64], x: NDArray[np.float64]
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    j = np.clip(np.searchsorted(axis, x, side="right") - 1, 0, axis.size - 2)
    w = np.clip((x - axis[j]) / (axis[j + 1] - axis[j]), 0.0, 1.0)
    return j, w


def _trilinear_log(
    m: DoseModel,
    table: NDArray[np.float64],
    h: NDArray[np.float64],
    i: NDArray[np.float64],
    t: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Interpolate log(table + floor), linear in altitude and inclination, log in thickness."""
    log_table = np.log(table + _LOG_FLOOR)
    ja, wa = _interp_axis(m.altitude_km, h)
    ji, wi = _interp_axis(m.inclination_deg, i)
    jt, wt = _interp_axis(np.log(m.shield_mm_al), np.log(t))
    out = np.zeros(h.shape)
    for da, fa in ((0, 1.0 - wa), (1, wa)):
        for di, fi in ((0, 1.0 - wi), (1, wi)):
            for dt, ft in ((0, 1.0 - wt), (1, wt)):
                out = out + fa * fi * ft * log_table[ja + da, ji + di, jt + dt]
    return np.maximum(np.exp(out) - _LOG_FLOOR, 0.0)


def _lookup(
    key: str,
    altitude_km: ArrayLike,
    inclination_deg: ArrayLike,
    shield_mm_al: ArrayLike,
    model: str,
) -> NDArray[np.float64]:
    m = load_dose_model(model)
    code = dose_out_of_range_code(altitude_km, inclination_deg, shield_mm_al, model)
    h, i, t = np.broadcast_arrays(
        np.asarray(altitude_km, float),
        np.asarray(inclination_deg, float),
        np.asarray(shield_mm_al, float),
    )
    ok = code == 0
    hs = np.where(ok, h, m.altitude_km[0])
    fold = np.where(i > 90.0, 180.0 - i, i)
    iis = np.where(ok, fold, 0.0)
    ts = np.where(ok, t, m.shield_mm_al[0])
    value = _trilinear_log(m, getattr(m, key), hs, iis, ts)
    return np.where(ok, value, np.nan)


def dose_rate_components_rad_per_yr(
    altitude_km: ArrayLike,
    inclination_deg: ArrayLike,
    shield_mm_al: ArrayLike,
    model: str = DEFAULT_DOSE_MODEL,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Trapped-proton and trapped-electron (bremsstrahlung included) dose rates [rad(Si)/yr].

    See ``dose_rate_rad_per_yr``; returns ``(proton, electron)``.
    """
    p = _lookup("proton_rad_per_yr", altitude_km, inclination_deg, shield_mm_al, model)
    e = _lookup("electron_rad_per_yr", altitude_km, inclination_deg, shield_mm_al, model)
    return p, e


def dose_rate_rad_per_yr(
    altitude_km: ArrayLike,
    inclination_deg: ArrayLike,
    shield_mm_al: ArrayLike,
    model: str = DEFAULT_DOSE_MODEL,
) -> NDArray[np.float64]:
    """Total ionising dose rate behind aluminium shielding, circular orbit [rad(Si)/yr].

    Dose at the centre of a solid Al sphere of radius ``shield_mm_al`` (the SHIELDOSE-2
    geometry most used for dose-depth curves; ECSS-E-ST-10-12C, Table 6-2) from trapped
    protons and electrons, from the table of the named model (module docstring). Interpolated
    log-linearly in altitude and inclination and log-log in thickness. Inputs broadcast.
    Outside the model's validity range (``ap8min-ae8max``: 300-2000 km, 0-180 deg,
    0.05-20 mm Al) the result is NaN; ``dose_out_of_range_code`` says which input.
    A mission's dose is this rate times its duration in years.

    Parameters
    ----------
    altitude_km
        Circular-orbit altitude [km].
    inclination_deg
        Inclination [deg], 0-180 (retrograde orbits use the mirror inclination).
    shield_mm_al
        Aluminium shielding thickness [mm] (2.699 g/cm^3; 10 mm = 2.7 g/cm^2).
    model
        Dose model name, see ``dose_model_names()``.
    """
    p, e = dose_rate_components_rad_per_yr(altitude_km, inclination_deg, shield_mm_al, model)
    return p + e


def proton_flux_behind_shield_cm2_s(
    altitude_km: ArrayLike,
    inclination_deg: ArrayLike,
    shield_mm_al: ArrayLike,
    model: str = DEFAULT_DOSE_MODEL,
) -> NDArray[np.float64]:
    """Orbit-average omnidirectional flux of trapped protons leaving the shield above 30 MeV.

    The flux that drives proton single-event effects behind the shield [cm^-2 s^-1] (CSDA
    transport of the AP-8 MIN spectrum through the Al sphere); NaN outside the valid range.
    """
    return _lookup("proton_flux_cm2_s", altitude_km, inclination_deg, shield_mm_al, model)


# ---- heavy ions: LET in silicon, transport through the shield, Weibull rates ---------------
_ION_E_GRID: Final = np.geomspace(1.0, 1e5, 801)  # energy per nucleon outside the shield [MeV/n]


def silicon_let_mev_cm2_mg(z: ArrayLike, energy_mev_per_n: ArrayLike) -> NDArray[np.float64]:
    """LET of an ion in silicon [MeV cm^2 mg^-1]: ``Z_eff^2`` times the proton stopping power at
    the same velocity, ``Z_eff = Z (1 - exp(-125 beta Z^(-2/3)))`` (Barkas 1963)."""
    zz = np.asarray(z, np.float64)
    e = np.maximum(np.asarray(energy_mev_per_n, np.float64), 1e-6)
    gamma = 1.0 + e / PROTON_REST_ENERGY_MEV
    beta = np.sqrt(1.0 - 1.0 / gamma**2)
    z_eff = zz * (1.0 - np.exp(-125.0 * beta * zz ** (-2.0 / 3.0)))
    out: NDArray[np.float64] = z_eff**2 * proton_stopping_power_mev_cm2_g(e, "si") * 1e-3
    return out


@functools.lru_cache(maxsize=64)
def _ion_terms(
    altitude_km: float, inclination_deg: float, shield_g_cm2: float, wolf_number: float
) -> tuple[tuple[NDArray[np.float64], NDArray[np.float64]], ...]:
    """Per element: (LET at the device [MeV cm^2/mg], omnidirectional flux per grid cell
    [cm^-2 s^-1]) over the energy grid outside the shield. Kept per orbit, shield and solar
    phase (read-only arrays): 14 ms a call, and every sizing of a study point asks again."""
    e = _ION_E_GRID
    de = np.gradient(e)
    shadow = float(earth_shadow_factor(altitude_km))
    r_p = proton_csda_range_g_cm2(e)
    out = []
    for z, a, *_ in GCR_NUCLEI:
        rigidity = (a / z) * proton_rigidity_gv(e)
        flux = (
            4.0 * math.pi * shadow * gcr_ion_spectrum(int(z), e, wolf_number) * de
            * geomagnetic_transmission(rigidity, altitude_km, inclination_deg)
        )  # fmt: skip
        residual = proton_energy_for_range_mev(r_p - shield_g_cm2 * z * z / a)
        let = np.where(residual > 0, silicon_let_mev_cm2_mg(z, np.maximum(residual, 1e-6)), 0.0)
        kept = np.where(residual > 0, flux, 0.0)
        let.setflags(write=False)
        kept.setflags(write=False)
        out.append((let, kept))
    return tuple(out)


def gcr_ion_let_flux_cm2_s(
    let_min_mev_cm2_mg: float,
    altitude_km: float,
    inclination_deg: float,
    shield_g_cm2: float,
    wolf_number: float = 0.0,
) -> float:
    """Orbit-average flux of GCR nuclei (Z = 2-28) reaching the device behind the shield with
    an LET in Si above ``let_min_mev_cm2_mg`` [cm^-2 s^-1]."""
    terms = _ion_terms(altitude_km, inclination_deg, shield_g_cm2, wolf_number)
    return float(sum(flux[let > let_min_mev_cm2_mg].sum() for let, flux in terms))


def gcr_heavy_ion_see_rate_per_day(
    sigma_sat_cm2: float,
    let0_mev_cm2_mg: float,
    width_mev_cm2_mg: float,
    shape: float,
    altitude_km: float,
    inclination_deg: float,
    shield_g_cm2: float,
    wolf_number: float = 0.0,
) -> float:
    """Heavy-ion single-event rate of a device with a Weibull cross-section [per day]:
    ``sum over nuclei and energies of sigma(LET) x flux`` (module docstring)."""
    if not (sigma_sat_cm2 >= 0 and let0_mev_cm2_mg >= 0 and width_mev_cm2_mg > 0 and shape > 0):
        raise ValueError("Weibull: need sigma_sat >= 0, L0 >= 0, W > 0, s > 0")
    rate = 0.0
    for let, flux in _ion_terms(altitude_km, inclination_deg, shield_g_cm2, wolf_number):
        x = np.maximum(let - let0_mev_cm2_mg, 0.0) / width_mev_cm2_mg
        rate += float(np.sum(sigma_sat_cm2 * -np.expm1(-(x**shape)) * flux))
    return rate * 86400.0


# ---- fault model ------------------------------------------------------------------------------


def shielded_threshold_energy_mev(
    shield_mm_al: ArrayLike, residual_mev: float = SEE_PROTON_THRESHOLD_MEV
) -> NDArray[np.float64]:
    """Energy a proton needs outside an Al sphere of radius ``shield_mm_al`` to leave it with
    ``residual_mev`` (CSDA range, :func:`proton_csda_range_g_cm2`) [MeV]."""
    t = np.asarray(shield_mm_al, np.float64) * 0.1 * ALUMINIUM_DENSITY_G_CM3
    if np.any(t < 0):
        raise ValueError("shield_mm_al must be >= 0")
    return proton_energy_for_range_mev(proton_csda_range_g_cm2(residual_mev) + t)


def see_rate_per_device_day(
    cross_section_cm2: ArrayLike, proton_flux_cm2_s: ArrayLike
) -> NDArray[np.float64]:
    """Single-event rate of one device, ``sigma * phi`` [events per device-day].

    Parameters
    ----------
    cross_section_cm2
        Device cross-section for the event, measured with protons at a test energy on the
        saturated part of the Weibull curve (>~30 MeV for modern CMOS) [cm^2], >= 0.
    proton_flux_cm2_s
        Flux of protons above ~30 MeV at the device [cm^-2 s^-1], >= 0.
    """
    sigma = np.asarray(cross_section_cm2, dtype=float)
    phi = np.asarray(proton_flux_cm2_s, dtype=float)
    if np.any(sigma < 0) or np.any(phi < 0):
        raise ValueError("cross-section and flux must be >= 0")
    out: NDArray[np.float64] = sigma * phi * SECONDS_PER_DAY
    return out


@dataclass(frozen=True)
class HeavyIonWeibull:
    """A device's heavy-ion cross-section for one event type, as a Weibull curve in LET.

    ``sigma(L) = sigma_sat (1 - exp(-((L - L0) / W)^s))`` for ``L > L0``, 0 below
    [cm^2 per device]. From ``[accelerators.<name>.radiation.heavy_ion.<event>]``:
    ``sigma_sat_cm2`` (per device; or ``sigma_sat_cm2_per_bit`` times ``bits``),
    ``let0_mev_cm2_mg``, ``width_mev_cm2_mg``, ``shape``, ``source``, ``year`` and
    ``measured_on``, the part the beam test was made on (a comparable part may stand in for the
    catalog's device: the text says so).
    """

    event: str
    sigma_sat_cm2: float
    let0_mev_cm2_mg: float
    width_mev_cm2_mg: float
    shape: float
    source: str
    year: int
    measured_on: str

    def __post_init__(self) -> None:
        if self.event not in SEE_EVENTS:
            raise ValueError(f"heavy-ion event {self.event!r}; allowed: {', '.join(SEE_EVENTS)}")
        ok = (
            self.sigma_sat_cm2 > 0
            and self.let0_mev_cm2_mg >= 0
            and self.width_mev_cm2_mg > 0
            and self.shape > 0
        )
        if not ok:
            raise ValueError(
                f"heavy-ion Weibull for {self.event}: need sigma_sat_cm2 > 0, "
                "let0_mev_cm2_mg >= 0, width_mev_cm2_mg > 0 and shape > 0"
            )

    @property
    def let_quarter_saturation_mev_cm2_mg(self) -> float:
        """``L0.25``, the LET where the curve reaches a quarter of saturation (Petersen's figure
        of merit uses it) [MeV cm^2/mg]: ``L0 + W (-ln 0.75)^(1/s)``."""
        return self.let0_mev_cm2_mg + self.width_mev_cm2_mg * (-math.log(0.75)) ** (
            1.0 / self.shape
        )

    @classmethod
    def from_mapping(cls, event: str, raw: Any, where: str = "heavy_ion") -> HeavyIonWeibull:
        """Build from a TOML table; ``ValueError`` naming the table and the field otherwise."""
        where = f"{where}.{event}"
        if not isinstance(raw, dict):
            raise ValueError(f"{where}: must be a table")
        for key in ("let0_mev_cm2_mg", "width_mev_cm2_mg", "shape", "source", "year"):
            if key not in raw:
                raise ValueError(f"{where}: missing field {key!r}")
        if "sigma_sat_cm2" in raw:
            sigma = float(raw["sigma_sat_cm2"])
        elif "sigma_sat_cm2_per_bit" in raw and "bits" in raw:
            sigma = float(raw["sigma_sat_cm2_per_bit"]) * float(raw["bits"])
        else:
            raise ValueError(
                f"{where}: give sigma_sat_cm2 (per device) or sigma_sat_cm2_per_bit and bits"
            )
        try:
            return cls(
                event=event,
                sigma_sat_cm2=sigma,
                let0_mev_cm2_mg=float(raw["let0_mev_cm2_mg"]),
                width_mev_cm2_mg=float(raw["width_mev_cm2_mg"]),
                shape=float(raw["shape"]),
                source=str(raw["source"]),
                year=int(raw["year"]),
                measured_on=str(raw.get("measured_on", "the catalog device")),
            )
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None


@dataclass(frozen=True)
class RadiationSensitivity:
    """What is known of a device's radiation tolerance (``accelerators.toml [*.radiation]``).

    ``None`` marks what is not known; rates computed from it come back NaN.
    """

    source: str
    year: int
    see_basis: str = "assumed"
    test_particle: str = "proton"
    test_energy_mev: float | None = None
    tid_hbm_irregularity_krad: float | None = None
    tid_no_hard_failure_krad: float | None = None
    sdc_cross_section_cm2: float | None = None
    hbm_ue_cross_section_cm2: float | None = None
    sefi_cross_section_cm2: float | None = None
    heavy_ion: tuple[HeavyIonWeibull, ...] = ()

    def heavy_ion_weibull(self, event: str) -> HeavyIonWeibull | None:
        """The heavy-ion Weibull of ``event`` (``"sdc"``, ``"hbm_ue"``, ``"sefi"``), if given."""
        return next((w for w in self.heavy_ion if w.event == event), None)

    @classmethod
    def from_mapping(cls, raw: Any, where: str = "radiation") -> RadiationSensitivity:
        """Build from a TOML table, checking that numbers are positive."""
        floats = (
            "test_energy_mev",
            "tid_hbm_irregularity_krad",
            "tid_no_hard_failure_krad",
            "sdc_cross_section_cm2",
            "hbm_ue_cross_section_cm2",
            "sefi_cross_section_cm2",
        )
        for key in ("source", "year"):
            if key not in raw:
                raise ValueError(f"{where} radiation: missing field {key!r}")
        values: dict[str, Any] = {}
        for key in floats:
            if key in raw:
                v = float(raw[key])
                if not v > 0:
                    raise ValueError(f"{where} radiation: {key} must be > 0, got {v!r}")
                values[key] = v
        heavy = raw.get("heavy_ion", {})
        if not isinstance(heavy, dict) or not set(heavy) <= set(SEE_EVENTS):
            raise ValueError(
                f"{where} radiation: heavy_ion must hold tables named {', '.join(SEE_EVENTS)}"
            )
        weibulls = tuple(
            HeavyIonWeibull.from_mapping(ev, heavy[ev], f"{where} radiation.heavy_ion")
            for ev in SEE_EVENTS
            if ev in heavy
        )
        return cls(
            source=str(raw["source"]),
            year=int(raw["year"]),
            see_basis=str(raw.get("see_basis", "assumed")),
            test_particle=str(raw.get("test_particle", "proton")),
            heavy_ion=weibulls,
            **values,
        )


class _HasRadiation(Protocol):
    @property
    def radiation(self) -> RadiationSensitivity | None: ...


def _nan_if_none(x: float | None) -> float:
    return np.nan if x is None else float(x)


@dataclass(frozen=True)
class FaultRates:
    """Radiation effects on one device over a mission (NaN where the device data are missing).

    Attributes
    ----------
    tid_rate_rad_per_yr, mission_dose_rad
        Dose rate and mission dose behind the shield [rad(Si)/yr], [rad(Si)].
    proton_flux_cm2_s
        Protons above 30 MeV at the device, all sources [cm^-2 s^-1].
    sdc_per_device_day, hbm_ue_per_device_day, sefi_per_device_day
        Silent data corruptions, uncorrectable HBM errors, functional interrupts [per day],
        from all three proton sources.
    years_to_hbm_irregularity
        Years until the dose reaches the HBM irregularity threshold [yr].
    tid_margin
        Highest dose tested without hard failure over the mission dose [-] (>1: margin).
    see_basis
        ``"measured"`` or ``"assumed"``: how the cross-sections were obtained.
    trapped_proton_flux_cm2_s, gcr_proton_flux_cm2_s, sep_proton_flux_cm2_s
        The three components of ``proton_flux_cm2_s``: trapped (AP-8), galactic cosmic-ray and
        solar-particle-event protons (mission average) [cm^-2 s^-1]; each event rate splits
        in the same proportions.
    gcr_heavy_ion_flux_cm2_s
        GCR nuclei (Z = 2-28) reaching the device with an LET above 1 MeV cm^2/mg
        [cm^-2 s^-1].
    heavy_ion_see_per_device_day
        The heavy-ion part of the event rates, all event types together [per day]: the
        device's heavy-ion Weibull curves folded with the GCR LET spectrum (SEE model
        ``"sigma-phi+weibull-let"``); NaN when the device has none or the SEE model is
        ``"sigma-phi"`` (then the event rates hold the proton part alone).
    see_model
        The single-event model the rates were computed with (``SEE_MODELS``).
    """

    tid_rate_rad_per_yr: float
    mission_dose_rad: float
    proton_flux_cm2_s: float
    sdc_per_device_day: float
    hbm_ue_per_device_day: float
    sefi_per_device_day: float
    years_to_hbm_irregularity: float
    tid_margin: float
    see_basis: str
    trapped_proton_flux_cm2_s: float = math.nan
    gcr_proton_flux_cm2_s: float = math.nan
    sep_proton_flux_cm2_s: float = math.nan
    gcr_heavy_ion_flux_cm2_s: float = math.nan
    heavy_ion_see_per_device_day: float = math.nan
    see_model: str = DEFAULT_SEE_MODEL

    @property
    def sdc_per_device_year(self) -> float:
        """Expected silent data corruptions per device-year [-]."""
        return self.sdc_per_device_day * JULIAN_YEAR_DAYS


@dataclass(frozen=True)
class RadiationEnvironment:
    """The particle environment of a circular orbit behind a given Al shield.

    Parameters
    ----------
    altitude_km, inclination_deg, shield_mm_al
        Orbit and shielding (see ``dose_rate_rad_per_yr``).
    model
        Dose model name (trapped particles).
    solar_activity
        Mean solar activity over the mission, 0 (minimum) to 1 (maximum), for the GCR
        modulation (:func:`skydc.environment.cosmic_rays.gcr_modulation_potential_gv`);
        default 0, the solar-minimum GCR flux, the highest.
    solar_maximum_fraction
        Share of the mission's years in solar maximum, when solar particle events occur
        [-]; default 7/11, a mission over whole cycles.
    see_model
        Single-event model (``SEE_MODELS``): ``"sigma-phi+weibull-let"`` (default) adds the
        heavy-ion Weibull fold of the devices that have one to the proton ``sigma x phi``;
        ``"sigma-phi"`` keeps protons alone.
    """

    altitude_km: float
    inclination_deg: float
    shield_mm_al: float
    model: str = DEFAULT_DOSE_MODEL
    solar_activity: float = 0.0
    solar_maximum_fraction: float = SOLAR_MAXIMUM_YEAR_FRACTION
    see_model: str = DEFAULT_SEE_MODEL

    @classmethod
    def for_mission(
        cls,
        altitude_km: float,
        inclination_deg: float,
        shield_mm_al: float,
        start_year: float | datetime | None,
        years: float,
        model: str = DEFAULT_DOSE_MODEL,
        see_model: str = DEFAULT_SEE_MODEL,
    ) -> RadiationEnvironment:
        """The environment of a mission flown from ``start_year`` (a decimal year, or a
        datetime such as the scenario's ``epoch_utc``) for ``years``: GCR modulated at the
        mission's mean solar activity (more GCR in the years around solar minimum) and
        solar-event fluence over its years in the active phase, from the solar-cycle prediction
        (:mod:`skydc.environment.solar_cycle`). Missions whose years leave the prediction
        (2020-2080), or ``start_year=None``, keep the defaults: solar-minimum GCR (the highest)
        and 7 active years in 11 (whole cycles)."""
        activity, active = 0.0, SOLAR_MAXIMUM_YEAR_FRACTION
        if start_year is not None:
            start = decimal_year(start_year) if isinstance(start_year, datetime) else start_year
            try:
                activity = solar_activity_index(start, years)
                active = solar_maximum_fraction(start, years)
            except ValueError:
                activity, active = 0.0, SOLAR_MAXIMUM_YEAR_FRACTION
        return cls(altitude_km, inclination_deg, shield_mm_al, model, activity, active, see_model)

    def __post_init__(self) -> None:
        load_dose_model(self.model)  # unknown names fail here, with the list
        if self.see_model not in SEE_MODELS:
            raise ValueError(
                f"unknown SEE model {self.see_model!r}; allowed: {', '.join(SEE_MODELS)}"
            )
        if not self.shield_mm_al >= 0 or not self.altitude_km > 0:
            raise ValueError("altitude_km must be > 0 and shield_mm_al >= 0")
        for name in ("solar_activity", "solar_maximum_fraction"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must lie in [0, 1], got {getattr(self, name)!r}")

    @property
    def tid_rate_rad_per_yr(self) -> float:
        """Total ionising dose rate [rad(Si)/yr] (NaN outside the model's range)."""
        args = (self.altitude_km, self.inclination_deg, self.shield_mm_al, self.model)
        return float(dose_rate_rad_per_yr(*args))

    @property
    def trapped_proton_flux_cm2_s(self) -> float:
        """Flux of trapped protons above 30 MeV behind the shield [cm^-2 s^-1]."""
        args = (self.altitude_km, self.inclination_deg, self.shield_mm_al, self.model)
        return float(proton_flux_behind_shield_cm2_s(*args))

    @property
    def _threshold_mev(self) -> float:
        return float(shielded_threshold_energy_mev(self.shield_mm_al))

    @property
    def gcr_proton_flux_cm2_s(self) -> float:
        """Orbit-average flux of GCR protons leaving the shield above 30 MeV [cm^-2 s^-1]."""
        phi = float(gcr_modulation_potential_gv(self.solar_activity))
        e = self._threshold_mev
        return gcr_proton_integral_flux_cm2_s(e, self.altitude_km, self.inclination_deg, phi)

    @property
    def sep_proton_flux_cm2_s(self) -> float:
        """Mission-average flux of solar-event protons leaving the shield above 30 MeV
        (ESP-PSYCHIC, 95 % confidence) [cm^-2 s^-1]."""
        e = min(self._threshold_mev, 500.0)
        per_year = sep_proton_fluence_per_active_year_cm2(e, self.altitude_km, self.inclination_deg)
        seconds = JULIAN_YEAR_DAYS * SECONDS_PER_DAY
        return per_year * self.solar_maximum_fraction / seconds

    @property
    def _wolf_number(self) -> float:
        return _WOLF_AT_PEAK * self.solar_activity

    @property
    def _shield_g_cm2(self) -> float:
        return self.shield_mm_al * 0.1 * ALUMINIUM_DENSITY_G_CM3

    @property
    def gcr_heavy_ion_flux_cm2_s(self) -> float:
        """GCR nuclei (Z = 2-28) at the device with an LET above 1 MeV cm^2/mg [cm^-2 s^-1]."""
        return gcr_ion_let_flux_cm2_s(
            HEAVY_ION_LET_MIN_MEV_CM2_MG, self.altitude_km, self.inclination_deg,
            self._shield_g_cm2, self._wolf_number,
        )  # fmt: skip

    def heavy_ion_see_per_device_day(
        self, sigma_sat_cm2: float, let0_mev_cm2_mg: float, width_mev_cm2_mg: float, shape: float
    ) -> float:
        """Heavy-ion single-event rate of a device with the Weibull cross-section
        ``sigma_sat (1 - exp(-((L - L0) / W)^s))`` [per device-day] (GCR nuclei Z = 2-28,
        :func:`gcr_heavy_ion_see_rate_per_day`)."""
        return gcr_heavy_ion_see_rate_per_day(
            sigma_sat_cm2, let0_mev_cm2_mg, width_mev_cm2_mg, shape, self.altitude_km,
            self.inclination_deg, self._shield_g_cm2, self._wolf_number,
        )  # fmt: skip

    @property
    def proton_flux_cm2_s(self) -> float:
        """Flux of protons above 30 MeV behind the shield, trapped + GCR + SPE [cm^-2 s^-1]
        (NaN where the trapped-particle model is out of range)."""
        return (
            self.trapped_proton_flux_cm2_s + self.gcr_proton_flux_cm2_s + self.sep_proton_flux_cm2_s
        )

    def mission_dose_rad(self, mission_years: float) -> float:
        """Dose over a mission [rad(Si)]: rate times duration."""
        if not mission_years >= 0:
            raise ValueError("mission_years must be >= 0")
        return self.tid_rate_rad_per_yr * mission_years

    def fault_rates(
        self, device: RadiationSensitivity | _HasRadiation, mission_years: float
    ) -> FaultRates:
        """Fault rates and total-dose margins of one device (an ``Accelerator`` or its data).

        ``rate = sigma * phi`` per event type (``see_rate_per_device_day``), ``phi`` the
        trapped + GCR + solar-event protons above 30 MeV behind the shield, plus (SEE model
        ``"sigma-phi+weibull-let"``) the heavy-ion Weibull fold of the event type where the
        device has one (:meth:`heavy_ion_see_per_device_day`); the years to the HBM
        irregularity threshold are ``threshold / dose rate``; the margin is the highest dose
        tested without hard failure over the mission dose.
        """
        sens = device if isinstance(device, RadiationSensitivity) else device.radiation
        if sens is None:
            sens = RadiationSensitivity(source="none: no radiation data", year=0)
        rate = self.tid_rate_rad_per_yr
        dose = self.mission_dose_rad(mission_years)
        trapped = self.trapped_proton_flux_cm2_s
        gcr = self.gcr_proton_flux_cm2_s
        sep = self.sep_proton_flux_cm2_s
        phi = trapped + gcr + sep

        heavy: dict[str, float] = {}
        if self.see_model == "sigma-phi+weibull-let":
            for w in sens.heavy_ion:
                heavy[w.event] = self.heavy_ion_see_per_device_day(
                    w.sigma_sat_cm2, w.let0_mev_cm2_mg, w.width_mev_cm2_mg, w.shape
                )

        def per_day(sigma: float | None, event: str) -> float:
            proton = float(see_rate_per_device_day(_nan_if_none(sigma), phi))
            return proton + heavy.get(event, 0.0)

        hbm = _nan_if_none(sens.tid_hbm_irregularity_krad) * 1e3
        hard = _nan_if_none(sens.tid_no_hard_failure_krad) * 1e3
        with np.errstate(divide="ignore"):
            years_hbm = float(np.divide(hbm, rate))
            margin = float(np.divide(hard, dose))
        return FaultRates(
            tid_rate_rad_per_yr=rate,
            mission_dose_rad=dose,
            proton_flux_cm2_s=phi,
            sdc_per_device_day=per_day(sens.sdc_cross_section_cm2, "sdc"),
            hbm_ue_per_device_day=per_day(sens.hbm_ue_cross_section_cm2, "hbm_ue"),
            sefi_per_device_day=per_day(sens.sefi_cross_section_cm2, "sefi"),
            years_to_hbm_irregularity=years_hbm,
            tid_margin=margin,
            see_basis=sens.see_basis,
            trapped_proton_flux_cm2_s=trapped,
            gcr_proton_flux_cm2_s=gcr,
            sep_proton_flux_cm2_s=sep,
            gcr_heavy_ion_flux_cm2_s=self.gcr_heavy_ion_flux_cm2_s,
            heavy_ion_see_per_device_day=sum(heavy.values()) if heavy else math.nan,
            see_model=self.see_model,
        )
