"""A study's points evaluated together where they share their upstream stages.

Most trade studies vary inputs that only the last stage reads: a launch-price or WACC sweep, an
uncertainty draw over the cost inputs. Evaluated point by point, every point would re-run the
constellation, seasons, sizing, downlink and delivery it shares with all the others. Here:

1. the points are grouped by what their upstream stages read: a varied path is *late* when it
   lies in the batch field of a stage that can evaluate many points at once
   (:attr:`skydc.pipeline.base.Stage.run_batch`: the cost stage, over ``economics``) and no
   other selected stage reads it (``Stage.reads``); points that differ only in late paths form
   one group (text-valued late inputs, a region or a workload, split groups too);
2. each group's first point is loaded (validated like ``--set``) and its upstream stages run
   once, through one :class:`~skydc.pipeline.runner.StageCache` for the whole call, so even
   points that re-size share their constellation and seasons;
3. every point's batch section (``economics``) is validated on its own (the same pydantic
   model as the loader: a refused point gets the loader's own message), and the batch stage
   evaluates all of the group's points in one array call (the cost model is vectorised: the
   same code path as its Monte Carlo);
4. the metrics kept are read per point from the arrays; a metric without a value says why
   (``skydc.schema.why_missing``), as in ``metrics.json``.

Where a group cannot be evaluated in one call (a single point, a kept Monte Carlo or tornado
metric, points that differ in the period), its points run one by one through the same cache:
the answer is the same either way (``tests/studies/test_batch.py`` compares them).
"""

from __future__ import annotations

import dataclasses
import json
import math
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError

from skydc.errors import ScenarioError, SkydcError

__all__ = ["default_keep", "evaluate_points", "late_paths", "pick_metric"]

Progress = Callable[[int, int], None]
_ERRORS = (SkydcError, ValueError, ArithmeticError, MemoryError)


def _overlaps(a: str, b: str) -> bool:
    """One dotted path contains the other (``economics`` and ``economics.years``)."""
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def late_paths(stages: Sequence[str], paths: Sequence[str]) -> tuple[Any, list[str]]:
    """The selection's batch stage (or ``None``) and which of ``paths`` only it reads."""
    from skydc.pipeline.registry import resolve

    resolved = resolve(stages)
    batchers = [s for s in resolved if s.run_batch is not None and s.batch_field]
    if not batchers:
        return None, []
    stage = batchers[-1]
    if any(stage.name in (*s.requires, *s.optional) for s in resolved):
        return None, []  # a later stage takes its output: it must run point by point
    others = [s for s in resolved if s is not stage]
    late = [
        p for p in paths
        if p.startswith(stage.batch_field + ".")
        and not any(_overlaps(p, r) for s in others for r in s.reads)
    ]  # fmt: skip
    return stage, late


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _with_path(data: Mapping[str, Any], path: Sequence[str], value: Any) -> dict[str, Any]:
    """A copy of ``data`` with ``value`` at ``path`` (only the dicts along the path copied)."""
    out = dict(data)
    if len(path) == 1:
        out[path[0]] = value
    else:
        child = out.get(path[0])
        out[path[0]] = _with_path(child if isinstance(child, Mapping) else {}, path[1:], value)
    return out


_ABSENT = object()


def pick_metric(document: Mapping[str, Any], path: str, absent: Any = None) -> Any:
    """The value at a dotted metric path (``absent`` when there is none)."""
    node: Any = document
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return absent
        node = node[part]
    return node


def _column(value: Any, n: int, path: str) -> list[Any]:
    """A batch metric's value at each of the ``n`` points (it is an array over the points, or
    shared); a value that is missing says why (``skydc.schema.why_missing``), as in
    ``metrics.json``."""
    from skydc.schema import why_missing

    if isinstance(value, np.ndarray) and value.size > 1:
        cells = value.ravel().tolist()
    else:
        one = value.ravel()[0] if isinstance(value, np.ndarray) else value
        cells = [one.item() if isinstance(one, np.generic) else one] * n
    for i, cell in enumerate(cells):
        if cell is None or (isinstance(cell, float) and not math.isfinite(cell)):
            cells[i] = why_missing(path)
    return cells


def _one(
    base: str | Path | None, overrides: Mapping[str, Any], index: int, inputs: Mapping[str, Any],
    stages: Sequence[str], keep: Sequence[str], cache: Any, loaded: Any = None,
) -> dict[str, Any]:  # fmt: skip
    """One point the ordinary way: loaded (unless given), run through the shared cache, its
    metrics picked."""
    t0 = time.perf_counter()
    row: dict[str, Any] = {"index": index, **inputs}
    try:
        if loaded is None:
            loaded = _load(base, {**overrides, **inputs})
        document = _run(loaded, stages, cache, keep).document()
        for path in keep:
            row[path] = pick_metric(document, path)
        row["status"], row["error"] = "ok", ""
    except _ERRORS as exc:
        row["status"], row["error"] = "error", f"{type(exc).__name__}: {exc}"
    row["wall_s"] = time.perf_counter() - t0
    return row


def _load(base: str | Path | None, overrides: Mapping[str, Any]) -> Any:
    """The point's scenario, loaded and checked like ``skydc.load_scenario``."""
    from skydc.pipeline.runner import check_scenario
    from skydc.scenario.load import load_scenario

    loaded = load_scenario(base, overrides)
    check_scenario(loaded)
    return loaded


def _run(loaded: Any, stages: Sequence[str], cache: Any, keep: Sequence[str]) -> Any:
    """``skydc.run(loaded, stages=..., cache=..., keep=...)``."""
    from skydc.pipeline.runner import execute

    return execute(loaded, "run", stages=stages, cache=cache, keep=keep)


def default_keep(stages: Sequence[str]) -> list[str]:
    """The headline metrics of ``stages`` (``skydc.pipeline.result.HEADLINE``), but the
    per-point Monte Carlo: a study is itself the exploration of its inputs, and a Monte Carlo
    inside every point would cost 4,000 draws a point and stop points from being evaluated
    together (keep ``cost.monte_carlo.ratio_p50`` to have it)."""
    from skydc.pipeline.registry import resolve
    from skydc.pipeline.result import HEADLINE

    names = {s.name for s in resolve(stages)}
    groups = {"constellation": "constellation", "sizing": "sizing", "cost": "cost",
              "network": "network", "operations": "operations", "downlink": "downlink",
              "sunlight": "sunlight"}  # fmt: skip
    return [m for m in HEADLINE if groups.get(m.split(".")[0]) in names
            and not m.startswith("cost.monte_carlo.")]  # fmt: skip


def _group_key(point: Mapping[str, Any], late: set[str]) -> Any:
    shared = tuple(sorted((k, v) for k, v in point.items() if k not in late or not _is_number(v)))
    try:
        hash(shared)
    except TypeError:  # a list or table value: compare its text
        return json.dumps(shared, sort_keys=True, default=str)
    return shared


def evaluate_points(
    base: str | Path | None,
    base_overrides: Mapping[str, Any],
    inputs: Sequence[Mapping[str, Any]],
    stages: Sequence[str],
    keep: Sequence[str],
    *,
    indices: Sequence[int] | None = None,
    cache: Any = None,
    progress: Progress | None = None,
) -> list[dict[str, Any]]:
    """Evaluate the points ``inputs`` (varied path -> value, applied over ``base_overrides``
    on the scenario ``base``) and return one row per point, in order: ``index``, the inputs,
    each ``keep`` metric, ``status`` (``ok``/``error``), ``error`` and ``wall_s`` (a batch's
    points share its time equally). See the module docstring for how points are grouped."""
    from skydc.pipeline.runner import StageCache

    # bounded: points that re-size keep their shared constellation and seasons (used by every
    # point, so never the least recent), not every point's sizing
    cache = cache if cache is not None else StageCache(max_entries=12)
    idx = list(indices) if indices is not None else list(range(len(inputs)))
    paths = sorted({p for point in inputs for p in point})
    stage, late_list = late_paths(stages, paths)
    late = set(late_list)
    groups: dict[Any, list[int]] = {}
    for k, point in enumerate(inputs):
        groups.setdefault(_group_key(point, late), []).append(k)
    rows: list[dict[str, Any] | None] = [None] * len(inputs)
    done = 0
    alone: list[int] = []  # the points that run one by one, after the batches
    for members in groups.values():
        batch_rows = None
        if stage is not None and len(members) > 1:
            batch_rows = _batch(
                base, base_overrides, [inputs[k] for k in members], [idx[k] for k in members],
                stages, keep, stage, late, cache,
            )  # fmt: skip
        if batch_rows is None:
            alone += members
            continue
        for k, row in zip(members, batch_rows, strict=True):
            rows[k] = row
        done += len(members)
        if progress is not None:
            progress(done, len(inputs))
    for start in range(0, len(alone), PRIME_CHUNK):  # stages that run for many points primed
        chunk = sorted(alone[start : start + PRIME_CHUNK])
        loaded = _prime(base, base_overrides, [inputs[k] for k in chunk], stages, keep, cache)
        for k, one in zip(chunk, loaded, strict=True):
            rows[k] = _one(base, base_overrides, idx[k], inputs[k], stages, keep, cache, one)
            done += 1
            if progress is not None:
                progress(done, len(inputs))
        cache.primed.clear()
    return [r for r in rows if r is not None]


# points primed together: bounds the outputs held ahead (a re-sized fleet is ~10-50 kB)
PRIME_CHUNK = 256


def _prime(
    base: str | Path | None, overrides: Mapping[str, Any], points: Sequence[Mapping[str, Any]],
    stages: Sequence[str], keep: Sequence[str], cache: Any,
) -> list[Any]:  # fmt: skip
    """Load ``points`` (``None`` for one the loader refuses: it gets its own message when it
    runs) and, where a selected stage can run for many points at once (``Stage.run_many``:
    the sizing), run it once for the points that share its inputs and put each point's output
    in ``cache.primed`` under that point's key, so the point's own run finds it there. Where
    the stage cannot (``ValueError``: the points differ in more than it vectorises), nothing is
    primed and each point runs its stage itself: the answer is the same either way
    (``tests/studies/test_batch.py``)."""
    from skydc.pipeline.base import Context
    from skydc.pipeline.registry import resolve
    from skydc.pipeline.runner import stage_keys

    loaded: list[Any] = []
    for point in points:
        try:
            loaded.append(_load(base, {**overrides, **point}))
        except _ERRORS:
            loaded.append(None)
    resolved = resolve(stages)
    many = [s for s in resolved if s.run_many is not None]
    ok = [k for k, one in enumerate(loaded) if one is not None]
    if not many or len(ok) < 2:
        return loaded
    kept = tuple(keep)
    keys = {k: stage_keys(loaded[k], resolved, kept) for k in ok}
    for stage in many:
        run_many = stage.run_many
        assert run_many is not None
        names = [n for n in (*stage.requires, *stage.optional) if n in keys[ok[0]]]
        by_inputs: dict[tuple[str, ...], list[int]] = {}
        for k in ok:
            if cache.get(keys[k][stage.name]) is None:
                by_inputs.setdefault(tuple(keys[k][n] for n in names), []).append(k)
        for members in by_inputs.values():
            if len(members) < 2:
                continue
            try:
                result = _run(loaded[members[0]], names, cache, keep)
                inputs = {n: result.outputs.get(n) for n in (*stage.requires, *stage.optional)}
                outputs = run_many([Context(loaded[k], keep=kept) for k in members], **inputs)
            except _ERRORS:
                continue  # each point runs the stage on its own and reports what it finds
            for k, output in zip(members, outputs, strict=True):
                cache.primed[keys[k][stage.name]] = output
    return loaded


def _batch(
    base: str | Path | None, overrides: Mapping[str, Any], points: Sequence[Mapping[str, Any]],
    indices: Sequence[int], stages: Sequence[str], keep: Sequence[str], stage: Any,
    late: set[str], cache: Any,
) -> list[dict[str, Any]] | None:  # fmt: skip
    """The group's points in one batch call, or ``None`` where that cannot be done (the caller
    then runs them one by one)."""
    from skydc.pipeline.base import Context
    from skydc.pipeline.registry import resolve

    t0 = time.perf_counter()
    try:
        loaded = _load(base, {**overrides, **points[0]})
    except ScenarioError:
        return None  # the first point is refused: each point gets its own message
    field = stage.batch_field
    model = type(getattr(loaded.scenario, field))
    section = getattr(loaded.scenario, field).model_dump()
    # text-valued inputs are the same at every point of a group (_group_key): the first
    # point's scenario carries them
    varied = sorted({p for point in points for p, v in point.items()
                     if p in late and _is_number(v)})  # fmt: skip
    refused: set[int] = set()
    for k, point in enumerate(points[1:], start=1):  # the first was validated by the loader
        data = section
        for path in varied:
            if path in point:
                data = _with_path(data, path.split(".")[1:], point[path])
        try:
            model.model_validate(data)  # the section's own rules, as the loader applies them
        except ValidationError:
            refused.add(k)  # the loader words the message (file, field, what is allowed)
    ok = [k for k in range(len(points)) if k not in refused]
    first = loaded.scenario.model_dump()
    columns = {
        path.split(".", 1)[1]: np.array(
            [points[k].get(path, pick_metric(first, path)) for k in ok], dtype=np.float64
        )
        for path in varied
    }
    upstream = [s.name for s in resolve(stages) if s.name != stage.name]
    try:
        result = _run(loaded, upstream, cache, keep)
    except _ERRORS:
        return None  # the shared stages fail: each point reports it
    # the metrics a point on its own would show: those of the stages selected, not every
    # stage that ran
    document = dataclasses.replace(result, selected=tuple(stages)).document()
    ctx = Context(loaded, keep=tuple(keep))
    names = (*stage.requires, *stage.optional)
    inputs = {n: result.outputs.get(n) for n in names}
    try:
        if any(len(p.split(".")) != 2 for p in varied):
            raise ValueError("only whole fields of the batch section vary in one evaluation")
        metrics = stage.run_batch(ctx, columns, **inputs).metrics()
    except _ERRORS:
        return None
    values = {}
    for path in keep:
        source = metrics if path.split(".")[0] == stage.name else document
        value = pick_metric(source, path, _ABSENT)
        if value is _ABSENT:  # no such metric: absent, as from a point on its own
            values[path] = [None] * len(ok)
        elif path.split(".")[0] == stage.name:
            values[path] = _column(value, len(ok), path)
        else:
            values[path] = [value] * len(ok)
    share = (time.perf_counter() - t0) / len(points)
    rows: list[dict[str, Any]] = []
    position = {k: j for j, k in enumerate(ok)}
    for k, point in enumerate(points):
        if k in refused:
            rows.append(_one(base, overrides, indices[k], point, stages, keep, cache))
            continue
        j = position[k]
        row = {"index": indices[k], **point}
        for path in keep:
            row[path] = values[path][j]
        row["status"], row["error"], row["wall_s"] = "ok", "", share
        rows.append(row)
    return rows
