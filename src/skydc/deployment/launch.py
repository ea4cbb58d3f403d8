"""Launch vehicles: the sourced catalog, payload to a circular target orbit, price per kilogram.

Payload to a target orbit
-------------------------
A launcher's payload is published for one reference orbit (altitude :math:`h_0`, inclination
:math:`i_0`). To reach another circular orbit :math:`(h, i)` the same vehicle, with the same
liftoff mass and trajectory up to the reference orbit, spends an extra velocity increment
:math:`\\Delta v` with its upper stage, so by the rocket equation (Tsiolkovsky; Sutton &
Biblarz 2017, ch. 4) the mass it delivers, payload plus stage burnout mass :math:`m_b`, shrinks
by :math:`e^{-\\Delta v / (g_0 I_{sp})}`:

.. math:: P(h, i) = (P_0 + m_b)\\, e^{-\\Delta v(h, i) / (g_0 I_{sp})} - m_b .

:math:`\\Delta v` is the sum of three ideal (impulsive) terms:

* **Altitude**: the two-burn Hohmann transfer between circular orbits of radii :math:`r_0` and
  :math:`r` (Vallado 2013, sec. 6.3), counted negative for a lower target (the vehicle would
  have stopped short instead), so :math:`\\Delta v` grows with altitude and is 0 at :math:`h_0`.
* **Earth rotation**: a vehicle launched from latitude :math:`\\phi` at azimuth :math:`A` into
  inclination :math:`i` has :math:`\\sin A = \\cos i / \\cos \\phi`, so the eastward speed of
  the site along the track is :math:`\\omega R \\cos\\phi \\sin A = \\omega R \\cos i`, the
  same from any site. To first order in :math:`\\omega R / v` the extra cost is
  :math:`\\omega R (\\cos i_0 - \\cos i)` (about 470 m/s from 28.5 deg to a 98 deg SSO).
* **Plane change**: inclinations a site cannot reach directly (:math:`i < \\phi` or
  :math:`i > 180° - \\phi`) are launched at the nearest reachable one and turned by
  :math:`\\Delta i` in the circularisation burn at :math:`r`, which then costs
  :math:`\\sqrt{v_t^2 + v_c^2 - 2 v_t v_c \\cos\\Delta i}` (Vallado 2013, sec. 6.4).

Where a second figure is published for an SSO (``payload_sso_kg`` at ``sso_altitude_km``),
:math:`m_b` is replaced by the *effective* burnout mass that makes the formula reproduce both
figures (:attr:`LaunchVehicle.effective_burnout_mass_kg`); between and around the two points
the physics then interpolates. Known limits: ideal impulses leave out gravity and steering losses
and range or disposal constraints, so the pure model is optimistic for far targets (Falcon 9
expendable LEO to GTO: +9 % against SpaceX's 8,300 kg; Long March 5B LEO to 700 km SSO: +27 %
against CALT's 15 t, because its core stage cannot restart and ascends directly). It is a
first-order model for LEO targets, not a trajectory optimiser.

References
----------
Vallado, D. A. (2013). *Fundamentals of Astrodynamics and Applications*, 4th ed., ch. 6.
Sutton, G. P., Biblarz, O. (2017). *Rocket Propulsion Elements*, 9th ed., ch. 4.
Wertz, J. R., Larson, W. J. (1999). *Space Mission Analysis and Design*, 3rd ed., ch. 18.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import tomllib
from importlib.resources import files
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc._args import in_range
from skydc.constants import (
    EARTH_MU_M3_S2,
    EARTH_RADIUS_M,
    EARTH_ROTATION_RAD_S,
    MAX_ALTITUDE_KM,
    MIN_ALTITUDE_KM,
    STANDARD_GRAVITY_M_S2,
)
from skydc.orbits.constellation import sso_inclination_rad

__all__ = [
    "LaunchVehicle",
    "delta_v_from_reference_m_s",
    "get_launch_vehicle",
    "launch_price_per_kg_usd",
    "launch_vehicle_names",
    "load_launch_vehicles",
    "payload_after_delta_v_kg",
    "payload_to_orbit_kg",
    "sso_inclination_deg",
]

_DATA_FILE = "launch_vehicles.toml"
_DEFAULT_SSO_ALTITUDE_KM = 650.0
_EQUATOR_SPEED_M_S = EARTH_ROTATION_RAD_S * EARTH_RADIUS_M  # omega R, 465.1 m/s


def sso_inclination_deg(altitude_km: ArrayLike) -> NDArray[np.float64]:
    """Sun-synchronous inclination of a circular orbit [deg] (see ``sso_inclination_rad``)."""
    alt = in_range("altitude_km", altitude_km, MIN_ALTITUDE_KM, 5900.0, unit="km")
    return np.degrees(sso_inclination_rad(EARTH_RADIUS_M + alt * 1e3))


def delta_v_from_reference_m_s(
    altitude_km: ArrayLike,
    inclination_deg: ArrayLike,
    ref_altitude_km: ArrayLike,
    ref_inclination_deg: ArrayLike,
    site_latitude_deg: ArrayLike,
) -> NDArray[np.float64]:
    """Extra velocity increment from a reference circular orbit to a target one [m/s].

    :math:`\\Delta v = \\mathrm{sign}(r - r_0)\\,\\Delta v_{Hohmann}(r_0, r)
    + \\omega R(\\cos i_0 - \\cos i_L) + \\Delta v_{plane}`, with the launch inclination
    :math:`i_L` = ``inclination_deg`` clipped to the band the site reaches directly,
    :math:`[\\phi, 180° - \\phi]`, and the plane change :math:`|i - i_L|` combined with the
    circularisation burn at :math:`r` (module docstring; Vallado 2013, secs. 6.3-6.4).
    Broadcasts over all arguments; negative for targets cheaper than the reference.

    Parameters
    ----------
    altitude_km, inclination_deg : array_like
        Target circular orbit [km], [deg].
    ref_altitude_km, ref_inclination_deg : array_like
        Reference circular orbit of the published payload [km], [deg]; the reference
        inclination must be reachable directly from the site.
    site_latitude_deg : array_like
        Lowest latitude the vehicle launches from [deg].
    """
    h = in_range("altitude_km", altitude_km, MIN_ALTITUDE_KM, MAX_ALTITUDE_KM, unit="km")
    i = in_range("inclination_deg", inclination_deg, 0.0, 180.0, unit="deg")
    h0 = in_range("ref_altitude_km", ref_altitude_km, MIN_ALTITUDE_KM, MAX_ALTITUDE_KM, unit="km")
    i0 = in_range("ref_inclination_deg", ref_inclination_deg, 0.0, 180.0, unit="deg")
    phi = in_range("site_latitude_deg", site_latitude_deg, 0.0, 89.0, unit="deg")
    if np.any(i0 < phi - 1e-9) or np.any(i0 > 180.0 - phi + 1e-9):
        raise ValueError("ref_inclination_deg must be reachable directly: within [phi, 180 - phi]")
    r0 = EARTH_RADIUS_M + h0 * 1e3
    r = EARTH_RADIUS_M + h * 1e3
    a_t = 0.5 * (r0 + r)
    v0 = np.sqrt(EARTH_MU_M3_S2 / r0)
    vc = np.sqrt(EARTH_MU_M3_S2 / r)
    vt0 = np.sqrt(EARTH_MU_M3_S2 * (2.0 / r0 - 1.0 / a_t))  # transfer speed at r0
    vt = np.sqrt(EARTH_MU_M3_S2 * (2.0 / r - 1.0 / a_t))  # transfer speed at r
    dv_altitude = np.sign(r - r0) * (np.abs(vt0 - v0) + np.abs(vc - vt))
    i_launch = np.clip(i, phi, 180.0 - phi)
    dv_rotation = _EQUATOR_SPEED_M_S * (np.cos(np.radians(i0)) - np.cos(np.radians(i_launch)))
    turn = np.radians(np.abs(i - i_launch))
    dv_plane = np.sqrt(vt * vt + vc * vc - 2.0 * vt * vc * np.cos(turn)) - np.abs(vc - vt)
    return np.asarray(dv_altitude + dv_rotation + dv_plane, dtype=np.float64)


def payload_after_delta_v_kg(
    payload_ref_kg: ArrayLike,
    burnout_mass_kg: ArrayLike,
    isp_s: ArrayLike,
    delta_v_m_s: ArrayLike,
) -> NDArray[np.float64]:
    """Payload after an upper stage spends ``delta_v_m_s`` more than for its reference figure.

    :math:`P = (P_0 + m_b)\\, e^{-\\Delta v / (g_0 I_{sp})} - m_b`, floored at 0 (the target is
    out of reach). Negative :math:`\\Delta v` (an easier target) raises the payload.

    Parameters
    ----------
    payload_ref_kg : array_like
        Payload at the reference orbit [kg], >= 0.
    burnout_mass_kg : array_like
        Upper-stage burnout (or effective) mass [kg], >= 0.
    isp_s : array_like
        Vacuum specific impulse of the upper stage [s], > 0.
    delta_v_m_s : array_like
        Extra velocity increment [m/s].
    """
    p0 = np.asarray(payload_ref_kg, dtype=np.float64)
    mb = np.asarray(burnout_mass_kg, dtype=np.float64)
    isp = np.asarray(isp_s, dtype=np.float64)
    dv = np.asarray(delta_v_m_s, dtype=np.float64)
    if np.any(~(p0 >= 0.0)) or np.any(~(mb >= 0.0)):
        raise ValueError("payload_ref_kg and burnout_mass_kg must be >= 0 kg")
    if np.any(~(isp > 0.0)):
        raise ValueError("isp_s must be > 0 s")
    if not np.all(np.isfinite(dv)):
        raise ValueError("delta_v_m_s must be finite")
    p = (p0 + mb) * np.exp(-dv / (STANDARD_GRAVITY_M_S2 * isp)) - mb
    return np.asarray(np.maximum(p, 0.0), dtype=np.float64)


@dataclasses.dataclass(frozen=True)
class LaunchVehicle:
    """One launcher configuration from ``data/launch_vehicles.toml`` (fields as in the file).

    Override a figure with :func:`dataclasses.replace` (validated again). ``payload_sso_kg`` is
    NaN unless an SSO figure is published; then :attr:`effective_burnout_mass_kg` pins the
    model to it.
    """

    name: str
    description: str
    reusable: bool
    payload_leo_kg: float
    leo_altitude_km: float
    leo_inclination_deg: float
    launch_site_latitude_deg: float
    upper_stage_burnout_mass_kg: float
    upper_stage_isp_s: float
    fairing_diameter_m: float
    fairing_volume_m3: float
    price_usd: float
    price_year: int
    cadence_current_per_yr: float
    source: str
    year: int
    payload_leo_derived: bool = False
    payload_sso_kg: float = math.nan
    sso_altitude_km: float = _DEFAULT_SSO_ALTITUDE_KM
    fairing_volume_derived: bool = False
    price_estimated: bool = False
    cadence_target_per_yr: float = math.nan
    sources: tuple[tuple[str, str], ...] = ()
    notes: str = ""

    def __post_init__(self) -> None:
        positive: tuple[str, ...] = ("payload_leo_kg", "upper_stage_isp_s")
        positive += ("fairing_diameter_m", "fairing_volume_m3", "cadence_current_per_yr")
        for key in positive:
            if not getattr(self, key) > 0.0:
                raise ValueError(f"{self.name}: {key} must be > 0, got {getattr(self, key)!r}")
        for key in ("upper_stage_burnout_mass_kg", "price_usd"):
            if not getattr(self, key) >= 0.0:
                raise ValueError(f"{self.name}: {key} must be >= 0, got {getattr(self, key)!r}")
        if not (math.isnan(self.payload_sso_kg) or 0.0 < self.payload_sso_kg):
            raise ValueError(f"{self.name}: payload_sso_kg must be > 0 or absent")
        self._delta_v_sso()  # validates orbits and site latitude
        if not self.effective_burnout_mass_kg >= 0.0:
            raise ValueError(
                f"{self.name}: the published SSO figure is above what the rocket equation allows "
                "from the LEO figure (negative effective burnout mass); check both figures"
            )

    def _delta_v_sso(self) -> float:
        dv = delta_v_from_reference_m_s(
            self.sso_altitude_km,
            sso_inclination_deg(self.sso_altitude_km),
            self.leo_altitude_km,
            self.leo_inclination_deg,
            self.launch_site_latitude_deg,
        )
        return float(dv)

    @property
    def exhaust_velocity_m_s(self) -> float:
        """Effective exhaust velocity of the upper stage, :math:`g_0 I_{sp}` [m/s]."""
        return STANDARD_GRAVITY_M_S2 * self.upper_stage_isp_s

    @property
    def sso_derived(self) -> bool:
        """True when no SSO figure is published and :attr:`payload_sso_model_kg` is derived."""
        return math.isnan(self.payload_sso_kg)

    @property
    def effective_burnout_mass_kg(self) -> float:
        """Burnout mass used by the model [kg]: the stage's own, or fitted to the SSO figure.

        With both figures published, :math:`m_b = (P_0 E - P_{SSO}) / (1 - E)`,
        :math:`E = e^{-\\Delta v_{SSO} / (g_0 I_{sp})}`.
        """
        if self.sso_derived:
            return self.upper_stage_burnout_mass_kg
        e = math.exp(-self._delta_v_sso() / self.exhaust_velocity_m_s)
        if abs(1.0 - e) < 1e-9:
            raise ValueError(f"{self.name}: the SSO and LEO reference orbits coincide")
        return (self.payload_leo_kg * e - self.payload_sso_kg) / (1.0 - e)

    @property
    def payload_sso_model_kg(self) -> float:
        """Payload to the SSO at ``sso_altitude_km`` [kg]: published, or derived by the model."""
        if not self.sso_derived:
            return self.payload_sso_kg
        alt = self.sso_altitude_km
        return float(payload_to_orbit_kg(self, alt, sso_inclination_deg(alt)))

    @property
    def price_per_kg_leo_usd(self) -> float:
        """List price over the reference payload [USD/kg]."""
        return self.price_usd / self.payload_leo_kg


def payload_to_orbit_kg(
    vehicle: LaunchVehicle, altitude_km: ArrayLike, inclination_deg: ArrayLike
) -> NDArray[np.float64]:
    """Payload the vehicle puts into a circular orbit [kg] (method: module docstring).

    Equals ``vehicle.payload_leo_kg`` at the reference orbit and the published SSO figure, if
    any, at ``vehicle.sso_altitude_km``. Broadcasts over altitude and inclination.

    Parameters
    ----------
    vehicle : LaunchVehicle
    altitude_km : array_like
        Target altitude [km] (circular).
    inclination_deg : array_like
        Target inclination [deg]; :func:`sso_inclination_deg` for a sun-synchronous orbit.
    """
    dv = delta_v_from_reference_m_s(
        altitude_km,
        inclination_deg,
        vehicle.leo_altitude_km,
        vehicle.leo_inclination_deg,
        vehicle.launch_site_latitude_deg,
    )
    return payload_after_delta_v_kg(
        vehicle.payload_leo_kg,
        vehicle.effective_burnout_mass_kg,
        vehicle.upper_stage_isp_s,
        dv,
    )


def launch_price_per_kg_usd(
    vehicle: LaunchVehicle,
    altitude_km: ArrayLike,
    inclination_deg: ArrayLike,
    price_usd: ArrayLike | None = None,
) -> NDArray[np.float64]:
    """Launch price per kilogram of full payload to a circular orbit [USD/kg].

    ``price_usd`` (default the catalog price) broadcasts with the orbit, e.g. over a range of
    prices. NaN where the orbit is out of reach (zero payload).
    """
    price = np.asarray(vehicle.price_usd if price_usd is None else price_usd, dtype=np.float64)
    if np.any(~(price >= 0.0)):
        raise ValueError("price_usd must be >= 0 USD")
    payload = payload_to_orbit_kg(vehicle, altitude_km, inclination_deg)
    safe = np.where(payload > 0.0, payload, 1.0)
    return np.asarray(np.where(payload > 0.0, price / safe, np.nan), dtype=np.float64)


_SOURCE_KEYS: tuple[str, ...] = ("payload_source", "price_source", "cadence_source")
_SOURCE_KEYS += ("stage_source", "fairing_source")


def _vehicle_from_table(name: str, table: dict[str, Any]) -> LaunchVehicle:
    fields = {f.name for f in dataclasses.fields(LaunchVehicle)} - {"name", "sources"}
    unknown = sorted(set(table) - fields - set(_SOURCE_KEYS))
    if unknown:
        raise ValueError(f"{_DATA_FILE} [{name}]: unknown keys {unknown}")
    kwargs = {k: v for k, v in table.items() if k in fields}
    if kwargs.get("leo_inclination_deg") == "sso" and "leo_altitude_km" in kwargs:
        kwargs["leo_inclination_deg"] = float(sso_inclination_deg(kwargs["leo_altitude_km"]))
    for key in ("price_year", "year"):
        if key in kwargs:
            kwargs[key] = int(kwargs[key])
    sources = tuple((k.removesuffix("_source"), str(table[k])) for k in _SOURCE_KEYS if k in table)
    try:
        return LaunchVehicle(name=name, sources=sources, **kwargs)
    except TypeError as err:  # a required key is missing
        raise ValueError(f"{_DATA_FILE} [{name}]: {err}") from err


@functools.cache
def _catalog() -> tuple[LaunchVehicle, ...]:
    text = (files("skydc") / "data" / _DATA_FILE).read_text(encoding="utf-8")
    data = tomllib.loads(text)
    return tuple(_vehicle_from_table(name, table) for name, table in data.items())


def load_launch_vehicles() -> dict[str, LaunchVehicle]:
    """All catalog entries by name, in file order (a new dict each call)."""
    return {v.name: v for v in _catalog()}


def launch_vehicle_names() -> tuple[str, ...]:
    """The names a scenario may use, in file order."""
    return tuple(v.name for v in _catalog())


def get_launch_vehicle(name: str) -> LaunchVehicle:
    """The catalog entry called ``name``; ``ValueError`` listing the valid names otherwise."""
    vehicles = load_launch_vehicles()
    if name not in vehicles:
        raise ValueError(f"unknown launch vehicle {name!r}; allowed: {', '.join(vehicles)}")
    return vehicles[name]
