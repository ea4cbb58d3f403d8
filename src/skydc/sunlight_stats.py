"""Streaming sunlight statistics over time chunks: per-step shares, per-satellite totals, eclipses.

The runner evaluates a constellation chunk by chunk in time, so memory stays bounded at a million
satellites. This accumulator keeps only O(n_sat) state between chunks: each satellite's running
sunlit sum, its last sample, and the start time of an eclipse still in progress.

An eclipse begins when the sunlit fraction falls below one half (the centre of the solar disc goes
behind the Earth) and ends when it rises above one half again; crossing times are interpolated
linearly between samples. This is the event a point-Sun model (and so skyfield's ``is_sunlit``)
reports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from skydc._args import choice

ECLIPSE_THRESHOLD = 0.5
_UNKNOWN_START = -np.inf  # eclipse already under way when the window opened
_NO_ECLIPSE = np.nan


Refiner = Callable[
    [NDArray[np.intp], NDArray[np.float64], NDArray[np.float64]], NDArray[np.float64]
]


@dataclass
class SunlightAccumulator:
    """Running sunlight statistics of one shell (``n_sat`` satellites).

    ``refine(sat, t0_s, t1_s)``, if given, returns each crossing's time inside its step more
    precisely than the linear interpolation of the samples (NaN: keep the interpolation); it is
    asked only for the crossings that time a complete eclipse (the others feed no metric).
    ``backend="numba"`` folds each chunk in one fused pass (``skydc._accel.sunlight_numba``;
    for callers whose propagation already runs on numba), ``"numpy"`` in array passes; the two
    agree to rounding (the per-step mean sums in another order).
    """

    n_sat: int
    refine: Refiner | None = None
    backend: str = "numpy"
    sunlit_sum: NDArray[np.float64] = field(init=False)
    min_fraction: NDArray[np.float64] = field(init=False)
    samples: int = field(init=False, default=0)
    last_t_s: float = field(init=False, default=np.nan)
    last_fraction: NDArray[np.float64] | None = field(init=False, default=None)
    open_start_s: NDArray[np.float64] = field(init=False)
    open_t0_s: NDArray[np.float64] = field(init=False)  # the step of that open eclipse's entry
    open_t1_s: NDArray[np.float64] = field(init=False)
    entries: int = field(init=False, default=0)
    exits: int = field(init=False, default=0)
    completed_count: int = field(init=False, default=0)
    completed_sum_s: float = field(init=False, default=0.0)
    completed_max_s: float = field(init=False, default=0.0)
    step_times_s: list[NDArray[np.float64]] = field(init=False, default_factory=list)
    step_mean: list[NDArray[np.float64]] = field(init=False, default_factory=list)
    step_eclipsed: list[NDArray[np.float64]] = field(init=False, default_factory=list)
    step_umbra: list[NDArray[np.float64]] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        choice("backend", self.backend, ("numpy", "numba"))
        self.sunlit_sum = np.zeros(self.n_sat)
        self.min_fraction = np.ones(self.n_sat)
        self.open_start_s = np.full(self.n_sat, _NO_ECLIPSE)
        self.open_t0_s = np.full(self.n_sat, np.nan)
        self.open_t1_s = np.full(self.n_sat, np.nan)

    def add(self, t_s: NDArray[np.float64], fraction: NDArray[np.float64]) -> None:
        """Fold in one chunk: ``t_s`` (k,), ``fraction`` (n_sat, k) sunlit fractions."""
        if fraction.shape != (self.n_sat, t_s.shape[0]):
            raise ValueError(f"fraction has shape {fraction.shape}, expected ({self.n_sat}, k)")
        first = self.last_fraction is None
        if self.backend == "numba":
            from skydc._accel.sunlight_numba import fold_chunk

            mean, eclipsed, umbra, crossings = fold_chunk(
                np.ascontiguousarray(fraction, dtype=np.float64), self.last_fraction,
                ECLIPSE_THRESHOLD, self.sunlit_sum, self.min_fraction,
            )  # fmt: skip
        else:
            mean, eclipsed, umbra, crossings = self._fold_numpy(fraction)
        self.samples += t_s.shape[0]
        self.step_times_s.append(np.array(t_s, dtype=float))
        self.step_mean.append(mean)
        self.step_eclipsed.append(eclipsed)
        self.step_umbra.append(umbra)
        if first:  # first sample of the run
            self.open_start_s[fraction[:, 0] < ECLIPSE_THRESHOLD] = _UNKNOWN_START
            ext_t = np.asarray(t_s, dtype=float)
        else:
            ext_t = np.concatenate(([self.last_t_s], t_s))
        self._events(ext_t, *crossings)
        self.last_t_s = float(t_s[-1])
        self.last_fraction = np.array(fraction[:, -1], dtype=np.float64)

    def _fold_numpy(
        self, fraction: NDArray[np.float64]
    ) -> tuple[
        NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], tuple[NDArray[Any], ...]
    ]:
        """Sums and minimum per satellite (in place), the per-step shares, and the crossings
        ``(sat, step, f0, f1)``: between samples ``step`` and ``step + 1`` of the chunk joined
        to the previous sample (when there is one), sorted by satellite then time."""
        n = max(self.n_sat, 1)
        self.sunlit_sum += fraction.sum(axis=1)
        np.minimum(self.min_fraction, fraction.min(axis=1), out=self.min_fraction)
        dark = fraction < ECLIPSE_THRESHOLD
        shares = (
            fraction.mean(axis=0),
            np.count_nonzero(dark, axis=0) / n,
            np.count_nonzero(fraction <= 0.0, axis=0) / n,
        )
        # change[:, j]: the darkness differs between sample j and the one before it (column 0:
        # the previous chunk's last sample); np.nonzero orders the crossings by satellite, time
        change = np.empty(dark.shape, dtype=bool)
        np.not_equal(dark[:, 1:], dark[:, :-1], out=change[:, 1:])
        prev = self.last_fraction
        if prev is None:
            change[:, 0] = False
        else:
            np.not_equal(dark[:, 0], prev < ECLIPSE_THRESHOLD, out=change[:, 0])
        sat, j = np.nonzero(change)
        f1 = fraction[sat, j]
        if prev is None:
            return (*shares, (sat, j - 1, fraction[sat, j - 1], f1))
        f0 = np.where(j > 0, fraction[sat, np.maximum(j - 1, 0)], prev[sat])
        return (*shares, (sat, j, f0, f1))

    def _events(
        self,
        t: NDArray[np.float64],
        sat: NDArray[np.intp],
        step: NDArray[np.intp],
        f0: NDArray[np.float64],
        f1: NDArray[np.float64],
    ) -> None:
        """Fold in the crossings between samples ``step`` and ``step + 1`` of times ``t``.

        Only the crossings that time a complete eclipse are refined (an exit whose entry is
        known, and that entry): no metric reads the others, and an entry still open is kept
        with its step, to be refined if a later chunk completes it.
        """
        if sat.size == 0:
            return
        t0, t1 = t[step], t[step + 1]
        with np.errstate(divide="ignore", invalid="ignore"):
            w = np.where(f0 != f1, (f0 - ECLIPSE_THRESHOLD) / (f0 - f1), 0.5)
        t_cross = t0 + np.clip(w, 0.0, 1.0) * (t1 - t0)
        is_entry = f1 < ECLIPSE_THRESHOLD  # dark after the crossing
        exits = ~is_entry
        self.entries += int(is_entry.sum())
        self.exits += int(exits.sum())
        # np.nonzero returns events sorted by satellite, then time: an exit's entry is the event
        # just before it for the same satellite, or an eclipse carried in from an earlier chunk.
        prev_same = np.zeros(sat.size, dtype=bool)
        prev_same[1:] = sat[1:] == sat[:-1]
        if self.refine is not None:
            carried = exits & ~prev_same & np.isfinite(self.open_start_s[sat])
            complete = (exits & prev_same) | carried
            need = complete.copy()
            need[:-1] |= complete[1:] & prev_same[1:]  # the entry of an exit in this chunk
            if need.any():
                better = self.refine(sat[need].astype(np.intp), t0[need], t1[need])
                t_cross[need] = np.where(np.isfinite(better), better, t_cross[need])
            if carried.any():  # entries left open by an earlier chunk, completed now
                s_c = sat[carried]
                better = self.refine(s_c.astype(np.intp), self.open_t0_s[s_c], self.open_t1_s[s_c])
                self.open_start_s[s_c] = np.where(
                    np.isfinite(better), better, self.open_start_s[s_c]
                )
        prev_t = np.empty(sat.size)
        prev_t[1:] = t_cross[:-1]
        start = np.where(prev_same, prev_t, self.open_start_s[sat])
        durations = t_cross[exits] - start[exits]
        durations = durations[np.isfinite(durations)]  # unknown starts are not complete eclipses
        if durations.size:
            self.completed_count += int(durations.size)
            self.completed_sum_s += float(durations.sum())
            self.completed_max_s = max(self.completed_max_s, float(durations.max()))
        # the last event of each satellite decides whether an eclipse is left open
        last = np.ones(sat.size, dtype=bool)
        last[:-1] = sat[:-1] != sat[1:]
        s_last = sat[last]
        self.open_start_s[s_last] = np.where(is_entry[last], t_cross[last], _NO_ECLIPSE)
        self.open_t0_s[s_last] = t0[last]
        self.open_t1_s[s_last] = t1[last]

    # --- results ----------------------------------------------------------------------------------

    def per_satellite_fraction(self) -> NDArray[np.float64]:
        """Each satellite's mean sunlit fraction over the samples [0-1]."""
        return self.sunlit_sum / max(self.samples, 1)

    def series(self) -> dict[str, NDArray[np.float64]]:
        """Per-time-step shares: mean sunlit fraction, share eclipsed (< 1/2), share in umbra."""
        if not self.step_times_s:
            empty = np.zeros(0)
            return {"t_s": empty, "mean": empty, "eclipsed": empty, "umbra": empty}
        return {
            "t_s": np.concatenate(self.step_times_s),
            "mean": np.concatenate(self.step_mean),
            "eclipsed": np.concatenate(self.step_eclipsed),
            "umbra": np.concatenate(self.step_umbra),
        }

    def metrics(self) -> dict[str, float | int]:
        """Summary numbers for ``metrics.json``."""
        per_sat = self.per_satellite_fraction()
        return {
            "sunlit_fraction_mean": float(per_sat.mean()) if self.n_sat else float("nan"),
            "satellite_sunlit_fraction_min": float(per_sat.min()) if self.n_sat else float("nan"),
            "satellite_sunlit_fraction_max": float(per_sat.max()) if self.n_sat else float("nan"),
            "satellites_never_eclipsed": int(
                np.count_nonzero(self.min_fraction >= ECLIPSE_THRESHOLD)
            ),
            "eclipse_entries": self.entries,
            "eclipse_exits": self.exits,
            "complete_eclipses": self.completed_count,
            "eclipse_max_s": self.completed_max_s if self.completed_count else float("nan"),
            "eclipse_mean_s": self.completed_sum_s / self.completed_count
            if self.completed_count
            else float("nan"),
        }
