"""Stage ``cost``: the sized orbital data center against a ground data center of the same IT power.

Bridges the sizing (mass by subsystem, accelerators, launch plans) to the economics kernels
(``skydc.economics``): the space and ground ten-year TCO, the break-even launch price, the
launched-power price, a tornado over the main inputs, and a seeded Monte Carlo over the input
ranges the scenario declares (or, where it declares none, triangular distributions over the data
files' low/base/high values).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from skydc.economics.finance import CostResult, currency_label
from skydc.economics.ground import GroundInputs, ground_tco
from skydc.economics.published import (
    MCCALIP_LABELS,
    MCCALIP_NOTES,
    MCCALIP_PRESETS,
    bridge,
    mccalip_orbital_total_usd,
    mccalip_reproduction,
    suncatcher_table1,
)
from skydc.economics.sensitivity import (
    BreakEven,
    Distribution,
    MonteCarlo,
    Tornado,
    base_value,
    breakeven_launch_usd_per_kg,
    default_tornado_ranges,
    monte_carlo,
    tornado,
    uncertain_input_problem,
)
from skydc.economics.space import (
    SpaceInputs,
    accelerator_hardware_prices,
    launched_power_price_usd_per_kw_yr,
    space_tco,
)
from skydc.economics.starcloud import StarcloudAssumptions, starcloud_table
from skydc.errors import ScenarioError
from skydc.pipeline.base import Context, OutputDisplay, Stage
from skydc.pipeline.delivery import DeliveryOutput
from skydc.pipeline.sizing import SizingOutput
from skydc.scenario.load import LoadedScenario
from skydc.scenario.models import EconomicsOptions
from skydc.spacecraft.payload import get_accelerator


@dataclass(frozen=True, repr=False)
class CostOutput(OutputDisplay):
    """Everything ``skydc cost`` reports."""

    space_inputs: SpaceInputs
    ground_inputs: GroundInputs
    space: CostResult
    ground: CostResult
    breakeven: BreakEven
    launched_power_usd_per_kw_yr: Any  # [USD/kW/yr]; an array over the points of a batch
    tornado: Tornado | None
    monte_carlo: MonteCarlo | None
    uncertainty_source: str
    economics: EconomicsOptions
    delivery: DeliveryOutput | None = None
    mccalip_end: dict[str, float] | None = None
    starcloud_end: dict[str, float] | None = None

    @property
    def ratio_space_to_ground(self) -> Any:
        """Space TCO over ground TCO (an array over the points of a batch)."""
        return _num(self.space.total_usd / self.ground.total_usd)

    def metrics(self) -> dict[str, Any]:
        """The ``cost`` group."""
        return cost_metrics(self)

    def tables(self) -> dict[str, pa.Table]:
        """``cost_lines``, ``tornado`` and ``monte_carlo``."""
        return cost_tables(self)


def cost_inputs(
    loaded: LoadedScenario, fleet: SizingOutput, delivery: DeliveryOutput | None = None
) -> tuple[SpaceInputs, GroundInputs]:
    """Space and ground inputs for the fleet (several shells are costed as one fleet: the
    per-satellite masses are the fleet average and the launches are paid in full).

    With a ``delivery``, the satellites are paid for as the fleet model launches them, the
    ground data center opens after its build time, and both sides carry their delivered
    accelerator-hours by year."""
    return economics_inputs(loaded.scenario.economics, loaded, fleet, delivery)


@dataclass(frozen=True)
class _FleetTerms:
    """What the cost inputs take from the sized fleet and its delivery."""

    per_sat_kg: dict[str, float]
    billable_kg: float
    launch_cost_usd: float
    space_delivery: dict[str, Any]
    ground_delivery: dict[str, Any]


def _fleet_terms(fleet: SizingOutput, delivery: DeliveryOutput | None) -> _FleetTerms:
    n_sat = fleet.n_satellites
    per_sat = {line: kg / n_sat for line, kg in fleet.mass_breakdown_kg().items()}
    plans = list(fleet.launch_plans.values())
    space_extra: dict[str, Any] = {}
    ground_extra: dict[str, Any] = {}
    if delivery is not None:
        history = delivery.fleet
        space_extra["launch_schedule"] = {
            **history.launched_by_year,
            "retired": history.retired_by_year,
            "in_service": np.concatenate([[0.0], history.yearly_mean(history.in_service)]),
        }
        space_extra["residual_in_service_fraction"] = history.residual_fraction
        space_extra["delivered_accelerator_hours_by_year"] = delivery.space_hours_by_year
        ground_extra["build_yr"] = delivery.ground_build_yr
        ground_extra["delivered_accelerator_hours_by_year"] = delivery.ground_hours_by_year
    return _FleetTerms(
        per_sat_kg=per_sat,
        billable_kg=sum(float(p.launches) * float(p.payload_per_launch_kg) for p in plans),
        launch_cost_usd=sum(float(p.cost_usd) for p in plans),
        space_delivery=space_extra,
        ground_delivery=ground_extra,
    )


def economics_inputs(
    eco: EconomicsOptions, loaded: LoadedScenario, fleet: SizingOutput,
    delivery: DeliveryOutput | None = None,
) -> tuple[SpaceInputs, GroundInputs]:  # fmt: skip
    """:func:`cost_inputs` with the economics options ``eco`` in place of the scenario's (or
    the columns of a batch's points, :class:`_EconomicsColumns`)."""
    t = _fleet_terms(fleet, delivery)
    n_sat = fleet.n_satellites
    per_sat = t.per_sat_kg
    billable = t.billable_kg
    accelerator = loaded.scenario.spacecraft.accelerator
    if eco.launch_usd_per_kg is not None:
        usd_per_kg = eco.launch_usd_per_kg
    else:
        usd_per_kg = t.launch_cost_usd / billable if billable else 0.0
    stated = _stated_mass_kg(eco, fleet)
    if stated is not None:  # a peer's mass assumption: same split, launch billed per kg
        scale = stated / sum(per_sat.values())
        per_sat = {line: kg * scale for line, kg in per_sat.items()}
        billable = stated * n_sat
    optional: dict[str, Any] = {
        k: getattr(eco, k)
        for k in ("wacc", "annual_failure_probability")
        if getattr(eco, k) is not None
    }
    if eco.wacc_space is not None:
        optional["wacc"] = eco.wacc_space
    if eco.accelerator_price_usd is not None:
        optional["accelerator_unit_price_usd"] = eco.accelerator_price_usd
    space = SpaceInputs(
        it_power_w=fleet.it_power_w,
        n_satellites=n_sat,
        mass_by_subsystem_kg=per_sat,
        n_accelerators=fleet.n_accelerators,
        launch_usd_per_kg=usd_per_kg,
        accelerator=accelerator,
        launch_billable_mass_kg=billable,
        period_yr=eco.years,
        satellite_life_yr=loaded.scenario.spacecraft.lifetime_yr,
        **optional,
        **t.space_delivery,
    )
    ground_optional = {
        k: getattr(eco, k)
        for k in ("wacc", "electricity_usd_per_kwh", "pue", "hardware_life_yr", "facility_life_yr")
        if getattr(eco, k) is not None
    }
    if eco.wacc_ground is not None:
        ground_optional["wacc"] = eco.wacc_ground
    if eco.accelerator_price_usd is not None:
        ground_optional["accelerator_unit_price_usd"] = eco.accelerator_price_usd
    ground = GroundInputs(
        it_power_w=fleet.it_power_w,
        n_accelerators=fleet.n_accelerators,
        accelerator=accelerator,
        region=eco.region,
        period_yr=eco.years,
        **ground_optional,
        **t.ground_delivery,
    )
    return space, ground


def _stated_mass_kg(eco: EconomicsOptions, fleet: SizingOutput) -> Any:
    """The satellite mass the scenario states instead of the sized one [kg] (or ``None``; an
    array over the points of a batch)."""
    if eco.satellite_mass_kg is not None:
        return _num(eco.satellite_mass_kg)
    if eco.specific_power_w_per_kg is not None:
        return float(fleet.it_power_w) / fleet.n_satellites / _num(eco.specific_power_w_per_kg)
    return None


def _uncertainty_field(name: str) -> str:
    return f'economics.uncertainty."{name}"'


def _declared_distributions(loaded: LoadedScenario) -> dict[str, Distribution]:
    """The scenario's ``economics.uncertainty`` table, each entry checked (name and parameters)."""
    out = {}
    for name, spec in loaded.scenario.economics.uncertainty.items():
        field = _uncertainty_field(name)
        side, _, key = name.partition(".")
        problem = uncertain_input_problem(side, key)
        if problem:
            raise ScenarioError(problem, file=loaded.source, field=field)
        try:
            out[name] = Distribution(spec.kind, tuple(spec.params))
        except ValueError as exc:
            raise ScenarioError(str(exc), file=loaded.source, field=field) from None
    return out


def _distributions(
    loaded: LoadedScenario, space: SpaceInputs, ground: GroundInputs
) -> tuple[dict[str, Distribution], str]:
    if loaded.scenario.economics.uncertainty:
        return _declared_distributions(loaded), "scenario"
    out = {}
    for name, (lo, hi) in default_tornado_ranges(space, ground).items():
        mid = base_value(space, ground, name)
        # symmetric about the base (the data files' spans, centred), so that the Monte Carlo
        # median is the base case unless a scenario declares a skewed distribution
        half = 0.5 * (max(hi, mid) - min(lo, mid))
        floor, ceiling = _input_bounds(name)
        # symmetric about the base: a span that would cross the input's physical bound on one
        # side is narrowed on both (the median stays the base value)
        half = min(half, mid - floor, ceiling - mid)
        out[name] = Distribution("triangular", (mid - half, mid, mid + half))
    return out, "data-file spans, centred on the base (symmetric triangular)"


def _input_bounds(name: str) -> tuple[float, float]:
    """The physical range of an uncertain cost input: PUE >= 1, rates and probabilities in
    [0, 1), everything else >= 0."""
    key = name.partition(".")[2]
    if key == "pue":
        return 1.0, float("inf")
    if key in ("wacc", "annual_failure_probability", "insurance_rate") or key.endswith(
        ("_fraction", "_fraction_per_yr", "_rate_per_yr")
    ):
        return 0.0, 1.0 - 1e-9
    return 0.0, float("inf")


#: What :func:`cost_fleet` computes besides the two totals (all of it unless told otherwise):
#: the tornado, the Monte Carlo, and the published calculators' bridges.
EXTRAS = frozenset({"tornado", "monte_carlo", "bridge"})


def extras_for(keep: Sequence[str] | None) -> frozenset[str]:
    """The extras a caller keeping the metric paths ``keep`` needs (``None``: all of them): a
    study that keeps no Monte Carlo or tornado metric does not pay for them at each point."""
    if keep is None:
        return EXTRAS
    out = set()
    for path in keep:
        if path == "cost" or path.startswith("cost.monte_carlo"):
            out.add("monte_carlo")
        if path == "cost" or path.startswith("cost.tornado"):
            out.add("tornado")
    return frozenset(out)


def cost_fleet(
    loaded: LoadedScenario, fleet: SizingOutput, delivery: DeliveryOutput | None = None,
    *, extras: frozenset[str] = EXTRAS,
) -> CostOutput:  # fmt: skip
    """The full cost comparison of a sized fleet (per delivered accelerator-hour with a
    ``delivery``); ``extras`` names what to compute besides the totals (:data:`EXTRAS`)."""
    eco = loaded.scenario.economics
    space_in, ground_in = cost_inputs(loaded, fleet, delivery)
    return _costed(loaded, fleet, delivery, eco, space_in, ground_in, extras)


def _costed(
    loaded: LoadedScenario, fleet: SizingOutput, delivery: DeliveryOutput | None,
    eco: EconomicsOptions, space_in: SpaceInputs, ground_in: GroundInputs,
    extras: frozenset[str],
) -> CostOutput:  # fmt: skip
    """Cost the inputs (scalars, or arrays over the points of a batch: then no extras)."""
    mc = None
    source = ""
    try:
        space = space_tco(space_in)
        ground = ground_tco(ground_in)
        if "monte_carlo" in extras:
            dists, source = _distributions(loaded, space_in, ground_in)
            mc = monte_carlo(space_in, ground_in, dists, n_samples=eco.monte_carlo_samples,
                             seed=eco.seed)  # fmt: skip
    except ValueError as exc:
        if isinstance(exc, ScenarioError):
            raise
        raise ScenarioError(str(exc), file=loaded.source, field="economics") from None
    per_sat_mass = sum(space_in.mass_by_subsystem_kg.values())  # type: ignore[arg-type]
    per_sat_it = fleet.it_power_w / fleet.n_satellites
    launched = launched_power_price_usd_per_kw_yr(
        per_sat_mass, space_in.launch_usd_per_kg, per_sat_it, loaded.scenario.spacecraft.lifetime_yr
    )
    bridges = "bridge" in extras
    return CostOutput(
        space_inputs=space_in,
        ground_inputs=ground_in,
        space=space,
        ground=ground,
        breakeven=breakeven_launch_usd_per_kg(
            space_in, ground if ground_in.period_yr == space_in.period_yr else ground_in, space
        ),
        launched_power_usd_per_kw_yr=_num(launched),
        tornado=tornado(space_in, ground_in) if "tornado" in extras else None,
        monte_carlo=mc,
        uncertainty_source=source,
        economics=eco,
        delivery=delivery,
        mccalip_end=_mccalip_values(space_in, space, fleet, delivery) if bridges else None,
        starcloud_end=_starcloud_values(
            loaded, fleet, space, float(np.asarray(space_in.launch_usd_per_kg))
        ) if bridges else None,
    )


def _num(x: Any) -> Any:
    """A metric value: a float, or a float array over the points of a batch."""
    a = np.asarray(x, dtype=np.float64)
    return float(a) if a.size == 1 else a


class NotBatchable(ValueError):
    """The points' cost inputs differ in a way one array evaluation cannot hold."""


class _EconomicsColumns:
    """The economics options of many points as one: each varied field an array over the
    points, every other field the first point's. :func:`economics_inputs` reads it like an
    :class:`EconomicsOptions` (attribute access, arithmetic broadcasts)."""

    def __init__(self, first: EconomicsOptions, columns: Mapping[str, NDArray[np.float64]]):
        self._first = first
        self._columns = dict(columns)

    def __getattr__(self, name: str) -> Any:
        columns = self.__dict__["_columns"]
        return columns[name] if name in columns else getattr(self.__dict__["_first"], name)


#: Economics fields that shape the evaluation (its period, the Monte Carlo) rather than enter it.
_NOT_COLUMNS = frozenset({"years", "monte_carlo_samples", "seed"})


def cost_batch(
    loaded: LoadedScenario, fleet: SizingOutput, delivery: DeliveryOutput | None,
    columns: Mapping[str, NDArray[np.float64]],
) -> CostOutput:  # fmt: skip
    """Cost many points on one sized fleet and delivery in one array evaluation: ``columns``
    holds, for each numeric economics field that differs, its (validated) value at every point;
    ``loaded`` is the first point. Every input that differs becomes an array over the points,
    the way the Monte Carlo costs its draws. The totals, break-even and delivered-hour costs
    only; the tornado, Monte Carlo and bridges are per point (:func:`cost_fleet`).

    Raises :class:`NotBatchable` for a field that is no plain number per point."""
    first = loaded.scenario.economics
    for name, column in columns.items():
        if name in _NOT_COLUMNS or name not in EconomicsOptions.model_fields:
            raise NotBatchable(f"economics.{name} cannot vary within one evaluation")
        if getattr(first, name) is None or np.asarray(column).dtype.kind not in "iuf":
            raise NotBatchable(f"economics.{name}: not a number at every point")
    eco: Any = _EconomicsColumns(first, {k: np.asarray(v, np.float64) for k, v in columns.items()})
    space_in, ground_in = economics_inputs(eco, loaded, fleet, delivery)
    return _costed(loaded, fleet, delivery, first, space_in, ground_in, frozenset())


def _mccalip_values(
    space_in: SpaceInputs, space: CostResult, fleet: SizingOutput,
    delivery: DeliveryOutput | None,
) -> dict[str, float]:  # fmt: skip
    """skydc's values of the McCalip calculator's assumptions, for the bridge (at the
    calculator's own 1 GW): the period, launch price, IT power per launched kg, the measured
    powered share, the accelerators' field failure rate and price per W of IT, the WACC."""
    unit_price, server_f = accelerator_hardware_prices(
        space_in.accelerator, space_in.accelerator_unit_price_usd, space_in.server_price_factor
    )
    per_unit = float(get_accelerator(space_in.accelerator).accelerators_per_unit)
    hardware = float(np.asarray(space_in.n_accelerators)) / per_unit * float(unit_price) * float(
        server_f
    )
    mass = fleet.total("total_mass_kg")
    out = {
        "years": int(space_in.period_yr),
        "launch_usd_per_kg": float(np.asarray(space_in.launch_usd_per_kg)),
        "specific_power_w_per_kg": float(fleet.it_power_w) / mass,
        "accelerator_usd_per_w": hardware / float(fleet.it_power_w),
        "wacc": float(np.asarray(space.wacc)),
    }
    if delivery is not None:
        out["capacity_factor"] = delivery.probe.powered_fraction
        rate = delivery.reliability.ground_failures_per_device_yr.value
        if rate is not None:
            out["gpu_failure_per_yr"] = float(rate)
    return out


def _bridge_rows(
    rows: dict[str, list[Any]], calculator: str, model: Any, start: Any,
    end: dict[str, float], labels: dict[str, str], own_usd: float, own_to: str,
) -> None:  # fmt: skip
    """Append one calculator's bridge: its published total, one assumption at a time to
    skydc's values, then skydc's own model (the last step is the model's structure)."""
    for k, st in enumerate(bridge(model, start, end, labels=labels)):
        rows["calculator"].append(calculator)
        rows["step"].append("published assumptions" if k == 0 else st.label)
        rows["from_value"].append("" if k == 0 else f"{float(np.asarray(st.from_value)):.4g}")
        rows["to_value"].append("" if k == 0 else f"{float(np.asarray(st.to_value)):.4g}")
        rows["total_usd"].append(float(np.asarray(st.total_usd)))
        rows["delta_usd"].append(float(np.asarray(st.delta_usd)))
    rows["calculator"].append(calculator)
    rows["step"].append("skydc's model (sized by subsystem, launch schedule, replacements)")
    rows["from_value"].append(f"{calculator}'s equations")
    rows["to_value"].append(own_to)
    rows["delta_usd"].append(own_usd - rows["total_usd"][-1])
    rows["total_usd"].append(own_usd)


def bridge_table(report: CostOutput) -> pa.Table:
    """``cost_bridge``: a published calculator at its own assumptions, then one assumption at a
    time to skydc's values for this design, then skydc's own space total. McCalip's
    calculator always (at its 1 GW, skydc's total scaled to it); the Starcloud white paper's
    space column when the scenario reproduces it."""
    rows: dict[str, list[Any]] = {
        k: [] for k in ("calculator", "step", "from_value", "to_value", "total_usd", "delta_usd")
    }
    if report.mccalip_end:
        scale = float(np.asarray(MCCALIP_PRESETS["calculator"].it_power_w)) / float(
            np.asarray(report.space_inputs.it_power_w)
        )
        _bridge_rows(
            rows, "mccalip", mccalip_orbital_total_usd, MCCALIP_PRESETS["calculator"],
            report.mccalip_end, MCCALIP_LABELS, float(report.space.total_usd) * scale,
            "skydc, scaled to 1 GW",
        )  # fmt: skip
    if report.starcloud_end:
        paper_w = StarcloudAssumptions().it_power_w
        scale = paper_w / float(np.asarray(report.space_inputs.it_power_w))
        _bridge_rows(
            rows, "starcloud-2024", _starcloud_space_total, StarcloudAssumptions(),
            report.starcloud_end, STARCLOUD_LABELS, float(report.space.total_usd) * scale,
            f"skydc, every line, scaled to {paper_w / 1e6:g} MW",
        )  # fmt: skip
    return pa.table(rows)


STARCLOUD_LABELS = {
    "period_yr": "period [yr]",
    "solar_array_usd_per_w": "solar array [USD/W of IT]",
    "launch_price_usd": "price of one launch [USD]",
    "it_power_per_launch_w": "IT power per launch [W]",
    "shielding_kg_per_kw": "shielding [kg/kW]",
    "stated_launch_usd_per_kg": "launch price for shielding mass [USD/kg]",
}


def _starcloud_space_total(a: StarcloudAssumptions) -> float:
    """The white paper's space column (solar array + launch + shielding) [USD]."""
    return starcloud_table(a).lines_usd["space.total"]


def _starcloud_values(
    loaded: LoadedScenario, fleet: SizingOutput, space: CostResult, usd_per_kg: float
) -> dict[str, float] | None:
    """skydc's values of the white paper's space assumptions (when the scenario reproduces
    it): the period, the solar array line per W, the launch plan's
    price per launch and IT power per launch, shielding per kW and the launch price per kg."""
    if loaded.scenario.economics.reproduce != "starcloud-2024":
        return None
    plans = list(fleet.launch_plans.values())
    launches = sum(int(p.launches) for p in plans)
    it_w = float(fleet.it_power_w)
    shield = fleet.mass_breakdown_kg().get("shielding", 0.0)
    return {  # at the paper's 40 MW (one launch more for 0.2 % more power is the paper's ceil)
        "period_yr": int(space.period_yr),
        "solar_array_usd_per_w": float(space.lines_usd.get("satellite.solar_array", 0.0)) / it_w,
        "launch_price_usd": sum(float(p.cost_usd) for p in plans) / max(launches, 1),
        "it_power_per_launch_w": it_w / max(launches, 1),
        "shielding_kg_per_kw": float(shield) / (it_w / 1e3),
        "stated_launch_usd_per_kg": float(usd_per_kg),
    }


def _side(result: CostResult) -> dict[str, Any]:
    return {
        "total_usd": _num(result.total_usd),
        "lines_usd": {k: _num(v) for k, v in result.lines_usd.items()},
        "levelized_usd_per_kwh": _num(result.levelized_usd_per_kwh),
        "usd_per_accelerator_hour": _num(result.usd_per_accelerator_hour),
        "it_energy_kwh": _num(result.it_energy_kwh),
    }


def _breakeven_note(be: BreakEven) -> Any:
    """Why there is no break-even price, per point ("" where there is one)."""
    code = np.asarray(be.code)
    if code.ndim == 0:
        return be.meaning.get(int(code), "") if int(code) else ""
    return np.array([be.meaning.get(int(c), "") if c else "" for c in code.ravel()], dtype=object)


def cost_metrics(report: CostOutput) -> dict[str, Any]:
    """``metrics.json`` entries under ``cost``."""
    eco = report.economics
    be = report.breakeven
    mc = report.monte_carlo
    out: dict[str, Any] = {
        **reproduction_metrics(eco),
        "currency": currency_label(),
        "years": eco.years,
        "region": eco.region,
        "space": _side(report.space),
        "ground": _side(report.ground),
        "ratio_space_to_ground": report.ratio_space_to_ground,
        "launch_usd_per_kg": _num(report.space_inputs.launch_usd_per_kg),
        "breakeven_launch_usd_per_kg": _num(be.usd_per_kg),
        "breakeven_note": _breakeven_note(be),
        "launched_power_usd_per_kw_yr": report.launched_power_usd_per_kw_yr,
        **delivered_metrics(report),
    }
    if report.tornado is not None:  # not computed for a study that keeps none of it
        out["tornado_top_input"] = report.tornado.names[0] if report.tornado.names else ""
    if mc is not None:
        out["monte_carlo"] = {
            "samples": int(mc.ratio.size),
            "seed": mc.seed,
            "ranges": report.uncertainty_source,
            "ratio_p10": mc.p10,
            "ratio_p50": mc.p50,
            "ratio_p90": mc.p90,
            "probability_space_cheaper": mc.probability_space_cheaper,
            **_delivered_mc(mc),
        }
    return {"cost": out}


def _delivered_mc(mc: MonteCarlo) -> dict[str, Any]:
    pct = mc.delivered_percentiles()
    if pct is None or mc.delivered_ratio is None:
        return {}
    return {
        "delivered_ratio_p10": pct[0],
        "delivered_ratio_p50": pct[1],
        "delivered_ratio_p90": pct[2],
        "delivered_probability_space_cheaper": float(np.mean(mc.delivered_ratio < 1.0)),
    }


def _per_pflop_day(usd_per_hour: Any, peak_flops: float) -> Any:
    """USD per accelerator-hour as USD per PFLOP-day at the accelerator's peak."""
    return usd_per_hour * 24.0 * 1e15 / peak_flops


def delivered_metrics(report: CostOutput) -> dict[str, Any]:
    """``cost.delivered``: levelized cost per delivered accelerator-hour and PFLOP-day, both
    sides, their ratio, the losses that bind and the time to a full fleet."""
    d = report.delivery
    if d is None:
        return {}
    s_hour = _num(report.space.usd_per_delivered_accelerator_hour)
    g_hour = _num(report.ground.usd_per_delivered_accelerator_hour)
    peak = d.peak_flops_per_accelerator

    def side(usd_hour: Any, w: Any) -> dict[str, Any]:
        return {
            "usd_per_accelerator_hour": usd_hour,
            "usd_per_pflop_day": _per_pflop_day(usd_hour, peak),
            "delivered_accelerator_hours": w.delivered_hours,
            "delivered_fraction": w.delivered_fraction,
            "binding_loss": w.binding_loss,
        }

    return {
        "delivered": {
            "precision": d.precision,
            "space": {**side(s_hour, d.space), "years_to_full_capacity": d.years_to_full_capacity},
            "ground": side(g_hour, d.ground),
            "ratio_space_to_ground": s_hour / g_hour,
            "notes": list(d.notes),
        }
    }


def reproduction_metrics(eco: EconomicsOptions) -> dict[str, Any]:
    """The published table the scenario asks to reproduce (``economics.reproduce``), line by line
    from the publication's own assumptions, with the relative error of each line."""
    if eco.reproduce == "starcloud-2024":
        table = starcloud_table()
        return {
            "reproduction": {
                "source": table.source,
                "lines_usd": dict(table.lines_usd),
                "paper_usd": dict(table.paper_usd),
                "relative_error": dict(table.relative_error),
                "max_abs_relative_error": max(abs(v) for v in table.relative_error.values()),
                "notes": list(table.notes),
            }
        }
    if eco.reproduce == "mccalip-2025":
        reps = [
            r for r in mccalip_reproduction("calculator")
            if r.figure.reproducible and "lcoe" not in r.figure.key  # USD lines only
        ]  # fmt: skip
        return {
            "reproduction": {
                "source": "A. McCalip, orbital vs terrestrial data-center calculator, defaults "
                "(github.com/andrewmccalip/thoughts static/js/math.js @ e59571e; its audit "
                "temp/audit_summary.md)",
                "lines_usd": {r.figure.key: r.skydc_value for r in reps},
                "paper_usd": {r.figure.key: r.figure.value for r in reps},
                "relative_error": {r.figure.key: r.relative_error for r in reps},
                "max_abs_relative_error": max(abs(r.relative_error) for r in reps),
                "notes": list(MCCALIP_NOTES),
            }
        }
    if eco.reproduce == "suncatcher-2025":
        rows = [r for r in suncatcher_table1() if np.isfinite(r.published_usd_per_kw_yr)]

        def key(r: Any) -> str:
            return f"{r.satellite} at {r.launch_usd_per_kg:g} USD/kg"

        return {
            "reproduction": {
                "source": "Project Suncatcher, arXiv:2511.19468, Table 1 (launched power price)",
                "usd_per_kw_yr": {key(r): r.skydc_usd_per_kw_yr for r in rows},
                "paper_usd_per_kw_yr": {key(r): r.published_usd_per_kw_yr for r in rows},
                "relative_error": {key(r): r.relative_error for r in rows},
                "max_abs_relative_error": max(abs(r.relative_error) for r in rows),
                "notes": [
                    "recomputed as mass x launch price / (power x life) from the table's "
                    "rounded inputs (skydc.economics.space.launched_power_price_usd_per_kw_yr)"
                ],
            }
        }
    return {}


def cost_tables(report: CostOutput) -> dict[str, pa.Table]:
    """Report tables: cost lines of both sides, the tornado, the Monte Carlo ratios."""
    lines: dict[str, list[Any]] = {"side": [], "line": [], "usd": []}
    for side, result in (("space", report.space), ("ground", report.ground)):
        for line, usd in result.lines_usd.items():
            lines["side"].append(side)
            lines["line"].append(line)
            lines["usd"].append(float(usd))
    t = report.tornado
    out = {"cost_lines": pa.table(lines)}
    if t is not None:
        out["tornado"] = pa.table(
            {
                "input": list(t.names),
                "low": t.low,
                "high": t.high,
                "ratio_low": t.ratio_low,
                "ratio_high": t.ratio_high,
                "swing": t.swing,
                "base_ratio": np.full(len(t.names), t.base_ratio),
            }
        )
    mc = report.monte_carlo
    if mc is not None:
        out["monte_carlo"] = pa.table(
            {
                "ratio": np.asarray(mc.ratio, dtype=float),
                **(
                    {"delivered_ratio": np.asarray(mc.delivered_ratio, float)}
                    if mc.delivered_ratio is not None
                    else {}
                ),
            }
        )
    out["cost_by_year"] = _cost_by_year(report)
    out["cost_bridge"] = bridge_table(report)
    return out


def _cost_by_year(report: CostOutput) -> pa.Table:
    """Cash flows of both sides at each time point 0..N [USD]."""
    n = report.space.period_yr
    return pa.table(
        {
            "year": pa.array(np.arange(n + 1)),
            "space_usd": pa.array(np.asarray(report.space.cash_flows_usd, dtype=float)),
            "ground_usd": pa.array(np.asarray(report.ground.cash_flows_usd, dtype=float)),
        }
    )


def run(ctx: Context, sizing: SizingOutput, delivery: DeliveryOutput) -> CostOutput:
    """Cost the sized fleet in orbit and a ground data center of the same IT power, per
    delivered accelerator-hour (the tornado and Monte Carlo when the caller keeps them)."""
    return cost_fleet(ctx.loaded, sizing, delivery, extras=extras_for(ctx.keep))


def run_batch(
    ctx: Context, columns: Mapping[str, NDArray[np.float64]], sizing: SizingOutput,
    delivery: DeliveryOutput,
) -> CostOutput:  # fmt: skip
    """Cost many points of one sized fleet in one array evaluation (a study's points that
    differ only in economics): :func:`cost_batch`. Points that keep a tornado or Monte Carlo
    metric are costed one by one instead."""
    if extras_for(ctx.keep):
        raise NotBatchable("the tornado and Monte Carlo are computed point by point")
    return cost_batch(ctx.loaded, sizing, delivery, columns)


def check(loaded: LoadedScenario) -> None:
    """Every declared uncertain input names a real input and has valid parameters."""
    _declared_distributions(loaded)


STAGE = Stage(
    name="cost",
    requires=("sizing", "delivery"),
    run=run,
    reads=("economics", "spacecraft.accelerator", "spacecraft.lifetime_yr"),
    check=check,
    description="space vs ground TCO, break-even launch price, tornado, Monte Carlo",
    batch_field="economics",
    run_batch=run_batch,
)
