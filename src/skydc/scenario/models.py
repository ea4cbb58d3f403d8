"""Typed scenario models: what a scenario TOML file may say, validated by pydantic.

User-facing units are the ones people write (km, deg, hours, seconds); they are converted to SI
once, by the ``*_m`` / ``*_rad`` properties, at this boundary. Every model forbids unknown keys.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    ValidationInfo,
    field_validator,
    model_validator,
)

from skydc.constants import EARTH_RADIUS_M, MAX_ALTITUDE_KM, MIN_ALTITUDE_KM
from skydc.deployment.launch import launch_vehicle_names
from skydc.deployment.manifest import DEFAULT_DISPENSER, dispenser_names
from skydc.economics.delivered import traffic_class_names
from skydc.economics.ground import region_names
from skydc.network.terminals import load_terminals
from skydc.operations.scheduler import policy_names
from skydc.orbits.constellation import sso_inclination_rad
from skydc.spacecraft.payload import load_accelerators
from skydc.spacecraft.presets import preset_names

NAME_MAX_CHARS = 100  # scenario and shell names: they name files and table rows

# The Sun ephemeris is checked against JPL DE421 over 1950-2100 (tests/environment); the first
# artificial satellite flew on 1957-10-04.
EPOCH_MIN_UTC = datetime(1957, 10, 4, tzinfo=UTC)
EPOCH_MAX_UTC = datetime(2100, 1, 1, tzinfo=UTC)

Altitude_km = Annotated[
    float,
    Field(
        ge=MIN_ALTITUDE_KM,
        le=MAX_ALTITUDE_KM,
        description=f"mean altitude above the equatorial radius [km], {MIN_ALTITUDE_KM:g} to "
        f"{MAX_ALTITUDE_KM:g}",
    ),
]
Count = Annotated[int, Field(gt=0, strict=True)]


class _Model(BaseModel):
    # Strict types, like the file: a boolean is not a number, a number is not a date or a string,
    # "yes" is not true; NaN and infinity are refused (TOML can write them).
    model_config = ConfigDict(
        extra="forbid", frozen=True, validate_default=True, strict=True, allow_inf_nan=False
    )


class _CircularShell(_Model):
    """Fields common to the generated (circular) shells."""

    name: str = Field(min_length=1, max_length=NAME_MAX_CHARS)
    altitude_km: Altitude_km
    planes: Count
    sats_per_plane: Count
    phasing: int = Field(
        default=0, ge=0, description="Walker phasing F, 0 <= F < planes", strict=True
    )

    @field_validator("phasing")
    @classmethod
    def _phasing_below_planes(cls, v: int, info: ValidationInfo) -> int:
        planes = info.data.get("planes")
        if isinstance(planes, int) and v >= planes:
            raise ValueError(f"Walker phasing F must be 0 <= F < planes ({planes}); got {v}")
        return v

    @property
    def satellites(self) -> int:
        """Number of satellites in the shell."""
        return self.planes * self.sats_per_plane

    @property
    def a_m(self) -> float:
        """Semi-major axis [m]."""
        return EARTH_RADIUS_M + self.altitude_km * 1e3


class WalkerShell(_CircularShell):
    """A Walker constellation i:t/p/f: ``walker-delta`` (nodes over 360 deg) or ``walker-star``
    (nodes over 180 deg, for polar shells)."""

    type: Literal["walker-delta", "walker-star"]
    inclination_deg: float = Field(ge=0.0, le=180.0)
    raan0_deg: float = Field(default=0.0, ge=-360.0, le=360.0)
    slot_numbering: Literal["walker", "satgenpy"] = Field(
        default="walker",
        description="which satellite of a plane is slot 0: Walker's u = 2 pi (k/s + f j/t), or "
        "satgenpy's first at or after the ascending node (docs/network.md)",
    )

    @property
    def i_rad(self) -> float:
        """Inclination [rad]."""
        return math.radians(self.inclination_deg)


class SunSynchronousShell(_CircularShell):
    """A sun-synchronous shell: inclination derived from altitude (J2 nodal rate = 360 deg per
    tropical year), planes placed by local time of the ascending node (LTAN, hours; 6 or 18 is
    dawn-dusk). With several planes, LTANs are spread evenly over ``ltan_spread_h`` centred on
    ``ltan_h`` (24 spreads them all round the clock)."""

    type: Literal["sso"]
    ltan_h: float = Field(ge=0.0, lt=24.0)
    ltan_spread_h: float = Field(default=0.0, ge=0.0, le=24.0)

    @field_validator("altitude_km")
    @classmethod
    def _sso_solution_exists(cls, v: float) -> float:

        if math.isnan(float(sso_inclination_rad(EARTH_RADIUS_M + v * 1e3))):
            raise ValueError(
                f"no sun-synchronous orbit exists at {v:g} km: the J2 nodal rate is too slow above "
                "about 5,970 km (circular); choose a lower altitude"
            )
        return v

    @property
    def i_rad(self) -> float:
        """Sun-synchronous inclination [rad]."""

        return float(sso_inclination_rad(self.a_m))

    @property
    def inclination_deg(self) -> float:
        """Sun-synchronous inclination [deg]."""
        return math.degrees(self.i_rad)


class CatalogShell(_Model):
    """Satellites read from a file: two/three-line element sets (``tle``) or CCSDS OMM in JSON,
    XML or CSV (``omm``). ``file`` is relative to the scenario file. Propagated with SGP4."""

    type: Literal["tle", "omm"]
    name: str = Field(min_length=1, max_length=NAME_MAX_CHARS)
    file: str = Field(min_length=1, max_length=4096)
    planes: int | None = Field(
        default=None, gt=0, strict=True,
        description="declared planes: the file lists satellites plane by plane, slot by slot "
        "(default: inferred from inclination and RAAN, or a Hypatia tles.txt header)",
    )  # fmt: skip
    sats_per_plane: int | None = Field(default=None, gt=0, strict=True)
    slot_numbering: Literal["walker", "satgenpy"] = Field(
        default="walker", description="slot 0 of each inferred plane (docs/network.md)"
    )

    @model_validator(mode="after")
    def _planes_together(self) -> CatalogShell:
        if (self.planes is None) != (self.sats_per_plane is None):
            raise ValueError("declare both planes and sats_per_plane, or neither")
        return self


Shell = Annotated[
    WalkerShell | SunSynchronousShell | CatalogShell,
    Field(discriminator="type"),
]

SHELL_TYPES = ("walker-delta", "walker-star", "sso", "tle", "omm")


class SeasonsOptions(_Model):
    """The eclipse-season survey (analytic beta-angle model over a year)."""

    days: int = Field(default=365, gt=0, le=3660, strict=True)
    step_days: float = Field(default=1.0, gt=0.0, le=30.0)


class OutputOptions(_Model):
    """What the run folder holds besides metrics and the report."""

    ground_track_satellites: int = Field(default=3, ge=0, le=100, strict=True)
    snapshot_satellites: int = Field(default=5000, ge=0, le=100_000, strict=True)


class ComputeOptions(_Model):
    """How the run is evaluated; results do not depend on these beyond round-off."""

    backend: Literal["auto", "numpy", "numba"] = "auto"
    memory_budget_mb: float = Field(default=1024.0, ge=64.0, le=65536.0)


TechOverrides = dict[str, float | int | str | bool]


class SpacecraftOptions(_Model):
    """What each satellite carries and which technologies build it (issue #3).

    ``preset`` names a technology set in ``data/presets.toml``; the tables ``solar_array``,
    ``battery``, ``radiator``, ``heat_transport`` and ``bus`` override single values of it.
    """

    preset: str = "starlink-v2-mini"
    it_power_kw: float = Field(
        default=100.0, gt=0.0, le=1e7, description="IT power per satellite [kW]"
    )
    accelerator: str = "b200"
    lifetime_yr: float = Field(default=5.0, gt=0.0, le=30.0)
    shield_mm_al: float = Field(default=10.0, ge=0.0, le=100.0)
    reliability_fallback: bool = Field(
        default=False,
        description="fill the accelerator's unknown reliability figures (single-event "
        "cross-sections, field failure rate) from the sourced stand-in the catalog names",
    )
    solar_activity: Literal["low", "moderate", "high", "mission"] = Field(
        default="moderate",
        description='thermosphere density level for drag; "mission": the level nearest the '
        "mean density over epoch_utc + lifetime_yr on the solar-cycle prediction",
    )
    architecture: Literal["distributed", "centralized"] = "distributed"
    chip_temperature_limit_k: float | None = Field(default=None, gt=200.0, lt=500.0)
    regulation: Literal["direct-energy-transfer", "peak-power-tracking"] | None = None
    power_margin: float | None = Field(
        default=None,
        ge=0.0,
        lt=1.0,
        description="array power margin over the design day's end-of-life need (preset default)",
    )
    eclipse_path_efficiency: float | None = Field(
        default=None,
        gt=0.0,
        le=1.0,
        description="array -> battery -> loads efficiency, SMAD's X_e (preset default)",
    )
    daylight_path_efficiency: float | None = Field(
        default=None,
        gt=0.0,
        le=1.0,
        description="array -> loads efficiency in daylight, SMAD's X_d (preset default)",
    )
    solar_array: TechOverrides = {}
    battery: TechOverrides = {}
    radiator: TechOverrides = {}
    heat_transport: TechOverrides = {}
    bus: TechOverrides = {}

    @field_validator("preset")
    @classmethod
    def _known_preset(cls, v: str) -> str:

        if v not in preset_names():
            raise ValueError(
                f"unknown technology preset {v!r}; allowed: {', '.join(preset_names())}"
            )
        return v

    @field_validator("accelerator")
    @classmethod
    def _known_accelerator(cls, v: str) -> str:

        names = list(load_accelerators())
        if v not in names:
            raise ValueError(f"unknown accelerator {v!r}; allowed: {', '.join(names)}")
        return v

    def technology_overrides(self) -> dict[str, object]:
        """The overrides in the form :func:`skydc.spacecraft.presets.load_technology` takes."""
        out: dict[str, object] = {
            k: getattr(self, k)
            for k in ("solar_array", "battery", "radiator", "heat_transport", "bus")
            if getattr(self, k)
        }
        if self.chip_temperature_limit_k is not None:
            out["chip_temperature_limit_k"] = self.chip_temperature_limit_k
        if self.regulation is not None:
            out["regulation"] = self.regulation
        if self.power_margin is not None:
            out["power_margin"] = self.power_margin
        for key in ("eclipse_path_efficiency", "daylight_path_efficiency"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return out


class DeploymentOptions(_Model):
    """How the system gets to orbit (issue #3)."""

    launch_vehicle: str = "starship"
    cadence_per_yr: float | None = Field(default=None, gt=0.0, le=100_000.0)
    volume_packing_efficiency: float = Field(default=0.6, gt=0.0, le=1.0)
    price_usd: float | None = Field(
        default=None, ge=0.0, le=1e11, description="price of one launch [USD], up to 1e11"
    )
    dispenser: str = Field(
        default=DEFAULT_DISPENSER,
        description="launch hardware holding the satellites (data/dispensers.toml)",
    )

    @field_validator("dispenser")
    @classmethod
    def _known_dispenser(cls, v: str) -> str:

        if v not in dispenser_names():
            raise ValueError(f"unknown dispenser {v!r}; allowed: {', '.join(dispenser_names())}")
        return v

    @field_validator("launch_vehicle")
    @classmethod
    def _known_vehicle(cls, v: str) -> str:

        if v not in launch_vehicle_names():
            names = ", ".join(launch_vehicle_names())
            raise ValueError(f"unknown launch vehicle {v!r}; allowed: {names}")
        return v


class UncertainInput(_Model):
    """A Monte Carlo input distribution: ``uniform`` (low, high), ``triangular`` (low, mode,
    high) or ``lognormal`` (median, sigma of the natural log)."""

    kind: Literal["uniform", "triangular", "lognormal"]
    params: list[float] = Field(min_length=2, max_length=3)


class EconomicsOptions(_Model):
    """Ten-year cost in orbit against a ground data center of the same IT power (issue #4).

    Unset values come from ``data/costs.toml``, ``data/ground_dc.toml`` and
    ``data/electricity_prices.toml``, each entry with its source and year.
    """

    years: int = Field(default=10, gt=0, le=50, strict=True)
    region: str = "us-average-industrial"
    launch_usd_per_kg: float | None = Field(
        default=None, ge=0.0, le=1e6, description="launch price [USD/kg], up to 1e6"
    )
    wacc: float | None = Field(default=None, ge=0.0, lt=1.0)
    annual_failure_probability: float | None = Field(default=None, ge=0.0, lt=1.0)
    electricity_usd_per_kwh: float | None = Field(
        default=None, ge=0.0, le=100.0, description="electricity price [USD/kWh], up to 100"
    )
    pue: float | None = Field(default=None, ge=1.0, le=3.0)
    monte_carlo_samples: int = Field(default=4000, ge=10, le=1_000_000, strict=True)
    seed: int = Field(default=0, ge=0, strict=True)
    uncertainty: dict[str, UncertainInput] = {}
    wacc_space: float | None = Field(
        default=None, ge=0.0, lt=1.0, description="cost of capital in orbit (default: wacc)"
    )
    wacc_ground: float | None = Field(
        default=None, ge=0.0, lt=1.0, description="cost of capital on the ground (default: wacc)"
    )
    hardware_life_yr: float | None = Field(
        default=None, gt=0.0, le=50.0, description="ground compute refresh period [yr]"
    )
    facility_life_yr: float | None = Field(
        default=None, gt=0.0, le=100.0, description="ground facility life [yr]"
    )
    ground_build_yr: float | None = Field(
        default=None, ge=0.0, le=20.0, description="years to build the ground data center"
    )
    accelerator_price_usd: float | None = Field(
        default=None, ge=0.0, le=1e8, description="price of one accelerator unit, both sides"
    )
    utilization: float | None = Field(
        default=None, gt=0.0, le=1.0,
        description="share of available accelerator-hours used, both sides alike",
    )  # fmt: skip
    workload: str = Field(
        default="text-inference",
        description="workload class whose bits per FLOP the downlink must carry "
        "(data/workload_traffic.toml)",
    )
    downlink_bits_per_flop: float | None = Field(
        default=None, ge=0.0, le=1.0, description="overrides the workload class's bits per FLOP"
    )
    specific_power_w_per_kg: float | None = Field(
        default=None, gt=0.0, le=10_000.0,
        description="cost satellites of this IT power per kg instead of the sized mass "
        "(a peer calculator's assumption; the sized mass split is kept)",
    )  # fmt: skip
    satellite_mass_kg: float | None = Field(
        default=None, gt=0.0, le=1e7,
        description="cost satellites of this mass instead of the sized mass (split kept)",
    )  # fmt: skip
    fault_recovery_s: float | None = Field(
        default=None, ge=0.0, le=86400.0 * 30, description="devices stopped per fault [s]"
    )
    fault_group_size: float | None = Field(
        default=None, ge=1.0, le=1e7, description="devices one fault stops"
    )
    reproduce: Literal["starcloud-2024", "mccalip-2025", "suncatcher-2025"] | None = Field(
        default=None,
        description="also recompute a published cost table from its own stated assumptions",
    )

    @model_validator(mode="after")
    def _one_mass_rule(self) -> EconomicsOptions:
        if self.specific_power_w_per_kg is not None and self.satellite_mass_kg is not None:
            raise ValueError("give specific_power_w_per_kg or satellite_mass_kg, not both")
        return self

    @field_validator("workload")
    @classmethod
    def _known_workload(cls, v: str) -> str:
        if v not in traffic_class_names():
            raise ValueError(
                f"unknown workload class {v!r}; allowed: {', '.join(traffic_class_names())}"
            )
        return v

    @field_validator("region")
    @classmethod
    def _known_region(cls, v: str) -> str:

        if v not in region_names():
            raise ValueError(f"unknown region {v!r}; allowed: {', '.join(region_names())}")
        return v


class ClusterOptions(_Model):
    """A formation-flying cluster (Suncatcher-like) studied alongside the constellation."""

    enabled: bool = False
    rings: int = Field(
        default=4, ge=1, le=20, strict=True, description="rings of 8, 16, ... around a centre"
    )
    radius_m: float = Field(default=1000.0, gt=0.0, le=1e5)
    altitude_km: float = Field(default=650.0, ge=MIN_ALTITUDE_KM, le=5000.0)
    design: Literal["in-plane", "circular"] = "in-plane"
    model: Literal["hcw", "schweighart-sedwick", "roe-j2"] = "roe-j2"
    terminal: str = "suncatcher-dwdm"
    keep_out_m: float = Field(default=20.0, ge=0.0)


class NetworkOptions(_Model):
    """Laser links, ground stations and routing (issue #5)."""

    enabled: bool = True
    topology: Literal["plus-grid", "nearest-in-range"] = "plus-grid"
    terminal: str = "starlink-class"
    terminals_per_satellite: int | None = Field(default=None, ge=1, le=16, strict=True)
    rate_model: Literal["rated", "link-budget"] = "rated"
    grazing_altitude_km: float = Field(default=80.0, ge=0.0, le=1000.0)
    ground_stations: str = "cities-top100"
    min_elevation_deg: float | None = Field(default=None, ge=0.0, lt=90.0)
    samples: int = Field(default=24, ge=1, le=10_000, strict=True, description="time steps routed")
    times_s: list[float] | None = Field(
        default=None, min_length=1, max_length=10_000,
        description="explicit instants to route [s after the epoch]; replaces samples",
    )  # fmt: skip
    isl_shift: int = Field(default=0, strict=True, description="+Grid inter-plane slot offset")
    ground_link_rule: Literal["elevation", "hypatia-range"] = Field(
        default="elevation",
        description="elevation: geodetic elevation mask; hypatia-range: slant range at most "
        "max_gsl_length_km over a spherical Earth, no mask (Hypatia's rule)",
    )
    max_gsl_length_km: float | None = Field(
        default=None, gt=0.0, le=50_000.0,
        description="hypatia-range limit [km]; default from the elevation mask at the mean "
        "altitude over a sphere of 6378.135 km",
    )  # fmt: skip
    city_pairs: list[Annotated[tuple[str, str], Strict(False)]] = []  # TOML writes arrays
    downlink: bool = Field(default=True, description="downlink budget (bits per day to ground)")
    downlink_step_s: float = Field(
        default=60.0, ge=1.0, le=600.0, description="sampling of station contacts [s]"
    )
    downlink_window_s: float = Field(
        default=86400.0, ge=600.0, le=7 * 86400.0,
        description="span from the epoch over which contacts are counted [s]",
    )  # fmt: skip
    downlink_weather: Literal["link-type", "stations"] = Field(
        default="link-type",
        description="weather availability of a station whose file leaves it at 1: link-type: "
        "the typical figure of its link type (data/downlink_terminals.toml); stations: 1",
    )
    downlink_rate_bps: float | None = Field(
        default=None, gt=0.0,
        description="satellite downlink terminal rate; default per link type from "
        "data/downlink_terminals.toml",
    )  # fmt: skip
    cluster: ClusterOptions = ClusterOptions()

    @field_validator("terminal")
    @classmethod
    def _known_terminal(cls, v: str) -> str:

        names = list(load_terminals())
        if v not in names:
            raise ValueError(f"unknown laser terminal {v!r}; allowed: {', '.join(names)}")
        return v

    @field_validator("times_s")
    @classmethod
    def _instants(cls, v: list[float] | None) -> list[float] | None:
        if v is None:
            return v
        bad = [t for t in v if not (math.isfinite(t) and t >= 0.0)]
        if bad:
            raise ValueError(f"instants must be finite and >= 0 s; got {bad[0]!r}")
        if sorted(set(v)) != list(v):
            raise ValueError("instants must be listed in increasing order, each once")
        return v


Workload = dict[str, float | int | str | bool | list[float]]


class OperationsOptions(_Model):
    """AI workloads run on the simulated constellation (issue #6).

    Workloads are tables whose keys are the fields of ``skydc.operations.workloads``
    ``TrainingJob``, ``InferenceService`` and ``EarthObservationJob`` (see docs/operations.md).
    """

    enabled: bool = True
    policy: str = "power-aware"
    nodes: Literal["auto", "satellite", "shell"] = "auto"
    precision: Literal["fp64", "fp32", "bf16", "fp8", "int8"] = "bf16"
    seed: int = Field(default=0, ge=0, strict=True)
    inference_model: Literal["event", "batched"] = Field(
        default="batched",
        description="inference requests one event each, or batched per interval (queueing model)",
    )
    faults: bool = True
    replacement_days: float = Field(default=30.0, gt=0.0)
    isl_capacity_gbps: float = Field(default=100.0, gt=0.0, description="laser link per satellite")
    ground_bandwidth_gbps: float = Field(
        default=3200.0, gt=0.0, description="between servers of the ground data center compared"
    )
    intra_satellite_bandwidth_gbps: float = Field(
        default=14_400.0, gt=0.0, description="NVLink-class fabric inside a satellite or station"
    )
    accelerator_idle_power_fraction: float = Field(
        default=0.3,
        ge=0.0,
        le=1.0,
        description="power of an idle allocated accelerator (with its server share) over full "
        "power; inference devices draw idle + (1 - idle) x utilisation (docs/operations.md)",
    )
    training: list[Workload] = []
    inference: list[Workload] = []
    earth_observation: list[Workload] = []

    @field_validator("policy")
    @classmethod
    def _known_policy(cls, v: str) -> str:

        if v not in policy_names():
            raise ValueError(f"unknown policy {v!r}; allowed: {', '.join(policy_names())}")
        return v

    @property
    def has_workloads(self) -> bool:
        """Whether any workload is declared."""
        return bool(self.training or self.inference or self.earth_observation)


class Scenario(_Model):
    """One orbital data center scenario."""

    name: str = Field(min_length=1, max_length=NAME_MAX_CHARS, pattern=r"^[A-Za-z0-9._-]+$")
    description: str = ""
    epoch_utc: datetime
    duration_s: float = Field(gt=0.0, le=366 * 86400.0)
    step_s: float = Field(ge=1e-3, description="time step [s], at least 1 ms")
    shells: list[Shell] = Field(min_length=1)
    seasons: SeasonsOptions = SeasonsOptions()
    output: OutputOptions = OutputOptions()
    compute: ComputeOptions = ComputeOptions()
    spacecraft: SpacecraftOptions = SpacecraftOptions()
    deployment: DeploymentOptions = DeploymentOptions()
    economics: EconomicsOptions = EconomicsOptions()
    network: NetworkOptions = NetworkOptions()
    operations: OperationsOptions = OperationsOptions()

    @field_validator("epoch_utc")
    @classmethod
    def _utc(cls, v: datetime) -> datetime:
        v = v.replace(tzinfo=UTC) if v.tzinfo is None else v.astimezone(UTC)
        if not EPOCH_MIN_UTC <= v <= EPOCH_MAX_UTC:
            raise ValueError(
                f"must be between {EPOCH_MIN_UTC:%Y-%m-%d} and {EPOCH_MAX_UTC:%Y-%m-%d} (the "
                f"span of the validated Sun ephemeris and leap-second table); got {v:%Y-%m-%d}"
            )
        return v

    @field_validator("step_s")
    @classmethod
    def _step_within_duration(cls, v: float, info: ValidationInfo) -> float:
        duration = info.data.get("duration_s")
        if isinstance(duration, float) and v > duration:
            raise ValueError(f"step_s must not exceed duration_s ({duration:g} s); got {v:g}")
        return v

    @model_validator(mode="after")
    def _unique_shell_names(self) -> Scenario:
        seen: set[str] = set()
        for shell in self.shells:
            if shell.name in seen:
                raise ValueError(f"shell names must be unique; '{shell.name}' appears twice")
            seen.add(shell.name)
        return self

    @property
    def n_time(self) -> int:
        """Number of time samples, both ends included."""
        return math.floor(self.duration_s / self.step_s + 1e-9) + 1
