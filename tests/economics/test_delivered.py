"""The delivered-compute kernels (skydc.economics.delivered) against closed forms.

References: the mean of an exponential survival curve, (1 - exp(-lambda T)) / (lambda T); the
alternating-renewal availability MTBF / (MTBF + MTTR) (e.g. Barlow & Proschan 1975, *Statistical
Theory of Reliability and Life Testing*, ch. 7); the NREL LCOE identity (Short, Packey & Holt
1995, NREL/TP-462-5173, eq. 4-6): with a level output the levelized cost is EAC / output.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from skydc.economics.delivered import (
    downlink_factor,
    fault_loss_fraction,
    fleet_history,
    ground_history,
    mean_survival,
    repaired_availability,
    traffic_class,
    traffic_class_names,
    waterfall,
)
from skydc.economics.finance import capital_recovery_factor, levelized_usd_per_unit
from skydc.economics.ground import GroundInputs, ground_tco
from skydc.economics.space import SpaceInputs, space_tco


def test_unlimited_cadence_no_failures_keeps_the_fleet_full() -> None:
    h = fleet_history(400, 1e9, 20.0, 0.0, 0.0, 10)
    assert h.years_to_full == pytest.approx(1 / 12)
    np.testing.assert_allclose(h.in_service, 400.0)
    np.testing.assert_allclose(h.accelerator_fraction, 1.0)
    assert h.launched_by_year["build"][0] == 400.0
    assert h.launched_by_year["end_of_life"].sum() == 0.0
    assert h.residual_fraction == pytest.approx(0.5, abs=0.01)  # 10 of 20 years used


def test_accelerator_attrition_matches_the_mean_of_exponential_survival() -> None:
    lam, life = 0.09, 5.0  # Llama 3 field rate per GPU-year, a five-year satellite
    h = fleet_history(100, 1e9, life, 0.0, lam, 5)
    # monthly mid-step ages: the midpoint rule, error O(dt^2)
    assert float(np.mean(h.accelerator_fraction)) == pytest.approx(
        float(mean_survival(lam, life)), rel=1e-4
    )
    assert float(mean_survival(lam, life)) == pytest.approx(-math.expm1(-lam * life) / (lam * life))


def test_cadence_limits_the_ramp_linearly() -> None:
    h = fleet_history(120, 24.0, 30.0, 0.0, 0.0, 10)  # 2 satellites a month
    np.testing.assert_allclose(h.in_service[:60], 2.0 * np.arange(1, 61))
    assert h.years_to_full == pytest.approx(5.0)
    assert h.ramp_by_year[0] == pytest.approx(np.mean(2.0 * np.arange(1, 13)) / 120)


def test_a_cadence_below_replacement_never_completes_and_says_why() -> None:
    h = fleet_history(400, 65.0, 5.0, 0.02, 0.0, 10)
    assert math.isnan(h.years_to_full)
    assert h.why_not_full.startswith("never")
    assert "65 satellites a year" in h.why_not_full and "takes 88 a year" in h.why_not_full
    assert float(np.max(h.in_service)) < 400


def test_replacements_hold_the_fleet_and_balance_the_losses() -> None:
    p = 0.05
    h = fleet_history(1000, 1e9, 4.0, p, 0.0, 12)
    np.testing.assert_allclose(h.in_service, 1000.0)
    # every satellite lost (failed or retired) is relaunched within the period's steps
    launched = sum(v.sum() for v in h.launched_by_year.values())
    assert launched == pytest.approx(1000.0 + h.launched_by_year["failure"].sum()
                                     + h.launched_by_year["end_of_life"].sum())  # fmt: skip
    # failures per year are -ln(1 - p) x fleet (a constant hazard), within the month grid
    assert h.launched_by_year["failure"][5] == pytest.approx(1000 * -math.log1p(-p), rel=0.02)


def test_repaired_availability_is_mtbf_over_mtbf_plus_mttr() -> None:
    assert float(repaired_availability(1.0, 365.25 * 86400.0)) == pytest.approx(0.5)
    assert float(repaired_availability(0.0, 1e6)) == 1.0


def test_downlink_and_fault_factors() -> None:
    assert float(downlink_factor(50.0, 1.0, 1.0 / 86400.0 * 100.0)) == pytest.approx(0.5)
    assert float(downlink_factor(0.0, 1e18, 0.0)) == 1.0
    assert float(downlink_factor(1e30, 1e18, 1e-8)) == 1.0
    # 1 fault per device-day, 864 s each, groups of 1: 1 % lost
    assert float(fault_loss_fraction(np.array([1.0]), 864.0, 1.0)) == pytest.approx(0.01)
    assert float(fault_loss_fraction(np.array([1e6]), 864.0, 8.0)) == 1.0


def test_ground_history_builds_then_operates() -> None:
    x = ground_history(1.5, 3, steps_per_yr=2)
    np.testing.assert_allclose(x, [0, 0, 0, 1, 1, 1])


def test_waterfall_multiplies_and_names_the_binding_loss() -> None:
    w = waterfall("space", 100.0, [("a", 0.5, "s"), ("b", 0.9, "s"), ("c", 1.0, "s")])
    assert w.delivered_hours == pytest.approx(45.0)
    assert w.binding_loss == "a"
    assert waterfall("g", 1.0, [("x", 1.0, "s")]).binding_loss == "none"
    with pytest.raises(ValueError):
        waterfall("g", 1.0, [("x", 1.5, "s")])


def test_level_output_gives_eac_over_output() -> None:
    cf = np.array([1000.0, 50.0, 50.0, 50.0])
    r = 0.08
    pv = float(np.sum(cf * (1 + r) ** -np.arange(4)))
    eac = pv * float(capital_recovery_factor(r, 3))
    assert float(levelized_usd_per_unit(cf, np.full(3, 10.0), r)) == pytest.approx(eac / 10.0)


def _space(**kw: object) -> SpaceInputs:
    return SpaceInputs(
        it_power_w=1e6, n_satellites=10, mass_by_subsystem_kg={"structure": 100.0},
        n_accelerators=800, launch_usd_per_kg=500.0, satellite_life_yr=20.0,
        annual_failure_probability=0.0, **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def test_a_schedule_of_one_build_at_time_zero_matches_the_level_model() -> None:
    zeros = np.zeros(11)
    build = zeros.copy()
    build[0] = 10.0
    level = space_tco(_space())
    from skydc.economics.finance import residual_fraction

    sched = space_tco(
        _space(
            launch_schedule={
                "build": build,
                "end_of_life": zeros,
                "failure": zeros,
                "retired": zeros,
            },
            residual_in_service_fraction=float(residual_fraction(10, 20.0)),
        )
    )
    assert float(sched.total_usd) == pytest.approx(float(level.total_usd), rel=1e-12)


def test_delivered_hours_give_a_levelized_cost_per_delivered_hour() -> None:
    hours = np.full(10, 1e6)
    c = space_tco(_space(delivered_accelerator_hours_by_year=hours))
    assert float(c.delivered_accelerator_hours) == pytest.approx(1e7)
    assert float(c.usd_per_delivered_accelerator_hour) == pytest.approx(
        float(c.equivalent_annual_cost_usd) / 1e6
    )


def test_ground_build_time_moves_the_compute_purchase_and_the_running_costs() -> None:
    g0 = ground_tco(GroundInputs(it_power_w=1e6, n_accelerators=800))
    g2 = ground_tco(GroundInputs(it_power_w=1e6, n_accelerators=800, build_yr=2.0))
    assert float(g2.lines_usd["energy_it"]) == pytest.approx(0.8 * float(g0.lines_usd["energy_it"]))
    assert float(g2.present_value_usd) < float(g0.present_value_usd)  # compute paid later
    with pytest.raises(ValueError, match="build_yr"):
        ground_tco(GroundInputs(it_power_w=1e6, n_accelerators=800, build_yr=10.0))


def test_traffic_classes_are_sourced() -> None:
    for name in traffic_class_names():
        t = traffic_class(name)
        assert t.bits_per_flop > 0 and t.source
    with pytest.raises(ValueError, match="allowed"):
        traffic_class("nope")


def test_operations_follow_the_satellites_in_service() -> None:
    zeros = np.zeros(11)
    build = zeros.copy()
    build[0] = 10.0
    in_service = np.r_[0.0, np.full(10, 4.0)]  # four of ten satellites operated each year
    c = space_tco(
        _space(
            launch_schedule={
                "build": build,
                "end_of_life": zeros,
                "failure": zeros,
                "retired": zeros,
                "in_service": in_service,
            },
            operations_usd_per_satellite_yr=1000.0,
        )
    )
    assert float(c.lines_usd["operations"]) == pytest.approx(1000.0 * 40.0)
