"""Heat rejection: radiator flux and area, Earth view factors, heat transport temperatures.

A radiator is a flat plate that emits ``eps sigma T^4`` from each radiating face and absorbs
sunlight, Earth infrared and albedo (Gilmore (ed.), "Spacecraft Thermal Control Handbook",
vol. 1, 2nd ed., 2002, ch. 2 and 6). Temperatures are quasi-steady: the radiator's heat
capacity is ignored, as in preliminary sizing.

Kernels broadcast; :class:`Radiator` and :class:`HeatTransport` are frozen parameter holders.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc._args import choice, in_range, non_negative, positive
from skydc.constants import (
    EARTH_ALBEDO,
    EARTH_IR_TEMPERATURE_K,
    EARTH_MEAN_RADIUS_M,
    SOLAR_CONSTANT_W_M2,
    STEFAN_BOLTZMANN_W_M2_K4,
)
from skydc.spacecraft.power import _out

__all__ = [
    "EARTH_FLUX_MODELS",
    "ORIENTATIONS",
    "HeatTransport",
    "Radiator",
    "RadiatorSizing",
    "chip_temperature_k",
    "earth_view_factor",
    "earth_view_factor_tilted",
    "radiator_absorbed_w_m2",
    "radiator_area_m2",
    "radiator_equilibrium_temperature_k",
    "radiator_net_flux_w_m2",
    "required_radiator_temperature_k",
]

# Angle between a face's normal and nadir for each named orientation [rad].
_TILT_RAD = {
    "nadir-facing": 0.0,
    "edge-on": 0.5 * np.pi,
    "perpendicular": 0.5 * np.pi,
    "zenith-facing": np.pi,
}
ORIENTATIONS = tuple(_TILT_RAD)
EARTH_FLUX_MODELS = ("kirchhoff", "starcloud-2024")


def earth_view_factor_tilted(
    altitude_m: ArrayLike, tilt_rad: ArrayLike, earth_radius_m: float = EARTH_MEAN_RADIUS_M
) -> NDArray[np.float64]:
    """View factor from one face of a small flat plate to a spherical Earth.

    With ``H = (R + h) / R`` and ``lam`` the angle between the face normal and nadir
    (Howell, "A Catalog of Radiation Heat Transfer Configuration Factors", differential planar
    element to sphere, element tilted; also Thornton, "Thermal Structures for Aerospace
    Applications", AIAA 1996)::

        lam <= acos(1/H):            F = cos(lam) / H^2                  (whole disc in view)
        acos(1/H) < lam < pi - acos(1/H):
            F = 1/2 - asin(sqrt(H^2-1) / (H sin lam)) / pi
                + [cos(lam) acos(-sqrt(H^2-1) cot lam) - sqrt(H^2-1) sqrt(1 - H^2 cos^2 lam)]
                  / (pi H^2)
        lam >= pi - acos(1/H):       F = 0

    Parameters
    ----------
    altitude_m : array_like
        Height above the sphere [m], > 0.
    tilt_rad : array_like
        Angle between the face normal and nadir [rad], in [0, pi].
    earth_radius_m : float
        Sphere radius [m] (IAU mean radius by default).
    """
    h = positive("altitude_m", altitude_m)
    lam = in_range("tilt_rad", tilt_rad, 0.0, np.pi)
    big_h = (earth_radius_m + h) / earth_radius_m
    x = np.sqrt(big_h**2 - 1.0)
    gamma = np.arccos(1.0 / big_h)
    cos_l, sin_l = np.cos(lam), np.sin(lam)
    full = cos_l / big_h**2
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.clip(x / (big_h * sin_l), -1.0, 1.0)
        c = np.clip(-x * cos_l / sin_l, -1.0, 1.0)
        root = np.sqrt(np.maximum(1.0 - big_h**2 * cos_l**2, 0.0))
        partial = (
            0.5 - np.arcsin(s) / np.pi + (cos_l * np.arccos(c) - x * root) / (np.pi * big_h**2)
        )
    f = np.where(lam <= gamma, full, np.where(lam < np.pi - gamma, partial, 0.0))
    return np.clip(f, 0.0, 1.0)


def earth_view_factor(
    altitude_m: ArrayLike, orientation: str, earth_radius_m: float = EARTH_MEAN_RADIUS_M
) -> NDArray[np.float64]:
    """View factor to the Earth of one face of a flat plate, by orientation name.

    - ``"nadir-facing"``: face parallel to the ground, looking down: ``F = (R / (R + h))^2``.
    - ``"edge-on"`` (alias ``"perpendicular"``): face normal horizontal, ``lam = 90 deg``:
      ``F = [atan(1 / sqrt(H^2 - 1)) - sqrt(H^2 - 1) / H^2] / pi``, 0.5 on the ground.
    - ``"zenith-facing"``: face looking up: ``F = 0``.

    See :func:`earth_view_factor_tilted` for the formula and references.
    """
    choice("radiator orientation", orientation, ORIENTATIONS)
    return earth_view_factor_tilted(altitude_m, _TILT_RAD[orientation], earth_radius_m)


def radiator_absorbed_w_m2(
    emissivity: ArrayLike,
    absorptivity: ArrayLike,
    solar_w_m2: ArrayLike = SOLAR_CONSTANT_W_M2,
    sun_cos: ArrayLike = 0.0,
    earth_view_factor: ArrayLike = 0.0,
    albedo: ArrayLike = EARTH_ALBEDO,
    earth_temperature_k: ArrayLike = EARTH_IR_TEMPERATURE_K,
    albedo_cos: ArrayLike = 1.0,
    earth_flux_model: str = "kirchhoff",
) -> NDArray[np.float64]:
    """Environmental heat absorbed per m^2 of plate [W m^-2].

    ``q_abs = alpha S max(cos, 0) + F (a_IR sigma T_E^4 + alpha a S cos_alb)``, where ``F`` is
    the sum of the radiating faces' view factors to the Earth and the Earth radiates as a
    ``T_E`` blackbody and reflects sunlight diffusely (albedo ``a``, scaled by ``cos_alb``, the
    cosine of the solar zenith angle under the satellite; 1 at the sub-solar point).

    ``earth_flux_model`` picks the IR absorptance ``a_IR``:

    - ``"kirchhoff"`` (default, physical): a grey surface absorbs Earth infrared with its IR
      emissivity, ``a_IR = eps``; sunlight and albedo with the solar absorptivity ``alpha``.
    - ``"starcloud-2024"``: Earth IR absorbed with the solar absorptivity, ``a_IR = alpha``,
      i.e. ``q_Earth = alpha F (sigma T_E^4 + a S)``. This reproduces the Starcloud white
      paper (v1.03, 2024) worked example: 0.09 x 0.25 x (sigma 253.15^4 + 0.3 x 1366) =
      14.46 W m^-2. For a white radiator (low alpha, high eps) it understates Earth IR
      heating about tenfold; use it only to reproduce that paper.
    """
    choice("earth flux model", earth_flux_model, EARTH_FLUX_MODELS)
    eps = in_range("emissivity", emissivity, 0.0, 1.0, lo_open=True)
    alpha = in_range("absorptivity", absorptivity, 0.0, 1.0)
    f = in_range("earth_view_factor", earth_view_factor, 0.0, 2.0)
    s = non_negative("solar_w_m2", solar_w_m2)
    a = in_range("albedo", albedo, 0.0, 1.0)
    t_e = non_negative("earth_temperature_k", earth_temperature_k)
    a_ir = eps if earth_flux_model == "kirchhoff" else alpha
    sun = alpha * s * np.maximum(np.asarray(sun_cos, dtype=np.float64), 0.0)
    albedo_in = a * s * np.maximum(np.asarray(albedo_cos, dtype=np.float64), 0.0)
    return sun + f * (a_ir * STEFAN_BOLTZMANN_W_M2_K4 * t_e**4 + alpha * albedo_in)


def radiator_net_flux_w_m2(
    temperature_k: ArrayLike,
    emissivity: ArrayLike,
    absorptivity: ArrayLike,
    solar_w_m2: ArrayLike = SOLAR_CONSTANT_W_M2,
    sun_cos: ArrayLike = 0.0,
    earth_view_factor: ArrayLike = 0.0,
    albedo: ArrayLike = EARTH_ALBEDO,
    earth_temperature_k: ArrayLike = EARTH_IR_TEMPERATURE_K,
    sides: ArrayLike = 2,
    albedo_cos: ArrayLike = 1.0,
    earth_flux_model: str = "kirchhoff",
) -> NDArray[np.float64]:
    """Net heat rejected per m^2 of radiator plate (planform area) [W m^-2].

    ``q = n eps sigma T^4 - q_abs`` with ``n`` = ``sides`` radiating faces (1 or 2) and
    ``q_abs`` from :func:`radiator_absorbed_w_m2` (deep space as a 0 K sink). Negative where the
    plate absorbs more than it emits. Always ``q <= n eps sigma T^4``.

    Parameters
    ----------
    temperature_k : array_like
        Radiator surface temperature [K].
    emissivity, absorptivity : array_like
        IR hemispherical emissivity in (0, 1]; solar absorptivity in [0, 1].
    solar_w_m2 : array_like
        Solar irradiance [W m^-2].
    sun_cos : array_like
        Cosine of the Sun's angle to the sunlit face's normal (a flat plate has one sunlit
        face; negative values count as 0). 0 for a radiator kept edge-on to the Sun.
    earth_view_factor : array_like
        Sum over the radiating faces of each face's view factor to the Earth, in [0, 2]
        (:func:`earth_view_factor`).
    albedo, earth_temperature_k, albedo_cos, earth_flux_model
        See :func:`radiator_absorbed_w_m2`.
    sides : array_like
        Radiating faces, 1 or 2.
    """
    n = np.asarray(sides, dtype=np.float64)
    if np.any((n != 1.0) & (n != 2.0)):
        raise ValueError("sides must be 1 or 2")
    t = non_negative("temperature_k", temperature_k)
    eps = in_range("emissivity", emissivity, 0.0, 1.0, lo_open=True)
    q_abs = radiator_absorbed_w_m2(
        eps,
        absorptivity,
        solar_w_m2,
        sun_cos,
        earth_view_factor,
        albedo,
        earth_temperature_k,
        albedo_cos,
        earth_flux_model,
    )
    return n * eps * STEFAN_BOLTZMANN_W_M2_K4 * t**4 - q_abs


def radiator_equilibrium_temperature_k(
    net_flux_w_m2: ArrayLike,
    emissivity: ArrayLike,
    absorptivity: ArrayLike,
    solar_w_m2: ArrayLike = SOLAR_CONSTANT_W_M2,
    sun_cos: ArrayLike = 0.0,
    earth_view_factor: ArrayLike = 0.0,
    albedo: ArrayLike = EARTH_ALBEDO,
    earth_temperature_k: ArrayLike = EARTH_IR_TEMPERATURE_K,
    sides: ArrayLike = 2,
    albedo_cos: ArrayLike = 1.0,
    earth_flux_model: str = "kirchhoff",
) -> NDArray[np.float64]:
    """Radiator temperature that rejects ``net_flux_w_m2`` [K]: the inverse of the net flux.

    ``T = ((q + q_abs) / (n eps sigma))^(1/4)``; with ``q = Q / A`` this is the quasi-steady
    radiator temperature over time for a heat load ``Q`` on area ``A``. NaN where
    ``q + q_abs < 0`` (no temperature rejects that little).
    """
    n = np.asarray(sides, dtype=np.float64)
    if np.any((n != 1.0) & (n != 2.0)):
        raise ValueError("sides must be 1 or 2")
    eps = in_range("emissivity", emissivity, 0.0, 1.0, lo_open=True)
    q_abs = radiator_absorbed_w_m2(
        eps,
        absorptivity,
        solar_w_m2,
        sun_cos,
        earth_view_factor,
        albedo,
        earth_temperature_k,
        albedo_cos,
        earth_flux_model,
    )
    emitted = np.asarray(net_flux_w_m2, dtype=np.float64) + q_abs
    with np.errstate(invalid="ignore"):
        return (
            np.where(emitted >= 0, emitted, np.nan) ** 0.25
            / (n * eps * STEFAN_BOLTZMANN_W_M2_K4) ** 0.25
        )


def radiator_area_m2(heat_w: ArrayLike, net_flux_w_m2: ArrayLike) -> NDArray[np.float64]:
    """Radiator plate area to reject a heat load, ``A = Q / q`` [m^2].

    NaN where ``q <= 0`` (the radiator cannot reject heat at that temperature and environment).
    """
    q_heat = non_negative("heat_w", heat_w)
    q = np.asarray(net_flux_w_m2, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(q > 0, q_heat / q, np.nan)


def required_radiator_temperature_k(
    chip_limit_k: ArrayLike, chip_to_coolant_k: ArrayLike, coolant_to_radiator_k: ArrayLike
) -> NDArray[np.float64]:
    """Radiator temperature that keeps chips at their limit: ``T_r = T_chip - dT_cc - dT_cr``.

    ``dT_cc``: junction to coolant (cold plate, thermal interface); ``dT_cr``: coolant to
    radiator surface (heat exchanger, loop temperature rise, fin gradient) [K].
    """
    dt1 = non_negative("chip_to_coolant_k", chip_to_coolant_k)
    dt2 = non_negative("coolant_to_radiator_k", coolant_to_radiator_k)
    return positive("chip_limit_k", chip_limit_k) - dt1 - dt2


def chip_temperature_k(
    radiator_temperature_k: ArrayLike,
    chip_to_coolant_k: ArrayLike,
    coolant_to_radiator_k: ArrayLike,
) -> NDArray[np.float64]:
    """Chip temperature for a radiator temperature: ``T_chip = T_r + dT_cr + dT_cc`` [K]."""
    dt1 = non_negative("chip_to_coolant_k", chip_to_coolant_k)
    dt2 = non_negative("coolant_to_radiator_k", coolant_to_radiator_k)
    return positive("radiator_equilibrium_temperature_k", radiator_temperature_k) + dt1 + dt2


@dataclass(frozen=True)
class RadiatorSizing:
    """Result of :meth:`Radiator.size` (floats, or arrays for array inputs)."""

    heat_w: Any  # heat rejected [W]
    area_m2: Any  # plate (planform) area [m^2]
    radiating_area_m2: Any  # area x sides [m^2]
    mass_kg: Any
    stowed_volume_m3: Any
    net_flux_w_m2: Any  # per m^2 of plate
    earth_view_factor: Any  # summed over the radiating faces
    temperature_k: Any


@dataclass(frozen=True)
class Radiator:
    """A deployable radiator at a uniform temperature.

    Parameters
    ----------
    emissivity, absorptivity : float
        IR emissivity in (0, 1], solar absorptivity in [0, 1] (e.g. white paint, end of life).
    areal_density_kg_m2 : float
        Mass per m^2 of plate (panels, fluid, deployment structure) [kg m^-2].
    temperature_k : float
        Effective radiating temperature [K] (fin efficiency folded in).
    stowed_volume_m3_per_m2 : float
        Launch volume per m^2 of plate [m^3 m^-2].
    sides : int
        Radiating faces, 1 or 2.
    orientation : str
        One of :data:`ORIENTATIONS`, for the first face; a second face looks the opposite way.
    earth_flux_model : str
        One of :data:`EARTH_FLUX_MODELS`.
    albedo, earth_temperature_k : float
        Earth's albedo and IR blackbody temperature [K].
    """

    emissivity: float
    absorptivity: float
    areal_density_kg_m2: float
    temperature_k: float
    stowed_volume_m3_per_m2: float
    sides: int = 2
    orientation: str = "edge-on"
    earth_flux_model: str = "kirchhoff"
    albedo: float = EARTH_ALBEDO
    earth_temperature_k: float = EARTH_IR_TEMPERATURE_K

    def __post_init__(self) -> None:
        in_range("emissivity", self.emissivity, 0.0, 1.0, lo_open=True)
        in_range("absorptivity", self.absorptivity, 0.0, 1.0)
        non_negative("areal_density_kg_m2", self.areal_density_kg_m2)
        positive("temperature_k", self.temperature_k)
        non_negative("stowed_volume_m3_per_m2", self.stowed_volume_m3_per_m2)
        if self.sides not in (1, 2):
            raise ValueError(f"sides must be 1 or 2; got {self.sides!r}")
        choice("radiator orientation", self.orientation, ORIENTATIONS)
        choice("earth flux model", self.earth_flux_model, EARTH_FLUX_MODELS)
        in_range("albedo", self.albedo, 0.0, 1.0)
        non_negative("earth_temperature_k", self.earth_temperature_k)

    def view_factor(self, altitude_m: ArrayLike) -> NDArray[np.float64]:
        """Sum over the radiating faces of the view factor to the Earth."""
        tilt = _TILT_RAD[self.orientation]
        f = earth_view_factor_tilted(altitude_m, tilt)
        if self.sides == 2:
            f = f + earth_view_factor_tilted(altitude_m, np.pi - tilt)
        return f

    def net_flux_w_m2(
        self,
        altitude_m: ArrayLike,
        sun_cos: ArrayLike = 0.0,
        albedo_cos: ArrayLike = 1.0,
        solar_w_m2: ArrayLike = SOLAR_CONSTANT_W_M2,
        temperature_k: ArrayLike | None = None,
    ) -> NDArray[np.float64]:
        """:func:`radiator_net_flux_w_m2` of this radiator at an altitude [W m^-2]."""
        t = self.temperature_k if temperature_k is None else temperature_k
        return radiator_net_flux_w_m2(
            t,
            self.emissivity,
            self.absorptivity,
            solar_w_m2,
            sun_cos,
            self.view_factor(altitude_m),
            self.albedo,
            self.earth_temperature_k,
            self.sides,
            albedo_cos,
            self.earth_flux_model,
        )

    def size(
        self,
        heat_w: ArrayLike,
        altitude_m: ArrayLike,
        sun_cos: ArrayLike = 0.0,
        albedo_cos: ArrayLike = 1.0,
        solar_w_m2: ArrayLike = SOLAR_CONSTANT_W_M2,
    ) -> RadiatorSizing:
        """Plate area, mass and stowed volume to reject ``heat_w`` in the design environment.

        Use the hot case (highest ``sun_cos``, ``albedo_cos`` 1). ``ValueError`` if the radiator
        absorbs more than it emits there.
        """
        q = self.net_flux_w_m2(altitude_m, sun_cos, albedo_cos, solar_w_m2)
        if np.any(q <= 0):
            raise ValueError(
                f"a radiator at {self.temperature_k:g} K absorbs more than it emits here; "
                "raise its temperature, lower its absorptivity or keep it edge-on to the Sun"
            )
        area = radiator_area_m2(heat_w, q)
        return RadiatorSizing(
            heat_w=_out(np.asarray(heat_w, dtype=np.float64) * np.ones_like(area)),
            area_m2=_out(area),
            radiating_area_m2=_out(area * self.sides),
            mass_kg=_out(area * self.areal_density_kg_m2),
            stowed_volume_m3=_out(area * self.stowed_volume_m3_per_m2),
            net_flux_w_m2=_out(q * np.ones_like(area)),
            earth_view_factor=_out(self.view_factor(altitude_m) * np.ones_like(area)),
            temperature_k=self.temperature_k,
        )


@dataclass(frozen=True)
class HeatTransport:
    """Pumped fluid loop from the chips' cold plates to the radiator.

    Parameters
    ----------
    mass_kg_per_kw : float
        Loop mass (pumps, pipes, fluid, cold plates, heat exchangers) per kW carried.
    pump_power_w_per_kw : float
        Electrical pump power per kW carried (itself heat to reject).
    chip_to_coolant_k, coolant_to_radiator_k : float
        Temperature drops [K], see :func:`required_radiator_temperature_k`.
    """

    mass_kg_per_kw: float
    pump_power_w_per_kw: float
    chip_to_coolant_k: float
    coolant_to_radiator_k: float

    def __post_init__(self) -> None:
        for name in (
            "mass_kg_per_kw",
            "pump_power_w_per_kw",
            "chip_to_coolant_k",
            "coolant_to_radiator_k",
        ):
            non_negative(name, getattr(self, name))

    def mass_kg(self, heat_w: ArrayLike) -> NDArray[np.float64]:
        """Loop mass for a heat load [kg]."""
        return non_negative("heat_w", heat_w) * self.mass_kg_per_kw / 1000.0

    def pump_power_w(self, heat_w: ArrayLike) -> NDArray[np.float64]:
        """Pump electrical power for a heat load [W]."""
        return non_negative("heat_w", heat_w) * self.pump_power_w_per_kw / 1000.0

    def radiator_temperature_k(self, chip_limit_k: ArrayLike) -> NDArray[np.float64]:
        """Radiator temperature that holds the chips at ``chip_limit_k`` [K]."""
        return required_radiator_temperature_k(
            chip_limit_k, self.chip_to_coolant_k, self.coolant_to_radiator_k
        )

    def chip_temperature_k(self, radiator_temperature_k: ArrayLike) -> NDArray[np.float64]:
        """Chip temperature with the radiator at ``radiator_temperature_k`` [K]."""
        return chip_temperature_k(
            radiator_temperature_k, self.chip_to_coolant_k, self.coolant_to_radiator_k
        )
