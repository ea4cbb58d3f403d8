"""Stage ``constellation``: every shell's satellites, from generated shells or TLE/OMM files.

Generated shells (Walker delta/star, sun-synchronous) become mean elements at the epoch;
catalog shells are read and validated (SGP4 records) and approximated by elements at the epoch
for plane geometry and eclipse seasons. Satellites get global ids in shell order. Every shell
gets a plane structure (planes and in-plane slots, :mod:`skydc.orbits.planes`): generated
shells their own; catalog shells the layout declared by ``planes``/``sats_per_plane`` or a
Hypatia ``tles.txt`` header, else inferred from inclination and RAAN.
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
from skydc.io.hypatia import is_hypatia_tles
from skydc.io.hypatia import read_tles as read_hypatia_tles
from skydc.orbits.constellation import sso_shell, walker_delta, walker_star
from skydc.orbits.elements import OrbitalElements
from skydc.orbits.planes import PlaneStructure, declared_planes, infer_planes
from skydc.orbits.tle import read_omm, read_tle, satrecs_to_elements
from skydc.pipeline.base import Context, OutputDisplay, Stage
from skydc.pipeline.catalog_checks import check_catalog_satellites
from skydc.pipeline.shells import ShellSatellites
from skydc.scenario.load import LoadedScenario
from skydc.scenario.models import CatalogShell, SunSynchronousShell, WalkerShell
from skydc.timescale import jd_utc_from_datetime


def catalog_path(loaded: LoadedScenario, shell: CatalogShell) -> Path:
    """A catalog shell's file, relative paths taken from the scenario's folder."""
    path = Path(shell.file)
    return path if path.is_absolute() else loaded.base_dir / path


@dataclass(frozen=True)
class Catalog:
    """A catalog shell's records in file order, and the plane layout its file declares
    (Hypatia's ``tles.txt`` header), if any."""

    records: list[Satrec]
    layout: tuple[int, int] | None = None

    def __len__(self) -> int:
        return len(self.records)


def _read_catalog(loaded: LoadedScenario, index: int, shell: CatalogShell) -> Catalog:
    path = catalog_path(loaded, shell)
    field = f"shells[{index}].file"
    if not path.is_file():
        raise ScenarioError(f"file not found: {path}", file=loaded.source, field=field)
    layout: tuple[int, int] | None = None
    try:
        if shell.type == "tle" and is_hypatia_tles(path):
            hypatia = read_hypatia_tles(path)
            records = [sat for _name, sat in hypatia.records]
            layout = (hypatia.n_orbits, hypatia.n_sats_per_orbit)
        else:
            reader = read_tle if shell.type == "tle" else read_omm
            records = [sat for _name, sat in reader(path)]
    except ScenarioError as exc:
        raise ScenarioError(exc.message, file=exc.file or str(path), field=field) from None
    if not records:
        raise ScenarioError("the file holds no satellites", file=str(path), field=field)
    if shell.planes is not None and shell.sats_per_plane is not None:
        if shell.planes * shell.sats_per_plane != len(records):
            raise ScenarioError(
                f"{shell.planes} planes x {shell.sats_per_plane} satellites = "
                f"{shell.planes * shell.sats_per_plane}, but {path.name} holds {len(records)}",
                file=loaded.source,
                field=f"shells[{index}].planes",
            )
        layout = (shell.planes, shell.sats_per_plane)
    return Catalog(records, layout)


def load_catalogs(loaded: LoadedScenario) -> dict[int, Catalog]:
    """Open and validate every TLE/OMM file the scenario names (index of shell -> catalog)."""
    return {
        i: _read_catalog(loaded, i, shell)
        for i, shell in enumerate(loaded.scenario.shells)
        if isinstance(shell, CatalogShell)
    }


def _structure(
    elements: OrbitalElements, layout: tuple[int, int] | None, source: str, numbering: str
) -> PlaneStructure:
    """Planes and slots: declared by a layout (rows plane by plane), else inferred."""
    phase = elements.argp_rad + elements.mean_anomaly_rad
    if layout is not None:
        return declared_planes(
            elements.i_rad, elements.raan_rad, phase, layout[0], layout[1], source=source
        )
    return infer_planes(elements.i_rad, elements.raan_rad, phase, numbering=numbering)


def build_constellation(
    loaded: LoadedScenario,
) -> tuple[list[ShellSatellites], list[PlaneStructure]]:
    """Every shell's satellites, with global ids in shell order, and their plane structure.

    A catalog shell keeps one plane per satellite in ``ShellSatellites.plane_index`` (each
    satellite's own node for plane geometry and eclipse seasons); the network's planes and
    slots are the :class:`~skydc.orbits.planes.PlaneStructure` (declared or inferred).
    """
    scenario = loaded.scenario
    epoch = jd_utc_from_datetime(scenario.epoch_utc)
    catalogs = load_catalogs(loaded)
    shells: list[ShellSatellites] = []
    structures: list[PlaneStructure] = []
    next_id = 0
    for index, shell in enumerate(scenario.shells):
        ltan: float | None = None
        satrecs: tuple[Satrec, ...] | None = None
        if isinstance(shell, WalkerShell):
            make = walker_delta if shell.type == "walker-delta" else walker_star
            elements = make(
                shell.planes, shell.sats_per_plane, shell.phasing, shell.a_m, shell.i_rad, epoch,
                raan0_rad=math.radians(shell.raan0_deg), slot_numbering=shell.slot_numbering,
            )  # fmt: skip
            planes = np.repeat(np.arange(shell.planes, dtype=np.int64), shell.sats_per_plane)
            structure = _structure(
                elements, (shell.planes, shell.sats_per_plane), "generated", "walker"
            )
        elif isinstance(shell, SunSynchronousShell):
            elements = sso_shell(
                shell.planes, shell.sats_per_plane, shell.phasing, shell.a_m, shell.ltan_h, epoch,
                ltan_spread_h=shell.ltan_spread_h,
            )  # fmt: skip
            planes = np.repeat(np.arange(shell.planes, dtype=np.int64), shell.sats_per_plane)
            ltan = shell.ltan_h
            structure = _structure(
                elements, (shell.planes, shell.sats_per_plane), "generated", "walker"
            )
        else:
            catalog = catalogs[index]
            satrecs = tuple(catalog.records)
            elements = satrecs_to_elements(catalog.records, epoch)
            planes = np.arange(len(catalog.records), dtype=np.int64)  # each its own node
            source = "inferred" if catalog.layout is None else "declared"
            structure = _structure(elements, catalog.layout, source, shell.slot_numbering)
        satellites = ShellSatellites(
            name=shell.name, kind=shell.type, first_sat_id=next_id, elements=elements,
            plane_index=planes, satrecs=satrecs, ltan_h=ltan,
        )  # fmt: skip
        shells.append(satellites)
        structures.append(structure)
        next_id += elements.n_sat
    return shells, structures


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


@dataclass(frozen=True, repr=False)
class ConstellationOutput(OutputDisplay):
    """The satellites of every shell, in global id order."""

    shells: tuple[ShellSatellites, ...]
    epoch_jd: float
    structures: tuple[PlaneStructure, ...] = ()

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
                **self._structure_metrics(),
            }
        }

    def _structure_metrics(self) -> dict[str, Any]:
        """What plane structure the catalog shells got: planes, sizes, outliers."""
        found = {
            shell.name: structure.summary()
            for shell, structure in zip(self.shells, self.structures, strict=True)
            if shell.satrecs is not None
        }
        return {"plane_structure": found} if found else {}

    def tables(self) -> dict[str, pa.Table]:
        return {"shells": pa.Table.from_pylist([shell_row(s) for s in self.shells])}


def run(ctx: Context) -> ConstellationOutput:
    """Build the constellation of ``ctx``'s scenario."""
    shells, structures = build_constellation(ctx.loaded)
    return ConstellationOutput(tuple(shells), ctx.epoch_jd, tuple(structures))


def check(loaded: LoadedScenario) -> None:
    """Read and validate every TLE/OMM file the scenario names, and check that each of its
    satellites propagates over the run's window."""
    for index, catalog in load_catalogs(loaded).items():
        shell = loaded.scenario.shells[index]
        assert isinstance(shell, CatalogShell)
        path = str(catalog_path(loaded, shell))
        check_catalog_satellites(loaded, index, path, catalog.records)


STAGE = Stage(
    name="constellation",
    requires=(),
    run=run,
    reads=("epoch_utc", "shells"),
    check=check,
    description="satellites of every shell (generated or from TLE/OMM files)",
)
