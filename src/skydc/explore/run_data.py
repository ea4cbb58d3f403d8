"""What the explorer of a run folder shows, recomputed from the run's own scenario.

The run folder holds the resolved ``scenario.toml`` (inputs copied beside it), so the satellites
are propagated again with skydc's pipeline (the constellation stage, then
:func:`skydc.pipeline.shells.shell_states`: the same propagators and shadow model as the run) on a
frame grid picked from the run's time grid. Per frame the laser links and the ground links are
built and the offered city pairs routed with :mod:`skydc.network` exactly as the network stage
does at its sampled instants, so the route and RTT drawn at an instant of the network stage are
the ones in ``network_pairs.parquet``.

Size bounds (the page is one self-contained file): above :data:`MAX_DRAWN` satellites every k-th
satellite by index is drawn; the frames are at most :data:`MAX_FRAMES` and at most
:data:`SAT_FRAME_BUDGET` satellite-frames; at most :data:`MAX_LINKS_DRAWN` laser links per frame
are drawn (every k-th). The page states each of these when it applies.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from numpy.typing import NDArray

from skydc.constants import SPEED_OF_LIGHT_M_S
from skydc.errors import SkydcError

MAX_DRAWN = 100_000  # satellites drawn at most; above, every k-th by index (deterministic)
MAX_FRAMES = 120  # frames of the time slider at most
SAT_FRAME_BUDGET = 1_500_000  # drawn satellites x frames at most (~18 MB of float32 positions)
MAX_LINKS_DRAWN = 4_000  # laser links drawn per frame at most (every k-th)
EXTRA_PAIR_STATIONS = 4  # pairs among the first stations of the set (cities: the most populous)

Progress = Callable[[int, int, str], None]


@dataclass
class RouteFrames:
    """One city pair's shortest route at every frame."""

    label: str
    src: int
    dst: int
    rtt_ms: list[float | None] = field(default_factory=list)  # None: no route at that frame
    hops: list[int] = field(default_factory=list)
    path_km: list[list[list[float]]] = field(default_factory=list)  # per frame: [[x, y, z], ...]


@dataclass
class RunView:
    """Everything the run explorer embeds (positions as float32, colours as uint8)."""

    name: str
    epoch_utc: str
    frame_t_s: NDArray[np.float64]
    frame_utc: list[str]
    n_sat: int
    drawn: NDArray[np.int64]  # global satellite ids drawn
    thin_k: int
    shell_of_drawn: NDArray[np.int64]
    shell_names: list[str]
    positions_km: NDArray[np.float32]  # (n_frames, n_drawn, 3)
    sunlit: NDArray[np.float32]  # (n_frames, n_drawn) in [0, 1]
    links: list[NDArray[np.int32]] = field(default_factory=list)  # per frame (n, 2) drawn indices
    links_total: list[int] = field(default_factory=list)
    links_note: str = ""
    stations: dict[str, Any] = field(default_factory=dict)
    routes: list[RouteFrames] = field(default_factory=list)
    network_note: str = ""
    series: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The JSON the page's controller reads (big arrays base64, little-endian)."""
        return {
            "name": self.name,
            "epoch_utc": self.epoch_utc,
            "t_s": self.frame_t_s.tolist(),
            "utc": self.frame_utc,
            "n_sat": self.n_sat,
            "n_drawn": int(self.drawn.size),
            "thin_k": self.thin_k,
            "shell_names": self.shell_names,
            "shell_of_drawn": _b64(self.shell_of_drawn.astype("<u2")),
            "positions_km": _b64(self.positions_km.astype("<f4")),
            "sunlit_u8": _b64(np.round(np.nan_to_num(self.sunlit, nan=0.0) * 255).astype("u1")),
            "links": [_b64(k.astype("<i4").ravel()) for k in self.links],
            "links_total": self.links_total,
            "links_note": self.links_note,
            "stations": self.stations,
            "routes": [
                {"label": r.label, "rtt_ms": r.rtt_ms, "hops": r.hops, "path_km": r.path_km}
                for r in self.routes
            ],
            "network_note": self.network_note,
            "notes": self.notes,
        }


def _b64(a: NDArray[Any]) -> str:
    return base64.b64encode(np.ascontiguousarray(a).tobytes()).decode("ascii")


def is_run_folder(folder: Path) -> bool:
    """A folder ``skydc run/size/cost/network/simulate`` wrote (metrics and scenario)."""
    return (folder / "metrics.json").is_file() and (folder / "scenario.toml").is_file()


def frame_steps(n_time: int, n_drawn: int) -> NDArray[np.int64]:
    """Indices on the run's time grid of the frames (evenly spread, both ends, deterministic)."""
    budget = max(2, SAT_FRAME_BUDGET // max(n_drawn, 1))
    n = max(1, min(MAX_FRAMES, n_time, budget))
    return np.unique(np.round(np.linspace(0, n_time - 1, n)).astype(np.int64))


def thinning(n_sat: int) -> tuple[int, NDArray[np.int64]]:
    """(k, ids): every k-th satellite by index, so that at most :data:`MAX_DRAWN` are drawn."""
    k = max(1, math.ceil(n_sat / MAX_DRAWN))
    return k, np.arange(0, n_sat, k, dtype=np.int64)


def build_run_view(folder: Path, progress: Progress | None = None) -> RunView:
    """Read the run folder and recompute what its explorer shows (see the module docstring)."""
    import skydc
    from skydc.pipeline.constellation import ConstellationOutput
    from skydc.pipeline.shells import shell_states, sun_at, times_utc

    report = progress or (lambda done, total, what: None)
    loaded = skydc.load_scenario(folder / "scenario.toml")
    scenario = loaded.scenario
    result = skydc.run(loaded, stages=["constellation"])
    constellation = result["constellation"]
    assert isinstance(constellation, ConstellationOutput)
    shells, epoch_jd = constellation.shells, constellation.epoch_jd
    n_sat = constellation.n_sat
    k, drawn = thinning(n_sat)
    steps = frame_steps(scenario.n_time, drawn.size)
    t = steps.astype(np.float64) * scenario.step_s
    network_on = bool(scenario.network.enabled) and n_sat > 0
    total = int(t.size) * (2 if network_on else 1)
    report(0, total, "positions")
    pos = np.empty((t.size, drawn.size, 3), np.float32)
    sun = np.empty((t.size, drawn.size), np.float32)
    shell_of = np.empty(drawn.size, np.int64)
    r_sun = sun_at(epoch_jd, t)
    for s_index, shell in enumerate(shells):
        first, last = shell.first_sat_id, shell.first_sat_id + shell.n_sat
        sel = np.flatnonzero((drawn >= first) & (drawn < last))
        if sel.size == 0:
            continue
        local = (drawn[sel] - first).astype(np.intp)
        r, frac = shell_states(shell, t, epoch_jd, r_sun, index=local)
        pos[:, sel, :] = np.transpose(r, (2, 1, 0)) / 1e3
        sun[:, sel] = frac.T
        shell_of[sel] = s_index
    report(t.size, total, "positions")
    utc = times_utc(scenario.epoch_utc, t)
    view = RunView(
        name=scenario.name,
        epoch_utc=scenario.epoch_utc.isoformat().replace("+00:00", "Z"),
        frame_t_s=t,
        frame_utc=[f"{str(x)[:19].replace('T', ' ')} UTC" for x in utc],
        n_sat=n_sat,
        drawn=drawn,
        thin_k=k,
        shell_of_drawn=shell_of,
        shell_names=[s.name for s in shells],
        positions_km=pos,
        sunlit=sun,
    )
    if k > 1:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(k % 10 if k % 100 not in (11, 12, 13) else 0, "th")
        view.notes.append(
            f"{n_sat:,} satellites: every {k}{suffix} satellite by index is drawn "
            f"({drawn.size:,} of {n_sat:,})"
            + ("; links and routes are computed over all of them" if network_on else "")
        )
    if t.size < min(MAX_FRAMES, scenario.n_time):
        view.notes.append(
            f"{t.size} frames over the run's {scenario.n_time:,} time steps (at most "
            f"{SAT_FRAME_BUDGET:,} satellite-frames in one page)"
        )
    if network_on:
        _add_network(view, loaded, constellation, t, epoch_jd, lambda d: report(t.size + d, total,
                                                                                "links and routes"))
    else:
        view.network_note = "this run's scenario has no network (network.enabled = false)"
    view.series = read_series(folder)
    return view


def _offered_pairs(loaded: Any, names: tuple[str, ...]) -> list[tuple[int, int]]:
    """The scenario's named pairs (default: the three largest cities), then pairs among the
    first :data:`EXTRA_PAIR_STATIONS` stations of the set, without repeats."""
    from skydc.pipeline.network import _pair_indices

    pairs = list(_pair_indices(loaded, names))
    first = range(min(EXTRA_PAIR_STATIONS, len(names)))
    for a in first:
        for b in first:
            if a < b and (a, b) not in pairs and (b, a) not in pairs:
                pairs.append((a, b))
    return pairs


def _add_network(
    view: RunView, loaded: Any, constellation: Any, t: NDArray[np.float64], epoch_jd: float,
    report: Callable[[int], None],
) -> None:  # fmt: skip
    """Laser links (drawn ones), stations and the offered pairs' routes at every frame, built as
    the network stage builds them (:func:`skydc.pipeline.network.run_network`)."""
    from skydc.network.ground import ground_links
    from skydc.network.isl import Links, filter_links, isl_links
    from skydc.network.routing import build_graph, route, shortest_paths_from_ground
    from skydc.network.terminals import get_terminal
    from skydc.pipeline.downlink import ground_link_rule, load_stations
    from skydc.pipeline.network import _structures, plus_grid_candidates
    from skydc.pipeline.shells import positions_at

    opts = loaded.scenario.network
    shells = constellation.shells
    terminal = get_terminal(opts.terminal, rate_model=opts.rate_model)
    n_term = opts.terminals_per_satellite or terminal.terminals_per_satellite
    stations = load_stations(loaded)
    (r_gs, gsl_up, gsl_el, gsl_max), _min_el = ground_link_rule(loaded, shells, stations)
    candidates = None
    if opts.topology == "plus-grid":
        structures = _structures(shells, constellation.structures or None)
        candidates = plus_grid_candidates(loaded, shells, structures)
    pairs = _offered_pairs(loaded, stations.name)
    sources = np.unique(np.array([a for a, _ in pairs], dtype=np.int64))
    row_of = {int(s): r for r, s in enumerate(sources)}
    view.routes = [RouteFrames(f"{stations.name[a]} - {stations.name[b]}", a, b) for a, b in pairs]
    view.stations = {
        "names": list(stations.name),
        "xyz_km": (r_gs / 1e3).round(1).T.tolist(),
        "set": str(opts.ground_stations),
    }
    n_sat = constellation.n_sat
    drawn_index = np.full(n_sat, -1, np.int64)
    drawn_index[view.drawn] = np.arange(view.drawn.size)
    gs_km = r_gs / 1e3
    for f, tf in enumerate(t):
        r = positions_at(shells, np.array([tf]), epoch_jd)[:, :, 0]
        if candidates is not None:
            length, in_range = filter_links(
                r, *candidates, terminal.max_range_m, opts.grazing_altitude_km * 1e3
            )
            links = Links(candidates[0][in_range], candidates[1][in_range], length[in_range])
        else:
            links = isl_links(
                opts.topology, r, terminal.max_range_m,
                grazing_altitude_m=opts.grazing_altitude_km * 1e3, n_terminals=n_term,
            )  # fmt: skip
        a, b = drawn_index[links.i], drawn_index[links.j]
        both = np.flatnonzero((a >= 0) & (b >= 0))
        step = max(1, math.ceil(both.size / MAX_LINKS_DRAWN))
        both = both[::step]
        view.links.append(np.column_stack([a[both], b[both]]).astype(np.int32))
        view.links_total.append(int(links.n_links))
        if step > 1 or view.thin_k > 1:
            view.links_note = (
                f"laser links drawn: every {step}-th of those between drawn satellites "
                f"(at most {MAX_LINKS_DRAWN:,} a frame)"
            )
        gsl = ground_links(r_gs, gsl_up, gsl_el, r, max_range_m=gsl_max)
        graph = build_graph(
            n_sat, stations.n_gs, links.i, links.j, links.length_m, gsl.gs, gsl.sat, gsl.length_m
        )
        paths = shortest_paths_from_ground(graph, sources)
        gs_length_m = paths.gs_distance()
        for rf in view.routes:
            row = row_of[rf.src]
            length_m = float(gs_length_m[row, rf.dst])
            nodes = route(paths, row, rf.dst)
            if not nodes or not math.isfinite(length_m):
                rf.rtt_ms.append(None)
                rf.hops.append(0)
                rf.path_km.append([])
                continue
            xyz = [
                (r[:, n] / 1e3).round(1).tolist() if n < n_sat else gs_km[:, n - n_sat].round(1)
                .tolist()
                for n in nodes
            ]
            rf.rtt_ms.append(2.0 * length_m / SPEED_OF_LIGHT_M_S * 1e3)
            rf.hops.append(len(nodes) - 1)
            rf.path_km.append(xyz)
        report(f + 1)


# (table, column, label, unit, scale, y range or None) of the time series under the globe
_SERIES: tuple[tuple[str, str, str, str, float, tuple[float, float] | None], ...] = (
    ("sunlight", "sunlit_fraction_mean", "mean sunlit fraction", "", 1.0, None),
    ("power", "array_power_w", "solar array power", "kW", 1e-3, None),
    ("power", "radiator_temperature_k", "radiator temperature", "K", 1.0, None),
    ("network_series", "reachable_fraction", "station pairs with a route", "", 1.0, (0.0, 1.05)),
    ("network_series", "rtt_p50_ms", "station-to-station RTT p50", "ms", 1.0, None),
)


def read_series(folder: Path) -> list[dict[str, Any]]:
    """The run's time series (from its Parquet tables), one chart each, one line per shell."""
    out: list[dict[str, Any]] = []
    tables: dict[str, pa.Table] = {}
    for name, column, label, unit, scale, y_range in _SERIES:
        path = folder / f"{name}.parquet"
        if name not in tables:
            if not path.is_file():
                continue
            tables[name] = pq.read_table(path)
        table = tables[name]
        if column not in table.column_names or "time_utc" not in table.column_names:
            continue
        t = table.column("time_utc").to_numpy().astype("datetime64[s]").astype(str)
        y = table.column(column).to_numpy(zero_copy_only=False).astype(float) * scale
        groups = (
            table.column("shell").to_pylist() if "shell" in table.column_names else [""] * len(t)
        )
        lines = []
        for g in dict.fromkeys(groups):
            sel = np.array([x == g for x in groups])
            lines.append({
                "name": g or label, "x": [s.replace("T", " ") for s in t[sel]],
                "y": [v if math.isfinite(v) else None for v in y[sel].tolist()],
            })  # fmt: skip
        out.append({"label": label, "unit": unit, "table": name, "lines": lines,
                    "y_range": list(y_range) if y_range else None})  # fmt: skip
    return out


def check_run_folder(folder: Path) -> None:
    """Refuse a folder that is not a run folder, with what it lacks."""
    missing = [n for n in ("metrics.json", "scenario.toml") if not (folder / n).is_file()]
    if missing:
        raise SkydcError(
            f"{folder}: not a run folder (no {' or '.join(missing)}) nor a study folder "
            "(no study.json); give a folder written by skydc run, network, simulate, sweep or "
            "optimize"
        )
