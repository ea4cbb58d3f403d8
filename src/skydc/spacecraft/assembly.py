"""In-space assembly of a centralized station: the hardware, launches, time and cost it adds.

A station larger than one launch goes up as modules that a robot berths together. Each module
carries one side of a berthing interface and the station the other; the robot rides up with the
first module; every module is a whole payload (modules do not split across launches); the
robot berths one module at a time.

- mass: ``n (m_active + m_passive) + n_robots m_robot`` on top of the station;
- launches: ``n = ceil((M + n_robots m_robot) / (P - m_active - m_passive))`` whole modules, one
  per launch, and at least the stowed volume's count;
- time: the launch cadence or the robots' berthing rate, whichever is slower,
  ``max(n / cadence, n t_berth / n_robots)``;
- cost: the robots plus operations over the assembly time.

Sources (``data/assembly.toml``): the ISS's Common Berthing Mechanism (active 240 kg, passive
200 kg, specified) and Canadarm2 (1,497 kg, MDA); the ISS itself, ~410 t assembled in more than
40 assembly flights (1998-2011); the robot's price from the Canadarm3 programme (CSA-MDA phases
C-D, C$1.0 billion, 2024). Berthing time and operations cost have no source in the registry:
they are labelled assumptions (``estimated``) and fields a scenario may change. The station's
cost with its assembly is :mod:`skydc.economics.station`.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from skydc._args import count, non_negative, positive

__all__ = ["AssemblyPlan", "AssemblyTechnology", "default_assembly", "plan_assembly"]

_META = ("source", "estimated", "notes", "year")


@dataclass(frozen=True)
class AssemblyTechnology:
    """Robotic assembly of a modular station (see the module docstring; units in the names)."""

    robot_mass_kg: float
    robots: int
    active_interface_mass_kg: float
    passive_interface_mass_kg: float
    berthing_hours_per_module: float
    robot_usd: float
    operations_usd_per_day: float

    def __post_init__(self) -> None:
        count("robots", self.robots, minimum=1)
        positive("berthing_hours_per_module", self.berthing_hours_per_module)
        for name in ("robot_mass_kg", "active_interface_mass_kg", "passive_interface_mass_kg",
                     "robot_usd", "operations_usd_per_day"):  # fmt: skip
            non_negative(name, getattr(self, name))

    @property
    def interface_mass_kg(self) -> float:
        """Both halves of one berthing joint [kg]."""
        return self.active_interface_mass_kg + self.passive_interface_mass_kg


@dataclass(frozen=True)
class AssemblyPlan:
    """What assembling the station adds. Masses [kg], time [days], cost [USD]."""

    modules: int
    launches: int
    interface_mass_kg: float
    robot_mass_kg: float
    assembly_days: float
    launch_limited: bool
    robots_usd: float  # the robots, bought once: they stay in orbit and can berth again
    operations_usd: float  # the assembly's operations over ``assembly_days``

    @property
    def cost_usd(self) -> float:
        """Robots and assembly operations [USD]."""
        return self.robots_usd + self.operations_usd

    @property
    def added_mass_kg(self) -> float:
        """Berthing interfaces and robots [kg]."""
        return self.interface_mass_kg + self.robot_mass_kg

    def summary(self) -> dict[str, Any]:
        """Plain numbers for ``metrics.json``."""
        return {
            "modules": self.modules,
            "launches": self.launches,
            "interface_mass_kg": self.interface_mass_kg,
            "robot_mass_kg": self.robot_mass_kg,
            "added_mass_kg": self.added_mass_kg,
            "assembly_days": self.assembly_days,
            "governed_by": "launch cadence" if self.launch_limited else "berthing rate",
            "robots_usd": self.robots_usd,
            "operations_usd": self.operations_usd,
            "cost_usd": self.cost_usd,
        }


@cache
def _data() -> dict[str, Any]:
    with (resources.files("skydc") / "data" / "assembly.toml").open("rb") as fh:
        return tomllib.load(fh)


def default_assembly(**overrides: float | int) -> AssemblyTechnology:
    """The bundled robotic-assembly figures (``data/assembly.toml``), with ``overrides``."""
    raw = {k: v for k, v in _data()["robotic"].items() if k not in _META}
    return AssemblyTechnology(**{**raw, **overrides})


def plan_assembly(
    station_mass_kg: float,
    station_volume_m3: float,
    payload_per_launch_kg: float,
    volume_per_launch_m3: float,
    cadence_per_yr: float,
    tech: AssemblyTechnology,
) -> AssemblyPlan:
    """Modules, launches, added mass, time and cost of assembling a station in orbit.

    ``payload_per_launch_kg`` is one launch's payload to the station's orbit (less any adapter),
    ``volume_per_launch_m3`` its usable stowed volume, ``cadence_per_yr`` launches per year.
    """
    m = non_negative("station_mass_kg", station_mass_kg)
    v = non_negative("station_volume_m3", station_volume_m3)
    p = positive("payload_per_launch_kg", payload_per_launch_kg)
    vol = positive("volume_per_launch_m3", volume_per_launch_m3)
    cadence = positive("cadence_per_yr", cadence_per_yr)
    robots_kg = tech.robots * tech.robot_mass_kg
    room = float(p) - tech.interface_mass_kg
    if room <= 0.0:
        raise ValueError(
            f"one launch ({float(p):,.0f} kg) cannot carry a module's berthing interfaces "
            f"({tech.interface_mass_kg:,.0f} kg)"
        )
    by_mass = math.ceil((float(m) + robots_kg) / room)
    by_volume = math.ceil(float(v) / float(vol))
    modules = max(by_mass, by_volume, 1)
    launch_days = modules / float(cadence) * 365.25
    berth_days = modules * tech.berthing_hours_per_module / 24.0 / tech.robots
    days = max(launch_days, berth_days)
    return AssemblyPlan(
        modules=modules,
        launches=modules,
        interface_mass_kg=modules * tech.interface_mass_kg,
        robot_mass_kg=robots_kg,
        assembly_days=days,
        launch_limited=launch_days >= berth_days,
        robots_usd=tech.robots * tech.robot_usd,
        operations_usd=tech.operations_usd_per_day * days,
    )
