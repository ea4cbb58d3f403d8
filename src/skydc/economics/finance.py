"""Money over time: cost entries with sources, inflation, discounting, levelized cost.

Cash flows and levelized cost
-----------------------------
A cost model here yields, per line, a cash flow :math:`C_k` at times :math:`k = 0, 1, \\dots, N`
years (``k = 0``: the start; capital bought at the start of year :math:`t` sits at
:math:`k = t - 1`; a year's running cost at its end, :math:`k = t`). At a discount rate
:math:`r` (the weighted average cost of capital, WACC) the present value is

.. math:: PV = \\sum_k C_k (1 + r)^{-k},

and the level yearly payment that repays it over the period, the *equivalent annual cost*, is
:math:`EAC = PV \\cdot CRF(r, N)` with the capital recovery factor

.. math:: CRF(r, N) = \\frac{r (1 + r)^N}{(1 + r)^N - 1} \\quad (1/N \\text{ at } r = 0).

The *total cost over the period* reported by skydc is :math:`N \\cdot EAC`: what the owner pays
if every cost is financed at the WACC and repaid in level instalments. It exceeds the plain sum
:math:`\\sum_k C_k` by the ``cost_of_capital`` line (zero at :math:`r = 0`, and zero for costs
that already come as level end-of-year payments). With a level yearly output :math:`E`, the
levelized cost is :math:`LCOE = PV / \\sum_t E (1 + r)^{-t} = EAC / E`, so
``total = LCOE x E x N`` exactly (NREL, "Simple Levelized Cost of Energy (LCOE) Calculator
Documentation"; Short, Packey & Holt 1995, NREL/TP-462-5173, eqs. 4-6).

Currency
--------
Every cost entry in the data files carries the year of its figure; :func:`to_currency_year`
moves it to the currency year of ``costs.toml`` with the BLS CPI-U table there.

References
----------
Short, W., Packey, D. J., Holt, T. (1995). *A Manual for the Economic Evaluation of Energy
Efficiency and Renewable Energy Technologies*, NREL/TP-462-5173, ch. 4.
Brealey, R., Myers, S., Allen, F. (2020). *Principles of Corporate Finance*, 13th ed., ch. 2, 19.
"""

from __future__ import annotations

import functools
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc._args import in_range, non_negative
from skydc.constants import JULIAN_YEAR_DAYS

__all__ = [
    "HOURS_PER_YEAR",
    "CostEntry",
    "CostResult",
    "annuity_factor",
    "capital_recovery_factor",
    "cost_data",
    "currency_label",
    "discount_factor",
    "levelized_cost_usd_per_kwh",
    "levelized_usd_per_unit",
    "parse_entry",
    "present_value_usd",
    "refresh_counts",
    "residual_fraction",
    "schedule_at",
    "summarize_cash_flows",
    "to_currency_year",
    "wacc",
    "yearly",
]

HOURS_PER_YEAR = JULIAN_YEAR_DAYS * 24.0  # 8,766 h: a Julian year (IAU), the year of every rate


# --- Data entries -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CostEntry:
    """One sourced cost figure of a data file (``value`` already in the currency year)."""

    name: str
    value: float
    unit: str
    source: str
    year: int
    estimated: bool
    low: float
    high: float
    notes: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)


def _read_toml(name: str) -> dict[str, Any]:
    with (files("skydc") / "data" / name).open("rb") as fh:
        return tomllib.load(fh)


@functools.cache
def cost_data(name: str = "costs.toml") -> dict[str, Any]:
    """The raw tables of a bundled cost data file (``costs.toml``, ``ground_dc.toml``, ...)."""
    return _read_toml(name)


def currency_label() -> str:
    """The currency results are stated in, e.g. ``"USD 2024"``."""
    raw = cost_data()
    return f"{raw['currency']} {raw['currency_year']}"


def to_currency_year(value_usd: ArrayLike, year: int) -> NDArray[np.float64]:
    """Move a USD figure of ``year`` to the currency year of ``costs.toml`` (CPI-U ratio).

    :math:`v' = v \\cdot CPI(Y) / CPI(y)`. Years after the last CPI-U year in the table are taken
    as they stand; years before the first raise ``ValueError``.
    """
    raw = cost_data()
    table = {int(k): float(v) for k, v in raw["cpi_u"]["values"].items()}
    target = int(raw["currency_year"])
    y = int(year)
    if y < min(table):
        raise ValueError(f"no CPI-U figure for {y}; the table covers {min(table)}-{max(table)}")
    if y >= target or y > max(table):
        return np.asarray(value_usd, dtype=np.float64)
    return np.asarray(value_usd, dtype=np.float64) * (table[target] / table[y])


def parse_entry(name: str, raw: Mapping[str, Any], value_key: str = "value") -> CostEntry:
    """A :class:`CostEntry` from a data-file table; USD figures move to the currency year."""
    try:
        year = int(raw["year"])
        unit = str(raw.get("unit", ""))
        conv = (lambda v: float(to_currency_year(v, year))) if "USD" in unit else float
        value = conv(raw[value_key])
        low = conv(raw.get("low", raw[value_key]))
        high = conv(raw.get("high", raw[value_key]))
        known = {value_key, "low", "high", "unit", "source", "year", "estimated", "notes"}
        return CostEntry(
            name=name,
            value=value,
            unit=unit,
            source=str(raw["source"]),
            year=year,
            estimated=bool(raw.get("estimated", False)),
            low=low,
            high=high,
            notes=str(raw.get("notes", "")),
            extra={k: v for k, v in raw.items() if k not in known},
        )
    except KeyError as exc:  # a broken data file is a bug in the package, not user input
        raise RuntimeError(f"cost entry {name!r} lacks {exc}") from exc


# --- Discounting --------------------------------------------------------------------------------


def discount_factor(rate: ArrayLike, t_yr: ArrayLike) -> NDArray[np.float64]:
    """Present value of one dollar paid at ``t_yr``: :math:`(1 + r)^{-t}` [-]. Broadcasts."""
    r = in_range("rate", rate, 0.0, 1.0)
    t = np.asarray(t_yr, dtype=np.float64)
    return np.power(1.0 + r, -t)


def annuity_factor(rate: ArrayLike, n_yr: ArrayLike) -> NDArray[np.float64]:
    """:math:`AF = \\sum_{t=1}^{N} (1+r)^{-t} = (1 - (1+r)^{-N}) / r`, and :math:`N` at r = 0."""
    r = in_range("rate", rate, 0.0, 1.0)
    n = in_range("n_yr", n_yr, 1.0, math.inf, hi_open=True)
    zero = r == 0.0
    safe = np.where(zero, 1.0, r)
    # -expm1(-N log1p(r)) / r is (1 - (1+r)^-N) / r without cancellation at small r
    exact = -np.expm1(-n * np.log1p(safe)) / safe
    return np.asarray(np.where(zero, n, exact), dtype=np.float64)


def capital_recovery_factor(rate: ArrayLike, n_yr: ArrayLike) -> NDArray[np.float64]:
    """:math:`CRF(r, N) = 1 / AF(r, N)`: the level yearly payment that repays 1 USD [1/yr]."""
    return 1.0 / annuity_factor(rate, n_yr)


def present_value_usd(
    cash_flows_usd: ArrayLike, rate: ArrayLike, t_yr: ArrayLike | None = None
) -> NDArray[np.float64]:
    """:math:`PV = \\sum_k C_k (1 + r)^{-t_k}` over the last axis of ``cash_flows_usd`` [USD].

    ``t_yr`` defaults to ``0, 1, ..., K-1``; ``rate`` broadcasts against the leading axes.
    """
    cf = np.asarray(cash_flows_usd, dtype=np.float64)
    t = np.arange(cf.shape[-1], dtype=np.float64) if t_yr is None else np.asarray(t_yr, float)
    r = in_range("rate", rate, 0.0, 1.0)[..., np.newaxis]
    return np.asarray(np.sum(cf * np.power(1.0 + r, -t), axis=-1), dtype=np.float64)


def wacc(
    equity_fraction: ArrayLike,
    cost_of_equity: ArrayLike,
    cost_of_debt: ArrayLike,
    tax_rate: ArrayLike = 0.0,
) -> NDArray[np.float64]:
    """Weighted average cost of capital :math:`E/V\\,r_E + D/V\\,r_D (1 - T)` [1/yr].

    Brealey, Myers & Allen (2020), sec. 19-1. ``equity_fraction`` is :math:`E/V` in [0, 1].
    """
    e = in_range("equity_fraction", equity_fraction, 0.0, 1.0)
    re = in_range("cost_of_equity", cost_of_equity, 0.0, 1.0)
    rd = in_range("cost_of_debt", cost_of_debt, 0.0, 1.0)
    tax = in_range("tax_rate", tax_rate, 0.0, 1.0)
    return np.asarray(e * re + (1.0 - e) * rd * (1.0 - tax), dtype=np.float64)


def levelized_cost_usd_per_kwh(
    present_value_cost_usd: ArrayLike, annual_energy_kwh: ArrayLike, rate: ArrayLike, n_yr: int
) -> NDArray[np.float64]:
    """:math:`LCOE = PV_{cost} / (E \\cdot AF(r, N))` for a level yearly output :math:`E` [USD/kWh].

    NaN where no energy is delivered.
    """
    pv = np.asarray(present_value_cost_usd, dtype=np.float64)
    e = non_negative("annual_energy_kwh", annual_energy_kwh)
    denom = e * annuity_factor(rate, n_yr)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(np.where(denom > 0.0, pv / np.where(denom > 0, denom, 1.0), np.nan))


def levelized_usd_per_unit(
    cash_flows_usd: ArrayLike, output_by_year: ArrayLike, rate: ArrayLike
) -> NDArray[np.float64]:
    """Levelized cost per unit of a non-level output [USD/unit].

    :math:`PV(C) / \\sum_{t=1}^{N} D_t (1+r)^{-t}`: cash flows at time points ``0..N`` (last
    axis), output ``D_t`` delivered during year ``t = 1..N`` and counted at its end, as the
    running costs (the LCOE of NREL/TP-462-5173, eq. 4-6, with a varying output). NaN where
    nothing is delivered.
    """
    cf = np.asarray(cash_flows_usd, dtype=np.float64)
    d = non_negative("output_by_year", output_by_year)
    r = in_range("rate", rate, 0.0, 1.0)[..., np.newaxis]
    pv = np.sum(cf * np.power(1.0 + r, -np.arange(cf.shape[-1])), axis=-1)
    pv_out = np.sum(d * np.power(1.0 + r, -np.arange(1, d.shape[-1] + 1)), axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(np.where(pv_out > 0, pv / np.where(pv_out > 0, pv_out, 1.0), np.nan))


# --- The result of a cost model -----------------------------------------------------------------


@dataclass(frozen=True)
class CostResult:
    """Cost of one side (space or ground) over a period. Arrays broadcast over the inputs.

    Attributes
    ----------
    lines_usd
        Undiscounted cost per line over the period [USD], plus ``cost_of_capital``; they add up
        to ``total_usd``.
    total_usd
        :math:`N \\cdot EAC`, the cost with capital financed at the WACC [USD].
    present_value_usd, equivalent_annual_cost_usd
        [USD], [USD/yr].
    it_energy_kwh
        IT energy delivered over the period [kWh].
    levelized_usd_per_kwh
        Per kWh of IT energy delivered; equals ``total_usd / it_energy_kwh``.
    accelerator_hours, usd_per_accelerator_hour
        Delivered accelerator (GPU/TPU) hours over the period and the cost of one.
    cash_flows_usd
        Cash flow by time point ``k = 0..N`` years (last axis) [USD].
    delivered_accelerator_hours, usd_per_delivered_accelerator_hour
        With a delivery waterfall: the accelerator-hours delivered over the period, and the
        levelized cost of one, :math:`PV(C) / \\sum_t D_t (1+r)^{-t}` (NaN without one).
    notes
        Assumptions worth reading next to the numbers.
    """

    side: str
    period_yr: int
    wacc: NDArray[np.float64]
    lines_usd: dict[str, NDArray[np.float64]]
    total_usd: NDArray[np.float64]
    present_value_usd: NDArray[np.float64]
    equivalent_annual_cost_usd: NDArray[np.float64]
    it_energy_kwh: NDArray[np.float64]
    levelized_usd_per_kwh: NDArray[np.float64]
    accelerator_hours: NDArray[np.float64]
    usd_per_accelerator_hour: NDArray[np.float64]
    cash_flows_usd: NDArray[np.float64] = field(repr=False)
    currency: str = "USD"
    notes: tuple[str, ...] = ()
    delivered_accelerator_hours: NDArray[np.float64] = field(
        default_factory=lambda: np.asarray(np.nan)
    )
    usd_per_delivered_accelerator_hour: NDArray[np.float64] = field(
        default_factory=lambda: np.asarray(np.nan)
    )


def summarize_cash_flows(
    side: str,
    line_flows_usd: Mapping[str, NDArray[np.float64]],
    rate: ArrayLike,
    period_yr: int,
    annual_energy_kwh: ArrayLike,
    annual_accelerator_hours: ArrayLike,
    notes: tuple[str, ...] = (),
    delivered_hours_by_year: ArrayLike | None = None,
) -> CostResult:
    """Turn per-line cash flows (last axis: time points ``0..N`` years) into a :class:`CostResult`.

    See the module docstring for the definitions (PV, EAC, total = N EAC, LCOE = EAC / E).
    """
    n = int(period_yr)
    if n < 1:
        raise ValueError(f"period_yr must be a whole number of years >= 1; got {period_yr!r}")
    r = in_range("wacc", rate, 0.0, 1.0)
    flows = {k: np.asarray(v, dtype=np.float64) for k, v in line_flows_usd.items()}
    total_flow = sum(flows.values(), start=np.zeros(n + 1))
    total_flow = np.asarray(total_flow, dtype=np.float64)
    pv = present_value_usd(total_flow, r)
    eac = pv * capital_recovery_factor(r, n)
    total = eac * n
    lines = {k: np.asarray(np.sum(v, axis=-1), dtype=np.float64) for k, v in flows.items()}
    lines["cost_of_capital"] = np.asarray(total - np.sum(total_flow, axis=-1), dtype=np.float64)
    e = np.asarray(annual_energy_kwh, dtype=np.float64)
    h = np.asarray(annual_accelerator_hours, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        lcoe = np.where(e > 0.0, eac / np.where(e > 0.0, e, 1.0), np.nan)
        per_hour = np.where(h > 0.0, eac / np.where(h > 0.0, h, 1.0), np.nan)
    delivered = np.asarray(np.nan)
    per_delivered = np.asarray(np.nan)
    if delivered_hours_by_year is not None:
        d = non_negative("delivered_hours_by_year", delivered_hours_by_year)
        if d.shape[-1] != n:
            raise ValueError(f"delivered_hours_by_year needs one value per year ({n})")
        delivered = np.asarray(np.sum(d, axis=-1), dtype=np.float64)
        per_delivered = levelized_usd_per_unit(total_flow, d, r)
    return CostResult(
        side=side,
        period_yr=n,
        wacc=r,
        lines_usd=lines,
        total_usd=np.asarray(total, dtype=np.float64),
        present_value_usd=pv,
        equivalent_annual_cost_usd=np.asarray(eac, dtype=np.float64),
        it_energy_kwh=np.asarray(e * n, dtype=np.float64),
        levelized_usd_per_kwh=np.asarray(lcoe, dtype=np.float64),
        accelerator_hours=np.asarray(h * n, dtype=np.float64),
        usd_per_accelerator_hour=np.asarray(per_hour, dtype=np.float64),
        cash_flows_usd=total_flow,
        currency=currency_label(),
        notes=notes,
        delivered_accelerator_hours=delivered,
        usd_per_delivered_accelerator_hour=np.asarray(per_delivered, dtype=np.float64),
    )


def schedule_at(n_yr: int, k: ArrayLike, amount: ArrayLike) -> NDArray[np.float64]:
    """Cash flow on the grid ``0..N`` with ``amount`` at time point(s) ``k`` (broadcast, 0 else).

    ``k`` may be a scalar or an array of whole years; ``amount`` broadcasts against it.
    """
    grid = np.arange(n_yr + 1)
    kk = np.asarray(k)[..., np.newaxis]
    a = np.asarray(amount, dtype=np.float64)[..., np.newaxis]
    return np.asarray(np.where(grid == kk, a, 0.0), dtype=np.float64)


def yearly(
    n_yr: int, amount: ArrayLike, first: int = 1, last: int | None = None
) -> NDArray[np.float64]:
    """Cash flow ``amount`` at every time point ``first..last`` (default ``1..N``) of ``0..N``."""
    grid = np.arange(n_yr + 1)
    stop = n_yr if last is None else last
    mask = (grid >= first) & (grid <= stop)
    a = np.asarray(amount, dtype=np.float64)[..., np.newaxis]
    return np.asarray(np.where(mask, a, 0.0), dtype=np.float64)


def refresh_counts(n_yr: int, life_yr: ArrayLike) -> NDArray[np.float64]:
    """How many fleet refreshes fall at each time point ``0..N`` for assets of life ``L``.

    Refresh ``k >= 1`` happens at time :math:`kL`, placed on the grid at :math:`\\lceil kL \\rceil`
    (the start of the year it falls in, rounded up to a whole year), and counts only when
    :math:`kL < N` (an asset retiring at the end of the period is not replaced within it).
    Broadcasts over ``life_yr``; last axis is time.
    """
    life = in_range("life_yr", life_yr, 1e-3, math.inf, hi_open=True)[..., np.newaxis]
    eps = 1e-9
    grid = np.arange(n_yr + 1, dtype=np.float64)
    # refreshes with kL <= j (within rounding), for j = 0..N, then exclude kL >= N
    upto = np.floor(grid / life + eps)
    before_end = np.ceil(n_yr / life - eps) - 1.0
    upto = np.minimum(upto, before_end)
    # placed at ceil(kL): the count at grid point j is #(j-1 < kL <= j)
    counts = np.diff(upto, axis=-1, prepend=0.0)
    return np.asarray(np.maximum(counts, 0.0), dtype=np.float64)


def residual_fraction(n_yr: int, life_yr: ArrayLike) -> NDArray[np.float64]:
    """Straight-line value left at time N of the generation bought last, per unit of its cost.

    The last generation starts at :math:`kL` with :math:`k = \\lceil N/L \\rceil - 1`, so the
    fraction is :math:`1 - (N - kL)/L` (0 when the life ends exactly at N).
    """
    life = in_range("life_yr", life_yr, 1e-3, math.inf, hi_open=True)
    k = np.ceil(n_yr / life - 1e-9) - 1.0
    age = n_yr - k * life
    return np.asarray(np.clip(1.0 - age / life, 0.0, 1.0), dtype=np.float64)
