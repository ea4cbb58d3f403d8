"""Space total cost of ownership: satellites by subsystem, compute, launch, operations, refresh.

The model
---------
A fleet of :math:`n` identical satellites delivers IT power :math:`P` for :math:`N` years.
One *generation* costs

.. math::

    G = \\underbrace{n \\sum_s m_s c_s}_{\\text{satellites}}
      + \\underbrace{\\tfrac{n_{acc}}{a_{unit}}\\, p_{unit} f_{server}}_{\\text{compute}}
      + \\underbrace{p_{launch} M_{billable}}_{\\text{launch}}
      + \\underbrace{\\rho\\, (\\text{satellites} + \\text{compute} + \\text{launch})}
                    _{\\text{launch + 1 yr insurance}},

with :math:`m_s` the mass of subsystem :math:`s` per satellite [kg] and :math:`c_s` its price
[USD/kg] (``data/costs.toml``), compute priced per device exactly as on the ground, and the
billable launch mass :math:`M_{billable}` (the whole capacity of every launch a manifest needs,
so launches governed by volume, or part-filled, are paid in full). Cash flows over the period:

* time 0: the first generation and the ground segment (stations);
* every :math:`L` years (satellite life, 5 by default) while :math:`kL < N`: the whole fleet
  again (``replacement_end_of_life``), plus disposal of the retired satellites;
* end of each year :math:`t < N`: :math:`n\\,p_f` failed satellites replaced at :math:`G/n` each
  (``replacement_failures``; expected value, :math:`p_f` the yearly failure probability);
* end of each year: operations (per satellite) and ground-station backhaul;
* time N: the straight-line value left in the last generation, credited (``residual_value``).

These are discounted at the WACC and reported as in :mod:`skydc.economics.finance`
(total = N x equivalent annual cost; levelized cost per kWh of IT energy delivered,
:math:`E = P\\, CF\\, A \\cdot 8766` h a year; cost per accelerator-hour likewise).

Launched power price
--------------------
Project Suncatcher (arXiv 2511.19468) compares launch with terrestrial power as a price per kW
of satellite power per year: :math:`m\\, p_{launch} / (P\\, L)`
(:func:`launched_power_price_usd_per_kw_yr`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

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
    yearly,
)
from skydc.spacecraft.payload import get_accelerator

__all__ = [
    "SpaceInputs",
    "accelerator_price",
    "accelerator_price_names",
    "launch_price_from_plan",
    "launched_power_price_usd_per_kw_yr",
    "load_space_costs",
    "space_inputs_from_sizing",
    "space_tco",
]


@functools.cache
def load_space_costs() -> dict[str, CostEntry]:
    """Every entry of ``costs.toml`` by dotted name (``"subsystem_usd_per_kg.structure"``)."""
    raw = cost_data("costs.toml")
    out: dict[str, CostEntry] = {}
    for group in (
        "subsystem_usd_per_kg", "solar_cells", "accelerator_price", "ground_segment",
        "operations", "insurance", "disposal", "reliability", "finance",
    ):  # fmt: skip
        for name, table in raw[group].items():
            out[f"{group}.{name}"] = parse_entry(f"{group}.{name}", table)
    return out


def _default(name: str) -> float:
    return load_space_costs()[name].value


def accelerator_price_names() -> tuple[str, ...]:
    """Accelerators with a price in ``costs.toml``."""
    return tuple(k.split(".", 1)[1] for k in load_space_costs() if k.startswith("accelerator_"))


def accelerator_price(name: str) -> CostEntry:
    """The price entry of one accelerator unit (``extra["server_price_factor"]`` included)."""
    try:
        return load_space_costs()[f"accelerator_price.{name}"]
    except KeyError:
        allowed = ", ".join(accelerator_price_names())
        raise ValueError(f"no price for accelerator {name!r}; allowed: {allowed}") from None


def _accelerators_per_unit(name: str) -> float:

    try:
        return float(get_accelerator(name).accelerators_per_unit)
    except (KeyError, ValueError) as exc:
        raise ValueError(f"unknown accelerator {name!r}: {exc}") from None


def accelerator_hardware_prices(
    accelerator: str,
    unit_price_usd: ArrayLike | None = None,
    server_price_factor: ArrayLike | None = None,
) -> tuple[Any, Any]:
    """(price per accelerator [USD], server price factor [-]) from the catalog or the overrides;
    space and ground cost the same hardware the same way."""
    price = accelerator_price(accelerator)
    unit = non_negative(
        "accelerator_unit_price_usd", price.value if unit_price_usd is None else unit_price_usd
    )
    factor = non_negative(
        "server_price_factor",
        price.extra["server_price_factor"] if server_price_factor is None else server_price_factor,
    )
    return unit, factor


def launched_power_price_usd_per_kw_yr(
    mass_kg: ArrayLike, launch_usd_per_kg: ArrayLike, power_w: ArrayLike, life_yr: ArrayLike
) -> NDArray[np.float64]:
    """Launch cost per kW of power per year of life, :math:`m\\,p / (P\\,L)` [USD kW^-1 yr^-1].

    Project Suncatcher (arXiv 2511.19468, sec. on launch costs) compares this with the
    yearly cost of a kW of terrestrial power (US$570-3,000 per kW per year). E.g. Starlink v2
    mini, 575 kg and ~28 kW for 5 years, at US$200/kg gives US$821 per kW per year.
    """
    m = non_negative("mass_kg", mass_kg)
    p = non_negative("launch_usd_per_kg", launch_usd_per_kg)
    pw = non_negative("power_w", power_w)
    life = non_negative("life_yr", life_yr)
    if np.any(pw <= 0.0) or np.any(life <= 0.0):
        raise ValueError("power_w and life_yr must be > 0")
    return np.asarray(m * p / (pw / 1e3 * life), dtype=np.float64)


@dataclass(frozen=True)
class SpaceInputs:
    """What the space cost model needs. Any numeric field may be an array (broadcast together).

    Fields left ``None`` take their default from ``data/costs.toml``.

    Parameters
    ----------
    it_power_w
        IT power of the whole fleet [W].
    n_satellites
        Satellites in the fleet.
    mass_by_subsystem_kg
        Mass of one satellite by subsystem [kg], e.g. ``SatelliteSizing.mass_kg``.
    n_accelerators
        Accelerator packages (GPUs, TPUs) in the whole fleet.
    launch_usd_per_kg
        Launch price per kg of launch capacity [USD/kg].
    accelerator
        Name in the price catalog (``h100-sxm``, ``b200``, ``gb200-nvl72``, ``tpu-v6e``, ...).
    launch_billable_mass_kg
        Launch capacity paid for the fleet [kg]; default the fleet's wet mass.
    period_yr
        Whole years costed (default 10).
    capacity_factor, availability
        Share of the time the compute is powered (eclipses without battery) and up [0-1].
    usd_per_kg
        Per-subsystem price overrides [USD/kg].
    solar_array_usd_per_w, solar_array_power_w
        Price the solar array per W instead of per kg, with the array power per satellite [W].
    launch_schedule
        Satellites launched at each time point ``0..N`` by reason, ``build`` (the first fleet),
        ``end_of_life`` and ``failure`` (replacements), and ``retired`` (disposed of) — a
        :class:`~skydc.economics.delivered.FleetHistory` at the launch cadence; optionally
        ``in_service``, the satellites operated in each year (time points ``1..N``, 0 at 0),
        which the operations cost follows. Without it the
        whole fleet is bought at time 0, replaced every life and failures at each year's end.
    residual_in_service_fraction
        With a schedule: the value left at N in the satellites in service, in new satellites
        over the fleet [-] (``FleetHistory.residual_fraction``).
    delivered_accelerator_hours_by_year
        Accelerator-hours delivered in each year ``1..N`` (the delivery waterfall); gives
        ``usd_per_delivered_accelerator_hour``.
    once_usd
        Costs paid once at time 0 and never replaced, insured or credited at the end, each its
        own line ``once.<name>`` [USD]: e.g. a station's assembly robots, which stay in orbit
        and berth every later station (:mod:`skydc.economics.station`).
    """

    it_power_w: ArrayLike
    n_satellites: ArrayLike
    mass_by_subsystem_kg: Mapping[str, ArrayLike]
    n_accelerators: ArrayLike
    launch_usd_per_kg: ArrayLike
    accelerator: str = "h100-sxm"
    launch_billable_mass_kg: ArrayLike | None = None
    period_yr: int = 10
    satellite_life_yr: ArrayLike | None = None
    annual_failure_probability: ArrayLike | None = None
    capacity_factor: ArrayLike = 1.0
    availability: ArrayLike = 1.0
    wacc: ArrayLike | None = None
    usd_per_kg: Mapping[str, ArrayLike] = field(default_factory=dict)
    solar_array_usd_per_w: ArrayLike | None = None
    solar_array_power_w: ArrayLike | None = None
    accelerator_unit_price_usd: ArrayLike | None = None
    server_price_factor: ArrayLike | None = None
    ground_stations: ArrayLike | None = None
    ground_station_usd: ArrayLike | None = None
    backhaul_usd_per_station_yr: ArrayLike | None = None
    operations_usd_per_satellite_yr: ArrayLike | None = None
    insurance_rate: ArrayLike | None = None
    disposal_usd_per_satellite: ArrayLike | None = None
    launch_schedule: Mapping[str, ArrayLike] | None = None
    residual_in_service_fraction: ArrayLike | None = None
    delivered_accelerator_hours_by_year: ArrayLike | None = None
    once_usd: Mapping[str, ArrayLike] = field(default_factory=dict)


def _pick(value: ArrayLike | None, default_name: str, name: str, hi: float = math.inf) -> Any:
    return in_range(
        name, _default(default_name) if value is None else value, 0.0, hi, hi_open=hi == math.inf
    )


def _satellite_lines(inp: SpaceInputs) -> tuple[dict[str, NDArray[np.float64]], list[str]]:
    """Price of one satellite by subsystem [USD], and the lines priced at the default rate."""
    table = load_space_costs()
    lines: dict[str, NDArray[np.float64]] = {}
    defaulted: list[str] = []
    for line, mass in inp.mass_by_subsystem_kg.items():
        m = non_negative(f"mass_by_subsystem_kg[{line!r}]", mass)
        if line == "solar_array" and inp.solar_array_usd_per_w is not None:
            if inp.solar_array_power_w is None:
                raise ValueError("solar_array_usd_per_w needs solar_array_power_w (per satellite)")
            per_w = non_negative("solar_array_usd_per_w", inp.solar_array_usd_per_w)
            lines[line] = per_w * non_negative("solar_array_power_w", inp.solar_array_power_w)
            continue
        if line in inp.usd_per_kg:
            rate = non_negative(f"usd_per_kg[{line!r}]", inp.usd_per_kg[line])
        elif f"subsystem_usd_per_kg.{line}" in table:
            rate = np.asarray(table[f"subsystem_usd_per_kg.{line}"].value)
        else:
            rate = np.asarray(table["subsystem_usd_per_kg.default"].value)
            defaulted.append(line)
        lines[line] = np.asarray(m * rate, dtype=np.float64)
    return lines, defaulted


def space_tco(inputs: SpaceInputs) -> CostResult:
    """Cost of a space data center over ``inputs.period_yr`` years (module docstring).

    Returns a :class:`~skydc.economics.finance.CostResult` with lines ``satellite.<subsystem>``
    (first generation), ``compute_hardware``, ``launch``, ``insurance``, ``ground_segment``,
    ``operations``, ``replacement_end_of_life``, ``replacement_failures``, ``disposal``,
    ``residual_value`` (negative) and ``cost_of_capital``, and ``once.<name>`` for each of
    ``inputs.once_usd``.

    Raises
    ------
    ValueError
        Negative prices, masses or rates, fractions outside [0, 1], a period under one year,
        an unknown accelerator.
    """
    inp = inputs
    n_yr = int(inp.period_yr)
    if n_yr != inp.period_yr or n_yr < 1:
        raise ValueError(f"period_yr must be a whole number of years >= 1; got {inp.period_yr!r}")
    n_sat = non_negative("n_satellites", inp.n_satellites)
    if np.any(n_sat <= 0.0):
        raise ValueError(f"n_satellites must be > 0; got {inp.n_satellites!r}")
    price = accelerator_price(inp.accelerator)
    per_unit = _accelerators_per_unit(inp.accelerator)
    unit_price, server_f = accelerator_hardware_prices(
        inp.accelerator, inp.accelerator_unit_price_usd, inp.server_price_factor
    )
    n_acc = non_negative("n_accelerators", inp.n_accelerators)
    life = _pick(inp.satellite_life_yr, "reliability.satellite_life_yr", "satellite_life_yr")
    if np.any(life <= 0.0):
        raise ValueError(f"satellite_life_yr must be > 0; got {inp.satellite_life_yr!r}")
    p_fail = _pick(
        inp.annual_failure_probability,
        "reliability.annual_failure_probability",
        "annual_failure_probability",
        1.0,
    )
    rate = _pick(inp.wacc, "finance.wacc", "wacc", 1.0)
    cf = in_range("capacity_factor", inp.capacity_factor, 0.0, 1.0)
    avail = in_range("availability", inp.availability, 0.0, 1.0)
    launch_p = non_negative("launch_usd_per_kg", inp.launch_usd_per_kg)
    sat_lines, defaulted = _satellite_lines(inp)
    wet_kg = sum((non_negative("mass", m) for m in inp.mass_by_subsystem_kg.values()), np.zeros(()))
    billable = non_negative(
        "launch_billable_mass_kg",
        n_sat * wet_kg if inp.launch_billable_mass_kg is None else inp.launch_billable_mass_kg,
    )
    stations = _pick(inp.ground_stations, "ground_segment.stations", "ground_stations")
    station_usd = _pick(inp.ground_station_usd, "ground_segment.station_usd", "ground_station_usd")
    backhaul = _pick(
        inp.backhaul_usd_per_station_yr,
        "ground_segment.backhaul_usd_per_station_yr",
        "backhaul_usd_per_station_yr",
    )
    ops = _pick(
        inp.operations_usd_per_satellite_yr,
        "operations.usd_per_satellite_yr",
        "operations_usd_per_satellite_yr",
    )
    ins_rate = _pick(
        inp.insurance_rate, "insurance.launch_plus_one_year_rate", "insurance_rate", 1.0
    )
    disposal = _pick(
        inp.disposal_usd_per_satellite, "disposal.usd_per_satellite", "disposal_usd_per_satellite"
    )

    satellites = sum(sat_lines.values(), np.zeros(())) * n_sat
    hardware = n_acc / per_unit * unit_price * server_f
    launch = launch_p * billable
    insurance = ins_rate * (satellites + hardware + launch)
    generation = satellites + hardware + launch + insurance

    if inp.launch_schedule is None:
        flows = _level_fleet_flows(
            n_yr, sat_lines, n_sat, hardware, launch, insurance, generation, life, p_fail, disposal
        )
    else:
        flows = _scheduled_fleet_flows(
            n_yr, inp, sat_lines, n_sat, hardware, launch, insurance, generation, disposal
        )
    for name, usd in inp.once_usd.items():
        flows[f"once.{name}"] = schedule_at(n_yr, 0, non_negative(f"once_usd[{name!r}]", usd))
    flows["ground_segment"] = schedule_at(n_yr, 0, stations * station_usd) + yearly(
        n_yr, stations * backhaul
    )
    in_service = (inp.launch_schedule or {}).get("in_service")
    if in_service is None:
        flows["operations"] = yearly(n_yr, ops * n_sat)
    else:  # satellites operated in each year (time points 1..N), e.g. the fleet model's
        flows["operations"] = np.asarray(ops)[..., np.newaxis] * non_negative(
            "launch_schedule['in_service']", in_service
        )

    energy_kwh = non_negative("it_power_w", inp.it_power_w) / 1e3 * cf * avail * HOURS_PER_YEAR
    acc_hours = n_acc * cf * avail * HOURS_PER_YEAR
    notes = [
        "compute hardware priced per device from costs.toml, the same catalog as the ground",
        "failed satellites replaced at the end of the year they fail (expected value)",
    ]
    if defaulted:
        notes.append(
            "priced at the bus-average rate (no entry in costs.toml): " + ", ".join(defaulted)
        )
    if price.estimated:
        notes.append(f"{inp.accelerator} price is an estimate: {price.notes or price.source}")
    return summarize_cash_flows(
        "space", flows, rate, n_yr, energy_kwh, acc_hours, notes=tuple(notes),
        delivered_hours_by_year=inp.delivered_accelerator_hours_by_year,
    )  # fmt: skip


def _level_fleet_flows(
    n_yr: int, sat_lines: dict[str, NDArray[np.float64]], n_sat: Any, hardware: Any, launch: Any,
    insurance: Any, generation: Any, life: Any, p_fail: Any, disposal: Any,
) -> dict[str, NDArray[np.float64]]:  # fmt: skip
    """The whole fleet at time 0, again every life, failures replaced at each year's end."""
    refreshes = refresh_counts(n_yr, life)
    flows: dict[str, NDArray[np.float64]] = {
        f"satellite.{k}": schedule_at(n_yr, 0, v * n_sat) for k, v in sat_lines.items()
    }
    flows["compute_hardware"] = schedule_at(n_yr, 0, hardware)
    flows["launch"] = schedule_at(n_yr, 0, launch)
    flows["insurance"] = schedule_at(n_yr, 0, insurance)
    flows["replacement_end_of_life"] = refreshes * np.asarray(generation)[..., np.newaxis]
    flows["replacement_failures"] = yearly(n_yr, p_fail * generation, last=n_yr - 1)
    flows["disposal"] = refreshes * np.asarray(disposal * n_sat)[..., np.newaxis]
    flows["residual_value"] = schedule_at(
        n_yr, n_yr, -residual_fraction(n_yr, life) * (generation - insurance)
    )
    return flows


def _scheduled_fleet_flows(
    n_yr: int, inp: SpaceInputs, sat_lines: dict[str, NDArray[np.float64]], n_sat: Any,
    hardware: Any, launch: Any, insurance: Any, generation: Any, disposal: Any,
) -> dict[str, NDArray[np.float64]]:  # fmt: skip
    """Satellites paid for when they are launched, at the launch schedule (see SpaceInputs)."""
    sched = inp.launch_schedule or {}
    missing = {"build", "end_of_life", "failure", "retired"} - set(sched)
    if missing:
        raise ValueError(f"launch_schedule lacks {', '.join(sorted(missing))}")

    def series(key: str) -> NDArray[np.float64]:
        x = non_negative(f"launch_schedule[{key!r}]", sched[key])
        if x.shape[-1] != n_yr + 1:
            raise ValueError(f"launch_schedule[{key!r}] needs {n_yr + 1} time points")
        return np.asarray(x, dtype=np.float64)

    build = series("build") / n_sat[..., np.newaxis]  # share of the fleet at each time point
    unit = np.asarray(generation / n_sat)[..., np.newaxis]  # one satellite, launched, insured
    flows: dict[str, NDArray[np.float64]] = {
        f"satellite.{k}": np.asarray(v)[..., np.newaxis] * n_sat[..., np.newaxis] * build
        for k, v in sat_lines.items()
    }
    flows["compute_hardware"] = np.asarray(hardware)[..., np.newaxis] * build
    flows["launch"] = np.asarray(launch)[..., np.newaxis] * build
    flows["insurance"] = np.asarray(insurance)[..., np.newaxis] * build
    flows["replacement_end_of_life"] = unit * series("end_of_life")
    flows["replacement_failures"] = unit * series("failure")
    flows["disposal"] = np.asarray(disposal)[..., np.newaxis] * series("retired")
    left = in_range(
        "residual_in_service_fraction",
        0.0 if inp.residual_in_service_fraction is None else inp.residual_in_service_fraction,
        0.0,
        1.0,
    )
    flows["residual_value"] = schedule_at(n_yr, n_yr, -left * (generation - insurance))
    return flows


def launch_price_from_plan(plan: Any) -> tuple[float, float]:
    """(USD per kg of launch capacity, billable kg) of an ``skydc.deployment`` ``LaunchPlan``.

    Every launch of the plan is paid in full: billable mass = launches x payload per launch, at
    the vehicle's price per kg of payload capacity, so their product is the plan's cost.
    """
    payload = float(plan.payload_per_launch_kg)
    if payload <= 0.0:
        raise ValueError("the launch plan has no payload capacity")
    return float(plan.price_per_launch_usd) / payload, float(plan.launches) * payload


class _Sizing(Protocol):
    it_power_w: float
    n_accelerators: int
    accelerator: str
    mass_kg: dict[str, float]


def space_inputs_from_sizing(
    sizing: _Sizing,
    n_satellites: int,
    *,
    launch_plan: Any | None = None,
    launch_usd_per_kg: float | None = None,
    **overrides: Any,
) -> SpaceInputs:
    """:class:`SpaceInputs` for ``n_satellites`` copies of one ``SatelliteSizing``.

    Give either a ``launch_plan`` (``skydc.deployment.manifest.LaunchPlan`` for the whole
    fleet, which sets the price per kg and the billable mass) or ``launch_usd_per_kg`` (then the
    fleet's wet mass is billed). ``overrides`` are further :class:`SpaceInputs` fields.
    """
    if (launch_plan is None) == (launch_usd_per_kg is None):
        raise ValueError("give exactly one of launch_plan or launch_usd_per_kg")
    if launch_plan is not None:
        usd_per_kg, billable = launch_price_from_plan(launch_plan)
        overrides.setdefault("launch_billable_mass_kg", billable)
    else:
        usd_per_kg = float(launch_usd_per_kg)  # type: ignore[arg-type]
    return SpaceInputs(
        it_power_w=float(sizing.it_power_w) * n_satellites,
        n_satellites=n_satellites,
        mass_by_subsystem_kg=dict(sizing.mass_kg),
        n_accelerators=int(sizing.n_accelerators) * n_satellites,
        accelerator=sizing.accelerator,
        launch_usd_per_kg=usd_per_kg,
        **overrides,
    )
