"""Helpers every stage below the runner shares: a shell's satellites, the time grid, and the
states (Earth-fixed positions and sunlit fraction) of a shell at given times.

Nothing here is a stage; the constellation stage builds :class:`ShellSatellites`, and the
sunlight, network, operations and export stages evaluate them with :func:`shell_states`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from numpy.typing import NDArray
from sgp4.api import Satrec

from skydc.environment.shadow import sunlit_fraction
from skydc.environment.sun import sun_position_teme_m
from skydc.orbits.circular import chunk_buffer_size, circular_states, iter_circular_states
from skydc.orbits.elements import OrbitalElements
from skydc.orbits.frames import teme_to_ecef
from skydc.orbits.j2 import propagate_j2
from skydc.orbits.tle import propagate_sgp4
from skydc.scenario.models import Scenario
from skydc.timescale import jd_utc_at, jd_utc_split

# Working memory per satellite-step of the general state path (J2 or SGP4 then the shadow, in
# NumPy): positions (24 B), sunlit fraction (8 B) and the temporaries, ~10 float64 arrays of chunk
# size. An upper bound for every shell.
BYTES_PER_SAT_STEP = 160
# Circular J2 shells stream through one plan and one reused buffer (iter_circular_states: 24 B of
# positions + 8 B of sunlit fraction, either backend; the NumPy one adds ~2 MB of blocks); the
# sunlight statistics (NumPy backend) add a few boolean masks (~5 B). Measured with tracemalloc:
# 37 B per satellite-step at 2x10^4 satellites (45 B while the statistics joined each chunk to
# the previous sample; tests/pipeline/test_chunking.py checks the bound).
CIRCULAR_BYTES_PER_SAT_STEP = 48


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


def time_grid_s(scenario: Scenario) -> NDArray[np.float64]:
    """Sample times [s since epoch], uniform, both ends included."""
    return np.arange(scenario.n_time, dtype=float) * scenario.step_s


def bytes_per_sat_step(shell: ShellSatellites) -> int:
    """Working memory per satellite-step of ``shell``'s state path (see the constants)."""
    return CIRCULAR_BYTES_PER_SAT_STEP if shell.is_circular else BYTES_PER_SAT_STEP


def chunk_steps(
    n_sat: int, memory_budget_mb: float, bytes_per_step: int = BYTES_PER_SAT_STEP
) -> int:
    """Time steps per chunk so one shell's chunk fits the memory budget."""
    return max(1, int(memory_budget_mb * 1e6 / (max(n_sat, 1) * bytes_per_step)))


def times_utc(epoch: datetime, t_s: NDArray[np.float64]) -> NDArray[np.datetime64]:
    """UTC timestamps (microseconds, naive) of offsets ``t_s`` [s] from ``epoch``."""
    base = np.datetime64(epoch.replace(tzinfo=None), "us")
    return base + np.round(t_s * 1e6).astype("timedelta64[us]")


def sun_at(epoch_jd_utc: float, t_s: NDArray[np.float64]) -> NDArray[np.float64]:
    """The Sun's TEME position (3, n_time) [m] at offsets ``t_s`` [s] from the epoch."""
    return sun_position_teme_m(jd_utc_at(epoch_jd_utc, t_s))


def _uniform(t_s: NDArray[np.float64]) -> bool:
    """Whether samples are evenly spaced (the rotation engine needs it)."""
    if t_s.size < 3:
        return True
    step = np.diff(t_s)
    return bool(np.allclose(step, step[0], rtol=1e-9, atol=1e-6))


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
    sel = slice(None) if index is None else index
    elements = shell.elements.take(sel)
    whole, frac = jd_utc_split(epoch_jd_utc, t_s)
    if shell.is_circular and t_s.size > 0 and _uniform(t_s):
        states = circular_states(elements, t_s, frame="ecef", with_sunlit=True, backend=backend)
        assert states.sunlit_fraction is not None
        return states.r_m, states.sunlit_fraction
    if shell.satrecs is not None:
        records = list(np.asarray(shell.satrecs, dtype=object)[sel])
        r_teme, _codes = propagate_sgp4(records, whole, frac)
    else:
        r_teme = propagate_j2(elements, t_s)
    fraction = sunlit_fraction(r_teme, r_sun_teme_m[:, None, :])
    return teme_to_ecef(r_teme, whole, frac), fraction


def iter_shell_states(
    shell: ShellSatellites,
    t_s: NDArray[np.float64],
    epoch_jd_utc: float,
    chunk: int,
    *,
    backend: str = "auto",
    buffer: NDArray[np.float64] | None = None,
) -> Iterator[tuple[slice, NDArray[np.float64], NDArray[np.float64]]]:
    """``(steps, r, fraction)`` of :func:`shell_states` over ``t_s`` in chunks of ``chunk`` steps.

    Circular shells on a uniform grid build one plan for the whole run and write every chunk
    into one reused buffer (:func:`skydc.orbits.circular.iter_circular_states`; ``buffer``, of
    at least :func:`circular_buffer_size` elements, to share one across shells): copy what you
    keep. Other shells are evaluated chunk by chunk.
    """
    if shell.is_circular and t_s.size > 0 and _uniform(t_s):
        chunks = iter_circular_states(
            shell.elements, t_s, chunk_steps=chunk, frame="ecef", with_sunlit=True,
            backend=backend, buffer=buffer,
        )  # fmt: skip
        for steps, states in chunks:
            assert states.sunlit_fraction is not None
            yield steps, states.r_m, states.sunlit_fraction
        return
    for start in range(0, t_s.size, chunk):
        t = t_s[start : start + chunk]
        r, fraction = shell_states(shell, t, epoch_jd_utc, sun_at(epoch_jd_utc, t), backend=backend)
        yield slice(start, start + t.size), r, fraction


def circular_buffer_size(shell: ShellSatellites, n_time: int, chunk: int) -> int:
    """Elements of the reusable buffer :func:`iter_shell_states` needs for ``shell`` (0: it
    takes none, the shell is not evaluated by the circular engine)."""
    if not (shell.is_circular and n_time > 0):
        return 0
    return chunk_buffer_size(shell.n_sat, min(chunk, n_time))


def positions_at(
    shells: Sequence[ShellSatellites], t_s: NDArray[np.float64], epoch_jd_utc: float
) -> NDArray[np.float64]:
    """Earth-fixed positions of every satellite at times ``t_s``, shape (3, n_sat, n_time)."""
    r_sun = sun_at(epoch_jd_utc, t_s)
    return np.concatenate(
        [shell_states(s, t_s, epoch_jd_utc, r_sun)[0] for s in shells], axis=1
    )


def spread(n_pick: int, n: int) -> NDArray[np.intp]:
    """``n_pick`` indices spread evenly over ``range(n)`` (deterministic)."""
    if n_pick <= 0 or n == 0:
        return np.zeros(0, dtype=np.intp)
    return np.unique(np.linspace(0, n - 1, min(n_pick, n)).round().astype(np.intp))
