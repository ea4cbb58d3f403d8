"""The command line as a user meets it: exit codes, one-line errors, run folders."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

SHORT = ["--set", "duration_s=600", "--set", "seasons.days=30"]


def skydc(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "skydc", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        timeout=300,
    )


def test_help_lists_commands() -> None:
    res = skydc("--help")
    assert res.returncode == 0
    for verb in ("run", "validate", "examples"):
        assert verb in res.stdout


def test_examples_lists_bundled_names() -> None:
    res = skydc("examples")
    assert res.returncode == 0
    for name in ("dawn-dusk-40mw", "starlink-shell1", "three-body-12", "spacex-1m"):
        assert name in res.stdout


def test_validate_ok_json() -> None:
    res = skydc("validate", "starlink-shell1", "--json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == {
        "valid": True,
        "source": "example:starlink-shell1",
        "satellites": 1584,
    }


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (
            ("validate", "starlink-shell1", "--set", "shells[0].altitude_km=100"),
            "shells[0].altitude_km",
        ),
        (("validate", "missing.toml"), "missing.toml: file not found"),
        (("run", "starlink-shell1", "--set", "shells[0].planes=0"), "shells[0].planes"),
        (("run", "starlink-shell1", "--set", "nonsense"), "PATH=VALUE"),
    ],
)
def test_bad_input_one_message_exit_2_nothing_written(
    tmp_path: Path, args: tuple[str, ...], fragment: str
) -> None:
    res = skydc(*args, cwd=tmp_path)
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    assert fragment in res.stderr
    assert res.stderr.strip().startswith("error:")
    assert list(tmp_path.iterdir()) == []  # no run folder, no temp file


def test_run_writes_folder_and_states(tmp_path: Path) -> None:
    out = tmp_path / "run1"
    res = skydc("run", "three-body-12", "-o", str(out), "--export", "states", *SHORT)
    assert res.returncode == 0, res.stderr
    names = sorted(p.name for p in out.iterdir())
    for expected in (
        "metrics.json",
        "report.html",
        "scenario.toml",
        "states.parquet",
        "sunlight.parquet",
        "shells.parquet",
        "eclipse_seasons.parquet",
    ):
        assert expected in names
    assert not [n for n in names if n.startswith(".")], "temporary files left behind"
    assert list(tmp_path.iterdir()) == [out]
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["constellation"]["satellites"] == 12
    assert 0.0 <= metrics["sunlight"]["sunlit_fraction_mean"] <= 1.0
    states = pq.read_table(out / "states.parquet")
    assert states.column_names == ["time_utc", "sat_id", "x_m", "y_m", "z_m", "sunlit_fraction"]
    assert states.num_rows == 12 * 11
    # the resolved scenario runs again as it stands and gives the same metrics
    res2 = skydc("run", str(out / "scenario.toml"), "-o", str(tmp_path / "run2"), "--json")
    assert res2.returncode == 0, res2.stderr
    again = json.loads(res2.stdout)
    assert again["sunlight"] == metrics["sunlight"]


def test_run_json_prints_metrics_only(tmp_path: Path) -> None:
    res = skydc("run", "three-body-12", "-o", str(tmp_path / "r"), "--json", *SHORT)
    assert res.returncode == 0, res.stderr
    metrics = json.loads(res.stdout)
    assert metrics["scenario"]["name"] == "three-body-12"


def test_run_refuses_non_empty_output_folder(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("x")
    res = skydc("run", "three-body-12", "-o", str(tmp_path), *SHORT)
    assert res.returncode == 2
    assert "not empty" in res.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_default_run_folder_under_runs(tmp_path: Path) -> None:
    res = skydc("run", "three-body-12", *SHORT, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    runs = list((tmp_path / "runs").iterdir())
    assert len(runs) == 1 and runs[0].name.startswith("three-body-12-")
    assert (runs[0] / "report.html").is_file()


def test_overwrite_replaces_a_run_folder_and_json_says_where(tmp_path: Path) -> None:
    target = tmp_path / "sized"
    first = skydc("size", "three-body-12", "-o", str(target), "--json", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["run_dir"] == str(target)
    again = skydc("size", "three-body-12", "-o", str(target), cwd=tmp_path)
    assert again.returncode == 2 and "--overwrite" in again.stderr
    replaced = skydc(
        "size", "three-body-12", "-o", str(target), "--overwrite", "--set",
        "spacecraft.it_power_kw=50", "--json", cwd=tmp_path,
    )  # fmt: skip
    assert replaced.returncode == 0, replaced.stderr
    written = json.loads((target / "metrics.json").read_text())
    assert written["sizing"]["it_power_w"] == json.loads(replaced.stdout)["sizing"]["it_power_w"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sized"]


def test_no_output_writes_nothing(tmp_path: Path) -> None:
    res = skydc("cost", "three-body-12", "--no-output", "--json", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["run_dir"] == "not written" and doc["units"]["cost.space.total_usd"] == "USD"
    assert list(tmp_path.iterdir()) == []
    clash = skydc("cost", "three-body-12", "--no-output", "-o", "x", cwd=tmp_path)
    assert clash.returncode == 2 and "--no-output" in clash.stderr


def test_fast_help_lists_what_typer_lists() -> None:
    """``skydc --help`` (answered without typer, skydc._help) shows the same usage,
    description, options and command table as typer's own help, word for word."""
    import re

    from typer.testing import CliRunner

    from skydc.cli import app

    def words(text: str) -> list[str]:
        return [w for w in re.findall(r"[^\s│╭╮╰╯─]+", text) if w != "<bool>"]

    typer_help = CliRunner().invoke(app, ["--help"], prog_name="python -m skydc")
    assert typer_help.exit_code == 0
    fast = skydc("--help")
    assert fast.returncode == 0 and fast.stderr == ""
    assert words(fast.stdout) == words(typer_help.output)
    assert "optimize" in fast.stdout and "Commands" in fast.stdout
