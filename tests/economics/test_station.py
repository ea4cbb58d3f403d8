"""The centralized station's TCO with its in-space assembly (economics/station.py)."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from skydc.deployment.launch import get_launch_vehicle
from skydc.deployment.manifest import LaunchPlan, launches_needed
from skydc.economics.finance import HOURS_PER_YEAR
from skydc.economics.space import SpaceInputs, load_space_costs, space_tco
from skydc.economics.station import assembled_station_inputs, ramp_hours_by_year
from skydc.spacecraft.assembly import AssemblyPlan, default_assembly, plan_assembly

one_hour = 1.0
one_dollar = 1.0

# The ISS: ~410 t assembled in more than 40 flights, 1998-2011 (Wikipedia, 'Assembly of the
# International Space Station'); tests/spacecraft/test_assembly.py checks the plan against it.
ISS_MASS_KG = 410e3
# Falcon 9 standard price US$69.75M (SpaceX Capabilities & Services, 2024; data file and
# public-figures.md: ~$67-74M)
FALCON_9_PRICE_USD = 69.75e6
# Canadarm3 phases C-D, C$1.0 billion (CSA-MDA, 2024) at 1.37 CAD per USD (data/assembly.toml)
CANADARM3_USD = 1.0e9 / 1.37


def test_ramp_against_numerical_integration() -> None:
    """Year k's hours are the integral of the in-service share over [k-1, k]: checked against
    a trapezoid rule on a fine grid (the closed form in ramp_hours_by_year is independent)."""
    full = 8766.0
    for start, ramp in [(0.0, 3.0), (1.7, 2.4), (0.0, 0.5), (4.2, 0.0), (12.0, 0.0)]:
        got = ramp_hours_by_year(full, start, ramp, 10)
        t = np.linspace(0.0, 10.0, 200_001)
        share = np.clip((t - start) / ramp, 0.0, 1.0) if ramp > 0 else (t >= start) * 1.0
        for k in range(1, 11):
            m = (t >= k - 1) & (t <= k)
            ref = full * np.trapezoid(share[m], t[m])
            assert got[k - 1] == pytest.approx(ref, abs=one_hour)


def _iss_station(cadence_per_yr: float) -> tuple[SpaceInputs, AssemblyPlan, LaunchPlan]:
    tech = default_assembly()
    vehicle = get_launch_vehicle("falcon-9")
    bare = launches_needed(ISS_MASS_KG, 1.0, vehicle, 400.0, 51.6)
    plan = plan_assembly(
        ISS_MASS_KG, 1.0, bare.payload_per_launch_kg, bare.usable_volume_per_launch_m3,
        cadence_per_yr, tech,
    )  # fmt: skip
    hull = ISS_MASS_KG + plan.interface_mass_kg
    station_plan = launches_needed(hull + plan.robot_mass_kg, 1.0, vehicle, 400.0, 51.6)
    inputs = SpaceInputs(
        it_power_w=1e6, n_satellites=1, n_accelerators=1000, accelerator="b200",
        mass_by_subsystem_kg={"structure": hull, "assembly_robot": plan.robot_mass_kg},
        launch_usd_per_kg=station_plan.cost_per_kg_usd, period_yr=10,
    )  # fmt: skip
    return inputs, plan, station_plan


def test_iss_scale_station_pays_whole_flights_and_the_robot() -> None:
    """An ISS-mass station on Falcon 9: every module is a whole flight at the list price
    (US$69.75M), however full; the robot is the Canadarm3 programme, bought once, and its mass
    line carries the assembly's operations over its days."""
    inputs, plan, station_plan = _iss_station(cadence_per_yr=10.0)
    out = space_tco(assembled_station_inputs(inputs, plan, station_plan))
    assert out.lines_usd["launch"][()] == pytest.approx(
        plan.launches * FALCON_9_PRICE_USD, abs=one_dollar * plan.launches
    )
    tech = default_assembly()
    assert tech.robot_usd == pytest.approx(CANADARM3_USD, rel=0.01)  # rounded in the data file
    assert out.lines_usd["once.assembly_robot"][()] == pytest.approx(CANADARM3_USD, rel=0.01)
    operations = tech.operations_usd_per_day * plan.assembly_days
    assert out.lines_usd["satellite.assembly_robot"][()] == pytest.approx(operations, rel=1e-9)


def test_the_robot_is_bought_once_across_station_generations() -> None:
    """Over ten years a station of five-year life is built twice and fails sometimes; the robot
    stays in orbit, so it is paid once (``once.assembly_robot``) while each generation pays its
    own assembly operations: the replacement lines differ from a station without a robot by
    the operations alone (the robot's share of each generation's insurance included)."""
    inputs, plan, station_plan = _iss_station(cadence_per_yr=10.0)
    aged = dataclasses.replace(inputs, satellite_life_yr=5.0, annual_failure_probability=0.02)
    out = space_tco(assembled_station_inputs(aged, plan, station_plan))
    assert out.lines_usd["once.assembly_robot"][()] == pytest.approx(plan.robots_usd, rel=1e-12)
    no_robot = dataclasses.replace(
        aged, mass_by_subsystem_kg={"structure": aged.mass_by_subsystem_kg["structure"]}
    )
    bare = space_tco(assembled_station_inputs(no_robot, plan, station_plan))
    insured = 1.0 + float(load_space_costs()["insurance.launch_plus_one_year_rate"].value)
    one_assembly = plan.operations_usd * insured  # operations, insured; no robot
    # one more station at year 5; expected failures replaced at the end of years 1-9
    for line, stations in (("replacement_end_of_life", 1.0), ("replacement_failures", 0.02 * 9)):
        extra = float(out.lines_usd[line]) - float(bare.lines_usd[line])
        assert extra == pytest.approx(stations * one_assembly, rel=1e-6)


def test_station_delivers_nothing_until_assembled() -> None:
    """At 10 Falcon 9 flights a year the ISS-mass station (~26 whole modules of ~17 t) takes
    ~2.6 years to assemble: no hour is delivered before, every hour after. At 2 flights a year
    it takes ~13 years, the ISS's own 1998-2011: not assembled within a ten-year period, it
    delivers no hour, so it has no cost per hour (NaN, never a number)."""
    inputs, plan, station_plan = _iss_station(cadence_per_yr=10.0)
    years = plan.assembly_days / 365.25
    assert years == pytest.approx(plan.launches / 10.0)
    done = assembled_station_inputs(inputs, plan, station_plan)
    hours = np.asarray(done.delivered_accelerator_hours_by_year)
    full = 1000 * HOURS_PER_YEAR
    assert np.all(hours[: math.floor(years)] == 0.0)
    assert hours[math.floor(years)] == pytest.approx(full * (math.ceil(years) - years))
    assert np.all(hours[math.ceil(years) :] == pytest.approx(full))

    slow_inputs, slow, slow_station = _iss_station(cadence_per_yr=2.0)
    late = space_tco(assembled_station_inputs(slow_inputs, slow, slow_station))
    assert slow.assembly_days / 365.25 == pytest.approx(13.0, abs=1.5)
    assert float(late.delivered_accelerator_hours) == 0.0
    assert math.isnan(float(late.usd_per_delivered_accelerator_hour))


def test_a_stated_price_per_kg_bills_the_whole_flights() -> None:
    """A scenario's stated launch price per kg (a peer's assumption) is kept; the station
    still pays for every module flight's whole capacity, as the fleet pays whole launches."""
    inputs, plan, station_plan = _iss_station(cadence_per_yr=10.0)
    stated = 100.0  # USD/kg
    out = space_tco(assembled_station_inputs(inputs, plan, station_plan, stated))
    capacity_kg = plan.launches * station_plan.payload_per_launch_kg
    assert out.lines_usd["launch"][()] == pytest.approx(stated * capacity_kg)
