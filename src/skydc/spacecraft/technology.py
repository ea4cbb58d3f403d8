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

    @property
    def bus_power_w(self) -> float:
        """Avionics and laser terminals, day and night [W]."""
        return self.avionics_power_w + self.laser_terminals * self.laser_terminal_power_w


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
