"""Technology presets: every preset builds, carries sources, and takes single-value overrides."""

from __future__ import annotations

import pytest

from skydc.spacecraft.presets import SECTIONS, PresetError, load_technology, preset_names

REQUIRED = ("iss-heritage", "starlink-v2-mini", "starcloud-whitepaper", "advanced")


def test_required_presets_exist_and_build() -> None:
    for name in REQUIRED:
        assert name in preset_names()
        tech = load_technology(name)
        assert tech.name == name
        assert tech.sources["preset"]
        for section in SECTIONS:
            assert tech.sources[section], f"{name}.{section} has no source"
        # the radiator runs as hot as the junction limit allows, from the junction down: the
        # chain run upwards for a 1 kW cold plate lands on the limit less its margin
        ht = tech.heat_transport
        fluid = ht.radiator_fluid_temperature_k(tech.chip_temperature_limit_k, 0.0)
        assert tech.radiator.temperature_k == pytest.approx(
            float(tech.radiator.effective_temperature_k(fluid))
        )
        radiator = tech.radiator_for(1000.0)
        assert tech.chip_temperature_for(1000.0, radiator) == pytest.approx(
            tech.chip_temperature_limit_k - ht.junction_margin_k, abs=1e-6
        )


def test_starcloud_preset_radiator_is_the_papers_20_c() -> None:
    tech = load_technology("starcloud-whitepaper")
    assert tech.radiator.temperature_k == pytest.approx(293.15)
    assert tech.radiator.emissivity == 0.92 and tech.radiator.absorptivity == 0.09
    assert tech.power.array.efficiency == 0.22 and tech.power.array.packing_factor == 0.90


def test_single_override_changes_only_that_value() -> None:
    base = load_technology("advanced")
    tech = load_technology("advanced", {"solar_array": {"efficiency": 0.25}})
    assert tech.power.array.efficiency == 0.25
    assert tech.power.array.packing_factor == base.power.array.packing_factor
    assert tech.radiator == base.radiator
    hot = load_technology("advanced", {"radiator": {"temperature_k": 340.0}})
    assert hot.radiator.temperature_k == 340.0
    assert hot.radiator_for(1000.0).temperature_k == 340.0  # a fixed temperature is kept
    # 340 K is hotter than the chain allows: the junction runs above its limit
    assert hot.chip_temperature_for(1000.0, hot.radiator) > hot.chip_temperature_limit_k


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"solar_array": {"efficiency": 1.5}}, "solar_array.efficiency", "efficiency"),
        ({"solar_array": {"eficiency": 0.3}}, "solar_array.eficiency", "allowed keys"),
        ({"radiator": {"emissivity": -1.0}}, "radiator.emissivity", "emissivity"),
        ({"bus": {"structure_fraction": 2.0}}, "bus", "structure_fraction"),
        ({"battery": {"depth_of_discharge": 0.0}}, "battery.depth_of_discharge", "depth"),
        ({"colour": {}}, "colour", "allowed keys"),
        ({"chip_temperature_limit_k": 1000.0}, "chip_temperature_limit_k", "500"),
        ({"eclipse_path_efficiency": 1.5}, "eclipse_path_efficiency", "eclipse_path_efficiency"),
        ({"bus": {"attitude_units": 0}}, "bus", "attitude_units"),
        ({"bus": {"bus_radiator_temperature_k": 900.0}}, "bus", "bus_radiator_temperature_k"),
    ],
)
def test_bad_overrides_name_the_field(overrides: dict, field: str, fragment: str) -> None:
    with pytest.raises(PresetError) as info:
        load_technology("advanced", overrides)
    assert info.value.field is not None and info.value.field.startswith(field)
    assert fragment in str(info.value)


def test_unknown_preset_lists_the_names() -> None:
    with pytest.raises(PresetError, match=r"allowed: .*starcloud-whitepaper"):
        load_technology("unobtainium")


def test_path_efficiencies_override_the_preset() -> None:
    """A scenario's (or override's) X_e / X_d replace the preset's stage chain."""
    tech = load_technology("advanced", {"daylight_path_efficiency": 0.9})
    assert tech.power.path_efficiencies == (pytest.approx(0.85), pytest.approx(0.9))
