"""The runner: resolve a selection of stages by their requirements, run each once, and (with an
output folder) write the run folder atomically.

``execute(loaded, ["cost"])`` runs constellation, seasons, sizing and cost, in that order, and
returns a :class:`~skydc.pipeline.result.Result` whose metrics and tables are those of the stages
asked for. A :class:`StageCache` passed to several runs reuses a stage's output wherever the
scenario fields it reads and its inputs are the same, so a study that varies only economics
propagates and sizes once. Verbs are selections: :data:`VERBS`.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from skydc.errors import ScenarioError
from skydc.io.atomic import OutputChanged, staging_dir
from skydc.pipeline import exports as exports_stage
from skydc.pipeline.base import Context, ProgressCallback, Stage, StageOutput
from skydc.pipeline.folder import check_output_dir, write_run_folder
from skydc.pipeline.registry import BY_NAME, STAGES, resolve
from skydc.pipeline.resources import check_resources
from skydc.pipeline.result import Result
from skydc.scenario.load import LoadedScenario
from skydc.scenario.models import Scenario

_WRITERS = ("sunlight", "exports")  # stages that stream or write export files into the folder


def verb_stages(verb: str, scenario: Scenario, exports: Iterable[str] = ()) -> tuple[str, ...]:
    """The stages a verb selects for a scenario.

    ``run``: everything the scenario enables; ``size``: sizing; ``cost``: sizing, delivery
    (with the downlink budget when the scenario's network and downlink are enabled) and cost;
    ``network``: the network (whether or not the scenario enables it for ``run``); ``simulate``:
    the operations simulation.
    """
    extra = ("exports",) if exports else ()
    down = ("downlink",) if scenario.network.enabled and scenario.network.downlink else ()
    if verb == "run":
        names = [
            "constellation",
            "sunlight",
            "seasons",
            "sizing",
            "power",
            *down,
            "delivery",
            "cost",
        ]
        if scenario.network.enabled:
            names.append("network")
        if scenario.operations.enabled and scenario.operations.has_workloads:
            names.append("operations")
        return (*names, *extra)
    selections = {
        "size": ("sizing",),
        "cost": ("sizing", *down, "delivery", "cost"),
        "network": ("network", *down, *extra),
        "simulate": ("operations",),
    }
    if verb not in selections:
        raise ValueError(f"unknown verb {verb!r}; verbs: run, {', '.join(selections)}")
    return selections[verb]


def _field_value(data: dict[str, Any], path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


@dataclass
class StageCache:
    """Stage outputs kept across runs, keyed by a digest of what each stage depends on.

    A stage's key hashes the scenario fields it declares in ``reads`` (and the scenario's folder,
    against which relative files resolve) with the keys of its inputs, so an output is reused
    exactly when nothing it depends on changed. In memory, for one process (a study's worker).
    """

    outputs: dict[str, StageOutput] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0
    max_entries: int | None = None  # keep the most recently used this many (None: all)
    # outputs computed ahead for the points a study is about to run (``Stage.run_many``):
    # served like stored ones, outside the bound, cleared by the study when its points are done
    primed: dict[str, StageOutput] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.outputs)

    def get(self, key: str) -> StageOutput | None:
        """The output stored under ``key`` (now the most recently used), or ``None``."""
        if key in self.primed:
            return self.primed[key]
        out = self.outputs.pop(key, None)
        if out is not None:
            self.outputs[key] = out
        return out

    def put(self, key: str, output: StageOutput) -> None:
        """Store ``output`` under ``key``, dropping the least recently used past the bound."""
        self.outputs.pop(key, None)
        self.outputs[key] = output
        if self.max_entries is not None:
            while len(self.outputs) > self.max_entries:
                del self.outputs[next(iter(self.outputs))]


def stage_keys(
    loaded: LoadedScenario, stages: Sequence[Stage], keep: Sequence[str] | None = None
) -> dict[str, str]:
    """The cache key of each stage of a resolved selection (``keep``: the metric paths kept,
    which may let a stage skip work, so they are part of the key)."""
    data = loaded.scenario.model_dump(mode="json")
    keys: dict[str, str] = {}
    for stage in stages:
        upstream = [keys[n] for n in (*stage.requires, *stage.optional) if n in keys]
        payload = {
            "stage": stage.name,
            "reads": {p: _field_value(data, p) for p in stage.reads},
            "base_dir": str(loaded.base_dir),
            "upstream": upstream,
            "keep": None if keep is None else sorted(keep),
        }
        text = json.dumps(payload, sort_keys=True, default=str)
        keys[stage.name] = f"{stage.name}:{hashlib.sha256(text.encode()).hexdigest()[:24]}"
    return keys


def _inputs(stage: Stage, outputs: dict[str, StageOutput]) -> dict[str, StageOutput | None]:
    args: dict[str, StageOutput | None] = {name: outputs[name] for name in stage.requires}
    for name in stage.optional:
        args[name] = outputs.get(name)
    return args


def run_stages(
    loaded: LoadedScenario,
    names: Iterable[str],
    *,
    verb: str = "stages",
    folder: Path | None = None,
    exports: Iterable[str] = (),
    progress: ProgressCallback | None = None,
    cache: StageCache | None = None,
    keep: Sequence[str] | None = None,
) -> Result:
    """Run the named stages and what they require; each stage once, in execution order
    (``keep``: the metric paths the caller keeps, ``None`` for all: see :class:`Context`)."""
    wall0 = time.perf_counter()
    selected = tuple(dict.fromkeys(names))
    try:
        stages = resolve(selected)
    except ValueError as exc:
        raise ScenarioError(str(exc)) from None
    # an optional input that is in the selection runs first (the registry order guarantees it)
    kept = None if keep is None else tuple(keep)
    ctx = Context(loaded, folder=folder, exports=frozenset(exports), progress=progress, keep=kept)
    keys = stage_keys(loaded, stages, kept) if cache is not None else {}
    outputs: dict[str, StageOutput] = {}
    walls: dict[str, float] = {}
    for stage in stages:
        t0 = time.perf_counter()
        key = keys.get(stage.name)
        # a stage that writes files into the run folder always runs (a cached output wrote
        # them into another folder)
        writes = folder is not None and bool(ctx.exports) and stage.name in _WRITERS
        held = cache.get(key) if cache is not None and key is not None and not writes else None
        if held is not None and cache is not None:
            outputs[stage.name] = held
            cache.hits += 1
        else:
            outputs[stage.name] = stage.run(ctx, **_inputs(stage, outputs))
            if cache is not None and key is not None:
                cache.put(key, outputs[stage.name])
                cache.misses += 1
        walls[stage.name] = time.perf_counter() - t0
    return Result(
        loaded=loaded,
        verb=verb,
        outputs=outputs,
        selected=selected,
        stage_wall_s=walls,
        wall_s=time.perf_counter() - wall0,
        exports=tuple(exports),
    )


def check_scenario(loaded: LoadedScenario, stages: Iterable[str] | None = None) -> None:
    """Every cheap check of the given stages (default: all), without running them."""
    names = set(stages) if stages is not None else set(BY_NAME)
    for stage in STAGES:
        if stage.name in names:
            stage.check(loaded)


def validate(
    loaded: LoadedScenario, cache: StageCache | None = None, *, force: bool = False
) -> Result:
    """Everything a run would check before its heavy work: the resource estimate of a full run,
    each stage's own checks (catalog and station files, presets, workloads, uncertainty tables)
    and the cheap stages themselves (constellation, eclipse seasons, sizing feasibility, cost).
    Returns their result."""
    full = verb_stages("run", loaded.scenario)
    check_resources(loaded, {s.name for s in resolve(full)}, force=force)
    check_scenario(loaded)
    return run_stages(loaded, ("constellation", "sizing", "cost"), verb="validate", cache=cache)


def execute(
    loaded: LoadedScenario,
    verb: str,
    *,
    stages: Sequence[str] | None = None,
    output_dir: str | Path | None = None,
    overwrite: bool = False,
    exports: Sequence[str] = (),
    progress: ProgressCallback | None = None,
    cache: StageCache | None = None,
    force: bool = False,
    keep: Sequence[str] | None = None,
) -> Result:
    """Run a verb's stages (or ``stages``), writing the run folder when ``output_dir`` is given.

    The folder is built beside the target and renamed into place only when complete; with
    ``overwrite`` an existing run folder is replaced the same way (it stays intact until the new
    one is complete). Every check that could refuse the folder or the exports runs first, and a
    run that cannot fit in memory (or, unless ``force``, would take too long) is refused.
    """
    names = tuple(stages) if stages is not None else verb_stages(verb, loaded.scenario, exports)
    export_set = frozenset(exports)
    exports_stage.check_exports(loaded, export_set, output_dir is not None)
    if "czml" in export_set and "network" not in names:
        raise ScenarioError(
            "the CZML export draws the network: set network.enabled = true",
            file=loaded.source,
            field="network.enabled",
        )
    resolved = {s.name for s in resolve(names)}
    check_resources(loaded, resolved, force=force)  # before anything is built
    check_scenario(loaded, resolved)
    out = check_output_dir(output_dir, overwrite=overwrite)
    if out is None:
        return run_stages(loaded, names, verb=verb, exports=exports, progress=progress,
                          cache=cache, keep=keep)  # fmt: skip
    try:
        with staging_dir(out, replace=overwrite) as tmp:
            result = run_stages(
                loaded, names, verb=verb, folder=tmp, exports=exports, progress=progress,
                cache=cache, keep=keep,
            )  # fmt: skip
            write_run_folder(result, tmp)
    except OutputChanged as exc:  # written beside the target instead: nothing is lost
        result.run_dir = exc.kept
        result.warnings.append(str(exc))
        return result
    result.run_dir = out
    return result


def default_run_dir(scenario: Scenario, root: Path = Path("runs"), suffix: str = "") -> Path:
    """``runs/<scenario>[-<suffix>]-<UTC timestamp>`` (seconds; a number keeps it unique)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    base = root / "-".join(p for p in (scenario.name, suffix, stamp) if p)
    path = base
    n = 1
    while path.exists():
        n += 1
        path = Path(f"{base}-{n}")
    return path
