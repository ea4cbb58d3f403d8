"""The package's import structure: no cycles anywhere (imports inside functions included), and
no stage that imports the runner or a later stage (docs/architecture.md)."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import skydc
from skydc.pipeline.registry import STAGES

PACKAGE = Path(skydc.__file__).parent


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports() -> dict[str, set[str]]:
    """Module -> the skydc modules it imports (every import statement, at any depth)."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, base]) if base else ".".join(up)
                targets = [f"{base}.{a.name}" for a in node.names] + [base]
            for t in targets:
                while t and t not in modules:
                    t = t.rpartition(".")[0]
                if t and t != name and t.startswith("skydc"):
                    graph[name].add(t)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    return out


def _without_package_inits(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    # a package's __init__ re-exporting its own submodules is not a cycle of modules
    return {
        m: {t for t in deps if not (t in graph and m.startswith(t + "."))}
        for m, deps in graph.items()
    }


def test_no_import_cycles() -> None:
    assert _cycles(_without_package_inits(_imports())) == []


def test_stages_import_neither_the_runner_nor_a_later_stage() -> None:
    graph = _imports()
    order = [s.name for s in STAGES]
    above = {f"skydc.pipeline.{m}" for m in ("runner", "registry", "result", "folder")}
    for k, stage in enumerate(STAGES):
        module = f"skydc.pipeline.{stage.name}"
        deps = graph[module]
        assert not deps & above, f"{module} imports {deps & above}"
        later = {f"skydc.pipeline.{n}" for n in order[k + 1 :]}
        assert not deps & later, f"{module} imports a later stage: {deps & later}"
        assert not any(d.startswith(("skydc.api", "skydc.cli", "skydc.studies")) for d in deps)


def test_kernels_import_nothing_above_them() -> None:
    graph = _imports()
    kernels = ("orbits", "environment", "spacecraft", "deployment", "economics", "network",
               "operations")  # fmt: skip
    above = ("skydc.pipeline", "skydc.scenario", "skydc.report", "skydc.studies", "skydc.api",
             "skydc.cli")  # fmt: skip
    for module, deps in graph.items():
        if module.split(".")[1:2] and module.split(".")[1] in kernels:
            bad = sorted(d for d in deps if d.startswith(above))
            assert not bad, f"kernel {module} imports {bad}"


def test_each_stage_run_takes_its_requirements_by_name() -> None:
    for stage in STAGES:
        params = list(inspect.signature(stage.run).parameters)
        assert params[0] == "ctx"
        assert params[1:] == [*stage.requires, *stage.optional], stage.name
