"""Eclipse timing at coarse steps: refined crossings agree with 1 s sampling."""

from __future__ import annotations

import importlib.util

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


def _scanned_crossings(el, epoch: float, step: float):  # type: ignore[no-untyped-def]
    """Entry and exit times of each satellite by a ``step`` scan of propagate_j2 (reference)."""
    from skydc.environment.shadow import sunlit_fraction
    from skydc.environment.sun import sun_position_teme_m
    from skydc.orbits.j2 import propagate_j2

    t = np.arange(0.0, 6000.0, step)
    f = sunlit_fraction(propagate_j2(el, t), sun_position_teme_m(epoch + t / 86400.0)[:, None, :])
    dark = f < 0.5
    rows = np.arange(f.shape[0])
    out = []
    for edge in (dark[:, 1:] & ~dark[:, :-1], ~dark[:, 1:] & dark[:, :-1]):
        k = np.argmax(edge, axis=1)
        assert np.all(edge[rows, k])
        f0, f1 = f[rows, k], f[rows, k + 1]
        out.append(t[k] + (f0 - 0.5) / (f0 - f1) * step)
    return out


def test_closed_form_crossings_against_fine_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    """Circular shells: the root-found entry and exit inside 60 s steps equal a 0.05 s scan of
    the general J2 propagator within 0.02 s; the Sun is evaluated once per step, not per
    crossing."""
    import skydc.eclipse_refine as er
    from skydc.orbits.constellation import walker_delta
    from skydc.timescale import jd_utc_from_datetime

    epoch = jd_utc_from_datetime(skydc.load_scenario("starlink-shell1").scenario.epoch_utc)
    el = walker_delta(4, 3, 1, 6378135.0 + 550e3, np.radians(53.0), epoch)
    calls: list[int] = []
    sun = er.sun_position_teme_m

    def counted(jd):  # type: ignore[no-untyped-def]
        calls.append(np.size(jd))
        return sun(jd)

    monkeypatch.setattr(er, "sun_position_teme_m", counted)
    for scanned in _scanned_crossings(el, epoch, 0.05):
        t0 = np.floor(scanned / 60.0) * 60.0
        calls.clear()
        refined = er.refine_crossings(el, np.arange(12), t0, t0 + 60.0)
        np.testing.assert_allclose(refined, scanned, atol=0.02)
        assert sum(calls) == np.unique(t0).size < 12


def test_eccentric_orbits_keep_the_grid() -> None:
    """An eccentric satellite beside circular ones: each gets its own method, same answer."""
    from dataclasses import replace

    from skydc.eclipse_refine import refine_crossings
    from skydc.orbits.constellation import walker_delta
    from skydc.timescale import jd_utc_from_datetime

    epoch = jd_utc_from_datetime(skydc.load_scenario("starlink-shell1").scenario.epoch_utc)
    el = walker_delta(1, 3, 0, 6378135.0 + 550e3, np.radians(53.0), epoch)
    entry = _scanned_crossings(el, epoch, 0.5)[0]
    t0 = np.floor(entry / 60.0) * 60.0
    tiny = replace(el, e=np.array([0.0, 1e-9, 0.0]))  # the middle one takes the grid path
    np.testing.assert_allclose(refine_crossings(tiny, np.arange(3), t0, t0 + 60.0), entry, atol=0.2)


one_microsecond = 1e-6
numba_backends = [
    "numpy",
    pytest.param(
        "numba",
        marks=pytest.mark.skipif(
            importlib.util.find_spec("numba") is None, reason="numba not installed"
        ),
    ),
]


def _shell_crossings(altitude_m: float, inclination_deg: float):  # type: ignore[no-untyped-def]
    """A 20 x 20 shell over two hours at 60 s: its elements and every crossing's step."""
    from skydc.orbits.circular import circular_states
    from skydc.orbits.constellation import walker_delta

    el = walker_delta(
        20, 20, 1, 6378137.0 + altitude_m, np.radians(inclination_deg), 2461119.5, raan0_rad=0.3
    )
    t = np.arange(121) * 60.0
    f = circular_states(el, t, backend="numpy").sunlit_fraction
    assert f is not None
    sat, j = np.nonzero(np.diff((f < 0.5).astype(np.int8), axis=1))
    return el, sat, t[j], t[j + 1]


@pytest.mark.parametrize("backend", numba_backends)
@pytest.mark.parametrize(("altitude_m", "inclination_deg"), [(500e3, 30.0), (650e3, 97.9)])
def test_refined_crossings_are_the_converged_root(
    backend: str, altitude_m: float, inclination_deg: float
) -> None:
    """One Illinois step in a +-0.5 s bracket around the limb crossing lands within 1 us of the
    root that 50 bisections of the whole step and 4 Illinois steps converge to (the previous
    method, 3 steps in +-1 s, was within 1e-11 s of it)."""
    import skydc.eclipse_refine as er
    from skydc._roots import illinois

    el, sat, t0, t1 = _shell_crossings(altitude_m, inclination_deg)
    assert sat.size > 300
    arc = er._Arc(el.take(sat), t0, er._sun_per_step(el.epoch_jd_utc, t0, t1), 0.5)
    dt = t1 - t0
    zero = np.zeros_like(dt)
    converged = t0 + illinois(arc, zero, dt, arc(zero), arc(dt), 50, 4)
    refined = er.refine_crossings(el, sat, t0, t1, backend=backend)
    np.testing.assert_allclose(refined, converged, rtol=0.0, atol=one_microsecond)


@pytest.mark.skipif(importlib.util.find_spec("numba") is None, reason="numba not installed")
def test_numba_refinement_equals_numpy() -> None:
    """The fused numba kernel runs the NumPy path's arithmetic: same crossings to rounding,
    NaN in the same places (a step without a crossing)."""
    from skydc.eclipse_refine import refine_crossings

    el, sat, t0, t1 = _shell_crossings(1100e3, 53.0)
    sat = np.concatenate([sat, sat[:5]])
    t0 = np.concatenate([t0, t0[:5] + 600.0])  # no crossing ten minutes later: NaN
    t1 = np.concatenate([t1, t1[:5] + 600.0])
    a = refine_crossings(el, sat, t0, t1, backend="numpy")
    b = refine_crossings(el, sat, t0, t1, backend="numba")
    assert np.isnan(a[-5:]).all()
    np.testing.assert_array_equal(np.isnan(a), np.isnan(b))
    np.testing.assert_allclose(b, a, rtol=0.0, atol=1e-9, equal_nan=True)
