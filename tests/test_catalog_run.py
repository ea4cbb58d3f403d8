"""Satellites from TLE/OMM files run through the pipeline, propagated by sgp4."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from sgp4.api import Satrec

import skydc
from skydc.errors import ScenarioError
from skydc.orbits.frames import teme_to_ecef
from skydc.timescale import jd_utc_from_datetime

DATA = Path(__file__).parent / "orbits" / "data"
one_metre = 1.0

SCENARIO = """
name = "iss"
epoch_utc = 2008-09-20T12:00:00Z
duration_s = 600.0
step_s = 60.0
seasons = {{ days = 10 }}

[[shells]]
name = "iss"
type = "{kind}"
file = "{file}"
"""


def scenario(tmp_path: Path, kind: str, file: Path) -> Path:
    path = tmp_path / "s.toml"
    path.write_text(SCENARIO.format(kind=kind, file=file.as_posix()))
    return path


@pytest.mark.parametrize(
    ("kind", "name"),
    [("tle", "iss.tle"), ("omm", "iss.json"), ("omm", "iss.xml"), ("omm", "iss.csv")],
)
def test_catalog_states_equal_sgp4_in_earth_fixed_frame(
    tmp_path: Path, kind: str, name: str
) -> None:
    result = skydc.run(
        scenario(tmp_path, kind, DATA / name), output_dir=tmp_path / "run", export=["states"]
    )
    assert result.metrics["constellation"]["satellites"] == 1
    states = pq.read_table(tmp_path / "run" / "states.parquet").to_pydict()
    lines = (DATA / "iss.tle").read_text().splitlines()
    sat = Satrec.twoline2rv(lines[1], lines[2])
    jd0 = jd_utc_from_datetime(result.scenario.epoch_utc)
    t_s = np.arange(11) * 60.0
    jd = jd0 + t_s / 86400.0
    r = np.array([sat.sgp4(np.floor(j), j - np.floor(j))[1] for j in jd]).T * 1e3  # km -> m
    r_ecef = teme_to_ecef(r, jd)
    got = np.array([states["x_m"], states["y_m"], states["z_m"]])
    assert np.max(np.abs(got - r_ecef)) < one_metre


def test_malformed_tle_names_file_field_and_line(tmp_path: Path) -> None:
    lines = (DATA / "iss.tle").read_text().splitlines()
    bad = lines[1][:-1] + str((int(lines[1][-1]) + 1) % 10)  # break the checksum
    tle = tmp_path / "bad.tle"
    tle.write_text("\n".join([lines[0], bad, lines[2]]) + "\n")
    with pytest.raises(ScenarioError) as info:
        skydc.load_scenario(scenario(tmp_path, "tle", tle))
    assert info.value.field == "shells[0].file"
    assert "bad.tle" in str(info.value)
    assert "checksum" in info.value.message
    assert "line 2" in info.value.message
