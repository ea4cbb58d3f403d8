"""Turn a run's streaming statistics into ``metrics.json`` entries and report tables."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from skydc.constants import EARTH_MU_M3_S2, EARTH_RADIUS_M
from skydc.environment.seasons import EclipseSeasons
from skydc.satellites import ShellSatellites
from skydc.scenario.load import LoadedScenario
from skydc.sunlight_stats import SunlightAccumulator
from skydc.timescale import jd_utc_at

_TS = pa.timestamp("us", tz="UTC")


def _spread(n_pick: int, n: int) -> NDArray[np.intp]:
    """``n_pick`` indices spread evenly over ``range(n)`` (deterministic)."""
    if n_pick <= 0 or n == 0:
        return np.zeros(0, dtype=np.intp)
    return np.unique(np.linspace(0, n - 1, min(n_pick, n)).round().astype(np.intp))


def _shell_row(shell: ShellSatellites) -> dict[str, Any]:
    a = shell.elements.a_m
    period = 2 * math.pi * np.sqrt(a**3 / EARTH_MU_M3_S2)
    return {
        "shell": shell.name,
        "kind": shell.kind,
        "satellites": shell.n_sat,
        "planes": shell.planes,
        "first_sat_id": shell.first_sat_id,
        "altitude_km": float(np.mean(a) - EARTH_RADIUS_M) / 1e3,
        "inclination_deg": float(np.degrees(np.mean(shell.elements.i_rad))),
        "ltan_h": shell.ltan_h,
        "period_s": float(np.mean(period)),
    }


def _beta_deg(shell: ShellSatellites, epoch_jd: float) -> NDArray[np.float64]:
    """Beta angle of each plane at the epoch [deg]."""
    from skydc.environment.shadow import beta_angle_rad
    from skydc.environment.sun import sun_position_teme_m

    reps = shell.plane_representatives
    r_sun = sun_position_teme_m(np.array([epoch_jd]))
    sun_dir = r_sun / np.linalg.norm(r_sun, axis=0)
    beta = beta_angle_rad(shell.elements.raan_rad[reps], shell.elements.i_rad[reps], sun_dir)
    return np.degrees(np.asarray(beta)).ravel()


def _seasons(
    loaded: LoadedScenario, shell: ShellSatellites, seasons: EclipseSeasons
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Eclipse-season survey of a shell's planes: metrics and one table row per day."""
    opts = loaded.scenario.seasons
    beta = np.atleast_2d(seasons.beta_deg)
    eclipse = np.atleast_2d(seasons.eclipse_s)
    day = np.asarray(seasons.day_offsets, dtype=float)
    epoch_date = np.datetime64(loaded.scenario.epoch_utc.replace(tzinfo=None), "D")
    dates = epoch_date + np.floor(day).astype("timedelta64[D]")
    any_eclipse_per_day = np.any(eclipse > 0.0, axis=0)
    metrics = {
        "days_with_eclipse": round(float(np.sum(any_eclipse_per_day)) * opts.step_days),
        "longest_eclipse_s": float(np.max(eclipse)) if eclipse.size else 0.0,
        "beta_min_deg": float(np.min(beta)),
        "beta_max_deg": float(np.max(beta)),
        "survey_days": opts.days,
    }
    rows = {
        "shell": [shell.name] * day.size,
        "date": dates,
        "beta_deg_min": beta.min(axis=0),
        "beta_deg_max": beta.max(axis=0),
        "eclipse_s_max": eclipse.max(axis=0),
    }
    return metrics, rows


def _ground_track(
    loaded: LoadedScenario, shells: list[ShellSatellites], epoch_jd: float
) -> pa.Table:
    """A few satellites per shell over one orbit (or the run, if shorter), ~200 points each."""
    from skydc.environment.sun import sun_position_teme_m
    from skydc.orbits.frames import ecef_to_geodetic
    from skydc.runner import shell_states

    scenario = loaded.scenario
    cols: dict[str, list[Any]] = {
        k: [] for k in ("shell", "sat_id", "time_utc", "lat_deg", "lon_deg")
    }
    base = np.datetime64(scenario.epoch_utc.replace(tzinfo=None), "us")
    for shell in shells:
        idx = _spread(scenario.output.ground_track_satellites, shell.n_sat)
        if idx.size == 0:
            continue
        period = float(_shell_row(shell)["period_s"])
        span = min(scenario.duration_s, period)
        t = np.linspace(0.0, span, 201)
        r_sun = sun_position_teme_m(jd_utc_at(epoch_jd, t))
        r, _ = shell_states(shell, t, epoch_jd, r_sun, backend="numpy", index=idx)
        lat, lon, _alt = ecef_to_geodetic(r)
        n = idx.size
        cols["shell"] += [shell.name] * (n * t.size)
        cols["sat_id"].append(np.repeat(shell.first_sat_id + idx, t.size))
        cols["time_utc"].append(np.tile(base + np.round(t * 1e6).astype("timedelta64[us]"), n))
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


def _snapshot(loaded: LoadedScenario, shells: list[ShellSatellites], epoch_jd: float) -> pa.Table:
    """Earth-fixed positions and sunlit fraction at the epoch, a deterministic subsample."""
    from skydc.environment.sun import sun_position_teme_m
    from skydc.runner import shell_states

    budget = loaded.scenario.output.snapshot_satellites
    total = sum(s.n_sat for s in shells)
    t = np.zeros(1)
    r_sun = sun_position_teme_m(np.array([epoch_jd]))
    parts: dict[str, list[Any]] = {
        k: [] for k in ("shell", "sat_id", "x_m", "y_m", "z_m", "sunlit_fraction")
    }
    for shell in shells:
        share = max(1, round(budget * shell.n_sat / max(total, 1))) if budget else 0
        idx = _spread(share, shell.n_sat)
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


def summarise(
    loaded: LoadedScenario,
    shells: list[ShellSatellites],
    accumulators: list[SunlightAccumulator],
    seasons: dict[str, EclipseSeasons],
    epoch_jd: float,
) -> tuple[dict[str, Any], dict[str, pa.Table]]:
    """Metrics (nested dict) and tables for a finished run."""
    scenario = loaded.scenario
    shell_rows = [_shell_row(s) for s in shells]
    n_total = sum(s.n_sat for s in shells)

    # fleet-wide sunlight from per-shell accumulators (weighted by satellites)
    per_sat = np.concatenate([a.per_satellite_fraction() for a in accumulators])
    shell_metrics = [a.metrics() for a in accumulators]
    longest = [m["longest_eclipse_s"] for m in shell_metrics if np.isfinite(m["longest_eclipse_s"])]
    completed = sum(int(m["complete_eclipses"]) for m in shell_metrics)
    betas = [_beta_deg(s, epoch_jd) for s in shells]
    all_beta = np.concatenate(betas)

    season_metrics: dict[str, Any] = {}
    season_rows: list[dict[str, Any]] = []
    for shell in shells:
        m, rows = _seasons(loaded, shell, seasons[shell.name])
        if shell.ltan_h is not None:  # how high this LTAN must fly to never see an eclipse
            from skydc.environment.seasons import sso_eclipse_free_altitude_km

            m["eclipse_free_above_km"] = sso_eclipse_free_altitude_km(
                shell.ltan_h, epoch_jd, step_days=loaded.scenario.seasons.step_days
            )
        season_metrics[shell.name] = m
        season_rows.append(rows)

    metrics: dict[str, Any] = {
        "scenario": {
            "name": scenario.name,
            "source": loaded.source,
            "epoch_utc": scenario.epoch_utc.isoformat().replace("+00:00", "Z"),
            "duration_s": scenario.duration_s,
            "step_s": scenario.step_s,
            "time_steps": scenario.n_time,
        },
        "constellation": {
            "satellites": n_total,
            "shells": len(shells),
            "planes": sum(s.planes for s in shells),
            "altitude_min_km": min(r["altitude_km"] for r in shell_rows),
            "altitude_max_km": max(r["altitude_km"] for r in shell_rows),
        },
        "sunlight": {
            "mean_sunlit_fraction": float(per_sat.mean()),
            "min_satellite_sunlit_fraction": float(per_sat.min()),
            "max_satellite_sunlit_fraction": float(per_sat.max()),
            "satellites_never_eclipsed": sum(
                int(m["satellites_never_eclipsed"]) for m in shell_metrics
            ),
            "eclipse_entries": sum(int(m["eclipse_entries"]) for m in shell_metrics),
            "complete_eclipses": completed,
            "longest_eclipse_s": max(longest) if longest else float("nan"),
            "mean_eclipse_s": (
                sum(
                    m["mean_eclipse_s"] * m["complete_eclipses"]
                    for m in shell_metrics
                    if m["complete_eclipses"]
                )
                / completed
                if completed
                else float("nan")
            ),
            "beta_min_deg": float(all_beta.min()),
            "beta_max_deg": float(all_beta.max()),
            "shells": {
                s.name: {**m, "beta_min_deg": float(b.min()), "beta_max_deg": float(b.max())}
                for s, m, b in zip(shells, shell_metrics, betas, strict=True)
            },
        },
        "eclipse_seasons": season_metrics,
    }

    base = np.datetime64(scenario.epoch_utc.replace(tzinfo=None), "us")
    series = [a.series() for a in accumulators]
    sunlight_table = pa.table(
        {
            "time_utc": pa.array(
                np.concatenate(
                    [base + np.round(s["t_s"] * 1e6).astype("timedelta64[us]") for s in series]
                ),
                _TS,
            ),
            "shell": pa.array(
                [
                    sh.name
                    for sh, s in zip(shells, series, strict=True)
                    for _ in range(s["t_s"].size)
                ],
                pa.string(),
            ),
            "sunlit_fraction_mean": pa.array(np.concatenate([s["mean"] for s in series])),
            "eclipsed_share": pa.array(np.concatenate([s["eclipsed"] for s in series])),
            "umbra_share": pa.array(np.concatenate([s["umbra"] for s in series])),
        }
    )
    seasons_table = pa.table(
        {
            "shell": pa.array([x for r in season_rows for x in r["shell"]], pa.string()),
            "date": pa.array(np.concatenate([r["date"] for r in season_rows]), pa.date32()),
            **{
                k: pa.array(np.concatenate([r[k] for r in season_rows]))
                for k in ("beta_deg_min", "beta_deg_max", "eclipse_s_max")
            },
        }
    )
    tables = {
        "shells": pa.Table.from_pylist(shell_rows),
        "sunlight": sunlight_table,
        "eclipse_seasons": seasons_table,
        "ground_track": _ground_track(loaded, shells, epoch_jd),
        "snapshot": _snapshot(loaded, shells, epoch_jd),
    }
    return metrics, tables
