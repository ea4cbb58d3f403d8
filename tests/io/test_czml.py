"""CZML export: structure against the CZML packet reference (czml-writer wiki) and czml3's parser.

The independent references are czml3's own reader (``czml3.Document.model_validate_json``, which
validates every packet against its pydantic model of the CZML spec), hand-computed interval
lists, and skydc's J2 propagator for the interpolation check.
"""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from czml3 import Document
from hypothesis import given, settings
from hypothesis import strategies as st

from skydc.constants import EARTH_RADIUS_M
from skydc.io.czml import czml_document, write_czml
from skydc.orbits.constellation import walker_delta
from skydc.orbits.frames import teme_to_ecef
from skydc.orbits.j2 import propagate_j2
from skydc.timescale import jd_utc_at, jd_utc_from_datetime

EPOCH = datetime(2025, 3, 20, 12, 0, tzinfo=UTC)
STEP_S = 60.0
T_S = np.arange(11) * STEP_S
half_a_metre = 0.5  # positions are rounded to 1 m by default
one_microsecond = 1e-6  # ISO times carry microseconds


def _walker(t_s: np.ndarray = T_S) -> tuple[np.ndarray, np.ndarray]:
    """A 3x4 Walker shell at 550 km: ids 100.., Earth-fixed positions (3, 12, n_time)."""
    epoch_jd = jd_utc_from_datetime(EPOCH)
    elements = walker_delta(3, 4, 1, EARTH_RADIUS_M + 550e3, np.radians(53.0), epoch_jd)
    r_teme = propagate_j2(elements, t_s)
    return np.arange(100, 112), teme_to_ecef(r_teme, jd_utc_at(epoch_jd, t_s))


def _doc(**overrides: Any) -> str:
    ids, r = _walker()
    kwargs: dict[str, Any] = {
        "name": "test run",
        "epoch_utc": EPOCH,
        "t_s": T_S,
        "sat_ids": ids,
        "r_ecef_m": r,
        "sat_groups": ["shell-a"] * 8 + ["shell-b"] * 4,
        "ground_stations": [("Paris", 48.8566, 2.3522, 35.0), ("Quito", -0.18, -78.47, 2850.0)],
        "links": [(k, np.arange(12), (np.arange(12) + 1) % 12) for k in range(T_S.size)],
    }
    kwargs.update(overrides)
    return czml_document(**kwargs)


def _packets(text: str) -> dict[str, dict[str, Any]]:
    return {p["id"]: p for p in json.loads(text)}


def _seconds(iso: str) -> float:
    """Seconds since EPOCH of an ISO 8601 UTC time string."""
    return (datetime.fromisoformat(iso.replace("Z", "+00:00")) - EPOCH).total_seconds()


def _intervals(values: list[dict[str, Any]], key: str) -> list[tuple[float, float, Any]]:
    out = []
    for v in values:
        start, end = v["interval"].split("/")
        out.append((_seconds(start), _seconds(end), v[key]))
    return out


def test_czml3_reads_the_document_back() -> None:
    text = _doc()
    packets = json.loads(text)
    document = Document.model_validate_json(text)
    assert len(document.packets) == len(packets) == 1 + 12 + 2 + 12
    assert [p.id for p in document.packets] == [p["id"] for p in packets]


def test_first_packet_is_the_document_with_the_run_window_clock() -> None:
    first = json.loads(_doc())[0]
    assert first["id"] == "document"
    assert first["version"] == "1.0"
    assert first["name"] == "test run"
    start, end = first["clock"]["interval"].split("/")
    assert _seconds(start) == 0.0
    assert _seconds(end) == T_S[-1]
    assert _seconds(first["clock"]["currentTime"]) == 0.0
    assert first["clock"]["multiplier"] == 60.0


def test_satellite_samples_are_time_tagged_fixed_frame_positions() -> None:
    ids, r = _walker()
    packets = _packets(_doc())
    for s, sat_id in enumerate(ids):
        position = packets[f"sat-{sat_id}"]["position"]
        assert position["referenceFrame"] == "FIXED"
        assert position["interpolationAlgorithm"] == "LAGRANGE"
        assert position["interpolationDegree"] == 5
        assert _seconds(position["epoch"]) == 0.0
        samples = np.array(position["cartesian"]).reshape(-1, 4)
        assert samples.size == 4 * T_S.size
        np.testing.assert_array_equal(samples[:, 0], T_S)
        np.testing.assert_allclose(samples[:, 1:], r[:, s].T, rtol=0, atol=half_a_metre)
        assert packets[f"sat-{sat_id}"]["label"]["show"] is False


def test_points_are_coloured_by_group() -> None:
    packets = _packets(_doc())
    colours = [tuple(packets[f"sat-{i}"]["point"]["color"]["rgba"]) for i in range(100, 112)]
    assert len(set(colours[:8])) == 1
    assert len(set(colours[8:])) == 1
    assert colours[0] != colours[8]


def test_sunlit_colour_intervals_hand_computed() -> None:
    """Steps 0-3 sunlit, 4-6 eclipsed, 7-10 sunlit: three merged colour intervals."""
    fraction = np.ones((12, T_S.size))
    fraction[0, 4:7] = [0.4, 0.0, 0.2]
    packets = _packets(_doc(sunlit_fraction=fraction))
    colours = _intervals(packets["sat-100"]["point"]["color"], "rgba")
    sunlit, eclipsed = colours[0][2], colours[1][2]
    assert colours == [(0.0, 240.0, sunlit), (240.0, 420.0, eclipsed), (420.0, 600.0, sunlit)]
    assert sunlit[:3] == [255, 221, 0]  # yellow
    assert [(s, e) for s, e, _ in _intervals(packets["sat-101"]["point"]["color"], "rgba")] == [
        (0.0, 600.0)
    ]


def test_link_show_intervals_merge_consecutive_steps_hand_computed() -> None:
    """Pair (0, 1) at steps 1, 2, 3 (one listed reversed, one repeated) and 5 on uneven times."""
    t_s = np.array([0.0, 10.0, 20.0, 30.0, 45.0, 60.0, 90.0, 100.0])
    ids, r = _walker(t_s)
    links = [
        (1, [0], [1]),
        (2, [1, 0], [0, 1]),
        (3, [0], [1]),
        (5, [1], [0]),
    ]
    text = czml_document(name="x", epoch_utc=EPOCH, t_s=t_s, sat_ids=ids, r_ecef_m=r, links=links)
    packets = _packets(text)
    link = packets["link-sat-100-sat-101"]["polyline"]
    assert _intervals(link["show"], "boolean") == [
        (0.0, 10.0, False),
        (10.0, 45.0, True),  # steps 1-3: t_1 to t_4
        (45.0, 60.0, False),
        (60.0, 90.0, True),  # step 5: t_5 to t_6
        (90.0, 100.0, False),
    ]
    assert link["positions"]["references"] == ["sat-100#position", "sat-101#position"]
    assert link["arcType"] == "NONE"
    assert [p for p in packets if p.startswith("link-")] == ["link-sat-100-sat-101"]


def test_link_at_the_last_step_shows_at_the_last_time_only() -> None:
    last = T_S.size - 1
    packets = _packets(_doc(links=[(last, [3], [4])]))
    show = _intervals(packets["link-sat-103-sat-104"]["polyline"]["show"], "boolean")
    assert show == [(0.0, T_S[last], False), (T_S[last], T_S[last], True)]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=11))
def test_link_show_intervals_cover_the_window_and_match_every_step(present: list[bool]) -> None:
    """Property: contiguous intervals from t_0 to t_{n-1}, alternating, equal to the input."""
    n = len(present)
    t_s = T_S[:n]
    ids, r = _walker(t_s)
    links = [(k, [0], [1]) for k in range(n) if present[k]] or [(0, [2], [3])]
    packets = _packets(
        czml_document(name="p", epoch_utc=EPOCH, t_s=t_s, sat_ids=ids, r_ecef_m=r, links=links)
    )
    if not any(present):
        assert "link-sat-100-sat-101" not in packets
        return
    show = _intervals(packets["link-sat-100-sat-101"]["polyline"]["show"], "boolean")
    assert show[0][0] == 0.0 and show[-1][1] == t_s[-1]
    assert all(a[1] == b[0] and a[2] != b[2] for a, b in itertools.pairwise(show))
    for k, value in enumerate(present):  # the interval starting at or before t_k holds step k
        holding = [v for start, _, v in show if start <= t_s[k]][-1]
        assert holding == value


def test_references_point_to_existing_packets_with_positions() -> None:
    gs_links = [(0, [0, 12 + 1], [12, 5])]  # sat 0 - Paris, Quito - sat 5
    packets = _packets(_doc(links=[*gs_links, (1, [2], [3])]))
    links = [p for pid, p in packets.items() if pid.startswith("link-")]
    assert len(links) == 3
    for link in links:
        for ref in link["polyline"]["positions"]["references"]:
            target, prop = ref.split("#")
            assert prop == "position"
            assert "position" in packets[target]
    assert "link-sat-100-gs-0" in packets and "link-sat-105-gs-1" in packets


def test_ground_stations_present_with_their_coordinates() -> None:
    packets = _packets(_doc())
    paris, quito = packets["gs-0"], packets["gs-1"]
    assert paris["name"] == "Paris" and quito["name"] == "Quito"
    assert paris["position"]["cartographicDegrees"] == [2.3522, 48.8566, 35.0]
    assert quito["position"]["cartographicDegrees"] == [-78.47, -0.18, 2850.0]
    assert "billboard" not in paris and paris["label"]["text"] == "Paris"


def test_subsampling_is_even_deterministic_and_drops_links_to_dropped_satellites() -> None:
    packets = _packets(_doc(max_satellites=4, ground_stations=()))
    sats = [pid for pid in packets if pid.startswith("sat-")]
    assert sats == ["sat-100", "sat-103", "sat-106", "sat-109"]  # arange(4) * 12 // 4
    # the ring links i -> i+1 all touch a dropped satellite
    assert not [pid for pid in packets if pid.startswith("link-")]
    kept_link = _packets(_doc(max_satellites=4, links=[(0, [3, 3], [6, 4])]))
    assert [pid for pid in kept_link if pid.startswith("link-")] == ["link-sat-103-sat-106"]


def test_non_finite_samples_are_left_out_and_links_to_empty_satellites_dropped() -> None:
    _, r = _walker()
    r[:, 0, 2] = np.nan
    r[:, 1, :] = np.nan
    packets = _packets(_doc(r_ecef_m=r, links=[(0, [0, 1], [2, 2])]))
    samples = np.array(packets["sat-100"]["position"]["cartesian"]).reshape(-1, 4)
    np.testing.assert_array_equal(samples[:, 0], np.delete(T_S, 2))
    assert "position" not in packets["sat-101"]
    assert [pid for pid in packets if pid.startswith("link-")] == ["link-sat-100-sat-102"]


def test_lagrange_degree5_midpoints_against_j2_propagation() -> None:
    """Degree-5 Lagrange on the 60 s samples, as Cesium interpolates, between the samples.

    Reference: skydc's J2 propagator evaluated at the midpoints; 60 s steps at 550 km
    interpolate to well under ten metres, invisible in a viewer.
    """
    ten_metres = 10.0
    samples = np.array(_packets(_doc())["sat-104"]["position"]["cartesian"]).reshape(-1, 4)
    mid = T_S[2:8] + STEP_S / 2  # windows t_{k-2} .. t_{k+3} stay inside the samples
    _, r_mid = _walker(mid)
    for m, tm in enumerate(mid):
        k = int(tm // STEP_S)
        window = samples[k - 2 : k + 4]
        weights = [
            np.prod([(tm - tj) / (ti - tj) for tj in window[:, 0] if tj != ti])
            for ti in window[:, 0]
        ]
        np.testing.assert_allclose(weights @ window[:, 1:], r_mid[:, 4, m], atol=ten_metres)


def test_position_stride_keeps_every_nth_step_and_the_last() -> None:
    samples = np.array(
        _packets(_doc(position_stride=3))["sat-100"]["position"]["cartesian"]
    ).reshape(-1, 4)
    np.testing.assert_array_equal(samples[:, 0], T_S[[0, 3, 6, 9, 10]])


def test_write_czml_is_atomic_and_equals_the_document(tmp_path: Path) -> None:
    ids, r = _walker()
    kwargs = {"name": "w", "epoch_utc": EPOCH, "t_s": T_S, "sat_ids": ids, "r_ecef_m": r}
    path = tmp_path / "out" / "run.czml"
    write_czml(path, **kwargs)
    assert path.read_text(encoding="utf-8") == czml_document(**kwargs)
    assert [p.name for p in path.parent.iterdir()] == ["run.czml"]
    with pytest.raises(ValueError, match="strictly increasing"):
        write_czml(path, **{**kwargs, "t_s": T_S[::-1]})
    assert path.read_text(encoding="utf-8") == czml_document(**kwargs)
    assert [p.name for p in path.parent.iterdir()] == ["run.czml"]


def test_output_is_deterministic_and_offline() -> None:
    fraction = np.random.default_rng(7).random((12, T_S.size))
    a, b = _doc(sunlit_fraction=fraction), _doc(sunlit_fraction=fraction)
    assert a == b
    assert "http" not in a and "token" not in a.lower()  # no URL, no Cesium ion token
    assert a.count("\n") == len(json.loads(a)) + 2  # "[", one packet per line, "]"


def test_epoch_in_another_timezone_is_written_in_utc() -> None:
    ids, r = _walker()
    plus_two = datetime(2025, 3, 20, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    text = czml_document(name="tz", epoch_utc=plus_two, t_s=T_S, sat_ids=ids, r_ecef_m=r)
    assert json.loads(text)[0]["clock"]["currentTime"] == "2025-03-20T12:00:00.000000Z"


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"epoch_utc": datetime(2025, 3, 20)}, "timezone-aware"),
        ({"t_s": np.zeros(11)}, "strictly increasing"),
        ({"sat_ids": np.zeros(12, dtype=np.int64)}, "unique"),
        ({"r_ecef_m": np.zeros((3, 12, 5))}, "shape"),
        ({"sat_groups": ["a"]}, "one entry per satellite"),
        ({"sunlit_fraction": np.ones((12, 3))}, "shape"),
        ({"ground_stations": [("Nowhere", 91.0, 0.0, 0.0)]}, "latitude"),
        ({"links": [(0, [0], [14])]}, "endpoint index out of range"),
        ({"links": [(11, [0], [1])]}, "time index out of range"),
        ({"links": [(0, [2], [2])]}, "two different endpoints"),
        ({"links": [(0, [1, 2], [3])]}, "same length"),
        ({"max_satellites": 0}, "max_satellites"),
        ({"position_stride": 0}, "position_stride"),
    ],
)
def test_bad_arguments_raise_value_error(override: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _doc(**override)
