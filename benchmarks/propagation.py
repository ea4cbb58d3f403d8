"""Propagation benchmark: skydc's circular engine against sgp4 and astroz, one process.

The same Walker-delta constellation (default 10,000 satellites, 550 km, 53 deg, 100 planes,
1 day at 60 s = 14.4 million satellite-steps) from the same mean elements:

(a) skydc ``circular_states``: Earth-fixed (PEF) positions AND conical-shadow sunlit
    fraction, secular J2 mean elements (no short-period terms, no drag);
(b) sgp4 ``SatrecArray.sgp4`` (Vallado's C++ SGP4, single-threaded): TEME positions and
    velocities, no Earth-fixed rotation, no sunlight;
(c) astroz ``propagate(..., output="ecef")`` (Zig SIMD SGP4, multi-threaded): Earth-fixed
    positions, no sunlight.

Each is timed as the best of ``--repeats`` calls (sgp4: at most 2, ~10 s each) after a warm-up
(numba compile, astroz parsing), each call allocating its own output the way a user's call
does. The write floor (32 B per satellite-step into fresh and into mapped memory) and the
NumPy backend's rate are printed alongside. Rates are
satellite-steps per second. The last line is ``skydc vs astroz: <R1>x, vs sgp4: <R2>x``.

    .venv/bin/python benchmarks/propagation.py [--sats 10000] [--steps 1440] [--backend auto]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import time
from collections.abc import Callable
from importlib.metadata import version

import numpy as np

from skydc.constants import EARTH_RADIUS_M
from skydc.orbits.circular import circular_states, iter_circular_states
from skydc.orbits.constellation import walker_delta
from skydc.orbits.elements import OrbitalElements
from skydc.orbits.tle import elements_to_satrecs
from skydc.timescale import datetime_from_jd_utc, jd_utc_at

EPOCH_JD_UTC = 2460676.5  # 2025-01-01T00:00 UTC


def _best_of(fn: Callable[[], object], repeats: int) -> float:
    best = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
        del result
    return best


def _constellation(n_sats: int) -> OrbitalElements:
    planes = max(p for p in range(1, math.isqrt(n_sats) + 1) if n_sats % p == 0)
    return walker_delta(
        planes, n_sats // planes, 1, EARTH_RADIUS_M + 550e3, math.radians(53.0), EPOCH_JD_UTC
    )


def _omm_json(satrecs: list) -> str:
    """CCSDS OMM records (JSON) for astroz with the Kozai mean motion sgp4 was started from."""
    epoch = datetime_from_jd_utc(EPOCH_JD_UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
    records = [
        {
            "OBJECT_NAME": f"WALKER-{k}",
            "OBJECT_ID": "2025-000A",
            "EPOCH": epoch,
            "MEAN_MOTION": s.no_kozai * 1440.0 / (2.0 * math.pi),
            "ECCENTRICITY": s.ecco,
            "INCLINATION": math.degrees(s.inclo),
            "RA_OF_ASC_NODE": math.degrees(s.nodeo),
            "ARG_OF_PERICENTER": math.degrees(s.argpo),
            "MEAN_ANOMALY": math.degrees(s.mo),
            "EPHEMERIS_TYPE": 0,
            "CLASSIFICATION_TYPE": "U",
            "NORAD_CAT_ID": 100000 + k,
            "ELEMENT_SET_NO": 999,
            "REV_AT_EPOCH": 0,
            "BSTAR": 0.0,
            "MEAN_MOTION_DOT": 0.0,
            "MEAN_MOTION_DDOT": 0.0,
        }
        for k, s in enumerate(satrecs)
    ]
    return json.dumps(records)


def _write_floor(n_sat: int, n_time: int, repeats: int) -> tuple[float, float]:
    """Seconds to write 32 bytes per satellite-step (the output's size) into fresh memory and
    into memory already mapped: the memory-bandwidth floor (numba threads, else one thread)."""

    def fill(r: np.ndarray, f: np.ndarray) -> None:
        r.fill(1.0)
        f.fill(1.0)

    try:
        import numba

        @numba.njit(parallel=True)
        def fill_parallel(r: np.ndarray, f: np.ndarray) -> None:
            for s in numba.prange(r.shape[1]):
                for j in range(r.shape[2]):
                    r[0, s, j] = 1.0
                    r[1, s, j] = 1.0
                    r[2, s, j] = 1.0
                    f[s, j] = 1.0

        fill = fill_parallel
    except ImportError:
        pass
    r, f = np.empty((3, 2, 2)), np.empty((2, 2))
    fill(r, f)  # compile

    def fresh() -> None:
        fill(np.empty((3, n_sat, n_time)), np.empty((n_sat, n_time)))

    r, f = np.empty((3, n_sat, n_time)), np.empty((n_sat, n_time))
    fill(r, f)
    return _best_of(fresh, repeats), _best_of(lambda: fill(r, f), repeats)


def _machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            model = next(line.split(":", 1)[1].strip() for line in f if "model name" in line)
    except (OSError, StopIteration):
        pass
    return f"{model}, {os.cpu_count()} logical cores, {platform.system()} {platform.release()}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sats", type=int, default=10_000, help="satellites (default 10000)")
    parser.add_argument("--steps", type=int, default=1440, help="time steps (default 1440)")
    parser.add_argument("--step-s", type=float, default=60.0, help="step [s] (default 60)")
    parser.add_argument("--backend", default="auto", help="skydc backend: auto|numpy|numba")
    parser.add_argument("--repeats", type=int, default=5, help="timed calls per engine")
    args = parser.parse_args(argv)

    import astroz
    from sgp4.api import SatrecArray

    elements = _constellation(args.sats)
    n_sat = elements.n_sat
    t_s = np.arange(args.steps) * args.step_s
    work = n_sat * args.steps
    jd = jd_utc_at(EPOCH_JD_UTC, t_s)
    backend = args.backend
    if backend == "auto":
        import skydc._accel

        backend = "numba" if skydc._accel.numba_available() else "numpy"
    numba_threads = ""
    if backend == "numba":
        import numba

        numba_threads = f", numba {numba.__version__} ({numba.get_num_threads()} threads)"
    print(f"machine: {_machine()}")
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, skydc "
        f"{version('skydc')}{numba_threads}, sgp4 {version('sgp4')}, astroz {astroz.__version__}"
    )
    print(
        f"work: {n_sat} satellites (Walker delta 550 km 53 deg) x {args.steps} steps of "
        f"{args.step_s:g} s = {work / 1e6:.1f} M satellite-steps; best of {args.repeats} "
        f"(sgp4: best of {max(1, min(args.repeats, 2))}, it takes ~10 s a call)"
    )

    # (a) skydc: Earth-fixed positions + sunlit fraction.
    start_time = time.perf_counter()
    circular_states(elements.take(slice(0, 8)), t_s[:8], backend=backend)  # compile / warm-up
    first_call_s = time.perf_counter() - start_time
    t_skydc = _best_of(lambda: circular_states(elements, t_s, backend=backend), args.repeats)
    t_numpy = None
    if backend != "numpy":  # the always-available backend, for reference
        t_numpy = _best_of(lambda: circular_states(elements, t_s, backend="numpy"), 2)

    def stream() -> None:
        for _ in iter_circular_states(elements, t_s, chunk_steps=60, backend=backend):
            pass

    t_stream = _best_of(stream, args.repeats)

    # (b) sgp4 SatrecArray: TEME positions (and velocities), single-threaded C++.
    satrecs = elements_to_satrecs(elements)
    sat_array = SatrecArray(satrecs)
    whole = np.floor(jd)
    frac = jd - whole
    sat_array.sgp4(whole[:2], frac[:2])
    t_sgp4 = _best_of(lambda: sat_array.sgp4(whole, frac), max(1, min(args.repeats, 2)))

    # (c) astroz: Earth-fixed positions from the same mean elements.
    constellation = astroz.Constellation(_omm_json(satrecs))
    start = datetime_from_jd_utc(EPOCH_JD_UTC)
    minutes = t_s / 60.0
    astroz.propagate(constellation, minutes[:2], start_time=start, output="ecef")
    t_astroz = _best_of(
        lambda: astroz.propagate(constellation, minutes, start_time=start, output="ecef"),
        args.repeats,
    )

    # Sanity: the three describe the same satellites (differences are SGP4's periodic terms).
    few = slice(0, min(n_sat, 50))
    ours = circular_states(elements.take(few), t_s, backend=backend).r_m
    theirs = astroz.propagate(constellation, minutes, start_time=start, output="ecef")[:, few]
    diff_km = np.linalg.norm(ours - np.moveaxis(theirs, 2, 0).swapaxes(1, 2) * 1e3, axis=0) / 1e3
    _, r_sgp4, _ = SatrecArray(satrecs[few]).sgp4(whole, frac)
    theirs_teme = np.moveaxis(
        astroz.propagate(constellation, minutes, start_time=start, output="teme")[:, few], 2, 0
    )
    sgp4_vs_astroz_m = np.abs(np.moveaxis(r_sgp4, 2, 0).swapaxes(1, 2) - theirs_teme).max() * 1e3

    t_floor_fresh, t_floor_warm = _write_floor(n_sat, args.steps, args.repeats)
    rows = [
        ("floor: write 32 B/sat-step to fresh memory (page faults)", t_floor_fresh),
        ("floor: write 32 B/sat-step to mapped memory", t_floor_warm),
        (f"skydc circular_states ({backend}), ECEF + sunlit fraction", t_skydc),
        (f"skydc iter_circular_states ({backend}, 60-step chunks), same", t_stream),
        *([("skydc circular_states (numpy), same (best of 2)", t_numpy)] if t_numpy else []),
        ("sgp4 SatrecArray.sgp4, TEME only (r and v), 1 thread", t_sgp4),
        ("astroz propagate(output='ecef'), ECEF only", t_astroz),
    ]
    print(f"{'engine':64s} {'time [s]':>9s} {'sat-steps/s':>12s}")
    for name, seconds in rows:
        print(f"{name:64s} {seconds:9.3f} {work / seconds:12.3e}")
    print(f"skydc first call ({backend} compile or cache load, tiny input): {first_call_s:.2f} s")
    print(
        f"check: skydc vs astroz ECEF median {np.median(diff_km):.2f} km, max "
        f"{diff_km.max():.2f} km (SGP4 periodic terms); astroz vs sgp4 TEME max "
        f"{sgp4_vs_astroz_m:.3g} m"
    )
    r1 = t_astroz / t_skydc
    r2 = t_sgp4 / t_skydc
    sys.stdout.flush()
    print(f"skydc vs astroz: {r1:.1f}x, vs sgp4: {r2:.1f}x")


if __name__ == "__main__":
    main()
