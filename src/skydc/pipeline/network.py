"""Stage ``network``: links, ground stations and routes at sampled time steps.

At ``network.samples`` instants spread over the run, every satellite's Earth-fixed position is
computed, the ISL topology and the ground links built, and shortest paths grown from every
ground station (``skydc.network``). Pair metrics (RTT, fibre RTT, stretch, hops) are gathered
over pairs and instants; at the first instant the capacity between two regions (max-flow) and the
link utilisation under an all-pairs demand are computed. An optional formation-flying cluster
(Suncatcher-like) is studied beside the constellation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from skydc.constants import SPEED_OF_LIGHT_M_S
from skydc.errors import ScenarioError
from skydc.network.formation import (
    cluster_isl_rates_bps,
    collision_margin,
    differential_j2_drift,
    nearest_neighbour_distance_m,
    suncatcher_cluster,
)
from skydc.network.ground import (
    GroundStations,
    ground_links,
    handovers,
    satellite_tree,
    serving_satellites_stepwise,
)
from skydc.network.isl import (
    Links,
    filter_links,
    isl_links,
    plus_grid_nearest_pairs,
    plus_grid_pairs,
)
from skydc.network.metrics import (
    bisection_bandwidth_bps,
    link_load_bps,
    pair_metrics,
    region_capacity,
)
from skydc.network.routing import (
    ForwardingState,
    build_graph,
    forwarding_state,
    shortest_paths_from_ground,
)
from skydc.network.terminals import get_terminal
from skydc.orbits.circular import circular_states
from skydc.orbits.planes import (
    INCLINATION_TOLERANCE_DEG,
    MIN_PLANE_SATELLITES,
    RAAN_TOLERANCE_DEG,
    PlaneStructure,
    declared_planes,
)
from skydc.pipeline.base import Context, OutputDisplay, Stage
from skydc.pipeline.constellation import ConstellationOutput
from skydc.pipeline.downlink import ground_link_rule, load_stations
from skydc.pipeline.shells import ShellSatellites, shell_states, sun_at, times_utc
from skydc.scenario.load import LoadedScenario

_TS = pa.timestamp("us", tz="UTC")
# Demand per ordered station pair for the utilisation snapshot [bit/s] (an skydc assumption).
ALL_PAIRS_DEMAND_BPS = 1e9


@dataclass(frozen=True, repr=False)
class NetworkOutput(OutputDisplay):
    """The ``network`` metric group, its tables, and what the CZML export needs (links per
    sampled instant, station names and positions)."""

    groups: dict[str, Any]
    table_map: dict[str, pa.Table]
    sample_t_s: NDArray[np.float64]
    links: list[tuple[NDArray[np.int64], NDArray[np.int64]]] = field(default_factory=list)
    station_names: tuple[str, ...] = ()
    station_llh: NDArray[np.float64] = field(default_factory=lambda: np.zeros((3, 0)))
    stations: GroundStations | None = None
    # for the Hypatia export (kept only when it is asked for): forwarding state per instant,
    # the ISLs up at any instant, and the length limits
    fstates: tuple[ForwardingState, ...] = ()
    isl_union: tuple[NDArray[np.int64], NDArray[np.int64]] = (
        np.zeros(0, np.int64),
        np.zeros(0, np.int64),
    )
    max_gsl_length_m: float = float("nan")
    max_isl_length_m: float = float("nan")

    def metrics(self) -> dict[str, Any]:
        return self.groups

    def tables(self) -> dict[str, pa.Table]:
        return self.table_map


def sample_times_s(loaded: LoadedScenario) -> NDArray[np.float64]:
    """``network.times_s`` if listed; else ``network.samples`` instants on the run's time grid,
    evenly spread, first one at 0."""
    scenario = loaded.scenario
    if scenario.network.times_s is not None:
        return np.asarray(scenario.network.times_s, dtype=np.float64)
    n = min(scenario.network.samples, scenario.n_time)
    steps = np.unique(np.round(np.linspace(0, scenario.n_time - 1, n)).astype(np.int64))
    return (steps * scenario.step_s).astype(np.float64)


def _structures(
    shells: tuple[ShellSatellites, ...], structures: tuple[PlaneStructure, ...] | None
) -> tuple[PlaneStructure, ...]:
    """The constellation's plane structures, or (called without them) one per shell from its
    stored plane order: generated shells are stored plane by plane, slot by slot."""
    if structures:
        return structures
    out = []
    for shell in shells:
        counts = np.bincount(shell.plane_index)
        el = shell.elements
        phase = el.argp_rad + el.mean_anomaly_rad
        layout = (counts.size, int(counts[0]))
        out.append(declared_planes(el.i_rad, el.raan_rad, phase, *layout, source="generated"))
    return tuple(out)


def plus_grid_candidates(
    loaded: LoadedScenario,
    shells: tuple[ShellSatellites, ...],
    structures: tuple[PlaneStructure, ...],
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The +Grid's candidate pairs over all shells (they never change; range and occlusion
    switch them off per instant).

    A regular shell pairs by slot index (Hypatia's rule, with ``network.isl_shift``); an
    irregular one by nearest phase (``plus_grid_nearest_pairs``). A shell of two or more
    satellites in which no plane can be found is refused.
    """
    shift = loaded.scenario.network.isl_shift
    parts_i, parts_j = [], []
    for k, (shell, st) in enumerate(zip(shells, structures, strict=True)):
        if st.n_planes == 0 and shell.n_sat >= MIN_PLANE_SATELLITES:
            raise ScenarioError(
                f"topology 'plus-grid' needs the planes of shell {shell.name!r}, and none was "
                f"found among its {shell.n_sat} satellites (no {MIN_PLANE_SATELLITES} within "
                f"{INCLINATION_TOLERANCE_DEG:g} deg inclination and {RAAN_TOLERANCE_DEG:g} deg "
                "RAAN of each other); declare planes and sats_per_plane on the shell (the file "
                "ordered plane by plane), or use topology = 'nearest-in-range'",
                file=loaded.source,
                field=f"shells[{k}]",
            )
        if st.regular:
            i, j = plus_grid_pairs(st.plane_index, st.slot_index, isl_shift=shift)
        else:
            i, j = plus_grid_nearest_pairs(st.plane_index, st.phase_rad, isl_shift=shift)
        parts_i.append(i + shell.first_sat_id)
        parts_j.append(j + shell.first_sat_id)
    if not parts_i:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(parts_i), np.concatenate(parts_j)


def _percentiles(x: NDArray[np.float64], quantity: str, unit: str) -> dict[str, float]:
    """``<quantity>_<statistic>_<unit>``: p50, p90, p99, min and max of ``x`` (NaN if empty)."""
    stats = ("p50", "p90", "p99", "min", "max")
    if x.size == 0:
        return {f"{quantity}_{q}_{unit}": float("nan") for q in stats}
    p50, p90, p99 = np.percentile(x, [50, 90, 99])
    values = (p50, p90, p99, x.min(), x.max())
    return {f"{quantity}_{q}_{unit}": float(v) for q, v in zip(stats, values, strict=True)}


def _pair_indices(loaded: LoadedScenario, names: tuple[str, ...]) -> list[tuple[int, int]]:
    pairs = loaded.scenario.network.city_pairs
    index = {n: k for k, n in enumerate(names)}
    out = []
    for k, (a, b) in enumerate(pairs):
        for city in (a, b):
            if city not in index:
                raise ScenarioError(
                    f"no ground station named {city!r}; e.g. {', '.join(names[:5])}",
                    file=loaded.source,
                    field=f"network.city_pairs[{k}]",
                )
        if a == b:
            raise ScenarioError(
                f"a pair is two different stations; got {a!r} twice",
                file=loaded.source,
                field=f"network.city_pairs[{k}]",
            )
        out.append((index[a], index[b]))
    if not out:  # default: the three largest cities with each other
        out = [(0, 1), (0, 2), (1, 2)] if len(names) >= 3 else []
    return out


def run_network(
    loaded: LoadedScenario,
    shells: tuple[ShellSatellites, ...],
    epoch_jd: float,
    ctx: Context | None = None,
    structures: tuple[PlaneStructure, ...] | None = None,
) -> NetworkOutput:
    """Route the constellation at the sampled instants; see the module docstring.

    ``structures`` are the shells' plane structures (the constellation stage's); without them
    every shell is taken as stored plane by plane (generated shells).
    """
    opts = loaded.scenario.network
    terminal = get_terminal(opts.terminal, rate_model=opts.rate_model)
    n_term = opts.terminals_per_satellite or terminal.terminals_per_satellite
    stations = load_stations(loaded)
    (r_gs, gsl_up, gsl_el, gsl_max), min_el = ground_link_rule(loaded, shells, stations)
    candidates = None
    if opts.topology == "plus-grid":
        candidates = plus_grid_candidates(loaded, shells, _structures(shells, structures))
    t = sample_times_s(loaded)
    if ctx is not None:
        ctx.report(0, t.size, "network")
    # before the routing: its distance and predecessor tables (1.2 GB at 10^6) are not yet held
    handover = handover_metrics(shells, epoch_jd, stations, min_el)
    r_all = _positions_of(shells, epoch_jd)(t)
    keep_fstate = ctx is not None and "hypatia" in ctx.exports
    fstates: list[ForwardingState] = []
    n_sat = r_all.shape[1]
    pairs = _pair_indices(loaded, stations.name)
    rows: dict[str, list[Any]] = {
        k: [] for k in ("t_s", "src", "dst", "rtt_ms", "fibre_rtt_ms", "stretch", "hops")
    }
    series: dict[str, list[float]] = {
        k: [] for k in ("t_s", "isl_count", "gsl_count", "rtt_p50_ms", "reachable_fraction")
    }
    links_out: list[tuple[NDArray[np.int64], NDArray[np.int64]]] = []
    # user access: each station's shortest up-and-down to the nearest satellite (the data center
    # is the whole constellation, so that is where a request enters it)
    access = np.full((stations.n_gs, t.size), np.inf)
    snapshot: dict[str, Any] = {}
    for k, tk in enumerate(t):  # one routing problem per sampled instant
        r = r_all[:, :, k]
        if candidates is not None:
            length, in_range = filter_links(
                r, *candidates, terminal.max_range_m, opts.grazing_altitude_km * 1e3
            )
            links = Links(candidates[0][in_range], candidates[1][in_range], length[in_range])
            tree = None
        else:
            tree = satellite_tree(r)  # one KD-tree for the ISLs and the ground links
            links = isl_links(
                opts.topology, r, terminal.max_range_m,
                grazing_altitude_m=opts.grazing_altitude_km * 1e3, n_terminals=n_term, tree=tree,
            )  # fmt: skip
        gsl = ground_links(r_gs, gsl_up, gsl_el, r, max_range_m=gsl_max, tree=tree)
        np.minimum.at(access[:, k], gsl.gs, gsl.length_m)
        graph = build_graph(
            n_sat, stations.n_gs, links.i, links.j, links.length_m, gsl.gs, gsl.sat, gsl.length_m
        )
        paths = shortest_paths_from_ground(graph)
        if keep_fstate:
            fstates.append(forwarding_state(paths))
        pm = pair_metrics(paths, r_gs)
        ok = pm.reachable
        rows["t_s"].append(np.full(pm.src.size, tk))
        for key, value in (
            ("src", pm.src),
            ("dst", pm.dst),
            ("rtt_ms", pm.rtt_s * 1e3),
            ("fibre_rtt_ms", pm.fibre_rtt_s * 1e3),
            ("stretch", pm.stretch),
            ("hops", pm.hops),
        ):
            rows[key].append(value)
        series["t_s"].append(float(tk))
        series["isl_count"].append(float(links.n_links))
        series["gsl_count"].append(float(gsl.n_links))
        series["rtt_p50_ms"].append(float(np.median(pm.rtt_s[ok]) * 1e3) if ok.any() else np.nan)
        series["reachable_fraction"].append(float(ok.mean()) if ok.size else np.nan)
        links_out.append((links.i, links.j))
        if k == 0:
            snapshot = _snapshot(stations, links, gsl, paths, terminal, r, _shell_of(shells))
        if ctx is not None:
            ctx.report(k + 1, t.size, "network")
    table = pa.table(
        {
            "time_utc": pa.array(_times(loaded, np.concatenate(rows["t_s"])), _TS),
            **{k: pa.array(np.concatenate(rows[k])) for k in rows if k != "t_s"},
        }
    )
    reach = np.isfinite(table.column("rtt_ms").to_numpy())
    rtt = table.column("rtt_ms").to_numpy()[reach]
    stretch = table.column("stretch").to_numpy()[reach]
    hops = table.column("hops").to_numpy()[reach]
    fibre = table.column("fibre_rtt_ms").to_numpy()[reach]  # the same reachable pair-instants
    src, dst = table.column("src").to_numpy(), table.column("dst").to_numpy()
    # distinct unreachable (src, dst) pairs, as one integer key each (no Python set of tuples)
    never = np.unique(src[~reach].astype(np.int64) * stations.n_gs + dst[~reach])
    access_ms = 2.0 * access / SPEED_OF_LIGHT_M_S * 1e3
    seen = np.isfinite(access_ms)
    metrics: dict[str, Any] = {
        "topology": opts.topology,
        "access_available_fraction": float(seen.mean()),
        **_percentiles(access_ms[seen], "access_rtt", "ms"),
        "terminal": terminal.name,
        "ground_stations": stations.n_gs,
        "samples": int(t.size),
        "isl_count": float(np.mean(series["isl_count"])),
        "isl_per_satellite": 2.0 * float(np.mean(series["isl_count"])) / max(n_sat, 1),
        "gsl_count": float(np.mean(series["gsl_count"])),
        "reachable_fraction": float(reach.mean()) if reach.size else float("nan"),
        "unreachable_pair_instants": int((~reach).sum()),
        "unreachable_pairs": int(never.size),
        "rtt_pair_instants": int(reach.sum()),
        **_percentiles(rtt, "rtt", "ms"),
        "fibre_rtt_p50_ms": float(np.median(fibre)) if fibre.size else float("nan"),
        "faster_than_fibre_fraction": float(np.mean(rtt < fibre)) if rtt.size else float("nan"),
        "stretch_p50": float(np.median(stretch)) if stretch.size else float("nan"),
        "stretch_p90": float(np.percentile(stretch, 90)) if stretch.size else float("nan"),
        "hops_p50": float(np.median(hops)) if hops.size else float("nan"),
        **snapshot,
        **handover,
        "pairs": _pair_series_metrics(table, pairs, stations.name),
        "pair_indices": [list(p) for p in pairs],
    }
    utilisation = metrics.pop("_utilisation", np.zeros(0))
    tables = {
        "network_utilisation": pa.table({"utilisation": pa.array(np.asarray(utilisation))}),
        "network_pairs": table,
        "network_series": pa.table(
            {
                "time_utc": pa.array(_times(loaded, np.array(series["t_s"])), _TS),
                **{k: pa.array(np.array(v)) for k, v in series.items() if k != "t_s"},
            }
        ),
    }
    if opts.cluster.enabled:
        cluster_metrics, cluster_table = run_cluster(loaded)
        metrics["cluster"] = cluster_metrics
        tables["cluster"] = cluster_table
    tables["network_access"] = pa.table(
        {
            "time_utc": pa.array(
                np.repeat(_times(loaded, t)[None, :], stations.n_gs, 0).ravel(), _TS
            ),
            "station": pa.array(np.repeat(np.arange(stations.n_gs), t.size)),
            "access_rtt_ms": pa.array(access_ms.ravel()),
        }
    )
    if structures and opts.topology == "plus-grid":
        metrics["satellites_without_plane"] = int(sum(st.outliers for st in structures))
    llh = np.vstack([stations.latitude_deg, stations.longitude_deg, stations.altitude_m])
    union = (np.zeros(0, np.int64), np.zeros(0, np.int64))
    if keep_fstate and links_out:
        up_once = np.unique(np.concatenate([i * np.int64(n_sat) + j for i, j in links_out]))
        union = (up_once // n_sat, up_once % n_sat)
    return NetworkOutput(
        {"network": metrics}, tables, t, links_out, stations.name, llh, stations,
        tuple(fstates), union, float(np.max(gsl_max)) if gsl_max.size else float("nan"),
        float(terminal.max_range_m),
    )  # fmt: skip


HANDOVER_STEP_S = 10.0  # sampling of the handover window [s]
HANDOVER_MAX_STEPS = 181  # 30 minutes at 10 s
# satellite-steps of the handover window: 181 steps up to ~16,500 satellites, 3 steps (20 s) at
# 10^6 (each step evaluates the candidate station-satellite pairs; a span of 60 s one KD-tree)
HANDOVER_SATELLITE_STEPS = 3_000_000


def _shell_positions(
    shell: ShellSatellites,
    t_s: NDArray[np.float64],
    epoch_jd: float,
) -> NDArray[np.float64]:
    """Earth-fixed positions (3, n, n_t) [m] of a shell: as
    :func:`skydc.pipeline.shells.shell_states`, without the sunlit fraction the network does
    not use (0.7 s against 0.9-1.1 s for one instant of 10^6 circular satellites)."""
    step = np.diff(t_s)
    even = t_s.size < 3 or bool(np.allclose(step, step[0], rtol=1e-9, atol=1e-6))
    if shell.is_circular and t_s.size > 0 and even:
        return circular_states(shell.elements, t_s, frame="ecef", with_sunlit=False).r_m
    return shell_states(shell, t_s, epoch_jd, sun_at(epoch_jd, t_s))[0]


def _positions_of(
    shells: tuple[ShellSatellites, ...], epoch_jd: float
) -> Callable[[NDArray[np.float64]], NDArray[np.float64]]:
    """``positions(t_s)``: Earth-fixed positions (3, n_sat, n_t) [m] of every satellite."""

    def positions(t_s: NDArray[np.float64]) -> NDArray[np.float64]:
        parts = [_shell_positions(shell, t_s, epoch_jd) for shell in shells]
        return np.concatenate(parts, axis=1) if parts else np.zeros((3, 0, t_s.size))

    return positions


def handover_metrics(
    shells: tuple[ShellSatellites, ...],
    epoch_jd: float,
    stations: GroundStations,
    min_el_rad: Any,
) -> dict[str, float]:
    """Satellite choice (highest elevation) and handovers per station-hour, from a window of up
    to 30 minutes at 10 s steps at the start of the run (shorter for big constellations, to
    bound the work: :data:`HANDOVER_SATELLITE_STEPS`), stepped from KD-tree candidates
    (:func:`skydc.network.ground.serving_satellites_stepwise`: memory ~ visible pairs)."""
    n_sat = sum(s.n_sat for s in shells)
    steps = min(HANDOVER_MAX_STEPS, max(2, HANDOVER_SATELLITE_STEPS // max(n_sat, 1)))
    t = np.arange(steps, dtype=np.float64) * HANDOVER_STEP_S
    serving = serving_satellites_stepwise(
        stations.ecef_m(), stations.up(), min_el_rad, _positions_of(shells, epoch_jd), t
    )
    _gs, _t, old, new = handovers(serving, t)
    hours = (t[-1] - t[0]) / 3600.0
    return {
        "handover_window_s": float(t[-1] - t[0]),
        "handovers_per_station_hour": float(
            np.sum((old >= 0) & (new >= 0)) / stations.n_gs / hours
        ),
        "coverage_losses_per_station_hour": float(np.sum(new < 0) / stations.n_gs / hours),
    }


def _times(loaded: LoadedScenario, t_s: NDArray[np.float64]) -> NDArray[np.datetime64]:
    return times_utc(loaded.scenario.epoch_utc, t_s)


def _pair_series_metrics(
    table: pa.Table, pairs: list[tuple[int, int]], names: tuple[str, ...]
) -> dict[str, Any]:
    src, dst = table.column("src").to_numpy(), table.column("dst").to_numpy()
    rtt, fibre = table.column("rtt_ms").to_numpy(), table.column("fibre_rtt_ms").to_numpy()
    out: dict[str, Any] = {}
    for a, b in pairs:
        sel = (src == a) & (dst == b)
        finite = rtt[sel][np.isfinite(rtt[sel])]
        out[f"{names[a]} - {names[b]}"] = {
            "rtt_min_ms": float(finite.min()) if finite.size else float("nan"),
            "rtt_median_ms": float(np.median(finite)) if finite.size else float("nan"),
            "rtt_max_ms": float(finite.max()) if finite.size else float("nan"),
            "fibre_rtt_ms": float(fibre[sel][0]) if sel.any() else float("nan"),
            "reachable_fraction": float(np.isfinite(rtt[sel]).mean()) if sel.any() else 0.0,
        }
    return out


def _shell_of(shells: tuple[ShellSatellites, ...]) -> NDArray[np.int64]:
    """Shell index of every satellite."""
    return np.repeat(np.arange(len(shells), dtype=np.int64), [s.n_sat for s in shells])


def _snapshot(
    stations: GroundStations, links: Any, gsl: Any, paths: Any, terminal: Any,
    r_sat_m: NDArray[np.float64], shell: NDArray[np.int64],
) -> dict[str, Any]:  # fmt: skip
    """Capacity between two regions and all-pairs link utilisation at the first instant.

    Regions: the Americas (longitude < -30 deg) and Europe-Africa (-30 to 60 deg). The capacity
    is the exact max-flow up to :data:`skydc.network.metrics.EXACT_MAX_NODES` graph nodes and
    an upper bound from a coarsened graph above (``capacity_americas_to_europe_method``).
    """
    n_sat = r_sat_m.shape[1]
    isl_cap = terminal.capacity_bps(links.length_m)
    lon = stations.longitude_deg
    americas = np.nonzero(lon < -30.0)[0]
    europe = np.nonzero((lon >= -30.0) & (lon < 60.0))[0]
    out: dict[str, Any] = {"isl_capacity_total_bps": float(np.sum(isl_cap))}
    if americas.size and europe.size:
        capacity = region_capacity(
            n_sat, stations.n_gs, links.i, links.j, isl_cap, gsl.gs, gsl.sat,
            stations.capacity_bps[gsl.gs], americas, europe, r_sat_m=r_sat_m,
            satellite_group=shell,
        )  # fmt: skip
        out["capacity_americas_to_europe_bps"] = capacity.capacity_bps
        out["capacity_americas_to_europe_method"] = capacity.method
    n_gs = stations.n_gs
    demand = np.full((paths.sources.size, n_gs), ALL_PAIRS_DEMAND_BPS)
    demand[np.arange(paths.sources.size), paths.sources] = 0.0
    isl_load, _gsl_load, dropped = link_load_bps(paths, demand, links.i, links.j, gsl.gs, gsl.sat)
    with np.errstate(divide="ignore", invalid="ignore"):  # load (n_isl, 2) per direction
        util = np.where(isl_cap[:, None] > 0, isl_load / isl_cap[:, None], np.nan)
    used = util[np.isfinite(util) & (isl_load > 0)]
    out |= {
        "all_pairs_demand_bps": ALL_PAIRS_DEMAND_BPS,
        "isl_utilisation_max": float(used.max()) if used.size else 0.0,
        "isl_utilisation_p90": float(np.percentile(used, 90)) if used.size else 0.0,
        "isl_links_loaded_fraction": float(used.size / max(util.size, 1)),
        "demand_unroutable_bps": float(dropped),
    }
    out["_utilisation"] = used  # popped by run_network into a table
    return out


def run_cluster(loaded: LoadedScenario) -> tuple[dict[str, Any], pa.Table]:
    """Formation-flying cluster: geometry over one orbit, margins, station keeping, ISL rates."""
    c = loaded.scenario.network.cluster
    try:
        cluster = suncatcher_cluster(c.altitude_km * 1e3, c.rings, c.radius_m, c.design, c.model)
        terminal = get_terminal(c.terminal, rate_model="link-budget")
    except ValueError as exc:
        raise ScenarioError(str(exc), file=loaded.source, field="network.cluster") from None
    t = np.linspace(0.0, cluster.period_s, 201)
    r = cluster.positions_m(t)  # (3, n, n_time), LVLH [m]
    nn = nearest_neighbour_distance_m(r)
    margin = collision_margin(r, c.keep_out_m)
    drift = differential_j2_drift(cluster.r0_m, cluster.v0_m_s, cluster.a_m, cluster.i_rad)
    rates = cluster_isl_rates_bps(r[:, :, 0], terminal)
    d0 = np.linalg.norm(r[:, :, None, 0] - r[:, None, :, 0], axis=0)
    k = terminal.terminals_per_satellite
    nearest = np.argsort(d0 + np.diag(np.full(d0.shape[0], np.inf)), axis=1)[:, :k]
    li = np.repeat(np.arange(d0.shape[0]), k)
    lj = nearest.ravel()
    cap = terminal.capacity_bps(d0[li, lj])
    metrics = {
        "satellites": int(r.shape[1]),
        "radius_m": c.radius_m,
        "altitude_km": c.altitude_km,
        "model": c.model,
        "nearest_neighbour_min_m": float(nn.min()),
        "nearest_neighbour_median_m": float(np.median(nn)),
        "nearest_neighbour_max_m": float(nn.max()),
        "min_distance_m": float(margin.min_distance_m),
        "collision_margin_m": float(margin.margin_m),
        "isl_rate_per_satellite_bps": float(np.median(rates)),
        "bisection_bandwidth_bps": bisection_bandwidth_bps(r[:, :, 0], li, lj, cap),
        "station_keeping_m_s_per_yr": float(np.max(drift.delta_v_m_s_per_year)),
        "along_track_trim_m_s": float(np.max(drift.along_track_trim_m_s)),
    }
    table = pa.table(
        {
            "sat": np.arange(r.shape[1]),
            "x_m": r[0, :, 0],
            "y_m": r[1, :, 0],
            "z_m": r[2, :, 0],
            "nearest_neighbour_min_m": nn.min(axis=-1),
        }
    )
    return metrics, table


def run(ctx: Context, constellation: ConstellationOutput) -> NetworkOutput:
    """Route the constellation at ``network.samples`` instants."""
    return run_network(
        ctx.loaded, constellation.shells, constellation.epoch_jd, ctx, constellation.structures
    )


def check(loaded: LoadedScenario) -> None:
    """The ground stations (bundled set, CSV or Hypatia file), the city pairs named among them,
    and the listed instants (within the run)."""
    stations = load_stations(loaded)
    _pair_indices(loaded, stations.name)
    scenario = loaded.scenario
    for k, tk in enumerate(scenario.network.times_s or ()):
        if tk > scenario.duration_s:
            raise ScenarioError(
                f"instant {tk:g} s is after the end of the run (duration_s = "
                f"{scenario.duration_s:g} s)",
                file=loaded.source,
                field=f"network.times_s[{k}]",
            )


STAGE = Stage(
    name="network",
    requires=("constellation",),
    run=run,
    reads=("network", "duration_s", "step_s"),
    check=check,
    description="laser links, ground links, routes, RTT, capacity, handovers, clusters",
)
