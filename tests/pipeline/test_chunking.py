"""Sunlight chunks: sized by the real bytes per satellite-step, the same answers at any size."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

import skydc
from skydc.orbits.constellation import walker_delta
from skydc.pipeline.shells import (
    CIRCULAR_BYTES_PER_SAT_STEP,
    ShellSatellites,
    chunk_steps,
    iter_shell_states,
)
from skydc.sunlight_stats import SunlightAccumulator


def _peak_bytes(shell: ShellSatellites, t: np.ndarray, k: int) -> int:
    acc = SunlightAccumulator(shell.n_sat)
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    for steps, _r, f in iter_shell_states(shell, t, 2461000.5, k, backend="numpy"):
        acc.add(t[steps], np.nan_to_num(f, nan=1.0, copy=False))
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return peak


def test_circular_chunk_memory_within_declared_bytes_per_step() -> None:
    """The marginal memory of one more step per chunk (buffers and the statistics'
    temporaries, NumPy backend) stays within CIRCULAR_BYTES_PER_SAT_STEP."""
    planes, per = 50, 400
    el = walker_delta(planes, per, 1, 6378135.0 + 550e3, np.radians(53.0), 2461000.5)
    shell = ShellSatellites("s", "walker-delta", 0, el, np.repeat(np.arange(planes), per))
    t = np.arange(121) * 60.0
    small, large = _peak_bytes(shell, t, 10), _peak_bytes(shell, t, 40)
    per_step = (large - small) / (shell.n_sat * 30)
    assert 32 <= per_step <= CIRCULAR_BYTES_PER_SAT_STEP
    # a million satellites in 1 GB: chunks of 20 steps, not the 6 of the general bound
    assert chunk_steps(1_000_000, 1024.0, CIRCULAR_BYTES_PER_SAT_STEP) == 21


def test_small_chunks_give_the_same_sunlight() -> None:
    """12,000 satellites, 121 steps: one chunk at 1 GB, several at 64 MB (the eclipse
    bookkeeping carries across chunk edges)."""
    over = ["duration_s=7200", "shells[0].planes=60", "shells[0].sats_per_plane=200"]
    big = skydc.run(skydc.load_scenario("starlink-shell1", over), stages=["sunlight"])
    tiny = skydc.run(
        skydc.load_scenario("starlink-shell1", [*over, "compute.memory_budget_mb=64"]),
        stages=["sunlight"],
    )
    assert tiny.metrics["run"]["chunk_steps"] < 121 <= big.metrics["run"]["chunk_steps"]
    a, b = big.metrics["sunlight"], tiny.metrics["sunlight"]
    for key in ("sunlit_fraction_mean", "eclipse_entries", "complete_eclipses"):
        assert a[key] == b[key]
    assert a["eclipse_mean_s"] == pytest.approx(b["eclipse_mean_s"], rel=1e-12)
