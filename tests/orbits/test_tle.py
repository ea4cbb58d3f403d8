"""TLE/OMM reading (fixtures in data/, see data/README.md), sgp4 propagation and the bridge
between OrbitalElements and sgp4 Satrec objects."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sgp4.api import WGS72, Satrec

from skydc.errors import ScenarioError
from skydc.orbits.constellation import walker_delta
from skydc.orbits.elements import OrbitalElements
from skydc.orbits.tle import (
    elements_to_satrecs,
    propagate_sgp4,
    read_omm,
    read_tle,
    satrecs_to_elements,
    tle_checksum,
)

DATA = Path(__file__).parent / "data"
ISS_LINES = (DATA / "iss.tle").read_text().splitlines()
one_mm = 1e-3
ten_cm = 0.1


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _satrec_fields(sat: Satrec) -> tuple[float, ...]:
    return (
        sat.satnum, sat.jdsatepoch, sat.jdsatepochF, sat.no_kozai, sat.ecco, sat.inclo,
        sat.nodeo, sat.argpo, sat.mo, sat.bstar, sat.ndot, sat.nddot,
    )  # fmt: skip


# --- TLE ----------------------------------------------------------------------------------------


def test_read_tle_iss_three_line() -> None:
    [(name, sat)] = read_tle(DATA / "iss.tle")
    assert name == "ISS (ZARYA)"
    assert sat.satnum == 25544
    np.testing.assert_allclose(np.degrees(sat.inclo), 51.6416)
    assert sat.jdsatepoch + sat.jdsatepochF == pytest.approx(
        2454730.01782528, abs=1e-9
    )  # 2008 day 264.5178
    assert tle_checksum(ISS_LINES[1]) == 7


def test_read_tle_two_line_and_celestrak_3le(tmp_path: Path) -> None:
    two_line = "\n".join(ISS_LINES[1:] * 3) + "\n\n"
    sats = read_tle(_write(tmp_path, "two.tle", two_line))
    assert [n for n, _ in sats] == ["25544"] * 3
    three_le = "0 ISS (ZARYA)\r\n" + "\r\n".join(ISS_LINES[1:]) + "\r\n"
    assert read_tle(_write(tmp_path, "three.tle", three_le))[0][0] == "ISS (ZARYA)"


def _corrupt(line: str, col: int, char: str) -> str:
    return line[:col] + char + line[col + 1 :]


@pytest.mark.parametrize(
    ("lines", "bad_line", "message"),
    [
        # a digit changed without fixing the checksum
        ([ISS_LINES[0], _corrupt(ISS_LINES[1], 20, "5"), ISS_LINES[2]], 2, "checksum"),
        ([ISS_LINES[0], ISS_LINES[1], ISS_LINES[2][:60]], 3, "60 characters"),
        ([ISS_LINES[0], ISS_LINES[1], _corrupt(ISS_LINES[2], 6, "5")[:68] + "8"], 3, "catalog"),
        ([ISS_LINES[0], ISS_LINES[2], ISS_LINES[1]], 2, "line 1"),
        ([ISS_LINES[0], ISS_LINES[1]], 2, "not followed by a line 2"),
        (["ISS (ZARYA)"], 1, "not followed by a TLE"),
        ([ISS_LINES[0], ISS_LINES[1], _corrupt(ISS_LINES[2], 68, "x")], 3, "checksum column"),
    ],
    ids=["bad-checksum", "short-line", "catalog-mismatch", "line-2-first", "no-line-2",
         "name-only", "checksum-not-digit"],
)  # fmt: skip
def test_read_tle_errors_name_file_and_line(
    tmp_path: Path, lines: list[str], bad_line: int, message: str
) -> None:
    path = _write(tmp_path, "bad.tle", "\n".join(lines) + "\n")
    with pytest.raises(ScenarioError, match=message) as info:
        read_tle(path)
    assert info.value.file == str(path)
    assert f"line {bad_line}" in info.value.message
    assert str(path) in str(info.value)


def test_read_tle_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="file not found"):
        read_tle(tmp_path / "nope.tle")
    with pytest.raises(ScenarioError, match="no two-line element sets"):
        read_tle(_write(tmp_path, "empty.tle", "\n\n"))


# --- OMM ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["iss.json", "iss.xml", "iss.csv"])
def test_read_omm_gives_the_same_satrec_as_the_tle(fixture: str) -> None:
    [(_, tle_sat)] = read_tle(DATA / "iss.tle")
    [(name, omm_sat)] = read_omm(DATA / fixture)
    assert name == "ISS (ZARYA)"
    np.testing.assert_allclose(_satrec_fields(omm_sat), _satrec_fields(tle_sat), rtol=1e-12)
    jd = tle_sat.jdsatepoch + np.array([0.0, 0.3, 1.0])
    r_tle, _ = propagate_sgp4([tle_sat], jd)
    r_omm, _ = propagate_sgp4([omm_sat], jd)
    assert np.abs(r_tle - r_omm).max() < one_mm


def test_read_omm_sniffs_format_and_accepts_single_object(tmp_path: Path) -> None:
    record = json.loads((DATA / "iss.json").read_text())[0]
    del record["MEAN_MOTION_DDOT"], record["ELEMENT_SET_NO"]  # bookkeeping: defaults
    record["EPOCH"] = "2008-09-20T12:25:40.104192Z"
    [(_, sat)] = read_omm(_write(tmp_path, "iss.omm", json.dumps(record)))
    assert sat.satnum == 25544
    xml = (DATA / "iss.xml").read_text()
    assert read_omm(_write(tmp_path, "iss.txt", xml))[0][0] == "ISS (ZARYA)"


def test_read_omm_missing_field_and_bad_value(tmp_path: Path) -> None:
    record = json.loads((DATA / "iss.json").read_text())[0]
    no_bstar = {k: v for k, v in record.items() if k != "BSTAR"}
    path = _write(tmp_path, "a.json", json.dumps([record, no_bstar]))
    with pytest.raises(ScenarioError, match=r"record 2 \(ISS \(ZARYA\)\).*BSTAR") as info:
        read_omm(path)
    assert info.value.file == str(path)
    bad = record | {"ECCENTRICITY": "zero"}
    with pytest.raises(ScenarioError, match="ECCENTRICITY"):
        read_omm(_write(tmp_path, "b.json", json.dumps([bad])))
    with pytest.raises(ScenarioError, match="cannot parse OMM XML"):
        read_omm(_write(tmp_path, "c.xml", "<ndm><omm>"))
    with pytest.raises(ScenarioError, match="cannot parse OMM JSON"):
        read_omm(_write(tmp_path, "d.json", "[{"))
    with pytest.raises(ScenarioError, match="no OMM records"):
        read_omm(_write(tmp_path, "e.json", "[]"))
    with pytest.raises(ScenarioError, match="file not found"):
        read_omm(tmp_path / "missing.xml")


# --- sgp4 propagation and the bridge ------------------------------------------------------------


def test_propagate_sgp4_matches_satrec_sgp4() -> None:
    """Against sgp4's scalar Satrec.sgp4 for several satellites and dates."""
    [(_, iss)] = read_tle(DATA / "iss.tle")
    el = walker_delta(3, 2, 1, 7000e3, 0.9, 2460676.5)
    sats = [iss, *elements_to_satrecs(el)]
    jd = np.array([2454729.6, 2460676.5, 2460676.75, 2460677.123456])
    r, code = propagate_sgp4(sats, jd)
    assert r.shape == (3, 7, 4)
    assert code.dtype == np.int8
    for k, sat in enumerate(sats):
        for m, when in enumerate(jd):
            whole = np.floor(when)
            err, r_km, _ = sat.sgp4(whole, when - whole)
            assert code[k, m] == err
            if err == 0:
                assert np.abs(r[:, k, m] - np.array(r_km) * 1e3).max() < ten_cm


def test_propagate_sgp4_error_codes_give_nan() -> None:
    """A 160 km orbit with a large B* decays within a day (sgp4 error 1): NaN, no exception."""
    [(_, iss)] = read_tle(DATA / "iss.tle")
    decaying = Satrec()
    decaying.sgp4init(
        WGS72, "i", 2, 25000.0, 0.01, 0.0, 0.0, 0.001, 0.0, 0.9, 0.0, 16.3 * 2 * np.pi / 1440, 0.0
    )
    jd = 2433281.5 + 25000.0 + np.array([0.0, 3.0])
    r, code = propagate_sgp4([iss, decaying], jd)
    assert (code[0] == 0).all()
    assert code[1, 0] == 0
    assert code[1, 1] != 0
    assert np.isnan(r[:, 1, 1]).all()
    assert np.isfinite(r[:, 0]).all()
    assert np.isfinite(r[:, 1, 0]).all()
    r_empty, code_empty = propagate_sgp4([], [1.0, 2.0])
    assert r_empty.shape == (3, 0, 2)
    assert code_empty.shape == (0, 2)


def test_elements_to_satrecs_keeps_brouwer_mean_elements() -> None:
    el = OrbitalElements(
        a_m=np.array([6928e3, 7578e3, 12000e3]),
        e=np.array([0.0, 0.01, 0.4]),
        i_rad=np.radians([53.0, 97.6, 140.0]),
        raan_rad=np.array([0.1, 2.0, 4.0]),
        argp_rad=np.array([0.0, 1.0, 5.0]),
        mean_anomaly_rad=np.array([3.0, 0.2, 6.0]),
        epoch_jd_utc=2460676.25,
    )
    sats = elements_to_satrecs(el, first_satnum=100)
    assert [s.satnum for s in sats] == [100, 101, 102]
    a_back = np.array([s.a * s.radiusearthkm * 1000.0 for s in sats])
    np.testing.assert_allclose(a_back, el.a_m, rtol=1e-13)
    for s in sats:
        assert s.bstar == 0.0
        assert s.jdsatepoch + s.jdsatepochF == pytest.approx(2460676.25, abs=1e-9)
        assert s.method == "n"
    back = satrecs_to_elements(sats)
    assert back.epoch_jd_utc == pytest.approx(2460676.25, abs=1e-9)
    for field in ("a_m", "e", "i_rad", "raan_rad", "argp_rad", "mean_anomaly_rad"):
        np.testing.assert_allclose(getattr(back, field), getattr(el, field), rtol=1e-9, atol=1e-9)


def test_satrecs_to_elements_advances_to_common_epoch() -> None:
    """ISS (drag ignored for the 1-day step): node regresses ~5 deg/day, matching SGP4's own
    nodedot (rad/min) over the same day."""
    [(_, iss)] = read_tle(DATA / "iss.tle")
    epoch = iss.jdsatepoch + iss.jdsatepochF + 1.0
    el = satrecs_to_elements([iss], epoch_jd_utc=epoch)
    assert el.epoch_jd_utc == epoch
    expected = np.mod(iss.nodeo + iss.nodedot * 1440.0, 2 * np.pi)
    assert abs(el.raan_rad[0] - expected) < 1e-9
    with pytest.raises(ValueError, match="at least one"):
        satrecs_to_elements([])
