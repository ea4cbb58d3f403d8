"""The Starcloud white paper's 40 MW, ten-year cost table, line by line, and what it leaves out.

Starcloud (Lumen Orbit), "Why we should train AI in space", white paper v1.03 (Sep 2024),
https://starcloudinc.github.io/wp.pdf, Table 1 ("Cost comparison of a single 40 MW cluster
operated for ten years"): ground US$167M = energy US$140M + chiller energy US$7M + backup power
US$20M; space US$8.2M = solar array US$2M + one launch US$5M + radiation shielding US$1.2M.
Compute hardware, radiators, structure, operations, insurance, ground segment and replacement
are in neither column.

Each line is computed from the paper's stated inputs (:class:`StarcloudAssumptions`):

=================  =================================================================  ==========
line               basis                                                              stated?
=================  =================================================================  ==========
ground energy      40 MW x 8,760 h/yr x 10 yr x US$0.04/kWh = US$140.16M               yes
chiller energy     5 % of the energy line = US$7.01M                                   yes
backup power       US$0.50/W x 40 MW = US$20M                                          inferred
space solar array  US$0.05/W x 40 MW = US$2M                                           inferred
launch             ceil(40 MW / ~40 MW per launch) = 1 launch x US$5M                  yes
shielding          1 kg/kW x 40,000 kW x US$30/kg = US$1.2M                            yes
=================  =================================================================  ==========

The paper states no basis for two lines; the per-watt figures above are what its own numbers
imply ($20M / 40 MW, $2M / 40 MW) and are flagged as such. Where its arithmetic is off
(:func:`starcloud_table` ``notes``): the "~$30/kg" it prices shielding with is not its own
$5M / 100 t = $50/kg; its $0.03/W cells give $1.2M, not the $2M solar line; 40 MW x 10 yr x
0.5 L/kWh is 1.75 Mt of water, not 1.7; and ~300 GB200 NVL72 racks (~120 kW each) weigh
~408 t, four times one ~100 t launch, before any solar array, radiator or shielding.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Final

import numpy as np

from skydc.economics.finance import CostResult
from skydc.economics.ground import GroundInputs, ground_tco
from skydc.economics.space import SpaceInputs, space_tco
from skydc.spacecraft.payload import get_accelerator

__all__ = [
    "PAPER_TABLE_USD",
    "PAPER_WATER_T",
    "ComparisonRow",
    "StarcloudAssumptions",
    "StarcloudComparison",
    "StarcloudTable",
    "starcloud_full_cost",
    "starcloud_table",
]

# The paper's printed results: for comparison only, never used to compute a line.
PAPER_TABLE_USD: Final[dict[str, float]] = {
    "ground.energy": 140e6,
    "ground.chiller_energy": 7e6,
    "ground.backup_power": 20e6,
    "ground.total": 167e6,
    "space.solar_array": 2e6,
    "space.launch": 5e6,
    "space.shielding": 1.2e6,
    "space.total": 8.2e6,
}
PAPER_WATER_T: Final = 1.7e6  # "1.7M tons" of water over ten years

_SOURCE: Final = (
    "Starcloud (Lumen Orbit), 'Why we should train AI in space', white paper v1.03 (Sep 2024), "
    "Table 1, https://starcloudinc.github.io/wp.pdf"
)


@dataclass(frozen=True)
class StarcloudAssumptions:
    """The white paper's stated inputs (and the two inferred per-watt bases, flagged)."""

    it_power_w: float = 40e6  # "a single 40MW cluster"
    period_yr: int = 10  # "operated for ten years"
    hours_per_year: float = 365.0 * 24.0  # a 365-day year, the usual energy-bill convention
    electricity_usd_per_kwh: float = 0.04  # "@$0.04/kWh"
    chiller_energy_fraction: float = 0.05  # "chiller energy @5% of power usage"
    water_l_per_kwh: float = 0.5  # "@0.5L/kWh"
    backup_power_usd_per_w: float = 0.50  # inferred: no basis stated ($20M / 40 MW)
    solar_array_usd_per_w: float = 0.05  # inferred: no basis stated ($2M / 40 MW)
    solar_cell_usd_per_w: float = 0.03  # stated cell price (text), for the discrepancy note
    launch_price_usd: float = 5e6  # "~$5 million" per launch
    launch_payload_kg: float = 100e3  # "~100 tons to sun-synchronous LEO"
    it_power_per_launch_w: float = 40e6  # "~40MW of compute per launch"
    stated_launch_usd_per_kg: float = 30.0  # "~$30/kg"
    shielding_kg_per_kw: float = 1.0  # "1kg of shielding per kW"
    rack_accelerator: str = "gb200-nvl72"  # "~300 racks x 120kW (GB200 NVL72)"
    inferred: tuple[str, ...] = ("backup_power_usd_per_w", "solar_array_usd_per_w")


@dataclass(frozen=True)
class StarcloudTable:
    """The white paper's table recomputed: lines [USD], the printed values, and the gaps."""

    lines_usd: dict[str, float]
    paper_usd: dict[str, float]
    relative_error: dict[str, float]
    basis: dict[str, str]
    water_t: float
    notes: tuple[str, ...]
    source: str = _SOURCE


def starcloud_table(a: StarcloudAssumptions | None = None) -> StarcloudTable:
    """Recompute the paper's Table 1 from its assumptions (module docstring for each basis)."""
    a = StarcloudAssumptions() if a is None else a
    for name in ("it_power_w", "electricity_usd_per_kwh", "launch_price_usd", "hours_per_year"):
        if not (math.isfinite(getattr(a, name)) and getattr(a, name) >= 0.0):
            raise ValueError(f"{name} must be finite and >= 0; got {getattr(a, name)!r}")
    if a.period_yr < 1:
        raise ValueError(f"period_yr must be >= 1; got {a.period_yr!r}")
    p_kw = a.it_power_w / 1e3
    energy_kwh = p_kw * a.hours_per_year * a.period_yr
    energy = energy_kwh * a.electricity_usd_per_kwh
    chiller = a.chiller_energy_fraction * energy
    backup = a.backup_power_usd_per_w * a.it_power_w
    launches = math.ceil(a.it_power_w / a.it_power_per_launch_w - 1e-9)
    launch = launches * a.launch_price_usd
    shielding_kg = a.shielding_kg_per_kw * p_kw
    shielding = shielding_kg * a.stated_launch_usd_per_kg
    solar = a.solar_array_usd_per_w * a.it_power_w
    lines = {
        "ground.energy": energy,
        "ground.chiller_energy": chiller,
        "ground.backup_power": backup,
        "ground.total": energy + chiller + backup,
        "space.solar_array": solar,
        "space.launch": launch,
        "space.shielding": shielding,
        "space.total": solar + launch + shielding,
    }
    rel = {k: v / PAPER_TABLE_USD[k] - 1.0 for k, v in lines.items()}
    mw = a.it_power_w / 1e6
    basis = {
        "ground.energy": f"{mw:g} MW x {a.hours_per_year:g} h/yr x {a.period_yr} yr x "
        f"${a.electricity_usd_per_kwh:g}/kWh",
        "ground.chiller_energy": f"{a.chiller_energy_fraction:.0%} of the energy line",
        "ground.backup_power": f"${a.backup_power_usd_per_w:g}/W x {mw:g} MW (inferred)",
        "space.solar_array": f"${a.solar_array_usd_per_w:g}/W x {mw:g} MW (inferred)",
        "space.launch": f"{launches} launch(es) of ~{a.it_power_per_launch_w / 1e6:g} MW "
        f"x ${a.launch_price_usd / 1e6:g}M",
        "space.shielding": f"{a.shielding_kg_per_kw:g} kg/kW x {p_kw:,.0f} kW x "
        f"${a.stated_launch_usd_per_kg:g}/kg",
    }
    return StarcloudTable(
        lines_usd=lines,
        paper_usd=dict(PAPER_TABLE_USD),
        relative_error=rel,
        basis=basis,
        water_t=energy_kwh * a.water_l_per_kwh / 1e3,  # 1 L of water = 1 kg
        notes=_discrepancies(a, energy_kwh, shielding_kg, lines),
    )


def _discrepancies(
    a: StarcloudAssumptions, energy_kwh: float, shielding_kg: float, lines: dict[str, float]
) -> tuple[str, ...]:

    per_kg = a.launch_price_usd / a.launch_payload_kg
    rack = get_accelerator(a.rack_accelerator)
    racks = math.ceil(a.it_power_w / rack.power_w - 1e-9)
    rack_t = racks * rack.mass_kg / 1e3
    need = math.ceil((rack_t * 1e3 + shielding_kg) / a.launch_payload_kg - 1e-9)
    water_t = energy_kwh * a.water_l_per_kwh / 1e3
    return (
        f"launch price: ${a.launch_price_usd / 1e6:g}M / {a.launch_payload_kg / 1e3:g} t = "
        f"${per_kg:g}/kg, not the stated ~${a.stated_launch_usd_per_kg:g}/kg; shielding at "
        f"${per_kg:g}/kg would be ${shielding_kg * per_kg / 1e6:.2f}M",
        f"solar array: the stated ${a.solar_cell_usd_per_w:g}/W cells x "
        f"{a.it_power_w / 1e6:g} MW = ${a.solar_cell_usd_per_w * a.it_power_w / 1e6:.2f}M, "
        f"not the table's $2M (no basis stated; ${a.solar_array_usd_per_w:g}/W reproduces it)",
        f"backup power: no basis stated; ${a.backup_power_usd_per_w:g}/W reproduces $20M",
        f"water: {a.water_l_per_kwh:g} L/kWh x {energy_kwh / 1e9:.3f} TWh = "
        f"{water_t / 1e6:.3f} Mt, printed as {PAPER_WATER_T / 1e6:g} Mt",
        f"space energy cost: ${lines['space.total'] / 1e6:.1f}M / {energy_kwh / 1e9:.3f} TWh = "
        f"${lines['space.total'] / energy_kwh:.4f}/kWh, printed as ~$0.002/kWh",
        f"mass: {racks} {a.rack_accelerator} racks ({rack.power_w / 1e3:g} kW, "
        f"{rack.mass_kg:,.0f} kg each) weigh {rack_t:,.0f} t; with {shielding_kg / 1e3:g} t of "
        f"shielding that is {need} launches of {a.launch_payload_kg / 1e3:g} t by mass alone, "
        "before solar arrays, radiators and structure; the table counts one",
        "not costed on either side: compute hardware, radiators, structure, operations, "
        "insurance, ground segment, replacement of failed or retired hardware, cost of capital",
    )


@dataclass(frozen=True)
class ComparisonRow:
    """One line: the paper's figure (NaN where it has none) next to skydc's [USD]."""

    side: str
    line: str
    paper_usd: float
    skydc_usd: float
    omitted_by_paper: bool


@dataclass(frozen=True)
class StarcloudComparison:
    """The paper's table beside skydc's full space and ground costs for the same cluster."""

    paper: StarcloudTable
    space: CostResult
    ground: CostResult
    rows: tuple[ComparisonRow, ...] = field(repr=False)

    @property
    def ratio_ground_over_space(self) -> float:
        """Ground total over space total under skydc's costing (the paper's is ~20)."""
        return float(self.ground.total_usd) / float(self.space.total_usd)


_PAPER_LINE: Final = {
    ("ground", "energy_it"): "ground.energy",
    ("ground", "chiller_energy"): "ground.chiller_energy",
    ("ground", "backup_power"): "ground.backup_power",
    ("space", "satellite.solar_array"): "space.solar_array",
    ("space", "launch"): "space.launch",
    ("space", "satellite.shielding"): "space.shielding",
}


def starcloud_full_cost(
    space: SpaceInputs,
    ground: GroundInputs | None = None,
    assumptions: StarcloudAssumptions | None = None,
) -> StarcloudComparison:
    """Cost the same 40 MW with every line, beside the paper's table.

    ``space`` is the cluster as skydc sizes it (e.g. :func:`skydc.economics.space.
    space_inputs_from_sizing` for a technology preset and a launch plan); it must be scalar.
    ``ground`` defaults to the same IT power and accelerators at the paper's US$0.04/kWh. Both are
    costed over the paper's ten years. Each row says whether the paper has that line at all.
    """
    a = StarcloudAssumptions() if assumptions is None else assumptions
    space = replace(space, period_yr=a.period_yr)
    if ground is None:
        ground = GroundInputs(
            it_power_w=space.it_power_w,
            n_accelerators=space.n_accelerators,
            accelerator=space.accelerator,
            electricity_usd_per_kwh=a.electricity_usd_per_kwh,
        )
    ground = replace(ground, period_yr=a.period_yr)
    s, g = space_tco(space), ground_tco(ground)
    if np.ndim(s.total_usd) or np.ndim(g.total_usd):
        raise ValueError("starcloud_full_cost needs scalar inputs (one cluster)")
    table = starcloud_table(a)
    rows = []
    for res in (g, s):
        for line, usd in res.lines_usd.items():
            key = _PAPER_LINE.get((res.side, line))
            paper = table.paper_usd[key] if key else math.nan
            rows.append(ComparisonRow(res.side, line, paper, float(usd), key is None))
    return StarcloudComparison(paper=table, space=s, ground=g, rows=tuple(rows))
