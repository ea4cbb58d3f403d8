"""Run folders a user can hand on, and runs that end well when interrupted: the promises of the
README about output, tested with real files, real copies and real signals."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

DATA = Path(__file__).parents[1] / "orbits" / "data"

SCENARIO = """
name = "iss"
epoch_utc = 2008-09-20T12:00:00Z
duration_s = 600.0
step_s = 60.0
seasons = { days = 10 }

[network]
ground_stations = "stations.csv"
samples = 2

[[shells]]
name = "iss"
type = "tle"
file = "iss.tle"
"""
STATIONS = "name,latitude_deg,longitude_deg\nTokyo,35.68,139.69\nParis,48.86,2.35\n"


def skydc(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "skydc", *args], capture_output=True, text=True, cwd=cwd,
        check=False, timeout=600,
    )  # fmt: skip


def _flat_metrics(folder: Path) -> dict[str, object]:
    data = json.loads((folder / "metrics.json").read_text())
    data.pop("run")
    data["scenario"].pop("source")
    return data


def test_a_copied_run_folder_reruns_to_the_same_metrics(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(DATA / "iss.tle", work / "iss.tle")
    (work / "stations.csv").write_text(STATIONS)
    (work / "s.toml").write_text(SCENARIO)
    first = skydc("run", "s.toml", "-o", "out", cwd=work)
    assert first.returncode == 0, first.stderr
    assert sorted(p.name for p in (work / "out" / "inputs").iterdir()) == [
        "iss.tle", "stations.csv",
    ]  # fmt: skip
    # hand the folder to a colleague: the original inputs are gone
    moved = tmp_path / "colleague" / "out"
    shutil.copytree(work / "out", moved)
    shutil.rmtree(work)
    again = skydc("run", str(moved / "scenario.toml"), "-o", "rerun", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert _flat_metrics(tmp_path / "rerun") == _flat_metrics(moved)


def _wait_for_staging(parent: Path, timeout_s: float = 120.0) -> None:
    start = time.monotonic()
    while time.monotonic() - start < timeout_s:
        if any(p.name.endswith(".tmp") for p in parent.glob(".*")):
            return
        time.sleep(0.05)
    raise AssertionError("the run never started writing")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_signal_leaves_nothing_behind_and_says_so(tmp_path: Path, sig: signal.Signals) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "skydc", "run", "dawn-dusk-40mw", "-o", "out", "--set",
         "seasons.step_days=30"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    _wait_for_staging(tmp_path)
    proc.send_signal(sig)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 128 + sig, err
    assert f"interrupted ({sig.name}): nothing was written" in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_a_killed_run_is_cleaned_up_by_the_next(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "skydc", "run", "dawn-dusk-40mw", "-o", "out", "--set",
         "seasons.step_days=30"],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    _wait_for_staging(tmp_path)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    assert any(p.name.endswith(".tmp") for p in tmp_path.glob(".*"))  # what SIGKILL leaves
    res = skydc("size", "three-body-12", "-o", "out", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_symlinked_or_unwritable_output_is_refused_before_work(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    res = skydc("size", "three-body-12", "-o", "link", cwd=tmp_path)
    assert res.returncode == 2 and "symbolic link" in res.stderr
    assert list((tmp_path / "real").iterdir()) == []
