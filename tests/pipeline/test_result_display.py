"""Results read well where users look at them: a short repr for every stage output, a headline
block for notebooks, tables as pandas frames on request."""

from __future__ import annotations

import importlib.util

import pytest

import skydc

FAST = {"duration_s": 1200.0, "seasons.step_days": 10.0, "network.samples": 2,
        "economics.monte_carlo_samples": 100}  # fmt: skip


@pytest.fixture(scope="module")
def result() -> skydc.Result:
    return skydc.run("three-body-12", FAST)


def test_every_stage_output_has_a_short_repr(result: skydc.Result) -> None:
    for name in result:
        text = repr(result[name])
        assert len(text) < 600, (name, len(text))
        assert type(result[name]).__name__ in text
    assert "sizing" in repr(result["sizing"]) and "mass_breakdown" in repr(result["sizing"])
    assert len(repr(result)) < 300


def test_the_notebook_view_leads_with_the_headline_and_its_units(result: skydc.Result) -> None:
    page = result._repr_html_()
    keys = [k for k, _v, _u in result.headline()]
    assert keys[:2] == ["constellation.satellites", "sunlight.sunlit_fraction_mean"]
    assert "cost.ratio_space_to_ground" in keys and "network.rtt_p50_ms" in keys
    assert "<td>ms</td>" in page and "<td>kg</td>" in page and "skydc run: three-body-12" in page


def test_tables_as_pandas_frames(result: skydc.Result) -> None:
    with pytest.raises(KeyError, match="no table 'nope'; tables: shells"):
        result.to_pandas("nope")
    if importlib.util.find_spec("pandas") is None:
        with pytest.raises(ImportError, match="pip install pandas"):
            result.to_pandas("sunlight")
    else:
        frame = result.to_pandas("sunlight")
        assert list(frame.columns)[:2] == ["time_utc", "shell"] and len(frame) == 21
