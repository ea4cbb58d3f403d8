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

import numpy as np
from numpy.typing import NDArray

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
    precisely than the linear interpolation of the samples (NaN: keep the interpolation).
    """

    n_sat: int
    refine: Refiner | None = None
    sunlit_sum: NDArray[np.float64] = field(init=False)
    min_fraction: NDArray[np.float64] = field(init=False)
    samples: int = field(init=False, default=0)
    last_t_s: float = field(init=False, default=np.nan)
    last_fraction: NDArray[np.float64] | None = field(init=False, default=None)
    open_start_s: NDArray[np.float64] = field(init=False)
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
        self.sunlit_sum = np.zeros(self.n_sat)
        self.min_fraction = np.ones(self.n_sat)
        self.open_start_s = np.full(self.n_sat, _NO_ECLIPSE)

    def add(self, t_s: NDArray[np.float64], fraction: NDArray[np.float64]) -> None:
        """Fold in one chunk: ``t_s`` (k,), ``fraction`` (n_sat, k) sunlit fractions."""
        if fraction.shape != (self.n_sat, t_s.shape[0]):
            raise ValueError(f"fraction has shape {fraction.shape}, expected ({self.n_sat}, k)")
        self.sunlit_sum += fraction.sum(axis=1)
        np.minimum(self.min_fraction, fraction.min(axis=1), out=self.min_fraction)
        self.samples += t_s.shape[0]
        dark = fraction < ECLIPSE_THRESHOLD
        self.step_times_s.append(np.array(t_s, dtype=float))
        self.step_mean.append(fraction.mean(axis=0))
        self.step_eclipsed.append(dark.mean(axis=0))
        self.step_umbra.append((fraction <= 0.0).mean(axis=0))

        if self.last_fraction is None:  # first sample of the run
            self.open_start_s[dark[:, 0]] = _UNKNOWN_START
            ext_t = t_s
            ext_f = fraction
        else:
            ext_t = np.concatenate(([self.last_t_s], t_s))
            ext_f = np.concatenate((self.last_fraction[:, None], fraction), axis=1)
        self._events(ext_t, ext_f)
        self.last_t_s = float(t_s[-1])
        self.last_fraction = fraction[:, -1].copy()

    def _events(self, t: NDArray[np.float64], f: NDArray[np.float64]) -> None:
        dark = f < ECLIPSE_THRESHOLD
        change = np.diff(dark.astype(np.int8), axis=1)  # +1 entry, -1 exit, between j and j+1
        sat, step = np.nonzero(change)
        if sat.size == 0:
            return
        f0 = f[sat, step]
        f1 = f[sat, step + 1]
        with np.errstate(divide="ignore", invalid="ignore"):
            w = np.where(f0 != f1, (f0 - ECLIPSE_THRESHOLD) / (f0 - f1), 0.5)
        t_cross = t[step] + np.clip(w, 0.0, 1.0) * (t[step + 1] - t[step])
        if self.refine is not None:
            better = self.refine(sat.astype(np.intp), t[step], t[step + 1])
            t_cross = np.where(np.isfinite(better), better, t_cross)
        is_entry = change[sat, step] > 0
        self.entries += int(is_entry.sum())
        self.exits += int((~is_entry).sum())
        # np.nonzero returns events sorted by satellite, then time: an exit's entry is the event
        # just before it for the same satellite, or an eclipse carried in from an earlier chunk.
        prev_same = np.zeros(sat.size, dtype=bool)
        prev_same[1:] = sat[1:] == sat[:-1]
        prev_t = np.empty(sat.size)
        prev_t[1:] = t_cross[:-1]
        start = np.where(prev_same, prev_t, self.open_start_s[sat])
        exits = ~is_entry
        durations = t_cross[exits] - start[exits]
        durations = durations[np.isfinite(durations)]  # unknown starts are not complete eclipses
        if durations.size:
            self.completed_count += int(durations.size)
            self.completed_sum_s += float(durations.sum())
            self.completed_max_s = max(self.completed_max_s, float(durations.max()))
        # the last event of each satellite decides whether an eclipse is left open
        last = np.ones(sat.size, dtype=bool)
        last[:-1] = sat[:-1] != sat[1:]
        self.open_start_s[sat[last]] = np.where(is_entry[last], t_cross[last], _NO_ECLIPSE)

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
