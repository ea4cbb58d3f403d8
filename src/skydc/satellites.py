"""From scenario shells to satellites: element sets or SGP4 records, with ids and plane indices."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from skydc.errors import ScenarioError
from skydc.orbits.elements import OrbitalElements
from skydc.scenario.models import CatalogShell, SunSynchronousShell, WalkerShell
from skydc.timescale import jd_utc_from_datetime

if TYPE_CHECKING:
    from sgp4.api import Satrec

    from skydc.scenario.load import LoadedScenario


@dataclass(frozen=True)
class ShellSatellites:
    """The satellites of one shell.

    Generated shells carry ``elements`` (mean elements at the scenario epoch, propagated by the
    J2 mean-element theory); catalog shells carry ``satrecs`` (propagated by SGP4) and ``elements``
    approximating them at the scenario epoch (for plane geometry and eclipse seasons only).
    """

    name: str
    kind: str
    first_sat_id: int
    elements: OrbitalElements
    plane_index: NDArray[np.int64]
    satrecs: tuple[Satrec, ...] | None = None
    ltan_h: float | None = None

    @property
    def n_sat(self) -> int:
        """Number of satellites."""
        return self.elements.n_sat

    @property
    def planes(self) -> int:
        """Number of distinct orbit planes."""
        return int(self.plane_index.max()) + 1 if self.n_sat else 0

    @property
    def plane_representatives(self) -> NDArray[np.intp]:
        """Index of the first satellite of each plane (one per plane, for plane geometry)."""
        _, first = np.unique(self.plane_index, return_index=True)
        return first.astype(np.intp)

    @property
    def is_circular(self) -> bool:
        """Every satellite on a circular orbit propagated by the J2 theory."""
        return self.satrecs is None and bool(np.all(self.elements.e == 0.0))


def _catalog_path(loaded: LoadedScenario, shell: CatalogShell) -> Path:
    path = Path(shell.file)
    return path if path.is_absolute() else loaded.base_dir / path


def _read_catalog(loaded: LoadedScenario, index: int, shell: CatalogShell) -> list[Satrec]:
    from skydc.orbits.tle import read_omm, read_tle

    path = _catalog_path(loaded, shell)
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
    from skydc.orbits.constellation import sso_shell, walker_delta, walker_star
    from skydc.orbits.tle import satrecs_to_elements

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
                shell.planes,
                shell.sats_per_plane,
                shell.phasing,
                shell.a_m,
                shell.i_rad,
                epoch,
                raan0_rad=math.radians(shell.raan0_deg),
            )
            planes = np.repeat(np.arange(shell.planes, dtype=np.int64), shell.sats_per_plane)
        elif isinstance(shell, SunSynchronousShell):
            elements = sso_shell(
                shell.planes,
                shell.sats_per_plane,
                shell.phasing,
                shell.a_m,
                shell.ltan_h,
                epoch,
                ltan_spread_h=shell.ltan_spread_h,
            )
            planes = np.repeat(np.arange(shell.planes, dtype=np.int64), shell.sats_per_plane)
            ltan = shell.ltan_h
        else:
            records = catalogs[index]
            satrecs = tuple(records)
            elements = satrecs_to_elements(records, epoch)
            planes = np.arange(len(records), dtype=np.int64)  # each its own plane
        shells.append(
            ShellSatellites(
                name=shell.name,
                kind=shell.type,
                first_sat_id=next_id,
                elements=elements,
                plane_index=planes,
                satrecs=satrecs,
                ltan_h=ltan,
            )
        )
        next_id += elements.n_sat
    return shells
