"""The technology choices of one satellite design: the subsystem models and the bus items.

:class:`Technology` (built from a preset by :func:`skydc.spacecraft.presets.load_technology`)
is what the mass budget (:func:`skydc.spacecraft.budget.size_satellite`) sizes a satellite
with; :class:`BusTechnology` is its ``bus`` table. Both modules import them from here, below
both of them (``budget.BusTechnology`` and ``presets.Technology`` remain as aliases).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

from skydc._args import count, in_range, non_negative, positive
from skydc.spacecraft.power import PowerSystem
from skydc.spacecraft.thermal import HeatTransport, Radiator

__all__ = ["BusTechnology", "Technology"]


@dataclass(frozen=True)
class BusTechnology:
    """Bus items that scale with the satellite rather than with a subsystem model.

    Fractions are of the dry mass; ``pmad_kg_per_kw`` is per kW of array output (EOL);
    ``compute_enclosure_m2_per_kw`` is the shielded enclosure surface per kW of IT power;
    ``drag_projected_fraction`` is the orbit-average share of array + radiator area facing the
    flow (edge-on arrays in a dawn-dusk orbit see little; see docs/sizing.md).
    """

    structure_fraction: float
    harness_fraction: float
    pmad_kg_per_kw: float
    avionics_kg: float
    avionics_power_w: float
    laser_terminals: int
    laser_terminal_mass_kg: float
    laser_terminal_power_w: float
    compute_enclosure_m2_per_kw: float
    compute_volume_m3_per_kw: float
    bus_density_kg_m3: float
    margin_fraction: float
    drag_cd: float
    drag_projected_fraction: float
    thruster: str
    disposal: str = "fcc-5yr"
    # the bus that flies the arrays (spacecraft/attitude.py; docs/sizing.md, "The bus")
    array_wings: int = 2
    array_max_wing_area_m2: float = 420.0  # ISS solar array wing, 35 m x 12 m: the largest flown
    array_wing_aspect: float = 2.0  # wing length along the drive axis / width
    array_cp_offset_fraction: float = 0.05  # centre of pressure to centre of mass / wing length
    attitude_units: int = 4  # momentum units, one of them the spare (ISS: four CMGs)
    attitude_momentum_margin: float = 0.5
    attitude_specific_momentum_n_m_s_per_kg: float = 17.9  # ISS CMG: 4,880 N m s, ~272 kg
    attitude_min_unit_kg: float = 5.0
    attitude_unit_power_w: float = 20.0
    array_drive_mass_kg: float = 5.0  # Moog Type 3/5 SADA: < 11 lb
    array_drive_power_w: float = 15.0
    array_drive_max_power_w: float = 7800.0  # 26 power rings x 6 A, half of them returns, 100 V
    ttc_kg: float = 10.0
    ttc_power_w: float = 50.0
    # conditioning losses go to the bus's own radiator at this temperature; None: to the loop's
    bus_radiator_temperature_k: float | None = None

    def __post_init__(self) -> None:
        shares = self.structure_fraction + self.harness_fraction
        in_range("structure_fraction + harness_fraction", shares, 0.0, 0.9, hi_open=True)
        for name in ("structure_fraction", "harness_fraction", "margin_fraction"):
            in_range(name, getattr(self, name), 0.0, 1.0, hi_open=True)
        # [0, 1] with room for rounding
        in_range(
            "drag_projected_fraction", self.drag_projected_fraction, 0.0, 1.0 + 1e-12, hi_open=True
        )
        for name in ("pmad_kg_per_kw", "avionics_kg", "avionics_power_w", "laser_terminal_mass_kg",
                     "laser_terminal_power_w", "compute_enclosure_m2_per_kw",
                     "compute_volume_m3_per_kw", "drag_cd"):  # fmt: skip
            non_negative(name, getattr(self, name))
        count("laser_terminals", self.laser_terminals, minimum=0)
        positive("bus_density_kg_m3", self.bus_density_kg_m3, finite=False)
        count("array_wings", self.array_wings, minimum=1)
        count("attitude_units", self.attitude_units, minimum=1)
        for name in ("array_wing_aspect", "attitude_specific_momentum_n_m_s_per_kg",
                     "array_max_wing_area_m2",
                     "array_drive_max_power_w"):  # fmt: skip
            positive(name, getattr(self, name))
        for name in ("array_cp_offset_fraction", "attitude_momentum_margin", "attitude_min_unit_kg",
                     "attitude_unit_power_w", "array_drive_mass_kg", "array_drive_power_w",
                     "ttc_kg", "ttc_power_w"):  # fmt: skip
            non_negative(name, getattr(self, name))
        if self.bus_radiator_temperature_k is not None:
            in_range("bus_radiator_temperature_k", self.bus_radiator_temperature_k, 200.0, 400.0)

    @property
    def bus_power_w(self) -> float:
        """Avionics, laser terminals, TT&C and attitude control, day and night [W] (the array
        drives, whose number follows the array, are added by the budget)."""
        return (
            self.avionics_power_w
            + self.laser_terminals * self.laser_terminal_power_w
            + self.ttc_power_w
            + self.attitude_units * self.attitude_unit_power_w
        )


@dataclass(frozen=True)
class Technology:
    """Everything the mass budget needs to know about the technologies of one design."""

    name: str
    description: str
    power: PowerSystem
    radiator: Radiator
    heat_transport: HeatTransport
    bus: BusTechnology
    chip_temperature_limit_k: float
    sources: Mapping[str, str]
    estimated: Mapping[str, tuple[str, ...]]
    radiator_temperature_fixed: bool = False

    @property
    def chip_temperature_k(self) -> float:
        """Chip temperature with the radiator at its design temperature [K] (fixed drops)."""
        return float(self.heat_transport.chip_temperature_k(self.radiator.temperature_k))

    def radiator_for(self, plate_heat_w: float) -> Radiator:
        """The radiator at the effective temperature the junction limit allows, from the
        junction down, for cold plates of ``plate_heat_w`` each (docs/sizing.md, "Thermal"):
        ``T_eff = T_f eta_fin(T_f)^(1/4)`` with ``T_f`` from
        :meth:`HeatTransport.radiator_fluid_temperature_k`. A temperature fixed by the preset or
        the scenario is kept."""
        if self.radiator_temperature_fixed:
            return self.radiator
        t_f = self.heat_transport.radiator_fluid_temperature_k(
            self.chip_temperature_limit_k, plate_heat_w
        )
        t_eff = float(self.radiator.effective_temperature_k(t_f))
        return dataclasses.replace(self.radiator, temperature_k=t_eff)

    def chip_temperature_for(self, plate_heat_w: float, radiator: Radiator) -> float:
        """Junction temperature with ``radiator`` at its effective temperature [K]: the chain of
        :meth:`radiator_for` run upwards (the fin efficiency taken at the fluid temperature
        that chain implies, by fixed-point iteration)."""
        t_eff = float(radiator.temperature_k)
        t_f = t_eff
        for _ in range(20):
            t_f = t_eff / float(radiator.fin_efficiency_at(t_f)) ** 0.25
        ht = self.heat_transport
        drop = float(ht.junction_to_coolant_k(plate_heat_w))
        return t_f - 0.5 * ht.loop_temperature_rise_k + ht.coolant_to_radiator_k + drop
