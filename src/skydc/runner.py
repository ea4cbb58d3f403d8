"""The one explicit pipeline: scenario -> satellites -> states in time chunks -> metrics and tables.

``run`` evaluates every shell over the scenario's time grid in chunks sized from
``compute.memory_budget_mb``, so a million satellites run in bounded memory, folds each chunk into
streaming statistics, and (with ``output_dir``) writes the run folder atomically: it is built in a
temporary folder beside the target and renamed into place only when everything is written.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from skydc.errors import ScenarioError
from skydc.satellites import ShellSatellites, build_constellation
from skydc.scenario.load import LoadedScenario, load_scenario
from skydc.scenario.models import Scenario
from skydc.sunlight_stats import Refiner, SunlightAccumulator
from skydc.timescale import jd_utc_at, jd_utc_from_datetime

EXPORTS = ("states", "czml")
# Working memory per satellite-step of the state engine: positions (24 B), sunlit fraction (8 B)
# and the NumPy backend's temporaries, measured at ~10 float64 arrays of chunk size.
_BYTES_PER_SAT_STEP = 160

# progress(done, total, stage): stage "orbits" counts satellite-steps, "network" routed instants,
# "operations" simulated seconds.
ProgressCallback = Callable[[float, float, str], None]


@dataclass
class Result:
    """What a run produced: metrics (nested dict), tables (pyarrow), and the run folder if any."""

    scenario: Scenario
    source: str
    metrics: dict[str, Any]
    tables: dict[str, pa.Table] = field(default_factory=dict)
    run_dir: Path | None = None


def _as_loaded(
    scenario: str | Path | Scenario | LoadedScenario | None, overrides: Sequence[str]
) -> LoadedScenario:
    if isinstance(scenario, LoadedScenario):
        if overrides:
            raise ValueError("apply overrides when loading: load_scenario(ref, overrides)")
        return scenario
    if isinstance(scenario, Scenario):
        if overrides:
            raise ValueError("apply overrides when loading: load_scenario(ref, overrides)")
        return LoadedScenario(scenario=scenario, source="<python>", base_dir=Path.cwd())
    return load_scenario(scenario, overrides)


def time_grid_s(scenario: Scenario) -> NDArray[np.float64]:
    """Sample times [s since epoch], uniform, both ends included."""
    return np.arange(scenario.n_time, dtype=float) * scenario.step_s


def chunk_steps(n_sat: int, memory_budget_mb: float) -> int:
    """Time steps per chunk so one shell's chunk fits the memory budget."""
    return max(1, int(memory_budget_mb * 1e6 / (max(n_sat, 1) * _BYTES_PER_SAT_STEP)))


def shell_states(
    shell: ShellSatellites,
    t_s: NDArray[np.float64],
    epoch_jd_utc: float,
    r_sun_teme_m: NDArray[np.float64],
    *,
    backend: str = "auto",
    index: NDArray[np.intp] | slice | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Earth-fixed positions (3, n, k) [m] and sunlit fractions (n, k) of a shell (or a subset).

    Circular J2 shells use the fused rotation engine; eccentric ones the general J2 propagator;
    catalog shells SGP4 (failed SGP4 samples come back as NaN).
    """
    from skydc.environment.shadow import sunlit_fraction
    from skydc.orbits.frames import teme_to_ecef

    sel = slice(None) if index is None else index
    elements = shell.elements.take(sel)
    jd = jd_utc_at(epoch_jd_utc, t_s)
    if shell.is_circular and t_s.size > 0 and _uniform(t_s):
        from skydc.orbits.circular import circular_states

        states = circular_states(elements, t_s, frame="ecef", with_sunlit=True, backend=backend)
        assert states.sunlit_fraction is not None
        return states.r_m, states.sunlit_fraction
    if shell.satrecs is not None:
        from skydc.orbits.tle import propagate_sgp4

        records = list(np.asarray(shell.satrecs, dtype=object)[sel])
        r_teme, _codes = propagate_sgp4(records, jd)
    else:
        from skydc.orbits.j2 import propagate_j2

        r_teme = propagate_j2(elements, t_s)
    fraction = sunlit_fraction(r_teme, r_sun_teme_m[:, None, :])
    return teme_to_ecef(r_teme, jd), fraction


def _uniform(t_s: NDArray[np.float64]) -> bool:
    """Whether samples are evenly spaced (the rotation engine needs it)."""
    if t_s.size < 3:
        return True
    step = np.diff(t_s)
    return bool(np.allclose(step, step[0], rtol=1e-9, atol=1e-6))


def _refiner(shell: ShellSatellites) -> Refiner | None:
    """Sub-step eclipse timing for J2 shells (catalog shells keep the interpolation)."""
    if shell.satrecs is not None:
        return None
    from skydc.eclipse_refine import refine_crossings

    elements = shell.elements

    def refine(sat: NDArray[np.intp], t0: NDArray[np.float64], t1: NDArray[np.float64]) -> Any:
        return refine_crossings(elements, sat, t0, t1)

    return refine


def _states_schema() -> pa.Schema:
    return pa.schema(
        [
            ("time_utc", pa.timestamp("us", tz="UTC")),
            ("sat_id", pa.int64()),
            ("x_m", pa.float64()),
            ("y_m", pa.float64()),
            ("z_m", pa.float64()),
            ("sunlit_fraction", pa.float64()),
        ]
    )


def _times_utc(epoch: datetime, t_s: NDArray[np.float64]) -> NDArray[np.datetime64]:
    base = np.datetime64(epoch.replace(tzinfo=None), "us")
    return base + np.round(t_s * 1e6).astype("timedelta64[us]")


def _states_batch(
    shell: ShellSatellites,
    times: NDArray[np.datetime64],
    r: NDArray[np.float64],
    fraction: NDArray[np.float64],
) -> pa.RecordBatch:
    """Rows in time-major order (all satellites at the first time, then the next)."""
    n, k = fraction.shape
    ids = np.arange(shell.first_sat_id, shell.first_sat_id + n, dtype=np.int64)
    return pa.RecordBatch.from_arrays(
        [
            pa.array(np.repeat(times, n), type=pa.timestamp("us", tz="UTC")),
            pa.array(np.tile(ids, k)),
            pa.array(r[0].T.ravel()),
            pa.array(r[1].T.ravel()),
            pa.array(r[2].T.ravel()),
            pa.array(fraction.T.ravel()),
        ],
        schema=_states_schema(),
    )


def run(
    scenario: str | Path | Scenario | LoadedScenario | None = None,
    overrides: Sequence[str] = (),
    *,
    output_dir: str | Path | None = None,
    export: Sequence[str] = (),
    progress: ProgressCallback | None = None,
) -> Result:
    """Run a scenario: propagate, compute sunlight, summarise; optionally write the run folder.

    Parameters
    ----------
    scenario
        A scenario file, a bundled example name, a loaded/validated scenario, or ``None`` for the
        default example.
    overrides
        ``PATH=VALUE`` overrides, validated like the file (only with a file or example name).
    output_dir
        Write the run folder here (``scenario.toml``, ``metrics.json``, Parquet tables,
        ``report.html``). ``None`` writes nothing.
    export
        Extra outputs: ``"states"`` writes ``states.parquet`` (needs ``output_dir``).
    progress
        Called as ``progress(done, total, stage)``: ``"orbits"`` in satellite-steps after each
        chunk, then ``"network"`` and ``"operations"`` (simulated seconds).
    """
    from skydc.io.atomic import staging_dir

    loaded = _as_loaded(scenario, overrides)
    unknown = sorted(set(export) - set(EXPORTS))
    if unknown:
        raise ScenarioError(f"unknown export {unknown[0]!r}; allowed: {', '.join(EXPORTS)}")
    if export and output_dir is None:
        raise ScenarioError("exports need an output folder (-o DIR / output_dir=...)")
    out = _check_output_dir(output_dir)
    if out is not None:
        with staging_dir(out) as tmp:
            result = _execute(loaded, tmp, export, progress)
            _write_run_folder(result, loaded, tmp)
        result.run_dir = out
        return result
    return _execute(loaded, None, export, progress)


def _execute(
    loaded: LoadedScenario,
    tmp_dir: Path | None,
    export: Sequence[str],
    progress: ProgressCallback | None,
) -> Result:
    from skydc.costing import cost_fleet, cost_metrics, cost_tables
    from skydc.environment.sun import sun_position_teme_m
    from skydc.io.parquet import stream_table
    from skydc.sizing import compute_seasons, size_fleet, sizing_metrics, sizing_tables
    from skydc.summary import summarise

    wall0 = time.perf_counter()
    scenario = loaded.scenario
    shells = build_constellation(loaded)
    epoch_jd = jd_utc_from_datetime(scenario.epoch_utc)
    # size first: a design that cannot close fails before the long part of the run
    seasons = {s.name: compute_seasons(loaded, s, epoch_jd) for s in shells}
    fleet = size_fleet(loaded, shells, seasons)
    costs = cost_fleet(loaded, fleet)
    t_all = time_grid_s(scenario)
    n_total = sum(s.n_sat for s in shells)
    k = chunk_steps(max(s.n_sat for s in shells), scenario.compute.memory_budget_mb)
    accumulators = [SunlightAccumulator(s.n_sat, refine=_refiner(s)) for s in shells]
    total = n_total * t_all.size
    done = 0

    with contextlib.ExitStack() as stack:
        writer = (
            stack.enter_context(stream_table(tmp_dir / "states.parquet", _states_schema()))
            if tmp_dir is not None and "states" in export
            else None
        )
        for start in range(0, t_all.size, k):
            t_chunk = t_all[start : start + k]
            r_sun = sun_position_teme_m(jd_utc_at(epoch_jd, t_chunk))
            times = _times_utc(scenario.epoch_utc, t_chunk)
            for shell, acc in zip(shells, accumulators, strict=True):
                r, fraction = shell_states(
                    shell, t_chunk, epoch_jd, r_sun, backend=scenario.compute.backend
                )
                acc.add(t_chunk, np.nan_to_num(fraction, nan=1.0))
                if writer is not None:
                    writer.write_batch(_states_batch(shell, times, r, fraction))
                done += shell.n_sat * t_chunk.size
                if progress is not None:
                    progress(done, total, "orbits")

    metrics, tables = summarise(loaded, shells, accumulators, seasons, epoch_jd)
    metrics.update(sizing_metrics(loaded, fleet))
    metrics.update(cost_metrics(loaded, costs))
    tables.update(cost_tables(costs))
    if progress is not None:
        progress(0, 1, "network")
    net = _network_stage(loaded, shells, epoch_jd, tmp_dir, export)
    if net is not None:
        metrics.update(net.metrics)
        tables.update(net.tables)
    if scenario.operations.enabled and scenario.operations.has_workloads:
        from skydc.ops_run import run_operations

        ops_progress = None
        if progress is not None:
            report = progress

            def ops_progress(done_s: float, total_s: float) -> None:
                report(done_s, total_s, "operations")

        ops_metrics, ops_tables = run_operations(loaded, shells, fleet, progress=ops_progress)
        metrics.update(ops_metrics)
        tables.update(ops_tables)
    tables.update(
        sizing_tables(
            loaded, fleet, {s.name: a.series() for s, a in zip(shells, accumulators, strict=True)}
        )
    )
    metrics["run"] = {
        "wall_s": time.perf_counter() - wall0,
        "satellite_steps": total,
        "chunk_steps": k,
        "exports": list(export),
    }
    return Result(scenario=scenario, source=loaded.source, metrics=metrics, tables=tables)


def size(
    scenario: str | Path | Scenario | LoadedScenario | None = None,
    overrides: Sequence[str] = (),
    *,
    output_dir: str | Path | None = None,
    with_cost: bool = False,
) -> Result:
    """Size a scenario's satellites, fleet and launches without propagating the orbits.

    ``with_cost`` adds the ten-year cost comparison (``skydc cost``).

    The design orbits come from the eclipse-season survey alone, so this takes about a second
    even for a million satellites. With ``output_dir`` the folder gets ``metrics.json``,
    ``mass_breakdown.parquet``, the resolved ``scenario.toml`` and ``report.html``.
    """
    from skydc.io.atomic import staging_dir
    from skydc.sizing import compute_seasons, size_fleet, sizing_metrics, sizing_tables

    loaded = _as_loaded(scenario, overrides)
    out = _check_output_dir(output_dir)
    wall0 = time.perf_counter()
    shells = build_constellation(loaded)
    epoch_jd = jd_utc_from_datetime(loaded.scenario.epoch_utc)
    seasons = {s.name: compute_seasons(loaded, s, epoch_jd) for s in shells}
    fleet = size_fleet(loaded, shells, seasons)
    metrics: dict[str, Any] = {
        "scenario": {"name": loaded.scenario.name, "source": loaded.source},
        **sizing_metrics(loaded, fleet),
    }
    tables = {"mass_breakdown": sizing_tables(loaded, fleet, None)["mass_breakdown"]}
    if with_cost:
        from skydc.costing import cost_fleet, cost_metrics, cost_tables

        costs = cost_fleet(loaded, fleet)
        metrics.update(cost_metrics(loaded, costs))
        tables.update(cost_tables(costs))
    metrics["run"] = {"wall_s": time.perf_counter() - wall0}
    result = Result(scenario=loaded.scenario, source=loaded.source, metrics=metrics, tables=tables)
    if out is not None:
        with staging_dir(out) as tmp:
            _write_run_folder(result, loaded, tmp)
        result.run_dir = out
    return result


def cost(
    scenario: str | Path | Scenario | LoadedScenario | None = None,
    overrides: Sequence[str] = (),
    *,
    output_dir: str | Path | None = None,
) -> Result:
    """Size and cost a scenario: ten-year TCO in orbit and on the ground, break-even launch
    price, tornado and Monte Carlo (no orbit propagation needed)."""
    return size(scenario, overrides, output_dir=output_dir, with_cost=True)


def _network_stage(
    loaded: LoadedScenario,
    shells: list[ShellSatellites],
    epoch_jd: float,
    folder: Path | None,
    export: Sequence[str],
    force: bool = False,
) -> Any:
    """Routing at the sampled instants (when enabled) and the CZML export (when asked)."""
    from skydc.network_run import export_czml, run_network

    enabled = force or loaded.scenario.network.enabled
    if "czml" in export and not enabled:
        raise ScenarioError(
            "the CZML export draws the network: set network.enabled = true",
            file=loaded.source,
            field="network.enabled",
        )
    net = run_network(loaded, shells, epoch_jd) if enabled else None
    if folder is not None and "czml" in export:
        export_czml(loaded, shells, epoch_jd, net, folder / f"{loaded.scenario.name}.czml")
    return net


def network(
    scenario: str | Path | Scenario | LoadedScenario | None = None,
    overrides: Sequence[str] = (),
    *,
    output_dir: str | Path | None = None,
    export: Sequence[str] = (),
) -> Result:
    """Links, ground stations and routes at the sampled instants, without the full run.

    ``export=("czml",)`` also writes ``<scenario>.czml`` (needs ``output_dir``).
    """
    from skydc.io.atomic import staging_dir

    loaded = _as_loaded(scenario, overrides)
    unknown = sorted(set(export) - {"czml"})
    if unknown:
        raise ScenarioError(f"unknown export {unknown[0]!r}; allowed: czml")
    if export and output_dir is None:
        raise ScenarioError("exports need an output folder (-o DIR / output_dir=...)")
    out = _check_output_dir(output_dir)
    wall0 = time.perf_counter()
    shells = build_constellation(loaded)
    epoch_jd = jd_utc_from_datetime(loaded.scenario.epoch_utc)

    def compute(folder: Path | None) -> Result:
        net = _network_stage(loaded, shells, epoch_jd, folder, export, force=True)
        metrics: dict[str, Any] = {
            "scenario": {"name": loaded.scenario.name, "source": loaded.source},
            **net.metrics,
            "run": {"wall_s": time.perf_counter() - wall0},
        }
        return Result(loaded.scenario, loaded.source, metrics, dict(net.tables))

    if out is None:
        return compute(None)
    with staging_dir(out) as tmp:
        result = compute(tmp)
        _write_run_folder(result, loaded, tmp)
    result.run_dir = out
    return result


def simulate(
    scenario: str | Path | Scenario | LoadedScenario | None = None,
    overrides: Sequence[str] = (),
    *,
    output_dir: str | Path | None = None,
    progress: Any = None,
) -> Result:
    """Run the scenario's AI workloads on the sized constellation (no full propagation run):
    goodput, job times vs a ground data center, inference latency, faults, and the same
    workloads on one centralized node."""
    from skydc.io.atomic import staging_dir
    from skydc.ops_run import run_operations
    from skydc.sizing import compute_seasons, size_fleet

    loaded = _as_loaded(scenario, overrides)
    out = _check_output_dir(output_dir)
    wall0 = time.perf_counter()
    shells = build_constellation(loaded)
    epoch_jd = jd_utc_from_datetime(loaded.scenario.epoch_utc)
    fleet = size_fleet(
        loaded, shells, {s.name: compute_seasons(loaded, s, epoch_jd) for s in shells}
    )
    ops_metrics, tables = run_operations(loaded, shells, fleet, progress=progress)
    metrics: dict[str, Any] = {
        "scenario": {"name": loaded.scenario.name, "source": loaded.source},
        **ops_metrics,
        "run": {"wall_s": time.perf_counter() - wall0},
    }
    result = Result(loaded.scenario, loaded.source, metrics, tables)
    if out is not None:
        with staging_dir(out) as tmp:
            _write_run_folder(result, loaded, tmp)
        result.run_dir = out
    return result


def _check_output_dir(output_dir: str | Path | None) -> Path | None:
    if output_dir is None:
        return None
    out = Path(output_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ScenarioError(f"output folder {out} already exists and is not empty")
    return out


def _write_run_folder(result: Result, loaded: LoadedScenario, folder: Path) -> None:
    from skydc import __version__
    from skydc.io.atomic import write_json_atomic, write_text_atomic
    from skydc.io.parquet import write_table
    from skydc.report.run_report import render_run_report
    from skydc.scenario.dump import dump_scenario

    write_text_atomic(folder / "scenario.toml", dump_scenario(loaded))
    write_json_atomic(folder / "metrics.json", result.metrics)
    for name, table in result.tables.items():
        write_table(folder / f"{name}.parquet", table)
    html = render_run_report(
        result.metrics,
        result.tables,
        title=f"skydc run: {result.scenario.name}",
        version=__version__,
        generated_utc=datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
    )
    write_text_atomic(folder / "report.html", html)


def default_run_dir(scenario: Scenario, root: Path = Path("runs"), suffix: str = "") -> Path:
    """``runs/<scenario>[-<suffix>]-<UTC timestamp>`` (seconds; a number keeps it unique)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    base = root / "-".join(p for p in (scenario.name, suffix, stamp) if p)
    path = base
    n = 1
    while path.exists():
        n += 1
        path = Path(f"{base}-{n}")
    return path
