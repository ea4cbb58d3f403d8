"""Stage ``sizing``: every shell's satellites, the fleet totals, the launches, the deployment
time, and the distributed-vs-centralized comparison.

Each shell is sized for its own design orbit, taken from the eclipse-season survey of its planes
(the longest eclipse of the year for the battery, the least favourable beta angle of the year for
the array, the annual sunlit fraction for energy). The centralized alternative puts the same IT
power on one station in the first shell's orbit, sized by the same models.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from skydc._args import FieldError
from skydc.constants import (
    AU_M,
    EARTH_MU_M3_S2,
    EARTH_RADIUS_M,
    SECONDS_PER_DAY,
    TROPICAL_YEAR_DAYS,
)
from skydc.deployment.launch import get_launch_vehicle
from skydc.deployment.manifest import (
    LaunchPlan,
    deployment_time_yr,
    get_dispenser,
    launches_needed,
    pack_satellites,
)
from skydc.environment.seasons import EclipseSeasons
from skydc.errors import ScenarioError
from skydc.pipeline.base import Context, OutputDisplay, Stage
from skydc.pipeline.constellation import ConstellationOutput
from skydc.pipeline.seasons import SeasonsOutput
from skydc.pipeline.shells import ShellSatellites
from skydc.scenario.load import LoadedScenario
from skydc.scenario.models import SpacecraftOptions
from skydc.spacecraft.assembly import AssemblyPlan, default_assembly, plan_assembly
from skydc.spacecraft.budget import DesignOrbit, SatelliteSizing, size_satellites, summary
from skydc.spacecraft.orbit_profile import ALUMINIUM_SPECIFIC_HEAT_J_KG_K, orbit_profile
from skydc.spacecraft.power import cos_incidence, earth_sun_distance_m, solar_irradiance_w_m2
from skydc.spacecraft.presets import PresetError, Technology, load_technology
from skydc.spacecraft.propulsion import (
    density_altitude_range_km,
    solar_activity_for_mission,
    thruster_names,
)
from skydc.spacecraft.radiation import RadiationEnvironment
from skydc.spacecraft.thermal import radiator_equilibrium_temperature_k


@functools.lru_cache(maxsize=32)
def _technology(preset: str, overrides_json: str) -> Technology:
    """A preset's models with its overrides (JSON text), built once (every model is frozen):
    a study's points check and size the same technology again and again."""
    return load_technology(preset, json.loads(overrides_json))


def technology_for(loaded: LoadedScenario) -> Technology:
    """The scenario's technology preset with its overrides, as a :class:`ScenarioError` if bad."""
    sc = loaded.scenario.spacecraft
    try:
        overrides = sc.technology_overrides()
        try:
            text = json.dumps(overrides, sort_keys=True)
        except TypeError:  # not plain data (cannot be from TOML): built without the cache
            tech = load_technology(sc.preset, overrides)
        else:
            tech = _technology(sc.preset, text)
    except PresetError as exc:
        field = f"spacecraft.{exc.field}" if exc.field else "spacecraft"
        raise ScenarioError(str(exc), file=loaded.source, field=field) from None
    if tech.bus.thruster not in thruster_names():
        raise ScenarioError(
            f"unknown thruster {tech.bus.thruster!r}; allowed: {', '.join(thruster_names())}",
            file=loaded.source,
            field="spacecraft.bus.thruster",
        )
    return tech


def design_orbit(
    shell: ShellSatellites,
    seasons: EclipseSeasons,
    attitude: str,
    epoch_jd: float | None = None,
    path_efficiencies: tuple[float, float] = (1.0, 1.0),
) -> DesignOrbit:
    """The environment a shell's satellites are sized for (worst plane, worst day).

    The battery takes the longest eclipse of the survey. The array takes the *design day*: the
    plane-day that needs the most array area per watt of load, SMAD eq. 11-5's
    :math:`(T_e/X_e + T_d/X_d)/T_d` over the irradiance :math:`S_0 (AU/d)^2` on that day
    (``epoch_jd`` + the survey's day offsets; 1 AU without an epoch) and the attitude's mean
    incidence at that day's beta angle.
    """
    a_m = float(np.mean(shell.elements.a_m))
    period = 2.0 * math.pi * math.sqrt(a_m**3 / EARTH_MU_M3_S2)
    eclipse = np.atleast_2d(seasons.eclipse_s)
    beta = np.radians(np.atleast_2d(seasons.beta_deg))
    daylight_s = period - eclipse
    incidence = cos_incidence(attitude, beta, sunlit_fraction=daylight_s / period)
    if epoch_jd is None:
        distance = np.full(eclipse.shape[-1], AU_M)
    else:
        distance = np.atleast_1d(earth_sun_distance_m(epoch_jd + seasons.day_offsets))
    irradiance = solar_irradiance_w_m2(distance)[None, :]
    xe, xd = path_efficiencies
    need = (eclipse / xe + daylight_s / xd) / daylight_s  # SMAD eq. 11-5 per W of load
    with np.errstate(divide="ignore"):
        area_per_w = np.where(incidence > 0.0, need / (irradiance * incidence), np.inf)
    worst = np.unravel_index(int(np.argmax(area_per_w)), area_per_w.shape)
    orbits_per_year = TROPICAL_YEAR_DAYS * SECONDS_PER_DAY / period
    return DesignOrbit(
        altitude_km=(a_m - EARTH_RADIUS_M) / 1e3,
        inclination_deg=float(np.degrees(np.mean(shell.elements.i_rad))),
        period_s=period,
        design_eclipse_s=float(eclipse.max()),
        eclipses_per_year=float(np.mean(eclipse > 0.0)) * orbits_per_year,
        sunlit_fraction=float(1.0 - np.mean(eclipse) / period),
        beta_rad=float(beta[worst]),
        sun_distance_m=float(distance[worst[-1]]),
        array_eclipse_s=float(eclipse[worst]),
    )


@dataclass(frozen=True, repr=False)
class SizingOutput(OutputDisplay):
    """The sized system: per-shell satellites, totals, launches and the architecture comparison.

    ``satellites[shell]`` is the :class:`~skydc.spacecraft.budget.SatelliteSizing` of one
    satellite of that shell (``result["sizing"].satellites["dd650"].radiator_area_m2``).
    """

    technology: Technology
    satellites: dict[str, SatelliteSizing]
    counts: dict[str, int]
    orbits: dict[str, DesignOrbit]
    launch_plans: dict[str, LaunchPlan]
    centralized: SatelliteSizing
    centralized_launches: LaunchPlan
    cadence_per_yr: float
    spacecraft: SpacecraftOptions
    launch_vehicle: str
    centralized_assembly: AssemblyPlan | None = None
    mission_start_utc: datetime | None = None  # scenario epoch: the radiation's mission years

    @property
    def it_power_w(self) -> float:
        """Fleet IT power [W]."""
        return sum(s.it_power_w * self.counts[k] for k, s in self.satellites.items())

    @property
    def n_satellites(self) -> int:
        """Satellites in the fleet."""
        return sum(self.counts.values())

    @property
    def n_accelerators(self) -> int:
        """Accelerators in the fleet."""
        return sum(s.n_accelerators * self.counts[k] for k, s in self.satellites.items())

    def total(self, attribute: str) -> float:
        """A per-satellite quantity summed over the fleet."""
        return sum(
            float(getattr(s, attribute)) * self.counts[k] for k, s in self.satellites.items()
        )

    def mass_breakdown_kg(self) -> dict[str, float]:
        """Fleet mass by subsystem [kg]."""
        lines = next(iter(self.satellites.values())).mass_kg
        return {
            line: sum(s.mass_kg[line] * self.counts[k] for k, s in self.satellites.items())
            for line in lines
        }

    @property
    def launches(self) -> int:
        """Launches for the whole fleet (each shell launched to its own orbit)."""
        return sum(int(p.launches) for p in self.launch_plans.values())

    def metrics(self) -> dict[str, Any]:
        """``sizing``, ``power``, ``thermal`` and ``radiation`` groups."""
        return sizing_metrics(self)

    def tables(self) -> dict[str, pa.Table]:
        """``mass_breakdown``: per satellite, fleet and centralized station, by subsystem;
        ``design_orbit``: :meth:`design_orbit_table`."""
        rows: dict[str, list[Any]] = {
            "shell": [], "line": [], "mass_kg_per_unit": [], "mass_kg_total": [],
        }  # fmt: skip
        for name, sat in [*self.satellites.items(), ("centralized", self.centralized)]:
            n = self.counts.get(name, 1)
            for line, kg in sat.mass_kg.items():
                rows["shell"].append(name)
                rows["line"].append(line)
                rows["mass_kg_per_unit"].append(kg)
                rows["mass_kg_total"].append(kg * n)
        return {"mass_breakdown": pa.table(rows), "design_orbit": self.design_orbit_table()}

    def design_orbit_table(self) -> pa.Table:
        """``design_orbit``: one satellite of each shell through its battery's design orbit
        (the longest eclipse), from eclipse entry (:mod:`skydc.spacecraft.orbit_profile`)."""
        cols: dict[str, list[Any]] = {k: [] for k in (
            "shell", "t_s", "sunlit", "array_power_w", "load_w", "battery_soc",
            "radiator_temperature_k")}  # fmt: skip
        for name, sat in self.satellites.items():
            orbit, rad = self.orbits[name], sat.radiator
            prof = orbit_profile(
                period_s=orbit.period_s, eclipse_s=orbit.design_eclipse_s,
                array_power_w=float(sat.power.array_power_eol_w), load_w=sat.load_w,
                battery_capacity_wh=sat.battery_capacity_wh,
                discharge_efficiency=self.technology.power.battery.discharge_efficiency,
                path_efficiencies=self.technology.power.path_efficiencies,
                radiator_equilibrium_k=(float(self.radiator_temperature_k(name, 0.0)),
                                        float(self.radiator_temperature_k(name, 1.0))),
                radiating_area_m2=float(rad.radiating_area_m2),
                emissivity=self.technology.radiator.emissivity,
                heat_capacity_j_k=float(rad.mass_kg) * ALUMINIUM_SPECIFIC_HEAT_J_KG_K,
            )  # fmt: skip
            cols["shell"] += [name] * prof.t_s.size
            for key in ("t_s", "sunlit", "array_power_w", "load_w", "battery_soc",
                        "radiator_temperature_k"):  # fmt: skip
                cols[key] += getattr(prof, key).tolist()
        return pa.table(cols)

    def radiator_temperature_k(self, shell: str, albedo_cos: Any) -> Any:
        """Quasi-steady radiator temperature [K] of a shell's satellite rejecting its full heat
        load, for an Earth-albedo cosine (1: full albedo, 0: in eclipse)."""
        rad = self.technology.radiator
        sat = self.satellites[shell]
        return radiator_equilibrium_temperature_k(
            sat.heat_w / sat.radiator_area_m2, rad.emissivity, rad.absorptivity, sun_cos=0.0,
            earth_view_factor=float(sat.radiator.earth_view_factor), albedo=rad.albedo,
            earth_temperature_k=rad.earth_temperature_k, sides=rad.sides, albedo_cos=albedo_cos,
            earth_flux_model=rad.earth_flux_model, extra_absorbed_w_m2=rad.array_ir_w_m2,
        )  # fmt: skip


# Sizing's environment models (drag table, trapped-radiation grid, circular eclipse geometry)
# cover near-circular low orbits only.
SIZABLE_ECCENTRICITY = 0.02


def _check_sizable(loaded: LoadedScenario, shells: tuple[ShellSatellites, ...]) -> None:
    """Refuse, naming the shell, an orbit the sizing models do not cover (Molniya, GTO, GEO)."""
    lo_km, hi_km = density_altitude_range_km()
    for index, shell in enumerate(shells):
        el = shell.elements
        perigee = (el.a_m * (1.0 - el.e) - EARTH_RADIUS_M) / 1e3
        apogee = (el.a_m * (1.0 + el.e) - EARTH_RADIUS_M) / 1e3
        e_max = float(np.max(el.e))
        if e_max > SIZABLE_ECCENTRICITY or perigee.min() < lo_km or apogee.max() > hi_km:
            raise ScenarioError(
                f"shell {shell.name!r} reaches perigee {perigee.min():,.0f} km and apogee "
                f"{apogee.max():,.0f} km (e up to {e_max:.3g}): sizing and cost cover "
                f"near-circular orbits (e <= {SIZABLE_ECCENTRICITY:g}) from {lo_km:,.0f} to "
                f"{hi_km:,.0f} km, where their drag, radiation and eclipse models hold; "
                "route or propagate this shell alone with `skydc network` or "
                "`skydc.run(..., stages=['sunlight'])`",
                file=loaded.source,
                field=f"shells[{index}]",
            )


def _drag_level(loaded: LoadedScenario, orbit: DesignOrbit) -> str:
    """The drag density level: as named, or (``"mission"``) the one nearest the mean density
    over the mission's years (``propulsion.solar_activity_for_mission``; a ``ValueError`` when
    the years leave the solar-cycle prediction)."""
    sc = loaded.scenario.spacecraft
    if sc.solar_activity != "mission":
        return sc.solar_activity
    epoch = loaded.scenario.epoch_utc
    start = epoch.year + (epoch.timetuple().tm_yday - 1) / 365.25
    try:
        return solar_activity_for_mission(orbit.altitude_km, start, sc.lifetime_yr)
    except ValueError as exc:  # the mission's years, not the IT power, are to blame
        raise FieldError(str(exc), field="solar_activity") from None


# The spacecraft fields that size_satellites takes as arrays over the points of a study.
_VECTOR_FIELDS = ("it_power_kw", "shield_mm_al", "lifetime_yr")


def size_fleet(
    loaded: LoadedScenario,
    shells: tuple[ShellSatellites, ...],
    seasons: SeasonsOutput,
    epoch_jd: float | None = None,
) -> SizingOutput:
    """Size every shell and the fleet, launches and the centralized alternative.

    ``epoch_jd`` (UTC Julian date of the survey's day 0) places each design day in the year
    for its distance from the Sun; without it the array is sized at 1 AU.
    """
    return size_fleets([loaded], shells, seasons, epoch_jd)[0]


def _shared_inputs(loaded: LoadedScenario) -> str:
    """What sizing reads but the fields it takes as arrays (``_VECTOR_FIELDS``)."""
    sc = loaded.scenario.spacecraft.model_dump(mode="json", exclude=set(_VECTOR_FIELDS))
    dep = loaded.scenario.deployment.model_dump(mode="json")
    return repr((sc, dep, str(loaded.base_dir), loaded.scenario.epoch_utc))


def size_fleets(
    points: Sequence[LoadedScenario],
    shells: tuple[ShellSatellites, ...],
    seasons: SeasonsOutput,
    epoch_jd: float | None = None,
) -> list[SizingOutput]:
    """:func:`size_fleet` of each of ``points``, scenarios that differ only in the spacecraft's
    IT power, shielding or life (a study's points; the same constellation and seasons): each
    shell's satellites, and the stations, sized in one array pass (``size_satellites``),
    launches and assembly point by point. A ``ValueError`` where the points differ in anything
    else, or where a model refuses one of several points (each point then runs on its own and
    gets its own message); a single point's refusal is its ``ScenarioError``."""
    if not points:
        return []
    loaded = points[0]
    many = len(points) > 1
    if many and len({_shared_inputs(p) for p in points}) > 1:
        raise ValueError("the points differ in more than the spacecraft's vectorised fields")
    scenario = loaded.scenario
    for point in points:
        _check_sizable(point, shells)
    scs = [p.scenario.spacecraft for p in points]
    sc, dep = scenario.spacecraft, scenario.deployment
    tech = technology_for(loaded)
    vehicle = get_launch_vehicle(dep.launch_vehicle)
    attitude = tech.power.array.attitude
    shield = np.array([s.shield_mm_al for s in scs])
    life = np.array([s.lifetime_yr for s in scs])

    def size(
        it_w: NDArray[np.float64], orbit: DesignOrbit, technology: Technology, field: str
    ) -> list[SatelliteSizing]:
        levels = {_drag_level(p, orbit) for p in points}
        if len(levels) > 1:
            raise ValueError("the points' mission years give different drag levels")
        try:
            return size_satellites(
                it_w, technology, sc.accelerator, orbit, lifetime_yr=life, shield_mm_al=shield,
                solar_activity=levels.pop(),
            )  # fmt: skip
        except FieldError as exc:  # the kernel knows which input is to blame
            if many:
                raise ValueError(str(exc)) from None
            raise ScenarioError(
                str(exc), file=loaded.source, field=f"spacecraft.{exc.field}"
            ) from None
        except ValueError as exc:
            if many:
                raise
            raise ScenarioError(str(exc), file=loaded.source, field=field) from None

    dispenser = get_dispenser(dep.dispenser)

    def plan(sat: SatelliteSizing, n: int, orbit: DesignOrbit) -> LaunchPlan:
        try:  # whole satellites per launch, each launch with its dispenser
            return pack_satellites(
                n, sat.total_mass_kg, sat.stowed_volume_m3, vehicle, orbit.altitude_km,
                orbit.inclination_deg, dispenser,
                volume_packing_efficiency=dep.volume_packing_efficiency, price_usd=dep.price_usd,
            )  # fmt: skip
        except ValueError as exc:
            if "does not fit one" not in str(exc):
                raise ScenarioError(str(exc), file=loaded.source, field="deployment") from None
        # one satellite is larger than a launch: it goes up in modules, like the station
        # (in-space assembly is not modelled; the plan has no satellites per launch)
        return plan_modules(sat.total_mass_kg * n, sat.stowed_volume_m3 * n, orbit)

    def plan_modules(mass: float, volume: float, orbit: DesignOrbit) -> LaunchPlan:
        try:  # a station goes up in modules: divisible, with the dispenser's adapter share
            return launches_needed(
                mass, volume, vehicle, orbit.altitude_km, orbit.inclination_deg,
                volume_packing_efficiency=dep.volume_packing_efficiency, price_usd=dep.price_usd,
                dispenser=dispenser,
            )  # fmt: skip
        except ValueError as exc:
            raise ScenarioError(str(exc), file=loaded.source, field="deployment") from None

    it_w = np.array([s.it_power_kw * 1e3 for s in scs])
    sats: list[dict[str, SatelliteSizing]] = [{} for _ in points]
    orbits: dict[str, DesignOrbit] = {}
    plans: list[dict[str, LaunchPlan]] = [{} for _ in points]
    counts = {s.name: s.n_sat for s in shells}
    for shell in shells:
        orbit = design_orbit(
            shell, seasons[shell.name], attitude, epoch_jd, tech.power.path_efficiencies
        )
        orbits[shell.name] = orbit
        for k, sat in enumerate(size(it_w, orbit, tech, "spacecraft.it_power_kw")):
            sats[k][shell.name] = sat
            plans[k][shell.name] = plan(sat, counts[shell.name], orbit)

    # One station of the same IT power in the first shell's orbit: one bus, the same models.
    first = orbits[shells[0].name]
    it_total = np.array([sum(sat[k].it_power_w * counts[k] for k in sat) for sat in sats])
    stations = size(it_total, first, tech, "spacecraft")
    cadence = (
        dep.cadence_per_yr if dep.cadence_per_yr is not None else vehicle.cadence_current_per_yr
    )
    out = []
    for k, station in enumerate(stations):
        # in-space assembly: berthing interfaces on every whole module, the robot, one module
        # a launch (spacecraft/assembly.py)
        bare_plan = plan_modules(station.total_mass_kg, station.stowed_volume_m3, first)
        try:
            assembly = plan_assembly(
                station.total_mass_kg, station.stowed_volume_m3, bare_plan.payload_per_launch_kg,
                bare_plan.usable_volume_per_launch_m3, float(cadence), default_assembly(),
            )  # fmt: skip
        except ValueError as exc:
            raise ScenarioError(str(exc), file=loaded.source, field="deployment") from None
        station = dataclasses.replace(
            station,
            mass_kg={
                **station.mass_kg,
                "assembly_interfaces": assembly.interface_mass_kg,
                "assembly_robot": assembly.robot_mass_kg,
            },
        )
        station_plan = plan_modules(station.total_mass_kg, station.stowed_volume_m3, first)
        if assembly.launches > station_plan.launches:  # whole modules, one per launch
            station_plan = dataclasses.replace(station_plan, launches=assembly.launches)
        out.append(
            SizingOutput(
                technology=tech,
                satellites=sats[k],
                counts=counts,
                orbits=orbits,
                launch_plans=plans[k],
                centralized=station,
                centralized_launches=station_plan,
                cadence_per_yr=float(cadence),
                spacecraft=scs[k],
                launch_vehicle=dep.launch_vehicle,
                centralized_assembly=assembly,
                mission_start_utc=loaded.scenario.epoch_utc,
            )
        )
    return out


def _plan_metrics(plan: LaunchPlan) -> dict[str, Any]:
    out: dict[str, Any] = {
        "launches": int(plan.launches),
        "launches_by_mass": int(plan.launches_by_mass),
        "launches_by_volume": int(plan.launches_by_volume),
        "governed_by": plan.governed_by,
        "payload_per_launch_kg": float(plan.payload_per_launch_kg),
        "dispenser": plan.dispenser,
        "dispenser_mass_kg": float(plan.dispenser_mass_kg),
        "explanation": plan.explanation,
    }
    if plan.satellites:
        out["satellites_per_launch"] = int(plan.satellites_per_launch)
    return out


def sizing_metrics(fleet: SizingOutput) -> dict[str, Any]:
    """``metrics.json`` entries: ``sizing``, ``power``, ``thermal``, ``radiation``."""
    sc = fleet.spacecraft
    total_mass = fleet.total("total_mass_kg")
    launches = fleet.launches
    by_mass = sum(int(p.launches_by_mass) for p in fleet.launch_plans.values())
    by_volume = sum(int(p.launches_by_volume) for p in fleet.launch_plans.values())
    it_w = fleet.it_power_w
    per_launch_w = it_w / launches if launches else float("nan")
    radiation: dict[str, Any] = {}
    for name, orbit in fleet.orbits.items():
        env = RadiationEnvironment.for_mission(
            orbit.altitude_km, orbit.inclination_deg, sc.shield_mm_al,
            fleet.mission_start_utc, sc.lifetime_yr,
        )  # fmt: skip
        rates = env.fault_rates(fleet.satellites[name].payload.accelerator, sc.lifetime_yr)
        radiation[name] = {
            k: v for k, v in dataclasses.asdict(rates).items() if not isinstance(v, str)
        } | {"see_basis": rates.see_basis}

    def fleet_sum(get: Any) -> float:
        return sum(float(get(s)) * fleet.counts[k] for k, s in fleet.satellites.items())

    return {
        "sizing": {
            "preset": fleet.technology.name,
            "accelerator": sc.accelerator,
            "architecture": sc.architecture,
            "launch_vehicle": fleet.launch_vehicle,
            "satellites": fleet.n_satellites,
            "accelerators": fleet.n_accelerators,
            "it_power_w": it_w,
            "total_mass_kg": total_mass,
            "dry_mass_kg": fleet.total("dry_mass_kg"),
            "stowed_volume_m3": fleet.total("stowed_volume_m3"),
            "it_power_per_mass_w_kg": it_w / total_mass,
            "mass_breakdown_kg": fleet.mass_breakdown_kg(),
            "launches": launches,
            "launches_by_mass": by_mass,
            "launches_by_volume": by_volume,
            "governed_by": "volume" if by_volume > by_mass else "mass",
            "cadence_per_yr": fleet.cadence_per_yr,
            "deployment_time_yr": float(deployment_time_yr(launches, fleet.cadence_per_yr)),
            "it_power_per_launch_w": per_launch_w,
            "it_power_per_year_w": per_launch_w * fleet.cadence_per_yr,
            "per_satellite": {k: summary(s) for k, s in fleet.satellites.items()},
            "launch_plans": {k: _plan_metrics(p) for k, p in fleet.launch_plans.items()},
            "design_orbits": {k: dataclasses.asdict(o) for k, o in fleet.orbits.items()},
            "sources": dict(fleet.technology.sources),
            "estimated": {k: list(v) for k, v in fleet.technology.estimated.items() if v},
            "centralized": {
                **summary(fleet.centralized),
                **_plan_metrics(fleet.centralized_launches),
                **(
                    {"assembly": fleet.centralized_assembly.summary()}
                    if fleet.centralized_assembly is not None
                    else {}
                ),
            },
        },
        "power": {
            "array_area_m2": fleet.total("array_area_m2"),
            "battery_capacity_wh": fleet.total("battery_capacity_wh"),
            "load_w": fleet.total("load_w"),
            "array_power_eol_w": fleet_sum(lambda s: s.power.array_power_eol_w),
            "orbit_average_w": fleet_sum(lambda s: s.power.orbit_average_power_w),
            "energy_per_year_wh": fleet_sum(lambda s: s.power.energy_per_year_wh),
        },
        "thermal": {
            "heat_w": fleet.total("heat_w"),
            "radiator_area_m2": fleet.total("radiator_area_m2"),
            "radiator_temperature_k": min(
                s.radiator_temperature_k for s in fleet.satellites.values()
            ),
            "chip_temperature_limit_k": fleet.technology.chip_temperature_limit_k,
        },
        "radiation": radiation,
    }


def run(ctx: Context, constellation: ConstellationOutput, seasons: SeasonsOutput) -> SizingOutput:
    """Size the scenario's fleet for each shell's design orbit."""
    return size_fleet(ctx.loaded, constellation.shells, seasons, constellation.epoch_jd)


def run_many(
    contexts: Sequence[Context], constellation: ConstellationOutput, seasons: SeasonsOutput
) -> list[SizingOutput]:
    """The fleets of several study points that share their constellation and seasons, sized
    together (:func:`size_fleets`; a ``ValueError`` where they cannot be)."""
    loaded = [ctx.loaded for ctx in contexts]
    return size_fleets(loaded, constellation.shells, seasons, constellation.epoch_jd)


def check(loaded: LoadedScenario) -> None:
    """The technology preset with the scenario's overrides (a bad override names its field)."""
    technology_for(loaded)


STAGE = Stage(
    name="sizing",
    requires=("constellation", "seasons"),
    run=run,
    reads=("spacecraft", "deployment"),
    check=check,
    description="satellites, fleet, launches and the centralized alternative",
    run_many=run_many,
)
