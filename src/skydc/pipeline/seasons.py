"""Stage ``seasons``: the eclipse-season survey of every shell's planes over a year.

One satellite per plane, the analytic beta-angle model day by day (``seasons.days`` at
``seasons.step_days``): eclipse duration per orbit and beta angle. Sizing designs each shell for
its worst plane-day; for sun-synchronous shells the altitude above which the orbit sees no
eclipse all year is reported too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from skydc.environment.seasons import (
    EclipseSeasons,
    eclipse_seasons,
    sso_eclipse_free_altitude_km,
)
from skydc.pipeline.base import Context, OutputDisplay, Stage
from skydc.pipeline.constellation import ConstellationOutput
from skydc.pipeline.shells import ShellSatellites
from skydc.scenario.models import SeasonsOptions


def compute_seasons(
    shell: ShellSatellites, epoch_jd: float, opts: SeasonsOptions
) -> EclipseSeasons:
    """The eclipse-season survey of a shell's planes (one satellite per plane)."""
    reps = shell.plane_representatives
    el = shell.elements
    return eclipse_seasons(
        el.a_m[reps], el.i_rad[reps], el.raan_rad[reps], epoch_jd,
        days=opts.days, step_days=opts.step_days,
    )  # fmt: skip


@dataclass(frozen=True, repr=False)
class SeasonsOutput(OutputDisplay):
    """Per shell: the survey, and (sun-synchronous shells) the eclipse-free altitude [km]."""

    seasons: dict[str, EclipseSeasons]
    eclipse_free_above_km: dict[str, float]
    options: SeasonsOptions
    epoch_utc: np.datetime64

    def __getitem__(self, shell: str) -> EclipseSeasons:
        return self.seasons[shell]

    def metrics(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, s in self.seasons.items():
            beta = np.atleast_2d(s.beta_deg)
            eclipse = np.atleast_2d(s.eclipse_s)
            any_eclipse_per_day = np.any(eclipse > 0.0, axis=0)
            m: dict[str, Any] = {
                "days_with_eclipse": round(
                    float(np.sum(any_eclipse_per_day)) * self.options.step_days
                ),
                "eclipse_max_s": float(np.max(eclipse)) if eclipse.size else 0.0,
                "beta_min_deg": float(np.min(beta)),
                "beta_max_deg": float(np.max(beta)),
                "survey_days": self.options.days,
            }
            if name in self.eclipse_free_above_km:
                m["eclipse_free_above_km"] = self.eclipse_free_above_km[name]
            out[name] = m
        return {"eclipse_seasons": out}

    def tables(self) -> dict[str, pa.Table]:
        shells: list[str] = []
        parts: dict[str, list[Any]] = {
            k: [] for k in ("date", "beta_min_deg", "beta_max_deg", "eclipse_max_s")
        }
        epoch_date = self.epoch_utc.astype("datetime64[D]")
        for name, s in self.seasons.items():
            beta = np.atleast_2d(s.beta_deg)
            eclipse = np.atleast_2d(s.eclipse_s)
            day = np.asarray(s.day_offsets, dtype=float)
            shells += [name] * day.size
            parts["date"].append(epoch_date + np.floor(day).astype("timedelta64[D]"))
            parts["beta_min_deg"].append(beta.min(axis=0))
            parts["beta_max_deg"].append(beta.max(axis=0))
            parts["eclipse_max_s"].append(eclipse.max(axis=0))
        return {
            "eclipse_seasons": pa.table(
                {
                    "shell": pa.array(shells, pa.string()),
                    "date": pa.array(np.concatenate(parts["date"]), pa.date32()),
                    **{
                        k: pa.array(np.concatenate(parts[k]))
                        for k in ("beta_min_deg", "beta_max_deg", "eclipse_max_s")
                    },
                }
            )
        }


def run(ctx: Context, constellation: ConstellationOutput) -> SeasonsOutput:
    """Survey every shell's planes over the scenario's season window."""
    opts = ctx.loaded.scenario.seasons
    epoch = constellation.epoch_jd
    seasons = {s.name: compute_seasons(s, epoch, opts) for s in constellation.shells}
    free = {
        s.name: float(sso_eclipse_free_altitude_km(s.ltan_h, epoch, step_days=opts.step_days))
        for s in constellation.shells
        if s.ltan_h is not None
    }
    epoch_utc = np.datetime64(ctx.loaded.scenario.epoch_utc.replace(tzinfo=None), "us")
    return SeasonsOutput(seasons, free, opts, epoch_utc)


STAGE = Stage(
    name="seasons",
    requires=("constellation",),
    run=run,
    reads=("seasons",),
    description="eclipse seasons and beta angles of every plane over a year",
)
