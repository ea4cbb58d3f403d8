"""Heavy-ion single-event rates from Weibull cross-sections (skydc.spacecraft.radiation).

Independent check: Petersen's figure of merit. For a device whose heavy-ion cross-section
saturates at ``sigma_sat`` [cm^2] and reaches a quarter of it at ``L0.25`` [MeV cm^2/mg], the
upset rate in geostationary orbit at solar minimum behind ~100 mil Al is

    R = 200 sigma_sat / L0.25^2   [per device-day]

(E. L. Petersen, "The SEU figure of merit and proton upset rate calculations", IEEE Trans.
Nucl. Sci. 45(6), 2550-2562, 1998; E. L. Petersen, "Single Event Effects in Aerospace",
Wiley-IEEE Press 2011, ch. 14: the heavy-ion coefficient 200 for GEO, solar minimum), which
Petersen finds within a factor of ~2-3 of full RPP/CREME calculations for devices of ordinary
sensitivity. ``factor_2_5`` is that documented spread.

The devices compared have ``L0.25`` between 2 and 13 MeV cm^2/mg. For harder devices the rate
here falls below the figure of merit faster than the factor: the integral-flux fold takes the
LET at normal incidence, without the chord-length distribution (ions crossing the sensitive
volume at a slant deposit more charge), which RPP-based codes and the figure of merit include
(module docstring of skydc.environment.cosmic_rays); the LEO heavy-ion spectrum itself is
checked against CREME96 in SPENVIS (He and Fe, 530 km 53 deg and 825 km 98.8 deg) in
tests/environment/test_cosmic_rays.py.
"""

from __future__ import annotations

import math

import pytest

from skydc.constants import ALUMINIUM_DENSITY_G_CM3
from skydc.spacecraft.radiation import (
    SEE_MODELS,
    HeavyIonWeibull,
    RadiationEnvironment,
    RadiationSensitivity,
    gcr_heavy_ion_see_rate_per_day,
)

GEO_ALTITUDE_KM = 35786.0
HUNDRED_MIL_AL_G_CM2 = 0.254 * ALUMINIUM_DENSITY_G_CM3
PETERSEN_GEO_SOLAR_MIN = 200.0  # [upsets per device-day per (cm^2 / (MeV cm^2/mg)^2)]
factor_2_5 = 2.5

# (L0, W, s): soft, ordinary and moderately hard devices, L0.25 from 1.9 to 12.7 MeV cm^2/mg
DEVICES = [(0.5, 5.0, 1.0), (1.0, 10.0, 1.5), (2.0, 20.0, 2.0)]


@pytest.mark.parametrize(("let0", "width", "shape"), DEVICES)
def test_geo_solar_minimum_rate_against_petersen_figure_of_merit(
    let0: float, width: float, shape: float
) -> None:
    sigma_sat = 1e-7
    weibull = HeavyIonWeibull("sefi", sigma_sat, let0, width, shape, "test", 2025, "none")
    l25 = weibull.let_quarter_saturation_mev_cm2_mg
    assert l25 == pytest.approx(let0 + width * (-math.log(0.75)) ** (1.0 / shape))
    petersen = PETERSEN_GEO_SOLAR_MIN * sigma_sat / l25**2
    rate = gcr_heavy_ion_see_rate_per_day(
        sigma_sat, let0, width, shape, GEO_ALTITUDE_KM, 0.0, HUNDRED_MIL_AL_G_CM2, 0.0
    )
    assert petersen / factor_2_5 < rate < petersen * factor_2_5


def test_geomagnetic_field_shields_leo_from_heavy_ions() -> None:
    """The same device sees fewer heavy ions in LEO than at GEO, and fewer at 53 deg than in a
    polar orbit (the cutoff rigidity over the orbit)."""
    args = (1e-7, 1.0, 10.0, 1.5)
    geo = gcr_heavy_ion_see_rate_per_day(*args, GEO_ALTITUDE_KM, 0.0, HUNDRED_MIL_AL_G_CM2)
    polar = gcr_heavy_ion_see_rate_per_day(*args, 550.0, 97.6, HUNDRED_MIL_AL_G_CM2)
    mid = gcr_heavy_ion_see_rate_per_day(*args, 550.0, 53.0, HUNDRED_MIL_AL_G_CM2)
    assert geo > polar > mid > 0.0


# Petersen 1998 (above), the figure of heavy-ion rate coefficients against circular-orbit
# altitude and inclination, as read off it in a public digitization (a Python notebook that
# tabulates it; values as digitized): coefficient at (altitude km, inclination deg), and GEO.
PETERSEN_1998_HEAVY_ION = {
    (500, 90): 97.4, (500, 60): 56.0, (1000, 90): 108.8, (1000, 60): 63.5,
    (2000, 90): 129.7, (2000, 60): 84.9,
}  # fmt: skip
PETERSEN_1998_HEAVY_ION_GEO = 485.0
factor_2 = 2.0


@pytest.mark.parametrize(("let0", "width", "shape"), DEVICES)
@pytest.mark.parametrize(("altitude_km", "inclination_deg"), sorted(PETERSEN_1998_HEAVY_ION))
def test_leo_to_geo_heavy_ion_rate_against_petersen_orbit_coefficients(
    let0: float, width: float, shape: float, altitude_km: int, inclination_deg: int
) -> None:
    """How much the geomagnetic field shields LEO, against Petersen's coefficients by orbit:
    the rate's LEO/GEO ratio for the same device within a factor 2 of the coefficients' ratio
    (a ratio: the figure's GEO coefficient, 485 as digitized, and the text's 200 above differ
    by more than the tolerance, and a ratio needs neither). Measured 0.72-1.79x. Not checked
    at 30 deg and below: there the fold without slant chords (module docstring) gives
    0.4-0.5x for the ordinary device and no upsets for the hard one, whose ions would need
    the longer chords to reach L0; orbits that low in inclination are outside the heavy-ion
    model's validated range (docs/sizing.md)."""
    args = (1e-7, let0, width, shape)
    geo = gcr_heavy_ion_see_rate_per_day(*args, GEO_ALTITUDE_KM, 0.0, HUNDRED_MIL_AL_G_CM2, 0.0)
    leo = gcr_heavy_ion_see_rate_per_day(
        *args, float(altitude_km), float(inclination_deg), HUNDRED_MIL_AL_G_CM2, 0.0
    )
    petersen = PETERSEN_1998_HEAVY_ION[altitude_km, inclination_deg] / PETERSEN_1998_HEAVY_ION_GEO
    assert petersen / factor_2 < leo / geo < petersen * factor_2


def _sensitivity(**heavy: dict[str, object]) -> RadiationSensitivity:
    return RadiationSensitivity.from_mapping(
        {
            "source": "test device",
            "year": 2025,
            "sefi_cross_section_cm2": 1e-10,
            "sdc_cross_section_cm2": 1e-11,
            "heavy_ion": heavy,
        },
        where="test",
    )


SEFI_WEIBULL = {
    "sigma_sat_cm2_per_bit": 1e-9,
    "bits": 1000,
    "let0_mev_cm2_mg": 1.0,
    "width_mev_cm2_mg": 10.0,
    "shape": 1.5,
    "source": "a beam test",
    "year": 2024,
    "measured_on": "a comparable part",
}


def test_catalog_table_parses_per_bit_saturation() -> None:
    sens = _sensitivity(sefi=SEFI_WEIBULL)
    w = sens.heavy_ion_weibull("sefi")
    assert w is not None and sens.heavy_ion_weibull("sdc") is None
    assert w.sigma_sat_cm2 == pytest.approx(1e-6)
    assert w.measured_on == "a comparable part"


def test_fault_rates_add_the_heavy_ion_fold_by_event() -> None:
    sens = _sensitivity(sefi=SEFI_WEIBULL)
    env = RadiationEnvironment(550.0, 97.6, 10.0)
    protons_only = RadiationEnvironment(550.0, 97.6, 10.0, see_model="sigma-phi")
    rates = env.fault_rates(sens, 5.0)
    base = protons_only.fault_rates(sens, 5.0)
    heavy = env.heavy_ion_see_per_device_day(1e-6, 1.0, 10.0, 1.5)
    assert heavy > 0
    assert rates.heavy_ion_see_per_device_day == pytest.approx(heavy)
    assert rates.sefi_per_device_day == pytest.approx(base.sefi_per_device_day + heavy)
    assert rates.sdc_per_device_day == pytest.approx(base.sdc_per_device_day)
    assert math.isnan(base.heavy_ion_see_per_device_day)
    assert (rates.see_model, base.see_model) == ("sigma-phi+weibull-let", "sigma-phi")


def test_device_without_weibull_reports_heavy_ion_unknown() -> None:
    rates = RadiationEnvironment(550.0, 53.0, 10.0).fault_rates(_sensitivity(), 5.0)
    assert math.isnan(rates.heavy_ion_see_per_device_day)
    assert math.isfinite(rates.sefi_per_device_day)


def test_bad_weibull_tables_and_model_names_are_refused() -> None:
    with pytest.raises(ValueError, match=r"test radiation\.heavy_ion\.sefi: missing field"):
        _sensitivity(sefi={"sigma_sat_cm2": 1e-6, "source": "x", "year": 2024})
    bad = dict(SEFI_WEIBULL, width_mev_cm2_mg=0.0)
    with pytest.raises(ValueError, match="width_mev_cm2_mg > 0"):
        _sensitivity(sefi=bad)
    no_sigma = {k: v for k, v in SEFI_WEIBULL.items() if k != "bits"}
    with pytest.raises(ValueError, match="sigma_sat_cm2_per_bit and bits"):
        _sensitivity(sefi=no_sigma)
    with pytest.raises(ValueError, match="heavy_ion must hold tables named sdc, hbm_ue, sefi"):
        _sensitivity(latchup=SEFI_WEIBULL)
    with pytest.raises(ValueError, match="allowed: " + ", ".join(SEE_MODELS).replace("+", r"\+")):
        RadiationEnvironment(550.0, 53.0, 10.0, see_model="rpp")
