"""The mass and stowed-volume budget of one compute satellite (or one station), from physics.

Order of the calculation (each line a model of its own module):

1. compute payload: whole accelerator units inside the IT power budget (``payload``);
2. electrical load = IT + bus (avionics, laser terminals) + coolant pumps; the solar array and
   battery are sized for it through the design orbit's longest eclipse (``power``, SMAD 11.4);
3. heat = load + power-conditioning losses; the radiator is sized for it in the hot case and the
   pumped loop carries it (``thermal``); pump power feeds back into 1-2 (solved by iteration);
4. shielding = aluminium of the chosen thickness around the compute enclosure;
5. the bus that flies the arrays: attitude control sized for the momentum the wings' disturbance
   torques store, array drives by slip-ring capacity, TT&C (``attitude``); conditioning losses
   on the bus's own radiator where the preset gives it a temperature;
6. structure and harness as fractions of the dry mass without propulsion (structure 21-29 % of
   dry mass: Brown, "Elements of Spacecraft Design", 2002, on-orbit dry-mass allocation
   guide), and a design margin on it;
7. propulsion: drag make-up, station keeping and disposal delta-v over the life, thrusters,
   tanks and propellant by the rocket equation (``propulsion.PropulsionSystem``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc._args import FieldError, non_negative, positive
from skydc.constants import ALUMINIUM_DENSITY_G_CM3, AU_M
from skydc.spacecraft.attitude import BusSizing, size_bus_mechanisms
from skydc.spacecraft.payload import Accelerator, PayloadSizing, size_payload
from skydc.spacecraft.power import PowerSizing
from skydc.spacecraft.propulsion import PropulsionSystem, density_kg_m3
from skydc.spacecraft.technology import BusTechnology as BusTechnology  # re-export: old path
from skydc.spacecraft.technology import Technology
from skydc.spacecraft.thermal import RadiatorSizing

MASS_LINES = (
    "compute", "shielding", "solar_array", "battery", "power_conditioning", "radiator",
    "bus_radiator", "heat_transport", "laser_terminals", "avionics", "attitude_control",
    "array_drives", "ttc", "propulsion", "harness", "structure", "margin", "propellant",
)  # fmt: skip
VOLUME_LINES = ("compute", "solar_array", "radiator", "battery", "bus")


@dataclass(frozen=True)
class DesignOrbit:
    """The orbit environment a satellite is sized for (from the eclipse-season survey).

    ``design_eclipse_s`` is the longest eclipse of the year (battery). The array is sized for
    the *design day*, the plane-day of the survey that needs the largest array: its beta angle
    ``beta_rad`` (the attitude's incidence), its eclipse ``array_eclipse_s`` (what the array
    must recharge; ``None``: the longest) and its distance from the Sun ``sun_distance_m``
    (irradiance by the inverse square; the 18:00-LTAN eclipse season falls near aphelion).
    """

    altitude_km: float
    inclination_deg: float
    period_s: float
    design_eclipse_s: float
    eclipses_per_year: float
    sunlit_fraction: float
    beta_rad: float
    sun_distance_m: float = AU_M
    array_eclipse_s: float | None = None


@dataclass(frozen=True)
class SatelliteSizing:
    """One satellite's budget. Masses [kg], volumes [m^3], powers [W], areas [m^2]."""

    technology: str
    accelerator: str
    it_power_w: float
    n_accelerators: int
    mass_kg: dict[str, float]
    volume_m3: dict[str, float]
    load_w: float
    heat_w: float
    pump_power_w: float
    array_area_m2: float
    radiator_area_m2: float
    radiator_temperature_k: float
    chip_temperature_k: float
    battery_capacity_wh: float
    delta_v_m_s: dict[str, float]
    shield_mm_al: float
    power: PowerSizing = field(repr=False)
    radiator: RadiatorSizing = field(repr=False)
    payload: PayloadSizing = field(repr=False)
    bus: BusSizing | None = field(default=None, repr=False)
    bus_radiator: RadiatorSizing | None = field(default=None, repr=False)

    @property
    def total_mass_kg(self) -> float:
        """Launch (wet) mass [kg]."""
        return sum(self.mass_kg.values())

    @property
    def dry_mass_kg(self) -> float:
        """Mass without propellant [kg]."""
        return self.total_mass_kg - self.mass_kg["propellant"]

    @property
    def stowed_volume_m3(self) -> float:
        """Stowed volume [m^3]."""
        return sum(self.volume_m3.values())

    @property
    def it_power_per_mass_w_kg(self) -> float:
        """IT power per kg of launch mass [W/kg] (SpaceX's '100 kW per tonne' is 100 W/kg)."""
        return self.it_power_w / self.total_mass_kg


def size_satellite(
    it_power_w: float,
    technology: Technology,
    accelerator: Accelerator | str,
    orbit: DesignOrbit,
    *,
    lifetime_yr: float = 5.0,
    shield_mm_al: float = 10.0,
    solar_activity: str = "moderate",
    iterations: int = 6,
) -> SatelliteSizing:
    """Size one satellite carrying ``it_power_w`` of compute (see the module docstring): the
    one-point case of :func:`size_satellites`, so one answer either way."""
    return size_satellites(
        [it_power_w], technology, accelerator, orbit, lifetime_yr=lifetime_yr,
        shield_mm_al=shield_mm_al, solar_activity=solar_activity, iterations=iterations,
    )[0]  # fmt: skip


def size_satellites(
    it_power_w: ArrayLike,
    technology: Technology,
    accelerator: Accelerator | str,
    orbit: DesignOrbit,
    *,
    lifetime_yr: ArrayLike = 5.0,
    shield_mm_al: ArrayLike = 10.0,
    solar_activity: str = "moderate",
    iterations: int = 6,
) -> list[SatelliteSizing]:
    """Size one satellite per element of ``it_power_w`` (``lifetime_yr`` and ``shield_mm_al``
    broadcast against it), all in one pass of array arithmetic: a study that re-sizes its
    points pays for the models once, not once a point. The same technology, accelerator and
    orbit for all; element ``k`` of the answer equals ``size_satellite`` of element ``k``.

    A ``FieldError`` names the first point the models refuse (no whole accelerator unit, a
    propellant load no tank can hold)."""
    it_req, shield, life = (
        np.atleast_1d(a).astype(np.float64)
        for a in np.broadcast_arrays(
            non_negative("it_power_w", it_power_w),
            non_negative("shield_mm_al", shield_mm_al),
            positive("lifetime_yr", lifetime_yr, finite=False),
        )
    )
    payload = size_payload(it_req, accelerator)
    units = np.atleast_1d(payload.n_units)
    if np.any(units == 0):
        bad = float(it_req[np.argmax(units == 0)])
        unit_w = payload.accelerator.server_power_w
        raise FieldError(
            f"an IT power of {bad:g} W holds no whole {payload.accelerator.name} unit "
            f"({unit_w:g} W each); raise it_power_kw or choose a smaller accelerator",
            field="it_power_kw",
        )
    it_w = np.atleast_1d(payload.it_power_w).astype(np.float64)
    tech, bus = technology, technology.bus
    alt_m = orbit.altitude_km * 1e3

    rho = float(density_kg_m3(orbit.altitude_km, solar_activity))
    to_bus_radiator = bus.bus_radiator_temperature_k is not None
    zero = np.zeros_like(it_w)
    pump_w, loss_w, drive_w = zero, zero, zero
    mechanisms: BusSizing | None = None
    for _ in range(iterations):  # pumps, drives and losses feed each other; converges fast
        load_w = it_w + bus.bus_power_w + drive_w + pump_w
        power = tech.power.size(
            load_w, orbit.design_eclipse_s, orbit.period_s, orbit.sunlit_fraction, orbit.beta_rad,
            life, sun_distance_m=orbit.sun_distance_m,
            eclipses_per_year=orbit.eclipses_per_year, array_eclipse_s=orbit.array_eclipse_s,
        )  # fmt: skip
        loss_w = np.maximum(power.conditioning_loss_w, 0.0)
        mechanisms = size_bus_mechanisms(
            power.array_area_m2, power.array_mass_kg, power.array_power_bol_w,
            orbit.altitude_km, rho, bus,
        )  # fmt: skip
        drive_w = np.asarray(mechanisms.array_drive_power_w, dtype=np.float64)
        loop_w = load_w + (0.0 if to_bus_radiator else loss_w)
        pump_w = np.asarray(tech.heat_transport.pump_power_w(loop_w), dtype=np.float64)
    assert mechanisms is not None
    load_w = it_w + bus.bus_power_w + drive_w + pump_w
    heat_w = load_w + loss_w
    loop_heat_w = load_w + (0.0 if to_bus_radiator else loss_w)
    # the radiator's temperature from the junction down, for this accelerator's cold plates
    acc = payload.accelerator
    plate_w = acc.power_w / acc.accelerators_per_unit
    rad_model = tech.radiator_for(plate_w)
    radiator = rad_model.size(loop_heat_w, alt_m)
    bus_radiator: RadiatorSizing | None = None
    if bus.bus_radiator_temperature_k is not None:  # the conditioning electronics' own panel
        bus_rad = dataclasses.replace(tech.radiator, temperature_k=bus.bus_radiator_temperature_k)
        bus_radiator = bus_rad.size(loss_w, alt_m)

    enclosure_m2 = bus.compute_enclosure_m2_per_kw * it_w / 1e3
    ones = np.ones_like(it_w)
    mass: dict[str, NDArray[np.float64]] = {
        "compute": np.asarray(payload.compute_mass_kg, dtype=np.float64) * ones,
        "shielding": ALUMINIUM_DENSITY_G_CM3 * 1e3 * shield * 1e-3 * enclosure_m2,
        "solar_array": power.array_mass_kg * ones,
        "battery": power.battery_mass_kg * ones,
        "power_conditioning": bus.pmad_kg_per_kw * power.array_power_eol_w / 1e3 * ones,
        "radiator": radiator.mass_kg * ones,
        "bus_radiator": bus_radiator.mass_kg * ones if bus_radiator is not None else zero,
        "heat_transport": tech.heat_transport.mass_kg(loop_heat_w) * ones,
        "laser_terminals": bus.laser_terminals * bus.laser_terminal_mass_kg * ones,
        "avionics": bus.avionics_kg * ones,
        "attitude_control": mechanisms.attitude_mass_kg * ones,
        "array_drives": mechanisms.array_drive_mass_kg * ones,
        "ttc": mechanisms.ttc_mass_kg * ones,
    }
    # structure and harness are shares of the dry mass without propulsion, margin on top of it
    # (a Python sum: the same additions in the same order for one point or many)
    dry: NDArray[np.float64] = sum(mass.values(), zero) / (
        1.0 - bus.structure_fraction - bus.harness_fraction
    )
    mass["harness"] = bus.harness_fraction * dry
    mass["structure"] = bus.structure_fraction * dry
    mass["margin"] = bus.margin_fraction * dry
    rad_area = radiator.area_m2 * ones + (bus_radiator.area_m2 if bus_radiator else 0.0)
    drag_area = bus.drag_projected_fraction * (power.array_area_m2 + rad_area)
    prop = PropulsionSystem.from_catalog(bus.thruster).size(
        dry * (1.0 + bus.margin_fraction), np.maximum(drag_area, 1e-6), bus.drag_cd,
        orbit.altitude_km, life, solar_activity=solar_activity, disposal=bus.disposal,
    )  # fmt: skip
    propellant = np.atleast_1d(prop.propellant_mass_kg)
    if not np.all(np.isfinite(propellant)):
        k = int(np.argmin(np.isfinite(propellant)))
        dv_k = float(np.atleast_1d(prop.delta_v_total_m_s)[k])
        raise FieldError(
            f"the {bus.thruster} propulsion system cannot hold this orbit for "
            f"{float(life[k]):g} years ({dv_k:,.0f} m/s): choose a higher orbit or "
            "another thruster",
            field="bus.thruster",
        )
    mass["propulsion"] = prop.propulsion_dry_mass_kg * ones
    mass["propellant"] = propellant * ones
    dv = {
        "drag": prop.delta_v_drag_m_s * ones,
        "station_keeping": prop.delta_v_station_keeping_m_s * ones,
        "disposal": prop.delta_v_disposal_m_s * ones,
    }
    mass = {k: mass[k] for k in MASS_LINES}

    volume = {
        "compute": bus.compute_volume_m3_per_kw * it_w / 1e3,
        "solar_array": power.array_stowed_volume_m3 * ones,
        "radiator": radiator.stowed_volume_m3 * ones
        + (bus_radiator.stowed_volume_m3 if bus_radiator is not None else 0.0),
        "battery": power.battery_volume_m3 * ones,
    }
    rest_kg = sum(mass.values()) - mass["compute"] - mass["solar_array"] - mass["radiator"]
    rest_kg = rest_kg - mass["bus_radiator"]
    volume["bus"] = (rest_kg - mass["battery"]) / bus.bus_density_kg_m3
    chip_k = tech.chip_temperature_for(plate_w, rad_model)
    n_acc = np.atleast_1d(payload.n_accelerators)
    out = []
    for k in range(it_w.size):
        out.append(
            SatelliteSizing(
                technology=tech.name,
                accelerator=payload.accelerator.name,
                it_power_w=float(it_w[k]),
                n_accelerators=int(n_acc[k]),
                mass_kg={line: float(v[k]) for line, v in mass.items()},
                volume_m3={line: float(v[k]) for line, v in volume.items()},
                load_w=float(load_w[k]),
                heat_w=float(heat_w[k]),
                pump_power_w=float(pump_w[k]),
                array_area_m2=float(np.atleast_1d(power.array_area_m2)[k]),
                radiator_area_m2=float(rad_area[k]),
                radiator_temperature_k=float(rad_model.temperature_k),
                chip_temperature_k=chip_k,
                battery_capacity_wh=float(np.atleast_1d(power.battery_capacity_wh)[k]),
                delta_v_m_s={line: float(v[k]) for line, v in dv.items()},
                shield_mm_al=float(shield[k]),
                power=_pick(power, k),
                radiator=_pick(radiator, k),
                payload=_pick(payload, k, arrays=True),
                bus=_pick(mechanisms, k),
                bus_radiator=_pick(bus_radiator, k) if bus_radiator is not None else None,
            )
        )
    return out


_T = TypeVar("_T")


def _pick(result: _T, k: int, *, arrays: bool = False) -> _T:
    """Point ``k`` of a frozen result dataclass whose fields are arrays over the points (or
    shared scalars): Python numbers, or 0-d arrays with ``arrays`` (what the one-point models
    return), through mappings of arrays too."""

    def one(value: Any) -> Any:
        if isinstance(value, np.ndarray) and value.ndim >= 1:
            item = value[k] if value.shape[0] > 1 else value[0]
            return np.asarray(item) if arrays else item.item()
        if isinstance(value, Mapping):
            return {key: one(v) for key, v in value.items()}
        return value

    fields = {f.name: one(getattr(result, f.name)) for f in dataclasses.fields(result)}  # type: ignore[arg-type]
    return dataclasses.replace(result, **fields)  # type: ignore[type-var]


def summary(sizing: SatelliteSizing) -> dict[str, Any]:
    """Plain numbers for ``metrics.json``."""
    return {
        "it_power_w": sizing.it_power_w,
        "accelerators": sizing.n_accelerators,
        "total_mass_kg": sizing.total_mass_kg,
        "dry_mass_kg": sizing.dry_mass_kg,
        "stowed_volume_m3": sizing.stowed_volume_m3,
        "it_power_per_mass_w_kg": sizing.it_power_per_mass_w_kg,
        "array_area_m2": sizing.array_area_m2,
        "radiator_area_m2": sizing.radiator_area_m2,
        "radiator_temperature_k": sizing.radiator_temperature_k,
        "chip_temperature_k": sizing.chip_temperature_k,
        "battery_capacity_wh": sizing.battery_capacity_wh,
        "load_w": sizing.load_w,
        "heat_w": sizing.heat_w,
        "mass_breakdown_kg": dict(sizing.mass_kg),
        "volume_breakdown_m3": dict(sizing.volume_m3),
        "delta_v_m_s": dict(sizing.delta_v_m_s),
    }
