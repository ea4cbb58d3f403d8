"""The centralized station's cost with its in-space assembly (issue 16, item 6).

A station larger than one launch is assembled in orbit (:mod:`skydc.spacecraft.assembly`). Its
space TCO differs from a fleet of the same mass in three ways, all applied here to the station's
:class:`~skydc.economics.space.SpaceInputs` by :func:`assembled_station_inputs`:

1. **flights**: one whole module a launch, so the station pays ``plan.launches`` whole launches
   at the vehicle's price (not its mass times a price per kg of a divisible payload);
2. **robotics**: the robots are bought once at their programme cost (``once.assembly_robot``,
   ``plan.robots_usd``): they stay in orbit and berth every later station, so neither a
   replacement station nor a failure buys them again. The robots' mass line
   (``satellite.assembly_robot``) carries each assembly's ground operations over
   ``plan.assembly_days`` instead of the bus's price per kg (``plan.operations_usd``), paid
   again with every station generation, which is assembled again;
3. **time**: the station delivers nothing until it is assembled. Its modules are not
   independent satellites (one array, one radiator, one power and thermal plant for the whole
   station), so no compute is counted in service before the last module is berthed. The
   delivered accelerator-hours of each year follow (:func:`ramp_hours_by_year` with no ramp),
   and with them ``usd_per_delivered_accelerator_hour``. Replacement stations are assembled
   while the old one operates, so only the first assembly delays delivery.

A distributed fleet, whose satellites work as soon as each is launched, delivers on a ramp over
its deployment time (``launches / cadence``): :func:`ramp_hours_by_year` with ``start_yr = 0``.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc._args import non_negative
from skydc.deployment.manifest import LaunchPlan
from skydc.economics.finance import HOURS_PER_YEAR
from skydc.economics.space import SpaceInputs
from skydc.spacecraft.assembly import AssemblyPlan

__all__ = ["assembled_station_inputs", "ramp_hours_by_year"]

ROBOT_LINE = "assembly_robot"  # the mass line the sizing stage gives the robots


def _clip_integral(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """``G(x) = int_{-inf}^{x} clip(s, 0, 1) ds``."""
    return np.where(x <= 0.0, 0.0, np.where(x < 1.0, 0.5 * x * x, x - 0.5))


def ramp_hours_by_year(
    full_hours_per_yr: ArrayLike, start_yr: ArrayLike, ramp_yr: ArrayLike, period_yr: int
) -> NDArray[np.float64]:
    """Hours delivered in each year ``1..N`` by capacity that enters service linearly from
    ``start_yr`` over ``ramp_yr`` years (``ramp_yr = 0``: all at once at ``start_yr``).

    Year ``k`` holds ``H int_{k-1}^{k} clip((t - a) / r, 0, 1) dt
    = H r [G((k - a) / r) - G((k - 1 - a) / r)]`` with ``G`` the integral of the clip
    (``H`` the full capacity's hours a year, ``a`` the start, ``r`` the ramp) [h].
    """
    h = non_negative("full_hours_per_yr", full_hours_per_yr)[..., np.newaxis]
    a = non_negative("start_yr", start_yr)[..., np.newaxis]
    r = non_negative("ramp_yr", ramp_yr)[..., np.newaxis]
    k = np.arange(1, int(period_yr) + 1, dtype=np.float64)
    safe_r = np.where(r > 0.0, r, 1.0)
    ramp = safe_r * (_clip_integral((k - a) / safe_r) - _clip_integral((k - 1.0 - a) / safe_r))
    step = np.clip(k - np.maximum(a, k - 1.0), 0.0, 1.0)  # the share of year k after a
    return np.asarray(h * np.where(r > 0.0, ramp, step), dtype=np.float64)


def assembled_station_inputs(
    station: SpaceInputs,
    plan: AssemblyPlan,
    launch_plan: LaunchPlan,
    stated_launch_usd_per_kg: float | None = None,
) -> SpaceInputs:
    """The station's space inputs with its assembly costed (module docstring, items 1-3).

    ``station`` are the inputs of the station as one satellite (its mass lines including the
    berthing interfaces and the robot), ``plan`` its assembly plan and ``launch_plan`` the
    station's launch plan (its vehicle price and payload per launch). A launch price per kg the
    scenario states (``economics.launch_usd_per_kg``) is kept, applied to the whole flights'
    capacity; otherwise each flight costs the vehicle's price.
    """
    n_yr = int(station.period_yr)
    payload = float(launch_plan.payload_per_launch_kg)
    if stated_launch_usd_per_kg is None:
        per_kg = float(launch_plan.price_per_launch_usd) / payload
    else:
        per_kg = float(non_negative("stated_launch_usd_per_kg", stated_launch_usd_per_kg))
    billable = plan.launches * payload
    rates = dict(station.usd_per_kg)
    once = dict(station.once_usd)
    if plan.robot_mass_kg > 0.0:
        rates[ROBOT_LINE] = plan.operations_usd / plan.robot_mass_kg
        once[ROBOT_LINE] = plan.robots_usd
    assembly_yr = plan.assembly_days / 365.25
    full = np.asarray(station.n_accelerators, dtype=np.float64) * HOURS_PER_YEAR
    return dataclasses.replace(
        station,
        usd_per_kg=rates,
        once_usd=once,
        launch_usd_per_kg=per_kg,
        launch_billable_mass_kg=billable,
        delivered_accelerator_hours_by_year=ramp_hours_by_year(full, assembly_yr, 0.0, n_yr),
    )
