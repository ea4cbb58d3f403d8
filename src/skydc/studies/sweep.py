"""Trade studies on Dask: the points of a study design, run in parallel, kept in a store.

A *study* (``skydc.studies.design``) varies scenario fields; every point is the base scenario with
those fields set, validated like ``--set``. :func:`run_study`:

1. resolves every point (a point the scenario loader refuses is recorded as an error at once);
2. skips the points the results store already holds (``skydc.studies.store``: keyed by a content
   hash of the resolved scenario, the stages and the kept metrics), so a study killed at any
   moment and run again continues where it stopped;
3. groups the remaining points by what their upstream stages read: points that differ only in
   fields read by late stages (``economics.*`` for the cost) run in tasks of their group, one
   after the other, through the worker's :class:`~skydc.pipeline.runner.StageCache` for that
   group, which outlives a task: the constellation, seasons, sizing, downlink and delivery they
   share are computed once per group on each worker, not once per point. Groups larger than a
   fair share are split into several tasks so that every worker has work, and small groups
   share a task;
4. submits the tasks to a Dask cluster: an embedded ``LocalCluster`` of processes (as many as
   the cores and, for big points, the memory allow: :func:`local_workers`) or an existing
   scheduler (``scheduler="tcp://host:8786"``), and writes each point to the store from this
   process as its task finishes (atomically, one file per point).

Why Dask: the brief asks for points that scale past one machine on an existing engine; the same
code runs on a laptop's processes, a hand-started scheduler and workers, or dask-jobqueue's
SLURM/PBS clusters (docs/studies.md).
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skydc.errors import ScenarioError, SkydcError
from skydc.studies.batch import default_keep, pick_metric

__all__ = [
    "PointSpec",
    "StudyRun",
    "dask_client",
    "default_keep",
    "local_workers",
    "pick_metric",
    "resolve_points",
    "run_points",
    "run_study",
    "uncertainty_study",
]

_log = logging.getLogger(__name__)

#: Fields that only the late stages read: points differing only in these share upstream stages.
LATE_FIELDS = ("economics",)
CHUNK_TASKS_PER_WORKER = 4  # split groups so each worker gets about this many tasks
MAX_CHUNK = 16  # points per task at most (a killed study loses at most this much per worker)
MAX_BATCH = 4096  # points per task where they are evaluated together (~0.1-0.5 s a task)

Progress = Callable[[int, int], None]

_QUIET_WORKER = {
    "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False",
    "DASK_DISTRIBUTED__ADMIN__TICK__INTERVAL": "1s",
    "DASK_DISTRIBUTED__WORKER__MEMORY__MONITOR_INTERVAL": "2s",
    "DASK_DISTRIBUTED__ADMIN__SYSTEM_MONITOR__INTERVAL": "5s",
}


@dataclass(frozen=True)
class PointSpec:
    """One point of a study: its position, the varied inputs and the content key."""

    index: int
    inputs: dict[str, Any]
    key: str
    group: str
    error: str = ""  # the scenario loader's refusal, if any


@dataclass
class StudyRun:
    """What a finished (or resumed) study did."""

    points: int
    computed: int
    skipped: int
    failed: int
    tasks: int
    groups: int
    wall_s: float
    workers: int
    rows: list[dict[str, Any]] = field(default_factory=list, repr=False)


def _scenario_dict(loaded: Any) -> dict[str, Any]:
    data: dict[str, Any] = loaded.scenario.model_dump(mode="json")
    data["_base_dir"] = str(loaded.base_dir)
    return data


def _group_key(data: Mapping[str, Any]) -> str:
    upstream = {k: v for k, v in data.items() if k not in LATE_FIELDS}
    text = json.dumps(upstream, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def resolve_points(
    base: str | Path | None,
    base_overrides: Mapping[str, Any],
    inputs: Sequence[Mapping[str, Any]],
    stages: Sequence[str],
    keep: Sequence[str],
) -> list[PointSpec]:
    """Every point validated and keyed (a refused point keeps its message as ``error``)."""
    from skydc.api import load_scenario
    from skydc.studies.store import point_key

    out = []
    for index, point in enumerate(inputs):
        try:
            loaded = load_scenario(base, {**base_overrides, **point})
        except ScenarioError as exc:
            text = json.dumps({"base": str(base), **{k: point[k] for k in sorted(point)}},
                              sort_keys=True, default=str)  # fmt: skip
            key = hashlib.sha256(("refused:" + text).encode()).hexdigest()
            out.append(PointSpec(index, dict(point), key, "refused", error=str(exc)))
            continue
        data = _scenario_dict(loaded)
        out.append(PointSpec(index, dict(point), point_key(data, stages, keep), _group_key(data)))
    return out


def batchable(stages: Sequence[str], points: Sequence[PointSpec]) -> bool:
    """Every varied input is read by the last stage only, which evaluates many points in one
    call (``skydc.studies.batch``): a task may then hold many points at little cost each."""
    from skydc.studies.batch import late_paths

    varied = sorted({path for p in points for path in p.inputs})
    stage, late = late_paths(stages, varied)
    return stage is not None and len(late) == len(varied)


def _chunks(
    points: Sequence[PointSpec], workers: int, max_chunk: int = 0
) -> list[list[PointSpec]]:
    """Points grouped by their upstream stages, split so every worker has tasks (of at most
    ``max_chunk`` points, default :data:`MAX_CHUNK`)."""
    groups: dict[str, list[PointSpec]] = {}
    for p in points:
        groups.setdefault(p.group, []).append(p)
    fair = max(1, math.ceil(len(points) / max(1, workers * CHUNK_TASKS_PER_WORKER)))
    size = min(max_chunk or MAX_CHUNK, fair)
    out: list[list[PointSpec]] = []
    current: list[PointSpec] = []
    for members in groups.values():  # a group stays in one task where it fits; small groups
        for i in range(0, len(members), size):  # share a task (fewer tasks, same reuse)
            part = members[i : i + size]
            if current and len(current) + len(part) > size:
                out.append(current)
                current = []
            current = current + part
    if current:
        out.append(current)
    return out


# The stage cache of this worker process: consecutive tasks on a worker reuse every stage output
# they share (keys are content hashes, so outputs of different groups never mix up): a group's
# upstream stages once per worker, and points that re-size share their constellation and
# seasons. Bounded to the most recently used outputs, so memory holds a few groups only.
_WORKER_CACHE: dict[str, Any] = {"cache": None}
WORKER_CACHE_ENTRIES = 12  # about two points' stage outputs: the shared ones stay (used each point)


def _worker_cache() -> Any:
    from skydc.pipeline.runner import StageCache

    if _WORKER_CACHE["cache"] is None:
        _WORKER_CACHE["cache"] = StageCache(max_entries=WORKER_CACHE_ENTRIES)
    return _WORKER_CACHE["cache"]


def _run_chunk(
    base: str | None,
    base_overrides: dict[str, Any],
    chunk: list[tuple[int, dict[str, Any], str]],
    stages: list[str],
    keep: list[str],
    group: str = "",
) -> list[dict[str, Any]]:
    """Evaluate a task's points through the worker's stage cache (a Dask task; runs in a
    worker): points that differ only in what the last stage reads are evaluated together
    (:func:`skydc.studies.batch.evaluate_points`). ``group``: the upstream group of a task of
    one group, ``""`` for a task of several (only for the record: the cache is by content)."""
    from skydc.studies.batch import evaluate_points

    cache = _worker_cache()
    rows = evaluate_points(
        base, base_overrides, [inputs for _, inputs, _ in chunk], stages, keep,
        indices=[index for index, _, _ in chunk], cache=cache,
    )  # fmt: skip
    for row, (_, _, key) in zip(rows, chunk, strict=True):
        row["key"] = key
    return rows


def _in_process(stages: Sequence[str], points: Sequence[PointSpec]) -> bool:
    """Points that share one upstream group and are evaluated together run in this process."""
    return len({p.group for p in points}) == 1 and batchable(stages, points)


def local_workers(base: str | Path | None, base_overrides: Mapping[str, Any],
                  stages: Sequence[str], requested: int | None = None) -> int:  # fmt: skip
    """Worker processes for an embedded cluster: the cores, fewer when one point's estimated
    peak memory (``skydc.pipeline.resources``) times the workers would pass 80 % of memory."""
    from skydc.api import load_scenario
    from skydc.pipeline.registry import resolve
    from skydc.pipeline.resources import MEMORY_SHARE, estimate, physical_memory_b

    cores = os.cpu_count() or 1
    try:
        loaded = load_scenario(base, dict(base_overrides))
        peak = estimate(loaded, {s.name for s in resolve(stages)}).peak_memory_b
    except ScenarioError:
        peak = 1e9
    by_memory = max(1, int(MEMORY_SHARE * physical_memory_b() // max(peak, 1.0)))
    n = min(cores, by_memory)
    return max(1, min(n, requested)) if requested else n


@contextmanager
def dask_client(
    scheduler: str | None, n_workers: int
) -> Iterator[tuple[Any, int]]:
    """A Dask client and its worker count: an embedded ``LocalCluster`` of ``n_workers``
    single-threaded processes, or the cluster of an existing scheduler (``tcp://host:port``)."""
    import dask
    from distributed import Client, LocalCluster

    if scheduler is None:
        # A study's points are seconds of Python and NumPy each: Dask's statistical profiler
        # (a stack sample every 10 ms) and its 20 ms event-loop tick and 100-500 ms monitors
        # take the GIL from the task often enough to slow a point from 0.47 s to 0.98 s in a
        # worker on this machine (measured; benchmarks/sweep.py). A study has no use for them.
        # Environment variables, so the worker processes inherit them; a user's own settings win.
        for name, value in _QUIET_WORKER.items():
            os.environ.setdefault(name, value)
        dask.config.refresh()
        # the nanny's 64 KiB malloc trim threshold returns every freed NumPy buffer to the OS at
        # once, only to map it again for the next point: keep glibc's default behaviour
        dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None})
        cluster = LocalCluster(
            n_workers=n_workers, threads_per_worker=1, processes=True,
            dashboard_address=None, silence_logs=logging.CRITICAL,
        )  # fmt: skip
        client = Client(cluster)
    else:
        cluster = None
        try:
            client = Client(scheduler, timeout="30s")
        except OSError as exc:
            raise SkydcError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    try:
        yield client, max(1, len(client.scheduler_info()["workers"]))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_points(
    base: str | Path | None,
    base_overrides: Mapping[str, Any],
    points: Sequence[PointSpec],
    stages: Sequence[str],
    keep: Sequence[str],
    store: Any,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    client: Any = None,
) -> StudyRun:
    """Run the points the store does not hold yet on Dask and write each as it finishes
    (``client``: an open Dask client to reuse; else one is opened for these points)."""
    t0 = time.perf_counter()
    done = store.done_keys()
    todo = [p for p in points if p.key not in done]
    refused = [p for p in todo if p.error]
    runnable = [p for p in todo if not p.error]
    total = len(points)
    finished = total - len(todo)
    rows: list[dict[str, Any]] = []
    for p in refused:
        row = {"index": p.index, "key": p.key, **p.inputs, "status": "error",
               "error": p.error, "wall_s": 0.0}  # fmt: skip
        store.write(row)
        rows.append(row)
        finished += 1
    if progress is not None:
        progress(finished, total)
    chunks: list[list[PointSpec]] = []
    n_workers = 0
    if runnable and client is None and scheduler is None and _in_process(stages, runnable):
        # one upstream evaluation and one array call take less time than starting a cluster
        chunks = [runnable[i : i + MAX_BATCH] for i in range(0, len(runnable), MAX_BATCH)]
        n_workers = 1
        for chunk in chunks:
            for row in _run_chunk(None if base is None else str(base), dict(base_overrides),
                                  [(p.index, p.inputs, p.key) for p in chunk], list(stages),
                                  list(keep), chunk[0].group):  # fmt: skip
                rows.append(row)
            store.write_many(rows[len(rows) - len(chunk):])
            finished += len(chunk)
            if progress is not None:
                progress(finished, total)
    elif runnable:
        if client is None:
            n_local = local_workers(base, base_overrides, stages, workers)
            with dask_client(scheduler, n_local) as (own, n_workers):
                chunks = _submit(own, base, base_overrides, runnable, stages, keep, n_workers,
                                 store, rows, finished, total, progress)  # fmt: skip
        else:
            n_workers = max(1, len(client.scheduler_info()["workers"]))
            chunks = _submit(client, base, base_overrides, runnable, stages, keep, n_workers,
                             store, rows, finished, total, progress)  # fmt: skip
    failed = sum(1 for r in rows if r["status"] != "ok")
    return StudyRun(
        points=total, computed=len(rows), skipped=total - len(todo), failed=failed,
        tasks=len(chunks), groups=len({p.group for p in runnable}),
        wall_s=time.perf_counter() - t0, workers=n_workers, rows=rows,
    )  # fmt: skip


def _submit(
    client: Any, base: str | Path | None, base_overrides: Mapping[str, Any],
    runnable: Sequence[PointSpec], stages: Sequence[str], keep: Sequence[str], n_workers: int,
    store: Any, rows: list[dict[str, Any]], finished: int, total: int,
    progress: Progress | None,
) -> list[list[PointSpec]]:  # fmt: skip
    """Submit the chunks, write every row as its task finishes; returns the chunks."""
    from distributed import as_completed

    base_arg = None if base is None else str(base)
    chunks = _chunks(runnable, n_workers, MAX_BATCH if batchable(stages, runnable) else 0)
    futures = [
        client.submit(
            _run_chunk, base_arg, dict(base_overrides),
            [(p.index, p.inputs, p.key) for p in chunk], list(stages), list(keep),
            chunk[0].group if len({p.group for p in chunk}) == 1 else "", pure=False,
        )
        for chunk in chunks
    ]
    for future in as_completed(futures):
        done = future.result()
        store.write_many(done)
        rows.extend(done)
        finished += len(done)
        if progress is not None:
            progress(finished, total)
    return chunks


#: Uncertain cost inputs (``economics.uncertainty`` names) that are scenario fields.
UNCERTAINTY_PATHS = {
    "space.launch_usd_per_kg": "economics.launch_usd_per_kg",
    "both.wacc": "economics.wacc",
    "space.wacc": "economics.wacc_space",
    "ground.wacc": "economics.wacc_ground",
    "ground.electricity_usd_per_kwh": "economics.electricity_usd_per_kwh",
    "ground.pue": "economics.pue",
    "both.accelerator_unit_price_usd": "economics.accelerator_price_usd",
    "space.annual_failure_probability": "economics.annual_failure_probability",
    "ground.hardware_life_yr": "economics.hardware_life_yr",
    "ground.facility_life_yr": "economics.facility_life_yr",
    "space.satellite_life_yr": "spacecraft.lifetime_yr",
}


def uncertainty_study(
    base: str | Path | None,
    base_overrides: Mapping[str, Any],
    *,
    samples: int,
    seed: int,
    stages: Sequence[str],
    keep: Sequence[str],
    name: str = "uncertainty",
) -> tuple[Any, list[str]]:
    """A Monte Carlo study over the scenario's uncertainty table: its declared
    ``economics.uncertainty`` distributions, or, where it declares none, the data files' spans
    the cost stage uses (centred on the base), for every input that is a scenario field.

    Returns the study and the inputs left out (cost-model inputs that are no scenario field,
    e.g. ``space.bus_price_scale``: the cost stage's own Monte Carlo samples those inside each
    point).
    """
    from skydc.api import load_scenario
    from skydc.api import run as run_scenario
    from skydc.pipeline.cost import CostOutput, _distributions
    from skydc.studies.design import DistributionSpec, Study, VarySpec

    loaded = load_scenario(base, dict(base_overrides))
    cost = run_scenario(loaded, stages=["cost"])["cost"]
    assert isinstance(cost, CostOutput)
    dists, _source = _distributions(loaded, cost.space_inputs, cost.ground_inputs)
    vary, left_out = [], []
    for input_name in sorted(dists):
        path = UNCERTAINTY_PATHS.get(input_name)
        if path is None:
            left_out.append(input_name)
            continue
        d = dists[input_name]
        spec = DistributionSpec.model_validate({"kind": d.kind, "params": list(d.params)})
        vary.append(VarySpec(path=path, distribution=spec))
    if not vary:
        raise ScenarioError(
            "no uncertain input of the scenario is a scenario field; declare "
            "[economics.uncertainty.\"space.launch_usd_per_kg\"] or give --vary",
            file=loaded.source, field="economics.uncertainty",
        )  # fmt: skip
    study = Study(name=name, design="monte-carlo", samples=samples, seed=seed,
                  stages=list(stages), keep=list(keep), vary=vary)  # fmt: skip
    return study, left_out


def run_study(
    base: str | Path | None,
    study: Any,
    out_dir: str | Path,
    *,
    base_overrides: Mapping[str, Any] | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    overwrite: bool = False,
    progress: Progress | None = None,
) -> StudyRun:
    """Run a study (``skydc.studies.design.Study``) into a results store at ``out_dir``."""
    from skydc.studies.design import design_points
    from skydc.studies.store import ResultsStore

    overrides = dict(base_overrides or {})
    stages = list(study.stages)
    keep = list(study.keep) or default_keep(stages)
    design = design_points(study)
    points = resolve_points(base, overrides, design.inputs, stages, keep)
    store = ResultsStore(Path(out_dir))
    store.open(
        {
            "name": study.name,
            "design": design.kind,
            "varied": [v.path for v in study.vary],
            "stages": stages,
            "keep": keep,
            "scenario": str(base) if base is not None else "dawn-dusk-40mw",
            "base_overrides": {k: overrides[k] for k in sorted(overrides)},
            "points_total": len(points),
        },
        overwrite=overwrite,
    )
    return run_points(base, overrides, points, stages, keep, store, scheduler=scheduler,
                      workers=workers, progress=progress)  # fmt: skip
