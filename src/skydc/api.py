"""The Python API: the CLI's verbs as functions, each a selection of pipeline stages.

>>> import skydc
>>> loaded = skydc.load_scenario("starlink-shell1", {"duration_s": 600})
>>> result = skydc.run(loaded)
>>> result.metrics["constellation"]["satellites"]
1584
>>> result["sizing"].satellites["starlink-550"].radiator_area_m2  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skydc.pipeline.base import ProgressCallback
from skydc.pipeline.registry import BY_NAME
from skydc.pipeline.result import Result
from skydc.pipeline.runner import StageCache, check_scenario, execute
from skydc.pipeline.runner import validate as _validate
from skydc.scenario.load import LoadedScenario, Overrides, list_examples
from skydc.scenario.load import load_scenario as _read_scenario
from skydc.scenario.models import Scenario

if TYPE_CHECKING:
    import pyarrow as pa

ScenarioRef = str | Path | Scenario | LoadedScenario | None
STAGES = tuple(BY_NAME)  # the stage names ``run(..., stages=...)`` accepts


def load_scenario(ref: str | Path | None = None, overrides: Overrides = ()) -> LoadedScenario:
    """Load a scenario file or bundled example, apply overrides, and check it.

    ``overrides`` are ``PATH=VALUE`` strings (``["shells[0].altitude_km=800"]``) or a mapping
    (``{"shells[0].altitude_km": 800}``), validated like the file. Every check of every stage
    that needs no heavy work runs here (TLE/OMM and station files, presets and their overrides,
    workloads, uncertainty tables); :func:`validate` also sizes the design.
    """
    loaded = _read_scenario(ref, overrides)
    check_scenario(loaded)
    return loaded


def _as_loaded(scenario: ScenarioRef, overrides: Overrides) -> LoadedScenario:
    if isinstance(scenario, LoadedScenario | Scenario):
        if overrides:
            raise ValueError("apply overrides when loading: load_scenario(ref, overrides)")
        if isinstance(scenario, Scenario):
            return LoadedScenario(scenario=scenario, source="<python>", base_dir=Path.cwd())
        return scenario
    return load_scenario(scenario, overrides)


def validate(scenario: ScenarioRef = None, overrides: Overrides = ()) -> Result:
    """Every check a run makes before its heavy work, and the cheap stages (constellation,
    eclipse seasons, sizing, cost): a scenario that validates does not fail later on its input.
    """
    return _validate(_as_loaded(scenario, overrides))


def run(
    scenario: ScenarioRef = None,
    overrides: Overrides = (),
    *,
    output_dir: str | Path | None = None,
    overwrite: bool = False,
    export: Sequence[str] = (),
    stages: Sequence[str] | None = None,
    progress: ProgressCallback | None = None,
    cache: StageCache | None = None,
    keep: Sequence[str] | None = None,
) -> Result:
    """Run a scenario: every stage it enables (or just ``stages`` and what they require).

    Parameters
    ----------
    scenario
        A scenario file, a bundled example name, a loaded scenario, or ``None`` (the default).
    overrides
        ``PATH=VALUE`` strings or a mapping, validated like the file (with a file or name).
    output_dir
        Write the run folder here (``scenario.toml``, ``metrics.json``, Parquet tables,
        ``report.html``), atomically; ``None`` writes nothing. ``overwrite`` replaces an
        existing run folder (it stays intact until the new one is complete).
    export
        ``"states"`` (``states.parquet``, Earth-fixed, streamed) and/or ``"czml"``.
    stages
        Stage names (see :data:`STAGES`); ``None``: what the scenario enables.
    progress
        Called as ``progress(done, total, stage)``.
    cache
        A :class:`StageCache` shared across runs to reuse stages whose inputs did not change.
    keep
        The metric paths the caller will read (``["cost.delivered.ratio_space_to_ground"]``);
        stages may skip what none of them needs (the cost stage's tornado and Monte Carlo).
        ``None``: everything (a run folder's report needs it all).
    """
    return execute(
        _as_loaded(scenario, overrides), "run", stages=stages, output_dir=output_dir,
        overwrite=overwrite, exports=export, progress=progress, cache=cache, keep=keep,
    )  # fmt: skip


def size(
    scenario: ScenarioRef = None,
    overrides: Overrides = (),
    *,
    output_dir: str | Path | None = None,
    overwrite: bool = False,
    cache: StageCache | None = None,
) -> Result:
    """Size satellites, fleet and launches (constellation, seasons, sizing; no propagation)."""
    return execute(
        _as_loaded(scenario, overrides), "size", output_dir=output_dir, overwrite=overwrite,
        cache=cache,
    )  # fmt: skip


def cost(
    scenario: ScenarioRef = None,
    overrides: Overrides = (),
    *,
    output_dir: str | Path | None = None,
    overwrite: bool = False,
    cache: StageCache | None = None,
) -> Result:
    """Size and cost: space vs ground TCO, break-even launch price, tornado, Monte Carlo."""
    return execute(
        _as_loaded(scenario, overrides), "cost", output_dir=output_dir, overwrite=overwrite,
        cache=cache,
    )  # fmt: skip


def route(
    scenario: ScenarioRef = None,
    overrides: Overrides = (),
    *,
    output_dir: str | Path | None = None,
    overwrite: bool = False,
    export: Sequence[str] = (),
    progress: ProgressCallback | None = None,
) -> Result:
    """Links, ground stations and routes at the sampled instants (the ``network`` verb; named
    ``route`` so that ``skydc.network`` stays the subpackage). ``export=("czml",)`` adds CZML."""
    return execute(
        _as_loaded(scenario, overrides), "network", output_dir=output_dir, overwrite=overwrite,
        exports=export, progress=progress,
    )  # fmt: skip


def simulate(
    scenario: ScenarioRef = None,
    overrides: Overrides = (),
    *,
    output_dir: str | Path | None = None,
    overwrite: bool = False,
    progress: ProgressCallback | None = None,
) -> Result:
    """Run the scenario's AI workloads on the sized constellation: goodput, job times vs a
    ground data center, inference latency, faults, and the same workloads on one node."""
    return execute(
        _as_loaded(scenario, overrides), "simulate", output_dir=output_dir, overwrite=overwrite,
        progress=progress,
    )  # fmt: skip


def sweep(
    scenario: str | Path | None = None,
    points: Mapping[str, Sequence[Any]] | Sequence[Mapping[str, Any]] = (),
    *,
    overrides: Mapping[str, Any] | None = None,
    stages: Sequence[str] = ("cost",),
    keep: Sequence[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> pa.Table:
    """Evaluate many variants of a scenario in this process and return one row per point.

    ``points`` is a table of inputs, columns by scenario path
    (``{"economics.launch_usd_per_kg": np.linspace(100, 3000, 10_000)}``), or a list of
    ``{path: value}`` points, applied over ``overrides``. Points that differ only in what the
    last stage reads (a launch-price or WACC sweep) share one evaluation of the stages before it
    and are costed in one array call; points that re-size share what they can (the
    constellation, the seasons): ``skydc.studies.batch``. Each point is validated like
    ``--set``: one that is refused gets its error, the others go on.

    ``keep``: the metric paths to return (default: the stages' headline metrics); the cost's
    tornado and Monte Carlo are computed only for points that keep one of their metrics.
    Returns a ``pyarrow.Table``: ``index``, the inputs, each kept metric (a number, or the text
    saying why it has none), ``status`` (``ok``/``error``), ``error``, ``wall_s``. For a study
    stored on disk, resumable and run on a cluster, use ``skydc sweep`` (``run_study``).
    """
    import pyarrow as pa

    from skydc.studies.batch import default_keep, evaluate_points

    rows_in: list[dict[str, Any]]
    if isinstance(points, Mapping):
        columns = {k: list(v) for k, v in points.items()}
        lengths = {len(v) for v in columns.values()}
        if len(lengths) > 1:
            raise ValueError(f"every column of points must have the same length; got {lengths}")
        n = lengths.pop() if lengths else 0
        rows_in = [{k: _plain(columns[k][i]) for k in columns} for i in range(n)]
    else:
        rows_in = [{k: _plain(v) for k, v in p.items()} for p in points]
    kept = list(keep) if keep is not None else default_keep(stages)
    rows = evaluate_points(scenario, dict(overrides or {}), rows_in, list(stages), kept,
                           progress=progress)  # fmt: skip
    names = list(dict.fromkeys(["index", *(k for r in rows_in for k in r), *kept, "status",
                                "error", "wall_s"]))  # fmt: skip
    return pa.table({name: pa.array(_cells([r.get(name) for r in rows])) for name in names})


def _plain(value: Any) -> Any:
    """A NumPy scalar as the Python number the scenario loader validates."""
    return value.item() if hasattr(value, "item") and not isinstance(value, str) else value


_PLAIN = (float, int, str, type(None), bool)


def _cells(values: list[Any]) -> list[Any]:
    """A column's cells (:func:`_cell` of each; a column of plain numbers and text as it is)."""
    if all(type(v) in _PLAIN for v in values):
        return values
    return [_cell(v) for v in values]


def _cell(value: Any) -> Any:
    """A kept metric as a table cell: numbers stay numbers; anything else (the text that says
    why a metric has no value, a list) becomes text, so a column has one type."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


__all__ = [
    "STAGES",
    "LoadedScenario",
    "Result",
    "Scenario",
    "StageCache",
    "cost",
    "list_examples",
    "load_scenario",
    "route",
    "run",
    "simulate",
    "size",
    "sweep",
    "validate",
]
