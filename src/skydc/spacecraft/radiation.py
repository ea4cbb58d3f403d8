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

Trapped particles only: solar energetic particles and galactic cosmic rays are not in it
(they add little behind ~10 mm Al below ~1,000 km except in polar orbits during large solar
events). AP-8 is a 1960s-1970s model; AP-9 and measured doses differ from it by up to a factor
~2 in LEO, so treat the result as a factor-2 estimate. Outside the model's validity range the
result is NaN and ``dose_out_of_range_code`` says why.

Fault model
-----------
Single-event effects scale with the flux of energetic protons behind the shield. A device's
event rate is its proton cross-section (measured at a test energy, taken as saturated) times
the omnidirectional flux of trapped protons that leave the shield with more than 30 MeV
(``proton_flux_cm2_s``, from the same table): ``rate = sigma * phi``. Total-dose limits
(HBM irregularities, no hard failure up to a tested dose) compare with the mission dose.
"""

from __future__ import annotations

import csv
import functools
import tomllib
from dataclasses import dataclass
from importlib.resources import files
from typing import Any, Final, Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc.constants import (
    ALUMINIUM_A_G_MOL,
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

__all__ = [
    "DEFAULT_DOSE_MODEL",
    "DoseModel",
    "FaultRates",
    "RadiationEnvironment",
    "RadiationSensitivity",
    "dose_model_names",
    "dose_out_of_range_code",
    "dose_rate_components_rad_per_yr",
    "dose_rate_rad_per_yr",
    "load_dose_model",
    "mev_per_g_to_rad",
    "proton_csda_range_g_cm2",
    "proton_energy_for_range_mev",
    "proton_flux_behind_shield_cm2_s",
    "proton_residual_energy_mev",
    "proton_stopping_power_mev_cm2_g",
    "see_rate_per_device_day",
]

DEFAULT_DOSE_MODEL: Final = "ap8min-ae8max"

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


# ---- fault model ------------------------------------------------------------------------------


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
        return cls(
            source=str(raw["source"]),
            year=int(raw["year"]),
            see_basis=str(raw.get("see_basis", "assumed")),
            test_particle=str(raw.get("test_particle", "proton")),
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
        Protons above 30 MeV at the device [cm^-2 s^-1].
    sdc_per_device_day, hbm_ue_per_device_day, sefi_per_device_day
        Silent data corruptions, uncorrectable HBM errors, functional interrupts [per day].
    years_to_hbm_irregularity
        Years until the dose reaches the HBM irregularity threshold [yr].
    tid_margin
        Highest dose tested without hard failure over the mission dose [-] (>1: margin).
    see_basis
        ``"measured"`` or ``"assumed"``: how the cross-sections were obtained.
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

    @property
    def sdc_per_device_year(self) -> float:
        """Expected silent data corruptions per device-year [-]."""
        return self.sdc_per_device_day * JULIAN_YEAR_DAYS


@dataclass(frozen=True)
class RadiationEnvironment:
    """The trapped-particle environment of a circular orbit behind a given Al shield.

    Parameters
    ----------
    altitude_km, inclination_deg, shield_mm_al
        Orbit and shielding (see ``dose_rate_rad_per_yr``).
    model
        Dose model name.
    """

    altitude_km: float
    inclination_deg: float
    shield_mm_al: float
    model: str = DEFAULT_DOSE_MODEL

    def __post_init__(self) -> None:
        load_dose_model(self.model)  # unknown names fail here, with the list
        if not self.shield_mm_al >= 0 or not self.altitude_km > 0:
            raise ValueError("altitude_km must be > 0 and shield_mm_al >= 0")

    @property
    def tid_rate_rad_per_yr(self) -> float:
        """Total ionising dose rate [rad(Si)/yr] (NaN outside the model's range)."""
        args = (self.altitude_km, self.inclination_deg, self.shield_mm_al, self.model)
        return float(dose_rate_rad_per_yr(*args))

    @property
    def proton_flux_cm2_s(self) -> float:
        """Flux of protons above 30 MeV behind the shield [cm^-2 s^-1]."""
        args = (self.altitude_km, self.inclination_deg, self.shield_mm_al, self.model)
        return float(proton_flux_behind_shield_cm2_s(*args))

    def mission_dose_rad(self, mission_years: float) -> float:
        """Dose over a mission [rad(Si)]: rate times duration."""
        if not mission_years >= 0:
            raise ValueError("mission_years must be >= 0")
        return self.tid_rate_rad_per_yr * mission_years

    def fault_rates(
        self, device: RadiationSensitivity | _HasRadiation, mission_years: float
    ) -> FaultRates:
        """Fault rates and total-dose margins of one device (an ``Accelerator`` or its data).

        ``rate = sigma * phi`` per event type (``see_rate_per_device_day``); the years to the
        HBM irregularity threshold are ``threshold / dose rate``; the margin is the highest
        dose tested without hard failure over the mission dose.
        """
        sens = device if isinstance(device, RadiationSensitivity) else device.radiation
        if sens is None:
            sens = RadiationSensitivity(source="none: no radiation data", year=0)
        rate = self.tid_rate_rad_per_yr
        dose = self.mission_dose_rad(mission_years)
        phi = self.proton_flux_cm2_s

        def per_day(sigma: float | None) -> float:
            return float(see_rate_per_device_day(_nan_if_none(sigma), phi))

        hbm = _nan_if_none(sens.tid_hbm_irregularity_krad) * 1e3
        hard = _nan_if_none(sens.tid_no_hard_failure_krad) * 1e3
        with np.errstate(divide="ignore"):
            years_hbm = float(np.divide(hbm, rate))
            margin = float(np.divide(hard, dose))
        return FaultRates(
            tid_rate_rad_per_yr=rate,
            mission_dose_rad=dose,
            proton_flux_cm2_s=phi,
            sdc_per_device_day=per_day(sens.sdc_cross_section_cm2),
            hbm_ue_per_device_day=per_day(sens.hbm_ue_cross_section_cm2),
            sefi_per_device_day=per_day(sens.sefi_cross_section_cm2),
            years_to_hbm_irregularity=years_hbm,
            tid_margin=margin,
            see_basis=sens.see_basis,
        )
