"""Stage ``delivery``: installed to delivered accelerator-hours, in orbit and on the ground.

Each loss of the waterfall (``skydc.economics.delivered``) is obtained, not assumed where it can
be measured:

* **deployment ramp and replacement gaps**, **accelerator attrition**: the fleet model at the
  sizing's launch cadence (satellites per launch x launches a year), the satellite life, the
  yearly satellite failure probability and the accelerators' field failure rate
  (``skydc.spacecraft.reliability``), with no repair in orbit;
* **eclipse and power throttling**, **thermal limit**: the operations simulator
  (``skydc.operations``) runs a saturating capacity probe, every accelerator of one node per shell
  asked to compute all the time, through the run's sunlight with the scenario's throttle policy;
  the share of installed FLOPs it performs is measured;
* **faults**: single-event interrupts and memory errors from the radiation model at the first
  shell's orbit, and the field failures, each stopping a replica group for a recovery time;
* **downlink limit**: what the ground segment takes (stage ``downlink``) against what the
  workload class must send per FLOP (``data/workload_traffic.toml``);
* **utilisation**: ``economics.utilization``, the same on both sides.

The ground data center of the same accelerators is built in ``economics.ground_build_yr``,
repairs failed accelerators from spares (``ground_repair_s``), and is not power- or
downlink-bound. Delivered hours by year feed the ``cost`` stage's levelized cost per delivered
accelerator-hour.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from skydc.constants import LLM_TRAINING_MFU
from skydc.economics.delivered import (
    FleetHistory,
    Waterfall,
    downlink_factor,
    fault_loss_fraction,
    fleet_history,
    ground_history,
    repaired_availability,
    traffic_class,
    waterfall,
)
from skydc.economics.finance import HOURS_PER_YEAR, CostEntry, cost_data, parse_entry
from skydc.economics.space import load_space_costs
from skydc.errors import ScenarioError
from skydc.operations.engine import simulate
from skydc.operations.workloads import EarthObservationJob
from skydc.pipeline.base import Context, OutputDisplay, Stage
from skydc.pipeline.constellation import ConstellationOutput
from skydc.pipeline.downlink import DownlinkOutput
from skydc.pipeline.fleet_nodes import build_nodes
from skydc.pipeline.sizing import SizingOutput
from skydc.scenario.load import LoadedScenario
from skydc.spacecraft.radiation import RadiationEnvironment
from skydc.spacecraft.reliability import (
    AcceleratorReliability,
    accelerator_reliability,
    radiation_sensitivity,
)

PROBE = "capacity-probe"


@functools.lru_cache(maxsize=1)
def delivery_defaults() -> Mapping[str, CostEntry]:
    """The entries of ``data/delivery.toml`` by name (parsed once: read-only)."""
    return MappingProxyType({k: parse_entry(k, v) for k, v in cost_data("delivery.toml").items()})


def _setting(loaded: LoadedScenario, name: str) -> float:
    value = getattr(loaded.scenario.economics, name)
    return float(delivery_defaults()[name].value if value is None else value)


@dataclass(frozen=True)
class ProbeMeasurement:
    """What the capacity probe measured over the run's window."""

    performed_flops: float
    installed_flops: float
    window_s: float
    thermal_limit: float
    node_granularity: str

    @property
    def powered_fraction(self) -> float:
        """Performed over installed FLOPs, the thermal cap divided out [-]."""
        if self.installed_flops <= 0 or self.thermal_limit <= 0:
            return 0.0
        return min(1.0, self.performed_flops / self.installed_flops / self.thermal_limit)


def capacity_probe(
    loaded: LoadedScenario, constellation: ConstellationOutput, fleet: SizingOutput
) -> ProbeMeasurement:
    """Run every accelerator flat out (one node per shell) through the run's sunlight."""
    ops = loaded.scenario.operations
    nodes, env = build_nodes(loaded, constellation, fleet, granularity="shell")
    window = float(env.t_s[-1] - env.t_s[0])
    # one job holds the same accelerators on every satellite: the fewest any shell carries
    per_sat_acc = min(int(n.accelerators) for n in nodes)
    installed = sum(n.satellites * per_sat_acc * n.accelerator_peak_flops * window for n in nodes)
    peak = max(float(n.accelerator_peak_flops) for n in nodes)
    # raw data arriving far faster than it can be processed keeps every accelerator busy
    probe = EarthObservationJob(
        name=PROBE,
        bytes_per_satellite_day=10.0 * peak * per_sat_acc * 86400.0,
        flops_per_byte=1.0,
        downlink_bytes_per_satellite_day=0.0,
        product_fraction=1.0,
        accelerators_per_satellite=per_sat_acc,
        compute_efficiency=1.0,
    )
    try:
        result = simulate(nodes, env, [probe], policy=ops.policy, seed=ops.seed,
                          record_samples=False)  # the probe reads the ledger only
    except ValueError as exc:
        raise ScenarioError(str(exc), file=loaded.source, field="operations") from None
    thermal = min(float(n.thermal_limit_fraction) for n in nodes)
    return ProbeMeasurement(
        performed_flops=float(result.ledger.useful_flops),
        installed_flops=installed,
        window_s=window,
        thermal_limit=thermal,
        node_granularity=f"one node per shell ({len(nodes)})",
    )


@dataclass(frozen=True, repr=False)
class DeliveryOutput(OutputDisplay):
    """The delivery waterfalls of both sides, delivered hours by year and the fleet model."""

    space: Waterfall
    ground: Waterfall
    space_hours_by_year: NDArray[np.float64]
    ground_hours_by_year: NDArray[np.float64]
    fleet: FleetHistory
    probe: ProbeMeasurement
    peak_flops_per_accelerator: float
    precision: str
    downlink: dict[str, Any]
    reliability: AcceleratorReliability
    notes: tuple[str, ...]
    ground_build_yr: float = 0.0

    @property
    def years_to_full_capacity(self) -> float | str:
        """Years until the whole fleet is in orbit, or why it never is."""
        if math.isnan(self.fleet.years_to_full):
            return self.fleet.why_not_full
        return self.fleet.years_to_full

    def pflop_days(self, hours: float) -> float:
        """Accelerator-hours as PFLOP-days at the stated precision's dense peak."""
        return hours * 3600.0 * self.peak_flops_per_accelerator / (1e15 * 86400.0)

    def metrics(self) -> dict[str, Any]:
        def side(w: Waterfall) -> dict[str, Any]:
            return {
                "installed_accelerator_hours": w.installed_hours,
                "delivered_accelerator_hours": w.delivered_hours,
                "delivered_fraction": w.delivered_fraction,
                "delivered_pflop_days": self.pflop_days(w.delivered_hours),
                "binding_loss": w.binding_loss,
                "factors": {s.step: s.factor for s in w.steps[1:]},
            }

        return {
            "delivery": {
                "precision": self.precision,
                "space": {
                    **side(self.space),
                    "years_to_full_capacity": self.years_to_full_capacity,
                },
                "ground": side(self.ground),
                "probe_powered_fraction": self.probe.powered_fraction,
                "probe_window_s": self.probe.window_s,
                "probe_nodes": self.probe.node_granularity,
                "downlink": self.downlink,
                "unknown_figures": ", ".join(self.reliability.unknown) or "none",
                "fallback_figures": ", ".join(self.reliability.fallback_used) or "none",
                "notes": list(self.notes),
            }
        }

    def tables(self) -> dict[str, pa.Table]:
        rows: dict[str, list[Any]] = {
            k: [] for k in ("side", "step", "factor", "accelerator_hours", "source")
        }
        for w in (self.space, self.ground):
            for s in w.steps:
                rows["side"].append(w.side)
                rows["step"].append(s.step)
                rows["factor"].append(s.factor)
                rows["accelerator_hours"].append(s.accelerator_hours)
                rows["source"].append(s.source)
        n = self.space_hours_by_year.size
        years = {
            "year": pa.array(np.arange(1, n + 1)),
            "space_accelerator_hours": pa.array(self.space_hours_by_year),
            "ground_accelerator_hours": pa.array(self.ground_hours_by_year),
            "space_satellites_in_service": pa.array(self.fleet.yearly_mean(self.fleet.in_service)),
            "space_launched": pa.array(
                sum(v for v in self.fleet.launched_by_year.values())[:n]  # type: ignore[index]
            ),
        }
        return {"delivery_waterfall": pa.table(rows), "delivery_by_year": pa.table(years)}


@functools.lru_cache(maxsize=64)
def _see_rates(
    altitude_km: float, inclination_deg: float, shield_mm_al: float, epoch_utc: Any,
    lifetime_yr: float, accelerator: str, fallback: bool,
) -> tuple[float, float, float]:  # fmt: skip
    """Functional interrupt, uncorrectable memory error and silent corruption rates
    [1/device/day] of ``accelerator`` in this orbit for the mission's years: one radiation
    model evaluation per orbit and part, shared by a study's points that re-size."""
    env = RadiationEnvironment.for_mission(
        altitude_km, inclination_deg, shield_mm_al, epoch_utc, lifetime_yr
    )
    rates = env.fault_rates(radiation_sensitivity(accelerator, fallback=fallback), lifetime_yr)
    return rates.sefi_per_device_day, rates.hbm_ue_per_device_day, rates.sdc_per_device_day


def _fault_rates_per_device_day(
    loaded: LoadedScenario, fleet: SizingOutput, reliability: AcceleratorReliability, fallback: bool
) -> tuple[NDArray[np.float64], str]:
    """Functional interrupt, uncorrectable memory error and silent data corruption rates at the
    first shell's orbit [1/device/day] (NaN where unknown), and how they were obtained. A silent
    corruption costs as much as a crash: the work since the last check is redone."""
    sc = loaded.scenario.spacecraft
    orbit = next(iter(fleet.orbits.values()))
    kinds = _see_rates(
        orbit.altitude_km, orbit.inclination_deg, sc.shield_mm_al, loaded.scenario.epoch_utc,
        sc.lifetime_yr, sc.accelerator, fallback,
    )  # fmt: skip
    basis = reliability.sefi_cross_section_cm2.basis
    return np.array(kinds), (
        f"radiation model at {orbit.altitude_km:g} km behind {sc.shield_mm_al:g} mm Al "
        f"(cross-sections: {basis})"
    )


def deliver(
    loaded: LoadedScenario,
    constellation: ConstellationOutput,
    fleet: SizingOutput,
    downlink: DownlinkOutput | None,
) -> DeliveryOutput:
    """Both waterfalls and the delivered hours by year (module docstring)."""
    sc = loaded.scenario.spacecraft
    eco = loaded.scenario.economics
    ops = loaded.scenario.operations
    n_yr = eco.years
    fallback = sc.reliability_fallback
    rel = accelerator_reliability(sc.accelerator, fallback=fallback)
    notes: list[str] = []
    n_acc = float(fleet.n_accelerators)
    installed = n_acc * HOURS_PER_YEAR * n_yr

    # --- the fleet model ------------------------------------------------------------------------
    p_fail = eco.annual_failure_probability
    if p_fail is None:
        p_fail = load_space_costs()["reliability.annual_failure_probability"].value
    ground_rate = rel.ground_failures_per_device_yr
    acc_rate = ground_rate.value if ground_rate.value is not None else 0.0
    per_launch = sum(p.satellites_per_launch for p in fleet.launch_plans.values()) / max(
        len(fleet.launch_plans), 1
    )
    sats_per_yr = per_launch * fleet.cadence_per_yr
    history = fleet_history(
        fleet.n_satellites, sats_per_yr, sc.lifetime_yr, float(p_fail), acc_rate, n_yr
    )
    ramp = float(np.mean(history.in_service)) / history.target
    acc_left = float(np.mean(history.accelerator_fraction)) / max(ramp, 1e-300) if ramp else 0.0
    cadence_src = (
        f"fleet model: {per_launch:g} satellites per launch x {fleet.cadence_per_yr:g} "
        f"launches a year, {sc.lifetime_yr:g}-year life, {p_fail:.1%} failing a year"
    )
    if ground_rate.value is None:
        attrition_src = f"not counted: {rel.why_unknown()}"
    else:
        attrition_src = (
            f"{acc_rate:.3g} accelerator failures per device-year ({ground_rate.basis}), no "
            "repair in orbit"
        )

    # --- measured by the simulator ----------------------------------------------------------------
    probe = capacity_probe(loaded, constellation, fleet)
    probe_src = (
        f"measured: operations simulation, {probe.window_s / 3600:.3g} h, "
        f"{probe.node_granularity}, policy {ops.policy}"
    )

    # --- faults -----------------------------------------------------------------------------------
    recovery_s = _setting(loaded, "fault_recovery_s")
    group = _setting(loaded, "fault_group_size")
    see, see_src = _fault_rates_per_device_day(loaded, fleet, rel, fallback)
    field_per_day = acc_rate / 365.25
    known_see = np.where(np.isfinite(see), see, 0.0)
    space_fault = 1.0 - float(
        fault_loss_fraction(np.append(known_see, field_per_day), recovery_s, group)
    )
    fault_src = f"{see_src}; field failures; each stops {group:g} devices for {recovery_s:g} s"
    if not np.all(np.isfinite(see)):
        fault_src = f"field failures only; single-event effects not counted: {rel.why_unknown()}"
    ground_fault = 1.0 - float(fault_loss_fraction(np.array([field_per_day]), recovery_s, group))

    # --- downlink ---------------------------------------------------------------------------------
    workload = traffic_class(eco.workload)
    bits_per_flop = (
        eco.downlink_bits_per_flop if eco.downlink_bits_per_flop is not None
        else workload.bits_per_flop
    )  # fmt: skip
    sat0 = next(iter(fleet.satellites.values()))
    peak = float(sat0.payload.peak_ops_per_s[ops.precision]) / max(sat0.n_accelerators, 1)
    served_flops = (
        n_acc * peak * LLM_TRAINING_MFU * probe.powered_fraction * probe.thermal_limit * acc_left
    )
    down_info: dict[str, Any] = {
        "workload": eco.workload,
        "bits_per_flop": float(bits_per_flop),
        "demand_bits_per_day": served_flops * bits_per_flop * 86400.0,
    }
    if downlink is None:
        down = 1.0
        down_src = (
            "not counted: the downlink budget was not computed (network.enabled or "
            "network.downlink is false)"
        )
        down_info["capacity_bits_per_day"] = (
            "not computed: network.enabled or network.downlink is false"
        )
    else:
        cap = downlink.fleet_bits_per_day
        down = float(downlink_factor(cap, served_flops, bits_per_flop))
        down_info["capacity_bits_per_day"] = cap
        down_info["ground_segment_limit"] = downlink.binding_limit
        down_src = (
            f"downlink budget: {cap:.3g} bit/day against {eco.workload} at {bits_per_flop:.2g} "
            f"bit/FLOP ({LLM_TRAINING_MFU:.0%} of peak achieved); ground segment limited by "
            f"{downlink.binding_limit}"
        )
    down_info["factor"] = down

    util = _setting(loaded, "utilization")
    util_src = "scenario (economics.utilization)" if eco.utilization is not None else (
        delivery_defaults()["utilization"].source
    )  # fmt: skip
    per_orbit = probe.powered_fraction * probe.thermal_limit * space_fault * down * util
    space = waterfall(
        "space",
        installed,
        [
            ("deployment ramp and replacement gaps", ramp, cadence_src),
            ("accelerator attrition (no repair in orbit)", min(1.0, acc_left), attrition_src),
            ("eclipse and power throttling", probe.powered_fraction, probe_src),
            ("thermal limit", probe.thermal_limit, "sizing: radiator limit of the nodes"),
            ("faults (restarts)", space_fault, fault_src),
            ("downlink limit", down, down_src),
            ("utilisation", util, util_src),
        ],
    )
    space_by_year = n_acc * HOURS_PER_YEAR * history.accelerators_by_year * per_orbit

    # --- ground -----------------------------------------------------------------------------------
    build = _setting(loaded, "ground_build_yr")
    if build >= n_yr:
        raise ScenarioError(
            f"the ground data center takes {build:g} years to build, not less than the "
            f"{n_yr}-year period", file=loaded.source, field="economics.ground_build_yr",
        )  # fmt: skip
    operating = ground_history(build, n_yr)
    g_built = float(np.mean(operating))
    repair_s = delivery_defaults()["ground_repair_s"].value
    g_avail = float(repaired_availability(acc_rate, repair_s))
    g_repair_src = (
        f"{acc_rate:.3g} failures per device-year ({ground_rate.basis}), repaired in "
        f"{repair_s / 86400:g} days from spares"
        if ground_rate.value is not None else f"not counted: {rel.why_unknown()}"
    )  # fmt: skip
    build_src = f"built in {build:g} years ({_src(loaded, 'ground_build_yr')})"
    ground = waterfall(
        "ground",
        installed,
        [
            ("construction", g_built, build_src),
            ("failures (repaired from spares)", g_avail, g_repair_src),
            ("power", 1.0, "grid power: no eclipse"),
            ("faults (restarts)", ground_fault,
             f"field failures; each stops {group:g} devices for {recovery_s:g} s"),
            ("utilisation", util, util_src),
        ],
    )  # fmt: skip
    g_year = operating.reshape(n_yr, -1).mean(axis=1)
    ground_by_year = n_acc * HOURS_PER_YEAR * g_year * g_avail * ground_fault * util
    if rel.unknown:
        notes.append(rel.why_unknown())
    if history.why_not_full:
        notes.append(f"the fleet is not complete within the period: {history.why_not_full}")
    return DeliveryOutput(
        space=space,
        ground=ground,
        space_hours_by_year=np.asarray(space_by_year, dtype=np.float64),
        ground_hours_by_year=np.asarray(ground_by_year, dtype=np.float64),
        fleet=history,
        probe=probe,
        peak_flops_per_accelerator=peak,
        precision=f"{ops.precision} dense, at peak",
        downlink=down_info,
        reliability=rel,
        notes=tuple(notes),
        ground_build_yr=build,
    )


def _src(loaded: LoadedScenario, name: str) -> str:
    if getattr(loaded.scenario.economics, name) is not None:
        return f"scenario: economics.{name}"
    return "skydc estimate, data/delivery.toml"


def run(
    ctx: Context,
    constellation: ConstellationOutput,
    sizing: SizingOutput,
    downlink: DownlinkOutput | None = None,
) -> DeliveryOutput:
    """Installed to delivered accelerator-hours for the sized fleet and its ground twin."""
    return deliver(ctx.loaded, constellation, sizing, downlink)


def check(loaded: LoadedScenario) -> None:
    """The workload class is known."""
    try:
        traffic_class(loaded.scenario.economics.workload)
    except ValueError as exc:
        raise ScenarioError(str(exc), file=loaded.source, field="economics.workload") from None


READS = (
    "economics.years", "economics.annual_failure_probability", "economics.utilization",
    "economics.workload", "economics.downlink_bits_per_flop", "economics.fault_recovery_s",
    "economics.fault_group_size", "economics.ground_build_yr", "spacecraft", "operations",
    "duration_s", "step_s",
)  # fmt: skip

STAGE = Stage(
    name="delivery",
    requires=("constellation", "sizing"),
    optional=("downlink",),
    run=run,
    reads=READS,
    check=check,
    description="installed to delivered accelerator-hours: ramp, attrition, power, downlink",
)
