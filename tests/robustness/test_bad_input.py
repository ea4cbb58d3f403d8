"""The README's promise on bad input, checked on a regression corpus of the cases a hostile user
found and on seeded random overrides: exit 2, one line naming the field (and file), no
traceback, nothing written — from `validate` and `run` alike."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from skydc.cli import app

FAST = ["--set", "seasons.step_days=30", "--set", "economics.monte_carlo_samples=50"]
RUNNER = CliRunner()

# (override, the field the message must name)
CORPUS = [
    ("step_s=true", "step_s"),
    ("duration_s=\"600\"", "duration_s"),
    ("epoch_utc=20260320", "epoch_utc"),
    ("epoch_utc=9999-12-31T23:59:59Z", "epoch_utc"),
    ("epoch_utc=1900-01-01T00:00:00Z", "epoch_utc"),
    ("network.enabled=\"yes\"", "network.enabled"),
    ("network.enabled=1", "network.enabled"),
    ("step_s=5e-324", "step_s"),
    ("step_s=1e-9", "step_s"),
    ("shells[0].planes=1000000000", "shells[0]"),
    ("seasons.step_days=1e-6", "seasons"),
    ("network.cluster.keep_out_m=inf", "network.cluster.keep_out_m"),
    ("network.cluster.radius_m=nan", "network.cluster.radius_m"),
    ("shells[0].name=\"" + "x" * 1_000_000 + "\"", "shells[0].name"),
    ("shells[０].altitude_km=800", "shells[０].altitude_km"),
    ("spacecraft.bus.thruster=\"warp\"", "spacecraft.bus.thruster"),
    ("spacecraft.lifetime_yr=\"5\"", "spacecraft.lifetime_yr"),
    ("economics.uncertainty.\"space.nope\"={kind=\"uniform\", params=[1.0, 2.0]}",
     "economics.uncertainty.\"space.nope\""),
    ("duration_s=" + "[" * 200 + "]" * 200, "duration_s"),
    ("network.ground_stations=\"missing.csv\"", "network.ground_stations"),
    ('network.city_pairs=[["Tokyo", "Tokyo"]]', "network.city_pairs[0]"),
    ("operations.training[0].parameters=1e308", "operations.training[0].parameters"),
    ("spacecraft.it_power_kw=1e300", "spacecraft.it_power_kw"),
    ("economics.launch_usd_per_kg=1e308", "economics.launch_usd_per_kg"),
]  # fmt: skip


def _refused(args: list[str], field: str, tmp_path: Path) -> None:
    result = RUNNER.invoke(app, args, catch_exceptions=True)
    assert result.exit_code == 2, (result.exit_code, result.output[-500:])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    message = result.stderr if hasattr(result, "stderr") else result.output
    assert "error:" in message and field in message, message[-500:]
    assert message.count("\n") <= 3, "one message, not a page"


@pytest.mark.parametrize(("override", "field"), CORPUS, ids=[c[1] for c in CORPUS])
def test_validate_refuses_the_corpus(
    override: str, field: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _refused(["validate", "dawn-dusk-40mw", *FAST, "--set", override], field, tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("override", "field"), CORPUS[::4], ids=[c[1] for c in CORPUS[::4]])
def test_run_refuses_the_corpus_and_writes_nothing(
    override: str, field: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _refused(["run", "dawn-dusk-40mw", *FAST, "--set", override, "-o", "out"], field, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_files_that_are_not_scenarios(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "latin1.toml").write_bytes('name = "caf\xe9"\n'.encode("latin-1"))
    _refused(["validate", "latin1.toml"], "latin1.toml", tmp_path)
    (tmp_path / "deep.toml").write_text("a = " + "[" * 3000 + "]" * 3000 + "\n")
    _refused(["validate", "deep.toml"], "deep.toml", tmp_path)
    (tmp_path / "folder.toml").mkdir()
    _refused(["validate", "folder.toml"], "folder.toml", tmp_path)


# random overrides: any field path of the default scenario, any kind of value
PATHS = [
    "name", "epoch_utc", "duration_s", "step_s", "shells[0].altitude_km", "shells[0].planes",
    "shells[0].sats_per_plane", "shells[0].ltan_h", "shells[0].type", "seasons.days",
    "seasons.step_days", "spacecraft.it_power_kw", "spacecraft.preset", "spacecraft.lifetime_yr",
    "spacecraft.shield_mm_al", "deployment.launch_vehicle", "deployment.cadence_per_yr",
    "economics.years", "economics.wacc", "economics.launch_usd_per_kg", "network.samples",
    "network.topology", "network.min_elevation_deg", "operations.enabled", "operations.policy",
    "output.snapshot_satellites", "compute.memory_budget_mb", "network.cluster.rings",
    "operations.training[0].parameters", "operations.inference[0].arrival_rate_per_s",
    "network.city_pairs", "network.times_s", "deployment.dispenser", "spacecraft.power_margin",
]  # fmt: skip
VALUES = st.one_of(
    st.booleans().map(lambda b: "true" if b else "false"),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.sampled_from(["nan", "inf", "-inf", "1e308", "-1e308", "5e-324", "0", "-0.0"]),
    st.floats(allow_nan=False, allow_infinity=False, width=32).map(repr),
    st.text(max_size=12).map(lambda s: '"' + s.replace("\\", "").replace('"', "") + '"'),
    st.sampled_from(["[]", "[1, 2]", "{a = 1}", "2026-01-01T00:00:00Z", "1979-05-27"]),
)
EXAMPLES = int(os.environ.get("SKYDC_FUZZ_EXAMPLES", "300"))


@settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip
@given(path=st.sampled_from(PATHS), value=VALUES)
def test_random_overrides_are_accepted_or_refused_cleanly(
    path: str, value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = RUNNER.invoke(
        app, ["validate", "dawn-dusk-40mw", *FAST, "--set", f"{path}={value}"],
        catch_exceptions=True,
    )  # fmt: skip
    assert result.exit_code in (0, 2), (path, value, result.output[-800:])
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        path, value, repr(result.exception),
    )  # fmt: skip
    if result.exit_code == 2:
        message = result.stderr if hasattr(result, "stderr") else result.output
        assert "error:" in message and "Traceback" not in message
    assert list(tmp_path.iterdir()) == []


TLE_OK = (
    "1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927",
    "2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537",
)


def _tle_scenario(tmp_path: Path, body: str, suffix: str = ".tle") -> None:
    (tmp_path / f"sats{suffix}").write_text(body)
    kind = "tle" if suffix == ".tle" else "omm"
    (tmp_path / "s.toml").write_text(
        'name = "t"\nepoch_utc = 2008-09-20T12:00:00Z\nduration_s = 600.0\nstep_s = 60.0\n'
        f'[[shells]]\nname = "c"\ntype = "{kind}"\nfile = "sats{suffix}"\n'
    )


def _with_checksum(line: str) -> str:
    from skydc.orbits.tle import tle_checksum

    return line[:68] + str(tle_checksum(line))


@pytest.mark.parametrize(
    ("body", "suffix", "fragment"),
    [
        (_with_checksum(TLE_OK[0].replace("08264.51782528", "08400.51782528")) + "\n"
         + TLE_OK[1] + "\n", ".tle", "day of year"),
        (TLE_OK[0] + "\n" + _with_checksum(TLE_OK[1][:52] + "18.50000000563537") + "\n",
         ".tle", "decayed"),
        ("5", ".json", "object or a list"),
        ("null", ".json", "object or a list"),
        ("true", ".json", "object or a list"),
        ("[" * 5000 + "]" * 5000, ".json", "nested too deeply"),
    ],
)  # fmt: skip
def test_catalog_files_that_are_no_orbits(
    body: str, suffix: str, fragment: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _tle_scenario(tmp_path, body, suffix)
    result = RUNNER.invoke(app, ["validate", "s.toml"], catch_exceptions=True)
    assert result.exit_code == 2, result.output
    assert fragment in result.output and f"sats{suffix}" in result.output


def test_old_elements_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _tle_scenario(tmp_path, "\n".join(TLE_OK) + "\n")
    text = (tmp_path / "s.toml").read_text().replace("2008-09-20", "2012-09-20")
    (tmp_path / "s.toml").write_text(text)
    result = RUNNER.invoke(app, ["validate", "s.toml"], catch_exceptions=True)
    assert result.exit_code == 2 and "days from the run" in result.output


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ('name,latitude_deg,longitude_deg\n"Two\nLines",1,2\n', "may not span lines"),
        ("name,latitude_deg,longitude_deg\nCaf\xe9,1,2\n", "not UTF-8"),
        ("name,latitude_deg,longitude_deg\n" + "s,1,2\n" * 2001, "at most 2,000"),
    ],
)
def test_station_files_that_cannot_be_read(
    body: str, fragment: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    data = body.encode("latin-1") if "\xe9" in body else body.encode()
    (tmp_path / "st.csv").write_bytes(data)
    result = RUNNER.invoke(
        app,
        ["validate", "dawn-dusk-40mw", *FAST, "--set",
         f'network.ground_stations="{tmp_path}/st.csv"'],
        catch_exceptions=True,
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert fragment in result.output and "st.csv" in result.output


def test_orbits_outside_the_sizing_models_are_refused_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = RUNNER.invoke(
        app, ["validate", "starlink-shell1", *FAST, "--set", "shells[0].altitude_km=20000"],
        catch_exceptions=True,
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "shells[0]" in result.output and "near-circular orbits" in result.output
    assert "apogee 20,000 km" in result.output
