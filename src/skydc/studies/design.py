"""Trade-study designs: which scenario fields a study varies, and the points it runs.

A *study* varies scenario fields, each addressed by the dotted path of ``--set``
(``economics.launch_usd_per_kg``, ``shells[0].altitude_km``,
``economics.uncertainty."space.launch_usd_per_kg".params[0]``). A study file holds one
``[study]`` table (``docs/studies-design.md``)::

    [study]
    name = "breakeven"
    design = "grid"           # grid | lhs | sobol | monte-carlo
    samples = 64              # lhs, monte-carlo: points; sobol: base samples N
    seed = 0
    stages = ["cost"]
    keep = ["cost.delivered.ratio_space_to_ground"]
    objectives = [{metric = "cost.delivered.space.usd_per_accelerator_hour", sense = "min"}]
    breakeven = {x = "economics.launch_usd_per_kg", y = "spacecraft.it_power_kw",
                 metric = "cost.delivered.ratio_space_to_ground", level = 1.0}

    [[study.vary]]
    path = "economics.launch_usd_per_kg"
    low = 100.0
    high = 2000.0
    steps = 20                # grid only
    scale = "log"             # linear | log

Each ``vary`` is exactly one of a *range* (``low``/``high``, with ``steps`` for a grid and an
optional ``scale``), a list of ``values`` (grid only) or a ``distribution`` (monte-carlo, lhs and
sobol, the last two by the inverse CDF of their unit sample).

Paths are parsed by the scenario loader's own parser
(:func:`skydc.scenario.load.parse_path`) and resolved against the scenario model, so a path the
loader would refuse is refused here, with the study file, the study field
(``study.vary[3].path``) and the allowed keys. Range ends, listed values and distribution
centres are validated by the scenario model's own field rules (bounds, known presets, ...);
:func:`check_against_scenario` further loads a real scenario with them.

The points of a design (:func:`design_points`) are mappings ``path -> value``, ready for
``load_scenario(ref, overrides=point)``. Values take the field's type (:func:`cast_for_path`):
whole-number fields (``planes``, ``sats_per_plane``, ``economics.years``) get ``int``, rounded to
the nearest whole number (ties to even) where a design samples them continuously.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import math
import re
import tomllib
import types
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

import numpy as np
from numpy.typing import NDArray
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from skydc.errors import ScenarioError
from skydc.scenario.load import _message as _loader_message  # the loader's wording of errors
from skydc.scenario.load import parse_path
from skydc.scenario.models import Scenario

__all__ = [
    "DESIGNS",
    "DISTRIBUTIONS",
    "MAX_POINTS",
    "Breakeven",
    "DesignPoints",
    "DistributionSpec",
    "Objective",
    "Study",
    "StudyFile",
    "VarySpec",
    "cast_for_path",
    "check_against_scenario",
    "design_points",
    "field_kind",
    "load_study",
    "parse_vary",
    "study_from_cli",
]

DESIGNS = ("grid", "lhs", "sobol", "monte-carlo")
DISTRIBUTIONS = {"uniform": 2, "triangular": 3, "lognormal": 2, "normal": 2}
MAX_POINTS = 1_000_000  # a study is run point by point; beyond this, sample instead of gridding
MAX_STUDY_BYTES = 1 * 2**20
NAME_PATTERN = r"^[A-Za-z0-9._-]+$"
_U_EPS = 1e-12  # unit samples are kept in [eps, 1 - eps] before an inverse CDF (finite ends)

Scalar = StrictBool | StrictInt | StrictFloat | StrictStr


# --- scenario fields ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Leaf:
    """What a scenario path points at: its kind and how to validate a value for it."""

    path: str
    kind: str  # float | int | bool | str | choice | any (a number, text or flag)
    choices: tuple[Any, ...]
    holders: tuple[tuple[type[BaseModel], str], ...]  # models declaring the last key
    annotation: Any  # the leaf's annotation (used when no model declares it: a table entry)

    @property
    def numeric(self) -> bool:
        return self.kind in ("float", "int", "any")


_NONE = type(None)


def _alternatives(ann: Any) -> list[Any]:
    """The alternatives of an annotation: ``Annotated`` stripped, unions flattened, ``None``
    dropped."""
    while get_origin(ann) is Annotated:
        ann = get_args(ann)[0]
    if get_origin(ann) in (typing.Union, types.UnionType):
        out: list[Any] = []
        for arg in get_args(ann):
            out += _alternatives(arg)
        return out
    return [] if ann is _NONE else [ann]


def _is_model(ann: Any) -> bool:
    return isinstance(ann, type) and issubclass(ann, BaseModel)


def _keys_of(models: Sequence[type[BaseModel]]) -> list[str]:
    keys: list[str] = []
    for model in models:
        keys += [k for k in model.model_fields if k not in keys]
    return keys


def _leaf_kind(alts: list[Any]) -> tuple[str, tuple[Any, ...]]:
    """(kind, choices) of a leaf's alternatives, or ("", ()) if a study cannot vary it."""
    if alts and all(get_origin(a) is Literal for a in alts):
        return "choice", tuple(v for a in alts for v in get_args(a))
    scalars = set(alts)
    if not scalars or not scalars <= {float, int, str, bool}:
        return "", ()
    if scalars <= {float, int}:
        return ("float" if float in scalars else "int"), ()
    if len(scalars) == 1:
        return next(iter(scalars)).__name__, ()
    return "any", ()


def _what(alts: list[Any]) -> str:
    if alts and all(_is_model(a) for a in alts):
        return "table"
    origin = get_origin(alts[0]) if len(alts) == 1 else None
    if origin is list or origin is tuple:
        return "list"
    if origin is dict:
        return "table"
    if alts and all(a in (datetime, date, time) for a in alts):
        return "date-time"
    return "value"


@functools.lru_cache(maxsize=4096)
def _resolve(path: str) -> _Leaf:
    """Resolve ``path`` against the scenario model (ValueError says why it cannot be varied)."""
    parts = parse_path(path)
    alts: list[Any] = [Scenario]
    holders: tuple[tuple[type[BaseModel], str], ...] = ()
    done = ""
    for part in parts:
        if isinstance(part, int):
            container = alts[0] if len(alts) == 1 else None
            if container is None or get_origin(container) not in (list, tuple):
                raise ValueError(f"{done or 'the scenario'} is not a list: [{part}] cannot apply")
            args = get_args(container)
            alts = _alternatives(args[0] if args else Any)
            holders = ()
            done += f"[{part}]"
            continue
        models = [a for a in alts if _is_model(a)]
        if models and len(models) == len(alts):
            having = [mdl for mdl in models if part in mdl.model_fields]
            if not having:
                keys = _keys_of(models)
                close = difflib.get_close_matches(part, keys, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                where = f"of {done}" if done else "at the top level"
                raise ValueError(
                    f"{part!r} is not a scenario key {where}{hint}; allowed keys: "
                    + ", ".join(keys)
                )
            holders = tuple((mdl, part) for mdl in having)
            alts = _alternatives(having[0].model_fields[part].annotation)
        elif len(alts) == 1 and get_origin(alts[0]) is dict:
            alts = _alternatives(get_args(alts[0])[1])
            holders = ()
        else:
            raise ValueError(f"{done} is a {_what(alts)}, not a table: .{part} cannot apply")
        done += f".{part}" if done else part
    kind, choices = _leaf_kind(alts)
    if not kind:
        what = _what(alts)
        if what == "table":
            keys = _keys_of([a for a in alts if _is_model(a)])
            more = f"; vary one of its keys: {', '.join(keys)}" if keys else "; vary one entry"
            raise ValueError(f"{path} is a table, not a value{more}")
        if what == "list":
            raise ValueError(f"{path} is a list, not a value; vary one entry ({path}[0])")
        raise ValueError(f"{path} is a {what}: a study varies numbers, text and flags")
    annotation: Any = alts[0] if len(alts) == 1 else typing.Union[tuple(alts)]  # noqa: UP007
    return _Leaf(path, kind, choices, holders, annotation)


def field_kind(path: str) -> str:
    """The kind of scenario field ``path`` names: ``float``, ``int``, ``bool``, ``str``,
    ``choice`` (one of fixed names) or ``any`` (a technology override: number, text or flag).

    Raises
    ------
    ValueError
        The path does not parse, names no scenario field, or names a table or a list.
    """
    return _resolve(path).kind


def _to_python(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _cast(leaf: _Leaf, value: Any, *, round_ok: bool = True) -> Any:
    value = _to_python(value)
    if leaf.kind == "int" and isinstance(value, float) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise ValueError(f"{leaf.path} takes whole numbers; got {value!r}")
        if not round_ok and not value.is_integer():
            raise ValueError(f"{leaf.path} takes whole numbers; got {value!r}")
        return round(value)
    if leaf.kind == "float" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def cast_for_path(path: str, value: Any) -> Any:
    """``value`` in the type scenario field ``path`` takes, read from the scenario model's
    annotations: a whole-number field (``shells[0].planes``, ``economics.years``) gets an
    ``int`` (a float is rounded to the nearest whole number, ties to even), a float field a
    ``float``; NumPy scalars become Python scalars; text and flags pass unchanged.

    Raises
    ------
    ValueError
        ``path`` names no scenario value (see :func:`field_kind`), or a whole-number field is
        given NaN or infinity.
    """
    return _cast(_resolve(path), value)


@functools.lru_cache(maxsize=64)
def _adapter(annotation: Any) -> TypeAdapter[Any]:
    return TypeAdapter(annotation, config=ConfigDict(strict=True, allow_inf_nan=False))


def _value_problem(leaf: _Leaf, value: Any) -> str:
    """Why scenario field ``leaf`` refuses ``value`` ("" if it takes it): the scenario model's
    own rules for that field (type, bounds, known names), in the loader's words."""
    if not leaf.holders:
        try:
            _adapter(leaf.annotation).validate_python(value)
        except ValidationError as exc:
            return _loader_message(dict(exc.errors(include_url=False)[0]), Scenario)
        return ""
    problems = []
    for model, name in leaf.holders:
        try:
            model.model_validate({name: value})
        except ValidationError as exc:
            mine = [e for e in exc.errors(include_url=False) if e["loc"][:1] == (name,)]
            if mine:
                problems.append(_loader_message(dict(mine[0]), model))
                continue
        return ""  # one shell type (walker, sso, catalog) taking it is enough here
    return problems[0]


# --- study models ---------------------------------------------------------------------------------


class _Model(BaseModel):
    # As strict as the scenario: a boolean is not a number, "3" is not 3, NaN is refused.
    model_config = ConfigDict(
        extra="forbid", frozen=True, validate_default=True, strict=True, allow_inf_nan=False
    )


def _sub_error(sub: str, message: str) -> PydanticCustomError:
    """A validation error at ``<model's place>.<sub>`` (pydantic puts model-validator errors at
    the model; ``sub`` names the key to blame)."""
    return PydanticCustomError("study_field", "{message}", {"message": message, "sub": sub})


class DistributionSpec(_Model):
    """An input distribution: ``uniform`` (low, high), ``triangular`` (low, mode, high),
    ``lognormal`` (median, sigma of the natural log) or ``normal`` (mean, standard deviation)."""

    kind: Literal["uniform", "triangular", "lognormal", "normal"] = Field(
        description="uniform | triangular | lognormal | normal"
    )
    params: list[float] = Field(
        min_length=2,
        max_length=3,
        description="uniform: low, high; triangular: low, mode, high; lognormal: median, sigma "
        "of ln; normal: mean, sd",
    )

    @model_validator(mode="after")
    def _params_fit(self) -> DistributionSpec:
        p = self.params
        need = DISTRIBUTIONS[self.kind]
        names = {
            "uniform": "low, high",
            "triangular": "low, mode, high",
            "lognormal": "median, sigma",
            "normal": "mean, sd",
        }[self.kind]
        if len(p) != need:
            raise _sub_error("params", f"{self.kind} takes {need} parameters ({names}); got {p}")
        bad = (
            (self.kind == "uniform" and not p[0] < p[1])
            or (self.kind == "triangular" and not (p[0] <= p[1] <= p[2] and p[0] < p[2]))
            or (self.kind == "lognormal" and not (p[0] > 0.0 and p[1] > 0.0))
            or (self.kind == "normal" and not p[1] > 0.0)
        )
        if bad:
            rule = {
                "uniform": "low < high",
                "triangular": "low <= mode <= high, low < high",
                "lognormal": "median > 0, sigma > 0",
                "normal": "sd > 0",
            }[self.kind]
            raise _sub_error("params", f"{self.kind} ({names}) needs {rule}; got {p}")
        return self

    @property
    def centre(self) -> tuple[float, ...]:
        """Values a scenario must take: the ends of a bounded distribution, else its median."""
        p = self.params
        return (p[0], p[-1]) if self.kind in ("uniform", "triangular") else (p[0],)

    def ppf(self, u: NDArray[np.float64]) -> NDArray[np.float64]:
        """The inverse CDF at unit samples ``u`` (kept in [1e-12, 1 - 1e-12])."""
        from scipy import stats  # scipy.stats is slow to import; only sampled designs need it

        u = np.clip(np.asarray(u, dtype=np.float64), _U_EPS, 1.0 - _U_EPS)
        p = self.params
        if self.kind == "uniform":
            return p[0] + u * (p[1] - p[0])
        if self.kind == "triangular":
            c = (p[1] - p[0]) / (p[2] - p[0])
            return np.asarray(stats.triang.ppf(u, c, loc=p[0], scale=p[2] - p[0]))
        z = np.asarray(stats.norm.ppf(u))
        if self.kind == "lognormal":
            return p[0] * np.exp(p[1] * z)
        return p[0] + p[1] * z

    def draw(self, rng: np.random.Generator, n: int) -> NDArray[np.float64]:
        """``n`` draws from ``rng`` (as :class:`skydc.economics.sensitivity.Distribution`)."""
        p = self.params
        if self.kind == "uniform":
            return rng.uniform(p[0], p[1], n)
        if self.kind == "triangular":
            return rng.triangular(p[0], p[1], p[2], n)
        if self.kind == "lognormal":
            return rng.lognormal(math.log(p[0]), p[1], n)
        return rng.normal(p[0], p[1], n)


class VarySpec(_Model):
    """One varied scenario field: a range (``low``, ``high``; ``steps`` on a grid; ``scale``),
    a list of ``values`` (grid only) or a ``distribution``: exactly one of the three."""

    path: str = Field(
        min_length=1,
        max_length=1000,
        description="scenario field as --set writes it: economics.wacc, shells[0].altitude_km",
    )
    low: float | None = Field(default=None, description="low end of the range (with high)")
    high: float | None = Field(default=None, description="high end of the range (with low)")
    steps: int | None = Field(
        default=None, ge=2, description="grid levels from low to high, both ends included"
    )
    scale: Literal["linear", "log"] | None = Field(
        default=None, description="linear (default) or log: log-spaced levels, log-uniform draws"
    )
    values: list[Scalar] | None = Field(
        default=None, min_length=1, description="the values to run (a grid's categorical axis)"
    )
    distribution: DistributionSpec | None = Field(
        default=None, description="sampled input: uniform, triangular, lognormal or normal"
    )

    @field_validator("path")
    @classmethod
    def _known_path(cls, v: str) -> str:
        v = v.strip()
        try:
            _resolve(v)
        except ValueError as exc:
            raise ValueError(str(exc)) from None
        return v

    @model_validator(mode="after")
    def _one_form(self) -> VarySpec:
        given = [
            name
            for name, on in (
                ("low/high", self.low is not None or self.high is not None),
                ("values", self.values is not None),
                ("distribution", self.distribution is not None),
            )
            if on
        ]
        if len(given) != 1:
            got = " and ".join(given) if given else "none"
            raise _sub_error(
                "", f"give exactly one of low/high (a range), values or distribution; got {got}"
            )
        if self.form != "range" and (self.steps is not None or self.scale is not None):
            raise _sub_error(
                "steps" if self.steps is not None else "scale",
                f"steps and scale go with a range (low, high), not with {self.form}",
            )
        leaf = _resolve(self.path)
        if self.form == "range":
            self._check_range(leaf)
        elif self.form == "values":
            self._check_values(leaf)
        else:
            self._check_distribution(leaf)
        return self

    def _check_range(self, leaf: _Leaf) -> None:
        if self.low is None or self.high is None:
            raise _sub_error("high" if self.high is None else "low", "a range needs low and high")
        if not leaf.numeric:
            raise _sub_error("low", f"{self.path} is not a number field ({_kind_words(leaf)})")
        if not self.low < self.high:
            raise _sub_error("high", f"high must be > low ({self.low:g}); got {self.high:g}")
        if self.scale == "log" and not self.low > 0.0:
            raise _sub_error("low", f"a log scale needs low > 0; got {self.low:g}")
        for end in ("low", "high"):
            value = _cast(leaf, getattr(self, end))
            problem = _value_problem(leaf, value)
            if problem:
                raise _sub_error(end, f"{self.path}: {problem}")
        if leaf.kind == "int" and self.steps is not None:
            levels = self.levels()
            if len(set(levels)) != len(levels):
                span = round(self.high) - round(self.low) + 1
                raise _sub_error(
                    "steps",
                    f"{self.path} takes whole numbers: {self.steps} steps from {self.low:g} to "
                    f"{self.high:g} repeat levels once rounded (at most {span} distinct)",
                )

    def _check_values(self, leaf: _Leaf) -> None:
        assert self.values is not None
        seen: list[Any] = []
        for i, raw in enumerate(self.values):
            try:
                value = _cast(leaf, raw, round_ok=False)
            except ValueError as exc:
                raise _sub_error(f"values[{i}]", str(exc)) from None
            problem = _value_problem(leaf, value)
            if problem:
                raise _sub_error(f"values[{i}]", f"{self.path}: {problem}")
            if any(type(value) is type(s) and value == s for s in seen):
                raise _sub_error(f"values[{i}]", f"{value!r} is listed twice")
            seen.append(value)

    def _check_distribution(self, leaf: _Leaf) -> None:
        assert self.distribution is not None
        if not leaf.numeric:
            raise _sub_error(
                "distribution", f"{self.path} is not a number field ({_kind_words(leaf)})"
            )
        for value in self.distribution.centre:
            cast = _cast(leaf, value)
            problem = _value_problem(leaf, cast)
            if problem:
                raise _sub_error("distribution.params", f"{self.path}: {problem}")

    @property
    def form(self) -> Literal["range", "values", "distribution"]:
        """Which of the three forms this input takes."""
        if self.values is not None:
            return "values"
        if self.distribution is not None:
            return "distribution"
        return "range"

    @property
    def log(self) -> bool:
        """Whether the range is on a log scale."""
        return self.scale == "log"

    def levels(self) -> tuple[Any, ...]:
        """The grid levels, cast to the field's type: ``values`` as listed, or ``steps`` levels
        from ``low`` to ``high`` inclusive (log-spaced on a log scale).

        Raises
        ------
        ValueError
            The input is a distribution, or a range without ``steps``.
        """
        leaf = _resolve(self.path)
        if self.values is not None:
            return tuple(_cast(leaf, v, round_ok=False) for v in self.values)
        if self.low is None or self.high is None or self.steps is None:
            raise ValueError(f"{self.path}: a grid needs values or low, high and steps")
        space = np.geomspace if self.log else np.linspace
        return tuple(_cast(leaf, float(v)) for v in space(self.low, self.high, self.steps))

    def from_unit(self, u: NDArray[np.float64]) -> NDArray[np.float64]:
        """Map unit samples ``u`` to this input: linearly (log-linearly) onto the range, or by
        the distribution's inverse CDF."""
        if self.distribution is not None:
            return self.distribution.ppf(u)
        assert self.low is not None and self.high is not None
        if self.log:
            lo, hi = math.log(self.low), math.log(self.high)
            return np.exp(lo + np.asarray(u) * (hi - lo))
        return self.low + np.asarray(u) * (self.high - self.low)

    def draw(self, rng: np.random.Generator, n: int) -> NDArray[np.float64]:
        """``n`` Monte Carlo draws: the distribution's, or uniform (log-uniform) on the range."""
        if self.distribution is not None:
            return self.distribution.draw(rng, n)
        assert self.low is not None and self.high is not None
        if self.log:
            return np.exp(rng.uniform(math.log(self.low), math.log(self.high), n))
        return rng.uniform(self.low, self.high, n)


def _kind_words(leaf: _Leaf) -> str:
    if leaf.kind == "choice":
        return "one of " + ", ".join(repr(c) for c in leaf.choices) + ": list them as values"
    return {"bool": "a flag: values = [true, false]", "str": "text: list its values"}.get(
        leaf.kind, leaf.kind
    )


def _metric_problem(key: str) -> str:
    """Why ``key`` is no metric skydc writes ("" if it is one)."""
    from skydc import schema  # stdlib-only module: no import cycle

    if schema.lookup(key) is not None:
        return ""
    known = [m.key for m in schema.metrics() if "*" not in m.key]
    close = difflib.get_close_matches(key, known, n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return f"unknown metric {key!r} (docs/metrics.md lists every metric){hint}"


def _known_metric(v: str) -> str:
    """A metric path declared in the schema (``ValueError`` saying what is allowed)."""
    problem = _metric_problem(v)
    if problem:
        raise ValueError(problem)
    return v


class Objective(_Model):
    """A metric to minimise or maximise (the Pareto front is over all objectives)."""

    metric: str = Field(min_length=1, description="metric path, e.g. cost.ratio_space_to_ground")
    sense: Literal["min", "max"] = Field(default="min", description="min or max")

    _known_metric = field_validator("metric")(classmethod(lambda cls, v: _known_metric(v)))


class Breakeven(_Model):
    """A break-even curve: where ``metric`` crosses ``level`` on the grid of two varied ranges."""

    x: str = Field(min_length=1, description="varied path on the x axis (a range)")
    y: str = Field(min_length=1, description="varied path on the y axis (a range)")
    metric: str = Field(min_length=1, description="metric whose level is traced")
    level: float = Field(default=1.0, description="the level traced (1: space costs as ground)")

    _known_metric = field_validator("metric")(classmethod(lambda cls, v: _known_metric(v)))


class Study(_Model):
    """A trade study: the scenario fields it varies, the design that picks the points, what each
    point runs and keeps."""

    name: str = Field(
        min_length=1, max_length=100, pattern=NAME_PATTERN,
        description="letters, digits, '.', '_', '-'; names the study's results",
    )  # fmt: skip
    description: str = Field(default="", max_length=10_000, description="free text")
    design: Literal["grid", "lhs", "sobol", "monte-carlo"] = Field(
        default="grid", description="grid | lhs | sobol | monte-carlo"
    )
    samples: int = Field(
        default=64, ge=1, le=MAX_POINTS,
        description="lhs, monte-carlo: points; sobol: base samples N, a power of two "
        "(N*(D+2) points); unused by grid",
    )  # fmt: skip
    seed: int = Field(default=0, ge=0, description="seed of lhs, sobol and monte-carlo samples")
    stages: list[str] = Field(
        default=["cost"], min_length=1, description="pipeline stages each point runs"
    )
    keep: list[str] = Field(
        default=[], description="metrics kept per point (empty: the runner's headline metrics)"
    )
    objectives: list[Objective] = Field(default=[], description="metrics for the Pareto front")
    breakeven: Breakeven | None = Field(default=None, description="a break-even curve to trace")
    vary: list[VarySpec] = Field(min_length=1, description="the varied scenario fields")

    @field_validator("stages")
    @classmethod
    def _stage_names(cls, v: list[str]) -> list[str]:
        for name in v:
            if not re.fullmatch(r"[a-z][a-z0-9_-]*", name):
                raise ValueError(f"a stage is a lowercase name like 'cost'; got {name!r}")
        if len(set(v)) != len(v):
            raise ValueError(f"stages are listed once each; got {v}")
        return v

    @field_validator("keep")
    @classmethod
    def _known_metrics(cls, v: list[str]) -> list[str]:
        for key in v:
            problem = _metric_problem(key)
            if problem:
                raise ValueError(problem)
        if len(set(v)) != len(v):
            raise ValueError("each metric is kept once")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Study:
        seen: dict[str, int] = {}
        for i, spec in enumerate(self.vary):
            if spec.path in seen:
                raise _sub_error(
                    f"vary[{i}].path", f"{spec.path} is varied twice (also vary[{seen[spec.path]}])"
                )
            seen[spec.path] = i
            self._check_form(i, spec)
        if self.design == "sobol" and self.samples & (self.samples - 1):
            lo = 1 << (self.samples.bit_length() - 1)
            raise _sub_error(
                "samples",
                f"sobol needs samples N to be a power of two (the balance of Sobol' points); "
                f"got {self.samples}: use {lo} or {2 * lo}",
            )
        n = self.n_points
        if n > MAX_POINTS:
            how = (
                " x ".join(str(len(s.levels())) for s in self.vary)
                if self.design == "grid"
                else f"samples = {self.samples}"
            )
            raise _sub_error(
                "vary" if self.design == "grid" else "samples",
                f"the {self.design} design has {n:,} points ({how}); at most {MAX_POINTS:,}: "
                + (
                    "use fewer steps or a sampled design (lhs, sobol)"
                    if self.design == "grid"
                    else "use fewer samples"
                ),
            )
        metrics = [o.metric for o in self.objectives]
        for i, metric in enumerate(metrics):
            if metric in metrics[:i]:
                raise _sub_error(f"objectives[{i}].metric", f"{metric} is an objective twice")
        if self.breakeven is not None:
            self._check_breakeven(self.breakeven, seen)
        return self

    def _check_form(self, i: int, spec: VarySpec) -> None:
        design = self.design
        if design == "grid":
            if spec.form == "distribution":
                raise _sub_error(
                    f"vary[{i}].distribution",
                    "a grid takes ranges (low, high, steps) or values; distributions are for "
                    'design = "monte-carlo", "lhs" or "sobol"',
                )
            if spec.form == "range" and spec.steps is None:
                raise _sub_error(
                    f"vary[{i}].steps",
                    "a grid needs steps: the levels from low to high, both ends included",
                )
            return
        if spec.form == "values":
            raise _sub_error(
                f"vary[{i}].values",
                f'categorical values need design = "grid"; {design} samples continuous '
                f"ranges and distributions (run one {design} study per value instead)",
            )
        if spec.steps is not None:
            raise _sub_error(
                f"vary[{i}].steps", f"steps is for a grid; {design} draws samples points"
            )

    def _check_breakeven(self, be: Breakeven, seen: dict[str, int]) -> None:
        if self.design != "grid":
            raise _sub_error("breakeven", 'a break-even curve is traced on design = "grid"')
        for axis in ("x", "y"):
            path = getattr(be, axis)
            if path not in seen:
                raise _sub_error(
                    f"breakeven.{axis}",
                    f"{path} is not varied; varied: {', '.join(seen)}",
                )
            spec = self.vary[seen[path]]
            if spec.form != "range":
                raise _sub_error(
                    f"breakeven.{axis}", f"{path} must be a range (low, high, steps), not values"
                )
        if be.x == be.y:
            raise _sub_error("breakeven.y", "x and y must be two different varied paths")

    @property
    def paths(self) -> tuple[str, ...]:
        """The varied paths, in file order."""
        return tuple(s.path for s in self.vary)

    @property
    def n_points(self) -> int:
        """How many points the design runs (grid: the product of the levels; sobol:
        ``samples * (D + 2)``; lhs and monte-carlo: ``samples``)."""
        if self.design == "grid":
            return math.prod(len(s.values) if s.values else s.steps or 0 for s in self.vary)
        if self.design == "sobol":
            return self.samples * (len(self.vary) + 2)
        return self.samples

    @property
    def metrics(self) -> tuple[str, ...]:
        """Every metric the study names (keep, objectives, break-even), each once, in order."""
        out: list[str] = []
        names = [*self.keep, *(o.metric for o in self.objectives)]
        if self.breakeven is not None:
            names.append(self.breakeven.metric)
        for key in names:
            if key not in out:
                out.append(key)
        return tuple(out)


class StudyFile(_Model):
    """A study file: one ``[study]`` table."""

    study: Study


# --- reading --------------------------------------------------------------------------------------


def _format_loc(loc: Iterable[str | int]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def _first_error(exc: ValidationError, root: type[BaseModel]) -> tuple[str, list[str | int]]:
    """(message, loc) of the first problem, loc extended by a ``study_field`` error's key."""
    errors = exc.errors(include_url=False)
    err: dict[str, Any] = dict(errors[0])
    loc: list[str | int] = list(err["loc"])
    if err["type"] == "study_field":
        sub = str(err["ctx"]["sub"])
        if sub:
            loc += [int(p[:-1]) if p.endswith("]") else p for p in re.split(r"\.|\[", sub)]
        message = str(err["ctx"]["message"])
    else:
        message = _loader_message(err, root)
    if len(errors) > 1:
        n = len(errors) - 1
        message += f" (and {n} more problem{'s' if n > 1 else ''})"
    return message, loc


def load_study(path: str | Path) -> Study:
    """Read and validate a study file (TOML with one ``[study]`` table).

    Raises
    ------
    ScenarioError
        Not found, not UTF-8, not TOML, an unknown key, a bad value, a path the scenario loader
        refuses: one message with the file and the study field (``study.vary[3].path``).
    """
    file = Path(path)
    shown = str(path)
    try:
        if file.stat().st_size > MAX_STUDY_BYTES:
            raise ScenarioError(
                f"the file is {file.stat().st_size / 2**20:,.1f} MiB: a study file is at most "
                f"{MAX_STUDY_BYTES // 2**20} MiB",
                file=shown,
            )
        with file.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ScenarioError("file not found", file=shown) from None
    except IsADirectoryError:
        raise ScenarioError("is a folder, not a study file", file=shown) from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"not UTF-8 text (byte {exc.start}): TOML files are UTF-8", file=shown
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"not valid TOML: {exc}", file=shown) from None
    except RecursionError:
        raise ScenarioError("nested too deeply", file=shown) from None
    try:
        return StudyFile.model_validate(data).study
    except ValidationError as exc:
        message, loc = _first_error(exc, StudyFile)
        raise ScenarioError(message, file=shown, field=_format_loc(loc) or None) from None


_FORMS = (
    "PATH=LO:HI:N (grid, N levels), PATH=LO:HI:N:log, PATH=LO:HI (a range for lhs, sobol, "
    "monte-carlo), PATH=LO:HI:log, PATH=A,B,C (values)"
)
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_INT = re.compile(r"[+-]?\d+")


def _split_assignment(text: str) -> tuple[str, str]:
    """``PATH=REST`` split at the first ``=`` outside a quoted key."""
    quoted = False
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif ch == "=" and not quoted:
            return text[:i].strip(), text[i + 1 :].strip()
    raise ValueError("no '=' between the path and the values")


def _number(token: str) -> float:
    if not _NUMBER.fullmatch(token):
        raise ValueError(f"{token!r} is not a number")
    return float(token)


def _item(token: str, kind: str) -> Any:
    """A listed value read for a field of ``kind``: text stays text for text fields; numbers
    are numbers (``3`` an int, ``3.0`` a float), ``true``/``false`` flags, else text."""
    if kind in ("str", "choice"):
        return token
    if token in ("true", "false"):
        return token == "true"
    if _INT.fullmatch(token):
        return int(token)
    if _NUMBER.fullmatch(token):
        return float(token)
    return token


def parse_vary(text: str) -> VarySpec:
    """One ``--vary`` option: ``path=lo:hi:n`` (a linear grid of n levels), ``path=lo:hi:n:log``
    (log-spaced), ``path=lo:hi`` or ``path=lo:hi:log`` (a range for lhs, sobol and monte-carlo),
    ``path=a,b,c`` (values: numbers are read as numbers, ``true``/``false`` as flags, anything
    else, and everything for a text field, as text).

    Raises
    ------
    ValueError
        With ``text`` and the allowed forms, or what the scenario field refuses.
    """
    try:
        path, rest = _split_assignment(text)
        if not path or not rest:
            raise ValueError("a path and values are both needed")
        try:
            leaf = _resolve(path)
        except ValueError as exc:
            raise ValueError(str(exc)) from None
        data: dict[str, Any] = {"path": path}
        if "," in rest or ":" not in rest:
            tokens = [t.strip() for t in rest.split(",")]
            if any(not t for t in tokens):
                raise ValueError("an empty value in the list")
            data["values"] = [_item(t, leaf.kind) for t in tokens]
        else:
            pieces = [p.strip() for p in rest.split(":")]
            scale = None
            if pieces[-1].lower() in ("log", "linear"):
                scale = pieces.pop().lower()
            if len(pieces) not in (2, 3):
                raise ValueError("a range is LO:HI or LO:HI:N, optionally followed by :log")
            data["low"], data["high"] = _number(pieces[0]), _number(pieces[1])
            if len(pieces) == 3:
                if not _INT.fullmatch(pieces[2]):
                    raise ValueError(f"N (levels) must be a whole number; got {pieces[2]!r}")
                data["steps"] = int(pieces[2])
            if scale is not None:
                data["scale"] = scale
        try:
            return VarySpec.model_validate(data)
        except ValidationError as exc:
            message, loc = _first_error(exc, VarySpec)
            where = _format_loc(loc)
            raise ValueError(f"{where}: {message}" if where else message) from None
    except ValueError as exc:
        raise ValueError(f"cannot read --vary {text!r}: {exc}; allowed forms: {_FORMS}") from None


def study_from_cli(
    varies: Sequence[str],
    design: str = "grid",
    samples: int = 64,
    seed: int = 0,
    stages: Sequence[str] | None = None,
    keep: Sequence[str] | None = None,
    *,
    name: str = "sweep",
) -> Study:
    """A study from command-line options (``--vary`` strings, see :func:`parse_vary`).

    Raises
    ------
    ScenarioError
        With the offending option as the field (``--vary 'x=1:2'``, ``--samples``).
    """
    specs = []
    for text in varies:
        try:
            specs.append(parse_vary(text).model_dump(exclude_none=True))
        except ValueError as exc:
            raise ScenarioError(str(exc), field="--vary") from None
    data: dict[str, Any] = {
        "name": name,
        "design": design,
        "samples": samples,
        "seed": seed,
        "vary": specs,
    }
    if stages is not None:
        data["stages"] = list(stages)
    if keep is not None:
        data["keep"] = list(keep)
    try:
        return Study.model_validate(data)
    except ValidationError as exc:
        message, loc = _first_error(exc, Study)
        if loc and loc[0] == "vary" and len(loc) > 1 and isinstance(loc[1], int):
            option = f"--vary {varies[loc[1]]!r}" + (
                f" ({_format_loc(loc[2:])})" if len(loc) > 2 else ""
            )
        elif loc:
            option = f"--{loc[0]}"
        else:
            option = None
        raise ScenarioError(message, field=option) from None


def check_against_scenario(
    study: Study, scenario: str | Path | None = None, *, file: str | None = None
) -> None:
    """Load ``scenario`` (a file or bundled example; ``None``: the default example) with each
    varied field at its extremes (range ends, every listed value, a distribution's ends or
    median), so a value the scenario refuses is reported before any point runs.

    Raises
    ------
    ScenarioError
        The loader's message, for ``file`` (the study file) and the study field
        (``study.vary[2].high``).
    """
    from skydc.scenario.load import load_scenario

    for i, spec in enumerate(study.vary):
        trials: list[tuple[str, Any]]
        if spec.form == "values":
            trials = [(f"values[{j}]", v) for j, v in enumerate(spec.levels())]
        elif spec.form == "range":
            trials = [("low", spec.low), ("high", spec.high)]
        else:
            assert spec.distribution is not None
            trials = [("distribution.params", v) for v in spec.distribution.centre]
        for key, raw in trials:
            value = cast_for_path(spec.path, raw)
            try:
                load_scenario(scenario, {spec.path: value})
            except ScenarioError as exc:
                where = f" at {exc.field}" if exc.field and exc.field != spec.path else ""
                raise ScenarioError(
                    f"{spec.path} = {value!r} is refused by scenario {exc.file or scenario}"
                    f"{where}: {exc.message}",
                    file=file,
                    field=f"study.vary[{i}].{key}",
                ) from None


# --- points ---------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class DesignPoints:
    """The points of a study design.

    ``inputs`` holds one mapping ``path -> value`` per point (values cast to the field's type).
    A grid is in C order: the first varied path changes slowest, the last fastest, so
    ``np.reshape(y, points.shape)`` puts results on the grid. ``sample`` is the raw sample
    matrix (points x inputs) in sampling space: unit-cube for lhs, the SALib matrix for sobol
    (bounds of ``problem``: the range, its natural log for a log scale, [0, 1] for a
    distribution), the draws for monte-carlo; ``None`` for a grid.
    """

    kind: str
    paths: tuple[str, ...]
    inputs: list[dict[str, Any]]
    seed: int = 0
    levels: dict[str, tuple[Any, ...]] | None = None
    problem: dict[str, Any] | None = None
    sample: NDArray[np.float64] | None = None
    scales: dict[str, str] = field(default_factory=dict)  # linear | log | values | <distribution>

    def __len__(self) -> int:
        return len(self.inputs)

    @property
    def shape(self) -> tuple[int, ...] | None:
        """The grid's shape (levels per path, in path order); ``None`` for sampled designs."""
        if self.levels is None:
            return None
        return tuple(len(self.levels[p]) for p in self.paths)

    def column(self, path: str) -> NDArray[Any]:
        """The values of input ``path`` over the points: float64 if they are all numbers (not
        flags), else an object array."""
        if path not in self.paths:
            raise KeyError(f"{path!r} is not varied; varied: {', '.join(self.paths)}")
        values = [p[path] for p in self.inputs]
        if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            return np.asarray(values, dtype=np.float64)
        return np.asarray(values, dtype=object)


def _rows(
    specs: Sequence[VarySpec], columns: Sequence[NDArray[np.float64]]
) -> list[dict[str, Any]]:
    leaves = [_resolve(s.path) for s in specs]
    lists = [
        [_cast(leaf, v) for v in col.tolist()] for leaf, col in zip(leaves, columns, strict=True)
    ]
    return [
        {s.path: lst[k] for s, lst in zip(specs, lists, strict=True)}
        for k in range(len(lists[0]) if lists else 0)
    ]


def design_points(study: Study) -> DesignPoints:
    """The points of ``study``'s design, in a deterministic order.

    - ``grid``: the Cartesian product of each input's levels (:meth:`VarySpec.levels`), C order.
    - ``lhs``: ``scipy.stats.qmc.LatinHypercube(d, seed=seed)``, ``samples`` points, each column
      mapped from the unit interval onto its range (log-uniformly on a log scale) or through the
      distribution's inverse CDF.
    - ``sobol``: Saltelli's scheme, ``SALib.sample.sobol.sample(problem, N,
      calc_second_order=False, seed=seed)``: ``N * (D + 2)`` points, mapped as for lhs.
    - ``monte-carlo``: ``numpy.random.Generator(PCG64(seed))``, ``samples`` draws per input, the
      inputs drawn in sorted path order (uniform, log-uniform, or the distribution).
    """
    specs = list(study.vary)
    paths = tuple(s.path for s in specs)
    scales = {
        s.path: (s.distribution.kind if s.distribution else s.scale or "linear")
        if s.form != "values"
        else "values"
        for s in specs
    }
    d = len(specs)
    if study.n_points > MAX_POINTS:  # pragma: no cover  (Study refuses it already)
        raise ValueError(f"{study.n_points:,} points: at most {MAX_POINTS:,}")
    if study.design == "grid":
        levels = {s.path: s.levels() for s in specs}
        inputs = [
            dict(zip(paths, combo, strict=True))
            for combo in itertools.product(*(levels[p] for p in paths))
        ]
        return DesignPoints("grid", paths, inputs, study.seed, levels=levels, scales=scales)
    if study.design == "lhs":
        from scipy.stats import qmc

        unit = qmc.LatinHypercube(d, seed=study.seed).random(study.samples)
        cols = [spec.from_unit(unit[:, j]) for j, spec in enumerate(specs)]
        return DesignPoints(
            "lhs", paths, _rows(specs, cols), study.seed, sample=unit, scales=scales
        )
    if study.design == "sobol":
        from SALib.sample import sobol

        bounds: list[list[float]] = []
        for s in specs:
            if s.distribution is not None:
                bounds.append([0.0, 1.0])
                continue
            assert s.low is not None and s.high is not None
            if s.log:
                bounds.append([math.log(s.low), math.log(s.high)])
            else:
                bounds.append([s.low, s.high])
        problem: dict[str, Any] = {"num_vars": d, "names": list(paths), "bounds": bounds}
        raw = np.asarray(
            sobol.sample(problem, study.samples, calc_second_order=False, seed=study.seed),
            dtype=np.float64,
        )
        cols = []
        for j, s in enumerate(specs):
            if s.distribution is not None:
                cols.append(s.distribution.ppf(raw[:, j]))
            elif s.log:
                cols.append(np.exp(raw[:, j]))
            else:
                cols.append(raw[:, j])
        return DesignPoints(
            "sobol",
            paths,
            _rows(specs, cols),
            study.seed,
            problem=problem,
            sample=raw,
            scales=scales,
        )
    rng = np.random.Generator(np.random.PCG64(study.seed))
    by_path = {s.path: s for s in specs}
    draws = {p: by_path[p].draw(rng, study.samples) for p in sorted(paths)}
    cols = [draws[p] for p in paths]
    matrix = np.column_stack(cols) if cols else np.empty((study.samples, 0))
    return DesignPoints(
        "monte-carlo", paths, _rows(specs, cols), study.seed, sample=matrix, scales=scales
    )
