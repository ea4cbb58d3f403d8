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
    "array_ir_absorbed_w_m2",
    "chip_temperature_k",
    "earth_view_factor",
    "earth_view_factor_tilted",
    "radiating_fin_efficiency",
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
    extra_absorbed_w_m2: ArrayLike = 0.0,
) -> NDArray[np.float64]:
    """Environmental heat absorbed per m^2 of plate [W m^-2].

    ``q_abs = alpha S max(cos, 0) + F (a_IR sigma T_E^4 + alpha a S cos_alb) + q_x``, where
    ``q_x`` (``extra_absorbed_w_m2``) is what other surfaces of the spacecraft radiate onto it
    (:func:`array_ir_absorbed_w_m2`), and ``F`` is
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
    extra = non_negative("extra_absorbed_w_m2", extra_absorbed_w_m2)
    return sun + f * (a_ir * STEFAN_BOLTZMANN_W_M2_K4 * t_e**4 + alpha * albedo_in) + extra


def array_ir_absorbed_w_m2(
    view_factor: ArrayLike,
    array_temperature_k: ArrayLike,
    array_emissivity: ArrayLike,
    radiator_emissivity: ArrayLike,
) -> NDArray[np.float64]:
    """Infrared from the solar array absorbed per m^2 of radiator plate [W m^-2].

    ``q = eps_r eps_a F sigma T_a^4``: grey surfaces, one reflection neglected (Gilmore 2002,
    ch. 2), ``F`` the radiator faces' view factor to the array summed over the faces (by
    reciprocity, what the array's hot back side sends them per m^2 of radiator). A radiator in
    the plane of a sun-tracking array's normal sees the array edge-on to its wings' width; 0 when
    the array lies out of its view.
    """
    f = in_range("array view factor", view_factor, 0.0, 2.0)
    t = non_negative("array_temperature_k", array_temperature_k)
    ea = in_range("array_emissivity", array_emissivity, 0.0, 1.0)
    er = in_range("radiator emissivity", radiator_emissivity, 0.0, 1.0)
    return er * ea * f * STEFAN_BOLTZMANN_W_M2_K4 * t**4


def radiating_fin_efficiency(
    base_temperature_k: ArrayLike,
    half_width_m: ArrayLike,
    thickness_m: ArrayLike,
    conductivity_w_m_k: ArrayLike,
    emissivity: ArrayLike,
    sides: ArrayLike = 2,
) -> NDArray[np.float64]:
    """Efficiency of a straight radiating fin between two coolant tubes, linearised [-].

    ``eta = tanh(m L) / (m L)``, ``m = sqrt(n 4 eps sigma T_b^3 / (k t))``: the fin of half-width
    ``L`` (half the tube pitch), thickness ``t`` and conductivity ``k``, radiating from ``n``
    faces to a 0 K sink, with the radiation linearised about the base temperature ``T_b``
    (Gilmore 2002, ch. 6, fin efficiency of radiator panels; Lienhard & Lienhard, *A Heat
    Transfer Textbook*, 5th ed., 2019, sec. 4.5 for ``tanh(mL)/(mL)``). The linearisation is
    within 2 % of the exact radiating fin for ``mL < 1`` (Gilmore 2002, Fig. 6.16). The plate
    then radiates as an isothermal plate at ``T_b eta^(1/4)``.
    """
    t_b = positive("base_temperature_k", base_temperature_k)
    length = non_negative("fin half_width_m", half_width_m)
    thick = positive("fin thickness_m", thickness_m)
    k = positive("fin conductivity_w_m_k", conductivity_w_m_k)
    eps = in_range("emissivity", emissivity, 0.0, 1.0, lo_open=True)
    n = np.asarray(sides, dtype=np.float64)
    m = np.sqrt(n * 4.0 * eps * STEFAN_BOLTZMANN_W_M2_K4 * t_b**3 / (k * thick))
    ml = m * length
    with np.errstate(invalid="ignore", divide="ignore"):
        eta = np.where(ml > 1e-9, np.tanh(ml) / np.where(ml > 1e-9, ml, 1.0), 1.0)
    return np.asarray(eta, dtype=np.float64)


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
    extra_absorbed_w_m2: ArrayLike = 0.0,
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
        extra_absorbed_w_m2,
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
    extra_absorbed_w_m2: ArrayLike = 0.0,
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
        extra_absorbed_w_m2,
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
        Effective radiating temperature [K]: that of an isothermal plate emitting what the
        finned panel emits (:meth:`effective_temperature_k` from the coolant temperature).
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
    fin_half_width_m, fin_thickness_m, fin_conductivity_w_m_k : float, optional
        Panel between coolant tubes: half the tube pitch [m], facesheet thickness [m] (both
        faces' sheets together for ``sides = 2``), conductivity [W m^-1 K^-1]; the fin
        efficiency is then computed (:func:`radiating_fin_efficiency`).
    fin_efficiency : float, optional
        A measured or calibrated efficiency instead of the geometry (1 without either).
    array_view_factor : float
        The radiating faces' view factor to the solar array in the design attitude, summed.
    array_temperature_k, array_emissivity : float
        The array's operating temperature [K] and back-side IR emissivity, for that view.
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
    fin_half_width_m: float | None = None
    fin_thickness_m: float | None = None
    fin_conductivity_w_m_k: float | None = None
    fin_efficiency: float | None = None
    array_view_factor: float = 0.0
    array_temperature_k: float = 333.15
    array_emissivity: float = 0.85

    def __post_init__(self) -> None:
        half, thick, k = self.fin_half_width_m, self.fin_thickness_m, self.fin_conductivity_w_m_k
        if half is not None or thick is not None or k is not None:
            if half is None or thick is None or k is None:
                raise ValueError(
                    "give all of fin_half_width_m, fin_thickness_m and fin_conductivity_w_m_k"
                )
            if self.fin_efficiency is not None:
                raise ValueError("give the fin geometry or fin_efficiency, not both")
            non_negative("fin_half_width_m", half)
            positive("fin_thickness_m", thick)
            positive("fin_conductivity_w_m_k", k)
        if self.fin_efficiency is not None:
            in_range("fin_efficiency", self.fin_efficiency, 0.0, 1.0, lo_open=True)
        in_range("array_view_factor", self.array_view_factor, 0.0, 2.0)
        non_negative("array_temperature_k", self.array_temperature_k)
        in_range("array_emissivity", self.array_emissivity, 0.0, 1.0)
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

    def fin_efficiency_at(self, base_temperature_k: ArrayLike) -> NDArray[np.float64]:
        """Fin efficiency at a coolant (fin base) temperature: computed, given, or 1."""
        if self.fin_half_width_m is not None:
            assert self.fin_thickness_m is not None and self.fin_conductivity_w_m_k is not None
            return radiating_fin_efficiency(
                base_temperature_k, self.fin_half_width_m, self.fin_thickness_m,
                self.fin_conductivity_w_m_k, self.emissivity, self.sides,
            )  # fmt: skip
        eta = 1.0 if self.fin_efficiency is None else self.fin_efficiency
        return np.full_like(np.asarray(base_temperature_k, dtype=np.float64), eta)

    def effective_temperature_k(self, base_temperature_k: ArrayLike) -> NDArray[np.float64]:
        """Effective radiating temperature ``T_b eta^(1/4)`` for a fin base temperature [K]."""
        t_b = positive("base_temperature_k", base_temperature_k)
        return t_b * self.fin_efficiency_at(t_b) ** 0.25

    @property
    def array_ir_w_m2(self) -> float:
        """Array infrared absorbed per m^2 of plate (:func:`array_ir_absorbed_w_m2`) [W m^-2]."""
        return float(
            array_ir_absorbed_w_m2(
                self.array_view_factor, self.array_temperature_k, self.array_emissivity,
                self.emissivity,
            )
        )  # fmt: skip

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
            self.array_ir_w_m2,
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
        Temperature drops [K], see :func:`required_radiator_temperature_k`: junction to coolant
        (used when no cold-plate resistance is given) and coolant to radiator (interface heat
        exchanger, pipes and manifolds; the fin gradient is the radiator's own).
    junction_margin_k : float
        Design margin kept below the junction limit [K].
    cold_plate_resistance_k_per_w : float, optional
        Junction-to-coolant-inlet resistance of one cold plate [K/W]; the drop is then
        ``q R`` with ``q`` the heat of one plate (one accelerator package).
    loop_temperature_rise_k : float
        Coolant temperature rise across the cold plates, ``Q / (m_dot c_p)`` [K]: the radiator
        receives the coolant that much hotter than it returns it.
    """

    mass_kg_per_kw: float
    pump_power_w_per_kw: float
    chip_to_coolant_k: float
    coolant_to_radiator_k: float
    junction_margin_k: float = 0.0
    cold_plate_resistance_k_per_w: float | None = None
    loop_temperature_rise_k: float = 0.0

    def __post_init__(self) -> None:
        for name in (
            "mass_kg_per_kw",
            "pump_power_w_per_kw",
            "chip_to_coolant_k",
            "coolant_to_radiator_k",
            "junction_margin_k",
            "loop_temperature_rise_k",
        ):
            non_negative(name, getattr(self, name))
        if self.cold_plate_resistance_k_per_w is not None:
            non_negative("cold_plate_resistance_k_per_w", self.cold_plate_resistance_k_per_w)

    def junction_to_coolant_k(self, plate_heat_w: ArrayLike = 0.0) -> NDArray[np.float64]:
        """Junction to coolant inlet of the cold plate [K]: ``q R``, or ``chip_to_coolant_k``."""
        if self.cold_plate_resistance_k_per_w is None:
            return np.asarray(self.chip_to_coolant_k, dtype=np.float64)
        return non_negative("plate_heat_w", plate_heat_w) * self.cold_plate_resistance_k_per_w

    def radiator_fluid_temperature_k(
        self, chip_limit_k: ArrayLike, plate_heat_w: ArrayLike = 0.0
    ) -> NDArray[np.float64]:
        """Mean coolant temperature along the radiator, from the junction down [K].

        ``T_f = T_j,max - margin - q R - dT_cr + dT_loop / 2``: the cold plates receive coolant
        at ``T_j,max - margin - q R`` (their resistance is referred to the inlet), the
        radiator returns it ``dT_cr`` colder than that, and receives it ``dT_loop`` hotter
        than it returns it; linear along the panel, its mean is the middle.
        """
        t = positive("chip_limit_k", chip_limit_k) - self.junction_margin_k
        t = t - self.junction_to_coolant_k(plate_heat_w) - self.coolant_to_radiator_k
        return np.asarray(t + 0.5 * self.loop_temperature_rise_k, dtype=np.float64)

    def mass_kg(self, heat_w: ArrayLike) -> NDArray[np.float64]:
        """Loop mass for a heat load [kg]."""
        return non_negative("heat_w", heat_w) * self.mass_kg_per_kw / 1000.0

    def pump_power_w(self, heat_w: ArrayLike) -> NDArray[np.float64]:
        """Pump electrical power for a heat load [W]."""
        return non_negative("heat_w", heat_w) * self.pump_power_w_per_kw / 1000.0

    def radiator_temperature_k(self, chip_limit_k: ArrayLike) -> NDArray[np.float64]:
        """Radiator temperature that holds the chips at ``chip_limit_k`` [K] (fixed drops only:
        no margin, plate resistance or loop rise; see :meth:`radiator_fluid_temperature_k`)."""
        return required_radiator_temperature_k(
            chip_limit_k, self.chip_to_coolant_k, self.coolant_to_radiator_k
        )

    def chip_temperature_k(self, radiator_temperature_k: ArrayLike) -> NDArray[np.float64]:
        """Chip temperature with the radiator at ``radiator_temperature_k`` [K]."""
        return chip_temperature_k(
            radiator_temperature_k, self.chip_to_coolant_k, self.coolant_to_radiator_k
        )
