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
import math
from dataclasses import dataclass, field
from typing import Any

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
    """Size one satellite carrying ``it_power_w`` of compute (see the module docstring)."""

    non_negative("it_power_w", it_power_w)
    non_negative("shield_mm_al", shield_mm_al)
    positive("lifetime_yr", lifetime_yr, finite=False)
    payload = size_payload(it_power_w, accelerator)
    units = int(payload.n_units)
    if units == 0:
        unit_w = payload.accelerator.server_power_w
        raise FieldError(
            f"an IT power of {it_power_w:g} W holds no whole {payload.accelerator.name} unit "
            f"({unit_w:g} W each); raise it_power_kw or choose a smaller accelerator",
            field="it_power_kw",
        )
    it_w = float(payload.it_power_w)
    tech, bus = technology, technology.bus
    alt_m = orbit.altitude_km * 1e3

    rho = float(density_kg_m3(orbit.altitude_km, solar_activity))
    to_bus_radiator = bus.bus_radiator_temperature_k is not None
    pump_w = loss_w = drive_w = 0.0
    mechanisms: BusSizing | None = None
    for _ in range(iterations):  # pumps, drives and losses feed each other; converges fast
        load_w = it_w + bus.bus_power_w + drive_w + pump_w
        power = tech.power.size(
            load_w, orbit.design_eclipse_s, orbit.period_s, orbit.sunlit_fraction, orbit.beta_rad,
            lifetime_yr, sun_distance_m=orbit.sun_distance_m,
            eclipses_per_year=orbit.eclipses_per_year, array_eclipse_s=orbit.array_eclipse_s,
        )  # fmt: skip
        loss_w = max(float(power.conditioning_loss_w), 0.0)
        mechanisms = size_bus_mechanisms(
            float(power.array_area_m2), float(power.array_mass_kg),
            float(power.array_power_bol_w), orbit.altitude_km, rho, bus,
        )  # fmt: skip
        drive_w = mechanisms.array_drive_power_w
        loop_w = load_w + (0.0 if to_bus_radiator else loss_w)
        pump_w = float(tech.heat_transport.pump_power_w(loop_w))
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
    mass: dict[str, float] = {
        "compute": float(payload.compute_mass_kg),
        "shielding": ALUMINIUM_DENSITY_G_CM3 * 1e3 * shield_mm_al * 1e-3 * enclosure_m2,
        "solar_array": float(power.array_mass_kg),
        "battery": float(power.battery_mass_kg),
        "power_conditioning": bus.pmad_kg_per_kw * float(power.array_power_eol_w) / 1e3,
        "radiator": float(radiator.mass_kg),
        "bus_radiator": float(bus_radiator.mass_kg) if bus_radiator is not None else 0.0,
        "heat_transport": float(tech.heat_transport.mass_kg(loop_heat_w)),
        "laser_terminals": bus.laser_terminals * bus.laser_terminal_mass_kg,
        "avionics": bus.avionics_kg,
        "attitude_control": mechanisms.attitude_mass_kg,
        "array_drives": mechanisms.array_drive_mass_kg,
        "ttc": mechanisms.ttc_mass_kg,
    }
    # structure and harness are shares of the dry mass without propulsion, margin on top of it
    dry = sum(mass.values()) / (1.0 - bus.structure_fraction - bus.harness_fraction)
    mass["harness"] = bus.harness_fraction * dry
    mass["structure"] = bus.structure_fraction * dry
    mass["margin"] = bus.margin_fraction * dry
    rad_area = float(radiator.area_m2) + (float(bus_radiator.area_m2) if bus_radiator else 0.0)
    drag_area = bus.drag_projected_fraction * (float(power.array_area_m2) + rad_area)
    prop = PropulsionSystem.from_catalog(bus.thruster).size(
        dry * (1.0 + bus.margin_fraction), max(drag_area, 1e-6), bus.drag_cd, orbit.altitude_km,
        lifetime_yr, solar_activity=solar_activity, disposal=bus.disposal,
    )  # fmt: skip
    if not math.isfinite(float(prop.propellant_mass_kg)):
        raise FieldError(
            f"the {bus.thruster} propulsion system cannot hold this orbit for {lifetime_yr:g} "
            f"years ({float(prop.delta_v_total_m_s):,.0f} m/s): choose a higher orbit or "
            "another thruster",
            field="bus.thruster",
        )
    mass["propulsion"] = float(prop.propulsion_dry_mass_kg)
    mass["propellant"] = float(prop.propellant_mass_kg)
    dv = {
        "drag": float(prop.delta_v_drag_m_s),
        "station_keeping": float(prop.delta_v_station_keeping_m_s),
        "disposal": float(prop.delta_v_disposal_m_s),
    }
    mass = {k: mass[k] for k in MASS_LINES}

    volume = {
        "compute": bus.compute_volume_m3_per_kw * it_w / 1e3,
        "solar_array": float(power.array_stowed_volume_m3),
        "radiator": float(radiator.stowed_volume_m3)
        + (float(bus_radiator.stowed_volume_m3) if bus_radiator is not None else 0.0),
        "battery": float(power.battery_volume_m3),
    }
    rest_kg = sum(mass.values()) - mass["compute"] - mass["solar_array"] - mass["radiator"]
    rest_kg -= mass["bus_radiator"]
    volume["bus"] = (rest_kg - mass["battery"]) / bus.bus_density_kg_m3
    return SatelliteSizing(
        technology=tech.name,
        accelerator=payload.accelerator.name,
        it_power_w=it_w,
        n_accelerators=int(payload.n_accelerators),
        mass_kg=mass,
        volume_m3=volume,
        load_w=load_w,
        heat_w=heat_w,
        pump_power_w=pump_w,
        array_area_m2=float(power.array_area_m2),
        radiator_area_m2=rad_area,
        radiator_temperature_k=float(rad_model.temperature_k),
        chip_temperature_k=tech.chip_temperature_for(plate_w, rad_model),
        battery_capacity_wh=float(power.battery_capacity_wh),
        delta_v_m_s=dv,
        shield_mm_al=shield_mm_al,
        power=power,
        radiator=radiator,
        payload=payload,
        bus=mechanisms,
        bus_radiator=bus_radiator,
    )


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
