"""The streaming eclipse accumulator: hand-computed crossings, and chunking changes nothing."""

from __future__ import annotations

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
