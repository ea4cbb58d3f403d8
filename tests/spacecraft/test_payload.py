"""Accelerator catalog and payload sizing (skydc.spacecraft.payload)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skydc.spacecraft.payload import (
    PRECISIONS,
    Accelerator,
    get_accelerator,
    load_accelerators,
    size_payload,
)

REQUIRED = ("h100-sxm", "b200", "gb200-nvl72", "tpu-v6e")
one_watt = 1.0
one_percent = 0.01


def test_catalog_has_the_required_entries_and_a_radiation_tolerant_module() -> None:
    catalog = load_accelerators()
    for name in REQUIRED:
        assert name in catalog
    space_grade = [a for a in catalog.values() if a.kind == "module"]
    assert space_grade, "need one radiation-tolerant edge module"
    assert any(a.radiation is not None for a in space_grade)


@pytest.mark.parametrize("name", sorted(load_accelerators()))
def test_catalog_entries_have_source_year_and_positive_numbers(name: str) -> None:
    acc = load_accelerators()[name]
    assert acc.source.strip()
    assert 2015 <= acc.year <= 2030
    for value in (acc.power_w, acc.memory_gb, acc.mass_kg, acc.server_mass_kg_per_accelerator):
        assert value > 0
    assert acc.server_power_factor >= 1.0
    assert acc.accelerators_per_unit >= 1
    rates = [acc.peak_ops_per_s(p) for p in PRECISIONS]
    assert any(r > 0 for r in rates)
    assert all(math.isnan(r) or r > 0 for r in rates)
    for field_name in acc.estimated:
        assert hasattr(acc, field_name), f"{name}: estimated names unknown field {field_name}"
    if acc.radiation is not None:
        assert acc.radiation.source.strip()
        assert acc.radiation.year > 2000


def test_h100_sxm_is_700_w_per_nvidia_datasheet() -> None:
    h100 = get_accelerator("h100-sxm")
    assert h100.power_w == pytest.approx(700.0, abs=one_watt)
    assert h100.memory_gb == pytest.approx(80.0)
    # DGX H100: 8 GPUs, 10.2 kW maximum system power (NVIDIA DGX H100 user guide)
    assert 8 * h100.server_power_w == pytest.approx(10.2e3, rel=one_percent)


def test_gb200_nvl72_power_and_mass_match_public_figures() -> None:
    """~120 kW (up to 132 kW) and ~1.36 t per rack (public-figures.md, NVIDIA/SemiAnalysis)."""
    rack = get_accelerator("gb200-nvl72")
    assert rack.kind == "rack"
    assert 120e3 <= rack.power_w <= 132e3
    assert rack.power_max_w == pytest.approx(132e3)
    assert rack.mass_kg == pytest.approx(1360.0, rel=0.05)
    assert rack.accelerators_per_unit == 72
    assert rack.server_power_factor == 1.0  # rack power already includes hosts and switches


def test_tpu_v6e_peak_rates_per_google_cloud_docs() -> None:
    tpu = get_accelerator("tpu-v6e")
    assert tpu.peak_ops_per_s("bf16") == pytest.approx(918e12)
    assert tpu.peak_ops_per_s("int8") == pytest.approx(1836e12)
    assert math.isnan(tpu.peak_ops_per_s("fp64"))
    assert tpu.radiation is not None
    assert tpu.radiation.tid_hbm_irregularity_krad == pytest.approx(2.0)
    assert tpu.radiation.tid_no_hard_failure_krad == pytest.approx(15.0)


def test_unknown_accelerator_error_lists_the_names() -> None:
    with pytest.raises(ValueError, match=r"unknown accelerator 'a100'; allowed: .*h100-sxm"):
        get_accelerator("a100")
    with pytest.raises(ValueError, match=r"allowed: .*tpu-v6e"):
        size_payload(1e6, "nope")


def test_unknown_precision_lists_the_precisions() -> None:
    with pytest.raises(ValueError, match="allowed: fp64, fp32, bf16, fp8, int8"):
        get_accelerator("b200").peak_ops_per_s("fp4")


@pytest.mark.parametrize("bad", [-1.0, math.nan, math.inf])
def test_size_payload_rejects_negative_or_non_finite_power(bad: float) -> None:
    with pytest.raises(ValueError, match="it_power_w"):
        size_payload(bad, "h100-sxm")


def test_size_payload_rejects_unknown_rounding() -> None:
    with pytest.raises(ValueError, match="allowed: ceil, floor"):
        size_payload(1e6, "h100-sxm", rounding="nearest")


def test_starcloud_300_racks_of_120_kw_is_36_mw() -> None:
    """Starcloud white paper: ~300 racks x ~120 kW (GB200 NVL72 class) = 36 MW."""
    sizing = size_payload(36e6, "gb200-nvl72")
    assert int(sizing.n_units) == 300
    assert int(sizing.n_accelerators) == 300 * 72
    assert float(sizing.it_power_w) == pytest.approx(36e6)
    assert float(sizing.compute_mass_kg) == pytest.approx(300 * 1360.0)
    # 100 kW of compute per tonne is the SpaceX claim; racks alone give ~88 kW/t
    kw_per_t = float(sizing.it_power_w) / float(sizing.compute_mass_kg)
    assert 80.0 < kw_per_t < 95.0


def test_size_payload_vectorised_and_consistent() -> None:
    acc = get_accelerator("h100-sxm")
    budgets = np.array([0.0, 1e3, 1e6, 40e6])
    s = size_payload(budgets, acc)
    assert s.n_units.shape == budgets.shape
    assert s.n_units[0] == 0 and s.n_units[1] == 0
    np.testing.assert_allclose(s.it_power_w, s.n_units * acc.server_power_w)
    np.testing.assert_allclose(s.peak_ops_per_s["fp8"], s.n_units * 1979e12)
    assert np.isnan(s.ops_per_w["fp8"][0])
    np.testing.assert_allclose(s.ops_per_w["fp8"][2:], 1979e12 / acc.server_power_w)
    np.testing.assert_allclose(s.ops_per_kg["bf16"][2:], 989e12 / 16.3)
    assert not np.any(np.isnan(s.peak_ops_per_s["fp64"]))  # the H100 has an FP64 figure


def test_ceil_rounding_meets_the_budget() -> None:
    s = size_payload(1e6, "b200", rounding="ceil")
    assert float(s.it_power_w) >= 1e6
    assert float(s.it_power_w) - 1e6 < get_accelerator("b200").server_power_w


names = st.sampled_from(sorted(load_accelerators()))
powers = st.floats(min_value=0.0, max_value=1e9, allow_nan=False, allow_infinity=False)


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(names, powers, powers)
def test_more_it_power_never_needs_less_compute_mass(name: str, p1: float, p2: float) -> None:
    lo, hi = sorted((p1, p2))
    a, b = size_payload(lo, name), size_payload(hi, name)
    assert b.n_units >= a.n_units
    assert b.compute_mass_kg >= a.compute_mass_kg
    assert b.it_power_w >= a.it_power_w


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(names, powers)
def test_floor_sizing_fits_the_budget_and_has_no_nan_where_defined(name: str, p: float) -> None:
    acc: Accelerator = get_accelerator(name)
    s = size_payload(p, acc)
    assert float(s.it_power_w) <= p * (1 + 1e-9)
    assert p - float(s.it_power_w) < acc.server_power_w * (1 + 1e-9)
    for precision in PRECISIONS:
        if not math.isnan(acc.peak_ops_per_s(precision)) and s.n_units > 0:
            assert np.isfinite(s.ops_per_w[precision])
            assert np.isfinite(s.ops_per_kg[precision])
