"""Stage ``constellation``: every shell's satellites, from generated shells or TLE/OMM files.

Generated shells (Walker delta/star, sun-synchronous) become mean elements at the epoch;
catalog shells are read and validated (SGP4 records) and approximated by elements at the epoch
for plane geometry and eclipse seasons. Satellites get global ids in shell order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
from sgp4.api import Satrec

from skydc.constants import EARTH_MU_M3_S2, EARTH_RADIUS_M
from skydc.errors import ScenarioError
from skydc.orbits.constellation import sso_shell, walker_delta, walker_star
from skydc.orbits.tle import read_omm, read_tle, satrecs_to_elements
from skydc.pipeline.base import Context, Stage
from skydc.pipeline.shells import ShellSatellites
from skydc.scenario.load import LoadedScenario
from skydc.scenario.models import CatalogShell, SunSynchronousShell, WalkerShell
from skydc.timescale import jd_utc_from_datetime


def catalog_path(loaded: LoadedScenario, shell: CatalogShell) -> Path:
    """A catalog shell's file, relative paths taken from the scenario's folder."""
    path = Path(shell.file)
    return path if path.is_absolute() else loaded.base_dir / path


def _read_catalog(loaded: LoadedScenario, index: int, shell: CatalogShell) -> list[Satrec]:
    path = catalog_path(loaded, shell)
    field = f"shells[{index}].file"
    if not path.is_file():
        raise ScenarioError(f"file not found: {path}", file=loaded.source, field=field)
    try:
        reader = read_tle if shell.type == "tle" else read_omm
        records = [sat for _name, sat in reader(path)]
    except ScenarioError as exc:
        raise ScenarioError(exc.message, file=exc.file or str(path), field=field) from None
    if not records:
        raise ScenarioError("the file holds no satellites", file=str(path), field=field)
    return records


def load_catalogs(loaded: LoadedScenario) -> dict[int, list[Satrec]]:
    """Open and validate every TLE/OMM file the scenario names (index of shell -> records)."""
    return {
        i: _read_catalog(loaded, i, shell)
        for i, shell in enumerate(loaded.scenario.shells)
        if isinstance(shell, CatalogShell)
    }


def build_constellation(loaded: LoadedScenario) -> list[ShellSatellites]:
    """Every shell's satellites, with global ids in shell order."""
    scenario = loaded.scenario
    epoch = jd_utc_from_datetime(scenario.epoch_utc)
    catalogs = load_catalogs(loaded)
    shells: list[ShellSatellites] = []
    next_id = 0
    for index, shell in enumerate(scenario.shells):
        ltan: float | None = None
        satrecs: tuple[Satrec, ...] | None = None
        if isinstance(shell, WalkerShell):
            make = walker_delta if shell.type == "walker-delta" else walker_star
            elements = make(
                shell.planes, shell.sats_per_plane, shell.phasing, shell.a_m, shell.i_rad, epoch,
                raan0_rad=math.radians(shell.raan0_deg),
            )  # fmt: skip
            planes = np.repeat(np.arange(shell.planes, dtype=np.int64), shell.sats_per_plane)
        elif isinstance(shell, SunSynchronousShell):
            elements = sso_shell(
                shell.planes, shell.sats_per_plane, shell.phasing, shell.a_m, shell.ltan_h, epoch,
                ltan_spread_h=shell.ltan_spread_h,
            )  # fmt: skip
            planes = np.repeat(np.arange(shell.planes, dtype=np.int64), shell.sats_per_plane)
            ltan = shell.ltan_h
        else:
            records = catalogs[index]
            satrecs = tuple(records)
            elements = satrecs_to_elements(records, epoch)
            planes = np.arange(len(records), dtype=np.int64)  # each its own plane
        satellites = ShellSatellites(
            name=shell.name, kind=shell.type, first_sat_id=next_id, elements=elements,
            plane_index=planes, satrecs=satrecs, ltan_h=ltan,
        )  # fmt: skip
        shells.append(satellites)
        next_id += elements.n_sat
    return shells


def shell_row(shell: ShellSatellites) -> dict[str, Any]:
    """One row of the ``shells`` table."""
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


@dataclass(frozen=True)
class ConstellationOutput:
    """The satellites of every shell, in global id order."""

    shells: tuple[ShellSatellites, ...]
    epoch_jd: float

    @property
    def n_sat(self) -> int:
        """Satellites in all shells."""
        return sum(s.n_sat for s in self.shells)

    def shell(self, name: str) -> ShellSatellites:
        """One shell by name."""
        return next(s for s in self.shells if s.name == name)

    def metrics(self) -> dict[str, Any]:
        rows = [shell_row(s) for s in self.shells]
        return {
            "constellation": {
                "satellites": self.n_sat,
                "shells": len(self.shells),
                "planes": sum(s.planes for s in self.shells),
                "altitude_min_km": min(r["altitude_km"] for r in rows),
                "altitude_max_km": max(r["altitude_km"] for r in rows),
            }
        }

    def tables(self) -> dict[str, pa.Table]:
        return {"shells": pa.Table.from_pylist([shell_row(s) for s in self.shells])}


def run(ctx: Context) -> ConstellationOutput:
    """Build the constellation of ``ctx``'s scenario."""
    return ConstellationOutput(tuple(build_constellation(ctx.loaded)), ctx.epoch_jd)


def check(loaded: LoadedScenario) -> None:
    """Read and validate every TLE/OMM file the scenario names."""
    load_catalogs(loaded)


STAGE = Stage(
    name="constellation",
    requires=(),
    run=run,
    reads=("epoch_utc", "shells"),
    check=check,
    description="satellites of every shell (generated or from TLE/OMM files)",
)
