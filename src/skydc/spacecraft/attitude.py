"""The bus that flies the arrays: attitude control, array drives and TT&C.

A compute satellite carries hundreds of m^2 of sun-tracking array on booms. The attitude
control system must store the momentum that the disturbance torques on those wings build up
over an orbit; each wing turns on a solar-array drive mechanism (SADM) whose slip rings carry
its power into the bus.

Disturbance torques (Wertz & Larson (eds.), SMAD 3rd ed., 1999, sec. 11.1, "disturbance
torques"):

- gravity gradient ``T_g = (3 mu / 2 R^3) |I_z - I_y| sin(2 theta)``;
- solar radiation pressure ``T_s = (S / c) A (1 + q) cos(i) (c_ps - c_g)``;
- aerodynamic ``T_a = 1/2 rho C_d A V^2 (c_pa - c_g)``.

Momentum storage. A disturbance ``T sin(Omega t)`` stores at most ``integral T sin = 2 T /
Omega`` peak to peak and ``T / Omega`` from the mean, which a wheel or CMG set absorbs and
gives back each cycle: the gravity gradient of a wing turning once per orbit on its drive
acts at ``Omega = 2 omega_0`` (``sin 2 theta``), the solar and aerodynamic torques once per
orbit (``Omega = omega_0``). We take the sum of the three magnitudes (all peaks in phase):
a bound, not a simulation. SMAD's own rule for a cyclic torque, ``h = T (P/4) 0.707``, is
within 11 % of ``T / omega_0`` (``0.177 T P`` against ``0.159 T P``).

Why our own code: no maintained Python library sizes momentum storage from array geometry
(Basilisk simulates a given wheel set; it does not size one). The kernels below are short
closed forms, checked against a point-mass integration of the gravity-gradient torque in
``tests/spacecraft/test_attitude.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc._args import non_negative, positive
from skydc.constants import EARTH_MU_M3_S2, EARTH_RADIUS_M, SOLAR_CONSTANT_W_M2, SPEED_OF_LIGHT_M_S

if TYPE_CHECKING:
    from skydc.spacecraft.technology import BusTechnology

__all__ = [
    "BusSizing",
    "aerodynamic_torque_n_m",
    "array_drives",
    "gravity_gradient_torque_n_m",
    "peak_momentum_n_m_s",
    "size_bus_mechanisms",
    "solar_pressure_torque_n_m",
    "wing_rotating_inertia_kg_m2",
]


def gravity_gradient_torque_n_m(
    radius_m: ArrayLike, inertia_difference_kg_m2: ArrayLike, theta_rad: ArrayLike = math.pi / 4
) -> NDArray[np.float64]:
    """Gravity-gradient torque ``(3 mu / 2 R^3) |I_z - I_y| sin(2 theta)`` [N m] (SMAD 11.1).

    ``theta`` is the angle between the body's minimum-inertia axis and the local vertical;
    the default (45 deg) gives the peak.
    """
    r = positive("radius_m", radius_m)
    d_i = np.abs(np.asarray(inertia_difference_kg_m2, dtype=np.float64))
    return 1.5 * EARTH_MU_M3_S2 / r**3 * d_i * np.abs(np.sin(2.0 * np.asarray(theta_rad)))


def solar_pressure_torque_n_m(
    area_m2: ArrayLike,
    offset_m: ArrayLike,
    reflectance: ArrayLike = 0.3,
    cos_incidence: ArrayLike = 1.0,
    irradiance_w_m2: ArrayLike = SOLAR_CONSTANT_W_M2,
) -> NDArray[np.float64]:
    """Solar radiation pressure torque ``(S / c) A (1 + q) cos(i) d`` [N m] (SMAD 11.1).

    ``offset_m`` is the distance between the centre of solar pressure and the centre of mass;
    ``reflectance`` ``q`` in [0, 1] (SMAD: 0.6 typical of a whole spacecraft; array fronts of
    cells under cover glass reflect less).
    """
    a = non_negative("area_m2", area_m2)
    d = non_negative("offset_m", offset_m)
    q = np.asarray(reflectance, dtype=np.float64)
    s = np.asarray(irradiance_w_m2, dtype=np.float64)
    cos_i = np.asarray(cos_incidence, dtype=np.float64)
    return s / SPEED_OF_LIGHT_M_S * a * (1.0 + q) * cos_i * d


def aerodynamic_torque_n_m(
    density_kg_m3: ArrayLike,
    area_m2: ArrayLike,
    offset_m: ArrayLike,
    velocity_m_s: ArrayLike,
    drag_cd: ArrayLike = 2.2,
) -> NDArray[np.float64]:
    """Aerodynamic torque ``1/2 rho C_d A V^2 d`` [N m] (SMAD 11.1)."""
    rho = non_negative("density_kg_m3", density_kg_m3)
    a = non_negative("area_m2", area_m2)
    d = non_negative("offset_m", offset_m)
    v = non_negative("velocity_m_s", velocity_m_s)
    return 0.5 * rho * np.asarray(drag_cd) * a * v**2 * d


def peak_momentum_n_m_s(
    torque_n_m: ArrayLike, angular_rate_rad_s: ArrayLike
) -> NDArray[np.float64]:
    """Momentum a sinusoidal disturbance ``T sin(Omega t)`` stores about its mean, ``T / Omega``
    [N m s] (the integral of one half cycle is ``2 T / Omega``, peak to peak)."""
    t = non_negative("torque_n_m", torque_n_m)
    return t / positive("angular_rate_rad_s", angular_rate_rad_s)


def wing_rotating_inertia_kg_m2(
    wing_mass_kg: ArrayLike, wing_width_m: ArrayLike
) -> NDArray[np.float64]:
    """Inertia difference a flat wing brings as it turns about its long axis on its drive:
    ``m W^2 / 12`` [kg m^2] (a thin plate of width ``W`` about its centre line; the wing's length
    along the drive axis adds to both transverse axes alike and so cancels in ``I_z - I_y``)."""
    m = non_negative("wing_mass_kg", wing_mass_kg)
    w = non_negative("wing_width_m", wing_width_m)
    return m * w**2 / 12.0


def array_drives(array_power_w: ArrayLike, wings: ArrayLike, drive_max_power_w: float) -> Any:
    """Drives needed: one per wing at least, and enough slip-ring capacity for the array's
    beginning-of-life output (``ceil(P / P_drive)``, whole drives per wing); an int, or an
    integer array for arrays of designs."""
    positive("drive_max_power_w", drive_max_power_w)
    p = non_negative("array_power_w", array_power_w)
    w = np.asarray(wings)
    per_wing = np.maximum(1, np.ceil(p / w / drive_max_power_w))
    n = (w * per_wing).astype(np.int64)
    return int(n) if n.ndim == 0 else n


@dataclass(frozen=True)
class BusSizing:
    """The mechanisms and avionics that fly the arrays. Masses [kg], powers [W], momentum
    [N m s], torques [N m]."""

    momentum_n_m_s: float
    momentum_gravity_gradient_n_m_s: float
    momentum_solar_n_m_s: float
    momentum_aero_n_m_s: float
    attitude_units: int
    attitude_mass_kg: float
    attitude_power_w: float
    array_drives: int
    array_drive_mass_kg: float
    array_drive_power_w: float
    ttc_mass_kg: float
    ttc_power_w: float

    @property
    def power_w(self) -> float:
        """Attitude control, drives and TT&C, day and night [W]."""
        return self.attitude_power_w + self.array_drive_power_w + self.ttc_power_w


def size_bus_mechanisms(
    array_area_m2: ArrayLike,
    array_mass_kg: ArrayLike,
    array_power_bol_w: ArrayLike,
    altitude_km: float,
    density_kg_m3: float,
    bus: BusTechnology,
) -> BusSizing:
    """Size attitude control, array drives and TT&C for arrays of ``array_area_m2`` and
    ``array_mass_kg`` [kg] at ``altitude_km``, with the ``bus`` technology
    (:class:`skydc.spacecraft.technology.BusTechnology`; see its fields for the sources).
    The array arguments may be arrays over many designs: the fields are then arrays too.

    Wings: ``bus.array_wings`` wings (more where a wing would exceed
    ``bus.array_max_wing_area_m2``) of aspect ``bus.array_wing_aspect`` (length along the drive
    axis over width), each turning once per orbit on its drive. Centre-of-pressure offsets are
    ``bus.array_cp_offset_fraction`` of the wing length. The momentum is shared by
    ``bus.attitude_units`` units (one of them the spare), each sized for the whole momentum
    times ``1 + bus.attitude_momentum_margin`` and weighing that over
    ``bus.attitude_specific_momentum_n_m_s_per_kg``, at least ``bus.attitude_min_unit_kg``.
    """
    b = bus
    area = np.asarray(array_area_m2, dtype=np.float64)
    radius = EARTH_RADIUS_M + altitude_km * 1e3
    omega0 = math.sqrt(EARTH_MU_M3_S2 / radius**3)
    velocity = math.sqrt(EARTH_MU_M3_S2 / radius)
    # at least the preset's wings, and none larger than the largest wing flown
    wings = np.maximum(int(b.array_wings), np.ceil(area / b.array_max_wing_area_m2))
    wing_area = area / wings
    width = np.sqrt(wing_area / b.array_wing_aspect)
    length = width * b.array_wing_aspect
    d_inertia = wings * wing_rotating_inertia_kg_m2(np.asarray(array_mass_kg) / wings, width)
    t_gg = gravity_gradient_torque_n_m(radius, d_inertia)
    offset = b.array_cp_offset_fraction * length
    t_sp = solar_pressure_torque_n_m(area, offset)
    t_aero = aerodynamic_torque_n_m(
        density_kg_m3, b.drag_projected_fraction * area, offset, velocity, b.drag_cd
    )
    h_gg = peak_momentum_n_m_s(t_gg, 2.0 * omega0)
    h_sp = peak_momentum_n_m_s(t_sp, omega0)
    h_aero = peak_momentum_n_m_s(t_aero, omega0)
    h = h_gg + h_sp + h_aero
    units = int(b.attitude_units)
    per_unit = h * (1.0 + b.attitude_momentum_margin)
    unit_kg = np.maximum(per_unit / b.attitude_specific_momentum_n_m_s_per_kg,
                         b.attitude_min_unit_kg)  # fmt: skip
    drives = array_drives(array_power_bol_w, wings, b.array_drive_max_power_w)
    return BusSizing(
        momentum_n_m_s=_out(h),
        momentum_gravity_gradient_n_m_s=_out(h_gg),
        momentum_solar_n_m_s=_out(h_sp),
        momentum_aero_n_m_s=_out(h_aero),
        attitude_units=units,
        attitude_mass_kg=_out(units * unit_kg),
        attitude_power_w=units * b.attitude_unit_power_w,
        array_drives=drives,
        array_drive_mass_kg=_out(drives * b.array_drive_mass_kg),
        array_drive_power_w=_out(drives * b.array_drive_power_w),
        ttc_mass_kg=float(b.ttc_kg),
        ttc_power_w=float(b.ttc_power_w),
    )


def _out(a: ArrayLike) -> Any:
    """A Python float for 0-d results, the array otherwise (as the other sizing models)."""
    arr = np.asarray(a, dtype=np.float64)
    return float(arr) if arr.ndim == 0 else arr
