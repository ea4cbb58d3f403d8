"""Launch manifest: launches by mass and by volume, cost, time to deploy, power per launch/year.

A system of total mass :math:`M` and stowed volume :math:`V` needs
:math:`N_m = \\lceil M / P(h, i) \\rceil` launches by mass, with :math:`P` the vehicle's payload
to the target orbit (:func:`~skydc.deployment.launch.payload_to_orbit_kg`), and
:math:`N_v = \\lceil V / (\\eta V_f) \\rceil` by volume, with :math:`V_f` the usable fairing volume
and :math:`\\eta` the packing efficiency (the share of the envelope that stowed hardware can
fill). The larger governs. ``M`` must include dispensers and adapters.

Satellites are launched whole: :func:`pack_satellites` puts
:math:`n = \\min(n_m, n_v)` satellites on each launch, with

.. math:: n_m = \\left\\lfloor \\frac{P - m_0}{m_s (1 + f_m)} \\right\\rfloor, \\qquad
          n_v = \\left\\lfloor \\frac{\\eta V_f (1 - f_v)}{v_s} \\right\\rfloor,

:math:`m_s, v_s` one satellite's launch mass and stowed volume, and a :class:`Dispenser` of fixed
mass :math:`m_0`, a mass :math:`f_m` per kg of satellite (adapters, separation systems) and a
share :math:`f_v` of the usable volume (``data/dispensers.toml``, each from a flown manifest). A
fleet of :math:`N` satellites then needs :math:`\\lceil N / n \\rceil` launches, not
:math:`\\lceil N m_s / P \\rceil`: 400 satellites of 4,174 kg on 62 t launches are 29 launches
of 14, not 27.

Launches go up at a constant cadence :math:`c` per year, one every :math:`1/c` years, the first
one :math:`1/c` after the start, so :math:`N` launches take :math:`N / c` years and the count
flown by time :math:`t` is :math:`\\min(N, \\lfloor c t \\rfloor)`. IT power deployed is the
mass per launch times the IT power per kilogram of satellite: SpaceX's filing, "1 million tonnes
per year of satellites generating 100 kW of compute per tonne would add 100 GW ... annually",
is :math:`10^9\\,\\mathrm{kg} \\times 100\\,\\mathrm{W/kg} = 100\\,\\mathrm{GW}` per year.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import tomllib
from importlib.resources import files
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc._args import non_negative, positive
from skydc.deployment.launch import LaunchVehicle, payload_to_orbit_kg

__all__ = [
    "DEFAULT_DISPENSER",
    "DEFAULT_VOLUME_PACKING_EFFICIENCY",
    "DeploymentSchedule",
    "Dispenser",
    "LaunchPlan",
    "cumulative_launches",
    "deployment_schedule",
    "deployment_time_yr",
    "dispenser_names",
    "get_dispenser",
    "launch_counts",
    "launches_needed",
    "launches_per_year_for_power",
    "pack_satellites",
    "power_deployed_per_launch_w",
    "power_deployed_per_year_w",
]

# A square-section stack in a round envelope fills at most 2/pi = 0.64 of its cylinder, and the
# nose cone less: 0.6 of the usable fairing volume is the default share stowed hardware can use.
DEFAULT_VOLUME_PACKING_EFFICIENCY = 0.6
_CEIL_SLACK = 1e-9  # 3.0000000001 launches is 3 launches, not 4 (floating-point ratios)
DEFAULT_DISPENSER = "starlink-stack"
_DISPENSER_FILE = "dispensers.toml"


@dataclasses.dataclass(frozen=True)
class Dispenser:
    """Launch hardware that holds satellites in the fairing (``data/dispensers.toml``).

    Per launch it weighs ``fixed_mass_kg + mass_fraction * (satellites' mass)`` and takes
    ``volume_fraction`` of the usable fairing volume.
    """

    name: str
    description: str
    fixed_mass_kg: float
    mass_fraction: float
    volume_fraction: float
    source: str
    year: int
    estimated: tuple[str, ...] = ()
    notes: str = ""

    def __post_init__(self) -> None:
        if not (self.fixed_mass_kg >= 0.0 and math.isfinite(self.fixed_mass_kg)):
            raise ValueError(f"{self.name}: fixed_mass_kg must be >= 0 kg")
        if not 0.0 <= self.mass_fraction < 1.0:
            raise ValueError(f"{self.name}: mass_fraction must be in [0, 1)")
        if not 0.0 <= self.volume_fraction < 1.0:
            raise ValueError(f"{self.name}: volume_fraction must be in [0, 1)")

    def mass_kg(self, satellites_mass_kg: float) -> float:
        """Dispenser mass for one launch carrying ``satellites_mass_kg`` of satellites [kg]."""
        if satellites_mass_kg <= 0.0:
            return 0.0
        return self.fixed_mass_kg + self.mass_fraction * satellites_mass_kg


@functools.cache
def _dispensers() -> dict[str, Dispenser]:
    data = tomllib.loads((files("skydc") / "data" / _DISPENSER_FILE).read_text("utf-8"))
    out = {}
    for name, t in data.items():
        t = dict(t)
        t["estimated"] = tuple(t.get("estimated", ()))
        t["year"] = int(t["year"])
        out[name] = Dispenser(name=name, **t)
    return out


def dispenser_names() -> tuple[str, ...]:
    """The dispensers a scenario may name, in file order."""
    return tuple(_dispensers())


def get_dispenser(name: str) -> Dispenser:
    """The catalog dispenser called ``name``; ``ValueError`` listing the valid names otherwise."""
    catalog = _dispensers()
    if name not in catalog:
        raise ValueError(f"unknown dispenser {name!r}; allowed: {', '.join(catalog)}")
    return catalog[name]


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
        Everything to launch, dispensers included [kg] (divisible: see :func:`pack_satellites`
        for whole satellites).
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
    satellites: int = 0
    satellites_per_launch: int = 0
    satellites_per_launch_by_mass: int = 0
    satellites_per_launch_by_volume: int = 0
    dispenser: str = "none"
    dispenser_mass_kg: float = 0.0

    @property
    def explanation(self) -> str:
        """One sentence: which constraint governs and by how much."""
        if self.satellites:
            return (
                f"{self.governed_by} governs: {self.satellites_per_launch_by_mass} whole "
                f"satellite(s) per {self.vehicle} launch by mass "
                f"({self.payload_per_launch_kg:,.0f} kg each to {self.altitude_km:g} km, "
                f"{self.inclination_deg:g} deg, {self.dispenser} dispenser) and "
                f"{self.satellites_per_launch_by_volume} by stowed volume "
                f"({self.usable_volume_per_launch_m3:,.1f} m^3 usable each, "
                f"{self.volume_packing_efficiency:.0%} packing): {self.satellites} satellites in "
                f"{self.launches} launch(es) of {self.satellites_per_launch}"
            )
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
    dispenser: Dispenser | str | None = None,
) -> LaunchPlan:
    """Launches to put a divisible mass and stowed volume into a circular orbit.

    For cargo that can be split at any kilogram (modules of a station assembled in orbit,
    propellant); whole satellites go by :func:`pack_satellites`. With a ``dispenser`` (adapters
    for the modules) the mass grows by its ``mass_fraction`` (and ``fixed_mass_kg`` per launch)
    and the usable volume shrinks by its ``volume_fraction``.

    Parameters
    ----------
    total_mass_kg : float
        Everything to launch [kg], without the dispenser's mass (added here when given).
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
    disp = get_dispenser(dispenser) if isinstance(dispenser, str) else dispenser
    disp_name, disp_kg = "none", 0.0
    if disp is not None and total_mass_kg > 0.0:
        disp_name = disp.name
        usable *= 1.0 - disp.volume_fraction
        per_launch = (payload - disp.fixed_mass_kg) / (1.0 + disp.mass_fraction)
        n_guess = math.ceil(total_mass_kg / per_launch * (1.0 - _CEIL_SLACK)) if per_launch else 0
        disp_kg = disp.mass_fraction * total_mass_kg + disp.fixed_mass_kg * n_guess
        total_mass_kg = total_mass_kg + disp_kg
    by_mass_a, by_volume_a = launch_counts(total_mass_kg, total_stowed_volume_m3, payload, usable)
    if np.isnan(by_mass_a):
        raise ValueError(
            f"{vehicle.name} cannot reach {altitude_km:g} km at {inclination_deg:g} deg "
            "(zero payload); choose another vehicle or orbit"
        )
    by_mass, by_volume = int(by_mass_a), int(by_volume_a)
    mass, volume = float(total_mass_kg), float(total_stowed_volume_m3)
    return _plan(
        vehicle, altitude_km, inclination_deg, mass, volume, payload, usable,
        volume_packing_efficiency, by_mass, by_volume, price,
        dispenser=disp_name, dispenser_mass_kg=disp_kg,
    )  # fmt: skip


def pack_satellites(
    n_satellites: int,
    satellite_mass_kg: float,
    satellite_stowed_volume_m3: float,
    vehicle: LaunchVehicle,
    altitude_km: float,
    inclination_deg: float,
    dispenser: Dispenser | str = DEFAULT_DISPENSER,
    volume_packing_efficiency: float = DEFAULT_VOLUME_PACKING_EFFICIENCY,
    price_usd: float | None = None,
) -> LaunchPlan:
    """Launches for ``n_satellites`` whole satellites, each launch carrying a dispenser.

    Satellites per launch :math:`n = \\min(n_m, n_v)` (module docstring): by mass, what the
    payload to the orbit holds after the dispenser's fixed mass, each satellite weighing
    :math:`m_s (1 + f_m)` with its share of the dispenser; by volume, what the usable fairing
    volume holds after the dispenser's share. Launches :math:`\\lceil N / n \\rceil`; the
    plan's ``total_mass_kg`` is the satellites' and the dispensers' mass.

    Parameters
    ----------
    n_satellites : int
        Satellites to launch, >= 0.
    satellite_mass_kg, satellite_stowed_volume_m3 : float
        One satellite's launch (wet) mass [kg] and stowed volume [m^3], > 0.
    vehicle : LaunchVehicle
    altitude_km, inclination_deg : float
        Target circular orbit [km], [deg].
    dispenser : Dispenser or str
        Catalog name or model (:func:`get_dispenser`).
    volume_packing_efficiency : float
        Share of the usable fairing volume stowed hardware fills, in (0, 1].
    price_usd : float, optional
        Price per launch; default the catalog price.

    Raises
    ------
    ValueError
        Bad arguments, the orbit out of reach, or one satellite too heavy or too big for a launch.
    """
    if int(n_satellites) != n_satellites or n_satellites < 0:
        raise ValueError(f"n_satellites must be a whole number >= 0, got {n_satellites!r}")
    n_sat = int(n_satellites)
    if not (satellite_mass_kg > 0.0 and satellite_stowed_volume_m3 > 0.0):
        raise ValueError("satellite_mass_kg and satellite_stowed_volume_m3 must be > 0")
    if not 0.0 < volume_packing_efficiency <= 1.0:
        raise ValueError(
            f"volume_packing_efficiency must be in (0, 1], got {volume_packing_efficiency!r}"
        )
    disp = get_dispenser(dispenser) if isinstance(dispenser, str) else dispenser
    price = vehicle.price_usd if price_usd is None else float(price_usd)
    if not (math.isfinite(price) and price >= 0.0):
        raise ValueError(f"price_usd must be finite and >= 0 USD, got {price_usd!r}")
    payload = float(payload_to_orbit_kg(vehicle, altitude_km, inclination_deg))
    if payload <= 0.0:
        raise ValueError(
            f"{vehicle.name} cannot reach {altitude_km:g} km at {inclination_deg:g} deg "
            "(zero payload); choose another vehicle or orbit"
        )
    usable = vehicle.fairing_volume_m3 * volume_packing_efficiency
    m_s, v_s = float(satellite_mass_kg), float(satellite_stowed_volume_m3)
    slack = 1.0 + _CEIL_SLACK
    by_mass = max(math.floor((payload - disp.fixed_mass_kg) / (m_s * (1.0 + disp.mass_fraction))
                             * slack), 0)  # fmt: skip
    by_volume = max(math.floor(usable * (1.0 - disp.volume_fraction) / v_s * slack), 0)
    per_launch = min(by_mass, by_volume)
    if per_launch == 0 and n_sat > 0:
        what = "mass" if by_mass == 0 else "stowed volume"
        raise ValueError(
            f"one satellite ({m_s:,.0f} kg, {v_s:,.1f} m^3) does not fit one {vehicle.name} "
            f"launch by {what} ({payload:,.0f} kg, {usable:,.1f} m^3 usable with the "
            f"{disp.name} dispenser); use a larger vehicle or smaller satellites"
        )
    n_mass = -(-n_sat // by_mass) if n_sat else 0
    n_volume = -(-n_sat // by_volume) if n_sat else 0
    sat_mass, volume = n_sat * m_s, n_sat * v_s
    # each launch carries its share of satellites; the dispensers' mass follows them
    full, rest = divmod(n_sat, per_launch) if per_launch else (0, 0)
    disp_kg = full * disp.mass_kg(per_launch * m_s) + disp.mass_kg(rest * m_s)
    mass = sat_mass + disp_kg
    return _plan(
        vehicle, altitude_km, inclination_deg, mass, volume, payload, usable,
        volume_packing_efficiency, n_mass, n_volume, price,
        satellites=n_sat, satellites_per_launch=per_launch, satellites_per_launch_by_mass=by_mass,
        satellites_per_launch_by_volume=by_volume, dispenser=disp.name, dispenser_mass_kg=disp_kg,
    )  # fmt: skip


def _plan(
    vehicle: LaunchVehicle,
    altitude_km: float,
    inclination_deg: float,
    mass: float,
    volume: float,
    payload: float,
    usable: float,
    volume_packing_efficiency: float,
    n_mass: int,
    n_volume: int,
    price: float,
    **packing: Any,
) -> LaunchPlan:
    """A :class:`LaunchPlan` from launch counts by mass and by volume; the derived fields
    (governing count, fill fractions, cost) computed once for both ways of packing."""
    n = max(n_mass, n_volume)
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
        launches_by_mass=n_mass,
        launches_by_volume=n_volume,
        launches=n,
        governed_by="mass" if n_mass >= n_volume else "volume",
        mass_per_launch_kg=mass / n if n else 0.0,
        mass_fill_fraction=mass / (n * payload) if n else 0.0,
        volume_fill_fraction=volume / (n * usable) if n else 0.0,
        price_per_launch_usd=price,
        cost_usd=cost,
        cost_per_kg_usd=cost / mass if mass > 0.0 else math.nan,
        **packing,
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
