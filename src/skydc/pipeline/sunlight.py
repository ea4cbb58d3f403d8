"""Stage ``sunlight``: every satellite through the run's time grid, streamed in time chunks.

Each shell is evaluated chunk by chunk (chunks sized from ``compute.memory_budget_mb``), so a
million satellites run in bounded memory; each chunk is folded into streaming statistics (per-step
shares, per-satellite totals, eclipse events with sub-step timing for J2 shells). With the
``states`` export the chunks are also streamed to ``states.parquet`` as they are computed (the
only way to keep them at scale). The output also holds the report's ground tracks and an epoch
snapshot.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from skydc.eclipse_refine import refine_crossings
from skydc.environment.shadow import beta_angle_rad
from skydc.errors import ScenarioError
from skydc.io.parquet import stream_table
from skydc.orbits.circular import resolve_backend
from skydc.orbits.frames import ecef_to_geodetic
from skydc.pipeline.base import Context, OutputDisplay, Stage
from skydc.pipeline.constellation import ConstellationOutput, shell_row
from skydc.pipeline.shells import (
    ShellSatellites,
    bytes_per_sat_step,
    chunk_steps,
    circular_buffer_size,
    iter_shell_states,
    shell_states,
    spread,
    sun_at,
    time_grid_s,
    times_utc,
)
from skydc.scenario.models import Scenario
from skydc.sunlight_stats import Refiner, SunlightAccumulator

_TS = pa.timestamp("us", tz="UTC")


@dataclass(frozen=True)
class ShellSunlight:
    """One shell's sunlight over the run."""

    stats: dict[str, float | int]  # SunlightAccumulator.metrics()
    per_satellite_fraction: NDArray[np.float64]  # (n_sat,) mean sunlit fraction [0-1]
    series: dict[str, NDArray[np.float64]]  # t_s, mean, eclipsed, umbra per time step
    beta_deg: NDArray[np.float64]  # beta angle of each plane at the epoch [deg]


@dataclass(frozen=True, repr=False)
class SunlightOutput(OutputDisplay):
    """Sunlight of every shell, and the report's ground tracks and epoch snapshot."""

    shells: dict[str, ShellSunlight]
    ground_track: pa.Table
    snapshot: pa.Table
    epoch_utc: np.datetime64
    satellite_steps: int
    chunk_steps: int

    def metrics(self) -> dict[str, Any]:
        per_sat = np.concatenate([s.per_satellite_fraction for s in self.shells.values()])
        stats = [s.stats for s in self.shells.values()]
        longest = [float(m["eclipse_max_s"]) for m in stats if np.isfinite(m["eclipse_max_s"])]
        completed = sum(int(m["complete_eclipses"]) for m in stats)
        all_beta = np.concatenate([s.beta_deg for s in self.shells.values()])
        mean_eclipse = (
            sum(float(m["eclipse_mean_s"]) * int(m["complete_eclipses"])
                for m in stats if m["complete_eclipses"]) / completed
            if completed else float("nan")
        )  # fmt: skip
        return {
            "sunlight": {
                "sunlit_fraction_mean": float(per_sat.mean()),
                "satellite_sunlit_fraction_min": float(per_sat.min()),
                "satellite_sunlit_fraction_max": float(per_sat.max()),
                "satellites_never_eclipsed": sum(
                    int(m["satellites_never_eclipsed"]) for m in stats
                ),
                "eclipse_entries": sum(int(m["eclipse_entries"]) for m in stats),
                "complete_eclipses": completed,
                "eclipse_max_s": max(longest) if longest else float("nan"),
                "eclipse_mean_s": mean_eclipse,
                "beta_min_deg": float(all_beta.min()),
                "beta_max_deg": float(all_beta.max()),
                "shells": {
                    name: {
                        **s.stats,
                        "beta_min_deg": float(s.beta_deg.min()),
                        "beta_max_deg": float(s.beta_deg.max()),
                    }
                    for name, s in self.shells.items()
                },
            }
        }

    def run_info(self) -> dict[str, Any]:
        """Entries of the ``run`` metric group."""
        return {"satellite_steps": self.satellite_steps, "chunk_steps": self.chunk_steps}

    def tables(self) -> dict[str, pa.Table]:
        series = {name: s.series for name, s in self.shells.items()}
        time = np.concatenate(
            [self.epoch_utc + np.round(s["t_s"] * 1e6).astype("timedelta64[us]")
             for s in series.values()]
        )  # fmt: skip
        return {
            "sunlight": pa.table(
                {
                    "time_utc": pa.array(time, _TS),
                    "shell": pa.array(
                        [n for n, s in series.items() for _ in range(s["t_s"].size)], pa.string()
                    ),
                    "sunlit_fraction_mean": pa.array(
                        np.concatenate([s["mean"] for s in series.values()])
                    ),
                    "eclipsed_share": pa.array(
                        np.concatenate([s["eclipsed"] for s in series.values()])
                    ),
                    "umbra_share": pa.array(np.concatenate([s["umbra"] for s in series.values()])),
                }
            ),
            "ground_track": self.ground_track,
            "snapshot": self.snapshot,
        }


def _refiner(shell: ShellSatellites, backend: str = "numpy") -> Refiner | None:
    """Sub-step eclipse timing for J2 shells (catalog shells keep the interpolation)."""
    if shell.satrecs is not None:
        return None
    elements = shell.elements

    def refine(
        sat: NDArray[np.intp], t0: NDArray[np.float64], t1: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        return refine_crossings(elements, sat, t0, t1, backend=backend)

    return refine


def _states_schema() -> pa.Schema:
    return pa.schema(
        [
            ("time_utc", _TS),
            ("sat_id", pa.int64()),
            ("x_m", pa.float64()),
            ("y_m", pa.float64()),
            ("z_m", pa.float64()),
            ("sunlit_fraction", pa.float64()),
        ]
    )


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
            pa.array(np.repeat(times, n), type=_TS),
            pa.array(np.tile(ids, k)),
            pa.array(r[0].T.ravel()),
            pa.array(r[1].T.ravel()),
            pa.array(r[2].T.ravel()),
            pa.array(fraction.T.ravel()),
        ],
        schema=_states_schema(),
    )


def _beta_deg(shell: ShellSatellites, epoch_jd: float) -> NDArray[np.float64]:
    """Beta angle of each plane at the epoch [deg]."""
    reps = shell.plane_representatives
    r_sun = sun_at(epoch_jd, np.zeros(1))
    sun_dir = r_sun / np.linalg.norm(r_sun, axis=0)
    beta = beta_angle_rad(shell.elements.raan_rad[reps], shell.elements.i_rad[reps], sun_dir)
    return np.degrees(np.asarray(beta)).ravel()


def _ground_track(
    scenario: Scenario, shells: tuple[ShellSatellites, ...], epoch_jd: float
) -> pa.Table:
    """A few satellites per shell over one orbit (or the run, if shorter), ~200 points each."""
    cols: dict[str, list[Any]] = {
        k: [] for k in ("shell", "sat_id", "time_utc", "lat_deg", "lon_deg")
    }
    for shell in shells:
        idx = spread(scenario.output.ground_track_satellites, shell.n_sat)
        if idx.size == 0:
            continue
        span = min(scenario.duration_s, float(shell_row(shell)["period_s"]))
        t = np.linspace(0.0, span, 201)
        r, _ = shell_states(shell, t, epoch_jd, sun_at(epoch_jd, t), backend="numpy", index=idx)
        lat, lon, _alt = ecef_to_geodetic(r)
        n = idx.size
        cols["shell"] += [shell.name] * (n * t.size)
        cols["sat_id"].append(np.repeat(shell.first_sat_id + idx, t.size))
        cols["time_utc"].append(np.tile(times_utc(scenario.epoch_utc, t), n))
        cols["lat_deg"].append(np.degrees(lat).ravel())
        cols["lon_deg"].append(np.degrees(lon).ravel())
    if not cols["sat_id"]:
        return pa.table({"shell": pa.array([], pa.string())})
    return pa.table(
        {
            "shell": pa.array(cols["shell"], pa.string()),
            "sat_id": pa.array(np.concatenate(cols["sat_id"]).astype(np.int64)),
            "time_utc": pa.array(np.concatenate(cols["time_utc"]), _TS),
            "lat_deg": pa.array(np.concatenate(cols["lat_deg"])),
            "lon_deg": pa.array(np.concatenate(cols["lon_deg"])),
        }
    )


def _snapshot(
    scenario: Scenario, shells: tuple[ShellSatellites, ...], epoch_jd: float
) -> pa.Table:
    """Earth-fixed positions and sunlit fraction at the epoch, a deterministic subsample."""
    budget = scenario.output.snapshot_satellites
    total = sum(s.n_sat for s in shells)
    t = np.zeros(1)
    r_sun = sun_at(epoch_jd, t)
    parts: dict[str, list[Any]] = {
        k: [] for k in ("shell", "sat_id", "x_m", "y_m", "z_m", "sunlit_fraction")
    }
    for shell in shells:
        share = max(1, round(budget * shell.n_sat / max(total, 1))) if budget else 0
        idx = spread(share, shell.n_sat)
        if idx.size == 0:
            continue
        r, f = shell_states(shell, t, epoch_jd, r_sun, backend="numpy", index=idx)
        parts["shell"] += [shell.name] * idx.size
        parts["sat_id"].append(shell.first_sat_id + idx)
        for axis, key in enumerate(("x_m", "y_m", "z_m")):
            parts[key].append(r[axis, :, 0])
        parts["sunlit_fraction"].append(f[:, 0])
    if not parts["sat_id"]:
        return pa.table({"shell": pa.array([], pa.string())})
    return pa.table(
        {
            "shell": pa.array(parts["shell"], pa.string()),
            "sat_id": pa.array(np.concatenate(parts["sat_id"]).astype(np.int64)),
            **{
                k: pa.array(np.concatenate(parts[k]))
                for k in ("x_m", "y_m", "z_m", "sunlit_fraction")
            },
        }
    )


def run(ctx: Context, constellation: ConstellationOutput) -> SunlightOutput:
    """Propagate every shell over the time grid in chunks; fold the sunlight statistics."""
    scenario = ctx.loaded.scenario
    shells = constellation.shells
    epoch_jd = constellation.epoch_jd
    t_all = time_grid_s(scenario)
    budget = scenario.compute.memory_budget_mb
    total = constellation.n_sat * t_all.size
    backend = resolve_backend(scenario.compute.backend, total)  # "auto": by the run's size
    # the statistics and eclipse refinement follow the propagation onto numba (paid for by then)
    accumulators = [
        SunlightAccumulator(s.n_sat, refine=_refiner(s, backend), backend=backend)
        for s in shells
    ]
    steps_per_chunk = [chunk_steps(s.n_sat, budget, bytes_per_sat_step(s)) for s in shells]
    # one chunk buffer for every circular shell in turn (sized for the largest): fresh pages for
    # each shell cost ~0.03 s of page faults per 10^5 satellites and hour
    sizes = [
        circular_buffer_size(s, t_all.size, k)
        for s, k in zip(shells, steps_per_chunk, strict=True)
    ]
    buffer = np.empty(max(sizes, default=0))
    done = 0
    chunks = []
    with contextlib.ExitStack() as stack:
        writer = (
            stack.enter_context(stream_table(ctx.folder / "states.parquet", _states_schema()))
            if ctx.folder is not None and "states" in ctx.exports
            else None
        )
        # shell by shell: one plan and one reused buffer per shell, chunks sized by its own path
        for shell, acc, k in zip(shells, accumulators, steps_per_chunk, strict=True):
            chunks.append(k)
            states = iter_shell_states(shell, t_all, epoch_jd, k, backend=backend, buffer=buffer)
            for steps, r, fraction in states:
                t_chunk = t_all[steps]
                if writer is not None:
                    times = times_utc(scenario.epoch_utc, t_chunk)
                    writer.write_batch(_states_batch(shell, times, r, fraction))
                if np.isnan(fraction).any():  # SGP4 failed mid-run: never count it as sunlit
                    sat, step = (int(x[0]) for x in np.nonzero(np.isnan(fraction)))
                    raise ScenarioError(
                        f"satellite {shell.first_sat_id + sat} of shell {shell.name!r} cannot be "
                        f"propagated {t_chunk[step]:,.0f} s into the run (SGP4 reports the orbit "
                        "decayed or degenerate): remove it or use current elements",
                        file=ctx.loaded.source,
                        field=f"shells[{shells.index(shell)}]",
                    )
                acc.add(t_chunk, fraction)
                done += shell.n_sat * t_chunk.size
                ctx.report(done, total, "sunlight")
    per_shell = {
        shell.name: ShellSunlight(
            stats=acc.metrics(),
            per_satellite_fraction=acc.per_satellite_fraction(),
            series=acc.series(),
            beta_deg=_beta_deg(shell, epoch_jd),
        )
        for shell, acc in zip(shells, accumulators, strict=True)
    }
    return SunlightOutput(
        shells=per_shell,
        ground_track=_ground_track(scenario, shells, epoch_jd),
        snapshot=_snapshot(scenario, shells, epoch_jd),
        epoch_utc=np.datetime64(scenario.epoch_utc.replace(tzinfo=None), "us"),
        satellite_steps=total,
        chunk_steps=min(chunks),
    )


STAGE = Stage(
    name="sunlight",
    requires=("constellation",),
    run=run,
    reads=("duration_s", "step_s", "compute", "output"),
    description="positions and sunlight of every satellite over the time grid (streamed)",
)
