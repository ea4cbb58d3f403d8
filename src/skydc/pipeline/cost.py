"""Stage ``cost``: the sized orbital data center against a ground data center of the same IT power.

Bridges the sizing (mass by subsystem, accelerators, launch plans) to the economics kernels
(``skydc.economics``): the space and ground ten-year TCO, the break-even launch price, the
launched-power price, a tornado over the main inputs, and a seeded Monte Carlo over the input
ranges the scenario declares (or, where it declares none, triangular distributions over the data
files' low/base/high values).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from skydc.economics.finance import CostResult, currency_label
from skydc.economics.ground import GroundInputs, ground_tco
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
from skydc.economics.space import SpaceInputs, launched_power_price_usd_per_kw_yr, space_tco
from skydc.economics.starcloud import starcloud_table
from skydc.errors import ScenarioError
from skydc.pipeline.base import Context, OutputDisplay, Stage
from skydc.pipeline.sizing import SizingOutput
from skydc.scenario.load import LoadedScenario
from skydc.scenario.models import EconomicsOptions


@dataclass(frozen=True, repr=False)
class CostOutput(OutputDisplay):
    """Everything ``skydc cost`` reports."""

    space_inputs: SpaceInputs
    ground_inputs: GroundInputs
    space: CostResult
    ground: CostResult
    breakeven: BreakEven
    launched_power_usd_per_kw_yr: float
    tornado: Tornado
    monte_carlo: MonteCarlo
    uncertainty_source: str
    economics: EconomicsOptions

    @property
    def ratio_space_to_ground(self) -> float:
        """Space TCO over ground TCO."""
        return float(self.space.total_usd / self.ground.total_usd)

    def metrics(self) -> dict[str, Any]:
        """The ``cost`` group."""
        return cost_metrics(self)

    def tables(self) -> dict[str, pa.Table]:
        """``cost_lines``, ``tornado`` and ``monte_carlo``."""
        return cost_tables(self)


def cost_inputs(loaded: LoadedScenario, fleet: SizingOutput) -> tuple[SpaceInputs, GroundInputs]:
    """Space and ground inputs for the fleet (several shells are costed as one fleet: the
    per-satellite masses are the fleet average and the launches are paid in full)."""
    eco = loaded.scenario.economics
    n_sat = fleet.n_satellites
    fleet_mass = fleet.mass_breakdown_kg()
    per_sat = {line: kg / n_sat for line, kg in fleet_mass.items()}
    n_acc = fleet.n_accelerators
    accelerator = loaded.scenario.spacecraft.accelerator
    plans = list(fleet.launch_plans.values())
    billable = sum(float(p.launches) * float(p.payload_per_launch_kg) for p in plans)
    launch_cost = sum(float(p.cost_usd) for p in plans)
    if eco.launch_usd_per_kg is not None:
        usd_per_kg = eco.launch_usd_per_kg
    else:
        usd_per_kg = launch_cost / billable if billable else 0.0
    optional = {
        k: getattr(eco, k)
        for k in ("wacc", "annual_failure_probability")
        if getattr(eco, k) is not None
    }
    space = SpaceInputs(
        it_power_w=fleet.it_power_w,
        n_satellites=n_sat,
        mass_by_subsystem_kg=per_sat,
        n_accelerators=n_acc,
        launch_usd_per_kg=usd_per_kg,
        accelerator=accelerator,
        launch_billable_mass_kg=billable,
        period_yr=eco.years,
        satellite_life_yr=loaded.scenario.spacecraft.lifetime_yr,
        **optional,
    )
    ground_optional = {
        k: getattr(eco, k) for k in ("wacc", "electricity_usd_per_kwh", "pue")
        if getattr(eco, k) is not None
    }  # fmt: skip
    ground = GroundInputs(
        it_power_w=fleet.it_power_w,
        n_accelerators=n_acc,
        accelerator=accelerator,
        region=eco.region,
        period_yr=eco.years,
        **ground_optional,
    )
    return space, ground


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
        lo, hi = min(lo, mid), max(hi, mid)
        out[name] = Distribution("triangular", (lo, mid, hi))
    return out, "data-file ranges (triangular low/base/high)"


def cost_fleet(loaded: LoadedScenario, fleet: SizingOutput) -> CostOutput:
    """The full cost comparison of a sized fleet."""
    eco = loaded.scenario.economics
    space_in, ground_in = cost_inputs(loaded, fleet)
    try:
        space = space_tco(space_in)
        ground = ground_tco(ground_in)
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
    return CostOutput(
        space_inputs=space_in,
        ground_inputs=ground_in,
        space=space,
        ground=ground,
        breakeven=breakeven_launch_usd_per_kg(space_in, ground_in),
        launched_power_usd_per_kw_yr=float(launched),
        tornado=tornado(space_in, ground_in),
        monte_carlo=mc,
        uncertainty_source=source,
        economics=eco,
    )


def _side(result: CostResult) -> dict[str, Any]:
    return {
        "total_usd": float(result.total_usd),
        "lines_usd": {k: float(v) for k, v in result.lines_usd.items()},
        "levelized_usd_per_kwh": float(result.levelized_usd_per_kwh),
        "usd_per_accelerator_hour": float(result.usd_per_accelerator_hour),
        "it_energy_kwh": float(result.it_energy_kwh),
    }


def cost_metrics(report: CostOutput) -> dict[str, Any]:
    """``metrics.json`` entries under ``cost``."""
    eco = report.economics
    be = report.breakeven
    code = int(np.asarray(be.code))
    mc = report.monte_carlo
    return {
        "cost": {
            **reproduction_metrics(eco),
            "currency": currency_label(),
            "years": eco.years,
            "region": eco.region,
            "space": _side(report.space),
            "ground": _side(report.ground),
            "ratio_space_to_ground": report.ratio_space_to_ground,
            "launch_usd_per_kg": float(np.asarray(report.space_inputs.launch_usd_per_kg)),
            "breakeven_launch_usd_per_kg": float(np.asarray(be.usd_per_kg)),
            "breakeven_note": be.meaning.get(code, "") if code else "",
            "launched_power_usd_per_kw_yr": report.launched_power_usd_per_kw_yr,
            "tornado_top_input": report.tornado.names[0] if report.tornado.names else "",
            "monte_carlo": {
                "samples": int(mc.ratio.size),
                "seed": mc.seed,
                "ranges": report.uncertainty_source,
                "ratio_p10": mc.p10,
                "ratio_p50": mc.p50,
                "ratio_p90": mc.p90,
                "probability_space_cheaper": mc.probability_space_cheaper,
            },
        }
    }


def reproduction_metrics(eco: EconomicsOptions) -> dict[str, Any]:
    """The published table the scenario asks to reproduce (``economics.reproduce``), line by line
    from the publication's own assumptions, with the relative error of each line."""
    if eco.reproduce != "starcloud-2024":
        return {}
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


def cost_tables(report: CostOutput) -> dict[str, pa.Table]:
    """Report tables: cost lines of both sides, the tornado, the Monte Carlo ratios."""
    lines: dict[str, list[Any]] = {"side": [], "line": [], "usd": []}
    for side, result in (("space", report.space), ("ground", report.ground)):
        for line, usd in result.lines_usd.items():
            lines["side"].append(side)
            lines["line"].append(line)
            lines["usd"].append(float(usd))
    t = report.tornado
    return {
        "cost_lines": pa.table(lines),
        "tornado": pa.table(
            {
                "input": list(t.names),
                "low": t.low,
                "high": t.high,
                "ratio_low": t.ratio_low,
                "ratio_high": t.ratio_high,
                "swing": t.swing,
                "base_ratio": np.full(len(t.names), t.base_ratio),
            }
        ),
        "monte_carlo": pa.table({"ratio": np.asarray(report.monte_carlo.ratio, dtype=float)}),
    }


def run(ctx: Context, sizing: SizingOutput) -> CostOutput:
    """Cost the sized fleet in orbit and a ground data center of the same IT power."""
    return cost_fleet(ctx.loaded, sizing)


def check(loaded: LoadedScenario) -> None:
    """Every declared uncertain input names a real input and has valid parameters."""
    _declared_distributions(loaded)


STAGE = Stage(
    name="cost",
    requires=("sizing",),
    run=run,
    reads=("economics", "spacecraft.accelerator", "spacecraft.lifetime_yr"),
    check=check,
    description="space vs ground TCO, break-even launch price, tornado, Monte Carlo",
)
