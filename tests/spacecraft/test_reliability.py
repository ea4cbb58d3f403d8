"""Sourced reliability figures and the opt-in fallback (skydc.spacecraft.reliability)."""

from __future__ import annotations

import math

import pytest

from skydc.constants import JULIAN_YEAR_DAYS
from skydc.spacecraft import reliability as rel_mod
from skydc.spacecraft.payload import load_accelerators
from skydc.spacecraft.radiation import RadiationEnvironment
from skydc.spacecraft.reliability import (
    FIGURES,
    SEE_FIGURES,
    accelerator_names,
    accelerator_reliability,
    radiation_sensitivity,
    reliability_catalog,
)

CATALOG = sorted(load_accelerators())
SSO_650_KM_INCLINATION_DEG = 97.99  # sun-synchronous at 650 km, as in test_radiation
one_per_mille = 1e-3


def test_every_catalog_accelerator_is_covered() -> None:
    assert accelerator_names() == CATALOG
    assert set(reliability_catalog()) == set(CATALOG)


@pytest.mark.parametrize("name", CATALOG)
def test_every_figure_has_a_value_or_an_explicit_unknown_and_a_source(name: str) -> None:
    rel = accelerator_reliability(name)
    for key, figure in rel.figures.items():
        assert figure.source.strip(), f"{name}.{key}: empty source"
        if figure.value is None:
            assert figure.basis == "unknown", f"{name}.{key}: no value but basis {figure.basis}"
            assert key in rel.unknown
            assert math.isnan(figure.as_float())
        else:
            assert figure.value > 0, f"{name}.{key}: a zero would be a silent zero"
            assert figure.basis.split(" ")[0] in ("measured", "assumed")
    assert not rel.fallback_used  # never without asking
    assert set(rel.unknown) <= set(FIGURES)


def test_h100_ground_failure_rate_is_llama3_gpu_and_hbm3_interruptions() -> None:
    """Dubey et al. 2024, "The Llama 3 Herd of Models" (arXiv:2407.21783), sec. 3.3.4,
    Table 5: 16,384 H100 GPUs over 54 days; of 419 unexpected interruptions, 148 faulty GPU
    and 72 GPU HBM3 memory."""
    faulty_gpu, hbm3, gpus, days = 148, 72, 16_384, 54.0
    expected = (faulty_gpu + hbm3) / gpus / (days / JULIAN_YEAR_DAYS)
    figure = accelerator_reliability("h100-sxm").ground_failures_per_device_yr
    assert figure.value == pytest.approx(expected, rel=one_per_mille)
    assert figure.value == pytest.approx(0.0908, rel=one_per_mille)
    assert figure.basis == "measured"
    assert "2407.21783" in figure.source and "Llama 3" in figure.source


@pytest.mark.parametrize("name", CATALOG)
def test_unknown_figures_stay_none_unless_the_fallback_is_asked_for(name: str) -> None:
    plain = accelerator_reliability(name)
    filled = accelerator_reliability(name, fallback=True)
    assert filled.fallback_requested and not plain.fallback_requested
    for key in FIGURES:
        own, fb = plain.figures[key], filled.figures[key]
        if own.value is not None:
            assert fb == own  # known figures are never replaced
            continue
        assert own.value is None
        assert fb.value is not None and fb.value > 0
        assert fb.basis.startswith("fallback")
        assert key in filled.fallback_used
    assert set(filled.fallback_used) == set(plain.unknown)
    assert filled.unknown == ()


def test_b200_fallbacks_name_their_sources_and_bases() -> None:
    plain = accelerator_reliability("b200")
    assert plain.unknown == FIGURES
    why = plain.why_unknown()
    assert "ground_failures_per_device_yr" in why and "fallback=True" in why
    filled = accelerator_reliability("b200", fallback=True)
    ground = filled.ground_failures_per_device_yr
    assert ground.basis == "fallback: h100-sxm (measured)"
    assert ground.value == accelerator_reliability("h100-sxm").ground_failures_per_device_yr.value
    tpu = accelerator_reliability("tpu-v6e")
    for key in SEE_FIGURES:
        assert filled.figures[key].basis == "fallback: tpu-v6e (assumed)"
        assert filled.figures[key].value == tpu.figures[key].value
    assert "a value" in filled.why_unknown()


def test_b200_fault_rates_are_nan_without_fallback_and_finite_with_it() -> None:
    env = RadiationEnvironment(650.0, SSO_650_KM_INCLINATION_DEG, 10.0)
    unknown = env.fault_rates(radiation_sensitivity("b200"), mission_years=5.0)
    for rate in (unknown.sdc_per_device_day, unknown.hbm_ue_per_device_day):
        assert math.isnan(rate)
    assert math.isnan(unknown.sefi_per_device_day)
    assert unknown.see_basis == "unknown"
    known = env.fault_rates(radiation_sensitivity("b200", fallback=True), mission_years=5.0)
    for rate in (known.sdc_per_device_day, known.hbm_ue_per_device_day, known.sefi_per_device_day):
        assert math.isfinite(rate) and rate > 0
    assert known.see_basis == "fallback: tpu-v6e (assumed)"
    tpu = env.fault_rates(radiation_sensitivity("tpu-v6e"), mission_years=5.0)
    assert known.sdc_per_device_day == pytest.approx(tpu.sdc_per_device_day)


def test_partial_fallback_keeps_the_entry_s_own_figures() -> None:
    """XQR Versal: its own SDC/SEFI figures stay; only the unknown memory figure is filled."""
    own = radiation_sensitivity("xqr-versal-vc1902")
    assert own.hbm_ue_cross_section_cm2 is None
    filled = radiation_sensitivity("xqr-versal-vc1902", fallback=True)
    assert filled.sdc_cross_section_cm2 == own.sdc_cross_section_cm2
    assert (
        filled.hbm_ue_cross_section_cm2 == radiation_sensitivity("tpu-v6e").hbm_ue_cross_section_cm2
    )
    assert "fallback: tpu-v6e (assumed)" in filled.see_basis
    assert filled.tid_no_hard_failure_krad == own.tid_no_hard_failure_krad
    # fully known entries come back unchanged
    assert radiation_sensitivity("tpu-v6e", fallback=True) == radiation_sensitivity("tpu-v6e")


def test_unknown_accelerator_raises_listing_names() -> None:
    with pytest.raises(ValueError, match="unknown accelerator 'h200'") as info:
        accelerator_reliability("h200")
    assert all(name in str(info.value) for name in CATALOG)
    with pytest.raises(ValueError, match="allowed") as info:
        radiation_sensitivity("h200", fallback=True)
    assert all(name in str(info.value) for name in CATALOG)


def test_loader_refuses_silent_gaps() -> None:
    where = "x"
    with pytest.raises(ValueError, match="neither given nor listed"):
        rel_mod._see(where, {"source": "s", "see_basis": "assumed", "sdc_cross_section_cm2": 1e-10})
    with pytest.raises(ValueError, match="both given and listed"):
        rel_mod._see(
            where,
            {
                "source": "s",
                "see_basis": "assumed",
                "see_unknown": list(SEE_FIGURES),
                "sdc_cross_section_cm2": 1e-10,
            },
        )
    with pytest.raises(ValueError, match="missing"):
        rel_mod._ground(where, None)
    with pytest.raises(ValueError, match="is given"):
        rel_mod._ground(
            where,
            {"ground_basis": "unknown", "ground_source": "s", "ground_failures_per_device_yr": 0.0},
        )
    with pytest.raises(ValueError, match="> 0"):
        rel_mod._ground(
            where,
            {"ground_basis": "measured", "ground_source": "s", "ground_failures_per_device_yr": 0},
        )
    with pytest.raises(ValueError, match="source"):
        rel_mod._ground(where, {"ground_basis": "unknown", "ground_source": " "})
