"""Launch manifest: launches by mass and by volume, cost, time to deploy, power per launch/year.

A system of total mass :math:`M` and stowed volume :math:`V` needs
:math:`N_m = \\lceil M / P(h, i) \\rceil` launches by mass, with :math:`P` the vehicle's payload
to the target orbit (:func:`~skydc.deployment.launch.payload_to_orbit_kg`), and
:math:`N_v = \\lceil V / (\\eta V_f) \\rceil` by volume, with :math:`V_f` the usable fairing volume
and :math:`\\eta` the packing efficiency (the share of the envelope that stowed hardware can
fill). The larger governs. ``M`` must include dispensers and adapters.

Launches go up at a constant cadence :math:`c` per year, one every :math:`1/c` years, the first
one :math:`1/c` after the start, so :math:`N` launches take :math:`N / c` years and the count
flown by time :math:`t` is :math:`\\min(N, \\lfloor c t \\rfloor)`. IT power deployed is the
mass per launch times the IT power per kilogram of satellite: SpaceX's filing, "1 million tonnes
per year of satellites generating 100 kW of compute per tonne would add 100 GW ... annually",
is :math:`10^9\\,\\mathrm{kg} \\times 100\\,\\mathrm{W/kg} = 100\\,\\mathrm{GW}` per year.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc._args import non_negative, positive
from skydc.deployment.launch import LaunchVehicle, payload_to_orbit_kg

__all__ = [
    "DEFAULT_VOLUME_PACKING_EFFICIENCY",
    "DeploymentSchedule",
    "LaunchPlan",
    "cumulative_launches",
    "deployment_schedule",
    "deployment_time_yr",
    "launch_counts",
    "launches_needed",
    "launches_per_year_for_power",
    "power_deployed_per_launch_w",
    "power_deployed_per_year_w",
]

# A square-section stack in a round envelope fills at most 2/pi = 0.64 of its cylinder, and the
# nose cone less: 0.6 of the usable fairing volume is the default share stowed hardware can use.
DEFAULT_VOLUME_PACKING_EFFICIENCY = 0.6
_CEIL_SLACK = 1e-9  # 3.0000000001 launches is 3 launches, not 4 (floating-point ratios)


def _ceil_count(need: NDArray[np.float64], per: NDArray[np.float64]) -> NDArray[np.float64]:
    """ceil(need / per) with NaN where per <= 0 and something must go (out of reach)."""
    safe = np.where(per > 0.0, per, 1.0)
    n = np.ceil(need / safe * (1.0 - _CEIL_SLACK))
    n = np.where(need > 0.0, np.maximum(n, 1.0), 0.0)
    return np.asarray(np.where((per > 0.0) | (need <= 0.0), n, np.nan), dtype=np.float64)


def launch_counts(
    total_mass_kg: ArrayLike,
    total_stowed_volume_m3: ArrayLike,
    payload_per_launch_kg: ArrayLike,
    usable_volume_per_launch_m3: ArrayLike,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Launches needed by mass and by volume (whole numbers as floats), broadcasting.

    :math:`N_m = \\lceil M / P \\rceil`, :math:`N_v = \\lceil V / V_u \\rceil`; NaN where the
    capacity is zero and there is something to carry (orbit out of reach).

    Parameters
    ----------
    total_mass_kg : array_like
        Everything to launch, dispensers included [kg].
    total_stowed_volume_m3 : array_like
        Stowed volume of it [m^3].
    payload_per_launch_kg : array_like
        Payload per launch to the target orbit [kg].
    usable_volume_per_launch_m3 : array_like
        Fairing volume that stowed hardware can fill per launch [m^3].
    """
    m = non_negative("total_mass_kg", total_mass_kg, unit="kg")
    v = non_negative("total_stowed_volume_m3", total_stowed_volume_m3, unit="m^3")
    p = non_negative("payload_per_launch_kg", payload_per_launch_kg, unit="kg")
    u = non_negative("usable_volume_per_launch_m3", usable_volume_per_launch_m3, unit="m^3")
    return _ceil_count(m, p), _ceil_count(v, u)


@dataclasses.dataclass(frozen=True)
class LaunchPlan:
    """Launches for one system on one vehicle to one orbit (scalars; see :func:`launches_needed`).

    ``governed_by`` is ``"mass"`` or ``"volume"`` (``"mass"`` on a tie); ``explanation`` says
    why in one sentence. Fill fractions are of the governing number of launches.
    """

    vehicle: str
    altitude_km: float
    inclination_deg: float
    total_mass_kg: float
    total_stowed_volume_m3: float
    payload_per_launch_kg: float
    usable_volume_per_launch_m3: float
    volume_packing_efficiency: float
    launches_by_mass: int
    launches_by_volume: int
    launches: int
    governed_by: str
    mass_per_launch_kg: float
    mass_fill_fraction: float
    volume_fill_fraction: float
    price_per_launch_usd: float
    cost_usd: float
    cost_per_kg_usd: float

    @property
    def explanation(self) -> str:
        """One sentence: which constraint governs and by how much."""
        return (
            f"{self.governed_by} governs: {self.launches_by_mass} launch(es) of "
            f"{self.vehicle} by mass ({self.total_mass_kg:,.0f} kg at "
            f"{self.payload_per_launch_kg:,.0f} kg each to {self.altitude_km:g} km, "
            f"{self.inclination_deg:g} deg) and {self.launches_by_volume} by stowed volume "
            f"({self.total_stowed_volume_m3:,.1f} m^3 at {self.usable_volume_per_launch_m3:,.1f} "
            f"m^3 usable each, {self.volume_packing_efficiency:.0%} packing)"
        )


def launches_needed(
    total_mass_kg: float,
    total_stowed_volume_m3: float,
    vehicle: LaunchVehicle,
    altitude_km: float,
    inclination_deg: float,
    volume_packing_efficiency: float = DEFAULT_VOLUME_PACKING_EFFICIENCY,
    price_usd: float | None = None,
) -> LaunchPlan:
    """Launches to put a system's mass and stowed volume into a circular orbit.

    Parameters
    ----------
    total_mass_kg : float
        Everything to launch, dispensers and adapters included [kg].
    total_stowed_volume_m3 : float
        Its stowed volume [m^3].
    vehicle : LaunchVehicle
    altitude_km, inclination_deg : float
        Target circular orbit [km], [deg].
    volume_packing_efficiency : float
        Share of the usable fairing volume stowed hardware fills, in (0, 1].
    price_usd : float, optional
        Price per launch; default the catalog price.

    Raises
    ------
    ValueError
        Bad arguments, or the vehicle cannot reach the orbit (zero payload).
    """
    if not 0.0 < volume_packing_efficiency <= 1.0:
        raise ValueError(
            f"volume_packing_efficiency must be in (0, 1], got {volume_packing_efficiency!r}"
        )
    price = vehicle.price_usd if price_usd is None else float(price_usd)
    if not (math.isfinite(price) and price >= 0.0):
        raise ValueError(f"price_usd must be finite and >= 0 USD, got {price_usd!r}")
    payload = float(payload_to_orbit_kg(vehicle, altitude_km, inclination_deg))
    usable = vehicle.fairing_volume_m3 * volume_packing_efficiency
    by_mass_a, by_volume_a = launch_counts(total_mass_kg, total_stowed_volume_m3, payload, usable)
    if np.isnan(by_mass_a):
        raise ValueError(
            f"{vehicle.name} cannot reach {altitude_km:g} km at {inclination_deg:g} deg "
            "(zero payload); choose another vehicle or orbit"
        )
    by_mass, by_volume = int(by_mass_a), int(by_volume_a)
    n = max(by_mass, by_volume)
    mass, volume = float(total_mass_kg), float(total_stowed_volume_m3)
    cost = n * price
    return LaunchPlan(
        vehicle=vehicle.name,
        altitude_km=float(altitude_km),
        inclination_deg=float(inclination_deg),
        total_mass_kg=mass,
        total_stowed_volume_m3=volume,
        payload_per_launch_kg=payload,
        usable_volume_per_launch_m3=usable,
        volume_packing_efficiency=float(volume_packing_efficiency),
        launches_by_mass=by_mass,
        launches_by_volume=by_volume,
        launches=n,
        governed_by="mass" if by_mass >= by_volume else "volume",
        mass_per_launch_kg=mass / n if n else 0.0,
        mass_fill_fraction=mass / (n * payload) if n else 0.0,
        volume_fill_fraction=volume / (n * usable) if n else 0.0,
        price_per_launch_usd=price,
        cost_usd=cost,
        cost_per_kg_usd=cost / mass if mass > 0.0 else math.nan,
    )


def deployment_time_yr(launches: ArrayLike, cadence_per_yr: ArrayLike) -> NDArray[np.float64]:
    """Time to fly ``launches`` at ``cadence_per_yr`` [yr]: :math:`N / c` (broadcasting)."""
    n = non_negative("launches", launches)
    c = positive("cadence_per_yr", cadence_per_yr, unit="per year")
    return np.asarray(n / c, dtype=np.float64)


def cumulative_launches(
    t_yr: ArrayLike, launches: ArrayLike, cadence_per_yr: ArrayLike
) -> NDArray[np.float64]:
    """Launches flown by ``t_yr``: :math:`\\min(N, \\lfloor c\\,t \\rfloor)`, 0 before t = 0."""
    t = np.asarray(t_yr, dtype=np.float64)
    if not np.all(np.isfinite(t)):
        raise ValueError("t_yr must be finite")
    n = non_negative("launches", launches)
    c = positive("cadence_per_yr", cadence_per_yr, unit="per year")
    flown = np.floor(np.maximum(t, 0.0) * c * (1.0 + _CEIL_SLACK))
    return np.asarray(np.minimum(n, flown), dtype=np.float64)


@dataclasses.dataclass(frozen=True)
class DeploymentSchedule:
    """Launches over time at a constant cadence (see :func:`deployment_schedule`)."""

    launches: int
    cadence_per_yr: float
    duration_yr: float
    t_yr: NDArray[np.float64]
    cumulative_launches: NDArray[np.float64]
    deployed_fraction: NDArray[np.float64]


def deployment_schedule(
    launches: int, cadence_per_yr: float, n_steps: int = 101
) -> DeploymentSchedule:
    """Time to deploy and cumulative launches on ``n_steps`` points from 0 to the end.

    Parameters
    ----------
    launches : int
        Launches to fly (e.g. ``LaunchPlan.launches``), >= 0.
    cadence_per_yr : float
        Launches per year available to this system, > 0 (a vehicle's cadence is shared with its
        other customers: pass the share).
    n_steps : int
        Points of the time grid, >= 2.
    """
    if int(launches) != launches or launches < 0:
        raise ValueError(f"launches must be a whole number >= 0, got {launches!r}")
    if int(n_steps) != n_steps or n_steps < 2:
        raise ValueError(f"n_steps must be a whole number >= 2, got {n_steps!r}")
    duration = float(deployment_time_yr(launches, cadence_per_yr))
    t = np.linspace(0.0, duration, int(n_steps))
    flown = cumulative_launches(t, launches, cadence_per_yr)
    fraction = flown / launches if launches else np.ones_like(t)
    return DeploymentSchedule(
        launches=int(launches),
        cadence_per_yr=float(cadence_per_yr),
        duration_yr=duration,
        t_yr=t,
        cumulative_launches=flown,
        deployed_fraction=np.asarray(fraction, dtype=np.float64),
    )


def power_deployed_per_launch_w(
    mass_per_launch_kg: ArrayLike, it_power_w_per_kg: ArrayLike
) -> NDArray[np.float64]:
    """IT power carried by one launch [W]: mass per launch times IT power per kg of satellite."""
    m = non_negative("mass_per_launch_kg", mass_per_launch_kg, unit="kg")
    s = non_negative("it_power_w_per_kg", it_power_w_per_kg, unit="W/kg")
    return np.asarray(m * s, dtype=np.float64)


def power_deployed_per_year_w(
    mass_per_launch_kg: ArrayLike, it_power_w_per_kg: ArrayLike, launches_per_yr: ArrayLike
) -> NDArray[np.float64]:
    """IT power added per year [W/yr] at ``launches_per_yr`` ("GW per year at N launches")."""
    n = non_negative("launches_per_yr", launches_per_yr, unit="per year")
    return np.asarray(power_deployed_per_launch_w(mass_per_launch_kg, it_power_w_per_kg) * n)


def launches_per_year_for_power(
    power_per_yr_w: ArrayLike, mass_per_launch_kg: ArrayLike, it_power_w_per_kg: ArrayLike
) -> NDArray[np.float64]:
    """Launches per year to add ``power_per_yr_w`` of IT power a year (not rounded)."""
    p = non_negative("power_per_yr_w", power_per_yr_w, unit="W/yr")
    per_launch = positive(
        "IT power per launch (mass_per_launch_kg * it_power_w_per_kg)",
        power_deployed_per_launch_w(mass_per_launch_kg, it_power_w_per_kg),
        unit="W",
    )
    return np.asarray(p / per_launch, dtype=np.float64)
