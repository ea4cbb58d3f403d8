"""Fast circular-orbit engine against the NumPy reference kernels of skydc itself:
``teme_to_ecef(propagate_j2(...))`` for positions and ``shadow.sunlit_fraction`` for sunlight,
and the numba backend against the NumPy backend."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import skydc._accel
from skydc.constants import EARTH_RADIUS_M, SECONDS_PER_DAY
from skydc.environment.shadow import sunlit_fraction
from skydc.environment.sun import sun_position_teme_m
from skydc.orbits.circular import (
    CircularStates,
    circular_chunk_bytes,
    circular_states,
    iter_circular_states,
)
from skydc.orbits.constellation import walker_delta
from skydc.orbits.elements import OrbitalElements
from skydc.orbits.frames import teme_to_ecef
from skydc.orbits.j2 import propagate_j2
from skydc.timescale import jd_utc_at

# Measured (numpy and numba, this machine): <= 0.25 um over one day at 60 s, <= 8.3 um for three
# days starting 30 days after the epoch (float64 rounding of the ~1e5 rad angles, shared with
# the reference). The tolerances leave room for other libm's.
ten_micrometres = 10e-6
hundred_micrometres = 100e-6
one_micrometre = 1e-6
# Sunlit fraction: same formula, rounding of the inputs only (measured <= 1.5e-10).
fraction_tolerance = 1e-8
# |r| = a: rounding of the angle-addition recurrence between exact re-seeds (measured 1.6e-7 m
# at 7,000 km, i.e. ~2e-14 relative).
radius_rel_tolerance = 1e-12

EPOCH_JD_UTC = 2460676.5  # 2025-01-01T00:00 UTC
ONE_DAY_60S = np.arange(0.0, SECONDS_PER_DAY, 60.0)
A_550_KM = EARTH_RADIUS_M + 550e3

BACKENDS = [
    "numpy",
    pytest.param(
        "numba",
        marks=pytest.mark.skipif(
            not skydc._accel.numba_available(), reason="numba not installed"
        ),
    ),
]


def _walker() -> OrbitalElements:
    return walker_delta(12, 10, 5, A_550_KM, np.radians(53.0), EPOCH_JD_UTC)


def _mixed(n: int = 60, seed: int = 7) -> OrbitalElements:
    """Random circular orbits from 300 km to GEO, prograde and retrograde."""
    rng = np.random.default_rng(seed)
    return OrbitalElements(
        a_m=EARTH_RADIUS_M + rng.uniform(300e3, 35786e3, n),
        e=np.zeros(n),
        i_rad=rng.uniform(0.0, np.pi, n),
        raan_rad=rng.uniform(0.0, 2.0 * np.pi, n),
        argp_rad=rng.uniform(0.0, 2.0 * np.pi, n),
        mean_anomaly_rad=rng.uniform(0.0, 2.0 * np.pi, n),
        epoch_jd_utc=EPOCH_JD_UTC,
    )


def _reference(elements: OrbitalElements, t_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Earth-fixed positions and sunlit fraction from the NumPy kernels."""
    jd = jd_utc_at(elements.epoch_jd_utc, t_s)
    r_teme = propagate_j2(elements, t_s)
    r_ecef = teme_to_ecef(r_teme, jd)
    sun_ecef = teme_to_ecef(sun_position_teme_m(jd), jd)
    return r_ecef, sunlit_fraction(r_ecef, sun_ecef[:, None, :])


def _distance(r1: np.ndarray, r2: np.ndarray) -> np.ndarray:
    return np.sqrt(np.sum((r1 - r2) ** 2, axis=0))


@pytest.mark.parametrize("backend", BACKENDS)
def test_ecef_against_propagate_j2_and_teme_to_ecef(backend: str) -> None:
    elements = OrbitalElements.concatenate([_walker(), _mixed()])
    r_ref, f_ref = _reference(elements, ONE_DAY_60S)
    states = circular_states(elements, ONE_DAY_60S, backend=backend)
    assert states.r_m.shape == (3, elements.n_sat, ONE_DAY_60S.size)
    assert _distance(states.r_m, r_ref).max() < ten_micrometres
    assert states.sunlit_fraction is not None
    assert np.abs(states.sunlit_fraction - f_ref).max() < fraction_tolerance


@pytest.mark.parametrize("backend", BACKENDS)
def test_ecef_against_propagate_j2_a_month_after_epoch(backend: str) -> None:
    t_s = 30 * SECONDS_PER_DAY + np.arange(0.0, 3 * SECONDS_PER_DAY, 30.0)
    elements = _walker()
    r_ref, f_ref = _reference(elements, t_s)
    states = circular_states(elements, t_s, backend=backend)
    assert _distance(states.r_m, r_ref).max() < hundred_micrometres
    assert states.sunlit_fraction is not None
    assert np.abs(states.sunlit_fraction - f_ref).max() < fraction_tolerance


@pytest.mark.parametrize("backend", BACKENDS)
def test_teme_against_propagate_j2(backend: str) -> None:
    elements = _mixed()
    states = circular_states(
        elements, ONE_DAY_60S, frame="teme", with_sunlit=False, backend=backend
    )
    assert states.sunlit_fraction is None
    assert _distance(states.r_m, propagate_j2(elements, ONE_DAY_60S)).max() < ten_micrometres


@pytest.mark.parametrize("backend", BACKENDS)
def test_sunlit_equals_shadow_kernel_through_penumbra(backend: str) -> None:
    """5 s steps put ~5 samples in every penumbra passage: the exact edge path is exercised."""
    elements = _walker()
    t_s = np.arange(0.0, 6 * 3600.0, 5.0)
    states = circular_states(elements, t_s, frame="teme", backend=backend)
    jd = jd_utc_at(EPOCH_JD_UTC, t_s)
    expected = sunlit_fraction(states.r_m, sun_position_teme_m(jd)[:, None, :])
    assert states.sunlit_fraction is not None
    partial = (expected > 0.0) & (expected < 1.0)
    assert partial.sum() > 1000
    assert (expected == 0.0).any()
    assert np.abs(states.sunlit_fraction - expected).max() < fraction_tolerance


@pytest.mark.parametrize("backend", BACKENDS)
def test_far_satellites_take_the_exact_shadow_path(backend: str) -> None:
    """Beyond the umbra's apex (~1.4e9 m) the fast umbra test does not apply (annular
    eclipses); inside the Earth the kernel's own convention holds. Both go through it."""
    elements = OrbitalElements(
        a_m=np.array([2.0e9, 1.6e9, 5.0e6, A_550_KM]),
        e=np.zeros(4),
        i_rad=np.full(4, 0.3),
        raan_rad=np.array([0.0, 1.0, 2.0, 3.0]),
        argp_rad=np.zeros(4),
        mean_anomaly_rad=np.array([0.5, 2.0, 4.0, 1.0]),
        epoch_jd_utc=EPOCH_JD_UTC,
    )
    t_s = np.arange(0.0, SECONDS_PER_DAY, 600.0)
    states = circular_states(elements, t_s, backend=backend)
    jd = jd_utc_at(EPOCH_JD_UTC, t_s)
    sun = teme_to_ecef(sun_position_teme_m(jd), jd)
    assert states.sunlit_fraction is not None
    expected = sunlit_fraction(states.r_m, sun[:, None, :])
    assert np.abs(states.sunlit_fraction - expected).max() < fraction_tolerance


@pytest.mark.skipif(not skydc._accel.numba_available(), reason="numba not installed")
@pytest.mark.parametrize("frame", ["ecef", "teme"])
def test_numba_equals_numpy(frame: str) -> None:
    elements = OrbitalElements.concatenate([_walker(), _mixed()])
    t_s = 1234.5 + np.arange(0.0, 2 * SECONDS_PER_DAY, 45.0)  # > RESEED_STEPS, t0 != 0
    fast = circular_states(elements, t_s, frame=frame, backend="numba")
    ref = circular_states(elements, t_s, frame=frame, backend="numpy")
    assert _distance(fast.r_m, ref.r_m).max() < one_micrometre
    assert fast.sunlit_fraction is not None and ref.sunlit_fraction is not None
    assert np.abs(fast.sunlit_fraction - ref.sunlit_fraction).max() < fraction_tolerance


@pytest.mark.skipif(not skydc._accel.numba_available(), reason="numba not installed")
@pytest.mark.parametrize("frame", ["ecef", "teme"])
def test_numba_shared_rate_path_equals_numpy(frame: str) -> None:
    """A shell whose satellites share their rates takes the numba kernel without recurrence
    (per-step rotations): same states as the NumPy backend, in chunks, a month after epoch."""
    elements = _walker()
    t_s = 30 * SECONDS_PER_DAY + 1234.5 + np.arange(0.0, SECONDS_PER_DAY, 45.0)
    ref = circular_states(elements, t_s, frame=frame, backend="numpy")
    assert ref.sunlit_fraction is not None
    for steps, chunk in iter_circular_states(
        elements, t_s, chunk_steps=500, frame=frame, backend="numba"
    ):
        assert chunk.sunlit_fraction is not None
        assert _distance(chunk.r_m, ref.r_m[:, :, steps]).max() < ten_micrometres
        diff = np.abs(chunk.sunlit_fraction - ref.sunlit_fraction[:, steps])
        assert diff.max() < fraction_tolerance


def test_shared_rates_are_detected() -> None:
    """The shared-rate kernel is taken for a Walker shell, the recurrence for mixed orbits."""
    pytest.importorskip("numba")
    from skydc._accel.circular_numba import _shared_rates
    from skydc.orbits.circular import _make_plan

    t = np.arange(10) * 60.0
    assert _shared_rates(_make_plan(_walker(), t, 60.0, "ecef", True))
    assert not _shared_rates(_make_plan(_mixed(), t, 60.0, "ecef", True))


@pytest.mark.parametrize("backend", BACKENDS)
def test_chunks_equal_one_call(backend: str) -> None:
    elements = _walker()
    whole = circular_states(elements, ONE_DAY_60S, backend=backend)
    assert whole.sunlit_fraction is not None
    seen = 0
    for steps, chunk in iter_circular_states(
        elements, ONE_DAY_60S, chunk_steps=50, backend=backend
    ):
        assert chunk.r_m.flags.c_contiguous
        assert chunk.sunlit_fraction is not None
        assert _distance(chunk.r_m, whole.r_m[:, :, steps]).max() < one_micrometre
        assert (
            np.abs(chunk.sunlit_fraction - whole.sunlit_fraction[:, steps]).max()
            < fraction_tolerance
        )
        seen += steps.stop - steps.start
    assert seen == ONE_DAY_60S.size


@pytest.mark.parametrize("backend", BACKENDS)
def test_out_is_written_and_returned(backend: str) -> None:
    elements = _walker()
    t_s = ONE_DAY_60S[:100]
    out = CircularStates(np.empty((3, elements.n_sat, 100)), np.empty((elements.n_sat, 100)))
    result = circular_states(elements, t_s, backend=backend, out=out)
    assert result is out
    ref = circular_states(elements, t_s, backend="numpy")
    assert _distance(out.r_m, ref.r_m).max() < one_micrometre
    with pytest.raises(ValueError, match="shape"):
        circular_states(elements, ONE_DAY_60S[:99], backend=backend, out=out)


def test_chunk_memory_of_a_million_satellites() -> None:
    assert circular_chunk_bytes(1_000_000, 32) == 1_000_000 * (32 * 32 + 72)
    assert circular_chunk_bytes(1_000_000, 32, with_sunlit=False) < circular_chunk_bytes(
        1_000_000, 32
    )


def test_non_uniform_steps_raise() -> None:
    t_s = np.array([0.0, 60.0, 120.0, 200.0])
    with pytest.raises(ValueError, match="uniformly spaced"):
        circular_states(_walker(), t_s, backend="numpy")
    with pytest.raises(ValueError, match="uniformly spaced"):
        iter_circular_states(_walker(), t_s, backend="numpy")


def test_rounding_in_the_grid_is_accepted() -> None:
    t_s = np.linspace(0.0, 7.0 * SECONDS_PER_DAY, 1001)  # step 604.8 s, not exact in binary
    assert circular_states(_walker(), t_s, backend="numpy", with_sunlit=False).r_m.shape[2] == 1001


def test_eccentric_satellites_are_named() -> None:
    elements = _walker()
    e = elements.e.copy()
    e[[3, 17]] = 1e-3
    bad = OrbitalElements(
        elements.a_m, e, elements.i_rad, elements.raan_rad, elements.argp_rad,
        elements.mean_anomaly_rad, elements.epoch_jd_utc,
    )  # fmt: skip
    with pytest.raises(ValueError, match=r"satellites 3, 17 are eccentric.*propagate_j2"):
        circular_states(bad, ONE_DAY_60S, backend="numpy")


def test_unknown_names_list_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="unknown backend 'cuda'; allowed: auto, numpy, numba"):
        circular_states(_walker(), ONE_DAY_60S, backend="cuda")
    with pytest.raises(ValueError, match="unknown frame 'gcrs'; allowed: ecef, teme"):
        circular_states(_walker(), ONE_DAY_60S, frame="gcrs")
    with pytest.raises(ValueError, match="chunk_steps"):
        iter_circular_states(_walker(), ONE_DAY_60S, chunk_steps=0)


def test_numba_missing_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(skydc._accel, "numba_available", lambda: False)
    with pytest.raises(ValueError, match=r"pip install skydc\[fast\]"):
        circular_states(_walker(), ONE_DAY_60S, backend="numba")
    # "auto" falls back to NumPy
    assert circular_states(_walker(), ONE_DAY_60S[:3], backend="auto").r_m.shape[2] == 3


def test_numpy_backend_does_not_import_numba() -> None:
    code = (
        "import sys, numpy as np\n"
        "from skydc.orbits.constellation import walker_delta\n"
        "from skydc.orbits.circular import circular_states\n"
        "el = walker_delta(2, 2, 1, 6.9e6, 0.9, 2460676.5)\n"
        "circular_states(el, np.arange(10) * 60.0, backend='numpy')\n"
        "assert 'numba' not in sys.modules, 'numba was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_invalid_semi_major_axis_gives_nan_not_an_exception() -> None:
    elements = OrbitalElements(
        a_m=np.array([-1.0, A_550_KM]), e=np.zeros(2), i_rad=np.full(2, 0.9),
        raan_rad=np.zeros(2), argp_rad=np.zeros(2), mean_anomaly_rad=np.zeros(2),
        epoch_jd_utc=EPOCH_JD_UTC,
    )  # fmt: skip
    states = circular_states(elements, ONE_DAY_60S[:20], backend="numpy")
    assert np.isnan(states.r_m[:, 0]).all() and np.isfinite(states.r_m[:, 1]).all()
    assert states.sunlit_fraction is not None
    assert np.isnan(states.sunlit_fraction[0]).all()


@settings(max_examples=40, deadline=None)
@given(
    altitude_m=st.floats(160e3, 40000e3),
    i_rad=st.floats(0.0, np.pi),
    raan_rad=st.floats(0.0, 2 * np.pi),
    u_rad=st.floats(0.0, 2 * np.pi),
    dt_s=st.floats(1.0, 600.0),
    n_time=st.integers(1, 700),
    backend=st.sampled_from(["numpy", "numba"] if skydc._accel.numba_available() else ["numpy"]),
)
def test_radius_is_a_and_fraction_in_unit_interval(
    altitude_m: float, i_rad: float, raan_rad: float, u_rad: float, dt_s: float, n_time: int,
    backend: str,
) -> None:  # fmt: skip
    a_m = EARTH_RADIUS_M + altitude_m
    elements = OrbitalElements(
        a_m=np.array([a_m]), e=np.zeros(1), i_rad=np.array([i_rad]), raan_rad=np.array([raan_rad]),
        argp_rad=np.zeros(1), mean_anomaly_rad=np.array([u_rad]), epoch_jd_utc=EPOCH_JD_UTC,
    )  # fmt: skip
    states = circular_states(elements, np.arange(n_time) * dt_s, backend=backend)
    radius = np.sqrt(np.sum(states.r_m**2, axis=0))
    assert np.abs(radius - a_m).max() <= radius_rel_tolerance * a_m
    f = states.sunlit_fraction
    assert f is not None and np.all((f >= 0.0) & (f <= 1.0))


def test_numpy_threads_give_identical_results(monkeypatch: pytest.MonkeyPatch) -> None:
    """Satellite blocks are independent: the thread split changes no position bit (the sunlit
    fraction's edge values go through NumPy's SIMD transcendental functions, whose last bit can
    depend on an element's place in the array)."""
    from skydc._accel import circular_numpy

    elements = OrbitalElements.concatenate([_walker(), _mixed()])
    single = circular_states(elements, ONE_DAY_60S, backend="numpy")
    monkeypatch.setattr(circular_numpy, "_MIN_SATS_PER_THREAD", 16)
    monkeypatch.setattr(circular_numpy, "_BLOCK_SATS", 24)
    monkeypatch.setattr(circular_numpy.os, "cpu_count", lambda: 3)
    threaded = circular_states(elements, ONE_DAY_60S, backend="numpy")
    assert np.array_equal(single.r_m, threaded.r_m)
    assert single.sunlit_fraction is not None and threaded.sunlit_fraction is not None
    assert np.abs(single.sunlit_fraction - threaded.sunlit_fraction).max() < 1e-12


@pytest.mark.parametrize("backend", BACKENDS)
def test_strided_element_views(backend: str) -> None:
    """Every other satellite (strided views into the element arrays) as a contiguous copy."""
    elements = _walker()
    t_s = ONE_DAY_60S[:200]
    every_other = circular_states(elements.take(slice(0, None, 2)), t_s, backend=backend)
    whole = circular_states(elements, t_s, backend=backend)
    assert _distance(every_other.r_m, whole.r_m[:, ::2]).max() < one_micrometre
