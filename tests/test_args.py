"""The shared argument checks (skydc._args): accepted values come back as float64, rejected ones
name the parameter, the allowed set and the first offending value."""

from __future__ import annotations

import math

import numpy as np
import pytest

from skydc._args import choice, count, in_range, non_negative, positive


def test_in_range_returns_float64_unchanged() -> None:
    x = np.array([0.25, 0.5, 1.0])
    out = in_range("f", x, 0.0, 1.0, lo_open=True)
    assert out is x  # no copy for a float64 array
    assert in_range("f", 1, 0.0, 2.0).dtype == np.float64
    assert in_range("f", 1, 0.0, 2.0).ndim == 0


@pytest.mark.parametrize(
    ("kwargs", "value", "message"),
    [
        (
            {"lo": 0.0, "hi": 1.0, "lo_open": True, "hi_open": True},
            1.2,
            r"f must be in \(0, 1\); got 1.2",
        ),
        ({"lo": 0.0, "hi": 1.0, "hi_open": True}, 1.0, r"f must be in \[0, 1\); got 1"),
        ({"lo": 0.0, "hi": 1.0, "lo_open": True}, 0.0, r"f must be in \(0, 1\]; got 0"),
        (
            {"lo": 150.0, "hi": 2000.0, "unit": "km"},
            100.0,
            r"f must be in \[150, 2000\] km; got 100",
        ),
        ({"lo": 0.0, "hi": math.pi}, 4.0, r"f must be in \[0, 3.141592653589793\]; got 4"),
        ({"lo": 0.0, "hi": 1.0}, math.nan, r"f must be in \[0, 1\]; got nan"),
    ],
)
def test_in_range_message(kwargs: dict[str, object], value: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        in_range("f", value, **kwargs)  # type: ignore[arg-type]


def test_first_offending_element_is_shown() -> None:
    with pytest.raises(ValueError, match=r"got -2$"):
        non_negative("x", [1.0, -2.0, -3.0])


def test_infinite_bounds() -> None:
    assert positive("x", math.inf, finite=False) == math.inf
    assert non_negative("x", math.inf, finite=False) == math.inf
    with pytest.raises(ValueError, match="x must be > 0 and finite; got inf"):
        positive("x", math.inf)
    with pytest.raises(ValueError, match="x must be >= 0 kg and finite; got -1"):
        non_negative("x", -1.0, unit="kg")
    with pytest.raises(ValueError, match="x must be > 0; got 0"):
        positive("x", 0.0, finite=False)
    with pytest.raises(ValueError, match="x must be > 0; got nan"):
        positive("x", math.nan, finite=False)
    with pytest.raises(ValueError, match="x must be finite; got -inf"):
        in_range("x", -math.inf, lo_open=True, hi_open=True)


@pytest.mark.parametrize("value", [None, "0.3", ["0.3"]])
def test_text_is_not_a_number(value: object) -> None:
    with pytest.raises(TypeError, match="x must be a number"):
        in_range("x", value, 0.0, 1.0)  # type: ignore[arg-type]


def test_choice() -> None:
    assert choice("frame", "teme", ("ecef", "teme")) == "teme"
    with pytest.raises(ValueError, match="unknown frame 'gcrs'; allowed: ecef, teme"):
        choice("frame", "gcrs", ("ecef", "teme"))


def test_count() -> None:
    assert count("n", np.int64(3)) == 3
    assert count("n", 0, minimum=0) == 0
    for bad in (0, 2.0, "2", None):
        with pytest.raises(ValueError, match="n must be a whole number >= 1; got"):
            count("n", bad)
