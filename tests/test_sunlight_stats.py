"""The streaming eclipse accumulator: hand-computed crossings, and chunking changes nothing."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skydc.sunlight_stats import SunlightAccumulator

one_ms = 1e-3


def square_wave(t: np.ndarray, start_s: float, length_s: float, period_s: float) -> np.ndarray:
    """Sunlit fraction that ramps 1 -> 0 over one 10 s step at each eclipse edge (linear)."""
    phase = np.mod(t - start_s, period_s)
    f = np.ones_like(t)
    f[phase < length_s] = 0.0
    return f


def test_hand_computed_eclipse_times() -> None:
    # samples every 10 s; fraction 1 at t=90, 0 at t=100: crossing of 1/2 at t=95 (linear)
    t = np.arange(0.0, 1000.0, 10.0)
    f = np.ones((1, t.size))
    f[0, (t >= 100) & (t <= 300)] = 0.0  # dark from 100 to 300 inclusive
    acc = SunlightAccumulator(1)
    acc.add(t, f)
    m = acc.metrics()
    assert m["eclipse_entries"] == 1 and m["eclipse_exits"] == 1
    # entry at 95 s, exit at 305 s -> 210 s
    assert m["eclipse_max_s"] == pytest.approx(210.0, abs=one_ms)
    assert acc.per_satellite_fraction()[0] == pytest.approx(1 - 21 / 100)


def test_eclipse_open_at_start_is_not_a_complete_eclipse() -> None:
    t = np.arange(0.0, 100.0, 10.0)
    f = np.zeros((2, t.size))
    f[0, 5:] = 1.0  # satellite 0 leaves an eclipse that began before the window
    acc = SunlightAccumulator(2)
    acc.add(t, f)
    m = acc.metrics()
    assert m["eclipse_exits"] == 1
    assert m["complete_eclipses"] == 0
    assert np.isnan(m["eclipse_max_s"])
    assert m["satellites_never_eclipsed"] == 0


@settings(max_examples=40, deadline=None)
@given(
    n_sat=st.integers(1, 5),
    chunk=st.integers(1, 50),
    seed=st.integers(0, 2**16),
)
def test_chunking_gives_the_same_answer(n_sat: int, chunk: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    t = np.arange(0.0, 6000.0, 30.0)
    periods = rng.uniform(1000.0, 3000.0, n_sat)
    starts = rng.uniform(0.0, 3000.0, n_sat)
    f = np.stack([square_wave(t, s, 0.35 * p, p) for s, p in zip(starts, periods, strict=True)])
    whole = SunlightAccumulator(n_sat)
    whole.add(t, f)
    parts = SunlightAccumulator(n_sat)
    for i in range(0, t.size, chunk):
        parts.add(t[i : i + chunk], f[:, i : i + chunk])
    a, b = whole.metrics(), parts.metrics()
    assert a.keys() == b.keys()
    for key in a:
        assert a[key] == pytest.approx(b[key], nan_ok=True), key
    np.testing.assert_allclose(whole.per_satellite_fraction(), parts.per_satellite_fraction())
    for key, series in whole.series().items():
        np.testing.assert_allclose(series, parts.series()[key])


def test_shape_is_checked() -> None:
    with pytest.raises(ValueError, match="shape"):
        SunlightAccumulator(3).add(np.arange(4.0), np.ones((2, 4)))


numba_backends = [
    "numpy",
    pytest.param(
        "numba",
        marks=pytest.mark.skipif(
            importlib.util.find_spec("numba") is None, reason="numba not installed"
        ),
    ),
]


@pytest.mark.parametrize("backend", numba_backends)
def test_hand_computed_eclipse_times_each_backend(backend: str) -> None:
    """The hand-computed case above (entry 95 s, exit 305 s), on either backend."""
    t = np.arange(0.0, 1000.0, 10.0)
    f = np.ones((1, t.size))
    f[0, (t >= 100) & (t <= 300)] = 0.0
    acc = SunlightAccumulator(1, backend=backend)
    for i in range(0, t.size, 7):  # chunk edges inside and outside the eclipse
        acc.add(t[i : i + 7], f[:, i : i + 7])
    m = acc.metrics()
    assert m["eclipse_entries"] == 1 and m["eclipse_exits"] == 1
    assert m["eclipse_max_s"] == pytest.approx(210.0, abs=one_ms)
    assert acc.per_satellite_fraction()[0] == pytest.approx(1 - 21 / 100)


@pytest.mark.skipif(importlib.util.find_spec("numba") is None, reason="numba not installed")
@pytest.mark.parametrize("chunk", [1, 7, 121])
def test_numba_fold_equals_numpy(chunk: int) -> None:
    """The fused numba fold gives the NumPy accumulator's numbers on real circular states
    (penumbra samples included): counts and crossing times exactly, sums to rounding."""
    from skydc.orbits.circular import circular_states
    from skydc.orbits.constellation import walker_delta

    el = walker_delta(20, 30, 1, 6378137.0 + 550e3, np.radians(53.0), 2461119.5)
    t = np.arange(121) * 60.0
    f = circular_states(el, t, backend="numpy").sunlit_fraction
    assert f is not None and np.any((f > 0.0) & (f < 1.0))  # some samples in the penumbra
    accs = {b: SunlightAccumulator(el.n_sat, backend=b) for b in ("numpy", "numba")}
    for acc in accs.values():
        for i in range(0, t.size, chunk):
            acc.add(t[i : i + chunk], np.ascontiguousarray(f[:, i : i + chunk]))
    a, b = accs["numpy"].metrics(), accs["numba"].metrics()
    assert a["eclipse_entries"] > 0 and a["complete_eclipses"] > 0
    for key in a:
        assert b[key] == pytest.approx(a[key], rel=1e-12, nan_ok=True), key
    np.testing.assert_allclose(
        accs["numba"].per_satellite_fraction(), accs["numpy"].per_satellite_fraction(), rtol=1e-13
    )
    for key, series in accs["numpy"].series().items():
        np.testing.assert_allclose(accs["numba"].series()[key], series, rtol=1e-13, atol=1e-15)
    np.testing.assert_array_equal(accs["numba"].open_start_s, accs["numpy"].open_start_s)


def test_unknown_backend_is_refused() -> None:
    with pytest.raises(ValueError, match="backend"):
        SunlightAccumulator(1, backend="cuda")


@pytest.mark.parametrize("chunk", [1, 4, 13, 200])
def test_only_complete_eclipses_are_refined(chunk: int) -> None:
    """A refiner that knows the true edges (eclipses of 0.35 periods starting at known times):
    durations come out exact at any chunking, and it is asked only about the two crossings of
    each complete eclipse, never about an exit whose entry preceded the window or an entry
    still open at its end."""
    t = np.arange(0.0, 6000.0, 30.0)
    periods = np.array([1100.0, 1700.0, 2600.0])
    starts = np.array([-200.0, 1234.5, 2000.0])  # satellite 0 is in eclipse at the start
    length = 0.35 * periods
    f = np.stack([square_wave(t, *x) for x in zip(starts, length, periods, strict=True)])
    asked: list[int] = []

    def true_edges(sat: np.ndarray, t0: np.ndarray, t1: np.ndarray) -> np.ndarray:
        asked.append(sat.size)
        out = np.full(sat.shape, np.nan)
        for k, (s, a, b) in enumerate(zip(sat, t0, t1, strict=True)):
            n = np.arange(-2, 10)
            entry = starts[s] + n * periods[s]
            edges = np.concatenate([entry, entry + length[s]])
            inside = edges[(edges > a) & (edges <= b)]
            out[k] = inside[0] if inside.size else np.nan
        return out

    acc = SunlightAccumulator(3, refine=true_edges)
    for i in range(0, t.size, chunk):
        acc.add(t[i : i + chunk], f[:, i : i + chunk])
    m = acc.metrics()
    # complete eclipses: every one whose entry and exit fall inside the window
    expected = [
        length[s]
        for s in range(3)
        for n in range(-2, 10)
        if 0.0 < starts[s] + n * periods[s] and starts[s] + n * periods[s] + length[s] < t[-1]
    ]
    assert m["complete_eclipses"] == len(expected) > 3
    assert m["eclipse_max_s"] == pytest.approx(max(expected), abs=one_ms)
    assert m["eclipse_mean_s"] == pytest.approx(np.mean(expected), abs=one_ms)
    assert sum(asked) == 2 * len(expected) < m["eclipse_entries"] + m["eclipse_exits"]
