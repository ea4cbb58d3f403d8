"""Fault sampling statistics and the radiation-model bridge."""

from __future__ import annotations

import math

import numpy as np
import pytest

from skydc.operations.faults import FaultModel, sample_faults
from skydc.spacecraft.payload import get_accelerator
from skydc.spacecraft.radiation import RadiationEnvironment

five_sigma = 5.0


def test_poisson_counts_and_node_shares() -> None:
    """Counts of a Poisson process with mean lambda T; nodes hit in proportion to devices."""
    model = FaultModel(ue_per_device_day=0.5, satellite_failure_per_year=0.5)
    devices = np.array([8, 24, 0, 64])
    sats = np.array([1, 3, 1, 8])
    days = 100.0
    sched = sample_faults(model, np.random.default_rng(1), devices, sats, 0.0, days * 86400.0)
    assert np.all(np.diff(sched.t_s) >= 0)
    ue = sched.kind == 1
    mean = 0.5 * devices.sum() * days
    assert abs(ue.sum() - mean) < five_sigma * math.sqrt(mean)
    share = np.bincount(sched.node[ue], minlength=4) / ue.sum()
    np.testing.assert_allclose(share, devices / devices.sum(), atol=0.02)
    sat = sched.kind == 3
    mean_sat = math.log(2.0) * sats.sum() * days / 365.25
    assert abs(sat.sum() - mean_sat) < five_sigma * math.sqrt(mean_sat)
    assert not np.any(sched.kind == 0)  # no SDC rate, no SDC


def test_same_generator_same_schedule() -> None:
    model = FaultModel(sdc_per_device_day=1.0, link_outage_per_node_day=2.0, link_outage_s=5.0)
    a, b = (
        sample_faults(model, np.random.default_rng(9), [8, 8], [1, 1], 0.0, 86400.0)
        for _ in range(2)
    )
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(x, y)


def test_hazard_rate_from_annual_probability() -> None:
    """P(fail within a year) = 1 - exp(-lambda year): p = 0.5 gives ln 2 per year."""
    rate = FaultModel(satellite_failure_per_year=0.5).satellite_failure_per_s
    assert rate * 365.25 * 86400.0 == pytest.approx(math.log(2.0))


def test_from_radiation_tpu_v6e_suncatcher_orbit() -> None:
    """Rates of the radiation model (TPU v6e, 650 km SSO, 10 mm Al) map one to one."""
    rates = RadiationEnvironment(650.0, 97.99, 10.0).fault_rates(get_accelerator("tpu-v6e"), 5.0)
    model = FaultModel.from_radiation(rates, replacement_s=86400.0)
    assert model.sdc_per_device_day == rates.sdc_per_device_day > 0
    assert model.ue_per_device_day == rates.hbm_ue_per_device_day
    assert model.sefi_per_device_day == rates.sefi_per_device_day
    assert model.replacement_s == 86400.0


def test_from_radiation_refuses_unknown_rates() -> None:
    rates = RadiationEnvironment(650.0, 97.99, 10.0).fault_rates(get_accelerator("h100-sxm"), 5.0)
    with pytest.raises(ValueError, match="unknown \\(NaN\\)"):
        FaultModel.from_radiation(rates)
