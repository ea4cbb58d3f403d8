"""Cross-check against Hypatia (satgenpy): Starlink-550 GS-to-GS path lengths at one time step.

Reference data: ``tests/network/data/hypatia_starlink550_t0.csv``, written by
``scripts/make_hypatia_reference.py`` from Hypatia's own TLE, +Grid ISL, ground-station and
forwarding-state code (``algorithm_free_one_only_over_isls``), routed over the positions in
``hypatia_starlink550_positions.csv``. skydc routes over the same positions with its own
topology (plus-grid from plane and slot indices, Hypatia's length limits) and its own routing
(Dijkstra, stations only as end points), so the test isolates topology and routing.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from skydc.network.ground import ground_links
from skydc.network.isl import isl_links
from skydc.network.metrics import gs_path_length_m
from skydc.network.routing import build_graph, shortest_paths_from_ground

DATA = Path(__file__).parent / "data"
one_metre = 1.0
# main_starlink_550.py (Hypatia): the limits the reference was generated with
EARTH_RADIUS_WGS72_M = 6378135.0
MAX_GSL_LENGTH_M = math.sqrt(940700.0**2 + 550000.0**2)
MAX_ISL_LENGTH_M = 2 * math.sqrt(
    (EARTH_RADIUS_WGS72_M + 550000.0) ** 2 - (EARTH_RADIUS_WGS72_M + 80000.0) ** 2
)
PLANES, PER_PLANE = 72, 22


def _read(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    rows = [line.split(",") for line in lines if line and not line.startswith("#")]
    return rows[1:]  # header


def _positions() -> tuple[np.ndarray, np.ndarray]:
    rows = _read("hypatia_starlink550_positions.csv")
    sat = np.array([[float(v) for v in r[2:]] for r in rows if r[0] == "sat"]).T
    gs = np.array([[float(v) for v in r[2:]] for r in rows if r[0] == "gs"]).T
    return sat, gs


@pytest.mark.parametrize("backend", ["scipy", "numba"])
def test_gs_to_gs_path_lengths_match_hypatia(backend: str) -> None:
    r_sat, r_gs = _positions()
    assert r_sat.shape == (3, PLANES * PER_PLANE) and r_gs.shape == (3, 100)
    index = np.arange(r_sat.shape[1])
    links = isl_links(
        "plus-grid", r_sat, MAX_ISL_LENGTH_M, plane_index=index // PER_PLANE,
        slot_index=index % PER_PLANE, isl_shift=0,
    )  # fmt: skip
    assert (
        links.n_links == 2 * PLANES * PER_PLANE
    )  # all plus-grid links in range, as Hypatia asserts
    up = r_gs / np.linalg.norm(r_gs, axis=0)  # no elevation mask: Hypatia's rule is the length
    gsl = ground_links(r_gs, up, -math.pi / 2, r_sat, max_range_m=MAX_GSL_LENGTH_M)
    graph = build_graph(
        r_sat.shape[1], r_gs.shape[1], links.i, links.j, links.length_m,
        gsl.gs, gsl.sat, gsl.length_m,
    )  # fmt: skip
    ours = gs_path_length_m(shortest_paths_from_ground(graph, backend=backend))

    reference = _read("hypatia_starlink550_t0.csv")
    assert len(reference) == 100 * 99
    src = np.array([int(r[0]) for r in reference])
    dst = np.array([int(r[1]) for r in reference])
    expected = np.array([float(r[2]) for r in reference])
    got = ours[src, dst]
    np.testing.assert_array_equal(np.isinf(got), np.isinf(expected))  # same unreachable pairs
    finite = np.isfinite(expected)
    worst = float(np.max(np.abs(got[finite] - expected[finite])))
    print(f"max |skydc - Hypatia| over {finite.sum()} pairs: {worst:.2e} m")
    assert worst < one_metre
