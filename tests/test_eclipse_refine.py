"""Eclipse timing at coarse steps: refined crossings agree with 1 s sampling."""

from __future__ import annotations

import numpy as np
import pytest

import skydc

one_second = 1.0


def eclipse_metrics(step_s: float) -> dict:  # type: ignore[type-arg]
    overrides = [
        f"step_s={step_s}",
        "duration_s=12000",
        "seasons.days=2",
        "shells[0].planes=3",
        "shells[0].sats_per_plane=2",
        "shells[0].phasing=1",
    ]
    result = skydc.run(skydc.load_scenario("starlink-shell1", overrides))
    return result.metrics["sunlight"]  # type: ignore[no-any-return]


def test_refined_60s_eclipses_match_1s_sampling() -> None:
    coarse = eclipse_metrics(60.0)
    fine = eclipse_metrics(1.0)
    assert coarse["complete_eclipses"] == fine["complete_eclipses"] > 0
    assert coarse["eclipse_max_s"] == pytest.approx(fine["eclipse_max_s"], abs=one_second)
    assert coarse["eclipse_mean_s"] == pytest.approx(fine["eclipse_mean_s"], abs=one_second)


def test_refined_crossing_against_half_second_scan() -> None:
    """The refined entry time inside a 60 s step equals a 0.5 s brute-force scan of the same
    propagator and shadow model (within a fifth of a second)."""
    from skydc.eclipse_refine import refine_crossings
    from skydc.environment.shadow import sunlit_fraction
    from skydc.environment.sun import sun_position_teme_m
    from skydc.orbits.constellation import walker_delta
    from skydc.orbits.j2 import propagate_j2
    from skydc.timescale import jd_utc_from_datetime

    epoch = jd_utc_from_datetime(skydc.load_scenario("starlink-shell1").scenario.epoch_utc)
    el = walker_delta(1, 3, 0, 6378135.0 + 550e3, np.radians(53.0), epoch)
    t = np.arange(0.0, 6000.0, 0.5)
    f = sunlit_fraction(propagate_j2(el, t), sun_position_teme_m(epoch + t / 86400.0)[:, None, :])
    dark = f < 0.5
    entry = np.argmax(dark[:, 1:] & ~dark[:, :-1], axis=1)  # first entry per satellite
    assert np.all(entry > 0)
    f0, f1 = f[np.arange(3), entry], f[np.arange(3), entry + 1]
    scanned = t[entry] + (f0 - 0.5) / (f0 - f1) * 0.5
    t0 = np.floor(scanned / 60.0) * 60.0
    refined = refine_crossings(el, np.arange(3), t0, t0 + 60.0)
    np.testing.assert_allclose(refined, scanned, atol=0.2)
    # a step without a crossing gives NaN (the interpolation is kept)
    quiet = refine_crossings(el, np.arange(3), t0 + 120.0, t0 + 180.0)
    assert np.all(np.isnan(quiet))
