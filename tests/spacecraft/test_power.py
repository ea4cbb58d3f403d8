"""Solar array and battery sizing: published arrays, SMAD's equations, invariants."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skydc.constants import AU_M, SOLAR_CONSTANT_W_M2
from skydc.spacecraft.power import (
    ATTITUDE_MODES,
    Battery,
    PowerSizing,
    PowerSystem,
    SolarArray,
    array_power_w,
    battery_capacity_wh,
    cell_temperature_factor,
    cos_incidence,
    cycle_life,
    degradation_factor,
    earth_sun_distance_m,
    max_depth_of_discharge,
    path_efficiencies,
    power_time_series_w,
    smad_array_power_w,
    solar_irradiance_w_m2,
)
from skydc.timescale import jd_utc_from_datetime

fifteen_percent = 0.15
two_ppm = 2e-6
one_milliwatt = 1e-3
round_off = 1e-9

# A LEO array operating point shared by the published-array checks (assumptions, not data):
# cells at 60 C in sunlight, SMAD's nominal 0.85 design-and-assembly factor, two-axis tracking.
LEO_ARRAY_TEMPERATURE_K = 333.15


def _leo_array(**kw: object) -> SolarArray:
    base: dict[str, object] = dict(
        efficiency=0.30,
        packing_factor=0.85,
        temp_coeff_per_k=-0.002,
        operating_temperature_k=LEO_ARRAY_TEMPERATURE_K,
        degradation_per_yr=0.005,
        stowed_volume_m3_per_m2=0.01,
        areal_density_kg_m2=2.0,
    )
    base.update(kw)
    return SolarArray(**base)  # type: ignore[arg-type]


def _battery() -> Battery:
    return Battery(
        specific_energy_wh_kg=150.0,
        energy_density_wh_per_l=250.0,
        depth_of_discharge=0.8,
        discharge_efficiency=0.9,
    )


def test_irosa_wing_power_against_nasa_figure() -> None:
    """iROSA: more than 20 kW per 18.3 m x 6 m wing (Redwire/Boeing, 2021: "each of the solar
    arrays will provide more than 20 kilowatts"; NASA; public-figures.md).

    Spectrolab XTJ Prime cells, 30.7 % AM0 BOL at 28 C (Spectrolab datasheet), -0.2 %/K. No
    source in the registry gives iROSA's active-cell fraction, so the test no longer borrows the
    ISS SAW's: it derives the packing factor the 20 kW needs under the model and bounds it by
    the two blankets that bracket it, the SAW's measured 0.50 (32,800 cells over 35 m x 12 m)
    below and the 0.90 fill of a cell-to-edge blanket (Starcloud white paper) above. It reports
    0.55: iROSA's cells cover about half its envelope, as the SAW's do.
    """
    full = _leo_array(efficiency=0.307, packing_factor=1.0)
    p_full_w = 18.3 * 6.0 * full.power_per_area_w_m2(SOLAR_CONSTANT_W_M2)
    implied = 20e3 / p_full_w
    saw_packing = 32_800 * 0.08**2 / (35.0 * 12.0)
    assert saw_packing <= implied <= 0.90
    assert implied == pytest.approx(0.55, abs=0.02)


def test_iss_solar_array_wing_power_against_nasa_figures() -> None:
    """ISS SAW: ~31 kW per 35 m x 12 m wing of 2 x 16,400 Si cells, 8 cm x 8 cm (NASA).

    ~14.5 % Si cells (public-figures.md), -0.45 %/K; packing = cell area / envelope = 0.50.
    """
    packing = 32_800 * 0.08**2 / (35.0 * 12.0)
    saw = _leo_array(efficiency=0.145, packing_factor=packing, temp_coeff_per_k=-0.0045)
    p_w = 35.0 * 12.0 * saw.power_per_area_w_m2(SOLAR_CONSTANT_W_M2)
    assert packing == pytest.approx(0.5, abs=0.001)
    assert p_w == pytest.approx(31e3, rel=fifteen_percent)


def test_earth_sun_distance_against_skyfield_de421() -> None:
    """Distances from the analytic Sun vs skyfield + JPL DE421 (tests/environment/data)."""
    path = Path(__file__).parents[1] / "environment" / "data" / "sun_de421_teme.csv"
    with path.open() as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    jd = np.array([jd_utc_from_datetime(datetime.fromisoformat(r["utc_iso"])) for r in rows])
    ref_m = np.array([float(r["distance_m"]) for r in rows])
    d_m = earth_sun_distance_m(jd)
    assert np.max(np.abs(d_m / ref_m - 1.0)) < two_ppm
    s = solar_irradiance_w_m2(d_m)  # perihelion ~1408, aphelion ~1316 W/m^2
    assert 1405.0 < s.max() < 1410.0 and 1314.0 < s.min() < 1318.0


def test_irradiance_inverse_square() -> None:
    assert solar_irradiance_w_m2(AU_M) == pytest.approx(SOLAR_CONSTANT_W_M2)
    assert solar_irradiance_w_m2(2 * AU_M) == pytest.approx(SOLAR_CONSTANT_W_M2 / 4)
    with pytest.raises(ValueError, match="sun_distance_m"):
        solar_irradiance_w_m2(0.0)


def test_smad_array_power_hand_computed() -> None:
    """SMAD eq. 11-5 by hand: 1 kW, T_e = 2148 s, T_d = 3576 s, DET.

    (1000 x 2148 / 0.65 + 1000 x 3576 / 0.85) / 3576 = 2100.58 W.
    """
    xe, xd = path_efficiencies("direct-energy-transfer")
    assert (xe, xd) == (0.65, 0.85)
    assert path_efficiencies("peak-power-tracking") == (0.60, 0.80)
    p = smad_array_power_w(1000.0, 2148.0, 1000.0, 3576.0, xe, xd)
    assert p == pytest.approx(2100.58, abs=0.01)


def test_battery_capacity_hand_computed() -> None:
    """1 kW through 2148 s at 30 % DoD and n = 0.9: 596.67 Wh / 0.27 = 2209.9 Wh."""
    assert battery_capacity_wh(1000.0, 2148.0, 0.3, 0.9) == pytest.approx(2209.88, abs=0.01)


def test_cycle_life_passes_through_gs_yuasa_life_tests() -> None:
    """Imamura et al. 2008 (JAXA/ISAS): 40,000 LEO cycles at 25 % DoD, ~1,800 GEO at 80 %."""
    assert cycle_life(0.25) == pytest.approx(40_000)
    assert cycle_life(0.80) == pytest.approx(1_800, rel=0.01)
    assert max_depth_of_discharge(cycle_life(0.4)) == pytest.approx(0.4)
    assert max_depth_of_discharge(0.0) == 1.0


def test_factors() -> None:
    assert cell_temperature_factor(301.15, -0.002) == pytest.approx(1.0)
    assert cell_temperature_factor(351.15, -0.002) == pytest.approx(0.9)
    assert degradation_factor(10.0, 0.01) == pytest.approx(0.99**10)
    with pytest.raises(ValueError, match=r"degradation_per_yr must be in \[0, 1\)"):
        degradation_factor(1.0, 1.0)


def test_cos_incidence_modes() -> None:
    beta = np.radians(30.0)
    assert cos_incidence("sun-tracking", beta) == 1.0
    assert cos_incidence("single-axis", beta) == pytest.approx(np.cos(beta))
    assert cos_incidence("orbit-normal", -beta) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="allowed: sun-tracking, single-axis"):
        cos_incidence("spinning", beta)
    with pytest.raises(ValueError, match="sunlit_fraction"):
        cos_incidence("body-fixed-nadir", beta)


def test_body_fixed_orbit_average_against_quadrature() -> None:
    """Orbit mean of max(0, cos beta cos u) by quadrature equals cos(beta)/pi; the sunlit
    mean times the sunlit fraction gives the same."""
    beta = np.radians(np.array([0.0, 20.0, 60.0]))
    u = (np.arange(100_000) + 0.5) / 100_000 * 2 * np.pi
    inst = cos_incidence("body-fixed-nadir", beta[:, None], orbit_angle_rad=u)
    assert np.allclose(inst.mean(axis=1), np.cos(beta) / np.pi, atol=1e-9)
    f = 0.62
    mean_lit = cos_incidence("body-fixed-nadir", beta, sunlit_fraction=f)
    assert np.allclose(mean_lit * f, np.cos(beta) / np.pi)


def test_bad_arguments_say_what_is_allowed() -> None:
    with pytest.raises(ValueError, match=r"efficiency must be in \(0, 1\); got 1.2"):
        _leo_array(efficiency=1.2)
    with pytest.raises(ValueError, match="exactly one of"):
        _leo_array(specific_power_w_kg=100.0)
    with pytest.raises(ValueError, match="area_m2"):
        array_power_w(-1.0, 1361.0, 0.3, 0.9)
    with pytest.raises(ValueError, match="allowed: direct-energy-transfer, peak-power-tracking"):
        PowerSystem(_leo_array(), _battery(), regulation="shunt")
    with pytest.raises(ValueError, match="depth_of_discharge"):
        Battery(150.0, 250.0, 0.0, 0.9)


def _size(load_w: float | np.ndarray, **kw: object) -> PowerSizing:
    args: dict[str, object] = dict(
        eclipse_s=2148.0, period_s=5724.0, sunlit_fraction=0.7, beta_rad=0.3, years=5.0
    )
    args.update(kw)
    return PowerSystem(_leo_array(), _battery()).size(load_w, **args)  # type: ignore[arg-type]


def test_power_system_energy_conservation_over_an_orbit() -> None:
    """Array energy in daylight = load energy + conditioning losses, per orbit."""
    s = _size(10e3)
    t_e, period = 2148.0, 5724.0
    array_j = s.array_power_eol_w * (period - t_e)
    load_j = 10e3 * period
    losses_j = s.conditioning_loss_w * period
    assert array_j == pytest.approx(load_j + losses_j, rel=round_off)
    # the losses are the SMAD path losses: load T_e (1/X_e - 1) + load T_d (1/X_d - 1)
    expected = 10e3 * t_e * (1 / 0.65 - 1) + 10e3 * (period - t_e) * (1 / 0.85 - 1)
    assert losses_j == pytest.approx(expected, rel=round_off)


def test_power_system_sizing_relations() -> None:
    s = _size(10e3)
    assert s.array_area_m2 > s.array_area_bol_m2
    assert s.array_power_bol_w > s.array_power_eol_w
    assert s.array_mass_kg == pytest.approx(2.0 * s.array_area_m2)
    # 5 years of eclipses every orbit: ~27,600 cycles, so the DoD drops below the 0.8 allowed
    assert s.battery_cycles_required == pytest.approx(5 * 365.25 * 86400 / 5724.0)
    assert s.battery_cycle_life == pytest.approx(s.battery_cycles_required)
    assert 0.25 < s.battery_depth_of_discharge < 0.35
    no_eclipse = _size(10e3, eclipse_s=0.0, sunlit_fraction=1.0)
    assert no_eclipse.battery_capacity_wh == 0.0
    assert no_eclipse.array_power_eol_w == pytest.approx(10e3 / 0.85)
    assert no_eclipse.energy_per_year_wh == pytest.approx(10e3 / 0.85 * 8766.0)


def test_specific_power_gives_mass_at_bol_one_au() -> None:
    array = _leo_array(areal_density_kg_m2=None, specific_power_w_kg=100.0)
    bol_w_m2 = array.power_per_area_w_m2(SOLAR_CONSTANT_W_M2)
    assert array.mass_kg(10.0) == pytest.approx(10.0 * bol_w_m2 / 100.0)


def test_power_time_series_shape_and_eclipse() -> None:
    array = _leo_array()
    lit = np.array([[1.0, 0.5, 0.0], [1.0, 1.0, 1.0]])  # (n_sat, n_time)
    s = solar_irradiance_w_m2(np.array([0.99, 1.0, 1.01]) * AU_M)
    p = power_time_series_w(array, np.array([[100.0], [50.0]]), lit, 1.0, s)
    assert p.shape == (2, 3)
    assert p[0, 2] == 0.0
    assert p[0, 1] == pytest.approx(0.5 * 100.0 * array.power_per_area_w_m2(s[1]))


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(
    load_w=st.floats(1.0, 1e7),
    extra=st.floats(0.0, 1e6),
    eclipse_frac=st.floats(0.0, 0.45),
    beta=st.floats(0.05, 1.4),
    sign=st.sampled_from((-1.0, 1.0)),
    years=st.floats(0.0, 15.0),
    mode=st.sampled_from(ATTITUDE_MODES),
)
def test_more_load_never_needs_less_array_or_battery(
    load_w: float,
    extra: float,
    eclipse_frac: float,
    beta: float,
    sign: float,
    years: float,
    mode: str,
) -> None:
    """Monotonic in load, and no NaN anywhere in the valid domain."""
    system = PowerSystem(_leo_array(attitude=mode), _battery())
    kw = dict(
        eclipse_s=5724.0 * eclipse_frac,
        period_s=5724.0,
        sunlit_fraction=1 - eclipse_frac,
        beta_rad=sign * beta,
        years=years,
    )
    a = system.size(load_w, **kw)  # type: ignore[arg-type]
    b = system.size(load_w + extra, **kw)  # type: ignore[arg-type]
    for name in ("array_area_m2", "array_mass_kg", "battery_capacity_wh", "battery_mass_kg"):
        va, vb = getattr(a, name), getattr(b, name)
        assert np.isfinite(va) and np.isfinite(vb), name
        assert vb >= va * (1 - round_off), name
    assert all(np.isfinite(v) for v in vars(a).values())


def test_sizing_broadcasts_over_arrays() -> None:
    s = _size(np.array([1e3, 2e3, 4e3]))
    assert s.array_area_m2.shape == (3,)
    assert np.allclose(s.array_area_m2 / s.array_area_m2[0], [1, 2, 4])
    assert abs(s.load_w[1] - 2e3) < one_milliwatt


def test_power_margin_and_design_day_scale_the_array() -> None:
    """The array is sized for the design day's irradiance by the inverse square (Kopp & Lean
    2011's 1,361 W/m^2 at 1 AU; 1.0167 AU at aphelion gives 1,316.7 W/m^2) and carries its power
    margin on top of SMAD eq. 11-5; the margin is not drawn, so it is not a conditioning loss."""
    base = PowerSystem(_leo_array(), _battery(), regulation="peak-power-tracking")
    margined = PowerSystem(_leo_array(), _battery(), "peak-power-tracking", power_margin=0.15)
    args = (10e3, 2100.0, 5700.0, 0.65, 0.0, 5.0)
    plain = base.size(*args)
    far = base.size(*args, sun_distance_m=1.0167 * AU_M)
    more = margined.size(*args)
    assert float(solar_irradiance_w_m2(1.0167 * AU_M)) == pytest.approx(1316.7, abs=0.1)
    assert far.array_area_m2 == pytest.approx(plain.array_area_m2 * 1.0167**2, rel=round_off)
    assert more.array_power_eol_w == pytest.approx(1.15 * plain.array_power_eol_w, rel=round_off)
    assert more.conditioning_loss_w == pytest.approx(plain.conditioning_loss_w, rel=round_off)
    # a shorter eclipse on the array's design day than the battery's
    short = base.size(*args, array_eclipse_s=1800.0)
    assert short.array_power_eol_w < plain.array_power_eol_w
    assert short.battery_capacity_wh == pytest.approx(plain.battery_capacity_wh)
    with pytest.raises(ValueError, match="power_margin"):
        PowerSystem(_leo_array(), _battery(), power_margin=1.5)
