"""``skydc optimize``: a Pareto set of designs found by NSGA-II (pymoo) on the study machinery.

The decision variables are the study's numeric ranges (``[[study.vary]]`` with ``low``/``high``;
a ``scale = "log"`` range is searched in log space); the objectives are ``study.objectives``
(metric paths, each minimised or maximised). Each generation's population is one batch of points
through :func:`skydc.studies.sweep.run_points`: the same Dask cluster (kept open across
generations), the same results store (every evaluated design is a row; a design evaluated
before, in this run or an earlier one, is read back, not recomputed) and the same shared-stage
grouping. A point that fails, or has no value for an objective, is infeasible for the optimiser
(pymoo's constraint), never a silent zero.

Why pymoo: NSGA-II (Deb et al. 2002, IEEE Trans. Evol. Comput. 6(2), 182-197) with its
non-dominated sorting and crowding distance is what the field's MDAO tools use; writing our own
would add nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from skydc.errors import ScenarioError

__all__ = ["OptimizeResult", "nsga2_front", "optimize_study"]

#: ``evaluate(x) -> (F, feasible)``: objectives to minimise (points x objectives) and a mask
Evaluator = Callable[[NDArray[np.float64]], tuple[NDArray[np.float64], NDArray[np.bool_]]]


def nsga2_front(
    evaluate: Evaluator, lower: NDArray[np.float64], upper: NDArray[np.float64], n_obj: int,
    *, population: int, generations: int, seed: int,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:  # fmt: skip
    """NSGA-II (pymoo) between ``lower`` and ``upper``, each generation's population evaluated
    in one call; returns the decision vectors and objectives (minimised) of the final Pareto set,
    checked non-dominated by :func:`skydc.studies.analysis.pareto_front` (infeasible points are
    pymoo's constraint violations and never on it). ``tests/studies/test_optimize.py`` runs it on
    ZDT1, whose front is known."""
    from pymoo.algorithms.moo.nsga2 import NSGA2
    from pymoo.core.problem import Problem
    from pymoo.optimize import minimize

    from skydc.studies.analysis import pareto_front

    class _Problem(Problem):
        def _evaluate(self, x: NDArray[np.float64], out: dict[str, Any], *a: Any,
                      **k: Any) -> None:  # fmt: skip
            f, ok = evaluate(np.atleast_2d(x))
            f = np.where(ok[:, None] & np.isfinite(f), f, 1e300)
            out["F"] = f
            out["G"] = np.where(ok, -1.0, 1.0)[:, None]

    problem = _Problem(n_var=len(lower), n_obj=n_obj, n_ieq_constr=1, xl=lower, xu=upper)
    res = minimize(problem, NSGA2(pop_size=population), ("n_gen", generations), seed=seed,
                   verbose=False)  # fmt: skip
    if res.X is None or res.F is None:
        return np.zeros((0, len(lower))), np.zeros((0, n_obj))
    x, f = np.atleast_2d(res.X), np.atleast_2d(res.F)
    keep = pareto_front(f, ["min"] * n_obj) & np.all(f < 1e300, axis=1)
    return x[keep], f[keep]


@dataclass
class OptimizeResult:
    """The Pareto set found and what it took."""

    front_inputs: list[dict[str, Any]]
    front_objectives: NDArray[np.float64]
    evaluations: int
    computed: int
    generations: int
    objectives: list[dict[str, str]] = field(default_factory=list)


def _variables(study: Any) -> list[tuple[str, float, float, bool]]:
    out = []
    for k, v in enumerate(study.vary):
        low, high = getattr(v, "low", None), getattr(v, "high", None)
        if low is None or high is None:
            raise ScenarioError(
                "optimize searches numeric ranges only: give low and high (a list or a "
                "distribution cannot be searched)",
                field=f"study.vary[{k}]",
            )
        log = getattr(v, "scale", "linear") == "log"
        out.append((v.path, math.log(low) if log else low, math.log(high) if log else high, log))
    return out


def optimize_study(
    base: str | Path | None,
    study: Any,
    out_dir: str | Path,
    *,
    base_overrides: Mapping[str, Any] | None = None,
    population: int = 16,
    generations: int = 8,
    seed: int = 0,
    scheduler: str | None = None,
    workers: int | None = None,
    overwrite: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> OptimizeResult:
    """NSGA-II over the study's numeric ranges toward its objectives (module docstring)."""
    from skydc.studies.store import ResultsStore
    from skydc.studies.sweep import (
        dask_client,
        default_keep,
        local_workers,
        resolve_points,
        run_points,
    )

    if not study.objectives:
        raise ScenarioError(
            "optimize needs objectives: objectives = [{metric = \"...\", sense = \"min\"}]",
            field="study.objectives",
        )
    variables = _variables(study)
    objectives = [(o.metric, o.sense) for o in study.objectives]
    stages = list(study.stages)
    keep = list(dict.fromkeys([*study.keep, *(m for m, _ in objectives)])) or default_keep(stages)
    overrides = dict(base_overrides or {})
    store = ResultsStore(Path(out_dir))
    store.open(
        {
            "name": study.name, "design": "nsga2", "varied": [v[0] for v in variables],
            "stages": stages, "keep": keep,
            "scenario": str(base) if base is not None else "dawn-dusk-40mw",
            "base_overrides": {k: overrides[k] for k in sorted(overrides)},
            "points_total": population * generations,
            "objectives": [{"metric": m, "sense": s} for m, s in objectives],
        },
        overwrite=overwrite,
    )  # fmt: skip
    sign = np.array([1.0 if s == "min" else -1.0 for _, s in objectives])
    counter = {"index": 0, "evaluations": 0, "computed": 0}
    n_local = local_workers(base, overrides, stages, workers)

    def decode(x: NDArray[np.float64]) -> dict[str, Any]:
        from skydc.studies.design import cast_for_path

        out = {}
        for (path, _lo, _hi, log), value in zip(variables, x, strict=True):
            v = math.exp(float(value)) if log else float(value)
            out[path] = cast_for_path(path, v)
        return out

    with dask_client(scheduler, n_local) as (client, _n):

        def evaluate(x: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
            inputs = [decode(row) for row in x]
            points = resolve_points(base, overrides, inputs, stages, keep)
            points = [
                type(p)(counter["index"] + i, p.inputs, p.key, p.group, p.error)
                for i, p in enumerate(points)
            ]
            counter["index"] += len(points)
            run = run_points(base, overrides, points, stages, keep, store, client=client)
            counter["evaluations"] += len(points)
            counter["computed"] += run.computed
            by_key = {r["key"]: r for r in store.table().to_pylist()}
            f = np.full((len(points), len(objectives)), np.inf)
            ok = np.zeros(len(points), dtype=bool)
            for i, p in enumerate(points):
                row = by_key.get(p.key, {})
                vals = [row.get(m) for m, _ in objectives]
                if row.get("status") == "ok" and all(
                    isinstance(v, int | float) and math.isfinite(v) for v in vals
                ):
                    f[i] = sign * np.array(vals, dtype=float)
                    ok[i] = True
            if progress is not None:
                progress(counter["evaluations"], population * generations)
            return f, ok

        x_front, f_min = nsga2_front(
            evaluate, np.array([v[1] for v in variables]), np.array([v[2] for v in variables]),
            len(objectives), population=population, generations=generations, seed=seed,
        )  # fmt: skip
    f_front = f_min * sign
    return OptimizeResult(
        front_inputs=[decode(x) for x in x_front],
        front_objectives=np.asarray(f_front, dtype=np.float64),
        evaluations=counter["evaluations"],
        computed=counter["computed"],
        generations=generations,
        objectives=[{"metric": m, "sense": s} for m, s in objectives],
    )
