"""Break-even launch price, tornado, Monte Carlo, and launch prices by year.

Break-even (closed form)
------------------------
Every term of :func:`~skydc.economics.space.space_tco` that depends on the launch price
:math:`p` is proportional to it (launch, insurance on the launch, the launches of replacements,
the residual credit, the financing of all of these), so the space total is affine in :math:`p`:
:math:`S(p) = S_0 + k p`. Two evaluations give :math:`S_0` and :math:`k`, and the break-even
against a ground total :math:`G` is :math:`p^* = (G - S_0) / k`. No root finder is needed (and
none is used); it is exact and vectorised. Where :math:`S_0 > G` space costs more even with free
launch: ``p*`` is NaN and ``code`` is 1; where nothing is launched (:math:`k = 0`), code 2.

Sensitivity
-----------
Inputs are addressed by name: ``"space.<field>"`` or ``"ground.<field>"`` of
:class:`~skydc.economics.space.SpaceInputs` / :class:`~skydc.economics.ground.GroundInputs`,
``"both.<field>"`` for a field the two share (``wacc``, ``accelerator_unit_price_usd``...),
``"space.usd_per_kg.<line>"`` / ``"space.mass_by_subsystem_kg.<line>"`` for one entry of those
maps, and two scalings, ``"space.mass_scale"`` (every subsystem mass and the billable launch
mass) and ``"space.bus_price_scale"`` (every USD/kg). The tornado and the Monte Carlo evaluate
the cost models once, on arrays of input values (no Python loop over cases or samples).

Launch prices by year
---------------------
Wright's law, as Project Suncatcher (arXiv 2511.19468) applies it to launch: the price falls by
the learning rate :math:`\\lambda` (~20 %) for every doubling of cumulative launched mass,
:math:`p(M) = p_0 (M / M_0)^{\\log_2(1 - \\lambda)}` (Wright 1936, J. Aeronautical Sciences 3,
122-128), with cumulative mass grown from a yearly mass rising by a fixed rate. Named price paths
(piecewise log-linear between dated points) hold Suncatcher's and Starship's targets.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc.economics.finance import CostResult, cost_data
from skydc.economics.ground import (
    GroundInputs,
    electricity_price,
    ground_tco,
    load_ground_costs,
)
from skydc.economics.space import (
    SpaceInputs,
    accelerator_price,
    load_space_costs,
    space_tco,
)

__all__ = [
    "BreakEven",
    "Distribution",
    "MonteCarlo",
    "Tornado",
    "breakeven_launch_usd_per_kg",
    "cost_ratio",
    "crossover_year",
    "cumulative_mass_kg",
    "default_tornado_ranges",
    "first_year_space_cheaper",
    "launch_price_models",
    "monte_carlo",
    "price_path_usd_per_kg",
    "projected_launch_price_usd_per_kg",
    "tornado",
    "wright_price_usd_per_kg",
]

_CODES = {0: "breaks even", 1: "space costs more even with free launch", 2: "nothing launched"}


# --- Break-even -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BreakEven:
    """Break-even launch price [USD/kg]; NaN with ``code`` 1 or 2 where there is none."""

    usd_per_kg: NDArray[np.float64]
    code: NDArray[np.int8]
    ground_total_usd: NDArray[np.float64]
    space_total_at_free_launch_usd: NDArray[np.float64]
    slope_usd_per_usd_per_kg: NDArray[np.float64]
    method: str = "closed form: the space total is affine in the launch price"

    @property
    def meaning(self) -> dict[int, str]:
        """What each ``code`` means."""
        return dict(_CODES)


def breakeven_launch_usd_per_kg(
    space: SpaceInputs,
    ground: GroundInputs | CostResult | ArrayLike,
    space_result: CostResult | None = None,
) -> BreakEven:
    """The launch price at which the space total equals the ground total (module docstring).

    ``ground`` is a :class:`GroundInputs` (costed over the same period), a ground
    :class:`CostResult`, or a ground total [USD]. Compare like with like: same period and WACC.
    ``space_result``, ``space_tco(space)`` when the caller has it, spares one evaluation: the
    model is affine in the launch price, so its own price serves as the second point where it
    is positive.
    """
    if isinstance(ground, GroundInputs):
        g_total = ground_tco(dataclasses.replace(ground, period_yr=space.period_yr)).total_usd
    elif isinstance(ground, CostResult):
        g_total = ground.total_usd
    else:
        g_total = np.asarray(ground, dtype=np.float64)
    probe: Any = 1000.0  # USD/kg; any positive price gives the same slope (affine model)
    s0 = space_tco(dataclasses.replace(space, launch_usd_per_kg=0.0)).total_usd
    price = np.asarray(space.launch_usd_per_kg, dtype=np.float64)
    if space_result is not None and np.all(price > 0.0):
        probe, s1 = price, space_result.total_usd
    else:
        s1 = space_tco(dataclasses.replace(space, launch_usd_per_kg=probe)).total_usd
    slope = (s1 - s0) / probe
    tiny = 1e-12 * np.maximum(np.abs(s0), 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = (g_total - s0) / slope
    code = np.where(slope <= tiny / probe, 2, np.where(s0 > g_total, 1, 0)).astype(np.int8)
    p = np.where(code == 0, p, np.nan)
    return BreakEven(
        usd_per_kg=np.asarray(p, dtype=np.float64),
        code=code,
        ground_total_usd=np.asarray(g_total, dtype=np.float64),
        space_total_at_free_launch_usd=np.asarray(s0, dtype=np.float64),
        slope_usd_per_usd_per_kg=np.asarray(slope, dtype=np.float64),
    )


# --- Named inputs ---------------------------------------------------------------------------

_SPACE_DEFAULTS = {
    "satellite_life_yr": "reliability.satellite_life_yr",
    "annual_failure_probability": "reliability.annual_failure_probability",
    "wacc": "finance.wacc",
    "ground_stations": "ground_segment.stations",
    "ground_station_usd": "ground_segment.station_usd",
    "backhaul_usd_per_station_yr": "ground_segment.backhaul_usd_per_station_yr",
    "operations_usd_per_satellite_yr": "operations.usd_per_satellite_yr",
    "insurance_rate": "insurance.launch_plus_one_year_rate",
    "disposal_usd_per_satellite": "disposal.usd_per_satellite",
}


def _value_of(inputs: SpaceInputs | GroundInputs, field: str) -> Any:
    """The effective value of a field: as set, or the data-file default it falls back on."""
    value = getattr(inputs, field)
    if value is not None:
        return value
    if field == "accelerator_unit_price_usd":
        return accelerator_price(inputs.accelerator).value
    if field == "server_price_factor":
        return accelerator_price(inputs.accelerator).extra["server_price_factor"]
    if isinstance(inputs, SpaceInputs):
        if field in _SPACE_DEFAULTS:
            return load_space_costs()[_SPACE_DEFAULTS[field]].value
        if field == "launch_billable_mass_kg":
            wet = sum(np.asarray(m, float) for m in inputs.mass_by_subsystem_kg.values())
            return np.asarray(inputs.n_satellites, float) * wet
    else:
        if field == "electricity_usd_per_kwh":
            return electricity_price(inputs.region).value
        if field == "wacc":
            return load_space_costs()["finance.wacc"].value
        if field == "hardware_life_yr":
            return load_space_costs()["reliability.hardware_life_yr"].value
        if field in load_ground_costs():
            return load_ground_costs()[field].value
    raise ValueError(f"{type(inputs).__name__}.{field} has no value to vary")


def _apply(
    inputs: SpaceInputs | GroundInputs, key: str, value: ArrayLike, side: str
) -> SpaceInputs | GroundInputs:
    names = {f.name for f in dataclasses.fields(inputs)}
    v = np.asarray(value, dtype=np.float64)
    if isinstance(inputs, SpaceInputs) and key in ("mass_scale", "bus_price_scale"):
        if key == "mass_scale":
            masses = {k: np.asarray(m, float) * v for k, m in inputs.mass_by_subsystem_kg.items()}
            billable = np.asarray(_value_of(inputs, "launch_billable_mass_kg"), float) * v
            return dataclasses.replace(
                inputs, mass_by_subsystem_kg=masses, launch_billable_mass_kg=billable
            )
        table = load_space_costs()
        rates = {}
        for line in inputs.mass_by_subsystem_kg:
            base = inputs.usd_per_kg.get(line)
            if base is None:
                entry = table.get(f"subsystem_usd_per_kg.{line}")
                base = (entry or table["subsystem_usd_per_kg.default"]).value
            rates[line] = np.asarray(base, float) * v
        return dataclasses.replace(inputs, usd_per_kg=rates)
    field, _, sub = key.partition(".")
    if field not in names or isinstance(getattr(inputs, field), str):
        allowed = sorted(n for n in names if n not in ("accelerator", "region", "period_yr"))
        raise ValueError(
            f"unknown input {side}.{key!r}; allowed: {', '.join(allowed)} (and for space "
            "mass_scale, bus_price_scale, usd_per_kg.<line>, mass_by_subsystem_kg.<line>)"
        )
    if sub:
        current = dict(getattr(inputs, field) or {})
        current[sub] = v
        changes: dict[str, Any] = {field: current}
    else:
        changes = {field: v}
    return dataclasses.replace(inputs, **changes)


def _with_overrides(
    space: SpaceInputs, ground: GroundInputs, overrides: Mapping[str, ArrayLike]
) -> tuple[SpaceInputs, GroundInputs]:
    for name, value in overrides.items():
        side, _, key = name.partition(".")
        if side not in ("space", "ground", "both") or not key:
            raise ValueError(f"input names start with space., ground. or both.; got {name!r}")
        if side in ("space", "both"):
            space = _apply(space, key, value, "space")  # type: ignore[assignment]
        if side in ("ground", "both"):
            ground = _apply(ground, key, value, "ground")  # type: ignore[assignment]
    return space, ground


def cost_ratio(
    space: SpaceInputs, ground: GroundInputs, overrides: Mapping[str, ArrayLike] | None = None
) -> NDArray[np.float64]:
    """Space total over ground total, with named inputs overridden (arrays broadcast).

    The ground side is costed over the space side's period.
    """
    s, g = _with_overrides(space, ground, overrides or {})
    g = dataclasses.replace(g, period_yr=s.period_yr)
    return np.asarray(space_tco(s).total_usd / ground_tco(g).total_usd, dtype=np.float64)


# --- Tornado --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tornado:
    """Swing of the space/ground cost ratio per input, sorted by swing, largest first."""

    names: tuple[str, ...]
    low: NDArray[np.float64]
    high: NDArray[np.float64]
    ratio_low: NDArray[np.float64]
    ratio_high: NDArray[np.float64]
    swing: NDArray[np.float64]
    base_ratio: float


def base_value(space: SpaceInputs, ground: GroundInputs, name: str) -> float:
    side, _, key = name.partition(".")
    if key in ("mass_scale", "bus_price_scale"):
        return 1.0
    field, _, sub = key.partition(".")
    target: SpaceInputs | GroundInputs = ground if side == "ground" else space
    if sub:
        if field == "usd_per_kg" and sub not in space.usd_per_kg:
            table = load_space_costs()
            entry = table.get(f"subsystem_usd_per_kg.{sub}")
            return float((entry or table["subsystem_usd_per_kg.default"]).value)
        return float(np.asarray(getattr(target, field)[sub]))
    return float(np.asarray(_value_of(target, field)))


def default_tornado_ranges(
    space: SpaceInputs, ground: GroundInputs
) -> dict[str, tuple[float, float]]:
    """Low/high of the main inputs: the data files' ``low``/``high``, and a few stated spans.

    Launch price x0.5 to x2 and satellite mass x0.7 to x1.5 are skydc's spans; the rest come
    from ``costs.toml``, ``ground_dc.toml`` and the region's electricity price range.
    """
    sc, gc = load_space_costs(), load_ground_costs()
    launch = float(np.asarray(space.launch_usd_per_kg))
    acc = accelerator_price(space.accelerator)
    elec = electricity_price(ground.region)
    bus = sc["subsystem_usd_per_kg.default"]
    ranges = {
        "space.launch_usd_per_kg": (0.5 * launch, 2.0 * launch),
        "space.mass_scale": (0.7, 1.5),
        "space.bus_price_scale": (bus.low / bus.value, bus.high / bus.value),
        "both.accelerator_unit_price_usd": (acc.low, acc.high),
        "both.wacc": (sc["finance.wacc"].low, sc["finance.wacc"].high),
        "ground.electricity_usd_per_kwh": (elec.low, elec.high),
        "ground.pue": (gc["pue"].low, gc["pue"].high),
        "ground.construction_usd_per_mw": (
            gc["construction_usd_per_mw"].low,
            gc["construction_usd_per_mw"].high,
        ),
    }
    for field, key in _SPACE_DEFAULTS.items():
        if field in ("wacc", "disposal_usd_per_satellite", "ground_stations"):
            continue
        ranges[f"space.{field}"] = (sc[key].low, sc[key].high)
    return ranges


def tornado(
    space: SpaceInputs,
    ground: GroundInputs,
    ranges: Mapping[str, tuple[float, float]] | None = None,
) -> Tornado:
    """One-at-a-time swings of the space/ground ratio, all cases in one vectorised evaluation.

    Case 0 is the base; cases 2i+1 and 2i+2 set input i to its low and high value.
    """
    rng = dict(default_tornado_ranges(space, ground) if ranges is None else ranges)
    names = tuple(rng)
    k = len(names)
    overrides: dict[str, NDArray[np.float64]] = {}
    for i, name in enumerate(names):
        lo, hi = rng[name]
        values = np.full(2 * k + 1, base_value(space, ground, name))
        values[2 * i + 1], values[2 * i + 2] = lo, hi
        overrides[name] = values
    ratio = cost_ratio(space, ground, overrides)
    r_lo, r_hi = ratio[1::2], ratio[2::2]
    swing = np.abs(r_hi - r_lo)
    order = np.argsort(-swing, kind="stable")
    lows = np.array([rng[n][0] for n in names], dtype=np.float64)
    highs = np.array([rng[n][1] for n in names], dtype=np.float64)
    return Tornado(
        names=tuple(names[i] for i in order),
        low=lows[order],
        high=highs[order],
        ratio_low=r_lo[order],
        ratio_high=r_hi[order],
        swing=swing[order],
        base_ratio=float(ratio[0]),
    )


# --- Monte Carlo ----------------------------------------------------------------------------

_KINDS = {"uniform": 2, "triangular": 3, "lognormal": 2}


@dataclass(frozen=True)
class Distribution:
    """An input distribution by name.

    ``uniform`` (low, high); ``triangular`` (low, mode, high); ``lognormal`` (median, sigma),
    with ``sigma`` the standard deviation of the natural log.
    """

    kind: str
    params: tuple[float, ...]

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValueError(f"unknown distribution {self.kind!r}; allowed: {', '.join(_KINDS)}")
        p = tuple(float(x) for x in self.params)
        if len(p) != _KINDS[self.kind] or not all(math.isfinite(x) for x in p):
            raise ValueError(f"{self.kind} takes {_KINDS[self.kind]} finite parameters; got {p}")
        bad = (
            (self.kind == "uniform" and not p[0] <= p[1])
            or (self.kind == "triangular" and not p[0] <= p[1] <= p[2])
            or (self.kind == "lognormal" and not (p[0] > 0.0 and p[1] >= 0.0))
        )
        if bad:
            raise ValueError(f"bad {self.kind} parameters {p}: see the Distribution docstring")

    def sample(self, rng: np.random.Generator, n: int) -> NDArray[np.float64]:
        """``n`` draws from ``rng``."""
        p = self.params
        if self.kind == "uniform":
            return rng.uniform(p[0], p[1], n)
        if self.kind == "triangular":
            if p[0] == p[2]:
                return np.full(n, float(p[0]))
            return rng.triangular(p[0], p[1], p[2], n)
        return rng.lognormal(math.log(p[0]), p[1], n)


@dataclass(frozen=True)
class MonteCarlo:
    """Distribution of the space/ground cost ratio over sampled inputs."""

    ratio: NDArray[np.float64]
    samples: dict[str, NDArray[np.float64]]
    p10: float
    p50: float
    p90: float
    probability_space_cheaper: float
    seed: int
    delivered_ratio: NDArray[np.float64] | None = None

    def delivered_percentiles(self) -> tuple[float, float, float] | None:
        """P10, P50, P90 of the space/ground ratio of cost per delivered accelerator-hour
        (``None`` when the inputs carry no delivered hours)."""
        if self.delivered_ratio is None:
            return None
        p10, p50, p90 = np.percentile(self.delivered_ratio, [10.0, 50.0, 90.0])
        return float(p10), float(p50), float(p90)


def monte_carlo(
    space: SpaceInputs,
    ground: GroundInputs,
    distributions: Mapping[str, Distribution],
    n_samples: int = 10_000,
    seed: int = 0,
) -> MonteCarlo:
    """Seeded, vectorised Monte Carlo of the space/ground ratio; P10/P50/P90 and P(ratio < 1).

    Inputs are drawn in sorted name order from ``numpy.random.Generator(PCG64(seed))``, so a
    seed reproduces a run exactly; all samples are costed in one evaluation.
    """
    if n_samples < 1:
        raise ValueError(f"n_samples must be >= 1; got {n_samples!r}")
    rng = np.random.Generator(np.random.PCG64(seed))
    samples = {name: distributions[name].sample(rng, n_samples) for name in sorted(distributions)}
    s, g = _with_overrides(space, ground, samples)
    s_cost = space_tco(s)
    g_cost = ground_tco(dataclasses.replace(g, period_yr=s.period_yr))
    ratio = np.asarray(s_cost.total_usd / g_cost.total_usd, dtype=np.float64)
    delivered = None
    if (
        space.delivered_accelerator_hours_by_year is not None
        and ground.delivered_accelerator_hours_by_year is not None
    ):
        delivered = np.asarray(
            s_cost.usd_per_delivered_accelerator_hour / g_cost.usd_per_delivered_accelerator_hour,
            dtype=np.float64,
        )
        delivered = np.broadcast_to(delivered, ratio.shape).copy()
    p10, p50, p90 = (float(x) for x in np.percentile(ratio, [10.0, 50.0, 90.0]))
    return MonteCarlo(
        ratio=ratio,
        samples=samples,
        p10=p10,
        p50=p50,
        p90=p90,
        probability_space_cheaper=float(np.mean(ratio < 1.0)),
        seed=int(seed),
        delivered_ratio=delivered,
    )


# --- Launch prices by year ------------------------------------------------------------------


def wright_price_usd_per_kg(
    cumulative_mass_kg: ArrayLike,
    start_price_usd_per_kg: float,
    start_cumulative_mass_kg: float,
    learning_rate: float,
) -> NDArray[np.float64]:
    """Wright's law :math:`p_0 (M / M_0)^{\\log_2(1 - \\lambda)}` [USD/kg] (module docstring)."""
    if not 0.0 <= learning_rate < 1.0:
        raise ValueError(f"learning_rate must be in [0, 1); got {learning_rate!r}")
    if start_price_usd_per_kg < 0.0 or start_cumulative_mass_kg <= 0.0:
        raise ValueError("start price must be >= 0 and start cumulative mass > 0")
    m = np.asarray(cumulative_mass_kg, dtype=np.float64)
    if np.any(m <= 0.0):
        raise ValueError("cumulative_mass_kg must be > 0")
    b = math.log2(1.0 - learning_rate)
    return np.asarray(start_price_usd_per_kg * (m / start_cumulative_mass_kg) ** b)


def cumulative_mass_kg(
    years: ArrayLike, start_year: float, start_cumulative_kg: float, start_annual_kg: float,
    annual_growth: float,
) -> NDArray[np.float64]:  # fmt: skip
    """Cumulative launched mass when the yearly mass grows by ``annual_growth`` a year [kg].

    :math:`M(y) = M_0 + A_0 \\sum_{k=1}^{n} (1+g)^k = M_0 + A_0 (1+g)((1+g)^n - 1)/g`, with
    :math:`n = y - y_0` (held at :math:`M_0` before :math:`y_0`).
    """
    if annual_growth <= -1.0 or start_annual_kg < 0.0 or start_cumulative_kg <= 0.0:
        raise ValueError("need annual_growth > -1, start_annual_kg >= 0, start_cumulative_kg > 0")
    n = np.maximum(np.asarray(years, dtype=np.float64) - start_year, 0.0)
    g = annual_growth
    if abs(g) < 1e-12:
        added = start_annual_kg * n
    else:
        added = start_annual_kg * (1.0 + g) * ((1.0 + g) ** n - 1.0) / g
    return np.asarray(start_cumulative_kg + added, dtype=np.float64)


def price_path_usd_per_kg(
    years: ArrayLike, path_years: ArrayLike, path_usd_per_kg: ArrayLike
) -> NDArray[np.float64]:
    """Piecewise log-linear price between dated points, flat before the first and after the last."""
    py = np.asarray(path_years, dtype=np.float64)
    pp = np.asarray(path_usd_per_kg, dtype=np.float64)
    if py.ndim != 1 or py.shape != pp.shape or py.size < 1 or np.any(np.diff(py) <= 0):
        raise ValueError("path_years must increase and match path_usd_per_kg in length")
    if np.any(pp <= 0.0):
        raise ValueError("path prices must be > 0 USD/kg")
    return np.exp(np.interp(np.asarray(years, dtype=np.float64), py, np.log(pp)))


def launch_price_models() -> tuple[str, ...]:
    """Named launch-price projections in ``costs.toml`` (learning models and price paths)."""
    raw = cost_data()
    return (*raw["launch_learning"], *raw["launch_price_paths"])


def projected_launch_price_usd_per_kg(years: ArrayLike, model: str) -> NDArray[np.float64]:
    """Launch price by year under a named projection of ``costs.toml`` [USD/kg]."""
    raw = cost_data()
    if model in raw["launch_learning"]:
        m = raw["launch_learning"][model]
        mass = cumulative_mass_kg(
            years, m["start_year"], m["start_cumulative_mass_kg"], m["start_annual_mass_kg"],
            m["annual_mass_growth"],
        )  # fmt: skip
        return wright_price_usd_per_kg(
            mass, m["start_price_usd_per_kg"], m["start_cumulative_mass_kg"], m["learning_rate"]
        )
    if model in raw["launch_price_paths"]:
        p = raw["launch_price_paths"][model]
        return price_path_usd_per_kg(years, p["years"], p["usd_per_kg"])
    raise ValueError(f"unknown launch price model {model!r}; allowed: {launch_price_models()}")


def crossover_year(
    years: ArrayLike, breakeven_usd_per_kg: ArrayLike, price_usd_per_kg: ArrayLike
) -> NDArray[np.float64]:
    """First year whose launch price is at or below the break-even price; NaN if none.

    ``years`` and ``price_usd_per_kg`` share the last axis; ``breakeven_usd_per_kg`` broadcasts
    against them (a scalar, one per year, or per case with a trailing axis: ``be[..., None]``).
    A NaN break-even never crosses.
    """
    y = np.asarray(years, dtype=np.float64)
    be = np.asarray(breakeven_usd_per_kg, dtype=np.float64)
    price = np.asarray(price_usd_per_kg, dtype=np.float64)
    below = np.asarray(price <= be)  # NaN compares False
    first = np.argmax(below, axis=-1)
    return np.asarray(np.where(np.any(below, axis=-1), y[first], np.nan), dtype=np.float64)


def first_year_space_cheaper(
    space: SpaceInputs,
    ground: GroundInputs,
    years: ArrayLike,
    model: str = "suncatcher",
) -> tuple[float, BreakEven, NDArray[np.float64]]:
    """The first year a named launch-price projection falls to the break-even price (claim d).

    Only the launch price moves with the year; every other input is held as given. Returns the
    year (NaN if none in ``years``, or if space never breaks even), the break-even and the
    projected prices [USD/kg].
    """
    be = breakeven_launch_usd_per_kg(space, ground)
    if np.ndim(be.usd_per_kg):
        raise ValueError("first_year_space_cheaper needs scalar inputs")
    price = projected_launch_price_usd_per_kg(years, model)
    return float(crossover_year(years, be.usd_per_kg, price)), be, price


def uncertain_input_problem(side: str, key: str) -> str:
    """Why ``side.key`` is not an input the tornado and Monte Carlo can vary ("" if it is).

    The same rule as the evaluation applies: ``space.<field>``, ``ground.<field>`` or
    ``both.<field>`` of :class:`SpaceInputs` / :class:`GroundInputs` (numeric fields; a mapping
    field takes ``.<line>``), and for space ``mass_scale`` and ``bus_price_scale``.
    """
    sides: dict[str, tuple[type, ...]] = {
        "space": (SpaceInputs,), "ground": (GroundInputs,), "both": (SpaceInputs, GroundInputs),
    }  # fmt: skip
    if side not in sides or not key:
        return "an uncertain input is named side.input, side one of space, ground, both"
    field, _, _sub = key.partition(".")
    fixed = ("accelerator", "region", "period_yr")
    for cls in sides[side]:
        names = {f.name for f in dataclasses.fields(cls)} - set(fixed)
        if cls is SpaceInputs and key in ("mass_scale", "bus_price_scale"):
            continue
        if field not in names:
            extra = (
                " (and mass_scale, bus_price_scale, usd_per_kg.<line>, mass_by_subsystem_kg.<line>)"
                if cls is SpaceInputs
                else ""
            )
            return (
                f"unknown input {field!r} for {cls.__name__}; allowed: "
                f"{', '.join(sorted(names))}{extra}"
            )
    return ""
