"""Scenario loading: examples, overrides, and one clear error per kind of bad input."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from skydc import load_scenario
from skydc.errors import ScenarioError
from skydc.scenario.load import apply_overrides, list_examples, parse_path

EXAMPLES = ("dawn-dusk-40mw", "starlink-shell1", "three-body-12", "spacex-1m")

MINIMAL = """
name = "t"
epoch_utc = 2026-03-20T00:00:00Z
duration_s = 600.0
step_s = 60.0

[[shells]]
name = "a"
type = "walker-delta"
altitude_km = 550.0
inclination_deg = 53.0
planes = 4
sats_per_plane = 5
phasing = 1
"""


def write(tmp_path: Path, text: str, name: str = "s.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_bundled_examples_are_listed_and_validate() -> None:
    names = list_examples()
    for name in EXAMPLES:
        assert name in names
        assert names[name], f"example {name} has no description"
        loaded = load_scenario(name)
        assert loaded.source == f"example:{name}"


def test_spacex_1m_has_one_million_satellites_between_500_and_2000_km() -> None:
    scenario = load_scenario("spacex-1m").scenario
    assert sum(s.satellites for s in scenario.shells) == 1_000_000  # type: ignore[union-attr]
    altitudes = [s.altitude_km for s in scenario.shells]  # type: ignore[union-attr]
    assert min(altitudes) >= 500.0 and max(altitudes) <= 2000.0
    kinds = {s.type for s in scenario.shells}
    assert kinds == {"walker-delta", "sso"}


def test_default_is_dawn_dusk_sso_near_650_km_of_about_400_satellites() -> None:
    scenario = load_scenario(None).scenario
    shell = scenario.shells[0]
    assert shell.type == "sso"
    assert shell.ltan_h in (6.0, 18.0)  # type: ignore[union-attr]
    assert abs(shell.altitude_km - 650.0) <= 50.0  # type: ignore[union-attr]
    assert shell.satellites == 400  # type: ignore[union-attr]


def test_sso_inclination_is_derived_from_altitude() -> None:
    shell = load_scenario("dawn-dusk-40mw").scenario.shells[0]
    # Vallado (2013) Fig. 9-12 / Wertz SMAD: about 97.99 deg at 650 km
    assert shell.inclination_deg == pytest.approx(97.99, abs=0.05)  # type: ignore[union-attr]


def test_override_changes_field_and_is_validated(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    loaded = load_scenario(path, ["shells[0].altitude_km=800", "duration_s=3600"])
    assert loaded.scenario.shells[0].altitude_km == 800.0  # type: ignore[union-attr]
    assert loaded.scenario.duration_s == 3600.0
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, ["shells[0].altitude_km=100"])
    assert info.value.field == "shells[0].altitude_km"
    assert "160" in info.value.message


def test_parse_path() -> None:
    assert parse_path("shells[1].altitude_km") == ["shells", 1, "altitude_km"]
    assert parse_path("a.b[0][2].c") == ["a", "b", 0, 2, "c"]
    with pytest.raises(ValueError):
        parse_path("a..b")
    with pytest.raises(ValueError):
        parse_path("a[x]")


def test_apply_overrides_does_not_mutate_input() -> None:
    data = {"a": {"b": 1}, "l": [{"x": 1}]}
    out = apply_overrides(data, ["a.b=2", 'l[0].x="s"'], file="f")
    assert data == {"a": {"b": 1}, "l": [{"x": 1}]}
    assert out == {"a": {"b": 2}, "l": [{"x": "s"}]}


@pytest.mark.parametrize(
    ("override", "field", "fragment"),
    [
        ("shells[0].altitude_km=100", "shells[0].altitude_km", ">= 160"),
        ("shells[0].altitude_km=90000", "shells[0].altitude_km", "<= 40000"),
        ("shells[0].inclination_deg=181", "shells[0].inclination_deg", "<= 180"),
        ("shells[0].inclination_deg=-1", "shells[0].inclination_deg", ">= 0"),
        ("shells[0].planes=0", "shells[0].planes", "> 0"),
        ("shells[0].sats_per_plane=-3", "shells[0].sats_per_plane", "> 0"),
        ('shells[0].planes="four"', "shells[0].planes", "integer"),
        ("shells[0].altitud=500", "shells[0].altitud", "unknown key"),
        ("colour=1", "colour", "unknown key"),
        ('shells[0].type="ring"', "shells[0]", "walker-delta"),
        ("shells[0].phasing=4", "shells[0].phasing", "phasing"),
        ("step_s=0", "step_s", ">= 0.001"),
        ("duration_s=-5", "duration_s", "> 0"),
        ("step_s=7200", "step_s", "duration_s"),
        ('epoch_utc="yesterday"', "epoch_utc", "datetime"),
    ],
)
def test_bad_input_names_file_field_and_what_is_allowed(
    tmp_path: Path, override: str, field: str, fragment: str
) -> None:
    path = write(tmp_path, MINIMAL)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, [override])
    err = info.value
    assert err.file == str(path)
    assert err.field == field
    assert fragment in err.message, err.message
    assert str(path) in str(err) and field in str(err)


def test_sso_altitude_without_solution(tmp_path: Path) -> None:
    text = MINIMAL.replace('type = "walker-delta"', 'type = "sso"').replace(
        "inclination_deg = 53.0", "ltan_h = 6.0"
    )
    path = write(tmp_path, text)
    assert load_scenario(path).scenario.shells[0].type == "sso"
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, ["shells[0].altitude_km=8000"])
    assert info.value.field == "shells[0].altitude_km"
    assert "sun-synchronous" in info.value.message


def test_second_shell_error_path(tmp_path: Path) -> None:
    text = MINIMAL + MINIMAL[MINIMAL.index("[[shells]]") :].replace('"a"', '"b"').replace(
        "550.0", "120.0"
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario(write(tmp_path, text))
    assert info.value.field == "shells[1].altitude_km"


def test_duplicate_shell_names(tmp_path: Path) -> None:
    text = MINIMAL + MINIMAL[MINIMAL.index("[[shells]]") :]
    with pytest.raises(ScenarioError, match="unique"):
        load_scenario(write(tmp_path, text))


def test_missing_file_and_bad_toml(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="file not found"):
        load_scenario(tmp_path / "nope.toml")
    with pytest.raises(ScenarioError, match="not valid TOML"):
        load_scenario(write(tmp_path, "name = = 1"))
    with pytest.raises(ScenarioError, match="neither a scenario file nor a bundled example"):
        load_scenario("no-such-example")


def test_missing_catalog_file(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        MINIMAL[MINIMAL.index("[[shells]]") :],
        '[[shells]]\nname = "c"\ntype = "tle"\nfile = "x.tle"\n',
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario(write(tmp_path, text))
    assert info.value.field == "shells[0].file"
    assert "not found" in info.value.message


def test_n_time_includes_both_ends(tmp_path: Path) -> None:
    scenario = load_scenario(write(tmp_path, MINIMAL)).scenario
    assert scenario.n_time == 11
    assert math.isclose(scenario.step_s * (scenario.n_time - 1), scenario.duration_s)
