"""Seeded fuzzing of the file formats a user brings (TLE, OMM JSON, station CSV) and of valid
scenarios: a file is either read or refused with a ScenarioError naming it (never another
exception), and no valid design writes a metric without a value or a documented reason."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import skydc
from skydc.errors import ScenarioError
from skydc.network.ground import read_ground_stations
from skydc.orbits.tle import read_omm, read_tle
from skydc.schema import NO_VALUE, flatten

TLE = (
    "ISS (ZARYA)\n"
    "1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927\n"
    "2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537\n"
)
OMM = (
    '[{"OBJECT_NAME": "ISS", "NORAD_CAT_ID": 25544, "EPOCH": "2008-09-20T12:25:40.104192",'
    ' "MEAN_MOTION": 15.72125391, "ECCENTRICITY": 0.0006703, "INCLINATION": 51.6416,'
    ' "RA_OF_ASC_NODE": 247.4627, "ARG_OF_PERICENTER": 130.536, "MEAN_ANOMALY": 325.0288,'
    ' "BSTAR": -1.1606e-05}]'
)
CSV = "name,latitude_deg,longitude_deg,altitude_m\nTokyo,35.68,139.69,40\nParis,48.86,2.35,35\n"
EXAMPLES = int(os.environ.get("SKYDC_FUZZ_EXAMPLES", "1000"))  # file reads take ~1 ms
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn, text: str) -> bytes:
    """``text`` with a few bytes replaced, inserted or deleted (a corrupted download)."""
    data = bytearray(text.encode())
    for _ in range(draw(st.integers(1, 4))):
        pos = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["replace", "insert", "delete"]))
        byte = draw(st.integers(0, 255))
        if op == "insert" or pos == len(data):
            data.insert(pos, byte)
        elif op == "replace":
            data[pos] = byte
        else:
            del data[pos]
    return bytes(data)


def _read_or_refuse(reader: object, path: Path) -> None:
    try:
        reader(path)  # type: ignore[operator]
    except ScenarioError as exc:
        assert str(path) in str(exc) or exc.file == str(path), str(exc)


@FUZZ
@given(data=mutated(TLE))
def test_a_corrupted_tle_is_read_or_refused(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "x.tle"
    path.write_bytes(data)
    _read_or_refuse(read_tle, path)


@FUZZ
@given(data=mutated(OMM))
def test_a_corrupted_omm_is_read_or_refused(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(data)
    _read_or_refuse(read_omm, path)


@FUZZ
@given(data=mutated(CSV))
def test_a_corrupted_station_file_is_read_or_refused(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    _read_or_refuse(read_ground_stations, path)


@settings(max_examples=12, deadline=None, derandomize=True)
@given(
    altitude_km=st.floats(450.0, 1400.0),
    it_power_kw=st.floats(20.0, 400.0),
    lifetime_yr=st.floats(2.0, 10.0),
    launch_usd_per_kg=st.floats(10.0, 5000.0),
)
def test_valid_designs_write_no_metric_without_a_value(
    altitude_km: float, it_power_kw: float, lifetime_yr: float, launch_usd_per_kg: float
) -> None:
    result = skydc.cost(
        "dawn-dusk-40mw",
        {"shells[0].altitude_km": altitude_km, "spacecraft.it_power_kw": it_power_kw,
         "spacecraft.lifetime_yr": lifetime_yr,
         "economics.launch_usd_per_kg": launch_usd_per_kg, "seasons.step_days": 15.0,
         "economics.monte_carlo_samples": 100},
    )  # fmt: skip
    doc = result.document()
    values = flatten({k: v for k, v in doc.items() if k != "units"})
    assert [k for k, v in values.items() if v is None or v == NO_VALUE] == []
