"""Delivered compute: from installed accelerators to the accelerator-hours a fleet delivers.

A data center is bought for what it delivers, so skydc's headline is the cost of a *delivered*
accelerator-hour. Between installed and delivered lie named losses (the waterfall); each is a
factor in [0, 1] with the way it was obtained:

* **deployment ramp** and **attrition** (the fleet model, :func:`fleet_history`): satellites go up
  at the launch cadence, fail at their yearly probability and retire at the end of their life,
  each loss replaced as launches allow; accelerators on a satellite fail at the data-centre field
  rate and are *not* repaired in orbit (they come back only with a new satellite). On the ground
  the build takes ``build_yr`` and a failed accelerator is swapped within a repair time
  (:func:`repaired_availability`);
* **power** and **thermal** limits: measured by the operations simulator (eclipses, battery,
  throttle policy, radiator limit) on a saturating capacity probe;
* **faults**: single-event functional interrupts, uncorrectable memory errors and silent data
  corruption each stop a replica group for a recovery time (:func:`fault_loss_fraction`);
* **downlink**: the bits the workload must move to the ground per FLOP against what the ground
  segment takes (:func:`downlink_factor`);
* **utilisation**: the share of available accelerator-hours sold (the same on both sides).

The levelized cost of a delivered unit is :math:`PV(\\text{costs}) / \\sum_t D_t (1+r)^{-t}`
(:func:`skydc.economics.finance.levelized_usd_per_unit`), the LCOE form with a non-level output
(NREL/TP-462-5173, Short, Packey & Holt 1995, eq. 4-6).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc._args import in_range, non_negative
from skydc.economics.finance import cost_data

__all__ = [
    "FleetHistory",
    "TrafficClass",
    "Waterfall",
    "WaterfallStep",
    "downlink_factor",
    "fault_loss_fraction",
    "fleet_history",
    "ground_history",
    "mean_survival",
    "repaired_availability",
    "traffic_class",
    "traffic_class_names",
    "waterfall",
]

STEPS_PER_YEAR = 12  # monthly steps of the fleet model


@dataclass(frozen=True)
class FleetHistory:
    """A fleet over a study period on a grid of ``steps_per_yr`` steps a year.

    Attributes
    ----------
    target
        Satellites (or ground servers) the design calls for.
    in_service
        Satellites operating during each step [-] (expected value, so fractional).
    accelerator_fraction
        Working accelerators during each step over those of ``target`` new satellites [-]:
        in service, and not failed since launch.
    launched_by_year
        Satellites launched in each year ``1..N`` at time points ``0..N-1`` (the start of the
        year), by reason: ``build`` (the first fleet), ``end_of_life``, ``failure``.
    retired_by_year
        Satellites retired at the end of their life in each year (time points ``1..N``).
    years_to_full
        First time the fleet in service reaches the target [yr]; NaN if it does not within the
        period (``why_not_full`` says why).
    residual_fraction
        Straight-line value left at the end of the period in the satellites in service, in units
        of one new satellite, over ``target`` [-].
    """

    target: float
    steps_per_yr: int
    in_service: NDArray[np.float64]
    accelerator_fraction: NDArray[np.float64]
    launched_by_year: dict[str, NDArray[np.float64]]
    retired_by_year: NDArray[np.float64]
    years_to_full: float
    why_not_full: str
    residual_fraction: float

    @property
    def period_yr(self) -> int:
        return int(self.in_service.size // self.steps_per_yr)

    def yearly_mean(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        """The mean of a per-step series over each year ``1..N``."""
        return np.asarray(x.reshape(self.period_yr, self.steps_per_yr).mean(axis=1))

    @property
    def ramp_by_year(self) -> NDArray[np.float64]:
        """Satellites in service over the target, mean of each year [-]."""
        return self.yearly_mean(self.in_service / self.target)

    @property
    def accelerators_by_year(self) -> NDArray[np.float64]:
        """Working accelerators over the design's, mean of each year [-]."""
        return self.yearly_mean(self.accelerator_fraction)


def _hazard_per_yr(annual_probability: float) -> float:
    """The constant hazard rate of a yearly failure probability, :math:`-\\ln(1-p)` [1/yr]."""
    return -math.log1p(-annual_probability)


@functools.lru_cache(maxsize=64)
def fleet_history(
    target: int,
    satellites_per_yr: float,
    life_yr: float,
    annual_failure_probability: float,
    accelerator_failures_per_yr: float,
    period_yr: int,
    *,
    steps_per_yr: int = STEPS_PER_YEAR,
) -> FleetHistory:
    """The fleet model: launches at a cadence, failures, retirements and replacements (the
    last 64 answers are kept: a study that re-sizes the satellite asks for the same whole
    satellites per launch again and again).

    Each step (of ``1/steps_per_yr`` years) every satellite fails with the step's share of the
    yearly probability (a constant hazard), satellites reaching ``life_yr`` retire, and as many
    satellites are launched as the cadence allows up to the target, owed in the order: first
    fleet, end-of-life replacements, failure replacements. A satellite works from the step it is
    launched. Its accelerators fail at ``accelerator_failures_per_yr`` each and are not repaired.
    Cohorts are one array (one entry per launch step), advanced together each step.
    """
    n_tgt = float(in_range("target", target, 1.0, math.inf, hi_open=True))
    cap_yr = float(non_negative("satellites_per_yr", satellites_per_yr))
    life = float(in_range("life_yr", life_yr, 1e-3, math.inf, hi_open=True))
    p = float(in_range("annual_failure_probability", annual_failure_probability, 0.0, 1.0,
                       hi_open=True))  # fmt: skip
    lam = float(non_negative("accelerator_failures_per_yr", accelerator_failures_per_yr))
    n_yr = int(period_yr)
    if n_yr < 1 or n_yr != period_yr:
        raise ValueError(f"period_yr must be a whole number of years >= 1; got {period_yr!r}")
    k_yr = int(steps_per_yr)
    n = n_yr * k_yr
    dt = 1.0 / k_yr
    survive_step = math.exp(-_hazard_per_yr(p) * dt)
    life_steps = max(1, round(life * k_yr))
    per_step = cap_yr * dt
    alive = np.zeros(n)  # satellites alive of the cohort launched at each step
    launch_step = np.arange(n)
    in_service = np.zeros(n)
    acc = np.zeros(n)
    launched = {k: np.zeros(n_yr + 1) for k in ("build", "end_of_life", "failure")}
    retired = np.zeros(n_yr + 1)
    owed = {"build": n_tgt, "end_of_life": 0.0, "failure": 0.0}
    full_at = math.nan
    for s in range(n):
        age = s - launch_step[:s]
        if s:
            before = alive[:s].copy()
            alive[:s] *= survive_step
            owed["failure"] += float(np.sum(before - alive[:s]))
            old = (age >= life_steps) & (alive[:s] > 0)
            if old.any():
                gone = float(np.sum(alive[:s][old]))
                alive[:s][old] = 0.0
                owed["end_of_life"] += gone
                retired[s // k_yr + 1] += gone  # counted at the end of its year
        room = max(0.0, n_tgt - float(np.sum(alive[:s])))
        budget = min(per_step, room)
        for reason in ("build", "end_of_life", "failure"):
            take = min(budget, owed[reason])
            owed[reason] -= take
            budget -= take
            launched[reason][s // k_yr] += take
            alive[s] += take
        total = float(np.sum(alive[: s + 1]))
        in_service[s] = total
        ages = (s - launch_step[: s + 1] + 0.5) * dt  # mid-step
        acc[s] = float(np.sum(alive[: s + 1] * np.exp(-lam * ages))) / n_tgt
        if math.isnan(full_at) and total >= n_tgt * (1.0 - 1e-9):
            full_at = (s + 1) * dt
    ages_end = (n - launch_step) * dt
    residual = float(np.sum(alive * np.clip(1.0 - ages_end / life, 0.0, 1.0))) / n_tgt
    why = ""
    if math.isnan(full_at):
        needed = n_tgt / life + n_tgt * _hazard_per_yr(p)
        if cap_yr < needed:
            why = (
                f"never: the launch cadence carries {cap_yr:,.0f} satellites a year, and holding "
                f"{n_tgt:,.0f} satellites of {life:g}-year life ({p:.1%} failing a year) takes "
                f"{needed:,.0f} a year"
            )
        else:
            why = f"not within the {n_yr}-year period at {cap_yr:,.0f} satellites a year"
    for a in (in_service, acc, retired, *launched.values()):
        a.setflags(write=False)  # the answer is cached, so shared between callers: read-only
    return FleetHistory(
        target=n_tgt,
        steps_per_yr=k_yr,
        in_service=in_service,
        accelerator_fraction=acc,
        launched_by_year=launched,
        retired_by_year=retired,
        years_to_full=full_at,
        why_not_full=why,
        residual_fraction=residual,
    )


def ground_history(build_yr: float, period_yr: int, *, steps_per_yr: int = STEPS_PER_YEAR
                   ) -> NDArray[np.float64]:  # fmt: skip
    """Share of each step of the period during which a ground data center built in
    ``build_yr`` years operates [-] (0 while it is built, then 1)."""
    b = float(non_negative("build_yr", build_yr))
    edges = np.arange(int(period_yr) * steps_per_yr + 1) / steps_per_yr
    return np.asarray(np.clip((edges[1:] - b) * steps_per_yr, 0.0, 1.0))


def mean_survival(rate_per_yr: ArrayLike, years: ArrayLike) -> NDArray[np.float64]:
    """Mean over ``[0, T]`` of :math:`e^{-\\lambda t}`: :math:`(1 - e^{-\\lambda T}) / (\\lambda T)`
    (1 at :math:`\\lambda T = 0`) [-]."""
    x = non_negative("rate_per_yr", rate_per_yr) * non_negative("years", years)
    safe = np.where(x > 0, x, 1.0)
    return np.asarray(np.where(x > 0, -np.expm1(-safe) / safe, 1.0), dtype=np.float64)


def repaired_availability(failures_per_yr: ArrayLike, repair_s: ArrayLike) -> NDArray[np.float64]:
    """Share of time a repaired device works, :math:`1 / (1 + \\lambda\\, MTTR)` [-]
    (alternating renewal: mean up time :math:`1/\\lambda`, mean down time MTTR)."""
    lam = non_negative("failures_per_yr", failures_per_yr) / (365.25 * 86400.0)
    return np.asarray(1.0 / (1.0 + lam * non_negative("repair_s", repair_s)), dtype=np.float64)


def fault_loss_fraction(
    rates_per_device_day: ArrayLike, loss_s_per_event: ArrayLike, group_size: ArrayLike
) -> NDArray[np.float64]:
    """Share of accelerator time lost to transient faults [-].

    A fault on one device stops the ``group_size`` devices that share its work (a replica:
    tensor-parallel group, or the whole synchronous training job) for ``loss_s_per_event``
    (restart plus the work redone since the last checkpoint): the lost share is
    :math:`\\min(1, G \\sum_k \\lambda_k L_k)` with :math:`\\lambda_k` per device-second.
    Arrays broadcast; the sum runs over the last axis (fault kinds).
    """
    lam = non_negative("rates_per_device_day", rates_per_device_day) / 86400.0
    loss = non_negative("loss_s_per_event", loss_s_per_event)
    g = non_negative("group_size", group_size)
    return np.asarray(np.minimum(1.0, g * np.sum(lam * loss, axis=-1)), dtype=np.float64)


def downlink_factor(
    capacity_bits_per_day: ArrayLike, demand_flops_per_s: ArrayLike, bits_per_flop: ArrayLike
) -> NDArray[np.float64]:
    """Share of the computing the ground segment can serve [-]: what it takes over what the
    workload must send, :math:`\\min(1, C / (F\\, b\\, 86400))` (1 when nothing must be sent)."""
    cap = non_negative("capacity_bits_per_day", capacity_bits_per_day)
    need = (
        non_negative("demand_flops_per_s", demand_flops_per_s)
        * non_negative("bits_per_flop", bits_per_flop)
        * 86400.0
    )
    safe = np.where(need > 0, need, 1.0)
    return np.asarray(np.where(need > 0, np.minimum(1.0, cap / safe), 1.0), dtype=np.float64)


# --- The waterfall ------------------------------------------------------------------------------


@dataclass(frozen=True)
class WaterfallStep:
    """One loss: its name, the factor it applies, what is left after it, and its basis."""

    step: str
    factor: float
    accelerator_hours: float
    source: str


@dataclass(frozen=True)
class Waterfall:
    """Installed to delivered accelerator-hours over the period, loss by loss."""

    side: str
    steps: tuple[WaterfallStep, ...]

    @property
    def installed_hours(self) -> float:
        return self.steps[0].accelerator_hours

    @property
    def delivered_hours(self) -> float:
        return self.steps[-1].accelerator_hours

    @property
    def delivered_fraction(self) -> float:
        return self.delivered_hours / self.installed_hours if self.installed_hours else 0.0

    @property
    def binding_loss(self) -> str:
        """The step that loses most (the smallest factor); ``"none"`` when nothing is lost."""
        losses = [s for s in self.steps[1:] if s.factor < 1.0]
        return min(losses, key=lambda s: s.factor).step if losses else "none"


def waterfall(
    side: str, installed_hours: float, losses: Sequence[tuple[str, float, str]]
) -> Waterfall:
    """A :class:`Waterfall` from the installed hours and ``(step, factor, source)`` losses."""
    hours = float(installed_hours)
    steps = [WaterfallStep("installed", 1.0, hours, "design: accelerators x hours of the period")]
    for name, factor, source in losses:
        f = float(in_range(f"waterfall factor {name!r}", factor, 0.0, 1.0))
        hours *= f
        steps.append(WaterfallStep(name, f, hours, source))
    return Waterfall(side, tuple(steps))


# --- Communication intensity --------------------------------------------------------------------


@dataclass(frozen=True)
class TrafficClass:
    """Bits a workload class must move to the ground per FLOP it computes."""

    name: str
    bits_per_flop: float
    description: str
    source: str
    derived: bool


@functools.cache
def _traffic() -> dict[str, TrafficClass]:
    raw: dict[str, Any] = cost_data("workload_traffic.toml")["classes"]
    return {
        k: TrafficClass(
            k,
            float(v["bits_per_flop"]),
            str(v["description"]),
            str(v["source"]),
            bool(v.get("derived", False)),
        )
        for k, v in raw.items()
    }


def traffic_class_names() -> tuple[str, ...]:
    """Workload classes of ``data/workload_traffic.toml``."""
    return tuple(_traffic())


def traffic_class(name: str) -> TrafficClass:
    """One workload class; ``ValueError`` listing the known ones."""
    try:
        return _traffic()[name]
    except KeyError:
        raise ValueError(
            f"unknown workload class {name!r}; allowed: {', '.join(traffic_class_names())}"
        ) from None
