"""Stage ``downlink``: what the ground segment can take from the fleet, in bits per day.

Contacts between every satellite and every ground station on a fine grid
(``network.downlink_step_s`` over ``network.downlink_window_s``), by the same ground-link rule as
the routing (an elevation mask, or Hypatia's slant-range limit), each contact at the station's
link rate (the satellite terminal for its link type, capped by the station's capacity, shared
among the satellites it serves), weighted by the station's weather availability with site
diversity (``skydc.network.downlink``). Its own stage so that ``skydc cost`` bounds what the fleet
can serve (``delivery``) without routing the network, and ``network`` reports it beside the
routes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from skydc.errors import ScenarioError
from skydc.io.hypatia import WGS72_A_M, is_hypatia_ground_stations
from skydc.io.hypatia import read_ground_stations as read_hypatia_ground_stations
from skydc.network.downlink import (
    BINDING_LIMITS,
    DownlinkTally,
    contact_triples,
    downlink_classes,
    tally_downlink,
)
from skydc.network.ground import (
    BUNDLED,
    GroundStations,
    bundled_ground_stations,
    read_ground_stations,
)
from skydc.pipeline.base import Context, OutputDisplay, Stage
from skydc.pipeline.constellation import ConstellationOutput
from skydc.pipeline.shells import ShellSatellites, positions_at
from skydc.scenario.load import LoadedScenario

GroundLinkRule = tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64],
                       NDArray[np.float64]]  # fmt: skip
"""(station positions [m], link "up" vectors, elevation masks [rad], slant-range limits [m])."""


def load_stations(loaded: LoadedScenario) -> GroundStations:
    """The scenario's ground stations: a bundled set by name or a CSV file."""
    name = loaded.scenario.network.ground_stations
    if name in BUNDLED:
        return bundled_ground_stations(name)
    path = Path(name)
    path = path if path.is_absolute() else loaded.base_dir / path
    if path.suffix.lower() not in (".csv", ".txt") or not path.is_file():
        raise ScenarioError(
            f"{name!r} is neither a bundled ground-station set ({', '.join(BUNDLED)}) nor a CSV "
            "or Hypatia ground_stations.txt file",
            file=loaded.source,
            field="network.ground_stations",
        )
    try:
        if is_hypatia_ground_stations(path):  # no header: gid,name,lat,lon,elevation[,x,y,z]
            return read_hypatia_ground_stations(path)
        return read_ground_stations(path)
    except ScenarioError as exc:  # the field is the scenario's; the line goes in the message
        where = f"{exc.field}: " if exc.field else ""
        raise ScenarioError(
            where + exc.message, file=exc.file or str(path), field="network.ground_stations"
        ) from None


def max_gsl_length_m(
    loaded: LoadedScenario, shells: tuple[ShellSatellites, ...], min_el_rad: Any
) -> NDArray[np.float64]:
    """The ``hypatia-range`` limit per station [m]: ``network.max_gsl_length_km``, else the
    slant range at the elevation mask from the mean orbit radius over a sphere of WGS-72's
    equatorial radius :math:`R` (Hypatia's Earth): :math:`\\sqrt{r^2 - R^2\\cos^2\\varepsilon}
    - R\\sin\\varepsilon` (law of cosines in the Earth-centre, station, satellite triangle)."""
    limit = loaded.scenario.network.max_gsl_length_km
    el = np.asarray(min_el_rad, dtype=float)
    if limit is not None:
        return np.broadcast_to(limit * 1e3, el.shape).astype(np.float64)
    r = float(np.mean(np.concatenate([s.elements.a_m for s in shells])))
    big_r = WGS72_A_M
    return np.sqrt(r**2 - (big_r * np.cos(el)) ** 2) - big_r * np.sin(el)


DAY_S = 86400.0
_DOWNLINK_POINTS = 2_000_000  # satellite-instants per chunk of the contact search


def station_downlink(
    loaded: LoadedScenario, stations: GroundStations
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Per station: the fastest link to one satellite (the satellite's terminal for the
    station's link type, ``network.downlink_rate_bps`` if set, capped by the station's
    capacity), the station's capacity, and its weather availability (a station left at 1 takes
    its link type's typical figure unless ``network.downlink_weather = "stations"``)."""
    opts = loaded.scenario.network
    classes = downlink_classes()
    kind_rate = np.array([classes[k].data_rate_bps for k in stations.link_type])
    kind_avail = np.array([classes[k].weather_availability for k in stations.link_type])
    if opts.downlink_rate_bps is not None:
        kind_rate = np.full(stations.n_gs, opts.downlink_rate_bps)
    cap = np.asarray(stations.capacity_bps, dtype=float)
    avail = np.asarray(stations.weather_availability, dtype=float)
    if opts.downlink_weather == "link-type":
        avail = np.where(avail >= 1.0, kind_avail, avail)
    return np.minimum(kind_rate, cap), cap, avail


def downlink_budget(
    loaded: LoadedScenario,
    shells: tuple[ShellSatellites, ...],
    epoch_jd: float,
    stations: GroundStations,
    rule: tuple[Any, Any, Any, Any],
) -> tuple[dict[str, Any], pa.Table, NDArray[np.float64]]:
    """Bits per day the ground segment takes (``skydc.network.downlink``): contacts on a fine
    grid (``network.downlink_step_s`` over ``network.downlink_window_s`` from the epoch) by the
    same ground-link rule as the routing, in chunks of at most ~2e6 satellite-instants.

    ``rule`` is (station positions, up vectors, elevation masks, range limits). Returns the
    ``network.downlink`` metrics, the ``network_downlink`` table (per station) and the expected
    bits per day per satellite.
    """
    opts = loaded.scenario.network
    r_gs, up, el, rmax = rule
    n_sat = sum(s.n_sat for s in shells)
    dt = opts.downlink_step_s
    t_all = np.arange(0.0, opts.downlink_window_s, dt)
    link, cap, avail = station_downlink(loaded, stations)
    per_chunk = max(1, _DOWNLINK_POINTS // max(n_sat, 1))
    tally: DownlinkTally | None = None
    for c in range(0, t_all.size, per_chunk):  # chunks of instants: bounded memory
        t = t_all[c : c + per_chunk]
        gs, sat, step = contact_triples(r_gs, up, el, positions_at(shells, t, epoch_jd), rmax)
        part = tally_downlink(gs, sat, step, stations.n_gs, n_sat, t.size, dt, link, cap, avail)
        tally = part if tally is None else tally + part
    assert tally is not None  # t_all holds at least one instant (window >= step)
    scale = DAY_S / tally.window_s
    sat_bpd = tally.sat_bits * scale
    peak = float(np.max(link)) if link.size else 0.0
    contact_s = float(np.sum(tally.sat_contact_s))
    clear_bits = float(np.sum(tally.sat_bits_clear))
    bits = float(np.sum(tally.sat_bits))
    satellite_s = n_sat * tally.window_s
    factors = {
        "contact time": contact_s / satellite_s if satellite_s else 0.0,
        "terminal rate": clear_bits / (peak * contact_s) if peak * contact_s > 0 else 0.0,
        "weather": bits / clear_bits if clear_bits > 0 else 0.0,
    }
    nan = float("nan")
    metrics: dict[str, Any] = {
        "fleet_bits_per_day": bits * scale,
        "satellite_bits_per_day_median": float(np.median(sat_bpd)) if n_sat else nan,
        "satellite_bits_per_day_min": float(np.min(sat_bpd)) if n_sat else nan,
        "satellite_bits_per_day_max": float(np.max(sat_bpd)) if n_sat else nan,
        "peak_rate_bps": peak,
        "contact_fraction": factors["contact time"],
        "rate_factor": factors["terminal rate"],
        "weather_factor": factors["weather"],
        "site_diversity_availability": tally.diversity_s / contact_s if contact_s else nan,
        "satellites_without_contact": int(np.sum(tally.sat_contact_s == 0)),
        "binding_limit": min(BINDING_LIMITS, key=lambda name: factors[name]),
        "step_s": dt,
        "window_s": tally.window_s,
        "shells": {
            s.name: float(np.sum(sat_bpd[s.first_sat_id : s.first_sat_id + s.n_sat]))
            for s in shells
        },
    }
    total = bits if bits > 0 else 1.0
    table = pa.table(
        {
            "station": pa.array(list(stations.name)),
            "latitude_deg": pa.array(stations.latitude_deg),
            "longitude_deg": pa.array(stations.longitude_deg),
            "link_type": pa.array(list(stations.link_type)),
            "contact_share": pa.array(tally.station_contact_s / tally.window_s),
            "weather_availability": pa.array(avail),
            "link_rate_bps": pa.array(link),
            "capacity_bps": pa.array(cap),
            "bits_per_day": pa.array(tally.station_bits * scale),
            "downlink_share": pa.array(tally.station_bits / total),
        }
    )
    return metrics, table, sat_bpd


def ground_link_rule(
    loaded: LoadedScenario, shells: tuple[ShellSatellites, ...], stations: GroundStations
) -> tuple[GroundLinkRule, NDArray[np.float64]]:
    """The scenario's ground-link rule for ``stations``, and their elevation masks [rad].

    ``elevation``: the geodetic elevation mask (``network.min_elevation_deg`` or each station's
    own), no range limit; ``hypatia-range``: no mask (the local vertical is replaced by the
    radial direction and the mask by -90 deg) and the slant range at most
    :func:`max_gsl_length_m`.
    """
    opts = loaded.scenario.network
    r_gs, up = stations.ecef_m(), stations.up()
    min_el = np.radians(
        stations.min_elevation_deg if opts.min_elevation_deg is None else opts.min_elevation_deg
    )
    min_el = np.broadcast_to(min_el, (stations.n_gs,)).astype(np.float64)
    if opts.ground_link_rule == "hypatia-range":  # slant range only, spherical Earth
        gsl_up = r_gs / np.linalg.norm(r_gs, axis=0)
        gsl_el = np.full(stations.n_gs, -np.pi / 2)
        gsl_max = max_gsl_length_m(loaded, shells, min_el)
    else:
        gsl_up, gsl_el, gsl_max = up, min_el, np.full(stations.n_gs, np.inf)
    return (r_gs, gsl_up, gsl_el, gsl_max), min_el


@dataclass(frozen=True, repr=False)
class DownlinkOutput(OutputDisplay):
    """The ``downlink`` metric group, the per-station table, and the expected bits per day of
    every satellite."""

    summary: dict[str, Any]
    station_table: pa.Table
    sat_bits_per_day: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))

    @property
    def fleet_bits_per_day(self) -> float:
        """Bits per day the ground segment takes from the whole fleet (expected over weather)."""
        return float(np.sum(self.sat_bits_per_day))

    @property
    def binding_limit(self) -> str:
        """The smallest downlink factor: contact time, terminal rate or weather."""
        return str(self.summary["binding_limit"])

    def metrics(self) -> dict[str, Any]:
        return {"downlink": self.summary}

    def tables(self) -> dict[str, pa.Table]:
        return {"network_downlink": self.station_table}


def run_downlink(
    loaded: LoadedScenario, shells: tuple[ShellSatellites, ...], epoch_jd: float
) -> DownlinkOutput:
    """The downlink budget of ``shells`` to the scenario's ground stations."""
    stations = load_stations(loaded)
    rule, _ = ground_link_rule(loaded, shells, stations)
    metrics, table, sat_bpd = downlink_budget(loaded, shells, epoch_jd, stations, rule)
    return DownlinkOutput(metrics, table, sat_bpd)


def run(ctx: Context, constellation: ConstellationOutput) -> DownlinkOutput:
    """Bits per day the scenario's ground stations take from the constellation."""
    return run_downlink(ctx.loaded, constellation.shells, constellation.epoch_jd)


DOWNLINK_READS = (
    "network.ground_stations", "network.min_elevation_deg", "network.ground_link_rule",
    "network.max_gsl_length_km", "network.downlink_step_s", "network.downlink_window_s",
    "network.downlink_weather", "network.downlink_rate_bps",
)  # fmt: skip

STAGE = Stage(
    name="downlink",
    requires=("constellation",),
    run=run,
    reads=DOWNLINK_READS,
    description="bits per day the ground stations take from the fleet (contacts, rate, weather)",
)
