"""Small, deterministic synthetic run outputs (metrics + tables) for the report tests.

The numbers are shaped like a real run (Walker shell and a dawn-dusk SSO shell, circular orbits,
cylindrical shadow, the textbook eclipse-fraction formula) but they are not validated physics: they
only need to exercise every chart and table of the report.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pytest

from skydc.constants import EARTH_RADIUS_M, EARTH_ROTATION_RAD_S

EPOCH = np.datetime64("2025-03-21T00:00:00", "us")
UTC_US = pa.timestamp("us", tz="UTC")
# (name, kind, satellites, planes, altitude_km, inclination_deg, ltan_h)
SHELLS = [
    ("walker-550", "walker-delta", 1584, 72, 550.0, 53.0, None),
    ("sso-dawn-dusk", "sso", 400, 20, 650.0, 97.98, 6.0),
]


def _period_s(alt_km: float) -> float:
    a = EARTH_RADIUS_M + alt_km * 1e3
    return float(2 * np.pi * np.sqrt(a**3 / 398600.4418e9))


def sample_tables(names: list[str] | None = None) -> dict[str, pa.Table]:
    """All five run tables; ``names`` renames the shells (e.g. to test escaping)."""
    names = names or [s[0] for s in SHELLS]
    shells = list(zip(names, *zip(*[s[1:] for s in SHELLS], strict=True), strict=True))
    tables = {
        "shells": pa.table(
            {
                "shell": [s[0] for s in shells],
                "kind": [s[1] for s in shells],
                "satellites": pa.array([s[2] for s in shells], pa.int64()),
                "planes": pa.array([s[3] for s in shells], pa.int64()),
                "altitude_km": [s[4] for s in shells],
                "inclination_deg": [s[5] for s in shells],
                "ltan_h": pa.array([s[6] for s in shells], pa.float64()),
                "period_s": [_period_s(s[4]) for s in shells],
            }
        )
    }
    # sunlight: one day, 60 s steps; a 30-minute NaN gap in the first shell
    t = EPOCH + np.arange(0, 86400, 60).astype("timedelta64[s]")
    frac_a = 0.64 + 0.03 * np.sin(np.arange(t.size) / 95.6 * 2 * np.pi)
    frac_a[300:330] = np.nan
    frac = [frac_a, np.ones(t.size)]
    tables["sunlight"] = pa.table(
        {
            "time_utc": pa.array(np.tile(t, 2), UTC_US),
            "shell": np.repeat(names, t.size),
            "sunlit_fraction_mean": np.concatenate(frac),
            "eclipsed_share": np.concatenate([1 - f for f in frac]),
            "umbra_share": np.concatenate([0.96 * (1 - f) for f in frac]),
        }
    )
    # eclipse seasons: one year, daily; eclipse fraction from beta (cylindrical shadow)
    days = np.arange(365)
    date = (EPOCH.astype("datetime64[D]") + days).astype("datetime64[D]")
    beta = [
        np.degrees(np.arcsin(np.clip(0.97 * np.sin(2 * np.pi * days / 57.0), -1, 1))),
        80.0 + 8.0 * np.cos(2 * np.pi * (days - 92) / 365.25),  # above ~65 deg: never eclipsed
    ]
    cols: dict[str, list[Any]] = {k: [] for k in ("shell", "date", "beta_min_deg", "beta_max_deg")}
    ecl: list[Any] = []
    for name, (_, _, _, _, alt_km, _, _), b in zip(names, SHELLS, beta, strict=True):
        h, r = alt_km * 1e3, EARTH_RADIUS_M
        c = np.sqrt(h**2 + 2 * r * h) / ((r + h) * np.cos(np.radians(b)))
        ecl.append(np.where(c < 1, np.arccos(np.clip(c, -1, 1)) / np.pi, 0.0) * _period_s(alt_km))
        cols["shell"].append(np.repeat(name, days.size))
        cols["date"].append(date)
        cols["beta_min_deg"].append(b - 1.5)
        cols["beta_max_deg"].append(b + 1.5)
    tables["eclipse_seasons"] = pa.table(
        {
            "shell": np.concatenate(cols["shell"]),
            "date": pa.array(np.concatenate(cols["date"]), pa.date32()),
            "beta_min_deg": np.concatenate(cols["beta_min_deg"]),
            "beta_max_deg": np.concatenate(cols["beta_max_deg"]),
            "eclipse_max_s": np.concatenate(ecl),
        }
    )
    tables["ground_track"] = _ground_track(names)
    tables["snapshot"] = _snapshot(names)
    return tables


def _circular_ecef(
    alt_km: float, inc_deg: float, raan: np.ndarray, u0: np.ndarray, t_s: np.ndarray
) -> np.ndarray:
    """Earth-fixed positions (3, n_sat, n_time) of circular orbits (no J2), GMST = 0 at t = 0."""
    n = 2 * np.pi / _period_s(alt_km)
    u = u0[:, None] + n * t_s[None, :]
    node = raan[:, None] - EARTH_ROTATION_RAD_S * t_s[None, :]
    i = np.radians(inc_deg)
    r = EARTH_RADIUS_M + alt_km * 1e3
    return r * np.stack(
        [
            np.cos(u) * np.cos(node) - np.sin(u) * np.cos(i) * np.sin(node),
            np.cos(u) * np.sin(node) + np.sin(u) * np.cos(i) * np.cos(node),
            np.sin(u) * np.sin(i) + 0 * node,
        ]
    )


def _ground_track(names: list[str]) -> pa.Table:
    t = np.arange(0, 3 * 3600, 60.0)
    parts = []
    for k, (name, shell) in enumerate(zip(names, SHELLS, strict=True)):
        p = _circular_ecef(shell[4], shell[5], np.radians([0.0, 120.0]) + k, np.zeros(2), t)
        lat = np.degrees(np.arcsin(p[2] / np.linalg.norm(p, axis=0)))
        lon = np.degrees(np.arctan2(p[1], p[0]))
        parts.append((name, lat, lon))
    n_t = t.size
    return pa.table(
        {
            "shell": np.concatenate([np.repeat(n, 2 * n_t) for n, _, _ in parts]),
            "sat_id": pa.array(np.tile(np.repeat([0, 1], n_t), len(parts)), pa.int64()),
            "time_utc": pa.array(np.tile(EPOCH + (t * 1e6).astype("timedelta64[us]"), 4), UTC_US),
            "lat_deg": np.concatenate([lat.ravel() for _, lat, _ in parts]),
            "lon_deg": np.concatenate([lon.ravel() for _, _, lon in parts]),
        }
    )


def _snapshot(names: list[str]) -> pa.Table:
    shell, x, sat = [], [], []
    for name, (_, _, n_sat, planes, alt_km, inc, _) in zip(names, SHELLS, strict=True):
        k = np.arange(n_sat)
        per = n_sat // planes
        raan = 2 * np.pi * (k // per) / planes
        u0 = 2 * np.pi * (k % per) / per + np.pi * (k // per) / n_sat
        x.append(_circular_ecef(alt_km, inc, raan, u0, np.zeros(1))[:, :, 0])
        shell.append(np.repeat(name, n_sat))
        sat.append(k)
    p = np.concatenate(x, axis=1)
    sun = np.array([1.0, 0.0, 0.0])  # Sun along +x: cylindrical shadow with a soft edge
    along = sun @ p
    off = np.linalg.norm(p - np.outer(sun, along), axis=0)
    sunlit = np.where(along > 0, 1.0, np.clip((off - EARTH_RADIUS_M) / 200e3 + 0.5, 0.0, 1.0))
    return pa.table(
        {
            "shell": np.concatenate(shell),
            "sat_id": pa.array(np.concatenate(sat), pa.int64()),
            "x_m": p[0],
            "y_m": p[1],
            "z_m": p[2],
            "sunlit_fraction": sunlit,
        }
    )


def sample_metrics(names: list[str] | None = None) -> dict[str, Any]:
    """Metrics shaped like the runner's; the eclipse-season summary agrees with the tables."""
    names = names or [s[0] for s in SHELLS]
    seasons = sample_tables(names)["eclipse_seasons"].to_pydict()
    return {
        "scenario": {
            "name": "synthetic <demo> & co",
            "epoch_utc": "2025-03-21T00:00:00Z",
            "duration_s": 86400.0,
            "step_s": 60.0,
        },
        "constellation": {"satellites": 1984, "shells": 2, "planes": 92},
        "sunlight": {
            "sunlit_fraction_mean": 0.7123456,
            "satellite_sunlit_fraction_min": 0.6012,
            "eclipse_events": 23456,
            "eclipse_max_s": 2131.7,
        },
        "eclipse_seasons": {
            name: {"days_with_eclipse": int(np.sum(e > 0)), "eclipse_max_s": float(e.max())}
            for name, e in zip(
                names, np.split(np.array(seasons["eclipse_max_s"]), len(names)), strict=True
            )
        },
        "power": {"bus_power_w": 12345.678, "array_area_m2": 55.25, "battery": {"mass_kg": 42.0}},
        "cost": {"total_usd": 1.234567e9, "launch_usd_per_kg": 1520.0},
        "notes": "synthetic data",
    }


@pytest.fixture
def tables() -> dict[str, pa.Table]:
    return sample_tables()


@pytest.fixture
def metrics() -> dict[str, Any]:
    return sample_metrics()


@pytest.fixture
def make_run() -> Any:
    """Build (metrics, tables) with the shells renamed: ``make_run(["<b>&", "sso"])``."""
    return lambda names=None: (sample_metrics(names), sample_tables(names))
