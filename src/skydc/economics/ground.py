"""Ground total cost of ownership for the same IT power: facility, grid power, cooling, water.

The model
---------
A terrestrial data center of IT power :math:`P` running at availability :math:`A` draws
:math:`E_{IT} = P A \\cdot 8766` h of IT energy a year and :math:`(PUE - 1) E_{IT}` more for
cooling and power distribution (chillers take the share ``chiller_share_of_overhead``), all at
the region's electricity price :math:`p_e`. Cash flows over :math:`N` years:

* time 0: compute hardware (priced per device from ``costs.toml``, exactly as in orbit),
  construction (:math:`c_{MW} P`, Cushman & Wakefield's cost per MW of critical load, which
  includes the power and cooling plant), land, grid connection (per kW drawn, :math:`P\\,PUE`)
  and any separate backup-power capital;
* compute refreshed every hardware life, the facility every facility life, while :math:`kL < N`;
* end of each year: IT energy :math:`E_{IT} p_e`, chiller and other overhead energy, water
  (:math:`E_{IT} \\cdot WUE`), operations (a share of the facility capital) and insurance;
* time N: the straight-line value left in the facility and the last hardware generation, and
  the land, credited (``residual_value``).

The totals follow :mod:`skydc.economics.finance` (N x equivalent annual cost at the WACC).
The yearly cost of a kW of grid power, :math:`p_e \\cdot PUE \\cdot 8766` h, is
:func:`ground_power_price_usd_per_kw_yr` (Suncatcher's US$570-3,000 per kW per year for
US$0.06-0.25/kWh at PUE 1.09-1.4).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc._args import in_range, non_negative
from skydc.economics.finance import (
    HOURS_PER_YEAR,
    CostEntry,
    CostResult,
    cost_data,
    parse_entry,
    refresh_counts,
    residual_fraction,
    schedule_at,
    summarize_cash_flows,
    to_currency_year,
    yearly,
)
from skydc.economics.space import (
    _accelerators_per_unit,
    accelerator_hardware_prices,
    load_space_costs,
)

__all__ = [
    "GroundInputs",
    "electricity_price",
    "ground_power_price_usd_per_kw_yr",
    "ground_tco",
    "load_ground_costs",
    "region_names",
]


@functools.cache
def load_ground_costs() -> dict[str, CostEntry]:
    """Every entry of ``ground_dc.toml`` by name (``"pue"``, ``"construction_usd_per_mw"``...)."""
    return {k: parse_entry(k, v) for k, v in cost_data("ground_dc.toml").items()}


def region_names() -> tuple[str, ...]:
    """Regions with an electricity price in ``electricity_prices.toml``."""
    return tuple(cost_data("electricity_prices.toml")["regions"])


@functools.cache
def electricity_price(region: str) -> CostEntry:
    """A region's electricity price in USD/kWh of the currency year (converted and inflated).

    Raises ``ValueError`` listing the known regions.
    """
    raw = cost_data("electricity_prices.toml")
    if region not in raw["regions"]:
        raise ValueError(f"unknown region {region!r}; allowed: {', '.join(region_names())}")
    entry = dict(raw["regions"][region])
    currency = entry.pop("currency")
    fx = 1.0 if currency == "USD" else float(raw["fx"][currency]["usd_per_unit"])
    year = int(entry["year"])
    for key in ("price_per_kwh", "low", "high"):
        entry[key] = float(to_currency_year(float(entry[key]) * fx, year))
    entry["unit"] = "USD/kWh"
    notes = entry.get("notes", "")
    if currency != "USD":
        fx_src = raw["fx"][currency]["source"]
        entry["notes"] = f"{notes} Converted at {fx:g} USD/{currency} ({fx_src}).".strip()
    # already in the currency year: parse without a second CPI step
    entry["year"] = int(cost_data()["currency_year"])
    out = parse_entry(region, entry, value_key="price_per_kwh")
    return CostEntry(
        name=out.name,
        value=out.value,
        unit=out.unit,
        source=out.source,
        year=year,
        estimated=out.estimated,
        low=out.low,
        high=out.high,
        notes=out.notes,
    )


def ground_power_price_usd_per_kw_yr(
    electricity_usd_per_kwh: ArrayLike, pue: ArrayLike
) -> NDArray[np.float64]:
    """Yearly cost of powering one kW of IT load, :math:`p_e \\cdot PUE \\cdot 8766` h [USD/kW/yr].

    Project Suncatcher (arXiv 2511.19468) quotes US$570-3,000 per kW per year for US
    data centers at US$0.06-0.25/kWh and PUE 1.09-1.4.
    """
    p = non_negative("electricity_usd_per_kwh", electricity_usd_per_kwh)
    pue_a = non_negative("pue", pue)
    if np.any(pue_a < 1.0):
        raise ValueError(f"pue must be >= 1; got {pue!r}")
    return np.asarray(p * pue_a * HOURS_PER_YEAR, dtype=np.float64)


@dataclass(frozen=True)
class GroundInputs:
    """What the ground cost model needs; numeric fields may be arrays (broadcast together).

    Fields left ``None`` take their default from ``data/ground_dc.toml`` (or ``costs.toml`` for
    hardware life, accelerator prices and WACC); ``electricity_usd_per_kwh`` from ``region``.
    ``build_yr``: the facility is paid for at time 0 and operates after ``build_yr`` years; the
    compute is bought when it opens (the start of the year it opens in) and refreshed from
    there, and the running costs scale with the share of each year it operates.
    ``delivered_accelerator_hours_by_year`` (the delivery waterfall, years ``1..N``) gives
    ``usd_per_delivered_accelerator_hour``.
    """

    it_power_w: ArrayLike
    n_accelerators: ArrayLike
    accelerator: str = "h100-sxm"
    region: str = "us-average-industrial"
    electricity_usd_per_kwh: ArrayLike | None = None
    period_yr: int = 10
    availability: ArrayLike = 1.0
    wacc: ArrayLike | None = None
    hardware_life_yr: ArrayLike | None = None
    accelerator_unit_price_usd: ArrayLike | None = None
    server_price_factor: ArrayLike | None = None
    pue: ArrayLike | None = None
    chiller_share_of_overhead: ArrayLike | None = None
    construction_usd_per_mw: ArrayLike | None = None
    facility_life_yr: ArrayLike | None = None
    land_usd_per_acre: ArrayLike | None = None
    land_acres_per_mw: ArrayLike | None = None
    grid_connection_usd_per_kw: ArrayLike | None = None
    backup_power_usd_per_w: ArrayLike | None = None
    water_l_per_kwh: ArrayLike | None = None
    water_usd_per_m3: ArrayLike | None = None
    operations_fraction_per_yr: ArrayLike | None = None
    insurance_rate_per_yr: ArrayLike | None = None
    build_yr: float = 0.0
    delivered_accelerator_hours_by_year: ArrayLike | None = None


def _g(inp: GroundInputs, name: str, hi: float = math.inf) -> Any:
    value = getattr(inp, name)
    return in_range(
        name,
        load_ground_costs()[name].value if value is None else value,
        0.0,
        hi,
        hi_open=hi == math.inf,
    )


def ground_tco(inputs: GroundInputs) -> CostResult:
    """Cost of a terrestrial data center over ``inputs.period_yr`` years (module docstring).

    Lines: ``compute_hardware``, ``hardware_refresh``, ``construction``, ``land``,
    ``grid_connection``, ``backup_power``, ``facility_refresh``, ``energy_it``,
    ``chiller_energy``, ``other_overhead_energy``, ``water``, ``operations``, ``insurance``,
    ``residual_value`` (negative) and ``cost_of_capital``.

    Raises
    ------
    ValueError
        Negative prices or rates, PUE below 1, a period under one year, an unknown region or
        accelerator.
    """
    inp = inputs
    n_yr = int(inp.period_yr)
    if n_yr != inp.period_yr or n_yr < 1:
        raise ValueError(f"period_yr must be a whole number of years >= 1; got {inp.period_yr!r}")
    space = load_space_costs()
    price_e = non_negative(
        "electricity_usd_per_kwh",
        electricity_price(inp.region).value
        if inp.electricity_usd_per_kwh is None
        else inp.electricity_usd_per_kwh,
    )
    unit_price, server_f = accelerator_hardware_prices(
        inp.accelerator, inp.accelerator_unit_price_usd, inp.server_price_factor
    )
    rate = in_range("wacc", space["finance.wacc"].value if inp.wacc is None else inp.wacc, 0.0, 1.0)
    hw_life = non_negative(
        "hardware_life_yr",
        space["reliability.hardware_life_yr"].value
        if inp.hardware_life_yr is None
        else inp.hardware_life_yr,
    )
    power_w = non_negative("it_power_w", inp.it_power_w)
    n_acc = non_negative("n_accelerators", inp.n_accelerators)
    avail = in_range("availability", inp.availability, 0.0, 1.0)
    pue = _g(inp, "pue")
    if np.any(pue < 1.0):
        raise ValueError(f"pue must be >= 1; got {inp.pue!r}")
    share = _g(inp, "chiller_share_of_overhead", 1.0)
    fac_life = _g(inp, "facility_life_yr")
    if np.any(fac_life <= 0.0) or np.any(hw_life <= 0.0):
        raise ValueError("facility_life_yr and hardware_life_yr must be > 0")

    build = float(inp.build_yr)
    if not 0.0 <= build < n_yr:
        raise ValueError(f"build_yr must be in [0, {n_yr}) years; got {inp.build_yr!r}")
    k_open = math.ceil(build - 1e-9)  # time point at which the compute is bought
    grid = np.arange(n_yr + 1, dtype=np.float64)
    operating = np.clip(grid - build, 0.0, 1.0)  # share of year t (ending at t) operating
    hardware = n_acc / _accelerators_per_unit(inp.accelerator) * unit_price * server_f
    construction = _g(inp, "construction_usd_per_mw") * power_w / 1e6
    land = _g(inp, "land_usd_per_acre") * _g(inp, "land_acres_per_mw") * power_w / 1e6
    grid = _g(inp, "grid_connection_usd_per_kw") * power_w / 1e3 * pue
    backup = _g(inp, "backup_power_usd_per_w") * power_w
    facility = construction + grid + backup
    e_it_kwh = power_w / 1e3 * avail * HOURS_PER_YEAR  # per year
    overhead_kwh = (pue - 1.0) * e_it_kwh

    hw_refresh = np.zeros((*np.shape(hw_life), n_yr + 1))
    hw_refresh[..., k_open:] = refresh_counts(n_yr - k_open, hw_life)
    flows: dict[str, NDArray[np.float64]] = {
        "compute_hardware": schedule_at(n_yr, k_open, hardware),
        "hardware_refresh": hw_refresh * np.asarray(hardware)[..., np.newaxis],
        "construction": schedule_at(n_yr, 0, construction),
        "land": schedule_at(n_yr, 0, land),
        "grid_connection": schedule_at(n_yr, 0, grid),
        "backup_power": schedule_at(n_yr, 0, backup),
        "facility_refresh": refresh_counts(n_yr, fac_life) * np.asarray(facility)[..., np.newaxis],
        "energy_it": operating * yearly(n_yr, e_it_kwh * price_e),
        "chiller_energy": operating * yearly(n_yr, overhead_kwh * share * price_e),
        "other_overhead_energy": operating * yearly(n_yr, overhead_kwh * (1.0 - share) * price_e),
        "water": operating
        * yearly(n_yr, e_it_kwh * _g(inp, "water_l_per_kwh") / 1e3 * _g(inp, "water_usd_per_m3")),
        "operations": operating * yearly(n_yr, _g(inp, "operations_fraction_per_yr") * facility),
        "insurance": operating
        * yearly(n_yr, _g(inp, "insurance_rate_per_yr", 1.0) * (facility + hardware)),
        "residual_value": schedule_at(
            n_yr,
            n_yr,
            -(
                residual_fraction(n_yr, fac_life) * facility
                + residual_fraction(n_yr - k_open, hw_life) * hardware
                + land
            ),
        ),
    }
    notes: tuple[str, ...] = (
        "compute hardware priced per device from costs.toml, the same catalog as in orbit",
        "construction (Cushman & Wakefield) includes generators, UPS and chillers",
        f"electricity: {inp.region}" if inp.electricity_usd_per_kwh is None else "electricity: set",
        "land keeps its value: credited in full at the end of the period",
    )
    if build > 0:
        notes += (f"built in {build:g} years: compute bought and running costs from then",)
    return summarize_cash_flows(
        "ground", flows, rate, n_yr, e_it_kwh, n_acc * avail * HOURS_PER_YEAR, notes=notes,
        delivered_hours_by_year=inp.delivered_accelerator_hours_by_year,
    )  # fmt: skip
