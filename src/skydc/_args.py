"""Argument checks shared by the kernels, with one wording for every ``ValueError``.

Each check returns the value it accepted (``in_range`` and its shorthands as a float64 array,
0-d for a scalar), so a kernel validates and converts in one line::

    eta = in_range("efficiency", efficiency, 0.0, 1.0, lo_open=True, hi_open=True)
    # ValueError: efficiency must be in (0, 1); got 1.2

Messages name the parameter, the allowed interval or values, and the first offending value.
Bounds are read on the extended real line: ``hi=math.inf`` with ``hi_open=True`` rejects
``inf`` (the value must be finite), with ``hi_open=False`` accepts it. NaN is always rejected.

This module sits at the bottom of the import graph: it imports only NumPy and the standard
library, so every package of skydc can use it without creating an import cycle.
"""

from __future__ import annotations

import math
from collections.abc import Collection

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["FieldError", "choice", "count", "in_range", "non_negative", "positive"]


class FieldError(ValueError):
    """A ``ValueError`` that knows which input is to blame: ``field`` is its dotted name in the
    caller's terms (``bus.thruster`` for a technology), so the scenario layer can name the
    scenario field (``spacecraft.bus.thruster``) instead of guessing."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def _number(x: float) -> str:
    """``x`` as ``%g`` when that is exact, else in full (so ``pi`` is not shown as 3.14159)."""
    short = f"{x:g}"
    return short if float(short) == x else repr(float(x))


def _describe(lo: float, hi: float, lo_open: bool, hi_open: bool, unit: str) -> str:
    """The allowed set in words: ``in (0, 1]`` when both bounds are finite, else comparisons
    (``> 0 and finite``, ``>= 0``, ``<= 5 kg``)."""
    u = f" {unit}" if unit else ""
    lo_inf, hi_inf = lo == -math.inf, hi == math.inf
    if not lo_inf and not hi_inf:
        left, right = "(" if lo_open else "[", ")" if hi_open else "]"
        return f"in {left}{_number(lo)}, {_number(hi)}{right}{u}"
    parts: list[str] = []
    if not lo_inf:
        parts.append(f"{'>' if lo_open else '>='} {_number(lo)}{u}")
    if not hi_inf:
        parts.append(f"{'<' if hi_open else '<='} {_number(hi)}{u}")
    no_pinf, no_ninf = hi_inf and hi_open, lo_inf and lo_open
    if (no_pinf or no_ninf) and (no_pinf or not hi_inf) and (no_ninf or not lo_inf):
        parts.append("finite")  # every infinite end excluded
    elif no_pinf:
        parts.append("< inf")  # -inf allowed
    elif no_ninf:
        parts.append("> -inf")  # +inf allowed
    return " and ".join(parts) if parts else "a number (not NaN)"


def in_range(
    name: str,
    value: ArrayLike,
    lo: float = -math.inf,
    hi: float = math.inf,
    *,
    lo_open: bool = False,
    hi_open: bool = False,
    unit: str = "",
) -> NDArray[np.float64]:
    """``value`` as a float64 array if every element lies in the interval ``lo .. hi``.

    Parameters
    ----------
    name : str
        The parameter's name, first word of the message (``"TrainingJob 't': tokens"`` works).
    value : array_like
        Number or array to check.
    lo, hi : float
        Bounds; ``-inf`` / ``inf`` for none (see the module docstring for infinite values).
    lo_open, hi_open : bool
        Exclude the bound itself (``(lo, ...`` / ``..., hi)``).
    unit : str
        Unit shown after the bounds in the message (``"km"``).

    Raises
    ------
    ValueError
        ``"<name> must be in [lo, hi] <unit>; got <first bad value>"`` (or ``must be > 0 and
        finite``, ``must be >= 0`` ... when a bound is infinite), if any element is outside the
        interval or NaN.
    TypeError
        ``value`` is None, text or bytes (``"0.3"`` is not read as a number).
    """
    # fast paths for one number (sizing checks ~1,600 a call): the same test without four
    # array operations
    one = isinstance(value, float | int)
    if not one and isinstance(value, np.ndarray):
        one = value.size == 1 and value.dtype.kind in "biuf"
    if one:
        x = float(value.item() if isinstance(value, np.ndarray) else value)  # type: ignore[arg-type]
        if x != x or (x <= lo if lo_open else x < lo) or (x >= hi if hi_open else x > hi):
            allowed = _describe(lo, hi, lo_open, hi_open, unit)
            raise ValueError(f"{name} must be {allowed}; got {x:g}")
        return np.asarray(value, dtype=np.float64)
    raw = np.asarray(value)
    if value is None or raw.dtype.kind in "USV":
        raise TypeError(f"{name} must be a number; got {value!r}")
    a = np.asarray(raw, dtype=np.float64)
    bad = np.isnan(a) | ((a <= lo) if lo_open else (a < lo))
    bad |= (a >= hi) if hi_open else (a > hi)
    if np.any(bad):
        allowed = _describe(lo, hi, lo_open, hi_open, unit)
        raise ValueError(f"{name} must be {allowed}; got {a[bad].flat[0]:g}")
    return a


def positive(
    name: str, value: ArrayLike, *, finite: bool = True, unit: str = ""
) -> NDArray[np.float64]:
    """``value`` as a float64 array if every element is > 0 (and finite, unless ``finite`` is
    False: then ``inf`` passes); see :func:`in_range`."""
    return in_range(name, value, 0.0, math.inf, lo_open=True, hi_open=finite, unit=unit)


def non_negative(
    name: str, value: ArrayLike, *, finite: bool = True, unit: str = ""
) -> NDArray[np.float64]:
    """``value`` as a float64 array if every element is >= 0 (and finite, unless ``finite`` is
    False: then ``inf`` passes); see :func:`in_range`."""
    return in_range(name, value, 0.0, math.inf, hi_open=finite, unit=unit)


def choice(kind: str, value: str, allowed: Collection[str]) -> str:
    """``value`` if it is one of ``allowed``.

    Raises
    ------
    ValueError
        ``"unknown <kind> '<value>'; allowed: a, b, c"`` (in the order of ``allowed``).
    """
    if value not in allowed:
        raise ValueError(f"unknown {kind} {value!r}; allowed: {', '.join(allowed)}")
    return value


def count(name: str, value: object, *, minimum: int = 1) -> int:
    """``value`` as an ``int`` if it is an integer (Python or NumPy) >= ``minimum``.

    Raises
    ------
    ValueError
        ``"<name> must be a whole number >= <minimum>; got <value>"``; floats such as ``4.0``
        are refused too.
    """
    if not (isinstance(value, int | np.integer) and value >= minimum):
        raise ValueError(f"{name} must be a whole number >= {minimum}; got {value!r}")
    return int(value)
