"""In-space assembly of the centralized station (spacecraft/assembly.py)."""

from __future__ import annotations

import pytest

from skydc.spacecraft.assembly import default_assembly, plan_assembly


def test_interface_and_robot_masses_from_iss_hardware() -> None:
    """Common Berthing Mechanism: active 540 lb, passive 440 lb (specified); Canadarm2 1,497 kg
    (MDA)."""
    tech = default_assembly()
    lb = 0.45359237
    assert tech.active_interface_mass_kg == pytest.approx(540 * lb, abs=5.0)
    assert tech.passive_interface_mass_kg == pytest.approx(440 * lb, abs=5.0)
    assert tech.robot_mass_kg == pytest.approx(1497.0)


def test_iss_scale_assembly_needs_whole_modules() -> None:
    """The ISS: ~410 t in more than 40 assembly flights, 1998-2011 (Wikipedia, 'Assembly of the
    International Space Station'), at most 410 t / 40 = 10.25 t delivered a flight on average
    (derived). Flights of that size, each a whole module with its berthing interfaces and the
    robot on the first, need more than 40 flights, and not more than 10 % more (ten percent:
    the interfaces and the arm are 4.3 % + 0.4 % of each flight's mass)."""
    tech = default_assembly()
    per_flight_kg = 410e3 / 40
    plan = plan_assembly(410e3, 1000.0, per_flight_kg, 300.0, 3.0, tech)
    assert 40 < plan.launches <= 44
    assert plan.added_mass_kg == pytest.approx(
        plan.modules * tech.interface_mass_kg + tech.robot_mass_kg
    )
    assert plan.launch_limited  # 3 flights a year: the cadence, not the robot, sets the pace
    assert plan.assembly_days == pytest.approx(plan.launches / 3.0 * 365.25)
    assert plan.assembly_days / 365.25 == pytest.approx(13.0, abs=1.5)  # 1998-2011


def test_robot_rate_governs_at_high_cadence() -> None:
    tech = default_assembly(berthing_hours_per_module=48.0)
    plan = plan_assembly(2.0e6, 5000.0, 100e3, 1000.0, 1000.0, tech)
    assert not plan.launch_limited
    assert plan.assembly_days == pytest.approx(plan.modules * 2.0)
    assert plan.cost_usd == pytest.approx(
        tech.robot_usd + tech.operations_usd_per_day * 2 * plan.modules
    )


def test_a_launch_too_small_for_the_interfaces_is_refused() -> None:
    with pytest.raises(ValueError, match="berthing interfaces"):
        plan_assembly(1e5, 10.0, 400.0, 10.0, 5.0, default_assembly())
