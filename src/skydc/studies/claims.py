"""The claims audit (issue #4 item 5): what the public claims about orbital data centers hold.

For each claim of the seed (texts and sources in ``data/claims.toml``) the audit gives the claim
as stated, the claimant's arithmetic reproduced from the claimant's own inputs, the result under
skydc's physics for each named technology preset, a verdict and the input that matters most.
No result is typed in: the 40 MW cluster is the bundled example ``starcloud-whitepaper-40mw``
sized and costed once per preset (with the white paper's Starship and with skydc's), the
million-satellite constellation is the example ``spacex-1m`` sized once per preset.

=====  ====================================================================================
claim  how it is checked
=====  ====================================================================================
a      Starcloud's Table 1 recomputed (:func:`~skydc.economics.starcloud.starcloud_table`);
       then the same cluster's full ten-year space and ground cost, omitted lines included
       (:func:`~skydc.economics.starcloud.starcloud_full_cost`), and a like-for-like
       "energy and cooling" comparison: the space power and thermal subsystems with their
       share of the launches (bought once) against ground energy and backup power.
b      Launches by mass and by volume for the 40 MW cluster, with the paper's ~100 t Starship
       and with skydc's (rocket equation to the orbit); deployment time at Starship's
       current and target cadence (the "20 minutes" is one ascent).
c      1 Mt/yr x 100 W/kg = 100 GW/yr reproduced with the manifest kernel; then GW/yr for
       1 Mt/yr at each preset's whole-satellite W/kg, and the Starship flights a year it takes.
d      Break-even launch price (space total = ground total at the region's electricity price,
       :func:`~skydc.economics.sensitivity.first_year_space_cheaper`) against each named
       launch-price projection: the first year space is cheaper, or never. The claimant's
       version is the break-even of the white paper's own table.
e      Annual energy per m^2 of array in the dawn-dusk orbit (eclipse-season survey, the
       preset's cells and attitude, Earth-Sun distance) against the same cells on the ground
       at the US median capacity factor, rated at standard test conditions.
f      Distributed (one rack per satellite) against the centralized station of the same IT
       power (mass, launches, cost with its in-space assembly, cost per delivered
       accelerator-hour: :mod:`skydc.economics.station`); the white paper's 5 GW centralized
       design re-checked with its own radiator worked example.
=====  ====================================================================================

Verdicts (:data:`VERDICTS`) follow one rule, from whether the claimant's arithmetic reproduces
and for how many presets skydc's result meets the claim (:func:`verdict_for`); "meets" is
stated per claim in :func:`evaluate_claims`' helpers (within ``about_tolerance`` where the
claim says "about").
"""

from __future__ import annotations

import dataclasses
import functools
import math
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

import numpy as np
import pyarrow as pa

from skydc.constants import GROUND_STC_IRRADIANCE_W_M2, JULIAN_YEAR_DAYS, SOLAR_CONSTANT_W_M2
from skydc.deployment.launch import get_launch_vehicle
from skydc.deployment.manifest import deployment_time_yr, launch_counts, power_deployed_per_launch_w
from skydc.economics.finance import HOURS_PER_YEAR, CostResult
from skydc.economics.ground import GroundInputs, electricity_price, ground_tco, load_ground_costs
from skydc.economics.sensitivity import (
    crossover_year,
    first_year_space_cheaper,
    launch_price_models,
    projected_launch_price_usd_per_kg,
    tornado,
)
from skydc.economics.space import SpaceInputs, space_tco
from skydc.economics.starcloud import StarcloudAssumptions, starcloud_full_cost, starcloud_table
from skydc.economics.station import assembled_station_inputs, ramp_hours_by_year
from skydc.environment.seasons import EclipseSeasons
from skydc.pipeline.constellation import ConstellationOutput
from skydc.pipeline.cost import cost_inputs
from skydc.pipeline.runner import StageCache, run_stages
from skydc.pipeline.seasons import SeasonsOutput
from skydc.pipeline.sizing import SizingOutput
from skydc.scenario.load import LoadedScenario, load_scenario
from skydc.spacecraft.payload import get_accelerator
from skydc.spacecraft.power import (
    array_power_w,
    cos_incidence,
    earth_sun_distance_m,
    solar_irradiance_w_m2,
)
from skydc.spacecraft.presets import preset_names
from skydc.spacecraft.thermal import radiator_net_flux_w_m2

__all__ = [
    "DEFAULT_PRESETS",
    "VERDICTS",
    "ClaimResult",
    "ClaimantArithmetic",
    "claims_data",
    "claims_json",
    "claims_table",
    "evaluate_claims",
    "verdict_for",
]

VERDICTS: tuple[str, ...] = (
    "holds",
    "partly holds",
    "holds only under the claimant's assumptions",
    "does not hold",
)
DEFAULT_PRESETS: tuple[str, ...] = (
    "iss-heritage",
    "starlink-v2-mini",
    "starcloud-whitepaper",
    "advanced",
)
# Space subsystems that do the work of the ground's energy bill and chillers (claim a)
_POWER_AND_COOLING = ("solar_array", "battery", "power_conditioning", "radiator", "heat_transport")
_GROUND_ENERGY = ("energy_it", "chiller_energy", "other_overhead_energy", "backup_power")
_INPUT_LABELS = {
    "space.bus_price_scale": "satellite hardware price per kg",
    "space.mass_scale": "satellite mass",
    "space.launch_usd_per_kg": "launch price per kg",
    "both.accelerator_unit_price_usd": "accelerator price",
    "both.wacc": "cost of capital (WACC)",
    "ground.electricity_usd_per_kwh": "ground electricity price",
    "ground.pue": "ground PUE",
    "ground.construction_usd_per_mw": "ground construction cost per MW",
}


@dataclass(frozen=True)
class ClaimantArithmetic:
    """The claimant's arithmetic, reproduced: a short text and the numbers it gives."""

    text: str
    numbers: dict[str, float]


@dataclass(frozen=True)
class ClaimResult:
    """One audited claim.

    ``skydc_result`` maps preset -> metric -> value, the unit in the metric's suffix
    (``_musd`` million USD, ``_t`` tonnes, ``_w_kg``...); every value is finite (an outcome that
    does not occur, such as a year in which space never becomes cheaper, is left out and said in
    ``why``). ``verdict`` is one of :data:`VERDICTS`.
    """

    id: str
    claim: str
    source: str
    claimant_arithmetic: ClaimantArithmetic
    skydc_result: dict[str, dict[str, float]]
    verdict: str
    why: str
    most_important_input: str
    notes: tuple[str, ...] = ()


@functools.cache
def claims_data() -> dict[str, Any]:
    """Claim texts, sources, the claimants' figures and the audit settings (``claims.toml``)."""
    with files("skydc").joinpath("data", "claims.toml").open("rb") as fh:
        return tomllib.load(fh)


def verdict_for(reproduced: bool, passes: Sequence[bool]) -> str:
    """The verdict from the reproduction and the presets under which skydc meets the claim.

    Every preset meets it: "holds" ("partly holds" where the claimant's own arithmetic does
    not reproduce); some do: "partly holds"; none: "holds only under the claimant's
    assumptions" where their arithmetic reproduces, else "does not hold".
    """
    if passes and all(passes):
        return VERDICTS[0] if reproduced else VERDICTS[1]
    if any(passes):
        return VERDICTS[1]
    return VERDICTS[2] if reproduced else VERDICTS[3]


# --- one sized and costed system --------------------------------------------------------------


@dataclass(frozen=True)
class _Sized:
    """A scenario sized once: everything the claims read from the sizing."""

    loaded: LoadedScenario
    fleet: SizingOutput
    seasons: EclipseSeasons  # of the first shell
    epoch_jd_utc: float

    @property
    def mass_kg(self) -> float:
        return float(self.fleet.total("total_mass_kg"))

    def plan_sum(self, attribute: str) -> int:
        return sum(int(getattr(p, attribute)) for p in self.fleet.launch_plans.values())


@dataclass(frozen=True)
class _Case(_Sized):
    """A scenario sized and costed once."""

    space_inputs: SpaceInputs
    ground_inputs: GroundInputs
    space: CostResult
    ground: CostResult


def _sized(ref: str, overrides: Sequence[str], cache: StageCache | None = None) -> _Sized:
    """One design point through the pipeline's opening (constellation, seasons, sizing)."""
    loaded = load_scenario(ref, list(overrides))
    result = run_stages(loaded, ("sizing",), verb="claims", cache=cache)
    fleet, seasons, constellation = result["sizing"], result["seasons"], result["constellation"]
    assert isinstance(fleet, SizingOutput) and isinstance(seasons, SeasonsOutput)
    assert isinstance(constellation, ConstellationOutput)
    first = constellation.shells[0].name
    return _Sized(loaded, fleet, seasons[first], constellation.epoch_jd)


def _case(ref: str, overrides: Sequence[str], cache: StageCache | None = None) -> _Case:
    """One design point sized, then costed in orbit and on the ground (no tornado or MC)."""
    sized = _sized(ref, overrides, cache)
    space_in, ground_in = cost_inputs(sized.loaded, sized.fleet)
    return _Case(
        sized.loaded, sized.fleet, sized.seasons, sized.epoch_jd_utc, space_inputs=space_in,
        ground_inputs=ground_in, space=space_tco(space_in), ground=ground_tco(ground_in),
    )  # fmt: skip


def _centralized_cost(case: _Case) -> CostResult:
    """Space cost of the one station of the same IT power that the sizing puts in the first
    shell's orbit (``SizingOutput.centralized``), costed like the fleet, with its in-space
    assembly (:func:`~skydc.economics.station.assembled_station_inputs`): whole-module flights
    at the vehicle's price, the robot at its programme cost (bought once) with each assembly's
    operations, and nothing delivered until the last module is berthed."""
    fleet = case.fleet
    name = next(iter(fleet.satellites))
    station = dataclasses.replace(
        fleet,
        satellites={name: fleet.centralized},
        counts={name: 1},
        launch_plans={name: fleet.centralized_launches},
    )
    inputs = cost_inputs(case.loaded, station)[0]
    if fleet.centralized_assembly is not None:
        inputs = assembled_station_inputs(
            inputs, fleet.centralized_assembly, fleet.centralized_launches,
            case.loaded.scenario.economics.launch_usd_per_kg,
        )  # fmt: skip
    return space_tco(inputs)


def _distributed_deployment_yr(case: _Case) -> float:
    """Years to launch the distributed fleet at the scenario's cadence [yr]."""
    return float(deployment_time_yr(case.fleet.launches, case.fleet.cadence_per_yr))


def _distributed_delivered_cost(case: _Case) -> CostResult:
    """The distributed fleet's space cost with its accelerator-hours delivered as its
    satellites arrive: a linear ramp over the deployment time (each satellite works once
    launched; :func:`~skydc.economics.station.ramp_hours_by_year`)."""
    inp = case.space_inputs
    full = float(case.fleet.n_accelerators) * HOURS_PER_YEAR
    hours = ramp_hours_by_year(full, 0.0, _distributed_deployment_yr(case), int(inp.period_yr))
    return space_tco(dataclasses.replace(inp, delivered_accelerator_hours_by_year=hours))


@dataclass(frozen=True)
class _Ctx:
    data: dict[str, Any]
    paper: dict[str, _Case]  # the example as it is: the white paper's Starship
    starship: dict[str, _Case]  # the same with skydc's Starship
    million: dict[str, _Sized]  # the million-satellite constellation (sized only)
    centralized: dict[str, CostResult]
    claimant: str  # the preset closest to the claimant's technology

    @property
    def tol(self) -> float:
        return float(self.data["audit"]["about_tolerance"])


@dataclass(frozen=True)
class _Check:
    claimant_text: str
    claimant_numbers: dict[str, float]
    result: dict[str, dict[str, float]]
    reproduced: bool
    passes: list[bool]
    why: str
    most_important_input: str
    notes: tuple[str, ...] = ()


def _m(usd: Any) -> float:
    return float(np.asarray(usd)) / 1e6


def _span(values: Sequence[float], fmt: str = ".1f") -> str:
    lo, hi = min(values), max(values)
    return f"{lo:{fmt}}" if f"{lo:{fmt}}" == f"{hi:{fmt}}" else f"{lo:{fmt}}-{hi:{fmt}}"


def _label(name: str) -> str:
    return f"{_INPUT_LABELS.get(name, name)} ({name})"


def _tornado_top(space: SpaceInputs, ground: GroundInputs) -> str:

    return _label(tornado(space, ground).names[0])


# --- the claims -------------------------------------------------------------------------------


def _claim_a(ctx: _Ctx) -> _Check:
    """Passes where skydc's full space cost is below the ground cost."""
    t = starcloud_table()
    err = max(abs(v) for v in t.relative_error.values())
    nums = {f"{k.replace('.', '_')}_musd": v / 1e6 for k, v in t.lines_usd.items()}
    nums["ratio_space_to_ground"] = t.lines_usd["space.total"] / t.lines_usd["ground.total"]
    nums["max_relative_error_vs_paper"] = err
    ln = t.lines_usd
    text = (
        f"Table 1 from the paper's inputs: ground energy {t.basis['ground.energy']} = "
        f"${ln['ground.energy'] / 1e6:.2f}M, chiller {t.basis['ground.chiller_energy']}, backup "
        f"{t.basis['ground.backup_power']}: ${ln['ground.total'] / 1e6:.1f}M; space solar array "
        f"${ln['space.solar_array'] / 1e6:g}M + {t.basis['space.launch']} + shielding "
        f"{t.basis['space.shielding']}: ${ln['space.total'] / 1e6:.1f}M. Every line is within "
        f"{err:.2%} of the printed figure."
    )
    res, passes, omitted_top = {}, [], {}
    for p, case in ctx.paper.items():
        comp = starcloud_full_cost(case.space_inputs, case.ground_inputs)
        omitted = [r for r in comp.rows if r.side == "space" and r.omitted_by_paper]
        omitted_top[p] = max(omitted, key=lambda r: r.skydc_usd)
        s, g = float(comp.space.total_usd), float(comp.ground.total_usd)
        ss = ctx.starship[p]
        mass = case.fleet.mass_breakdown_kg()
        share = sum(mass[k] for k in _POWER_AND_COOLING) / sum(mass.values())
        lines = comp.space.lines_usd
        pc_space = sum(float(lines[f"satellite.{k}"]) for k in _POWER_AND_COOLING)
        pc_space += float(lines["launch"]) * share
        # like with like: the ground's energy and its power and cooling plant capital (the
        # 'critical capacity' share of construction and its refresh, and the grid connection)
        g_lines = comp.ground.lines_usd
        plant = load_ground_costs()["power_cooling_share_of_construction"].value
        pc_ground = sum(float(g_lines[k]) for k in _GROUND_ENERGY)
        pc_ground += float(g_lines.get("grid_connection", 0.0))
        pc_ground += plant * (
            float(g_lines.get("construction", 0.0)) + float(g_lines.get("facility_refresh", 0.0))
        )
        res[p] = {
            "space_total_musd": s / 1e6,
            "ground_total_musd": g / 1e6,
            "ratio_space_to_ground": s / g,
            "space_lines_omitted_by_paper_musd": sum(r.skydc_usd for r in omitted) / 1e6,
            "space_total_skydc_starship_musd": _m(ss.space.total_usd),
            "ratio_space_to_ground_skydc_starship": float(ss.space.total_usd / ss.ground.total_usd),
            "energy_and_cooling_space_musd": pc_space / 1e6,
            "energy_and_cooling_ground_musd": pc_ground / 1e6,
            "launches": float(case.fleet.launches),
        }
        passes.append(s < g)
    c, top = res[ctx.claimant], omitted_top[ctx.claimant]
    period = ctx.paper[ctx.claimant].space_inputs.period_yr
    ratios = [r["ratio_space_to_ground"] for r in res.values()]
    why = (
        f"The paper's arithmetic reproduces (within {err:.1%}), but its space column holds only "
        f"the solar array, one launch and shielding. With every line and skydc's sizing, space "
        f"costs {_span(ratios)}x the ground over {period} years ({ctx.claimant}: "
        f"${c['space_total_musd']:,.0f}M vs ${c['ground_total_musd']:,.0f}M); the largest line "
        f"the paper leaves out is {top.line} (${top.skydc_usd / 1e6:,.0f}M). Energy and "
        f"cooling alone (power and thermal subsystems with their launch share in orbit; energy, "
        f"grid connection and the power and cooling plant on the ground) cost "
        f"${c['energy_and_cooling_space_musd']:,.0f}M in orbit against "
        f"${c['energy_and_cooling_ground_musd']:,.0f}M on the ground."
    )
    case = ctx.paper[ctx.claimant]
    return _Check(
        text, nums, res, err < 0.01, passes, why,
        _tornado_top(case.space_inputs, case.ground_inputs),
    )  # fmt: skip


def _claim_b(ctx: _Ctx) -> _Check:
    """Passes where the cluster goes up in the claimed number of launches."""

    claim, a = ctx.data["claims"]["b"], StarcloudAssumptions()
    p_w = float(claim["it_power_mw"]) * 1e6
    first = next(iter(ctx.paper.values()))
    rack = get_accelerator(first.loaded.scenario.spacecraft.accelerator)
    racks = math.ceil(p_w / rack.power_w - 1e-9)
    racks_kg = racks * rack.mass_kg
    by_mass, _ = launch_counts(racks_kg, 0.0, a.launch_payload_kg, 1.0)
    nums = {
        "it_power_mw": p_w / 1e6,
        "launches": float(claim["launches"]),
        "minutes": float(claim["minutes"]),
        "payload_per_launch_kg": a.launch_payload_kg,
        "racks": float(racks),
        "racks_mass_kg": racks_kg,
        "launches_by_mass_racks_alone": float(by_mass),
        "needed_it_power_per_mass_w_kg": p_w / a.launch_payload_kg,
        "rack_it_power_per_mass_w_kg": rack.power_w / rack.mass_kg,
    }
    text = (
        f"One ~{a.launch_payload_kg / 1e3:g} t Starship launch carrying ~300 GB200 NVL72 racks of "
        f"~{rack.power_w / 1e3:g} kW: {p_w / 1e6:g} MW per {a.launch_payload_kg / 1e3:g} t needs "
        f"{nums['needed_it_power_per_mass_w_kg']:g} W/kg of launched mass, but a rack alone is "
        f"{nums['rack_it_power_per_mass_w_kg']:.0f} W/kg: {racks} racks weigh {racks_kg / 1e3:,.0f}"
        f" t, {int(by_mass)} launches by mass. The {claim['minutes']:g} minutes is one ascent."
    )
    ship = get_launch_vehicle("starship")
    res, passes, governed = {}, [], set()
    for p, case in ctx.paper.items():
        ss = ctx.starship[p]
        n, n_ss = case.fleet.launches, ss.fleet.launches
        governed |= {pl.governed_by for pl in case.fleet.launch_plans.values()}
        res[p] = {
            "launches_by_mass": float(case.plan_sum("launches_by_mass")),
            "launches_by_volume": float(case.plan_sum("launches_by_volume")),
            "launches": float(n),
            "it_power_per_launch_mw": case.fleet.it_power_w / n / 1e6,
            "it_power_per_mass_w_kg": case.fleet.it_power_w / case.mass_kg,
            "launches_skydc_starship": float(n_ss),
            "skydc_starship_payload_per_launch_kg": ss.mass_kg / n_ss,
            "deployment_at_current_cadence_days": float(
                deployment_time_yr(n_ss, ship.cadence_current_per_yr) * JULIAN_YEAR_DAYS
            ),
            "deployment_at_target_cadence_days": float(
                deployment_time_yr(n_ss, ship.cadence_target_per_yr) * JULIAN_YEAR_DAYS
            ),
        }
        passes.append(n <= claim["launches"])
    r = list(res.values())
    fits = racks_kg <= a.launch_payload_kg * claim["launches"]
    one = f"One ~{a.launch_payload_kg / 1e3:g} t flight cannot carry {p_w / 1e6:g} MW"
    lead = "The racks" if fits else f"{one}: the racks"
    why = (
        f"{lead} alone are {int(by_mass)} launch(es) by mass before any array, radiator or "
        f"bus. Whole satellites at "
        f"{_span([x['it_power_per_mass_w_kg'] for x in r])} W/kg need "
        f"{_span([x['launches'] for x in r], '.0f')} launches of the paper's Starship and "
        f"{_span([x['launches_skydc_starship'] for x in r], '.0f')} of skydc's, which at "
        f"{ship.cadence_current_per_yr:g} flights a year take "
        f"{_span([x['deployment_at_current_cadence_days'] for x in r], ',.0f')} days, at the "
        f"{ship.cadence_target_per_yr:g}/yr target "
        f"{_span([x['deployment_at_target_cadence_days'] for x in r], '.0f')} days."
    )
    mii = f"IT power per kg of launched satellite ({'/'.join(sorted(governed))} sets the count)"
    return _Check(text, nums, res, fits, passes, why, mii, _attitude_notes(ctx))


def _claim_c(ctx: _Ctx) -> _Check:
    """Passes where 1 Mt/yr of skydc's satellites adds about the claimed GW a year."""

    claim = ctx.data["claims"]["c"]
    mass_kg = float(claim["mass_per_yr_t"]) * 1e3
    w_kg = float(claim["it_power_kw_per_t"])  # kW per tonne = W per kg
    gw = float(power_deployed_per_launch_w(mass_kg, w_kg)) / 1e9
    sats = float(claim["satellites"])
    nums = {
        "mass_added_per_yr_kg": mass_kg,
        "it_power_per_mass_w_kg": w_kg,
        "it_power_added_gw_per_yr": gw,
        "satellites": sats,
        "satellite_it_power_kw": gw * 1e9 / sats / 1e3,
        "satellite_mass_kg": mass_kg / sats,
    }
    text = (
        f"{mass_kg / 1e3:,.0f} t/yr x {w_kg:g} kW/t = {gw:g} GW/yr: {sats:,.0f} satellites of "
        f"{nums['satellite_it_power_kw']:g} kW at {nums['satellite_mass_kg'] / 1e3:g} t each, "
        "launched in one year."
    )
    res, passes = {}, []
    target = float(claim["it_power_added_gw_per_yr"])
    for p, case in ctx.million.items():
        m, it_w = case.mass_kg, case.fleet.it_power_w
        n = max(case.plan_sum("launches_by_mass"), case.plan_sum("launches_by_volume"))
        added = float(power_deployed_per_launch_w(mass_kg, it_w / m)) / 1e9
        res[p] = {
            "it_power_per_mass_w_kg": it_w / m,
            "it_power_added_gw_per_yr": added,
            "satellite_mass_kg": m / sum(case.fleet.counts.values()),
            "fleet_it_power_gw": it_w / 1e9,
            "fleet_mass_kg": m,
            "fleet_launch_time_at_claimed_rate_years": m / mass_kg,
            "starship_flights_a_year_for_claimed_rate": n * mass_kg / m,
            "payload_per_launch_kg": m / case.plan_sum("launches_by_mass"),
        }
        passes.append(added >= target * (1.0 - ctx.tol))
    w_kgs = [r["it_power_per_mass_w_kg"] for r in res.values()]
    best = max(res, key=lambda k: res[k]["it_power_per_mass_w_kg"])
    b = res[best]
    lines = ctx.million[best].fleet.mass_breakdown_kg()
    heavy = max((k for k in lines if k != "compute"), key=lambda k: lines[k])
    sat_kw = next(iter(ctx.million[best].fleet.satellites.values())).it_power_w / 1e3
    rate = f"{mass_kg / 1e9:g} Mt/yr"
    why = (
        f"The filing's arithmetic is exact, but {w_kg:g} W/kg is IT power per kg of whole "
        f"satellite: skydc's {sat_kw:.0f} kW satellites reach {_span(w_kgs)} W/kg, so {rate} "
        f"adds {b['it_power_added_gw_per_yr']:.0f} GW/yr at best ({best}). {sats:,.0f} of them "
        f"weigh {b['fleet_mass_kg'] / 1e9:.1f} Mt "
        f"({b['fleet_launch_time_at_claimed_rate_years']:.1f} years at {rate}), and {rate} is "
        f"{b['starship_flights_a_year_for_claimed_rate']:,.0f} Starship flights a year of "
        f"{b['payload_per_launch_kg'] / 1e3:.0f} t to these orbits."
    )
    mii = f"whole-satellite IT power per kg (heaviest line after compute: {heavy})"
    return _Check(text, nums, res, gw == target, passes, why, mii)


def _claim_d(ctx: _Ctx) -> _Check:
    """Passes where some launch-price projection makes space cheaper by the claimed horizon."""

    claim, audit = ctx.data["claims"]["d"], ctx.data["audit"]
    horizon = int(claim["year_stated"]) + int(claim["horizon_yr"])
    years = np.arange(int(audit["first_year"]), int(audit["last_year"]) + 1, dtype=float)
    models = launch_price_models()
    # the paper's table is affine in the launch price p: the launch (p x payload) and the
    # shielding (priced at p per kg); two evaluations give the break-even
    a = StarcloudAssumptions()

    def table_at(p: float) -> dict[str, float]:
        return starcloud_table(
            dataclasses.replace(a, launch_price_usd=p * a.launch_payload_kg,
                                stated_launch_usd_per_kg=p)
        ).lines_usd  # fmt: skip

    t0, t1 = table_at(0.0), table_at(1.0)
    p_star = (t0["ground.total"] - t0["space.total"]) / (t1["space.total"] - t0["space.total"])
    nums: dict[str, float] = {"breakeven_launch_usd_per_kg": p_star, "horizon_year": horizon}
    claimant_years = {}
    for m in models:
        y = float(crossover_year(years, p_star, projected_launch_price_usd_per_kg(years, m)))
        if math.isfinite(y):
            nums[f"first_year_{m}"] = claimant_years[m] = y
    text = (
        f"On the white paper's own table (space = solar array + launch + shielding, both priced "
        f"per kg of launch) space equals ground at ${p_star:,.0f}/kg; the launch-price "
        "projections reach that in "
        + ", ".join(f"{int(y)} ({m})" for m, y in claimant_years.items())
        + "."
    )
    res, passes = {}, []
    for p, case in ctx.starship.items():
        ground = dataclasses.replace(case.ground_inputs, electricity_usd_per_kwh=None)
        out: dict[str, float] = {
            "ground_electricity_usd_per_kwh": electricity_price(ground.region).value,
            "ratio_space_to_ground": float(case.space.total_usd / ground_tco(ground).total_usd),
        }
        firsts = []
        for m in models:
            year, be, _ = first_year_space_cheaper(case.space_inputs, ground, years, m)
            out["ratio_space_to_ground_at_free_launch"] = float(
                be.space_total_at_free_launch_usd / be.ground_total_usd
            )
            if math.isfinite(float(be.usd_per_kg)):
                out["breakeven_launch_usd_per_kg"] = float(be.usd_per_kg)
            if math.isfinite(year):
                out[f"first_year_{m}"] = year
                firsts.append(year)
        res[p] = out
        passes.append(bool(firsts) and min(firsts) <= horizon)
    never = [p for p, r in res.items() if "breakeven_launch_usd_per_kg" not in r]
    free = [res[p]["ratio_space_to_ground_at_free_launch"] for p in never]
    why = (
        f"Only the white paper's arithmetic supports it: its table breaks even at "
        f"${p_star:,.0f}/kg of launch, which the projections reach in "
        f"{_span(list(claimant_years.values()), '.0f')}."
        if claimant_years
        else "Even the white paper's own table never breaks even on these projections."
    )
    if never:
        why += (
            f" With skydc's full costs, space still costs {_span(free)}x the ground with free "
            f"launch under {', '.join(never)}: no launch price makes it the cheapest place."
        )
    found = {p: [v for k, v in r.items() if k.startswith("first_year_")] for p, r in res.items()}
    early = {p: min(v) for p, v in found.items() if v}
    if early:
        why += " It breaks even first in " + ", ".join(
            f"{int(y)} ({p})" for p, y in early.items()
        ) + "."  # fmt: skip
    case = ctx.starship[ctx.claimant]
    ground = dataclasses.replace(case.ground_inputs, electricity_usd_per_kwh=None)
    mii = _tornado_top(case.space_inputs, ground)
    return _Check(text, nums, res, bool(claimant_years) and min(claimant_years.values()) <= horizon,
                  passes, why, mii)  # fmt: skip


def _solar_energy(case: _Case, ground_cf: float) -> dict[str, float]:
    """Annual energy per m^2 of array in orbit and of the same cells on the ground (claim e)."""

    arr, s = case.fleet.technology.power.array, case.seasons
    irr = solar_irradiance_w_m2(earth_sun_distance_m(case.epoch_jd_utc + s.day_offsets))
    sunlit = 1.0 - s.eclipse_s / s.period_s[:, None]  # (planes, days)
    cos = cos_incidence(arr.attitude, np.radians(s.beta_deg), sunlit_fraction=sunlit)
    w_m2 = float(np.mean(arr.power_per_area_w_m2(irr[None, :], cos) * sunlit))
    space = w_m2 * HOURS_PER_YEAR / 1e3
    ground = arr.efficiency * arr.packing_factor * GROUND_STC_IRRADIANCE_W_M2 * ground_cf
    ground *= HOURS_PER_YEAR / 1e3
    f = {
        "irradiance_factor": float(np.mean(irr)) / GROUND_STC_IRRADIANCE_W_M2,
        "sunlight_factor": float(np.mean(sunlit)) / ground_cf,
        "loss_factor": arr.assembly_factor * arr.temperature_factor,
    }
    f["pointing_factor"] = space / ground / (f["irradiance_factor"] * f["sunlight_factor"]
                                             * f["loss_factor"])  # fmt: skip
    return {
        "space_annual_energy_kwh_per_m2": space,
        "ground_annual_energy_kwh_per_m2": ground,
        "ratio_space_to_ground": space / ground,
        "sunlit_fraction": float(np.mean(sunlit)),
        "mean_cos_incidence": float(np.mean(cos)),
        **f,
    }


_FACTOR_TEXT = {
    "irradiance_factor": "mean irradiance above the atmosphere against the "
    f"{GROUND_STC_IRRADIANCE_W_M2:g} W/m^2 of a ground panel's rating",
    "sunlight_factor": "hours of sunlight: sunlit fraction in orbit vs the ground capacity factor",
    "loss_factor": "cell temperature and assembly losses in orbit",
    "pointing_factor": "array pointing (attitude) over the year",
}


def _claim_e(ctx: _Ctx) -> _Check:
    """Passes where the orbit/ground energy ratio is within the tolerance of the claimed one."""
    claim = ctx.data["claims"]["e"]
    cf_g, cf_s = float(claim["ground_capacity_factor"]), float(claim["space_capacity_factor"])
    ratio = SOLAR_CONSTANT_W_M2 / GROUND_STC_IRRADIANCE_W_M2 * cf_s / cf_g
    target = float(claim["ratio"])
    nums = {
        "space_irradiance_w_m2": SOLAR_CONSTANT_W_M2,
        "ground_stc_irradiance_w_m2": GROUND_STC_IRRADIANCE_W_M2,
        "space_capacity_factor": cf_s,
        "ground_capacity_factor": cf_g,
        "ratio_space_to_ground": ratio,
    }
    text = (
        f"{SOLAR_CONSTANT_W_M2:g} / {GROUND_STC_IRRADIANCE_W_M2:g} W/m^2 x {cf_s:.0%} / {cf_g:.0%}"
        f" capacity factor = {ratio:.2f}, 'about {target:g}x'."
    )
    res = {p: _solar_energy(case, cf_g) for p, case in ctx.paper.items()}
    passes = [abs(r["ratio_space_to_ground"] / target - 1.0) <= ctx.tol for r in res.values()]
    arrays = {p: c.fleet.technology.power.array.attitude for p, c in ctx.paper.items()}
    orbit = next(iter(ctx.paper[ctx.claimant].fleet.orbits.values()))
    c = res[ctx.claimant]
    top = max(_FACTOR_TEXT, key=lambda k: abs(math.log(c[k])))
    why = (
        "skydc gives "
        + "; ".join(
            f"{r['ratio_space_to_ground']:.1f}x ({p}, {arrays[p]} array)" for p, r in res.items()
        )
        + f" in the {orbit.altitude_km:.0f} km, {orbit.inclination_deg:.1f} deg orbit (sunlit "
        f"{orbit.sunlit_fraction:.1%} of the year). For {ctx.claimant}: sunlight x"
        f"{c['sunlight_factor']:.2f}, irradiance x{c['irradiance_factor']:.2f}, losses "
        f"x{c['loss_factor']:.2f}, pointing x{c['pointing_factor']:.2f}: the ratio is set by "
        f"{_FACTOR_TEXT[top]}."
    )
    mii = f"{_FACTOR_TEXT[top]} (x{c[top]:.2f})"
    return _Check(text, nums, res, abs(ratio / target - 1.0) <= ctx.tol, passes, why, mii,
                  _attitude_notes(ctx))  # fmt: skip


def _claim_f(ctx: _Ctx) -> _Check:
    """Passes where both architectures close (finite, positive mass) under the preset."""

    c = ctx.data["claims"]["f"]
    design_w = float(c["design_it_power_gw"]) * 1e9
    array_m2 = (float(c["design_array_side_km"]) * 1e3) ** 2
    radiator_m2 = (float(c["design_radiator_side_km"]) * 1e3) ** 2
    q = float(
        radiator_net_flux_w_m2(
            c["radiator_temperature_k"], c["radiator_emissivity"], c["radiator_absorptivity"],
            c["radiator_solar_w_m2"], c["radiator_sun_cos"], c["radiator_earth_view_factor"],
            c["radiator_albedo"], c["radiator_earth_temperature_k"], sides=2,
            earth_flux_model="starcloud-2024",
        )
    )  # fmt: skip
    array_w = float(
        array_power_w(array_m2, SOLAR_CONSTANT_W_M2, c["array_efficiency"],
                      c["array_packing_factor"])
    )  # fmt: skip
    nums = {
        "design_it_power_gw": design_w / 1e9,
        "array_area_m2": array_m2,
        "array_power_gw": array_w / 1e9,
        "radiator_area_m2": radiator_m2,
        "radiator_net_flux_w_m2": q,
        "radiator_rejects_gw": q * radiator_m2 / 1e9,
        "radiator_area_needed_m2": design_w / q,
    }
    text = (
        f"The paper's centralized {design_w / 1e9:g} GW design: a {array_m2 / 1e6:g} km^2 array "
        f"gives {array_w / 1e9:.1f} GW at 1 AU ({c['array_efficiency']:.0%} cells, "
        f"{c['array_packing_factor']:.0%} fill); its own radiator example "
        f"nets {q:.0f} W/m^2, so {radiator_m2 / 1e6:g} km^2 rejects "
        f"{nums['radiator_rejects_gw']:.2f} GW of the >= {design_w / 1e9:g} GW of heat "
        f"({nums['radiator_area_needed_m2'] / 1e6:.1f} km^2 needed)."
    )
    res, passes = {}, []
    for p, case in ctx.paper.items():
        f, station = case.fleet, case.fleet.centralized
        md, mc = case.mass_kg, float(station.total_mass_kg)
        central, ramped = ctx.centralized[p], _distributed_delivered_cost(case)
        asm = f.centralized_assembly
        res[p] = {
            "satellites": float(sum(f.counts.values())),
            "distributed_mass_kg": md,
            "centralized_mass_kg": mc,
            "centralized_to_distributed_mass": mc / md,
            "distributed_launches": float(f.launches),
            "centralized_launches": float(f.centralized_launches.launches),
            "distributed_space_total_musd": _m(case.space.total_usd),
            "centralized_space_total_musd": _m(central.total_usd),
            "centralized_to_distributed_cost": float(central.total_usd / case.space.total_usd),
            "centralized_assembly_robotics_musd": _m(asm.cost_usd) if asm else 0.0,
            "centralized_assembly_yr": asm.assembly_days / 365.25 if asm else 0.0,
            "distributed_deployment_yr": _distributed_deployment_yr(case),
            "centralized_usd_per_delivered_accelerator_hour": float(
                central.usd_per_delivered_accelerator_hour
            ),
            "distributed_usd_per_delivered_accelerator_hour": float(
                ramped.usd_per_delivered_accelerator_hour
            ),
            "centralized_radiator_area_m2": float(station.radiator_area_m2),
            "centralized_array_area_m2": float(station.array_area_m2),
        }
        for key in [k for k, v in res[p].items() if not math.isfinite(v)]:
            del res[p][key]  # not assembled within the period: nothing delivered (said in why)
        passes.append(bool(np.isfinite(md) and np.isfinite(mc) and md > 0 and mc > 0))
    k = res[ctx.claimant]
    ratios = [r["centralized_to_distributed_mass"] for r in res.values()]
    cost_ratios = [r["centralized_to_distributed_cost"] for r in res.values()]
    hour_ratios = [
        r["centralized_usd_per_delivered_accelerator_hour"]
        / r["distributed_usd_per_delivered_accelerator_hour"]
        for r in res.values()
        if "centralized_usd_per_delivered_accelerator_hour" in r
        and "distributed_usd_per_delivered_accelerator_hour" in r
    ]
    years = ctx.paper[ctx.claimant].space_inputs.period_yr
    unbuilt = [
        p for p, r in res.items() if "centralized_usd_per_delivered_accelerator_hour" not in r
    ]
    per_hour = (
        f"{_span(hour_ratios, '.2f')}x the cost per delivered accelerator-hour"
        if hour_ratios
        else "no delivered accelerator-hour to cost"
    )
    if unbuilt:
        per_hour += (
            f"; under {', '.join(unbuilt)} the station is not assembled within the "
            f"{years}-yr period and delivers nothing"
        )
    mw = ctx.paper[ctx.claimant].fleet.it_power_w / 1e6
    closes = "close in skydc under every preset" if all(passes) else "do not always close"
    similar = ", with similar mass" if max(abs(x - 1.0) for x in ratios) <= 0.1 else ""
    why = (
        f"Both paths {closes}{similar}: the {mw:.0f} MW station is {_span(ratios, '.2f')}x the "
        f"distributed fleet's mass ({ctx.claimant}: {k['centralized_mass_kg'] / 1e3:,.0f} t vs "
        f"{k['distributed_mass_kg'] / 1e3:,.0f} t, {k['centralized_launches']:.0f} vs "
        f"{k['distributed_launches']:.0f} launches, ${k['centralized_space_total_musd']:,.0f}M vs "
        f"${k['distributed_space_total_musd']:,.0f}M, {_span(cost_ratios, '.2f')}x the cost with "
        f"its assembly: ${k['centralized_assembly_robotics_musd']:,.0f}M of robotics, "
        f"{k['centralized_assembly_yr']:.1f} yr of assembly before it delivers against "
        f"{k['distributed_deployment_yr']:.1f} yr to launch the fleet, "
        f"{per_hour}). "
        f"The white paper's 5 GW centralized design "
        f"{'closes' if q * radiator_m2 >= design_w else 'does not close'}: it needs "
        f"{nums['radiator_area_needed_m2'] / 1e6:.1f} km^2 of radiator for its "
        f"{radiator_m2 / 1e6:g} km^2."
    )
    mii = (
        f"radiator heat rejection per m^2 ({q:.0f} W/m^2 at "
        f"{float(c['radiator_temperature_k']) - 273.15:.0f} C) sets the radiator area"
    )
    notes = (
        "skydc sizes the centralized station with the same models as one satellite, plus its "
        "in-space assembly (spacecraft/assembly.py, economics/station.py): berthing interfaces "
        "on every module and the robot launched, one whole module a launch at the vehicle's "
        "price, the robot at a Canadarm-class programme cost bought once (it berths every later "
        "station) with each assembly's operations, and nothing delivered until the last module "
        "is berthed; docking loads and structural scaling beyond the berthing interfaces are "
        "not modelled.",
    )
    return _Check(text, nums, res, nums["radiator_rejects_gw"] >= design_w / 1e9 * (1 - ctx.tol),
                  passes, why, mii, notes)  # fmt: skip


def _attitude_notes(ctx: _Ctx) -> tuple[str, ...]:
    """Presets whose arrays do not track the Sun, and what that costs them in this orbit."""
    out = []
    for p, case in ctx.paper.items():
        arr = case.fleet.technology.power.array
        if arr.attitude != "sun-tracking":
            beta = float(np.max(np.abs(case.seasons.beta_deg)))
            sat = next(iter(case.fleet.satellites.values()))
            out.append(
                f"{p}: {arr.attitude} arrays see the Sun up to {beta:.0f} deg off the orbit "
                f"plane in this dawn-dusk orbit; its {sat.it_power_w / 1e3:.0f} kW satellite "
                f"needs {sat.array_area_m2:,.0f} m^2 of array."
            )
    return tuple(out)


_CHECKS: dict[str, Callable[[_Ctx], _Check]] = {
    "a": _claim_a, "b": _claim_b, "c": _claim_c, "d": _claim_d, "e": _claim_e, "f": _claim_f,
}  # fmt: skip


# --- the audit --------------------------------------------------------------------------------


def evaluate_claims(
    presets: Sequence[str] = DEFAULT_PRESETS,
    fast: bool = True,
    progress: Callable[[float, float, str], None] | None = None,
) -> list[ClaimResult]:
    """Audit claims a-f of the seed under each technology preset.

    Parameters
    ----------
    presets
        Technology presets (``data/presets.toml``) to size and cost with; at least one. The
        claimant's technology is ``starcloud-whitepaper`` where given (else the first).
    fast
        Survey eclipse seasons every 5 days instead of every day (the whole audit then takes a
        few seconds; the design orbits move by well under a percent).
    progress
        Called as ``progress(done, total, what)`` after each design point is sized.

    Returns
    -------
    list of ClaimResult
        Claims ``a`` to ``f`` in order.

    Raises
    ------
    ValueError
        No preset, or an unknown one (the message lists the known presets).
    """
    presets = tuple(dict.fromkeys(presets))
    known = preset_names()
    if not presets or any(p not in known for p in presets):
        raise ValueError(f"presets must be one or more of: {', '.join(known)}; got {presets!r}")
    data = claims_data()
    audit = data["audit"]
    base = [f"seasons.step_days={5 if fast else 1}"]

    cache = StageCache()  # the presets share each scenario's constellation and seasons
    total = 3 * len(presets)
    done = [0]

    def tick(ref: str, p: str) -> None:
        done[0] += 1
        if progress is not None:
            progress(done[0], total, f"{ref} / {p}")

    def run(ref: str, p: str, extra: Sequence[str] = ()) -> _Case:
        case = _case(ref, [*base, f'spacecraft.preset="{p}"', *extra], cache)
        tick(ref, p)
        return case

    def sized(ref: str, p: str) -> _Sized:
        case = _sized(ref, [*base, f'spacecraft.preset="{p}"'], cache)
        tick(ref, p)
        return case

    paper = {p: run(audit["scenario"], p) for p in presets}
    ctx = _Ctx(
        data=data,
        paper=paper,
        starship={
            p: run(audit["scenario"], p, ['deployment.launch_vehicle="starship"']) for p in presets
        },
        million={p: sized(audit["constellation_scenario"], p) for p in presets},
        centralized={p: _centralized_cost(c) for p, c in paper.items()},
        claimant="starcloud-whitepaper" if "starcloud-whitepaper" in presets else presets[0],
    )
    out = []
    for cid, check in _CHECKS.items():
        r = check(ctx)
        out.append(
            ClaimResult(
                id=cid,
                claim=data["claims"][cid]["claim"],
                source=data["claims"][cid]["source"],
                claimant_arithmetic=ClaimantArithmetic(r.claimant_text, r.claimant_numbers),
                skydc_result=r.result,
                verdict=verdict_for(r.reproduced, r.passes),
                why=r.why,
                most_important_input=r.most_important_input,
                notes=r.notes,
            )
        )
    return out


# --- outputs ----------------------------------------------------------------------------------


def _clean(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def claims_json(results: Sequence[ClaimResult]) -> dict[str, Any]:
    """The audit as a JSON-ready dict: ``{"verdicts_allowed": [...], "claims": [...]}``."""
    return {
        "verdicts_allowed": list(VERDICTS),
        "claims": [
            {
                "id": r.id,
                "claim": r.claim,
                "source": r.source,
                "claimant_arithmetic": {
                    "text": r.claimant_arithmetic.text,
                    "numbers": {k: _clean(v) for k, v in r.claimant_arithmetic.numbers.items()},
                },
                "skydc_result": {
                    p: {k: _clean(v) for k, v in nums.items()} for p, nums in r.skydc_result.items()
                },
                "verdict": r.verdict,
                "why": r.why,
                "most_important_input": r.most_important_input,
                "notes": list(r.notes),
            }
            for r in results
        ],
    }


def claims_table(results: Sequence[ClaimResult]) -> pa.Table:
    """One row per claim: texts, verdict, and the numbers as maps (``skydc_result`` keyed by
    preset, then by metric)."""
    num_map = pa.map_(pa.string(), pa.float64())

    def col(values: Iterable[Any], kind: Any = None) -> pa.Array:
        return pa.array(list(values), kind if kind is not None else pa.string())

    return pa.table(
        {
            "id": col(r.id for r in results),
            "claim": col(r.claim for r in results),
            "verdict": col(r.verdict for r in results),
            "most_important_input": col(r.most_important_input for r in results),
            "why": col(r.why for r in results),
            "source": col(r.source for r in results),
            "claimant_arithmetic": col(r.claimant_arithmetic.text for r in results),
            "claimant_numbers": col(
                (list(r.claimant_arithmetic.numbers.items()) for r in results), num_map
            ),
            "skydc_result": col(
                ([(p, list(n.items())) for p, n in r.skydc_result.items()] for r in results),
                pa.map_(pa.string(), num_map),
            ),
        }
    )
